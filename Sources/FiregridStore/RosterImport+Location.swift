import FiregridModel
import FiregridRepository
import Foundation

extension RosterImport {
  /// `run` into a town kept elsewhere than a data folder (a database): planned against the
  /// town as the repository holds it, written as one roster edit (`apply`: every record with
  /// its audit lines, all or nothing) or, where there is no town yet, created whole
  /// (`TownLocation.create`). The same plan, refusals and dry run as into a folder; a save
  /// refused there (another clerk changed the town meanwhile, a read-only account) is said
  /// and nothing is written.
  public static func run(
    table: RosterCSV.Table, into location: any TownLocation, options: Options
  ) throws(Failure) -> Outcome {
    let givenName = options.townName.map(RosterCSV.cleaned).flatMap { $0.isEmpty ? nil : $0 }
    if location.isEmpty {
      guard let name = givenName ?? (options.dryRun ? "" : nil) else {
        throw Failure.repository(RosterImportText.townNameRequiredAt(location.description))
      }
      let plan = RosterCSV.plan(table, into: TownData(town: Town(name: name)))
      var outcome = Outcome(plan: plan, encoding: table.encoding, createsTown: true, wrote: false)
      guard plan.isAccepted, !options.dryRun else { return outcome }
      do {
        try location.create(plan.town, operatorName: options.operatorName).close()
      } catch {
        throw Failure.repository(repositoryMessage(for: error))
      }
      outcome.wrote = true
      return outcome
    }
    let repository = try openTown(location, operatorName: options.operatorName)
    defer { repository.close() }
    let town = repository.town
    if let givenName, givenName != town.town.name {
      throw Failure.townNameDiffers(existing: town.town.name, given: givenName)
    }
    if !repository.damaged.isEmpty {
      throw Failure.damagedFiles(repository.damaged.map(\.label))
    }
    var outcome = Outcome(
      plan: RosterCSV.plan(table, into: town), encoding: table.encoding, createsTown: false,
      wrote: false)
    let plan = outcome.plan
    guard plan.isAccepted, plan.hasChanges, !options.dryRun else { return outcome }
    do {
      try repository.apply(
        RosterEdit.Outcome(
          town: plan.town, changedHouseholds: plan.newHouseholds, townRecordsChanged: true,
          warnings: plan.warnings.map(\.description)))
    } catch {
      throw Failure.repository(repositoryMessage(for: error))
    }
    outcome.wrote = true
    return outcome
  }
}

extension RosterImport {
  /// The town of `location` opened for an import, or why not.
  static func openTown(_ location: any TownLocation, operatorName: String) throws(Failure)
    -> any TownRepository
  {
    do {
      return try location.open(operatorName: operatorName)
    } catch {
      throw Failure.repository(repositoryMessage(for: error))
    }
  }
}

extension PremisesImport {
  /// `run` into a town kept elsewhere than a data folder (a database): planned against the
  /// town as the repository holds it, the new premises saved as one change (`savePremises`).
  /// There must be a town already (premises go into its villages and grids).
  public static func run(
    table: RosterCSV.Table, into location: any TownLocation, operatorName: String, dryRun: Bool
  ) throws(RosterImport.Failure) -> Outcome {
    guard !location.isEmpty else {
      throw .repository(RosterImportText.noTownAt(location.description))
    }
    let repository = try RosterImport.openTown(location, operatorName: operatorName)
    defer { repository.close() }
    let damaged = repository.damaged.map(\.label)
    // Damaged households or premises: duplicates and 户号 cannot be checked against them.
    if !damaged.isEmpty { throw .damagedFiles(damaged) }
    let plan = PremisesCSV.plan(table, into: repository.town)
    guard plan.isAccepted, plan.hasChanges, !dryRun else {
      return Outcome(plan: plan, wrote: false)
    }
    do {
      try repository.savePremises(plan.newPremises)
    } catch {
      throw .repository(repositoryMessage(for: error))
    }
    return Outcome(plan: plan, wrote: true)
  }
}
