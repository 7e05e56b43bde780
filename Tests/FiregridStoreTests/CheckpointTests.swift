import FiregridModel
import Foundation
import Testing

@testable import FiregridStore

/// The open in two parts (the roster first, the rest after) and the checkpoint beside the
/// journal: whatever it holds, the town opened is the one the files give.
@Suite(.serialized)
struct CheckpointTests {
  static let clock = TownStore.Clock(
    today: { "2026-12-20" }, now: { "2026-12-20T09:00:00+08:00" })
  /// A checkpoint after every second change and after any open that read a file.
  static let eager = Checkpoint.Policy(minimumFiles: 0, changesBetween: 2, rereadThreshold: 1)

  /// A demo town of 40 households with a season's visits and contact logs, written to a
  /// new folder (and opened once, so its log is a journal).
  static func seasonFolder() throws -> URL {
    let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Resources/Data")
    let names = try JSONDecoder().decode(
      DemoTownGenerator.Names.self,
      from: Data(contentsOf: resources.appendingPathComponent("demo-names.json")))
    let form = try JSONDecoder().decode(
      VisitForm.self,
      from: Data(contentsOf: resources.appendingPathComponent("forms/residential-v1.json")))
    let today = CivilDate(year: 2026, month: 12, day: 20)
    let roster = DemoTownGenerator(names: names, seed: 7).generate(households: 40, today: today)
    let town = DemoSeasonGenerator(form: form, seed: 7).generate(into: roster, through: today)
    let url = DataFolderTests.temporaryFolder()
    try DataFolder(url: url).create(town)
    try TownStore.open(folder: DataFolder(url: url), operatorName: "王文书", clock: clock).close()
    return url
  }

  static func open(_ url: URL, policy: Checkpoint.Policy = .never, deferring: Bool = false)
    throws -> TownStore
  {
    try TownStore.open(
      folder: DataFolder(url: url), operatorName: "王文书", clock: clock,
      deferringRecords: deferring, checkpoints: policy)
  }

  /// Writes a checkpoint of the folder as it is and closes.
  static func writeCheckpoint(_ url: URL) throws -> Int {
    let store = try open(url, policy: eager)
    defer { store.close() }
    guard case .success(let count)? = store.waitForCheckpoint() else {
      Issue.record("no checkpoint written")
      return 0
    }
    return count
  }

  static func dataFileCount(_ url: URL) -> Int {
    Journal.dataFiles(in: url).filter { !Journal.topLevelFiles.contains($0) }.count
  }

  @Test func theRosterFirstThenTheRestGivesTheWholeTown() throws {
    let url = try Self.seasonFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let whole = try DataFolder(url: url).load()
    let store = try Self.open(url, deferring: true)
    defer { store.close() }
    // The first screen's part: the roster, and no visits yet.
    #expect(store.town.households == whole.households)
    #expect(store.town.premises == whole.premises)
    #expect(store.town.visitRecords.isEmpty)
    #expect(store.isLoadingRecords)
    let total = store.pendingRecordCount
    #expect(total > whole.visitRecords.count)
    // Nothing is saved from a town half read.
    #expect(throws: StoreError.stillLoading) { try store.saveHousehold(whole.households[0]) }
    var seen: [Int] = []
    store.finishLoading { seen.append($0) }
    #expect(seen.last == total)
    #expect(seen == seen.sorted())
    #expect(!store.isLoadingRecords)
    #expect(store.pendingRecordCount == 0)
    #expect(store.town == whole)
    // The audit log's index is ready too: the first history does not build it.
    #expect(store.auditIndex.builds == 1)
    _ = try store.history(ofHousehold: whole.households[0].id)
    #expect(store.auditIndex.builds == 1)
    // And now it saves.
    var household = whole.households[0]
    household.address += "（改）"
    try store.saveHousehold(household)
  }

  @Test func anOpenReadsTheCheckpointAndGivesWhatTheFilesGive() throws {
    let url = try Self.seasonFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    // No checkpoint yet: every file read, and the open says why.
    let first = try Self.open(url, policy: Self.eager)
    #expect(first.checkpointUse == .missing)
    #expect(first.checkpointUse.fallbackReason == "没有检查点，逐个读取文件")
    #expect(first.loadingNote == "没有检查点，逐个读取文件")
    let written = first.waitForCheckpoint()
    first.close()
    let files = Self.dataFileCount(url)
    #expect(written == .success(files))
    let checkpoint = Checkpoint.url(in: url)
    let mode = try FileManager.default.attributesOfItem(atPath: checkpoint.path)[.posixPermissions]
    #expect((mode as? Int) == 0o600)
    // The next open takes every data file from it, and the town is the files' town.
    let second = try Self.open(url)
    defer { second.close() }
    #expect(second.checkpointUse == .used(reused: files, read: 0))
    #expect(second.loadingNote == nil)
    #expect(second.town == (try DataFolder(url: url).load()))
  }

