/// Display width of text in terminal columns, the way a UTF-8 terminal draws it.
///
/// We keep our own table rather than calling libc `wcwidth`: it is not visible through
/// Glibc, it depends on the locale, and the toolkit must not know the C layer. A test checks
/// this table against libc for the CJK we use. Ambiguous-width characters count as 1 (as
/// libc does in a UTF-8 locale); the UI chrome avoids them because some Chinese terminals
/// draw them 2 columns wide.
public enum DisplayWidth {
  /// Columns taken by one Unicode scalar: 0 for combining marks and controls, 2 for
  /// East Asian wide and fullwidth characters, else 1.
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v == 0 { return 0 }
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    if v < 0x300 { return 1 }
    if isZeroWidth(v) { return 0 }
    return isWide(v) ? 2 : 1
  }

  /// Columns taken by one grapheme cluster: the width of its first scalar that has width
  /// (combining marks and variation selectors add nothing).
  public static func of(_ character: Character) -> Int {
    var width = 0
    for scalar in character.unicodeScalars {
      let w = of(scalar)
      if w > 0 {
        width = w
        break
      }
    }
    return width
  }

  /// Columns taken by a whole string.
  public static func of(_ text: some StringProtocol) -> Int {
    var total = 0
    for character in text { total += of(character) }
    return total
  }

  private static func isZeroWidth(_ v: UInt32) -> Bool {
    switch v {
    case 0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A, 0x064B...0x065F,
      0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x20D0...0x20FF, 0xFE00...0xFE0F,
      0xFE20...0xFE2F, 0xFEFF, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0xE0100...0xE01EF:
      return true
    default:
      return false
    }
  }

  private static func isWide(_ v: UInt32) -> Bool {
    switch v {
    case 0x1100...0x115F,  // Hangul Jamo initials
      0x2E80...0x303E,  // CJK radicals, Kangxi, CJK symbols and punctuation (、。「」)
      0x3041...0x33FF,  // kana, bopomofo, Hangul compatibility, enclosed CJK, CJK compatibility
      0x3400...0x4DBF,  // CJK extension A
      0x4E00...0x9FFF,  // CJK unified ideographs
      0xA000...0xA4CF,  // Yi
      0xA960...0xA97F,  // Hangul Jamo extended A
      0xAC00...0xD7A3,  // Hangul syllables
      0xF900...0xFAFF,  // CJK compatibility ideographs
      0xFE10...0xFE19,  // vertical forms
      0xFE30...0xFE6F,  // CJK compatibility forms, small forms
      0xFF00...0xFF60,  // fullwidth forms (，（）：０-９)
      0xFFE0...0xFFE6,  // fullwidth signs
      0x1F300...0x1F64F,  // pictographs, emoticons
      0x1F900...0x1F9FF,  // supplemental symbols and pictographs
      0x20000...0x2FFFD,  // CJK extensions B–F
      0x30000...0x3FFFD:  // CJK extension G
      return true
    default:
      return false
    }
  }
}

extension StringProtocol {
  /// Terminal columns this text takes (see `DisplayWidth`).
  public var displayWidth: Int { DisplayWidth.of(self) }
}

extension String {
  /// The longest prefix that fits in `columns`, never splitting a wide character.
  public func prefix(columns: Int) -> String {
    guard columns > 0 else { return "" }
    var used = 0
    var end = startIndex
    for index in indices {
      let w = DisplayWidth.of(self[index])
      if used + w > columns { break }
      used += w
      end = self.index(after: index)
    }
    return String(self[startIndex..<end])
  }

  /// This text cut to `columns` (with ".." when cut, if there is room) and padded with
  /// spaces to exactly `columns`.
  public func fitted(columns: Int, ellipsis: Bool = true) -> String {
    guard columns > 0 else { return "" }
    let width = displayWidth
    if width <= columns { return self + String(repeating: " ", count: columns - width) }
    let marker = ellipsis && columns > 3 ? ".." : ""
    let cut = prefix(columns: columns - marker.count) + marker
    return cut + String(repeating: " ", count: columns - cut.displayWidth)
  }
}
