import Foundation
import ZIPFoundation

/// Writes a `Workbook` as an XLSX file (Office Open XML, SpreadsheetML): the parts Excel, WPS
/// and LibreOffice need and nothing else —
///
///     [Content_Types].xml            the parts' types
///     _rels/.rels                    → xl/workbook.xml, docProps/custom.xml
///     docProps/custom.xml            the workbook's properties (a report's kind and version)
///     xl/workbook.xml                the sheets' names, in order
///     xl/_rels/workbook.xml.rels     → the sheets, styles, shared strings
///     xl/styles.xml                  plain, bold, percent (0.0%), text (@), and bold of each
///     xl/sharedStrings.xml           every distinct string once
///     xl/worksheets/sheetN.xml       column widths, the frozen pane, the cells
///
/// Strings are shared strings (Excel's own way: a village's name on 3,000 rows is stored
/// once), codes carry the text format so an edit in Excel keeps them text, numbers are
/// numbers. The report's kind and format version go in docProps/custom.xml rather than a
/// hidden sheet: Excel, WPS and LibreOffice keep custom properties when they save the file
/// again, a clerk cannot unhide and change them by accident, and the sheets stay exactly the
/// report (the first sheet is the report, as the county reads it).
///
/// The output depends only on the workbook (entries dated 2000-01-01): the same report gives
/// the same bytes.
public enum XLSXWriter {
  /// Writes `workbook` to `url` atomically, owner-only (0600).
  public static func write(_ workbook: Workbook, to url: URL) throws(SheetError) {
    try SheetFile.write(try data(workbook), to: url)
  }

  /// The file's bytes.
  public static func data(_ workbook: Workbook) throws(SheetError) -> Data {
    var sheets = workbook.sheets
    if sheets.isEmpty {
      sheets = [Workbook.Sheet(name: "\(SheetText.defaultSheetName)1", rows: [])]
    }
    var seen: Set<String> = []
    for sheet in sheets {
      guard Workbook.isValidSheetName(sheet.name), seen.insert(sheet.name.lowercased()).inserted
      else { throw SheetError.invalidSheetName(sheet.name) }
    }
    var strings = SharedStrings()
    var parts: [(String, String)] = []
    for (index, sheet) in sheets.enumerated() {
      parts.append(
        ("xl/worksheets/sheet\(index + 1).xml", worksheet(sheet, selected: index == 0, &strings)))
    }
    parts.insert(contentsOf: packageParts(sheets, properties: workbook.properties), at: 0)
    parts.append(("xl/sharedStrings.xml", strings.xml))
    return try zip(parts)
  }

  // MARK: The parts

  static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
  static let relationshipNamespace =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"
  static let contentTypePrefix = "application/vnd.openxmlformats-officedocument."

