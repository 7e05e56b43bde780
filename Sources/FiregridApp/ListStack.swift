import TerminalUI

/// A stack of list levels, each a table with its own selection and filter: the roster
/// (villages → grids → households → one household) and the campaign lists (grids → one grid's
/// households) are both one of these. Levels are built by the screen that owns the stack
/// (`build`); the stack keeps the place, the filter being typed, and the way back.
struct ListStack<Level: Equatable>: Equatable {
  struct Frame: Equatable {
    var level: Level
    var table: Table
    /// Per row: the id of the record it shows.
    var rowIDs: [String]
    var filter: String
  }

  /// Builds a level's table with a filter; nil when its record is gone (an archived
  /// household, a deleted grid), so `reload` drops it.
  typealias Build = (Level, String) -> Frame?

  private(set) var frames: [Frame]
  /// Typing a filter after `f`.
  private(set) var filtering = false
  private(set) var filterField: TextField
  private let filterLimit: Int

  init(_ first: Frame, filterLimit: Int) {
    frames = [first]
    self.filterLimit = filterLimit
    filterField = TextField(maxLength: filterLimit)
  }

  var current: Frame { frames[frames.count - 1] }

  /// The id of the selected row, if any.
  var selectedID: String? {
    guard let row = current.table.selectedIndex, row < current.rowIDs.count else { return nil }
    return current.rowIDs[row]
  }

  mutating func push(_ frame: Frame) {
    filtering = false
    frames.append(frame)
  }

  /// Back one level; false at the top.
  mutating func pop() -> Bool {
    guard frames.count > 1 else { return false }
    frames.removeLast()
    return true
  }

  /// Replaces the whole stack (a jump from a search hit).
  mutating func replace(with frames: [Frame]) {
    guard !frames.isEmpty else { return }
    filtering = false
    self.frames = frames
  }

  mutating func select(_ id: String) {
    if let row = current.rowIDs.firstIndex(of: id) {
      frames[frames.count - 1].table.state.select(row, count: current.rowIDs.count)
    }
  }

  /// Moves the selection (j/k, PgUp/PgDn, g/G); false when the key is not a move.
  mutating func move(_ key: Key, pageSize: Int) -> Bool {
    frames[frames.count - 1].table.handle(key, pageSize: pageSize) == .handled
  }

  /// Rebuilds every level after the data changed, keeping selections and filters; levels
  /// whose record is gone are left, and an empty stack starts again at `top`.
  mutating func reload(_ build: Build, top: Level, select id: String? = nil) {
    update(build, top: top) { _ in .rebuild }
    if let id { select(id) }
  }

  /// What a change does to one level: nothing, some rows redrawn in place, or its table built
  /// again.
  enum Refresh {
    case keep
    /// These rows (by row id) with these cells and style; the level keeps its rows and their
    /// order (a filter that might now keep or drop a row asks for `rebuild` instead).
    case rows([(id: String, cells: [String], style: Style?)])
    /// The level as the screen made it from the one shown (a row put in or taken out), as
    /// `build` would have made it.
    case frame(Frame)
    case rebuild
  }

  /// Brings each level up to date as `refresh` says, keeping selections and filters; a level
  /// whose record is gone is left with those above it, and an empty stack starts again at
  /// `top`. When `refresh` is right about what changed, the stack is the one `reload` makes.
  mutating func update(_ build: Build, top: Level, _ refresh: (Frame) -> Refresh) {
    var kept: [Frame] = []
    levels: for frame in frames {
      switch refresh(frame) {
      case .keep:
        kept.append(frame)
      case .rows(let rows):
        var patched = frame
        for row in rows {
          guard let at = frame.rowIDs.firstIndex(of: row.id) else { continue }
          patched.table.rows[at] = row.cells
          patched.table.rowStyles[at] = row.style
        }
        kept.append(patched)
      case .frame(var rebuilt):
        rebuilt.table.state = frame.table.state
        rebuilt.table.state.select(
          min(frame.table.state.selected, max(0, rebuilt.rowIDs.count - 1)),
          count: rebuilt.rowIDs.count)
        kept.append(rebuilt)
      case .rebuild:
        guard var rebuilt = build(frame.level, frame.filter) else { break levels }
        rebuilt.table.state = frame.table.state
        rebuilt.table.state.select(
          min(frame.table.state.selected, max(0, rebuilt.rowIDs.count - 1)),
          count: rebuilt.rowIDs.count)
        kept.append(rebuilt)
      }
    }
    if kept.isEmpty, let first = build(top, "") { kept = [first] }
    if !kept.isEmpty { frames = kept }
  }

