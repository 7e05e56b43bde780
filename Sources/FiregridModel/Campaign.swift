/// 冬春火灾防控 — one winter's door-knocking campaign, with the phases and rounds of the seed
/// (the town's plan of 2024-11-18): deployment meetings by 11-19, the full action from 11-20
/// with a first round by 11-30, then two rounds a month from December to the end of March.
/// Rounds, "current round" and "overdue" are computed from a date the caller passes in.
public struct Campaign: Codable, Equatable, Sendable {
  /// One pass over all households (敲门行动一轮).
  public struct Round: Codable, Equatable, Sendable {
    /// 1-based, in order.
    public var number: Int
    public var start: CivilDate
    /// The last day: a household not visited by then is overdue for this round.
    public var end: CivilDate

    public init(number: Int, start: CivilDate, end: CivilDate) {
      self.number = number
      self.start = start
      self.end = end
    }

    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }

    /// e.g. 第3轮（12-16至12-31）
    public var label: String { ModelText.roundLabel(number, start, end) }
  }

  /// The seed's three phases.
  public enum Phase: String, Codable, Sendable {
    /// 动员部署阶段: meetings, visitors and their households named.
    case deployment
    /// 全面行动阶段: the rounds.
    case action
    /// 总结提升阶段: after the last round (长期坚持).
    case consolidation
  }

  public var name: String
  /// The last day of the deployment phase (部署会 by then).
  public var deploymentDeadline: CivilDate
  public var rounds: [Round]

  public init(name: String, deploymentDeadline: CivilDate, rounds: [Round]) {
    self.name = name
    self.deploymentDeadline = deploymentDeadline
    self.rounds = rounds
  }

  /// The campaign of the winter that starts in `year`, from the seed's template: deployment
  /// until 11-19, round 1 from 11-20 to 11-30, then rounds on the 1st–15th and the
  /// 16th–end of each month from December to March (9 rounds).
  public static func winter(startingIn year: Int) -> Campaign {
    var rounds = [
      Round(
        number: 1, start: CivilDate(year: year, month: 11, day: 20),
        end: CivilDate(year: year, month: 11, day: 30))
    ]
    for (offset, month) in [12, 1, 2, 3].enumerated() {
      let monthYear = offset == 0 ? year : year + 1
      let last = CivilDate.daysInMonth(year: monthYear, month: month)
      rounds.append(
        Round(
          number: rounds.count + 1, start: CivilDate(year: monthYear, month: month, day: 1),
          end: CivilDate(year: monthYear, month: month, day: 15)))
      rounds.append(
        Round(
          number: rounds.count + 1, start: CivilDate(year: monthYear, month: month, day: 16),
          end: CivilDate(year: monthYear, month: month, day: last)))
    }
    return Campaign(
      name: ModelText.campaignName(year),
      deploymentDeadline: CivilDate(year: year, month: 11, day: 19), rounds: rounds)
  }

  /// The winter a date belongs to: September to August counts as the winter starting in the
  /// autumn's year.
  public static func winter(containing date: CivilDate) -> Campaign {
    winter(startingIn: date.month >= 9 ? date.year : date.year - 1)
  }

  /// The campaign's winter: September 1 of its first year to August 31 of the next (the
  /// same split `winter(containing:)` makes). Its visits, hazards and counts are the ones
  /// dated in it; a hazard found before it and still open is carried over from an earlier
  /// winter.
  public var firstDay: CivilDate { CivilDate(year: deploymentDeadline.year, month: 9, day: 1) }
  public var lastDay: CivilDate { CivilDate(year: deploymentDeadline.year + 1, month: 8, day: 31) }
  public func covers(_ date: CivilDate) -> Bool { firstDay <= date && date <= lastDay }
  /// A hazard found before this winter (往年遗留): counted and listed apart from its own.
  public func carriesOver(_ hazard: Hazard) -> Bool { hazard.foundOn < firstDay }

  public func phase(on date: CivilDate) -> Phase {
    if let last = rounds.last, date > last.end { return .consolidation }
    if let first = rounds.first, date >= first.start { return .action }
    return .deployment
  }

  /// The round running on `date`, if any.
  public func round(on date: CivilDate) -> Round? { rounds.first { $0.contains(date) } }

  /// The rounds whose last day has passed by `today`.
  public func finishedRounds(by today: CivilDate) -> [Round] { rounds.filter { $0.end < today } }

  /// Whether a household last visited on `lastVisit` (nil: never) is overdue for `round` on
  /// `today`: the round has ended and no visit fell within it.
  public func isOverdue(round: Round, lastVisit: CivilDate?, today: CivilDate) -> Bool {
    guard round.end < today else { return false }
    guard let lastVisit else { return true }
    return !(lastVisit >= round.start)
  }
}

extension ModelText {
  public static func campaignName(_ startYear: Int) -> String {
    let end = (startYear + 1) % 100
    return "\(startYear)-\(end < 10 ? "0" : "")\(end)冬春火灾防控"
  }

  static func roundLabel(_ number: Int, _ start: CivilDate, _ end: CivilDate) -> String {
    "第\(number)轮（\(start.monthDay)至\(end.monthDay)）"
  }
}
