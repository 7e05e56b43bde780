import FiregridModel
import TerminalUI

/// The forms of 督查: a village's deployment meeting, a new sample, a spot-check record, the
/// notices' deadline, a notice issued; and the two read-only views, a spot check against the
/// visit records and the visit matrix. Each saves the whole `SupervisionData` with its one
/// change (the store writes one audit line per field changed).

/// A form over the section whose Ctrl-S turns the values into messages (nil: refused, the
/// form says why).
private protocol SupervisionForm: Overlay {
  var form: Form { get set }
  func submit(_ values: [String: String], context: AppContext) -> [Message]?
  /// One field: Enter saves, as in the export form; there is nothing to move to.
  var isSingleField: Bool { get }
}

private enum SingleFieldAction { case save, cancel }
private let singleFieldKeymap = Keymap<SingleFieldAction>([
  (KeyBinding([.enter, .control("s")], "Enter", AppText.setupHelpSave), .save),
  (KeyBinding([.escape], "Esc", AppText.keyCancel), .cancel),
])

extension SupervisionForm {
  var takesText: Bool { true }
  var isDirty: Bool { form.isDirty }
  var isSingleField: Bool { false }

  func bindings(in context: AppContext) -> [KeyBinding] {
    isSingleField ? singleFieldKeymap.bindings : FormKeys.standard.bindings
  }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    if FormKeys.standard.action(for: key) == .cancel {
      return FormKeys.leave(form, returningTo: self)
    }
    let key = isSingleField && key == .enter ? Key.control("s") : key
    guard case .submitted(let values) = form.handle(key) else { return [] }
    return submit(values, context: context) ?? []
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    FormKeys.render(form, into: &buffer, body: area.body)
  }
}

/// Dates typed on a supervision form: in the working winter, not after today.
private func supervisionDates(_ context: AppContext, from earliest: CivilDate? = nil)
  -> TypedDate.Range
{
  let campaign = context.workingCampaign
  return TypedDate.Range(
    earliest: earliest ?? campaign.firstDay, latest: context.today,
    winterStartYear: campaign.deploymentDeadline.year, latestIsToday: true)
}

private func supervisionDateField(
  _ id: String, _ label: String, range: TypedDate.Range, required: Bool
)
  -> FormField
{
  FormField(
    id: id, label: label, kind: .text(maxLength: 10), required: required,
    requiredMessage: VisitText.dateRequired, hint: SupervisionScreenText.dateHint,
    validate: { VisitDates.parse($0, in: range).error })
}

/// Enter on a village in 部署会: its 联村领导 and the meeting's minutes.
struct DeploymentFormOverlay: SupervisionForm {
  var form: Form
  let villageID: String
  let dates: TypedDate.Range

  static let leaderField = "linkLeader"
  static let dateField = "date"
  static let placeField = "place"
  static let chairField = "chairedBy"
  static let attendeesField = "attendees"
  static let liaisonField = "liaison"
  static let recorderField = "recorder"
  static let notesField = "notes"

  init(village: Village, context: AppContext) {
    villageID = village.id
    let dates = supervisionDates(context)
    self.dates = dates
    let deployment = context.index.data.supervision.deployment(ofVillage: village.id)
    let meeting = deployment?.meeting
    func text(_ id: String, _ label: String, _ length: Int, hint: String = "") -> FormField {
      FormField(id: id, label: label, kind: .text(maxLength: length), hint: hint)
    }
    var form = Form(
      title: SupervisionScreenText.meetingFormTitle(
        village.name, context.workingCampaign.deploymentDeadline),
      fields: [
        text(Self.leaderField, SupervisionScreenText.columnLinkLeader, 12),
        supervisionDateField(
          Self.dateField, SupervisionScreenText.meetingDate, range: dates, required: false),
        text(Self.placeField, SupervisionScreenText.columnPlace, 30),
        text(Self.chairField, SupervisionScreenText.columnChair, 12),
        text(
          Self.attendeesField, SupervisionScreenText.attendees, 200,
          hint: SupervisionScreenText.attendeesHint),
        text(Self.liaisonField, SupervisionScreenText.liaison, 12),
        text(Self.recorderField, SupervisionScreenText.recorder, 12),
        text(Self.notesField, SupervisionScreenText.meetingNotes, 400),
      ],
      values: [
        Self.leaderField: deployment?.linkLeader ?? "",
        Self.dateField: meeting?.date.description ?? "",
        Self.placeField: meeting?.place ?? "",
        Self.chairField: meeting?.chairedBy ?? "",
        Self.attendeesField: meeting?.attendees.joined(separator: "、") ?? "",
        // The village's grid worker is the liaison the seed names: offered, not assumed.
        Self.liaisonField: meeting?.liaison ?? village.liaison,
        Self.recorderField: meeting?.recorder ?? "",
        Self.notesField: meeting?.notes ?? "",
      ])
    form.markClean()
    self.form = form
  }

