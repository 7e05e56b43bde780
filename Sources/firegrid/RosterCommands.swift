import ArgumentParser
import FiregridModel
import FiregridRepository
import FiregridSheets
import FiregridStore
import Foundation

/// `firegrid import roster FILE`, `firegrid import premises FILE`: a spreadsheet into a data
/// folder.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "导入数据 Import data into a data folder.",
    subcommands: [ImportRoster.self, ImportPremises.self])
}

/// `firegrid export roster`, `firegrid export premises`: a spreadsheet of the data folder.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "导出数据 Export data from a data folder.",
    subcommands: [ExportRoster.self, ExportPremises.self])
}

struct ImportRoster: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "roster",
    abstract: "从花名册（CSV 或 .xlsx）导入村、网格、户和家庭成员 Import a roster spreadsheet (CSV or XLSX).",
    discussion: """
      一行一人，表头：村（社区）,网格,网格长,户号,姓名,与户主关系,性别,身份证号,联系电话,家庭住址,重点人群
      （村、网格、户号、姓名必填；常见别名如 身份证号码、手机号、地址 也认）。编码自动识别：UTF-8
      （带或不带 BOM）或 GB18030/GBK（中文版 Excel 另存的 CSV）。
      .xlsx 文件读第一个工作表，或 --sheet 指定的工作表。旧版 .xls 请先另存为 .xlsx 或 CSV。
      全部或全不：只要有一行有问题，就什么都不写入，并列出每一行的行号和原因。
      导入到空文件夹时新建一个镇（须给 --town）；导入到已有的镇时只新增村、网格和户。
      Exit status: 0 imported (or --dry-run clean), 1 rejected or failed.
      """)

  @Argument(help: "CSV 或 .xlsx 文件 (the spreadsheet, as CSV or XLSX)")
  var file: String

  @Option(name: .long, help: "读 .xlsx 中的这个工作表（默认第一个）(sheet of an .xlsx file)")
  var sheet: String?

  @OptionGroup var options: DataOptions

  @OptionGroup var database: ImportDatabaseOptions

  @Option(name: .long, help: "镇名，导入到空文件夹（或数据库中的新镇）时必填 (town name, for a new town)")
  var town: String?

  @Flag(name: .long, help: "只检查并报告，不写入 (check and report, write nothing)")
  var dryRun = false

  @Option(
    name: .long, help: "操作员姓名，记入审计日志 (operator; default $FIREGRID_OPERATOR or the login name)")
  var `operator`: String?

  func run() throws {
    umask(0o077)
    let url = URL(fileURLWithPath: file)
    guard let format = RosterFileFormat(url) else { fail(RosterCLIText.unknownExtension(file)) }
    if sheet != nil, format != .xlsx { fail(RosterCLIText.sheetOnlyForXLSX) }
    let folder = options.folder
    let operatorName =
      `operator` ?? ProcessInfo.processInfo.environment["FIREGRID_OPERATOR"] ?? NSUserName()
    let importOptions = RosterImport.Options(
      townName: town, operatorName: operatorName, dryRun: dryRun, source: url.lastPathComponent)
    let outcome: RosterImport.Outcome
    var sheetRead: String?
    if let location = database.location(options) {
      let table: RosterCSV.Table
      do {
        switch format {
        case .csv:
          table = try RosterCSV.parse([UInt8](try Data(contentsOf: url)))
        case .xlsx:
          let read = try RosterXLSX.table(url, sheet: sheet)
          sheetRead = read.sheet
          table = read.table
        }
        outcome = try RosterImport.run(table: table, into: location, options: importOptions)
      } catch let error as RosterImport.Failure {
        fail(error.message)
      } catch let error as RosterCSV.ParseError {
        fail(error.message)
      } catch let error as SheetError {
        fail(error.message)
      } catch {
        // XLSX errors say themselves; an unreadable file is named.
        fail((error as? any RepositoryError)?.message ?? RosterCLIText.cannotRead(file))
      }
      print(
        RosterCLIText.report(
          outcome, file: url.lastPathComponent, dryRun: dryRun, sheet: sheetRead))
      if !outcome.plan.isAccepted { throw ExitCode(1) }
      return
    }
    switch format {
    case .csv:
      let bytes: [UInt8]
      do {
        bytes = [UInt8](try Data(contentsOf: url))
      } catch {
        fail(RosterCLIText.cannotRead(file))
      }
      do {
        // The day of the backup an import into a town takes: pinned like every other command.
        outcome = try RosterImport.run(
          bytes, into: folder, options: importOptions, clock: commandClock)
      } catch {
        fail(error.message)
      }
    case .xlsx:
      let read: (table: RosterCSV.Table, sheet: String)
      do {
        read = try RosterXLSX.table(url, sheet: sheet)
      } catch {
        fail(error.message)
      }
      sheetRead = read.sheet
      do {
        outcome = try RosterImport.run(
          table: read.table, into: folder, options: importOptions, clock: commandClock)
      } catch {
        fail(error.message)
      }
    }
    print(
      RosterCLIText.report(outcome, file: url.lastPathComponent, dryRun: dryRun, sheet: sheetRead))
    if !outcome.plan.isAccepted { throw ExitCode(1) }
  }
}

