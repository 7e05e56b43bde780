import FiregridModel
import Foundation

extension RosterCSV {
  /// What importing a table into a town would do: the records it adds, and every row it
  /// rejects. Nothing may be written unless `problems` is empty (all or nothing).
  public struct ImportPlan: Sendable {
    /// The town after the import: the town given, plus what is added.
    public var town: TownData
    /// Villages, grids and households that do not exist yet, in the order of the file.
    public var newVillages: [Village] = []
    public var newGrids: [Grid] = []
    public var newHouseholds: [Household] = []
    /// Existing grids that had no grid leader and get the one the file names.
    public var changedGrids: [Grid] = []
    /// Households already in the town exactly as the file has them: skipped, not rejected.
    public var unchangedHouseholds = 0
    /// Rejected rows, by row number. Any problem means nothing is imported.
    public var problems: [RowProblem] = []
    /// Shown but not refused: grids under 5 or over 10 households.
    public var warnings: [RowProblem] = []
    /// Headers that are not roster columns (序号, 备注 ...), not imported.
    public var ignoredColumns: [String] = []
    /// The spreadsheet row of the header.
    public var headerRow = 1
    /// Rows read after the header, blank rows not counted.
    public var dataRows = 0

    public var isAccepted: Bool { problems.isEmpty }
    public var newPersonCount: Int { newHouseholds.reduce(0) { $0 + $1.persons.count } }
    /// How many different rows were rejected.
    public var rejectedRowCount: Int { Set(problems.map(\.row)).count }
    /// Whether an accepted plan has anything to write.
    public var hasChanges: Bool {
      !newVillages.isEmpty || !newGrids.isEmpty || !newHouseholds.isEmpty
        || !changedGrids.isEmpty
    }
  }

  /// Checks every row of `table` against the rules and against `town` (the town as it is; an
  /// empty `TownData` for a new town) and plans what to add. Pure: reads no files.
  ///
  /// Villages are matched by name, grids by village and name, households by village and 户号.
  /// A household already in the town is skipped when identical and rejected otherwise (an
  /// import adds, it does not edit). New ids continue each sequence (v001, g0001, h000001,
  /// p0000001: the largest existing number + 1).
  ///
  /// Rejected: a missing required column or value (村, 网格, 户号, 姓名); a bad 身份证号 (the
  /// model's reason), 电话, 性别 or 重点人群; a duplicate 身份证号 in the file or in the town; a
  /// household with no 户主 or two; the same 户号 of a village in two grids; a household that
  /// differs from the existing one; a grid over 15 households; a 网格长 who does not live in the
  /// grid, or rows of one grid naming different leaders; a different leader for a grid that
  /// has one.
  public static func plan(_ table: Table, into town: TownData) -> ImportPlan {
    var planner = Planner(town: town)
    planner.run(table)
    return planner.plan
  }
}

/// One person row after cleaning.
private struct PersonRow {
  var row: Int
  var village: String
  var grid: String
  var leader: String
  var number: String
  var name: String
  var relation: String
  var sex: Sex?
  var idNumber: String
  /// `IDNumber.validate` found no problem.
  var idIsValid: Bool
  var phone: String
  var address: String
  var groups: [VulnerableGroup]
  /// The 独居老人 columns; nil when all of them are empty.
  var care: ElderlyCare?
}

/// The rows of one household (same village and 户号), in file order.
private struct HouseholdRows {
  var village: String
  var grid: String
  var number: String
  var rows: [PersonRow]
}

/// The next id of a sequence: prefix + zero-padded number, continuing the largest existing one.
private struct IDSequence {
  let prefix: String
  let width: Int
  var next: Int

  init<S: Sequence<String>>(prefix: String, width: Int, existing: S) {
    var largest = 0
    var widest = width
    for id in existing where id.hasPrefix(prefix) {
      let digits = id.dropFirst(prefix.count)
      guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits) else {
        continue
      }
      largest = max(largest, value)
      widest = max(widest, digits.count)
    }
    self.prefix = prefix
    self.width = widest
    next = largest + 1
  }

  mutating func make() -> String {
    let digits = String(next)
    next += 1
    return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}

private struct Planner {
  typealias Column = RosterCSV.Column
  typealias RowProblem = RosterCSV.RowProblem

  var plan: RosterCSV.ImportPlan
  let original: TownData
  let separator = "\u{1F}"