  fileprivate func submit(_ values: [String: String], context: AppContext) -> [Message]? {
    let value = { (id: String) in (values[id] ?? "").trimmingCharacters(in: .whitespaces) }
    var meeting: DeploymentMeeting?
    let dateText = value(Self.dateField)
    if dateText.isEmpty {
      // The rest of the minutes without a date would be a meeting that never happened.
      let typed = [
        Self.placeField, Self.chairField, Self.attendeesField, Self.recorderField,
        Self.notesField,
      ].contains { !value($0).isEmpty }
      if typed { return [.error(SupervisionScreenText.meetingDateRequired)] }
    } else {
      guard let date = VisitDates.parse(dateText, in: dates).date else { return nil }
      meeting = DeploymentMeeting(
        date: date, place: value(Self.placeField), chairedBy: value(Self.chairField),
        attendees: SupervisionScreenText.names(in: value(Self.attendeesField)),
        liaison: value(Self.liaisonField), recorder: value(Self.recorderField),
        notes: value(Self.notesField))
    }
    var supervision = context.index.data.supervision
    let deployment = VillageDeployment(
      villageID: villageID, linkLeader: value(Self.leaderField), meeting: meeting)
    if let at = supervision.deployments.firstIndex(where: { $0.villageID == villageID }) {
      supervision.deployments[at] = deployment
    } else {
      supervision.deployments.append(deployment)
    }
    let name = context.index.villageByID[villageID]?.name ?? villageID
    return [.run(.saveSupervision(supervision, message: SupervisionScreenText.meetingSaved(name)))]
  }
}

/// `n` in 抽查: which round, how many households a village, and the seed (empty: a random one,
/// printed on the sheet).
struct SampleFormOverlay: SupervisionForm {
  var form: Form
  let rounds: [Campaign.Round]

  static let roundField = "round"
  static let perVillageField = "perVillage"
  static let premisesField = "premisesPerVillage"
  static let seedField = "seed"

  init(context: AppContext) {
    let campaign = context.workingCampaign
    rounds = campaign.rounds
    let working = campaign.workingRound(on: context.workingDay)
    var form = Form(
      title: SupervisionScreenText.sampleFormTitle,
      fields: [
        FormField(
          id: Self.roundField, label: SupervisionScreenText.columnRound,
          kind: .choice(campaign.rounds.map(\.label)), hint: ReportFormText.choiceHint),
        FormField(
          id: Self.perVillageField, label: SupervisionScreenText.perVillage,
          kind: .text(maxLength: 3),
          required: true, requiredMessage: SupervisionScreenText.perVillageRequired,
          validate: { SpotCheckSampling.check(perVillage: Int($0) ?? 0, seed: 0) }),
        FormField(
          id: Self.premisesField, label: SupervisionScreenText.premisesPerVillage,
          kind: .text(maxLength: 3), hint: SupervisionScreenText.premisesPerVillageHint,
          validate: { text in
            text.isEmpty || (Int(text).map { $0 >= 0 } ?? false)
              ? nil : SupervisionScreenText.premisesPerVillageInvalid
          }),
        FormField(
          id: Self.seedField, label: SupervisionScreenText.columnSeed, kind: .text(maxLength: 8),
          hint: SupervisionScreenText.seedHint,
          validate: { text in
            text.isEmpty ? nil : SpotCheckSampling.check(perVillage: 1, seed: Int(text) ?? -1)
          }),
      ],
      values: [
        Self.roundField: working?.label ?? campaign.rounds.first?.label ?? "",
        Self.perVillageField: "5",
      ])
    form.markClean()
    self.form = form
  }

