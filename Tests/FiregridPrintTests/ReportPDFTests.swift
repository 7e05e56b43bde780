import FiregridModel
import Foundation
import Testing

@testable import FiregridPrint

/// Reports on paper as a clerk checks them: what `pdftotext` reads on each page, the page size
/// `pdfinfo` reports, and the pixels `pdftoppm` draws where the charts' bars are.
@Suite struct ReportPDFTests {
  static func temporaryURL() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-report-test-\(UUID().uuidString).pdf")
  }

  static let longText =
    "该户厨房电线老化且私拉乱接，灶台旁堆放柴草和纸箱，楼道停放电动自行车并在室内充电，已当场告知并约定三日内整改完毕后复查"

  static func villageTable(rows: Int) -> ReportTable {
    let columns = [
      ReportTable.Column(id: "village", label: "村（社区）", kind: .text, width: 12),
      ReportTable.Column(id: "number", label: "户号", kind: .code, width: 8),
      ReportTable.Column(id: "households", label: "应走访户数", kind: .count, width: 10),
      ReportTable.Column(id: "visited", label: "已走访户数", kind: .count, width: 10),
      ReportTable.Column(id: "share", label: "走访率", kind: .share, width: 8),
      ReportTable.Column(id: "note", label: "情况说明", kind: .text, width: 30),
    ]
    let body: [[ReportTable.Cell]] = (1...rows).map { n in
      let note: ReportTable.Cell = n % 5 == 0 ? .text(longText) : .text("正常")
      let share: ReportTable.Cell = .share(Double(90 + n) / Double(100 + n))
      let number: ReportTable.Cell = .text(String(format: "43122400%04d", n))
      return [.text("第\(n)村"), number, .count(100 + n), .count(90 + n), share, note]
    }
    return ReportTable(
      name: "走访进度", title: "“敲门行动”入户走访进度表", scope: "2026—2027年度冬春 第2轮 全镇",
      columns: columns, rows: body,
      total: [.text("合计"), .empty, .count(4820), .count(4410), .share(0.915), .empty],
      footer: ["填报单位：某某镇人民政府", "填表人：王文书", "审核人：李主任", "联系电话：0745-3123456", "填报日期：2026-12-20"])
  }

  @Test func aLongTableRepeatsItsHeaderAndNumbersEveryPage() throws {
    let url = Self.temporaryURL()
    defer { try? FileManager.default.removeItem(at: url) }
    let report = Report(kind: "progress", tables: [Self.villageTable(rows: 40)])
    let pages = try ReportPDF.render(report: report, to: url)
    if let keep = ProcessInfo.processInfo.environment["FIREGRID_KEEP_PDF"] {
      try? FileManager.default.copyItem(at: url, to: URL(fileURLWithPath: keep))
    }
    let info = try Poppler.info(url)
    #expect(info.pages == pages)
    #expect(pages >= 2, "40 rows with wrapped notes fit on one page?")
    #expect(info.pageSize.hasPrefix("595.276 x 841.89 pts"), "a narrow table is printed portrait")

    let pageTexts = try Poppler.rawText(url).components(separatedBy: "\u{0C}").filter {
      !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
    #expect(pageTexts.count == pages)
    for (index, text) in pageTexts.enumerated() {
      for label in ["村（社区）", "户号", "应走访户数", "已走访户数", "走访率", "情况说明"] {
        #expect(Poppler.contains(text, label), "page \(index + 1) lacks the header \(label)")
      }
      #expect(Poppler.contains(text, "第 \(index + 1) 页 共 \(pages) 页"), "page \(index + 1)")
    }
    // The title and scope head the first page only; a later page says the table goes on.
    #expect(Poppler.contains(pageTexts[0], "“敲门行动”入户走访进度表"))
    #expect(Poppler.contains(pageTexts[0], "2026—2027年度冬春 第2轮 全镇"))
    #expect(Poppler.contains(pageTexts[1], "“敲门行动”入户走访进度表（续）"))

    let all = try Poppler.rawText(url)
    for n in 1...40 {
      #expect(Poppler.contains(all, "第\(n)村"), "row \(n) is missing")
      // The 12-digit 户号 is never broken across lines.
      #expect(all.contains(String(format: "43122400%04d", n)), "户号 of row \(n) is broken")
    }
    // Every wrapped note in full, however it was wrapped.
    let squeezed = Poppler.squeezed(all)
    let notes = squeezed.components(separatedBy: Poppler.squeezed(Self.longText)).count - 1
    #expect(notes == 8)
    let last = try #require(pageTexts.last)
    #expect(Poppler.contains(last, "合计"))
    #expect(Poppler.contains(last, "4820"))
    for line in report.tables[0].footer {
      #expect(Poppler.contains(last, line), "footer \(line)")
    }
    // The footer follows the total row.
    let lastSqueezed = Poppler.squeezed(last)
    let total = try #require(lastSqueezed.range(of: "合计"))
    let footer = try #require(lastSqueezed.range(of: "填表人"))
    #expect(total.lowerBound < footer.lowerBound)
  }

  @Test func aWideTableIsPrintedLandscapeAndANarrowOnePortrait() throws {
    let columns = (1...16).map {
      ReportTable.Column(id: "c\($0)", label: "第\($0)项", kind: .count, width: 10)
    }
    #expect(ReportPDF.isLandscape(columns))
    #expect(!ReportPDF.isLandscape(Self.villageTable(rows: 1).columns))
    let table = ReportTable(
      name: "宽表", title: "隐患分类统计表", scope: "全镇", columns: columns,
      rows: [(1...16).map { .count($0 * 1000) }])
    let url = Self.temporaryURL()
    defer { try? FileManager.default.removeItem(at: url) }
    try ReportPDF.render(report: Report(kind: "wide", tables: [table]), to: url)
    #expect(try Poppler.info(url).pageSize.hasPrefix("841.89 x 595.276 pts"))
    let text = try Poppler.rawText(url)
    for n in 1...16 { #expect(text.contains("\(n * 1000)")) }
  }

  @Test func aReportWithoutTablesIsRefused() {
    #expect(throws: PrintError.nothingToPrint(PrintText.emptyReport)) {
      try ReportPDF.render(report: Report(kind: "none", tables: []), to: Self.temporaryURL())
    }
  }

  static let charts: [ReportChart] = [
    .bars(
      BarChart(
        title: "各村走访完成率",
        bars: [
          .init(label: "龙潭村", value: 150, maxValue: 150),
          .init(label: "石门村", value: 30, maxValue: 120),
          .init(label: "杨柳社区", value: 0, maxValue: 80),
        ], target: 1.0)),
    .stacked(
      StackedBarChart(
        title: "各村隐患整改情况", series: ["已整改", "整改中", "逾期"],
        rows: [
          .init(label: "龙潭村", values: [12, 3, 1]), .init(label: "石门村", values: [5, 0, 2]),
        ])),
    .rounds(
      RoundChart(
        title: "各轮走访率",
        points: [
          .init(label: "第1轮", value: 0.62), .init(label: "第2轮", value: 0.81),
          .init(label: "第3轮", value: 0.95),
        ], maxValue: 1, target: 1, percent: true, style: .line)),
  ]

  @Test func chartsComeBeforeTheTableWithTheirLabels() throws {
    let url = Self.temporaryURL()
    defer { try? FileManager.default.removeItem(at: url) }
    let report = Report(kind: "progress", tables: [Self.villageTable(rows: 3)])
    let pages = try ReportPDF.render(report: report, charts: Self.charts, to: url)
    if let keep = ProcessInfo.processInfo.environment["FIREGRID_KEEP_PDF"] {
      try? FileManager.default.copyItem(at: url, to: URL(fileURLWithPath: keep))
    }
    let pageTexts = try Poppler.rawText(url).components(separatedBy: "\u{0C}")
    let first = pageTexts[0]
    for label in [
      "各村走访完成率", "龙潭村", "石门村", "杨柳社区", "150/150", "30/120", "25%", "目标 100%",
      "各村隐患整改情况", "已整改", "整改中", "逾期", "16（12/3/1）", "各轮走访率", "第1轮", "第3轮",
      "95%",
    ] {
      #expect(Poppler.contains(first, label), "the charts lack \(label)")
    }
    #expect(!Poppler.contains(first, "应走访户数"), "the table starts on its own page")
    #expect(Poppler.contains(pageTexts[1], "应走访户数"))
    #expect(Poppler.contains(pageTexts[1], "第 2 页 共 \(pages) 页"))
  }

  /// The bars are really drawn: the pixels where a full bar is are dark, where a quarter bar
  /// has not reached are light grey, and beside the bars the paper is white.
  @Test func theBarsAreOnThePage() throws {
    let url = Self.temporaryURL()
    defer { try? FileManager.default.removeItem(at: url) }
    let report = Report(kind: "progress", tables: [Self.villageTable(rows: 1)])
    try ReportPDF.render(report: report, charts: [Self.charts[0]], to: url)

    // Where the chart went: the same layout the renderer used.
    let scratch = Self.temporaryURL()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let canvas = try PDFCanvas(path: scratch.path, size: .a4, title: "")
    let layout = try ReportPDF.document(report: report, charts: [Self.charts[0]]).layout(
      on: canvas)
    var chartY: Double?
    for case .chart(_, let y) in layout.pages[0].items { chartY = y }
    let y = try #require(chartY)
    guard case .bars(let chart) = Self.charts[0] else { return }
    let labelWidth = canvas.labelWidth(chart.bars.map(\.label))
    let width = PageSize.a4.width - 2 * FlowDocument.margin
    func frame(_ index: Int) -> (x: Double, y: Double, width: Double, height: Double) {
      ChartGeometry.barFrame(
        index: index, x: FlowDocument.margin, y: y, width: width, labelWidth: labelWidth)
    }
    let image = try Gray.page(1, of: url, dpi: 72)
    let full = frame(0)
    let quarter = frame(1)
    #expect(image.pixel(full.x + full.width * 0.5, full.y + full.height / 2) < 120)
    #expect(image.pixel(full.x + full.width * 0.1, full.y + full.height / 2) < 120)
    #expect(image.pixel(quarter.x + quarter.width * 0.1, quarter.y + quarter.height / 2) < 120)
    let rest = image.pixel(quarter.x + quarter.width * 0.6, quarter.y + quarter.height / 2)
    #expect(rest > 200 && rest < 250, "the part not reached is light grey")
    // The page's right margin beside the bar: white.
    #expect(image.pixel(PageSize.a4.width - 10, full.y + full.height / 2) == 255)
  }
}

