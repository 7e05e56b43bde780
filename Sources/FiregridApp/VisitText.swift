import FiregridModel

/// The words of 敲门走访 and 隐患整改, in one place.
enum VisitText {
  // The visit form
  static let headingHeader = "基本情况"
  static let headingReview = "复查（上次发现的隐患）"
  static let headingClose = "签字与备注"
  static let date = "走访日期"
  static let dateHint = "可只写月日，如 12-03 或 1203；不能晚于今天"
  static let dateRequired = "请填写日期"
  static let visitor = "走访人"
  static func visitorHint(responsible: String?) -> String {
    responsible.map { "左右键或打拼音首字母选择；此户的走访人是 \($0)，选其他人记为代访" }
      ?? "左右键或打拼音首字母选择；此户尚未指定走访人，沿用上一张表的走访人"
  }
  static let outsideName = "走访人姓名"
  static let outsideNameRequired = "请填写走访人姓名（名册外人员将加入走访人名单）"
  static let outsideNameHint = "纸质表上的走访人；保存时加入走访人名单"
  static let outsideRole = "身份"
  static func outsideNameOnRoster(_ name: String) -> String { "走访人名单中已有 \(name)，请在上一项中直接选择" }
  static let standInTitle = "代访确认"
  static func standInQuestion(_ visitor: String, _ responsible: String) -> String {
    "\(visitor) 不负责此户，此户的走访人是 \(responsible)。\n按 y 记为代访（\(visitor) 代 \(responsible)）并保存，按 n 返回修改。"
  }
  static func standInLabel(_ responsible: String) -> String { "代 \(responsible) 走访" }
  static let visitorNotOnRoster = "（名册外人员）"
  static let personsMet = "见面人员"
  static let personsMetHint = "默认户主；按纸质表填写"
  static let answerRequired = "请按 y、n 或 - 作答"
  static let hazardDescription = "隐患情况"
  static let hazardDescriptionRequired = "请填写隐患情况"
  static let deadlineDays = "整改期限(天)"
  static let deadlineDaysHint = "按隐患类别给出默认天数，可改；0 表示当场整改完毕"
  static let deadlineDaysRequired = "请填写天数"
  static let daysInvalidZero = "天数应为 0 到 90 的整数"
  static let daysInvalid = "天数应为 1 到 90 的整数"
  static let extendDays = "延期(天)"
  static let reviewRectified = "已整改"
  static let reviewNotRectified = "未整改"
  static let reviewExtend = "延期"
  static let reviewSkipped = "未查"
  static func reviewLabel(_ item: String) -> String { "复查 \(item)" }
  static func reviewHint(
    _ description: String, _ found: CivilDate, _ deadline: CivilDate, _ state: String
  )
    -> String
  {
    "\(description)；\(found.monthDay) 发现，限 \(deadline.monthDay) 整改（\(state)）"
  }
  static let signed = "户主签字"
  static let signedYes = "已签字"
  static let signedNo = "未签字"
  static let notes = "备注"
  static func choiceRequired(_ keys: [String]) -> String {
    "请按数字键 \(keys.joined(separator: "/")) 选择"
  }
  // A premises' inspection form (附件4, 附件5)
  static let inspectionDate = "检查日期"
  static let inspector = "检查人"
  static func inspectorHint(responsible: String?) -> String {
    responsible.map { "左右键或打拼音首字母选择；此场所的检查人是 \($0)，选其他人记为代查" }
      ?? "左右键或打拼音首字母选择；此场所尚未指定检查人，沿用上一张表的检查人"
  }
  static let responsiblePresent = "负责人在场"
  static let responsiblePresentHint = "默认场所负责人；按纸质表填写在场的负责人"
  static let responsibleSigned = "负责人签字"
  static func premisesFormTitle(
    attachment: String, _ village: String, _ grid: String, _ name: String, _ kind: String
  ) -> String {
    "排查表（\(attachment)）  \(village) \(grid) \(name)（\(kind)）"
  }
  static func alreadyInspected(_ date: CivilDate) -> String { "（本轮 \(date.monthDay) 已查）" }
  static let formMissing = "缺少走访表定义（Resources/Data/forms/），无法录入走访"
  static let recordDamaged = "该户的走访档案文件损坏，请先按 D 从备份恢复"
  static func formTitle(
    attachment: String, _ village: String, _ grid: String, _ number: String, _ head: String
  ) -> String {
    // The paper's short name: the line also has to hold the household and its round status.
    "排查表（\(attachment)）  \(village) \(grid) \(number)号 户主 \(head)"
  }

