import FiregridModel
import Foundation

extension PrintScope {
  /// What the clerk said they are naming.
  public enum Level: Sendable {
    case village
    case grid
    case household
    case premises
  }

  /// Reads a selection as a clerk writes it: `龙潭村` (a village), `龙潭村/第1网格` or
  /// `龙潭村/1` (a grid), `龙潭村/0002` or `龙潭村/2` (a household by 户号, unique in its
  /// village), `龙潭村/第1网格/0002` (the grid is checked too); or an internal id (`v001`,
  /// `g0001`, `h000001`). A premises is `龙潭村/向记百货` (its name, unique in its village),
  /// `龙潭村/第1网格/向记百货`, its name alone when no other premises has it, or `c00001`.
  /// A full-width slash (／) works as well. Unknown names get a message that lists what does
  /// exist.
  public static func resolve(_ text: String, as level: Level, in town: TownData)
    throws(PrintError) -> PrintScope
  {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let byID = byInternalID(trimmed, as: level, in: town) { return byID }
    let parts =
      trimmed.replacingOccurrences(of: "／", with: "/").split(separator: "/")
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard let villageName = parts.first else { throw .notFound(PrintText.unknownID(text)) }
    switch level {
    case .premises:
      return .premises(try premises(named: parts, text: text, in: town).id)
    case .village:
      guard parts.count == 1 else { throw .notFound(PrintText.unknownID(text)) }
      return .village(try village(named: villageName, in: town).id)
    case .grid:
      guard parts.count == 2 else {
        throw .notFound(PrintText.badSelection(text, example: "龙潭村/第1网格"))
      }
      let village = try village(named: villageName, in: town)
      return .grid(try grid(named: parts[1], in: village, town: town).id)
    case .household:
      guard parts.count == 2 || parts.count == 3 else {
        throw .notFound(PrintText.badSelection(text, example: "龙潭村/0002"))
      }
      let village = try village(named: villageName, in: town)
      let gridFilter = parts.count == 3 ? try grid(named: parts[1], in: village, town: town) : nil
      let number = parts[parts.count - 1]
      let candidates =
        gridFilter.map { town.households(inGrid: $0.id) }
        ?? town.households(inVillage: village.id)
      let matches = candidates.filter { sameNumber($0.number, number) }
      guard let household = matches.first else {
        throw .notFound(PrintText.unknownHousehold(number, village: village.name))
      }
      // Two households with one 户号 (data from before the rule held): never pick one.
      guard matches.count == 1 else {
        throw .notFound(
          PrintText.ambiguousHousehold(number, village: village.name, ids: matches.map(\.id)))
      }
      return .household(household.id)
    }
  }

  private static func byInternalID(_ text: String, as level: Level, in town: TownData)
    -> PrintScope?
  {
    switch level {
    case .village: return town.village(id: text).map { .village($0.id) }
    case .grid: return town.grid(id: text).map { .grid($0.id) }
    case .household: return town.household(id: text).map { .household($0.id) }
    case .premises: return town.premises(id: text).map { .premises($0.id) }
    }
  }

  private static func premises(named parts: [String], text: String, in town: TownData)
    throws(PrintError) -> Premises
  {
    let example = "龙潭村/龙潭村村部"
    if parts.count == 1 {
      // A name alone, when only one premises of the town has it.
      let matches = town.premises.filter { $0.name == parts[0] }
      if matches.count > 1 {
        throw .notFound(PrintText.ambiguousPremises(parts[0], ids: matches.map(\.id)))
      }
      guard let only = matches.first else {
        throw .notFound(PrintText.badSelection(text, example: example))
      }
      return only
    }
    guard parts.count == 2 || parts.count == 3 else {
      throw .notFound(PrintText.badSelection(text, example: example))
    }
    let village = try village(named: parts[0], in: town)
    let gridFilter = parts.count == 3 ? try grid(named: parts[1], in: village, town: town) : nil
    let candidates =
      gridFilter.map { town.premises(inGrid: $0.id) } ?? town.premises(inVillage: village.id)
    let name = parts[parts.count - 1]
    let matches = candidates.filter { $0.name == name }
    guard let premises = matches.first else {
      throw .notFound(
        PrintText.unknownPremises(name, village: village.name, known: candidates.map(\.name)))
    }
    guard matches.count == 1 else {
      throw .notFound(PrintText.ambiguousPremises(name, ids: matches.map(\.id)))
    }
    return premises
  }

