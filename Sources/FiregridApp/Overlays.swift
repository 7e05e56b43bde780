import FiregridModel
import FiregridRepository
import TerminalUI

/// The general components drawn over a section: the help, a yes/no question, the damaged
/// records, the roster edit forms, the town search and the roster import.

/// F1 or ?: every key of the screen below and the global ones.
struct HelpOverlay: Overlay {
  /// The keys it lists, taken when it opened.
  let screenBindings: [KeyBinding]

  enum Action { case close }
  static let keymap = Keymap<Action>([
    (
      KeyBinding(
        [.escape, .character("q"), .function(1), .character("?"), .enter], "Esc", AppText.keyBack),
      .close
    )
  ])

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    Self.keymap.action(for: key) == nil ? [] : [.dismiss]
  }

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    // The help covers the whole content area: nothing half-hidden shows through.
    let box = area.body
    buffer.fill(box, style: .plain)
    var y = box.y
    buffer.write(AppText.helpTitle, x: box.x + 2, y: y, style: .title)
    y += 2
    // Two columns: this screen's keys on the left, the global ones on the right, so both
    // lists fit at 80x24 however many keys a screen has.
    let columnWidth = box.width / 2
    let groups: [(String, [KeyBinding])] = [
      (AppText.helpScreen, screenBindings), (AppText.helpGlobal, AppState.globalKeymap.bindings),
    ]
    for (column, (heading, bindings)) in groups.enumerated() where !bindings.isEmpty {
      let x = box.x + 2 + column * columnWidth
      var row = y
      buffer.write(heading, x: x, y: row, style: .bold)
      row += 1
      for binding in bindings where row < box.maxY - 1 {
        buffer.write(binding.keyLabel, x: x + 2, y: row, maxWidth: 12, style: .key)
        buffer.write(binding.help, x: x + 15, y: row, maxWidth: columnWidth - 17)
        row += 1
      }
    }
    buffer.write(
      AppText.helpClose, x: box.x + 2, y: box.maxY - 1, maxWidth: box.width - 4, style: .muted)
    return nil
  }
}

/// A yes/no question. Whichever the answer, it closes first; then `then` (yes) or
/// `otherwise` (no) is applied — a save, or the form the question came from, back again.
struct ConfirmOverlay: Overlay {
  let dialog: ConfirmDialog
  let then: [Message]
  let otherwise: [Message]

  init(title: String, message: String, then: [Message], otherwise: [Message] = []) {
    dialog = ConfirmDialog(
      title: title, message: message, confirmLabel: AppText.confirmYes,
      cancelLabel: AppText.confirmNo)
    self.then = then
    self.otherwise = otherwise
  }

  /// The effects a yes runs (what a test looks at).
  var effectsOnYes: [Effect] {
    then.compactMap { if case .run(let effect) = $0 { return effect } else { return nil } }
  }

  enum Action { case yes, no }
  static let keymap = Keymap<Action>([
    (KeyBinding([.character("y"), .character("Y"), .enter], "y", AppText.confirmYesHelp), .yes),
    (KeyBinding([.character("n"), .character("N"), .escape], "n", AppText.confirmNoHelp), .no),
  ])

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    switch Self.keymap.action(for: key) {
    case .yes?: return [.dismiss] + then
    case .no?: return [.dismiss] + otherwise
    case nil: return []
    }
  }

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    dialog.render(into: &buffer, area: area.screen)
    return nil
  }
}

/// D: the records that did not load (or changed outside the program), with where each
/// would be repaired from; Enter repairs one, once confirmed.
struct DamagedFilesOverlay: Overlay {
  var list = ListState()

  enum Action { case close, restore, move }
  static let keymap = Keymap<Action>([
    (KeyBinding([.enter, .character("r")], "Enter", AppText.keyRestore), .restore),
    (ListKeys.move, .move),
    (KeyBinding([.escape, .character("q"), .character("D")], "Esc", AppText.keyBack), .close),
  ])

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    let damaged = context.damaged
    switch Self.keymap.action(for: key) {
    case .close?: return [.dismiss]
    case .restore?:
      guard list.selected < damaged.count else { return [] }
      let record = damaged[list.selected]
      guard let source = record.repairSource else {
        return [.error(AppText.noBackup(record.label))]
      }
      guard context.isWritable else { return [.error(AppText.readOnlyCannotRestore)] }
      return [
        .present(
          ConfirmOverlay(
            title: AppText.restoreTitle, message: AppText.restoreQuestion(record.label, source),
            then: [.run(.restoreDamaged(record.reference))], otherwise: [.present(self)]))
      ]
    case .move?:
      _ = list.handle(key, count: damaged.count, pageSize: max(1, context.contentRows - 4))
      return []
    case nil: return []
    }
  }

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let area = area.body
    buffer.fill(area, style: .plain)
    buffer.write(AppText.damagedTitle, x: 2, y: area.y, style: .title)
    var y = area.y + 2
    for (index, record) in context.damaged.enumerated() where y + 1 < area.maxY - 1 {
      let style: Style = index == list.selected ? .selected : .bold
      buffer.write(
        "\(record.label)   \(AppText.damagedBackup(record.repairSource))", x: 2, y: y,
        maxWidth: area.width - 4, style: style)
      buffer.write(record.detail, x: 4, y: y + 1, maxWidth: area.width - 6, style: .error)
      y += 3
    }
    buffer.write(
      AppText.damagedHelp, x: 2, y: area.maxY - 1, maxWidth: area.width - 4, style: .muted)
    return nil
  }
}

