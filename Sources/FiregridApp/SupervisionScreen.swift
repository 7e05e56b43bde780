import FiregridModel
import TerminalUI

/// 督查 (section 6): what the leading group and the discipline commission check (the seed,
/// 五(一) and 六(三)). Four views, each a key: `b` 部署会 (each village's 联村领导 and deployment
/// meeting, those without one by the deadline marked), `r` 走访任务 (each visitor's quota over a
/// round or a month, any past one; Enter: who visited their households when), `c` 抽查
/// (samples drawn reproducibly → their households → the spot-check records and how they
/// compare with the visit records), `t` 通报约谈 (a round's 通报批评 and 约谈 drafts, with the
/// facts; what was issued is recorded). The rules are the model's (`Supervision`,
/// `SpotCheckSampling`, `SupervisionReports`); this screen only lists and asks.
struct SupervisionScreen: Equatable {
  enum Level: Equatable {
    /// Every village's deployment; `onlyMissing`: those without a meeting by the deadline.
    case deployments(onlyMissing: Bool)
    case quota(Supervision.Period)
    case samples
    /// One sample's households.
    case sample(id: String)
    /// A round's draft lists as of `asOf` (nil: the round's end). A round still running has
    /// none: nobody is behind before the deadline.
    case notices(round: Int, asOf: CivilDate?)

    var view: View {
      switch self {
      case .deployments: return .deployments
      case .quota: return .quota
      case .samples, .sample: return .samples
      case .notices: return .notices
      }
    }
  }

  enum View: CaseIterable { case deployments, quota, samples, notices }

  typealias Frame = ListStack<Level>.Frame

  private(set) var stack: ListStack<Level>

  init(context: AppContext) {
    stack = ListStack(
      Self.makeFrame(.deployments(onlyMissing: false), filter: "", context: context),
      filterLimit: 20)
  }

  var current: Frame { stack.current }
  var filtering: Bool { stack.filtering }
  var selectedID: String? { stack.selectedID }

  private static func build(_ context: AppContext) -> ListStack<Level>.Build {
    { level, filter in
      if case .sample(let id) = level, context.index.data.supervision.sample(id: id) == nil {
        return nil
      }
      return makeFrame(level, filter: filter, context: context)
    }
  }

  mutating func reload(_ context: AppContext) {
    stack.reload(Self.build(context), top: .deployments(onlyMissing: false))
  }

  /// Shows a view from its top.
  private mutating func show(_ level: Level, context: AppContext) {
    stack.replace(with: [Self.makeFrame(level, filter: "", context: context)])
  }

  /// The notices' deadline was typed (`d`): the same round as of that day.
  mutating func setNoticesDeadline(_ day: CivilDate, context: AppContext) {
    guard case .notices(let round, _) = current.level else { return }
    show(.notices(round: round, asOf: day), context: context)
  }

  // MARK: Keys

  enum Action: Equatable {
    case move, open, back, filter, export
    case view(View)
    case edit, onlyMissing, printMinutes
    case previousPeriod, nextPeriod, monthOrRound
    case newSample, printSheet, newSpotCheck, history
    case deadline, issue, printDraft
  }

