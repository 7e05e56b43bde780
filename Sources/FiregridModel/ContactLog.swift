/// 微信电话联络 / 风险信息上报 — the seed's weekly duty for each grid: "每周落实微信电话联络一次、
/// 风险信息上报一次". One entry per grid per week (weeks start on Monday).
public struct ContactLog: Codable, Equatable, Sendable {
  public var gridID: String
  /// The Monday of the week.
  public var week: CivilDate
  /// Whether the grid was contacted by WeChat or phone that week.
  public var contacted: Bool
  /// 风险信息: what was reported; "" = 无风险.
  public var riskReport: String
  /// When the clerk entered it.
  public var recordedOn: CivilDate

  public init(
    gridID: String, week: CivilDate, contacted: Bool, riskReport: String = "",
    recordedOn: CivilDate
  ) {
    self.gridID = gridID
    self.week = week.weekStart
    self.contacted = contacted
    self.riskReport = riskReport
    self.recordedOn = recordedOn
  }

  public var hasRisk: Bool { !riskReport.isEmpty }
}

extension Campaign {
  /// The Mondays of the weeks that count for the weekly contact by `today`: from the week of
  /// the first round to the last week that has ended (the current week is not yet missing).
  public func contactWeeks(endedBy today: CivilDate) -> [CivilDate] {
    guard let first = rounds.first, let last = rounds.last else { return [] }
    var week = first.start.weekStart
    var result: [CivilDate] = []
    while week <= last.end, week.adding(days: 6) < today {
      result.append(week)
      week = week.adding(days: 7)
    }
    return result
  }

  /// The round that worklists are about on `today`: the running one; between rounds or after
  /// the last, the latest one begun; before the first, the first.
  public func workingRound(on today: CivilDate) -> Round? {
    round(on: today) ?? rounds.last(where: { $0.start <= today }) ?? rounds.first
  }
}

/// Upserts one week's entry of a grid's log: a second entry for the same week replaces the
/// first (the clerk corrected it), keeping the weeks in order.
public func recording(_ log: ContactLog, in logs: [ContactLog]) -> [ContactLog] {
  var result = logs.filter { $0.week != log.week }
  result.append(log)
  result.sort { $0.week < $1.week }
  return result
}
