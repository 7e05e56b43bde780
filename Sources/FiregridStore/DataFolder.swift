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
/// never overwritten; an older one is migrated in memory and written in the current version on
/// its next save. An edit rewrites one household's file, not the town: the benchmark showed a
/// whole-town rewrite costs ~200 ms, a household file well under 5 ms (README.md).
///
/// Versions: 1 — the first; 2 — every file also records who saved it and when
/// (`savedBy`, `savedAt`), so a file shows its last writer even without the audit log.
public final class DataFolder: Sendable {
  public static let schemaVersion = 2
  public static let townFileName = "town.json"
  public static let householdsFolderName = "households"

  public let url: URL
  let fileSystem: any FileSystem

  public init(url: URL, fileSystem: any FileSystem = RealFileSystem()) {
    self.url = url.standardizedFileURL
    self.fileSystem = fileSystem
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
  public func create(_ data: TownData, savedBy: String = "", savedAt: String = "")
    throws(StoreError)
  {
    guard state == .empty else { throw StoreError.folderNotEmpty(path: url.path) }
    try fileSystem.makeFolder(url)
    try fileSystem.makeFolder(householdsFolder)
    for household in data.households {
      try saveHousehold(household, savedBy: savedBy, savedAt: savedAt)
    }
    // town.json last: a folder without it is still "empty or foreign", never half a town.
    try saveTown(data, savedBy: savedBy, savedAt: savedAt)
  }

  /// Saves the town-level records (town, villages, grids, visitors).
  public func saveTown(_ data: TownData, savedBy: String = "", savedAt: String = "")
    throws(StoreError)
  {
    let file = TownFile(
      schemaVersion: Self.schemaVersion, savedBy: savedBy, savedAt: savedAt, town: data.town,
      villages: data.villages, grids: data.grids, visitors: data.visitors)
    try fileSystem.makeFolder(url)
    try fileSystem.writeAtomically(try encode(file, path: townFile.path), to: townFile)
  }

  /// Saves one household's file (一户一档).
  public func saveHousehold(_ household: Household, savedBy: String = "", savedAt: String = "")
    throws(StoreError)
  {
    try fileSystem.makeFolder(householdsFolder)
    let file = HouseholdFile(
      schemaVersion: Self.schemaVersion, savedBy: savedBy, savedAt: savedAt, household: household)
    let target = householdFile(household.id)
    try fileSystem.writeAtomically(try encode(file, path: target.path), to: target)
  }

  func encode<T: Encodable>(_ value: T, path: String) throws(StoreError) -> Data {
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

  /// Loads the whole town, refusing any damaged file (for commands that need all of it).
  public func load() throws(StoreError) -> TownData {
    let report = try loadReport()
    if let first = report.damaged.first { throw first.error }
    return report.town
  }

  /// Loads the town and every household file that reads; a household file that does not
  /// parse, or is newer than this program, is reported (never dropped silently, never
  /// overwritten). Throws only when town.json itself cannot be used.
  public func loadReport() throws(StoreError) -> LoadReport {
    guard state == .town else { throw StoreError.noTown(path: url.path) }
    let town: TownFile = try decode(townFile)
    var households: [Household] = []
    var damaged: [DamagedFile] = []
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: householdsFolder.path)
    } catch {
      names = []
    }
    for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
      do {
        let file: HouseholdFile = try decode(householdsFolder.appendingPathComponent(name))
        households.append(file.household)
      } catch {
        damaged.append(
          DamagedFile(
            relativePath: "\(Self.householdsFolderName)/\(name)",
            householdID: String(name.dropLast(5)), error: error))
      }
    }
    // Roster order: by grid order in town.json, then 户号.
    let gridOrder = Dictionary(
      town.grids.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    households.sort {
      let a = gridOrder[$0.gridID] ?? Int.max
      let b = gridOrder[$1.gridID] ?? Int.max
      return a != b ? a < b : $0.number < $1.number
    }
    let data = TownData(
      town: town.town, villages: town.villages, grids: town.grids, households: households,
      visitors: town.visitors)
    return LoadReport(town: data, damaged: damaged)
  }

