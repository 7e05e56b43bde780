import FiregridModel
import FiregridRepository
import Foundation
import Testing

@testable import FiregridStore

struct RosterCSVImportTests {
  typealias T = RosterCSVTesting

  static let clock = TownStore.Clock(
    today: { "2024-11-20" }, now: { "2024-11-20T09:00:00+08:00" })

  static func options(town: String? = "三江镇", dryRun: Bool = false) -> RosterImport.Options {
    RosterImport.Options(
      townName: town, operatorName: "向红梅", dryRun: dryRun, source: "roster.csv")
  }

  static func run(_ bytes: [UInt8], into url: URL, town: String? = "三江镇", dryRun: Bool = false)
    throws(RosterImport.Failure) -> RosterImport.Outcome
  {
    try RosterImport.run(
      bytes, into: DataFolder(url: url), options: options(town: town, dryRun: dryRun),
      clock: clock)
  }

  static func sample() throws -> [UInt8] {
    [UInt8](
      try Data(
        contentsOf: T.packageRoot.appendingPathComponent("Resources/Data/roster-sample.csv")))
  }

  static func bytes(_ lines: [String]) -> [UInt8] {
    Array(([T.header] + lines).joined(separator: "\r\n").utf8)
  }

  @Test func theSampleImportsIntoAnEmptyFolderAsANewTown() throws {
    let url = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let outcome = try Self.run(Self.sample(), into: url)
    #expect(outcome.plan.problems == [])
    #expect(outcome.plan.warnings == [])
    #expect(outcome.wrote && outcome.createsTown)
    let folder = DataFolder(url: url)
    let town = try folder.load()
    #expect(town.town.name == "三江镇")
    #expect(town.villages.map(\.name) == ["龙潭村", "江东社区"])
    #expect(town.grids.count == 3)
    #expect(town.households.count == 15)
    #expect(town.grids.allSatisfy { town.gridLeader(of: $0) != nil })
    #expect(RosterCSVExportTests.content(town) == RosterCSVExportTests.content(outcome.plan.town))
    // The files are the store's own: check finds nothing wrong, the audit chain included.
    #expect(FolderCheck.run(folder).filter { $0.severity == .error } == [])
    let entries = try AuditLog.entries(folder: url)
    #expect(
      entries.first?.change == AuditChange(record: "town", field: "*", before: nil, after: "三江镇"))
    #expect(entries.contains { $0.change.record == "import/roster" })
    #expect(entries.filter { $0.change.record.hasPrefix("household/") }.count == 15)
    #expect(entries.allSatisfy { $0.operatorName == "向红梅" })
    // No lock left behind, files owner-only.
    #expect(FolderLock.currentHolder(folder: url) == nil)
    let mode = try FileManager.default.attributesOfItem(
      atPath: url.appendingPathComponent("households/h000001.json").path)[.posixPermissions]
    #expect(mode as? Int == 0o600)
  }

  @Test func anEmptyFolderNeedsATownName() throws {
    let url = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(throws: RosterImport.Failure.townNameRequired(path: url.path)) {
      try Self.run(Self.sample(), into: url, town: nil)
    }
    #expect(RosterImport.Failure.townNameRequired(path: "/x").message.contains("--town"))
    #expect(!FileManager.default.fileExists(atPath: url.path))
  }

  @Test func oneBadRowAndNothingIsWritten() throws {
    // Into an empty folder: it stays empty.
    let url = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    var text = String(decoding: try Self.sample(), as: UTF8.self)
    text = text.replacingOccurrences(of: ",13907455678,", with: ",1390745567,")
    let outcome = try Self.run(Array(text.utf8), into: url)
    #expect(outcome.plan.problems.count == 1)
    #expect(outcome.plan.problems[0].row == 12)
    #expect(!outcome.wrote)
    #expect(DataFolder(url: url).state == .empty)
    #expect(!FileManager.default.fileExists(atPath: url.path))

    // Into an existing town: not a byte changes, not even the lock file appears.
    let existing = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: existing) }
    try DataFolder(url: existing).create(try T.demoTown(households: 30))
    let before = T.snapshot(existing)
    let more = Self.bytes([
      T.line(village: "新村", leader: "甲", number: "0001", name: "甲", id: T.id(901)),
      T.line(village: "新村", number: "0002", name: "乙", id: T.id(902)),
      T.line(village: "新村", number: "0003", name: "丙", phone: "12"),
    ])
    let rejected = try Self.run(more, into: existing, town: nil)
    #expect(rejected.plan.problems.map(\.row) == [4])
    #expect(!rejected.wrote)
    #expect(T.snapshot(existing) == before)
  }

  @Test func aDryRunWritesNothingAndCountsWhatWouldBeAdded() throws {
    let url = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let outcome = try Self.run(Self.sample(), into: url, dryRun: true)
    #expect(outcome.plan.isAccepted)
    #expect(!outcome.wrote)
    #expect(outcome.plan.newVillages.count == 2)
    #expect(outcome.plan.newGrids.count == 3)
    #expect(outcome.plan.newHouseholds.count == 15)
    #expect(outcome.plan.newPersonCount == 30)
    #expect(!FileManager.default.fileExists(atPath: url.path))
    // A file may be checked before the town has a name.
    let unnamed = try Self.run(Self.sample(), into: url, town: nil, dryRun: true)
    #expect(unnamed.plan.isAccepted && !unnamed.wrote && unnamed.createsTown)
    #expect(!FileManager.default.fileExists(atPath: url.path))

    let existing = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: existing) }
    try DataFolder(url: existing).create(try T.demoTown(households: 30))
    let before = T.snapshot(existing)
    let dry = try Self.run(Self.sample(), into: existing, town: nil, dryRun: true)
    #expect(dry.plan.isAccepted && !dry.wrote)
    #expect(T.snapshot(existing) == before)
  }

  @Test func exportedFolderReimportsIntoAnEmptyFolderWithTheSameRoster() throws {
    let source = T.temporaryFolder()
    let target = T.temporaryFolder()
    defer {
      try? FileManager.default.removeItem(at: source)
      try? FileManager.default.removeItem(at: target)
    }
    let town = try T.demoTown(households: 250, seed: 11)
    try DataFolder(url: source).create(town)
    let loaded = try DataFolder(url: source).load()
    let bytes = try RosterCSV.encode(RosterCSV.export(loaded), as: .gb18030)
    let outcome = try Self.run(bytes, into: target, town: loaded.town.name)
    #expect(outcome.plan.problems == [])
    let reloaded = try DataFolder(url: target).load()
    #expect(RosterCSVExportTests.content(reloaded) == RosterCSVExportTests.content(loaded))
    // And the export of the imported folder is the same file.
    #expect(RosterCSV.export(reloaded) == RosterCSV.export(loaded))
  }

  @Test func importIntoAnExistingTownAddsThroughTheStoreAndAudits() throws {
    let url = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let town = try T.demoTown(households: 30)
    try TownStore.create(
      folder: DataFolder(url: url), town: town, operatorName: "demo", clock: Self.clock
    ).close()
    let linesBefore = try AuditLog.entries(folder: url).count
    let grid = town.grids[0]
    let village = town.village(id: grid.villageID)!
    let outcome = try Self.run(
      Self.bytes([
        T.line(village: "新村", leader: "甲", number: "0001", name: "甲", id: T.id(901)),
        T.line(village: "新村", number: "0001", name: "乙", relation: "配偶", sex: "女"),
        T.line(village: village.name, grid: grid.name, number: "9001", name: "丙"),
      ]), into: url, town: nil)
    #expect(outcome.plan.problems == [])
    #expect(outcome.wrote && !outcome.createsTown)
    let after = try DataFolder(url: url).load()
    #expect(after.households.count == 32)
    #expect(after.villages.last?.name == "新村")
    #expect(after.villages.last?.id == "v002")
    let newGrid = after.grids.last!
    #expect(after.gridLeader(of: newGrid)?.name == "甲")
    #expect(after.households(inGrid: grid.id).contains { $0.number == "9001" })

    let entries = try AuditLog.entries(folder: url)
    let added = entries.dropFirst(linesBefore)
    #expect(added.contains { $0.change.record == "village/v002" && $0.change.field == "*" })
    #expect(added.filter { $0.change.record.hasPrefix("household/") }.count == 2)
    // One change in the journal: the records, the summary, the files, one commit line.
    #expect(added.last?.change.record == "commit")
    #expect(added.last?.change.field == "import")
    #expect(added.filter { $0.change.record == "commit" }.count == 1)
    let summary = try #require(added.first { $0.change.record == "import/roster" })
    #expect(summary.change.after?.contains("新增 1 个村（社区），1 个网格，2 户，3 人") == true)
    #expect(added.allSatisfy { $0.operatorName == "向红梅" })
    #expect(AuditLog.verify(folder: url) == [])
    #expect(FolderCheck.run(DataFolder(url: url)).filter { $0.severity == .error } == [])

    // The same file again: everything is there already, nothing is written.
    let again = try Self.run(
      Self.bytes([
        T.line(village: "新村", leader: "甲", number: "0001", name: "甲", id: T.id(901)),
        T.line(village: "新村", number: "0001", name: "乙", relation: "配偶", sex: "女"),
        T.line(village: village.name, grid: grid.name, number: "9001", name: "丙"),
      ]), into: url, town: nil)
    #expect(again.plan.isAccepted && !again.wrote)
    #expect(again.plan.unchangedHouseholds == 2)
    #expect(try AuditLog.entries(folder: url).count == entries.count)
  }

  @Test func aFolderHeldByAnotherWriterIsRefusedClearly() throws {
    let url = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    try DataFolder(url: url).create(try T.demoTown(households: 12))
    guard
      case .acquired(let lock) = try FolderLock.acquire(
        folder: url, operatorName: "舒桂英", now: "2024-11-20T08:00:00+08:00")
    else {
      Issue.record("could not take the lock")
      return
    }
    defer { lock.release() }
    let bytes = Self.bytes([T.line(village: "新村", number: "0001", name: "甲")])
    do {
      _ = try Self.run(bytes, into: url, town: nil)
      Issue.record("the import should have been refused")
    } catch {
      guard case .store(.readOnly) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(error.message.contains("只读"))
      #expect(error.message.contains("舒桂英"))
    }
  }

  @Test func aForeignFolderAndAnotherTownsNameAreRefused() throws {
    let url = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try Data("x".utf8).write(to: url.appendingPathComponent("notes.txt"))
    #expect(throws: RosterImport.Failure.foreignFolder(path: url.path)) {
      try Self.run(Self.sample(), into: url)
    }

    let town = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: town) }
    try DataFolder(url: town).create(try T.demoTown(households: 12))
    let name = try DataFolder(url: town).load().town.name
    #expect(throws: RosterImport.Failure.townNameDiffers(existing: name, given: "别的镇")) {
      try Self.run(Self.sample(), into: town, town: "别的镇")
    }
  }

  @Test func anUnreadableFileIsAFailureNotARowProblem() throws {
    let url = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(throws: RosterImport.Failure.file(.unterminatedQuote(row: 2))) {
      try Self.run(Self.bytes(["\"龙潭村,第1网格"]), into: url)
    }
    #expect(!FileManager.default.fileExists(atPath: url.path))
  }
}
