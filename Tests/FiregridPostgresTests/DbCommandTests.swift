import FiregridPostgres
import Foundation
import Testing

/// The `db` commands of the real binary: a demo folder imported into the database, exported
/// again, and the export opened by the embedded app's `check` and `summary`.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.skipMessage))
struct DbCommandTests {
  /// The built binary: beside the test bundle in the build folder.
  static var binary: URL {
    if let explicit = ProcessInfo.processInfo.environment["FIREGRID_BIN"] {
      return URL(fileURLWithPath: explicit)
    }
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("firegrid").path),
      folder.path != "/"
    {
      folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("firegrid")
  }

  /// Runs the binary to completion; (status, stdout, stderr).
  static func firegrid(_ arguments: [String]) throws -> (Int32, String, String) {
    var environment = ProcessInfo.processInfo.environment
    environment["FIREGRID_TODAY"] = "2026-11-29"
    environment["FIREGRID_OPERATOR"] = "测试员"
    environment["FIREGRID_DB"] = nil
    environment["FIREGRID_TOWN"] = nil
    return try run(binary, arguments, environment: environment)
  }

  /// A program run to completion, no input; (status, stdout, stderr).
  static func run(
    _ executable: URL, _ arguments: [String],
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
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

  @Test func importThenExportGivesAFolderThatChecksCleanWithTheSameTown() throws {
    let root = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let demo = root.appendingPathComponent("demo").path
    let exported = root.appendingPathComponent("exported").path
    let db = PostgresServer.databaseURL
    let town = PostgresServer.uniqueTownID("cli")

    var (status, out, err) = try Self.firegrid(["demo", "--data", demo, "--households", "60"])
    #expect(status == 0, "\(err)")
    (status, out, err) = try Self.firegrid(["db", "init", "--db", db])
    #expect(status == 0, "\(err)")
    #expect(out.contains("数据库结构"))
    (status, out, err) = try Self.firegrid(
      ["db", "import", "--db", db, "--town", town, "--from", demo])
    #expect(status == 0, "\(err)")
    #expect(out.contains("已导入镇") && out.contains("户 60"), "\(out)")
    // The same again: refused, nothing written.
    (status, out, err) = try Self.firegrid(
      ["db", "import", "--db", db, "--town", town, "--from", demo])
    #expect(status != 0)
    #expect(err.contains("已有镇"), "\(err)")
    (status, out, err) = try Self.firegrid(["check", "--db", db, "--town", town])
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("检查通过"), "\(out)")
    (status, out, err) = try Self.firegrid(
      ["db", "export", "--db", db, "--town", town, "--to", exported])
    #expect(status == 0, "\(err)")
    #expect(out.contains("已把镇"), "\(out)")
    (status, out, err) = try Self.firegrid(["check", "--data", exported])
    #expect(status == 0, "\(out)\(err)")
    let (_, original, _) = try Self.firegrid(["summary", "--data", demo, "--json"])
    let (_, copy, _) = try Self.firegrid(["summary", "--data", exported, "--json"])
    #expect(!original.isEmpty)
    #expect(copy == original)
  }

  /// A record changed by hand in the database: `check --db` names it and fails.
  @Test func checkOnADatabaseFindsARecordChangedByHand() throws {
    let location = PostgresServer.location()
    try location.createStore(PostgresStoreTests.sample, operatorName: "甲").close()
    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    try connection.exec(
      """
      UPDATE records SET body = replace(body, '东山村1组2号', '手改')
      WHERE town_id = $1 AND kind = 'households' AND record_id = 'h000002'
      """, [location.townID])
    let (status, out, _) = try Self.firegrid(
      ["check", "--db", PostgresServer.databaseURL, "--town", location.townID])
    #expect(status == 1)
    #expect(out.contains("households/h000002.json"), "\(out)")
  }