  /// Decodes household file bytes (a backup copy being checked before a restore).
  static func decodeHousehold(_ data: Data) throws -> Household {
    let file = try JSONDecoder().decode(HouseholdFile.self, from: data)
    guard file.schemaVersion <= schemaVersion else { throw StoreError.io(path: "", code: EINVAL) }
    return file.household
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
      throw StoreError.unreadable(path: file.path, detail: Self.describe(error, data: data))
    }
    guard version <= Self.schemaVersion else {
      throw StoreError.newerVersion(path: file.path, found: version, known: Self.schemaVersion)
    }
    do {
      return try decoder.decode(T.self, from: data)
    } catch {
      throw StoreError.unreadable(path: file.path, detail: Self.describe(error, data: data))
    }
  }

  /// Where a decoding error happened, in words a clerk can pass on.
  static func describe(_ error: Error, data: Data = Data()) -> String {
    switch error {
    case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
      return syntaxError(in: data)
    case DecodingError.dataCorrupted(let context):
      return "字段值无效 \(path(context.codingPath))"
    case DecodingError.keyNotFound(let key, let context):
      return "缺少字段 \(path(context.codingPath + [key]))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "字段类型不对 \(path(context.codingPath))"
    default:
      return "\(error)"
    }
  }

  /// Foundation's decoder does not say where JSON syntax breaks; JSONSerialization gives a
  /// character offset, turned here into a line and column.
  static func syntaxError(in data: Data) -> String {
    do {
      _ = try JSONSerialization.jsonObject(with: data)
      return StoreText.jsonBroken
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
      let text = String(decoding: data, as: UTF8.self)
      if detail.contains("end of file") {
        return StoreText.jsonEndsEarly(
          text.split(separator: "\n", omittingEmptySubsequences: false).count)
      }
      let digits = detail.split(whereSeparator: { !$0.isNumber }).last.flatMap { Int($0) }
      guard let offset = digits else { return StoreText.jsonBroken }
      let prefix = String(decoding: data.prefix(offset), as: UTF8.self)
      let lines = prefix.split(separator: "\n", omittingEmptySubsequences: false)
      return StoreText.jsonBrokenAt(line: lines.count, column: (lines.last?.count ?? 0) + 1)
    }
  }

  private static func path(_ keys: [CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
  }
}

protocol VersionedFile: Codable {
  var schemaVersion: Int { get }
}

/// What `loadReport` found: the town, and the files it could not use.
public struct LoadReport: Sendable {
  public var town: TownData
  public var damaged: [DamagedFile]
}

/// A file that could not be loaded: which, why, and (for a household) whose.
public struct DamagedFile: Equatable, Sendable {
  /// Path inside the data folder, e.g. households/h000012.json.
  public var relativePath: String
  public var householdID: String?
  public var error: StoreError
}

private struct VersionProbe: Decodable {
  var schemaVersion: Int
}

/// town.json. `savedBy`/`savedAt` are new in version 2; version 1 files read them as "".
struct TownFile: VersionedFile {
  var schemaVersion: Int
  var savedBy: String
  var savedAt: String
  var town: Town
  var villages: [Village]
  var grids: [Grid]
  var visitors: [Visitor]
}

/// households/<id>.json. `savedBy`/`savedAt` are new in version 2.
struct HouseholdFile: VersionedFile {
  var schemaVersion: Int
  var savedBy: String
  var savedAt: String
  var household: Household
}

// Migration from version 1: the fields added in version 2 default to "" when absent.
extension TownFile {
  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
    savedBy = try c.decodeIfPresent(String.self, forKey: .savedBy) ?? ""
    savedAt = try c.decodeIfPresent(String.self, forKey: .savedAt) ?? ""
    town = try c.decode(Town.self, forKey: .town)
    villages = try c.decode([Village].self, forKey: .villages)
    grids = try c.decode([Grid].self, forKey: .grids)
    visitors = try c.decode([Visitor].self, forKey: .visitors)
  }
}

extension HouseholdFile {
  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
    savedBy = try c.decodeIfPresent(String.self, forKey: .savedBy) ?? ""
    savedAt = try c.decodeIfPresent(String.self, forKey: .savedAt) ?? ""
    household = try c.decode(Household.self, forKey: .household)
  }
}

// MARK: The last operator, remembered for the start-up question.

extension DataFolder {
  static let localFileName = "local.json"

  private struct LocalFile: Codable {
    var schemaVersion: Int
    var lastOperator: String
  }

  /// Who worked on this folder last ("" when nobody yet, or unreadable).
  public var lastOperator: String {
    guard let data = try? Data(contentsOf: url.appendingPathComponent(Self.localFileName)),
      let file = try? JSONDecoder().decode(LocalFile.self, from: data)
    else { return "" }
    return file.lastOperator
  }

  public func saveLastOperator(_ name: String) throws(StoreError) {
    let file = LocalFile(schemaVersion: Self.schemaVersion, lastOperator: name)
    let target = url.appendingPathComponent(Self.localFileName)
    try fileSystem.writeAtomically(try encode(file, path: target.path), to: target)
  }
}