  @Test func filesChangedAfterTheCheckpointAreReadFromDisk() throws {
    let url = try Self.seasonFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    _ = try Self.writeCheckpoint(url)
    // A save through the store, and a file changed outside the program.
    let store = try Self.open(url)
    var household = store.town.households[0]
    household.address = "三江镇新地址1号"
    try store.saveHousehold(household)
    store.close()
    let other = store.town.households[1]
    let path = url.appendingPathComponent(DataFolder.householdPath(other.id))
    let text = try String(contentsOf: path, encoding: .utf8)
    try Data(text.replacingOccurrences(of: other.address, with: "外改地址").utf8).write(to: path)

    let reopened = try Self.open(url)
    defer { reopened.close() }
    let files = Self.dataFileCount(url)
    #expect(reopened.checkpointUse == .used(reused: files - 2, read: 2))
    #expect(reopened.town == (try DataFolder(url: url).load()))
    #expect(reopened.town.households.first { $0.id == household.id }?.address == "三江镇新地址1号")
    #expect(reopened.town.households.first { $0.id == other.id }?.address == "外改地址")
  }

  @Test func aNewFileAndARemovedOneAreSeen() throws {
    let url = try Self.seasonFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    _ = try Self.writeCheckpoint(url)
    let store = try Self.open(url)
    let archived = store.town.households[2].id
    try store.archiveHousehold(id: archived)
    store.close()
    let reopened = try Self.open(url)
    defer { reopened.close() }
    #expect(reopened.town == (try DataFolder(url: url).load()))
    #expect(!reopened.town.households.contains { $0.id == archived })
    #expect(reopened.town.archivedHouseholds.contains { $0.id == archived })
  }

  @Test func aDamagedCheckpointIsSaidAndTheFilesAreRead() throws {
    let url = try Self.seasonFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    _ = try Self.writeCheckpoint(url)
    let checkpoint = Checkpoint.url(in: url)
    var bytes = try Data(contentsOf: checkpoint)
    // A byte of some file's bytes flipped (a digit of a date, say): its hash finds it.
    let at = bytes.count / 3
    bytes[at] = bytes[at] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
    try bytes.write(to: checkpoint)
    let whole = try DataFolder(url: url).load()
    let flipped = try Self.open(url)
    #expect(flipped.checkpointUse == .damaged)
    #expect(flipped.checkpointUse.fallbackReason == "检查点损坏，逐个读取文件")
    #expect(flipped.town == whole)
    flipped.close()
    // Cut short (its trailer gone): not read at all.
    try Data(bytes.prefix(bytes.count - 10)).write(to: checkpoint)
    let cut = try Self.open(url)
    #expect(cut.checkpointUse == .damaged)
    #expect(cut.town == whole)
    cut.close()
    // Deleted: the files, as before there was one.
    try FileManager.default.removeItem(at: checkpoint)
    let missing = try Self.open(url)
    #expect(missing.checkpointUse == .missing)
    #expect(missing.town == whole)
    missing.close()
  }

  @Test func aCheckpointOfALaterPointThanTheLogIsNotUsed() throws {
    let url = try Self.seasonFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    // As if the folder were restored to before the checkpoint was written.
    _ = try CheckpointWriter.write(folder: url, sequence: 1_000_000, isCancelled: { false })
    let store = try Self.open(url)
    defer { store.close() }
    #expect(store.checkpointUse == .stale)
    #expect(store.town == (try DataFolder(url: url).load()))
  }

  @Test func changesStartANewCheckpointAndCheckAndBackupsIgnoreIt() throws {
    let url = try Self.seasonFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    _ = try Self.writeCheckpoint(url)
    let store = try Self.open(url, policy: Self.eager)
    // The open read nothing from disk: no checkpoint was started by it.
    #expect(store.checkpointUse == .used(reused: Self.dataFileCount(url), read: 0))
    var household = store.town.households[0]
    for n in 1...2 {
      household.address = "三江镇改\(n)号"
      try store.saveHousehold(household)
    }
    // Two changes: a new checkpoint, holding the second.
    #expect(store.waitForCheckpoint() == .success(Self.dataFileCount(url)))
    store.close()
    let reopened = try Self.open(url)
    #expect(reopened.checkpointUse == .used(reused: Self.dataFileCount(url), read: 0))
    #expect(reopened.town.households[0].address == "三江镇改2号")
    reopened.close()
    // Derived: `check` is clean with it there, and a backup does not copy it.
    #expect(FolderCheck.run(DataFolder(url: url)).filter { $0.severity == .error }.isEmpty)
    _ = try Backups.takeDailyIfNeeded(folder: url, today: "2026-12-21")
    let backup = url.appendingPathComponent("backups/2026-12-21")
    #expect(
      !FileManager.default.fileExists(
        atPath: backup.appendingPathComponent("journal/checkpoint").path))
  }

  @Test func aHalfWrittenCheckpointIsRemovedAtTheNextOpen() throws {
    let url = try Self.seasonFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let temp = url.appendingPathComponent("journal/.checkpoint.4242.tmp")
    try FileManager.default.createDirectory(
      at: temp.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("半".utf8).write(to: temp)
    let store = try Self.open(url)
    store.close()
    #expect(!FileManager.default.fileExists(atPath: temp.path))
  }
}
