import FiregridModel
import FiregridPostgres
import FiregridRepository
import FiregridRepositoryContract
import Foundation
import Testing

/// Clerks and inspectors logging in as themselves (database roles): the audit names the
/// logged-in clerk whatever name is typed, and an inspector cannot change anything, refused by
/// the server itself even for a hand-written statement.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.skipMessage))
struct PostgresUsersTests {
  /// The test database's URL, logged in as `user` (the test cluster trusts its socket, so no
  /// password is asked; the stored verifier is checked instead).
  static func url(as user: String) -> String {
    var parts = URLComponents(string: PostgresServer.databaseURL)!
    var items = (parts.queryItems ?? []).filter { $0.name != "user" }
    items.append(URLQueryItem(name: "user", value: user))
    parts.queryItems = items
    return parts.string!
  }

  /// A user name no other run uses (roles are the whole cluster's).
  static func uniqueName(_ prefix: String) -> String {
    "\(prefix)\(UUID().uuidString.prefix(6).lowercased())"
  }

  @Test func aClerksChangeIsAuditedUnderTheirOwnName() throws {
    let admin = try PGConnection(url: PostgresServer.databaseURL)
    defer { admin.close() }
    let clerk = Self.uniqueName("录入员")
    try PostgresUsers.add(clerk, role: .clerk, password: "春节前走访完所有住户", on: admin)
    defer { try? PostgresUsers.remove(clerk, on: admin) }
    #expect(try PostgresUsers.list(on: admin).contains { $0.name == clerk && $0.role == .clerk })
    // The password is stored as a salted SCRAM verifier, never as typed.
    let stored = try admin.exec("SELECT rolpassword FROM pg_authid WHERE rolname = $1", [clerk])
    #expect(stored.scalar?.hasPrefix("SCRAM-SHA-256$") == true)
    #expect(stored.scalar?.contains("春节前走访完所有住户") == false)

    let townID = PostgresServer.uniqueTownID()
    try PostgresServer.location(townID: townID).create(
      RepositoryContract.sampleTown, operatorName: "管理员"
    ).close()
    let location = PostgresLocation(
      url: Self.url(as: clerk), townID: townID, exclusive: false, clock: PostgresServer.clock)
    let store = try location.openStore(operatorName: "冒名顶替")
    defer { store.close() }
    #expect(store.operatorName == clerk)
    #expect(store.access == .readWrite)
    var household = try #require(store.town.household(id: "h000001"))
    household.address = "东山村1组1号（录入员改）"
    try store.apply(try RosterEdit.saveHousehold(household, in: store.town))

    let lines = try admin.exec(
      "SELECT DISTINCT operator FROM audit WHERE town_id = $1 AND record = 'household/h000001'",
      [townID]
    ).rows.map { $0[0] }
    // The creation's lines are the administrator's; the change is the clerk's.
    #expect(Set(lines) == ["管理员", clerk])
    let updatedBy = try admin.exec(
      "SELECT updated_by FROM records WHERE town_id = $1 AND kind = 'households'"
        + " AND record_id = 'h000001'", [townID])
    #expect(updatedBy.scalar == clerk)

    // Through the clerk's own connection: an audit line under another name is refused by
    // the server, and the audit cannot be rewritten.
    let connection = try PGConnection(url: Self.url(as: clerk))
    defer { connection.close() }
    #expect {
      try connection.exec(
        """
        INSERT INTO audit (town_id, sequence, time, operator, record, field, previous_hash, hash)
        VALUES ($1, 999999, 't', '别人', 'x', 'y', 'p', 'h')
        """, [townID])
    } throws: { ($0 as? PostgresError)?.sqlState == "42501" }
    #expect {
      try connection.exec("UPDATE audit SET operator = '别人' WHERE town_id = $1", [townID])
    } throws: { ($0 as? PostgresError)?.sqlState == "42501" }
  }

  /// The first-run setup on a database, logged in as a clerk or an inspector: the clerk's new
  /// town is theirs in the audit whatever name the form held; the inspector's is refused in
  /// Chinese before anything is written.
  @Test func aClerkCreatesATownUnderTheirLoginAndAnInspectorCannot() throws {
    let admin = try PGConnection(url: PostgresServer.databaseURL)
    defer { admin.close() }
    let clerk = Self.uniqueName("录入员")
    let inspector = Self.uniqueName("督查")
    try PostgresUsers.add(clerk, role: .clerk, password: "春节前走访完所有住户", on: admin)
    defer { try? PostgresUsers.remove(clerk, on: admin) }
    try PostgresUsers.add(inspector, role: .inspector, password: "督查只看不改的密码", on: admin)
    defer { try? PostgresUsers.remove(inspector, on: admin) }

    let clerksTown = PostgresServer.uniqueTownID()
    let store = try PostgresLocation(
      url: Self.url(as: clerk), townID: clerksTown, clock: PostgresServer.clock
    ).createStore(RepositoryContract.sampleTown, operatorName: "冒名顶替")
    defer { store.close() }
    #expect(store.operatorName == clerk)
    #expect(store.town.town.name == RepositoryContract.sampleTown.town.name)
    let operators = try admin.exec(
      "SELECT DISTINCT operator FROM audit WHERE town_id = $1", [clerksTown]
    ).rows.map { $0[0] }
    #expect(operators == [clerk])

    let inspectorsTown = PostgresServer.uniqueTownID()
    #expect {
      try PostgresLocation(
        url: Self.url(as: inspector), townID: inspectorsTown, clock: PostgresServer.clock
      ).createStore(RepositoryContract.sampleTown, operatorName: inspector).close()
    } throws: { ($0 as? PostgresError)?.message.contains("只能查看，不能建立新镇") == true }
    #expect(
      try admin.exec("SELECT count(*) FROM towns WHERE id = $1", [inspectorsTown]).scalar == "0")
  }

  @Test func anInspectorReadsButTheServerRefusesEveryChange() throws {
    let admin = try PGConnection(url: PostgresServer.databaseURL)
    defer { admin.close() }
    let inspector = Self.uniqueName("督查")
    try PostgresUsers.add(inspector, role: .inspector, password: "督查只看不改的密码", on: admin)
    defer { try? PostgresUsers.remove(inspector, on: admin) }
    let townID = PostgresServer.uniqueTownID()
    try PostgresServer.location(townID: townID).create(
      RepositoryContract.sampleTown, operatorName: "管理员"
    ).close()

    // The app opens read-only, saying why, and refuses to save.
    let location = PostgresLocation(
      url: Self.url(as: inspector), townID: townID, clock: PostgresServer.clock)
    let store = try location.openStore(operatorName: "督查")
    defer { store.close() }
    #expect(store.operatorName == inspector)
    guard case .readOnlyAccount(let reason) = store.access else {
      Issue.record("inspector's access: \(store.access)")
      return
    }
    #expect(reason.contains("只能查看"))
    #expect(store.town.household(id: "h000001") != nil)
    var household = try #require(store.town.household(id: "h000001"))
    household.address = "督查改的"
    #expect(throws: PostgresError.self) {
      try store.apply(try RosterEdit.saveHousehold(household, in: store.town))
    }

    // By hand through the inspector's own connection: every change refused by the server.
    let connection = try PGConnection(url: Self.url(as: inspector))
    defer { connection.close() }
    #expect(
      try connection.exec("SELECT count(*) FROM records WHERE town_id = $1", [townID])
        .scalar != "0")
    let statements: [(String, [String?])] = [
      ("UPDATE records SET body = 'x' WHERE town_id = $1", [townID]),
      ("DELETE FROM records WHERE town_id = $1", [townID]),
      ("UPDATE towns SET name = '改名' WHERE id = $1", [townID]),
      (
        "INSERT INTO audit (town_id, sequence, time, operator, record, field, previous_hash,"
          + " hash) VALUES ($1, 999999, 't', 'x', 'x', 'y', 'p', 'h')", [townID]
      ),
      ("DELETE FROM audit WHERE town_id = $1", [townID]),
      ("TRUNCATE records", []),
      ("CREATE TABLE mine (id int)", []),
    ]
    for (sql, parameters) in statements {
      #expect {
        try connection.exec(sql, parameters)
      } throws: { error in
        // Refused by the server, and said in Chinese before its English words.
        guard let error = error as? PostgresError else { return false }
        return error.sqlState == "42501" && error.message.hasPrefix("数据库操作失败：没有权限")
      }
    }
    let unchanged = try admin.exec(
      "SELECT body FROM records WHERE town_id = $1 AND kind = 'households'"
        + " AND record_id = 'h000001'", [townID])
    #expect(unchanged.scalar?.contains("督查改的") == false)
  }
}
