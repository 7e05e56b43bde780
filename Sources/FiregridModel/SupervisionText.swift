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

// MARK: - Supervision reports

extension SupervisionText {
  static let yes = "是"
  static let notVisited = "未走访"
  static let none = "无"
  static let listSeparator = "、"

  /// 第3轮 when the campaign has no such round.
  static func roundNumber(_ number: Int) -> String { "第\(number)轮" }

  // 入户抽查名单（核查表）

  static let checkSheetName = "抽查名单"
  static let checkSheetTitle = "入户抽查名单（核查表）"
  static func checkSheetScope(
    town: String, campaign: String, round: String, perVillage: Int, seed: Int,
    drawnOn: CivilDate, drawnBy: String
  ) -> String {
    "\(town) \(campaign) \(round) 每村抽\(perVillage)户 随机种子 \(seed) 抽样日期 \(drawnOn) 抽样人 \(drawnBy)"
  }
  static let checkSheetColumns: [ReportTable.Column] = [
    .init(id: "index", label: "序号", kind: .count, width: 4),
    .init(id: "village", label: "村", width: 10),
    .init(id: "grid", label: "网格", width: 8),
    .init(id: "householdNumber", label: "户号", kind: .code, width: 6),
    .init(id: "head", label: "户主", width: 8),
    .init(id: "address", label: "地址", width: 20),
    .init(id: "visitor", label: "走访人", width: 8),
    .init(id: "vulnerable", label: "重点户", width: 6),
    .init(id: "recordedVisits", label: "记录走访日期", width: 12),
    .init(id: "visitConfirmed", label: "是否上门", width: 8),
    .init(id: "noticePresent", label: "告知书", width: 6),
    .init(id: "cardPosted", label: "明白卡", width: 6),
    .init(id: "knowsSanqing", label: "知晓三清三关", width: 8),
    .init(id: "missedHazards", label: "漏报隐患", width: 14),
    .init(id: "notes", label: "备注", width: 14),
  ]
  static let inspectorSignature = "督查人员（签字）："
  static let signatureDate = "日期："
  static func redraw(round: Int, perVillage: Int, seed: Int, premisesPerVillage: Int = 0)
    -> String
  {
    "用同一种子和名册可重新抽出同一名单：firegrid supervise sample --round \(round) --per-village \(perVillage) --seed \(seed)"
      + (premisesPerVillage > 0 ? " --premises-per-village \(premisesPerVillage)" : "")
  }

  static let premisesSheetName = "场所抽查名单"
  static let premisesSheetTitle = "场所抽查名单（核查表）"
  static func premisesSheetScope(_ scope: String, perVillage: Int) -> String {
    "\(scope) 每村抽\(perVillage)处场所"
  }
  static let notInspected = "未检查"
  static let premisesSheetColumns: [ReportTable.Column] = [
    .init(id: "index", label: "序号", kind: .count, width: 4),
    .init(id: "village", label: "村", width: 10),
    .init(id: "grid", label: "网格", width: 8),
    .init(id: "premises", label: "场所名称", width: 14),
    .init(id: "kind", label: "类别", width: 12),
    .init(id: "address", label: "地址", width: 18),
    .init(id: "visitor", label: "走访人", width: 8),
    .init(id: "peopleSleep", label: "住人", width: 4),
    .init(id: "recordedInspections", label: "记录检查日期", width: 12),
    .init(id: "inspected", label: "是否检查", width: 6),
    .init(id: "missedHazards", label: "漏报隐患", width: 14),
    .init(id: "note", label: "备注", width: 12),
  ]

  // 通报批评 / 约谈

  static let criticismTitle = "通报批评名单"
  static let admonitionTitle = "约谈名单"
  static func noticesScope(town: String, campaign: String, round: String, asOf: CivilDate)
    -> String
  {
    "\(town) \(campaign) \(round) 截至\(asOf)"
  }
  static let noticeColumns: [ReportTable.Column] = [
    .init(id: "index", label: "序号", kind: .count, width: 4),
    .init(id: "name", label: "姓名", width: 8),
    .init(id: "unit", label: "单位/村", width: 16),
    .init(id: "reason", label: "事由（事实）", width: 48),
    .init(id: "notes", label: "备注", width: 12),
  ]
  static let noticeFooter = ["镇消防安全工作领导小组（签章）", "签发人：", "文号：", "日期："]
  /// 镇干部（龙潭村、江口村）
  static func visitorUnit(_ role: String, _ villages: [String]) -> String {
    villages.isEmpty ? role : "\(role)（\(villages.joined(separator: listSeparator))）"
  }
  /// 龙潭村（联村领导）
  static func villageUnit(_ village: String, linkLeader: Bool, liaison: Bool) -> String {
    if linkLeader { return "\(village)（联村领导）" }
    if liaison { return "\(village)（联络员）" }
    return village
  }

