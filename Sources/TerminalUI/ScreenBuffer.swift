/// One terminal cell: a grapheme and its style. The right half of a double-width character
/// is a continuation cell with an empty symbol; the terminal layer skips it.
public struct Cell: Equatable, Hashable, Sendable {
  public var symbol: String
  public var style: Style

  public init(symbol: String = " ", style: Style = .plain) {
    self.symbol = symbol
    self.style = style
  }

  public static let blank = Cell()
  public var isContinuation: Bool { symbol.isEmpty }
}

/// A grid of cells that widgets draw into; a `Terminal` puts it on the screen.
///
/// Writes never split a double-width character at an edge (it is left out instead), and
/// overwriting either half of a wide character blanks its other half, so the buffer never
/// holds half a character.
public struct ScreenBuffer: Equatable, Sendable {
  public private(set) var size: Size
  public private(set) var cells: [Cell]

  public init(size: Size) {
    self.size = Size(columns: max(0, size.columns), rows: max(0, size.rows))
    self.cells = Array(repeating: .blank, count: self.size.columns * self.size.rows)
  }

  public var area: Rect { Rect(x: 0, y: 0, width: size.columns, height: size.rows) }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * size.columns + x] }
  }

  private func contains(x: Int, y: Int) -> Bool {
    x >= 0 && y >= 0 && x < size.columns && y < size.rows
  }

  /// Sets one cell, keeping wide characters whole.
  private mutating func setCell(x: Int, y: Int, _ cell: Cell) {
    let row = y * size.columns
    // Overwriting the right half of a wide character: blank its left half.
    if cells[row + x].isContinuation, x > 0 {
      cells[row + x - 1] = Cell(symbol: " ", style: cells[row + x - 1].style)
    }
    // Overwriting the left half of a wide character: blank its right half.
    if x + 1 < size.columns, cells[row + x + 1].isContinuation, !cell.isContinuation {
      cells[row + x + 1] = Cell(symbol: " ", style: cells[row + x + 1].style)
    }
    cells[row + x] = cell
  }

  /// Writes `text` from (x, y), at most `maxWidth` columns and never past the right edge.
  /// Returns the columns written. A wide character that would cross the limit is left out.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, maxWidth: Int = Int.max, style: Style = .plain
  ) -> Int {
    guard y >= 0, y < size.rows, x < size.columns, maxWidth > 0 else { return 0 }
    let limit = min(size.columns, x + min(maxWidth, size.columns))
    var column = x
    for character in text {
      let width = DisplayWidth.of(character)
      if width == 0 {
        // Control characters are dropped; combining marks join the previous cell.
        if character.unicodeScalars.first.map({ $0.value >= 0x20 }) == true, column > x,
          contains(x: column - 1, y: y)
        {
          var previous = column - 1
          if self[previous, y].isContinuation, previous > 0 { previous -= 1 }
          var cell = self[previous, y]
          cell.symbol.append(character)
          cells[y * size.columns + previous] = cell
        }
        continue
      }
      if column + width > limit { break }
      if column >= 0 {
        setCell(x: column, y: y, Cell(symbol: String(character), style: style))
        if width == 2 {
          // The continuation replaces whatever stood there, keeping neighbours whole.
          if column + 2 < size.columns, cells[y * size.columns + column + 2].isContinuation {
            cells[y * size.columns + column + 2] = Cell(
              symbol: " ", style: cells[y * size.columns + column + 2].style)
          }
          cells[y * size.columns + column + 1] = Cell(symbol: "", style: style)
        }
      }
      column += width
    }
    return column - x
  }

  /// Fills a rectangle with spaces in `style`.
  public mutating func fill(_ rect: Rect, style: Style = .plain) {
    let x0 = max(0, rect.x)
    let y0 = max(0, rect.y)
    let x1 = min(size.columns, rect.maxX)
    let y1 = min(size.rows, rect.maxY)
    guard x0 < x1, y0 < y1 else { return }
    for y in y0..<y1 {
      for x in x0..<x1 { setCell(x: x, y: y, Cell(symbol: " ", style: style)) }
      // A wide character whose left half was just outside the rectangle keeps nothing.
      if x1 < size.columns, cells[y * size.columns + x1].isContinuation {
        cells[y * size.columns + x1] = Cell(symbol: " ", style: cells[y * size.columns + x1].style)
      }
    }
  }

  /// Changes the style of every cell in `rect`, keeping the text.
  public mutating func restyle(_ rect: Rect, style: Style) {
    let x0 = max(0, rect.x)
    let y0 = max(0, rect.y)
    let x1 = min(size.columns, rect.maxX)
    let y1 = min(size.rows, rect.maxY)
    guard x0 < x1, y0 < y1 else { return }
    for y in y0..<y1 {
      for x in x0..<x1 { cells[y * size.columns + x].style = style }
    }
  }

  /// The text of row `y`, continuation cells left out, trailing spaces kept.
  public func line(_ y: Int) -> String {
    var text = ""
    for x in 0..<size.columns {
      let cell = self[x, y]
      if !cell.isContinuation { text += cell.symbol }
    }
    return text
  }

  /// Every row as text with trailing spaces removed: what a screen test compares.
  public var textLines: [String] {
    (0..<size.rows).map { y in
      var text = line(y)
      while text.last == " " { text.removeLast() }
      return text
    }
  }
}