  /// `backups --db`: the town's daily backups as the table has them; `--dump` a pg_dump of
  /// the database that pg_restore reads, 0600, never over a file; `--restore` says the way back.
  @Test func backupsOnADatabaseAreListedAndTheDatabaseDumped() throws {
    let root = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let location = PostgresServer.location(backupsFolder: root.appendingPathComponent("backups"))
    let store = try location.createStore(PostgresStoreTests.sample, operatorName: "甲")
    let db = PostgresServer.databaseURL
    var (status, out, err) = try Self.firegrid(
      ["backups", "--db", db, "--town", location.townID])
    #expect(status == 0, "\(err)")
    #expect(out.contains("还没有备份"), "\(out)")
    #expect(try store.takeDailyBackup(on: PostgresServer.day) { _ in })
    store.close()
    let folder = root.appendingPathComponent("backups/\(location.townID)/2026-12-10").path
    (status, out, err) = try Self.firegrid(["backups", "--db", db, "--town", location.townID])
    #expect(status == 0, "\(err)")
    #expect(out == "2026-12-10  甲  \(folder)\n")

    (status, _, err) = try Self.firegrid(
      ["backups", "--db", db, "--town", location.townID, "--restore", "2026-12-10"])
    #expect(status == 1)
    #expect(
      err.contains(
        "firegrid db import --db URL --town \(location.townID)-2026-12-10 --from \(folder)"),
      "\(err)")

