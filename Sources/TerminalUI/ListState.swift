/// Selection and vertical scrolling of a list of rows, shared by `Table` and the app's lists.
/// Owns only two numbers; the rows belong to the widget.
public struct ListState: Equatable, Sendable {
  /// The selected row; 0 when the list is empty.
  public var selected: Int
  /// The first visible row.
  public var offset: Int

  public init(selected: Int = 0) {
    self.selected = max(0, selected)
    self.offset = 0
  }

  /// Moves the selection: Up/k and Down/j by one, PgUp/PgDn by `pageSize` (the view scrolls
  /// by a page too, like turning a page), Home/g to the first row, End/G to the last.
  /// The selection is clamped to the rows; every other key is `.ignored`.
  public mutating func handle(_ key: Key, count: Int, pageSize: Int) -> KeyResult {
    let page = max(1, pageSize)
    switch key {
    case .up, .character("k"):
      select(selected - 1, count: count)
    case .down, .character("j"):
      select(selected + 1, count: count)
    case .pageUp:
      select(selected - page, count: count)
      offset = max(0, offset - page)
    case .pageDown:
      select(selected + page, count: count)
      offset = max(0, min(offset + page, count - page))
    case .home, .character("g"):
      select(0, count: count)
    case .end, .character("G"):
      select(count - 1, count: count)
    default:
      return .ignored
    }
    return .handled
  }

  /// Selects `index`, clamped to 0..<count (0 when `count` is 0).
  public mutating func select(_ index: Int, count: Int) {
    selected = count > 0 ? min(max(0, index), count - 1) : 0
  }

  /// Adjusts `offset` so that `selected` is within [offset, offset + height).
  public mutating func scrollToSelection(height: Int) {
    guard height > 0 else { return }
    if selected < offset { offset = selected }
    if selected >= offset + height { offset = selected - height + 1 }
    offset = max(0, offset)
  }

  /// Clamps the selection to `count` rows and adjusts `offset` so the selection is visible
  /// and no rows past the end are shown while earlier rows are hidden (after rows were
  /// removed, say).
  public mutating func scrollToSelection(height: Int, count: Int) {
    select(selected, count: count)
    guard height > 0 else { return }
    offset = min(offset, max(0, count - height))
    scrollToSelection(height: height)
  }

  /// "selected/count" with the selection counted from 1, e.g. "3/100"; "0/0" when empty.
  /// For a caller that shows the position of a list that does not fit.
  public func position(count: Int) -> String {
    count > 0 ? "\(min(selected, count - 1) + 1)/\(count)" : "0/0"
  }
}
