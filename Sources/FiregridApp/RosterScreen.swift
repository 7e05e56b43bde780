import FiregridModel
import TerminalUI

/// 网格户籍: browse villages → grids → households → one household's members (read-only).
/// A navigation stack of levels, each a table with its own selection and filter.
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
  }

  struct Frame: Equatable {
    var level: Level
    var table: Table
    var rowIDs: [String]
    var filter: String
  }

  private(set) var frames: [Frame]
  /// Typing a filter after `/`.
  private(set) var searching = false
  private(set) var searchField = TextField(maxLength: 30)
  /// Whether ID numbers, phones and health flags are shown in full.
  private(set) var revealSensitive = false

  init(index: RosterIndex, today: CivilDate) {
    frames = []
    frames = [Self.makeFrame(.villages, filter: "", index: index, today: today, reveal: false)]
  }

  var current: Frame { frames[frames.count - 1] }

  /// The id of the selected row (village, grid, household or person), if any.
  var selectedID: String? {
    guard let row = current.table.selectedIndex, row < current.rowIDs.count else { return nil }
    return current.rowIDs[row]
  }

  /// Rebuilds every level after the data changed, keeping selections and filters; levels
  /// whose record is gone (an archived household) are left.
  mutating func reload(index: RosterIndex, today: CivilDate, select id: String? = nil) {
    var kept: [Frame] = []
    for frame in frames {
      let exists: Bool
      switch frame.level {
      case .villages: exists = true
      case .grids(let villageID): exists = index.villageByID[villageID] != nil
      case .households(let gridID): exists = index.gridByID[gridID] != nil
      case .household(let householdID): exists = index.householdByID[householdID] != nil
      case .visitors, .vulnerable, .archived: exists = true
      case .visitorHouseholds(let visitorID):
        exists = visitorID.isEmpty || index.visitorByID[visitorID] != nil
      }
      guard exists else { break }
      var rebuilt = Self.makeFrame(
        frame.level, filter: frame.filter, index: index, today: today, reveal: revealSensitive)
      rebuilt.table.state = frame.table.state
      rebuilt.table.state.select(
        min(frame.table.state.selected, max(0, rebuilt.rowIDs.count - 1)),
        count: rebuilt.rowIDs.count)
      kept.append(rebuilt)
    }
    frames =
      kept.isEmpty
      ? [Self.makeFrame(.villages, filter: "", index: index, today: today, reveal: false)] : kept
    if let id, let row = current.rowIDs.firstIndex(of: id) {
      frames[frames.count - 1].table.state.select(row, count: current.rowIDs.count)
    }
  }
  var isAtTop: Bool { frames.count == 1 }

  enum Outcome: Equatable {
    case handled
    case ignored
    case message(String)
  }

  /// The audit record of what `m` shows in the current view: the household, or the list of
  /// vulnerable people.
  var revealedRecord: String? {
    switch current.level {
    case .household(let householdID): return "household/\(householdID)"
    case .vulnerable: return "list/vulnerable"
    default: return nil
    }
  }

  static func bindings(level: Level, searching: Bool) -> [KeyBinding] {
    if searching {
      return [
        KeyBinding([.enter], "Enter", AppText.keyAccept),
        KeyBinding([.escape], "Esc", AppText.keyClear),
        KeyBinding([.up, .down], "Up/Down", AppText.keyMove),
      ]
    }
    var list = [
      KeyBinding([.up, .down, .character("j"), .character("k")], "j/k", AppText.keyMove),
      KeyBinding([.enter], "Enter", AppText.keyOpen),
      KeyBinding([.escape], "Esc", AppText.keyBack),
      KeyBinding([.character("f")], "f", AppText.keySearch, inBar: false),
      KeyBinding([.pageUp, .pageDown], "PgUp/PgDn", AppText.keyPage, inBar: false),
      KeyBinding(
        [.home, .end, .character("g"), .character("G")], "g/G", AppText.keyFirstLast, inBar: false),
    ]
    if case .household = level {
      list.insert(KeyBinding([.character("m")], "m", AppText.keyReveal), at: 3)
    }
    switch level {
    case .household, .households, .visitorHouseholds:
      list.append(KeyBinding([.character("h")], "h", VisitText.keyHistory, inBar: false))
    default: break
    }
    switch level {
    case .visitorHouseholds, .vulnerable:
      break
    case .archived:
      list[1] = KeyBinding([.enter], "Enter", AppText.keyRestoreHousehold)
    case .visitors:
      list.append(KeyBinding([.character("a")], "a", EditText.keyAdd))
      list.append(KeyBinding([.character("e")], "e", EditText.keyEdit))
    default:
      list.append(KeyBinding([.character("a")], "a", EditText.keyAdd))
      list.append(KeyBinding([.character("e")], "e", EditText.keyEdit))
      list.append(KeyBinding([.character("x"), .delete], "x", EditText.keyDelete, inBar: false))
    }
    switch level {
    case .households, .household:
      list.append(KeyBinding([.character("M")], "M", EditText.keyMove, inBar: false))
    case .grids:
      list.append(KeyBinding([.character("W")], "W", EditText.keyAssign, inBar: false))
    default: break
    }
    if level == .villages {
      list.append(KeyBinding([.character("I")], "I", ImportText.keyImport, inBar: false))
    }
    list.append(KeyBinding([.character("V")], "V", AppText.keyVisitors, inBar: false))
    list.append(KeyBinding([.character("Z")], "Z", AppText.keyVulnerable, inBar: false))
    list.append(KeyBinding([.character("A")], "A", AppText.keyArchived, inBar: false))
    return list
  }

  mutating func handle(_ key: Key, index: RosterIndex, today: CivilDate, pageSize: Int) -> Outcome {
    if searching { return handleSearch(key, index: index, today: today, pageSize: pageSize) }
    switch key {
    case .enter:
      return open(index: index, today: today)
    case .escape:
      if !current.filter.isEmpty {
        setFilter("", index: index, today: today)
        return .handled
      }
      guard !isAtTop else { return .message(AppText.atTopLevel) }
      frames.removeLast()
      // Shown data is masked again wherever the clerk goes: a reveal is for one view.
      revealSensitive = false
      refresh(index: index, today: today)
      return .handled
    case .character("f"):
      searching = true
      searchField = TextField(text: current.filter, maxLength: 30)
      return .handled
    case .character("V"):
      push(.visitors, index: index, today: today)
      return .handled
    case .character("Z"):
      push(.vulnerable, index: index, today: today)
      return .handled
    case .character("A"):
      push(.archived, index: index, today: today)
      return .handled
    case .character("m"):
      switch current.level {
      case .household, .vulnerable: break
      default: return .ignored
      }
      revealSensitive.toggle()
      refresh(index: index, today: today)
      return .message(revealSensitive ? AppText.revealedWarning : AppText.revealHint)
    default:
      var frame = current
      let result = frame.table.handle(key, pageSize: pageSize)
      frames[frames.count - 1] = frame
      return result == .handled ? .handled : .ignored
    }
  }

  private mutating func handleSearch(
    _ key: Key, index: RosterIndex, today: CivilDate, pageSize: Int
  ) -> Outcome {
    switch key {
    case .enter:
      searching = false
      return .handled
    case .escape:
      searching = false
      setFilter("", index: index, today: today)
      return .handled
    case .up, .down, .pageUp, .pageDown:
      var frame = current
      _ = frame.table.handle(key, pageSize: pageSize)
      frames[frames.count - 1] = frame
      return .handled
    default:
      guard searchField.handle(key) == .handled else { return .handled }
      setFilter(searchField.text, index: index, today: today)
      return .handled
    }
  }

  private mutating func setFilter(_ filter: String, index: RosterIndex, today: CivilDate) {
    let frame = current
    frames[frames.count - 1] = Self.makeFrame(
      frame.level, filter: filter, index: index, today: today, reveal: revealSensitive)
  }

  private mutating func open(index: RosterIndex, today: CivilDate) -> Outcome {
    guard let row = current.table.selectedIndex, row < current.rowIDs.count else {
      return .ignored
    }
    let id = current.rowIDs[row]
    let next: Level
    switch current.level {
    case .villages: next = .grids(villageID: id)
    case .grids: next = .households(gridID: id)
    case .households: next = .household(householdID: id)
    case .household: return .ignored
    case .visitors: next = .visitorHouseholds(visitorID: id)
    case .visitorHouseholds, .vulnerable:
      guard index.householdByID[id] != nil else { return .ignored }
      next = .household(householdID: id)
    case .archived: return .ignored  // Enter restores: the app asks first
    }
    searching = false
    revealSensitive = false
    frames.append(Self.makeFrame(next, filter: "", index: index, today: today, reveal: false))
    return .handled
  }

  private mutating func push(_ level: Level, index: RosterIndex, today: CivilDate) {
    guard current.level != level else { return }
    searching = false
    revealSensitive = false
    frames.append(Self.makeFrame(level, filter: "", index: index, today: today, reveal: false))
  }

  /// Opens a village's grids or a grid's households from a search result.
  mutating func jump(
    toVillage villageID: String?, grid gridID: String?, index: RosterIndex, today: CivilDate
  ) {
    searching = false
    var villages = Self.makeFrame(.villages, filter: "", index: index, today: today, reveal: false)
    let village = villageID ?? gridID.flatMap { index.gridByID[$0]?.villageID }
    guard let village, let row = villages.rowIDs.firstIndex(of: village) else { return }
    villages.table.state.select(row, count: villages.rowIDs.count)
    var grids = Self.makeFrame(
      .grids(villageID: village), filter: "", index: index, today: today, reveal: false)
    frames = [villages, grids]
    guard let gridID, let gridRow = grids.rowIDs.firstIndex(of: gridID) else { return }
    grids.table.state.select(gridRow, count: grids.rowIDs.count)
    frames = [
      villages, grids,
      Self.makeFrame(
        .households(gridID: gridID), filter: "", index: index, today: today, reveal: false),
    ]
  }

  /// Opens one household from anywhere (a search result), with its village and grid beneath
  /// it so that Esc walks back up the roster.
  mutating func jump(toHousehold householdID: String, index: RosterIndex, today: CivilDate) {
    guard let household = index.householdByID[householdID],
      let grid = index.gridByID[household.gridID]
    else { return }
    searching = false
    var path: [(Level, String)] = [(.villages, grid.villageID)]
    path.append((.grids(villageID: grid.villageID), grid.id))
    path.append((.households(gridID: grid.id), household.id))
    frames = path.map { level, selected in
      var frame = Self.makeFrame(level, filter: "", index: index, today: today, reveal: false)
      if let row = frame.rowIDs.firstIndex(of: selected) {
        frame.table.state.select(row, count: frame.rowIDs.count)
      }
      return frame
    }
    frames.append(
      Self.makeFrame(
        .household(householdID: householdID), filter: "", index: index, today: today,
        reveal: revealSensitive))
  }

  /// Rebuilds the current frame's rows (after a filter or reveal change), keeping selection.
  private mutating func refresh(index: RosterIndex, today: CivilDate) {
    let frame = current
    var rebuilt = Self.makeFrame(
      frame.level, filter: frame.filter, index: index, today: today, reveal: revealSensitive)
    rebuilt.table.state = frame.table.state
    if let selected = frame.table.selectedIndex {
      rebuilt.table.state.select(selected, count: rebuilt.rowIDs.count)
    }
    frames[frames.count - 1] = rebuilt
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
      }
    }
    return parts.joined(separator: " > ")
  }

  // MARK: Rows

  static func makeFrame(
    _ level: Level, filter: String, index: RosterIndex, today: CivilDate, reveal: Bool
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
