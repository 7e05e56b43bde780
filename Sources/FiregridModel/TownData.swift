/// The whole roster of one town in memory, with the lookups the screens need.
/// Built by the store from the data folder; knows nothing of files.
public struct TownData: Equatable, Sendable {
  public var town: Town
  public var villages: [Village]
  public var grids: [Grid]
  public var households: [Household]
  public var visitors: [Visitor]

  public init(
    town: Town, villages: [Village] = [], grids: [Grid] = [], households: [Household] = [],
    visitors: [Visitor] = []
  ) {
    self.town = town
    self.villages = villages
    self.grids = grids
    self.households = households
    self.visitors = visitors
  }

  /// Grids of a village, in roster order.
  public func grids(inVillage villageID: String) -> [Grid] {
    grids.filter { $0.villageID == villageID }
  }

  /// Households of a grid, in roster order.
  public func households(inGrid gridID: String) -> [Household] {
    households.filter { $0.gridID == gridID }
  }

  /// Households of a village, in roster order.
  public func households(inVillage villageID: String) -> [Household] {
    let gridIDs = Set(grids(inVillage: villageID).map(\.id))
    return households.filter { gridIDs.contains($0.gridID) }
  }

  public func village(id: String) -> Village? { villages.first { $0.id == id } }
  public func grid(id: String) -> Grid? { grids.first { $0.id == id } }
  public func household(id: String) -> Household? { households.first { $0.id == id } }
  public func visitor(id: String?) -> Visitor? {
    guard let id else { return nil }
    return visitors.first { $0.id == id }
  }

  /// The grid leader of a grid, looked up among the grid's residents.
  public func gridLeader(of grid: Grid) -> Person? {
    guard let leaderID = grid.gridLeaderID else { return nil }
    for household in households(inGrid: grid.id) {
      if let person = household.persons.first(where: { $0.id == leaderID }) { return person }
    }
    return nil
  }

  public var personCount: Int { households.reduce(0) { $0 + $1.persons.count } }
}