  // After saving
  static func visitSaved(_ number: String, _ head: String, _ hazards: Int) -> String {
    "已保存 \(number)号 \(head) 的走访" + (hazards > 0 ? "，发现隐患 \(hazards) 处" : "") + "（U 撤销）"
  }
  static func nextHousehold(_ number: String) -> String { "；下一户 \(number)号" }
  static let gridFinished = "；本网格已录到最后一户"
  static let nothingToUndo = "没有可撤销的走访"
  static let undoTitle = "撤销走访"
  static func undoQuestion(_ visitID: String) -> String {
    "撤销走访 \(visitID)？这次走访发现的隐患和复查记录一并撤销（可重新录入），操作记入审计日志。"
  }
  static func undone(_ visitID: String) -> String { "已撤销走访 \(visitID)" }

  // Lists
  static let columnVisited = "本轮已访"
  static let columnNotVisited = "未访"
  static let columnVulnerableLeft = "重点户未访"
  static let columnDueHazards = "待复查"
  static let columnLastWeekContact = "上周联络"
  static let columnVulnerable = "重点"
  static let columnThisRound = "本轮"
  static let columnLastVisit = "上次走访"
  static let columnHazards = "隐患"
  static let columnAssigned = "负责户数"
  static let columnDone = "完成率"
  static let columnMissingWeeks = "缺周数"
  static let columnWeeksStarting = "缺联络的周（周一）"
  static let columnHazardKind = "类别"
  static let columnHazardDescription = "隐患情况"
  static let columnDeadline = "期限"
  static let columnState = "状态"
  static let contactDone = "已联络"
  static let contactNotDone = "未联络"
  static let contactMissing = "缺"
  static let vulnerableMark = "重点"
  static let notVisited = "未访"
  static let never = "从未走访"
  static func visitedOn(_ date: CivilDate) -> String { "已访 \(date.monthDay)" }
  static func dueCount(_ n: Int) -> String { "待复查\(n)" }
  static func overdueDays(_ n: Int) -> String { "逾期\(n)天" }
  static func titleGrids(_ round: String) -> String { "敲门走访 · 各网格本轮进度  \(round)" }
  static func titleBatch(_ village: String, _ grid: String, _ round: String) -> String {
    "\(village) \(grid) · 逐户录入  \(round)"
  }
  static func titlePending(_ round: String) -> String { "本轮未走访的户（重点户在前）  \(round)" }
  static func titleProgress(_ round: String) -> String { "走访人进度（未完成多的在前）  \(round)" }
  static let titleContacts = "缺少每周微信电话联络的网格"
  static func titleVillages(_ round: String) -> String { "敲门走访 · 各村本轮进度  \(round)" }
  static func titleVillageGrids(_ village: String, _ round: String) -> String {
    "\(village) · 各网格本轮进度  \(round)"
  }
  static let columnGridsMissingContact = "缺上周联络"
  static let keyVillages = "按村汇总"
  static let keyRisks = "风险信息"
  static let titleRisks = "每周联络上报的风险信息（新的在前）"
  static let columnWeek = "周"
  static let titleHazardsDue = "隐患整改 · 待复查和逾期的隐患"
  static let titleHazardsOpen = "隐患整改 · 全部未销号的隐患"
  static func emptyList(_ level: WorkScreen.Level) -> String {
    switch level {
    case .grids, .villageGrids: return "尚无网格。"
    case .villages: return "尚无村（社区）。"
    case .batch: return "本网格尚无住户。"
    case .pending: return "本轮各户都已走访。"
    case .premisesPending: return "本轮各场所都已检查。"
    case .progress: return "尚无指定了走访人的户。"
    case .contacts: return "各网格每周联络齐全。"
    case .risks: return "每周联络尚未报告风险信息。"
    case .hazardsDue: return "没有待复查或逾期的隐患。"
    case .hazardsOpen: return "没有未销号的隐患。"
    }
  }