  /// Rebuilds the current level (after a filter or a reveal), keeping the selection.
  mutating func refresh(_ build: Build, filter: String? = nil) {
    let frame = current
    guard var rebuilt = build(frame.level, filter ?? frame.filter) else { return }
    if filter == nil {
      rebuilt.table.state = frame.table.state
      if let selected = frame.table.selectedIndex {
        rebuilt.table.state.select(selected, count: rebuilt.rowIDs.count)
      }
    }
    frames[frames.count - 1] = rebuilt
  }

  // MARK: The filter

  /// `f`: starts typing a filter on the current level.
  mutating func startFilter() {
    filtering = true
    filterField = TextField(text: current.filter, maxLength: filterLimit)
  }

  /// Esc on a filtered level clears the filter; false when there was none.
  mutating func clearFilter(_ build: Build) -> Bool {
    guard !current.filter.isEmpty else { return false }
    refresh(build, filter: "")
    return true
  }

  /// A key while the filter is typed: Enter keeps it, Esc clears it, Up/Down move in the
  /// filtered rows, anything else edits it.
  mutating func handleFilterKey(_ key: Key, pageSize: Int, build: Build) {
    switch Self.filterKeys.action(for: key) {
    case .accept?:
      filtering = false
    case .clear?:
      filtering = false
      refresh(build, filter: "")
    case .move?:
      _ = move(key, pageSize: pageSize)
    case nil:
      if filterField.handle(key) == .handled { refresh(build, filter: filterField.text) }
    }
  }

  enum FilterAction { case accept, clear, move }

  /// The keys while a filter is typed (besides the text itself).
  static var filterKeys: Keymap<FilterAction> {
    Keymap([
      (KeyBinding([.enter], "Enter", AppText.keyAccept), .accept),
      (KeyBinding([.escape], "Esc", AppText.keyClear), .clear),
      (KeyBinding([.up, .down, .pageUp, .pageDown], "Up/Down", AppText.keyMove), .move),
    ])
  }
}

extension ListStack.Frame {
  /// A level's table from its built rows, keeping only the rows whose text contains `filter`
  /// (any case; every cell of the row); `emptyText` when nothing is filtered and there are no
  /// rows, 无匹配 when the filter left none. The campaign lists and 督查 share it.
  init(
    level: Level, columns: [TableColumn], rows: [[String]], ids: [String],
    styles: [Int: Style], filter: String, emptyText: String
  ) {
    var rows = rows
    var ids = ids
    var styles = styles
    if !filter.isEmpty {
      let needle = filter.lowercased()
      let keep = rows.indices.filter {
        rows[$0].joined(separator: " ").lowercased().contains(needle)
      }
      var keptStyles: [Int: Style] = [:]
      for (new, old) in keep.enumerated() { keptStyles[new] = styles[old] }
      rows = keep.map { rows[$0] }
      ids = keep.map { ids[$0] }
      styles = keptStyles
    }
    var table = Table(columns: columns, rows: rows, rowStyles: styles)
    table.emptyText = filter.isEmpty ? emptyText : AppText.noMatches
    self.init(level: level, table: table, rowIDs: ids, filter: filter)
  }
}

/// The keys of moving in a list, as the list screens, the overlays' lists and the history
/// name them.
enum ListKeys {
  static let move = KeyBinding(
    [.up, .down, .character("j"), .character("k")], "j/k", AppText.keyMove)
  static let page = KeyBinding([.pageUp, .pageDown], "PgUp/PgDn", AppText.keyPage, inBar: false)
  static let firstLast = KeyBinding(
    [.home, .end, .character("g"), .character("G")], "g/G", AppText.keyFirstLast, inBar: false)
}
