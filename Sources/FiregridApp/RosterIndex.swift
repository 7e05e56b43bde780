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
  private(set) var visitorByID: [String: Visitor]
  let personByID: [String: Person]

  init(_ data: TownData) {
    self.data = data
    gridsByVillage = Dictionary(grouping: data.grids, by: \.villageID)
    householdsByGrid = Dictionary(grouping: data.households, by: \.gridID)
    villageByID = Dictionary(data.villages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    gridByID = Dictionary(data.grids.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    householdByID = Dictionary(
      data.households.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    visitorByID = Dictionary(data.visitors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var persons: [String: Person] = [:]
    for household in data.households {
      for person in household.persons { persons[person.id] = person }
    }
    personByID = persons
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
