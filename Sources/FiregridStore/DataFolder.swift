import FiregridModel
import Foundation

/// The data folder: the town's only copy of its roster, one small JSON file per household.
///
/// Layout (documented in README.md of this module):
///
///     DATA/
///       town.json              town, villages, grids, visitors
///       households/h000001.json  one household (一户一档) with its members
///
/// Every file carries `schemaVersion`; a file newer than `DataFolder.schemaVersion` is refused,
/// never overwritten. An edit rewrites one household's file, not the town.
public final class DataFolder: Sendable {
  public static let schemaVersion = 1
  public static let townFileName = "town.json"
  public static let householdsFolderName = "households"

  public let url: URL

  public init(url: URL) {
    self.url = url.standardizedFileURL
  }

  /// The folder Firegrid uses when none is given: `$FIREGRID_DATA`, else
  /// `$XDG_DATA_HOME/firegrid`, else `~/.local/share/firegrid`.
  public static func defaultLocation(environment: [String: String]) -> URL {
    if let explicit = environment["FIREGRID_DATA"], !explicit.isEmpty {
      return URL(fileURLWithPath: explicit, isDirectory: true)
    }
    if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
      return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("firegrid")
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return URL(fileURLWithPath: home, isDirectory: true)
      .appendingPathComponent(".local/share/firegrid", isDirectory: true)
  }

  /// What is at the folder's path.
  public enum State: Equatable, Sendable {
    /// Nothing there yet, or an empty folder: first-run setup.
    case empty
    /// A Firegrid data folder.
    case town
    /// A folder with other files and no town.json: not ours, never written into.
    case foreign
  }

  public var state: State {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else { return .empty }
    guard isFolder.boolValue else { return .foreign }
    if manager.fileExists(atPath: townFile.path) { return .town }
    let entries = (try? manager.contentsOfDirectory(atPath: url.path)) ?? []
    return entries.isEmpty ? .empty : .foreign
  }

  var townFile: URL { url.appendingPathComponent(Self.townFileName) }
  var householdsFolder: URL {
    url.appendingPathComponent(Self.householdsFolderName, isDirectory: true)
  }

  func householdFile(_ id: String) -> URL {
    householdsFolder.appendingPathComponent("\(id).json")
  }

  // MARK: Writing

  /// Writes a whole new town into an empty folder. Refuses a folder that holds anything.
  public func create(_ data: TownData) throws(StoreError) {
    guard state == .empty else { throw StoreError.folderNotEmpty(path: url.path) }
    try AtomicFile.makeFolder(url)
    try AtomicFile.makeFolder(householdsFolder)
    for household in data.households { try saveHousehold(household) }
    // town.json last: a folder without it is still "empty or foreign", never half a town.
    try saveTown(data)
  }

  /// Saves the town-level records (town, villages, grids, visitors).
  public func saveTown(_ data: TownData) throws(StoreError) {
    let file = TownFile(
      schemaVersion: Self.schemaVersion, town: data.town, villages: data.villages,
      grids: data.grids, visitors: data.visitors)
    try AtomicFile.makeFolder(url)
    try AtomicFile.write(try encode(file, path: townFile.path), to: townFile)
  }

  /// Saves one household's file (一户一档).
  public func saveHousehold(_ household: Household) throws(StoreError) {
    try AtomicFile.makeFolder(householdsFolder)
    let file = HouseholdFile(schemaVersion: Self.schemaVersion, household: household)
    let target = householdFile(household.id)
    try AtomicFile.write(try encode(file, path: target.path), to: target)
  }

  private func encode<T: Encodable>(_ value: T, path: String) throws(StoreError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      var data = try encoder.encode(value)
      data.append(0x0A)
      return data
    } catch {
      throw StoreError.io(path: path, code: EINVAL)
    }
  }

  // MARK: Reading

  /// Loads the whole town. Throws on a missing town.json, an unreadable or a newer file.
  public func load() throws(StoreError) -> TownData {
    guard state == .town else {
      if state == .empty { throw StoreError.noTown(path: url.path) }
      throw StoreError.noTown(path: url.path)
    }
    let town: TownFile = try decode(townFile)
    var households: [Household] = []
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: householdsFolder.path)
    } catch {
      names = []
    }
    for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
      let file: HouseholdFile = try decode(householdsFolder.appendingPathComponent(name))
      households.append(file.household)
    }
    // Roster order: by grid order in town.json, then 户号.
    let gridOrder = Dictionary(
      uniqueKeysWithValues: town.grids.enumerated().map { ($1.id, $0) })
    households.sort {
      let a = gridOrder[$0.gridID] ?? Int.max
      let b = gridOrder[$1.gridID] ?? Int.max
      return a != b ? a < b : $0.number < $1.number
    }
    return TownData(
      town: town.town, villages: town.villages, grids: town.grids, households: households,
      visitors: town.visitors)
  }

  private func decode<T: VersionedFile>(_ file: URL) throws(StoreError) -> T {
    let data: Data
    do {
      data = try Data(contentsOf: file)
    } catch {
      let code = (error as NSError).code == NSFileReadNoPermissionError ? EACCES : ENOENT
      throw StoreError.from(errno: code, path: file.path)
    }
    let decoder = JSONDecoder()
    let version: Int
    do {
      version = try decoder.decode(VersionProbe.self, from: data).schemaVersion
    } catch {
      throw StoreError.unreadable(path: file.path, detail: Self.describe(error))
    }
    guard version <= Self.schemaVersion else {
      throw StoreError.newerVersion(path: file.path, found: version, known: Self.schemaVersion)
    }
    do {
      return try decoder.decode(T.self, from: data)
    } catch {
      throw StoreError.unreadable(path: file.path, detail: Self.describe(error))
    }
  }

  /// Where a decoding error happened, in words a clerk can pass on.
  static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let context):
      return "JSON 格式错误 \(context.debugDescription)"
    case DecodingError.keyNotFound(let key, let context):
      return "缺少字段 \(path(context.codingPath + [key]))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "字段类型不对 \(path(context.codingPath))"
    default:
      return "\(error)"
    }
  }

  private static func path(_ keys: [CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
  }
}

protocol VersionedFile: Codable {
  var schemaVersion: Int { get }
}

private struct VersionProbe: Decodable {
  var schemaVersion: Int
}

/// town.json
struct TownFile: VersionedFile {
  var schemaVersion: Int
  var town: Town
  var villages: [Village]
  var grids: [Grid]
  var visitors: [Visitor]
}

/// households/<id>.json
struct HouseholdFile: VersionedFile {
  var schemaVersion: Int
  var household: Household
}
