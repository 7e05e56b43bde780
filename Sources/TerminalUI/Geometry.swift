/// A terminal size in columns and rows.
public struct Size: Equatable, Hashable, Sendable, CustomStringConvertible {
  public var columns: Int
  public var rows: Int
  public init(columns: Int, rows: Int) {
    self.columns = columns
    self.rows = rows
  }
  public var description: String { "\(columns)x\(rows)" }
}

/// A rectangle of cells: origin at the top left, x to the right, y down.
public struct Rect: Equatable, Hashable, Sendable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }
  public var maxX: Int { x + width }
  public var maxY: Int { y + height }
  public var isEmpty: Bool { width == 0 || height == 0 }

  /// This rectangle with `rows` taken off its top; returns (top, rest).
  public func splitTop(_ rows: Int) -> (Rect, Rect) {
    let r = min(max(0, rows), height)
    return (
      Rect(x: x, y: y, width: width, height: r),
      Rect(x: x, y: y + r, width: width, height: height - r)
    )
  }

  /// This rectangle with `rows` taken off its bottom; returns (rest, bottom).
  public func splitBottom(_ rows: Int) -> (Rect, Rect) {
    let r = min(max(0, rows), height)
    return (
      Rect(x: x, y: y, width: width, height: height - r),
      Rect(x: x, y: y + height - r, width: width, height: r)
    )
  }

  /// Shrunk by `dx` columns and `dy` rows on every side.
  public func inset(dx: Int, dy: Int) -> Rect {
    Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
  }

  /// A rectangle of the given size centred in this one.
  public func centered(width w: Int, height h: Int) -> Rect {
    let cw = min(w, width)
    let ch = min(h, height)
    return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
  }
}
