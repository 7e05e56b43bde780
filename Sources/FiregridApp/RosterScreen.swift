import FiregridModel
import TerminalUI

/// 网格户籍: browse villages → grids → households → one household's members, the visitors,
/// the vulnerable and the archived; add, change, move, archive and import. A `ListStack` of
/// levels, each a table with its own selection and filter.
struct RosterScreen: Equatable {
  enum Level: Equatable {
    case villages
    case grids(villageID: String)
    case households(gridID: String)
    case household(householdID: String)
    /// 走访人: every visitor with their households; households without one first.
    case visitors
    /// One visitor's households ("" = households without a visitor).
    case visitorHouseholds(visitorID: String)
    /// 重点人群: every vulnerable person, elderly living alone first.
    case vulnerable
    /// Households taken off the roster (archived), to be brought back with Enter.
    case archived
    /// 场所 of a village or a grid (`P`).
    case premisesList(PremisesScope)
    /// One premises: its facts, the household living there, its inspections and open hazards.
    case onePremises(premisesID: String)
  }

  typealias Frame = ListStack<Level>.Frame

  private(set) var stack: ListStack<Level>
  /// Whether ID numbers, phones and health flags are shown in full.
  private(set) var revealSensitive = false
  /// The form definitions (a premises' hazards are named by the form that found them).
  let forms: FormRegistry

  init(index: RosterIndex, forms: FormRegistry, today: CivilDate) {
    self.forms = forms
    stack = ListStack(
      Self.makeFrame(
        .villages, filter: "", index: index, forms: forms, today: today, reveal: false),
      filterLimit: 30)
  }

  var frames: [Frame] { stack.frames }
  var current: Frame { stack.current }
  var searching: Bool { stack.filtering }
  var searchField: TextField { stack.filterField }
  var selectedID: String? { stack.selectedID }

  private func build(_ index: RosterIndex, _ today: CivilDate, reveal: Bool)
    -> ListStack<Level>
    .Build
  {
    { [forms] level, filter in
      switch level {
      case .villages, .visitors, .vulnerable, .archived: break
      case .grids(let villageID): guard index.villageByID[villageID] != nil else { return nil }
      case .households(let gridID): guard index.gridByID[gridID] != nil else { return nil }
      case .household(let householdID):
        guard index.householdByID[householdID] != nil else { return nil }
      case .visitorHouseholds(let visitorID):
        guard visitorID.isEmpty || index.visitorByID[visitorID] != nil else { return nil }
      case .premisesList(.village(let villageID)):
        guard index.villageByID[villageID] != nil else { return nil }
      case .premisesList(.grid(let gridID)): guard index.gridByID[gridID] != nil else { return nil }
      case .onePremises(let premisesID):
        guard index.premisesByID[premisesID] != nil else { return nil }
      }
      return Self.makeFrame(
        level, filter: filter, index: index, forms: forms, today: today, reveal: reveal)
    }
  }

  /// Rebuilds every level after the data changed, keeping selections and filters; levels
  /// whose record is gone (an archived household) are left.
  mutating func reload(index: RosterIndex, today: CivilDate, select id: String? = nil) {
    stack.reload(build(index, today, reveal: revealSensitive), top: .villages, select: id)
  }

  /// The audit record of what `m` shows in the current view: the household, or the list of
  /// vulnerable people.
  var revealedRecord: String? {
    switch current.level {
    case .household(let householdID): return "household/\(householdID)"
    case .vulnerable: return "list/vulnerable"
    case .onePremises(let premisesID): return "premises/\(premisesID)"
    case .premisesList(.village(let villageID)): return "list/premises/\(villageID)"
    case .premisesList(.grid(let gridID)): return "list/premises/\(gridID)"
    default: return nil
    }
  }

  // MARK: Keys

  enum Action {
    case move, open, back, filter, reveal, history, export
    case add, edit, delete, moveHousehold, assignVisitor, importFile, restore
    /// Shows a component made for the selected row: how a new screen is registered.
    case show((String) -> any Overlay)
    case visitors, vulnerable, archived
    /// P: the premises of the selected village or grid, or of the grid in view.
    case premises
    /// n (Enter on one premises): its inspection form.
    case inspect
  }