  // The town as it grows.
  var villageIDByName: [String: String] = [:]
  var villageNameByID: [String: String] = [:]
  var grids: [Grid]
  var gridIndexByKey: [String: Int] = [:]
  var householdCount: [String: Int] = [:]
  var existingHouseholds: [String: Household] = [:]
  var existingPersonsByID: [String: (household: Household, person: Person)] = [:]
  var existingPersonsByGrid: [String: [Person]] = [:]

  var villageIDs: IDSequence
  var gridIDs: IDSequence
  var householdIDs: IDSequence
  var personIDs: IDSequence

  /// Grid index → (row, 网格长 cell) for every row that names one.
  var leaderCells: [Int: [(row: Int, value: String)]] = [:]
  /// Grid index → first row of the file in that grid.
  var firstRowOfGrid: [Int: Int] = [:]
  /// Rows of the households to be created, for the duplicate-ID check.
  var createdRows: [PersonRow] = []

  init(town: TownData) {
    original = town
    plan = RosterCSV.ImportPlan(town: town)
    grids = town.grids
    villageIDs = IDSequence(prefix: "v", width: 3, existing: town.villages.map(\.id))
    gridIDs = IDSequence(prefix: "g", width: 4, existing: town.grids.map(\.id))
    householdIDs = IDSequence(prefix: "h", width: 6, existing: town.households.map(\.id))
    personIDs = IDSequence(
      prefix: "p", width: 7, existing: town.households.lazy.flatMap { $0.persons.map(\.id) })
    for village in town.villages where villageIDByName[village.name] == nil {
      villageIDByName[village.name] = village.id
      villageNameByID[village.id] = village.name
    }
    var villageOfGrid: [String: String] = [:]
    for (index, grid) in town.grids.enumerated() {
      villageOfGrid[grid.id] = grid.villageID
      let key = grid.villageID + separator + grid.name
      if gridIndexByKey[key] == nil { gridIndexByKey[key] = index }
    }
    for household in town.households {
      householdCount[household.gridID, default: 0] += 1
      existingPersonsByGrid[household.gridID, default: []] += household.persons
      if let villageID = villageOfGrid[household.gridID] {
        existingHouseholds[villageID + separator + household.number] = household
      }
      for person in household.persons where !person.idNumber.isEmpty {
        let key =
          RosterCSV.isNormalizedIDForm(person.idNumber)
          ? person.idNumber : IDNumber.normalized(person.idNumber)
        if existingPersonsByID[key] == nil { existingPersonsByID[key] = (household, person) }
      }
    }
  }

  mutating func run(_ table: RosterCSV.Table) {
    let header: RosterCSV.Header
    switch RosterCSV.findHeader(table) {
    case .success(let found): header = found
    case .failure(let problem):
      plan.problems = [problem]
      return
    }
    plan.headerRow = header.row
    plan.ignoredColumns = header.ignored

    var households: [HouseholdRows] = []
    var householdIndex: [String: Int] = [:]
    for offset in header.row..<table.rows.count {
      guard let row = readRow(table.rows[offset], number: offset + 1, header: header) else {
        continue
      }
      let key = row.village + separator + row.number
      if let index = householdIndex[key] {
        let first = households[index]
        if first.grid != row.grid {
          problem(
            row.row,
            RosterCSVText.householdInOtherGrid(
              row.number, row.village, first.grid, first.rows[0].row, row.grid))
          continue
        }
        households[index].rows.append(row)
      } else {
        householdIndex[key] = households.count
        households.append(
          HouseholdRows(village: row.village, grid: row.grid, number: row.number, rows: [row]))
      }
    }
    if plan.dataRows == 0 {
      problem(header.row, RosterCSVText.noDataRows)
      return
    }
    for household in households { add(household) }
    checkDuplicateIDs()
    resolveLeaders()
    checkGridSizes()

    var town = original
    town.villages += plan.newVillages
    town.grids = grids
    town.households += plan.newHouseholds
    plan.town = town
    plan.newGrids = Array(grids[original.grids.count...])
    plan.problems = plan.problems.enumerated()
      .sorted { ($0.element.row, $0.offset) < ($1.element.row, $1.offset) }.map(\.element)
  }

  mutating func problem(_ row: Int, _ message: String) {
    plan.problems.append(RowProblem(row: row, message: message))
  }

  // MARK: One row