  fileprivate func submit(_ values: [String: String], context: AppContext) -> [Message]? {
    guard let round = rounds.first(where: { $0.label == values[Self.roundField] }),
      let perVillage = Int(values[Self.perVillageField] ?? "")
    else { return nil }
    let seedText = values[Self.seedField] ?? ""
    return [
      .run(
        .drawSample(
          round: round.number, perVillage: perVillage,
          premisesPerVillage: Int(values[Self.premisesField] ?? "") ?? 0,
          seed: seedText.isEmpty ? nil : Int(seedText), day: context.today))
    ]
  }
}

/// Enter (or `a`) on a sampled household: the spot-check paper, heads-down like a visit form —
/// the date and inspector, then one key per item of the spot-check form definition.
struct SpotCheckFormOverlay: SupervisionForm {
  var form: Form
  let householdID: String
  let sample: SpotCheckSample
  let definition: VisitForm
  let dates: TypedDate.Range

  static let dateField = "date"
  static let inspectorField = "inspector"
  static let missedField = "missedHazards"
  static let notesField = "notes"

  init(household: Household, sample: SpotCheckSample, definition: VisitForm, context: AppContext) {
    householdID = household.id
    self.sample = sample
    self.definition = definition
    let campaign = context.workingCampaign
    let round = campaign.rounds.first { $0.number == sample.round }
    let dates = supervisionDates(context, from: round?.start)
    self.dates = dates
    var fields = [
      supervisionDateField(
        Self.dateField, SupervisionScreenText.checkDate, range: dates, required: true),
      FormField(
        id: Self.inspectorField, label: SupervisionScreenText.inspector, kind: .text(maxLength: 20),
        required: true, requiredMessage: SupervisionScreenText.inspectorRequired,
        hint: SupervisionScreenText.inspectorHint),
    ]
    for section in definition.sections {
      fields.append(
        FormField(id: "heading.\(section.id)", label: section.title, kind: .heading))
      for item in section.items {
        fields.append(
          FormField(
            id: item.id, label: item.label, kind: .keyed(VisitSession.options(section.kind)),
            required: true, requiredMessage: VisitText.answerRequired, hint: item.hint ?? ""))
      }
    }
    fields.append(
      FormField(
        id: Self.missedField, label: SupervisionScreenText.missedHazards,
        kind: .text(maxLength: 200),
        hint: SupervisionScreenText.missedHint))
    fields.append(
      FormField(id: Self.notesField, label: VisitText.notes, kind: .text(maxLength: 200)))
    let grid = context.index.gridByID[household.gridID]
    var form = Form(
      title: SupervisionScreenText.checkFormTitle(
        context.index.villageName(ofGrid: grid), household.number, household.head?.name ?? "",
        round?.label ?? ""),
      fields: fields, values: [Self.dateField: context.today.description])
    form.focusField(Self.inspectorField)
    form.markClean()
    self.form = form
  }