  /// The keys of the level in view: dispatch and help both come from here.
  static func keymap(level: Level) -> Keymap<Action> {
    var map = Keymap<Action>()
    map.add(ListKeys.move, .move)
    if level == .archived {
      map.add(KeyBinding([.enter], "Enter", AppText.keyRestoreHousehold), .restore)
    } else if case .onePremises = level {
      map.add(KeyBinding([.enter], "Enter", PremisesScreenText.keyInspect), .inspect)
    } else if level.opensDeeper {
      map.add(KeyBinding([.enter], "Enter", AppText.keyOpen), .open)
    }
    map.add(KeyBinding([.escape], "Esc", AppText.keyBack), .back)
    if level.showsSensitive {
      map.add(KeyBinding([.character("m")], "m", AppText.keyReveal), .reveal)
    }
    map.add(KeyBinding([.character("f")], "f", AppText.keySearch, inBar: false), .filter)
    map.add(KeyBinding([.character("o")], "o", ExportText.key, inBar: false), .export)
    map.add(ListKeys.page, .move)
    map.add(ListKeys.firstLast, .move)
    switch level {
    case .household, .households, .visitorHouseholds, .vulnerable:
      map.add(KeyBinding([.character("h")], "h", VisitText.keyHistory, inBar: false), .history)
    case .premisesList, .onePremises:
      map.add(
        KeyBinding([.character("h")], "h", PremisesScreenText.keyHistory, inBar: false), .history)
    default: break
    }
    switch level {
    case .visitorHouseholds, .vulnerable, .archived:
      break
    case .premisesList:
      map.add(KeyBinding([.character("n")], "n", PremisesScreenText.keyInspect), .inspect)
      map.add(KeyBinding([.character("a")], "a", EditText.keyAdd), .add)
      map.add(KeyBinding([.character("e")], "e", EditText.keyEdit), .edit)
      map.add(
        KeyBinding([.character("x"), .delete], "x", PremisesScreenText.keyArchive, inBar: false),
        .delete)
    case .onePremises:
      map.add(
        KeyBinding([.character("n")], "n", PremisesScreenText.keyInspect, inBar: false), .inspect)
      map.add(KeyBinding([.character("e")], "e", EditText.keyEdit), .edit)
      map.add(
        KeyBinding([.character("x"), .delete], "x", PremisesScreenText.keyArchive, inBar: false),
        .delete)
    case .visitors:
      map.add(KeyBinding([.character("a")], "a", EditText.keyAdd), .add)
      map.add(KeyBinding([.character("e")], "e", EditText.keyEdit), .edit)
    default:
      map.add(KeyBinding([.character("a")], "a", EditText.keyAdd), .add)
      map.add(KeyBinding([.character("e")], "e", EditText.keyEdit), .edit)
      map.add(
        KeyBinding([.character("x"), .delete], "x", EditText.keyDelete, inBar: false), .delete)
    }
    switch level {
    case .households, .household:
      map.add(KeyBinding([.character("M")], "M", EditText.keyMove, inBar: false), .moveHousehold)
    case .premisesList, .onePremises:
      map.add(
        KeyBinding([.character("M")], "M", PremisesScreenText.keyMove, inBar: false),
        .moveHousehold)
    case .grids:
      map.add(KeyBinding([.character("W")], "W", EditText.keyAssign, inBar: false), .assignVisitor)
      map.add(
        KeyBinding([.character("i")], "i", GridCardText.key, inBar: false),
        .show(GridCardOverlay.init))
    default: break
    }
    if level == .villages {
      map.add(KeyBinding([.character("I")], "I", ImportText.keyImport, inBar: false), .importFile)
    } else if case .premisesList = level {
      map.add(
        KeyBinding([.character("I")], "I", PremisesScreenText.keyImport, inBar: false),
        .importFile)
    }
    switch level {
    case .villages, .grids, .households:
      map.add(KeyBinding([.character("P")], "P", PremisesScreenText.key, inBar: false), .premises)
    default: break
    }
    map.add(KeyBinding([.character("V")], "V", AppText.keyVisitors, inBar: false), .visitors)
    map.add(KeyBinding([.character("Z")], "Z", AppText.keyVulnerable, inBar: false), .vulnerable)
    map.add(KeyBinding([.character("A")], "A", AppText.keyArchived, inBar: false), .archived)
    return map
  }

