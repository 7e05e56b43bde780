/// A column of a `Table`: its title, width and alignment.
public struct TableColumn: Equatable, Sendable {
  public enum Alignment: Equatable, Sendable { case left, right }
  public var title: String
  /// Width in display columns. The last column of a table stretches (or shrinks) to fill
  /// the remaining width.
  public var width: Int
  public var alignment: Alignment

  public init(_ title: String, width: Int, alignment: Alignment = .left) {
    self.title = title
    self.width = width
    self.alignment = alignment
  }
}

/// A table of text: owns its columns, rows, per-row styles and selection.
///
/// Draws a bold header row, then the rows with one space between columns; cells are cut
/// with `fitted(columns:)` so a wide character is never split. The selected row is drawn in
/// `Style.selected` when the table has focus, bold and underlined when it has not. Rendering
/// scrolls vertically to keep the selection visible.
public struct Table: Equatable, Sendable {
  public var columns: [TableColumn]
  /// One array of cell texts per row; missing cells are blank, extra cells are not drawn.
  public var rows: [[String]]
  /// Style of particular rows (e.g. `Style.warning` for overdue ones); `.plain` otherwise.
  public var rowStyles: [Int: Style]
  public var state: ListState
  /// Drawn (muted) under the header when there are no rows.
  public var emptyText: String = ""

  public init(
    columns: [TableColumn], rows: [[String]] = [], rowStyles: [Int: Style] = [:],
    selected: Int = 0
  ) {
    self.columns = columns
    self.rows = rows
    self.rowStyles = rowStyles
    self.state = ListState(selected: selected)
    self.state.select(selected, count: rows.count)
  }

  /// The selected row, nil when there are no rows.
  public var selectedIndex: Int? {
    rows.isEmpty ? nil : min(max(0, state.selected), rows.count - 1)
  }

  /// The rows visible in `area` below the header: the page size to pass to `handle`.
  public static func pageSize(for area: Rect) -> Int { max(1, area.height - 1) }

  /// Moves the selection (see `ListState.handle`).
  public mutating func handle(_ key: Key, pageSize: Int) -> KeyResult {
    state.handle(key, count: rows.count, pageSize: pageSize)
  }

  /// The widths of the columns in a table `total` columns wide: the declared widths, the
  /// last one taking what is left after the others and the one-space gaps.
  public func columnWidths(total: Int) -> [Int] {
    guard !columns.isEmpty else { return [] }
    var widths = columns.map { max(0, $0.width) }
    let others = widths.dropLast().reduce(0, +) + (columns.count - 1)
    widths[widths.count - 1] = max(0, total - others)
    return widths
  }

  /// Draws the header in the first row of `area` and the rows below it, and scrolls
  /// (updating `state.offset`) so the selection is visible.
  public mutating func render(into buffer: inout ScreenBuffer, area: Rect, focused: Bool) {
    guard !area.isEmpty else { return }
    buffer.fill(area, style: .plain)
    let widths = columnWidths(total: area.width)
    let (header, body) = area.splitTop(1)
    Self.drawCells(
      columns.map(\.title), columns: columns, widths: widths, in: header, into: &buffer,
      style: .bold)
    state.scrollToSelection(height: body.height, count: rows.count)
    guard !body.isEmpty else { return }
    if rows.isEmpty {
      buffer.write(emptyText, x: body.x, y: body.y, maxWidth: body.width, style: .muted)
      return
    }
    for line in 0..<body.height {
      let index = state.offset + line
      guard index < rows.count else { break }
      let rowArea = Rect(x: body.x, y: body.y + line, width: body.width, height: 1)
      let style = ListRowStyle.style(
        base: rowStyles[index] ?? .plain, selected: index == state.selected, focused: focused)
      buffer.fill(rowArea, style: style)
      Self.drawCells(
        rows[index], columns: columns, widths: widths, in: rowArea, into: &buffer, style: style)
    }
  }

  private static func drawCells(
    _ cells: [String], columns: [TableColumn], widths: [Int], in row: Rect,
    into buffer: inout ScreenBuffer, style: Style
  ) {
    var x = row.x
    for (i, column) in columns.enumerated() {
      guard x < row.maxX else { break }
      let width = widths[i]
      let text = i < cells.count ? cells[i] : ""
      let cell =
        column.alignment == .right
        ? text.fittedRight(columns: width) : text.fitted(columns: width)
      buffer.write(cell, x: x, y: row.y, maxWidth: row.maxX - x, style: style)
      x += width + 1
    }
  }
}

/// How list-like widgets draw a row.
enum ListRowStyle {
  /// `Style.selected` for the selected row of a focused widget; the row's own style made
  /// bold and underlined for the selected row of an unfocused one; else the row's style.
  static func style(base: Style, selected: Bool, focused: Bool) -> Style {
    guard selected else { return base }
    if focused { return .selected }
    var style = base
    style.bold = true
    style.underline = true
    return style
  }
}
