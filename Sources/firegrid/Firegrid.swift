import ArgumentParser
import FiregridApp
import FiregridModel
import FiregridResources
import FiregridStore
import Foundation
import NcursesTerminal
import TerminalUI

/// `firegrid`: opens the app on a data folder; `demo` writes a demo town; `summary` counts.
@main
struct Firegrid: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "firegrid",
    abstract: "消防网格 Firegrid — “邻里守望、户户监督、网格防范”消防安全行动的网格户籍、敲门走访与隐患整改。",
    discussion: """
      数据文件夹 (data folder): --data, else $FIREGRID_DATA, else $XDG_DATA_HOME/firegrid, \
      else ~/.local/share/firegrid. A new empty folder starts the first-run setup.
      """,
    version: version,
    subcommands: [
      Open.self, Demo.self, Summary.self, Check.self, Backup.self, ImportCommand.self,
      ExportCommand.self, PrintCommand.self, ReportCommand.self, SuperviseCommand.self,
      DbCommand.self,
    ],
    defaultSubcommand: Open.self
  )
}

/// Options every command that reads a folder takes.
struct DataOptions: ParsableArguments {
  @Option(name: .long, help: "数据文件夹 (data folder)")
  var data: String?

  var folder: DataFolder {
    let url =
      data.map { URL(fileURLWithPath: $0, isDirectory: true) }
      ?? DataFolder.defaultLocation(environment: ProcessInfo.processInfo.environment)
    return DataFolder(url: url)
  }
}

/// Today's date in local time, or `$FIREGRID_TODAY` (YYYY-MM-DD) so tests can pin it.
func today() -> CivilDate {
  if let pinned = ProcessInfo.processInfo.environment["FIREGRID_TODAY"],
    let date = CivilDate(pinned)
  {
    return date
  }
  return CivilDate(TownStore.Clock.system.today())!
}

/// The one clock of the command line: the store's backups and the screens agree on the date.
let commandClock = TownStore.Clock(today: { today().description }, now: TownStore.Clock.system.now)

func fail(_ message: String, code: Int32 = 1) -> Never {
  FileHandle.standardError.write(Data((message + "\n").utf8))
  Foundation.exit(code)
}

struct Open: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "open", abstract: "打开消防网格（默认命令）Open the app.")

  @OptionGroup var options: DataOptions

  @OptionGroup var database: DatabaseOptions

  @Option(name: .long, help: "操作员姓名，记入每次修改 (operator name)")
  var `operator`: String?

  func run() throws {
    let trace = StartupTrace(environment: ProcessInfo.processInfo.environment)
    trace?.mark("started")
    umask(0o077)
    let folder = options.folder
    let givenOperator =
      `operator` ?? ProcessInfo.processInfo.environment["FIREGRID_OPERATOR"]
    // On a database (DbCommands.swift): the same app, another location.
    if let url = database.url, options.data == nil {
      return openOnDatabase(database.location(url: url), operatorName: givenOperator)
    }
    // Open the folder before touching the screen, so a broken folder is reported on a
    // normal terminal. Without an operator name the app asks for one first.
    var store: TownStore?
    switch folder.state {
    case .town:
      if let givenOperator {
        do {
          // The roster only: the first screen is drawn from it, and the visits, contacts
          // and the rest are read after, off the UI loop (the winter's campaign is stored
          // from the seed's template then, the first time).
          store = try TownStore.open(
            folder: folder, operatorName: givenOperator, clock: commandClock,
            deferringRecords: true, checkpoints: .standard)
          trace?.mark("store-opened")
        } catch {
          fail(StoreError.message(for: error))
        }
      }
    case .empty:
      break
    case .foreign:
      fail(CLIText.foreignFolder(folder.url.path))
    }
    // Until here SIGINT, SIGTERM and SIGHUP kill at once (the screen is untouched and every
    // write is atomic); from here they are taken, and one that came before the screen opened
    // ends the program without drawing it (see NcursesTerminal).
    NcursesTerminal.installSignalHandlers()
    trace?.mark("signals-installed")
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal()
    } catch NcursesTerminal.OpenError.terminated(let signal) {
      Foundation.exit(NcursesTerminal.exitStatus(forSignal: signal))
    } catch {
      fail("\(error)", code: 2)
    }
    trace?.mark("terminal-opened")
    let size = terminal.size
    let state: AppState
    if let store {
      state = AppState(
        town: store.town, operatorName: store.operatorName, today: today(), size: size,
        dataPath: folder.url.path)
    } else if folder.state == .town {
      state = AppState(
        loginFor: folder.url.path, lastOperator: folder.lastOperator, today: today(), size: size)
    } else {
      state = AppState(
        setupFor: folder.url.path, operatorName: givenOperator ?? "", today: today(), size: size)
    }
    let runner = AppRunner(
      state: state, terminal: terminal,
      location: JSONFolderLocation(folder: folder, clock: commandClock),
      importer: RosterSpreadsheetImporter(), premisesImporter: PremisesSpreadsheetImporter(),
      printer: FiregridDocumentPrinter(today: today()),
      reports: FiregridReportWriter(),
      today: { today() },
      trace: trace.map { trace in { @Sendable stage in trace.mark(stage) } })
    if let store { runner.present(store) }
    let status = runner.run()
    terminal.shutdown()
    if status != 0 { Foundation.exit(status) }
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "检查数据文件夹：格式版本、引用、网格大小、身份证号、审计链 Verify a data folder.",
    discussion: "Exit status 0 when clean (warnings allowed), 1 when any error is found.")

  @OptionGroup var options: DataOptions

  @OptionGroup var database: DatabaseOptions

  func run() throws {
    // On a database (DbCommands.swift): the town exported aside and checked the same way.
    if let url = database.url, options.data == nil {
      return try checkDatabase(database.location(url: url))
    }
    let folder = options.folder
    guard folder.state == .town else { fail(CLIText.noTown(folder.url.path)) }
    let problems = FolderCheck.run(folder, forms: try? ResourceFiles.formRegistry())
    for problem in problems { print(problem) }
    let errors = problems.filter { $0.severity == .error }.count
    print(CLIText.checkSummary(errors: errors, warnings: problems.count - errors))
    if errors > 0 { throw ExitCode(1) }
  }
}

