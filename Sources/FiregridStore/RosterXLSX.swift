import FiregridModel
import FiregridSheets
import Foundation

/// The roster as an Excel workbook (.xlsx), both ways, around the CSV import and export so
/// that both formats have the same columns and the same row checks:
///
/// - `table(_:sheet:)`: a sheet's cells as the `RosterCSV.Table` the CSV import plans from
///   (rows numbered as in Excel, so a rejected row's number is the one the clerk sees);
/// - `workbook(_:)`: the CSV export's rows as one sheet, 户号, 身份证号 and 联系电话 stored as
///   text (Excel keeps 0001 and 18-digit ID numbers whole), the header bold and frozen.
public enum RosterXLSX {
  /// The sheet the export writes.
  public static let sheetName = "花名册"

  /// The cells of the first sheet, or of the sheet named `sheet`, and the name of the sheet
  /// read.
  public static func table(_ url: URL, sheet: String? = nil) throws(SheetError) -> (
    table: RosterCSV.Table, sheet: String
  ) {
    var name = sheet ?? ""
    if sheet == nil { name = try XLSXReader.sheetNames(url).first ?? "" }
    let rows = try XLSXReader.read(url, sheet: sheet)
    return (RosterCSV.Table(rows: rows, encoding: .utf8, delimiter: ","), name)
  }

  /// The roster as a workbook: exactly the cells of `RosterCSV.export` (read back from its
  /// text, so a column added to the CSV export is in the workbook too, without a second list
  /// of columns to keep in step).
  public static func workbook(_ town: TownData) -> Workbook {
    let rows: [[String]]
    do {
      rows = try RosterCSV.parse(Array(RosterCSV.export(town).utf8)).rows
    } catch {
      // The export is UTF-8 with balanced quotes: it always parses.
      preconditionFailure("the roster export does not parse: \(error.message)")
    }
    let codes: Set<String> = [
      RosterCSV.Column.householdNumber.header, RosterCSV.Column.idNumber.header,
      RosterCSV.Column.phone.header,
    ]
    let header = rows.first ?? []
    let isCode = header.map { codes.contains($0) }
    var cells: [[Workbook.Cell]] = [header.map { .text($0) }]
    cells.reserveCapacity(rows.count)
    for row in rows.dropFirst() {
      cells.append(
        row.enumerated().map { index, text in
          if text.isEmpty { return .empty }
          return index < isCode.count && isCode[index] ? .code(text) : .text(text)
        })
    }
    let widths = header.indices.map { index in
      let widest = rows.prefix(500).map { index < $0.count ? displayWidth($0[index]) : 0 }.max()
      return Double(min(max(widest ?? 0, 4), 40) + 2)
    }
    return Workbook(sheets: [
      Workbook.Sheet(
        name: sheetName, rows: cells, columnWidths: widths, headerRow: 0, frozenRows: 1)
    ])
  }

  /// Columns a text takes: two for a wide (Chinese) character, one for others.
  static func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
  }
}
