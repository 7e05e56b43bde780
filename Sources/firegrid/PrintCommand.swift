import ArgumentParser
import FiregridModel
import FiregridPrint
import FiregridStore
import Foundation

/// `firegrid print card|notice|form`: clarity cards, notices, and the inspection forms of
/// homes and premises as PDF, saved with --out or sent to a CUPS printer with --printer.
struct PrintCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "print",
    abstract: "打印明白卡、告知书、排查表（PDF，或送到打印机）Print cards, notices and forms.",
    discussion: """
      对象写法：村（社区） 龙潭村；网格 龙潭村/第1网格；一户 龙潭村/0002（村/户号）；
      一个场所 龙潭村/向记百货（村/场所名称，仅排查表）；也可写编号。
      --out 保存为 PDF；--printer 用 CUPS 打印（lp -d 打印机名），打印不成功时 PDF 另存并告知位置。
      Exit status: 0 saved or sent, 1 not (64: a wrong command line).
      """,
    subcommands: [PrintCard.self, PrintNotice.self, PrintForm.self])
}

/// Whom to print for: exactly one of the three.
struct PrintScopeOptions: ParsableArguments {
  @Option(name: .long, help: "一户：村/户号，如 龙潭村/0002 (one household)")
  var household: String?

  @Option(name: .long, help: "一个网格：村/网格，如 龙潭村/第1网格 (a grid)")
  var grid: String?

  @Option(name: .long, help: "一个村（社区），如 龙潭村 (a village)")
  var village: String?

  var given: (String, PrintScope.Level)? {
    if let household { return (household, .household) }
    if let grid { return (grid, .grid) }
    if let village { return (village, .village) }
    return nil
  }

  var count: Int { [household, grid, village].compactMap { $0 }.count }
}

/// Where the PDF goes.
struct PrintOutputOptions: ParsableArguments {
  @Option(name: .long, help: "保存为 PDF 文件 (output file)")
  var out: String?

  @Option(name: .long, help: "打印机名（CUPS），如 office (send to this printer)")
  var printer: String?

  func validate() throws {
    guard out != nil || printer != nil else { throw ValidationError(PrintCLIText.noOutput) }
  }
}

struct PrintCard: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "card", abstract: "明白卡（每户一张 A6，或 A4 一页四张带裁切线）Clarity cards.")

  @OptionGroup var scope: PrintScopeOptions
  @OptionGroup var output: PrintOutputOptions
  @OptionGroup var options: DataOptions
  @OptionGroup var database: DatabaseOptions

  @Flag(name: .customLong("four-up"), help: "A4 纸一页印四张，带裁切线 (four A6 cards per A4 sheet)")
  var fourUp = false

  func validate() throws { try PrintSteps.checkOneScope(scope) }

  func run() throws {
    let town = PrintSteps.loadTown(options, database)
    let scope = PrintSteps.resolve(self.scope, in: town)
    PrintSteps.run(.cards(scope, layout: fourUp ? .fourUpA4 : .a6), town: town, output: output)
  }
}

struct PrintNotice: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "notice", abstract: "消防安全告知书（每户一页 A4，带回执）Fire-safety notices.")

  @OptionGroup var scope: PrintScopeOptions
  @OptionGroup var output: PrintOutputOptions
  @OptionGroup var options: DataOptions
  @OptionGroup var database: DatabaseOptions

  func validate() throws { try PrintSteps.checkOneScope(scope) }

  func run() throws {
    let town = PrintSteps.loadTown(options, database)
    PrintSteps.run(.notices(PrintSteps.resolve(scope, in: town)), town: town, output: output)
  }
}

/// Which paper form `print form` prints.
enum PrintFormChoice: String, ExpressibleByArgument, CaseIterable {
  /// 居民住房消防安全排查表 (附件6), the default.
  case residential
  /// 办公场所 (附件4)
  case office
  /// 生产经营性场所 (附件5), also for 多合一 places
  case business
  /// Every premises of a grid or village, each on its own form.
  case premises

  /// The premises on this form; nil for all premises (and for homes).
  var premisesSubject: FormSubject? {
    switch self {
    case .office: return .office
    case .business: return .business
    case .residential, .premises: return nil
    }
  }
}

