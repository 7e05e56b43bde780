/// 工作清单 — what is left to do on a given day, for the village office and the inspectors:
/// households not yet visited in the working round (vulnerable first), hazards due for 复查 or
/// overdue, grids whose weekly contact is missing, and each visitor's progress. Pure: the town,
/// the campaign and `today` in, lists out.
public enum Worklists {
  /// A household not yet visited in the round.
  public struct PendingHousehold: Equatable, Sendable {
    public var householdID: String
    public var gridID: String
    public var villageID: String
    public var visitorID: String?
    /// Has a member in a vulnerable group: listed first.
    public var isVulnerable: Bool
    /// The last visit before the round, if any.
    public var lastVisit: CivilDate?
  }

  /// A hazard needing a return visit.
  public struct DueHazard: Equatable, Sendable {
    public var hazard: Hazard
    public var state: HazardState
    public var gridID: String
    public var villageID: String
    public var visitorID: String?
    /// Days past the deadline (0 or less when not yet past).
    public var daysOverdue: Int
    /// Found in an earlier winter and still open (往年遗留): said as such, not as this
    /// winter's overdue.
    public var carriedOver = false
    /// The premises (场所) it was found at; nil for a household's hazard.
    public var premisesID: String?
  }

  /// A grid with weeks of missing contact.
  public struct MissingContact: Equatable, Sendable {
    public var gridID: String
    public var villageID: String
    /// Mondays of the weeks with no contact entry, or an entry saying not contacted.
    public var weeks: [CivilDate]
  }

  /// One visitor's households and how many have been visited in the round.
  public struct VisitorProgress: Equatable, Sendable {
    public var visitorID: String
    public var assigned: Int
    public var visited: Int
    public var pending: Int { assigned - visited }
  }

  /// Households with no visit in `round`, vulnerable households first, then in roster order.
  public static func unvisited(in round: Campaign.Round, town: TownData) -> [PendingHousehold] {
    let villageOfGrid = town.villageIDByGrid
    var vulnerable: [PendingHousehold] = []
    var others: [PendingHousehold] = []
    for household in town.households {
      guard
        let pending = unvisited(
          household, villageID: villageOfGrid[household.gridID] ?? "", in: round, town: town)
      else { continue }
      if pending.isVulnerable { vulnerable.append(pending) } else { others.append(pending) }
    }
    return vulnerable + others
  }

  /// One household as `unvisited(in:town:)` lists it, or nil when it was visited in `round`
  /// (a screen keeping the list after one household's visit was saved).
  public static func unvisited(
    _ household: Household, villageID: String, in round: Campaign.Round, town: TownData
  ) -> PendingHousehold? {
    let visits = town.visitRecords[household.id]?.visits ?? []
    if visits.contains(where: { round.contains($0.date) }) { return nil }
    return PendingHousehold(
      householdID: household.id, gridID: household.gridID, villageID: villageID,
      visitorID: household.visitorID, isVulnerable: household.hasVulnerableMember,
      lastVisit: visits.last(where: { $0.date < round.start })?.date)
  }

  /// Hazards not closed whose deadline has come or that await 复查: overdue first (most days
  /// first), then awaiting check, then due today.
  public static func hazardsDue(on today: CivilDate, town: TownData) -> [DueHazard] {
    let villageOfGrid = town.villageIDByGrid
    let householdByID = town.householdsByID
    var result: [DueHazard] = []
    let winter = Campaign.winter(containing: today)
    for (householdID, record) in town.visitRecords {
      guard let household = householdByID[householdID] else { continue }
      for hazard in record.hazards where hazard.isDueForReinspection(on: today) {
        result.append(
          DueHazard(
            hazard: hazard, state: hazard.state(on: today), gridID: household.gridID,
            villageID: villageOfGrid[household.gridID] ?? "", visitorID: household.visitorID,
            daysOverdue: hazard.deadline.days(until: today),
            carriedOver: winter.carriesOver(hazard)))
      }
    }
    return sortedDue(result)
  }

  /// The premises' hazards due for 复查 or overdue, in the order of `hazardsDue`; each names
  /// its premises (`premisesID`).
  public static func premisesHazardsDue(on today: CivilDate, town: TownData) -> [DueHazard] {
    let villageOfGrid = town.villageIDByGrid
    var result: [DueHazard] = []
    let winter = Campaign.winter(containing: today)
    for premises in town.premises {
      for hazard in town.premisesRecords[premises.id]?.hazards ?? []
      where hazard.isDueForReinspection(on: today) {
        var due = DueHazard(
          hazard: hazard, state: hazard.state(on: today), gridID: premises.gridID,
          villageID: villageOfGrid[premises.gridID] ?? "", visitorID: premises.visitorID,
          daysOverdue: hazard.deadline.days(until: today),
          carriedOver: winter.carriesOver(hazard))
        due.premisesID = premises.id
        result.append(due)
      }
    }
    return sortedDue(result)
  }

