import FiregridModel
import Foundation
import Testing

@testable import FiregridStore

struct DataFolderTests {
  static func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-store-\(UUID().uuidString)")
  }

  static let sample = TownData(
    town: Town(name: "三江镇", county: "溆浦县", countyCode: "431224"),
    villages: [Village(id: "v001", name: "龙潭村", liaison: "向红梅", liaisonPhone: "13907451234")],
    grids: [
      Grid(
        id: "g0001", villageID: "v001", name: "第1网格", gridLeaderID: "p0000001",
        wechatGroup: "龙潭村第1网格消防群")
    ],
    households: [
      Household(
        id: "h000002", gridID: "g0001", number: "0002", address: "三江镇龙潭村1组2号",
        persons: [
          Person(
            id: "p0000002", name: "舒桂英", relation: "户主", sex: .female, groups: [.elderlyLivingAlone]
          )
        ],
        visitorID: "u001"),
      Household(
        id: "h000001", gridID: "g0001", number: "0001", address: "三江镇龙潭村1组1号",
        persons: [
          Person(
            id: "p0000001", name: "邹锡华", relation: "户主", sex: .male, idNumber: "43122419650304001X")
        ],
        visitorID: "u001"),
    ],
    visitors: [Visitor(id: "u001", name: "肖煜中", role: .townCadre, phone: "13807450000")])

  @Test func createThenLoadGivesTheSameTownInRosterOrder() throws {
    let url = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = DataFolder(url: url)
    #expect(folder.state == .empty)
    try folder.create(Self.sample)
    #expect(folder.state == .town)
    let loaded = try folder.load()
    #expect(loaded.town == Self.sample.town)
    #expect(loaded.villages == Self.sample.villages)
    #expect(loaded.households.map(\.number) == ["0001", "0002"])
    #expect(loaded.households.first { $0.id == "h000002" } == Self.sample.households[0])
  }

  @Test func elderlyCareIsSavedAndLoadedBack() throws {
    let url = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = DataFolder(url: url)
    var town = Self.sample
    town.households[0].persons[0].groups = [.elderlyLivingAlone]
    town.households[0].persons[0].elderlyCare = ElderlyCare(
      guardianName: "邹大", guardianRelation: "儿子", guardianPhone: "13807451111",
      selfCare: .partlyDisabled, livingSituation: "独居", helperName: "肖煜中",
      helperPhone: "13807450000", visitFrequency: "每周1次", smokeAlarm: true,
      extinguisher: false, notes: "耳背")
    try folder.create(town)
    let loaded = try folder.load()
    #expect(loaded.households.first { $0.id == town.households[0].id } == town.households[0])
    // A person saved without it reads back without it.
    #expect(
      loaded.households.first { $0.id == town.households[1].id }?.persons[0].elderlyCare == nil)
  }

  @Test func filesAreOwnerOnlyAndFoldersPrivate() throws {
    let url = Self.temporaryFolder().appendingPathComponent("nested/data")
    defer {
      try? FileManager.default.removeItem(
        at: url.deletingLastPathComponent().deletingLastPathComponent())
    }
    let folder = DataFolder(url: url)
    try folder.create(Self.sample)
    let manager = FileManager.default
    func mode(_ path: String) throws -> Int {
      try #require(manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }
    #expect(try mode(url.path) == 0o700)
    #expect(try mode(url.appendingPathComponent("households").path) == 0o700)
    #expect(try mode(url.appendingPathComponent("town.json").path) == 0o600)
    for name in try manager.contentsOfDirectory(
      atPath: url.appendingPathComponent("households").path)
    {
      #expect(try mode(url.appendingPathComponent("households/\(name)").path) == 0o600)
    }
    // No temp files are left behind.
    #expect(
      try manager.contentsOfDirectory(atPath: url.path).sorted() == [
        "audit.head", "audit.log", "households", "inspections", "premises", "town.json",
      ])
    #expect(try mode(url.appendingPathComponent("audit.log").path) == 0o600)
  }

  @Test func createRefusesAFolderThatHoldsAnything() throws {
    let url = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try Data("notes".utf8).write(to: url.appendingPathComponent("notes.txt"))
    let folder = DataFolder(url: url)
    #expect(folder.state == .foreign)
    #expect(throws: StoreError.folderNotEmpty(path: url.standardizedFileURL.path)) {
      try folder.create(Self.sample)
    }
    #expect(
      try String(contentsOf: url.appendingPathComponent("notes.txt"), encoding: .utf8) == "notes")
  }

  @Test func aNewerFileIsRefusedAndLeftAlone() throws {
    let url = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = DataFolder(url: url)
    try folder.create(Self.sample)
    let file = url.appendingPathComponent("households/h000001.json")
    let future = try String(contentsOf: file, encoding: .utf8)
      .replacingOccurrences(
        of: "\"schemaVersion\" : \(DataFolder.schemaVersion)", with: "\"schemaVersion\" : 9")
    try Data(future.utf8).write(to: file)
    do {
      _ = try folder.load()
      Issue.record("a newer file was accepted")
    } catch {
      guard case .newerVersion(let path, 9, DataFolder.schemaVersion) = error else {
        Issue.record("wrong error \(error)")
        return
      }
      #expect(path.hasSuffix("h000001.json"))
      #expect(error.message.contains("更新版本"))
    }
    #expect(try String(contentsOf: file, encoding: .utf8) == future)
  }

  @Test func aCorruptedFileIsReportedWithItsName() throws {
    let url = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = DataFolder(url: url)
    try folder.create(Self.sample)
    let file = url.appendingPathComponent("households/h000002.json")
    let original = try Data(contentsOf: file)
    try original.prefix(original.count / 2).write(to: file)
    #expect {
      try folder.load()
    } throws: { error in
      guard let error = error as? StoreError, case .unreadable(let path, _) = error else {
        return false
      }
      return path.hasSuffix("h000002.json") && error.message.contains("不会覆盖")
    }
  }

  @Test func atomicWriteReplacesWholeFile() throws {
    let url = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    try AtomicFile.makeFolder(url)
    let file = url.appendingPathComponent("a.json")
    try AtomicFile.write(Data(String(repeating: "x", count: 10_000).utf8), to: file)
    try AtomicFile.write(Data("short".utf8), to: file)
    #expect(try String(contentsOf: file, encoding: .utf8) == "short")
  }

  @Test(.enabled(if: getuid() != 0, "root ignores file permissions, so this cannot fail as root"))
  func writingIntoAReadOnlyFolderSaysPermissionDenied() throws {
    let url = Self.temporaryFolder()
    defer {
      chmod(url.path, 0o700)
      try? FileManager.default.removeItem(at: url)
    }
    try AtomicFile.makeFolder(url)
    chmod(url.path, 0o500)
    #expect(
      throws: StoreError.permissionDenied(
        path: url.appendingPathComponent(".a.json.\(getpid()).tmp").path)
    ) {
      try AtomicFile.write(Data("x".utf8), to: url.appendingPathComponent("a.json"))
    }
  }

  @Test func defaultLocationFollowsTheEnvironment() {
    #expect(
      DataFolder.defaultLocation(environment: ["FIREGRID_DATA": "/srv/fg", "HOME": "/home/a"]).path
        == "/srv/fg")
    #expect(
      DataFolder.defaultLocation(environment: ["XDG_DATA_HOME": "/x", "HOME": "/home/a"]).path
        == "/x/firegrid")
    #expect(
      DataFolder.defaultLocation(environment: ["HOME": "/home/a"]).path
        == "/home/a/.local/share/firegrid")
  }

  static let versionOneFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/v1-folder")

  @Test func aVersionOneFolderIsMigratedOnLoadAndWrittenAsCurrentOnSave() throws {
    // Work on a copy: the fixture stays as version 1 wrote it.
    let url = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    try FileManager.default.copyItem(at: Self.versionOneFolder, to: url)
    let original = try String(
      contentsOf: url.appendingPathComponent("households/h000001.json"), encoding: .utf8)
    #expect(original.contains("\"schemaVersion\" : 1"))
    let folder = DataFolder(url: url)
    let report = try folder.loadReport()
    #expect(report.damaged.isEmpty)
    #expect(report.town.households.count == 6)
    #expect(report.town.villages.count == 1)
    #expect(report.town.households[0].persons.first?.relation == "户主")
    // Loading writes nothing.
    #expect(
      try String(contentsOf: url.appendingPathComponent("households/h000001.json"), encoding: .utf8)
        == original)
    var household = report.town.households[0]
    household.address += "（迁移后保存）"
    try folder.saveHousehold(household, savedBy: "测试员", savedAt: "2026-11-29T10:00:00+08:00")
    let saved = try String(
      contentsOf: url.appendingPathComponent("households/h000001.json"), encoding: .utf8)
    #expect(saved.contains("\"schemaVersion\" : \(DataFolder.schemaVersion)"))
    #expect(saved.contains("测试员"))
    #expect(try folder.load().households[0].address.hasSuffix("（迁移后保存）"))
  }

  @Test func aDamagedHouseholdIsReportedAndTheRestLoads() throws {
    let url = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = DataFolder(url: url)
    try folder.create(Self.sample)
    try Data("{ \"schemaVersion\" : 2, \"household\" : ".utf8).write(
      to: url.appendingPathComponent("households/h000002.json"))
    let report = try folder.loadReport()
    #expect(report.town.households.map(\.id) == ["h000001"])
    #expect(report.damaged.count == 1)
    #expect(report.damaged[0].relativePath == "households/h000002.json")
    #expect(report.damaged[0].householdID == "h000002")
    #expect(report.damaged[0].error.message.contains("意外结束"))
    // A syntax error in the middle is located by line and column.
    try Data("{\n  \"schemaVersion\" : 2,\n  \"household\" : ,\n}".utf8).write(
      to: url.appendingPathComponent("households/h000002.json"))
    let located = try folder.loadReport().damaged[0].error.message
    #expect(located.contains("第 3 行"), "\(located)")
  }

  /// Files are opened by name in their folder and named by a path made as text: the damaged
  /// ones are still named by their whole path, as the folder's URL names them, whether they do
  /// not parse or cannot be read at all (here a folder where a file belongs).
  @Test func aDamagedFileIsNamedByItsWholePath() throws {
    let url = Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = DataFolder(url: url)
    try folder.create(Self.sample)
    let broken = url.appendingPathComponent("households/h000002.json")
    try Data("{".utf8).write(to: broken)
    let unreadable = url.appendingPathComponent("archive/households/h000009.json")
    try FileManager.default.createDirectory(at: unreadable, withIntermediateDirectories: true)
    let report = try folder.loadReport()
    #expect(
      report.damaged.map(\.relativePath) == [
        "archive/households/h000009.json", "households/h000002.json",
      ])
    let paths = report.damaged.map { damaged -> String? in
      switch damaged.error {
      case .unreadable(let path, _), .io(let path, _): return path
      default: return nil
      }
    }
    #expect(paths == [unreadable.path, broken.path])
    #expect(broken.path.hasPrefix("/") && !broken.path.contains("//"))
  }
}
