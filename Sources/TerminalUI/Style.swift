/// The few colours the UI uses. The terminal layer maps them to colour pairs, or to
/// bold/reverse on a monochrome terminal.
public enum Color: Int, Sendable, Hashable, CaseIterable {
  case black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell is drawn.
public struct Style: Equatable, Hashable, Sendable {
  public var foreground: Color?
  public var background: Color?
  public var bold: Bool
  public var reverse: Bool
  public var underline: Bool
  public var dim: Bool

  public init(
    foreground: Color? = nil, background: Color? = nil, bold: Bool = false,
    reverse: Bool = false, underline: Bool = false, dim: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.reverse = reverse
    self.underline = underline
    self.dim = dim
  }

  public static let plain = Style()
  public static let bold = Style(bold: true)
  public static let reverse = Style(reverse: true)
  /// The highlighted row of a list or the focused field.
  public static let selected = Style(reverse: true)
  /// The top bar and the help bar.
  public static let bar = Style(foreground: .white, background: .blue)
  public static let title = Style(foreground: .cyan, bold: true)
  public static let error = Style(foreground: .red, bold: true)
  public static let warning = Style(foreground: .yellow, bold: true)
  public static let success = Style(foreground: .green)
  public static let muted = Style(dim: true)
  public static let key = Style(foreground: .yellow, bold: true)
  public static let underline = Style(underline: true)
}
