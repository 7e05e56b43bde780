import FiregridModel
import Foundation
import Testing

@testable import FiregridStore

/// Visit records, contact logs and campaigns in the data folder (schema 3).
@Suite(.serialized)
struct VisitStorageTests {
  static let clock = TownStore.Clock(
    today: { "2026-12-10" }, now: { "2026-12-10T09:00:00+08:00" })
  static let today = CivilDate(year: 2026, month: 12, day: 10)

  static let form = VisitForm(
    id: "test-form", title: "居民住房消防安全排查表", attachment: "附件6",
    sections: [
      .init(
        id: "s", title: "三清三关", kind: .check,
        items: [.init(id: "passagesClear", label: "通道清"), .init(id: "gasOff", label: "关气源")]),
      .init(
        id: "h", title: "隐患排查", kind: .hazard,
        items: [.init(id: "wiring", label: "电气线路", deadlineDays: 7)]),
    ])

  static func entry(_ day: String, hazard: Bool = false, reviews: [VisitEntry.Review] = [])
    -> VisitEntry
  {
    VisitEntry(
      householdID: "h000001", date: CivilDate(day)!, visitorID: "u001", personsMet: "邹锡华",
      answers: ["passagesClear": .yes, "gasOff": .notApplicable, "wiring": hazard ? .no : .yes],
      findings: hazard ? [.init(checkID: "wiring", description: "电线老化", deadlineDays: 7)] : [],
      reviews: reviews, notes: "备注\"引号\"")
  }

  static func openStore() throws -> (TownStore, URL) {
    let url = DataFolderTests.temporaryFolder()
    try DataFolder(url: url).create(DataFolderTests.sample)
    return (
      try TownStore.open(folder: DataFolder(url: url), operatorName: "王文书", clock: clock), url
    )
  }

