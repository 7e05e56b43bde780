import ArgumentParser
import FiregridApp
import FiregridModel
import FiregridPostgres
import FiregridRepository
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
      全县（数据库）：firegrid report stats --db postgresql://… --county 溆浦县 --out 全县.xlsx
      数据库中的一个镇：firegrid report hazards --db postgresql://… --town 镇编号 --out 台账.xlsx
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

  @Option(
    name: .long,
    help: "PostgreSQL 数据库：与 --county 一起汇总其中所有镇；否则读其中一个镇 (database URL)")
  var db: String?

  @Option(name: .long, help: "数据库中的镇编号（不给：库中唯一的镇）(town id in the database)")
  var town: String?

  @Option(name: .long, help: "输出文件 .xlsx/.csv/.pdf (output file)")
  var out: String

  func validate() throws {
    if round != nil, from != nil || to != nil { throw ValidationError(ReportCLIText.roundOrDates) }
    if (from == nil) != (to == nil) { throw ValidationError(ReportCLIText.fromAndTo) }
    if !merge.isEmpty, kind != .stats { throw ValidationError(ReportCLIText.mergeOnlyStats) }
    if db != nil, county != nil, kind != .stats || !merge.isEmpty || data != nil || town != nil {
      throw ValidationError(ReportCLIText.databaseCounty)
    }
    if db != nil, county == nil, !merge.isEmpty || data != nil {
      throw ValidationError(ReportCLIText.databaseTown)
    }
    if Reports.HazardFilter(rawValue: state) == nil {
      throw ValidationError("--state: open | overdue | closed | all")
    }
  }

  func run() throws {
    umask(0o077)
    let url = ReportFiles.url(out)
    do throws(ReportFiles.Failure) {
      _ = try ReportFiles.format(of: url.path)
      if let db, county != nil {
        askPasswordIfNeeded(url: db)
        try ReportFiles.write(try countyFromDatabase(db, county: county ?? ""), to: url)
      } else if !merge.isEmpty {
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
    var database = DatabaseOptions()
    database.db = db
    database.town = self.town
    database.shared = false
    let town = PrintSteps.loadTown(options, database)
    let day = today()
    let campaign = town.campaign(on: day)
    let scope = try scope(of: campaign)
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

  /// The period asked for (--round N, --from/--to, else the whole campaign) in `campaign`.
  private func scope(of campaign: Campaign) throws(ReportFiles.Failure) -> Reports.Scope {
    if let round {
      guard let chosen = campaign.rounds.first(where: { $0.number == round }) else {
        throw ReportFiles.Failure(
          message: ReportCLIText.noSuchRound(round, campaign.rounds.count))
      }
      return .round(chosen, of: campaign)
    } else if let from, let to {
      guard let first = CivilDate(exactly: from) else {
        throw ReportFiles.Failure(message: ReportCLIText.badDate(from))
      }
      guard let last = CivilDate(exactly: to) else {
        throw ReportFiles.Failure(message: ReportCLIText.badDate(to))
      }
      return .dates(first, last)
    }
    return .campaign(campaign)
  }

  /// The county's table straight from a database: a row per town (its 合计, counted here from
  /// its records' statistics facts by the same code as its own table: `Reports.townTotals`),
  /// in town id order, then the county's total — what `--merge` makes of the towns' own
  /// tables. The towns are read one at a time (`PostgresCounty.forEachTownFacts`); all must be
  /// of the same period, as `--merge` requires. The database is migrated first (the facts
  /// column is version 3's); rows without facts are filled in once, said on stderr.
  private func countyFromDatabase(_ url: String, county: String) throws(ReportFiles.Failure)
    -> Report
  {
    let columns = try ReportFiles.statisticsColumns()
    let day = today()
    let collected = CountyTotals()
    let command = self
    do {
      let connection = try PGConnection(url: url)
      defer { connection.close() }
      try Schema.migrate(connection)
      let count: @Sendable (String, TownData, TownFacts) -> Void = { id, town, facts in
        do throws(ReportFiles.Failure) {
          let scope = try command.scope(of: town.campaign(on: day))
          collected.add(
            id, Reports.townTotals(town: town, facts: facts, scope: scope, day: day),
            period: scope.label)
        } catch {
          collected.fail(error)
        }
      }
      let refill = try PostgresCounty.forEachTownFacts(
        on: connection, firstRefill: { note(ReportCLIText.refillingFacts) }, count)
      if refill.computed > 0 {
        note(
          refill.notStored.map { ReportCLIText.factsNotStored(refill.computed, $0) }
            ?? ReportCLIText.factsStored(refill.computed, refill.stored))
      }
    } catch {
      throw ReportFiles.Failure(message: repositoryMessage(for: error))
    }
    let (towns, failure) = collected.taken()
    if let failure { throw failure }
    var period: String?
    for town in towns {
      if let period, period != town.period {
        throw ReportFiles.Failure(
          message: ReportCLIText.otherPeriod(town.totals.town, town.period, period))
      }
      period = town.period
    }
    do {
      return try Reports.mergeStatistics(
        towns.map(\.totals), county: county, period: period ?? "", columns: columns, day: day)
    } catch {
      throw ReportFiles.Failure(message: error.message)
    }
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

/// The towns' totals as `PostgresCounty` hands them over (from its worker), or the first
/// failure.
private final class CountyTotals: @unchecked Sendable {
  private let lock = NSLock()
  private var towns: [(id: String, totals: Reports.TownTotals, period: String)] = []
  private var failure: ReportFiles.Failure?

  func add(_ id: String, _ totals: Reports.TownTotals, period: String) {
    lock.lock()
    defer { lock.unlock() }
    towns.append((id, totals, period))
  }

  func fail(_ error: ReportFiles.Failure) {
    lock.lock()
    defer { lock.unlock() }
    if failure == nil { failure = error }
  }

  func taken() -> ([(id: String, totals: Reports.TownTotals, period: String)], ReportFiles.Failure?)
  {
    lock.lock()
    defer { lock.unlock() }
    return (towns.sorted { $0.id < $1.id }, failure)
  }
}

/// A line on stderr (progress and notes, not the table).
private func note(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

extension ReportCLIText {
  static let refillingFacts =
    "首次从数据库汇总：部分记录还没有统计摘要，正在根据记录补算并写回数据库（只慢这一次）…"
  static func factsStored(_ computed: Int, _ stored: Int) -> String {
    "已补算 \(computed) 条记录的统计摘要，写回 \(stored) 条；以后汇总会快得多"
  }
  static func factsNotStored(_ computed: Int, _ reason: String) -> String {
    "已补算 \(computed) 条记录的统计摘要，但未能写回数据库（\(reason)）：下次汇总仍会较慢，"
      + "请用可写的账号（如 firegrid db init 的账号）运行一次"
  }
  static let databaseCounty =
    "--db 与 --county 一起是从数据库汇总全县：只能用于 stats（不能同时给 --data、--merge 或 --town）"
  static let databaseTown =
    "--db 读数据库中的一个镇（--town 镇编号）：不能同时给 --data 或 --merge"
}
