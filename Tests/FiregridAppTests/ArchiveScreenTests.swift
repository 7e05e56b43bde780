import FiregridModel
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// The app over a real store: operator question, damaged files, read-only folder.
@Suite(.serialized)
struct ArchiveScreenTests {
  static let clock = TownStore.Clock(
    today: { "2026-11-29" }, now: { "2026-11-29T10:00:00+08:00" })

  static func folderWithTown() throws -> DataFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-archive-\(UUID().uuidString)")
    let folder = DataFolder(url: url)
    try folder.create(ScreenTesting.smallTown())
    return folder
  }

  static func loginState(_ folder: DataFolder) -> AppState {
    AppState(
      loginFor: folder.url.path, lastOperator: folder.lastOperator, today: ScreenTesting.today,
      size: Size(columns: 80, rows: 24))
  }

  @Test func theOperatorIsAskedOnceAndRemembered() throws {
    let folder = try Self.folderWithTown()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.enter])  // empty name: refused
    terminal.type("张文员")
    terminal.type([.enter])
    let runner = AppRunner(
      state: Self.loginState(folder), terminal: terminal, folder: folder, clock: Self.clock)
    runner.run()
    #expect(runner.state.operatorName == "张文员")
    #expect(terminal.screenText.contains("操作员:张文员"))
    #expect(terminal.screenText.contains("龙潭村"))
    #expect(folder.lastOperator == "张文员")
    // Next start: the name is offered; Enter accepts it.
    let again = VirtualTerminal(size: Size(columns: 80, rows: 24))
    let first = AppRunner(
      state: Self.loginState(folder), terminal: again, folder: folder, clock: Self.clock)
    first.run()
    #expect(again.screenText.contains("张文员"))
    #expect(again.screenText.contains("请确认操作员"))
  }

  @Test func emptyOperatorNameIsRefused() throws {
    let folder = try Self.folderWithTown()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.enter])
    let runner = AppRunner(
      state: Self.loginState(folder), terminal: terminal, folder: folder, clock: Self.clock)
    runner.run()
    #expect(terminal.screenText.contains("请填写操作员姓名"))
    guard case .login = runner.state.mode else {
      Issue.record("a town was opened without an operator name")
      return
    }
  }

  @Test func aDamagedHouseholdIsShownAndRestoredFromItsBackup() throws {
    let folder = try Self.folderWithTown()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    // A first save today takes the daily backup; then the file is damaged by hand.
    let store = try TownStore.open(folder: folder, operatorName: "甲", clock: Self.clock)
    var household = store.town.households[1]
    household.address = "三江镇龙潭村1组2号（已核实）"
    try store.saveHousehold(household)
    store.close()
    let file = folder.url.appendingPathComponent("households/h000003.json")
    try Data("{\"schemaVersion\": 2, \"household\": {\"id\": ".utf8).write(to: file)

    let reopened = try TownStore.open(folder: folder, operatorName: "乙", clock: Self.clock)
    #expect(reopened.damaged.map(\.label) == ["households/h000003.json"])
    var state = ScreenTesting.mainState()
    AppRunner.present(reopened, in: &state)
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.character("D")])
    let runner = AppRunner(
      state: state, terminal: terminal, folder: folder, store: reopened, clock: Self.clock)
    runner.run()
    let listing = terminal.screenText
    #expect(listing.contains("households/h000003.json"))
    #expect(listing.contains("可恢复自：2026-11-29 的备份"))

    // The damaged household cannot be saved over.
    var damagedHousehold = ScreenTesting.smallTown().households[2]
    damagedHousehold.address = "覆盖"
    #expect(throws: StoreError.self) { try reopened.saveHousehold(damagedHousehold) }

    // The runner closed its store when it ended: the next one opens the folder again.
    let third = try TownStore.open(folder: folder, operatorName: "乙", clock: Self.clock)
    let restoreTerminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    restoreTerminal.type([.enter, .character("y")])
    let restoreRunner = AppRunner(
      state: runner.state, terminal: restoreTerminal, folder: folder, store: third,
      clock: Self.clock)
    restoreRunner.run()
    #expect(restoreTerminal.screenText.contains("已用2026-11-29 的备份恢复"))
    #expect(restoreRunner.state.damaged.isEmpty)
    let loaded = try folder.load()
    #expect(loaded.households.count == 16)
    // The damaged bytes were kept aside, not deleted.
    let kept = try FileManager.default.contentsOfDirectory(
      atPath: folder.url.appendingPathComponent("households").path
    ).filter { $0.contains("damaged") }
    #expect(kept.count == 1)
  }

  /// A household file deleted outside the program: `D` compares the files with the journal,
  /// lists it as missing, and restores it (from the journal: it was saved today).
  @Test func dFindsAMissingHouseholdAndRestoresItFromTheJournal() throws {
    let folder = try Self.folderWithTown()
    defer { try? FileManager.default.removeItem(at: folder.url) }
    let store = try TownStore.open(folder: folder, operatorName: "甲", clock: Self.clock)
    var household = store.town.households[2]
    household.address = "今天改过的地址"
    try store.saveHousehold(household)
    store.close()
    let file = folder.url.appendingPathComponent("households/\(household.id).json")
    let saved = try Data(contentsOf: file)
    try FileManager.default.removeItem(at: file)

    let reopened = try TownStore.open(folder: folder, operatorName: "乙", clock: Self.clock)
    #expect(reopened.damaged.isEmpty)  // a missing file is not found by opening alone
    var state = ScreenTesting.mainState()
    AppRunner.present(reopened, in: &state)
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.character("D"), .enter, .character("y")])
    let runner = AppRunner(
      state: state, terminal: terminal, folder: folder, store: reopened, clock: Self.clock)
    runner.run()
    #expect(terminal.screenText.contains("恢复 households/\(household.id).json"))
    #expect(try Data(contentsOf: file) == saved)
    #expect(try folder.load().households.contains { $0.address == "今天改过的地址" })
  }
}