  /// The row cleaned and checked; nil for a blank row or one without a required value (which
  /// is then reported).
  mutating func readRow(_ cells: [String], number: Int, header: RosterCSV.Header)
    -> PersonRow?
  {
    func raw(_ column: Column) -> String {
      guard let index = header.index[column], index < cells.count else { return "" }
      return cells[index]
    }
    let village = RosterCSV.cleaned(raw(.village))
    let grid = RosterCSV.cleaned(raw(.grid))
    let leader = RosterCSV.cleaned(raw(.gridLeader))
    let householdNumber = RosterCSV.code(raw(.householdNumber))
    let name = RosterCSV.cleaned(raw(.name))
    var relation = RosterCSV.cleaned(raw(.relation))
    let sexText = RosterCSV.cleaned(raw(.sex))
    let idText = RosterCSV.code(raw(.idNumber))
    let phoneText = RosterCSV.code(raw(.phone))
    let address = RosterCSV.cleaned(raw(.address))
    let groupsText = RosterCSV.cleaned(raw(.groups))
    var careText: [Column: String] = [:]
    for column in Column.elderlyCare {
      let isPhone = column == .guardianPhone || column == .helperPhone
      careText[column] = isPhone ? RosterCSV.code(raw(column)) : RosterCSV.cleaned(raw(column))
    }
    let values = [
      village, grid, leader, householdNumber, name, relation, sexText, idText, phoneText, address,
      groupsText,
    ]
    if values.allSatisfy(\.isEmpty), careText.values.allSatisfy(\.isEmpty) { return nil }
    plan.dataRows += 1

    let required: [(Column, String)] = [
      (.name, name), (.village, village), (.grid, grid), (.householdNumber, householdNumber),
    ]
    let missing = required.filter { $0.1.isEmpty }.map(\.0.header)
    if !missing.isEmpty { problem(number, RosterCSVText.missingValues(missing)) }

    var idNumber = ""
    var idIsValid = false
    if !idText.isEmpty {
      if idText.utf8.contains(UInt8(ascii: "+")), idText.contains("E+") || idText.contains("e+") {
        problem(number, RosterCSVText.idInScientificNotation(idText))
      } else if let trouble = IDNumber.validate(idText) {
        problem(number, RosterCSVText.badIDNumber(idText, trouble.message))
      } else {
        idIsValid = true
      }
      idNumber = RosterCSV.isNormalizedIDForm(idText) ? idText : IDNumber.normalized(idText)
    }
    var phone = ""
    if !phoneText.isEmpty {
      if let trouble = PhoneNumber.validate(phoneText) {
        problem(number, RosterCSVText.badPhone(phoneText, trouble))
      }
      phone =
        RosterCSV.isNormalizedMobileForm(phoneText) ? phoneText : PhoneNumber.normalized(phoneText)
    }
    let sex = RosterCSV.sex(sexText)
    if !sex.known { problem(number, RosterCSVText.unknownSex(sexText)) }
    let groups = RosterCSV.groups(groupsText)
    if !groups.unknown.isEmpty { problem(number, RosterCSVText.unknownGroups(groups.unknown)) }
    if relation == "本人" { relation = Person.headRelation }
    let care = readCare(careText, number: number)

    guard missing.isEmpty else { return nil }
    return PersonRow(
      row: number, village: village, grid: grid, leader: leader, number: householdNumber,
      name: name, relation: relation, sex: sex.sex, idNumber: idNumber, idIsValid: idIsValid,
      phone: phone, address: address, groups: groups.groups, care: care)
  }

  /// The 独居老人 cells of a row (already cleaned) as an `ElderlyCare`, nil when all are empty;
  /// a word that is not a self-care level or 有/无, or a bad phone, is reported on the row.
  mutating func readCare(_ text: [Column: String], number: Int) -> ElderlyCare? {
    func value(_ column: Column) -> String { text[column] ?? "" }
    func phone(_ column: Column) -> String {
      let raw = value(column)
      guard !raw.isEmpty else { return "" }
      if let trouble = PhoneNumber.validate(raw) {
        problem(number, RosterCSVText.badCarePhone(column.header, raw, trouble))
      }
      return RosterCSV.isNormalizedMobileForm(raw) ? raw : PhoneNumber.normalized(raw)
    }
    func yesNo(_ column: Column) -> Bool? {
      let answer = RosterCSV.yesNo(value(column))
      if !answer.known { problem(number, RosterCSVText.unknownYesNo(column.header, value(column))) }
      return answer.value
    }
    let selfCare = RosterCSV.selfCare(value(.selfCare))
    if !selfCare.known { problem(number, RosterCSVText.unknownSelfCare(value(.selfCare))) }
    let care = ElderlyCare(
      guardianName: value(.guardianName), guardianRelation: value(.guardianRelation),
      guardianPhone: phone(.guardianPhone), selfCare: selfCare.value,
      livingSituation: value(.livingSituation), helperName: value(.helperName),
      helperPhone: phone(.helperPhone), visitFrequency: value(.visitFrequency),
      smokeAlarm: yesNo(.smokeAlarm), extinguisher: yesNo(.extinguisher),
      notes: value(.careNotes))
    return care.isEmpty ? nil : care
  }

