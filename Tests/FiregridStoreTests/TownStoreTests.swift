import FiregridModel
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
}
