import Foundation

/// CSV as Excel and WPS open it: UTF-8 with a byte-order mark (without it Chinese Excel reads
/// the file as GBK), RFC 4180 quoting (a cell with a comma, a quote, a line break, or spaces at
/// its ends is quoted, quotes doubled), CRLF line ends.
///
/// CSV has no types: a code cell is written as its digits, and Excel will show an ID number as
/// 4.31224E+17 if the clerk opens the file by double-click. XLSX keeps it text; CSV is for
/// other programs.
public enum CSVWriter {
  /// The file's bytes for `rows`.
  public static func data(_ rows: [[String]]) -> Data {
    var text = ""
    for row in rows {
      text += row.map(quoted).joined(separator: ",")
      text += "\r\n"
    }
    return Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
  }

  /// A sheet's rows as shown (a share as 12.5%).
  public static func rows(_ sheet: Workbook.Sheet) -> [[String]] {
    sheet.rows.map { $0.map(\.shownText) }
  }

  /// Writes `rows` to `url` atomically, owner-only (0600).
  public static func write(_ rows: [[String]], to url: URL) throws(SheetError) {
    try SheetFile.write(data(rows), to: url)
  }

  /// A cell, quoted when it must be.
  public static func quoted(_ cell: String) -> String {
    let needsQuotes =
      cell.utf8.contains {
        $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n")
          || $0 == UInt8(ascii: "\r")
      } || cell.first?.isWhitespace == true || cell.last?.isWhitespace == true
    guard needsQuotes else { return cell }
    return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
