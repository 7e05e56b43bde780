import ArgumentParser
import FiregridApp
import FiregridModel
import FiregridResources
import FiregridSheets
import Foundation

/// `firegrid report stats|elderly|hazards`: the tables the county asks for, as .xlsx, .csv or
/// .pdf (by the extension of --out); `report stats --merge` builds the county's table from
/// towns' exported tables.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "报表：统计表（附件3）、独居老人登记表（附件7）、隐患台账 Reports as XLSX, CSV or PDF.",
    discussion: """
      --out 的扩展名决定格式：.xlsx 电子表格、.csv 文本表格（UTF-8）、.pdf 打印版；其他扩展名不写。
      范围：--round N 第N轮，或 --from/--to 日期段，都不给则为整个行动。
      汇总：firegrid report stats --merge 甲镇.xlsx 乙镇.xlsx --out 全县.xlsx
      Exit status: 0 written, 1 not (64: a wrong command line).
      """)

  enum Kind: String, ExpressibleByArgument, CaseIterable {
    case stats, elderly, hazards
    var request: ReportRequest.Kind {
      switch self {
      case .stats: return .statistics
      case .elderly: return .elderly
      case .hazards: return .hazards
      }
    }
  }

  @Argument(help: "stats 统计表 | elderly 独居老人登记表 | hazards 隐患台账")
  var kind: Kind

  @Option(name: .long, help: "数据文件夹 (data folder)")
  var data: String?

  @Option(name: .long, help: "一个村（社区）的名称 (one village)")
  var village: String?

  @Option(name: .long, help: "第几轮 (round number)")
  var round: Int?

  @Option(name: .long, help: "起始日期 YYYY-MM-DD")
  var from: String?

  @Option(name: .long, help: "截止日期 YYYY-MM-DD")
  var to: String?

  @Option(name: .long, help: "隐患台账只列：open 未整改 | overdue 逾期 | closed 已销号 | all 全部")
  var state: String = "all"

  @Option(name: .long, help: "填表人 (who fills it in)")
  var `operator`: String?

  @Option(name: .long, help: "审核人 (who checks it)")
  var reviewer: String = ""

  @Option(name: .long, help: "联系电话 (phone, for the footer)")
  var phone: String = ""

  @Option(name: .long, parsing: .upToNextOption, help: "汇总各乡镇导出的统计表 .xlsx (merge)")
  var merge: [String] = []

  @Option(name: .long, help: "汇总表的单位名称，如 溆浦县 (the county)")
  var county: String?

  @Option(name: .long, help: "输出文件 .xlsx/.csv/.pdf (output file)")
  var out: String

  func validate() throws {
    if round != nil, from != nil || to != nil { throw ValidationError(ReportCLIText.roundOrDates) }
    if (from == nil) != (to == nil) { throw ValidationError(ReportCLIText.fromAndTo) }
    if !merge.isEmpty, kind != .stats { throw ValidationError(ReportCLIText.mergeOnlyStats) }
    if Reports.HazardFilter(rawValue: state) == nil {
      throw ValidationError("--state: open | overdue | closed | all")
    }
  }

  func run() throws {
    umask(0o077)
    let url = ReportFiles.url(out)
    do throws(ReportFiles.Failure) {
      _ = try ReportFiles.format(of: url.path)
      if !merge.isEmpty {
        try ReportFiles.write(try Self.merged(merge, county: county ?? ""), to: url)
      } else {
        try write(to: url)
      }
    } catch {
      fail(error.message)
    }
    print(ReportCLIText.written(url.path))
  }

  private func write(to url: URL) throws(ReportFiles.Failure) {
    var options = DataOptions()
    options.data = data
    let town = PrintSteps.loadTown(options)
    let day = today()
    let campaign = town.campaign(on: day)
    let scope: Reports.Scope
    if let round {
      guard let chosen = campaign.rounds.first(where: { $0.number == round }) else {
        throw ReportFiles.Failure(
          message: ReportCLIText.noSuchRound(round, campaign.rounds.count))
      }
      scope = .round(chosen, of: campaign)
    } else if let from, let to {
      guard let first = CivilDate(exactly: from) else {
        throw ReportFiles.Failure(message: ReportCLIText.badDate(from))
      }
      guard let last = CivilDate(exactly: to) else {
        throw ReportFiles.Failure(message: ReportCLIText.badDate(to))
      }
      scope = .dates(first, last)
    } else {
      scope = .campaign(campaign)
    }
    var villageID: String?
    if let village {
      guard let found = town.villages.first(where: { $0.name == village || $0.id == village })
      else { throw ReportFiles.Failure(message: ReportCLIText.unknownVillage(village)) }
      villageID = found.id
    }
    let operatorName =
      `operator` ?? ProcessInfo.processInfo.environment["FIREGRID_OPERATOR"] ?? ""
    let report = try ReportFiles.build(
      kind.request, town: town, villageID: villageID, scope: scope,
      filter: Reports.HazardFilter(rawValue: state) ?? .all, day: day,
      signature: Reports.Signature(preparedBy: operatorName, reviewedBy: reviewer, phone: phone))
    try ReportFiles.write(
      report,
      charts: { ReportFiles.charts(for: report, town: town, campaign: campaign, day: day) },
      to: url)
  }

  /// The county's table from towns' exported statistics tables: each file must be this
  /// program's statistics table, of format version 1 and of the same period as the first.
  static func merged(_ paths: [String], county: String) throws(ReportFiles.Failure) -> Report {
    let columns = try ReportFiles.statisticsColumns()
    let ids = Reports.statisticsColumnIDs(columns)
    var towns: [Reports.TownTotals] = []
    var period: String?
    for path in paths {
      let url = ReportFiles.url(path)
      let properties: [String: String]
      let rows: [[String]]
      do {
        properties = try XLSXReader.properties(url)
        rows = try XLSXReader.read(url)
      } catch {
        throw ReportFiles.Failure(message: error.message)
      }
      guard properties[Workbook.reportKindProperty] == "statistics" else {
        throw ReportFiles.Failure(message: ReportCLIText.notStatistics(path))
      }
      let version = properties[Workbook.formatVersionProperty] ?? "?"
      guard version == "1" else {
        throw ReportFiles.Failure(message: ReportCLIText.otherVersion(path, version))
      }
      let thisPeriod = properties[Workbook.periodProperty] ?? ""
      if let period, period != thisPeriod {
        throw ReportFiles.Failure(
          message: ReportCLIText.otherPeriod(path, thisPeriod, period))
      }
      period = thisPeriod
      // Row 3 is the header; the 合计 row names the town's totals; 填报单位 names the town.
      guard rows.count > 3 else { throw ReportFiles.Failure(message: ReportCLIText.noTotal(path)) }
      let header = rows[2]
      guard let total = rows.first(where: { $0.first == Reports.totalLabel }) else {
        throw ReportFiles.Failure(message: ReportCLIText.noTotal(path))
      }
      var counts: [String: Int] = [:]
      for (index, label) in header.enumerated() where !label.isEmpty {
        guard let id = ids[label] else {
          throw ReportFiles.Failure(message: ReportCLIText.unknownHeader(path, label))
        }
        if index < total.count, let value = Int(total[index]) { counts[id] = value }
      }
      let town = Reports.unit(in: rows.compactMap(\.first)) ?? url.lastPathComponent
      towns.append(Reports.TownTotals(town: town, counts: counts))
    }
    do {
      return try Reports.mergeStatistics(
        towns, county: county, period: period ?? "", columns: columns, day: today())
    } catch {
      throw ReportFiles.Failure(message: error.message)
    }
  }
}
