import Foundation
import Testing

/// The knock-door action in the real binary: a clerk enters a visit that finds a hazard, a
/// later day the hazard is overdue and re-inspected, and the household history shows both.
@Suite(.serialized)
struct VisitEndToEndTests {
  /// The first grid's households in roster order, read from the demo's files: (number, head,
  /// whether a member is in a vulnerable group).
  static func firstGrid(in folder: URL) throws -> [(number: String, head: String, vulnerable: Bool)]
  {
    let town =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: folder.appendingPathComponent("town.json"))) as! [String: Any]
    let village = (town["villages"] as! [[String: Any]])[0]
    let grid = (town["grids"] as! [[String: Any]]).first {
      $0["villageID"] as? String == village["id"] as? String
    }!
    let householdFolder = folder.appendingPathComponent("households")
    var rows: [(number: String, head: String, vulnerable: Bool)] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: householdFolder.path) {
      let file =
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: householdFolder.appendingPathComponent(name))) as! [String: Any]
      let household = file["household"] as! [String: Any]
      guard household["gridID"] as? String == grid["id"] as? String else { continue }
      let persons = household["persons"] as! [[String: Any]]
      let head = persons.first { $0["relation"] as? String == "户主" } ?? persons[0]
      let vulnerable = persons.contains { !(($0["groups"] as? [String]) ?? []).isEmpty }
      rows.append((household["number"] as! String, head["name"] as! String, vulnerable))
    }
    return rows.sorted { $0.number < $1.number }
  }

  func type(_ session: TmuxSession, _ keys: [String]) throws {
    for key in keys { try session.send(key) }
  }

  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    arguments: StoreUnderTest.available)
  func visitWithAHazardThenReinspectionShowBothInTheHistory(on store: StoreUnderTest) throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-e2e-visit-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, _, err) = try EndToEndTests.run(
      ["demo", "--data", folder.path, "--households", "60", "--seed", "7", "--roster-only"],
      environment: ["FIREGRID_TODAY": "2026-11-25"])
    #expect(status == 0, "demo failed: \(err)")
    let town = try store.town(from: folder, today: "2026-11-25")
    defer { town.remove() }
    let grid = try Self.firstGrid(in: folder)
    let row = try #require(grid.firstIndex { !$0.vulnerable }, "no household without 重点人群")
    let household = grid[row]

    // 11-25: the paper form of a visit that found a wiring hazard, 3 days to rectify.
    do {
      let session = try town.session(
        ["--operator", "王文书"], environment: ["FIREGRID_TODAY": "2026-11-25"])
      try #require(session.waitFor("网格户籍") != nil, "the app did not start")
      try session.send("2")
      try #require(session.waitFor("各网格本轮进度") != nil)
      try session.send("Enter")
      try #require(session.waitFor("逐户录入") != nil)
      try type(session, Array(repeating: "Down", count: row) + ["Enter"])
      try #require(session.waitFor("户主 \(household.head)") != nil, "the form did not open")
      try type(session, Array(repeating: "y", count: 6) + ["n"])
      try #require(session.waitFor("隐患情况") != nil)
      try session.sendLiteral("厨房电线老化")
      try type(session, ["Enter", "C-u"])
      try session.sendLiteral("3")
      // Y: the rest of 隐患排查, then 消防器材与逃生; 房屋结构 1, 层数 2; Y: 宣传措施; signed.
      try type(session, ["Enter", "Y", "Y", "1", "2", "Y", "y", "C-s"])
      let saved = try #require(session.waitFor("已保存"), "the visit was not saved")
      #expect(saved.contains("发现隐患 1 处"))
      try type(session, ["Escape", "q"])
      #expect(session.exitStatus() == 0)
    }

    // 11-29: the hazard is overdue; 隐患整改 lists it and `n` opens its 复查.
    let session = try town.session(
      ["--operator", "李督查"], environment: ["FIREGRID_TODAY": "2026-11-29"])
    try #require(session.waitFor("网格户籍") != nil)
    try session.send("3")
    let due = try #require(session.waitFor("逾期1天"), "the overdue hazard is not listed")
    #expect(due.contains("厨房电线老化"))
    try session.send("n")
    try #require(session.waitFor("排查表（附件6）") != nil, "the form did not open")
    // Y for 三清三关 and the hazard checks; then the 复查 row, 已整改; Y for 消防器材与逃生 (the
    // house facts are the first visit's); Y for the measures; signed.
    try type(session, ["Y", "Y"])
    try #require(session.waitFor("复查 电气线路") != nil, "no 复查 row on the form")
    try type(session, ["y", "Y", "Y", "y", "C-s"])
    try #require(session.waitFor("已保存") != nil, "the re-inspection was not saved")
    try type(session, ["Escape"])
    #expect(session.waitFor("没有待复查或逾期的隐患") != nil)

    // The household history: both visits, the hazard's life, who entered what.
    try type(session, ["2", "Enter"] + Array(repeating: "Down", count: row) + ["h"])
    // Waits for a line low on the first page: a capture can catch a screen half drawn.
    var pages = try #require(session.waitFor("走访记录（2 次）"), "the history did not open")
    for _ in 0..<4 {
      try session.send("PageDown")
      usleep(200_000)
      pages += session.screen
    }
    let expected = [
      "户主 \(household.head)", "走访记录（2 次）", "2026-11-29", "2026-11-25",
      "电气线路：厨房电线老化  发现 11-25  限 11-28  已销号", "2026-11-25  发现隐患（限 2026-11-28）",
      "2026-11-29  复查已整改，销号", "王文书  录入走访", "李督查  隐患",
    ]
    // Named one by one: a failure says which line of the history is missing.
    let missing = expected.filter { !pages.contains($0) }
    #expect(missing.isEmpty, "missing from the history: \(missing)")
    try type(session, ["Escape", "q"])
    #expect(session.exitStatus() == 0)
  }

  /// 打印 in the real binary: a grid's cards saved as a PDF from the app; a printer that does
  /// not exist leaves the PDF saved and says so.
  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    arguments: StoreUnderTest.available)
  func printingAGridsCardsFromTheApp(on store: StoreUnderTest) throws {
    let town = try store.town(from: try EndToEndTests.makeDemo(households: 40))
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-e2e-prints-\(UUID().uuidString)")
    defer {
      town.remove()
      try? FileManager.default.removeItem(at: output)
    }
    let households = try Self.firstGrid(in: town.folder).count
    let session = try town.session(["--operator", "王文书"])
    try #require(session.waitFor("网格户籍") != nil)
    try type(session, ["5", "Enter"])
    try #require(session.waitFor("打印内容") != nil, "the print form did not open")
    try type(session, ["Tab", "Tab", "Tab", "Tab", "C-u"])
    try session.sendLiteral("no-such-printer")
    try type(session, ["Tab", "C-u"])
    try session.sendLiteral(output.path)
    try type(session, ["C-s"])
    try #require(session.waitFor("共 \(households) 页") != nil, "no page count")
    try session.send("y")
    let result = try #require(session.waitFor("PDF 已保存"), "no result")
    #expect(result.contains("未能打印"))
    let files = try FileManager.default.contentsOfDirectory(atPath: output.path)
    #expect(files.count == 1)
    #expect(files.first?.hasPrefix("明白卡") == true)
    let mode = try FileManager.default.attributesOfItem(atPath: output.path)[.posixPermissions]
    #expect(mode as? Int == 0o700)
    try session.send("q")
    #expect(session.exitStatus() == 0)
  }
}

