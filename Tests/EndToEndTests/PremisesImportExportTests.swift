import FiregridModel
import FiregridStore
import Foundation
import Testing

/// `firegrid import premises` and `firegrid export premises` as a clerk runs them on a demo
/// town of homes only (`demo --no-premises`), and the premises in `summary`.
@Suite(.serialized)
struct PremisesImportExportTests {
  static let header = "村（社区）,网格,场所名称,类别,经营类别,地址,责任人,联系电话,层数,建筑面积,是否住人,住宿人数,所在户号,走访人"

  /// The demo's first village and grid, a 户号 in that village and a visitor's name, read from
  /// the files the demo wrote.
  static func names(in folder: URL) throws -> (village: String, grid: String, visitor: String) {
    let town =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: folder.appendingPathComponent("town.json"))) as! [String: Any]
    let village = (town["villages"] as! [[String: Any]])[0]
    let grid = (town["grids"] as! [[String: Any]]).first {
      $0["villageID"] as? String == village["id"] as? String
    }!
    let visitor = (town["visitors"] as! [[String: Any]])[0]
    return (village["name"] as! String, grid["name"] as! String, visitor["name"] as! String)
  }

  /// Every file of the folder (path → bytes), backups and the lock included.
  static func snapshot(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: folder.path)
    while let path = enumerator?.nextObject() as? String {
      var isFolder: ObjCBool = false
      let url = folder.appendingPathComponent(path)
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder),
        !isFolder.boolValue
      {
        files[path] = try Data(contentsOf: url)
      }
    }
    return files
  }

  static func goodRows(_ n: (village: String, grid: String, visitor: String)) -> [String] {
    [
      "\(n.village),\(n.grid),\(n.village)村部,办公场所,,村部大院,向红梅,0745-3123456,2,300,否,,,\(n.visitor)",
      "\(n.village),\(n.grid),向记百货,多合一场所,商店,商贸街1号,向红梅,13907451234,3,180,是,4,0001,\(n.visitor)",
      "\(n.village),\(n.grid),舒家作坊,生产经营性场所,作坊,,,,1,60,,,,",
    ]
  }

  @Test func plantedBadRowsAreRefusedByRowAndNothingIsWritten() throws {
    let demo = try EndToEndTests.makeDemo(households: 30, premises: false)
    let csv = ImportExportTests.temporary("premises").appendingPathExtension("csv")
    defer {
      for url in [demo, csv] { try? FileManager.default.removeItem(at: url) }
    }
    let n = try Self.names(in: demo)
    let rows =
      Self.goodRows(n) + [
        "\(n.village),第99网格,无处小店,生产经营性场所,商店,,,,,,,,,",
        "\(n.village),\(n.grid),怪店,超市,杂货,,,,,,,,,",
        "\(n.village),\(n.grid),向记百货,生产经营性场所,商店,,,,,,,,,",
      ]
    try Data(([Self.header] + rows).joined(separator: "\n").utf8).write(to: csv)
    let before = try Self.snapshot(demo)
    let (status, out, err) = try EndToEndTests.run([
      "import", "premises", csv.path, "--data", demo.path, "--operator", "测试员",
    ])
    #expect(status == 1, "\(out)\(err)")
    #expect(out.contains("有问题的行（共 3 行）"), "\(out)")
    #expect(out.contains("第5行：网格「第99网格」不在「\(n.village)」的名册上"), "\(out)")
    #expect(out.contains("第6行：类别「超市」无法识别"), "\(out)")
    #expect(out.contains("第6行：经营类别「杂货」无法识别"), "\(out)")
    #expect(out.contains("第7行：场所「向记百货」与第3行同名"), "\(out)")
    #expect(out.contains("未导入：没有写入任何改动"))
    #expect(try Self.snapshot(demo) == before)
  }

  @Test func aGoodFileIsImportedAndItsExportImportsBackUnchanged() throws {
    let demo = try EndToEndTests.makeDemo(households: 30, premises: false)
    let csv = ImportExportTests.temporary("premises").appendingPathExtension("csv")
    let exported = ImportExportTests.temporary("exported").appendingPathExtension("csv")
    let again = ImportExportTests.temporary("again").appendingPathExtension("csv")
    let workbook = ImportExportTests.temporary("exported").appendingPathExtension("xlsx")
    defer {
      for url in [demo, csv, exported, again, workbook] {
        try? FileManager.default.removeItem(at: url)
      }
    }
    let n = try Self.names(in: demo)
    try Data(([Self.header] + Self.goodRows(n)).joined(separator: "\r\n").utf8).write(to: csv)
    var (status, out, err) = try EndToEndTests.run([
      "import", "premises", csv.path, "--data", demo.path, "--dry-run",
    ])
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("检查通过（--dry-run，未写入）"), "\(out)")
    (status, out, err) = try EndToEndTests.run([
      "import", "premises", csv.path, "--data", demo.path, "--operator", "测试员",
    ])
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("新增 3 处场所（办公 1，生产经营 1，多合一 1）"), "\(out)")
    for id in ["c00001", "c00002", "c00003"] {
      #expect(
        FileManager.default.fileExists(
          atPath: demo.appendingPathComponent("premises/\(id).json").path), "\(id)")
    }

    (status, _, err) = try EndToEndTests.run([
      "export", "premises", "--data", demo.path, "--out", exported.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(err.contains("已导出 3 处场所"), "\(err)")
    let bytes = try Data(contentsOf: exported)
    #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
    #expect(text.hasPrefix(Self.header + "\r\n"))
    #expect(text.contains("向记百货,多合一场所,商店,商贸街1号,向红梅,13907451234,3,180,是,4,0001,\(n.visitor)"))
    (status, _, err) = try EndToEndTests.run([
      "export", "premises", "--data", demo.path, "--out", workbook.path,
    ])
    #expect(status == 0, "\(err)")

    // Both exports import back adding nothing, and write nothing.
    let before = try Self.snapshot(demo)
    for file in [exported, workbook] {
      (status, out, err) = try EndToEndTests.run([
        "import", "premises", file.path, "--data", demo.path, "--operator", "测试员",
      ])
      #expect(status == 0, "\(out)\(err)")
      #expect(out.contains("没有需要新增的内容；已有且相同、跳过 3 处"), "\(out)")
    }
    #expect(try Self.snapshot(demo) == before)
    (status, _, err) = try EndToEndTests.run([
      "export", "premises", "--data", demo.path, "--out", again.path,
    ])
    #expect(try Data(contentsOf: again) == bytes)

    let (checkStatus, checkOut, _) = try EndToEndTests.run(["check", "--data", demo.path])
    #expect(checkStatus == 0, "\(checkOut)")
    #expect(!checkOut.contains("premises/"), "\(checkOut)")
  }

  @Test func summaryCountsPremisesByKindWithTheirInspectionsAndHazards() throws {
    let demo = try EndToEndTests.makeDemo(households: 30, premises: false)
    let csv = ImportExportTests.temporary("premises").appendingPathExtension("csv")
    defer {
      for url in [demo, csv] { try? FileManager.default.removeItem(at: url) }
    }
    var (status, out, _) = try EndToEndTests.run(["summary", "--data", demo.path, "--json"])
    #expect(status == 0)
    var json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
    #expect(
      json["premises"] as? [String: Int] == [
        "office": 0, "business": 0, "mixedUse": 0, "total": 0,
      ])
    let n = try Self.names(in: demo)
    try Data(([Self.header] + Self.goodRows(n)).joined(separator: "\n").utf8).write(to: csv)
    (status, out, _) = try EndToEndTests.run(["import", "premises", csv.path, "--data", demo.path])
    #expect(status == 0, "\(out)")
    // The shop inspected twice in round 1 (11-20 to 11-30): a hazard overdue on 11-29, one
    // put right on the spot.
    let store = try TownStore.open(folder: DataFolder(url: demo), operatorName: "测试员")
    let day = CivilDate(year: 2026, month: 11, day: 25)
    func inspection(_ number: Int) -> Visit {
      Visit(
        id: "c00002-v\(number)", householdID: "c00002", date: day, visitorID: nil,
        personsMet: "向红梅", answers: [:], formID: "business-premises")
    }
    try store.saveInspectionRecord(
      VisitRecord(
        householdID: "c00002", visits: [inspection(1), inspection(2)],
        hazards: [
          Hazard(
            id: "c00002-z1", householdID: "c00002", checkID: "wiring", description: "私拉电线",
            events: [
              HazardEvent(
                kind: .found, date: day, visitID: "c00002-v1",
                deadline: CivilDate(year: 2026, month: 11, day: 28))
            ]),
          Hazard(
            id: "c00002-z2", householdID: "c00002", checkID: "exits", description: "通道堵塞",
            events: [HazardEvent(kind: .rectifiedOnSpot, date: day, visitID: "c00002-v2")]),
        ]))
    store.close()
    (status, out, _) = try EndToEndTests.run(["summary", "--data", demo.path, "--json"])
    json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
    #expect(
      json["premises"] as? [String: Int] == [
        "office": 1, "business": 1, "mixedUse": 1, "total": 3,
      ])
    #expect(
      json["premisesInspections"] as? [String: Int] == [
        "total": 2, "inRound": 2, "premisesInspectedInRound": 1, "premisesNotInspectedInRound": 2,
      ])
    #expect(
      json["premisesHazards"] as? [String: Int] == [
        "found": 2, "open": 0, "awaitingCheck": 0, "overdue": 1, "closed": 1,
      ])
    // The household counts are as before.
    #expect(json["households"] as? Int == 30)
    let (_, text, _) = try EndToEndTests.run(["summary", "--data", demo.path])
    #expect(text.contains("场所\t3（办公 1，生产经营 1，多合一 1）"), "\(text)")
  }
}