/// The kinds of file the roster commands read and write, by the file's extension.
enum RosterFileFormat {
  case csv
  case xlsx

  /// nil for an extension that is neither (.xls, .ods, none): refused, never guessed.
  init?(_ url: URL) {
    switch url.pathExtension.lowercased() {
    case "csv", "txt", "tsv": self = .csv
    case "xlsx": self = .xlsx
    default: return nil
    }
  }
}

/// The encodings `export roster` writes.
enum RosterFileEncoding: String, ExpressibleByArgument, CaseIterable {
  case utf8
  case gb18030

  init?(argument: String) {
    switch argument.lowercased() {
    case "utf8", "utf-8": self = .utf8
    case "gb18030", "gbk", "gb2312": self = .gb18030
    default: return nil
    }
  }

  var textEncoding: TextEncoding { self == .utf8 ? .utf8 : .gb18030 }
}

struct ExportRoster: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "roster",
    abstract: "把花名册导出为 CSV 或 .xlsx（一行一人）Export the roster as a spreadsheet (CSV or XLSX).",
    discussion: """
      列与导入相同，按花名册顺序（村、网格、户、成员）。按 --out 的扩展名写 .csv 或 .xlsx（Excel 工作簿，
      户号、身份证号、电话存为文本）；其他扩展名不写。CSV 默认 UTF-8 带 BOM（新版 Excel 直接打开）；
      --encoding gb18030 供只认 GBK 的旧版 Excel。不写 --out 时以 CSV 输出到标准输出。
      导出的文件含身份证号和电话，按个人信息保管（文件权限 0600）。
      """)

  @OptionGroup var options: DataOptions
  @OptionGroup var database: DatabaseOptions

  @Option(
    name: .long, help: "输出文件 .csv 或 .xlsx；不写则输出到标准输出 (output file; stdout if omitted)")
  var out: String?

  @Option(name: .long, help: "CSV 的编码：utf8（默认，带 BOM）或 gb18030（旧版 Excel）(encoding)")
  var encoding: RosterFileEncoding?

  func run() throws {
    umask(0o077)
    let format = out.map { RosterFileFormat(URL(fileURLWithPath: $0)) } ?? .csv
    guard let format else { fail(RosterCLIText.unknownExtension(out ?? "")) }
    if format == .xlsx, encoding != nil { fail(RosterCLIText.encodingOnlyForCSV) }
    let encoding = self.encoding ?? .utf8
    let report = readTownForExport(options, database)
    if !report.damaged.isEmpty {
      fail(RosterCLIText.damagedExport(report.damaged.map(\.relativePath)))
    }
    let town = report.town
    let left = RosterCSV.unplaceableHouseholds(town)
    if !left.isEmpty { warn(RosterCLIText.unplaceable(left.map(\.id))) }
    let households = town.households.count - left.count
    let persons = town.personCount - left.reduce(0) { $0 + $1.persons.count }
    if let out, format == .xlsx {
      do {
        try XLSXWriter.write(RosterXLSX.workbook(town), to: URL(fileURLWithPath: out))
      } catch {
        fail(error.message)
      }
      warn(RosterCLIText.exportedWorkbook(households, persons, out))
      return
    }
    let bytes: [UInt8]
    do {
      bytes = try RosterCSV.encode(RosterCSV.export(town), as: encoding.textEncoding)
    } catch {
      fail(error.message)
    }
    if let out {
      do {
        try AtomicFile.write(Data(bytes), to: URL(fileURLWithPath: out))
      } catch {
        fail(error.message)
      }
      warn(RosterCLIText.exported(households, persons, out, encoding))
    } else {
      FileHandle.standardOutput.write(Data(bytes))
    }
  }
}

