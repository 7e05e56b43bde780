import FiregridModel
import Foundation

/// A `Report` on paper: its charts first, then each table as a section starting on a new page
/// (A4 landscape when its columns need it, portrait otherwise) with its title and scope, the
/// header row on every page, wrapped cells, the total row in bold and the footer lines
/// (填报单位、填表人…) after it; 第 n 页 共 m 页 at the foot of every page.
public enum ReportPDF {
  /// Writes the report to `url` (through a temporary file beside it, renamed at the end) and
  /// returns the pages written.
  @discardableResult
  public static func render(report: Report, charts: [ReportChart] = [], to url: URL)
    throws(PrintError) -> Int
  {
    let document = try document(report: report, charts: charts)
    return try PrintRenderer.writePDF(to: url, size: .a4, title: title(of: report)) { canvas in
      document.draw(on: canvas)
    }
  }

  /// The PDF's title: the first table's title and scope.
  public static func title(of report: Report) -> String {
    guard let first = report.tables.first else { return report.kind }
    return [first.title, first.scope].filter { !$0.isEmpty }.joined(separator: " ")
  }

  /// Whether a table with these columns is printed on landscape A4.
  public static func isLandscape(_ columns: [ReportTable.Column]) -> Bool {
    FlowDocument.naturalWidth(columns) > PageSize.a4.width - 2 * FlowDocument.margin
  }

  static let titleFont = Font.sans(16, bold: true)
  static let scopeFont = Font.serif(10)
  static let footerFont = Font.serif(10)

  static func document(report: Report, charts: [ReportChart]) throws(PrintError) -> FlowDocument {
    guard let first = report.tables.first else { throw .nothingToPrint(PrintText.emptyReport) }
    var blocks: [FlowBlock] = []
    if !charts.isEmpty {
      blocks.append(.newPage(.a4))
      blocks += heading(first)
      blocks += charts.map { .chart($0) }
    }
    for table in report.tables {
      blocks.append(.newPage(isLandscape(table.columns) ? .a4Landscape : .a4))
      blocks += heading(table)
      blocks.append(
        .table(
          FlowTable(
            columns: table.columns, rows: table.rows, total: table.total,
            name: table.title.isEmpty ? table.name : table.title)))
      // Three to a line, as on the county's paper forms (填报单位 填表人 审核人 / 联系电话 …).
      for (index, start) in stride(from: 0, to: table.footer.count, by: 3).enumerated() {
        let line = table.footer[start..<min(start + 3, table.footer.count)]
        blocks.append(
          .text(line.joined(separator: "　　　"), font: footerFont, before: index == 0 ? 10 : 4))
      }
    }
    return FlowDocument(blocks: blocks, footerLabel: title(of: report))
  }

  private static func heading(_ table: ReportTable) -> [FlowBlock] {
    var blocks: [FlowBlock] = [
      .text(table.title.isEmpty ? table.name : table.title, font: titleFont, alignment: .center)
    ]
    if !table.scope.isEmpty {
      blocks.append(.text(table.scope, font: scopeFont, alignment: .center, before: 4))
    }
    blocks.append(.text("", font: Font.serif(6)))
    return blocks
  }
}
