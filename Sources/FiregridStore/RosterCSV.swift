import FiregridModel
import Foundation

/// The roster as a spreadsheet (花名册): one row per person, Chinese column headers, in the
/// CSV that Excel and WPS write. Pure functions, no files:
///
/// - `parse(_:)`: bytes → `Table` (encoding detected, RFC 4180 quoting, CRLF or LF);
/// - `plan(_:into:)`: `Table` + the town as it is → `ImportPlan` (the records to add and every
///   rejected row with its reason); see RosterCSVPlan.swift;
/// - `export(_:)`: the town → CSV text in roster order; see RosterCSVExport.swift.
///
/// `RosterImport` (RosterCSVImport.swift) does the reading and writing around them.
///
/// Columns (`Column`), in the order the export writes them:
///
///     村（社区）,网格,网格长,户号,姓名,与户主关系,性别,身份证号,联系电话,家庭住址,重点人群,
///     赡养人/紧急联系人,联系人关系,联系人电话,自理情况,居住情况,结对帮扶人,帮扶人电话,探访频次,
///     烟感报警器,灭火器,老人备注
///
/// The last eleven are the 独居老人 table's facts (`ElderlyCare`, 附件7): optional columns, empty
/// for most people; a file without them imports as before.
///
/// Rows are numbered as the spreadsheet numbers them: the header is row 1 (or the row it is
/// on, when title rows come first), and a quoted cell with line breaks still counts as one row.
public enum RosterCSV {
  /// The cells of a CSV file, row by row, as read (not yet trimmed or folded).
  public struct Table: Equatable, Sendable {
    /// `rows[0]` is the spreadsheet's row 1.
    public var rows: [[String]]
    /// The encoding the file was in.
    public var encoding: TextEncoding
    /// "," or "\t" (Excel's "Unicode 文本" is tab-separated UTF-16).
    public var delimiter: Character

    public init(rows: [[String]], encoding: TextEncoding = .utf8, delimiter: Character = ",") {
      self.rows = rows
      self.encoding = encoding
      self.delimiter = delimiter
    }
  }

  /// Why a file could not be read as a table at all. `message` is what the user reads.
  public enum ParseError: Error, Equatable, Sendable {
    case encoding(TextEncoding.Problem)
    /// A quoted cell that starts on this row and is never closed.
    case unterminatedQuote(row: Int)
    /// No rows at all.
    case empty

    public var message: String {
      switch self {
      case .encoding(let problem): return problem.message
      case .unterminatedQuote(let row): return RosterCSVText.unterminatedQuote(row)
      case .empty: return RosterCSVText.emptyFile
      }
    }
  }

  /// One rejected row: the spreadsheet's row number and the reason, in Chinese.
  public struct RowProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var row: Int
    public var message: String

    public init(row: Int, message: String) {
      self.row = row
      self.message = message
    }

