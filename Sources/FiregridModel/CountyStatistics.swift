extension Reports {
  /// One town's 合计 counts of the statistics table over `scope` (as its own table would show
  /// them: every village's counts summed, states as of the scope's end or `day`), named by the
  /// town: what the county's table takes from each town, read from a database rather than
  /// from the file the town sent (`mergeStatistics`).
  public static func townTotals(town: TownData, scope: Scope, day: CivilDate) -> TownTotals {
    townTotals(town: town, facts: TownFacts(town), scope: scope, day: day)
  }

  /// The same from the town's statistics facts (`TownFacts`, as the database keeps them beside
  /// each record): `town` needs only what town.json and the contact logs hold (villages, grids,
  /// campaigns, contact logs); its households and visit records are not read. Counted by the
  /// same code as the town's own table (`StatisticsColumn.counts`).
  public static func townTotals(town: TownData, facts: TownFacts, scope: Scope, day: CivilDate)
    -> TownTotals
  {
    let asOf = scope.asOf(day)
    let villageOfGrid = town.villageIDByGrid
    var byVillage: [String: [HouseholdFacts]] = [:]
    for household in facts.households {
      guard let village = villageOfGrid[household.gridID] else { continue }
      byVillage[village, default: []].append(household)
    }
    var total: [String: Int] = [:]
    for village in town.villages {
      let counts = StatisticsColumn.counts(
        grids: town.grids(inVillage: village.id), households: byVillage[village.id] ?? [],
        visits: { facts.visits[$0] }, contactLogs: town.contactLogs, scope: scope, asOf: asOf)
      for (id, value) in counts { total[id, default: 0] += value }
    }
    return TownTotals(town: town.town.name, counts: total)
  }
}
