import Foundation

/// 公民身份号码 — the 18-character resident ID number of GB 11643-1999.
///
/// Layout: 6-digit region code (地址码), 8-digit birth date YYYYMMDD (出生日期码), 3-digit
/// sequence whose last digit is odd for men and even for women (顺序码), and a check character
/// (校验码) computed with ISO 7064 MOD 11-2, which may be X.
///
/// Every function accepts what a clerk types: `normalized(_:)` is applied first, so
/// full-width digits, a lowercase x and spaces are fine.
public enum IDNumber {
  /// The number of characters of a valid ID number.
  public static let length = 18
  /// The birth years accepted by `validate(_:)`.
  public static let birthYears = 1900...2100

  private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  private static let checkCharacters: [Character] = [
    "1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2",
  ]

  /// Removes all whitespace, folds full-width digits and letters (０-９, Ｘ) to ASCII and
  /// uppercases x: "４３１２２４ １９８００１０１ ００１ｘ" → "43122419800101001X".
  public static func normalized(_ raw: String) -> String {
    // Already normal (ASCII, no white space, no x), as stored numbers are: the string itself,
    // nothing allocated (`check` normalizes every person's number).
    let alreadyNormal = raw.utf8.allSatisfy { byte in
      byte < 0x80 && byte != 0x78 && !isASCIIWhitespace(byte)
    }
    return alreadyNormal ? raw : normalizedByCharacters(raw)
  }

  /// `normalized(_:)` character by character: what it does for any text.
  static func normalizedByCharacters(_ raw: String) -> String {
    var result = ""
    for character in TextFolding.compact(raw) {
      result.append(character == "x" ? "X" : character)
    }
    return result
  }

