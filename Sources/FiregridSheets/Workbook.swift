import FiregridModel

/// A spreadsheet as a value: named sheets of typed cells, with the little layout a report
/// needs (column widths, bold rows, frozen header rows). `XLSXWriter` and `CSVWriter` write it;
/// `Workbook(report:)` builds it from a `Report`.
public struct Workbook: Equatable, Sendable {
  /// One cell's value and how it is stored.
  public enum Cell: Equatable, Sendable {
    /// Text.
    case text(String)
    /// Digits that are not a number (ID numbers, 户号, phones): stored as a string with the
    /// text format (@), so a spreadsheet keeps 431224195604120011 whole and 0001's zeros.
    case code(String)
    /// A number.
    case number(Double)
    /// A share 0…1, stored as a number with a percent format (0.125 shows 12.5%).
    case percent(Double)
    case empty

    /// The cell as a reader of the file sees its stored value: text as is, numbers in the
    /// shortest form that reads back the same (12, 0.125).
    public var storedText: String {
      switch self {
      case .text(let value), .code(let value): return value
      case .number(let value), .percent(let value): return Workbook.numberText(value)
      case .empty: return ""
      }
    }

    /// The cell as shown: percentages as 12.5% (for CSV and screens).
    public var shownText: String {
      switch self {
      case .percent(let value): return ReportTable.Cell.share(value).text
      default: return storedText
      }
    }
  }

  public struct Sheet: Equatable, Sendable {
    /// The tab's name: 1 to 31 characters, none of : \ / ? * [ ], unique in the workbook
    /// (`Workbook.sheetNames` makes any list of names so).
    public var name: String
    /// `rows[0]` is the spreadsheet's row 1.
    public var rows: [[Cell]]
    /// Column widths in characters (a Chinese character is about two); nil is the default.
    public var columnWidths: [Double]
    /// The header row (0-based), drawn bold.
    public var headerRow: Int?
    /// Other rows drawn bold (0-based): a title, a total.
    public var boldRows: Set<Int>
    /// Rows kept on screen when scrolling (the title and the header): 0 for none.
    public var frozenRows: Int

    public init(
      name: String, rows: [[Cell]], columnWidths: [Double] = [], headerRow: Int? = nil,
      boldRows: Set<Int> = [], frozenRows: Int = 0
    ) {
      self.name = name
      self.rows = rows
      self.columnWidths = columnWidths
      self.headerRow = headerRow
      self.boldRows = boldRows
      self.frozenRows = frozenRows
    }

    /// Whether row `index` (0-based) is drawn bold.
    public func isBold(_ index: Int) -> Bool { index == headerRow || boldRows.contains(index) }
  }

  public var sheets: [Sheet]
  /// Named properties stored with the file (docProps/custom.xml), e.g. the report's kind and
  /// format version, for a merge to check. Sorted by name when written.
  public var properties: [String: String]

  public init(sheets: [Sheet], properties: [String: String] = [:]) {
    self.sheets = sheets
    self.properties = properties
  }

  // MARK: Sheet names

  /// The longest sheet name Excel accepts, in UTF-16 units.
  public static let maxSheetNameLength = 31
  static let forbiddenInSheetName: Set<Character> = [":", "\\", "/", "?", "*", "[", "]"]

  /// Whether Excel accepts `name` as a sheet's name (uniqueness aside).
  public static func isValidSheetName(_ name: String) -> Bool {
    !name.isEmpty && name.utf16.count <= maxSheetNameLength
      && !name.contains(where: { forbiddenInSheetName.contains($0) || $0.isNewline })
      && !name.hasPrefix("'") && !name.hasSuffix("'")
      && !name.unicodeScalars.contains { $0.value < 0x20 }
  }

