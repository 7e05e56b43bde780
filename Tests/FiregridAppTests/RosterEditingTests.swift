import FiregridModel
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// Roster editing by keystrokes, checked in the files the store wrote.
@Suite(.serialized)
struct RosterEditingTests {
  static let clock = TownStore.Clock(
    today: { "2026-11-29" }, now: { "2026-11-29T10:00:00+08:00" })

  /// Runs `script` against the small town in a fresh folder; returns the runner and folder.
  static func run(_ script: (VirtualTerminal) -> Void) throws -> (AppRunner, VirtualTerminal, URL) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-edit-\(UUID().uuidString)")
    let folder = DataFolder(url: url)
    try folder.create(ScreenTesting.smallTown())
    let store = try TownStore.open(folder: folder, operatorName: "测试员", clock: clock)
    var state = ScreenTesting.mainState()
    AppRunner.present(store, in: &state)
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    script(terminal)
    let runner = AppRunner(
      state: state, terminal: terminal, folder: folder, store: store, clock: clock)
    runner.run()
    return (runner, terminal, url)
  }

  static func household(_ url: URL, number: String) throws -> Household? {
    try DataFolder(url: url).load().households.first { $0.number == number }
  }

  @Test func addAHouseholdWithTwoPersonsByKeys() throws {
    let head = ScreenTesting.idNumber("19700315", "051")
    let (runner, terminal, url) = try Self.run {
      $0.type([.enter, .down, .enter, .character("a")])  // 龙潭村 → 第2网格 → add
      $0.type([.tab])
      $0.type("三江镇龙潭村4组17号")
      $0.type([.control("s")])
      $0.type([.enter, .character("a")])  // open the new household, add its head
      $0.type("邹新华")
      $0.type([.tab, .tab])
      $0.type(head)
      $0.type([.tab, .tab])
      $0.type("13907451717")
      $0.type([.tab])
      $0.type("2")
      $0.type([.control("s")])
      $0.type([.character("a")])  // a second person: relation defaults to 配偶
      $0.type("舒小红")
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let saved = try #require(try Self.household(url, number: "0017"))
    #expect(saved.gridID == "g0002")
    #expect(saved.address == "三江镇龙潭村4组17号")
    #expect(saved.visitorID == "u001")  // the grid's usual visitor is offered
    #expect(saved.persons.map(\.name) == ["邹新华", "舒小红"])
    #expect(saved.persons[0].relation == "户主")
    #expect(saved.persons[0].idNumber == head)
    #expect(saved.persons[0].sex == .male)
    #expect(saved.persons[0].groups == [.elderlyLivingAlone])
    #expect(saved.persons[1].relation == "配偶")
    #expect(terminal.screenText.contains("舒小红"))
    #expect(runner.state.message == "已保存。")
    let audit = try AuditLog.entries(folder: url, record: "household/\(saved.id)")
    #expect(audit.count >= 3)
    #expect(audit.allSatisfy { $0.operatorName == "测试员" })
  }

  @Test func aBadIDNumberIsSaidInChineseAndNothingIsLost() throws {
    var bad = ScreenTesting.idNumber("19700315", "051")
    bad.removeLast()
    bad.append(bad.last == "1" ? "2" : "1")
    let (runner, terminal, url) = try Self.run {
      $0.type([.enter, .enter, .enter, .character("a")])
      $0.type("向阳")
      $0.type([.tab, .tab])
      $0.type(bad)
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("校验码错误"))
    #expect(terminal.screenText.contains("向阳"))
    // While a form is open the help bar shows the form's keys.
    #expect(terminal.frame.textLines.last?.contains("Shift-Tab 上一项") == true)
    #expect(runner.state.hasUnsavedChanges)
    #expect(try Self.household(url, number: "0001")?.persons.count == 2)
  }

  @Test func aDuplicateIDNumberIsRefusedNamingTheHousehold() throws {
    let existing = ScreenTesting.smallTown().households[3].persons[0]
    let (_, terminal, url) = try Self.run {
      $0.type([.enter, .enter, .enter, .character("a")])
      $0.type("另一人")
      $0.type([.tab, .tab])
      $0.type(existing.idNumber)
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("户号 0004"))
    #expect(try Self.household(url, number: "0001")?.persons.count == 2)
  }

  @Test func editMoveAndArchiveAHousehold() throws {
    let (runner, _, url) = try Self.run {
      $0.type([.enter, .enter, .down, .character("e"), .tab])  // 0002: edit address
      $0.type([.control("u")])
      $0.type("三江镇龙潭村1组2号之一")
      $0.type([.control("s")])
      $0.type([.character("M"), .control("s")])  // move 0002 to the first other grid
      $0.type([.down, .character("x"), .character("y")])  // archive what is now second
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let moved = try #require(try Self.household(url, number: "0002"))
    #expect(moved.address == "三江镇龙潭村1组2号之一")
    #expect(moved.gridID == "g0002")
    #expect(try Self.household(url, number: "0004") == nil)  // 0003 moved up; 0004 archived
    #expect(
      FileManager.default.fileExists(
        atPath: url.appendingPathComponent("archive/households/h000004.json").path))
    #expect(runner.state.message == "已保存。")
  }

  @Test func aFullGridRefusesAnotherHousehold() throws {
    var town = ScreenTesting.smallTown()
    for n in 17...20 {
      town.households.append(
        Household(id: String(format: "h%06d", n), gridID: "g0001", number: String(n), address: ""))
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-full-grid-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = DataFolder(url: url)
    try folder.create(town)
    let store = try TownStore.open(folder: folder, operatorName: "测试员", clock: Self.clock)
    var state = ScreenTesting.mainState()
    AppRunner.present(store, in: &state)
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.enter, .enter, .character("a"), .control("s")])
    AppRunner(state: state, terminal: terminal, folder: folder, store: store, clock: Self.clock)
      .run()
    #expect(terminal.screenText.contains("不能超过15户"))
    #expect(try folder.load().households(inGrid: "g0001").count == 15)
  }

  @Test func aNonEmptyGridCannotBeDeletedAndEscapeAsksBeforeDiscarding() throws {
    let (runner, terminal, url) = try Self.run {
      $0.type([.enter, .character("x")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("请先把住户移到其他网格"))
    #expect(!runner.state.hasOverlay)
    let (discard, _, url2) = try Self.run {
      $0.type([.character("a")])
      $0.type("新村")
      $0.type([.escape])
    }
    defer { try? FileManager.default.removeItem(at: url2) }
    guard discard.state.overlay(ConfirmOverlay.self) != nil else {
      Issue.record("escape with typed text did not ask")
      return
    }
  }
}

@Suite(.serialized)
struct VisitorsAndVulnerableTests {
  @Test func visitorsViewListsHouseholdsAndTheUnassignedFirst() throws {
    let (runner, terminal, url) = try RosterEditingTests.run {
      $0.type([.character("V"), .character("a")])
      $0.type("陈宗欢")
      $0.type([.tab, .right, .tab])  // role: the next option
      $0.type("13907459999")
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("陈宗欢"))
    #expect(terminal.screenText.contains("肖煜中"))
    let saved = try DataFolder(url: url).load().visitors
    #expect(saved.map(\.name) == ["肖煜中", "陈宗欢"])
    #expect(saved[1].role == VisitorRole.allCases[1])
    #expect(runner.state.message == "已保存。")

    // Assign the new visitor to 第2网格 (W on the grid list), then see it in the visitors view.
    let store = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "测试员", clock: RosterEditingTests.clock)
    var state = ScreenTesting.mainState()
    AppRunner.present(store, in: &state)
    let second = VirtualTerminal(size: Size(columns: 80, rows: 24))
    second.type([.enter, .down, .character("W"), .right, .control("s"), .character("V")])
    AppRunner(
      state: state, terminal: second, folder: DataFolder(url: url), store: store,
      clock: RosterEditingTests.clock
    ).run()
    let households = try DataFolder(url: url).load().households(inGrid: "g0002")
    #expect(households.allSatisfy { $0.visitorID == saved[1].id })
    #expect(second.screenText.contains("龙潭村第2网格"))
  }

  @Test func householdsWithoutAVisitorAreListedAsAWarning() throws {
    var town = ScreenTesting.smallTown()
    town.households[2].visitorID = nil
    var state = AppState(
      town: town, operatorName: "测试员", today: ScreenTesting.today,
      size: Size(columns: 80, rows: 24), dataPath: "/tmp/x")
    _ = state.update(.key(.character("V")))
    let (buffer, _) = AppView.render(state)
    let text = buffer.textLines.joined(separator: "\n")
    #expect(text.contains("（未指定走访人）"))
    #expect(text.contains("这些户还没有走访人"))
    _ = state.update(.key(.enter))
    let (list, _) = AppView.render(state)
    #expect(list.textLines.joined(separator: "\n").contains("向建国"))
  }

  @Test func vulnerableListPutsElderlyLivingAloneFirstAndMasksHealth() throws {
    let (_, terminal, _) = ScreenTesting.run(
      ScreenTesting.mainState(),
      folder: DataFolder(url: URL(fileURLWithPath: "/nonexistent"))
    ) {
      $0.type([.character("Z")])
    }
    ScreenTesting.expectScreen(terminal, "vulnerable")
    let lines = terminal.frame.textLines
    let first = try #require(lines.firstIndex { $0.contains("舒建国") })
    let second = try #require(lines.firstIndex { $0.contains("邹桂英") })
    #expect(first < second)  // 独居老人 before the others
    #expect(!terminal.screenText.contains("残疾人"))
    let (_, revealed, _) = ScreenTesting.run(
      ScreenTesting.mainState(),
      folder: DataFolder(url: URL(fileURLWithPath: "/nonexistent"))
    ) {
      $0.type([.character("Z"), .character("m")])
    }
    #expect(revealed.screenText.contains("残疾人"))
  }
}

