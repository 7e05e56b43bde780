import ArgumentParser
import FiregridModel
import FiregridSheets
import FiregridStore
import Foundation

/// `firegrid import premises FILE`: premises (场所) from a spreadsheet into a town.
struct ImportPremises: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "premises",
    abstract: "从场所表（CSV 或 .xlsx）导入办公场所、生产经营性场所和多合一场所 Import premises (CSV or XLSX).",
    discussion: """
      一行一处场所，表头：\(PremisesCSV.Column.allCases.map(\.header).joined(separator: ","))
      （村（社区）、网格、场所名称、类别必填；村和网格须已在花名册上）。类别：办公场所、生产经营性场所、
      多合一场所；经营类别：商店、餐饮、作坊、农家乐、小旅馆、其他（办公场所不填）；是否住人：是、否或留空；
      所在户号：住在该场所的户在本村的户号；走访人：名册上的走访人姓名。
      同一村已有同名场所且内容相同的行跳过；内容不同的行不导入（导入只新增，不修改）。
      全部或全不：只要有一行有问题，就什么都不写入，并列出每一行的行号和原因。
      Exit status: 0 imported (or --dry-run clean), 1 rejected or failed.
      """)

  @Argument(help: "CSV 或 .xlsx 文件 (the spreadsheet, as CSV or XLSX)")
  var file: String

  @Option(name: .long, help: "读 .xlsx 中的这个工作表（默认第一个）(sheet of an .xlsx file)")
  var sheet: String?

  @OptionGroup var options: DataOptions

  @OptionGroup var database: ImportDatabaseOptions

  @Flag(name: .long, help: "只检查并报告，不写入 (check and report, write nothing)")
  var dryRun = false

  @Option(
    name: .long, help: "操作员姓名，记入审计日志 (operator; default $FIREGRID_OPERATOR or the login name)")
  var `operator`: String?

  func run() throws {
    umask(0o077)
    let url = URL(fileURLWithPath: file)
    guard let format = RosterFileFormat(url) else { fail(PremisesCLIText.unknownExtension(file)) }
    if sheet != nil, format != .xlsx { fail(RosterCLIText.sheetOnlyForXLSX) }
    let operatorName =
      `operator` ?? ProcessInfo.processInfo.environment["FIREGRID_OPERATOR"] ?? NSUserName()
    let table: RosterCSV.Table
    var source: String
    switch format {
    case .csv:
      let bytes: [UInt8]
      do {
        bytes = [UInt8](try Data(contentsOf: url))
      } catch {
        fail(RosterCLIText.cannotRead(file))
      }
      do {
        table = try RosterCSV.parse(bytes)
      } catch {
        fail(error.message)
      }
      source = "\(table.encoding.label) 编码"
    case .xlsx:
      do {
        let read = try RosterXLSX.table(url, sheet: sheet)
        table = read.table
        source = "工作表「\(read.sheet)」"
      } catch {
        fail(error.message)
      }
    }
    let outcome: PremisesImport.Outcome
    do {
      if let location = database.location(options) {
        outcome = try PremisesImport.run(
          table: table, into: location, operatorName: operatorName, dryRun: dryRun)
      } else {
        outcome = try PremisesImport.run(
          table: table, into: options.folder, operatorName: operatorName, dryRun: dryRun,
          source: url.lastPathComponent, clock: commandClock)
      }
    } catch {
      fail(error.message)
    }
    print(
      PremisesCLIText.report(
        outcome, file: url.lastPathComponent, source: source, dryRun: dryRun))
    if !outcome.plan.isAccepted { throw ExitCode(1) }
  }
}

