import FiregridModel
import Foundation
import Testing

/// The real binary, as a clerk meets it: a demo folder, the roster in tmux at 80×24,
/// navigation, resizing, quitting with the terminal restored.
@Suite(.serialized)
struct EndToEndTests {
  /// Runs the binary to completion with pipes (no terminal); returns (status, stdout, stderr).
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (
    Int32, String, String
  ) {
    let process = Process()
    process.executableURL = TmuxSession.binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    // The same day as the tmux sessions, so dates in demo data and counts do not drift.
    env["FIREGRID_TODAY"] = "2026-11-29"
    env.merge(environment) { _, new in new }
    process.environment = env
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

  /// A demo folder; `premises: false` leaves its premises out (homes only).
  static func makeDemo(households: Int = 120, premises: Bool = true) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-e2e-\(UUID().uuidString)")
    let (status, _, err) = try run(
      [
        "demo", "--data", folder.path, "--households", "\(households)", "--seed", "7",
      ] + (premises ? [] : ["--no-premises"]))
    #expect(status == 0, "demo failed: \(err)")
    return folder
  }

  /// The first village, its first grid and that grid's first household head, read from the
  /// files the demo wrote (not from the app), so the screen is checked against the data.
  static func firstHousehold(in folder: URL) throws -> (village: String, grid: String, head: String)
  {
    let town =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: folder.appendingPathComponent("town.json"))) as! [String: Any]
    let village = (town["villages"] as! [[String: Any]])[0]
    let grid = (town["grids"] as! [[String: Any]]).first {
      $0["villageID"] as? String == village["id"] as? String
    }!
    let householdFolder = folder.appendingPathComponent("households")
    var candidates: [(String, String)] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: householdFolder.path) {
      let file =
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: householdFolder.appendingPathComponent(name))) as! [String: Any]
      let household = file["household"] as! [String: Any]
      guard household["gridID"] as? String == grid["id"] as? String else { continue }
      let persons = household["persons"] as! [[String: Any]]
      let head = persons.first { $0["relation"] as? String == "户主" } ?? persons[0]
      candidates.append((household["number"] as! String, head["name"] as! String))
    }
    let first = candidates.sorted { $0.0 < $1.0 }[0]
    return (village["name"] as! String, grid["name"] as! String, first.1)
  }

  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    arguments: StoreUnderTest.available)
  func rosterNavigationResizeAndQuit(on store: StoreUnderTest) throws {
    let town = try store.town(from: try Self.makeDemo())
    defer { town.remove() }
    let expected = try Self.firstHousehold(in: town.folder)
    let session = try town.session(["--operator", "测试员"])

    let start = try #require(
      session.waitFor(expected.village), "roster did not show \(expected.village)")
    #expect(start.contains("三江镇"))
    #expect(start.contains("操作员:测试员"))
    #expect(start.contains("2026-11-29"))
    #expect(start.contains("网格户籍"))

    try session.send("Enter")
    #expect(session.waitFor(expected.grid) != nil)
    try session.send("Enter")
    #expect(session.waitFor(expected.head) != nil)
    try session.send("Enter")
    // "关系" heads the members' table, which only the household's own page has.
    let household = try #require(session.waitFor("关系"))
    #expect(household.contains(expected.head))
    #expect(household.contains("户主"))

    try session.resize(columns: 120, rows: 40)
    #expect(session.waitFor(expected.head) != nil)
    #expect(session.display("#{window_width}x#{window_height}") == "120x40")
    try session.resize(columns: 30, rows: 8)
    let small = try #require(session.waitFor("窗口太小"))
    #expect(small.contains("30x8"))
    try session.resize(columns: 80, rows: 24)
    #expect(session.waitFor(expected.head) != nil)

    try session.send("Escape")
    #expect(session.waitFor(expected.grid) != nil)
    try session.send("q")
    #expect(session.exitStatus() == 0)
    #expect(session.waitFor("程序已退出") != nil)
    #expect(session.display("#{alternate_on}") == "0", "the terminal was not restored")
  }

  /// On a database a crash (SEGV, ABRT) leaves the town's lock to the server, which frees it
  /// a moment after the connection is gone: the next session may open read-only, which is
  /// enough here (it waits for the roster).
  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    arguments: StoreUnderTest.available)
  func controlCAndSignalsRestoreTheTerminal(on store: StoreUnderTest) throws {
    let town = try store.town(from: try Self.makeDemo(households: 30))
    defer { town.remove() }
    let village = try Self.firstHousehold(in: town.folder).village

    let interrupted = try town.session(["--operator", "测试员"])
    #expect(interrupted.waitFor(village) != nil)
    try interrupted.send("C-c")
    #expect(interrupted.exitStatus() == 130)
    #expect(interrupted.display("#{alternate_on}") == "0")

    // SIGTERM/SIGHUP/SIGINT end the run loop cleanly; SIGSEGV and SIGABRT stand for a crash:
    // the terminal is restored and the process dies of the signal (the shell reports 128+N).
    for (signal, name) in [
      (SIGTERM, "TERM"), (SIGHUP, "HUP"), (SIGINT, "INT"), (SIGSEGV, "SEGV"), (SIGABRT, "ABRT"),
    ] {
      let session = try town.session(["--operator", "测试员"])
      #expect(session.waitFor(village) != nil)
      let pid = session.display("#{pane_pid}")
      // The pane runs sh, whose child is firegrid: signal the child.
      let (_, children, _) = try Self.shell("pgrep -P \(pid) firegrid")
      let child = try #require(
        Int32(children.split(separator: "\n").first ?? ""), "no firegrid under \(pid)")
      kill(child, signal)
      #expect(session.exitStatus() == 128 + signal, "SIG\(name)")
      #expect(session.waitFor("程序已退出") != nil)
      #expect(session.display("#{alternate_on}") == "0", "SIG\(name) left the terminal unrestored")
    }
  }

  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    arguments: StoreUnderTest.available)
  func helpAndSectionsAndFilter(on store: StoreUnderTest) throws {
    let town = try store.town(from: try Self.makeDemo(households: 60))
    defer { town.remove() }
    let expected = try Self.firstHousehold(in: town.folder)
    // Without --operator the app asks who is working first.
    let session = try town.session()
    #expect(session.waitFor("请确认操作员") != nil)
    try session.sendLiteral("周湘中")
    try session.send("Enter")
    let opened = try #require(session.waitFor(expected.village))
    #expect(opened.contains("操作员:周湘中"))
    try session.send("F1")
    #expect(session.waitFor("帮助") != nil)
    try session.send("Escape")
    try session.send("4")
    // Waits for a line low on the screen: a capture can catch the screen half drawn.
    let stats = try #require(session.waitFor("独居老人"))
    #expect(stats.contains("全镇概况"))
    #expect(stats.contains("本轮未走访（户）"))
    try session.send("1", "Enter", "f")
    try session.sendLiteral(String(expected.grid.suffix(3)))
    #expect(session.waitFor("筛选:") != nil)
    try session.send("Enter", "Enter")
    #expect(session.waitFor(expected.head) != nil)
    try session.send("C-c")
    #expect(session.exitStatus() == 130)
  }

  /// The first run: a new folder, or a town id the database does not hold yet. The setup
  /// screen creates the town there, and the next start opens it.
  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    arguments: StoreUnderTest.available)
  func firstRunSetupCreatesTheTown(on store: StoreUnderTest) throws {
    let town = try store.newTown(
      at: FileManager.default.temporaryDirectory
        .appendingPathComponent("firegrid-e2e-new-\(UUID().uuidString)"))
    defer { town.remove() }
    let session = try town.session(["--operator", "陈宗欢"])
    let setup = try #require(session.waitFor("首次使用"))
    // Where the town will be: the folder's path, or the database's URL and town id.
    #expect(setup.contains("数据位置："))
    // Saving without a name is refused with a message; nothing is written.
    try session.send("C-s")
    #expect(session.waitFor("请填写镇名称") != nil)
    let unsaved = try town.readableFolder().map(Self.townFile)
    #expect(unsaved.map { !FileManager.default.fileExists(atPath: $0.path) } ?? true)
    try session.sendLiteral("白云镇")
    try session.send("Tab")
    try session.sendLiteral("溆浦县")
    try session.send("Tab")
    try session.sendLiteral("43122")
    try session.send("C-s")
    #expect(session.waitFor("区划代码应为6位数字") != nil)
    try session.send("BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
    try session.sendLiteral("431224")
    try session.send("C-s")
    let created = try #require(session.waitFor("已建立本镇数据"))
    #expect(created.contains("白云镇"))
    try session.send("q")
    #expect(session.exitStatus() == 0)
    let folder = try #require(try town.readableFolder(), "the town was not created")
    let file = Self.townFile(in: folder)
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains("白云镇"))
    #expect(text.contains("431224"))
    // The folder's own file; on the database, the export's.
    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions]
    #expect(mode as? Int == 0o600)

    // The next start opens the town, not the setup again.
    let reopened = try town.session(["--operator", "陈宗欢"])
    let roster = try #require(reopened.waitFor("网格户籍"), "the town did not open")
    #expect(roster.contains("白云镇"))
    #expect(!roster.contains("首次使用"))
    try reopened.send("q")
    #expect(reopened.exitStatus() == 0)
  }

  static func townFile(in folder: URL) -> URL { folder.appendingPathComponent("town.json") }

  /// A household with two persons added by keys, found with / by pinyin initials after a
  /// restart.
  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    arguments: StoreUnderTest.available)
  func addAHouseholdThenFindItByPinyinAfterReopening(on store: StoreUnderTest) throws {
    let town = try store.town(from: try Self.makeDemo(households: 40))
    defer { town.remove() }
    let expected = try Self.firstHousehold(in: town.folder)
    let first17 = "431224" + "19851203" + "702"
    let idNumber = first17 + String(IDNumber.checkDigit(for: first17)!)
    let session = try town.session(["--operator", "测试员"])
    #expect(session.waitFor(expected.village) != nil)
    try session.send("Enter", "Enter", "a")
    #expect(session.waitFor("新增住户") != nil)
    try session.send("Tab")
    try session.sendLiteral("三江镇测试路99号")
    try session.send("C-s")
    #expect(session.waitFor("已保存") != nil)
    try session.send("Enter", "a")
    #expect(session.waitFor("新增家庭成员") != nil)
    try session.sendLiteral("覃晓梅")
    try session.send("Tab", "Tab")
    try session.sendLiteral(idNumber)
    try session.send("C-s")
    #expect(session.waitFor("覃晓梅") != nil)
    try session.send("a")
    #expect(session.waitFor("新增家庭成员") != nil)
    try session.sendLiteral("欧阳修")
    try session.send("C-s")
    #expect(session.waitFor("欧阳修") != nil)
    try session.send("q")
    #expect(session.exitStatus() == 0)

    let reopened = try town.session(["--operator", "测试员"])
    #expect(reopened.waitFor(expected.village) != nil)
    try reopened.send("/")
    #expect(reopened.waitFor("全镇查找") != nil)
    try reopened.sendLiteral("qxm")
    // Waits for the whole query's result: the search runs per keystroke, so "覃晓梅" is
    // already on screen after "q".
    let results = try #require(reopened.waitFor("拼音首字母 qxm"))
    #expect(results.contains("覃晓梅"))
    #expect(!results.contains(idNumber))
    try reopened.send("Enter")
    let household = try #require(reopened.waitFor("欧阳修"))
    #expect(household.contains("三江镇测试路99号"))
    try reopened.send("q")
    #expect(reopened.exitStatus() == 0)
  }

  @Test func refusesANonUTF8Terminal() throws {
    let folder = try Self.makeDemo(households: 10)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, _, err) = try Self.run(
      ["--data", folder.path], environment: ["LANG": "C", "LC_ALL": "C"])
    #expect(status == 2)
    #expect(err.contains("UTF-8"))
    #expect(err.contains("终端字符集不是 UTF-8"))
  }

  @Test func demoRefusesNonEmptyFolderAndSummaryCounts() throws {
    let folder = try Self.makeDemo(households: 50)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (again, _, err) = try Self.run(["demo", "--data", folder.path])
    #expect(again != 0)
    #expect(err.contains("不是空的"))
    let (status, out, _) = try Self.run(["summary", "--data", folder.path, "--json"])
    #expect(status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
    let counts = json.compactMapValues { $0 as? Int }
    #expect(counts["households"] == 50)
    #expect((counts["villages"] ?? 0) >= 1)
    #expect((counts["persons"] ?? 0) >= 50)
    // The season the demo generated up to today (2026-11-29, round 1 nearly over).
    #expect(json["campaign"] as? String == "2026-27冬春火灾防控")
    #expect(json["round"] as? String == "第1轮（11-20至11-30）")
    #expect((counts["visits"] ?? 0) > 0)
    #expect(
      (counts["householdsVisitedInRound"] ?? 0) + (counts["householdsNotVisitedInRound"] ?? 0)
        == 50)
    #expect(
      (counts["hazardsOpen"] ?? 0) + (counts["hazardsAwaitingCheck"] ?? 0)
        + (counts["hazardsOverdue"] ?? 0) + (counts["hazardsClosed"] ?? 0)
        == counts["hazardsFound"])
    let (_, text, _) = try Self.run(["summary", "--data", folder.path])
    #expect(text.contains("户\t50"))
  }

  @Test func versionAndHelp() throws {
    let (status, out, _) = try Self.run(["--version"])
    #expect(status == 0)
    #expect(out.contains("0.1.0"))
    let (helpStatus, help, _) = try Self.run(["--help"])
    #expect(helpStatus == 0)
    #expect(help.contains("demo"))
    #expect(help.contains("summary"))
  }

  static func shell(_ command: String) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), "")
  }
}
