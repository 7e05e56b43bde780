import FiregridModel

/// What the printed documents say about one household, looked up once: names, address and
/// the phone numbers residents call. ID numbers and health flags are deliberately not here,
/// so no document can print them.
struct HouseholdFacts: Equatable {
  var householdID: String
  var number: String
  var address: String
  var headName: String
  var headPhone: String
  var personCount: Int
  var villageName: String
  var gridName: String
  var gridLeaderName: String
  var gridLeaderPhone: String
  var visitorName: String
  var visitorPhone: String
  var liaisonName: String
  var liaisonPhone: String

  /// "龙潭村第1网格0001户"
  var label: String { villageName + gridName + number + "户" }
}

/// Dictionaries over the roster, built once per batch: a village's 1,000 cards must not scan
/// the town's 10,000 households a thousand times.
struct RosterLookup {
  private let villages: [String: Village]
  private let grids: [String: Grid]
  private let visitors: [String: Visitor]
  private let persons: [String: Person]

  init(town: TownData, households: [Household]) {
    villages = Dictionary(town.villages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    grids = Dictionary(town.grids.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    visitors = Dictionary(town.visitors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    // Grid leaders live in their grid: index the persons of the grids being printed only.
    let gridIDs = Set(households.map(\.gridID))
    var persons: [String: Person] = [:]
    for household in town.households where gridIDs.contains(household.gridID) {
      for person in household.persons { persons[person.id] = person }
    }
    self.persons = persons
  }

  func facts(for household: Household) -> HouseholdFacts {
    let grid = grids[household.gridID]
    let village = grid.flatMap { villages[$0.villageID] }
    let leader = grid?.gridLeaderID.flatMap { persons[$0] }
    let visitor = household.visitorID.flatMap { visitors[$0] }
    return HouseholdFacts(
      householdID: household.id, number: household.number, address: household.address,
      headName: household.head?.name ?? "", headPhone: household.head?.phone ?? "",
      personCount: household.persons.count, villageName: village?.name ?? "",
      gridName: grid?.name ?? "", gridLeaderName: leader?.name ?? "",
      gridLeaderPhone: leader?.phone ?? "", visitorName: visitor?.name ?? "",
      visitorPhone: visitor?.phone ?? "", liaisonName: village?.liaison ?? "",
      liaisonPhone: village?.liaisonPhone ?? "")
  }
}