@Suite(.serialized)
struct InAppImportTests {
  static func csv(badRow: Bool) -> String {
    var lines = ["村（社区）,网格,网格长,户号,姓名,与户主关系,性别,身份证号,联系电话,家庭住址,重点人群"]
    for n in 1...5 {
      let first17 = "431224" + "1966020" + String(n) + "53" + String(n)
      var id = first17 + String(IDNumber.checkDigit(for: first17)!)
      if badRow && n == 3 { id = first17 + (id.last == "1" ? "2" : "1") }
      lines.append(
        "新田村,第1网格,向新一,\(100 + n),向新\(["一", "二", "三", "四", "五"][n - 1]),户主,男,\(id),,新田村\(n)号,")
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  static func write(_ text: String) throws -> URL {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-import-\(UUID().uuidString).csv")
    try Data(text.utf8).write(to: file)
    return file
  }

  @Test func aGoodFileIsCheckedThenImportedOnConfirmation() throws {
    let file = try Self.write(Self.csv(badRow: false))
    defer { try? FileManager.default.removeItem(at: file) }
    let (runner, terminal, url) = try RosterEditingTests.run {
      $0.type([.character("I")])
      $0.type(file.path)
      $0.type([.enter, .character("y")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let town = try DataFolder(url: url).load()
    #expect(town.villages.map(\.name).contains("新田村"))
    #expect(town.households.filter { $0.address.hasPrefix("新田村") }.count == 5)
    #expect(terminal.screenText.contains("新田村"))
    #expect(!runner.state.hasOverlay)
  }

  @Test func aFileWithABadRowListsItAndWritesNothing() throws {
    let file = try Self.write(Self.csv(badRow: true))
    defer { try? FileManager.default.removeItem(at: file) }
    let (_, terminal, url) = try RosterEditingTests.run {
      $0.type([.character("I")])
      $0.type(file.path)
      $0.type([.enter])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("第4行"))
    #expect(terminal.screenText.contains("全部未导入"))
    #expect(!(try DataFolder(url: url).load().villages.map(\.name).contains("新田村")))
  }

  /// A pop-up form hides the list behind it whole: nothing of it shows at the left edge (the
  /// "0" of 户号 0001 was drawn down the first column).
  @Test func aPopUpFormLeavesNothingOfTheListBehindIt() throws {
    let (_, terminal, url) = try RosterEditingTests.run {
      $0.type([.enter, .enter, .character("a")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let body = terminal.screenText.split(separator: "\n", omittingEmptySubsequences: false)
      .dropFirst(3).dropLast(2)
    #expect(!body.isEmpty)
    #expect(body.allSatisfy { !$0.hasPrefix(" 0") }, "\(terminal.screenText)")
  }
}
