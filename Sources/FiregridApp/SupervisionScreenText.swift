import FiregridModel

/// The words of 督查 (section 6), in one place.
enum SupervisionScreenText {
  static func viewTab(_ view: SupervisionScreen.View) -> String {
    switch view {
    case .deployments: return "b " + viewDeployments
    case .quota: return "r " + viewQuota
    case .samples: return "c " + viewSamples
    case .notices: return "t " + viewNotices
    }
  }
  static let viewDeployments = "部署会"
  static let viewQuota = "走访任务"
  static let viewSamples = "抽查"
  static let viewNotices = "通报约谈"

  // Keys
  static let keyEditMeeting = "录入部署会"
  static let keyOnlyMissing = "只看未开会的村"
  static let keyMinutes = "会议记录"
  static let keyMatrix = "走访明细"
  static let keyPrevious = "上一期"
  static let keyNext = "下一期"
  static let keyMonthOrRound = "按月/按轮"
  static let keyOpenSample = "打开样本"
  static let keyNewSample = "抽取样本"
  static let keySheet = "打印核查表"
  static let keyOpenCheck = "录入/查看抽查"
  static let keyNewCheck = "再录一次抽查"
  static let keyPreviousRound = "上一轮"
  static let keyNextRound = "下一轮"
  static let keyDeadline = "截至日期"
  static let keyDraft = "生成草稿"
  static let keyIssue = "登记已发文"
  static let keyMatrixOfGrid = "本网格走访明细"
  static let noFurther = "没有更多了"

  // Titles
  static func deploymentsTitle(_ deadline: CivilDate, onlyMissing: Bool) -> String {
    (onlyMissing ? "截至\(deadline.monthDay)未召开部署会的村" : "各村动员部署（部署会应于\(deadline.monthDay)前召开）")
  }
  static func quotaTitle(_ period: String) -> String { "走访人任务完成情况  \(period)" }
  static let samplesTitle = "抽查样本（新的在前）"
  static func sampleTitle(_ sample: SpotCheckSample) -> String {
    "样本 \(sample.id)  第\(sample.round)轮  每村\(sample.perVillage)户  种子 \(sample.seed)"
  }
  static func noticesTitle(_ round: String, asOf: CivilDate?) -> String {
    "通报批评与约谈（草稿）  \(round)" + (asOf.map { "  截至\($0)" } ?? "")
  }
  static func empty(_ level: SupervisionScreen.Level) -> String {
    switch level {
    case .deployments(let only): return only ? "各村都已按时召开部署会" : "还没有村（社区）"
    case .quota: return "还没有走访人负责的户"
    case .samples: return "还没有抽查样本：按 n 抽取"
    case .sample: return "样本中的户都已不在名册上"
    case .notices: return "本轮没有应通报或约谈的人"
    }
  }

  // Columns
  static let columnLinkLeader = "联村领导"
  static let columnMeeting = "部署会"
  static let columnPlace = "地点"
  static let columnChair = "主持人"
  static let columnAttendees = "参会"
  static let columnAssigned = "包保户"
  static let columnRequired = "每户应访"
  static let columnDone = "达标户"
  static let columnShort = "未达标"
  static let columnVisits = "走访次"
  static let columnShortHouseholds = "未达标户号"
  static let columnSample = "样本"
  static let columnRound = "轮次"
  static let columnPerVillage = "每村"
  static let columnSeed = "随机种子"
  static let columnDrawnOn = "抽样日期"
  static let columnDrawnBy = "抽样人"
  static let columnChecked = "已录入"
  static let columnFlagged = "不符"
  static let columnRecordedVisits = "记录的走访"
  static let columnResult = "抽查结果"
  static let columnList = "名单"
  static let columnUnit = "单位/村"
  static let columnReason = "事由"

