extension Reports {
  /// One town's 合计 counts of the statistics table over `scope` (as its own table would show
  /// them: every village's counts summed, states as of the scope's end or `day`), named by the
  /// town: what the county's table takes from each town, read from a database rather than
  /// from the file the town sent (`mergeStatistics`).
  public static func townTotals(town: TownData, scope: Scope, day: CivilDate) -> TownTotals {
    let asOf = scope.asOf(day)
    var total: [String: Int] = [:]
    for village in town.villages {
      for (id, value) in StatisticsColumn.counts(
        of: village.id, town: town, scope: scope, asOf: asOf)
      {
        total[id, default: 0] += value
      }
    }
    return TownTotals(town: town.town.name, counts: total)
  }
}