  // 部署会会议记录

  static let minutesName = "部署会会议记录"
  static let minutesTitle = "村级消防安全“敲门行动”动员部署会会议记录"
  static func minutesScope(town: String, village: String, campaign: String) -> String {
    "\(town)\(village) \(campaign)"
  }
  static let minutesColumns: [ReportTable.Column] = [
    .init(id: "item", label: "项目", width: 14),
    .init(id: "content", label: "内容", width: 56),
  ]
  static let minutesVillage = "村"
  static let minutesDate = "会议时间"
  static let minutesPlace = "地点"
  static let minutesChair = "主持人"
  static let minutesLinkLeader = "联村领导"
  static let minutesAttendees = "参会人员"
  static let minutesLiaison = "联络员（网格员）"
  static let minutesRecorder = "记录人"
  static let minutesArrangement = "走访人包户安排"
  static let minutesNotes = "会议内容"
  static let minutesFooter = ["主持人签字：", "记录人签字："]
  static func longDate(_ date: CivilDate) -> String { "\(date.year)年\(date.month)月\(date.day)日" }
  /// 张三：12户（第1网格、第2网格）
  static func arrangement(_ visitor: String, _ count: Int, _ grids: [String]) -> String {
    "\(visitor)：\(count)户（\(grids.joined(separator: listSeparator))）"
  }
  static let noVisitor = "未明确走访人"

  // 走访人完成情况

  static let quotaName = "走访完成情况"
  static let quotaTitle = "走访人入户走访完成情况"
  static func quotaScope(town: String, campaign: String, period: String, required: Int)
    -> String
  {
    "\(town) \(campaign) \(period)" + (required == 0 ? "（本期无走访轮次）" : "")
  }
  static let quotaColumns: [ReportTable.Column] = [
    .init(id: "visitor", label: "走访人", width: 8),
    .init(id: "role", label: "身份", width: 10),
    .init(id: "assigned", label: "包保户数", kind: .count, width: 8),
    .init(id: "required", label: "应走访次数/户", kind: .count, width: 8),
    .init(id: "done", label: "已达标户数", kind: .count, width: 8),
    .init(id: "short", label: "未达标户数", kind: .count, width: 8),
    .init(id: "visits", label: "走访次数", kind: .count, width: 8),
    .init(id: "doneShare", label: "达标率", kind: .share, width: 8),
    .init(id: "shortHouseholds", label: "未达标户", width: 30),
  ]
  static let total = "合计"
  static let preparedBy = "制表人："
  static let reviewedBy = "审核人："

  // 走访情况一览

  static let matrixName = "走访情况一览"
  static let matrixTitle = "入户走访情况一览表（按轮次）"
  static func matrixScope(town: String, campaign: String, scope: String) -> String {
    "\(town) \(campaign) \(scope)"
  }
  static let matrixHouseholdColumns: [ReportTable.Column] = [
    .init(id: "householdNumber", label: "户号", kind: .code, width: 6),
    .init(id: "head", label: "户主", width: 8),
  ]
  /// 12上 / 12下 for the half-month rounds, else the days: 11-20至11-30.
  static func roundColumn(_ round: Campaign.Round) -> String {
    let last = CivilDate.daysInMonth(year: round.start.year, month: round.start.month)
    let sameMonth = round.start.month == round.end.month && round.start.year == round.end.year
    if sameMonth, round.start.day == 1, round.end.day == 15 { return "\(round.start.month)上" }
    if sameMonth, round.start.day == 16, round.end.day == last { return "\(round.start.month)下" }
    return "\(round.start.monthDay)至\(round.end.monthDay)"
  }
  /// 张三12-03, 李四12-09（代） for a visit in another's place.
  static func mark(_ visitor: String, _ date: CivilDate, standIn: Bool) -> String {
    "\(visitor)\(date.monthDay)" + (standIn ? "（代）" : "")
  }
}
