/// XML text as the package parts need it.
enum XMLText {
  /// `text` escaped for element content or a double-quoted attribute: & < > " ' as entities,
  /// a carriage return as &#13; (a parser would turn a bare one into a line feed), tab and
  /// line feed kept, and every character XML 1.0 cannot hold dropped (other C0 controls,
  /// U+FFFE, U+FFFF).
  static func escaped(_ text: String) -> String {
    guard text.utf8.contains(where: needsWork) else { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      case "\r": result += "&#13;"
      case "\t", "\n": result.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// Whether a UTF-8 byte may start something `escaped` changes (EF starts U+FFFE/U+FFFF).
  private static func needsWork(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<")
      || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
      || byte == 0xEF
  }

  /// Whether text needs xml:space="preserve" to keep its spaces (leading, trailing, or a line
  /// break or tab a reader might fold).
  static func needsPreserve(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else {
      return false
    }
    return first.properties.isWhitespace || last.properties.isWhitespace
      || text.utf8.contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
  }
}