    /// "第5行：身份证号 431224… 有误：校验码错误，应为X"
    public var description: String { RosterCSVText.rowProblem(row, message) }
  }

  // MARK: Columns

  /// The columns of the roster sheet.
  public enum Column: String, CaseIterable, Sendable {
    case village
    case grid
    case gridLeader
    case householdNumber
    case name
    case relation
    case sex
    case idNumber
    case phone
    case address
    case groups
    // 独居老人 (ElderlyCare): optional.
    case guardianName
    case guardianRelation
    case guardianPhone
    case selfCare
    case livingSituation
    case helperName
    case helperPhone
    case visitFrequency
    case smokeAlarm
    case extinguisher
    case careNotes

    /// One of the elderly-care columns (not needed to place a person in the roster).
    public var isElderlyCare: Bool { Self.elderlyCare.contains(self) }
    public static let elderlyCare: [Column] = [
      .guardianName, .guardianRelation, .guardianPhone, .selfCare, .livingSituation, .helperName,
      .helperPhone, .visitFrequency, .smokeAlarm, .extinguisher, .careNotes,
    ]

    /// The header the export writes.
    public var header: String {
      switch self {
      case .village: return "村（社区）"
      case .grid: return "网格"
      case .gridLeader: return "网格长"
      case .householdNumber: return "户号"
      case .name: return "姓名"
      case .relation: return "与户主关系"
      case .sex: return "性别"
      case .idNumber: return "身份证号"
      case .phone: return "联系电话"
      case .address: return "家庭住址"
      case .groups: return "重点人群"
      case .guardianName: return "赡养人/紧急联系人"
      case .guardianRelation: return "联系人关系"
      case .guardianPhone: return "联系人电话"
      case .selfCare: return "自理情况"
      case .livingSituation: return "居住情况"
      case .helperName: return "结对帮扶人"
      case .helperPhone: return "帮扶人电话"
      case .visitFrequency: return "探访频次"
      case .smokeAlarm: return "烟感报警器"
      case .extinguisher: return "灭火器"
      case .careNotes: return "老人备注"
      }
    }

    /// Other headers accepted for this column (besides `header`), before folding.
    public var aliases: [String] {
      switch self {
      case .village:
        return [
          "村", "社区", "村/社区", "村(社区)", "村（居）", "村(居)", "村居", "村社区", "村名", "社区名",
          "村(社区)名称", "村名称", "社区名称", "所属村", "所属社区", "所属村(社区)", "行政村", "村委会",
          "村(居)委会",
        ]
      case .grid:
        return ["网格名称", "网格名", "微网格", "所属网格", "网格编号", "微网格名称"]
      case .gridLeader:
        return ["网格长姓名", "微网格长", "网格负责人"]
      case .householdNumber:
        return ["户编号", "户籍号", "户主编号", "家庭编号"]
      case .name:
        return ["名字", "成员姓名", "家庭成员", "家庭成员姓名", "居民姓名", "人员姓名"]
      case .relation:
        return ["关系", "与户主的关系", "家庭关系", "与户主关系(户主)"]
      case .sex:
        return ["性別"]
      case .idNumber:
        return [
          "身份证号码", "公民身份号码", "身份证", "公民身份证号码", "公民身份证号", "证件号码", "身份证件号码",
        ]
      case .phone:
        return [
          "电话", "手机号", "手机", "联系方式", "手机号码", "电话号码", "联系电话号码", "联系手机", "移动电话",
        ]
      case .address:
        return ["地址", "住址", "家庭地址", "现住址", "居住地址", "家庭住址(门牌号)", "门牌地址"]
      case .groups:
        return ["重点人群类别", "重点人群类型", "人群类别", "重点人员", "重点人员类别", "特殊人群", "类别"]
      case .guardianName:
        return ["赡养人", "紧急联系人", "赡养人姓名", "紧急联系人姓名", "监护人", "监护人姓名"]
      case .guardianRelation:
        return ["与老人关系", "赡养人关系", "紧急联系人关系", "监护人关系"]
      case .guardianPhone:
        return ["赡养人电话", "紧急联系人电话", "监护人电话", "联系人电话号码"]
      case .selfCare:
        return ["生活自理能力", "自理能力", "生活自理情况", "身体状况"]
      case .livingSituation:
        return ["居住状况", "居住方式", "生活状况"]
      case .helperName:
        return ["帮扶人", "结对帮扶人姓名", "结对帮扶责任人", "帮扶责任人"]
      case .helperPhone:
        return ["结对帮扶人电话", "帮扶责任人电话"]
      case .visitFrequency:
        return ["走访频次", "探访频率", "走访频率", "联系频次"]
      case .smokeAlarm:
        return ["烟感", "独立式烟感报警器", "烟雾报警器", "是否安装烟感"]
      case .extinguisher:
        return ["灭火器配备", "是否配备灭火器"]
      case .careNotes:
        return ["独居老人备注"]
      }
    }

    /// The columns a row cannot do without.
    public static let required: [Column] = [.village, .grid, .householdNumber, .name]

    /// Folded header → column, for every header and alias.
    static let byHeader: [String: Column] = {
      var table: [String: Column] = [:]
      for column in allCases {
        for text in [column.header] + column.aliases {
          table[RosterCSV.headerKey(text)] = column
        }
      }
      return table
    }()
  }

  /// A header as it is compared: full-width ASCII folded (（ → (, ：→ :), every space removed,
  /// the "required" marks * and （必填） dropped, Latin letters lowercased.
  static func headerKey(_ raw: String) -> String {
    var result = ""
    for scalar in raw.unicodeScalars {
      if scalar.properties.isWhitespace || scalar == "\u{FEFF}" { continue }
      var value = scalar.value
      if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
      guard let folded = Unicode.Scalar(value), folded != "*" else { continue }
      result.unicodeScalars.append(folded)
    }
    for mark in ["(必填)", "(必填项)", "(选填)"] {
      result = result.replacingOccurrences(of: mark, with: "")
    }
    return result.lowercased()
  }

  /// Where each column is in the table.
  public struct Header: Equatable, Sendable {
    /// The spreadsheet row of the header (1 unless title rows come first).
    public var row: Int
    /// Column → index of the cell in a row.
    public var index: [Column: Int]
    /// Headers that are not roster columns (序号, 年龄, 备注 ...): not imported.
    public var ignored: [String]
  }

  /// Finds the header among the first rows: the first row that names 姓名 and at least two
  /// other columns. Title rows above it ("三江镇消防网格花名册") are skipped.
  static func findHeader(_ table: Table) -> Result<Header, RowProblem> {
    for (offset, cells) in table.rows.prefix(10).enumerated() {
      var index: [Column: Int] = [:]
      var ignored: [String] = []
      for (position, cell) in cells.enumerated() {
        let key = headerKey(cell)
        guard !key.isEmpty else { continue }
        guard let column = Column.byHeader[key] else {
          ignored.append(cell.trimmingCharacters(in: .whitespaces))
          continue
        }
        if let earlier = index[column] {
          return .failure(
            RowProblem(
              row: offset + 1,
              message: RosterCSVText.duplicateColumn(column.header, earlier + 1, position + 1)))
        }
        index[column] = position
      }
      guard index[.name] != nil, index.count >= 3 else { continue }
      let missing = Column.required.filter { index[$0] == nil }
      if !missing.isEmpty {
        return .failure(
          RowProblem(
            row: offset + 1, message: RosterCSVText.missingColumns(missing.map(\.header))))
      }
      return .success(Header(row: offset + 1, index: index, ignored: ignored))
    }
    return .failure(RowProblem(row: 1, message: RosterCSVText.noHeader))
  }

  // MARK: Parsing

  /// Reads a CSV file's bytes: detects the encoding (`TextEncoding.decode`), the delimiter
  /// ("," unless the first line has more tabs than commas) and splits it into rows of cells
  /// following RFC 4180: a quoted cell may hold the delimiter, line breaks and doubled quotes
  /// (""); rows end with CRLF, LF or CR. Lenient where Excel is: a quote inside an unquoted
  /// cell is kept as a character, spaces before an opening quote are dropped.
  public static func parse(_ bytes: [UInt8]) throws(ParseError) -> Table {
    let decoded: TextEncoding.Decoded
    do {
      decoded = try TextEncoding.decode(bytes)
    } catch {
      throw ParseError.encoding(error)
    }
    let delimiter = detectDelimiter(decoded.utf8)
    let rows = try split(decoded.utf8, delimiter: delimiter)
    guard !rows.isEmpty else { throw ParseError.empty }
    return Table(
      rows: rows, encoding: decoded.encoding,
      delimiter: Character(Unicode.Scalar(delimiter)))
  }

  private static let quote = UInt8(ascii: "\"")
  private static let lineFeed = UInt8(ascii: "\n")
  private static let carriageReturn = UInt8(ascii: "\r")
  private static let comma = UInt8(ascii: ",")
  private static let tab = UInt8(ascii: "\t")
  private static let space = UInt8(ascii: " ")

  static func detectDelimiter(_ utf8: [UInt8]) -> UInt8 {
    var commas = 0
    var tabs = 0
    for byte in utf8 {
      if byte == lineFeed || byte == carriageReturn { break }
      if byte == comma { commas += 1 } else if byte == tab { tabs += 1 }
    }
    return tabs > commas ? tab : comma
  }

  /// The RFC 4180 state machine over UTF-8 bytes (the delimiter, quotes and line breaks are
  /// ASCII, so they never occur inside a multi-byte character).
  static func split(_ utf8: [UInt8], delimiter: UInt8) throws(ParseError) -> [[String]] {
    var rows: [[String]] = []
    var cells: [String] = []
    var cell: [UInt8] = []
    cell.reserveCapacity(64)
    var inQuotes = false
    /// The current cell was quoted (text after its closing quote is kept, Excel-style).
    var wasQuoted = false
    var quoteRow = 0
    var index = 0
    let count = utf8.count

    func endCell() {
      cells.append(String(decoding: cell, as: UTF8.self))
      cell.removeAll(keepingCapacity: true)
      wasQuoted = false
    }
    func endRow() {
      endCell()
      rows.append(cells)
      cells.removeAll(keepingCapacity: true)
    }

    while index < count {
      let byte = utf8[index]
      if inQuotes {
        if byte == quote {
          if index + 1 < count, utf8[index + 1] == quote {
            cell.append(quote)
            index += 2
            continue
          }
          inQuotes = false
        } else if byte == carriageReturn, index + 1 < count, utf8[index + 1] == lineFeed {
          // A line break inside a cell is kept as LF.
        } else {
          cell.append(byte)
        }
        index += 1
        continue
      }
      switch byte {
      case quote where !wasQuoted && cell.allSatisfy({ $0 == space }):
        cell.removeAll(keepingCapacity: true)
        inQuotes = true
        wasQuoted = true
        quoteRow = rows.count + 1
      case delimiter:
        endCell()
      case lineFeed:
        endRow()
      case carriageReturn:
        if index + 1 < count, utf8[index + 1] == lineFeed { index += 1 }
        endRow()
      default:
        cell.append(byte)
      }
      index += 1
    }
    if inQuotes { throw ParseError.unterminatedQuote(row: quoteRow) }
    if !cell.isEmpty || !cells.isEmpty || wasQuoted { endRow() }
    return rows
  }

  // MARK: Cell values

  /// A cell as imported: full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) folded to ASCII and
  /// the spaces around it (including the ideographic space U+3000) trimmed. Other full-width
  /// punctuation stays: （ ） are part of names like 龙潭村（2）.
  static func cleaned(_ raw: String) -> String {
    // Most cells hold nothing to fold or trim: a scan of the bytes decides (35,000 rows of 11
    // cells at town scale).
    guard raw.utf8.contains(where: mayNeedCleaning) else { return raw }
    var scalars = String.UnicodeScalarView()
    for scalar in raw.unicodeScalars where scalar != "\u{FEFF}" {
      scalars.append(
        isFullWidthAlphanumeric(scalar) ? Unicode.Scalar(scalar.value - 0xFEE0)! : scalar)
    }
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, scalars[start].properties.isWhitespace {
      start = scalars.index(after: start)
    }
    while end > start, scalars[scalars.index(before: end)].properties.isWhitespace {
      end = scalars.index(before: end)
    }
    return String(scalars[start..<end])
  }

  /// Whether a UTF-8 byte may begin something `cleaned` changes: ASCII whitespace, or the lead
  /// byte of a non-ASCII space (U+0085, U+00A0, U+1680, U+2000-U+205F, U+3000), the BOM or a
  /// full-width form (U+FFxx). Chinese characters (lead bytes E4-E9) never do.
  private static func mayNeedCleaning(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x09...0x0D, 0x20, 0xC2, 0xE1, 0xE2, 0xE3, 0xEF: return true
    default: return false
    }
  }

  private static func isFullWidthAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A: return true
    default: return false
    }
  }

  /// A code-like cell (户号, 身份证号, 电话): `cleaned`, every space removed, and the marks
  /// spreadsheets add to keep digits as text dropped: a leading apostrophe ('0003) or the
  /// formula form ="0003".
  static func code(_ raw: String) -> String {
    var text = raw
    if raw.utf8.contains(where: mayNeedCleaning) {
      text = cleaned(raw).filter { !$0.isWhitespace }
    }
    guard let first = text.utf8.first else { return text }
    if first == UInt8(ascii: "'") || first == UInt8(ascii: "`") || text.hasPrefix("\u{2019}") {
      text.removeFirst()
    }
    if first == UInt8(ascii: "="), text.hasPrefix("=\""), text.hasSuffix("\""), text.count >= 3 {
      text = String(text.dropFirst(2).dropLast())
    }
    return text
  }

  /// 18 ASCII digits, or 17 and a final X: already what `IDNumber.normalized` would return.
  static func isNormalizedIDForm(_ text: String) -> Bool {
    var count = 0
    for byte in text.utf8 {
      count += 1
      let isDigit = byte >= 0x30 && byte <= 0x39
      guard isDigit || (count == IDNumber.length && byte == UInt8(ascii: "X")) else { return false }
    }
    return count == IDNumber.length
  }

  /// 11 ASCII digits starting with 1: already what `PhoneNumber.normalized` would return.
  static func isNormalizedMobileForm(_ text: String) -> Bool {
    text.utf8.count == 11 && text.utf8.first == UInt8(ascii: "1")
      && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  /// 男/女 and the other ways sheets write them (男性, M, 1 of GB/T 2261.1 ...); `sex` is nil
  /// for an empty cell, `known` false for text that is not a sex.
  static func sex(_ raw: String) -> (known: Bool, sex: Sex?) {
    switch raw.lowercased() {
    case "": return (true, nil)
    case "男", "男性", "m", "male", "1": return (true, .male)
    case "女", "女性", "f", "female", "2": return (true, .female)
    default: return (false, nil)
    }
  }

  /// 自理情况: the table's three words, and the ones other tables use for them; nil for an
  /// empty cell, `known` false for text that is none of them.
  static func selfCare(_ raw: String) -> (known: Bool, value: ElderlyCare.SelfCare?) {
    switch raw {
    case "": return (true, nil)
    case "自理", "能自理", "生活自理", "完全自理": return (true, .independent)
    case "半失能", "半自理", "部分自理", "部分失能": return (true, .partlyDisabled)
    case "失能", "不能自理", "完全失能", "需照顾": return (true, .disabled)
    default: return (false, nil)
    }
  }

  /// 有/无 cells (烟感报警器, 灭火器): nil for an empty cell, `known` false for other text.
  static func yesNo(_ raw: String) -> (known: Bool, value: Bool?) {
    switch raw.lowercased() {
    case "": return (true, nil)
    case "有", "是", "已安装", "已配备", "√", "✓", "y", "yes", "1": return (true, true)
    case "无", "否", "没有", "未安装", "未配备", "×", "n", "no", "0": return (true, false)
    default: return (false, nil)
    }
  }

  /// Separators between several groups in one cell.
  static let groupSeparators: Set<Character> = ["、", ",", "，", ";", "；", "/", "|", " ", "\u{3000}"]

  /// Group labels (孤寡老人) and short labels (孤寡) → group.
  static let groupsByLabel: [String: VulnerableGroup] = {
    var table: [String: VulnerableGroup] = [:]
    for group in VulnerableGroup.allCases {
      table[group.label] = group
      table[group.shortLabel] = group
    }
    table["精神病患者"] = .mentalDisorder
    table["严重精神障碍患者"] = .mentalDisorder
    table["残疾"] = .disabled
    table["五保"] = .fiveGuarantees
    return table
  }()

  /// The cell's groups in the order written, duplicates dropped; the unknown ones separately.
  /// "无" and "-" mean none.
  static func groups(_ raw: String) -> (groups: [VulnerableGroup], unknown: [String]) {
    var groups: [VulnerableGroup] = []
    var unknown: [String] = []
    for part in raw.split(whereSeparator: { groupSeparators.contains($0) }) {
      let label = String(part)
      if label == "无" || label == "-" || label == "否" { continue }
      if let group = groupsByLabel[label] {
        if !groups.contains(group) { groups.append(group) }
      } else {
        unknown.append(label)
      }
    }
    return (groups, unknown)
  }
}