  private static func village(named name: String, in town: TownData) throws(PrintError)
    -> Village
  {
    let matches = town.villages.filter { $0.name == name }
    if matches.count > 1 { throw .notFound(PrintText.ambiguousVillage(name)) }
    guard let village = matches.first else {
      throw .notFound(PrintText.unknownVillage(name, known: town.villages.map(\.name)))
    }
    return village
  }

  /// `第1网格`, `1网格` and `1` all name 第1网格.
  private static func grid(named name: String, in village: Village, town: TownData)
    throws(PrintError) -> Grid
  {
    let grids = town.grids(inVillage: village.id)
    if let exact = grids.first(where: { $0.name == name }) { return exact }
    if let number = Int(
      name.replacingOccurrences(of: "第", with: "")
        .replacingOccurrences(of: "网格", with: "")),
      let numbered = grids.first(where: { $0.name == "第\(number)网格" })
    {
      return numbered
    }
    throw .notFound(
      PrintText.unknownGrid(name, village: village.name, known: grids.map(\.name)))
  }

  /// 户号 are written with leading zeros on the roster (0002) and often without (2).
  private static func sameNumber(_ number: String, _ written: String) -> Bool {
    if number == written { return true }
    guard let a = Int(number), let b = Int(written) else { return false }
    return a == b
  }

  /// The households of the scope in roster order: the village's grids in order, each grid's
  /// households in order. None for a premises.
  public func households(in town: TownData) -> [Household] {
    switch self {
    case .premises: return []
    case .household(let id): return town.household(id: id).map { [$0] } ?? []
    case .grid(let id): return town.households(inGrid: id)
    case .village(let id):
      var byGrid: [String: [Household]] = [:]
      for household in town.households { byGrid[household.gridID, default: []].append(household) }
      return town.grids(inVillage: id).flatMap { byGrid[$0.id] ?? [] }
    }
  }

  /// The premises of the scope in roster order: the village's grids in order, each grid's
  /// premises in order. None for a household.
  public func premises(in town: TownData) -> [Premises] {
    switch self {
    case .household: return []
    case .premises(let id): return town.premises(id: id).map { [$0] } ?? []
    case .grid(let id): return town.premises(inGrid: id)
    case .village(let id):
      var byGrid: [String: [Premises]] = [:]
      for premises in town.premises { byGrid[premises.gridID, default: []].append(premises) }
      return town.grids(inVillage: id).flatMap { byGrid[$0.id] ?? [] }
    }
  }

  /// How the clerk would name the scope: 龙潭村, 龙潭村第1网格, 龙潭村0002户, 龙潭村向记百货
  /// (龙潭村村部, not 龙潭村龙潭村村部).
  public func label(in town: TownData) -> String {
    switch self {
    case .premises(let id):
      guard let premises = town.premises(id: id) else { return id }
      let village =
        town.grid(id: premises.gridID).flatMap { town.village(id: $0.villageID) }?.name ?? ""
      return premises.name.hasPrefix(village) ? premises.name : village + premises.name
    case .village(let id): return town.village(id: id)?.name ?? id
    case .grid(let id):
      guard let grid = town.grid(id: id) else { return id }
      return (town.village(id: grid.villageID)?.name ?? "") + grid.name
    case .household(let id):
      guard let household = town.household(id: id), let grid = town.grid(id: household.gridID)
      else { return id }
      return (town.village(id: grid.villageID)?.name ?? "") + household.number + "户"
    }
  }
}
