/// One field of a `Form`, as data: what it is called, how it is edited and how it is
/// checked. All text (label, messages, hint) is passed in by the caller.
public struct FormField: Sendable {
  public enum Kind: Equatable, Sendable {
    /// Free text, at most `maxLength` characters.
    case text(maxLength: Int?)
    /// One of the options (the first is chosen when no value is given).
    case choice([String])
    /// A paper form's tick box: one key per answer (e.g. y 是, n 否, - 不适用); the key sets
    /// the value and moves to the next field, so a column of answers is a column of keys.
    case keyed([KeyedOption])
    /// A section title between fields (三清三关, 隐患排查, ...): drawn, never focused, no value.
    case heading
  }

  /// One answer of a `.keyed` field: the key that gives it, the value submitted, the label.
  public struct KeyedOption: Equatable, Sendable {
    public var key: Character
    public var value: String
    public var label: String
    public init(key: Character, value: String, label: String) {
      self.key = key
      self.value = value
      self.label = label
    }
  }

  /// Shows a field only while another field's value is one of `values` (a hazard's
  /// description only when 有隐患 is chosen). A hidden field is skipped, not checked, and
  /// submitted as "".
  public struct Condition: Sendable {
    public var fieldID: String
    /// Whether the other field's current value shows this one.
    public var holds: @Sendable (String) -> Bool

    /// Shown while the other field holds one of `values` exactly.
    public init(fieldID: String, values: Set<String>) {
      self.fieldID = fieldID
      self.holds = { values.contains($0) }
    }

    /// Shown while `holds` says so of the other field's value (a group among several typed
    /// in one field, say).
    public init(fieldID: String, holds: @escaping @Sendable (String) -> Bool) {
      self.fieldID = fieldID
      self.holds = holds
    }
  }

  /// The key of the field's value in the submitted dictionary.
  public var id: String
  public var label: String
  public var kind: Kind
  public var required: Bool
  /// Shown when the field is required and empty.
  public var requiredMessage: String
  /// Checks a non-empty value (already trimmed); returns an error message, or nil when the
  /// value is valid. An empty optional field is valid and not passed to it.
  public var validate: @Sendable (String) -> String?
  /// Muted help shown while the field has focus.
  public var hint: String
  /// When set, the field shows only while the condition holds.
  public var visibleWhen: Condition?
  /// For a choice: per option, another text typing finds it by (`ChoicePicker.searchKeys`).
  public var choiceSearchKeys: [String] = []
  /// For a `.keyed` field: the value `Y` gives it (the good answer: 是 / 无隐患 / 已做), nil
  /// when it has none and must be answered on its own (a house fact, a 复查 outcome).
  public var goodValue: String?

  public init(
    id: String, label: String, kind: Kind = .text(maxLength: nil), required: Bool = false,
    requiredMessage: String = "", hint: String = "", visibleWhen: Condition? = nil,
    goodValue: String? = nil, validate: @escaping @Sendable (String) -> String? = { _ in nil }
  ) {
    self.id = id
    self.label = label
    self.kind = kind
    self.required = required
    self.requiredMessage = requiredMessage
    self.hint = hint
    self.visibleWhen = visibleWhen
    self.goodValue = goodValue
    self.validate = validate
  }

  var isHeading: Bool { kind == .heading }
}

/// What a `Form` did with a key.
public enum FormOutcome: Equatable, Sendable {
  case handled
  /// The form has no use for the key (e.g. Esc): the screen should handle it.
  case ignored
  /// Every field is valid: the values by field id, trimmed of surrounding white space.
  case submitted([String: String])
}

/// The form engine: a form is data (fields in order, with validators) and this one engine
/// edits and draws any of them, so a new paper form is a new definition, not new screen
/// code. Owns the field values (one `TextField` or `ChoicePicker` per field), the focus,
/// the error shown per field, and the initial values (for `isDirty`).
public struct Form: Sendable {
  public var title: String
  public private(set) var fields: [FormField]
  /// Index of the focused field.
  public var focus: Int
  /// Field id → error message, for the fields whose error is shown.
  public private(set) var errors: [String: String]

  private var editors: [Editor]
  private var initialValues: [String]

  private enum Editor: Equatable, Sendable {
    case text(TextField)
    case choice(ChoicePicker)
    /// The chosen option's value, "" when unanswered.
    case keyed(options: [FormField.KeyedOption], value: String)
    case none

    var value: String {
      switch self {
      case .text(let field): return field.text
      case .choice(let picker): return picker.value
      case .keyed(_, let value): return value
      case .none: return ""
      }
    }
  }

