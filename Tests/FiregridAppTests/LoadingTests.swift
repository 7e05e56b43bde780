import FiregridModel
import FiregridRepository
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// Draw first, load after: the first screen comes from the roster, the visits and the rest
/// arrive later; the roster answers meanwhile, the other sections say 正在载入, and keys for
/// them are kept and replayed in order, so the outcome is the same as on a town all loaded.
struct LoadingTests {
  static let size = Size(columns: 80, rows: 24)

  /// The small town with a visit to its first household (so its records are not empty).
  static func wholeTown() -> TownData {
    var town = ScreenTesting.smallTown()
    let visit = Visit(
      id: "h000001-v1", householdID: "h000001", date: ScreenTesting.today.adding(days: -3),
      visitorID: "u001", personsMet: "邹建国", answers: [:], notes: "", signed: true,
      formID: "residential-2024@1")
    town.visitRecords["h000001"] = VisitRecord(householdID: "h000001", visits: [visit])
    return town
  }

  static func rosterOnly(_ town: TownData) -> TownData {
    var roster = town
    roster.visitRecords = [:]
    roster.contactLogs = [:]
    return roster
  }

  static func opened(_ town: TownData, pending: Int, note: String? = nil) -> OpenedTown {
    OpenedTown(
      town: town, operatorName: "测试员", readOnlyHolder: nil, damaged: [],
      pendingRecords: pending, loadingNote: note)
  }

  static func text(_ state: AppState) -> String {
    let (buffer, _) = AppView.render(state)
    let terminal = VirtualTerminal(size: size)
    terminal.present(buffer, cursor: nil)
    return terminal.screenText
  }

  @Test func keysForWhatIsNotLoadedAreKeptAndReplayedInOrder() {
    let whole = Self.wholeTown()
    let roster = Self.rosterOnly(whole)
    var state = AppState(
      town: roster, operatorName: "测试员", today: ScreenTesting.today, size: Self.size,
      dataPath: "/tmp/firegrid-test")
    let opening = state.receive(
      .townOpened(Self.opened(roster, pending: 30, note: "没有检查点，逐个读取文件")))
    #expect(opening == [.finishLoading(ScreenTesting.today)])
    #expect(state.loading == JobProgress(done: 0, total: 30))
    // The roster answers: down to 江口村.
    _ = state.press(.down)
    #expect(state.roster.selectedID == "v002")
    #expect(state.deferredKeys.isEmpty)
    // 敲门走访 is shown, waiting; what is typed there is kept.
    _ = state.press(.character("2"))
    #expect(state.section == .visits)
    #expect(state.press(.enter).isEmpty)
    #expect(state.press(.character("j")).isEmpty)
    #expect(state.deferredKeys == [.enter, .character("j")])
    _ = state.receive(.loadProgress(done: 15))
    let waiting = Self.text(state)
    #expect(waiting.contains("正在载入…"))
    #expect(waiting.contains("（15/30 个文件）"))
    #expect(waiting.contains("正在载入走访记录 50%，已记下 2 个按键"))
    #expect(waiting.contains("没有检查点，逐个读取文件"))
    // Once a key is kept, every key after it is too (a roster key would jump the queue).
    _ = state.press(.character("1"))
    #expect(state.deferredKeys.count == 3)
    _ = state.press(.character("2"))

    // The rest arrives: the backup starts, the keys are replayed, in order.
    let effects = state.receive(.townLoaded(Self.opened(whole, pending: 0)))
    _ = state.finished(.finishLoading(ScreenTesting.today))
    #expect(effects.first == .takeBackup(ScreenTesting.today))
    _ = state.finished(.takeBackup(ScreenTesting.today))
    #expect(state.loading == nil)
    #expect(state.deferredKeys.isEmpty)
    #expect(state.town == whole)

    // The same keys on the town all loaded from the start leave the same screen.
    var loaded = AppState(
      town: whole, operatorName: "测试员", today: ScreenTesting.today, size: Self.size,
      dataPath: "/tmp/firegrid-test")
    for key: Key in [
      .down, .character("2"), .enter, .character("j"), .character("1"),
      .character("2"),
    ] {
      _ = loaded.press(key)
    }
    #expect(Self.text(state) == Self.text(loaded))
    #expect(state.roster.selectedID == loaded.roster.selectedID)
    #expect(state.visits.selectedGridID(index: state.index) != nil)
  }

