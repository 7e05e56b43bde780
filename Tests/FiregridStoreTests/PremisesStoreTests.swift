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

/// Premises (场所) and their inspections in the data folder: premises/, inspections/ and their
/// archive folders, saved through the journal like households and visits (schema 4).
@Suite(.serialized)
struct PremisesStoreTests {
  static let clock = JournalTests.clock
  static let day = CivilDate(year: 2026, month: 12, day: 8)

  /// The village office, and a shop with its family living behind it (h000001).
  static let office = Premises(
    id: "c00001", gridID: "g0001", name: "龙潭村村部", kind: .office, address: "龙潭村1组",
    responsiblePerson: "向红梅", responsiblePhone: "13907451234", floors: 2, floorArea: 300,
    peopleSleep: false, visitorID: "u001")
  static let shop = Premises(
    id: "c00002", gridID: "g0001", name: "邹记百货", kind: .mixedUse, businessKind: .shop,
    address: "三江镇龙潭村1组1号", responsiblePerson: "邹锡华", responsiblePhone: "0745-3123456",
    floors: 3, floorArea: 180, peopleSleep: true, sleepers: 4, householdID: "h000001",
    visitorID: "u001")

  /// The shop inspected once, finding a hazard.
  static let inspections = VisitRecord(
    householdID: "c00002",
    visits: [
      Visit(
        id: "c00002-v1", householdID: "c00002", date: day, visitorID: "u001",
        personsMet: "邹锡华", answers: ["exits": .yes, "wiring": .no], notes: "前店后宅",
        formID: "business-premises")
    ],
    hazards: [
      Hazard(
        id: "c00002-z1", householdID: "c00002", checkID: "wiring", description: "私拉电线",
        events: [
          HazardEvent(
            kind: .found, date: day, visitID: "c00002-v1",
            deadline: CivilDate(year: 2026, month: 12, day: 15))
        ])
    ])

  static func open(_ url: URL, as name: String = "乙", fileSystem: (any FileSystem)? = nil) throws
    -> TownStore
  {
    let folder =
      fileSystem.map { DataFolder(url: url, fileSystem: $0) } ?? DataFolder(url: url)
    return try TownStore.open(folder: folder, operatorName: name, clock: clock)
  }

  /// `JournalTests.template()` with both premises and the shop's inspections saved.
  static func template() throws -> URL {
    let url = try JournalTests.template()
    let store = try open(url, as: "甲")
    defer { store.close() }
    try store.savePremises([office, shop])
    try store.saveInspectionRecord(inspections)
    return url
  }

  static func file(_ url: URL, _ path: String) -> URL { url.appendingPathComponent(path) }

  @Test func premisesAndInspectionsSurviveReopeningInFilesOnlyTheOwnerReads() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    try store.savePremises([Self.office, Self.shop])
    try store.saveInspectionRecord(Self.inspections)
    #expect(store.town.premises == [Self.office, Self.shop])
    store.close()