/// `firegrid export premises`: the premises as a spreadsheet.
struct ExportPremises: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "premises",
    abstract: "把场所导出为 CSV 或 .xlsx（一行一处）Export the premises as a spreadsheet (CSV or XLSX).",
    discussion: """
      列与导入相同，按花名册顺序（村、网格、场所）；导出的文件原样导入不会新增任何内容。按 --out 的扩展名写
      .csv 或 .xlsx；CSV 默认 UTF-8 带 BOM，--encoding gb18030 供旧版 Excel。不写 --out 时以 CSV 输出到
      标准输出。文件含责任人电话，按个人信息保管（文件权限 0600）。
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
    guard let format else { fail(PremisesCLIText.unknownExtension(out ?? "")) }
    if format == .xlsx, encoding != nil { fail(RosterCLIText.encodingOnlyForCSV) }
    let report = readTownForExport(options, database)
    let damaged = report.damaged.map(\.relativePath).filter {
      $0 == DataFolder.townFileName || $0.hasPrefix(DataFolder.premisesFolderName + "/")
        || $0.hasPrefix(DataFolder.householdsFolderName + "/")
    }
    if !damaged.isEmpty { fail(PremisesCLIText.damagedExport(damaged)) }
    let town = report.town
    let left = PremisesCSV.unplaceable(town)
    if !left.isEmpty { note(PremisesCLIText.unplaceable(left.map(\.id))) }
    let count = town.premises.count - left.count
    if let out, format == .xlsx {
      do {
        try XLSXWriter.write(PremisesCSV.workbook(town), to: URL(fileURLWithPath: out))
      } catch {
        fail(error.message)
      }
      note(PremisesCLIText.exported(count, out, "Excel 工作簿"))
      return
    }
    let encoding = self.encoding ?? .utf8
    let bytes: [UInt8]
    do {
      bytes = try RosterCSV.encode(PremisesCSV.export(town), as: encoding.textEncoding)
    } catch {
      fail(error.message)
    }
    guard let out else {
      FileHandle.standardOutput.write(Data(bytes))
      return
    }
    do {
      try AtomicFile.write(Data(bytes), to: URL(fileURLWithPath: out))
    } catch {
      fail(error.message)
    }
    note(PremisesCLIText.exported(count, out, encoding == .utf8 ? "UTF-8 带 BOM" : "GB18030"))
  }
}

private func note(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// What `summary` counts of premises (场所): by kind, their inspections in the campaign and
/// its working round, and their hazards found this winter by state.
struct PremisesCounts: Codable {
  struct ByKind: Codable {
    var office = 0
    var business = 0
    var mixedUse = 0
    var total = 0
  }
  struct Inspections: Codable {
    /// Inspections in this campaign's winter.
    var total = 0
    var inRound = 0
    var premisesInspectedInRound = 0
    var premisesNotInspectedInRound = 0
  }
  struct Hazards: Codable {
    var found = 0
    var open = 0
    var awaitingCheck = 0
    var overdue = 0
    var closed = 0
  }
  var premises = ByKind()
  var inspections = Inspections()
  var hazards = Hazards()
}

extension PremisesCounts {
  init(_ town: TownData, today: CivilDate) {
    self.init()
    for premises in town.premises {
      switch premises.kind {
      case .office: self.premises.office += 1
      case .business: self.premises.business += 1
      case .mixedUse: self.premises.mixedUse += 1
      }
    }
    premises.total = town.premises.count
    let campaign = town.campaign(on: today)
    let round = campaign.workingRound(on: today)
    for premises in town.premises {
      let record = town.inspectionRecord(of: premises.id)
      inspections.total += record.visits.filter { campaign.covers($0.date) }.count
      if let round {
        let inRound = record.visits.filter { round.contains($0.date) }.count
        inspections.inRound += inRound
        if inRound > 0 {
          inspections.premisesInspectedInRound += 1
        } else {
          inspections.premisesNotInspectedInRound += 1
        }
      }
      for hazard in record.hazards where campaign.covers(hazard.foundOn) {
        hazards.found += 1
        switch hazard.state(on: today) {
        case .open: hazards.open += 1
        case .awaitingCheck: hazards.awaitingCheck += 1
        case .overdue: hazards.overdue += 1
        case .closed: hazards.closed += 1
        }
      }
    }
  }

  /// The summary's lines about premises.
  var text: String {
    """
    场所\t\(premises.total)（办公 \(premises.office)，生产经营 \(premises.business)，多合一 \(premises.mixedUse)）
    场所检查（次）\t\(inspections.total)
    本轮已检查场所\t\(inspections.premisesInspectedInRound)
    本轮未检查场所\t\(inspections.premisesNotInspectedInRound)
    场所隐患\t发现 \(hazards.found)，整改中 \(hazards.open)，待复查 \(hazards.awaitingCheck)，逾期 \(hazards.overdue)，已销号 \(hazards.closed)
    """
  }
}

/// The premises commands' text, in one place.
enum PremisesCLIText {
  static func unknownExtension(_ file: String) -> String {
    "不支持的文件类型：\(file)。场所表只能是 .csv 或 .xlsx（旧版 .xls、WPS 的 .et 请先另存为 .xlsx 或 CSV）。"
  }
  static func damagedExport(_ paths: [String]) -> String {
    "有 \(paths.count) 个文件已损坏（\(paths.prefix(5).joined(separator: "、"))），导出会缺少或写错这些场所："
      + "请先恢复（firegrid check 查看，程序中按 D 从备份恢复）后再导出。"
  }
  static func unplaceable(_ ids: [String]) -> String {
    "提示：\(ids.count) 处场所找不到所属的网格或村，未导出（\(ids.prefix(5).joined(separator: "、"))）；"
      + "请用 firegrid check 查看。"
  }
  static func exported(_ count: Int, _ out: String, _ format: String) -> String {
    "已导出 \(count) 处场所 → \(out)（\(format)）"
  }

  static func report(
    _ outcome: PremisesImport.Outcome, file: String, source: String, dryRun: Bool
  ) -> String {
    let plan = outcome.plan
    var lines = ["读取 \(file)（\(source)）：表头在第\(plan.headerRow)行，数据 \(plan.dataRows) 行。"]
    if !plan.ignoredColumns.isEmpty {
      lines.append("未导入的列：\(plan.ignoredColumns.joined(separator: "、"))")
    }
    guard plan.isAccepted else {
      lines.append("有问题的行（共 \(plan.rejectedRowCount) 行）：")
      lines += plan.problems.map { "  \($0)" }
      lines.append("未导入：没有写入任何改动。请改正以上各行后重新导入（可先加 --dry-run 检查）。")
      return lines.joined(separator: "\n")
    }
    let kinds = Dictionary(grouping: plan.newPremises, by: \.kind).mapValues(\.count)
    let counts =
      "\(plan.newPremises.count) 处场所（办公 \(kinds[.office] ?? 0)，生产经营 \(kinds[.business] ?? 0)，"
      + "多合一 \(kinds[.mixedUse] ?? 0)）"
    let extra = plan.unchanged > 0 ? "；已有且相同、跳过 \(plan.unchanged) 处" : ""
    let town = plan.town.town.name
    if dryRun {
      lines.append("检查通过（--dry-run，未写入）：将向 \(town) 新增 \(counts)\(extra)。")
    } else if outcome.wrote {
      lines.append("已导入到 \(town)：新增 \(counts)\(extra)。")
    } else {
      lines.append("没有需要新增的内容\(extra)。")
    }
    return lines.joined(separator: "\n")
  }
}