  /// Names Excel accepts, one for each given: forbidden characters become _, apostrophes at
  /// the ends are dropped, the name is cut to 31 characters, an empty one is 工作表N, and a name
  /// met before (Excel compares without case) gets (2), (3) … within the 31.
  public static func sheetNames(_ names: [String]) -> [String] {
    var used: Set<String> = []
    var result: [String] = []
    for (index, raw) in names.enumerated() {
      var name = String(
        raw.map { forbiddenInSheetName.contains($0) || $0.isNewline ? "_" : $0 }
          .filter { !($0.unicodeScalars.first.map { $0.value < 0x20 } ?? false) })
      while name.hasPrefix("'") { name.removeFirst() }
      while name.hasSuffix("'") { name.removeLast() }
      if name.isEmpty { name = "\(SheetText.defaultSheetName)\(index + 1)" }
      var candidate = cut(name, to: maxSheetNameLength)
      var number = 2
      while used.contains(candidate.lowercased()) {
        let suffix = "(\(number))"
        candidate = cut(name, to: maxSheetNameLength - suffix.utf16.count) + suffix
        number += 1
      }
      used.insert(candidate.lowercased())
      result.append(candidate)
    }
    return result
  }

  /// `text` cut to at most `length` UTF-16 units, at a character boundary.
  static func cut(_ text: String, to length: Int) -> String {
    var result = ""
    var count = 0
    for character in text {
      count += character.utf16.count
      if count > length { break }
      result.append(character)
    }
    return result
  }

  /// A number as written into the file and read back: whole numbers without a decimal
  /// point, others in Swift's shortest round-tripping form.
  static func numberText(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }
}

// MARK: From a report

extension Workbook {
  /// The property that names the report's kind.
  public static let reportKindProperty = "FiregridReportKind"
  /// The property that holds the report's format version.
  public static let formatVersionProperty = "FiregridFormatVersion"
  /// The property that holds the period the report covers (a merge refuses mixed periods).
  public static let periodProperty = "FiregridPeriod"

  /// A workbook with a sheet for each table of `report`: the title row, the scope row, the
  /// header row (bold; the rows down to it stay on screen), the rows, the total row (bold),
  /// an empty row and the footer lines. Column widths from `Column.width`; counts are numbers,
  /// shares numbers with a percent format, codes and text strings (codes in the text format).
  /// The report's kind and format version are the workbook's custom properties
  /// (`reportKindProperty`, `formatVersionProperty`).
  public init(report: Report) {
    let names = Workbook.sheetNames(report.tables.map(\.name))
    let sheets = zip(report.tables, names).map { table, name in
      Workbook.sheet(table, name: name)
    }
    self.init(
      sheets: sheets,
      properties: [
        Workbook.reportKindProperty: report.kind,
        Workbook.formatVersionProperty: String(report.formatVersion),
        Workbook.periodProperty: report.period,
      ])
  }

  static func sheet(_ table: ReportTable, name: String) -> Sheet {
    var rows: [[Cell]] = [[.text(table.title)], [.text(table.scope)]]
    rows.append(table.columns.map { .text($0.label) })
    let header = rows.count - 1
    for row in table.rows { rows.append(cells(row, table.columns)) }
    var bold: Set<Int> = [0]
    if let total = table.total {
      bold.insert(rows.count)
      rows.append(cells(total, table.columns))
    }
    if !table.footer.isEmpty {
      rows.append([])
      rows += table.footer.map { [.text($0)] }
    }
    return Sheet(
      name: name, rows: rows, columnWidths: table.columns.map { Double($0.width) + 1 },
      headerRow: header, boldRows: bold, frozenRows: header + 1)
  }

  /// A report row's cells, each stored as its column's kind asks (a count in a code column
  /// stays text).
  static func cells(_ row: [ReportTable.Cell], _ columns: [ReportTable.Column]) -> [Cell] {
    row.enumerated().map { index, cell in
      let kind = index < columns.count ? columns[index].kind : .text
      switch (cell, kind) {
      case (.empty, _): return .empty
      case (.text(let value), .code): return .code(value)
      case (.text(let value), _): return .text(value)
      case (.count(let value), .code): return .code(String(value))
      case (.count(let value), _): return .number(Double(value))
      case (.share(let value), .code), (.share(let value), .text):
        return .text(ReportTable.Cell.share(value).text)
      case (.share(let value), _): return .percent(value)
      }
    }
  }
}

/// The module's user-facing text, in one place.
enum SheetText {
  static let defaultSheetName = "工作表"
}