/// A page drawn by pdftoppm as 8-bit grey (PGM), to look at pixels.
struct Gray {
  var width: Int
  var height: Int
  var bytes: [UInt8]
  var dpi: Double

  /// The grey at (x, y) in points.
  func pixel(_ x: Double, _ y: Double) -> UInt8 {
    let column = Int(x * dpi / 72)
    let row = Int(y * dpi / 72)
    return bytes[row * width + column]
  }

  static func page(_ page: Int, of url: URL, dpi: Int) throws -> Gray {
    let prefix = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-gray-\(UUID().uuidString)")
    _ = try Poppler.run(
      "pdftoppm",
      [
        "-gray", "-r", "\(dpi)", "-f", "\(page)", "-l", "\(page)", "-singlefile", url.path,
        prefix.path,
      ])
    let file = prefix.appendingPathExtension("pgm")
    defer { try? FileManager.default.removeItem(at: file) }
    let data = [UInt8](try Data(contentsOf: file))
    // "P5\n<width> <height>\n255\n" then the pixels.
    var fields: [String] = []
    var index = 0
    while fields.count < 4 {
      var field = ""
      while index < data.count, data[index] == 0x20 || data[index] == 0x0A { index += 1 }
      while index < data.count, data[index] != 0x20, data[index] != 0x0A {
        field.append(Character(UnicodeScalar(data[index])))
        index += 1
      }
      fields.append(field)
    }
    index += 1
    guard fields[0] == "P5", let width = Int(fields[1]), let height = Int(fields[2]) else {
      throw Poppler.Failure(description: "pdftoppm wrote no PGM: \(fields)")
    }
    return Gray(width: width, height: height, bytes: Array(data[index...]), dpi: Double(dpi))
  }
}
