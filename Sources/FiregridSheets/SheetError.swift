/// Why a spreadsheet could not be read or written. `message` is what the user reads.
public enum SheetError: Error, Equatable, Sendable {
  /// The file is not an XLSX workbook (not a ZIP, or a ZIP without a workbook in it).
  case notASpreadsheet(path: String)
  /// The workbook has no sheet of that name.
  case noSuchSheet(name: String, available: [String], path: String)
  /// The workbook has no sheet at all.
  case noSheets(path: String)
  /// The file is an XLSX package, but a part of it is missing or does not parse.
  case damaged(path: String, part: String)
  /// The file cannot be opened or read.
  case unreadable(path: String, reason: String)
  /// The file cannot be written.
  case unwritable(path: String, reason: String)
  /// A sheet name Excel would refuse, or one used twice.
  case invalidSheetName(String)

  public var message: String {
    switch self {
    case .notASpreadsheet(let path):
      return "\(path) 不是 Excel 工作簿（.xlsx）：请在 Excel 或 WPS 中另存为「Excel 工作簿 (*.xlsx)」或 CSV 后再试。"
    case .noSuchSheet(let name, let available, let path):
      return "\(path) 中没有名为「\(name)」的工作表；有：\(available.joined(separator: "、"))"
    case .noSheets(let path):
      return "\(path) 中没有任何工作表。"
    case .damaged(let path, let part):
      return "\(path) 已损坏（\(part) 缺失或无法读取）：请在 Excel 或 WPS 中打开后重新保存再试。"
    case .unreadable(let path, let reason):
      return "无法读取 \(path)：\(reason)"
    case .unwritable(let path, let reason):
      return "无法写入 \(path)：\(reason)"
    case .invalidSheetName(let name):
      return "工作表名「\(name)」不可用：应为 1 至 31 个字符，不含 : \\ / ? * [ ]，且不能重复。"
    }
  }
}
