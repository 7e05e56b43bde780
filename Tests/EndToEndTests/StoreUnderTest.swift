import FiregridPostgres
import Foundation
import Testing

/// Where the app under test keeps its town: the data folder, or a PostgreSQL database the
/// same demo folder was imported into (`firegrid db import`, then `--db`). The app's
/// end-to-end tests that take it as their argument run once on each; the database when
/// FIREGRID_TEST_PG is set (`make test` always starts a throwaway server and sets it).
enum StoreUnderTest: String, Sendable, CustomTestStringConvertible {
  case folder
  case database

  var testDescription: String { rawValue }

  /// The server the database runs use (a libpq URL), nil when none was given.
  static var databaseURL: String? { ProcessInfo.processInfo.environment["FIREGRID_TEST_PG"] }

  /// The stores the app's end-to-end tests run on here: the folder always, the database
  /// when there is a server.
  static var available: [StoreUnderTest] { databaseURL == nil ? [.folder] : [.folder, .database] }

  static let skipMessage: Comment =
    "FIREGRID_TEST_PG 未设置：端到端测试只在数据文件夹上运行，跳过数据库上的一轮（make test 会启动一个临时服务器并设置它）"

  /// The town of the demo `folder` on this store: the folder as it is, or imported into the
  /// database as a town of its own (the folder then stays only to read expected values from).
  /// `today` pins the import's day when the demo was made on another day than 2026-11-29.
  func town(from folder: URL, today: String? = nil) throws -> TownUnderTest {
    switch self {
    case .folder:
      return TownUnderTest(folder: folder, arguments: ["--data", folder.path], environment: [:])
    case .database:
      let town = try newTown(at: folder)
      let (status, _, err) = try EndToEndTests.run(
        ["db", "import"] + town.databaseArguments + ["--from", folder.path],
        environment: today.map { ["FIREGRID_TODAY": $0] } ?? [:])
      guard status == 0 else { throw ImportFailed(message: err) }
      return town
    }
  }

  /// A town that is not there yet (the first run's setup): a folder that does not exist, or a
  /// town id the database does not hold. `folder` is the folder's town; on the database, where
  /// the demo it was imported from is (or nothing), removed with the town.
  func newTown(at folder: URL) throws -> TownUnderTest {
    switch self {
    case .folder:
      return TownUnderTest(folder: folder, arguments: ["--data", folder.path], environment: [:])
    case .database:
      guard let url = Self.databaseURL else { throw Missing() }
      let townID = "e2e-\(UUID().uuidString.prefix(8).lowercased())"
      let backups = FileManager.default.temporaryDirectory
        .appendingPathComponent("firegrid-e2e-db-backups-\(UUID().uuidString)")
      return TownUnderTest(
        folder: folder, arguments: ["--db", url, "--town", townID],
        environment: ["FIREGRID_DB_BACKUPS": backups.path], backups: backups, townID: townID)
    }
  }

  struct Missing: Error {}
  struct ImportFailed: Error, CustomStringConvertible {
    var message: String
    var description: String { "db import failed: \(message)" }
  }
}

/// A town the app opens: the arguments that name it and the environment it needs.
struct TownUnderTest {
  /// The demo folder it came from.
  var folder: URL
  /// `--data DIR`, or `--db URL --town ID`.
  var arguments: [String]
  /// The database's backups folder (`FIREGRID_DB_BACKUPS`), away from the home folder.
  var environment: [String: String]
  var backups: URL?
  /// The town's id in the database; nil for a folder.
  var townID: String?

  /// Where `readableFolder` exports a database's town: beside the demo folder.
  var export: URL { folder.appendingPathExtension("export") }

  /// `--db URL --town ID` (empty for a folder).
  var databaseArguments: [String] { townID == nil ? [] : arguments }

  /// The town as a data folder to read: the folder itself, or the database's town exported
  /// (`firegrid db export`) to `export`, which `remove` removes; nil when the database
  /// has no such town.
  func readableFolder() throws -> URL? {
    guard townID != nil else { return folder }
    // The previous export, if any, is this test's own: the export wants a new folder.
    try? FileManager.default.removeItem(at: export)
    let (status, _, _) = try EndToEndTests.run(
      ["db", "export"] + databaseArguments + ["--to", export.path])
    return status == 0 ? export : nil
  }

  /// The database's audit chain of this town: how many lines (nil for a folder).
  func auditLines() throws -> Int? {
    guard let townID, let url = StoreUnderTest.databaseURL else { return nil }
    let connection = try PGConnection(url: url)
    defer { connection.close() }
    return Int(
      try connection.exec("SELECT count(*) FROM audit WHERE town_id = $1", [townID]).scalar ?? "")
  }

  /// `firegrid` with the town's arguments, in tmux.
  func session(
    _ arguments: [String] = [], environment: [String: String] = [:], columns: Int = 80,
    rows: Int = 24
  ) throws -> TmuxSession {
    try TmuxSession(
      arguments: self.arguments + arguments,
      columns: columns, rows: rows,
      environment: self.environment.merging(environment) { _, new in new })
  }

  /// Removes the demo folder, its exports and the database's backups (the database's town
  /// stays in the throwaway server).
  func remove() {
    try? FileManager.default.removeItem(at: export)
    try? FileManager.default.removeItem(at: folder)
    if let backups { try? FileManager.default.removeItem(at: backups) }
  }
}

/// Says, when there is no server, that the database's runs were skipped.
@Suite struct StoreUnderTestNotes {
  @Test(.enabled(if: StoreUnderTest.databaseURL != nil, StoreUnderTest.skipMessage))
  func theAppsEndToEndTestsRunOnTheDatabaseToo() {
    #expect(StoreUnderTest.available == [.folder, .database])
  }
}
