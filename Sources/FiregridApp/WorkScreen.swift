import FiregridModel
import TerminalUI

/// The campaign's lists: 敲门走访 (grids with their round status → one grid's households for a
/// stack of forms; households not yet visited; visitors' progress; grids missing their weekly
/// contact) and 隐患整改 (hazards due for 复查 and overdue; all unclosed hazards). A stack of
/// levels like the roster's, each a table built when the data changes, not per frame.
struct WorkScreen: Equatable {
  enum Level: Equatable {
    /// Every grid: households, visited this round, not yet, vulnerable not yet, 待复查, contact.
    case grids
    /// The same counts per village (supervision's view), with grids missing last week's contact.
    case villages
    /// The grids of one village, as in `grids`.
    case villageGrids(villageID: String)
    /// One grid's households with their round status (the batch screen).
    case batch(gridID: String)
    /// Households not visited in the working round, vulnerable first.
    case pending
    /// Each visitor's households and how many are done this round, most behind first.
    case progress
    /// Grids with ended weeks that have no weekly contact.
    case contacts
    /// 风险信息: what the weekly contacts reported, newest first.
    case risks
    /// Hazards due for 复查 or overdue.
    case hazardsDue
    /// Every hazard not closed.
    case hazardsOpen

    /// Rows are households (Enter opens a form or the history).
    var listsHouseholds: Bool {
      switch self {
      case .batch, .pending: return true
      default: return false
      }
    }
    var listsHazards: Bool { self == .hazardsDue || self == .hazardsOpen }
  }

  struct Frame: Equatable {
    var level: Level
    var table: Table
    /// Per row: a grid, household, visitor or hazard id.
    var rowIDs: [String]
    var filter: String
  }

  private(set) var frames: [Frame]
  private(set) var filtering = false
  private(set) var filterField = TextField(maxLength: 20)

  init(level: Level, context: WorkContext) {
    frames = [Self.makeFrame(level, filter: "", context: context)]
  }

  var current: Frame { frames[frames.count - 1] }

  var selectedID: String? {
    guard let row = current.table.selectedIndex, row < current.rowIDs.count else { return nil }
    return current.rowIDs[row]
  }

  /// The grid in view: the batch's grid, or the selected row's grid.
  func selectedGridID(index: RosterIndex) -> String? {
    switch current.level {
    case .batch(let gridID): return gridID
    case .grids, .villageGrids, .contacts, .risks: return selectedID
    case .pending: return selectedID.flatMap { index.householdByID[$0]?.gridID }
    default: return nil
    }
  }

  enum Outcome: Equatable {
    case handled
    case ignored
    case message(String)
    /// Enter on a household row.
    case openHousehold(String)
    /// Enter on a hazard row.
    case openHazard(String)
  }

  mutating func push(_ level: Level, context: WorkContext) {
    frames.append(Self.makeFrame(level, filter: "", context: context))
  }

  /// Rebuilds every level after the data changed, keeping selections and filters.
  mutating func reload(context: WorkContext, select id: String? = nil) {
    frames = frames.compactMap { frame in
      if case .batch(let gridID) = frame.level, context.index.gridByID[gridID] == nil {
        return nil
      }
      if case .villageGrids(let villageID) = frame.level,
        context.index.villageByID[villageID] == nil
      {
        return nil
      }
      var rebuilt = Self.makeFrame(frame.level, filter: frame.filter, context: context)
      rebuilt.table.state = frame.table.state
      rebuilt.table.state.select(
        min(frame.table.state.selected, max(0, rebuilt.rowIDs.count - 1)),
        count: rebuilt.rowIDs.count)
      return rebuilt
    }
    if frames.isEmpty { frames = [Self.makeFrame(.grids, filter: "", context: context)] }
    if let id { select(id) }
  }

  mutating func select(_ id: String) {
    if let row = current.rowIDs.firstIndex(of: id) {
      frames[frames.count - 1].table.state.select(row, count: current.rowIDs.count)
    }
  }

