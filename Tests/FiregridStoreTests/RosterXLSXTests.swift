import FiregridModel
import FiregridSheets
import Foundation
import Testing

@testable import FiregridStore

/// The roster workbook: the CSV export's cells with codes kept as text, and a sheet read back
/// into the same plan as the CSV.
struct RosterXLSXTests {
  typealias T = RosterCSVTesting

  static func town() throws -> TownData {
    let table = try T.rows([
      T.line(
        leader: "邹锡华", number: "0001", name: "邹锡华", id: T.id(1), phone: "13807451234",
        address: "1组1号", groups: "独居老人"),
      T.line(
        leader: "邹锡华", number: "0001", name: "舒桂英", relation: "配偶", sex: "女",
        id: T.id(2, male: false), address: "1组1号"),
      T.line(
        village: "新建村", grid: "第2网格", number: "0010", name: "向红", id: T.id(3),
        address: "A&B <\"2\">"),
    ])
    let plan = RosterCSV.plan(table, into: TownData(town: Town(name: "三江镇")))
    #expect(plan.isAccepted, "\(plan.problems)")
    return plan.town
  }

  @Test func theWorkbookIsTheCSVExportWithCodesAsText() throws {
    let town = try Self.town()
    let workbook = RosterXLSX.workbook(town)
    let sheet = try #require(workbook.sheets.first)
    #expect(sheet.name == "花名册")
    #expect(sheet.headerRow == 0)
    #expect(sheet.frozenRows == 1)
    let csv = try RosterCSV.parse(Array(RosterCSV.export(town).utf8)).rows
    #expect(sheet.rows.map { $0.map(\.storedText) } == csv)
    let first = sheet.rows[1]
    #expect(first[3] == .code("0001"))
    #expect(first[7] == .code(T.id(1)))
    #expect(first[8] == .code("13807451234"))
    #expect(first[0] == .text("龙潭村"))
  }

  @Test func aWrittenWorkbookPlansLikeTheCSV() throws {
    let town = try Self.town()
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-roster-xlsx-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("名册.xlsx")
    try XLSXWriter.write(RosterXLSX.workbook(town), to: url)

    let read = try RosterXLSX.table(url)
    #expect(read.sheet == "花名册")
    let plan = RosterCSV.plan(read.table, into: TownData(town: Town(name: "三江镇")))
    #expect(plan.isAccepted, "\(plan.problems)")
    #expect(plan.newHouseholds.count == 2)
    #expect(RosterCSV.export(plan.town) == RosterCSV.export(town))
    #expect(throws: SheetError.self) { try RosterXLSX.table(url, sheet: "Sheet1") }
  }
}
