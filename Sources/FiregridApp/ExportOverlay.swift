import FiregridModel
import TerminalUI

/// What the app needs to write a report or a list to a file: XLSX, CSV or PDF, chosen by the
/// file's extension (an unknown one is refused, never written as something else). The
/// executable passes one (FiregridSheets and FiregridPrint underneath), like `DocumentPrinting`.
public protocol ReportWriting: Sendable {
  /// Writes `report` to `path` (a leading `~` is the home folder); returns the full path.
  func write(_ report: Report, to path: String) -> Result<String, PrintFailure>
  /// Builds the report the clerk asked for from the town and writes it into the request's
  /// folder; returns the full path.
  func write(_ request: ReportRequest, town: TownData) -> Result<String, PrintFailure>
}

/// `o` on a list: what is shown, filters included, to a spreadsheet. One field, the file,
/// offered in the export folder under the list's title and today's date.
struct ExportOverlay: Overlay {
  let report: Report
  var form: Form

  static let pathField = "path"

  init(_ table: ReportTable, today: CivilDate) {
    let name = table.title.replacingOccurrences(of: " > ", with: "-")
      .replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: " ", with: "")
    self.init(
      report: Report(kind: "list", tables: [table]), name: name, format: "xlsx", today: today)
  }

  /// A whole report (a check sheet, minutes, draft notices), offered as `name`-today.`format`.
  init(report: Report, name: String, format: String, today: CivilDate) {
    self.report = report
    form = Form(
      title: ExportText.title(report.tables.first?.title ?? name),
      fields: [
        FormField(
          id: Self.pathField, label: ExportText.file, kind: .text(maxLength: 200), required: true,
          requiredMessage: ExportText.fileRequired, hint: ExportText.fileHint)
      ],
      values: [Self.pathField: "\(ExportText.defaultFolder)/\(name)-\(today).\(format)"])
  }

  var takesText: Bool { true }
  var isDirty: Bool { form.isDirty }

  /// One field: Enter saves as Ctrl-S does; there is no other field to move to.
  enum Action { case save, cancel }
  static let keymap = Keymap<Action>([
    (KeyBinding([.enter, .control("s")], "Enter", ExportText.keySave), .save),
    (KeyBinding([.escape], "Esc", AppText.keyCancel), .cancel),
  ])

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    switch Self.keymap.action(for: key) {
    case .cancel?: return [.dismiss]
    case .save?, nil: break
    }
    let key = key == .enter ? Key.control("s") : key
    guard case .submitted(let values) = form.handle(key) else { return [] }
    return [.run(.writeReport(report, path: values[Self.pathField] ?? ""))]
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    FormKeys.render(form, into: &buffer, body: area.body)
  }
}

extension ReportTable {
  /// What a list screen shows, as a table to export: its title, the filter typed, its columns
  /// and rows as drawn (masked values stay masked). 户号 and columns of digits that are not
  /// amounts stay text; right-aligned columns of whole numbers are counts.
  init(list title: String, filter: String, table: Table) {
    let columns = table.columns.enumerated().map { index, column -> Column in
      let values = table.rows.map { index < $0.count ? $0[index] : "" }
      let isCount =
        column.alignment == .right && values.allSatisfy { $0.isEmpty || Int($0) != nil }
      let isCode = !isCount && values.contains { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
      return Column(
        id: "c\(index + 1)", label: column.title,
        kind: isCount ? .count : (isCode ? .code : .text), width: max(4, column.width))
    }
    let rows = table.rows.map { row in
      columns.indices.map { index -> Cell in
        let value = index < row.count ? row[index] : ""
        if value.isEmpty { return .empty }
        if columns[index].kind == .count, let number = Int(value) { return .count(number) }
        return .text(value)
      }
    }
    self.init(
      name: String(title.split(separator: " ").last ?? Substring(title)).prefix(31).description,
      title: title, scope: filter.isEmpty ? "" : ExportText.filtered(filter), columns: columns,
      rows: rows)
  }
}

/// The export's words.
enum ExportText {
  static let key = "导出表格"
  static let keySave = "导出"
  static func title(_ list: String) -> String { "导出  \(list)" }
  static let file = "保存为"
  static let fileRequired = "请填写文件名"
  static let fileHint = "扩展名决定格式：.xlsx 电子表格、.csv 文本表格、.pdf 打印版"
  static let defaultFolder = "~/消防网格导出"
  static func filtered(_ filter: String) -> String { "筛选：\(filter)" }
  static func written(_ path: String) -> String { "已导出：\(path)" }
  static let notAvailable = "本程序未带导出功能（缺少表格模块）"
  static let busy = "正在导出…"
}