  @Test func aVisitRecordSurvivesSaveAndLoadExactly() throws {
    let (store, url) = try Self.openStore()
    defer { try? FileManager.default.removeItem(at: url) }
    var record = VisitRecord(householdID: "h000001")
    (record, _) = try VisitRules.record(
      Self.entry("2026-12-01", hazard: true), in: record, form: Self.form, today: Self.today)
    (record, _) = try VisitRules.record(
      Self.entry("2026-12-09", reviews: [.init(hazardID: "h000001-z1", outcome: .rectified)]),
      in: record, form: Self.form, today: Self.today)
    try store.saveVisitRecord(record)
    store.close()
    let loaded = try DataFolder(url: url).load()
    #expect(loaded.visitRecords["h000001"] == record)
    let text = try String(
      contentsOf: url.appendingPathComponent("visits/h000001.json"), encoding: .utf8)
    #expect(
      text.contains(
        #""visitColumns" : ["id","date","visitorID","personsMet","answers","notes","signed","formID","standInFor"]"#
      ))
    #expect(
      text.contains(
        #"["h000001-v1","2026-12-01","u001","邹锡华","gasOff=- passagesClear=y wiring=n","备注\"引号\"",true,"test-form",null]"#
      ))
    // A file written before 代访 was recorded (8 columns) reads the same, by both readers.
    let older = text.replacingOccurrences(of: #","standInFor"]"#, with: "]")
      .replacingOccurrences(of: ",null]", with: "]")
    let olderFile = try #require(VisitFileReader.read(Data(older.utf8)))
    #expect(olderFile.record == record)
    let decoded = try JSONDecoder().decode(VisitRecordFile.self, from: Data(older.utf8))
    #expect(decoded.record == record)
    // A stand-in survives the round trip, in both readers.
    var standIn = record
    standIn.visits[1].standInFor = "u002"
    try DataFolder(url: url).saveVisitRecord(standIn)
    let standInData = try Data(contentsOf: url.appendingPathComponent("visits/h000001.json"))
    #expect(VisitFileReader.read(standInData)?.record.visits[1].standInFor == "u002")
    #expect(
      try JSONDecoder().decode(VisitRecordFile.self, from: standInData).record.visits[1].standInFor
        == "u002")
    let mode =
      try FileManager.default.attributesOfItem(
        atPath: url.appendingPathComponent("visits/h000001.json").path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  /// `check` says which visits were entered on a form this program does not have: they can
  /// be read, but not shown, corrected or printed on their own form.
  @Test func checkNamesVisitsOnAFormThatIsNotLoaded() throws {
    let (store, url) = try Self.openStore()
    defer { try? FileManager.default.removeItem(at: url) }
    var second = Self.form
    second.formVersion = 2
    var record = VisitRecord(householdID: "h000001")
    (record, _) = try VisitRules.record(
      Self.entry("2026-12-01"), in: record, form: Self.form, today: Self.today)
    (record, _) = try VisitRules.record(
      Self.entry("2026-12-09"), in: record, form: second, today: Self.today)
    try store.saveVisitRecord(record)
    store.close()
    let onlyFirst = try FormRegistry([Self.form])
    let problems = FolderCheck.run(DataFolder(url: url), forms: onlyFirst)
      .filter { $0.message.contains("test-form@2") }
    #expect(problems.count == 1)
    #expect(problems.first?.severity == .warning)
    #expect(problems.first?.record == "visit/\(record.visits[1].id)")
    let both = try FormRegistry([Self.form, second])
    #expect(
      !FolderCheck.run(DataFolder(url: url), forms: both).contains {
        $0.message.contains("test-form")
      })
  }

  @Test func everyVisitAndHazardEventIsAudited() throws {
    let (store, url) = try Self.openStore()
    defer { try? FileManager.default.removeItem(at: url) }
    var record = VisitRecord(householdID: "h000001")
    (record, _) = try VisitRules.record(
      Self.entry("2026-12-01", hazard: true), in: record, form: Self.form, today: Self.today)
    try store.saveVisitRecord(record)
    (record, _) = try VisitRules.record(
      Self.entry("2026-12-09", reviews: [.init(hazardID: "h000001-z1", outcome: .rectified)]),
      in: record, form: Self.form, today: Self.today)
    try store.saveVisitRecord(record)
    try store.saveVisitRecord(record)  // unchanged: nothing written
    store.close()
    let changes = try AuditLog.entries(folder: url).map { "\($0.change.record) \($0.change.field)" }
    // Each save is one group in the journal: its changes, the file it writes, the commit.
    #expect(
      changes.drop { $0 != "commit create" }.dropFirst() == [
        "visit/h000001-v1 *", "hazard/h000001-z1 *", "file visits/h000001.json",
        "commit visits", "visit/h000001-v2 *", "hazard/h000001-z1 events[1]",
        "file visits/h000001.json", "commit visits",
      ])
    #expect(AuditLog.verify(folder: url).isEmpty)
    // The household's creation (when the town was made) and its four visit lines.
    let household = try AuditLog.entries(
      folder: url, records: ["household/h000001"], prefixes: ["visit/h000001-", "hazard/h000001-"])
    #expect(household.map(\.change.record).first == "household/h000001")
    #expect(household.dropFirst().count == 4)
    #expect(household.dropFirst().allSatisfy { $0.operatorName == "王文书" })
    let other = try AuditLog.entries(
      folder: url, records: ["household/h000002"], prefixes: ["visit/h000002-"])
    #expect(other.map(\.change.record) == ["household/h000002"])
  }

  @Test func contactLogsAndTheCampaignAreStored() throws {
    let (store, url) = try Self.openStore()
    defer { try? FileManager.default.removeItem(at: url) }
    let campaign = try store.ensureCampaign(on: Self.today)
    #expect(campaign.name == "2026-27冬春火灾防控")
    try store.saveContactLog(
      ContactLog(
        gridID: "g0001", week: CivilDate("2026-12-02")!, contacted: true, riskReport: "",
        recordedOn: Self.today))
    try store.saveContactLog(
      ContactLog(
        gridID: "g0001", week: CivilDate("2026-11-30")!, contacted: true, riskReport: "火盆",
        recordedOn: Self.today))
    store.close()
    let loaded = try DataFolder(url: url).load()
    #expect(loaded.campaigns == [Campaign.winter(startingIn: 2026)])
    let logs = try #require(loaded.contactLogs["g0001"])
    #expect(logs.count == 1)  // the same week corrected, not added twice
    #expect(logs[0].week == CivilDate("2026-11-30"))
    #expect(logs[0].riskReport == "火盆")
  }

  @Test func aDamagedVisitFileIsReportedAndNeverOverwritten() throws {
    let (store, url) = try Self.openStore()
    defer { try? FileManager.default.removeItem(at: url) }
    let (record, _) = try VisitRules.record(
      Self.entry("2026-12-01"), in: VisitRecord(householdID: "h000001"), form: Self.form,
      today: Self.today)
    try store.saveVisitRecord(record)
    store.close()
    let file = url.appendingPathComponent("visits/h000001.json")
    let broken = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
      of: "passagesClear=y", with: "passagesClear=?")
    try Data(broken.utf8).write(to: file)
    let reopened = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "王文书", clock: Self.clock)
    defer { reopened.close() }
    #expect(reopened.damagedFiles.map(\.relativePath) == ["visits/h000001.json"])
    #expect(reopened.damagedFiles.first?.householdID == "h000001")
    #expect(reopened.town.households.count == 2)  // the roster still loads
    #expect(throws: StoreError.self) { try reopened.saveVisitRecord(record) }
    #expect(try String(contentsOf: file, encoding: .utf8) == broken)
  }

  @Test func aNewerVisitFileIsRefusedAsNewer() throws {
    let (store, url) = try Self.openStore()
    defer { try? FileManager.default.removeItem(at: url) }
    let (record, _) = try VisitRules.record(
      Self.entry("2026-12-01"), in: VisitRecord(householdID: "h000001"), form: Self.form,
      today: Self.today)
    try store.saveVisitRecord(record)
    store.close()
    let file = url.appendingPathComponent("visits/h000001.json")
    let newer = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
      of: "\"schemaVersion\" : \(DataFolder.schemaVersion)",
      with: "\"schemaVersion\" : \(DataFolder.schemaVersion + 1)")
    try Data(newer.utf8).write(to: file)
    let report = try DataFolder(url: url).loadReport()
    guard
      case .newerVersion(_, DataFolder.schemaVersion + 1, DataFolder.schemaVersion)? = report
        .damaged.first?.error
    else {
      Issue.record("expected a newer-version refusal, got \(report.damaged)")
      return
    }
  }

  @Test func archivingAHouseholdKeepsItsVisits() throws {
    let (store, url) = try Self.openStore()
    defer { try? FileManager.default.removeItem(at: url) }
    let (record, _) = try VisitRules.record(
      Self.entry("2026-12-01"), in: VisitRecord(householdID: "h000001"), form: Self.form,
      today: Self.today)
    try store.saveVisitRecord(record)
    try store.archiveHousehold(id: "h000001")
    store.close()
    let manager = FileManager.default
    #expect(!manager.fileExists(atPath: url.appendingPathComponent("visits/h000001.json").path))
    #expect(
      manager.fileExists(atPath: url.appendingPathComponent("archive/visits/h000001.json").path))
    #expect(try DataFolder(url: url).load().visitRecords["h000001"] == nil)
  }

  @Test func checkFindsVisitsThatPointNowhere() throws {
    let (store, url) = try Self.openStore()
    defer { try? FileManager.default.removeItem(at: url) }
    var (record, _) = try VisitRules.record(
      Self.entry("2026-12-01", hazard: true), in: VisitRecord(householdID: "h000001"),
      form: Self.form, today: Self.today)
    record.visits[0].visitorID = "u999"
    record.hazards[0].events[0].visitID = "h000001-v7"
    try store.saveVisitRecord(record)
    var orphan = VisitRecord(householdID: "h000404", visits: [record.visits[0]])
    orphan.visits[0].visitorID = "u001"
    try store.saveVisitRecord(orphan)
    store.close()
    let problems = FolderCheck.run(DataFolder(url: url)).filter { $0.file.hasPrefix("visits/") }
    #expect(
      problems.map(\.description) == [
        "提示 visits/h000001.json [visit/h000001-v1]：走访人 u999 不在名册中",
        "错误 visits/h000001.json [hazard/h000001-z1]：隐患所记的走访 h000001-v7 不存在",
        "错误 visits/h000404.json：走访档案没有对应的户（户已删除或编号不符）",
      ])
  }
}