  /// A form showing `fields` in order, with initial `values` by field id; the first field
  /// has focus.
  public init(title: String, fields: [FormField], values: [String: String] = [:]) {
    self.title = title
    self.fields = fields
    self.focus = 0
    self.errors = [:]
    self.editors = fields.map { field in
      let value = values[field.id] ?? ""
      switch field.kind {
      case .text(let maxLength):
        return .text(TextField(text: value, maxLength: maxLength))
      case .choice(let options):
        var picker = ChoicePicker(options: options, searchKeys: field.choiceSearchKeys)
        picker.select(value)
        return .choice(picker)
      case .keyed(let options):
        return .keyed(options: options, value: options.contains { $0.value == value } ? value : "")
      case .heading:
        return .none
      }
    }
    self.initialValues = editors.map(\.value)
    if let first = fields.indices.first(where: { isFocusable($0) }) { focus = first }
  }

  /// Whether field `i` is shown: not conditional, or its condition holds.
  public func isVisible(_ i: Int) -> Bool {
    guard let condition = fields[i].visibleWhen else { return true }
    return condition.holds(value(condition.fieldID))
  }

  private func isFocusable(_ i: Int) -> Bool { !fields[i].isHeading && isVisible(i) }

  /// The next focusable field after `i` (wrapping when asked), else nil.
  private func nextFocusable(after i: Int, wrap: Bool) -> Int? {
    let count = fields.count
    for step in 1...max(1, count) {
      let j = i + step
      if j >= count && !wrap { return nil }
      if isFocusable(j % count) { return j % count }
    }
    return nil
  }

  private func previousFocusable(before i: Int, wrap: Bool) -> Int? {
    let count = fields.count
    for step in 1...max(1, count) {
      let j = i - step
      if j < 0 && !wrap { return nil }
      if isFocusable((j + count) % count) { return (j + count) % count }
    }
    return nil
  }

  private func index(of id: String) -> Int? { fields.firstIndex { $0.id == id } }

  private var focusIndex: Int { fields.isEmpty ? 0 : min(max(0, focus), fields.count - 1) }

  /// The current value of field `id` as typed (not trimmed); "" for an unknown id.
  public func value(_ id: String) -> String {
    index(of: id).map { editors[$0].value } ?? ""
  }

  /// Every current value by field id, as typed (not trimmed).
  public var values: [String: String] {
    var result: [String: String] = [:]
    for (field, editor) in zip(fields, editors) { result[field.id] = editor.value }
    return result
  }

  /// Sets the value of field `id` (for a choice, only if it is one of the options). An error
  /// shown for the field is checked again.
  public mutating func setValue(_ value: String, for id: String) {
    guard let i = index(of: id) else { return }
    switch editors[i] {
    case .text(var field):
      field.setText(value)
      editors[i] = .text(field)
    case .choice(var picker):
      picker.select(value)
      editors[i] = .choice(picker)
    case .keyed(let options, _):
      if value.isEmpty || options.contains(where: { $0.value == value }) {
        editors[i] = .keyed(options: options, value: value)
      }
    case .none:
      break
    }
    if errors[id] != nil { errors[id] = error(at: i) }
  }

  /// Shows `message` as the error of field `id` (nil removes it), e.g. for a check that
  /// needs more than the field itself. It stays until the field is checked again.
  public mutating func setError(_ message: String?, for id: String) {
    guard index(of: id) != nil else { return }
    errors[id] = message
  }

  /// Whether any value differs from its initial value (or the value at the last
  /// `markClean()`).
  public var isDirty: Bool { editors.map(\.value) != initialValues }

  /// Takes the current values as the initial ones (after they were saved).
  public mutating func markClean() { initialValues = editors.map(\.value) }

  /// The id of the focused field, nil when the form has no fields.
  public var focusedFieldID: String? { fields.isEmpty ? nil : fields[focusIndex].id }

  /// Moves the focus to field `id` (if it can take the focus).
  public mutating func focusField(_ id: String) {
    if let i = index(of: id), isFocusable(i) { focus = i }
  }

  /// The error of field `i` for its current value: the required message when it is empty
  /// and required, else the validator's message; nil when valid. Hidden fields and headings
  /// are always valid.
  private func error(at i: Int) -> String? {
    guard isFocusable(i) else { return nil }
    let field = fields[i]
    let value = editors[i].value.trimmedWhitespace
    if value.isEmpty { return field.required ? field.requiredMessage : nil }
    if case .text(let text) = editors[i], text.isOverLimit, let limit = text.maxLength {
      return Self.overLimit(limit, count: value.count)
    }
    return field.validate(value)
  }