struct PrintForm: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "form",
    abstract: "排查表：居民住房（附件6）、办公场所（附件4）、生产经营性场所（附件5）Inspection forms.",
    discussion: """
      --household/--grid/--village   下一轮用：每户一页，预先印好户主、户号、地址，勾选框空白
      --grid/--village --form office|business|premises
                                     该网格或村的办公场所、生产经营性场所或全部场所，每个场所一页
      --premises 龙潭村/向记百货         一个场所下一轮用的表：预先印好名称、负责人、电话等，
                                     只列适用的项目，未销号的隐患列出待复查
      --blank [--form office|business] [--copies N]   空白表（默认居民住房）
      --visit 记录编号                 据已录入的走访或检查记录打印（存档用），如 h000001-v2、c00001-v1
      --household 龙潭村/0002 --latest   该户最近一次走访的记录
      --premises 龙潭村/向记百货 --latest  该场所最近一次检查的记录
      """)

  @OptionGroup var scope: PrintScopeOptions
  @OptionGroup var output: PrintOutputOptions
  @OptionGroup var options: DataOptions
  @OptionGroup var database: DatabaseOptions

  @Option(
    name: .long,
    help: """
      哪种表：residential 居民住房（默认）、office 办公场所、business 生产经营性场所；\
      与 --grid/--village 同用时也可写 premises（全部场所，各用各的表） (which form)
      """)
  var form: PrintFormChoice?

  @Option(name: .long, help: "一个场所：村/场所名称，如 龙潭村/向记百货 (one premises)")
  var premises: String?

  @Flag(name: .long, help: "空白表 (blank forms)")
  var blank = false

  @Option(name: .long, help: "空白表份数 (copies of the blank form)")
  var copies = 1

  @Option(name: .long, help: "走访或检查记录编号，打印已填的表，如 h000001-v2、c00001-v1 (a saved visit)")
  var visit: [String] = []

  @Flag(
    name: .long,
    help: "与 --household 或 --premises 同用：打印最近一次走访或检查 (the latest visit or inspection)")
  var latest = false

  @Option(name: .long, help: "印在表上的轮次，如 3；默认今天所在的轮次或下一轮 (round number)")
  var round: Int?

  func validate() throws {
    let modes = [blank, !visit.isEmpty, latest].filter { $0 }.count
    guard modes <= 1 else { throw ValidationError(PrintCLIText.oneFormMode) }
    let scopes = scope.count + (premises == nil ? 0 : 1)
    if blank || !visit.isEmpty {
      guard scopes == 0 else { throw ValidationError(PrintCLIText.oneFormMode) }
    } else if latest {
      guard scopes == 1, scope.household != nil || premises != nil else {
        throw ValidationError(PrintCLIText.latestNeedsHousehold)
      }
    } else {
      guard scopes == 1 else { throw ValidationError(PrintCLIText.oneFormScope) }
    }
    guard let form else { return }
    // A saved visit prints with the form it was entered with.
    if !visit.isEmpty || latest { throw ValidationError(PrintCLIText.formOfTheRecord) }
    if blank, form == .premises { throw ValidationError(PrintCLIText.blankNeedsOneForm) }
    if scope.household != nil, form != .residential {
      throw ValidationError(PrintCLIText.householdWithPremisesForm(form.rawValue))
    }
    if premises != nil, form == .residential {
      throw ValidationError(PrintCLIText.premisesWithResidentialForm)
    }
  }

  func run() throws {
    if blank {
      // A blank form needs no roster; the town's name is printed when the folder has one.
      let folder = options.folder
      let town =
        folder.state == .town || isDatabase(options, database)
        ? PrintSteps.loadTown(options, database) : TownData(town: Town(name: ""))
      let subject = form?.premisesSubject ?? .household
      PrintSteps.run(.blankForms(subject: subject, copies: copies), town: town, output: output)
      return
    }
    let town = PrintSteps.loadTown(options, database)
    if !visit.isEmpty {
      PrintSteps.run(.filledForms(visitIDs: visit), town: town, output: output)
      return
    }
    if let premises {
      let scope = PrintSteps.resolve(premises, as: .premises, in: town)
      if latest, case .premises(let id) = scope {
        guard let last = town.inspectionRecord(of: id).lastVisit else {
          fail(PrintCLIText.noInspections(scope.label(in: town)))
        }
        PrintSteps.run(.filledForms(visitIDs: [last.id]), town: town, output: output)
        return
      }
      PrintSteps.run(
        .premisesForms(scope, subject: form?.premisesSubject, round: roundLabel(town)),
        town: town, output: output)
      return
    }
    let scope = PrintSteps.resolve(self.scope, in: town)
    if latest, case .household(let id) = scope {
      guard let last = town.visitRecord(of: id).lastVisit else {
        fail(PrintCLIText.noVisits(scope.label(in: town)))
      }
      PrintSteps.run(.filledForms(visitIDs: [last.id]), town: town, output: output)
      return
    }
    if let form, form != .residential {
      PrintSteps.run(
        .premisesForms(scope, subject: form.premisesSubject, round: roundLabel(town)),
        town: town, output: output)
      return
    }
    PrintSteps.run(.forms(scope, round: roundLabel(town)), town: town, output: output)
  }

  /// The round printed on next-round forms: the one asked for, else the round running
  /// today, else the next to start; none after the campaign's last round.
  private func roundLabel(_ town: TownData) -> String? {
    let day = today()
    let campaign = town.campaign(on: day)
    if let round {
      guard let chosen = campaign.rounds.first(where: { $0.number == round }) else {
        fail(PrintCLIText.noSuchRound(round, campaign.rounds.count))
      }
      return chosen.label
    }
    return FiregridDocumentPrinter.roundForForms(town: town, on: day)
  }
}

