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
    /// 场所检查: premises not inspected in the working round, where people sleep first.
    case premisesPending
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
    /// Rows are grids, or the level is one grid (c enters its weekly contact).
    var hasGrid: Bool {
      switch self {
      case .grids, .villageGrids, .batch, .pending, .contacts, .risks: return true
      default: return false
      }
    }
  }

  typealias Frame = ListStack<Level>.Frame

  private(set) var stack: ListStack<Level>

  init(level: Level, context: WorkContext) {
    stack = ListStack(Self.makeFrame(level, filter: "", context: context), filterLimit: 20)
  }

  var current: Frame { stack.current }
  var filtering: Bool { stack.filtering }
  var filterField: TextField { stack.filterField }
  var selectedID: String? { stack.selectedID }

  /// The grid in view: the batch's grid, or the selected row's grid.
  func selectedGridID(index: RosterIndex) -> String? {
    switch current.level {
    case .batch(let gridID): return gridID
    case .grids, .villageGrids, .contacts, .risks: return selectedID
    case .pending: return selectedID.flatMap { index.householdByID[$0]?.gridID }
    case .premisesPending: return selectedID.flatMap { index.premisesByID[$0]?.gridID }
    default: return nil
    }
  }

  private static func build(_ context: WorkContext) -> ListStack<Level>.Build {
    { level, filter in
      if case .batch(let gridID) = level, context.index.gridByID[gridID] == nil { return nil }
      if case .villageGrids(let villageID) = level, context.index.villageByID[villageID] == nil {
        return nil
      }
      return makeFrame(level, filter: filter, context: context)
    }
  }

  mutating func push(_ level: Level, context: WorkContext) {
    stack.push(Self.makeFrame(level, filter: "", context: context))
  }

  /// Rebuilds every level after the data changed, keeping selections and filters.
  mutating func reload(context: WorkContext, select id: String? = nil) {
    stack.reload(Self.build(context), top: .grids, select: id)
  }

  mutating func select(_ id: String) { stack.select(id) }

  /// One save changed the town: each level brings up to date only what shows it. A grid's or
  /// a village's row is computed again in place (one grid's households, not the town's); one
  /// grid's batch is built again; a list over the whole town (not visited, visitors' progress,
  /// hazards) is built again only when its rows can include what changed; the other levels
  /// are kept. A filtered level is built again, since the new counts may now match or not.
  /// The stack is the one `reload` would make (`WorkScreenUpdateTests` compares them).
  mutating func update(_ change: TownChange, context: WorkContext) {
    stack.update(Self.build(context), top: .grids) { frame in
      Self.refresh(frame, for: change, context: context)
    }
  }

  private static func refresh(_ frame: Frame, for change: TownChange, context: WorkContext)
    -> ListStack<Level>.Refresh
  {
    let index = context.index
    // Rows of the grids list and the villages list: the grid's and its village's.
    func gridAndVillageRows(_ gridID: String) -> ListStack<Level>.Refresh {
      guard let grid = index.gridByID[gridID], let village = index.villageByID[grid.villageID]
      else { return .rebuild }
      let lastWeek = lastContactWeek(context)
      switch frame.level {
      case .grids, .villageGrids:
        if case .villageGrids(let villageID) = frame.level, villageID != village.id { return .keep }
        guard frame.filter.isEmpty else { return .rebuild }
        let row = gridRow(grid, villageName: village.name, lastWeek: lastWeek, context: context)
        return .rows([(grid.id, row.cells, row.style)])
      case .villages:
        guard frame.filter.isEmpty else { return .rebuild }
        let row = villageRow(village, lastWeek: lastWeek, context: context)
        return .rows([(village.id, row.cells, row.style)])
      default: return .keep
      }
    }
    // A hazard list shows the record's hazards if it did before or does now.
    func hazardRows(of subjectID: String, in record: VisitRecord?) -> ListStack<Level>.Refresh {
      let listed = frame.rowIDs.contains { Hazard.householdID(of: $0) == subjectID }
      let lists =
        record?.hazards.contains {
          frame.level == .hazardsDue
            ? $0.isDueForReinspection(on: context.today) : $0.closedOn == nil
        } ?? false
      return listed || lists ? .rebuild : .keep
    }
    switch change {
    case .household(let householdID):
      guard let household = index.householdByID[householdID] else { return .rebuild }
      switch frame.level {
      case .grids, .villageGrids, .villages: return gridAndVillageRows(household.gridID)
      case .batch(let gridID): return gridID == household.gridID ? .rebuild : .keep
      case .pending:
        guard frame.filter.isEmpty, let round = context.round else { return .rebuild }
        return .frame(pendingFrame(frame, household: household, round: round, context: context))
      case .progress: return .rebuild
      case .contacts, .risks, .premisesPending: return .keep
      case .hazardsDue, .hazardsOpen:
        return hazardRows(of: householdID, in: index.data.visitRecords[householdID])
      }
    case .premises(let premisesID):
      switch frame.level {
      case .premisesPending: return .rebuild
      case .hazardsDue, .hazardsOpen:
        return hazardRows(of: premisesID, in: index.data.premisesRecords[premisesID])
      default: return .keep
      }
    case .contacts(let gridID):
      switch frame.level {
      case .grids, .villageGrids, .villages: return gridAndVillageRows(gridID)
      case .contacts, .risks: return .rebuild
      default: return .keep
      }
    case .supervision:
      return .keep
    }
  }

  // MARK: Keys

  enum Action {
    case move, open, back, filter, winter, history, export
    case pending, villages, progress, contactsMissing, risks, contact, undo, premises
    case reinspect, reportRectified, extend, toggleAll, matrix
  }

  /// The keys of the level in view: dispatch and help both come from here.
  static func keymap(level: Level) -> Keymap<Action> {
    var map = Keymap<Action>([(ListKeys.move, .move)])
    // 走访人进度 has nothing under its rows to open.
    if level != .progress {
      map.add(KeyBinding([.enter, .right], "Enter", VisitText.keyOpen(level)), .open)
    }
    map.add(KeyBinding([.character("Y")], "Y", VisitText.keyWinter, inBar: false), .winter)
    map.add(KeyBinding([.escape, .left], "Esc", AppText.keyBack), .back)
    map.add(KeyBinding([.character("f")], "f", AppText.keySearch, inBar: false), .filter)
    map.add(KeyBinding([.character("o")], "o", ExportText.key, inBar: false), .export)
    if level.listsHouseholds || level.listsHazards {
      map.add(
        KeyBinding([.character("h")], "h", VisitText.keyHistory, inBar: level.listsHouseholds),
        .history)
    } else if level == .premisesPending {
      map.add(KeyBinding([.character("h")], "h", PremisesScreenText.keyHistory), .history)
    }
    if level.listsHazards {
      map.add(KeyBinding([.character("n")], "n", VisitText.keyReinspect), .reinspect)
      map.add(KeyBinding([.character("r")], "r", VisitText.keyReported), .reportRectified)
      map.add(KeyBinding([.character("e")], "e", VisitText.keyExtend), .extend)
      map.add(
        KeyBinding(
          [.character("a")], "a",
          level == .hazardsDue ? VisitText.keyAllOpen : VisitText.keyDueOnly), .toggleAll)
    } else {
      map.add(KeyBinding([.character("u")], "u", VisitText.keyPending), .pending)
      map.add(KeyBinding([.character("v")], "v", VisitText.keyVillages, inBar: false), .villages)
      map.add(KeyBinding([.character("p")], "p", VisitText.keyProgress, inBar: false), .progress)
      map.add(
        KeyBinding([.character("w")], "w", VisitText.keyContactsMissing, inBar: false),
        .contactsMissing)
      map.add(KeyBinding([.character("R")], "R", VisitText.keyRisks, inBar: false), .risks)
      map.add(
        KeyBinding([.character("s")], "s", PremisesScreenText.keyPending, inBar: false), .premises)
      if level.hasGrid {
        map.add(KeyBinding([.character("c")], "c", VisitText.keyContact, inBar: false), .contact)
        map.add(
          KeyBinding([.character("x")], "x", SupervisionScreenText.keyMatrixOfGrid, inBar: false),
          .matrix)
      }
      map.add(KeyBinding([.character("U")], "U", VisitText.keyUndo, inBar: false), .undo)
    }
    map.add(ListKeys.page, .move)
    map.add(ListKeys.firstLast, .move)
    return map
  }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message]? {
    let work = context.workContext
    let pageSize = max(1, context.contentRows - 3)
    if filtering {
      stack.handleFilterKey(key, pageSize: pageSize, build: Self.build(work))
      return []
    }
    guard let action = Self.keymap(level: current.level).action(for: key) else { return nil }
    let index = context.index
    switch action {
    case .move:
      _ = stack.move(key, pageSize: pageSize)
    case .open:
      guard let id = selectedID else { return [] }
      switch current.level {
      case .grids, .villageGrids, .contacts, .risks: push(.batch(gridID: id), context: work)
      case .villages: push(.villageGrids(villageID: id), context: work)
      case .batch, .pending: return [.openVisitForm(householdID: id)]
      case .premisesPending: return [.openInspectionForm(premisesID: id)]
      case .hazardsDue, .hazardsOpen:
        return [Self.history(of: Hazard.householdID(of: id), index: index)]
      case .progress: break
      }
    case .back:
      if stack.clearFilter(Self.build(work)) { return [] }
      // At the top Esc is the app's (it says how to quit); ← just stays.
      guard stack.pop() else { return key == .escape ? nil : [] }
    case .filter:
      stack.startFilter()
    case .export:
      return context.export(
        title: title(context: work), filter: current.filter, table: current.table)
    case .winter:
      return [.switchWinter]
    case .history:
      guard let id = selectedID else { return [] }
      return [
        Self.history(of: current.level.listsHazards ? Hazard.householdID(of: id) : id, index: index)
      ]
    case .pending, .villages, .progress, .contactsMissing, .risks, .premises:
      let target: Level
      switch action {
      case .pending: target = .pending
      case .premises: target = .premisesPending
      case .progress: target = .progress
      case .contactsMissing: target = .contacts
      case .risks: target = .risks
      default: target = .villages
      }
      // The list, or back from it when it is already shown.
      if current.level == target {
        _ = stack.pop()
      } else {
        push(target, context: work)
      }
    case .toggleAll:
      self = WorkScreen(
        level: current.level == .hazardsDue ? .hazardsOpen : .hazardsDue, context: work)
    case .contact:
      guard let gridID = selectedGridID(index: index), let grid = index.gridByID[gridID] else {
        return []
      }
      if let refused = context.refusesChanges { return [refused] }
      return [
        .present(
          CampaignFormOverlay(
            session: .contact(
              grid: grid, villageName: index.villageName(ofGrid: grid), campaign: work.campaign,
              logs: index.data.contactLogs[gridID] ?? [], today: context.today)))
      ]
    case .matrix:
      guard let gridID = selectedGridID(index: index), let grid = index.gridByID[gridID] else {
        return []
      }
      return [
        .present(
          VisitMatrixOverlay(
            householdIDs: index.households(in: gridID).map(\.id),
            scope: SupervisionScreenText.matrixOfGrid(index.villageName(ofGrid: grid), grid.name),
            context: context))
      ]
    case .reinspect, .reportRectified, .extend:
      guard let hazardID = selectedID, let hazard = index.data.hazard(id: hazardID) else {
        return []
      }
      if action == .reinspect {
        // A premises' hazard is re-inspected on its inspection form.
        return index.premisesByID[hazard.householdID] == nil
          ? [.openVisitForm(householdID: hazard.householdID)]
          : [.openInspectionForm(premisesID: hazard.householdID)]
      }
      if let refused = context.refusesChanges { return [refused] }
      let purpose: CampaignFormSession.Purpose =
        action == .reportRectified
        ? .reportRectified(hazardID: hazardID) : .extend(hazardID: hazardID)
      return [
        .present(
          CampaignFormOverlay(
            session: .hazard(
              purpose, hazard: hazard,
              label: context.forms.label(of: hazard, in: index.data.record(ofHazard: hazardID)),
              campaign: index.data.campaign(on: context.today), today: context.today)))
      ]
    case .undo:
      guard let last = context.lastSavedVisit else { return [.error(VisitText.nothingToUndo)] }
      if let refused = context.refusesChanges { return [refused] }
      return [
        .present(UndoVisitOverlay.confirm(householdID: last.householdID, visitID: last.visitID))
      ]
    }
    return []
  }

  /// The history of a household, or of a premises (a premises' hazard).
  static func history(of id: String, index: RosterIndex) -> Message {
    index.premisesByID[id] == nil
      ? .run(.openHistory(householdID: id)) : .run(.openPremisesHistory(premisesID: id))
  }

  // MARK: Building the tables

  static func makeFrame(_ level: Level, filter: String, context: WorkContext) -> Frame {
    let (columns, rows, ids, styles) = build(level, context: context)
    return Frame(
      level: level, columns: columns, rows: rows, ids: ids, styles: styles, filter: filter,
      emptyText: VisitText.emptyList(level))
  }

  private typealias Built = ([TableColumn], [[String]], [String], [Int: Style])

  /// A household's visit in the working round, if any.
  private static func visited(_ householdID: String, context: WorkContext) -> Visit? {
    guard let round = context.round else { return nil }
    return context.index.data.visitRecords[householdID]?.visits.last { round.contains($0.date) }
  }

  /// A household's hazards due for 复查 or overdue.
  private static func dueCount(_ householdID: String, context: WorkContext) -> Int {
    context.index.data.visitRecords[householdID]?.hazards.filter {
      $0.isDueForReinspection(on: context.today)
    }.count ?? 0
  }

  /// A group of households this round: visited, vulnerable not yet visited, hazards due.
  private static func progress(_ households: [Household], context: WorkContext) -> (
    done: Int, vulnerableLeft: Int, due: Int
  ) {
    var result = (done: 0, vulnerableLeft: 0, due: 0)
    for household in households {
      let wasVisited = visited(household.id, context: context) != nil
      if wasVisited { result.done += 1 }
      if household.hasVulnerableMember && !wasVisited { result.vulnerableLeft += 1 }
      result.due += dueCount(household.id, context: context)
    }
    return result
  }

  private static func contacted(_ gridID: String, in week: CivilDate, context: WorkContext)
    -> Bool
  {
    context.index.data.contactLogs[gridID]?.first { $0.week == week }?.contacted == true
  }

  /// The last week of the campaign that has ended by today (its contact is due).
  private static func lastContactWeek(_ context: WorkContext) -> CivilDate? {
    context.campaign.contactWeeks(endedBy: context.today).last
  }

  private typealias Row = (cells: [String], style: Style?)

  /// A grid's row of `grids` and `villageGrids`.
  private static func gridRow(
    _ grid: Grid, villageName: String, lastWeek: CivilDate?, context: WorkContext
  ) -> Row {
    let households = context.index.households(in: grid.id)
    let (done, vulnerableLeft, due) = progress(households, context: context)
    let contact =
      lastWeek.map {
        contacted(grid.id, in: $0, context: context)
          ? VisitText.contactDone : VisitText.contactMissing
      } ?? ""
    return (
      [
        villageName, grid.name, "\(households.count)", "\(done)",
        "\(households.count - done)", "\(vulnerableLeft)", "\(due)", contact,
      ],
      vulnerableLeft > 0 || due > 0 ? .warning : nil
    )
  }

  /// A village's row of `villages`.
  private static func villageRow(_ village: Village, lastWeek: CivilDate?, context: WorkContext)
    -> Row
  {
    let index = context.index
    let households = index.households(inVillage: village.id)
    let grids = index.grids(in: village.id)
    let (done, vulnerableLeft, due) = progress(households, context: context)
    let missing =
      lastWeek.map { week in grids.filter { !contacted($0.id, in: week, context: context) }.count }
      ?? 0
    let percent = households.isEmpty ? 100 : done * 100 / households.count
    return (
      [
        village.name, "\(grids.count)", "\(households.count)", "\(done)",
        "\(households.count - done)", "\(percent)%", "\(vulnerableLeft)", "\(due)", "\(missing)",
      ],
      vulnerableLeft > 0 || due > 0 ? .warning : nil
    )
  }

  /// A household's row of `pending`.
  private static func pendingRow(
    _ pending: Worklists.PendingHousehold, household: Household, index: RosterIndex
  ) -> Row {
    let grid = index.gridByID[pending.gridID]
    return (
      [
        index.villageName(ofGrid: grid), grid?.name ?? "", household.number,
        household.head?.name ?? "", pending.isVulnerable ? VisitText.vulnerableMark : "",
        index.visitorName(household) ?? AppText.none,
        pending.lastVisit?.description ?? VisitText.never,
      ],
      pending.isVulnerable ? .warning : nil
    )
  }

  /// `pending` after one household's visits changed, made from the list shown: its row
  /// redrawn, taken out (visited now) or put in its place (vulnerable first, then the
  /// roster's order), not the town's households gone through again.
  private static func pendingFrame(
    _ frame: Frame, household: Household, round: Campaign.Round, context: WorkContext
  ) -> Frame {
    let index = context.index
    var rows = frame.table.rows
    var ids = frame.rowIDs
    var styles = frame.table.rowStyles
    let entry = Worklists.unvisited(
      household, villageID: index.gridByID[household.gridID]?.villageID ?? "", in: round,
      town: index.data)
    let row = entry.map { pendingRow($0, household: household, index: index) }
    /// Moves the styles of the rows from `at` on by `offset`.
    func shiftStyles(from at: Int, by offset: Int) {
      var shifted: [Int: Style] = [:]
      for (row, style) in styles where row != at || offset > 0 {
        shifted[row >= at ? row + offset : row] = style
      }
      styles = shifted
    }
    if let at = ids.firstIndex(of: household.id) {
      if let row {
        rows[at] = row.cells
        styles[at] = row.style
      } else {
        rows.remove(at: at)
        ids.remove(at: at)
        shiftStyles(from: at, by: -1)
      }
    } else if let row, let entry {
      // Rows are in (vulnerable first, roster position) order.
      func key(_ id: String) -> (Int, Int) {
        let vulnerable = index.householdByID[id]?.hasVulnerableMember ?? false
        return (vulnerable ? 0 : 1, index.householdPosition[id] ?? Int.max)
      }
      let own = (entry.isVulnerable ? 0 : 1, index.householdPosition[household.id] ?? Int.max)
      var low = 0
      var high = ids.count
      while low < high {
        let middle = (low + high) / 2
        if key(ids[middle]) < own { low = middle + 1 } else { high = middle }
      }
      rows.insert(row.cells, at: low)
      ids.insert(household.id, at: low)
      shiftStyles(from: low, by: 1)
      styles[low] = row.style
    }
    var table = frame.table
    table.rows = rows
    table.rowStyles = styles
    return Frame(level: frame.level, table: table, rowIDs: ids, filter: frame.filter)
  }

  private static func build(_ level: Level, context: WorkContext) -> Built {
    let index = context.index
    let town = index.data
    let today = context.today
    let round = context.round
    func visited(_ householdID: String) -> Visit? { Self.visited(householdID, context: context) }
    func dueCount(_ householdID: String) -> Int { Self.dueCount(householdID, context: context) }
    var rows: [[String]] = []
    var ids: [String] = []
    var styles: [Int: Style] = [:]
    switch level {
    case .grids, .villageGrids:
      var villages = town.villages
      if case .villageGrids(let villageID) = level {
        villages = villages.filter { $0.id == villageID }
      }
      let lastWeek = lastContactWeek(context)
      for village in villages {
        for grid in index.grids(in: village.id) {
          let row = gridRow(grid, villageName: village.name, lastWeek: lastWeek, context: context)
          if let style = row.style { styles[rows.count] = style }
          rows.append(row.cells)
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
      let lastWeek = lastContactWeek(context)
      for village in town.villages {
        let row = villageRow(village, lastWeek: lastWeek, context: context)
        if let style = row.style { styles[rows.count] = style }
        rows.append(row.cells)
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
        let row = pendingRow(pending, household: household, index: index)
        if let style = row.style { styles[rows.count] = style }
        rows.append(row.cells)
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
    case .premisesPending:
      guard let round else { return (premisesPendingColumns, [], [], [:]) }
      for pending in Worklists.uninspectedPremises(in: round, town: town) {
        guard let premises = index.premisesByID[pending.premisesID] else { continue }
        let grid = index.gridByID[pending.gridID]
        if pending.peopleSleep { styles[rows.count] = .warning }
        rows.append([
          index.villageName(ofGrid: grid), grid?.name ?? "", premises.name,
          PremisesScreenText.kindShort(premises), PremisesScreenText.sleeping(premises),
          premises.visitorID.flatMap { index.visitorByID[$0]?.name } ?? AppText.none,
          pending.lastInspection?.description ?? PremisesScreenText.neverInspected,
        ])
        ids.append(premises.id)
      }
      return (premisesPendingColumns, rows, ids, styles)
    case .hazardsDue, .hazardsOpen:
      // The households' hazards and the premises', each row naming whose it is.
      var hazards: [(Hazard, HazardState)]
      if level == .hazardsDue {
        hazards =
          (Worklists.hazardsDue(on: today, town: town)
          + Worklists.premisesHazardsDue(on: today, town: town)).map { ($0.hazard, $0.state) }
        let order = Dictionary(
          uniqueKeysWithValues: hazards.enumerated().map { ($1.0.id, $0) })
        // One list, in the worklists' order: overdue (most days) first, then awaiting check.
        func rank(_ state: HazardState) -> Int {
          switch state {
          case .overdue: return 0
          case .awaitingCheck: return 1
          case .open: return 2
          case .closed: return 3
          }
        }
        hazards.sort {
          (rank($0.1), $0.0.deadline, order[$0.0.id] ?? 0)
            < (rank($1.1), $1.0.deadline, order[$1.0.id] ?? 0)
        }
      } else {
        hazards = town.households.flatMap { household in
          (town.visitRecords[household.id]?.hazards ?? []).filter { $0.closedOn == nil }
            .map { ($0, $0.state(on: today)) }
        }
        hazards += town.premises.flatMap { premises in
          (town.premisesRecords[premises.id]?.hazards ?? []).filter { $0.closedOn == nil }
            .map { ($0, $0.state(on: today)) }
        }
      }
      for (hazard, state) in hazards {
        let gridID: String
        let number: String
        let name: String
        if let household = index.householdByID[hazard.householdID] {
          (gridID, number, name) = (household.gridID, household.number, household.head?.name ?? "")
        } else if let premises = index.premisesByID[hazard.householdID] {
          (gridID, number, name) = (premises.gridID, PremisesScreenText.key, premises.name)
        } else {
          continue
        }
        let grid = index.gridByID[gridID]
        if state == .overdue { styles[rows.count] = .error }
        let late = hazard.deadline.days(until: today)
        // A hazard of an earlier winter says so: not "逾期358天" among this winter's.
        let carriedOver = context.campaign.carriesOver(hazard)
        let stateText = state == .overdue ? VisitText.overdueDays(late) : state.label
        rows.append([
          index.villageName(ofGrid: grid), grid?.name ?? "", number, name,
          context.forms.label(of: hazard, in: town.record(ofHazard: hazard.id)),
          hazard.description,
          hazard.deadline.monthDay,
          carriedOver ? VisitText.carriedOver(state.label) : stateText,
        ])
        ids.append(hazard.id)
      }
      return (
        [
          TableColumn(AppText.columnVillage, width: 7), TableColumn(AppText.columnGrid, width: 8),
          TableColumn(AppText.columnNumber, width: 5),
          TableColumn(PremisesScreenText.columnHeadOrPremises, width: 9),
          TableColumn(VisitText.columnHazardKind, width: 10),
          TableColumn(VisitText.columnHazardDescription, width: 14),
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

  private static let premisesPendingColumns = [
    TableColumn(AppText.columnVillage, width: 12), TableColumn(AppText.columnGrid, width: 8),
    TableColumn(PremisesScreenText.columnName, width: 12),
    TableColumn(PremisesScreenText.columnKind, width: 10),
    TableColumn(PremisesScreenText.columnSleeping, width: 4),
    TableColumn(AppText.columnVisitor, width: 8),
    TableColumn(PremisesScreenText.columnLastInspection, width: 10),
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
    case .premisesPending: return PremisesScreenText.titlePending(round)
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
  /// Every form definition, by id and version.
  let forms: FormRegistry
  let today: CivilDate

  init(index: RosterIndex, forms: FormRegistry, today: CivilDate) {
    self.index = index
    self.forms = forms
    self.today = today
    campaign = index.data.campaign(on: today)
    round = campaign.workingRound(on: today)
  }
}

extension WorkScreen: SectionScreen {
  var isTyping: Bool { filtering }

  func bindings(in context: AppContext) -> [KeyBinding] {
    filtering ? ListStack<Level>.filterKeys.bindings : Self.keymap(level: current.level).bindings
  }

  mutating func reload(_ context: AppContext) { reload(context: context.workContext) }

  mutating func update(_ change: TownChange, context: AppContext) {
    update(change, context: context.workContext)
  }

  func render(into buffer: inout ScreenBuffer, area: Rect, context: AppContext) -> (
    x: Int, y: Int
  )? {
    WorkView.render(self, context: context.workContext, into: &buffer, area: area)
  }
}

extension Hazard {
  /// The household a hazard id belongs to: hazard ids are "<household id>-z<n>".
  static func householdID(of hazardID: String) -> String {
    String(
      hazardID[..<(hazardID.range(of: "-z", options: .backwards)?.lowerBound ?? hazardID.endIndex)])
  }
}

extension TownData {
  /// The hazard with this id, from its household's record or its premises'.
  func hazard(id: String) -> Hazard? {
    record(ofHazard: id).hazards.first { $0.id == id }
  }

  /// The record a hazard is in: its household's visits, or its premises' inspections.
  func record(ofHazard id: String) -> VisitRecord {
    let subjectID = Hazard.householdID(of: id)
    if let record = premisesRecords[subjectID] { return record }
    return visitRecord(of: subjectID)
  }
}

/// 统计: counts over the whole town and the working campaign's (what 附件3 asks for).
struct StatisticsScreen: SectionScreen {
  /// Whether the bars (each village's round in pictures) are shown instead of the counts.
  var showsBars = false

  enum Action { case report, bars, winter }
  static let keymap = Keymap<Action>([
    (KeyBinding([.enter, .character("r")], "Enter", ReportFormText.keyReports), .report),
    (KeyBinding([.character("b")], "b", ReportFormText.keyBars), .bars),
    (KeyBinding([.character("Y")], "Y", VisitText.keyWinter, inBar: false), .winter),
  ])

  mutating func handle(_ key: Key, in context: AppContext) -> [Message]? {
    switch Self.keymap.action(for: key) {
    case .report?:
      guard context.canExport else { return [.error(ExportText.notAvailable)] }
      return [.present(ReportFormOverlay(context: context))]
    case .bars?:
      showsBars.toggle()
      return []
    case .winter?: return [.switchWinter]
    case nil: return nil
    }
  }

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  func render(into buffer: inout ScreenBuffer, area: Rect, context: AppContext) -> (
    x: Int, y: Int
  )? {
    if showsBars {
      StatisticsBarsView.render(context.workContext, into: &buffer, area: area)
    } else {
      StatisticsView.render(
        context.index, context: context.workContext, into: &buffer, area: area)
    }
    return nil
  }
}

/// 统计 as pictures an 80-column terminal can draw: each village's share of households
/// visited in the working round (the target: every household), and its hazards put right of
/// those found this winter — the same as the statistics PDF's charts, in `#` and `.`.
enum StatisticsBarsView {
  static func render(_ context: WorkContext, into buffer: inout ScreenBuffer, area: Rect) {
    let index = context.index
    let town = index.data
    var y = area.y
    buffer.write(
      ReportFormText.barsVisited(context.round?.label ?? ""), x: 1, y: y, style: .title)
    y += 1
    let visited = town.villages.map { village -> TextBar in
      let households = index.households(inVillage: village.id)
      let done = households.filter { household in
        guard let round = context.round else { return false }
        return town.visitRecords[household.id]?.visits.contains { round.contains($0.date) } == true
      }.count
      return TextBar(label: village.name, value: Double(done), maxValue: Double(households.count))
    }
    let width = area.width - 4
    let half = max(1, (area.height - 4) / 2)
    for line in TextBars.lines(visited, width: width, target: 1).prefix(half) {
      buffer.write(line, x: 2, y: y, maxWidth: width)
      y += 1
    }
    y += 1
    buffer.write(ReportFormText.barsHazards, x: 1, y: y, style: .title)
    y += 1
    let hazards = town.villages.map { village -> TextBar in
      let found = index.households(inVillage: village.id).flatMap {
        town.visitRecords[$0.id]?.hazards.filter { context.campaign.covers($0.foundOn) } ?? []
      }
      let closed = found.filter { $0.closedOn.map { $0 <= context.today } == true }.count
      return TextBar(label: village.name, value: Double(closed), maxValue: Double(found.count))
    }
    for line in TextBars.lines(hazards, width: width).prefix(max(0, area.maxY - y - 1)) {
      buffer.write(line, x: 2, y: y, maxWidth: width)
      y += 1
    }
  }
}
