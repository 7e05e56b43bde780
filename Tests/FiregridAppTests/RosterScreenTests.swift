import FiregridModel
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

@Suite struct RosterScreenTests {
  let folder = DataFolder(url: URL(fileURLWithPath: "/nonexistent/firegrid-screen-tests"))

  @Test func villagesAtStart() {
    let (_, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) { _ in }
    ScreenTesting.expectScreen(terminal, "roster-villages")
  }

  @Test func gridsShowSizesAndLeaders() {
    let (_, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter])
    }
    ScreenTesting.expectScreen(terminal, "roster-grids")
    #expect(terminal.screenText.contains("第1网格 *"))  // 11 households: over the normal 10
  }

  @Test func householdsOfAGridThenOneHouseholdMasked() {
    let (_, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter, .enter])
    }
    ScreenTesting.expectScreen(terminal, "roster-households")
    let (_, detail, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter, .enter, .enter])
    }
    ScreenTesting.expectScreen(detail, "roster-household-masked")
    let text = detail.screenText
    #expect(text.contains("431224********"))
    #expect(!text.contains("残疾人"))  // health data masked
    #expect(text.contains("[已隐藏]"))
  }

  @Test func revealShowsSensitiveDataOnDemandOnly() {
    let (runner, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter, .enter, .enter, .character("m")])
    }
    ScreenTesting.expectScreen(terminal, "roster-household-revealed")
    let head = ScreenTesting.smallTown().households[0].persons[0]
    #expect(terminal.screenText.contains(head.idNumber))
    #expect(terminal.screenText.contains("残疾人"))
    #expect(runner.state.message?.contains("敏感") == true)
  }

  @Test func escapeGoesBackAndKeepsTheSelection() {
    let (_, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter, .enter, .down, .down, .enter, .escape])
    }
    ScreenTesting.expectScreen(terminal, "roster-back-to-households")
    // The third household (row 3 of the table, screen row 6) is still the selected one.
    #expect(terminal.frame[2, 6].style.reverse)
    #expect(!terminal.frame[2, 5].style.reverse)
  }

  @Test func jkMoveAndEndHomeJump() {
    let (_, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter, .enter, .character("j"), .character("j"), .character("k"), .end, .enter])
    }
    #expect(terminal.screenText.contains("户号 0011"))
  }

  @Test func fFiltersTheListAsYouTypeInChinese() {
    let (_, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter, .enter, .character("f")])
      $0.type("覃")
    }
    ScreenTesting.expectScreen(terminal, "roster-filter")
    #expect(terminal.cursor != nil)
    let (_, opened, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter, .enter, .character("f")])
      $0.type("覃")
      $0.type([.enter, .enter])
    }
    #expect(opened.screenText.contains("覃建国"))
    #expect(opened.screenText.contains("户号 0004"))
  }

  @Test func slashSearchesTheTownByPinyinInitialsAndJumps() {
    let (_, results, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("/")])
      $0.type("sjg")
    }
    ScreenTesting.expectScreen(results, "town-search")
    let (runner, opened, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("/")])
      $0.type("sjg")
      $0.type([.enter])
    }
    #expect(!runner.state.hasOverlay)
    #expect(opened.screenText.contains("三江镇 > 龙潭村 > 第1网格 > 0002 舒建国"))
    // Esc walks back up to the grid's households, with 0002 selected.
    let (_, back, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("/")])
      $0.type("sjg")
      $0.type([.enter, .escape])
    }
    #expect(back.screenText.contains("共 11 条"))
    #expect(back.frame[2, 5].style.reverse)
  }

  @Test func searchByIDNumberEndingNeverShowsTheWholeNumber() {
    let person = ScreenTesting.smallTown().households[4].persons[0]
    let (_, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("/")])
      $0.type(String(person.idNumber.suffix(4)))
    }
    #expect(terminal.screenText.contains(person.name))
    #expect(!terminal.screenText.contains(person.idNumber))
  }

  /// `i` on a village's grids: the grid's card, its leader's phone masked.
  @Test func gridCardShowsOneGrid() {
    let (runner, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter, .character("i")])
    }
    ScreenTesting.expectScreen(terminal, "grid-card")
    #expect(terminal.screenText.contains("住户 11 户"))
    #expect(!terminal.screenText.contains("13907450000"))
    #expect(runner.state.overlay(GridCardOverlay.self)?.gridID == "g0001")
  }

  @Test func helpIsGeneratedFromKeyBindings() {
    let (_, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.function(1)])
    }
    ScreenTesting.expectScreen(terminal, "help")
    let (runner, closed, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("?"), .escape])
    }
    #expect(!runner.state.hasOverlay)
    #expect(!closed.screenText.contains("按键一览"))
  }

  @Test func sectionsByNumberAndTab() {
    let (runner, terminal, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("4")])
    }
    ScreenTesting.expectScreen(terminal, "statistics")
    #expect(runner.state.section.rawValue == 3)
    let (tabbed, _, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.tab, .tab, .backTab])
    }
    #expect(tabbed.state.section.rawValue == 1)
  }

  @Test func tooSmallWindowAndRecovery() {
    let (_, small, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter])
      $0.resize(to: Size(columns: 30, rows: 8))
    }
    ScreenTesting.expectScreen(small, "too-small")
    let (_, back, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter])
      $0.resize(to: Size(columns: 30, rows: 8))
      $0.resize(to: Size(columns: 80, rows: 24))
    }
    ScreenTesting.expectScreen(back, "roster-grids")
    let (_, large, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter])
      $0.resize(to: Size(columns: 120, rows: 40))
    }
    ScreenTesting.expectScreen(large, "roster-grids-120x40")
  }

  @Test func quitAndControlC() {
    let (_, _, quit) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("q"), .character("x")])
    }
    #expect(quit == 0)
    let (_, _, interrupted) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.enter, .control("c")])
    }
    #expect(interrupted == 130)
    let (_, _, terminated) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.enqueue([.terminate(signal: 15)])
    }
    #expect(terminated == 143)
  }
}

