import FiregridPostgres
import Foundation
import Testing

/// The county's statistics table straight from a database, and `db user` on the command line.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.skipMessage))
struct CountyReportTests {
  /// Runs the binary with `environment` added; (status, stdout, stderr).
  static func firegrid(_ arguments: [String], environment extra: [String: String] = [:]) throws
    -> (Int32, String, String)
  {
    let process = Process()
    process.executableURL = DbCommandTests.binary
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["FIREGRID_TODAY"] = "2026-12-20"
    environment["FIREGRID_OPERATOR"] = "测试员"
    environment["FIREGRID_DB"] = nil
    environment["FIREGRID_TOWN"] = nil
    environment.merge(extra) { _, new in new }
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: outData, as: UTF8.self),
      String(decoding: errData, as: UTF8.self)
    )
  }

  /// A database of its own (the county table takes every town in it), dropped after.
  static func freshDatabase() throws -> (url: String, drop: () -> Void) {
    let base = try #require(ProcessInfo.processInfo.environment["FIREGRID_TEST_PG"])
    let name = "firegrid_county_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
    let admin = try PGConnection(url: base)
    try admin.exec("CREATE DATABASE \(name)")
    var parts = try #require(URLComponents(string: base))
    parts.path = "/\(name)"
    return (
      parts.string ?? base,
      {
        _ = try? admin.exec("DROP DATABASE \(name) WITH (FORCE)")
        admin.close()
      }
    )
  }

  @Test(arguments: [[String](), ["--round", "1"]])
  func theCountyTableFromTheDatabaseIsTheMergeOfTheTownsOwnTables(scope: [String]) throws {
    let root = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let (db, drop) = try Self.freshDatabase()
    defer { drop() }
    var status: Int32
    var err: String
    var tables: [String] = []
    for (town, seed) in [("ta", "3"), ("tb", "7")] {
      let folder = root.appendingPathComponent(town).path
      (status, _, err) = try Self.firegrid([
        "demo", "--data", folder, "--households", "80", "--seed", seed, "--through",
        "2026-12-20",
      ])
      #expect(status == 0, "\(err)")
      (status, _, err) = try Self.firegrid([
        "db", "import", "--db", db, "--town", town, "--from", folder,
      ])
      #expect(status == 0, "\(err)")
      let table = root.appendingPathComponent("\(town).xlsx").path
      (status, _, err) = try Self.firegrid(
        ["report", "stats", "--data", folder, "--out", table] + scope)
      #expect(status == 0, "\(err)")
      tables.append(table)
    }
    let merged = root.appendingPathComponent("merged.csv").path
    (status, _, err) = try Self.firegrid(
      ["report", "stats", "--merge"] + tables + ["--county", "溆浦县", "--out", merged])
    #expect(status == 0, "\(err)")
    let county = root.appendingPathComponent("county.csv").path
    (status, _, err) = try Self.firegrid(
      ["report", "stats", "--db", db, "--county", "溆浦县", "--out", county] + scope)
    #expect(status == 0, "\(err)")
    let fromMerge = try String(contentsOfFile: merged, encoding: .utf8)
    let fromDatabase = try String(contentsOfFile: county, encoding: .utf8)
    #expect(fromDatabase == fromMerge)
    // Two town rows and the county's total, with counts in them.
    #expect(fromDatabase.contains("合计"))
    #expect(fromDatabase.split(whereSeparator: \.isNewline).count > 4)
  }

  @Test func dbUserAddListRemoveOnTheCommandLine() throws {
    let db = PostgresServer.databaseURL
    let name = "督查\(UUID().uuidString.prefix(6).lowercased())"
    var (status, out, err) = try Self.firegrid(
      ["db", "user", "add", name, "--role", "inspector", "--db", db],
      environment: ["FIREGRID_NEW_PASSWORD": "督查的密码很长很长"])
    #expect(status == 0, "\(err)")
    #expect(out.contains("已新增用户「\(name)」"))
    (status, out, err) = try Self.firegrid(["db", "user", "list", "--db", db])
    #expect(status == 0, "\(err)")
    #expect(out.contains("\(name)\tinspector"))
    // A second user of the same name is refused.
    (status, _, err) = try Self.firegrid(
      ["db", "user", "add", name, "--role", "clerk", "--db", db],
      environment: ["FIREGRID_NEW_PASSWORD": "另一个密码很长很长"])
    #expect(status == 1)
    #expect(err.contains("已有名为「\(name)」"))
    (status, out, err) = try Self.firegrid(["db", "user", "remove", name, "--db", db])
    #expect(status == 0, "\(err)")
    (status, out, _) = try Self.firegrid(["db", "user", "list", "--db", db])
    #expect(!out.contains(name))
  }
}
