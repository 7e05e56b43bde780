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

  /// "12-05": month and day, for tight table columns.
  public var monthDay: String {
    (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)"
  }

  // MARK: Day arithmetic (proleptic Gregorian, no time zone)

  /// Days since 1970-01-01 (negative before it).
  public var dayNumber: Int {
    // Howard Hinnant's days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146097 + dayOfEra - 719468
  }

  /// The date `dayNumber` days after 1970-01-01.
  public init(dayNumber: Int) {
    let z = dayNumber + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let dayOfEra = z - era * 146097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
  }

  public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

  /// Whole days from `self` to `other` (positive when `other` is later).
  public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

  /// 1 = Monday … 7 = Sunday (ISO 8601).
  public var weekday: Int { ((dayNumber % 7 + 7 + 3) % 7) + 1 }

  /// The Monday of this date's week: weeks for the weekly grid contact start on Monday.
  public var weekStart: CivilDate { adding(days: 1 - weekday) }
}

// Stored as "2026-11-29": readable in the data files and a third of the size of an object.
extension CivilDate {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    if let date = Self.parseStored(text) {
      self = date
      return
    }
    guard let date = CivilDate(text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "not a date: \(text)")
    }
    self = date
  }

  /// A date in its stored form "YYYY-MM-DD" (or any form `init?(_:)` reads); nil if none.
  public init?(stored text: String) {
    guard let date = Self.parseStored(text) ?? CivilDate(text) else { return nil }
    self = date
  }

  /// Only the stored form, exactly "YYYY-MM-DD" (a backup folder's name): nil for the other
  /// spellings `init?(_:)` accepts, so one date never has two names.
  public init?(exactly text: String) {
    guard let date = Self.parseStored(text) else { return nil }
    self = date
  }

  /// The stored form "YYYY-MM-DD" read byte by byte: a season's files hold ~400,000 dates,
  /// and the general parser's string splitting showed up in the open time.
  static func parseStored(_ text: String) -> CivilDate? {
    var text = text
    return text.withUTF8 { bytes -> CivilDate? in
      guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
      var numbers = [0, 0, 0]
      for (part, range) in [(0, 0..<4), (1, 5..<7), (2, 8..<10)] {
        for i in range {
          let digit = Int(bytes[i]) - 0x30
          guard (0...9).contains(digit) else { return nil }
          numbers[part] = numbers[part] * 10 + digit
        }
      }
      let date = CivilDate(year: numbers[0], month: numbers[1], day: numbers[2])
      return date.isValid ? date : nil
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
