import FiregridModel
import TerminalUI

/// A report the county asks for, as the clerk chose it in 统计报表: which, for the town or a
/// village, for a round or the whole campaign, in which format, into which folder.
public struct ReportRequest: Equatable, Sendable {
  public enum Kind: String, CaseIterable, Sendable {
    /// 消防安全行动统计表 (附件3), with its detail sheet of hazards.
    case statistics
    /// 独居老人登记表 (附件7).
    case elderly
    /// 隐患台账.
    case hazards

    public var label: String { ReportFormText.kindLabel(self) }
  }

  public enum Format: String, CaseIterable, Sendable {
    case xlsx, csv, pdf
    public var label: String { ReportFormText.formatLabel(self) }
  }

  public var kind: Kind
  /// nil: the whole town.
  public var villageID: String?
  /// The round's number in the campaign; nil: the whole campaign.
  public var round: Int?
  /// The campaign the report is of (its first day names it).
  public var campaign: Campaign
  public var format: Format
  public var folder: String
  /// The day the report is as of (states of hazards, 填报日期).
  public var day: CivilDate
  /// Who fills it in (填表人).
  public var operatorName: String
  /// Who checks it (审核人) and the phone to call about it (联系电话), for the footer.
  public var reviewer: String
  public var phone: String
  /// 隐患台账 only: which hazards.
  public var hazardState: Reports.HazardFilter

  public init(
    kind: Kind, villageID: String?, round: Int?, campaign: Campaign, format: Format,
    folder: String, day: CivilDate, operatorName: String, reviewer: String = "",
    phone: String = "", hazardState: Reports.HazardFilter = .all
  ) {
    self.reviewer = reviewer
    self.phone = phone
    self.hazardState = hazardState
    self.kind = kind
    self.villageID = villageID
    self.round = round
    self.campaign = campaign
    self.format = format
    self.folder = folder
    self.day = day
    self.operatorName = operatorName
  }
}

/// Enter in 统计报表: which report, whose, of when, in what; Ctrl-S writes it (off the UI
/// loop, the progress line saying so).
struct ReportFormOverlay: Overlay {
  var form: Form
  let villageIDs: [String]
  let rounds: [Int]
  let campaign: Campaign

  static let kindField = "kind"
  static let scopeField = "scope"
  static let roundField = "round"
  static let formatField = "format"
  static let stateField = "state"
  static let reviewerField = "reviewer"
  static let phoneField = "phone"
  static let folderField = "folder"

  init(context: AppContext) {
    let index = context.index
    let campaign = context.workingCampaign
    self.campaign = campaign
    villageIDs = [""] + index.data.villages.map(\.id)
    rounds = [0] + campaign.rounds.map(\.number)
    let scopes = [ReportFormText.wholeTown] + index.data.villages.map(\.name)
    let roundLabels = [ReportFormText.wholeCampaign] + campaign.rounds.map(\.label)
    let working = campaign.workingRound(on: context.workingDay)?.number
    var form = Form(
      title: ReportFormText.formTitle(campaign.name),
      fields: [
        FormField(
          id: Self.kindField, label: ReportFormText.kind,
          kind: .choice(ReportRequest.Kind.allCases.map(\.label)), hint: ReportFormText.choiceHint),
        FormField(id: Self.scopeField, label: ReportFormText.scope, kind: .choice(scopes)),
        FormField(id: Self.roundField, label: ReportFormText.round, kind: .choice(roundLabels)),
        FormField(
          id: Self.formatField, label: ReportFormText.format,
          kind: .choice(ReportRequest.Format.allCases.map(\.label))),
        FormField(
          id: Self.stateField, label: ReportFormText.state,
          kind: .choice(Reports.HazardFilter.allCases.map(\.label)),
          hint: ReportFormText.stateHint),
        FormField(
          id: Self.reviewerField, label: ReportFormText.reviewer, kind: .text(maxLength: 12)),
        FormField(
          id: Self.phoneField, label: ReportFormText.phone, kind: .text(maxLength: 20),
          validate: PhoneNumber.validate),
        FormField(
          id: Self.folderField, label: ReportFormText.folder, kind: .text(maxLength: 120),
          required: true, requiredMessage: ReportFormText.folderRequired),
      ],
      values: [
        Self.kindField: ReportRequest.Kind.statistics.label,
        Self.scopeField: ReportFormText.wholeTown,
        // The round being worked on: what the county asks for at its end.
        Self.roundField: working.flatMap { number in
          campaign.rounds.first { $0.number == number }?.label
        } ?? ReportFormText.wholeCampaign,
        Self.formatField: ReportRequest.Format.xlsx.label,
        Self.stateField: Reports.HazardFilter.all.label,
        Self.folderField: ExportText.defaultFolder,
      ])
    form.markClean()
    self.form = form
  }

