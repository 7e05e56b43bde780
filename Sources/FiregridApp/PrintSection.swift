import FiregridModel
import Foundation
import TerminalUI

/// 打印: what to print and for whom, as the clerk chose it in the app. The app does not know
/// how PDFs are made: the executable passes a `DocumentPrinting` (FiregridPrint underneath),
/// so the print module stays a leaf nothing else depends on.
public struct PrintJob: Equatable, Sendable {
  public enum Document: String, CaseIterable, Sendable {
    /// 明白卡, A6
    case cardsA6
    /// 明白卡, four to an A4 sheet
    case cardsFourUp
    /// 告知书
    case notices
    /// 排查表 pre-filled for the next round
    case formsPrefilled
    /// 排查表, blank
    case formsBlank
    /// 排查表 filled from each household's latest saved visit
    case formsFilled
    /// 户档案: a household's members, visits and hazards on one or two pages
    case householdHistory
    /// 场所排查表 pre-filled for the next round (附件4 or 附件5 by the premises' kind), with its
    /// open hazards to re-inspect
    case premisesFormsPrefilled
    /// 办公场所排查表 (附件4), blank
    case officeFormsBlank
    /// 生产经营性场所排查表 (附件5), blank, every item (多合一 ones marked)
    case businessFormsBlank

    /// Blank forms: no one to print them for.
    public var isBlank: Bool {
      [.formsBlank, .officeFormsBlank, .businessFormsBlank].contains(self)
    }

    public var label: String { PrintSectionText.documentLabel(self) }
  }

  /// How the clerk wrote whom it is for: a village, a grid or a household.
  public enum Level: String, CaseIterable, Sendable {
    case village, grid, household, premises
    public var label: String { PrintSectionText.levelLabel(self) }
  }

  public var document: Document
  public var level: Level
  /// As a clerk writes it: 龙潭村, 龙潭村/第1网格, 龙潭村/0002, or an id.
  public var target: String
  /// Blank forms only.
  public var copies: Int
  /// CUPS printer; "" = save the PDF only.
  public var printer: String
  /// The folder the PDF is saved in.
  public var folder: String

  public init(
    document: Document, level: Level, target: String, copies: Int = 1, printer: String = "",
    folder: String
  ) {
    self.document = document
    self.level = level
    self.target = target
    self.copies = copies
    self.printer = printer
    self.folder = folder
  }
}

/// Why printing did not happen, in Chinese.
public struct PrintFailure: Error, Equatable, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// What the app needs from a PDF maker and a printer.
public protocol DocumentPrinting: Sendable {
  /// Pages the job will have, without rendering (or why it cannot be printed).
  func pageCount(_ job: PrintJob, town: TownData) -> Result<Int, PrintFailure>
  /// What the job will print as 未指定, to say before printing (empty when nothing).
  func gaps(_ job: PrintJob, town: TownData) -> [String]
  /// Renders the job into a new PDF in `job.folder`; returns its path and pages.
  func render(_ job: PrintJob, town: TownData) -> Result<(path: String, pages: Int), PrintFailure>
  /// Sends a PDF to a CUPS printer; returns the job id.
  func send(path: String, printer: String) -> Result<String, PrintFailure>
  /// The CUPS default printer, if there is one.
  func defaultPrinter() -> String?
}

/// The print form, as data for the form engine, and how its values become a job.
enum PrintForm {
  static let documentField = "document"
  static let levelField = "level"
  static let targetField = "target"
  static let copiesField = "copies"
  static let printerField = "printer"
  static let folderField = "folder"

  static func make(last: PrintJob?, suggestedTarget: String, defaultPrinter: String?) -> Form {
    let job = last
    return make(values: [
      documentField: (job?.document ?? .cardsA6).label,
      levelField: (job?.level ?? .grid).label,
      targetField: job?.target ?? suggestedTarget,
      copiesField: "\(job?.copies ?? 1)",
      printerField: job?.printer ?? defaultPrinter ?? "",
      folderField: job?.folder ?? PrintSectionText.defaultFolder,
    ])
  }