struct Backup: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backups",
    abstract: "列出或恢复每日备份 List the daily backups, or restore one.",
    discussion: """
      firegrid backups --data DIR                       列出备份 list
      firegrid backups --data DIR --restore 2026-11-28  用该日备份恢复，并按日志重做其后的每次保存
      firegrid backups --data DIR --restore 2026-11-28 --to 2026-12-01T16:00   只重做到该时刻
      Before restoring, the current state is kept as backups/<today>-before-restore.
      The restore is one audited change; the audit log is never replaced.
      firegrid backups --db URL [--town ID]             数据库中该镇的每日备份（导出的文件夹）list
      firegrid backups --db URL --dump FILE             pg_dump 整个数据库 (pg_restore 可还原)
      """)

  @OptionGroup var options: DataOptions

  @OptionGroup var database: DatabaseOptions

  @Option(name: .long, help: "数据库：用 pg_dump 把整个数据库备份到这个新文件 (database: pg_dump to FILE)")
  var dump: String?

  @Option(name: .long, help: "要恢复的备份日期 YYYY-MM-DD (restore this backup)")
  var restore: String?

  @Option(
    name: .long,
    help: "恢复到日志序号或时刻，如 1234 或 2026-12-04T10:30（默认：最后一次保存）(replay the journal up to)")
  var to: String?

  func run() throws {
    umask(0o077)
    // On a database (DbCommands.swift): its backups listed, or a pg_dump of it.
    if let url = database.url, options.data == nil {
      // The dump is of the whole database: no town to choose.
      if let dump { return dumpDatabase(url: url, to: dump) }
      return databaseBackups(database.location(url: url), restore: restore)
    }
    if dump != nil { fail(CLIText.dumpNeedsDatabase) }
    let folder = options.folder
    guard folder.state == .town else { fail(CLIText.noTown(folder.url.path)) }
    guard let date = restore else {
      let dates = Backups.list(folder: folder.url)
      if dates.isEmpty { print(CLIText.noBackups) }
      for date in dates { print(date) }
      return
    }
    do {
      var through: Int?
      if let to {
        if let sequence = Int(to) {
          through = sequence
        } else if let sequence = try Journal.lastCommit(atOrBefore: to, folder: folder.url) {
          through = sequence
        } else {
          fail(CLIText.noChangeBefore(to))
        }
      }
      let outcome = try TownStore.restoreBackup(
        folder: folder, date: date, through: through, operatorName: "restore",
        clock: commandClock)
      print(CLIText.restored(outcome))
      if !outcome.unmatched.isEmpty {
        print(CLIText.restoreUnmatched(outcome.unmatched))
        throw ExitCode(1)
      }
    } catch let error as StoreError {
      if case .readOnly(let holder) = error { fail(CLIText.folderBusy(holder?.description ?? "")) }
      fail(error.message)
    }
  }
}

struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "生成演示用的镇数据（写入空文件夹）Write a deterministic demo town.")

  @OptionGroup var options: DataOptions

  @Option(name: .long, help: "户数 (households)")
  var households = 600

  @Option(name: .long, help: "随机种子，相同种子得到相同数据 (seed)")
  var seed: UInt64 = 1

  @Option(name: .long, help: "走访数据生成到哪一天，默认今天 (season through YYYY-MM-DD)")
  var through: String?

  @Flag(name: .long, help: "只生成户籍，不生成走访和隐患 (roster only)")
  var rosterOnly = false

  @Flag(name: .customLong("no-premises"), help: "不生成场所（只有居民户）(homes only, no premises)")
  var noPremises = false

  func validate() throws {
    guard households >= 1, households <= 1_000_000 else {
      throw ValidationError(CLIText.badHouseholdCount)
    }
    if let through, CivilDate(through) == nil { throw ValidationError(CLIText.badDate(through)) }
  }

  func run() throws {
    umask(0o077)
    let folder = options.folder
    guard folder.state == .empty else { fail(CLIText.demoNotEmpty(folder.url.path)) }
    let names: DemoTownGenerator.Names
    do {
      names = try JSONDecoder().decode(
        DemoTownGenerator.Names.self, from: ResourceFiles.data(named: "demo-names.json"))
    } catch {
      fail(CLIText.missingResource("demo-names.json", "\(error)"))
    }
    guard names.problems.isEmpty else {
      fail(CLIText.missingResource("demo-names.json", names.problems.joined(separator: "；")))
    }
    let day = through.flatMap { CivilDate($0) } ?? today()
    var town = DemoTownGenerator(names: names, seed: seed).generate(
      households: households, today: day)
    if noPremises { town.premises = [] }
    if !rosterOnly {
      let forms: FormRegistry
      do {
        forms = try ResourceFiles.formRegistry()
      } catch {
        fail(CLIText.missingResource("forms/", "\(error)"))
      }
      guard let form = forms.current else {
        fail(CLIText.missingResource("forms/", FormRegistry.residentialID))
      }
      // Premises are inspected on their own forms; a folder without them gets no inspections.
      town = DemoSeasonGenerator(
        form: form, seed: seed, officeForm: forms.current(for: .office),
        businessForm: forms.current(for: .business)
      ).generate(into: town, through: day)
    }
    do {
      try folder.create(town, savedBy: "demo", savedAt: commandClock.now())
    } catch {
      fail(StoreError.message(for: error))
    }
    print(CLIText.demoWritten(folder.url.path, town))
  }
}

struct Summary: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "统计数据文件夹中的村、网格、户、人、走访人、场所 Count what a data folder holds.")

  @OptionGroup var options: DataOptions

  @OptionGroup var database: DatabaseOptions

  @Flag(name: .long, help: "以 JSON 输出 (machine-readable)")
  var json = false

  func run() throws {
    let folder = options.folder
    let report: LoadReport
    if let fromDatabase = databaseTown(options, database) {
      report = fromDatabase
    } else {
      do {
        report = try folder.loadReport()
      } catch {
        fail(StoreError.message(for: error))
      }
    }
    for file in report.damaged {
      FileHandle.standardError.write(Data("\(file.error.message)\n".utf8))
    }
    let town = report.town
    let counts = TownCounts(town, today: today())
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(counts), as: UTF8.self))
    } else {
      print(CLIText.summary(town.town.name, counts))
    }
  }
}

/// The counts `summary` prints.
struct TownCounts: Codable {
  var villages: Int
  var grids: Int
  var households: Int
  var persons: Int
  var visitors: Int
  var vulnerablePersons: Int
  var campaign: String
  /// The round worklists are about today, e.g. 第1轮（11-20至11-30）.
  var round: String
  var visits: Int
  var visitsInRound: Int
  var householdsVisitedInRound: Int
  var householdsNotVisitedInRound: Int
  var hazardsFound: Int
  var hazardsOpen: Int
  var hazardsAwaitingCheck: Int
  var hazardsOverdue: Int
  var hazardsClosed: Int
  var gridsMissingContact: Int
  /// Open hazards found in an earlier winter (not in this campaign's counts).
  var hazardsCarriedOver: Int
  /// Never-closed hazards of archived households found this winter (in hazardsFound).
  var hazardsArchivedOpen: Int
  /// 场所: by kind (office, business, mixedUse, total), their inspections and hazards.
  var premises: PremisesCounts.ByKind
  var premisesInspections: PremisesCounts.Inspections
  var premisesHazards: PremisesCounts.Hazards

  init(_ town: TownData, today: CivilDate) {
    villages = town.villages.count
    grids = town.grids.count
    households = town.households.count
    persons = town.personCount
    visitors = town.visitors.count
    vulnerablePersons = town.households.reduce(0) { $0 + $1.vulnerablePersons.count }
    let counts = Worklists.counts(campaign: town.campaign(on: today), today: today, town: town)
    campaign = counts.campaign
    round = counts.round
    visits = counts.visits
    visitsInRound = counts.visitsInRound
    householdsVisitedInRound = counts.householdsVisitedInRound
    householdsNotVisitedInRound = counts.householdsNotVisitedInRound
    hazardsFound = counts.hazardsFound
    hazardsOpen = counts.hazardsOpen
    hazardsAwaitingCheck = counts.hazardsAwaitingCheck
    hazardsOverdue = counts.hazardsOverdue
    hazardsClosed = counts.hazardsClosed
    gridsMissingContact = counts.gridsMissingContact
    hazardsCarriedOver = counts.hazardsCarriedOver
    hazardsArchivedOpen = counts.hazardsArchivedOpen
    let premisesCounts = PremisesCounts(town, today: today)
    premises = premisesCounts.premises
    premisesInspections = premisesCounts.inspections
    premisesHazards = premisesCounts.hazards
  }
}