  fileprivate func submit(_ values: [String: String], context: AppContext) -> [Message]? {
    guard let date = VisitDates.parse(values[Self.dateField] ?? "", in: dates).date else {
      return nil
    }
    var answers: [String: Answer] = [:]
    for item in definition.sections.flatMap(\.items) {
      guard let answer = Answer(rawValue: values[item.id] ?? "") else { return nil }
      answers[item.id] = answer
    }
    let missed = (values[Self.missedField] ?? "").trimmingCharacters(in: .whitespaces)
    let sawHazard = definition.items(of: .hazard).contains { answers[$0.id] == .no }
    if sawHazard && missed.isEmpty { return [.error(SupervisionScreenText.missedRequired)] }
    let town = context.index.data
    var supervision = town.supervision
    let check = SpotCheck(
      id: supervision.nextSpotCheckID(householdID: householdID), householdID: householdID,
      sampleID: sample.id, round: sample.round, date: date,
      inspector: (values[Self.inspectorField] ?? "").trimmingCharacters(in: .whitespaces),
      answers: answers, missedHazards: missed, notes: values[Self.notesField] ?? "",
      formID: definition.formID,
      recordedVisitIDs: Supervision.recordedVisitIDs(
        householdID: householdID, round: sample.round, campaign: context.workingCampaign,
        town: town))
    supervision.spotChecks.append(check)
    let comparison = Supervision.compare(check, campaign: context.workingCampaign, town: town)
    return [
      .run(
        .saveSupervision(
          supervision,
          message: comparison.contradictsRecords
            ? SupervisionScreenText.checkContradicts : SupervisionScreenText.checkSaved))
    ]
  }
}

/// `d` in 通报约谈: the day the lists are drawn up as of (a later deadline counts make-up visits).
struct DeadlineFormOverlay: SupervisionForm {
  var form: Form
  var isSingleField: Bool { true }
  let dates: TypedDate.Range
  static let dateField = "asOf"

  init(round: Campaign.Round, campaign: Campaign, context: AppContext) {
    // A deadline is the round's end or later: before it nobody is behind yet.
    let dates = supervisionDates(context, from: round.end)
    self.dates = dates
    var form = Form(
      title: SupervisionScreenText.deadlineTitle(round.label),
      fields: [
        supervisionDateField(
          Self.dateField, SupervisionScreenText.asOf, range: dates, required: true)
      ],
      values: [Self.dateField: max(round.end, context.today).description])
    form.markClean()
    self.form = form
  }

  fileprivate func submit(_ values: [String: String], context: AppContext) -> [Message]? {
    guard let day = VisitDates.parse(values[Self.dateField] ?? "", in: dates).date else {
      return nil
    }
    return [.dismiss, .setNoticesDeadline(day)]
  }
}

/// `i` in 通报约谈: a list was issued — its kind, number and date, with the persons the draft
/// names, so the next round's drafts know who was already named.
struct IssueNoticeOverlay: SupervisionForm {
  var form: Form
  let draft: Supervision.NoticeDraft
  let dates: TypedDate.Range

  static let kindField = "kind"
  static let numberField = "number"
  static let dateField = "issuedOn"

  init(draft: Supervision.NoticeDraft, context: AppContext) {
    self.draft = draft
    let dates = supervisionDates(context)
    self.dates = dates
    var form = Form(
      title: SupervisionScreenText.issueTitle(draft),
      fields: [
        FormField(
          id: Self.kindField, label: SupervisionScreenText.columnList,
          kind: .choice(IssuedNotice.Kind.allCases.map(\.label)), hint: ReportFormText.choiceHint),
        FormField(
          id: Self.numberField, label: SupervisionScreenText.number, kind: .text(maxLength: 30),
          required: true, requiredMessage: SupervisionScreenText.numberRequired,
          hint: SupervisionScreenText.numberHint),
        supervisionDateField(
          Self.dateField, SupervisionScreenText.issuedOn, range: dates, required: true),
      ],
      values: [
        Self.kindField: IssuedNotice.Kind.criticism.label,
        Self.dateField: context.today.description,
      ])
    form.markClean()
    self.form = form
  }

