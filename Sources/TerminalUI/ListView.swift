/// A one-column list of text: owns its items and selection. Behaves like a `Table` without
/// a header: the selected row is `Style.selected` when focused, bold and underlined when
/// not, and rendering scrolls to keep the selection visible.
public struct ListView: Equatable, Sendable {
  public var items: [String]
  public var state: ListState
  /// Drawn (muted) in the first row when there are no items.
  public var emptyText: String = ""

  public init(items: [String] = [], selected: Int = 0) {
    self.items = items
    self.state = ListState(selected: selected)
    self.state.select(selected, count: items.count)
  }

  /// The selected item, nil when there are no items.
  public var selectedIndex: Int? {
    items.isEmpty ? nil : min(max(0, state.selected), items.count - 1)
  }

  /// Moves the selection (see `ListState.handle`).
  public mutating func handle(_ key: Key, pageSize: Int) -> KeyResult {
    state.handle(key, count: items.count, pageSize: pageSize)
  }

  /// Draws one item per row of `area` and scrolls (updating `state.offset`) so the selection
  /// is visible.
  public mutating func render(into buffer: inout ScreenBuffer, area: Rect, focused: Bool) {
    guard !area.isEmpty else { return }
    buffer.fill(area, style: .plain)
    state.scrollToSelection(height: area.height, count: items.count)
    if items.isEmpty {
      buffer.write(emptyText, x: area.x, y: area.y, maxWidth: area.width, style: .muted)
      return
    }
    for line in 0..<area.height {
      let index = state.offset + line
      guard index < items.count else { break }
      let style = ListRowStyle.style(
        base: .plain, selected: index == state.selected, focused: focused)
      let row = Rect(x: area.x, y: area.y + line, width: area.width, height: 1)
      buffer.fill(row, style: style)
      buffer.write(
        items[index].fitted(columns: area.width), x: area.x, y: row.y, maxWidth: area.width,
        style: style)
    }
  }
}