  // MARK: One household

  mutating func villageID(named name: String) -> String {
    if let id = villageIDByName[name] { return id }
    let village = Village(id: villageIDs.make(), name: name)
    plan.newVillages.append(village)
    villageIDByName[name] = village.id
    villageNameByID[village.id] = name
    return village.id
  }

  mutating func gridIndex(villageID: String, name: String) -> Int {
    let key = villageID + separator + name
    if let index = gridIndexByKey[key] { return index }
    let villageName = villageNameByID[villageID] ?? ""
    grids.append(
      Grid(
        id: gridIDs.make(), villageID: villageID, name: name,
        wechatGroup: ModelText.wechatGroupName(village: villageName, grid: name)))
    gridIndexByKey[key] = grids.count - 1
    return grids.count - 1
  }

  mutating func add(_ household: HouseholdRows) {
    let villageID = villageID(named: household.village)
    let gridIndex = gridIndex(villageID: villageID, name: household.grid)
    let grid = grids[gridIndex]
    let rows = household.rows
    let firstRow = rows[0].row
    if firstRowOfGrid[gridIndex] == nil { firstRowOfGrid[gridIndex] = firstRow }
    for row in rows where !row.leader.isEmpty {
      leaderCells[gridIndex, default: []].append((row.row, row.leader))
    }
    let address = rows.first { !$0.address.isEmpty }?.address ?? ""

    if let existing = existingHouseholds[villageID + separator + household.number] {
      if Self.isSame(existing, gridID: grid.id, address: address, rows: rows) {
        plan.unchangedHouseholds += 1
      } else {
        problem(
          firstRow,
          RosterCSVText.householdExists(
            household.village, household.number, existing.id, existing.head?.name ?? ""))
      }
      return
    }

    let heads = rows.filter { $0.relation == Person.headRelation }
    if heads.isEmpty {
      problem(firstRow, RosterCSVText.noHead(household.number, Self.describeRows(rows.map(\.row))))
    }
    for head in heads.dropFirst() {
      problem(head.row, RosterCSVText.secondHead(household.number, heads[0].row))
    }
    if let first = rows.first(where: { !$0.address.isEmpty }) {
      for row in rows where !row.address.isEmpty && row.address != address {
        problem(row.row, RosterCSVText.addressDiffers(household.number, address, first.row))
      }
    }

    let count = householdCount[grid.id, default: 0] + 1
    householdCount[grid.id] = count
    if RosterRules.gridSizeStatus(count).isRefused {
      problem(firstRow, RosterCSVText.gridOverLimit(household.village, household.grid, count))
    }

    var persons: [Person] = []
    persons.reserveCapacity(rows.count)
    for row in rows {
      persons.append(
        Person(
          id: personIDs.make(), name: row.name, relation: row.relation, sex: row.sex,
          idNumber: row.idNumber, phone: row.phone, groups: row.groups, elderlyCare: row.care))
    }
    plan.newHouseholds.append(
      Household(
        id: householdIDs.make(), gridID: grid.id, number: household.number, address: address,
        persons: persons))
    createdRows += rows
  }

  /// Whether an existing household is what the rows describe (values compared as an import
  /// would clean them).
  static func isSame(_ existing: Household, gridID: String, address: String, rows: [PersonRow])
    -> Bool
  {
    guard existing.gridID == gridID, RosterCSV.cleaned(existing.address) == address,
      existing.persons.count == rows.count
    else { return false }
    for (person, row) in zip(existing.persons, rows) {
      let phone = person.phone.isEmpty ? "" : PhoneNumber.normalized(person.phone)
      guard RosterCSV.cleaned(person.name) == row.name, person.relation == row.relation,
        person.sex == row.sex, IDNumber.normalized(person.idNumber) == row.idNumber,
        phone == row.phone, person.groups == row.groups,
        (person.elderlyCare?.isEmpty ?? true ? nil : person.elderlyCare) == row.care
      else { return false }
    }
    return true
  }

  /// "第3行", "第3-5行", "第3、7行".
  static func describeRows(_ rows: [Int]) -> String {
    guard let first = rows.first, let last = rows.last else { return "" }
    if rows.count == 1 { return "第\(first)行" }
    if last - first == rows.count - 1 { return "第\(first)-\(last)行" }
    return "第" + rows.map(String.init).joined(separator: "、") + "行"
  }

