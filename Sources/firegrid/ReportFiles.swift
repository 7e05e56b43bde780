import FiregridApp
import FiregridModel
import FiregridPrint
import FiregridResources
import FiregridSheets
import Foundation

/// Reports to files: built from a town by the model's rules (`Reports`), written by the file's
/// extension — `.xlsx` (FiregridSheets), `.csv` (UTF-8 with BOM), `.pdf` (FiregridPrint, the
/// statistics table opening with its charts). An unknown extension is refused before anything
/// is written. The app reaches this through `ReportWriting`; the command line calls it.
enum ReportFiles {
  struct Failure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// The format a path asks for, or why it cannot be written.
  static func format(of path: String) throws(Failure) -> ReportRequest.Format {
    let ext = (path as NSString).pathExtension.lowercased()
    guard let format = ReportRequest.Format(rawValue: ext) else {
      throw Failure(message: ReportCLIText.unknownExtension(path))
    }
    return format
  }

  static func url(_ path: String) -> URL {
    URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
  }

  /// Writes `report` to `url` in the format of its extension; the folder is made if missing.
  /// `charts` are drawn only into a PDF, so they are worked out only for one (the rounds'
  /// chart builds a table per round).
  static func write(
    _ report: Report, charts: () -> [ReportChart] = { [] }, to url: URL
  ) throws(Failure) {
    let format = try format(of: url.path)
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
    } catch {
      throw Failure(message: ReportCLIText.cannotWrite(url.path, "\(error)"))
    }
    do {
      switch format {
      case .xlsx:
        try XLSXWriter.write(Workbook(report: report), to: url)
      case .csv:
        // Each table as its sheet would be, one after the other with an empty row between.
        let sheets = Workbook(report: report).sheets.map(CSVWriter.rows)
        let rows = sheets.enumerated().flatMap { index, rows in index == 0 ? rows : [[]] + rows }
        try CSVWriter.write(rows, to: url)
      case .pdf:
        _ = try ReportPDF.render(report: report, charts: charts(), to: url)
      }
    } catch let error as SheetError {
      throw Failure(message: error.message)
    } catch let error as PrintError {
      throw Failure(message: error.message)
    } catch {
      throw Failure(message: ReportCLIText.cannotWrite(url.path, "\(error)"))
    }
  }

  /// The report a request names, built from `town`.
  static func build(
    _ kind: ReportRequest.Kind, town: TownData, villageID: String?, scope: Reports.Scope,
    filter: Reports.HazardFilter = .all, day: CivilDate, signature: Reports.Signature
  ) throws(Failure) -> Report {
    let forms = try? ResourceFiles.formRegistry()
    do {
      switch kind {
      case .statistics:
        return try Reports.statistics(
          town: town, scope: scope, columns: try statisticsColumns(), day: day,
          villageID: villageID, forms: forms, signature: signature)
      case .hazards:
        return try Reports.hazardRegister(
          town: town, villageID: villageID, filter: filter, day: day, forms: forms,
          signature: signature)
      case .elderly:
        return try Reports.elderlyLivingAlone(
          town: town, villageID: villageID, day: day, signature: signature)
      }
    } catch let refusal as Reports.Refusal {
      throw Failure(message: refusal.message)
    } catch let failure as Failure {
      throw failure
    } catch {
      throw Failure(message: "\(error)")
    }
  }

  static func statisticsColumns() throws(Failure) -> ReportColumns {
    do {
      return try ResourceFiles.reportColumns(named: "statistics")
    } catch {
      throw Failure(message: ReportCLIText.columnsMissing("\(error)"))
    }
  }

  /// The pictures the statistics PDF opens with: each village's share of households visited
  /// (the seed's target: every household), hazards per village by state, and the share
  /// visited round by round so far.
  static func charts(for report: Report, town: TownData, campaign: Campaign, day: CivilDate)
    -> [ReportChart]
  {
    guard report.kind == "statistics", let table = report.tables.first else { return [] }
    func column(_ id: String) -> Int? { table.columns.firstIndex { $0.id == id } }
    func count(_ row: [ReportTable.Cell], _ id: String) -> Double {
      guard let index = column(id), index < row.count, case .count(let value) = row[index] else {
        return 0
      }
      return Double(value)
    }
    func name(_ row: [ReportTable.Cell]) -> String { row.first?.text ?? "" }
    var charts: [ReportChart] = []
    charts.append(
      .bars(
        BarChart(
          title: ReportCLIText.chartVisited,
          bars: table.rows.map {
            BarChart.Bar(
              label: name($0), value: count($0, "householdsVisited"),
              maxValue: max(1, count($0, "householdsToVisit")))
          }, target: 1)))
    charts.append(
      .stacked(
        StackedBarChart(
          title: ReportCLIText.chartHazards, series: ReportCLIText.hazardSeries,
          rows: table.rows.map { row in
            StackedBarChart.Row(
              label: name(row),
              values: [
                count(row, "hazardsRectifiedOnSpot") + count(row, "hazardsRectified"),
                count(row, "hazardsOpen") - count(row, "hazardsOverdue"),
                count(row, "hazardsOverdue"),
              ])
          })))
    // Round by round: the town's share visited in each round begun by `day`.
    if let columns = try? statisticsColumns() {
      let points = campaign.rounds.filter { $0.start <= day }.compactMap {
        round -> RoundChart.Point? in
        guard
          let total = try? Reports.statistics(
            town: town, scope: .round(round, of: campaign), columns: columns, day: day
          ).tables.first?.total
        else { return nil }
        let toVisit = count(total, "householdsToVisit")
        return RoundChart.Point(
          label: round.label, value: toVisit == 0 ? 0 : count(total, "householdsVisited") / toVisit)
      }
      if !points.isEmpty {
        charts.append(
          .rounds(
            RoundChart(
              title: ReportCLIText.chartRounds, points: points, maxValue: 1, target: 1,
              percent: true)))
      }
    }
    return charts
  }

  /// A request from the app: built, named after what it is, written into its folder.
  static func write(_ request: ReportRequest, town: TownData) throws(Failure) -> URL {
    let scope: Reports.Scope =
      request.round.flatMap { number in request.campaign.rounds.first { $0.number == number } }
      .map { .round($0, of: request.campaign) } ?? .campaign(request.campaign)
    let report = try build(
      request.kind, town: town, villageID: request.villageID, scope: scope,
      filter: request.hazardState, day: request.day,
      signature: Reports.Signature(
        preparedBy: request.operatorName, reviewedBy: request.reviewer, phone: request.phone))
    let place = request.villageID.flatMap { town.village(id: $0)?.name } ?? town.town.name
    let round = request.round.map { "第\($0)轮" } ?? "全程"
    let name = "\(ReportCLIText.fileStem(request.kind))-\(place)-\(round)-\(request.day)"
    let url = Self.url(request.folder).appendingPathComponent(
      "\(name).\(request.format.rawValue)")
    try write(
      report,
      charts: { charts(for: report, town: town, campaign: request.campaign, day: request.day) },
      to: url)
    return url
  }
}

