/// Edits of the roster under the seed's rules (微网格 5–10 households, 15 at most; one grid
/// leader who lives in the grid; no ID number twice in the town). Pure: each edit takes the
/// town and returns what changed, or refuses with a Chinese message. The store writes the
/// result; the screens only collect the values.
public enum RosterEdit {
  /// Why an edit was refused, in words for the clerk.
  public struct Refusal: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
  }

  /// The town after an edit, and what must be written.
  public struct Outcome: Equatable, Sendable {
    public var town: TownData
    /// Households whose files must be written.
    public var changedHouseholds: [Household] = []
    /// Households to archive (their files leave the roster, never silently deleted).
    public var archivedHouseholdIDs: [String] = []
    /// Archived households brought back to the roster (their files leave the archive).
    public var restoredHouseholdIDs: [String] = []
    /// Whether town.json (town, villages, grids, visitors) must be written.
    public var townRecordsChanged = false
    /// Accepted, but worth saying (a grid over 10 households, a possible duplicate person).
    public var warnings: [String] = []
    /// The id of a record the edit created, if any.
    public var createdID: String?

    public init(
      town: TownData, changedHouseholds: [Household] = [], archivedHouseholdIDs: [String] = [],
      townRecordsChanged: Bool = false, warnings: [String] = [], createdID: String? = nil
    ) {
      self.town = town
      self.changedHouseholds = changedHouseholds
      self.archivedHouseholdIDs = archivedHouseholdIDs
      self.townRecordsChanged = townRecordsChanged
      self.warnings = warnings
      self.createdID = createdID
    }
  }

  // MARK: IDs

  /// The next id after the largest existing one: v001, g0001, h000001, p0000001, u001.
  public static func nextID(prefix: String, width: Int, existing: some Sequence<String>) -> String {
    var largest = 0
    for id in existing where id.hasPrefix(prefix) {
      if let n = Int(id.dropFirst(prefix.count)), n > largest { largest = n }
    }
    let digits = String(largest + 1)
    return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  /// Appends `record` under the next id when its id is empty (returning that id), else
  /// replaces the record with the same id.
  static func upsert<T: Identifiable>(
    _ record: T, into list: inout [T], prefix: String, width: Int
  ) throws(Refusal) -> String? where T.ID == String, T: IdentifiedRecord {
    var record = record
    if record.id.isEmpty {
      record.id = nextID(prefix: prefix, width: width, existing: list.map(\.id))
      list.append(record)
      return record.id
    }
    guard let index = list.firstIndex(where: { $0.id == record.id }) else {
      throw Refusal(ModelText.editRecordMissing)
    }
    list[index] = record
    return nil
  }

  static func allPersonIDs(_ town: TownData) -> [String] {
    town.households.flatMap { $0.persons.map(\.id) }
  }

  // MARK: Villages

  public static func saveVillage(_ village: Village, in town: TownData) throws(Refusal) -> Outcome {
    var village = village
    village.name = village.name.trimmingSpaces
    guard !village.name.isEmpty else { throw Refusal(ModelText.editVillageNameRequired) }
    if !village.liaisonPhone.isEmpty, let problem = PhoneNumber.validate(village.liaisonPhone) {
      throw Refusal(problem)
    }
    if town.villages.contains(where: { $0.name == village.name && $0.id != village.id }) {
      throw Refusal(ModelText.editVillageExists(village.name))
    }
    var outcome = Outcome(town: town, townRecordsChanged: true)
    outcome.createdID = try upsert(village, into: &outcome.town.villages, prefix: "v", width: 3)
    return outcome
  }

  public static func deleteVillage(id: String, in town: TownData) throws(Refusal) -> Outcome {
    guard let village = town.village(id: id) else { throw Refusal(ModelText.editRecordMissing) }
    let grids = town.grids(inVillage: id).count
    guard grids == 0 else { throw Refusal(ModelText.editVillageNotEmpty(village.name, grids)) }
    var outcome = Outcome(town: town, townRecordsChanged: true)
    outcome.town.villages.removeAll { $0.id == id }
    return outcome
  }

  // MARK: Grids

  /// Adds or updates a grid. The leader, when set, must live in the grid.
  public static func saveGrid(_ grid: Grid, in town: TownData) throws(Refusal) -> Outcome {
    var grid = grid
    grid.name = grid.name.trimmingSpaces
    guard !grid.name.isEmpty else { throw Refusal(ModelText.editGridNameRequired) }
    guard town.village(id: grid.villageID) != nil else {
      throw Refusal(ModelText.editRecordMissing)
    }
    if town.grids.contains(where: {
      $0.villageID == grid.villageID && $0.name == grid.name && $0.id != grid.id
    }) {
      throw Refusal(ModelText.editGridExists(grid.name))
    }
    if let leaderID = grid.gridLeaderID {
      let residents = town.households(inGrid: grid.id).flatMap(\.persons)
      guard residents.contains(where: { $0.id == leaderID }) else {
        throw Refusal(ModelText.editLeaderNotResident)
      }
    }
    grid.volunteers = grid.volunteers.map(\.trimmingSpaces).filter { !$0.isEmpty }
    var outcome = Outcome(town: town, townRecordsChanged: true)
    outcome.createdID = try upsert(grid, into: &outcome.town.grids, prefix: "g", width: 4)
    return outcome
  }

  public static func deleteGrid(id: String, in town: TownData) throws(Refusal) -> Outcome {
    guard let grid = town.grid(id: id) else { throw Refusal(ModelText.editRecordMissing) }
    let households = town.households(inGrid: id).count
    guard households == 0 else {
      throw Refusal(ModelText.editGridNotEmpty(grid.name, households))
    }
    var outcome = Outcome(town: town, townRecordsChanged: true)
    outcome.town.grids.removeAll { $0.id == id }
    return outcome
  }

  // MARK: Households

  /// The grid-size rule for a grid about to hold `count` households: refused over 15,
  /// a warning over 10.
  static func checkSize(_ count: Int, grid: Grid, outcome: inout Outcome) throws(Refusal) {
    switch RosterRules.gridSizeStatus(count) {
    case .overLimit: throw Refusal(ModelText.editGridFull(grid.name, count - 1))
    case .large: outcome.warnings.append(ModelText.editGridLarge(grid.name, count))
    case .normal, .tooSmall: break
    }
  }

  /// Adds or updates a household's own fields (number, address, visitor); its members are
  /// edited with `savePerson`. 户号 is unique within the village.
  public static func saveHousehold(_ household: Household, in town: TownData) throws(Refusal)
    -> Outcome
  {
    var household = household
    household.number = household.number.trimmingSpaces
    household.address = household.address.trimmingSpaces
    guard !household.number.isEmpty else { throw Refusal(ModelText.editNumberRequired) }
    guard let grid = town.grid(id: household.gridID) else {
      throw Refusal(ModelText.editRecordMissing)
    }
    if let visitorID = household.visitorID, town.visitor(id: visitorID) == nil {
      throw Refusal(ModelText.editRecordMissing)
    }
    if let other = town.households(inVillage: grid.villageID).first(where: {
      $0.number == household.number && $0.id != household.id
    }) {
      throw Refusal(ModelText.editNumberExists(household.number, other.head?.name ?? ""))
    }
    var outcome = Outcome(town: town)
    if household.id.isEmpty {
      try checkSize(town.households(inGrid: grid.id).count + 1, grid: grid, outcome: &outcome)
      household.id = nextID(prefix: "h", width: 6, existing: town.households.map(\.id))
      outcome.town.households.append(household)
      outcome.createdID = household.id
    } else if let index = town.households.firstIndex(where: { $0.id == household.id }) {
      guard town.households[index].gridID == household.gridID else {
        throw Refusal(ModelText.editUseMove)
      }
      household.persons = town.households[index].persons
      outcome.town.households[index] = household
    } else {
      throw Refusal(ModelText.editRecordMissing)
    }
    outcome.changedHouseholds = [household]
    return outcome
  }

  /// Moves a household to another grid, under the destination's size rule. A grid leader who
  /// moves away stops being that grid's leader (said as a warning).
  public static func moveHousehold(id: String, toGrid gridID: String, in town: TownData)
    throws(Refusal) -> Outcome
  {
    guard let index = town.households.firstIndex(where: { $0.id == id }),
      let destination = town.grid(id: gridID)
    else { throw Refusal(ModelText.editRecordMissing) }
    var household = town.households[index]
    guard household.gridID != gridID else { throw Refusal(ModelText.editSameGrid) }
    var outcome = Outcome(town: town)
    try checkSize(town.households(inGrid: gridID).count + 1, grid: destination, outcome: &outcome)
    releaseLeadership(of: household.persons.map(\.id), outcome: &outcome)
    // 户号 is unique in a village: moved into one that has the number already, the household
    // takes the village's next free number, and the clerk is told.
    let taken = Set(
      town.households(inVillage: destination.villageID).filter { $0.id != id }.map(\.number))
    if taken.contains(household.number) {
      let free = nextFreeNumber(after: taken)
      outcome.warnings.append(
        ModelText.editNumberChanged(
          household.number, free, town.village(id: destination.villageID)?.name ?? ""))
      household.number = free
    }
    household.gridID = gridID
    outcome.town.households[index] = household
    outcome.changedHouseholds = [household]
    return outcome
  }

  /// The smallest 4-digit 户号 above every numeric one in `taken` (0001 when none).
  static func nextFreeNumber(after taken: Set<String>) -> String {
    let highest = taken.compactMap { Int($0) }.max() ?? 0
    var next = highest + 1
    while taken.contains(String(format: "%04d", next)) { next += 1 }
    let text = String(next)
    return text.count >= 4 ? text : String(repeating: "0", count: 4 - text.count) + text
  }

  /// Takes a household off the roster. Its file is archived by the store, never deleted, so
  /// its visits and hazards stay readable; hazards still open are named in a warning.
  public static func archiveHousehold(id: String, in town: TownData) throws(Refusal) -> Outcome {
    guard let household = town.household(id: id) else {
      throw Refusal(ModelText.editRecordMissing)
    }
    var outcome = Outcome(town: town)
    outcome.town.archivedHouseholds.append(household)
    if let record = town.visitRecords[id] {
      outcome.town.archivedVisitRecords[id] = record
      outcome.town.visitRecords[id] = nil
    }
    let open = town.visitRecord(of: id).hazards.filter { $0.closedOn == nil }
    if !open.isEmpty {
      outcome.warnings.append(
        ModelText.editArchivedOpenHazards(household.number, open.map(\.description)))
    }
    outcome.town.households.removeAll { $0.id == id }
    outcome.archivedHouseholdIDs = [id]
    releaseLeadership(of: household.persons.map(\.id), outcome: &outcome)
    return outcome
  }

  /// Brings an archived household back to the roster, in its grid, with its visits. Its 户号
  /// is checked again (taken meanwhile: the village's next free one, said), and so are its
  /// members' ID numbers (now someone else's: refused, naming them).
  public static func restoreHousehold(id: String, in town: TownData) throws(Refusal) -> Outcome {
    guard var household = town.archivedHouseholds.first(where: { $0.id == id }) else {
      throw Refusal(ModelText.editRecordMissing)
    }
    guard let grid = town.grid(id: household.gridID) else {
      throw Refusal(ModelText.editRestoreNoGrid(household.number))
    }
    guard !town.households.contains(where: { $0.id == id }) else {
      throw Refusal(ModelText.editRecordMissing)
    }
    for person in household.persons where !person.idNumber.isEmpty {
      for other in town.households {
        if let same = other.persons.first(where: { $0.idNumber == person.idNumber }) {
          throw Refusal(
            ModelText.editDuplicateID(same.name, other.number, villageName(other, town)))
        }
      }
    }
    var outcome = Outcome(town: town)
    try checkSize(town.households(inGrid: grid.id).count + 1, grid: grid, outcome: &outcome)
    let taken = Set(town.households(inVillage: grid.villageID).map(\.number))
    if taken.contains(household.number) {
      let free = nextFreeNumber(after: taken)
      outcome.warnings.append(
        ModelText.editNumberChanged(
          household.number, free, town.village(id: grid.villageID)?.name ?? ""))
      household.number = free
    }
    outcome.town.households.append(household)
    outcome.town.archivedHouseholds.removeAll { $0.id == id }
    if let record = town.archivedVisitRecords[id] {
      outcome.town.visitRecords[id] = record
      outcome.town.archivedVisitRecords[id] = nil
    }
    outcome.changedHouseholds = [household]
    outcome.restoredHouseholdIDs = [id]
    return outcome
  }

  /// A grid leader who leaves the grid (moved, archived, removed) stops leading it; the grid
  /// is written and the clerk told to name a new leader.
  static func releaseLeadership(of personIDs: [String], outcome: inout Outcome) {
    for index in outcome.town.grids.indices {
      guard let leaderID = outcome.town.grids[index].gridLeaderID, personIDs.contains(leaderID)
      else { continue }
      outcome.town.grids[index].gridLeaderID = nil
      outcome.townRecordsChanged = true
      outcome.warnings.append(ModelText.editLeaderCleared(outcome.town.grids[index].name))
    }
  }

  // MARK: Persons

  /// Adds or updates a member. Refused: an invalid ID number or phone, an ID number already in
  /// the town (naming the household), a second 户主. Warned: the same name with the same birth
  /// date or phone elsewhere in the town.
  public static func savePerson(
    _ person: Person, inHousehold householdID: String, in town: TownData
  )
    throws(Refusal) -> Outcome
  {
    guard let index = town.households.firstIndex(where: { $0.id == householdID }) else {
      throw Refusal(ModelText.editRecordMissing)
    }
    var person = person
    person.name = person.name.trimmingSpaces
    person.relation = person.relation.trimmingSpaces
    guard !person.name.isEmpty else { throw Refusal(ModelText.editPersonNameRequired) }
    if !person.idNumber.isEmpty {
      person.idNumber = IDNumber.normalized(person.idNumber)
      if let problem = IDNumber.validate(person.idNumber) { throw Refusal(problem.message) }
      if let idSex = IDNumber.sex(of: person.idNumber) { person.sex = idSex }
    }
    if !person.phone.isEmpty {
      if let problem = PhoneNumber.validate(person.phone) { throw Refusal(problem) }
      person.phone = PhoneNumber.normalized(person.phone)
    }
    var household = town.households[index]
    var outcome = Outcome(town: town)
    // Exactly one 户主: naming a new head makes the old one a member (said, to be checked);
    // the head cannot stop being head without another taking over.
    let wasHead = household.persons.first { $0.id == person.id }?.isHead ?? false
    if person.isHead {
      for other in household.persons.indices
      where household.persons[other].isHead && household.persons[other].id != person.id {
        outcome.warnings.append(ModelText.editHeadHandedOver(household.persons[other].name))
        household.persons[other].relation = ModelText.formerHeadRelation
      }
    } else if wasHead {
      throw Refusal(ModelText.editHeadNeeded)
    } else if !household.persons.contains(where: \.isHead) {
      throw Refusal(ModelText.editFirstIsHead)
    }
    for other in town.households {
      for existing in other.persons where existing.id != person.id {
        if !person.idNumber.isEmpty, existing.idNumber == person.idNumber {
          throw Refusal(
            ModelText.editDuplicateID(existing.name, other.number, villageName(other, town)))
        }
        guard existing.name == person.name else { continue }
        let sameBirth =
          !person.idNumber.isEmpty
          && IDNumber.birthCivilDate(of: existing.idNumber) != nil
          && IDNumber.birthCivilDate(of: existing.idNumber)
            == IDNumber.birthCivilDate(of: person.idNumber)
        let samePhone = !person.phone.isEmpty && existing.phone == person.phone
        if sameBirth || samePhone {
          outcome.warnings.append(
            ModelText.editPossibleDuplicate(person.name, other.number, villageName(other, town)))
        }
      }
    }
    if person.id.isEmpty {
      person.id = nextID(prefix: "p", width: 7, existing: allPersonIDs(town))
      household.persons.append(person)
      outcome.createdID = person.id
    } else if let personIndex = household.persons.firstIndex(where: { $0.id == person.id }) {
      household.persons[personIndex] = person
    } else {
      throw Refusal(ModelText.editRecordMissing)
    }
    outcome.town.households[index] = household
    outcome.changedHouseholds = [household]
    return outcome
  }

  public static func removePerson(id: String, fromHousehold householdID: String, in town: TownData)
    throws(Refusal) -> Outcome
  {
    guard let index = town.households.firstIndex(where: { $0.id == householdID }),
      town.households[index].persons.contains(where: { $0.id == id })
    else { throw Refusal(ModelText.editRecordMissing) }
    // A household always has its 户主: the head goes only after another member takes over,
    // and the last member only with the household (archive it).
    let household = town.households[index]
    if household.persons.count == 1 { throw Refusal(ModelText.editLastMember) }
    if household.persons.first(where: { $0.id == id })?.isHead == true {
      throw Refusal(ModelText.editRemoveHead)
    }
    var outcome = Outcome(town: town)
    outcome.town.households[index].persons.removeAll { $0.id == id }
    outcome.changedHouseholds = [outcome.town.households[index]]
    releaseLeadership(of: [id], outcome: &outcome)
    return outcome
  }

  // MARK: Visitors

  public static func saveVisitor(_ visitor: Visitor, in town: TownData) throws(Refusal) -> Outcome {
    var visitor = visitor
    visitor.name = visitor.name.trimmingSpaces
    guard !visitor.name.isEmpty else { throw Refusal(ModelText.editVisitorNameRequired) }
    if !visitor.phone.isEmpty {
      if let problem = PhoneNumber.validate(visitor.phone) { throw Refusal(problem) }
      visitor.phone = PhoneNumber.normalized(visitor.phone)
    }
    var outcome = Outcome(town: town, townRecordsChanged: true)
    outcome.createdID = try upsert(visitor, into: &outcome.town.visitors, prefix: "u", width: 3)
    return outcome
  }

  /// Makes a visitor responsible for every household of a grid.
  public static func assignVisitor(_ visitorID: String, toGrid gridID: String, in town: TownData)
    throws(Refusal) -> Outcome
  {
    guard town.visitor(id: visitorID) != nil, town.grid(id: gridID) != nil else {
      throw Refusal(ModelText.editRecordMissing)
    }
    var outcome = Outcome(town: town)
    for index in town.households.indices where town.households[index].gridID == gridID {
      guard town.households[index].visitorID != visitorID else { continue }
      outcome.town.households[index].visitorID = visitorID
      outcome.changedHouseholds.append(outcome.town.households[index])
    }
    return outcome
  }

  static func villageName(_ household: Household, _ town: TownData) -> String {
    town.grid(id: household.gridID).flatMap { town.village(id: $0.villageID)?.name } ?? ""
  }
}

extension String {
  /// Without leading and trailing spaces (half- and full-width).
  var trimmingSpaces: String {
    var text = Substring(self)
    while let first = text.first, first == " " || first == "\u{3000}" || first == "\t" {
      text.removeFirst()
    }
    while let last = text.last, last == " " || last == "\u{3000}" || last == "\t" {
      text.removeLast()
    }
    return String(text)
  }
}

/// A roster record whose id the editor assigns.
protocol IdentifiedRecord {
  var id: String { get set }
}

extension Village: IdentifiedRecord {}
extension Grid: IdentifiedRecord {}
extension Visitor: IdentifiedRecord {}
