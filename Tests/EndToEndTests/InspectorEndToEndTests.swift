import FiregridPostgres
import Foundation
import Testing

/// Clerks and inspectors log in as themselves (database roles, `firegrid db user add`): a
/// clerk's save is named by the login, and an inspector (督查) browses the town in tmux and is
/// refused every change, with nothing written. Database only: a data folder has no logins.
@Suite(.serialized)
struct InspectorEndToEndTests {
  /// The test server's URL, logged in as `user` instead (the throwaway cluster trusts its
  /// socket, so no password is asked: the password exchange is the store's tests' concern).
  static func url(_ base: String, as user: String) -> String {
    guard var components = URLComponents(string: base), base.hasPrefix("postgres") else {
      return base + " user='\(user)'"
    }
    components.user = nil
    components.queryItems =
      (components.queryItems ?? []).filter { $0.name != "user" } + [
        URLQueryItem(name: "user", value: user)
      ]
    return components.string ?? base
  }

  /// `firegrid db user add NAME --role ROLE`, the password from the environment.
  static func addUser(_ name: String, role: String, url: String) throws {
    let (status, out, err) = try EndToEndTests.run(
      ["db", "user", "add", name, "--role", role, "--db", url],
      environment: ["FIREGRID_NEW_PASSWORD": "e2e-password-\(UUID().uuidString)"])
    try #require(status == 0, "db user add \(name) failed: \(err)")
    #expect(out.contains("已新增用户「\(name)」"))
  }

  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    .enabled(if: StoreUnderTest.databaseURL != nil, StoreUnderTest.skipMessage))
  func anInspectorBrowsesAndIsRefusedEveryChange() throws {
    let url = try #require(StoreUnderTest.databaseURL)
    // Roles are the cluster's, not the database's: names of this run only.
    let suffix = UUID().uuidString.prefix(6).lowercased()
    let clerk = "文书\(suffix)"
    let inspector = "督查\(suffix)"
    try Self.addUser(clerk, role: "clerk", url: url)
    try Self.addUser(inspector, role: "inspector", url: url)
    defer {
      for name in [clerk, inspector] {
        _ = try? EndToEndTests.run(["db", "user", "remove", name, "--db", url])
      }
    }
    // The owner (the test server's user) imports the demo; 60 households on 2026-11-29 have
    // one overdue hazard.
    let town = try StoreUnderTest.database.town(
      from: try EndToEndTests.makeDemo(households: 60))
    defer { town.remove() }
    let expected = try EndToEndTests.firstHousehold(in: town.folder)
    let townArguments = ["--town", try #require(town.townID)]

    // The clerk is named by the login (no name asked) and saves an address.
    let imported = try #require(try town.auditLines())
    let address = "三江镇督查路1号"
    do {
      let session = try TmuxSession(
        arguments: ["--db", Self.url(url, as: clerk)] + townArguments,
        environment: town.environment)
      let start = try #require(session.waitFor("网格户籍"), "the clerk's app did not start")
      #expect(start.contains("操作员:\(clerk)"))
      #expect(!start.contains("只读"))
      try session.send("Enter", "Enter")
      try #require(session.waitFor(expected.head) != nil)
      try session.send("e", "Tab", "C-u")
      try session.sendLiteral(address)
      try session.send("C-s")
      try #require(session.waitFor("已保存") != nil, "the clerk's save did not go through")
      try session.send("q")
      #expect(session.exitStatus() == 0)
    }
    let linesBefore = try #require(try town.auditLines())
    let connection = try PGConnection(url: url)
    defer { connection.close() }
    let savedBy = try connection.exec(
      "SELECT DISTINCT operator FROM audit WHERE town_id = $1 AND sequence > $2",
      [town.townID, String(imported)]
    ).rows.compactMap { $0[0] }
    #expect(linesBefore > imported)
    #expect(savedBy == [clerk], "the clerk's save is not under their name alone: \(savedBy)")

    let session = try TmuxSession(
      arguments: ["--db", Self.url(url, as: inspector)] + townArguments,
      environment: town.environment)
    let banner = "只读：督查账号「\(inspector)」只能查看，不能修改"
    let start = try #require(session.waitFor(banner), "no read-only banner")
    #expect(start.contains("[只读]"))
    #expect(start.contains("操作员:\(inspector)"))
    #expect(start.contains(expected.village))

    // Browsing: the roster down to the clerk's change, a household's history.
    try session.send("Enter", "Enter")
    // Waits for the address, right of the head on its row: a capture can catch a row half
    // drawn.
    let households = try #require(session.waitFor(address), "the clerk's change is not shown")
    #expect(households.contains(expected.head))
    try session.send("a")
    let refused = try #require(session.waitFor("只读状态下不能修改"), "`a` was not refused")
    #expect(!refused.contains("新增住户"))
    try session.send("h")
    let history = try #require(session.waitFor("走访记录（"), "the history did not open")
    #expect(history.contains("户主 \(expected.head)"))
    // The message row shows the banner again once a key cleared the refusal.
    try #require(session.waitFor(banner) != nil)
    try session.send("E")
    #expect(session.waitFor("只读状态下不能修改") != nil, "`E` was not refused")

    // 隐患整改: the overdue hazard is listed; its 复查 is refused, no form opens.
    try session.send("Escape", "3")
    try #require(session.waitFor("逾期") != nil, "the overdue hazard is not listed")
    try #require(session.waitFor(banner) != nil)
    try session.send("n")
    let noForm = try #require(session.waitFor("只读状态下不能修改"), "`n` was not refused")
    #expect(!noForm.contains("排查表"))

    // 敲门走访: Enter on a household would open its visit form; refused, and Ctrl-S saves
    // nothing.
    try session.send("2")
    try #require(session.waitFor("各网格本轮进度") != nil)
    try session.send("Enter")
    try #require(session.waitFor("逐户录入") != nil)
    try #require(session.waitFor(banner) != nil)
    try session.send("Enter")
    let noVisit = try #require(session.waitFor("只读状态下不能修改"), "Enter was not refused")
    #expect(!noVisit.contains("户主 \(expected.head)"))
    try session.send("C-s")

    try session.send("q")
    #expect(session.exitStatus() == 0)
    #expect(session.waitFor("程序已退出") != nil)
    #expect(session.display("#{alternate_on}") == "0", "the terminal was not restored")
    #expect(try town.auditLines() == linesBefore, "the inspector's session wrote to the audit")
  }

  /// A town id the database does not hold, opened by an inspector: refused before the
  /// terminal is taken, in Chinese (not a setup form whose save the server refuses), and no
  /// town is made.
  @Test(.enabled(if: StoreUnderTest.databaseURL != nil, StoreUnderTest.skipMessage))
  func anInspectorIsNotOfferedTheFirstRunSetup() throws {
    let url = try #require(StoreUnderTest.databaseURL)
    let inspector = "督查\(UUID().uuidString.prefix(6).lowercased())"
    try Self.addUser(inspector, role: "inspector", url: url)
    defer { _ = try? EndToEndTests.run(["db", "user", "remove", inspector, "--db", url]) }
    let townID = "e2e-none-\(UUID().uuidString.prefix(8).lowercased())"
    let (status, _, err) = try EndToEndTests.run([
      "--db", Self.url(url, as: inspector), "--town", townID,
    ])
    #expect(status == 1)
    #expect(err.contains("督查账号「\(inspector)」只能查看，不能建立新镇"), "\(err)")
    let (_, towns, _) = try EndToEndTests.run(["db", "towns", "--db", url])
    #expect(!towns.contains(townID))
  }
}