    let dump = root.appendingPathComponent("全库.dump").path
    (status, out, err) = try Self.firegrid(["backups", "--db", db, "--dump", dump])
    #expect(status == 0, "\(err)")
    #expect(out.contains("已用 pg_dump 备份整个数据库"), "\(out)")
    let mode = try FileManager.default.attributesOfItem(atPath: dump)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let listing = try Self.run(
      URL(fileURLWithPath: "/usr/bin/env"), ["pg_restore", "--list", dump])
    #expect(listing.0 == 0, "\(listing.2)")
    #expect(listing.1.contains("TABLE DATA public records"), "\(listing.1)")
    (status, _, err) = try Self.firegrid(["backups", "--db", db, "--dump", dump])
    #expect(status == 1)
    #expect(err.contains("已存在：不会覆盖"), "\(err)")
  }

  /// The commands that read a town give on a database what they give on the folder it was
  /// imported from: summary, the roster and premises exports, a spot-check sample, a print.
  @Test func theReadingCommandsGiveOnADatabaseWhatTheyGiveOnItsFolder() throws {
    let root = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let demo = root.appendingPathComponent("demo").path
    let db = PostgresServer.databaseURL
    let town = PostgresServer.uniqueTownID("read")
    var (status, _, err) = try Self.firegrid(["demo", "--data", demo, "--households", "60"])
    #expect(status == 0, "\(err)")
    (status, _, err) = try Self.firegrid(
      ["db", "import", "--db", db, "--town", town, "--from", demo])
    #expect(status == 0, "\(err)")
    let onFolder = ["--data", demo]
    let onDatabase = ["--db", db, "--town", town]
    for command in [
      ["summary", "--json"],
      ["supervise", "sample", "--round", "1", "--per-village", "3", "--seed", "42"],
    ] {
      let folder = try Self.firegrid(command + onFolder)
      let database = try Self.firegrid(command + onDatabase)
      #expect(folder.0 == 0, "\(command): \(folder.2)")
      #expect(database.0 == 0, "\(command): \(database.2)")
      #expect(database.1 == folder.1, "\(command)")
    }
    for (command, name) in [
      (["export", "roster"], "roster.csv"), (["export", "premises"], "premises.csv"),
      (["report", "hazards"], "hazards.csv"), (["report", "stats", "--round", "1"], "stats.csv"),
      (["report", "elderly"], "elderly.csv"),
    ] {
      let fromFolder = root.appendingPathComponent("folder-\(name)").path
      let fromDatabase = root.appendingPathComponent("db-\(name)").path
      #expect(try Self.firegrid(command + onFolder + ["--out", fromFolder]).0 == 0)
      #expect(try Self.firegrid(command + onDatabase + ["--out", fromDatabase]).0 == 0)
      #expect(
        try Data(contentsOf: URL(fileURLWithPath: fromDatabase))
          == Data(contentsOf: URL(fileURLWithPath: fromFolder)), "\(command)")
    }
    // A blank form names the database's town.
    let cards = root.appendingPathComponent("blank.pdf").path
    (status, _, err) = try Self.firegrid(
      ["print", "form", "--form", "residential", "--blank"] + onDatabase + ["--out", cards])
    #expect(status == 0, "\(err)")
    #expect(FileManager.default.fileExists(atPath: cards))
    // A town the database does not hold is said, not guessed.
    (status, _, err) = try Self.firegrid(["summary", "--db", db, "--town", "no-such-town"])
    #expect(status == 1)
    #expect(err.contains("数据库中没有镇「no-such-town」"), "\(err)")
  }

  /// `import roster|premises --db URL --town-id ID`: a roster makes a new town in the database
  /// (its name from --town), a second import of it adds nothing, a file with a bad row writes
  /// nothing; premises go into the town's villages; --dry-run writes nothing.
  @Test func spreadsheetsAreImportedIntoADatabaseTown() throws {
    let root = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let db = PostgresServer.databaseURL
    let town = PostgresServer.uniqueTownID("imp")
    let onDatabase = ["--db", db, "--town-id", town]
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let roster = root.appendingPathComponent("roster.csv")
    try Data(
      """
      村（社区）,网格,网格长,户号,姓名,与户主关系,性别,身份证号,联系电话,家庭住址,重点人群
      龙潭村,第1网格,邹锡华,0001,邹锡华,户主,男,43122419650304011X,13807451234,龙潭村1组1号,
      龙潭村,第1网格,邹锡华,0002,向红梅,户主,女,431224193806210127,,龙潭村1组2号,独居老人

      """.utf8
    ).write(to: roster)
    var (status, out, err) = try Self.firegrid(
      ["import", "roster", roster.path] + onDatabase + ["--dry-run", "--town", "龙潭镇"])
    #expect(status == 0, "\(err)")
    (status, out, err) = try Self.firegrid(["summary", "--db", db, "--town", town])
    #expect(status == 1, "a dry run wrote the town: \(out)")
    (status, out, err) = try Self.firegrid(
      ["import", "roster", roster.path] + onDatabase + ["--town", "龙潭镇"])
    #expect(status == 0, "\(err)")
    #expect(out.contains("已导入到 龙潭镇（新建）"), "\(out)")
    (status, out, err) = try Self.firegrid(["import", "roster", roster.path] + onDatabase)
    #expect(out.contains("已有且相同、跳过 2 户"), "\(out)")

    let connection = try PGConnection(url: db)
    defer { connection.close() }
    func auditCount() throws -> String? {
      try connection.exec("SELECT count(*) FROM audit WHERE town_id = $1", [town]).scalar
    }
    let before = try auditCount()
    let bad = root.appendingPathComponent("bad.csv")
    try Data(
      """
      村（社区）,网格,网格长,户号,姓名,与户主关系,性别,身份证号,联系电话,家庭住址,重点人群
      龙潭村,第1网格,邹锡华,0003,舒桂英,户主,女,431224196708120121,,龙潭村1组3号,
      龙潭村,第1网格,邹锡华,0004,无名,户主,女,12345,,龙潭村1组4号,

      """.utf8
    ).write(to: bad)
    (status, out, err) = try Self.firegrid(["import", "roster", bad.path] + onDatabase)
    #expect(status == 1)
    #expect(out.contains("未导入：没有写入任何改动"), "\(out)")
    #expect(try auditCount() == before)

    let premises = root.appendingPathComponent("premises.csv")
    try Data(
      """
      村（社区）,网格,场所名称,类别
      龙潭村,第1网格,龙潭村委会,办公场所

      """.utf8
    ).write(to: premises)
    (status, out, err) = try Self.firegrid(["import", "premises", premises.path] + onDatabase)
    #expect(status == 0, "\(err)\(out)")
    (status, out, err) = try Self.firegrid(["summary", "--json", "--db", db, "--town", town])
    #expect(out.contains("\"premisesNotInspectedInRound\" : 1"), "\(out)")
    #expect(out.contains("\"households\" : 2"), "\(out)")
  }

  @Test func aDbCommandWithoutADatabaseSaysHowToGiveOne() throws {
    let (status, _, err) = try Self.firegrid(["db", "init"])
    #expect(status != 0)
    #expect(err.contains("--db"))
  }
}