  private var pageSize: (AppContext) -> Int { { max(1, $0.contentRows - 2) } }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message]? {
    let index = context.index
    let today = context.today
    if searching {
      stack.handleFilterKey(
        key, pageSize: pageSize(context), build: build(index, today, reveal: revealSensitive))
      return []
    }
    guard let action = Self.keymap(level: current.level).action(for: key) else { return nil }
    switch action {
    case .move:
      _ = stack.move(key, pageSize: pageSize(context))
    case .open:
      open(index: index, today: today)
    case .back:
      if stack.clearFilter(build(index, today, reveal: revealSensitive)) { return [] }
      guard stack.pop() else { return [.info(AppText.atTopLevel)] }
      // Shown data is masked again wherever the clerk goes: a reveal is for one view.
      revealSensitive = false
      stack.refresh(build(index, today, reveal: false))
    case .filter:
      stack.startFilter()
    case .export:
      return context.export(
        title: breadcrumb(index: index), filter: current.filter, table: current.table)
    case .premises:
      let scope: PremisesScope
      switch current.level {
      case .villages:
        guard let id = selectedID else { return [] }
        scope = .village(id)
      case .grids:
        guard let id = selectedID else { return [] }
        scope = .grid(id)
      case .households(let gridID): scope = .grid(gridID)
      default: return []
      }
      push(.premisesList(scope), index: index, today: today)
    case .inspect:
      return premisesInView.map { [.openInspectionForm(premisesID: $0)] } ?? []
    case .visitors: push(.visitors, index: index, today: today)
    case .vulnerable: push(.vulnerable, index: index, today: today)
    case .archived: push(.archived, index: index, today: today)
    case .reveal:
      return reveal(in: context)
    case .history where premisesInView != nil:
      guard let premisesID = premisesInView else { return [] }
      return [.run(.openPremisesHistory(premisesID: premisesID))]
    case .history:
      let householdID: String?
      if case .household(let id) = current.level {
        householdID = id
      } else {
        householdID = selectedID
      }
      guard let householdID, index.householdByID[householdID] != nil else { return [] }
      return [.run(.openHistory(householdID: householdID))]
    case .restore:
      return restoreArchived(in: context)
    case .show(let make):
      return selectedID.map { [.present(make($0))] } ?? []
    case .importFile:
      if let refused = context.refusesChanges { return [refused] }
      if case .premisesList = current.level { return [.present(PremisesImportFileOverlay())] }
      return [.present(ImportFileOverlay())]
    case .add, .edit, .delete, .moveHousehold, .assignVisitor:
      if let refused = context.refusesChanges { return [refused] }
      switch current.level {
      case .premisesList, .onePremises: return startPremisesEdit(action, index: index)
      default: return startEdit(action, index: index)
      }
    }
    return []
  }

  /// `m`: ID numbers, phones and health flags in full, or masked again. Showing them is an
  /// audit line (who looked at whose, when), so a read-only town cannot show them.
  private mutating func reveal(in context: AppContext) -> [Message] {
    guard let record = revealedRecord else { return [] }
    if !revealSensitive, !context.isWritable { return [.error(AppText.revealNeedsAudit)] }
    revealSensitive.toggle()
    stack.refresh(build(context.index, context.today, reveal: revealSensitive))
    guard revealSensitive else { return [.info(AppText.revealHint)] }
    return [.info(AppText.revealedWarning), .run(.recordAccess(record: record))]
  }

  private mutating func open(index: RosterIndex, today: CivilDate) {
    guard let id = selectedID else { return }
    let next: Level
    switch current.level {
    case .villages: next = .grids(villageID: id)
    case .grids: next = .households(gridID: id)
    case .households: next = .household(householdID: id)
    case .premisesList: next = .onePremises(premisesID: id)
    case .visitors: next = .visitorHouseholds(visitorID: id)
    case .visitorHouseholds, .vulnerable:
      guard index.householdByID[id] != nil else { return }
      next = .household(householdID: id)
    case .household, .archived, .onePremises: return
    }
    revealSensitive = false
    stack.push(
      Self.makeFrame(next, filter: "", index: index, forms: forms, today: today, reveal: false))
  }

  /// V, Z, A: the list, or back from it when it is already shown.
  private mutating func push(_ level: Level, index: RosterIndex, today: CivilDate) {
    revealSensitive = false
    if current.level == level {
      _ = stack.pop()
      stack.refresh(build(index, today, reveal: false))
      return
    }
    stack.push(
      Self.makeFrame(level, filter: "", index: index, forms: forms, today: today, reveal: false))
  }

  /// Enter on an archived household: back on the roster, once confirmed.
  private func restoreArchived(in context: AppContext) -> [Message] {
    if let refused = context.refusesChanges { return [refused] }
    guard let id = selectedID,
      let household = context.index.data.archivedHouseholds.first(where: { $0.id == id })
    else { return [] }
    do {
      let edit = try RosterEdit.restoreHousehold(id: id, in: context.index.data)
      return [
        .present(
          ConfirmOverlay(
            title: AppText.restoreHouseholdTitle,
            message: AppText.restoreHousehold(household.number, household.head?.name ?? ""),
            then: [.run(.applyEdit(edit))]))
      ]
    } catch {
      return [.error(error.message)]
    }
  }

  /// a, e, x, M, W: the edit form (or the question) for the level in view.
  private func startEdit(_ action: Action, index: RosterIndex) -> [Message] {
    let level = current.level
    let selected = selectedID
    let town = index.data
    func edit(_ session: EditSession?) -> [Message] {
      session.map { [.present(EditOverlay(session: $0))] } ?? []
    }
    switch (action, level) {
    case (.add, .villages): return edit(.village(nil))
    case (.add, .grids(let villageID)): return edit(.grid(nil, villageID: villageID, index: index))
    case (.add, .households(let gridID)):
      return edit(.household(nil, gridID: gridID, index: index))
    case (.add, .household(let householdID)):
      let isFirst = index.householdByID[householdID]?.persons.isEmpty ?? true
      return edit(.person(nil, householdID: householdID, isFirst: isFirst))
    case (.add, .visitors): return edit(.visitor(nil))
    case (.edit, .villages):
      return edit(selected.flatMap { index.villageByID[$0] }.map { .village($0) })
    case (.edit, .grids(let villageID)):
      return edit(
        selected.flatMap { index.gridByID[$0] }.map {
          .grid($0, villageID: villageID, index: index)
        })
    case (.edit, .households(let gridID)):
      return edit(
        selected.flatMap { index.householdByID[$0] }.map {
          .household($0, gridID: gridID, index: index)
        })
    case (.edit, .household(let householdID)):
      let person = index.householdByID[householdID]?.persons.first { $0.id == selected }
      return edit(person.map { .person($0, householdID: householdID, isFirst: false) })
    case (.edit, .visitors):
      return edit(selected.flatMap { index.visitorByID[$0] }.map { .visitor($0) })
    case (.assignVisitor, .grids):
      guard let grid = selected.flatMap({ index.gridByID[$0] }) else { return [] }
      guard !index.data.visitors.isEmpty else { return [.error(EditText.noVisitorsYet)] }
      return edit(.assignGrid(grid, index: index))
    case (.moveHousehold, .households):
      return edit(selected.flatMap { index.householdByID[$0] }.map { .move($0, index: index) })
    case (.moveHousehold, .household(let householdID)):
      return edit(index.householdByID[householdID].map { .move($0, index: index) })
    case (.delete, _):
      guard let selected else { return [] }
      do {
        let (question, edit): (String, RosterEdit.Outcome)
        switch level {
        case .villages:
          question = EditText.deleteVillage(index.villageByID[selected]?.name ?? "")
          edit = try RosterEdit.deleteVillage(id: selected, in: town)
        case .grids:
          question = EditText.deleteGrid(index.gridByID[selected]?.name ?? "")
          edit = try RosterEdit.deleteGrid(id: selected, in: town)
        case .households:
          let household = index.householdByID[selected]
          question = EditText.archiveHousehold(household?.number ?? "", household?.head?.name ?? "")
          edit = try RosterEdit.archiveHousehold(id: selected, in: town)
        case .household(let householdID):
          question = EditText.deletePerson(index.personByID[selected]?.name ?? "")
          edit = try RosterEdit.removePerson(id: selected, fromHousehold: householdID, in: town)
        case .visitors, .visitorHouseholds, .vulnerable, .archived, .premisesList, .onePremises:
          return []
        }
        return [
          .present(
            ConfirmOverlay(
              title: EditText.deleteTitle, message: question,
              then: [.run(.applyEdit(edit))]))
        ]
      } catch {
        return [.error(error.message)]
      }
    default:
      return []
    }
  }

  /// Opens a village's grids or a grid's households from a search result.
  mutating func jump(
    toVillage villageID: String?, grid gridID: String?, index: RosterIndex, today: CivilDate
  ) {
    var villages = Self.makeFrame(
      .villages, filter: "", index: index, forms: forms, today: today, reveal: false)
    let village = villageID ?? gridID.flatMap { index.gridByID[$0]?.villageID }
    guard let village, let row = villages.rowIDs.firstIndex(of: village) else { return }
    villages.table.state.select(row, count: villages.rowIDs.count)
    var grids = Self.makeFrame(
      .grids(villageID: village), filter: "", index: index, forms: forms, today: today,
      reveal: false)
    guard let gridID, let gridRow = grids.rowIDs.firstIndex(of: gridID) else {
      stack.replace(with: [villages, grids])
      return
    }
    grids.table.state.select(gridRow, count: grids.rowIDs.count)
    stack.replace(with: [
      villages, grids,
      Self.makeFrame(
        .households(gridID: gridID), filter: "", index: index, forms: forms, today: today,
        reveal: false),
    ])
  }

  /// Opens one household from anywhere (a search result), with its village and grid beneath
  /// it so that Esc walks back up the roster.
  mutating func jump(toHousehold householdID: String, index: RosterIndex, today: CivilDate) {
    guard let household = index.householdByID[householdID],
      let grid = index.gridByID[household.gridID]
    else { return }
    var path: [(Level, String)] = [(.villages, grid.villageID)]
    path.append((.grids(villageID: grid.villageID), grid.id))
    path.append((.households(gridID: grid.id), household.id))
    var frames = path.map { level, selected in
      var frame = Self.makeFrame(
        level, filter: "", index: index, forms: forms, today: today, reveal: false)
      if let row = frame.rowIDs.firstIndex(of: selected) {
        frame.table.state.select(row, count: frame.rowIDs.count)
      }
      return frame
    }
    frames.append(
      Self.makeFrame(
        .household(householdID: householdID), filter: "", index: index, forms: forms, today: today,
        reveal: revealSensitive))
    stack.replace(with: frames)
  }

  /// Opens a premises' grid's premises list from a search hit, with it selected, its village
  /// and grid beneath so that Esc walks back up the roster.
  mutating func jump(toPremises premisesID: String, index: RosterIndex, today: CivilDate) {
    guard let premises = index.premisesByID[premisesID],
      let grid = index.gridByID[premises.gridID]
    else { return }
    let path: [(Level, String)] = [
      (.villages, grid.villageID), (.grids(villageID: grid.villageID), grid.id),
      (.premisesList(.grid(grid.id)), premisesID),
    ]
    revealSensitive = false
    stack.replace(
      with: path.map { level, selected in
        var frame = Self.makeFrame(
          level, filter: "", index: index, forms: forms, today: today, reveal: false)
        if let row = frame.rowIDs.firstIndex(of: selected) {
          frame.table.state.select(row, count: frame.rowIDs.count)
        }
        return frame
      })
  }

  // MARK: Titles

  /// "全镇 > 龙潭村 > 第3网格 > 0002 张三"
  func breadcrumb(index: RosterIndex) -> String {
    var parts = [index.data.town.name.isEmpty ? AppText.rosterTown : index.data.town.name]
    for frame in frames.dropFirst() {
      switch frame.level {
      case .villages: break
      case .grids(let villageID): parts.append(index.villageByID[villageID]?.name ?? villageID)
      case .households(let gridID): parts.append(index.gridByID[gridID]?.name ?? gridID)
      case .household(let householdID):
        let household = index.householdByID[householdID]
        parts.append("\(household?.number ?? "") \(household?.head?.name ?? "")")
      case .visitors: parts.append(AppText.visitorsTitle)
      case .visitorHouseholds(let visitorID):
        parts.append(index.visitorByID[visitorID]?.name ?? AppText.noVisitor)
      case .vulnerable: parts.append(AppText.vulnerableTitle)
      case .archived: parts.append(AppText.archivedTitle)
      case .premisesList(.village(let villageID)):
        parts.append(PremisesScreenText.listTitle(index.villageByID[villageID]?.name ?? ""))
      case .premisesList(.grid(let gridID)):
        parts.append(PremisesScreenText.listTitle(index.gridByID[gridID]?.name ?? ""))
      case .onePremises(let premisesID): parts.append(index.premisesByID[premisesID]?.name ?? "")
      }
    }
    return parts.joined(separator: " > ")
  }

  // MARK: Rows

  static func makeFrame(
    _ level: Level, filter: String, index: RosterIndex, forms: FormRegistry, today: CivilDate,
    reveal: Bool
  ) -> Frame {
    var columns: [TableColumn]
    var rows: [[String]] = []
    var ids: [String] = []
    var styles: [Int: Style] = [:]
    let empty: String
    switch level {
    case .villages:
      columns = [
        TableColumn(AppText.columnVillage, width: 16),
        TableColumn(AppText.columnGrids, width: 6, alignment: .right),
        TableColumn(AppText.columnHouseholds, width: 6, alignment: .right),
        TableColumn(AppText.columnPersons, width: 6, alignment: .right),
        TableColumn(AppText.columnVulnerable, width: 8, alignment: .right),
        TableColumn(AppText.columnLiaison, width: 10),
      ]
      empty = AppText.noVillages
      for village in index.data.villages {
        let households = index.households(inVillage: village.id)
        rows.append([
          village.name, "\(index.grids(in: village.id).count)", "\(households.count)",
          "\(RosterIndex.personCount(households))", "\(RosterIndex.vulnerableCount(households))",
          village.liaison,
        ])
        ids.append(village.id)
      }
    case .grids(let villageID):
      columns = [
        TableColumn(AppText.columnGrid, width: 10),
        TableColumn(AppText.columnHouseholds, width: 5, alignment: .right),
        TableColumn(AppText.columnPersons, width: 5, alignment: .right),
        TableColumn(AppText.columnVulnerable, width: 8, alignment: .right),
        TableColumn(AppText.columnGridLeader, width: 8),
        TableColumn(AppText.columnWechat, width: 20),
      ]
      empty = AppText.noGrids
      for grid in index.grids(in: villageID) {
        let households = index.households(in: grid.id)
        var name = grid.name
        switch RosterRules.gridSizeStatus(households.count) {
        case .overLimit: name += " !"
        case .large: name += " *"
        default: break
        }
        let row = rows.count
        if households.count > Grid.maximumSize {
          styles[row] = .error
        } else if households.count > Grid.normalSize.upperBound {
          styles[row] = .warning
        }
        rows.append([
          name, "\(households.count)", "\(RosterIndex.personCount(households))",
          "\(RosterIndex.vulnerableCount(households))",
          index.gridLeader(grid)?.name ?? AppText.none,
          grid.wechatGroup,
        ])
        ids.append(grid.id)
      }
    case .households(let gridID):
      columns = [
        TableColumn(AppText.columnNumber, width: 5),
        TableColumn(AppText.columnHead, width: 8),
        TableColumn(AppText.columnPersons, width: 4, alignment: .right),
        TableColumn(AppText.columnVulnerable, width: 14),
        TableColumn(AppText.columnVisitor, width: 8),
        TableColumn(AppText.columnAddress, width: 20),
      ]
      empty = AppText.noHouseholds
      for household in index.households(in: gridID) {
        rows.append([
          household.number, household.head?.name ?? "", "\(household.persons.count)",
          groupSummary(household.persons.flatMap(\.groups), reveal: false),
          index.visitorName(household) ?? AppText.none, household.address,
        ])
        ids.append(household.id)
      }
    case .household(let householdID):
      columns = [
        TableColumn(AppText.columnName, width: 8),
        TableColumn(AppText.columnRelation, width: 6),
        TableColumn(AppText.columnSex, width: 4),
        TableColumn(AppText.columnAge, width: 4, alignment: .right),
        TableColumn(AppText.columnIDNumber, width: 18),
        TableColumn(AppText.columnPhone, width: 11),
        TableColumn(AppText.columnVulnerable, width: 10),
      ]
      empty = AppText.noPersons
      for person in index.householdByID[householdID]?.persons ?? [] {
        rows.append([
          person.name, person.relation, person.sex?.label ?? "",
          IDNumber.age(of: person.idNumber, on: today).map { "\($0)" } ?? "",
          reveal ? person.idNumber : IDNumber.masked(person.idNumber),
          reveal ? person.phone : PhoneNumber.masked(person.phone),
          groupSummary(person.groups, reveal: reveal),
        ])
        ids.append(person.id)
      }
    case .visitors:
      columns = [
        TableColumn(AppText.columnVisitor, width: 16),
        TableColumn(AppText.columnRole, width: 10),
        TableColumn(AppText.columnPhone, width: 12),
        TableColumn(AppText.columnHouseholds, width: 5, alignment: .right),
        TableColumn(AppText.columnGridsCovered, width: 30),
      ]
      empty = AppText.noVisitors
      let unassigned = index.data.households.filter { index.visitorName($0) == nil }
      if !unassigned.isEmpty {
        styles[0] = .warning
        rows.append([AppText.noVisitor, "", "", "\(unassigned.count)", AppText.unassignedWarning])
        ids.append("")
      }
      let byVisitor = Dictionary(grouping: index.data.households) { $0.visitorID ?? "" }
      for visitor in index.data.visitors {
        let households = byVisitor[visitor.id] ?? []
        var gridNames: [String] = []
        for gridID in households.map(\.gridID) where !gridNames.contains(gridID) {
          gridNames.append(gridID)
        }
        let labels = gridNames.compactMap { gridID -> String? in
          guard let grid = index.gridByID[gridID] else { return nil }
          return (index.villageByID[grid.villageID]?.name ?? "") + grid.name
        }
        rows.append([
          visitor.name, visitor.role.label,
          reveal ? visitor.phone : PhoneNumber.masked(visitor.phone), "\(households.count)",
          labels.joined(separator: "、"),
        ])
        ids.append(visitor.id)
      }
    case .visitorHouseholds(let visitorID):
      columns = [
        TableColumn(AppText.columnVillage, width: 12),
        TableColumn(AppText.columnGrid, width: 9),
        TableColumn(AppText.columnNumber, width: 5),
        TableColumn(AppText.columnHead, width: 8),
        TableColumn(AppText.columnVulnerable, width: 14),
        TableColumn(AppText.columnAddress, width: 20),
      ]
      empty = AppText.noHouseholds
      for household in index.data.households
      where (household.visitorID.flatMap { index.visitorByID[$0] }?.id ?? "") == visitorID {
        let grid = index.gridByID[household.gridID]
        rows.append([
          index.villageName(ofGrid: grid), grid?.name ?? "",
          household.number, household.head?.name ?? "",
          groupSummary(household.persons.flatMap(\.groups), reveal: false), household.address,
        ])
        ids.append(household.id)
      }
    case .archived:
      columns = [
        TableColumn(AppText.columnVillage, width: 12),
        TableColumn(AppText.columnGrid, width: 9),
        TableColumn(AppText.columnNumber, width: 5),
        TableColumn(AppText.columnHead, width: 8),
        TableColumn(AppText.columnOpenHazards, width: 10, alignment: .right),
        TableColumn(AppText.columnAddress, width: 24),
      ]
      empty = AppText.noArchived
      for household in index.data.archivedHouseholds {
        let grid = index.gridByID[household.gridID]
        let open = (index.data.archivedVisitRecords[household.id]?.hazards ?? []).filter {
          $0.closedOn == nil
        }.count
        rows.append([
          index.villageName(ofGrid: grid), grid?.name ?? "", household.number,
          household.head?.name ?? "", open == 0 ? "" : "\(open)", household.address,
        ])
        ids.append(household.id)
      }
    case .premisesList(let scope):
      (columns, rows, ids, styles) = premisesListFrame(
        scope, index: index, today: today, reveal: reveal)
      empty = PremisesScreenText.noPremises
    case .onePremises(let premisesID):
      (columns, rows, ids, styles) = onePremisesFrame(
        premisesID, index: index, forms: forms, today: today)
      empty = PremisesScreenText.noInspections
    case .vulnerable:
      columns = [
        TableColumn(AppText.columnVillage, width: 12),
        TableColumn(AppText.columnGrid, width: 9),
        TableColumn(AppText.columnNumber, width: 5),
        TableColumn(AppText.columnName, width: 8),
        TableColumn(AppText.columnAge, width: 4, alignment: .right),
        TableColumn(AppText.columnVulnerable, width: 20),
      ]
      empty = AppText.noVulnerable
      // Elderly people living alone first (the seed's first priority), then roster order.
      var entries: [(priority: Int, household: Household, person: Person)] = []
      for household in index.data.households {
        for person in household.persons where !person.groups.isEmpty {
          let alone = person.groups.contains(.elderlyLivingAlone)
          entries.append((alone ? 0 : 1, household, person))
        }
      }
      for entry in entries.enumerated().sorted(by: {
        ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset)
      }).map(\.element) {
        let grid = index.gridByID[entry.household.gridID]
        rows.append([
          index.villageName(ofGrid: grid), grid?.name ?? "",
          entry.household.number, entry.person.name,
          IDNumber.age(of: entry.person.idNumber, on: today).map { "\($0)" } ?? "",
          groupSummary(entry.person.groups, reveal: reveal),
        ])
        ids.append(entry.household.id)
      }
    }
    if !filter.isEmpty {
      let kept = rows.indices.filter { rows[$0].contains { $0.contains(filter) } }
      var keptStyles: [Int: Style] = [:]
      for (newRow, oldRow) in kept.enumerated() { keptStyles[newRow] = styles[oldRow] }
      rows = kept.map { rows[$0] }
      ids = kept.map { ids[$0] }
      styles = keptStyles
    }
    var table = Table(columns: columns, rows: rows, rowStyles: styles)
    table.emptyText = filter.isEmpty ? empty : AppText.noMatches
    return Frame(level: level, table: table, rowIDs: ids, filter: filter)
  }

  /// Group labels joined with 、; health flags hidden unless `reveal`.
  static func groupSummary(_ groups: [VulnerableGroup], reveal: Bool) -> String {
    let distinct = Array(Set(groups)).sorted()
    var labels = distinct.filter { reveal || !$0.isHealthData }.map(\.label)
    if !reveal, distinct.contains(where: \.isHealthData) { labels.append(AppText.maskedHealth) }
    return labels.joined(separator: "、")
  }

}