  /// Rows a long text field takes at most on screen (the rest is reached by scrolling it).
  static let wrapRows = 4

  // The form engine's own two messages (every other text comes from the caller): a field
  // never cuts what is typed or loaded without saying so.
  static func limitReached(_ limit: Int) -> String { "最多 \(limit) 个字，多出的没有录入" }
  static func overLimit(_ limit: Int, count: Int) -> String {
    "超过 \(limit) 个字（现有 \(count) 个），请删减后再保存"
  }

  /// Checks every field, shows every error, and returns whether all are valid.
  @discardableResult
  public mutating func validateAll() -> Bool {
    errors = [:]
    for i in fields.indices {
      if let message = error(at: i) { errors[fields[i].id] = message }
    }
    return errors.isEmpty
  }

  /// Checks the field being left. Leaving backwards does not newly complain that a
  /// required field is empty (the clerk may be going back to fix an earlier field), but
  /// does show a validator's message and updates an error already shown.
  private mutating func leave(_ i: Int, forward: Bool) {
    let id = fields[i].id
    let message = error(at: i)
    let isMissing = editors[i].value.trimmedWhitespace.isEmpty
    if forward || errors[id] != nil || !isMissing {
      errors[id] = message
    }
  }

  /// - Tab, Down, and Enter on any field but the last: check the field being left (showing
  ///   its error, but moving anyway) and focus the next one; Tab wraps from the last field
  ///   to the first, Down stays on the last.
  /// - Shift-Tab, Up: focus the previous field (Shift-Tab wraps to the last).
  /// - Enter on the last field, or Ctrl-S: check every field; if any is invalid, focus the
  ///   first invalid one and return `.handled`, else return `.submitted` with the trimmed
  ///   values.
  /// - `Y` on a tick box (`.keyed`) answers the rest of its section (`sectionKey`).
  /// - Any other key goes to the focused field's editor (`.ignored` if it has no use
  ///   for it, e.g. Esc). Editing a field whose error is shown checks it again, so the error
  ///   goes away as soon as it is fixed.
  public mutating func handle(_ key: Key) -> FormOutcome {
    if key == .control("s") { return submit() }
    guard !fields.isEmpty else { return key == .enter ? submit() : .ignored }
    let current = focusIndex
    focus = current
    switch key {
    case .tab:
      leave(current, forward: true)
      focus = nextFocusable(after: current, wrap: true) ?? current
    case .down:
      leave(current, forward: true)
      focus = nextFocusable(after: current, wrap: false) ?? current
    case .enter:
      guard let next = nextFocusable(after: current, wrap: false) else { return submit() }
      leave(current, forward: true)
      focus = next
    case .backTab:
      leave(current, forward: false)
      focus = previousFocusable(before: current, wrap: true) ?? current
    case .up:
      leave(current, forward: false)
      focus = previousFocusable(before: current, wrap: false) ?? current
    default:
      let before = editors[current].value
      let result: KeyResult
      switch editors[current] {
      case .text(var field):
        result = field.handle(key)
        editors[current] = .text(field)
      case .choice(var picker):
        result = picker.handle(key)
        editors[current] = .choice(picker)
      case .keyed(let options, _):
        result = handleKeyed(key, options: options, at: current)
      case .none:
        result = .ignored
      }
      let id = fields[current].id
      if case .text(let field) = editors[current], field.refusedAtLimit,
        let limit = field.maxLength
      {
        errors[id] = Self.limitReached(limit)
      } else if editors[current].value != before, errors[id] != nil {
        errors[id] = error(at: current)
      }
      return result == .handled ? .handled : .ignored
    }
    return .handled
  }

  /// An answer key (exact, else ignoring case) answers and moves on to the next field, which
  /// may be one the answer just revealed; Backspace/Delete clear the answer. `Y` (unless an
  /// option's own key) answers the rest of the section: `answerSection(at:)`.
  private mutating func handleKeyed(_ key: Key, options: [FormField.KeyedOption], at i: Int)
    -> KeyResult
  {
    switch key {
    case .backspace, .delete:
      editors[i] = .keyed(options: options, value: "")
      return .handled
    case .character(Self.sectionKey) where !options.contains(where: { $0.key == Self.sectionKey }):
      answerSection(at: i)
      return .handled
    case .character(let c):
      guard
        let option = options.first(where: { $0.key == c })
          ?? options.first(where: { $0.key.lowercased() == c.lowercased() })
      else { return .ignored }
      editors[i] = .keyed(options: options, value: option.value)
      errors[fields[i].id] = nil
      if let next = nextFocusable(after: i, wrap: false) { focus = next }
      return .handled
    default:
      return .ignored
    }
  }

