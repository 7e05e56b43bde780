import FiregridModel
import FiregridRepository
import Foundation
import Testing

@testable import FiregridStore

/// The data folder in the repository's terms: what `TownStore` says of itself through
/// `TownRepository` (the contract suite checks the behaviour every repository shares).
@Suite(.serialized)
struct TownStoreRepositoryTests {
  static let clock = JournalTests.clock

  @Test func pathsNameTheirRecordsBothWays() {
    let cases: [(String, RecordReference)] = [
      ("town.json", .townRecords),
      ("households/h000012.json", .household(id: "h000012")),
      ("visits/h000012.json", .visitRecord(householdID: "h000012")),
      ("contacts/g0003.json", .contactLog(gridID: "g0003")),
      ("supervision.json", .supervision),
      ("audit.head", .storeFile("audit.head")),
      ("archive/households/h000012.json", .storeFile("archive/households/h000012.json")),
      ("households/notes.txt", .storeFile("households/notes.txt")),
    ]
    for (path, reference) in cases {
      #expect(DataFolder.reference(ofPath: path) == reference, "\(path)")
      #expect(DataFolder.path(of: reference) == path, "\(path)")
    }
  }

  @Test func aSecondOpenerIsHeldByTheFirstNamedShortly() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let first = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "甲", clock: Self.clock)
    defer { first.close() }
    #expect(first.access == .readWrite)
    let second = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "乙", clock: Self.clock)
    defer { second.close() }
    guard case .heldByAnother(let holder) = second.access else {
      Issue.record("\(second.access)")
      return
    }
    let short = try #require(holder)
    #expect(short.hasPrefix("甲 "))
    #expect(short.contains("进程\(getpid())"))
  }

  /// Each kind of damaged file is named by its record, with where it broke and where it
  /// would be repaired from, and `restore` repairs it by that name.
  @Test func damagedFilesAreNamedByRecordAndRestoredByReference() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    for path in ["households/h000002.json", "visits/h000001.json", "contacts/g0001.json"] {
      try Data("{\"schemaVersion\": 3, \"x\": [".utf8).write(to: url.appendingPathComponent(path))
    }
    let store = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "乙", clock: Self.clock)
    defer { store.close() }
    let damaged = store.damaged
    #expect(
      Set(damaged.map(\.reference)) == [
        .household(id: "h000002"), .visitRecord(householdID: "h000001"),
        .contactLog(gridID: "g0001"),
      ])
    for record in damaged {
      let file = try #require(store.damagedFiles.first { $0.relativePath == record.label })
      guard case .unreadable(_, let whereItBroke) = file.error else {
        Issue.record("\(file.error)")
        continue
      }
      #expect(record.detail == whereItBroke)
      #expect(!record.detail.contains(url.path), "the label names the file, not the detail")
      #expect(record.repairSource != nil)
      #expect(record.repairSource == store.newestBackup(of: file))
    }

    let visits = try #require(
      damaged.first { $0.reference == .visitRecord(householdID: "h000001") })
    #expect(try store.restore(visits.reference) == visits.repairSource)
    #expect(store.town.visitRecords["h000001"]?.visits.count == 1)
    #expect(store.damaged.count == 2)
    #expect(!store.damaged.contains { $0.reference == visits.reference })
    #expect(throws: StoreError.notDamaged(path: "visits/h000001.json")) {
      try store.restore(visits.reference)
    }
  }

  @Test func aDamagedHeadIsAStoreFileRebuiltFromTheChain() throws {
    let (store, url) = try DegradedFolderTests.openWithDamagedHead()
    defer { try? FileManager.default.removeItem(at: url) }
    defer { store.close() }
    #expect(store.damaged.map(\.reference) == [.storeFile("audit.head")])
    #expect(store.damaged.first?.repairSource == StoreText.headRebuilt)
    #expect(try store.restore(.storeFile("audit.head")) == StoreText.headRebuilt)
    #expect(store.damaged.isEmpty)
  }

  /// `checkRecords` adds what changed outside the program, named like what failed to load.
  @Test func checkingRecordsFindsAFileChangedOutsideTheProgram() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let file = url.appendingPathComponent("contacts/g0001.json")
    var text = try String(contentsOf: file, encoding: .utf8)
    text += "\n"
    try Data(text.utf8).write(to: file)
    let store = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "乙", clock: Self.clock)
    defer { store.close() }
    #expect(store.damaged.isEmpty)
    store.checkRecords()
    #expect(store.damaged.map(\.reference) == [.contactLog(gridID: "g0001")])
    #expect(store.damaged.first?.detail == StoreText.fileChangedOutside)
    let source = try #require(store.damaged.first?.repairSource)
    #expect(try store.restore(.contactLog(gridID: "g0001")) == source)
    #expect(store.damaged.isEmpty)
  }

  @Test func historyListsTheHouseholdAndItsVisitsUnderWhoMadeThem() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "乙", clock: Self.clock)
    defer { store.close() }
    var household = try #require(store.town.household(id: "h000001"))
    household.address = "三江镇龙潭村1组1号（新）"
    try store.saveHousehold(household)
    let history = try store.history(ofHousehold: "h000001")
    let logged = try AuditLog.entries(folder: url).filter {
      $0.change.record == "household/h000001" || $0.change.record.hasPrefix("visit/h000001-")
        || $0.change.record.hasPrefix("hazard/h000001-")
    }
    #expect(history.map(\.sequence) == logged.map(\.sequence))
    #expect(history.map(\.change) == logged.map(\.change))
    #expect(history.map(\.sequence) == history.map(\.sequence).sorted())
    #expect(
      history.contains { $0.change.record.hasPrefix("visit/h000001-") && $0.operatorName == "甲" })
    #expect(history.last?.change.field == "address")
    #expect(history.last?.operatorName == "乙")
    #expect(
      try store.history(ofHousehold: "h000002").allSatisfy {
        $0.change.record == "household/h000002"
      })
  }
}