/// The app's way to files: `ReportFiles` underneath.
struct FiregridReportWriter: ReportWriting {
  func write(_ report: Report, to path: String) -> Result<String, PrintFailure> {
    let url = ReportFiles.url(path)
    do throws(ReportFiles.Failure) {
      try ReportFiles.write(report, to: url)
      return .success(url.path)
    } catch {
      return .failure(PrintFailure(error.message))
    }
  }

  func write(_ request: ReportRequest, town: TownData) -> Result<String, PrintFailure> {
    do throws(ReportFiles.Failure) {
      return .success(try ReportFiles.write(request, town: town).path)
    } catch {
      return .failure(PrintFailure(error.message))
    }
  }
}

/// The words of the report commands and files.
enum ReportCLIText {
  static func unknownExtension(_ path: String) -> String {
    "不认识的文件类型：\(path)（只能写 .xlsx 电子表格、.csv 文本表格或 .pdf 打印版），未写入任何文件"
  }
  static func cannotWrite(_ path: String, _ reason: String) -> String {
    "无法写入 \(path)：\(reason)"
  }
  static func columnsMissing(_ reason: String) -> String {
    "缺少统计表列定义（reports/statistics.json）：\(reason)"
  }
  static let chartVisited = "各村（社区）本期走访率"
  static let chartHazards = "各村（社区）隐患整改情况"
  static let hazardSeries = ["已整改", "整改中", "逾期"]
  static let chartRounds = "全镇各轮走访率"
  static func fileStem(_ kind: ReportRequest.Kind) -> String {
    switch kind {
    case .statistics: return "消防安全行动统计表"
    case .elderly: return "独居老人登记表"
    case .hazards: return "隐患台账"
    }
  }
  static func written(_ path: String) -> String { "已写入 \(path)" }
  static func unknownVillage(_ name: String) -> String { "没有这个村（社区）：\(name)" }
  static func noSuchRound(_ number: Int, _ count: Int) -> String {
    "没有第\(number)轮：本次行动共 \(count) 轮"
  }
  static let roundOrDates = "--round 与 --from/--to 只能选一种"
  static let fromAndTo = "--from 和 --to 要一起给出（YYYY-MM-DD）"
  static func badDate(_ text: String) -> String { "日期写法不对：\(text)（应为 YYYY-MM-DD）" }
  static let mergeNeedsFiles = "--merge 后面要给出各乡镇导出的统计表（.xlsx）"
  static let mergeOnlyStats = "只有统计表（stats）可以汇总"
  static func notStatistics(_ path: String) -> String { "\(path) 不是本程序导出的统计表" }
  static func otherVersion(_ path: String, _ version: String) -> String {
    "\(path) 是第\(version)版格式的统计表，本程序只能汇总第1版"
  }
  static func otherPeriod(_ path: String, _ period: String, _ expected: String) -> String {
    "\(path) 统计的是“\(period)”，与“\(expected)”不是同一期，不能汇总"
  }
  static func noTotal(_ path: String) -> String { "\(path) 没有合计行" }
  static func unknownHeader(_ path: String, _ header: String) -> String {
    "\(path) 有不认识的列“\(header)”"
  }
}
