import FiregridModel
import FiregridRepository
import Foundation
import Testing

@testable import FiregridStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// supervision.json: the town's 督查 records in the data folder, saved through the journal
/// like the other records.
@Suite(.serialized)
struct SupervisionStoreTests {
  static let clock = JournalTests.clock
  static let day = CivilDate(year: 2026, month: 12, day: 8)

  /// A deployment with its meeting, a sample of both households, a spot check of each, a
  /// notice.
  static let records = SupervisionData(
    deployments: [
      VillageDeployment(
        villageID: "v001", linkLeader: "舒德明",
        meeting: DeploymentMeeting(
          date: CivilDate(year: 2026, month: 11, day: 18), place: "龙潭村村部", chairedBy: "舒德明",
          attendees: ["舒德明", "向红梅", "肖煜中"], liaison: "向红梅", recorder: "肖煜中"))
    ],
    samples: [
      SpotCheckSample(
        id: "s1", round: 1, perVillage: 2, seed: 4711, drawnOn: day, drawnBy: "甲",
        householdIDs: ["h000002", "h000001"])
    ],
    spotChecks: [
      SpotCheck(
        id: "h000002-c1", householdID: "h000002", sampleID: "s1", round: 1, date: day,
        inspector: "纪委 张三",
        answers: [SpotCheck.visitConfirmedItem: .no, SpotCheck.noticePresentItem: .no],
        notes: "住户称本轮无人上门", formID: SpotCheck.formID),
      SpotCheck(
        id: "h000001-c1", householdID: "h000001", sampleID: "s1", round: 1, date: day,
        inspector: "纪委 张三", answers: [SpotCheck.visitConfirmedItem: .yes],
        missedHazards: "灶前堆放柴草", formID: SpotCheck.formID, recordedVisitIDs: ["h000001-v1"]),
    ],
    notices: [
      IssuedNotice(
        id: "n1", kind: .criticism, number: "镇消安办〔2026〕5号", issuedOn: day,
        campaign: "2026-2027年冬春火灾防控", round: 1,
        persons: [NoticedPerson(visitorID: "u001", name: "肖煜中", reason: "h000002 本轮未走访")])
    ])

  static func open(_ url: URL, as name: String = "乙", fileSystem: (any FileSystem)? = nil) throws
    -> TownStore
  {
    let folder =
      fileSystem.map { DataFolder(url: url, fileSystem: $0) } ?? DataFolder(url: url)
    return try TownStore.open(folder: folder, operatorName: name, clock: clock)
  }

  static func file(_ url: URL) -> URL { url.appendingPathComponent(DataFolder.supervisionFileName) }