  static let meetingNone = "未召开"
  static func meetingLate(_ date: CivilDate) -> String { "\(date.monthDay) 逾期" }
  static let notVisited = "未走访"
  static let notInspected = "未检查"
  static let premisesRow = "场所"
  static let premisesResult = "查场所档案"
  static let premisesCheckedOnItsForm = "场所按其排查表复核：Enter 打开场所档案"
  static let resultPending = "未录入"
  static let resultConsistent = "一致"
  static let resultContradicts = "与记录不符"
  static func issuedLabel(_ kind: String) -> String { "已发\(kind)" }
  static func issuedRound(_ round: Int) -> String { "第\(round)轮" }
  static func issuedSummary(_ notice: IssuedNotice) -> String {
    "\(notice.number)：" + notice.persons.map(\.name).joined(separator: "、")
  }

  // Forms
  static let dateHint = "如 2026-11-18 或 11-18"
  static func meetingFormTitle(_ village: String, _ deadline: CivilDate) -> String {
    "\(village) 动员部署会（应于\(deadline.monthDay)前召开；未开会时日期留空）"
  }
  static let meetingDate = "会议日期"
  static let attendees = "参会人员"
  static let attendeesHint = "姓名之间用顿号、逗号或空格隔开"
  static let liaison = "联络员（网格员）"
  static let recorder = "记录人"
  static let meetingNotes = "会议内容"
  static let meetingDateRequired = "填了会议内容就要填会议日期；还没开会请把其他内容留空"
  static func meetingSaved(_ village: String) -> String { "已保存 \(village) 的部署会" }
  /// Splits the attendees as typed: 、，, and spaces all separate names.
  static func names(in text: String) -> [String] {
    text.split(whereSeparator: { "、，,； ;".contains($0) }).map(String.init)
  }

  static let sampleFormTitle = "抽取抽查样本（Ctrl-S 抽取并保存）"
  static let perVillage = "每村抽几户"
  static let perVillageRequired = "请填写每村抽取的户数"
  static let premisesPerVillage = "每村抽几处场所"
  static let premisesPerVillageHint = "留空或 0 不抽场所；场所按类别分层，有人住宿的加权"
  static let premisesPerVillageInvalid = "场所数应为 0 或正整数"
  static let seedHint = "留空则随机产生；同一种子和名册总能抽出同一名单"
  static func drawn(_ sample: SpotCheckSample) -> String {
    "已抽取样本 \(sample.id)：第\(sample.round)轮，每村\(sample.perVillage)户，共\(sample.householdIDs.count)户"
      + (sample.premisesIDs.isEmpty ? "" : "，场所\(sample.premisesIDs.count)处")
      + "，随机种子 \(sample.seed)"
  }

  static func checkFormTitle(_ village: String, _ number: String, _ head: String, _ round: String)
    -> String
  {
    "入户抽查  \(village) \(number) \(head)  \(round)"
  }
  static let checkDate = "抽查日期"
  static let inspector = "督查人员"
  static let inspectorRequired = "请填写督查人员"
  static let inspectorHint = "照纸上的签名填写，多人用顿号隔开"
  static let missedHazards = "漏报隐患说明"
  static let missedHint = "督查发现而走访记录中没有的隐患，写明情况"
  static let missedRequired = "隐患复核中有“有隐患”，请在漏报隐患说明中写明"
  static let checkSaved = "已保存抽查记录：与走访记录一致"
  static let checkContradicts = "已保存抽查记录：与走访记录不符，已记在走访人名下（Enter 查看）"
  static let formMissing = "找不到入户抽查记录表的定义（forms/spotcheck-v1.json）"

  static func deadlineTitle(_ round: String) -> String { "\(round) 的名单截至哪天（之后补访的算完成）" }
  static let asOf = "截至日期"
  static let notDueLabel = "未到期"
  static func notDue(_ round: String, _ deadline: CivilDate) -> String {
    "\(round)到 \(deadline) 才到期：到期后才列通报、约谈名单"
  }