  // Keys
  static func keyOpen(_ level: WorkScreen.Level) -> String {
    switch level {
    case .batch, .pending: return "录入走访"
    case .premisesPending: return "录入检查"
    case .hazardsDue, .hazardsOpen: return "户档案"
    default: return "打开"
    }
  }
  static let keyHistory = "户档案"
  static let keyReinspect = "复查录入"
  static let keyReported = "报告已整改"
  static let keyExtend = "延期"
  static let keyAllOpen = "全部未销号"
  static let keyDueOnly = "只看待复查"
  static let keyPending = "本轮未访"
  static let keyProgress = "走访人进度"
  static let keyContactsMissing = "缺周联络"
  static let keyContact = "登记周联络"
  static let keyUndo = "撤销刚保存的走访"
  static let keyUndoLatest = "撤销该户最近一次走访"
  static let keyCorrectLatest = "修改该户最近一次走访"
  static let nothingToCorrect = "该户尚无走访记录"
  static let chooseCorrect = "更正哪一次走访？"
  static func pastWinterTitle(_ name: String) -> String { "补录 \(name)：" }
  static let keyWinter = "切换冬季"
  static func winterChosen(_ name: String, past: Bool) -> String {
    past ? "现在补录往年：\(name)（名单、统计和表上的日期都是该冬季的；再按 Y 切换）" : "回到本冬季：\(name)"
  }
  static let noPastWinters = "没有往年冬季的记录可补录或查看。"
  static let chooseTakeBack = "撤销哪一次走访？"
  static let whichVisit = "走访"
  static let chooseVisitKeys = "左右键选择  Enter 确定  Esc 返回"
  static func visitChoice(_ visit: Visit, visitor: String?) -> String {
    "\(visit.date) \(visitor ?? visitorNotOnRoster) [\(visit.id)]"
  }
  static func correctionTitle(_ id: String) -> String { "修改 \(id)：" }
  static func alreadyVisited(_ date: CivilDate) -> String { "（本轮 \(date.monthDay) 已访）" }
  static let keyChooseVisit = "选定"
  static let keyPrintFile = "打印已填排查表"
  static let keyAnswer = "作答"
  /// `Y`: the rest of the section answered y (short: the bar holds it at 80 columns).
  static let keySection = "本节y"
  static let keySaveNext = "保存下一户"

  // Contact and hazard forms
  static let contactWeek = "周（任一天）"
  static let contactWeekHint = "填该周任一天，按所在周一记；默认上一周"
  static let contacted = "微信电话联络"
  static let riskReport = "风险信息"
  static let riskReportHint = "无风险留空"
  static func contactTitle(_ village: String, _ grid: String) -> String {
    "每周联络登记  \(village) \(grid)"
  }
  static let newDeadline = "新的期限"
  static let newDeadlineHint = "如 12-20 或 2026-12-20；不早于今天"
  static let reportDate = "报告日期"
  static let note = "说明"
  static func extendTitle(_ label: String, _ description: String, _ deadline: CivilDate) -> String {
    "延期整改  \(label)：\(description)（原期限 \(deadline)）"
  }
  static func reportTitle(_ label: String, _ description: String) -> String {
    "登记已整改（待复查）  \(label)：\(description)"
  }

