/// The reports' user-facing text: titles, headers, the footer, refusals. The statistics
/// table's headers are in its column file (Resources/Data/reports/statistics.json); the
/// register's, the detail sheet's and the elderly table's are here.
public enum ReportText {
  // MARK: Scope and footer

  static func roundScope(_ campaign: String, _ round: String) -> String { "\(campaign) \(round)" }
  static func campaignScope(_ campaign: String) -> String { "\(campaign)（全期）" }
  static func datesScope(_ first: CivilDate, _ last: CivilDate) -> String {
    "\(first)至\(last)"
  }
  static func scopeWithTown(_ town: String, _ scope: String) -> String { "\(town) \(scope)" }

  static let footerUnitLabel = "填报单位："
  static func footerUnit(_ town: String) -> String { footerUnitLabel + town }
  static func footerPreparedBy(_ name: String) -> String { "填表人：\(name)" }
  static func footerReviewedBy(_ name: String) -> String { "审核人：\(name)" }
  static func footerPhone(_ phone: String) -> String { "联系电话：\(phone)" }
  static func footerDate(_ day: CivilDate) -> String {
    "填报日期：\(day.year)年\(day.month)月\(day.day)日"
  }

  // MARK: Statistics

  static let statisticsSheet = "统计表"
  static let total = "合计"
  static let townColumn = "乡镇"

  static func unknownColumn(_ id: String, _ label: String) -> String {
    "统计表列定义中有程序不认识的列：\(id)（\(label)）"
  }
  static func wrongKind(_ id: String, _ label: String, _ kind: String) -> String {
    "统计表列定义中“\(label)”（\(id)）的类型应为 \(kind)"
  }
  static func duplicateColumn(_ id: String) -> String { "统计表列定义中 \(id) 出现了两次" }
  static let noColumns = "统计表列定义中没有列"
  static func wrongReport(_ found: String, _ expected: String) -> String {
    "列定义文件是 \(found) 的，不是 \(expected) 的"
  }
  static func unknownVillage(_ id: String) -> String { "找不到村（社区）\(id)" }
  public static func columnFileFormat(_ name: String, _ format: String, _ version: Int) -> String {
    "\(name)：不认识的格式 \(format) 版本 \(version)"
  }

  // MARK: Detail sheet

  static let detailSheet = "隐患整改明细"
  static let detailTitle = "未当场整改隐患明细表"
  static let detailColumns: [ReportTable.Column] = [
    .init(id: "village", label: "村（社区）", width: 10),
    .init(id: "householdNumber", label: "户号", kind: .code, width: 6),
    .init(id: "head", label: "户主", width: 8),
    .init(id: "item", label: "隐患项目", width: 10),
    .init(id: "description", label: "隐患描述", width: 24),
    .init(id: "measure", label: "整改措施及期限", width: 20),
    .init(id: "visitor", label: "责任走访人", width: 8),
    .init(id: "reinspection", label: "复查结果", width: 22),
  ]

  /// 限期整改至2024-12-08 (延期2次: after each extension the latest deadline).
  static func measure(_ hazard: Hazard) -> String {
    let extensions = hazard.events.filter { $0.kind == .extended }.count
    let base = "限期整改至\(hazard.deadline)"
    return extensions == 0 ? base : "\(base)（延期\(extensions)次）"
  }

  /// The last re-inspection or report and the state: "12-05 复查未整改；逾期".
  static func reinspection(_ hazard: Hazard, on day: CivilDate) -> String {
    let state = hazard.state(on: day).label
    guard let last = hazard.events.dropFirst().last else { return "未复查；\(state)" }
    return "\(last.date.monthDay) \(last.kind.label)；\(state)"
  }

  // MARK: Register

  static let registerSheet = "隐患台账"
  static let registerTitle = "消防安全隐患整改台账"
  static let registerColumns: [ReportTable.Column] = [
    .init(id: "village", label: "村（社区）", width: 10),
    .init(id: "householdNumber", label: "户号", kind: .code, width: 6),
    .init(id: "head", label: "户主", width: 8),
    .init(id: "foundOn", label: "发现日期", width: 10),
    .init(id: "item", label: "隐患项目", width: 10),
    .init(id: "description", label: "隐患描述", width: 24),
    .init(id: "deadline", label: "整改期限", width: 10),
    .init(id: "events", label: "整改经过", width: 30),
    .init(id: "state", label: "状态", width: 10),
  ]

