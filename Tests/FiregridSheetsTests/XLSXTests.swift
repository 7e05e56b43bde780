import FiregridModel
import Foundation
import Testing

@testable import FiregridSheets

/// A report written as XLSX and read back cell by cell; escaping; errors; the reader on parts
/// written the way other programs write them.
struct XLSXTests {
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-sheets-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A report with what spreadsheets tend to spoil: 18-digit ID numbers (one ending in X),
  /// 户号 with leading zeros, Chinese text, counts, shares, a total row and a footer.
  static let report = Report(
    kind: "visit-progress", formatVersion: 3,
    tables: [
      ReportTable(
        name: "走访进度", title: "三江镇消防安全入户走访进度表", scope: "2024年冬春 第1轮 龙潭村",
        columns: [
          .init(id: "household", label: "户号", kind: .code, width: 6),
          .init(id: "head", label: "户主", kind: .text, width: 8),
          .init(id: "idNumber", label: "身份证号", kind: .code, width: 20),
          .init(id: "persons", label: "人数", kind: .count, width: 6),
          .init(id: "share", label: "完成率", kind: .share, width: 8),
        ],
        rows: [
          [.text("0001"), .text("邹锡华"), .text("431224195604120011"), .count(3), .share(0.125)],
          [.text("0002"), .text("舒桂英"), .text("43122419650304011X"), .count(1), .share(1)],
          [.text("0010"), .text("向 红"), .empty, .count(0), .share(0)],
        ],
        total: [.text("合计"), .empty, .empty, .count(4), .share(0.5)],
        footer: ["填报单位：三江镇人民政府", "填表人：李明  联系电话：07451234567"]),
      ReportTable(
        name: "明细：龙潭村/第1网格[一]", title: "明细", scope: "第1网格",
        columns: [.init(id: "name", label: "姓名")], rows: [[.text("邹锡华")]]),
    ])

  /// The cells a reader of the file should see: stored values, trailing empties dropped.
  static func stored(_ sheet: Workbook.Sheet) -> [[String]] {
    sheet.rows.map { row in
      var cells = row.map(\.storedText)
      while cells.last == "" { cells.removeLast() }
      return cells
    }
  }

  @Test func aReportReadsBackCellForCell() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("进度.xlsx")
    let workbook = Workbook(report: Self.report)
    try XLSXWriter.write(workbook, to: url)

    let rows = try XLSXReader.read(url)
    #expect(rows == Self.stored(workbook.sheets[0]))
    #expect(rows[0] == ["三江镇消防安全入户走访进度表"])
    #expect(rows[1] == ["2024年冬春 第1轮 龙潭村"])
    #expect(rows[2] == ["户号", "户主", "身份证号", "人数", "完成率"])
    #expect(rows[3] == ["0001", "邹锡华", "431224195604120011", "3", "0.125"])
    #expect(rows[4] == ["0002", "舒桂英", "43122419650304011X", "1", "1"])
    #expect(rows[5] == ["0010", "向 红", "", "0", "0"])
    #expect(rows[6] == ["合计", "", "", "4", "0.5"])
    #expect(rows[7] == [])
    #expect(rows[8] == ["填报单位：三江镇人民政府"])
    #expect(rows.count == 10)