extension RosterScreen.Level {
  /// Whether Enter opens the selected row's own list.
  var opensDeeper: Bool {
    switch self {
    case .household, .archived, .onePremises: return false
    default: return true
    }
  }

  /// Whether the level shows ID numbers, phones or health flags (masked until `m`).
  var showsSensitive: Bool {
    switch self {
    case .household, .vulnerable, .premisesList, .onePremises: return true
    default: return false
    }
  }
}

extension RosterScreen: SectionScreen {
  var isTyping: Bool { searching }

  func bindings(in context: AppContext) -> [KeyBinding] {
    searching
      ? ListStack<Level>.filterKeys.bindings : Self.keymap(level: current.level).bindings
  }

  mutating func reload(_ context: AppContext) {
    reload(index: context.index, today: context.today)
  }

  /// A premises' inspections changed: its premises lists and its own level are built again;
  /// the roster's other levels show no inspection. Anything else: `reload`.
  mutating func update(_ change: TownChange, context: AppContext) {
    guard case .premises = change else {
      reload(context)
      return
    }
    stack.update(build(context.index, context.today, reveal: revealSensitive), top: .villages) {
      switch $0.level {
      case .premisesList, .onePremises: return .rebuild
      default: return .keep
      }
    }
  }

  func render(into buffer: inout ScreenBuffer, area: Rect, context: AppContext) -> (
    x: Int, y: Int
  )? {
    RosterView.render(self, index: context.index, today: context.today, into: &buffer, area: area)
  }
}
