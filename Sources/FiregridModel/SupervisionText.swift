/// 督查's user-facing text, in Chinese, in one place: period labels, refusals, the reasons a
/// notice gives, the flags a spot check raises, and the supervision reports' titles, headers
/// and footers.
public enum SupervisionText {
  // MARK: Periods and sampling

  /// 2026年12月
  static func monthLabel(_ year: Int, _ month: Int) -> String { "\(year)年\(month)月" }

  static let perVillageTooSmall = "每村抽查户数应至少为1"
  static func seedOutOfRange(_ maximum: Int) -> String { "随机种子应为0至\(maximum)之间的整数" }

  // MARK: Spot-check flags

  static func flagLabel(_ flag: Supervision.Flag, form: VisitForm?) -> String {
    switch flag {
    case .visitDenied(let visits, _):
      return "住户称本轮无人上门，记录却有走访（\(visits.joined(separator: "、"))）"
    case .notVisited: return "本轮未走访，住户亦称无人上门"
    case .recordsChangedSince(let added, let removed):
      var parts: [String] = []
      if !added.isEmpty { parts.append("补录\(added.joined(separator: "、"))") }
      if !removed.isEmpty { parts.append("撤销\(removed.joined(separator: "、"))") }
      return "抽查录入后本轮走访记录有变动：" + parts.joined(separator: "；")
    case .noticeMissing: return "告知书不在户"
    case .cardMissing: return "明白卡未张贴"
    case .sanqingUnknown: return "住户不知晓三清三关"
    case .hazardMissed(let checkID): return "走访漏报隐患：\(form?.label(of: checkID) ?? checkID)"
    }
  }

  // MARK: Notice reasons

  /// 0003 张三: a household by number and head.
  static func householdName(_ id: String, _ town: TownData) -> String {
    guard let household = Supervision.household(id, town) else { return id }
    let head = household.head?.name ?? ""
    return head.isEmpty ? household.number : "\(household.number) \(head)"
  }

  /// 包保12户，本轮走访9户，未走访：0003 张三、0007 李四；抽查中住户否认走访：0005 王五.
  /// With a deadline after the round's end: 包保12户，截至12-25本轮走访9户，….
  static func visitorReason(
    _ behind: Supervision.VisitorBehind, findings: Supervision.Findings, town: TownData
  ) -> String {
    let until = findings.asOf > findings.round.end ? "截至\(findings.asOf.monthDay)" : ""
    var text = "包保\(behind.assigned)户，\(until)本轮走访\(behind.visited)户"
    if !behind.missed.isEmpty {
      text += "，未走访：" + behind.missed.map { householdName($0, town) }.joined(separator: "、")
    }
    if !behind.deniedVisits.isEmpty {
      let households = behind.deniedVisits.compactMap { id in
        town.supervision.spotChecks.first { $0.id == id }.map {
          householdName($0.householdID, town)
        }
      }
      text += "；抽查中住户否认走访：" + households.joined(separator: "、")
    }
    return text
  }

  /// ；第1轮已通报批评（镇消安办〔2026〕5号）
  static func namedBefore(_ notice: IssuedNotice) -> String {
    let number = notice.number.isEmpty ? "" : "（\(notice.number)）"
    return "；第\(notice.round)轮已\(notice.kind.label)\(number)"
  }

  /// 部署会未召开（截止11-19）；第2网格第49周未联络；逾期隐患2处
  static func villageReason(
    _ behind: Supervision.VillageBehind, campaign: Campaign, town: TownData
  ) -> String {
    var parts: [String] = []
    if behind.noMeeting {
      let deadline = campaign.deploymentDeadline.monthDay
      if let meeting = town.supervision.deployment(ofVillage: behind.villageID)?.meeting {
        parts.append("部署会逾期召开（\(meeting.date.monthDay)召开，截止\(deadline)）")
      } else {
        parts.append("部署会未召开（截止\(deadline)）")
      }
    }
    for missing in behind.missingContacts {
      let grid = town.grid(id: missing.gridID)?.name ?? missing.gridID
      let weeks = missing.weeks.map { String(isoWeek($0)) }.joined(separator: "、")
      parts.append("\(grid)第\(weeks)周未联络")
    }
    if !behind.overdueHazards.isEmpty { parts.append("逾期隐患\(behind.overdueHazards.count)处") }
    return parts.joined(separator: "；")
  }

  /// The ISO 8601 week number of the week starting on `monday` (the week its Thursday is in).
  static func isoWeek(_ monday: CivilDate) -> Int {
    let thursday = monday.weekStart.adding(days: 3)
    return CivilDate(year: thursday.year, month: 1, day: 1).days(until: thursday) / 7 + 1
  }

  /// A village with no 联村领导 nor liaison on record.
  static let noResponsible = "（责任人未明确）"
}