  static func packageParts(_ sheets: [Workbook.Sheet], properties: [String: String]) -> [(
    String, String
  )] {
    var types =
      header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      + override("/xl/workbook.xml", "spreadsheetml.sheet.main+xml")
      + override("/xl/styles.xml", "spreadsheetml.styles+xml")
      + override("/xl/sharedStrings.xml", "spreadsheetml.sharedStrings+xml")
      + override("/docProps/custom.xml", "custom-properties+xml")
    for index in sheets.indices {
      types += override("/xl/worksheets/sheet\(index + 1).xml", "spreadsheetml.worksheet+xml")
    }
    types += "</Types>"

    let rootRels =
      header + "<Relationships xmlns=\"\(packageRelationships)\">"
      + relationship("rId1", "officeDocument", "xl/workbook.xml")
      + relationship("rId2", "custom-properties", "docProps/custom.xml")
      + "</Relationships>"

    var workbook =
      header + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
      + "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
    var workbookRels = header + "<Relationships xmlns=\"\(packageRelationships)\">"
    for (index, sheet) in sheets.enumerated() {
      workbook +=
        "<sheet name=\"\(XMLText.escaped(sheet.name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
      workbookRels += relationship(
        "rId\(index + 1)", "worksheet", "worksheets/sheet\(index + 1).xml")
    }
    workbook += "</sheets></workbook>"
    workbookRels +=
      relationship("rId\(sheets.count + 1)", "styles", "styles.xml")
      + relationship("rId\(sheets.count + 2)", "sharedStrings", "sharedStrings.xml")
      + "</Relationships>"

    var custom =
      header
      + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\""
      + " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
    for (offset, name) in properties.keys.sorted().enumerated() {
      custom +=
        "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"\(offset + 2)\""
        + " name=\"\(XMLText.escaped(name))\"><vt:lpwstr>\(XMLText.escaped(properties[name]!))"
        + "</vt:lpwstr></property>"
    }
    custom += "</Properties>"

    return [
      ("[Content_Types].xml", types), ("_rels/.rels", rootRels), ("docProps/custom.xml", custom),
      ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbookRels),
      ("xl/styles.xml", styles),
    ]
  }

  static func override(_ part: String, _ type: String) -> String {
    "<Override PartName=\"\(part)\" ContentType=\"\(contentTypePrefix)\(type)\"/>"
  }

  static func relationship(_ id: String, _ type: String, _ target: String) -> String {
    "<Relationship Id=\"\(id)\" Type=\"\(relationshipNamespace)/\(type)\" Target=\"\(target)\"/>"
  }

  /// The style of a cell: `Style.index(of:bold:)` is its index in cellXfs.
  enum Style {
    /// The percent format's id (custom formats start at 164).
    static let percentFormat = 164
    /// The built-in text format (@).
    static let textFormat = 49

    static func index(of cell: Workbook.Cell, bold: Bool) -> Int {
      let base: Int
      switch cell {
      case .percent: base = 2
      case .code: base = 4
      default: base = 0
      }
      return base + (bold ? 1 : 0)
    }
  }

  static let styles: String = {
    func xf(_ format: Int, bold: Bool) -> String {
      "<xf numFmtId=\"\(format)\" fontId=\"\(bold ? 1 : 0)\" fillId=\"0\" borderId=\"0\" xfId=\"0\""
        + (format != 0 ? " applyNumberFormat=\"1\"" : "") + (bold ? " applyFont=\"1\"" : "") + "/>"
    }
    let formats = [0, Style.percentFormat, Style.textFormat]
    return header + "<styleSheet xmlns=\"\(mainNamespace)\">"
      + "<numFmts count=\"1\"><numFmt numFmtId=\"\(Style.percentFormat)\" formatCode=\"0.0%\"/></numFmts>"
      + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"宋体\"/><charset val=\"134\"/></font>"
      + "<font><b/><sz val=\"11\"/><name val=\"宋体\"/><charset val=\"134\"/></font></fonts>"
      + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
      + "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
      + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
      + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
      + "<cellXfs count=\"6\">"
      + formats.map { xf($0, bold: false) + xf($0, bold: true) }.joined() + "</cellXfs>"
      + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
      + "</styleSheet>"
  }()

  /// Every distinct string once, in the order first used.
  struct SharedStrings {
    var index: [String: Int] = [:]
    var strings: [String] = []
    var uses = 0

    mutating func add(_ text: String) -> Int {
      uses += 1
      if let known = index[text] { return known }
      index[text] = strings.count
      strings.append(text)
      return strings.count - 1
    }

    var xml: String {
      var xml =
        XLSXWriter.header
        + "<sst xmlns=\"\(XLSXWriter.mainNamespace)\" count=\"\(uses)\" uniqueCount=\"\(strings.count)\">"
      for text in strings {
        xml += XMLText.needsPreserve(text) ? "<si><t xml:space=\"preserve\">" : "<si><t>"
        xml += XMLText.escaped(text)
        xml += "</t></si>"
      }
      return xml + "</sst>"
    }
  }

  static func worksheet(_ sheet: Workbook.Sheet, selected: Bool, _ strings: inout SharedStrings)
    -> String
  {
    let width = max(sheet.rows.map(\.count).max() ?? 0, sheet.columnWidths.count, 1)
    let last = CellReference.name(column: width - 1, row: max(sheet.rows.count - 1, 0))
    var xml =
      header + "<worksheet xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
      + "<dimension ref=\"A1:\(last)\"/><sheetViews><sheetView"
      + (selected ? " tabSelected=\"1\"" : "") + " workbookViewId=\"0\""
    if sheet.frozenRows > 0 {
      let top = CellReference.name(column: 0, row: sheet.frozenRows)
      xml +=
        "><pane ySplit=\"\(sheet.frozenRows)\" topLeftCell=\"\(top)\" activePane=\"bottomLeft\""
        + " state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"\(top)\" sqref=\"\(top)\"/>"
        + "</sheetView>"
    } else {
      xml += "/>"
    }
    xml += "</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
    if !sheet.columnWidths.isEmpty {
      xml += "<cols>"
      for (index, columnWidth) in sheet.columnWidths.enumerated() {
        xml +=
          "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(Workbook.numberText(columnWidth))\""
          + " customWidth=\"1\"/>"
      }
      xml += "</cols>"
    }
    xml += "<sheetData>"
    for (rowIndex, row) in sheet.rows.enumerated() {
      guard row.contains(where: { $0 != .empty }) else { continue }
      let bold = sheet.isBold(rowIndex)
      xml += "<row r=\"\(rowIndex + 1)\">"
      for (columnIndex, cell) in row.enumerated() where cell != .empty {
        xml += "<c r=\"\(CellReference.name(column: columnIndex, row: rowIndex))\""
        let style = Style.index(of: cell, bold: bold)
        if style != 0 { xml += " s=\"\(style)\"" }
        switch cell {
        case .text(let text), .code(let text):
          xml += " t=\"s\"><v>\(strings.add(text))</v></c>"
        case .number(let value), .percent(let value):
          xml += "><v>\(Workbook.numberText(value))</v></c>"
        case .empty: break
        }
      }
      xml += "</row>"
    }
    return xml + "</sheetData></worksheet>"
  }

  // MARK: The zip

  /// Every entry's date: fixed, so the same workbook gives the same bytes.
  static let entryDate = Date(timeIntervalSince1970: 946_684_800)

  static func zip(_ parts: [(String, String)]) throws(SheetError) -> Data {
    do {
      let archive = try Archive(data: Data(), accessMode: .create)
      for (path, text) in parts {
        let bytes = Data(text.utf8)
        try archive.addEntry(
          with: path, type: .file, uncompressedSize: Int64(bytes.count),
          modificationDate: entryDate, permissions: 0o600, compressionMethod: .deflate
        ) { position, size in
          bytes.subdata(in: Int(position)..<Int(position) + size)
        }
      }
      guard let data = archive.data else { throw SheetError.unwritable(path: "", reason: "zip") }
      return data
    } catch let error as SheetError {
      throw error
    } catch {
      throw SheetError.unwritable(path: "", reason: "\(error)")
    }
  }
}