  // History
  static let historyFooter = "身份证号、电话和健康信息已隐藏，按 m 显示"
  static let householdGone = "该户已不在名册中。"
  static func historyTitle(_ village: String, _ grid: String, _ number: String, _ head: String)
    -> String
  {
    "户档案  \(village) \(grid) \(number)号  户主 \(head)"
  }
  static func historyHousehold(_ address: String, _ visitor: String, _ leader: String) -> String {
    "住址 \(address)  走访人 \(visitor)  网格长 \(leader)"
  }
  static func historyMembers(_ n: Int) -> String { "家庭成员（\(n) 人）" }
  static func historyVisits(_ n: Int) -> String { "走访记录（\(n) 次）" }
  static func otherWinterVisits(_ n: Int) -> String { "其他冬季还有 \(n) 次走访：在各栏目按 Y 切换冬季查看" }
  static func historyHazards(_ n: Int) -> String { "隐患与整改（\(n) 处）" }
  static func historyContacts(_ grid: String) -> String { "\(grid)每周联络" }
  static func historyAudit(_ n: Int) -> String { "操作记录（审计日志 \(n) 条）" }
  static let noVisitsYet = "尚无走访记录。"
  static let noHazards = "未发现隐患。"
  static let noContacts = "尚无联络记录。"
  static let noAudit = "尚无操作记录。"
  static let itemColumn = "项目"
  static let allClear = "全部合格"
  static let notSigned = "户主未签字"
  static func met(_ persons: String) -> String { "见面:\(persons.isEmpty ? "-" : persons)" }
  static func notesLabel(_ text: String) -> String { "备注:\(text)" }
  static func hazardLine(_ found: CivilDate, _ deadline: CivilDate, _ state: String) -> String {
    "发现 \(found.monthDay)  限 \(deadline.monthDay)  \(state)"
  }
  static func deadlineSuffix(_ deadline: CivilDate) -> String { "（限 \(deadline)）" }
  static func contactAlreadyRecorded(_ contacted: Bool, _ risk: String) -> String {
    "（本周已记：\(contacted ? contactDone : contactNotDone)，风险信息:\(risk.isEmpty ? "无" : risk)）"
  }
  static func contactChangeTitle(_ week: CivilDate) -> String { "修改 \(week) 起一周的联络记录？" }
  static func contactChange(from old: ContactLog, to new: ContactLog) -> String {
    func text(_ log: ContactLog) -> String {
      "\(log.contacted ? contactDone : contactNotDone)，风险信息:\(log.riskReport.isEmpty ? "无" : log.riskReport)"
    }
    return "原记录：\(text(old))\n改为：\(text(new))"
  }
  static func contactLine(_ week: CivilDate, _ contacted: Bool, _ risk: String) -> String {
    "\(week) 起一周  \(contacted ? contactDone : contactNotDone)  风险信息:\(risk.isEmpty ? "无" : risk)"
  }
  /// One or two characters for the answer grid: 是/否, 无/有 (hazard), "-" for 不适用.
  static func shortAnswer(_ answer: Answer, _ kind: VisitForm.SectionKind) -> String {
    switch (answer, kind) {
    case (.notApplicable, _): return "-"
    case (.yes, .hazard): return "无"
    case (.no, .hazard): return "有"
    case (.yes, _): return "是"
    case (.no, _): return "否"
    default: return answer.rawValue
    }
  }
  static func auditVisitAdded(_ id: String) -> String { "录入走访 \(id)" }
  static func auditVisitChanged(_ id: String) -> String { "修改走访 \(id)" }
  static func auditVisitRemoved(_ id: String) -> String { "撤销走访 \(id)" }
  static func auditHazardAdded(_ id: String) -> String { "登记隐患 \(id)" }
  static func auditHazardRemoved(_ id: String) -> String { "删除隐患 \(id)" }
  static func auditHazardEvent(_ id: String, _ what: String) -> String { "隐患 \(id)：\(what)" }
  static func auditSpotCheckAdded(_ id: String) -> String { "录入抽查 \(id)" }
  static func auditSpotCheckRemoved(_ id: String) -> String { "删除抽查 \(id)" }
  static func auditSpotCheckChanged(
    _ id: String, _ field: String, _ before: String, _ after: String
  )
    -> String
  {
    "修改抽查 \(id) \(field)：\(before) → \(after)"
  }
  static func historySpotChecks(_ count: Int) -> String { "入户抽查（\(count) 次）" }
  static func spotCheckLine(_ date: CivilDate, _ round: Int, _ inspector: String, _ flags: [String])
    -> String
  {
    "\(date)  第\(round)轮  督查 \(inspector)  "
      + (flags.isEmpty ? "与走访记录一致" : flags.joined(separator: "；"))
  }
  static let auditHouseholdAdded = "建档"
  static let auditHouseholdRemoved = "归档"
  static func auditFieldChanged(_ field: String, _ before: String, _ after: String) -> String {
    "修改 \(field)：\(before) → \(after)"
  }
  static func auditFieldChangedMasked(_ field: String) -> String { "修改 \(field)（内容已隐藏）" }

  // Statistics
  static let statsVisits = "走访（次）"
  static let statsVisitedInRound = "本轮已走访（户）"
  static let statsNotVisitedInRound = "本轮未走访（户）"
  static let statsHazardsFound = "发现隐患（处）"
  static let statsHazardsOpen = "整改中"
  static let statsHazardsAwaiting = "待复查"
  static let statsHazardsOverdue = "逾期未整改"
  static let statsHazardsCarriedOver = "往年遗留未销号"
  static let statsHazardsArchivedOpen = "已归档户未销号"
  static func carriedOver(_ state: String) -> String { "往年遗留·\(state)" }
  static let statsHazardsClosed = "已销号"
  static let statsGridsMissingContact = "缺周联络的网格"
}
