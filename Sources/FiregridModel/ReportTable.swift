/// A report as the county reads it: named tables of cells with a title, the scope they cover,
/// a total row and a signature footer. Built by the report rules from a town (pure), written
/// by the outputs (XLSX, CSV, PDF) without knowing which report it is.
public struct Report: Equatable, Sendable {
  /// What kind of report, for file names and for refusing to merge unlike files.
  public var kind: String
  /// The format version of the tables, written into exported files (a merge checks it).
  public var formatVersion: Int
  /// The period it covers without the place ("2026-27冬春火灾防控 第1轮（11-20至11-30）"): a
  /// merge of towns' tables refuses tables of different periods.
  public var period: String
  /// The first table is the report; the others are its detail sheets.
  public var tables: [ReportTable]

  public init(kind: String, formatVersion: Int = 1, period: String = "", tables: [ReportTable]) {
    self.kind = kind
    self.formatVersion = formatVersion
    self.period = period
    self.tables = tables
  }
}

/// One table: a sheet of a workbook, a section of a PDF.
public struct ReportTable: Equatable, Sendable {
  public struct Column: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
      /// Free text, left aligned.
      case text
      /// A whole number, right aligned; summed in a total row.
      case count
      /// A share, 0…1, shown as a percentage.
      case share
      /// Digits that are not a number (ID numbers, 户号, phones): always stored as text so a
      /// spreadsheet never turns them into 4.31224E+17 or drops a leading zero.
      case code
    }
    /// Stable id, used by the column definition files and by a merge.
    public var id: String
    /// The header, in Chinese, as on the paper.
    public var label: String
    public var kind: Kind
    /// Width in display columns (a Chinese character is two).
    public var width: Int

    public init(id: String, label: String, kind: Kind = .text, width: Int = 10) {
      self.id = id
      self.label = label
      self.kind = kind
      self.width = width
    }
  }

  public enum Cell: Equatable, Sendable {
    case text(String)
    case count(Int)
    /// A share 0…1 (e.g. households visited ÷ households to visit).
    case share(Double)
    case empty

    /// The cell as plain text (CSV, a PDF table, a screen).
    public var text: String {
      switch self {
      case .text(let value): return value
      case .count(let value): return String(value)
      case .share(let value):
        let percent = (value * 1000).rounded() / 10
        return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
      case .empty: return ""
      }
    }
  }

  /// The sheet's name (at most 31 characters in a workbook).
  public var name: String
  /// The title over the table, as on the paper.
  public var title: String
  /// What it covers: the campaign, the round or the dates, the village.
  public var scope: String
  public var columns: [Column]
  public var rows: [[Cell]]
  /// The total row (合计), when the table has one.
  public var total: [Cell]?
  /// Lines under the table: 填报单位、填表人、审核人、联系电话、填报日期.
  public var footer: [String]

  public init(
    name: String, title: String, scope: String, columns: [Column], rows: [[Cell]],
    total: [Cell]? = nil, footer: [String] = []
  ) {
    self.name = name
    self.title = title
    self.scope = scope
    self.columns = columns
    self.rows = rows
    self.total = total
    self.footer = footer
  }
}