/// A1-style cell names: column letters (A … Z, AA …) and the row's number.
enum CellReference {
  /// "A1" for column 0, row 0.
  static func name(column: Int, row: Int) -> String {
    columnLetters(column) + String(row + 1)
  }

  static func columnLetters(_ column: Int) -> String {
    var number = column + 1
    var letters: [Character] = []
    while number > 0 {
      let remainder = (number - 1) % 26
      letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
      number = (number - 1) / 26
    }
    return String(letters.reversed())
  }

  /// The 0-based column and row of "AB12"; the row is nil when only letters are given, and
  /// the result nil when the letters are missing or the text is not a cell name.
  static func parse(_ text: String) -> (column: Int, row: Int?)? {
    var column = 0
    var row = 0
    var letters = 0
    var digits = 0
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0:
        column = column * 26 + Int(byte - 64)
        letters += 1
      case UInt8(ascii: "a")...UInt8(ascii: "z") where digits == 0:
        column = column * 26 + Int(byte - 96)
        letters += 1
      case UInt8(ascii: "$"): continue
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        row = row * 10 + Int(byte - 48)
        digits += 1
      default: return nil
      }
      if letters > 3 || digits > 7 { return nil }
    }
    guard letters > 0 else { return nil }
    return (column - 1, digits > 0 && row > 0 ? row - 1 : nil)
  }
}