/// The import's user-facing text, in one place.
enum RosterCSVText {
  static func rowProblem(_ row: Int, _ message: String) -> String { "第\(row)行：\(message)" }
  static func unterminatedQuote(_ row: Int) -> String {
    "第\(row)行有一个引号（\"）开始的单元格没有结束引号，文件可能被截断或手工改坏了。"
  }
  static let emptyFile = "文件是空的。"
  static var noHeader: String {
    "找不到表头：前10行中没有一行含有「姓名」等列名。第一行应为："
      + RosterCSV.Column.allCases.filter { !$0.isElderlyCare }.map(\.header)
      .joined(separator: ",")
  }
  static func missingColumns(_ headers: [String]) -> String {
    "表头缺少必需的列：\(headers.joined(separator: "、"))"
  }
  static func duplicateColumn(_ header: String, _ first: Int, _ second: Int) -> String {
    "表头中「\(header)」出现了两次（第\(first)列和第\(second)列）"
  }
  static let noDataRows = "表头下面没有任何数据行"
  static func missingValues(_ headers: [String]) -> String {
    "缺少必填项：\(headers.joined(separator: "、"))"
  }
  static func badIDNumber(_ value: String, _ detail: String) -> String {
    "身份证号 \(value) 有误：\(detail)"
  }
  static func idInScientificNotation(_ value: String) -> String {
    "身份证号 \(value) 被 Excel 改成了科学计数法，后几位已经丢失：请把该列设为文本格式后重新填写"
  }
  static func badPhone(_ value: String, _ detail: String) -> String {
    "联系电话 \(value) 有误：\(detail)"
  }
  static func unknownSex(_ value: String) -> String { "性别「\(value)」无法识别，应为 男 或 女" }
  static func unknownSelfCare(_ value: String) -> String {
    "自理情况「\(value)」无法识别，应为 "
      + ElderlyCare.SelfCare.allCases.map(\.label).joined(separator: "、")
  }
  static func unknownYesNo(_ header: String, _ value: String) -> String {
    "\(header)「\(value)」无法识别，应为 有 或 无"
  }
  static func badCarePhone(_ header: String, _ value: String, _ detail: String) -> String {
    "\(header) \(value) 有误：\(detail)"
  }
  static func unknownGroups(_ values: [String]) -> String {
    "重点人群「\(values.joined(separator: "、"))」无法识别，可填："
      + VulnerableGroup.allCases.map(\.label).joined(separator: "、") + "（多个用、分隔）"
  }
  static func householdInOtherGrid(
    _ number: String, _ village: String, _ grid: String, _ row: Int, _ thisGrid: String
  ) -> String {
    "\(village) 户号 \(number) 在第\(row)行属于「\(grid)」，本行却是「\(thisGrid)」：同一户只能在一个网格"
  }
  static func addressDiffers(_ number: String, _ address: String, _ row: Int) -> String {
    "户号 \(number) 的家庭住址与第\(row)行的「\(address)」不一致"
  }
  static func noHead(_ number: String, _ rows: String) -> String {
    "户号 \(number)（\(rows)）没有户主：请在「与户主关系」中把一人填为 户主"
  }
  static func secondHead(_ number: String, _ firstRow: Int) -> String {
    "户号 \(number) 已在第\(firstRow)行填了户主，一户只能有一名户主"
  }
  static func householdExists(_ village: String, _ number: String, _ id: String, _ head: String)
    -> String
  {
    "\(village) 户号 \(number) 已存在（\(id)，户主 \(head)），且内容与表中不同：导入只新增，不修改已有的户"
  }
  static func gridOverLimit(_ village: String, _ grid: String, _ count: Int) -> String {
    "\(village)\(grid)将有\(count)户：\(ModelText.gridSizeOverLimit)"
  }
  static func duplicateIDInFile(_ row: Int, _ name: String) -> String {
    "身份证号与第\(row)行（\(name)）重复"
  }
  static func duplicateIDInTown(_ village: String, _ number: String, _ id: String, _ name: String)
    -> String
  {
    "身份证号已登记在 \(village) 户号 \(number)（\(id)）的 \(name) 名下"
  }
  static func leadersDisagree(_ grid: String, _ value: String, _ row: Int, _ other: String)
    -> String
  {
    "「\(grid)」的网格长填的是「\(value)」，与第\(row)行的「\(other)」不一致：同一网格应填同一人"
  }
  static func leaderNotInGrid(_ value: String, _ grid: String) -> String {
    "网格长「\(value)」不是「\(grid)」的居民：网格长应是本网格的一名居民"
  }
  static func leaderAmbiguous(_ value: String, _ grid: String, _ count: Int) -> String {
    "「\(grid)」有\(count)人叫「\(value)」，不知道哪位是网格长：请写成 \(value)（身份证号）"
  }
  static func leaderChanged(_ grid: String, _ current: String, _ value: String) -> String {
    "「\(grid)」已有网格长 \(current)，表中却是「\(value)」：导入不修改已有网格的网格长"
  }
  static func gridSizeWarning(_ village: String, _ grid: String, _ count: Int, _ status: String)
    -> String
  {
    "\(village)\(grid)有\(count)户：\(status)"
  }
}
