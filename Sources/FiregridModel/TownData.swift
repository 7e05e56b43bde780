/// The whole roster of one town in memory, with the lookups the screens need.
/// Built by the store from the data folder; knows nothing of files.
public struct TownData: Equatable, Sendable {
  public var town: Town
  public var villages: [Village]
  public var grids: [Grid]
  public var households: [Household]
  public var visitors: [Visitor]
  /// 冬春火灾防控 campaigns, one per winter, oldest first.
  public var campaigns: [Campaign]
  /// 走访档案 by household id (households never visited have none).
  public var visitRecords: [String: VisitRecord]
  /// Weekly contact logs by grid id, by week.
  public var contactLogs: [String: [ContactLog]]
  /// Households taken off the roster (archived, never deleted), and their 走访档案: their
  /// hazards stay counted, as archived, and a household can be brought back.
  public var archivedHouseholds: [Household] = []
  public var archivedVisitRecords: [String: VisitRecord] = [:]
  /// 督查: deployment meetings, spot-check samples and records, notices issued.
  public var supervision = SupervisionData()
  /// 场所: offices, businesses and 多合一 places, inspected on their own forms.
  public var premises: [Premises] = []
  /// Their inspections and hazards, by premises id: the same `VisitRecord` as a household's
  /// (its `householdID` holds the premises id; visits are inspections, "c00001-v1").
  public var premisesRecords: [String: VisitRecord] = [:]
  /// Premises taken off the roster, and their records (never deleted).
  public var archivedPremises: [Premises] = []
  public var archivedPremisesRecords: [String: VisitRecord] = [:]

  public init(
    town: Town, villages: [Village] = [], grids: [Grid] = [], households: [Household] = [],
    visitors: [Visitor] = [], campaigns: [Campaign] = [],
    visitRecords: [String: VisitRecord] = [:], contactLogs: [String: [ContactLog]] = [:]
  ) {
    self.town = town
    self.villages = villages
    self.grids = grids
    self.households = households
    self.visitors = visitors
    self.campaigns = campaigns
    self.visitRecords = visitRecords
    self.contactLogs = contactLogs
  }

  /// The campaign of the winter `today` falls in: the stored one when the town has it, else
  /// the seed's template for that winter (not yet stored; `RosterEdit`-free callers store it).
  public func campaign(on today: CivilDate) -> Campaign {
    let template = Campaign.winter(containing: today)
    return campaigns.first { $0.name == template.name } ?? template
  }

  /// A household's record, empty when it has never been visited.
  public func visitRecord(of householdID: String) -> VisitRecord {
    visitRecords[householdID] ?? VisitRecord(householdID: householdID)
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