  static func filterLabel(_ filter: Reports.HazardFilter) -> String {
    switch filter {
    case .open: return "未销号"
    case .overdue: return "逾期"
    case .closed: return "已销号"
    case .all: return "全部"
    }
  }

  static func registerScope(_ place: String, _ filter: Reports.HazardFilter, _ day: CivilDate)
    -> String
  {
    "\(place) 截至\(day) \(filter.label)隐患"
  }

  /// Every event after the finding, oldest first: "2024-12-03 报告已整改；2024-12-05 复查已整改，销号".
  static func history(_ hazard: Hazard) -> String {
    hazard.events.dropFirst().map { event in
      var text = "\(event.date) \(event.kind.label)"
      if event.kind == .extended, let deadline = event.deadline { text += "至\(deadline)" }
      if !event.note.isEmpty { text += "（\(event.note)）" }
      return text
    }.joined(separator: "；")
  }

  static func registerState(_ state: HazardState, archived: Bool) -> String {
    archived ? "\(state.label)（户已归档）" : state.label
  }

  // MARK: Elderly living alone

  /// The 独居老人 facts' labels, shared by the table (附件7), the person form and the roster.
  public static let careHeading = "独居老人登记（附件7）"
  public static let careGuardianName = "赡养人/紧急联系人"
  public static let careGuardianRelation = "关系"
  public static let careGuardianPhone = "联系人电话"
  public static let careSelfCare = "自理情况"
  public static let careLivingSituation = "居住情况"
  public static let careHelperName = "结对帮扶人"
  public static let careHelperPhone = "帮扶人电话"
  public static let careVisitFrequency = "探访频次"
  public static let careSmokeAlarm = "烟感报警器"
  public static let careExtinguisher = "灭火器"
  public static let careNotes = "备注"
  /// A choice not made (自理情况, 有/无).
  public static let careNotAsked = "未填"
  public static let careYes = "有"
  public static let careNo = "无"
  public static let careVisitFrequencyHint = "如 每周1次、每月2次"

  static let elderlyTitle = "社区独居老人统计表"
  static func elderlyScope(_ town: String, _ village: String, _ day: CivilDate) -> String {
    "\(town)\(village) 截至\(day)"
  }
  static let elderlyColumns: [ReportTable.Column] = [
    .init(id: "index", label: "序号", kind: .count, width: 4),
    .init(id: "name", label: "姓名", width: 8),
    .init(id: "sex", label: "性别", width: 4),
    .init(id: "age", label: "年龄", kind: .count, width: 4),
    .init(id: "address", label: "家庭住址", width: 24),
    .init(id: "phone", label: "联系电话", kind: .code, width: 13),
    .init(id: "guardianName", label: careGuardianName, width: 10),
    .init(id: "guardianRelation", label: careGuardianRelation, width: 6),
    .init(id: "guardianPhone", label: careGuardianPhone, kind: .code, width: 13),
    .init(id: "selfCare", label: careSelfCare, width: 8),
    .init(id: "livingSituation", label: careLivingSituation, width: 16),
    .init(id: "helperName", label: careHelperName, width: 8),
    .init(id: "helperPhone", label: careHelperPhone, kind: .code, width: 13),
    .init(id: "visitFrequency", label: careVisitFrequency, width: 10),
    .init(id: "lastVisit", label: "最近走访日期", width: 10),
    .init(id: "smokeAlarm", label: careSmokeAlarm, width: 6),
    .init(id: "extinguisher", label: careExtinguisher, width: 6),
    .init(id: "notes", label: careNotes, width: 16),
  ]

  static func yesNo(_ value: Bool?) -> String {
    switch value {
    case true?: return careYes
    case false?: return careNo
    case nil: return ""
    }
  }
}

extension ModelText {
  static func selfCareLabel(_ value: ElderlyCare.SelfCare) -> String {
    switch value {
    case .independent: return "自理"
    case .partlyDisabled: return "半失能"
    case .disabled: return "失能"
    }
  }
}