/// Command-line text, in one place.
enum CLIText {
  static func foreignFolder(_ p: String) -> String {
    "文件夹 \(p) 已有其他文件，但不是消防网格的数据文件夹（缺少 town.json）。为免误删，请换一个空文件夹。"
  }
  static func noTown(_ p: String) -> String { "\(p) 不是消防网格的数据文件夹（缺少 town.json）" }
  static func checkSummary(errors: Int, warnings: Int) -> String {
    errors == 0 && warnings == 0
      ? "检查通过：没有发现问题。" : "检查完毕：\(errors) 个错误，\(warnings) 个提示。"
  }
  static let noBackups = "还没有备份（每天第一次保存时自动备份）。"
  static let dumpNeedsDatabase =
    "--dump 用于数据库（--db URL）；数据文件夹的备份在 backups/ 里，用 backups --data DIR 列出"
  static func folderBusy(_ holder: String) -> String { "数据正被使用（\(holder)），请先退出后再恢复。" }
  static func restored(_ outcome: RestoreOutcome) -> String {
    "已用 \(outcome.backup) 的备份恢复数据文件夹，并按日志重做其后的 \(outcome.replayed) 次保存"
      + "（到日志序号 \(outcome.throughSequence)，改动 \(outcome.filesChanged) 个文件）；"
      + "恢复前的数据已另存为备份 \(outcome.safetyBackup)。"
  }
  static func restoreUnmatched(_ paths: [String]) -> String {
    let shown = paths.prefix(10).joined(separator: "、") + (paths.count > 10 ? " 等" : "")
    return "注意：\(paths.count) 个文件与日志所记不符（日志中缺少这些保存的内容）：\(shown)。"
      + "恢复前的数据仍在安全备份中。"
  }
  static func noChangeBefore(_ time: String) -> String { "日志中没有 \(time) 或之前的保存，未做任何改动。" }
  static let badHouseholdCount = "户数应在 1 到 1000000 之间"
  static func demoNotEmpty(_ p: String) -> String { "文件夹不是空的，拒绝写入演示数据：\(p)" }
  static func missingResource(_ name: String, _ detail: String) -> String {
    "缺少资源文件 \(name)（应在程序旁的资源包中）：\(detail)"
  }
  static func demoWritten(_ p: String, _ town: TownData) -> String {
    let visits = town.visitRecords.values.reduce(0) { $0 + $1.visits.count }
    let hazards = town.visitRecords.values.reduce(0) { $0 + $1.hazards.count }
    let inspections = town.premisesRecords.values.reduce(0) { $0 + $1.visits.count }
    return "已生成演示数据：\(town.town.name)，\(town.villages.count) 个村（社区），\(town.grids.count) 个网格，"
      + "\(town.households.count) 户，\(town.personCount) 人，\(town.visitors.count) 名走访人，"
      + "\(visits) 次走访，\(hazards) 处隐患，"
      + "\(town.premises.count) 处场所（\(inspections) 次检查） → \(p)"
  }
  static func badDate(_ text: String) -> String { "日期格式不对：\(text)（应为 2026-12-01）" }
  static func summary(_ name: String, _ c: TownCounts) -> String {
    """
    \(name)
    村（社区）\t\(c.villages)
    网格\t\(c.grids)
    户\t\(c.households)
    人\t\(c.persons)
    重点人群（人）\t\(c.vulnerablePersons)
    走访人\t\(c.visitors)
    \(c.campaign)\t\(c.round)
    走访（次）\t\(c.visits)
    本轮已走访（户）\t\(c.householdsVisitedInRound)
    本轮未走访（户）\t\(c.householdsNotVisitedInRound)
    发现隐患\t\(c.hazardsFound)
    整改中\t\(c.hazardsOpen)
    待复查\t\(c.hazardsAwaitingCheck)
    逾期未整改\t\(c.hazardsOverdue)
    已销号\t\(c.hazardsClosed)
    缺周联络的网格\t\(c.gridsMissingContact)
    往年遗留未销号\t\(c.hazardsCarriedOver)
    已归档户未销号\t\(c.hazardsArchivedOpen)
    \(PremisesCounts(premises: c.premises, inspections: c.premisesInspections, hazards: c.premisesHazards).text)
    """
  }
}
