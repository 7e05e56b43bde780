import FiregridModel
import FiregridPostgres
import FiregridStore
import Foundation
import Testing

/// The county's statistics table straight from a database, and `db user` on the command line.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.skipMessage))
struct CountyReportTests {
  /// Runs the binary with `environment` added; (status, stdout, stderr).
  static func firegrid(_ arguments: [String], environment extra: [String: String] = [:]) throws
    -> (Int32, String, String)
  {
    var environment = ProcessInfo.processInfo.environment
    environment["FIREGRID_TODAY"] = "2026-12-20"
    environment["FIREGRID_OPERATOR"] = "测试员"
    environment["FIREGRID_DB"] = nil
    environment["FIREGRID_TOWN"] = nil
    environment.merge(extra) { _, new in new }
    return try DbCommandTests.run(DbCommandTests.binary, arguments, environment: environment)
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

  /// The county's table from the towns' statistics facts follows the app's saves (a visit, a
  /// household edit: their facts written in the same statement as their bodies), and rows
  /// whose facts are missing (a database migrated from version 2) or of an older format are
  /// filled in once by the county command, which says so on stderr; each time the table is
  /// the `--merge` of the towns' own tables, exported from the database.
  @Test func theCountyTableFollowsSavesAndFillsInMissingFacts() throws {
    let root = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let (db, drop) = try Self.freshDatabase()
    defer { drop() }
    var (status, _, err) = (Int32(0), "", "")
    for (town, seed) in [("ta", "5"), ("tb", "9")] {
      let folder = root.appendingPathComponent(town).path
      (status, _, err) = try Self.firegrid([
        "demo", "--data", folder, "--households", "60", "--seed", seed, "--through",
        "2026-12-20",
      ])
      #expect(status == 0, "\(err)")
      (status, _, err) = try Self.firegrid([
        "db", "import", "--db", db, "--town", town, "--from", folder,
      ])
      #expect(status == 0, "\(err)")
    }
    let connection = try PGConnection(url: db)
    defer { connection.close() }
    /// Each households/visits row's facts are those of its body (nil: the column's).
    func expectFactsMatchBodies(_ town: String) throws {
      let rows = try connection.exec(
        """
        SELECT kind, record_id, body, facts FROM records
        WHERE town_id = $1 AND kind IN ('households', 'visits')
        """, [town]
      ).rows
      #expect(rows.count > 60)
      for row in rows {
        let path = "\(row[0] ?? "")/\(row[1] ?? "").json"
        let expected = PortableTown.statisticsFacts(
          path: path, content: Data((row[2] ?? "").utf8))
        #expect(expected != nil && row[3] == expected, "\(path)")
      }
    }
    /// The county table from the database against the merge of the towns' tables (each made
    /// from a fresh export of the town); the county command's stderr.
    var round = 0
    func countyAgainstMerge(as countyURL: String? = nil) throws -> String {
      round += 1
      var tables: [String] = []
      for town in ["ta", "tb"] {
        let folder = root.appendingPathComponent("\(town)-export-\(round)").path
        (status, _, err) = try Self.firegrid([
          "db", "export", "--db", db, "--town", town, "--to", folder,
        ])
        #expect(status == 0, "\(err)")
        let table = root.appendingPathComponent("\(town)-\(round).xlsx").path
        (status, _, err) = try Self.firegrid(["report", "stats", "--data", folder, "--out", table])
        #expect(status == 0, "\(err)")
        tables.append(table)
      }
      let merged = root.appendingPathComponent("merged-\(round).csv").path
      (status, _, err) = try Self.firegrid(
        ["report", "stats", "--merge"] + tables + ["--county", "溆浦县", "--out", merged])
      #expect(status == 0, "\(err)")
      let county = root.appendingPathComponent("county-\(round).csv").path
      let countyErr: String
      (status, _, countyErr) = try Self.firegrid(
        ["report", "stats", "--db", countyURL ?? db, "--county", "溆浦县", "--out", county])
      #expect(status == 0, "\(countyErr)")
      let fromMerge = try String(contentsOfFile: merged, encoding: .utf8)
      let fromDatabase = try String(contentsOfFile: county, encoding: .utf8)
      #expect(fromDatabase == fromMerge)
      return countyErr
    }
    try expectFactsMatchBodies("ta")
    err = try countyAgainstMerge()
    #expect(!err.contains("补算"), "\(err)")

    // The app's store saves a visit (notice handed over, a hazard found) and makes a member of
    // another household a vulnerable elder living alone with another visitor.
    let location = PostgresLocation(
      url: db, townID: "ta", exclusive: false, clock: PostgresServer.clock)
    let store = try location.openStore(operatorName: "测试员")
    let visited = try #require(
      store.town.households.first { store.town.visitRecords[$0.id]?.visits.isEmpty == false })
    var record = store.town.visitRecord(of: visited.id)
    let last = try #require(record.visits.last)
    // A day of the round with no paper of this household yet (one paper a day and visitor).
    var day = CivilDate(year: 2026, month: 12, day: 19)
    while record.visits.contains(where: { $0.date == day }) { day = day.adding(days: -1) }
    var visit = last
    visit.id = "\(visited.id)-v99"
    visit.date = day
    visit.answers["noticeDelivered"] = .yes
    visit.answers["cardPosted"] = .yes
    record.visits.append(visit)
    record.hazards.append(
      Hazard(
        id: "\(visited.id)-z99", householdID: visited.id, checkID: "wiring",
        description: "电线老化",
        events: [
          HazardEvent(kind: .found, date: day, visitID: visit.id, deadline: day.adding(days: 7))
        ]))
    try store.saveVisitRecord(record, addingVisitor: nil)
    var edited = try #require(store.town.households.first { !$0.hasVulnerableMember })
    edited.persons[0].groups = [.elderlyLivingAlone]
    edited.visitorID = store.town.visitors.last?.id
    try store.apply(try RosterEdit.saveHousehold(edited, in: store.town))
    store.close()
    try expectFactsMatchBodies("ta")
    err = try countyAgainstMerge()
    #expect(!err.contains("补算"), "\(err)")

    // Facts gone (as after migration 3 on an older database) in one town, an older format in
    // the other's households: filled in once, said on stderr, then read as kept.
    try connection.exec("UPDATE records SET facts = NULL WHERE town_id = 'ta'")
    try connection.exec(
      "UPDATE records SET facts = 'H0' || substr(facts, 3) WHERE town_id = 'tb' AND kind = 'households'"
    )
    // And a visit record's line of the current version that does not read (changed by hand).
    try connection.exec(
      """
      UPDATE records SET facts = 'V1 broken' WHERE town_id = 'tb' AND kind = 'visits'
        AND record_id = (SELECT min(record_id) FROM records WHERE town_id = 'tb' AND kind = 'visits')
      """)
    // An inspector's account reads only: the facts are computed for the run, not stored.
    let inspector = PostgresUsersTests.uniqueName("督查")
    try PostgresUsers.add(inspector, role: .inspector, password: "督查只看不改的密码", on: connection)
    defer { try? PostgresUsers.remove(inspector, on: connection) }
    var parts = try #require(URLComponents(string: db))
    parts.queryItems =
      (parts.queryItems ?? []).filter { $0.name != "user" } + [
        URLQueryItem(name: "user", value: inspector)
      ]
    err = try countyAgainstMerge(as: parts.string ?? db)
    #expect(err.contains("未能写回数据库"), "\(err)")
    #expect(
      try connection.exec("SELECT count(*) FROM records WHERE facts IS NULL AND town_id = 'ta'")
        .scalar != "0")
    err = try countyAgainstMerge()
    #expect(err.contains("首次从数据库汇总"), "\(err)")
    #expect(err.contains("已补算"), "\(err)")
    try expectFactsMatchBodies("ta")
    try expectFactsMatchBodies("tb")
    err = try countyAgainstMerge()
    #expect(!err.contains("补算"), "\(err)")
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