  private static func sortedDue(_ result: [DueHazard]) -> [DueHazard] {
    func rank(_ state: HazardState) -> Int {
      switch state {
      case .overdue: return 0
      case .awaitingCheck: return 1
      case .open: return 2
      case .closed: return 3
      }
    }
    return result.sorted {
      if rank($0.state) != rank($1.state) { return rank($0.state) < rank($1.state) }
      if $0.daysOverdue != $1.daysOverdue { return $0.daysOverdue > $1.daysOverdue }
      return $0.hazard.id < $1.hazard.id
    }
  }

  /// A premises (场所) not yet inspected in the round.
  public struct PendingPremises: Equatable, Sendable {
    public var premisesID: String
    public var gridID: String
    public var villageID: String
    public var visitorID: String?
    public var kind: PremisesKind
    /// People sleep there (or it is a 多合一 place, where they do): listed first.
    public var peopleSleep: Bool
    /// The last inspection before the round, if any.
    public var lastInspection: CivilDate?
  }

  /// Premises with no inspection in `round`: those where people sleep (and 多合一 places)
  /// first — where a fire at night kills —, then in roster order.
  public static func uninspectedPremises(in round: Campaign.Round, town: TownData)
    -> [PendingPremises]
  {
    let villageOfGrid = town.villageIDByGrid
    var sleeping: [PendingPremises] = []
    var others: [PendingPremises] = []
    for premises in town.premises {
      let inspections = town.premisesRecords[premises.id]?.visits ?? []
      if inspections.contains(where: { round.contains($0.date) }) { continue }
      let sleep = premises.peopleSleep == true || premises.kind == .mixedUse
      let pending = PendingPremises(
        premisesID: premises.id, gridID: premises.gridID,
        villageID: villageOfGrid[premises.gridID] ?? "", visitorID: premises.visitorID,
        kind: premises.kind, peopleSleep: sleep,
        lastInspection: inspections.last(where: { $0.date < round.start })?.date)
      if sleep { sleeping.append(pending) } else { others.append(pending) }
    }
    return sleeping + others
  }

  /// Premises counted for 统计: how many of each kind, this round's inspections, and their
  /// hazards found this winter by state.
  public struct PremisesCounts: Equatable, Sendable {
    public var total = 0
    public var offices = 0
    public var businesses = 0
    public var mixedUse = 0
    /// Where people sleep (住人).
    public var peopleSleep = 0
    /// Inspections in the campaign's winter.
    public var inspections = 0
    public var inspectedInRound = 0
    public var notInspectedInRound = 0
    public var hazardsFound = 0
    /// Found this winter and not closed (整改中, 待复查 and 逾期).
    public var hazardsOpen = 0
    public var hazardsOverdue = 0
    public var hazardsClosed = 0
    public init() {}
  }

  /// The premises' counts of the campaign's working round on `today`.
  public static func premisesCounts(campaign: Campaign, today: CivilDate, town: TownData)
    -> PremisesCounts
  {
    let round = campaign.workingRound(on: today)
    var counts = PremisesCounts()
    for premises in town.premises {
      counts.total += 1
      switch premises.kind {
      case .office: counts.offices += 1
      case .business: counts.businesses += 1
      case .mixedUse: counts.mixedUse += 1
      }
      if premises.peopleSleep == true { counts.peopleSleep += 1 }
      let record = town.premisesRecords[premises.id]
      let inspections = record?.visits ?? []
      counts.inspections += inspections.filter { campaign.covers($0.date) }.count
      if let round {
        if inspections.contains(where: { round.contains($0.date) }) {
          counts.inspectedInRound += 1
        } else {
          counts.notInspectedInRound += 1
        }
      }
      for hazard in record?.hazards ?? [] where campaign.covers(hazard.foundOn) {
        counts.hazardsFound += 1
        switch hazard.state(on: today) {
        case .closed: counts.hazardsClosed += 1
        case .overdue:
          counts.hazardsOverdue += 1
          counts.hazardsOpen += 1
        case .open, .awaitingCheck: counts.hazardsOpen += 1
        }
      }
    }
    return counts
  }

