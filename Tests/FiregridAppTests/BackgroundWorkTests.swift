import FiregridModel
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// A file system whose backup copies wait until the test lets them go: the backup is as slow
/// as the test wants, and what the screen does meanwhile can be looked at.
final class HeldBackupFileSystem: FileSystem, @unchecked Sendable {
  private let condition = NSCondition()
  private var released = false
  private var copies = 0
  private var stoppedWaiting = false
  var copiesStarted: Int { locked { copies } }
  /// Whether a copy stopped waiting without being let go (the test then fails).
  var gaveUp: Bool { locked { stoppedWaiting } }
  var wasReleased: Bool { locked { released } }

  private func locked<T>(_ read: () -> T) -> T {
    condition.lock()
    defer { condition.unlock() }
    return read()
  }

  func writeAtomically(_ data: Data, to url: URL) throws(StoreError) {
    try RealFileSystem().writeAtomically(data, to: url)
  }
  func makeFolder(_ url: URL) throws(StoreError) { try RealFileSystem().makeFolder(url) }

  func copyFile(from source: URL, to target: URL) throws(StoreError) {
    condition.lock()
    copies += 1
    // A safety net only: a loop that never lets the test go on fails the test (the screen it
    // looked at shows no backup running) instead of hanging the suite.
    let giveUp = Date().addingTimeInterval(120)
    while !released {
      if !condition.wait(until: giveUp) {
        stoppedWaiting = true
        break
      }
    }
    condition.unlock()
    try RealFileSystem().copyFile(from: source, to: target)
  }

  func release() {
    condition.lock()
    released = true
    condition.broadcast()
    condition.unlock()
  }
}

/// Effects run off the UI loop: the keys are answered while the day's backup runs, and a new
/// day is noticed while the program runs.
struct BackgroundWorkTests {
  static let day = ScreenTesting.today
  static let clock = TownStore.Clock(
    today: { BackgroundWorkTests.day.description }, now: { "2026-11-29T09:00:00+08:00" })

  /// A town made the day before, its winter's campaign stored (and that day backed up).
  static func townFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-background-\(UUID().uuidString)")
    let dayBefore = TownStore.Clock(
      today: { BackgroundWorkTests.day.adding(days: -1).description },
      now: { "2026-11-28T09:00:00+08:00" })
    let store = try TownStore.create(
      folder: DataFolder(url: url), town: ScreenTesting.smallTown(), operatorName: "王文书",
      clock: dayBefore)
    try store.ensureCampaign(on: day)
    store.close()
    return url
  }

  /// The app on the town with its backup's copies going through `held`, started as the
  /// binary starts it (the day's backup asked at once), answering keys as the binary does.
  static func runner(_ url: URL, _ held: HeldBackupFileSystem, _ terminal: VirtualTerminal)
    throws -> AppRunner
  {
    let folder = DataFolder(url: url, fileSystem: held)
    let store = try TownStore.open(folder: folder, operatorName: "王文书", clock: clock)
    let state = AppState(
      town: store.town, operatorName: "王文书", today: day, size: terminal.size,
      dataPath: url.path)
    let runner = AppRunner(
      state: state, terminal: terminal, folder: folder, store: store, clock: clock,
      settling: .keysWait)
    runner.present(store)
    return runner
  }

  @Test func theScreenAnswersKeysWhileTheBackupRuns() throws {
    let url = try Self.townFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let held = HeldBackupFileSystem()
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    var duringBackup = ""
    terminal.type([.enter, .character("j")])  // 龙潭村, then down to 第2网格
    terminal.perform {
      duringBackup = terminal.screenText
      held.release()
    }
    let runner = try Self.runner(url, held, terminal)
    runner.run()
    // The keys were answered while the backup could not finish (its copies were held).
    #expect(duringBackup.contains("三江镇 > 龙潭村"))
    #expect(duringBackup.contains("正在备份"))
    #expect(runner.state.roster.selectedID == "g0002")
    // Let go, it finished: the day's backup is there and the line says nothing more.
    #expect(held.copiesStarted > 0)
    #expect(!terminal.screenText.contains("正在备份"))
    var isFolder: ObjCBool = false
    #expect(
      FileManager.default.fileExists(
        atPath: url.appendingPathComponent("backups/\(Self.day)").path, isDirectory: &isFolder)
        && isFolder.boolValue)
  }

  /// q during a long backup leaves at once: the half-made copy is in a temporary folder the
  /// next backup removes, and the lock goes with the process.
  @Test func quittingDoesNotWaitForTheBackup() throws {
    let url = try Self.townFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let held = HeldBackupFileSystem()
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.character("q")])
    let runner = try Self.runner(url, held, terminal)
    #expect(runner.run() == 0)
    // It returned while the backup was still held (not after the copy gave up waiting).
    #expect(!held.wasReleased)
    #expect(!held.gaveUp)
    held.release()
  }

  @Test func aNewDayIsNoticedAndBackedUpWhileTheProgramRuns() throws {
    let url = try Self.townFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = DataFolder(url: url)
    let store = try TownStore.open(folder: folder, operatorName: "王文书", clock: Self.clock)
    var state = AppState(
      town: store.town, operatorName: "王文书", today: Self.day,
      size: Size(columns: 80, rows: 24), dataPath: url.path)
    AppRunner.present(store, in: &state)
    let nextDay = Self.day.adding(days: 1)
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.character("2")])
    let runner = AppRunner(
      state: state, terminal: terminal,
      location: JSONFolderLocation(folder: folder, clock: Self.clock), repository: store,
      importer: RosterSpreadsheetImporter(), settling: .everything, today: { nextDay })
    runner.run()
    #expect(runner.state.today == nextDay)
    #expect(terminal.screenText.contains(nextDay.description))
    #expect(
      FileManager.default.fileExists(
        atPath: url.appendingPathComponent("backups/\(nextDay)").path))
  }
}