/// The steps every print command shares: load, resolve, render, save or send.
enum PrintSteps {
  static func checkOneScope(_ scope: PrintScopeOptions) throws {
    guard scope.count == 1 else { throw ValidationError(PrintCLIText.oneScope) }
  }

  static func loadTown(_ options: DataOptions, _ database: DatabaseOptions? = nil) -> TownData {
    let folder = options.folder
    if let report = databaseTown(options, database) {
      for file in report.damaged {
        FileHandle.standardError.write(Data("\(file.error.message)\n".utf8))
      }
      return report.town
    }
    guard folder.state == .town else { fail(CLIText.noTown(folder.url.path)) }
    let report: LoadReport
    do {
      report = try folder.loadReport()
    } catch {
      fail(StoreError.message(for: error))
    }
    for file in report.damaged {
      FileHandle.standardError.write(Data("\(file.error.message)\n".utf8))
    }
    return report.town
  }

  static func resolve(_ options: PrintScopeOptions, in town: TownData) -> PrintScope {
    guard let (text, level) = options.given else { fail(PrintCLIText.oneScope) }
    return resolve(text, as: level, in: town)
  }

  static func resolve(_ text: String, as level: PrintScope.Level, in town: TownData)
    -> PrintScope
  {
    do {
      return try PrintScope.resolve(text, as: level, in: town)
    } catch {
      fail(error.message)
    }
  }

  static func run(_ request: PrintRequest, town: TownData, output: PrintOutputOptions) {
    umask(0o077)
    let content: PrintContent
    do {
      content = try PrintContent.bundled()
    } catch {
      fail(error.message)
    }
    let name = PrintRenderer.suggestedFileName(request, town: town)
    // Printing without --out renders into a private temporary folder; the file is kept
    // (moved beside the clerk) only when printing fails.
    let temporaryFolder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-print-\(getpid())")
    let url: URL
    if let out = output.out {
      url = URL(fileURLWithPath: out)
    } else {
      try? FileManager.default.createDirectory(
        at: temporaryFolder, withIntermediateDirectories: true)
      url = temporaryFolder.appendingPathComponent(name)
    }
    // fail() exits without running defers: each exit path removes the folder itself.
    func removeTemporaryFolder() { try? FileManager.default.removeItem(at: temporaryFolder) }
    defer { removeTemporaryFolder() }
    for gap in PrintRenderer.gaps(request, town: town) {
      FileHandle.standardError.write(Data((gap + "\n").utf8))
    }
    let pages: Int
    do {
      pages = try PrintRenderer.render(request, town: town, content: content, to: url)
    } catch {
      removeTemporaryFolder()
      fail(error.message)
    }
    let title = PrintRenderer.title(request, town: town)
    if output.out != nil { print(PrintCLIText.saved(title, pages, url.path)) }
    guard let printer = output.printer else { return }
    switch CupsPrinter.send(file: url, printer: printer, title: title) {
    case .success(let job):
      print(PrintCLIText.sent(printer, job, pages))
    case .failure(let error):
      let kept =
        output.out == nil
        ? keep(url, named: name, in: FileManager.default.currentDirectoryPath) : url
      removeTemporaryFolder()
      fail(error.message + "\n" + PrintCLIText.keptAt(kept.path))
    }
  }