  /// Grids with at least one ended week of the campaign with no contact, in roster order.
  public static func missingContacts(campaign: Campaign, today: CivilDate, town: TownData)
    -> [MissingContact]
  {
    let weeks = campaign.contactWeeks(endedBy: today)
    guard !weeks.isEmpty else { return [] }
    var result: [MissingContact] = []
    for grid in town.grids {
      let done = Set((town.contactLogs[grid.id] ?? []).filter(\.contacted).map(\.week))
      let missing = weeks.filter { !done.contains($0) }
      if !missing.isEmpty {
        result.append(MissingContact(gridID: grid.id, villageID: grid.villageID, weeks: missing))
      }
    }
    return result
  }

  /// Per visitor with households, how many of them have a visit in `round`; most behind first
  /// (督查: who has not finished).
  public static func visitorProgress(in round: Campaign.Round, town: TownData)
    -> [VisitorProgress]
  {
    var progress: [String: VisitorProgress] = [:]
    for household in town.households {
      guard let visitorID = household.visitorID else { continue }
      var entry =
        progress[visitorID] ?? VisitorProgress(visitorID: visitorID, assigned: 0, visited: 0)
      entry.assigned += 1
      let visits = town.visitRecords[household.id]?.visits ?? []
      if visits.contains(where: { round.contains($0.date) }) { entry.visited += 1 }
      progress[visitorID] = entry
    }
    return progress.values.sorted {
      $0.pending != $1.pending ? $0.pending > $1.pending : $0.visitorID < $1.visitorID
    }
  }

  /// Counts for `summary` and the statistics screen, one computation for both.
  public struct Counts: Equatable, Sendable, Codable {
    /// The campaign's name and the working round's label ("" when none).
    public var campaign = ""
    public var round = ""
    public var visits = 0
    public var visitsInRound = 0
    public var householdsVisitedInRound = 0
    public var hazardsFound = 0
    public var hazardsOpen = 0
    public var hazardsAwaitingCheck = 0
    public var hazardsOverdue = 0
    public var hazardsClosed = 0
    public var householdsNotVisitedInRound = 0
    public var gridsMissingContact = 0
    /// Hazards found in an earlier winter and still open (not in the counts above).
    public var hazardsCarriedOver = 0
    /// Hazards of archived households found this winter and never closed: counted in
    /// `hazardsFound`, apart from the live states (they do not vanish with the household).
    public var hazardsArchivedOpen = 0
    public init() {}
  }

  /// The counts of the campaign's working round on `today`.
  public static func counts(campaign: Campaign, today: CivilDate, town: TownData) -> Counts {
    let round = campaign.workingRound(on: today)
    var counts = Counts()
    counts.campaign = campaign.name
    counts.round = round?.label ?? ""
    counts.householdsNotVisitedInRound = round.map { unvisited(in: $0, town: town).count } ?? 0
    counts.gridsMissingContact = missingContacts(campaign: campaign, today: today, town: town).count
    // Only this campaign's winter: other winters' visits and hazards are theirs (an open
    // hazard from an earlier winter is counted apart as carried over).
    for record in town.visitRecords.values {
      counts.visits += record.visits.reduce(0) { $0 + (campaign.covers($1.date) ? 1 : 0) }
      if let round {
        let inRound = record.visits.filter { round.contains($0.date) }.count
        counts.visitsInRound += inRound
        if inRound > 0 { counts.householdsVisitedInRound += 1 }
      }
      for hazard in record.hazards {
        guard campaign.covers(hazard.foundOn) else {
          if campaign.carriesOver(hazard), hazard.closedOn == nil {
            counts.hazardsCarriedOver += 1
          }
          continue
        }
        counts.hazardsFound += 1
        switch hazard.state(on: today) {
        case .open: counts.hazardsOpen += 1
        case .awaitingCheck: counts.hazardsAwaitingCheck += 1
        case .overdue: counts.hazardsOverdue += 1
        case .closed: counts.hazardsClosed += 1
        }
      }
    }
    for record in town.archivedVisitRecords.values {
      counts.visits += record.visits.reduce(0) { $0 + (campaign.covers($1.date) ? 1 : 0) }
      for hazard in record.hazards where campaign.covers(hazard.foundOn) {
        counts.hazardsFound += 1
        if hazard.closedOn == nil {
          counts.hazardsArchivedOpen += 1
        } else {
          counts.hazardsClosed += 1
        }
      }
    }
    return counts
  }
}

extension TownData {
  /// Grid id → village id.
  public var villageIDByGrid: [String: String] {
    Dictionary(grids.map { ($0.id, $0.villageID) }, uniquingKeysWith: { a, _ in a })
  }

  public var householdsByID: [String: Household] {
    Dictionary(households.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
  }
}