    let reopened = try Self.open(url, as: "丙")
    defer { reopened.close() }
    #expect(reopened.damaged.isEmpty)
    #expect(reopened.town.premises == [Self.office, Self.shop])
    #expect(reopened.town.premisesRecords == ["c00002": Self.inspections])
    #expect(reopened.town.inspectionRecord(of: "c00001") == VisitRecord(householdID: "c00001"))
    for path in ["premises/c00001.json", "premises/c00002.json", "inspections/c00002.json"] {
      #expect(AuditLogTests.mode(Self.file(url, path)) == 0o600, "\(path)")
    }
    for folder in ["premises", "inspections"] {
      #expect(AuditLogTests.mode(Self.file(url, folder)) == 0o700, "\(folder)")
    }
    let text = try String(contentsOf: Self.file(url, "premises/c00002.json"), encoding: .utf8)
    #expect(text.contains(#""schemaVersion" : \#(DataFolder.schemaVersion)"#))
    #expect(text.contains(#""savedBy" : "乙""#))
    // The inspections are a visit-record file: one compact row per inspection.
    let inspectionText = try String(
      contentsOf: Self.file(url, "inspections/c00002.json"), encoding: .utf8)
    #expect(inspectionText.contains(#""householdID" : "c00002""#))
    #expect(inspectionText.contains(#"["c00002-v1","2026-12-08","u001","邹锡华""#))
    #expect(JournalTests.errors(url).isEmpty, "\(JournalTests.errors(url))")
  }

  @Test func eachFieldChangedIsAnAuditLineAndTheHistoryNamesWhoMadeIt() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    defer { store.close() }
    try store.savePremises([Self.office, Self.shop])
    var changed = Self.shop
    changed.sleepers = 5
    changed.responsiblePhone = "13907450001"
    let lines = try AuditLog.entries(folder: url).count
    // One change for all: the office unchanged is not written again.
    try store.savePremises([Self.office, changed])
    let group = try AuditLog.entries(folder: url).dropFirst(lines)
    #expect(
      group.map { "\($0.change.record) \($0.change.field)" } == [
        "premises/c00002 responsiblePhone", "premises/c00002 sleepers",
        "file premises/c00002.json", "commit premises",
      ])
    #expect(group.first?.change.before == "0745-3123456")
    #expect(group.dropFirst().first?.change.after == "5")
    // Nothing changed, nothing written.
    let count = try AuditLog.entries(folder: url).count
    try store.savePremises([Self.office, changed])
    try store.saveInspectionRecord(VisitRecord(householdID: "c00001"))
    #expect(try AuditLog.entries(folder: url).count == count)

    try store.saveInspectionRecord(Self.inspections)
    let history = try store.history(ofPremises: "c00002")
    #expect(
      history.map(\.change.record) == [
        "premises/c00002", "premises/c00002", "premises/c00002", "inspection/c00002-v1",
        "hazard/c00002-z1",
      ])
    #expect(history.allSatisfy { $0.operatorName == "乙" })
    #expect(history.map(\.sequence) == history.map(\.sequence).sorted())
    // The office's history is its own.
    #expect(try store.history(ofPremises: "c00001").map(\.change.record) == ["premises/c00001"])
    // A household's history does not take in the premises it lives in.
    #expect(
      try store.history(ofHousehold: "h000001").allSatisfy {
        !$0.change.record.contains("c0000")
      })
    let commits = try AuditLog.entries(folder: url).filter { $0.change.record == "commit" }
    #expect(commits.suffix(3).map(\.change.field) == ["premises", "premises", "inspections"])
  }

  @Test func inspectionsOfAPremisesNotOnTheRosterAreRefused() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    defer { store.close() }
    #expect(throws: StoreError.unknownPremises(id: "c00002")) {
      try store.saveInspectionRecord(Self.inspections)
    }
    #expect(Backups.fileType(Self.file(url, "inspections/c00002.json")) == nil)
  }

  @Test func aDamagedPremisesFileIsReportedKeptAndNotOverwritten() throws {
    let url = try Self.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let damaged = Data("{ \"schemaVersion\" : 4, \"premises\" : ".utf8)
    try damaged.write(to: Self.file(url, "premises/c00002.json"))
    let broken = Data("{ \"schemaVersion\" : 4, ".utf8)
    try broken.write(to: Self.file(url, "inspections/c00002.json"))
    let store = try Self.open(url)
    defer { store.close() }
    #expect(store.town.premises == [Self.office])
    #expect(
      store.damaged.map(\.reference) == [
        .inspectionRecord(premisesID: "c00002"), .premises(id: "c00002"),
      ])
    #expect(store.damaged.allSatisfy { $0.repairSource != nil })
    #expect(store.damagedFiles.allSatisfy { $0.householdID == nil })
    var changed = Self.shop
    changed.name = "邹记超市"
    #expect(throws: StoreError.damagedRecord(path: "premises/c00002.json")) {
      try store.savePremises([changed])
    }
    #expect(throws: StoreError.damagedRecord(path: "premises/c00002.json")) {
      try store.archivePremises(id: "c00002")
    }
    #expect(try Data(contentsOf: Self.file(url, "premises/c00002.json")) == damaged)
    #expect(
      StoreError.damagedRecord(path: "premises/c00002.json").message.contains("该场所的文件已损坏"))
    // The office is not held up by the shop's file.
    var office = Self.office
    office.floors = 3
    try store.savePremises([office])
    // `D` repairs both from the journal.
    #expect(try store.restore(.premises(id: "c00002")).contains("日志"))
    #expect(try store.restore(.inspectionRecord(premisesID: "c00002")).contains("日志"))
    #expect(store.damaged.isEmpty)
    #expect(store.town.premises(id: "c00002") == Self.shop)
    #expect(store.town.premisesRecords["c00002"] == Self.inspections)
  }

  @Test func referencesAndPathsOfPremisesFiles() {
    let cases: [(String, RecordReference)] = [
      ("premises/c00001.json", .premises(id: "c00001")),
      ("inspections/c00001.json", .inspectionRecord(premisesID: "c00001")),
    ]
    for (path, reference) in cases {
      #expect(DataFolder.reference(ofPath: path) == reference)
      #expect(DataFolder.path(of: reference) == path)
    }
    #expect(
      DataFolder.reference(ofPath: "archive/premises/c00001.json")
        == .storeFile("archive/premises/c00001.json"))
  }

  @Test func archivingMovesThePremisesAndItsInspectionsAndKeepsThem() throws {
    let url = try Self.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    try store.archivePremises(id: "c00002")
    #expect(store.town.premises == [Self.office])
    #expect(store.town.archivedPremises == [Self.shop])
    #expect(store.town.archivedPremisesRecords["c00002"] == Self.inspections)
    #expect(store.town.premisesRecords["c00002"] == nil)
    #expect(throws: StoreError.unknownPremises(id: "c00002")) {
      try store.saveInspectionRecord(Self.inspections)
    }
    // Archiving what is not on the roster does nothing.
    let count = try AuditLog.entries(folder: url).count
    try store.archivePremises(id: "c00002")
    #expect(try AuditLog.entries(folder: url).count == count)
    store.close()

    for path in ["premises/c00002.json", "inspections/c00002.json"] {
      #expect(Backups.fileType(Self.file(url, path)) == nil, "\(path)")
    }
    for path in ["archive/premises/c00002.json", "archive/inspections/c00002.json"] {
      #expect(AuditLogTests.mode(Self.file(url, path)) == 0o600, "\(path)")
    }
    let loaded = try DataFolder(url: url).load()
    #expect(loaded.archivedPremises == [Self.shop])
    #expect(loaded.archivedPremisesRecords == ["c00002": Self.inspections])
    let last = try AuditLog.entries(folder: url).suffix(6)
    #expect(last.first?.change.record == "premises/c00002")
    #expect(last.first?.change.after == nil)
    #expect(last.last?.change.field == "archive-premises")
    #expect(JournalTests.errors(url).isEmpty, "\(JournalTests.errors(url))")
    // The next id counts the archived one.
    #expect(PremisesRules.nextID(in: loaded) == "c00003")
  }

  /// The store's premises operations, as `JournalTests.operations`.
  static let operations: [(String, @Sendable (TownStore) throws -> Void)] = [
    (
      "premises",
      { store in
        var shop = store.town.premises(id: "c00002")!
        shop.name = "邹记超市"
        var school = Premises(id: "c00003", gridID: "g0001", name: "龙潭小学", kind: .office)
        school.floors = 3
        try store.savePremises([shop, school])
      }
    ),
    (
      "inspections",
      { store in
        var record = store.town.inspectionRecord(of: "c00002")
        record.hazards[0].events.append(
          HazardEvent(kind: .reportedRectified, date: CivilDate(year: 2026, month: 12, day: 9)))
        try store.saveInspectionRecord(record)
      }
    ),
    ("archive premises", { store in try store.archivePremises(id: "c00002") }),
  ]

  /// A crash at every write and sync of each premises operation, then the folder opened: the
  /// whole change or none of it (a change committed in the journal but not written is redone
  /// on open), nothing damaged, no error from `check`.
  @Test(arguments: operations.indices)
  func aCrashAtAnyStepLeavesTheWholeChangeOrNone(_ index: Int) throws {
    let (name, operation) = Self.operations[index]
    let template = try Self.template()
    defer { try? FileManager.default.removeItem(at: template) }
    let before = try JournalTests.dataFiles(template)
    let whole = try JournalTests.copy(template)
    defer { try? FileManager.default.removeItem(at: whole) }
    let plain = try Self.open(whole)
    try operation(plain)
    plain.close()
    let after = try JournalTests.dataFiles(whole)
    #expect(after != before, "\(name): the operation changed nothing")

    var crashAt = 1
    var sawBefore = false
    var sawAfter = false
    var sawRedo = false
    while true {
      let url = try JournalTests.copy(template)
      defer { try? FileManager.default.removeItem(at: url) }
      let disk = CrashingFileSystem(crashAt: crashAt)
      let store = try Self.open(url, fileSystem: disk)
      var threw = false
      do { try operation(store) } catch { threw = true }
      store.close()
      let reached = disk.crashed
      // Committed, but the files not all written: the next open must write them.
      if try !threw && reached && JournalTests.dataFiles(url) != after { sawRedo = true }
      let reopened = try Self.open(url, as: "丙")
      #expect(
        reopened.damagedFiles.isEmpty, "\(name) crash at \(crashAt): \(reopened.damagedFiles)")
      reopened.close()
      let files = try JournalTests.dataFiles(url)
      #expect(files == before || files == after, "\(name) crash at \(crashAt): half a change")
      if files == before { sawBefore = true } else { sawAfter = true }
      #expect(
        JournalTests.errors(url).isEmpty, "\(name) crash at \(crashAt): \(JournalTests.errors(url))"
      )
      if !reached { break }
      crashAt += 1
    }
    #expect(crashAt > 4, "\(name): too few steps enumerated")
    #expect(sawBefore && sawAfter && sawRedo, "\(name): every outcome should occur")
  }

  @Test func checkFindsPremisesAndInspectionsNamingWhatTheTownDoesNotHave() throws {
    let url = try Self.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    var lost = Self.office
    lost.id = "c00003"
    lost.name = "无网格的场所"
    lost.gridID = "g0009"
    lost.visitorID = "u009"
    var orphan = Self.inspections
    orphan.householdID = "c00009"
    try store.savePremises([lost])
    store.close()
    // An inspection file of a premises the town does not have (put there, or left by hand).
    let data = try store.folder.inspectionRecordImage(orphan, savedBy: "", savedAt: "").content!
    try data.write(to: Self.file(url, "inspections/c00009.json"))

    let found = FolderCheck.run(DataFolder(url: url)).filter {
      $0.file.hasPrefix("premises/") || $0.file.hasPrefix("inspections/")
    }
    #expect(
      found.map(\.description) == [
        "错误 premises/c00003.json [premises/c00003]：场所「无网格的场所」：网格不存在：g0009",
        "错误 premises/c00003.json [premises/c00003]：场所「无网格的场所」的走访人（u009）不存在",
        "错误 inspections/c00009.json：检查记录没有对应的场所（场所已归档、删除或编号不符）",
        "错误 inspections/c00009.json：日志中没有这个文件：它是在程序之外放进来的，或日志末尾被截断",
      ])
  }

  @Test func aHouseholdLivingThereThatWasArchivedIsOnlyNoted() throws {
    let url = try Self.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    try store.archiveHousehold(id: "h000001")
    store.close()
    let found = FolderCheck.run(DataFolder(url: url)).filter { $0.file.hasPrefix("premises/") }
    #expect(
      found.map(\.description) == [
        "提示 premises/c00002.json [premises/c00002]：场所「邹记百货」所在的户（h000001）已归档"
      ])
  }

  @Test func theDaysBackupHoldsThePremisesAndABackupCopyRepairsThem() throws {
    let url = try Self.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    defer { store.close() }
    #expect(try store.takeDailyBackup(on: CivilDate(year: 2026, month: 12, day: 11)) { _ in })
    let backup = url.appendingPathComponent("backups/2026-12-11")
    for path in ["premises/c00001.json", "premises/c00002.json", "inspections/c00002.json"] {
      #expect(
        try Data(contentsOf: backup.appendingPathComponent(path))
          == Data(contentsOf: Self.file(url, path)), "\(path)")
    }
    #expect(
      DataFolder.isUsableCopy(
        try Data(contentsOf: Self.file(url, "premises/c00001.json")), of: "premises/c00001.json"))
    #expect(
      DataFolder.isUsableCopy(
        try Data(contentsOf: Self.file(url, "inspections/c00002.json")),
        of: "inspections/c00002.json"))
    #expect(
      !DataFolder.isUsableCopy(
        try Data(contentsOf: Self.file(url, "inspections/c00002.json")),
        of: "premises/c00002.json"))
  }

  /// A restore brings back a backup and replays the premises saved after it, or stops before
  /// them (`through`).
  @Test func aRestoreReplaysPremisesSavedAfterTheBackup() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try Self.open(url)
    // The template's backup of 2026-12-10 holds no premises; these come after it.
    try store.savePremises([Self.office, Self.shop])
    let beforeInspections = try AuditLog.entries(folder: url).last!.sequence
    try store.saveInspectionRecord(Self.inspections)
    try store.archivePremises(id: "c00001")
    store.close()
    let whole = try JournalTests.dataFiles(url)

    let outcome = try TownStore.restoreBackup(
      folder: DataFolder(url: url), date: "2026-12-10", operatorName: "丙", clock: Self.clock)
    #expect(outcome.unmatched == [])
    #expect(try JournalTests.dataFiles(url) == whole)
    let partial = try TownStore.restoreBackup(
      folder: DataFolder(url: url), date: "2026-12-10", through: beforeInspections,
      operatorName: "丙", clock: Self.clock)
    #expect(partial.unmatched == [])
    let town = try DataFolder(url: url).load()
    #expect(town.premises == [Self.office, Self.shop])
    #expect(town.premisesRecords.isEmpty && town.archivedPremises.isEmpty)
    #expect(JournalTests.errors(url).isEmpty, "\(JournalTests.errors(url))")
  }

  @Test func aNewTownIsCreatedWithItsPremisesAndInspections() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    var town = DataFolderTests.sample
    town.premises = [Self.office, Self.shop]
    town.premisesRecords = ["c00002": Self.inspections]
    let store = try TownStore.create(
      folder: DataFolder(url: url), town: town, operatorName: "demo", clock: Self.clock)
    defer { store.close() }
    #expect(store.town.premises == town.premises)
    #expect(store.town.premisesRecords == town.premisesRecords)
    #expect(JournalTests.errors(url).isEmpty, "\(JournalTests.errors(url))")
    let created = try AuditLog.entries(folder: url).map(\.change.record)
    #expect(created.contains("premises/c00002"))
    #expect(created.contains("inspection/c00002-v1"))
    #expect(created.contains("hazard/c00002-z1"))
    // Empty folders for a town with none.
    let bare = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: bare) }
    try DataFolder(url: bare).create(DataFolderTests.sample)
    for folder in ["premises", "inspections"] {
      #expect(Backups.fileType(bare.appendingPathComponent(folder)) == S_IFDIR)
    }
  }
}

