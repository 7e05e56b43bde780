/// What a widget did with a key: it either used it, or leaves it to its parent.
public enum KeyResult: Equatable, Sendable {
  /// The widget used the key (even when it changed nothing, e.g. Left at the start of a field).
  case handled
  /// The widget has no use for the key: the parent should handle it.
  case ignored
}

extension Character {
  /// Whether this character can be typed into a text field: not a control character
  /// (C0, DEL, C1) and not a line or paragraph separator.
  var isTypable: Bool {
    guard let first = unicodeScalars.first else { return false }
    let v = first.value
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return false }
    if v == 0x2028 || v == 0x2029 { return false }
    return true
  }
}

extension String {
  /// This text with leading and trailing white space (including the ideographic space
  /// U+3000) removed.
  var trimmedWhitespace: String {
    var slice = Substring(self)
    while let first = slice.first, first.isWhitespace { slice.removeFirst() }
    while let last = slice.last, last.isWhitespace { slice.removeLast() }
    return String(slice)
  }

  /// This text broken into lines of at most `columns` display columns: at each "\n", and
  /// between characters where a line would overflow (Chinese text has no spaces to break
  /// at, so lines break between any two characters; a wide character is never split).
  /// A character wider than `columns` gets a line of its own.
  public func wrapped(columns: Int) -> [String] {
    let limit = max(1, columns)
    var lines: [String] = []
    for paragraph in split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var width = 0
      for character in paragraph {
        let w = DisplayWidth.of(character)
        if width + w > limit, !line.isEmpty {
          lines.append(line)
          line = ""
          width = 0
        }
        line.append(character)
        width += w
      }
      lines.append(line)
    }
    return lines
  }

  /// This text cut to `columns` like `fitted(columns:)`, but padded on the left so it
  /// ends at the right edge (for numbers in a right-aligned column).
  public func fittedRight(columns: Int, ellipsis: Bool = true) -> String {
    guard columns > 0 else { return "" }
    let width = displayWidth
    if width <= columns { return String(repeating: " ", count: columns - width) + self }
    return fitted(columns: columns, ellipsis: ellipsis)
  }
}
