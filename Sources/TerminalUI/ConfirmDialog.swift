/// What the user answered a `ConfirmDialog`.
public enum DialogOutcome: Equatable, Sendable { case confirmed, cancelled, pending }

/// A modal yes/no question: owns its title, message and the two key labels.
///
/// Drawn centred in a filled `Style.bar` box with a blank margin. No box-drawing
/// characters: they are ambiguous width and many Chinese terminals draw them two columns
/// wide, which breaks the frame.
public struct ConfirmDialog: Equatable, Sendable {
  public var title: String
  /// The question; "\n" starts a new line, and long lines wrap to the box.
  public var message: String
  /// e.g. "y 确定" (passed in by the caller)
  public var confirmLabel: String
  /// e.g. "n 取消" (passed in by the caller)
  public var cancelLabel: String

  public init(title: String, message: String, confirmLabel: String, cancelLabel: String) {
    self.title = title
    self.message = message
    self.confirmLabel = confirmLabel
    self.cancelLabel = cancelLabel
  }

  /// y, Y, Enter → `.confirmed`; n, N, Esc → `.cancelled`; any other key → `.pending`.
  public func handle(_ key: Key) -> DialogOutcome {
    switch key {
    case .character("y"), .character("Y"), .enter: return .confirmed
    case .character("n"), .character("N"), .escape: return .cancelled
    default: return .pending
    }
  }

  /// Columns between the two key labels.
  private static let buttonGap = 4
  /// Blank columns left and right of the text inside the box.
  private static let margin = 2

  /// The rectangle the box takes in `area`: as wide as its longest line plus the margins
  /// (at most `area`'s width less 2), as tall as its lines plus a blank row above and below.
  public func frame(in area: Rect) -> Rect {
    let lines = self.lines(maxWidth: max(1, area.width - 2 - 2 * Self.margin))
    let widest = lines.map(\.text.displayWidth).max() ?? 0
    return area.centered(width: widest + 2 * Self.margin, height: lines.count + 2)
  }

  private enum LineKind { case title, message, blank, buttons }

  private func lines(maxWidth: Int) -> [(text: String, kind: LineKind)] {
    var lines: [(text: String, kind: LineKind)] = []
    if !title.isEmpty {
      lines.append((title.prefix(columns: maxWidth), .title))
      lines.append(("", .blank))
    }
    for line in message.wrapped(columns: maxWidth) { lines.append((line, .message)) }
    lines.append(("", .blank))
    let buttons = confirmLabel + String(repeating: " ", count: Self.buttonGap) + cancelLabel
    lines.append((buttons.prefix(columns: maxWidth), .buttons))
    return lines
  }

  /// Draws the box centred in `area`: the title (bold) and the key labels centred, the
  /// message left-aligned and wrapped to the box.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard !area.isEmpty else { return }
    let box = frame(in: area)
    buffer.fill(box, style: .bar)
    let inner = box.inset(dx: Self.margin, dy: 1)
    let lines = self.lines(maxWidth: max(1, area.width - 2 - 2 * Self.margin))
    var titleStyle = Style.bar
    titleStyle.bold = true
    let keyStyle = Style(foreground: .yellow, background: .blue, bold: true)
    for (row, line) in lines.enumerated() {
      let y = inner.y + row
      guard y < inner.maxY else { break }
      switch line.kind {
      case .blank:
        continue
      case .message:
        buffer.write(line.text, x: inner.x, y: y, maxWidth: inner.width, style: .bar)
      case .title:
        let x = inner.x + max(0, (inner.width - line.text.displayWidth) / 2)
        buffer.write(line.text, x: x, y: y, maxWidth: inner.maxX - x, style: titleStyle)
      case .buttons:
        var x = inner.x + max(0, (inner.width - line.text.displayWidth) / 2)
        x += buffer.write(confirmLabel, x: x, y: y, maxWidth: inner.maxX - x, style: keyStyle)
        x += Self.buttonGap
        if x < inner.maxX {
          buffer.write(cancelLabel, x: x, y: y, maxWidth: inner.maxX - x, style: keyStyle)
        }
      }
    }
  }
}