/// A folder written by the version-3 program (`firegrid demo --households 6 --seed 3 --through
/// 2026-12-05`, built from the commit before schema 4): it opens, gains the premises folders,
/// and takes premises.
@Suite(.serialized)
struct PremisesMigrationTests {
  static let versionThreeFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/v3-folder")

  @Test func aVersionThreeFolderOpensGainsThePremisesFoldersAndTakesPremises() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    try FileManager.default.copyItem(at: Self.versionThreeFolder, to: url)
    let townFile = url.appendingPathComponent("town.json")
    #expect(try String(contentsOf: townFile, encoding: .utf8).contains(#""schemaVersion" : 3"#))
    let before = try JournalTests.dataFiles(url)
    // Read as it is: nothing damaged, no premises, and reading writes nothing.
    let report = try DataFolder(url: url).loadReport()
    #expect(report.damaged.isEmpty)
    #expect(report.townFileVersion == 3)
    #expect(report.town.households.count == 6)
    #expect(report.town.premises.isEmpty && report.town.premisesRecords.isEmpty)
    #expect(Backups.fileType(url.appendingPathComponent("premises")) == nil)

    let store = try PremisesStoreTests.open(url)
    // The writer makes the new folders; no data file changes.
    for folder in ["premises", "inspections"] {
      #expect(Backups.fileType(url.appendingPathComponent(folder)) == S_IFDIR, "\(folder)")
      #expect(AuditLogTests.mode(url.appendingPathComponent(folder)) == 0o700, "\(folder)")
    }
    #expect(try JournalTests.dataFiles(url) == before)
    #expect(store.damaged.isEmpty)
    #expect(JournalTests.errors(url).isEmpty, "\(JournalTests.errors(url))")

