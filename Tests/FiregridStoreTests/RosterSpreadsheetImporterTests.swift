import FiregridModel
import FiregridRepository
import FiregridSheets
import Foundation
import Testing

@testable import FiregridStore

struct RosterSpreadsheetImporterTests {
  typealias T = RosterCSVTesting

  /// `bytes` saved as a file named `name` in a new folder.
  static func file(_ bytes: [UInt8], named name: String = "名册.csv") throws -> URL {
    let folder = T.temporaryFolder()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
  }

  /// The sample roster is accepted into a town without villages, as one edit that a store
  /// applies whole; checked again, it adds nothing.
  @Test func anAcceptedFileBecomesOneEditAndAddsNothingTheSecondTime() throws {
    let csv = try Self.file(try RosterCSVImportTests.sample())
    defer { try? FileManager.default.removeItem(at: csv.deletingLastPathComponent()) }
    let url = T.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let store = try TownStore.create(
      folder: DataFolder(url: url), town: TownData(town: Town(name: "三江镇")),
      operatorName: "向红梅", clock: RosterCSVImportTests.clock)
    defer { store.close() }

    let importer = RosterSpreadsheetImporter()
    guard
      case .accepted(let summary, let edit?) = importer.check(path: csv.path, against: store.town)
    else {
      Issue.record("not accepted with an edit")
      return
    }
    #expect(
      summary
        == RosterImportSummary(
          fileName: "名册.csv", villages: 2, grids: 3, households: 15, persons: 30,
          unchangedHouseholds: 0))
    #expect(edit.townRecordsChanged)
    #expect(edit.changedHouseholds.count == 15)
    #expect(edit.warnings.isEmpty)
    try store.apply(edit)
    #expect(store.town.households.count == 15)
    #expect(store.town.villages.map(\.name) == ["龙潭村", "江东社区"])

    guard case .accepted(let again, nil) = importer.check(path: csv.path, against: store.town)
    else {
      Issue.record("the same file checked again should add nothing")
      return
    }
    #expect(again.households == 0 && again.unchangedHouseholds == 15)
  }

  /// The app's import takes a workbook too: the sample roster written as .xlsx (the way the
  /// export writes it) is accepted with the same summary as its CSV.
  @Test func aWorkbookIsReadLikeItsCSV() throws {
    let csv = try Self.file(try RosterCSVImportTests.sample())
    defer { try? FileManager.default.removeItem(at: csv.deletingLastPathComponent()) }
    let town = TownData(town: Town(name: "三江镇"))
    guard
      case .accepted(let fromCSV, let csvEdit?) = RosterSpreadsheetImporter().check(
        path: csv.path, against: town)
    else {
      Issue.record("the CSV was not accepted")
      return
    }
    let xlsx = csv.deletingLastPathComponent().appendingPathComponent("名册.xlsx")
    try XLSXWriter.write(RosterXLSX.workbook(csvEdit.town), to: xlsx)
    guard
      case .accepted(let fromXLSX, let edit?) = RosterSpreadsheetImporter().check(
        path: xlsx.path, against: town)
    else {
      Issue.record("the workbook was not accepted")
      return
    }
    #expect(fromXLSX.households == fromCSV.households)
    #expect(fromXLSX.persons == fromCSV.persons)
    #expect(edit.town.households.map(\.number) == csvEdit.town.households.map(\.number))
    let notAWorkbook = csv.deletingLastPathComponent().appendingPathComponent("假.xlsx")
    try Data("村,网格\n".utf8).write(to: notAWorkbook)
    guard case .refused = RosterSpreadsheetImporter().check(path: notAWorkbook.path, against: town)
    else {
      Issue.record("a CSV named .xlsx was not refused")
      return
    }
  }

  @Test func aBadRowRejectsTheFileWithEveryProblem() throws {
    var text = String(decoding: try RosterCSVImportTests.sample(), as: UTF8.self)
    text = text.replacingOccurrences(of: ",13907455678,", with: ",1390745567,")
    let csv = try Self.file(Array(text.utf8), named: "坏.csv")
    defer { try? FileManager.default.removeItem(at: csv.deletingLastPathComponent()) }
    let town = TownData(town: Town(name: "三江镇"))
    let plan = RosterCSV.plan(try RosterCSV.parse(Array(text.utf8)), into: town)
    guard
      case .rejected(let rows, let rowCount, let fileName) = RosterSpreadsheetImporter().check(
        path: csv.path, against: town)
    else {
      Issue.record("not rejected")
      return
    }
    #expect(fileName == "坏.csv")
    #expect(rows.count == 1)
    #expect(rowCount == plan.rejectedRowCount)
    #expect(rows == plan.problems.map(\.description))
    #expect(rows.first?.contains("12") == true)
  }

  @Test func aFileThatIsNotATableIsRefusedAndAMissingOneUnreadable() throws {
    let csv = try Self.file(Array((T.header + "\n\"龙潭村,第1网格\n").utf8))
    defer { try? FileManager.default.removeItem(at: csv.deletingLastPathComponent()) }
    let town = TownData(town: Town(name: "三江镇"))
    guard
      case .refused(let message) = RosterSpreadsheetImporter().check(
        path: csv.path, against: town)
    else {
      Issue.record("not refused")
      return
    }
    #expect(message == RosterCSV.ParseError.unterminatedQuote(row: 2).message)

    let missing = csv.deletingLastPathComponent().appendingPathComponent("没有.csv").path
    guard
      case .unreadable(let path) = RosterSpreadsheetImporter().check(
        path: missing, against: town)
    else {
      Issue.record("not unreadable")
      return
    }
    #expect(path == missing)
  }
}