  /// The key that answers a whole section. `y` is always the good answer, one field at a
  /// time; shift-`y` is the same answer for the whole column: the paper's section is where a
  /// clerk sees a run of ticks in the good column, and a section is small enough to read at a
  /// glance before one key fills it. Answers already given (an `n` typed first) are kept.
  public static let sectionKey: Character = "Y"

  /// The fields of the section around field `i`: between the headings before and after it.
  private func sectionRange(around i: Int) -> Range<Int> {
    let start = fields[..<i].lastIndex(where: \.isHeading).map { $0 + 1 } ?? 0
    let end = fields[(i + 1)...].firstIndex(where: \.isHeading) ?? fields.count
    return start..<end
  }

  /// Whether field `i` still needs an answer: shown, empty, and a tick box or required.
  private func isUnanswered(_ i: Int) -> Bool {
    guard isFocusable(i), editors[i].value.trimmedWhitespace.isEmpty else { return false }
    if case .keyed = editors[i] { return true }
    return fields[i].required
  }

  /// `Y`: every shown, unanswered tick box of the section around field `i` that has a
  /// `goodValue` takes it. Then the focus goes to the first unanswered field after the section
  /// (sections already complete are passed), or to the next field when none is left (after
  /// the section, else after field `i`: the last section's 备注); while
  /// the section still has a field `Y` cannot answer, the focus stays in it, on that field,
  /// with its required message.
  private mutating func answerSection(at i: Int) {
    let section = sectionRange(around: i)
    for j in section where isFocusable(j) {
      guard case .keyed(let options, let value) = editors[j], value.isEmpty,
        let good = fields[j].goodValue, options.contains(where: { $0.value == good })
      else { continue }
      editors[j] = .keyed(options: options, value: good)
      errors[fields[j].id] = nil
    }
    let left = isUnanswered(i) ? i : section.first(where: isUnanswered)
    if let left {
      focus = left
      let field = fields[left]
      if !field.requiredMessage.isEmpty { errors[field.id] = field.requiredMessage }
      return
    }
    if let next = fields.indices[section.upperBound...].first(where: isUnanswered)
      ?? nextFocusable(after: section.upperBound - 1, wrap: false)
      ?? nextFocusable(after: i, wrap: false)
    {
      focus = next
    }
  }

  private mutating func submit() -> FormOutcome {
    guard validateAll() else {
      if let first = fields.indices.first(where: { errors[fields[$0].id] != nil }) {
        focus = first
      }
      return .handled
    }
    var result: [String: String] = [:]
    for (i, (field, editor)) in zip(fields, editors).enumerated() where !field.isHeading {
      result[field.id] = isVisible(i) ? editor.value.trimmedWhitespace : ""
    }
    return .submitted(result)
  }

