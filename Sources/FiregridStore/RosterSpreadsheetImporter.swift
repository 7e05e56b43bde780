import FiregridModel
import FiregridRepository
import Foundation

/// The app's roster import (导入名册): a workbook (.xlsx) or a spreadsheet saved as CSV, read and checked against
/// the open town by `RosterCSV`. Writes nothing: an accepted file becomes one roster edit the
/// clerk confirms, applied through the repository like any other (all or nothing).
public struct RosterSpreadsheetImporter: RosterImporting {
  public init() {}

  public func check(path: String, against town: TownData) -> RosterImportCheck {
    let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      return .unreadable(path: url.path)
    }
    let table: RosterCSV.Table
    // A workbook (.xlsx) is read from its first sheet; anything else as CSV text, whose
    // reader says what is wrong with a file that is neither.
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
    let plan = RosterCSV.plan(table, into: town)
    guard plan.isAccepted else {
      return .rejected(
        problems: plan.problems.map(\.description), rowCount: plan.rejectedRowCount,
        fileName: url.lastPathComponent)
    }
    let summary = RosterImportSummary(
      fileName: url.lastPathComponent, villages: plan.newVillages.count,
      grids: plan.newGrids.count, households: plan.newHouseholds.count,
      persons: plan.newPersonCount, unchangedHouseholds: plan.unchangedHouseholds)
    // New grids and villages, and leaders for grids that had none, are town records; the
    // households are new files.
    let edit =
      plan.hasChanges
      ? RosterEdit.Outcome(
        town: plan.town, changedHouseholds: plan.newHouseholds, townRecordsChanged: true,
        warnings: plan.warnings.map(\.description)) : nil
    return .accepted(summary, edit: edit)
  }
}
