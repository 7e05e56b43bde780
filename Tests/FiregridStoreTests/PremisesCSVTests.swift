import FiregridModel
import FiregridRepository
import FiregridSheets
import Foundation
import Testing

@testable import FiregridStore

/// The premises spreadsheet (场所): planning an import, exporting, both formats.
struct PremisesCSVTests {
  static let header = "村（社区）,网格,场所名称,类别,经营类别,地址,责任人,联系电话,层数,建筑面积,是否住人,住宿人数,所在户号,走访人"

  /// The sample town with its office already on the roster.
  static var town: TownData {
    var town = DataFolderTests.sample
    town.premises = [PremisesStoreTests.office]
    return town
  }

  static func table(_ lines: [String]) throws -> RosterCSV.Table {
    try RosterCSV.parse(Array(([header] + lines).joined(separator: "\r\n").utf8))
  }

  @Test func aGoodFileAddsItsPremisesWithNewIDs() throws {
    let plan = PremisesCSV.plan(
      try Self.table([
        "龙潭村,第1网格,邹记百货,多合一场所,商店,三江镇龙潭村1组1号,邹锡华,0745 3123456,3,180㎡,是,4,0001,肖煜中",
        "",
        "龙潭村,第1网格,龙潭小学,办公场所,,龙潭村2组,向红梅,,2,800.0,否,,,",
      ]), into: Self.town)
    #expect(plan.problems == [])
    #expect(plan.dataRows == 2)
    #expect(plan.newPremises.map(\.id) == ["c00002", "c00003"])
    var shop = PremisesStoreTests.shop
    shop.responsiblePhone = "0745-3123456"
    #expect(plan.newPremises[0] == shop)
    #expect(plan.newPremises[1].floorArea == 800)
    #expect(plan.newPremises[1].peopleSleep == false)
    #expect(plan.newPremises[1].businessKind == nil)
    #expect(plan.town.premises.count == 3)
  }