  static func keymap(level: Level) -> Keymap<Action> {
    var map = Keymap<Action>([(ListKeys.move, .move)])
    switch level {
    case .deployments:
      map.add(
        KeyBinding([.enter, .character("e")], "Enter", SupervisionScreenText.keyEditMeeting), .edit)
      map.add(
        KeyBinding([.character("u")], "u", SupervisionScreenText.keyOnlyMissing), .onlyMissing)
      map.add(KeyBinding([.character("p")], "p", SupervisionScreenText.keyMinutes), .printMinutes)
    case .quota:
      map.add(KeyBinding([.enter], "Enter", SupervisionScreenText.keyMatrix), .open)
      map.add(
        KeyBinding([.character("[")], "[", SupervisionScreenText.keyPrevious), .previousPeriod)
      map.add(KeyBinding([.character("]")], "]", SupervisionScreenText.keyNext), .nextPeriod)
      map.add(
        KeyBinding([.character("m")], "m", SupervisionScreenText.keyMonthOrRound), .monthOrRound)
    case .samples:
      map.add(KeyBinding([.enter], "Enter", SupervisionScreenText.keyOpenSample), .open)
      map.add(KeyBinding([.character("n")], "n", SupervisionScreenText.keyNewSample), .newSample)
      map.add(KeyBinding([.character("p")], "p", SupervisionScreenText.keySheet), .printSheet)
    case .sample:
      map.add(KeyBinding([.enter], "Enter", SupervisionScreenText.keyOpenCheck), .open)
      map.add(KeyBinding([.character("a")], "a", SupervisionScreenText.keyNewCheck), .newSpotCheck)
      map.add(KeyBinding([.character("p")], "p", SupervisionScreenText.keySheet), .printSheet)
      map.add(KeyBinding([.character("h")], "h", VisitText.keyHistory, inBar: false), .history)
    case .notices:
      map.add(
        KeyBinding([.character("[")], "[", SupervisionScreenText.keyPreviousRound), .previousPeriod)
      map.add(KeyBinding([.character("]")], "]", SupervisionScreenText.keyNextRound), .nextPeriod)
      map.add(KeyBinding([.character("d")], "d", SupervisionScreenText.keyDeadline), .deadline)
      map.add(KeyBinding([.character("p")], "p", SupervisionScreenText.keyDraft), .printDraft)
      map.add(KeyBinding([.character("i")], "i", SupervisionScreenText.keyIssue), .issue)
    }
    map.add(KeyBinding([.escape, .left], "Esc", AppText.keyBack, inBar: false), .back)
    // The other views' keys (the view in view is where its key leads already; from one
    // sample's households `c` leads back to the samples).
    let views: [(Character, String, View)] = [
      ("b", SupervisionScreenText.viewDeployments, .deployments),
      ("r", SupervisionScreenText.viewQuota, .quota),
      ("c", SupervisionScreenText.viewSamples, .samples),
      ("t", SupervisionScreenText.viewNotices, .notices),
    ]
    for (key, label, view) in views {
      if case .sample = level, view == .samples {
      } else if view == level.view {
        continue
      }
      map.add(KeyBinding([.character(key)], String(key), label, inBar: false), .view(view))
    }
    map.add(KeyBinding([.character("f")], "f", AppText.keySearch, inBar: false), .filter)
    map.add(KeyBinding([.character("o")], "o", ExportText.key, inBar: false), .export)
    map.add(ListKeys.page, .move)
    map.add(ListKeys.firstLast, .move)
    return map
  }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message]? {
    let pageSize = max(1, context.contentRows - 4)
    if filtering {
      stack.handleFilterKey(key, pageSize: pageSize, build: Self.build(context))
      return []
    }
    guard let action = Self.keymap(level: current.level).action(for: key) else { return nil }
    let supervision = context.index.data.supervision
    let campaign = context.workingCampaign
    switch action {
    case .move:
      _ = stack.move(key, pageSize: pageSize)
    case .back:
      if stack.clearFilter(Self.build(context)) { return [] }
      guard stack.pop() else { return key == .escape ? nil : [] }
    case .filter:
      stack.startFilter()
    case .export:
      return context.export(
        title: title(context: context), filter: current.filter, table: current.table)
    case .view(let view):
      show(Self.firstLevel(of: view, context: context), context: context)
    case .edit:
      guard let villageID = selectedID, let village = context.index.villageByID[villageID] else {
        return []
      }
      if let refused = context.refusesChanges { return [refused] }
      return [.present(DeploymentFormOverlay(village: village, context: context))]
    case .onlyMissing:
      guard case .deployments(let only) = current.level else { return [] }
      show(.deployments(onlyMissing: !only), context: context)
    case .printMinutes:
      guard let villageID = selectedID, let village = context.index.villageByID[villageID] else {
        return []
      }
      let report = SupervisionReports.minutes(
        villageID: villageID, campaign: campaign, town: context.index.data)
      return context.exportReport(
        report, name: SupervisionScreenText.minutesFile(village.name), format: "pdf")
    case .previousPeriod, .nextPeriod:
      let step = action == .nextPeriod ? 1 : -1
      switch current.level {
      case .quota(let period):
        let periods = Self.periods(like: period, campaign: campaign)
        guard let at = periods.firstIndex(of: period), periods.indices.contains(at + step) else {
          return [.info(SupervisionScreenText.noFurther)]
        }
        show(.quota(periods[at + step]), context: context)
      case .notices(let round, _):
        guard campaign.rounds.contains(where: { $0.number == round + step }) else {
          return [.info(SupervisionScreenText.noFurther)]
        }
        show(.notices(round: round + step, asOf: nil), context: context)
      default: break
      }
    case .monthOrRound:
      guard case .quota(let period) = current.level else { return [] }
      show(.quota(Self.toggled(period, campaign: campaign)), context: context)
    case .open:
      return open(context: context)
    case .newSample:
      if let refused = context.refusesChanges { return [refused] }
      return [.present(SampleFormOverlay(context: context))]
    case .printSheet:
      let sampleID: String?
      if case .sample(let id) = current.level { sampleID = id } else { sampleID = selectedID }
      guard let sampleID, let sample = supervision.sample(id: sampleID) else { return [] }
      let report = SupervisionReports.checkSheet(
        sample: sample, campaign: campaign, town: context.index.data)
      return context.exportReport(
        report, name: SupervisionScreenText.sheetFile(sample), format: "pdf")
    case .newSpotCheck:
      guard case .sample(let sampleID) = current.level, let householdID = selectedID,
        let sample = supervision.sample(id: sampleID)
      else { return [] }
      if context.index.data.premises(id: householdID) != nil {
        return [.info(SupervisionScreenText.premisesCheckedOnItsForm)]
      }
      return spotCheckForm(householdID: householdID, sample: sample, context: context)
    case .history:
      guard let householdID = selectedID else { return [] }
      if context.index.data.premises(id: householdID) != nil {
        return [.run(.openPremisesHistory(premisesID: householdID))]
      }
      return [.run(.openHistory(householdID: householdID))]
    case .deadline:
      guard case .notices(let round, _) = current.level,
        let chosen = campaign.rounds.first(where: { $0.number == round })
      else { return [] }
      if let notYet = Self.notDue(round: round, asOf: nil, context: context) {
        return [.error(notYet)]
      }
      return [.present(DeadlineFormOverlay(round: chosen, campaign: campaign, context: context))]
    case .issue, .printDraft:
      guard case .notices(let number, let asOf) = current.level else { return [] }
      if let notYet = Self.notDue(round: number, asOf: asOf, context: context) {
        return [.error(notYet)]
      }
      guard let draft = draft(context: context) else { return [] }
      if action == .printDraft {
        let report = SupervisionReports.notices(draft, town: context.index.data)
        return context.exportReport(
          report, name: SupervisionScreenText.draftFile(draft.round), format: "pdf")
      }
      if let refused = context.refusesChanges { return [refused] }
      return [.present(IssueNoticeOverlay(draft: draft, context: context))]
    }
    return []
  }

  /// Enter: a visitor's matrix, a sample's households, a household's spot check.
  private mutating func open(context: AppContext) -> [Message] {
    guard let id = selectedID else { return [] }
    let town = context.index.data
    switch current.level {
    case .quota:
      guard let visitor = context.index.visitorByID[id] else { return [] }
      return [
        .present(
          VisitMatrixOverlay(
            householdIDs: Supervision.households(ofVisitor: id, town: town),
            scope: SupervisionScreenText.matrixOfVisitor(visitor.name), context: context))
      ]
    case .samples:
      stack.push(Self.makeFrame(.sample(id: id), filter: "", context: context))
    case .sample(let sampleID):
      // A premises drawn on request is checked on its own form: its 场所档案.
      if town.premises(id: id) != nil { return [.run(.openPremisesHistory(premisesID: id))] }
      if let check = town.supervision.spotChecks.last(where: {
        $0.householdID == id && $0.sampleID == sampleID
      }) {
        return [.present(SpotCheckOverlay(spotCheck: check, context: context))]
      }
      guard let sample = town.supervision.sample(id: sampleID) else { return [] }
      return spotCheckForm(householdID: id, sample: sample, context: context)
    default: break
    }
    return []
  }

  private func spotCheckForm(householdID: String, sample: SpotCheckSample, context: AppContext)
    -> [Message]
  {
    if let refused = context.refusesChanges { return [refused] }
    guard let form = context.forms.current(SpotCheck.formID) else {
      return [.error(SupervisionScreenText.formMissing)]
    }
    guard let household = context.index.householdByID[householdID] else { return [] }
    return [
      .present(
        SpotCheckFormOverlay(
          household: household, sample: sample, definition: form, context: context))
    ]
  }

  /// The draft lists of the notices level in view.
  func draft(context: AppContext) -> Supervision.NoticeDraft? {
    guard case .notices(let number, let asOf) = current.level else { return nil }
    return Self.draft(round: number, asOf: asOf, context: context)
  }

  /// Why a round has no lists yet (its deadline has not come), nil when it has.
  static func notDue(round number: Int, asOf: CivilDate?, context: AppContext) -> String? {
    guard let round = context.workingCampaign.rounds.first(where: { $0.number == number }) else {
      return nil
    }
    let deadline = asOf ?? round.end
    return deadline > context.workingDay
      ? SupervisionScreenText.notDue(round.label, deadline) : nil
  }

  static func draft(round number: Int, asOf: CivilDate?, context: AppContext)
    -> Supervision.NoticeDraft?
  {
    let campaign = context.workingCampaign
    guard let round = campaign.rounds.first(where: { $0.number == number }),
      notDue(round: number, asOf: asOf, context: context) == nil
    else { return nil }
    let town = context.index.data
    let day = asOf ?? round.end
    let findings = Supervision.findings(
      round: round, campaign: campaign, asOf: day, town: town)
    let issued = town.supervision.notices.filter { $0.campaign == campaign.name }
    return Supervision.draftNotices(findings, issued: issued, campaign: campaign, town: town)
  }

  // MARK: Periods

  /// Where each view starts: the working round, the last round that has ended for notices.
  static func firstLevel(of view: View, context: AppContext) -> Level {
    let campaign = context.workingCampaign
    let working = campaign.workingRound(on: context.workingDay)
    switch view {
    case .deployments: return .deployments(onlyMissing: false)
    case .samples: return .samples
    case .quota:
      guard let working else {
        return .quota(.month(year: context.today.year, month: context.today.month))
      }
      return .quota(.round(working))
    case .notices:
      let ended = campaign.finishedRounds(by: context.workingDay).last ?? working
      return .notices(round: ended?.number ?? 1, asOf: nil)
    }
  }

  /// The rounds, or the months the rounds start in, in order.
  static func periods(like period: Supervision.Period, campaign: Campaign) -> [Supervision.Period] {
    switch period {
    case .round: return campaign.rounds.map { .round($0) }
    case .month: return months(campaign).map { .month(year: $0.year, month: $0.month) }
    }
  }

  private static func months(_ campaign: Campaign) -> [CivilDate] {
    var result: [CivilDate] = []
    for round in campaign.rounds {
      let first = CivilDate(year: round.start.year, month: round.start.month, day: 1)
      if result.last != first { result.append(first) }
    }
    return result
  }

  /// `m`: the month a round starts in, or the first round of a month.
  static func toggled(_ period: Supervision.Period, campaign: Campaign) -> Supervision.Period {
    switch period {
    case .round(let round): return .month(year: round.start.year, month: round.start.month)
    case .month(let year, let month):
      let round = campaign.rounds.first { $0.start.year == year && $0.start.month == month }
      return round.map { .round($0) } ?? period
    }
  }

  // MARK: Titles and tables

  func title(context: AppContext) -> String {
    let campaign = context.workingCampaign
    switch current.level {
    case .deployments(let only):
      return SupervisionScreenText.deploymentsTitle(campaign.deploymentDeadline, onlyMissing: only)
    case .quota(let period): return SupervisionScreenText.quotaTitle(period.label)
    case .samples: return SupervisionScreenText.samplesTitle
    case .sample(let id):
      guard let sample = context.index.data.supervision.sample(id: id) else { return "" }
      return SupervisionScreenText.sampleTitle(sample)
    case .notices(let round, let asOf):
      let label = campaign.rounds.first { $0.number == round }?.label ?? ""
      let day = asOf ?? campaign.rounds.first { $0.number == round }?.end
      return SupervisionScreenText.noticesTitle(label, asOf: day)
    }
  }

  static func makeFrame(_ level: Level, filter: String, context: AppContext) -> Frame {
    let (columns, rows, ids, styles) = build(level, context: context)
    return Frame(
      level: level, columns: columns, rows: rows, ids: ids, styles: styles, filter: filter,
      emptyText: SupervisionScreenText.empty(level))
  }

  private typealias Built = ([TableColumn], [[String]], [String], [Int: Style])

  private static func build(_ level: Level, context: AppContext) -> Built {
    let index = context.index
    let town = index.data
    let campaign = context.workingCampaign
    var rows: [[String]] = []
    var ids: [String] = []
    var styles: [Int: Style] = [:]
    switch level {
    case .deployments(let onlyMissing):
      let missing = Set(
        Supervision.villagesWithoutMeeting(campaign: campaign, town: town).map(\.id))
      for village in town.villages where !onlyMissing || missing.contains(village.id) {
        let deployment = town.supervision.deployment(ofVillage: village.id)
        let meeting = deployment?.meeting
        let state: String
        if let meeting {
          state =
            meeting.date > campaign.deploymentDeadline
            ? SupervisionScreenText.meetingLate(meeting.date) : meeting.date.description
        } else {
          state = SupervisionScreenText.meetingNone
        }
        if missing.contains(village.id) { styles[rows.count] = .warning }
        rows.append([
          village.name, deployment?.linkLeader ?? "", state, meeting?.place ?? "",
          meeting?.chairedBy ?? "", meeting?.liaison ?? village.liaison,
          meeting.map { "\($0.attendees.count)" } ?? "",
        ])
        ids.append(village.id)
      }
      return (
        [
          TableColumn(AppText.columnVillage, width: 12),
          TableColumn(SupervisionScreenText.columnLinkLeader, width: 8),
          TableColumn(SupervisionScreenText.columnMeeting, width: 12),
          TableColumn(SupervisionScreenText.columnPlace, width: 12),
          TableColumn(SupervisionScreenText.columnChair, width: 8),
          TableColumn(AppText.columnLiaison, width: 8),
          TableColumn(SupervisionScreenText.columnAttendees, width: 4, alignment: .right),
        ], rows, ids, styles
      )
    case .quota(let period):
      for quota in Supervision.quota(in: period, campaign: campaign, town: town) {
        let visitor = index.visitorByID[quota.visitorID]
        if !quota.short.isEmpty { styles[rows.count] = .warning }
        rows.append([
          visitor?.name ?? quota.visitorID, visitor?.role.label ?? "", "\(quota.assigned)",
          "\(quota.required)", "\(quota.householdsDone)", "\(quota.short.count)",
          "\(quota.visits)",
          quota.short.prefix(6).compactMap { index.householdByID[$0.householdID]?.number }
            .joined(separator: " ") + (quota.short.count > 6 ? "…" : ""),
        ])
        ids.append(quota.visitorID)
      }
      return (
        [
          TableColumn(AppText.columnVisitor, width: 8), TableColumn(AppText.columnRole, width: 10),
          TableColumn(SupervisionScreenText.columnAssigned, width: 6, alignment: .right),
          TableColumn(SupervisionScreenText.columnRequired, width: 8, alignment: .right),
          TableColumn(SupervisionScreenText.columnDone, width: 6, alignment: .right),
          TableColumn(SupervisionScreenText.columnShort, width: 6, alignment: .right),
          TableColumn(SupervisionScreenText.columnVisits, width: 6, alignment: .right),
          TableColumn(SupervisionScreenText.columnShortHouseholds, width: 20),
        ], rows, ids, styles
      )
    case .samples:
      for sample in town.supervision.samples.reversed() {
        let checks = town.supervision.spotChecks.filter { $0.sampleID == sample.id }
        let flagged = checks.filter {
          Supervision.compare($0, campaign: campaign, town: town).contradictsRecords
        }.count
        if flagged > 0 { styles[rows.count] = .error }
        rows.append([
          sample.id,
          campaign.rounds.first { $0.number == sample.round }?.label ?? "\(sample.round)",
          "\(sample.perVillage)", "\(sample.seed)", sample.drawnOn.description, sample.drawnBy,
          "\(sample.householdIDs.count)", "\(Set(checks.map(\.householdID)).count)", "\(flagged)",
        ])
        ids.append(sample.id)
      }
      return (
        [
          TableColumn(SupervisionScreenText.columnSample, width: 4),
          TableColumn(SupervisionScreenText.columnRound, width: 22),
          TableColumn(SupervisionScreenText.columnPerVillage, width: 4, alignment: .right),
          TableColumn(SupervisionScreenText.columnSeed, width: 8, alignment: .right),
          TableColumn(SupervisionScreenText.columnDrawnOn, width: 10),
          TableColumn(SupervisionScreenText.columnDrawnBy, width: 6),
          TableColumn(AppText.columnHouseholds, width: 4, alignment: .right),
          TableColumn(SupervisionScreenText.columnChecked, width: 6, alignment: .right),
          TableColumn(SupervisionScreenText.columnFlagged, width: 4, alignment: .right),
        ], rows, ids, styles
      )
    case .sample(let sampleID):
      guard let sample = town.supervision.sample(id: sampleID) else { return ([], [], [], [:]) }
      let round = campaign.rounds.first { $0.number == sample.round }
      for householdID in sample.householdIDs {
        guard let household = index.householdByID[householdID] else { continue }
        let grid = index.gridByID[household.gridID]
        let visits = round.map { town.visitRecord(of: householdID).visits(in: $0) } ?? []
        let check = town.supervision.spotChecks.last {
          $0.householdID == householdID && $0.sampleID == sampleID
        }
        let result: String
        if let check {
          let comparison = Supervision.compare(check, campaign: campaign, town: town)
          result =
            comparison.contradictsRecords
            ? SupervisionScreenText.resultContradicts
            : SupervisionScreenText.resultConsistent
          if comparison.contradictsRecords { styles[rows.count] = .error }
        } else {
          result = SupervisionScreenText.resultPending
        }
        rows.append([
          index.villageName(ofGrid: grid), grid?.name ?? "", household.number,
          household.head?.name ?? "", index.visitorName(household) ?? "",
          visits.isEmpty
            ? SupervisionScreenText.notVisited : visits.map(\.date.monthDay).joined(separator: " "),
          result,
        ])
        ids.append(householdID)
      }
      // Premises drawn on request: checked on their own forms (Enter: the 场所档案).
      for premisesID in sample.premisesIDs {
        guard let premises = town.premises(id: premisesID) else { continue }
        let grid = index.gridByID[premises.gridID]
        let inspections = round.map { town.inspectionRecord(of: premisesID).visits(in: $0) } ?? []
        rows.append([
          index.villageName(ofGrid: grid), grid?.name ?? "", SupervisionScreenText.premisesRow,
          premises.name, index.visitorByID[premises.visitorID ?? ""]?.name ?? "",
          inspections.isEmpty
            ? SupervisionScreenText.notInspected
            : inspections.map(\.date.monthDay).joined(separator: " "),
          SupervisionScreenText.premisesResult,
        ])
        ids.append(premisesID)
      }
      return (
        [
          TableColumn(AppText.columnVillage, width: 10), TableColumn(AppText.columnGrid, width: 8),
          TableColumn(AppText.columnNumber, width: 6), TableColumn(AppText.columnHead, width: 8),
          TableColumn(AppText.columnVisitor, width: 8),
          TableColumn(SupervisionScreenText.columnRecordedVisits, width: 12),
          TableColumn(SupervisionScreenText.columnResult, width: 10),
        ], rows, ids, styles
      )
    case .notices(let round, let asOf):
      let draft = draft(round: round, asOf: asOf, context: context)
      func add(_ list: String, _ person: NoticedPerson, style: Style?) {
        if let style { styles[rows.count] = style }
        let unit =
          person.villageID.flatMap { index.villageByID[$0]?.name }
          ?? person.visitorID.flatMap { index.visitorByID[$0]?.role.label } ?? ""
        rows.append([list, person.name, unit, person.reason])
        ids.append("\(ids.count)")
      }
      if let notYet = notDue(round: round, asOf: asOf, context: context) {
        styles[rows.count] = .warning
        rows.append([SupervisionScreenText.notDueLabel, "", "", notYet])
        ids.append("\(ids.count)")
      }
      for person in draft?.admonition ?? [] {
        add(IssuedNotice.Kind.admonition.label, person, style: .error)
      }
      for person in draft?.criticism ?? [] {
        add(IssuedNotice.Kind.criticism.label, person, style: .warning)
      }
      for notice in town.supervision.notices where notice.campaign == campaign.name {
        styles[rows.count] = .muted
        rows.append([
          SupervisionScreenText.issuedLabel(notice.kind.label), notice.issuedOn.monthDay,
          SupervisionScreenText.issuedRound(notice.round),
          SupervisionScreenText.issuedSummary(notice),
        ])
        ids.append("\(ids.count)")
      }
      return (
        [
          TableColumn(SupervisionScreenText.columnList, width: 12),
          TableColumn(AppText.columnName, width: 8),
          TableColumn(SupervisionScreenText.columnUnit, width: 10),
          TableColumn(SupervisionScreenText.columnReason, width: 40),
        ], rows, ids, styles
      )
    }
  }
}