  /// The form with these values by field id.
  static func make(values: [String: String]) -> Form {
    let fields = [
      FormField(
        id: documentField, label: PrintSectionText.document,
        kind: .choice(PrintJob.Document.allCases.map(\.label)), hint: PrintSectionText.documentHint
      ),
      FormField(
        id: levelField, label: PrintSectionText.level,
        kind: .choice(PrintJob.Level.allCases.map(\.label)), hint: PrintSectionText.levelHint),
      FormField(
        id: targetField, label: PrintSectionText.target, kind: .text(maxLength: 40),
        hint: PrintSectionText.targetHint),
      FormField(
        id: copiesField, label: PrintSectionText.copies, kind: .text(maxLength: 4),
        hint: PrintSectionText.copiesHint,
        validate: {
          Int($0).map { (1...1000).contains($0) } == true ? nil : PrintSectionText.badCopies
        }
      ),
      FormField(
        id: printerField, label: PrintSectionText.printer, kind: .text(maxLength: 40),
        hint: PrintSectionText.printerHint),
      FormField(
        id: folderField, label: PrintSectionText.folder, kind: .text(maxLength: 80), required: true,
        requiredMessage: PrintSectionText.folderRequired),
    ]
    return Form(title: PrintSectionText.formTitle, fields: fields, values: values)
  }

  static func job(from values: [String: String]) -> PrintJob? {
    guard
      let document = PrintJob.Document.allCases.first(where: {
        $0.label == values[documentField]
      }),
      let level = PrintJob.Level.allCases.first(where: { $0.label == values[levelField] })
    else { return nil }
    return PrintJob(
      document: document, level: level, target: values[targetField] ?? "",
      copies: Int(values[copiesField] ?? "") ?? 1, printer: values[printerField] ?? "",
      folder: values[folderField] ?? PrintSectionText.defaultFolder)
  }
}

/// The words of the 打印 section.
enum PrintSectionText {
  static func documentLabel(_ document: PrintJob.Document) -> String {
    switch document {
    case .cardsA6: return "明白卡（A6）"
    case .cardsFourUp: return "明白卡（A4一页四张）"
    case .notices: return "消防安全告知书"
    case .formsPrefilled: return "排查表（预填下一轮）"
    case .formsBlank: return "排查表（空白）"
    case .formsFilled: return "排查表（按最近一次走访填好）"
    case .householdHistory: return "户档案"
    case .premisesFormsPrefilled: return "场所排查表（预填下一轮）"
    case .officeFormsBlank: return "办公场所排查表（空白，附件4）"
    case .businessFormsBlank: return "生产经营性场所排查表（空白，附件5）"
    }
  }
  static func levelLabel(_ level: PrintJob.Level) -> String {
    switch level {
    case .village: return "整村"
    case .grid: return "一个网格"
    case .household: return "一户"
    case .premises: return "一处场所"
    }
  }
  static let title = "打印"
  static let intro = [
    "明白卡、告知书、排查表（居民住房附件6、办公场所附件4、生产经营性场所附件5）生成 PDF，存盘或送打印机。",
    "明白卡上电话号码完整打印（便于居民拨打）；身份证号和健康信息不打印。",
  ]
  static let start = "按 Enter 或 p 选择打印内容"
  static let lastResult = "上次打印："
  static let formTitle = "打印  选择内容和对象（Ctrl-S 计算页数）"
  static let document = "打印内容"
  static let documentHint = "左右键选择"
  static let level = "范围"
  static let levelHint = "左右键选择：整村、一个网格、一户或一处场所"
  static let target = "对象"
  static let targetHint = "如 龙潭村、龙潭村/第1网格、龙潭村/0002（户号）、龙潭村/向记百货（场所）"
  static let copies = "份数"
  static let copiesHint = "只用于空白排查表"
  static let badCopies = "份数应为 1 到 1000"
  static let printer = "打印机"
  static let printerHint = "CUPS 打印机名；留空只保存 PDF"
  static let folder = "保存到文件夹"
  static let folderRequired = "请填写保存 PDF 的文件夹"
  static let defaultFolder = "~/消防网格打印"
  static let confirmTitle = "确认打印"
  static func confirm(_ job: PrintJob, pages: Int) -> String {
    let target = job.document.isBlank ? "" : "，对象 \(job.target)"
    let destination =
      job.printer.isEmpty ? "保存 PDF 到 \(job.folder)" : "保存 PDF 并送打印机 \(job.printer)"
    return "\(job.document.label)\(target)：共 \(pages) 页。\(destination)？"
  }
  static func saved(_ path: String, _ pages: Int) -> String { "已保存 \(pages) 页：\(path)" }
  static func printed(_ printer: String, _ jobID: String) -> String {
    "已送打印机 \(printer)，作业号 \(jobID)"
  }
  static func printFailedSaved(_ reason: String, _ path: String) -> String {
    "未能打印（\(reason)），PDF 已保存：\(path)"
  }
  static let notAvailable = "本程序未带打印模块，无法生成 PDF"
  static let keyPrint = "选择打印"
  static let findingPrinter = "正在查找打印机"
}