  @Test func aKeptKeyThatOpensSomethingHoldsTheRestUntilItIsDone() {
    let whole = Self.wholeTown()
    let roster = Self.rosterOnly(whole)
    var state = AppState(
      town: roster, operatorName: "测试员", today: ScreenTesting.today, size: Self.size,
      dataPath: "/tmp/firegrid-test")
    _ = state.receive(.townOpened(Self.opened(roster, pending: 5)))
    // Into 龙潭村 > 第1网格 > 邹建国's household, then h (its history: read by the worker).
    for key: Key in [.enter, .enter, .character("h"), .character("j")] { _ = state.press(key) }
    #expect(state.deferredKeys == [.enter, .enter, .character("h"), .character("j")])
    let effects = state.receive(.townLoaded(Self.opened(whole, pending: 0)))
    // The history is asked for; j waits for it, as a typed-ahead key waits for a result.
    #expect(effects.contains(.openHistory(householdID: "h000001")))
    #expect(state.deferredKeys == [.character("j")])
    _ = state.receive(.historyLoaded(householdID: "h000001", []))
    _ = state.finished(.openHistory(householdID: "h000001"))
    #expect(state.deferredKeys.isEmpty)
    #expect(state.overlay(HistoryScreen.self) != nil)
  }

  @Test func quittingWhileLoadingIsAnsweredAtOnce() {
    let roster = Self.rosterOnly(Self.wholeTown())
    var state = AppState(
      town: roster, operatorName: "测试员", today: ScreenTesting.today, size: Self.size,
      dataPath: "/tmp/firegrid-test")
    _ = state.receive(.townOpened(Self.opened(roster, pending: 5)))
    #expect(state.press(.control("c")) == [.quit(status: 130)])
    #expect(state.press(.character("q")) == [.quit(status: 0)])
  }

  /// The binary's way, over a real folder: the store opened with the roster only, the rest
  /// read by the worker, the winter's campaign stored once it is all read, the search index
  /// built in the background.
  @Test func theRealLoopOpensTheRosterFirstAndEndsWithTheWholeTown() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-loading-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    let whole = Self.wholeTown()
    try DataFolder(url: url).create(whole)
    let folder = DataFolder(url: url)
    let store = try TownStore.open(
      folder: folder, operatorName: "王文书", clock: ScreenTesting.clock, deferringRecords: true)
    #expect(store.town.visitRecords.isEmpty)
    let state = AppState(
      town: store.town, operatorName: "王文书", today: ScreenTesting.today, size: Self.size,
      dataPath: url.path)
    let terminal = VirtualTerminal(size: Self.size)
    terminal.type([.character("2"), .enter, .character("j")])
    // Every effect settled before the next key: the script's end does not cut the work after
    // the load short (the binary's loop runs on; keys during the load are tested above).
    let runner = AppRunner(
      state: state, terminal: terminal, folder: folder, store: store, settling: .everything)
    runner.present(store)
    runner.run()
    #expect(runner.state.loading == nil)
    #expect(runner.state.town.visitRecords == whole.visitRecords)
    // The search index was built in the background: no `/` was pressed.
    #expect(runner.state.townSearch != nil)
    #expect(!terminal.screenText.contains("正在载入"))
    #expect(terminal.screenText.contains("龙潭村"))
    // The winter's campaign was stored after the load (the store refuses changes before).
    let reopened = try DataFolder(url: url).load()
    #expect(reopened.campaigns.contains { $0.firstDay <= ScreenTesting.today })
  }

  /// The search index is built off the UI loop from the town as it was; an edit made while
  /// it was being built makes it stale, and it is built again from the roster as it is.
  @Test func theSearchIndexComesFromTheBackgroundAndAStaleOneIsBuiltAgain() {
    let whole = Self.wholeTown()
    var state = AppState(
      town: whole, operatorName: "测试员", today: ScreenTesting.today, size: Self.size,
      dataPath: "/tmp/firegrid-test")
    let effects = state.receive(.townOpened(Self.opened(whole, pending: 0)))
    #expect(effects.contains(.buildSearchIndex(whole)))
    #expect(state.townSearch == nil)
    // Meanwhile a household's address changed (an edit saved).
    var edited = whole
    edited.households[0].address = "三江镇新街1号"
    let outcome = RosterEdit.Outcome(town: edited, changedHouseholds: [edited.households[0]])
    let afterEdit = state.receive(.editSaved(outcome))
    #expect(afterEdit.isEmpty)  // one build is running already
    let again = state.receive(.searchIndexBuilt(TownSearch(whole), basis: whole))
    #expect(state.townSearch == nil)
    #expect(again == [.buildSearchIndex(edited)])
    _ = state.finished(.buildSearchIndex(whole))
    _ = state.receive(.searchIndexBuilt(TownSearch(edited), basis: edited))
    _ = state.finished(.buildSearchIndex(edited))
    #expect(state.townSearch != nil)
    #expect(!state.running.contains { if case .buildSearchIndex = $0 { true } else { false } })
  }
}