  /// The ASCII characters `Character.isWhitespace` takes: tab, line feed, vertical tab, form
  /// feed, carriage return and space ("\r\n", one Character, is white space too).
  private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }

  /// Checks `raw` after `normalized(_:)`; nil when it is a valid ID number.
  ///
  /// The problems are reported in this order: empty, characters other than digits and a final
  /// X, length, region code, birth date, check character. There is no "born in the future"
  /// check here, because the model never reads the clock: compare `birthCivilDate(of:)` with
  /// the date the caller passes in.
  public static func validate(_ raw: String) -> IDNumberProblem? {
    let checked = raw.utf8.withContiguousStorageIfAvailable { validate(ascii: $0) } ?? nil
    if let checked { return checked.problem }
    return validateByCharacters(raw)
  }

  /// What `validate(ascii:)` found: a number is valid when `problem` is nil.
  private struct Checked {
    var problem: IDNumberProblem?
  }

  /// `validate(_:)` on the UTF-8 bytes of text that is all ASCII, in one pass, without
  /// making a string or an array (`check` validates every person's number: the character path
  /// below allocated several times a number and was a third of the check). Nil when a byte is
  /// not ASCII (then the character path decides), except that a character other than a digit
  /// or X is answered as soon as it is met: whatever follows, it stays a character other than
  /// a digit or X (an ASCII character followed by a combining mark is one such Character).
  /// For ASCII, `normalized(_:)` removes the white space and uppercases x, and each byte left
  /// is one character.
  private static func validate(ascii bytes: UnsafeBufferPointer<UInt8>) -> Checked? {
    var count = 0
    var xInFirst17 = false
    var region: UInt8 = 0
    var last: UInt8 = 0
    var sum = 0
    var year = 0
    var month = 0
    var day = 0
    for byte in bytes {
      guard byte < 0x80 else { return nil }
      if isASCIIWhitespace(byte) { continue }
      let digit = Int(byte) - 0x30
      let isDigit = (0...9).contains(digit)
      guard isDigit || byte == 0x58 || byte == 0x78 else {
        return Checked(problem: .invalidCharacters)
      }
      switch count {
      case 0..<17:
        guard isDigit else {
          xInFirst17 = true
          break
        }
        if count == 0 { region = byte }
        sum += weights[count] * digit
        switch count {
        case 6..<10: year = year * 10 + digit
        case 10..<12: month = month * 10 + digit
        case 12..<14: day = day * 10 + digit
        default: break
        }
      case 17:
        last = byte == 0x78 ? 0x58 : byte
      default:
        break
      }
      count += 1
    }
    if count == 0 { return Checked(problem: .empty) }
    if count != length { return Checked(problem: .wrongLength(count)) }
    if xInFirst17 { return Checked(problem: .invalidCharacters) }
    if region == 0x30 { return Checked(problem: .badRegion) }
    guard birthYears.contains(year), CivilDate(year: year, month: month, day: day).isValid else {
      return Checked(problem: .badBirthDate)
    }
    let expected = checkCharacters[sum % 11]
    if last != expected.asciiValue { return Checked(problem: .badCheckDigit(expected: expected)) }
    return Checked(problem: nil)
  }

  /// `validate(_:)` character by character, after `normalized(_:)`: what it does for text
  /// that is not all ASCII (full-width digits, an ideographic space).
  static func validateByCharacters(_ raw: String) -> IDNumberProblem? {
    let id = Array(normalizedByCharacters(raw))
    if id.isEmpty { return .empty }
    if id.contains(where: { !TextFolding.isASCIIDigit($0) && $0 != "X" }) {
      return .invalidCharacters
    }
    if id.count != length { return .wrongLength(id.count) }
    if !TextFolding.isASCIIDigits(id[0..<17]) { return .invalidCharacters }
    if id[0] == "0" { return .badRegion }
    if birthCivilDate(digits: id) == nil { return .badBirthDate }
    let expected = checkCharacter(digits: id[0..<17])
    if id[17] != expected { return .badCheckDigit(expected: expected) }
    return nil
  }

  /// True when `validate(_:)` finds no problem.
  public static func isValid(_ raw: String) -> Bool { validate(raw) == nil }

  /// The check character for the first 17 digits, or nil when `first17` (after
  /// `normalized(_:)`) is not exactly 17 ASCII digits.
  public static func checkDigit(for first17: String) -> Character? {
    let digits = Array(normalized(first17))
    guard digits.count == 17, TextFolding.isASCIIDigits(digits) else { return nil }
    return checkCharacter(digits: digits[0...])
  }

  /// The birth date (year, month, day) encoded in positions 7–14, or nil when the number is
  /// not 18 characters long or the date is not a real date in `birthYears`.
  public static func birthDate(of id: String) -> DateComponents? {
    guard let date = birthCivilDate(of: id) else { return nil }
    return DateComponents(year: date.year, month: date.month, day: date.day)
  }

  /// The birth date as a `CivilDate`; nil under the same conditions as `birthDate(of:)`.
  public static func birthCivilDate(of id: String) -> CivilDate? {
    let characters = Array(normalized(id))
    guard characters.count == length else { return nil }
    return birthCivilDate(digits: characters)
  }

  /// 性别: the 17th digit is odd for men, even for women. Nil when the number is not 18
  /// characters long or the 17th character is not a digit.
  public static func sex(of id: String) -> Sex? {
    let characters = Array(normalized(id))
    guard characters.count == length, let digit = TextFolding.digitValue(characters[16])
    else { return nil }
    return digit % 2 == 1 ? .male : .female
  }

  /// Age in whole years on `today`, from the birth date in the number; nil when there is no
  /// valid birth date or it is after `today`.
  public static func age(of id: String, on today: CivilDate) -> Int? {
    guard let birth = birthCivilDate(of: id) else { return nil }
    return age(born: birth, on: today)
  }

  /// Age in whole years on `today` of someone born on `birth`; nil when `birth` is after
  /// `today`. Someone born on 29 February becomes a year older on 1 March in common years.
  public static func age(born birth: CivilDate, on today: CivilDate) -> Int? {
    guard birth <= today else { return nil }
    var years = today.year - birth.year
    if (today.month, today.day) < (birth.month, birth.day) { years -= 1 }
    return years
  }

  /// For display where the full number is not needed: the first 6 and last 4 characters with
  /// the rest starred, "431224********123X". Shorter input shows at most its last 4
  /// characters and stars at least 4; an empty string stays empty.
  public static func masked(_ id: String) -> String {
    let characters = Array(normalized(id))
    if characters.count >= 11 {
      return String(characters.prefix(6)) + String(repeating: "*", count: characters.count - 10)
        + String(characters.suffix(4))
    }
    let shown = max(0, min(4, characters.count - 4))
    return String(repeating: "*", count: characters.count - shown)
      + String(characters.suffix(shown))
  }

  /// Builds a valid number from its parts: `region` (6 digits), birth date and a sequence
  /// number 0...999 whose parity must match `sex`; nil when a part is out of range.
  public static func make(region: String, birth: CivilDate, sequence: Int) -> String? {
    let regionBytes = Array(region.utf8)
    guard regionBytes.count == 6, regionBytes.allSatisfy({ (0x30...0x39).contains($0) }),
      regionBytes[0] != 0x30, birth.isValid, birthYears.contains(birth.year),
      (0...999).contains(sequence)
    else { return nil }
    // Works on bytes: the demo generator makes tens of thousands of these.
    var digits = regionBytes.map { Int($0 - 0x30) }
    digits.reserveCapacity(length)
    for (value, width) in [(birth.year, 4), (birth.month, 2), (birth.day, 2), (sequence, 3)] {
      var divisor = 1
      for _ in 1..<width { divisor *= 10 }
      while divisor > 0 {
        digits.append(value / divisor % 10)
        divisor /= 10
      }
    }
    var sum = 0
    for (weight, digit) in zip(weights, digits) { sum += weight * digit }
    var bytes = digits.map { UInt8($0) + 0x30 }
    bytes.append(checkCharacters[sum % 11].asciiValue!)
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: - Internals on normalized characters

  private static func checkCharacter(digits: ArraySlice<Character>) -> Character {
    var sum = 0
    for (weight, character) in zip(weights, digits) {
      sum += weight * (TextFolding.digitValue(character) ?? 0)
    }
    return checkCharacters[sum % 11]
  }

  private static func birthCivilDate(digits id: [Character]) -> CivilDate? {
    guard id.count >= 14, TextFolding.isASCIIDigits(id[6..<14]),
      let year = Int(String(id[6..<10])), let month = Int(String(id[10..<12])),
      let day = Int(String(id[12..<14]))
    else { return nil }
    let date = CivilDate(year: year, month: month, day: day)
    guard birthYears.contains(year), date.isValid else { return nil }
    return date
  }
}

/// What is wrong with a 公民身份号码.
public enum IDNumberProblem: Equatable, Sendable {
  case empty
  /// The number of characters found (after normalization).
  case wrongLength(Int)
  case invalidCharacters
  case badRegion
  case badBirthDate
  case badCheckDigit(expected: Character)

  /// The problem in Simplified Chinese, e.g. "身份证号应为18位，现在是17位".
  public var message: String {
    switch self {
    case .empty: return ModelText.idEmpty
    case .wrongLength(let count): return ModelText.idWrongLength(count)
    case .invalidCharacters: return ModelText.idInvalidCharacters
    case .badRegion: return ModelText.idBadRegion
    case .badBirthDate: return ModelText.idBadBirthDate
    case .badCheckDigit(let expected): return ModelText.idBadCheckDigit(expected: expected)
    }
  }
}