  @Test func everyProblemOfEveryRowIsNamedAndNothingIsAdded() throws {
    let plan = PremisesCSV.plan(
      try Self.table([
        "龙潭村,第1网格,好店,生产经营性场所,商店,,,,,,,,,",
        "石门村,第1网格,远店,生产经营性场所,商店,,,,,,,,,",
        "龙潭村,第9网格,无网格店,办公场所,,,,,,,,,,",
        "龙潭村,第1网格,,超市,杂货,,,,三层,,也许,,,",
        "龙潭村,第1网格,邹记作坊,生产经营性场所,,,,1390745123,0,,否,2,0099,张三",
        "龙潭村,第1网格,好店,生产经营性场所,商店,,,,,,,,,",
        "龙潭村,第1网格,龙潭村村部,办公场所,,龙潭村1组,向红梅,13907451234,3,300,否,,,肖煜中",
      ]), into: Self.town)
    #expect(
      plan.problems.map(\.description) == [
        "第3行：村（社区）「石门村」不在名册上：请先导入花名册或在程序中添加",
        "第4行：网格「第9网格」不在「龙潭村」的名册上",
        "第5行：缺少必填项：场所名称",
        "第5行：类别「超市」无法识别，应为 办公场所、生产经营性场所 或 多合一场所",
        "第5行：经营类别「杂货」无法识别，应为 商店、餐饮、作坊、农家乐、小旅馆、其他 之一",
        "第5行：层数「三层」应为整数",
        "第5行：是否住人「也许」无法识别，应为 是、否 或留空",
        "第6行：所在户号 0099 在「龙潭村」的名册上没有",
        "第6行：走访人「张三」不在名册上",
        "第7行：场所「好店」与第2行同名（同一村（社区）的场所名称不能重复）",
        "第8行：本村（社区）已有场所「龙潭村村部」（c00001），与表中不同（层数）：导入只新增，不修改已有场所；请在程序中修改",
      ])
    #expect(plan.rejectedRowCount == 6)
    #expect(!plan.isAccepted)
    #expect(plan.town.premises == Self.town.premises)
    // The model's rules, once the cells read.
    let rules = PremisesCSV.plan(
      try Self.table(["龙潭村,第1网格,邹记作坊,生产经营性场所,,,,1390745123,0,,否,2,,"]),
      into: Self.town)
    #expect(
      rules.problems.map(\.description) == [
        "第2行：生产经营性场所须填经营类别", "第2行：填了住宿人数，但“是否住人”不是“是”", "第2行：层数应在 1–99 之间：0",
        "第2行：联系电话：手机号应为11位，现在是10位",
      ])
  }

  @Test func theHeaderIsFoundUnderTitleRowsAndMissingColumnsAreNamed() throws {
    let titled = try RosterCSV.parse(
      Array(
        "三江镇场所台账\r\n\r\n村,网格名称,场所,场所类别,备注\r\n龙潭村,第1网格,龙潭小学,办公,新建\r\n".utf8))
    let plan = PremisesCSV.plan(titled, into: Self.town)
    #expect(plan.problems == [])
    #expect(plan.headerRow == 3)
    #expect(plan.ignoredColumns == ["备注"])
    #expect(plan.newPremises.map(\.name) == ["龙潭小学"])
    let missing = PremisesCSV.plan(
      try RosterCSV.parse(Array("村（社区）,场所名称,地址\r\n龙潭村,小学,\r\n".utf8)), into: Self.town)
    #expect(missing.problems.map(\.description) == ["第1行：表头缺少必需的列：网格、类别"])
    let none = PremisesCSV.plan(try RosterCSV.parse(Array("a,b\r\n1,2\r\n".utf8)), into: Self.town)
    #expect(none.problems.first?.message.hasPrefix("找不到表头") == true)
    let empty = PremisesCSV.plan(try Self.table([]), into: Self.town)
    #expect(empty.problems.map(\.description) == ["第2行：表头下面没有任何数据行"])
  }

  @Test func theExportImportsBackUnchanged() throws {
    var town = Self.town
    town.premises.append(PremisesStoreTests.shop)
    var odd = PremisesStoreTests.shop
    odd.id = "c00003"
    odd.name = "引号\"与,逗号"
    odd.responsiblePhone = "139 0745 1234"
    odd.householdID = nil
    town.premises.append(odd)
    let text = PremisesCSV.export(town)
    #expect(text.hasPrefix(Self.header + "\r\n"))
    #expect(text.contains("\"引号\"\"与,逗号\""))
    #expect(
      text.contains("龙潭村,第1网格,邹记百货,多合一场所,商店,三江镇龙潭村1组1号,邹锡华,0745-3123456,3,180,是,4,0001,肖煜中"))
    let plan = PremisesCSV.plan(try RosterCSV.parse(Array(text.utf8)), into: town)
    #expect(plan.problems == [])
    #expect(plan.unchanged == 3)
    #expect(!plan.hasChanges)

    // The workbook holds the same cells, and reads back the same.
    let url = DataFolderTests.temporaryFolder().appendingPathExtension("xlsx")
    defer { try? FileManager.default.removeItem(at: url) }
    try XLSXWriter.write(PremisesCSV.workbook(town), to: url)
    let read = try RosterXLSX.table(url)
    #expect(read.sheet == PremisesCSV.sheetName)
    #expect(read.table.rows == PremisesCSV.rows(town))
    guard
      case .accepted(let summary, let premises) = PremisesSpreadsheetImporter().check(
        path: url.path, against: town)
    else {
      Issue.record("the exported workbook was not accepted")
      return
    }
    #expect(premises.isEmpty)
    #expect(summary.unchanged == 3)
  }

  @Test func theImporterReadsCSVInGB18030AndReportsWhatItAdds() throws {
    let url = DataFolderTests.temporaryFolder().appendingPathExtension("csv")
    defer { try? FileManager.default.removeItem(at: url) }
    let text = [
      Self.header, "龙潭村,第1网格,邹记百货,多合一场所,商店,,,,,,是,4,0001,", "龙潭村,第1网格,龙潭小学,办公场所,,,,,,,,,,",
    ]
    .joined(separator: "\r\n")
    try Data(try RosterCSV.encode(text, as: .gb18030)).write(to: url)
    guard
      case .accepted(let summary, let premises) = PremisesSpreadsheetImporter().check(
        path: url.path, against: Self.town)
    else {
      Issue.record("not accepted")
      return
    }
    #expect(
      summary
        == PremisesImportSummary(
          fileName: url.lastPathComponent, added: 2, offices: 1, businesses: 0, mixedUse: 1,
          unchanged: 0))
    #expect(premises.map(\.id) == ["c00002", "c00003"])

    try Data((Self.header + "\r\n龙潭村,第1网格,,办公场所,,,,,,,,,,\r\n").utf8).write(to: url)
    guard
      case .rejected(let problems, 1, url.lastPathComponent) = PremisesSpreadsheetImporter().check(
        path: url.path, against: Self.town)
    else {
      Issue.record("not rejected")
      return
    }
    #expect(problems == ["第2行：缺少必填项：场所名称"])
    guard
      case .unreadable = PremisesSpreadsheetImporter().check(
        path: "/nonexistent/x.csv", against: Self.town)
    else {
      Issue.record("a missing file was read")
      return
    }
  }

  @Test func anImportIsOneChangeNamingItsFile() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try PremisesStoreTests.open(url)
    defer { store.close() }
    try store.savePremises(
      [PremisesStoreTests.office, PremisesStoreTests.shop], importedFrom: "场所.xlsx")
    let group = try AuditLog.entries(folder: url).suffix(6).map(\.change)
    #expect(
      group.map { "\($0.record) \($0.field)" } == [
        "premises/c00001 *", "premises/c00002 *", "import/premises file",
        "file premises/c00001.json", "file premises/c00002.json", "commit import",
      ])
    #expect(group[2].after == "导入场所 场所.xlsx：新增 2 处")
  }
}