    #expect(try XLSXReader.sheetNames(url) == ["走访进度", "明细：龙潭村_第1网格_一_"])
    #expect(try XLSXReader.read(url, sheet: "明细：龙潭村_第1网格_一_") == Self.stored(workbook.sheets[1]))
    #expect(
      try XLSXReader.properties(url) == [
        Workbook.reportKindProperty: "visit-progress", Workbook.formatVersionProperty: "3",
        Workbook.periodProperty: "",
      ])
  }

  @Test func theSheetHasWidthsAFrozenHeaderAndStyles() throws {
    let data = try XLSXWriter.data(Workbook(report: Self.report))
    let parts = try Self.parts(data)
    let sheet = try #require(parts["xl/worksheets/sheet1.xml"])
    #expect(
      sheet.contains(
        "<pane ySplit=\"3\" topLeftCell=\"A4\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
    #expect(sheet.contains("<col min=\"3\" max=\"3\" width=\"21\" customWidth=\"1\"/>"))
    // The header row bold (1), codes as text (4), shares in percent (2), the total bold (1, 3).
    #expect(sheet.contains("<c r=\"A3\" s=\"1\" t=\"s\">"))
    #expect(sheet.contains("<c r=\"C4\" s=\"4\" t=\"s\">"))
    #expect(sheet.contains("<c r=\"E4\" s=\"2\"><v>0.125</v></c>"))
    #expect(sheet.contains("<c r=\"D7\" s=\"1\"><v>4</v></c>"))
    #expect(sheet.contains("<c r=\"E7\" s=\"3\"><v>0.5</v></c>"))
    let styles = try #require(parts["xl/styles.xml"])
    #expect(styles.contains("<numFmt numFmtId=\"164\" formatCode=\"0.0%\"/>"))
    #expect(styles.contains("<font><b/>"))
    for part in [
      "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
      "xl/sharedStrings.xml", "docProps/custom.xml", "xl/worksheets/sheet2.xml",
    ] {
      #expect(parts[part] != nil, "\(part)")
    }
    // The same workbook gives the same bytes (no clock in the file).
    #expect(try XLSXWriter.data(Workbook(report: Self.report)) == data)
  }

  @Test func escapedCharactersSurvive() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("escape.xlsx")
    let texts = [
      "A&B <c> \"d\" 'e'", "  两头有空格  ", "一行\n两行", "回车\r\n换行", "制表\t符", "]]>", "&amp;",
      "控制\u{1}字符\u{8}", "😀 表情",
    ]
    let workbook = Workbook(
      sheets: [
        Workbook.Sheet(name: "A&B<'\">", rows: texts.map { [.text($0), .code($0)] })
      ], properties: ["说明": "<&>"])
    try XLSXWriter.write(workbook, to: url)
    let rows = try XLSXReader.read(url, sheet: "A&B<'\">")
    let expected = texts.map {
      $0.replacingOccurrences(of: "\u{1}", with: "").replacingOccurrences(of: "\u{8}", with: "")
    }
    #expect(rows == expected.map { [$0, $0] })
    #expect(try XLSXReader.properties(url) == ["说明": "<&>"])
  }

  @Test func writtenAtomicallyOwnerOnly() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("a.xlsx")
    try Data("old".utf8).write(to: url)
    try XLSXWriter.write(Workbook(report: Self.report), to: url)
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.xlsx"])
    #expect(try XLSXReader.read(url).count == 10)

    let missing = folder.appendingPathComponent("没有/a.xlsx")
    #expect(throws: SheetError.self) {
      try XLSXWriter.write(Workbook(report: Self.report), to: missing)
    }
  }

  @Test func errorsAreNamedInChinese() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let csv = folder.appendingPathComponent("名册.xlsx")
    try Data("村,网格\n".utf8).write(to: csv)
    #expect(throws: SheetError.notASpreadsheet(path: csv.path)) { try XLSXReader.read(csv) }
    #expect(SheetError.notASpreadsheet(path: "x").message.contains("不是 Excel 工作簿"))

    let good = folder.appendingPathComponent("好.xlsx")
    try XLSXWriter.write(Workbook(report: Self.report), to: good)
    let error = #expect(throws: SheetError.self) { try XLSXReader.read(good, sheet: "花名册") }
    #expect(error?.message.hasPrefix("\(good.path) 中没有名为「花名册」的工作表；有：走访进度、") == true)

    let missing = folder.appendingPathComponent("没有.xlsx")
    #expect(throws: SheetError.unreadable(path: missing.path, reason: "文件不存在")) {
      try XLSXReader.read(missing)
    }

    // A package whose sheet part is gone, and one whose sheet is not XML.
    var parts = try Self.parts(try XLSXWriter.data(Workbook(report: Self.report)))
    parts["xl/worksheets/sheet1.xml"] = nil
    let damaged = folder.appendingPathComponent("坏.xlsx")
    try Self.zip(parts).write(to: damaged)
    #expect(throws: SheetError.damaged(path: damaged.path, part: "xl/worksheets/sheet1.xml")) {
      try XLSXReader.read(damaged)
    }
    parts["xl/worksheets/sheet1.xml"] = "<worksheet><sheetData><row>"
    try Self.zip(parts).write(to: damaged)
    let message = #expect(throws: SheetError.self) { try XLSXReader.read(damaged) }?.message
    #expect(message?.contains("已损坏（xl/worksheets/sheet1.xml 缺失或无法读取）") == true)
  }

  /// Parts as Excel and other programs write them: a prefixed namespace, shared strings with
  /// rich-text runs and phonetic runs, inline strings, booleans, errors, rows and columns
  /// skipped, cells without a reference, sheets in another order than their files.
  @Test func readsWhatOtherProgramsWrite() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    let parts: [String: String] = [
      "[Content_Types].xml":
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
      "_rels/.rels": """
      <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
      <Relationship Id="rId1" Type="\(rel)/officeDocument" Target="/xl/book.xml"/>
      </Relationships>
      """,
      "xl/book.xml": """
      <x:workbook xmlns:x="\(main)" xmlns:r="\(rel)"><x:sheets>
      <x:sheet name="说明" sheetId="2" r:id="rId9"/>
      <x:sheet name="花名册" sheetId="1" r:id="rId3"/>
      </x:sheets></x:workbook>
      """,
      "xl/_rels/book.xml.rels": """
      <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
      <Relationship Id="rId3" Type="\(rel)/worksheet" Target="worksheets/roster.xml"/>
      <Relationship Id="rId9" Type="\(rel)/worksheet" Target="../xl/worksheets/notes.xml"/>
      <Relationship Id="rId4" Type="\(rel)/sharedStrings" Target="strings.xml"/>
      </Relationships>
      """,
      "xl/strings.xml": """
      <sst xmlns="\(main)"><si><t>村（社区）</t></si>\
      <si><r><rPr><b/></rPr><t>龙潭</t></r><r><t xml:space="preserve">村 </t></r>\
      <rPh sb="0" eb="1"><t>ロン</t></rPh></si>\
      <si><t>0001</t></si><si><t/></si><si><t>A &amp; B</t></si></sst>
      """,
      "xl/worksheets/roster.xml": """
      <x:worksheet xmlns:x="\(main)"><x:sheetData>
      <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>4</x:v></x:c></x:row>
      <x:row r="3"><x:c r="B3" t="s"><x:v>1</x:v></x:c><x:c r="D3" t="s"><x:v>2</x:v></x:c>\
      <x:c r="E3" t="inlineStr"><x:is><x:r><x:t>内</x:t></x:r><x:r><x:t>联</x:t></x:r></x:is></x:c>\
      <x:c r="F3" t="b"><x:v>1</x:v></x:c><x:c r="G3" t="e"><x:v>#N/A</x:v></x:c>\
      <x:c r="H3"><x:v>4.31224195604120E+17</x:v></x:c><x:c r="I3" t="s"><x:v>3</x:v></x:c>\
      <x:c r="J3" t="str"><x:f>A1</x:f><x:v>村（社区）</x:v></x:c></x:row>
      <x:row><x:c><x:v>1</x:v></x:c><x:c t="b"><x:v>0</x:v></x:c><x:c r="AA5"><x:v>2.5</x:v></x:c></x:row>
      </x:sheetData></x:worksheet>
      """,
      "xl/worksheets/notes.xml": """
      <worksheet xmlns="\(main)"><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>说明</t></is></c></row></sheetData></worksheet>
      """,
    ]
    let url = folder.appendingPathComponent("other.xlsx")
    try Self.zip(parts).write(to: url)
    #expect(try XLSXReader.sheetNames(url) == ["说明", "花名册"])
    #expect(try XLSXReader.read(url) == [[], ["", "说明"]])
    let rows = try XLSXReader.read(url, sheet: "花名册")
    #expect(rows.count == 4)
    #expect(rows[0] == ["村（社区）", "", "A & B"])
    #expect(rows[1] == [])
    #expect(
      rows[2] == [
        "", "龙潭村 ", "", "0001", "内联", "TRUE", "#N/A", "4.31224195604120E+17", "", "村（社区）",
      ])
    #expect(rows[3] == ["1", "FALSE"] + Array(repeating: "", count: 24) + ["2.5"])
    #expect(try XLSXReader.properties(url) == [:])
  }

  @Test func sheetNamesExcelAccepts() {
    let long = String(repeating: "网", count: 40)
    let names = Workbook.sheetNames(["a/b", "", "A/B", "'引号'", long, long, "x\ny"])
    #expect(names[0] == "a_b")
    #expect(names[1] == "工作表2")
    #expect(names[2] == "A_B(2)")
    #expect(names[3] == "引号")
    #expect(names[4] == String(repeating: "网", count: 31))
    #expect(names[5] == String(repeating: "网", count: 28) + "(2)")
    #expect(names[6] == "x_y")
    #expect(names.allSatisfy(Workbook.isValidSheetName))
    #expect(!Workbook.isValidSheetName(long))
    #expect(throws: SheetError.invalidSheetName("a")) {
      try XLSXWriter.data(
        Workbook(sheets: [.init(name: "A", rows: []), .init(name: "a", rows: [])]))
    }
  }

  @Test func cellReferences() {
    #expect(CellReference.name(column: 0, row: 0) == "A1")
    #expect(CellReference.name(column: 25, row: 9) == "Z10")
    #expect(CellReference.name(column: 26, row: 0) == "AA1")
    #expect(CellReference.name(column: 16_383, row: 0) == "XFD1")
    #expect(CellReference.parse("XFD1")?.column == 16_383)
    #expect(CellReference.parse("$B$7")?.column == 1)
    #expect(CellReference.parse("$B$7")?.row == 6)
    #expect(CellReference.parse("7B") == nil)
    #expect(CellReference.parse("") == nil)
  }

  @Test func csvHasABOMAndQuotesWhatItMust() {
    let sheet = Workbook(report: Self.report).sheets[0]
    let rows = CSVWriter.rows(sheet)
    #expect(rows[3] == ["0001", "邹锡华", "431224195604120011", "3", "12.5%"])
    #expect(rows[6] == ["合计", "", "", "4", "50%"])
    let data = CSVWriter.data([["a,b", "say \"hi\"", "两\n行", " x", "plain"], ["", "户号"]])
    #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
    #expect(
      String(decoding: data.dropFirst(3), as: UTF8.self)
        == "\"a,b\",\"say \"\"hi\"\"\",\"两\n行\",\" x\",plain\r\n,户号\r\n")
  }

  /// 10,000 rows of 11 columns written and read back; prints the time each took (asserts only
  /// the cells, never the time).
  @Test func tenThousandRows() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("big.xlsx")
    var rows: [[Workbook.Cell]] = [(1...11).map { .text("列\($0)") }]
    for index in 0..<10_000 {
      rows.append(
        [
          .text("龙潭村"), .text("第\(index % 40 + 1)网格"), .text("邹锡华"),
          .code(String(format: "%04d", index)), .text("居民\(index)"), .text("户主"), .text("男"),
          .code("4312241956041\(String(format: "%05d", index))"),
          .code("138\(String(format: "%08d", index))"),
          .text("\(index % 30 + 1)组\(index)号"), .number(Double(index)),
        ])
    }
    let workbook = Workbook(sheets: [.init(name: "花名册", rows: rows, headerRow: 0, frozenRows: 1)])
    let clock = ContinuousClock()
    let writing = try clock.measure { try XLSXWriter.write(workbook, to: url) }
    var read: [[String]] = []
    let reading = try clock.measure { read = try XLSXReader.read(url) }
    let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber
    print("10,000 rows × 11: write \(writing), read \(reading), \(size?.intValue ?? 0) bytes")
    #expect(read == Self.stored(workbook.sheets[0]))
  }

  // MARK: Helpers

  static func parts(_ data: Data) throws -> [String: String] {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("x.xlsx")
    try data.write(to: url)
    let package = try XLSXPackage(url)
    var parts: [String: String] = [:]
    for entry in package.archive {
      parts[entry.path] = String(decoding: try package.part(entry.path), as: UTF8.self)
    }
    return parts
  }

  static func zip(_ parts: [String: String]) throws -> Data {
    try XLSXWriter.zip(parts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
  }
}

/// The element tree the small parts are read with.
struct XMLTreeTests {
  @Test func parsesNamespacesEntitiesAndText() throws {
    let xml = """
      <?xml version="1.0"?>
      <a:root xmlns:a="urn:a" xmlns:r="urn:r" r:id="rId1" plain="x &amp; y">
        <a:item name="一">甲&lt;乙&#x4E19;<![CDATA[<丁>]]></a:item><a:item name="二"><b>内</b>外</a:item>
      </a:root>
      """
    let tree = try #require(XMLTree.parse(Data(xml.utf8)))
    #expect(tree.name == "root")
    #expect(tree.attributes == ["id": "rId1", "plain": "x & y"])
    #expect(tree.all("item").map { $0.attributes["name"] } == ["一", "二"])
    #expect(tree.child("item")?.text == "甲<乙丙<丁>")
    #expect(tree.all("item")[1].allText == "外内")
    #expect(XMLTree.parse(Data("<a><b></a>".utf8)) == nil)
    #expect(XMLTree.parse(Data("<a><b>".utf8)) == nil)
    #expect(XMLTree.parse(Data("不是 XML".utf8)) == nil)
  }
}