  fileprivate func submit(_ values: [String: String], context: AppContext) -> [Message]? {
    guard
      let kind = IssuedNotice.Kind.allCases.first(where: { $0.label == values[Self.kindField] }),
      let date = VisitDates.parse(values[Self.dateField] ?? "", in: dates).date
    else { return nil }
    let persons = kind == .criticism ? draft.criticism : draft.admonition
    guard !persons.isEmpty else { return [.error(SupervisionScreenText.nobodyListed(kind.label))] }
    var supervision = context.index.data.supervision
    let number = (values[Self.numberField] ?? "").trimmingCharacters(in: .whitespaces)
    if supervision.notices.contains(where: { $0.number == number }) {
      return [.error(SupervisionScreenText.numberTaken(number))]
    }
    supervision.notices.append(
      IssuedNotice(
        id: supervision.nextNoticeID(), kind: kind, number: number, issuedOn: date,
        campaign: draft.campaign, round: draft.round, persons: persons))
    return [
      .run(
        .saveSupervision(
          supervision, message: SupervisionScreenText.issued(kind.label, number, persons.count)))
    ]
  }
}

/// A list of lines over the section that j/k scroll and Esc closes.
private protocol LinesOverlay: Overlay {
  var top: Int { get set }
  func lines(_ context: AppContext) -> [(text: String, style: Style)]
}

private enum LinesAction { case scroll, close }
private let linesKeymap = Keymap<LinesAction>([
  (ListKeys.move, .scroll), (ListKeys.page, .scroll),
  (KeyBinding([.escape, .enter, .character("q")], "Esc", AppText.keyBack), .close),
])

extension LinesOverlay {
  func bindings(in context: AppContext) -> [KeyBinding] { linesKeymap.bindings }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    switch linesKeymap.action(for: key) {
    case .close?: return [.dismiss]
    case .scroll?:
      let page = max(1, context.contentRows - 2)
      let step =
        [Key.down, .character("j")].contains(key)
        ? 1 : [Key.up, .character("k")].contains(key) ? -1 : key == .pageDown ? page : -page
      top = max(0, min(top + step, lines(context).count - 1))
      return []
    case nil: return []
    }
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let body = area.body
    buffer.fill(body, style: .plain)
    for (row, line) in lines(context).dropFirst(top).enumerated() where row < body.height {
      buffer.write(
        line.text, x: body.x + 2, y: body.y + row, maxWidth: body.width - 4, style: line.style)
    }
    return nil
  }
}

/// Enter on a checked household: what the inspector found beside what the records claim, the
/// contradictions first, and the grid's weekly contacts of the round's weeks.
struct SpotCheckOverlay: LinesOverlay {
  let spotCheck: SpotCheck
  var top = 0

  init(spotCheck: SpotCheck, context: AppContext) { self.spotCheck = spotCheck }

  func lines(_ context: AppContext) -> [(text: String, style: Style)] {
    let index = context.index
    let town = index.data
    let campaign = context.workingCampaign
    let comparison = Supervision.compare(spotCheck, campaign: campaign, town: town)
    let household = index.householdByID[spotCheck.householdID]
    let grid = household.flatMap { index.gridByID[$0.gridID] }
    let round = campaign.rounds.first { $0.number == spotCheck.round }
    var out: [(text: String, style: Style)] = [
      (
        SupervisionScreenText.checkViewTitle(
          index.villageName(ofGrid: grid), household?.number ?? "", household?.head?.name ?? "",
          round?.label ?? ""), .title
      ),
      (SupervisionScreenText.checkedBy(spotCheck.date, spotCheck.inspector), .plain), ("", .plain),
    ]
    if comparison.flags.isEmpty {
      out.append((SupervisionScreenText.noFlags, .plain))
    }
    for flag in comparison.flags {
      out.append((SupervisionScreenText.flag(flag, index: index, forms: context.forms), .error))
    }
    out.append(("", .plain))
    out.append((SupervisionScreenText.recordsHeading, .title))
    if comparison.visitsInRound.isEmpty { out.append((SupervisionScreenText.notVisited, .plain)) }
    for visit in comparison.visitsInRound {
      out.append(
        (
          SupervisionScreenText.visitLine(
            visit.date, index.visitorByID[visit.visitorID ?? ""]?.name ?? AppText.none,
            visit.personsMet), .plain
        ))
    }
    out.append(("", .plain))
    out.append((SupervisionScreenText.contactsHeading(grid?.name ?? ""), .title))
    for week in comparison.contactWeeks {
      out.append(
        (
          SupervisionScreenText.contactLine(week.week, week.log),
          week.log?.contacted == true ? .plain : .warning
        ))
    }
    let form = context.forms.definition(formID: spotCheck.formID)
    out.append(("", .plain))
    out.append((SupervisionScreenText.answersHeading, .title))
    for section in form?.sections ?? [] {
      for item in section.items {
        let answer = spotCheck.answers[item.id]
        out.append(
          (
            SupervisionScreenText.answerLine(item.label, answer?.label(for: section.kind) ?? ""),
            answer == .no ? .warning : .plain
          ))
      }
    }
    if !spotCheck.missedHazards.isEmpty {
      out.append((SupervisionScreenText.missedLine(spotCheck.missedHazards), .warning))
    }
    if !spotCheck.notes.isEmpty {
      out.append((SupervisionScreenText.notesLine(spotCheck.notes), .plain))
    }
    return out
  }
}