  var takesText: Bool { true }
  var isDirty: Bool { form.isDirty }

  func bindings(in context: AppContext) -> [KeyBinding] { FormKeys.standard.bindings }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    if FormKeys.standard.action(for: key) == .cancel { return [.dismiss] }
    guard case .submitted(let values) = form.handle(key), let request = request(values, context)
    else { return [] }
    return [.run(.writeRequestedReport(request, context.index.data))]
  }

  /// The typed values as a request.
  func request(_ values: [String: String], _ context: AppContext) -> ReportRequest? {
    func chosen(_ field: String) -> Int? {
      guard case .choice(let options)? = form.fields.first(where: { $0.id == field })?.kind
      else { return nil }
      return options.firstIndex(of: values[field] ?? "")
    }
    guard let kind = chosen(Self.kindField).map({ ReportRequest.Kind.allCases[$0] }),
      let scope = chosen(Self.scopeField), let round = chosen(Self.roundField),
      let format = chosen(Self.formatField).map({ ReportRequest.Format.allCases[$0] }),
      let state = chosen(Self.stateField).map({ Reports.HazardFilter.allCases[$0] })
    else { return nil }
    return ReportRequest(
      kind: kind, villageID: villageIDs[scope].isEmpty ? nil : villageIDs[scope],
      round: rounds[round] == 0 ? nil : rounds[round], campaign: campaign, format: format,
      folder: values[Self.folderField] ?? ExportText.defaultFolder, day: context.workingDay,
      operatorName: context.operatorName, reviewer: values[Self.reviewerField] ?? "",
      phone: values[Self.phoneField] ?? "", hazardState: state)
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    FormKeys.render(form, into: &buffer, body: area.body)
  }
}

/// The words of the report form.
enum ReportFormText {
  static func kindLabel(_ kind: ReportRequest.Kind) -> String {
    switch kind {
    case .statistics: return "消防安全行动统计表（附件3）"
    case .elderly: return "独居老人登记表（附件7）"
    case .hazards: return "隐患台账"
    }
  }
  static func formatLabel(_ format: ReportRequest.Format) -> String {
    switch format {
    case .xlsx: return "电子表格 .xlsx"
    case .csv: return "文本表格 .csv"
    case .pdf: return "打印版 .pdf"
    }
  }
  static func formTitle(_ campaign: String) -> String { "报表  \(campaign)（Ctrl-S 生成）" }
  static let kind = "报表"
  static let scope = "范围"
  static let round = "轮次"
  static let format = "格式"
  static let folder = "保存到文件夹"
  static let state = "隐患范围"
  static let stateHint = "只对隐患台账：全部、未整改、逾期或已销号"
  static let reviewer = "审核人"
  static let phone = "联系电话"
  static let folderRequired = "请填写保存的文件夹"
  static let choiceHint = "左右键选择"
  static let wholeTown = "全镇"
  static let wholeCampaign = "整个行动"
  static let keyReports = "生成报表"
  static let keyBars = "图表/数字"
  static func barsVisited(_ round: String) -> String { "各村（社区）走访率  \(round)" }
  static let barsHazards = "各村（社区）本行动隐患已整改（已整改/发现）"
  static let busy = "正在生成报表…"
}