    // The first premises writes town.json again, as version 4, in the same change.
    let gridID = try #require(store.town.grids.first?.id)
    let shop = Premises(
      id: PremisesRules.nextID(in: store.town), gridID: gridID, name: "村口小卖部", kind: .business,
      businessKind: .shop, householdID: store.town.households.first?.id)
    #expect(PremisesRules.problems(shop, in: store.town) == [])
    try store.savePremises([shop])
    let group = try AuditLog.entries(folder: url).suffix(4).map(\.change)
    #expect(
      group.map { "\($0.record) \($0.field)" } == [
        "premises/c00001 *", "file town.json", "file premises/c00001.json", "commit premises",
      ])
    store.close()
    #expect(try String(contentsOf: townFile, encoding: .utf8).contains(#""schemaVersion" : 4"#))
    // The households stay as version 3 wrote them until they are saved.
    #expect(
      try JournalTests.dataFiles(url).filter { $0.key.hasPrefix("households/") }
        == before.filter { $0.key.hasPrefix("households/") })
    let again = try PremisesStoreTests.open(url, as: "丙")
    defer { again.close() }
    #expect(again.town.premises == [shop])
    #expect(again.town.households == report.town.households)
    #expect(again.town.visitRecords == report.town.visitRecords)
    // A second premises does not write town.json again.
    var school = shop
    school.id = "c00002"
    school.name = "村小学"
    school.kind = .office
    school.businessKind = nil
    school.householdID = nil
    try again.savePremises([school])
    #expect(
      try AuditLog.entries(folder: url).suffix(3).map(\.change.field) == [
        "*", "premises/c00002.json", "premises",
      ])
    #expect(JournalTests.errors(url).isEmpty, "\(JournalTests.errors(url))")
  }
}
