import Foundation

/// Folding of what a clerk types with a Chinese input method into plain ASCII: full-width
/// digits and letters (０-９, Ｘ) become half-width, the ideographic space is whitespace, and
/// the several dashes become "-".
enum TextFolding {
  /// Full-width ASCII variants U+FF01...U+FF5E map to U+0021...U+007E.
  static func halfWidth(_ character: Character) -> Character {
    guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first
    else { return character }
    switch scalar.value {
    case 0xFF01...0xFF5E:
      return Character(Unicode.Scalar(scalar.value - 0xFEE0)!)
    case 0x2010...0x2015, 0x2212, 0x30FC:
      // hyphen, non-breaking hyphen, figure dash, en dash, em dash, bar, minus, prolonged mark
      return "-"
    default:
      return character
    }
  }

  /// Half-width folding with all whitespace (including U+3000) removed.
  static func compact(_ raw: String) -> String {
    var result = ""
    result.reserveCapacity(raw.utf8.count)
    for character in raw where !character.isWhitespace {
      result.append(halfWidth(character))
    }
    return result
  }

  static func isASCIIDigit(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    return ascii >= 0x30 && ascii <= 0x39
  }

  static func isASCIIDigits<S: Sequence<Character>>(_ characters: S) -> Bool {
    characters.allSatisfy(isASCIIDigit)
  }

  static func digitValue(_ character: Character) -> Int? {
    guard isASCIIDigit(character), let ascii = character.asciiValue else { return nil }
    return Int(ascii - 0x30)
  }

  /// "7" padded with zeros to `width` digits: "007".
  static func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    guard digits.count < width else { return digits }
    return String(repeating: "0", count: width - digits.count) + digits
  }
}