  /// Moves a PDF that could not be printed to `folder` (the clerk's current folder) under
  /// a name not yet taken there; leaves it where it is when that folder is not writable.
  static func keep(_ url: URL, named name: String, in folder: String) -> URL {
    let base = (name as NSString).deletingPathExtension
    if let candidate = FiregridDocumentPrinter.freeName(
      name, in: URL(fileURLWithPath: folder), limit: 99),
      (try? FileManager.default.moveItem(at: url, to: candidate)) != nil
    {
      return candidate
    }
    // Out of the temporary folder that is removed on exit, into the system's.
    let fallback = FileManager.default.temporaryDirectory.appendingPathComponent(
      "\(base)-\(getpid()).pdf")
    try? FileManager.default.moveItem(at: url, to: fallback)
    return fallback
  }
}

/// The print commands' text, in one place.
enum PrintCLIText {
  static let noOutput = "请用 --out 指定 PDF 文件，或用 --printer 指定打印机（也可两个都给）。"
  static let oneScope = "请用 --household、--grid、--village 中的一个指定打印对象，如 --grid 龙潭村/第1网格。"
  static let oneFormMode =
    "--blank、--visit、--latest 只能选一种；--blank 和 --visit 不与 --household/--grid/--village/--premises 同用。"
  static let oneFormScope =
    "请用 --household、--grid、--village、--premises 中的一个指定打印对象，如 --grid 龙潭村/第1网格、--premises 龙潭村/向记百货。"
  static let latestNeedsHousehold =
    "--latest 要与 --household 或 --premises 同用，如 --household 龙潭村/0002 --latest、--premises 龙潭村/向记百货 --latest。"
  static let formOfTheRecord = "--visit 和 --latest 按记录录入时所用的表打印，不用 --form。"
  static let blankNeedsOneForm = "空白表请指定一种：--form residential（默认）、office 或 business。"
  static func householdWithPremisesForm(_ form: String) -> String {
    "一户用居民住房排查表，不能用 --form \(form)。场所的表请用 --premises 村/场所名称（一个场所），"
      + "或 --grid、--village（一个网格或村的全部场所）。"
  }
  static let premisesWithResidentialForm =
    "--premises 打印场所自己的表（办公场所用附件4，生产经营性和多合一场所用附件5），不能用 --form residential。"
  static func noVisits(_ who: String) -> String { "\(who)还没有走访记录，没有可打印的已填排查表。" }
  static func noInspections(_ what: String) -> String { "\(what)还没有检查记录，没有可打印的已填排查表。" }
  static func noSuchRound(_ round: Int, _ count: Int) -> String {
    "本季没有第\(round)轮（共 \(count) 轮）。"
  }
  static func saved(_ title: String, _ pages: Int, _ path: String) -> String {
    "已生成 \(title)：\(pages) 页 → \(path)"
  }
  static func sent(_ printer: String, _ job: String, _ pages: Int) -> String {
    "已送到打印机 \(printer)：任务号 \(job)，共 \(pages) 页。"
  }
  static func folderUnusable(_ path: String) -> String { "无法在 \(path) 保存 PDF（文件夹不能创建或没有写权限）" }
  static func keptAt(_ path: String) -> String { "PDF 已保存在 \(path)，可拷到能打印的电脑上打印。" }
}