  mutating func handle(_ key: Key, context: WorkContext, pageSize: Int) -> Outcome {
    if filtering { return handleFilter(key, context: context, pageSize: pageSize) }
    switch key {
    case .enter, .right:
      guard let id = selectedID else { return .handled }
      switch current.level {
      case .grids, .villageGrids, .contacts, .risks:
        push(.batch(gridID: id), context: context)
        return .handled
      case .villages:
        push(.villageGrids(villageID: id), context: context)
        return .handled
      case .batch, .pending:
        return .openHousehold(id)
      case .hazardsDue, .hazardsOpen:
        return .openHazard(id)
      case .progress:
        return .handled
      }
    case .escape, .left:
      if !current.filter.isEmpty {
        setFilter("", context: context)
        return .handled
      }
      guard frames.count > 1 else { return key == .escape ? .ignored : .handled }
      frames.removeLast()
      return .handled
    case .character("f"):
      filtering = true
      filterField = TextField(text: current.filter, maxLength: 20)
      return .handled
    default:
      var frame = current
      let result = frame.table.handle(key, pageSize: pageSize)
      frames[frames.count - 1] = frame
      return result == .handled ? .handled : .ignored
    }
  }

  private mutating func handleFilter(_ key: Key, context: WorkContext, pageSize: Int) -> Outcome {
    switch key {
    case .enter:
      filtering = false
    case .escape:
      filtering = false
      setFilter("", context: context)
    case .up, .down, .pageUp, .pageDown:
      var frame = current
      _ = frame.table.handle(key, pageSize: pageSize)
      frames[frames.count - 1] = frame
    default:
      if filterField.handle(key) == .handled { setFilter(filterField.text, context: context) }
    }
    return .handled
  }

  private mutating func setFilter(_ filter: String, context: WorkContext) {
    frames[frames.count - 1] = Self.makeFrame(current.level, filter: filter, context: context)
  }

  // MARK: Building the tables

  static func makeFrame(_ level: Level, filter: String, context: WorkContext) -> Frame {
    var (columns, rows, ids, styles) = build(level, context: context)
    if !filter.isEmpty {
      let needle = filter.lowercased()
      let keep = rows.indices.filter {
        rows[$0].joined(separator: " ").lowercased().contains(needle)
      }
      var keptStyles: [Int: Style] = [:]
      for (new, old) in keep.enumerated() { keptStyles[new] = styles[old] }
      rows = keep.map { rows[$0] }
      ids = keep.map { ids[$0] }
      styles = keptStyles
    }
    var table = Table(columns: columns, rows: rows, rowStyles: styles)
    table.emptyText = filter.isEmpty ? VisitText.emptyList(level) : AppText.noMatches
    return Frame(level: level, table: table, rowIDs: ids, filter: filter)
  }

  private typealias Built = ([TableColumn], [[String]], [String], [Int: Style])