  /// Draws the title (`Style.title`) in the first row of `area` (no row when the title is
  /// empty), then one row per field: a "*" (`Style.error`) for a required field and the label
  /// right-aligned in a label column, a space, and the editor (a text field underlined and
  /// as wide as its `maxLength` allows, or "< option >"); the focused field's label is in
  /// `Style.key`. A field's error (`Style.error`) is on the row below it, under the editor.
  /// The focused field's hint (`Style.muted`) follows the fields after a blank row. When the
  /// fields do not fit, they scroll so the focused one is visible.
  /// Returns the cursor position when the focused field is a visible text field.
  public func render(into buffer: inout ScreenBuffer, area: Rect) -> (x: Int, y: Int)? {
    guard !area.isEmpty else { return nil }
    buffer.fill(area, style: .plain)
    var top = area.y
    if !title.isEmpty {
      buffer.write(title, x: area.x, y: top, maxWidth: area.width, style: .title)
      top += 1
    }
    guard !fields.isEmpty, top < area.maxY else { return nil }
    let focused = focusIndex

    // Rows for the fields: all that is left, less a blank row and a hint row if any field
    // has a hint and there is room for them.
    var fieldRows = area.maxY - top
    if fields.contains(where: { !$0.hint.isEmpty }), fieldRows >= 4 { fieldRows -= 2 }
    let widest = fields.filter { !$0.isHeading }.map(\.label.displayWidth).max() ?? 0
    let labelColumn = min(widest + 1, area.width / 2)
    let editorX = area.x + labelColumn + 1
    let editorSpace = max(0, area.maxX - editorX)
    // Long text (备注, a hazard's description) wraps onto the rows below its field, up to
    // `wrapRows` in all, so what was typed can be read whole, not only the part in view.
    let wraps: [[String]] = editors.map { editor in
      guard case .text(let field) = editor, editorSpace > 4,
        field.text.displayWidth > editorSpace - 1
      else { return [] }
      return Array(field.text.wrapped(columns: editorSpace - 1).prefix(Self.wrapRows))
    }
    // Not being edited: the wrapped text in place of the field (its lines after the first are
    // extra rows). Being edited: the scrolling line, and the whole text wrapped below it.
    let heights = fields.indices.map { i in
      !isVisible(i)
        ? 0
        : (errors[fields[i].id] == nil ? 1 : 2)
          + (i == focused ? wraps[i].count : max(0, wraps[i].count - 1))
    }
    var start = 0
    while start < focused, heights[start...focused].reduce(0, +) > fieldRows { start += 1 }

    var cursor: (x: Int, y: Int)?
    var y = top
    let limit = top + fieldRows
    for i in start..<fields.count where isVisible(i) {
      guard y < limit else { break }
      let field = fields[i]
      let isFocused = i == focused
      if field.isHeading {
        buffer.write(field.label, x: area.x, y: y, maxWidth: area.width, style: .title)
        y += 1
        continue
      }
      let label = field.label.prefix(columns: max(0, labelColumn - 1))
      let labelX = area.x + labelColumn - label.displayWidth
      if field.required, labelX > area.x {
        buffer.write("*", x: labelX - 1, y: y, style: .error)
      }
      buffer.write(label, x: labelX, y: y, style: isFocused ? .key : .plain)
      let editorArea = Rect(x: editorX, y: y, width: editorSpace, height: 1)
      switch editors[i] {
      case .text where !wraps[i].isEmpty && !isFocused:
        // Not being edited: the whole text, wrapped.
        for (offset, line) in wraps[i].enumerated() where y + offset < limit {
          buffer.write(line, x: editorX, y: y + offset, maxWidth: editorSpace, style: .plain)
        }
        y += wraps[i].count - 1
      case .text(let textField):
        var width = editorSpace
        if let maxLength = textField.maxLength { width = min(width, 2 * max(1, maxLength) + 1) }
        let style = Style(bold: isFocused, underline: true)
        let position = textField.render(
          into: &buffer, area: Rect(x: editorX, y: y, width: width, height: 1), style: style,
          focused: isFocused)
        if isFocused { cursor = position }
        for (offset, line) in wraps[i].enumerated() where y + 1 + offset < limit {
          buffer.write(line, x: editorX, y: y + 1 + offset, maxWidth: editorSpace, style: .muted)
        }
        y += wraps[i].count
      case .choice(let picker):
        picker.render(into: &buffer, area: editorArea, focused: isFocused)
      case .keyed(let options, let value):
        renderKeyed(options, value: value, into: &buffer, area: editorArea, focused: isFocused)
      case .none:
        break
      }
      y += 1
      if let message = errors[field.id], y < limit {
        buffer.write(message, x: editorX, y: y, maxWidth: editorSpace, style: .error)
        y += 1
      }
    }
    let hint = fields[focused].hint
    if !hint.isEmpty {
      let hintY = min(y + 1, area.maxY - 1)
      if hintY >= y {
        buffer.write(hint, x: area.x, y: hintY, maxWidth: area.width, style: .muted)
      }
    }
    return cursor
  }

  /// "[是    ]", the answer padded to the widest label; when focused, the keys follow
  /// ("y 是  n 否  - 不适用") so the clerk never has to remember them.
  private func renderKeyed(
    _ options: [FormField.KeyedOption], value: String, into buffer: inout ScreenBuffer,
    area: Rect, focused: Bool
  ) {
    let width = options.map(\.label.displayWidth).max() ?? 0
    let label = options.first { $0.value == value }?.label ?? ""
    var x = area.x
    let style: Style = focused ? .selected : .plain
    x += buffer.write("[", x: x, y: area.y, maxWidth: area.maxX - x, style: style)
    x += buffer.write(
      label.fitted(columns: width, ellipsis: false), x: x, y: area.y, maxWidth: area.maxX - x,
      style: focused ? .selected : (value.isEmpty ? .plain : .key))
    x += buffer.write("]", x: x, y: area.y, maxWidth: area.maxX - x, style: style)
    guard focused else { return }
    x += 2
    for option in options where x < area.maxX {
      x += buffer.write("\(option.key)", x: x, y: area.y, maxWidth: area.maxX - x, style: .key)
      x += buffer.write(
        " \(option.label)  ", x: x, y: area.y, maxWidth: area.maxX - x, style: .muted)
    }
  }
}