@Suite struct SetupScreenTests {
  static func emptyFolder() -> DataFolder {
    DataFolder(
      url: FileManager.default.temporaryDirectory.appendingPathComponent(
        "firegrid-setup-\(UUID().uuidString)"))
  }

  static func setupState(_ folder: DataFolder) -> AppState {
    AppState(
      setupFor: folder.url.path, operatorName: "测试员", today: ScreenTesting.today,
      size: Size(columns: 80, rows: 24))
  }

  @Test func emptyNameIsRefusedWithAMessage() {
    let folder = Self.emptyFolder()
    let (_, terminal, _) = ScreenTesting.run(Self.setupState(folder), folder: folder) {
      $0.type([.control("s")])
    }
    #expect(terminal.screenText.contains("请填写镇名称"))
    #expect(folder.state == .empty)
  }

  @Test func savingCreatesTheTownAndOpensTheRoster() throws {
    let folder = Self.emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    let (runner, terminal, _) = ScreenTesting.run(Self.setupState(folder), folder: folder) {
      $0.type("白云镇")
      $0.type([.tab])
      $0.type("溆浦县")
      $0.type([.tab])
      $0.type("431224")
      $0.type([.control("s")])
    }
    #expect(terminal.screenText.contains("已建立本镇数据"))
    #expect(runner.state.town.town.name == "白云镇")
    let saved = try folder.load()
    #expect(saved.town == Town(name: "白云镇", county: "溆浦县", countyCode: "431224"))
  }

  @Test func quittingWithTypedTextAsksFirst() {
    // A fixed path: it is shown on the screen that is compared. Nothing is written there.
    let folder = DataFolder(url: URL(fileURLWithPath: "/tmp/firegrid-setup-screen-test"))
    let (runner, terminal, status) = ScreenTesting.run(Self.setupState(folder), folder: folder) {
      $0.type("白云")
      $0.type([.escape])
    }
    ScreenTesting.expectScreen(terminal, "setup-confirm-quit")
    #expect(status == 0)
    #expect(runner.state.hasOverlay)
    let (cancelled, _, _) = ScreenTesting.run(Self.setupState(folder), folder: folder) {
      $0.type("白云")
      $0.type([.escape, .character("n")])
    }
    #expect(!cancelled.state.hasOverlay)
    #expect(cancelled.state.hasUnsavedChanges)
    let (_, _, confirmed) = ScreenTesting.run(Self.setupState(folder), folder: folder) {
      $0.type("白云")
      $0.type([.escape, .character("y"), .character("x")])
    }
    #expect(confirmed == 0)
  }

  @Test func aFailedSaveKeepsWhatWasTyped() throws {
    // A file where the folder should be: creating the town fails; the form keeps its values.
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-blocked-\(UUID().uuidString)")
    try Data("x".utf8).write(to: path)
    defer { try? FileManager.default.removeItem(at: path) }
    let folder = DataFolder(url: path.appendingPathComponent("data"))
    let (runner, terminal, _) = ScreenTesting.run(Self.setupState(folder), folder: folder) {
      $0.type("白云镇")
      $0.type([.control("s")])
    }
    #expect(terminal.screenText.contains("保存失败"))
    #expect(runner.state.hasUnsavedChanges)
    #expect(terminal.screenText.contains("白云镇"))
  }

  @Test func aFullDiskSaysSoAndKeepsTheFormForAnotherTry() throws {
    struct FullDisk: FileSystem {
      func writeAtomically(_ data: Data, to url: URL) throws(StoreError) {
        throw StoreError.diskFull(path: url.path)
      }
      func makeFolder(_ url: URL) throws(StoreError) {}
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-full-\(UUID().uuidString)")
    let folder = DataFolder(url: url, fileSystem: FullDisk())
    let (runner, terminal, _) = ScreenTesting.run(Self.setupState(folder), folder: folder) {
      $0.type("白云镇")
      $0.type([.control("s")])
      $0.type("乡")
    }
    #expect(terminal.screenText.contains("磁盘已满"))
    #expect(terminal.screenText.contains("白云镇乡"))
    #expect(runner.state.hasUnsavedChanges)
    #expect(!FileManager.default.fileExists(atPath: url.path))
  }
}
