import FiregridModel
import FiregridRepository
import Foundation

/// The premises import (导入场所): a workbook (.xlsx, its first sheet) or a spreadsheet saved as
/// CSV, read and checked against the open town by `PremisesCSV`. Writes nothing: an accepted
/// file's premises are saved through the repository as one change (`savePremises`).
public struct PremisesSpreadsheetImporter: PremisesImporting {
  public init() {}

  public func check(path: String, against town: TownData) -> PremisesImportCheck {
    let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      return .unreadable(path: url.path)
    }
    let table: RosterCSV.Table
    if url.pathExtension.lowercased() == "xlsx" {
      do {
        table = try RosterXLSX.table(url).table
      } catch {
        return .refused(error.message)
      }
    } else {
      do {
        table = try RosterCSV.parse([UInt8](data))
      } catch {
        return .refused(error.message)
      }
    }
    let plan = PremisesCSV.plan(table, into: town)
    guard plan.isAccepted else {
      return .rejected(
        problems: plan.problems.map(\.description), rowCount: plan.rejectedRowCount,
        fileName: url.lastPathComponent)
    }
    return .accepted(
      Self.summary(plan, fileName: url.lastPathComponent), premises: plan.newPremises)
  }

  static func summary(_ plan: PremisesCSV.ImportPlan, fileName: String) -> PremisesImportSummary {
    let kinds = Dictionary(grouping: plan.newPremises, by: \.kind).mapValues(\.count)
    return PremisesImportSummary(
      fileName: fileName, added: plan.newPremises.count, offices: kinds[.office] ?? 0,
      businesses: kinds[.business] ?? 0, mixedUse: kinds[.mixedUse] ?? 0,
      unchanged: plan.unchanged)
  }
}