extension SupervisionScreen: SectionScreen {
  var isTyping: Bool { filtering }

  func bindings(in context: AppContext) -> [KeyBinding] {
    filtering ? ListStack<Level>.filterKeys.bindings : Self.keymap(level: current.level).bindings
  }

  func render(into buffer: inout ScreenBuffer, area: Rect, context: AppContext) -> (
    x: Int, y: Int
  )? {
    // The views' keys first, the one in view marked: four lists under one tab.
    let (viewRow, rest) = area.splitTop(1)
    var x = viewRow.x + 1
    for view in View.allCases {
      let label = SupervisionScreenText.viewTab(view)
      buffer.write(label, x: x, y: viewRow.y, style: view == current.level.view ? .key : .muted)
      x += label.displayWidth + 2
    }
    var frame = current
    let (tableArea, cursor) = ListHeader.render(
      title: title(context: context), count: frame.rowIDs.count, filter: frame.filter,
      typing: filtering ? stack.filterField : nil, into: &buffer, area: rest)
    var listArea = tableArea
    if case .notices = frame.level, let row = frame.table.selectedIndex,
      row < frame.table.rows.count, tableArea.height > 8
    {
      // The facts are long: the selected row's, whole, under the list.
      let (top, bottom) = tableArea.splitBottom(3)
      listArea = top
      let lines = (frame.table.rows[row].last ?? "").wrapped(columns: bottom.width - 4)
      for (offset, line) in lines.prefix(3).enumerated() {
        buffer.write(line, x: bottom.x + 2, y: bottom.y + offset, style: .muted)
      }
    }
    frame.table.render(into: &buffer, area: listArea.inset(dx: 1, dy: 0), focused: !filtering)
    return cursor
  }
}

extension AppContext {
  /// A report (minutes, a check sheet, draft notices) to a file: the export form, offering a
  /// name in the export folder in `format` (another extension typed writes that instead).
  func exportReport(_ report: Report, name: String, format: String) -> [Message] {
    guard canExport else { return [.error(ExportText.notAvailable)] }
    return [.present(ExportOverlay(report: report, name: name, format: format, today: today))]
  }
}