/// The trust issue's cases 1 and 2 in the real binary: a household's own visitor is offered
/// (never the carried one), and dates outside the campaign or later than today are refused.
@Suite(.serialized)
struct VisitRulesEndToEndTests {
  struct Row {
    var gridIndex: Int
    var number: String
    var head: String
    var vulnerable: Bool
    var visitorID: String
  }

  /// Every household as the batch screens list them: grids in town order, 户号 within.
  static func rows(in folder: URL) throws -> (rows: [Row], visitors: [String: String]) {
    let town =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: folder.appendingPathComponent("town.json"))) as! [String: Any]
    let grids = (town["grids"] as! [[String: Any]]).map { $0["id"] as! String }
    var visitors: [String: String] = [:]
    for visitor in town["visitors"] as! [[String: Any]] {
      visitors[visitor["id"] as! String] = visitor["name"] as? String
    }
    let householdFolder = folder.appendingPathComponent("households")
    var rows: [Row] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: householdFolder.path) {
      let file =
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: householdFolder.appendingPathComponent(name))) as! [String: Any]
      let household = file["household"] as! [String: Any]
      let persons = household["persons"] as! [[String: Any]]
      let head = persons.first { $0["relation"] as? String == "户主" } ?? persons[0]
      rows.append(
        Row(
          gridIndex: grids.firstIndex(of: household["gridID"] as! String) ?? 0,
          number: household["number"] as! String, head: head["name"] as! String,
          vulnerable: persons.contains { !(($0["groups"] as? [String]) ?? []).isEmpty },
          visitorID: household["visitorID"] as? String ?? ""))
    }
    return (rows.sorted { ($0.gridIndex, $0.number) < ($1.gridIndex, $1.number) }, visitors)
  }

  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    arguments: StoreUnderTest.available)
  func theHouseholdsVisitorIsOfferedAndOtherWintersDatesAreRefused(on store: StoreUnderTest)
    throws
  {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-e2e-rules-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let environment = ["FIREGRID_TODAY": "2026-12-10"]
    let (status, _, err) = try EndToEndTests.run(
      ["demo", "--data", folder.path, "--households", "60", "--seed", "7", "--roster-only"],
      environment: environment)
    try #require(status == 0, "demo failed: \(err)")
    let (rows, visitors) = try Self.rows(in: folder)
    let first = rows[0]
    let other = try #require(
      rows.first { $0.gridIndex > 0 && $0.visitorID != first.visitorID && !$0.visitorID.isEmpty },
      "no household of another visitor in another grid")
    let otherGridRows = rows.filter { $0.gridIndex == other.gridIndex }
    let otherRow = try #require(otherGridRows.firstIndex { $0.number == other.number })
    let otherName = try #require(visitors[other.visitorID])

    let town = try store.town(from: folder, today: environment["FIREGRID_TODAY"])
    defer { town.remove() }
    let session = try town.session(["--operator", "王文书"], environment: environment)
    try #require(session.waitFor("网格户籍") != nil, "the app did not start")
    try session.send("2")
    try #require(session.waitFor("各网格本轮进度") != nil)
    try session.send("Enter")
    try #require(session.waitFor("逐户录入") != nil)
    try session.send("Enter")
    try #require(session.waitFor("户主 \(first.head)") != nil, "the form did not open")

    // Case 2: 12-25 is this winter's, later than today; 2024-12-05 is another winter's.
    try session.send("Up", "Up", "Up", "C-u")
    try session.sendLiteral("12-25")
    try session.send("Down")
    #expect(session.waitFor("日期不能晚于今天（2026-12-10）") != nil)
    try session.send("Up", "C-u")
    try session.sendLiteral("2024-12-05")
    try session.send("Down")
    #expect(session.waitFor("不能早于 2026-11-20") != nil)
    try session.send("Up", "C-u")
    try session.sendLiteral("12-08")
    try session.send("Down", "Down", "Down")
    // Y per section, the house facts (1 木, 2 2层), the signature.
    for key in ["Y", "Y", "Y", "1", "2", "Y", "y", "C-s"] { try session.send(key) }
    try #require(session.waitFor("已保存") != nil, "the visit was not saved")

    // Case 1: another grid's household of another visitor offers that visitor.
    try session.send("Escape", "Escape")
    try #require(session.waitFor("各网格本轮进度") != nil)
    for _ in 0..<other.gridIndex { try session.send("Down") }
    try session.send("Enter")
    try #require(session.waitFor("逐户录入") != nil)
    for _ in 0..<otherRow { try session.send("Down") }
    try session.send("Enter")
    try #require(session.waitFor("户主 \(other.head)") != nil, "the other form did not open")
    // The form's help bar is its lowest line: once it is there the form is drawn whole.
    let form = try #require(session.waitFor("保存下一户"))
    let visitorLine = form.split(separator: "\n").first { $0.contains("走访人 <") } ?? ""
    #expect(visitorLine.contains(otherName), "offered: \(visitorLine)")
    try session.send("Escape")
    try session.send("q")
    #expect(session.exitStatus() == 0)
  }
}