  private static func build(_ level: Level, context: WorkContext) -> Built {
    let index = context.index
    let town = index.data
    let today = context.today
    let round = context.round
    func visited(_ householdID: String) -> Visit? {
      guard let round else { return nil }
      return town.visitRecords[householdID]?.visits.last { round.contains($0.date) }
    }
    func dueCount(_ householdID: String) -> Int {
      town.visitRecords[householdID]?.hazards.filter { $0.isDueForReinspection(on: today) }.count
        ?? 0
    }
    /// A group of households this round: visited, vulnerable not yet visited, hazards due.
    func progress(_ households: [Household]) -> (done: Int, vulnerableLeft: Int, due: Int) {
      var result = (done: 0, vulnerableLeft: 0, due: 0)
      for household in households {
        let wasVisited = visited(household.id) != nil
        if wasVisited { result.done += 1 }
        if household.hasVulnerableMember && !wasVisited { result.vulnerableLeft += 1 }
        result.due += dueCount(household.id)
      }
      return result
    }
    func contacted(_ gridID: String, in week: CivilDate) -> Bool {
      town.contactLogs[gridID]?.first { $0.week == week }?.contacted == true
    }
    var rows: [[String]] = []
    var ids: [String] = []
    var styles: [Int: Style] = [:]
    switch level {
    case .grids, .villageGrids:
      var villages = town.villages
      if case .villageGrids(let villageID) = level {
        villages = villages.filter { $0.id == villageID }
      }
      let lastWeek = context.campaign.contactWeeks(endedBy: today).last
      for village in villages {
        for grid in index.grids(in: village.id) {
          let households = index.households(in: grid.id)
          let (done, vulnerableLeft, due) = progress(households)
          let contact =
            lastWeek.map {
              contacted(grid.id, in: $0) ? VisitText.contactDone : VisitText.contactMissing
            } ?? ""
          if vulnerableLeft > 0 || due > 0 { styles[rows.count] = .warning }
          rows.append([
            village.name, grid.name, "\(households.count)", "\(done)",
            "\(households.count - done)", "\(vulnerableLeft)", "\(due)", contact,
          ])
          ids.append(grid.id)
        }
      }
      return (
        [
          TableColumn(AppText.columnVillage, width: 12), TableColumn(AppText.columnGrid, width: 10),
          TableColumn(AppText.columnHouseholds, width: 4, alignment: .right),
          TableColumn(VisitText.columnVisited, width: 8, alignment: .right),
          TableColumn(VisitText.columnNotVisited, width: 6, alignment: .right),
          TableColumn(VisitText.columnVulnerableLeft, width: 10, alignment: .right),
          TableColumn(VisitText.columnDueHazards, width: 6, alignment: .right),
          TableColumn(VisitText.columnLastWeekContact, width: 8),
        ], rows, ids, styles
      )
    case .villages:
      let lastWeek = context.campaign.contactWeeks(endedBy: today).last
      for village in town.villages {
        let households = index.households(inVillage: village.id)
        let grids = index.grids(in: village.id)
        let (done, vulnerableLeft, due) = progress(households)
        let missing =
          lastWeek.map { week in grids.filter { !contacted($0.id, in: week) }.count } ?? 0
        let percent = households.isEmpty ? 100 : done * 100 / households.count
        if vulnerableLeft > 0 || due > 0 { styles[rows.count] = .warning }
        rows.append([
          village.name, "\(grids.count)", "\(households.count)", "\(done)",
          "\(households.count - done)", "\(percent)%", "\(vulnerableLeft)", "\(due)", "\(missing)",
        ])
        ids.append(village.id)
      }
      return (
        [
          TableColumn(AppText.columnVillage, width: 12),
          TableColumn(AppText.columnGrids, width: 4, alignment: .right),
          TableColumn(AppText.columnHouseholds, width: 5, alignment: .right),
          TableColumn(VisitText.columnVisited, width: 8, alignment: .right),
          TableColumn(VisitText.columnNotVisited, width: 5, alignment: .right),
          TableColumn(VisitText.columnDone, width: 6, alignment: .right),
          TableColumn(VisitText.columnVulnerableLeft, width: 10, alignment: .right),
          TableColumn(VisitText.columnDueHazards, width: 6, alignment: .right),
          TableColumn(VisitText.columnGridsMissingContact, width: 8, alignment: .right),
        ], rows, ids, styles
      )
    case .batch(let gridID):
      for household in index.households(in: gridID) {
        let record = town.visitRecords[household.id]
        let inRound = visited(household.id)
        let vulnerable = household.hasVulnerableMember
        let due = dueCount(household.id)
        if inRound == nil && vulnerable || due > 0 { styles[rows.count] = .warning }
        rows.append([
          household.number, household.head?.name ?? "",
          vulnerable ? VisitText.vulnerableMark : "",
          index.visitorName(household) ?? AppText.none,
          inRound.map { VisitText.visitedOn($0.date) } ?? VisitText.notVisited,
          record?.lastVisit?.date.description ?? "",
          due > 0 ? VisitText.dueCount(due) : "",
        ])
        ids.append(household.id)
      }
      return (
        [
          TableColumn(AppText.columnNumber, width: 5), TableColumn(AppText.columnHead, width: 8),
          TableColumn(VisitText.columnVulnerable, width: 4),
          TableColumn(AppText.columnVisitor, width: 8),
          TableColumn(VisitText.columnThisRound, width: 12),
          TableColumn(VisitText.columnLastVisit, width: 10),
          TableColumn(VisitText.columnHazards, width: 8),
        ], rows, ids, styles
      )
    case .pending:
      guard let round else { return (pendingColumns, [], [], [:]) }
      for pending in Worklists.unvisited(in: round, town: town) {
        guard let household = index.householdByID[pending.householdID] else { continue }
        let grid = index.gridByID[pending.gridID]
        if pending.isVulnerable { styles[rows.count] = .warning }
        rows.append([
          index.villageName(ofGrid: grid), grid?.name ?? "", household.number,
          household.head?.name ?? "", pending.isVulnerable ? VisitText.vulnerableMark : "",
          index.visitorName(household) ?? AppText.none,
          pending.lastVisit?.description ?? VisitText.never,
        ])
        ids.append(household.id)
      }
      return (pendingColumns, rows, ids, styles)
    case .progress:
      guard let round else { return (progressColumns, [], [], [:]) }
      for entry in Worklists.visitorProgress(in: round, town: town) {
        let visitor = index.visitorByID[entry.visitorID]
        if entry.pending > 0 && round.end < today { styles[rows.count] = .error }
        let percent = entry.assigned == 0 ? 100 : entry.visited * 100 / entry.assigned
        rows.append([
          visitor?.name ?? entry.visitorID, visitor?.role.label ?? "", "\(entry.assigned)",
          "\(entry.visited)", "\(entry.pending)", "\(percent)%",
        ])
        ids.append(entry.visitorID)
      }
      return (progressColumns, rows, ids, styles)
    case .contacts:
      for missing in Worklists.missingContacts(
        campaign: context.campaign, today: today, town: town)
      {
        guard let grid = index.gridByID[missing.gridID] else { continue }
        rows.append([
          index.villageName(ofGrid: grid), grid.name,
          index.gridLeader(grid)?.name ?? AppText.none, "\(missing.weeks.count)",
          missing.weeks.map(\.monthDay).joined(separator: " "),
        ])
        ids.append(grid.id)
      }
      return (
        [
          TableColumn(AppText.columnVillage, width: 12), TableColumn(AppText.columnGrid, width: 10),
          TableColumn(AppText.columnGridLeader, width: 8),
          TableColumn(VisitText.columnMissingWeeks, width: 6, alignment: .right),
          TableColumn(VisitText.columnWeeksStarting, width: 20),
        ], rows, ids, [:]
      )
    case .risks:
      var reports: [(grid: Grid, log: ContactLog)] = []
      for grid in town.grids {
        for log in town.contactLogs[grid.id] ?? [] where log.hasRisk {
          reports.append((grid, log))
        }
      }
      reports.sort {
        $0.log.week != $1.log.week ? $0.log.week > $1.log.week : $0.grid.id < $1.grid.id
      }
      for (grid, log) in reports {
        rows.append([
          index.villageName(ofGrid: grid), grid.name, log.week.monthDay,
          index.gridLeader(grid)?.name ?? AppText.none, log.riskReport,
        ])
        ids.append(grid.id)
      }
      return (
        [
          TableColumn(AppText.columnVillage, width: 12), TableColumn(AppText.columnGrid, width: 10),
          TableColumn(VisitText.columnWeek, width: 5),
          TableColumn(AppText.columnGridLeader, width: 8),
          TableColumn(VisitText.riskReport, width: 30),
        ], rows, ids, [:]
      )
    case .hazardsDue, .hazardsOpen:
      let hazards: [(Hazard, HazardState)]
      if level == .hazardsDue {
        hazards = Worklists.hazardsDue(on: today, town: town).map { ($0.hazard, $0.state) }
      } else {
        hazards = town.households.flatMap { household in
          (town.visitRecords[household.id]?.hazards ?? []).filter { $0.closedOn == nil }
            .map { ($0, $0.state(on: today)) }
        }
      }
      for (hazard, state) in hazards {
        guard let household = index.householdByID[hazard.householdID] else { continue }
        let grid = index.gridByID[household.gridID]
        if state == .overdue { styles[rows.count] = .error }
        let late = hazard.deadline.days(until: today)
        // A hazard of an earlier winter says so: not "逾期358天" among this winter's.
        let carriedOver = context.campaign.carriesOver(hazard)
        let stateText = state == .overdue ? VisitText.overdueDays(late) : state.label
        rows.append([
          index.villageName(ofGrid: grid), grid?.name ?? "", household.number,
          household.head?.name ?? "", context.form.label(of: hazard.checkID),
          hazard.description,
          hazard.deadline.monthDay,
          carriedOver ? VisitText.carriedOver(state.label) : stateText,
        ])
        ids.append(hazard.id)
      }
      return (
        [
          TableColumn(AppText.columnVillage, width: 8), TableColumn(AppText.columnGrid, width: 8),
          TableColumn(AppText.columnNumber, width: 5), TableColumn(AppText.columnHead, width: 6),
          TableColumn(VisitText.columnHazardKind, width: 10),
          TableColumn(VisitText.columnHazardDescription, width: 16),
          TableColumn(VisitText.columnDeadline, width: 5),
          TableColumn(VisitText.columnState, width: 10),
        ], rows, ids, styles
      )
    }
  }

