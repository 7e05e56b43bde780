import FiregridModel

/// Lookups over one town's roster, built once when the data is loaded so that screens never
/// scan the whole town per keystroke.
struct RosterIndex {
  private(set) var data: TownData
  let gridsByVillage: [String: [Grid]]
  let householdsByGrid: [String: [Household]]
  let villageByID: [String: Village]
  let gridByID: [String: Grid]
  let householdByID: [String: Household]
  /// Each household's place in the roster's order (the order of the lists over the town).
  let householdPosition: [String: Int]
  private(set) var visitorByID: [String: Visitor]
  let personByID: [String: Person]
  /// 场所 by id and by grid (in roster order); kept current by `setPremises(from:)`.
  private(set) var premisesByID: [String: Premises] = [:]
  private(set) var premisesByGrid: [String: [Premises]] = [:]

  init(_ data: TownData) {
    self.data = data
    gridsByVillage = Dictionary(grouping: data.grids, by: \.villageID)
    householdsByGrid = Dictionary(grouping: data.households, by: \.gridID)
    villageByID = Dictionary(data.villages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    gridByID = Dictionary(data.grids.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    householdByID = Dictionary(
      data.households.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    householdPosition = Dictionary(
      data.households.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    visitorByID = Dictionary(data.visitors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var persons: [String: Person] = [:]
    for household in data.households {
      for person in household.persons { persons[person.id] = person }
    }
    personByID = persons
    indexPremises()
  }

  private mutating func indexPremises() {
    premisesByID = Dictionary(
      data.premises.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    premisesByGrid = Dictionary(grouping: data.premises, by: \.gridID)
  }

  /// The premises as the store holds them after a premises was saved, moved or archived:
  /// only the premises' lookups change.
  mutating func setPremises(from town: TownData) {
    data.premises = town.premises
    data.archivedPremises = town.archivedPremises
    data.premisesRecords = town.premisesRecords
    data.archivedPremisesRecords = town.archivedPremisesRecords
    indexPremises()
  }

  /// A premises' inspections and hazards changed: no lookup to rebuild.
  mutating func setInspectionRecord(_ record: VisitRecord) {
    data.premisesRecords[record.householdID] = record
  }

  func premises(in gridID: String) -> [Premises] { premisesByGrid[gridID] ?? [] }

  func premises(inVillage villageID: String) -> [Premises] {
    grids(in: villageID).flatMap { premises(in: $0.id) }
  }

  /// The village and grid of a premises, "龙潭村 第1网格".
  func place(ofGrid gridID: String) -> (village: String, grid: String) {
    let grid = gridByID[gridID]
    return (villageName(ofGrid: grid), grid?.name ?? "")
  }

  /// Visits and contact logs change without touching the roster: no lookup to rebuild.
  mutating func setVisitRecord(_ record: VisitRecord) {
    data.visitRecords[record.householdID] = record
  }

  mutating func setContactLogs(_ logs: [ContactLog], gridID: String) {
    data.contactLogs[gridID] = logs
  }

  mutating func setCampaigns(_ campaigns: [Campaign]) { data.campaigns = campaigns }
  /// Supervision records touch no roster lookup.
  mutating func setSupervision(_ supervision: SupervisionData) { data.supervision = supervision }

  /// A visitor added from a visit form (名册外人员): no other lookup changes.
  mutating func addVisitor(_ visitor: Visitor) {
    data.visitors.append(visitor)
    visitorByID[visitor.id] = visitor
  }

  func grids(in villageID: String) -> [Grid] { gridsByVillage[villageID] ?? [] }
  func households(in gridID: String) -> [Household] { householdsByGrid[gridID] ?? [] }

  func households(inVillage villageID: String) -> [Household] {
    grids(in: villageID).flatMap { households(in: $0.id) }
  }

  /// The name of the village a grid belongs to ("" when unknown).
  func villageName(ofGrid grid: Grid?) -> String {
    grid.flatMap { villageByID[$0.villageID]?.name } ?? ""
  }

  func gridLeader(_ grid: Grid) -> Person? { grid.gridLeaderID.flatMap { personByID[$0] } }

  func visitorName(_ household: Household) -> String? {
    household.visitorID.flatMap { visitorByID[$0]?.name }
  }

  static func vulnerableCount(_ households: [Household]) -> Int {
    households.reduce(0) { $0 + $1.vulnerablePersons.count }
  }

  static func personCount(_ households: [Household]) -> Int {
    households.reduce(0) { $0 + $1.persons.count }
  }
}
