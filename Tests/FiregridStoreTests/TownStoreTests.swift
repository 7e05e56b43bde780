import FiregridModel
import FiregridRepository
import Foundation
import Testing

@testable import FiregridStore

struct TownStoreTests {
  static let clock = TownStore.Clock(
    today: { "2026-11-29" }, now: { "2026-11-29T10:00:00+08:00" })

  static func openSample() throws -> (URL, TownStore) {
    let url = DataFolderTests.temporaryFolder()
    try DataFolder(url: url).create(DataFolderTests.sample)
    return (
      url, try TownStore.open(folder: DataFolder(url: url), operatorName: "测试员", clock: clock)
    )
  }

  @Test func anEditWritesTheHouseholdAndAnAuditLineAndTakesTheDailyBackup() throws {
    let (url, store) = try Self.openSample()
    defer { try? FileManager.default.removeItem(at: url) }
    var household = try #require(store.town.household(id: "h000001"))
    household.address = "三江镇龙潭村1组1号（新）"
    try store.saveHousehold(household)
    store.close()
    #expect(try DataFolder(url: url).load().household(id: "h000001")?.address == household.address)
    let entries = try AuditLog.entries(folder: url, record: "household/h000001")
    #expect(entries.last?.change.field == "address")
    #expect(entries.last?.operatorName == "测试员")
    #expect(Backups.list(folder: url) == ["2026-11-29"])
  }

  @Test func applyingARosterEditMovesAndArchives() throws {
    let (url, store) = try Self.openSample()
    defer { try? FileManager.default.removeItem(at: url) }
    let grid = Grid(id: "", villageID: "v001", name: "第2网格")
    let added = try RosterEdit.saveGrid(grid, in: store.town)
    try store.apply(added)
    let newGrid = try #require(added.createdID)
    try store.apply(try RosterEdit.moveHousehold(id: "h000002", toGrid: newGrid, in: store.town))
    try store.apply(try RosterEdit.archiveHousehold(id: "h000001", in: store.town))
    store.close()
    let loaded = try DataFolder(url: url).load()
    #expect(loaded.grids.map(\.name) == ["第1网格", "第2网格"])
    #expect(loaded.household(id: "h000002")?.gridID == newGrid)
    #expect(loaded.household(id: "h000001") == nil)
    // The archived household is kept, not deleted, and the leader it held is cleared.
    #expect(
      FileManager.default.fileExists(
        atPath: url.appendingPathComponent("archive/households/h000001.json").path))
    #expect(loaded.grid(id: "g0001")?.gridLeaderID == nil)
    #expect(FolderCheck.run(DataFolder(url: url)).filter { $0.severity == .error }.isEmpty)
  }

  @Test func aReadOnlyStoreRefusesEveryWrite() throws {
    let (url, store) = try Self.openSample()
    defer {
      store.close()
      try? FileManager.default.removeItem(at: url)
    }
    let second = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "乙", clock: Self.clock)
    defer { second.close() }
    #expect(throws: StoreError.self) { try second.archiveHousehold(id: "h000001") }
    #expect(throws: StoreError.self) {
      try second.apply(try RosterEdit.saveVillage(Village(id: "", name: "新村"), in: second.town))
    }
    #expect(
      FileManager.default.fileExists(
        atPath: url.appendingPathComponent("households/h000001.json").path))
  }

  /// The real file system, counting the files backups copy through it.
  final class CountingFileSystem: FileSystem, @unchecked Sendable {
    // One lock around the count: FileSystem is Sendable, and the store may copy from a worker.
    private let lock = NSLock()
    private var copied = 0
    var count: Int { lock.withLock { copied } }
    func writeAtomically(_ data: Data, to url: URL) throws(StoreError) {
      try RealFileSystem().writeAtomically(data, to: url)
    }
    func makeFolder(_ url: URL) throws(StoreError) { try RealFileSystem().makeFolder(url) }
    func copyFile(from source: URL, to target: URL) throws(StoreError) {
      try RealFileSystem().copyFile(from: source, to: target)
      lock.withLock { copied += 1 }
    }
  }

  static let day = CivilDate(year: 2026, month: 11, day: 29)

  @Test func theDaysBackupTakenAfterOpeningIsNotTakenAgainByTheFirstSave() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    try DataFolder(url: url).create(DataFolderTests.sample)
    let copies = CountingFileSystem()
    let store = try TownStore.open(
      folder: DataFolder(url: url, fileSystem: copies), operatorName: "测试员", clock: Self.clock)
    defer { store.close() }
    var reports: [JobProgress] = []
    #expect(try store.takeDailyBackup(on: Self.day) { reports.append($0) })
    let total = try #require(reports.last?.total)
    #expect(total > 3)
    #expect(reports == (0...total).map { JobProgress(done: $0, total: total) })
    #expect(copies.count == total)
    #expect(try !store.takeDailyBackup(on: Self.day) { _ in Issue.record("copied again") })

    var household = try #require(store.town.household(id: "h000001"))
    household.address = "三江镇龙潭村1组1号（新）"
    try store.saveHousehold(household)
    #expect(copies.count == total)
    #expect(store.takeNotice() == nil)
    #expect(Backups.list(folder: url) == ["2026-11-29"])
    // The copy is the town before the save.
    let copy = DataFolder(url: url.appendingPathComponent("backups/2026-11-29"))
    #expect(try copy.load().household(id: "h000001")?.address == "三江镇龙潭村1组1号")
  }

  @Test func onlyTheWriterTakesTheDaysBackup() throws {
    let (url, store) = try Self.openSample()
    defer {
      store.close()
      try? FileManager.default.removeItem(at: url)
    }
    let second = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "乙", clock: Self.clock)
    defer { second.close() }
    #expect(try !second.takeDailyBackup(on: Self.day) { _ in Issue.record("a reader copied") })
    #expect(Backups.list(folder: url).isEmpty)
    #expect(try store.takeDailyBackup(on: Self.day) { _ in })
    #expect(Backups.list(folder: url) == ["2026-11-29"])
  }

  /// After close another process may hold the folder: nothing is written, not even a backup.
  @Test func aClosedStoreWritesNothing() throws {
    let (url, store) = try Self.openSample()
    defer { try? FileManager.default.removeItem(at: url) }
    store.close()
    var household = try #require(store.town.household(id: "h000001"))
    household.address = "关闭以后"
    #expect(throws: StoreError.closed) { try store.saveHousehold(household) }
    #expect(throws: StoreError.closed) { try store.recordAccess(to: "household/h000001") }
    #expect(try !store.takeDailyBackup(on: Self.day) { _ in Issue.record("copied") })
    #expect(Backups.list(folder: url).isEmpty)
    #expect(try DataFolder(url: url).load().household(id: "h000001")?.address != "关闭以后")
  }

  @Test func aFolderWithoutATownIsRefusedUntouched() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(throws: StoreError.noTown(path: url.standardizedFileURL.path)) {
      _ = try TownStore.open(folder: DataFolder(url: url), operatorName: "甲", clock: Self.clock)
    }
    #expect(!FileManager.default.fileExists(atPath: url.path))
  }
}