private func warn(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The roster commands' text, in one place.
enum RosterCLIText {
  static func cannotRead(_ file: String) -> String { "无法读取文件：\(file)" }
  static func noTown(_ p: String) -> String { "\(p) 不是消防网格的数据文件夹（缺少 town.json）" }
  static func damagedExport(_ paths: [String]) -> String {
    "有 \(paths.count) 个文件已损坏（\(paths.prefix(5).joined(separator: "、"))），导出会缺少这些户："
      + "请先恢复（firegrid check 查看，程序中按 D 从备份恢复）后再导出。"
  }
  static func unplaceable(_ ids: [String]) -> String {
    "提示：\(ids.count) 户找不到所属的网格或村，未导出（\(ids.prefix(5).joined(separator: "、"))）；"
      + "请用 firegrid check 查看。"
  }
  static func exported(
    _ households: Int, _ persons: Int, _ out: String, _ encoding: RosterFileEncoding
  )
    -> String
  {
    let label = encoding == .utf8 ? "UTF-8 带 BOM" : "GB18030"
    return "已导出 \(households) 户，\(persons) 人 → \(out)（\(label)）"
  }

  static func exportedWorkbook(_ households: Int, _ persons: Int, _ out: String) -> String {
    "已导出 \(households) 户，\(persons) 人 → \(out)（Excel 工作簿）"
  }
  static func unknownExtension(_ file: String) -> String {
    "不支持的文件类型：\(file)。花名册只能是 .csv 或 .xlsx（旧版 .xls、WPS 的 .et 请先另存为 .xlsx 或 CSV）。"
  }
  static let sheetOnlyForXLSX = "--sheet 只用于 .xlsx 文件（CSV 只有一张表）。"
  static let encodingOnlyForCSV = "--encoding 只用于 CSV；.xlsx 文件的编码是固定的。"

  /// Grid-size warnings shown in the report; rejected rows are always all shown.
  static let shownWarnings = 10

  static func report(
    _ outcome: RosterImport.Outcome, file: String, dryRun: Bool, sheet: String? = nil
  ) -> String {
    let plan = outcome.plan
    let source = sheet.map { "工作表「\($0)」" } ?? "\(outcome.encoding.label) 编码"
    var lines = [
      "读取 \(file)（\(source)）：表头在第\(plan.headerRow)行，数据 \(plan.dataRows) 行。"
    ]
    if !plan.ignoredColumns.isEmpty {
      lines.append("未导入的列：\(plan.ignoredColumns.joined(separator: "、"))")
    }
    if !plan.warnings.isEmpty {
      lines.append("提示（不影响导入）：")
      lines += plan.warnings.prefix(shownWarnings).map { "  \($0)" }
      if plan.warnings.count > shownWarnings {
        lines.append("  另有 \(plan.warnings.count - shownWarnings) 条提示（导入后 firegrid check 可查看全部）")
      }
    }
    guard plan.isAccepted else {
      lines.append("有问题的行（共 \(plan.rejectedRowCount) 行）：")
      lines += plan.problems.map { "  \($0)" }
      lines.append("未导入：没有写入任何改动。请改正以上各行后重新导入（可先加 --dry-run 检查）。")
      return lines.joined(separator: "\n")
    }
    let counts =
      "\(plan.newVillages.count) 个村（社区），\(plan.newGrids.count) 个网格，"
      + "\(plan.newHouseholds.count) 户，\(plan.newPersonCount) 人"
    var extras: [String] = []
    if plan.unchangedHouseholds > 0 { extras.append("已有且相同、跳过 \(plan.unchangedHouseholds) 户") }
    if !plan.changedGrids.isEmpty { extras.append("为 \(plan.changedGrids.count) 个已有网格指定网格长") }
    let extra = extras.isEmpty ? "" : "；" + extras.joined(separator: "；")
    let name = plan.town.town.name.isEmpty ? "新镇" : plan.town.town.name
    let town = name + (outcome.createsTown ? "（新建）" : "")
    if dryRun {
      lines.append("检查通过（--dry-run，未写入）：将向 \(town) 新增 \(counts)\(extra)。")
      if plan.town.town.name.isEmpty { lines.append("正式导入到空文件夹时，请用 --town 给出镇名。") }
    } else if outcome.wrote {
      lines.append("已导入到 \(town)：新增 \(counts)\(extra)。")
    } else {
      lines.append("没有需要新增的内容\(extra)。")
    }
    return lines.joined(separator: "\n")
  }
}
