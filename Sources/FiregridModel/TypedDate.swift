/// Dates as a clerk types them from paper, the one parser of every date field: "2026-12-03",
/// "2026/12/3", "20261203", and the short "12-03", "12.3", "1203".
///
/// A short date belongs to the campaign being entered: its month and day in that winter
/// (September to December in the campaign's first year, January to August in the next),
/// never another year — typed on 2026-12-10, "12-25" is 2026-12-25 (and refused as later
/// than today), not last winter's 2025-12-25. A date outside the range the field allows is
/// refused with the range in the message, so the clerk is told before anything is saved.
public enum TypedDate {
  /// What the field accepts.
  public struct Range: Equatable, Sendable {
    public var earliest: CivilDate?
    public var latest: CivilDate?
    /// The winter a short date is placed in (its first year: 2026 for 2026-27).
    public var winterStartYear: Int
    /// `latest` is today: the message says so.
    public var latestIsToday: Bool
    /// `earliest` is the campaign's first day: the message says so.
    public var earliestIsCampaignStart = false

    public init(
      earliest: CivilDate?, latest: CivilDate?, winterStartYear: Int, latestIsToday: Bool = false
    ) {
      self.earliest = earliest
      self.latest = latest
      self.winterStartYear = winterStartYear
      self.latestIsToday = latestIsToday
    }

    /// A date of a visit or a report in `campaign`: from its first round to today.
    public static func visit(in campaign: Campaign, today: CivilDate) -> Range {
      var range = Range(
        earliest: campaign.rounds.first?.start, latest: today,
        winterStartYear: campaign.deploymentDeadline.year, latestIsToday: true)
      range.earliestIsCampaignStart = true
      return range
    }

    /// A deadline: from `from` on, within half a year (a typo of the year shows).
    public static func deadline(from: CivilDate, in campaign: Campaign) -> Range {
      Range(
        earliest: from, latest: from.adding(days: 183),
        winterStartYear: campaign.deploymentDeadline.year)
    }
  }

  public enum Problem: Equatable, Sendable, Error {
    case unreadable
    case tooEarly(CivilDate, isCampaignStart: Bool)
    case tooLate(CivilDate, isToday: Bool)

    public var message: String {
      switch self {
      case .unreadable: return ModelText.dateUnreadable
      case .tooEarly(let earliest, let isStart):
        return ModelText.dateTooEarly(earliest, isCampaignStart: isStart)
      case .tooLate(let latest, let isToday): return ModelText.dateTooLate(latest, isToday: isToday)
      }
    }
  }

  public static func parse(_ text: String, in range: Range) -> Result<CivilDate, Problem> {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    var date = CivilDate(trimmed)
    if date == nil {
      let parts = trimmed.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
      var monthDay: (Int, Int)?
      if parts.count == 2, let month = Int(parts[0]), let day = Int(parts[1]) {
        monthDay = (month, day)
      } else if trimmed.count == 4, trimmed.allSatisfy(\.isASCII), let number = Int(trimmed) {
        monthDay = (number / 100, number % 100)
      }
      if let (month, day) = monthDay {
        let year = month >= 9 ? range.winterStartYear : range.winterStartYear + 1
        let candidate = CivilDate(year: year, month: month, day: day)
        if candidate.isValid { date = candidate }
      }
    }
    guard let date, date.isValid else { return .failure(.unreadable) }
    if let earliest = range.earliest, date < earliest {
      return .failure(.tooEarly(earliest, isCampaignStart: range.earliestIsCampaignStart))
    }
    if let latest = range.latest, date > latest {
      return .failure(.tooLate(latest, isToday: range.latestIsToday))
    }
    return .success(date)
  }
}

extension ModelText {
  static let dateUnreadable = "日期格式不对，应如 2026-12-03 或 12-03"
  static func dateTooEarly(_ earliest: CivilDate, isCampaignStart: Bool) -> String {
    isCampaignStart
      ? "日期不能早于 \(earliest)（本次活动从这天开始；往年的纸质表不在本次活动中录入）"
      : "日期不能早于 \(earliest)"
  }
  static func dateTooLate(_ latest: CivilDate, isToday: Bool) -> String {
    isToday ? "日期不能晚于今天（\(latest)）" : "日期不能晚于 \(latest)"
  }
}
