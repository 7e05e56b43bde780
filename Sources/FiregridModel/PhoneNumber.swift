import Foundation

/// 电话号码 — a mainland mobile number (11 digits, 1[3-9]…) or a landline with its area code
/// (0 and 2–3 more digits, then a 7–8 digit local number starting 2–9), e.g. 0745-3123456.
///
/// Every function accepts what a clerk types: `normalized(_:)` is applied first.
public enum PhoneNumber {
  /// The two kinds of number accepted.
  public enum Kind: Equatable, Sendable {
    case mobile
    case landline
  }

  /// Folds full-width digits and dashes, removes spaces, and writes the number in one form:
  /// a mobile as 11 digits ("+86 138-0074-5678" → "13800745678"), a landline as area code,
  /// "-", local number ("(0745)3123456", "07453123456" → "0745-3123456"; area codes 010 and
  /// 020–029 have three digits, all others four). Anything else comes back folded but
  /// otherwise as typed, for `validate(_:)` to explain.
  public static func normalized(_ raw: String) -> String {
    var text = TextFolding.compact(raw)
    if text.hasPrefix("(") {
      text = String(text.dropFirst()).replacingOccurrences(of: ")", with: "-")
    }
    let digits = text.filter { $0 != "-" }
    guard TextFolding.isASCIIDigits(digits) || digits.hasPrefix("+") else { return text }
    var national = digits
    for prefix in ["+86", "0086", "86"] where national.hasPrefix(prefix) {
      let rest = String(national.dropFirst(prefix.count))
      if rest.count == 11, rest.hasPrefix("1") { national = rest }
      break
    }
    if national.count == 11, national.hasPrefix("1"), TextFolding.isASCIIDigits(national) {
      return national
    }
    if let (area, local) = landlineParts(text) { return area + "-" + local }
    return text
  }

  /// Which kind of number `raw` is, or nil when `validate(_:)` finds a problem.
  public static func kind(of raw: String) -> Kind? {
    let number = normalized(raw)
    if isMobile(number) { return .mobile }
    if landlineParts(number) != nil { return .landline }
    return nil
  }

  /// Checks `raw` after `normalized(_:)`: nil when it is a valid mobile or landline number,
  /// else what is wrong, in Simplified Chinese.
  public static func validate(_ raw: String) -> String? {
    let number = normalized(raw)
    if number.isEmpty { return ModelText.phoneEmpty }
    if kind(of: number) != nil { return nil }
    let digits = number.filter { $0 != "-" }
    guard !digits.isEmpty, TextFolding.isASCIIDigits(digits) else {
      return ModelText.phoneInvalidCharacters
    }
    if digits.hasPrefix("1") {
      if digits.count != 11 { return ModelText.phoneMobileWrongLength(digits.count) }
      return ModelText.phoneMobileBadPrefix
    }
    if digits.hasPrefix("0") { return ModelText.phoneLandlineInvalid }
    if (7...8).contains(digits.count) { return ModelText.phoneLandlineNeedsAreaCode }
    return ModelText.phoneUnrecognized
  }

  /// For display where the full number is not needed: a mobile as "138****5678", a landline
  /// as "0745-***3456"; anything else keeps at most its last 4 characters. Empty stays empty.
  public static func masked(_ raw: String) -> String {
    let number = normalized(raw)
    if isMobile(number) {
      return String(number.prefix(3)) + "****" + String(number.suffix(4))
    }
    if let (area, local) = landlineParts(number) {
      return area + "-" + String(repeating: "*", count: local.count - 4)
        + String(local.suffix(4))
    }
    let shown = max(0, min(4, number.count - 4))
    return String(repeating: "*", count: number.count - shown) + String(number.suffix(shown))
  }

  // MARK: - Internals on normalized text

  static func isMobile(_ number: String) -> Bool {
    let characters = Array(number)
    guard characters.count == 11, TextFolding.isASCIIDigits(characters), characters[0] == "1",
      let second = TextFolding.digitValue(characters[1])
    else { return false }
    return second >= 3
  }

  /// Area code and local number of a landline written "0745-3123456" or "07453123456".
  private static func landlineParts(_ text: String) -> (area: String, local: String)? {
    let pieces = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    let area: String
    let local: String
    switch pieces.count {
    case 1:
      let digits = pieces[0]
      let areaLength = digits.hasPrefix("01") || digits.hasPrefix("02") ? 3 : 4
      area = String(digits.prefix(areaLength))
      local = String(digits.dropFirst(areaLength))
    case 2:
      area = pieces[0]
      local = pieces[1]
    default:
      return nil
    }
    guard (3...4).contains(area.count), area.hasPrefix("0"), !area.hasPrefix("00"),
      TextFolding.isASCIIDigits(area),
      (7...8).contains(local.count), TextFolding.isASCIIDigits(local),
      let first = local.first.flatMap(TextFolding.digitValue), first >= 2
    else { return nil }
    return (area, local)
  }
}