  private static let pendingColumns = [
    TableColumn(AppText.columnVillage, width: 12), TableColumn(AppText.columnGrid, width: 10),
    TableColumn(AppText.columnNumber, width: 5), TableColumn(AppText.columnHead, width: 8),
    TableColumn(VisitText.columnVulnerable, width: 4), TableColumn(AppText.columnVisitor, width: 8),
    TableColumn(VisitText.columnLastVisit, width: 10),
  ]

  private static let progressColumns = [
    TableColumn(AppText.columnVisitor, width: 8), TableColumn(AppText.columnRole, width: 10),
    TableColumn(VisitText.columnAssigned, width: 8, alignment: .right),
    TableColumn(VisitText.columnVisited, width: 8, alignment: .right),
    TableColumn(VisitText.columnNotVisited, width: 6, alignment: .right),
    TableColumn(VisitText.columnDone, width: 6, alignment: .right),
  ]

  /// The title line: where the clerk is.
  func title(context: WorkContext) -> String {
    let round = context.round?.label ?? ""
    switch current.level {
    case .grids: return VisitText.titleGrids(round)
    case .villages: return VisitText.titleVillages(round)
    case .villageGrids(let villageID):
      return VisitText.titleVillageGrids(context.index.villageByID[villageID]?.name ?? "", round)
    case .batch(let gridID):
      let grid = context.index.gridByID[gridID]
      return VisitText.titleBatch(context.index.villageName(ofGrid: grid), grid?.name ?? "", round)
    case .pending: return VisitText.titlePending(round)
    case .progress: return VisitText.titleProgress(round)
    case .contacts: return VisitText.titleContacts
    case .risks: return VisitText.titleRisks
    case .hazardsDue: return VisitText.titleHazardsDue
    case .hazardsOpen: return VisitText.titleHazardsOpen
    }
  }
}

/// What the work lists are computed from: the roster, the campaign and its working round,
/// the form definition (for hazard labels) and today.
struct WorkContext {
  let index: RosterIndex
  let campaign: Campaign
  let round: Campaign.Round?
  let form: VisitForm
  let today: CivilDate

  init(index: RosterIndex, form: VisitForm, today: CivilDate) {
    self.index = index
    self.form = form
    self.today = today
    campaign = index.data.campaign(on: today)
    round = campaign.workingRound(on: today)
  }
}