/// Who visited which household when: rows households, columns the winter's rounds (each a
/// half-month from December), a cell the visitor's surname and the day. `o` writes the whole
/// matrix with full names; `h` opens a household's history.
struct VisitMatrixOverlay: Overlay {
  let householdIDs: [String]
  let scope: String
  var table: Table

  init(householdIDs: [String], scope: String, context: AppContext) {
    self.householdIDs = householdIDs
    self.scope = scope
    let town = context.index.data
    let matrix = Supervision.visitMatrix(
      householdIDs: householdIDs, campaign: context.workingCampaign, town: town)
    var columns = [
      TableColumn(AppText.columnNumber, width: 5), TableColumn(AppText.columnHead, width: 6),
    ]
    for round in matrix.rounds {
      columns.append(TableColumn(SupervisionScreenText.halfMonth(round), width: 6))
    }
    var rows: [[String]] = []
    var styles: [Int: Style] = [:]
    for (row, householdID) in matrix.householdIDs.enumerated() {
      let household = context.index.householdByID[householdID]
      var cells = [household?.number ?? "", household?.head?.name ?? ""]
      for (column, marks) in matrix.marks[row].enumerated() {
        let round = matrix.rounds[column]
        if marks.isEmpty, round.end < context.workingDay { styles[row] = .warning }
        cells.append(
          SupervisionScreenText.compactMarks(
            marks.map { (context.index.visitorByID[$0.visitorID ?? ""]?.name ?? "?", $0.date) }))
      }
      rows.append(cells)
    }
    table = Table(columns: columns, rows: rows, rowStyles: styles)
    table.emptyText = SupervisionScreenText.noHouseholds
  }

  enum Action { case move, history, export, close }
  static let keymap = Keymap<Action>([
    (ListKeys.move, .move), (ListKeys.page, .move),
    (KeyBinding([.character("h")], "h", VisitText.keyHistory), .history),
    (KeyBinding([.character("o")], "o", ExportText.key), .export),
    (KeyBinding([.escape, .character("q")], "Esc", AppText.keyBack), .close),
  ])

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    switch Self.keymap.action(for: key) {
    case .move?:
      _ = table.handle(key, pageSize: max(1, context.contentRows - 3))
      return []
    case .history?:
      guard let row = table.selectedIndex, row < householdIDs.count else { return [] }
      return [.run(.openHistory(householdID: householdIDs[row]))]
    case .export?:
      let report = SupervisionReports.matrix(
        householdIDs: householdIDs, title: scope, campaign: context.workingCampaign,
        town: context.index.data)
      return context.exportReport(
        report, name: SupervisionScreenText.matrixFile(scope), format: "xlsx")
    case .close?: return [.dismiss]
    case nil: return []
    }
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let body = area.body
    buffer.fill(body, style: .plain)
    buffer.write(SupervisionScreenText.matrixTitle(scope), x: body.x + 1, y: body.y, style: .title)
    var table = table
    table.render(
      into: &buffer,
      area: Rect(
        x: body.x + 1, y: body.y + 1, width: body.width - 2,
        height: body.height - 1), focused: true)
    return nil
  }
}