  static func issueTitle(_ draft: Supervision.NoticeDraft) -> String {
    "登记已发出的通知  第\(draft.round)轮（通报\(draft.criticism.count)人，约谈\(draft.admonition.count)人）"
  }
  static let number = "文号"
  static let numberRequired = "请填写文号"
  static let numberHint = "如 镇消安办〔2026〕5号"
  static let issuedOn = "发文日期"
  static func nobodyListed(_ kind: String) -> String { "草稿的\(kind)名单是空的，没有可登记的人" }
  static func numberTaken(_ number: String) -> String { "文号 \(number) 已经登记过" }
  static func issued(_ kind: String, _ number: String, _ count: Int) -> String {
    "已登记\(kind) \(number)，共\(count)人"
  }

  // The spot check against the records
  static func checkViewTitle(_ village: String, _ number: String, _ head: String, _ round: String)
    -> String
  {
    "抽查与记录对照  \(village) \(number) \(head)  \(round)"
  }
  static func checkedBy(_ date: CivilDate, _ inspector: String) -> String {
    "抽查日期 \(date)  督查人员 \(inspector)"
  }
  static let noFlags = "与走访记录一致"
  /// The model's words for a flag, with the visitors it is held against by name.
  static func flag(_ flag: Supervision.Flag, index: RosterIndex, forms: FormRegistry) -> String {
    let label = (flag.contradictsRecords ? "⚠ " : "") + flag.label(form: forms.current)
    switch flag {
    case .visitDenied(_, let visitors):
      let names = visitors.map { index.visitorByID[$0]?.name ?? $0 }.joined(separator: "、")
      return label + "：记在 \(names) 名下"
    case .recordsChangedSince: return label + "（h 查看是谁改的）"
    default: return label
    }
  }
  static let recordsHeading = "走访记录（本轮）"
  static func visitLine(_ date: CivilDate, _ visitor: String, _ met: String) -> String {
    "\(date)  走访人 \(visitor)" + (met.isEmpty ? "" : "  见面 \(met)")
  }
  static let answersHeading = "抽查所见"
  static func answerLine(_ label: String, _ answer: String) -> String { "  \(label)：\(answer)" }
  static func missedLine(_ text: String) -> String { "  漏报隐患：\(text)" }
  static func notesLine(_ text: String) -> String { "  备注：\(text)" }
  static func contactsHeading(_ grid: String) -> String { "\(grid) 本轮各周微信电话联络" }
  static func contactLine(_ week: CivilDate, _ log: ContactLog?) -> String {
    let state: String
    if let log {
      state = log.contacted ? "已联络" : "未联络"
    } else {
      state = "无记录"
    }
    return "  \(week.monthDay)这周  \(state)"
      + (log?.riskReport.isEmpty == false ? "  风险：\(log!.riskReport)" : "")
  }

  // The matrix
  static func matrixOfVisitor(_ name: String) -> String { "走访人 \(name)" }
  static func matrixOfGrid(_ village: String, _ grid: String) -> String { "\(village) \(grid)" }
  static func matrixTitle(_ scope: String) -> String { "走访明细（每户每半月由谁走访）  \(scope)" }
  static let noHouseholds = "没有户"
  /// A round's column head: 11月 for the first round, then 12上 / 12下.
  static func halfMonth(_ round: Campaign.Round) -> String {
    round.start.day == 1
      ? "\(round.start.month)上"
      : round.start.day == 16
        ? "\(round.start.month)下" : "\(round.start.month)月"
  }
  /// A cell: the first visit as surname and day (张03), more as +n.
  static func compactMarks(_ marks: [(name: String, date: CivilDate)]) -> String {
    guard let first = marks.first else { return "" }
    let day = first.date.day < 10 ? "0\(first.date.day)" : "\(first.date.day)"
    return "\(first.name.prefix(1))\(day)" + (marks.count > 1 ? "+\(marks.count - 1)" : "")
  }

  // Files
  static func minutesFile(_ village: String) -> String { "部署会记录-\(village)" }
  static func sheetFile(_ sample: SpotCheckSample) -> String { "抽查核查表-\(sample.id)" }
  static func draftFile(_ round: Int) -> String { "通报约谈草稿-第\(round)轮" }
  static func matrixFile(_ scope: String) -> String {
    "走访明细-" + scope.replacingOccurrences(of: " ", with: "")
  }
}