  // MARK: Whole-file checks

  mutating func checkDuplicateIDs() {
    var seen: [String: PersonRow] = [:]
    for row in createdRows.sorted(by: { $0.row < $1.row }) where row.idIsValid {
      if let first = seen[row.idNumber] {
        problem(row.row, RosterCSVText.duplicateIDInFile(first.row, first.name))
        continue
      }
      seen[row.idNumber] = row
      if let existing = existingPersonsByID[row.idNumber] {
        let village =
          original.grid(id: existing.household.gridID)
          .flatMap { villageNameByID[$0.villageID] } ?? ""
        problem(
          row.row,
          RosterCSVText.duplicateIDInTown(
            village, existing.household.number, existing.household.id, existing.person.name))
      }
    }
  }

  mutating func resolveLeaders() {
    var newPersonsByGrid: [String: [Person]] = [:]
    for household in plan.newHouseholds {
      newPersonsByGrid[household.gridID, default: []] += household.persons
    }
    for gridIndex in leaderCells.keys.sorted() {
      guard let cells = leaderCells[gridIndex]?.sorted(by: { $0.row < $1.row }),
        let first = cells.first
      else { continue }
      var grid = grids[gridIndex]
      let gridName = (villageNameByID[grid.villageID] ?? "") + grid.name
      for cell in cells where cell.value != first.value {
        problem(
          cell.row, RosterCSVText.leadersDisagree(gridName, cell.value, first.row, first.value))
      }
      let existingPersons = existingPersonsByGrid[grid.id] ?? []
      let residents = existingPersons + (newPersonsByGrid[grid.id] ?? [])
      let candidates = Self.leaderCandidates(first.value, among: residents)
      let leader: Person
      if candidates.count == 1 {
        leader = candidates[0]
      } else if candidates.filter(\.isHead).count == 1 {
        leader = candidates.first(where: \.isHead)!
      } else {
        problem(
          first.row,
          candidates.isEmpty
            ? RosterCSVText.leaderNotInGrid(first.value, gridName)
            : RosterCSVText.leaderAmbiguous(first.value, gridName, candidates.count))
        continue
      }
      if gridIndex < original.grids.count {
        // An existing grid: its leader may be set, not replaced.
        if let currentID = grid.gridLeaderID,
          let current = existingPersons.first(where: { $0.id == currentID })
        {
          if current.id != leader.id {
            problem(first.row, RosterCSVText.leaderChanged(gridName, current.name, first.value))
          }
          continue
        }
        grid.gridLeaderID = leader.id
        plan.changedGrids.append(grid)
      } else {
        grid.gridLeaderID = leader.id
      }
      grids[gridIndex] = grid
    }
  }

  /// Residents a 网格长 cell may mean: by name, by 身份证号, or by 姓名（身份证号）.
  static func leaderCandidates(_ value: String, among residents: [Person]) -> [Person] {
    var name: String? = value
    var idNumber: String?
    if let open = value.lastIndex(where: { $0 == "（" || $0 == "(" }),
      value.last == "）" || value.last == ")"
    {
      let inside = RosterCSV.code(
        String(value[value.index(after: open)..<value.index(before: value.endIndex)]))
      if IDNumber.isValid(inside) {
        name = RosterCSV.cleaned(String(value[..<open]))
        idNumber = IDNumber.normalized(inside)
      }
    } else if IDNumber.isValid(RosterCSV.code(value)) {
      name = nil
      idNumber = IDNumber.normalized(RosterCSV.code(value))
    }
    return residents.filter { person in
      (name == nil || person.name == name)
        && (idNumber == nil || IDNumber.normalized(person.idNumber) == idNumber)
    }
  }

  mutating func checkGridSizes() {
    let gridsAddedTo = Set(plan.newHouseholds.map(\.gridID))
    for (gridIndex, row) in firstRowOfGrid.sorted(by: { $0.value < $1.value }) {
      let grid = grids[gridIndex]
      guard gridsAddedTo.contains(grid.id) else { continue }
      let count = householdCount[grid.id, default: 0]
      let status = RosterRules.gridSizeStatus(count)
      guard status.isWarning else { continue }
      plan.warnings.append(
        RowProblem(
          row: row,
          message: RosterCSVText.gridSizeWarning(
            villageNameByID[grid.villageID] ?? "", grid.name, count, status.message)))
    }
  }
}
