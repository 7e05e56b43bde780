/// A calendar date without a time zone: what a paper form records and what rules compare.
/// The model never reads the clock; `today` is always passed in.
public struct CivilDate: Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses "2026-11-29" (also "2026/11/29" and "20261129"); nil when not a real date.
  public init?(_ text: String) {
    let digits = text.filter(\.isNumber)
    let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
    let numbers: [Int]
    if parts.count == 3 {
      numbers = parts.compactMap { Int($0) }
    } else if digits.count == 8, digits.count == text.count {
      numbers = [
        Int(digits.prefix(4))!, Int(digits.dropFirst(4).prefix(2))!, Int(digits.suffix(2))!,
      ]
    } else {
      return nil
    }
    guard numbers.count == 3 else { return nil }
    self.init(year: numbers[0], month: numbers[1], day: numbers[2])
    guard isValid else { return nil }
  }

  public static func isLeapYear(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  public static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  public var isValid: Bool {
    (1...12).contains(month) && day >= 1 && day <= Self.daysInMonth(year: year, month: month)
  }

  public static func < (a: CivilDate, b: CivilDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  public var description: String {
    let m = month < 10 ? "0\(month)" : "\(month)"
    let d = day < 10 ? "0\(day)" : "\(day)"
    return "\(year)-\(m)-\(d)"
  }
}