/// The keys of every form: move between fields, save, leave. The form takes the rest (text,
/// choices), so a form's printable keys are not listed one by one.
enum FormKeys {
  enum Action { case next, previous, save, cancel }

  static func keymap(save: String = AppText.setupHelpSave, cancel: String = AppText.keyCancel)
    -> Keymap<Action>
  {
    Keymap([
      (KeyBinding([.tab, .down, .enter], "Tab", AppText.keyNextField), .next),
      (KeyBinding([.backTab, .up], "Shift-Tab", AppText.keyPrevField), .previous),
      (KeyBinding([.control("s")], "Ctrl-S", save), .save),
      (KeyBinding([.escape], "Esc", cancel), .cancel),
    ])
  }

  static let standard = keymap()

  /// A form in a box over the section, with the save keys under it. The whole body is
  /// cleared first, not only the box: the list behind would show at its edges (the "0" of
  /// 户号 0001 down the left, as seen).
  static func render(_ form: Form, into buffer: inout ScreenBuffer, body: Rect) -> (
    x: Int, y: Int
  )? {
    buffer.fill(body, style: .plain)
    let box = body.inset(dx: 2, dy: 0)
    let cursor = form.render(into: &buffer, area: box.inset(dx: 2, dy: 1))
    buffer.write(EditText.saveKeys, x: box.x + 2, y: box.maxY - 1, style: .muted)
    return cursor
  }

  /// Esc on a form with typed values asks first; on an untouched one it just closes.
  static func leave(_ form: Form, returningTo overlay: any Overlay) -> [Message] {
    guard form.isDirty else { return [.dismiss] }
    return [
      .present(
        ConfirmOverlay(
          title: EditText.discardTitle, message: EditText.discardQuestion, then: [],
          otherwise: [.present(overlay)]))
    ]
  }
}

/// A roster edit form (village, grid, household, person, visitor, move, assign).
struct EditOverlay: Overlay {
  var session: EditSession

  var isDirty: Bool { session.form.isDirty }
  var takesText: Bool { true }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    if FormKeys.standard.action(for: key) == .cancel {
      return FormKeys.leave(session.form, returningTo: self)
    }
    guard case .submitted(let values) = session.form.handle(key) else { return [] }
    do {
      return [.run(.applyEdit(try session.outcome(values, town: context.index.data)))]
    } catch {
      return [.error(error.message)]
    }
  }

  func bindings(in context: AppContext) -> [KeyBinding] { FormKeys.standard.bindings }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    FormKeys.render(session.form, into: &buffer, body: area.body)
  }
}

/// `/`: the town-wide search.
struct SearchOverlay: Overlay {
  var screen = SearchScreen()
  var takesText: Bool { true }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    guard let townSearch = context.townSearch else { return [.dismiss] }
    switch screen.handle(key, search: townSearch, pageSize: max(1, context.contentRows - 4)) {
    case .handled: return []
    case .close: return [.dismiss]
    case .open(let hit): return [.dismiss, .jump(hit)]
    }
  }

  func bindings(in context: AppContext) -> [KeyBinding] { SearchScreen.bindings }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    screen.render(into: &buffer, area: area.body)
  }
}

/// I: which spreadsheet to import.
struct ImportFileOverlay: Overlay {
  var form = ImportText.form()
  var isDirty: Bool { form.isDirty }
  var takesText: Bool { true }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    if FormKeys.standard.action(for: key) == .cancel { return [.dismiss] }
    guard case .submitted(let values) = form.handle(key) else { return [] }
    return [.run(.planImport(path: values[ImportText.pathField] ?? ""))]
  }

  func bindings(in context: AppContext) -> [KeyBinding] { FormKeys.standard.bindings }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let body = area.body
    buffer.fill(body, style: .plain)
    let cursor = form.render(into: &buffer, area: body.inset(dx: 4, dy: 1))
    buffer.write(EditText.saveKeys, x: body.x + 4, y: body.maxY - 1, style: .muted)
    return cursor
  }
}

/// Why an import was refused: every rejected row; nothing was written.
struct ImportReportOverlay: Overlay {
  let title: String
  let lines: [String]
  var list = ListState()

  enum Action { case close, move }
  static let keymap = Keymap<Action>([
    (ListKeys.move, .move),
    (KeyBinding([.pageUp, .pageDown], "PgUp/PgDn", AppText.keyPage), .move),
    (KeyBinding([.escape, .enter, .character("q")], "Esc", AppText.keyBack), .close),
  ])

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    switch Self.keymap.action(for: key) {
    case .close?: return [.dismiss]
    case .move?:
      _ = list.handle(key, count: lines.count, pageSize: max(1, context.contentRows - 4))
      return []
    case nil: return []
    }
  }

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let body = area.body
    buffer.fill(body, style: .plain)
    buffer.write(title, x: body.x + 2, y: body.y, maxWidth: body.width - 4, style: .error)
    var table = Table(
      columns: [TableColumn(ImportText.columnProblem, width: body.width - 4)],
      rows: lines.map { [$0] })
    table.state = list
    table.render(
      into: &buffer,
      area: Rect(x: body.x + 2, y: body.y + 2, width: body.width - 4, height: body.height - 3),
      focused: true)
    buffer.write(ImportText.reportClose, x: body.x + 2, y: body.maxY - 1, style: .muted)
    return nil
  }
}
