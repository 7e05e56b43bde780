import ArgumentParser
import FiregridModel
import Foundation

/// `firegrid supervise sample|notices`: the supervision papers from the command line — a
/// reproducible spot-check sample with its check sheet, and a round's 通报批评 and 约谈 drafts.
/// Both only read the data folder.
struct SuperviseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "supervise",
    abstract: "督查：抽查样本和核查表、通报批评与约谈名单 Supervision papers.",
    subcommands: [SuperviseSample.self, SuperviseNotices.self])
}

/// The round `number` of the winter `day` is in, or a failure naming how many there are.
private func chosenRound(_ number: Int, of campaign: Campaign) -> Campaign.Round {
  guard let round = campaign.rounds.first(where: { $0.number == number }) else {
    fail(ReportCLIText.noSuchRound(number, campaign.rounds.count))
  }
  return round
}

struct SuperviseSample: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample",
    abstract: "抽取入户抽查样本 Draw a reproducible spot-check sample.",
    discussion: """
      每村抽 --per-village 户，按走访人分层，重点户（有重点人群的户）权重更高。同一随机种子和名册
      总能抽出同一名单；不给 --seed 时随机产生一个，并印在核查表上，任何人都可以重新抽一次来核对。
      只读取数据文件夹，不写入；要把样本记下来并录入抽查结果，请在程序的 督查 > 抽查 中抽取。
      Exit status: 0 drawn, 1 not (64: a wrong command line).
      """)

  @Option(name: .long, help: "数据文件夹 (data folder)")
  var data: String?

  @OptionGroup var database: DatabaseOptions

  @Option(name: .long, help: "第几轮 (round number)")
  var round: Int

  @Option(name: .customLong("per-village"), help: "每村抽几户 (households per village)")
  var perVillage: Int

  @Option(name: .long, help: "随机种子 0…\(SpotCheckSampling.maximumSeed) (seed; random if absent)")
  var seed: Int?

  @Option(
    name: .customLong("premises-per-village"),
    help: "每村另抽几处场所，默认不抽 (premises per village, on request)")
  var premisesPerVillage = 0

  @Option(name: .long, help: "核查表 .pdf/.xlsx/.csv (check sheet)")
  var out: String?

  func validate() throws {
    if let problem = SpotCheckSampling.check(perVillage: perVillage, seed: seed ?? 0) {
      throw ValidationError(problem)
    }
    if premisesPerVillage < 0 { throw ValidationError(SuperviseCLIText.premisesNegative) }
  }

  func run() throws {
    umask(0o077)
    var options = DataOptions()
    options.data = data
    let town = PrintSteps.loadTown(options, database)
    let day = today()
    let campaign = town.campaign(on: day)
    _ = chosenRound(round, of: campaign)
    let seed = self.seed ?? Int.random(in: 1...SpotCheckSampling.maximumSeed)
    let householdIDs = SpotCheckSampling.draw(
      round: round, perVillage: perVillage, seed: seed, town: town)
    let sample = SpotCheckSample(
      id: "", round: round, perVillage: perVillage, seed: seed, drawnOn: day,
      drawnBy: ProcessInfo.processInfo.environment["FIREGRID_OPERATOR"] ?? "",
      householdIDs: householdIDs, premisesPerVillage: premisesPerVillage,
      premisesIDs: SpotCheckSampling.drawPremises(
        round: round, perVillage: premisesPerVillage, seed: seed, town: town))
    print(SuperviseCLIText.seedLine(seed, round: round, perVillage: perVillage))
    let sheet = SupervisionReports.checkSheet(sample: sample, campaign: campaign, town: town)
    // The lists themselves, tab-separated, without the columns the inspector fills in.
    for table in sheet.tables {
      // The columns from the first one left blank on every row are the inspector's.
      let shown =
        table.columns.indices.first { column in
          !table.rows.isEmpty && table.rows.allSatisfy { $0[column] == .empty }
        } ?? table.columns.count
      print(table.columns.prefix(shown).map(\.label).joined(separator: "\t"))
      for row in table.rows { print(row.prefix(shown).map(\.text).joined(separator: "\t")) }
    }
    if let out {
      let url = ReportFiles.url(out)
      do throws(ReportFiles.Failure) {
        try ReportFiles.write(sheet, to: url)
      } catch {
        fail(error.message)
      }
      print(ReportCLIText.written(url.path))
    }
  }
}

struct SuperviseNotices: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "notices",
    abstract: "一轮的通报批评与约谈名单（草稿）The round's notices of criticism and admonition talks.",
    discussion: """
      名单按种子文件六(三)：第一次未完成的走访人和工作落后的村（未按时开部署会、每周联络缺失、逾期
      隐患）列入通报批评；之前已被通报（已登记发文）又未完成的走访人列入约谈。--as-of 给出更晚的
      截至日期时，本轮结束后补访的也算完成。--out 的扩展名决定格式：.pdf 打印版、.xlsx 电子表格。
      Exit status: 0 written, 1 not (64: a wrong command line).
      """)

  @Option(name: .long, help: "数据文件夹 (data folder)")
  var data: String?

  @OptionGroup var database: DatabaseOptions

  @Option(name: .long, help: "第几轮 (round number)")
  var round: Int

  @Option(name: .customLong("as-of"), help: "截至日期 YYYY-MM-DD，默认本轮最后一天 (deadline)")
  var asOf: String?

  @Option(name: .long, help: "输出文件 .pdf/.xlsx (output file)")
  var out: String

  func run() throws {
    umask(0o077)
    var options = DataOptions()
    options.data = data
    let url = ReportFiles.url(out)
    let town = PrintSteps.loadTown(options, database)
    let day = today()
    let campaign = town.campaign(on: day)
    let chosen = chosenRound(round, of: campaign)
    var deadline = chosen.end
    if let asOf {
      guard let date = CivilDate(exactly: asOf) else { fail(ReportCLIText.badDate(asOf)) }
      guard date >= chosen.end else { fail(SuperviseCLIText.beforeRoundEnd(chosen.label)) }
      deadline = date
    }
    // Nobody is behind before the deadline: a running round has no lists yet.
    guard deadline <= day else { fail(SuperviseCLIText.notDue(chosen.label, deadline)) }
    let findings = Supervision.findings(
      round: chosen, campaign: campaign, asOf: deadline, town: town)
    let draft = Supervision.draftNotices(
      findings, issued: town.supervision.notices.filter { $0.campaign == campaign.name },
      campaign: campaign, town: town)
    do throws(ReportFiles.Failure) {
      _ = try ReportFiles.format(of: url.path)
      try ReportFiles.write(SupervisionReports.notices(draft, town: town), to: url)
    } catch {
      fail(error.message)
    }
    print(SuperviseCLIText.counts(draft.criticism.count, draft.admonition.count))
    print(ReportCLIText.written(url.path))
  }
}

enum SuperviseCLIText {
  static let premisesNegative = "--premises-per-village 不能为负数"
  static func beforeRoundEnd(_ round: String) -> String {
    "--as-of 不能早于本轮最后一天：\(round)"
  }
  static func notDue(_ round: String, _ deadline: CivilDate) -> String {
    "\(round)到 \(deadline) 才到期：到期后才列通报、约谈名单"
  }
  static func seedLine(_ seed: Int, round: Int, perVillage: Int) -> String {
    "随机种子 \(seed)（第\(round)轮，每村\(perVillage)户；用同一种子可重新抽出同一名单）"
  }
  static func counts(_ criticism: Int, _ admonition: Int) -> String {
    "通报批评 \(criticism) 人，约谈 \(admonition) 人"
  }
}