  @Test func aFolderWithoutTheFileHasNoSupervisionRecords() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(Backups.fileType(Self.file(url)) == nil)
    let store = try Self.open(url)
    defer { store.close() }
    #expect(store.town.supervision == SupervisionData())
    #expect(store.damaged.isEmpty)
    // Saving none writes nothing: no file, no line.
    let lines = try AuditLog.entries(folder: url).count
    try store.saveSupervision(SupervisionData())
    #expect(Backups.fileType(Self.file(url)) == nil)
    #expect(try AuditLog.entries(folder: url).count == lines)
  }

  @Test func recordsSurviveReopeningInAFileOnlyTheOwnerReads() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    try store.saveSupervision(Self.records)
    #expect(store.town.supervision == Self.records)
    store.close()

    #expect(AuditLogTests.mode(Self.file(url)) == 0o600)
    let text = try String(contentsOf: Self.file(url), encoding: .utf8)
    #expect(text.contains(#""schemaVersion" : \#(DataFolder.schemaVersion)"#))
    #expect(text.contains(#""savedBy" : "乙""#))
    #expect(text.contains(#""savedAt" : "2026-12-10T09:00:00+08:00""#))
    // Each record one line, like a visit row.
    #expect(text.components(separatedBy: "\n    {\"answers\":").count == 3)
    // Braces and the three envelope lines, five records, each list opened and closed.
    #expect(text.split(separator: "\n").count == 5 + 5 + 4 * 2)
    #expect(try DataFolder(url: url).load().supervision == Self.records)
    let reopened = try Self.open(url, as: "丙")
    defer { reopened.close() }
    #expect(reopened.town.supervision == Self.records)
    #expect(JournalTests.errors(url).isEmpty)

    // One line per record, one for the file, the commit line: kind "supervision".
    let entries = try AuditLog.entries(folder: url)
    let group = entries.suffix(7).map { "\($0.change.record) \($0.change.field)" }
    #expect(
      group == [
        "deployment/v001 *", "sample/s1 *", "spotcheck/h000002-c1 *", "spotcheck/h000001-c1 *",
        "notice/n1 *", "file supervision.json", "commit supervision",
      ])
    #expect(entries.suffix(7).allSatisfy { $0.operatorName == "乙" })
  }

  @Test func aCorrectionIsItsFieldsInTheHouseholdsHistory() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    defer { store.close() }
    try store.saveSupervision(Self.records)
    var corrected = Self.records
    corrected.spotChecks[1].answers[SpotCheck.cardPostedItem] = .yes
    corrected.deployments[0].meeting?.notes = "包户到人"
    try store.saveSupervision(corrected)
    let history = try store.history(ofHousehold: "h000001")
    let supervisionLines = history.filter { $0.change.record.hasPrefix("spotcheck/") }
    #expect(
      supervisionLines.map(\.change) == [
        AuditDiff.changes(from: nil, to: Self.records.spotChecks[1])[0],
        AuditChange(
          record: "spotcheck/h000001-c1", field: "answers", before: "visitConfirmed=y",
          after: "cardPosted=y visitConfirmed=y"),
      ])
    // The other household's check and the deployment are not this household's.
    #expect(history.allSatisfy { $0.change.record.contains("h000001") })
    #expect(
      try AuditLog.entries(folder: url, record: "deployment/v001").last?.change
        == AuditChange(
          record: "deployment/v001", field: "meeting.notes", before: "", after: "包户到人"))
  }

  /// A damaged supervision.json is named by its record, kept as it is, and saving supervision
  /// is refused until it is repaired; the rest of the town is saved as usual.
  @Test func aDamagedFileIsReportedNeverOverwrittenAndRepaired() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let first = try Self.open(url)
    try first.saveSupervision(Self.records)
    first.close()
    let broken = Data("{\"schemaVersion\": 3, \"deployments\": [".utf8)
    try broken.write(to: Self.file(url))

    let store = try Self.open(url)
    defer { store.close() }
    #expect(store.town.supervision == SupervisionData())
    let record = try #require(store.damaged.first)
    #expect(store.damaged.count == 1)
    #expect(record.reference == .supervision)
    #expect(record.label == "supervision.json")
    #expect(record.repairSource != nil)
    #expect(throws: StoreError.damagedRecord(path: "supervision.json")) {
      try store.saveSupervision(Self.records)
    }
    do {
      try store.saveSupervision(Self.records)
    } catch {
      #expect(error.message == "督查记录的文件已损坏（supervision.json），请先从备份恢复，不能覆盖。")
    }
    #expect(try Data(contentsOf: Self.file(url)) == broken)
    var household = store.town.households[0]
    household.address = "督查文件损坏时的修改"
    try store.saveHousehold(household)
    #expect(try Data(contentsOf: Self.file(url)) == broken)
    #expect(throws: StoreError.self) { try DataFolder(url: url).load() }

    #expect(try store.restore(.supervision) == record.repairSource)
    #expect(store.town.supervision == Self.records)
    #expect(store.damaged.isEmpty)
    let aside = try FileManager.default.contentsOfDirectory(atPath: url.path).filter {
      $0.hasPrefix("supervision.json.damaged-")
    }
    #expect(aside.count == 1)
  }

  /// A file newer than this program is refused as newer, and kept.
  @Test func aNewerFileIsDamagedAsNewer() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let newer = Data(
      #"{"schemaVersion": 9, "savedBy": "", "savedAt": "", "deployments": [], "samples": [], "spotChecks": [], "notices": []}"#
        .utf8)
    try newer.write(to: Self.file(url))
    let store = try Self.open(url)
    defer { store.close() }
    #expect(
      store.damagedFiles.map(\.error) == [
        .newerVersion(path: Self.file(url).path, found: 9, known: DataFolder.schemaVersion)
      ])
    #expect(throws: StoreError.self) { try store.saveSupervision(Self.records) }
    #expect(try Data(contentsOf: Self.file(url)) == newer)
  }

  /// Stopped between the commit and the file (a kill at that moment): the next open writes it.
  @Test func aSaveStoppedBeforeItsFileIsRedoneOnOpen() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let disk = CrashingFileSystem(crashAt: 3)  // redo record, audit lines, then the file
    let store = try Self.open(url, fileSystem: disk)
    try store.saveSupervision(Self.records)
    store.close()
    #expect(disk.crashed)
    #expect(Backups.fileType(Self.file(url)) == nil)
    let pending = FolderCheck.run(DataFolder(url: url)).filter {
      $0.message.contains("supervision.json") && $0.message.contains("自动补写")
    }
    #expect(pending.count == 1)

    let reopened = try Self.open(url, as: "丙")
    defer { reopened.close() }
    #expect(reopened.town.supervision == Self.records)
    #expect(reopened.damaged.isEmpty)
    #expect(AuditLogTests.mode(Self.file(url)) == 0o600)
    #expect(JournalTests.errors(url).isEmpty)
  }

  @Test func checkFindsRecordsNamingWhatTheTownDoesNotHave() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    var records = Self.records
    records.deployments.append(VillageDeployment(villageID: "v009", linkLeader: "无此村"))
    records.spotChecks.append(
      SpotCheck(
        id: "h000099-c1", householdID: "h000099", sampleID: "s7", round: 1, date: Self.day,
        inspector: "纪委 张三", answers: [:], formID: SpotCheck.formID))
    records.samples[0].householdIDs.append("h000098")
    try store.saveSupervision(Self.records)
    // An archived household keeps its checks: no problem.
    try store.archiveHousehold(id: "h000002")
    try store.saveSupervision(records)
    store.close()

    let found = FolderCheck.run(DataFolder(url: url)).filter {
      $0.file == DataFolder.supervisionFileName
    }
    #expect(
      found.map(\.description) == [
        "错误 supervision.json [deployment/v009]：部署记录所属的村（v009）不存在",
        "错误 supervision.json [sample/s1]：抽查样本中的户（h000098）既不在名册中，也不在归档中",
        "错误 supervision.json [spotcheck/h000099-c1]：抽查记录的户（h000099）既不在名册中，也不在归档中",
        "错误 supervision.json [spotcheck/h000099-c1]：抽查记录所属的样本（s7）不存在",
      ])
  }

  /// check reconciles supervision.json with the journal like any data file.
  @Test func checkFindsTheFileChangedOutsideTheProgram() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    try store.saveSupervision(Self.records)
    // Another change after it: the last change's files missing look like a save still to be
    // written (redone on open), whatever the file.
    var household = store.town.households[0]
    household.address = "后来的修改"
    try store.saveHousehold(household)
    store.close()
    #expect(JournalTests.errors(url).isEmpty)
    let text = try String(contentsOf: Self.file(url), encoding: .utf8)
    try Data(text.replacingOccurrences(of: "灶前堆放柴草", with: "无").utf8).write(to: Self.file(url))
    #expect(
      JournalTests.errors(url).map(\.description) == [
        "错误 supervision.json：\(CheckText.fileDiffersFromJournal)"
      ])
    try FileManager.default.removeItem(at: Self.file(url))
    #expect(
      JournalTests.errors(url).map(\.description) == [
        "错误 supervision.json：\(CheckText.fileMissing)"
      ])
  }

  @Test func theDailyBackupCopiesItAndARestoreBringsItBack() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    try store.saveSupervision(Self.records)
    store.close()
    let saved = try Data(contentsOf: Self.file(url))

    // The next day's first save copies the folder first.
    let tomorrow = TownStore.Clock(today: { "2026-12-11" }, now: { "2026-12-11T09:00:00+08:00" })
    let next = try TownStore.open(folder: DataFolder(url: url), operatorName: "乙", clock: tomorrow)
    var changed = Self.records
    changed.notices = []
    try next.saveSupervision(changed)
    next.close()
    let copy = url.appendingPathComponent("backups/2026-12-11/supervision.json")
    #expect(try Data(contentsOf: copy) == saved)
    #expect(AuditLogTests.mode(copy) == 0o600)

    // A restore of that backup replays the day's save on top of it.
    let outcome = try TownStore.restoreBackup(
      folder: DataFolder(url: url), date: "2026-12-11", operatorName: "乙", clock: tomorrow)
    #expect(outcome.unmatched == [])
    #expect(try DataFolder(url: url).load().supervision == changed)
    let before = try TownStore.restoreBackup(
      folder: DataFolder(url: url), date: "2026-12-11", through: outcome.backupSequence,
      operatorName: "乙", clock: tomorrow)
    #expect(before.unmatched == [])
    #expect(try DataFolder(url: url).load().supervision == Self.records)
  }

  /// A new town given supervision records writes them, each an audit line like the rest.
  @Test func aNewTownKeepsTheRecordsItIsGiven() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    var town = DataFolderTests.sample
    town.supervision = Self.records
    try DataFolder(url: url).create(town, savedBy: "甲", savedAt: "2026-12-10T09:00:00+08:00")
    #expect(try DataFolder(url: url).load().supervision == Self.records)
    #expect(try AuditLog.entries(folder: url, record: "notice/n1").count == 1)
    #expect(JournalTests.errors(url).isEmpty)
  }
}
