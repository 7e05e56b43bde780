import FiregridModel
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// The 打印 section by keys, over a stand-in printer that records what it was asked.
@Suite(.serialized)
struct PrintSectionTests {
  final class RecordingPrinter: DocumentPrinting, @unchecked Sendable {
    var rendered: [PrintJob] = []
    var sent: [(String, String)] = []
    /// How often CUPS was asked for the default printer, and on which thread last.
    var askedForDefault = 0
    var askedOn: Thread?
    let sendResult: Result<String, PrintFailure>
    init(sendResult: Result<String, PrintFailure>) { self.sendResult = sendResult }

    func gaps(_ job: PrintJob, town: TownData) -> [String] { [] }
    func pageCount(_ job: PrintJob, town: TownData) -> Result<Int, PrintFailure> {
      job.target.hasPrefix("龙潭村") ? .success(11) : .failure(PrintFailure("找不到村（社区）“\(job.target)”"))
    }
    func render(_ job: PrintJob, town: TownData) -> Result<(path: String, pages: Int), PrintFailure>
    {
      rendered.append(job)
      return .success(("/tmp/明白卡-龙潭村第1网格.pdf", 11))
    }
    func send(path: String, printer: String) -> Result<String, PrintFailure> {
      sent.append((path, printer))
      return sendResult
    }
    func defaultPrinter() -> String? {
      askedForDefault += 1
      askedOn = Thread.current
      return "office"
    }
  }

  let folder = DataFolder(url: URL(fileURLWithPath: "/tmp/firegrid-test-never-written"))

  func run(_ printer: RecordingPrinter, _ keys: [Key]) -> (AppRunner, VirtualTerminal) {
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type(keys)
    let runner = AppRunner(
      state: ScreenTesting.mainState(), terminal: terminal, folder: folder, printer: printer)
    runner.run()
    return (runner, terminal)
  }

  @Test func choosingCountingConfirmingAndPrinting() {
    let printer = RecordingPrinter(sendResult: .success("office-42"))
    // The grid in view in 敲门走访 is offered; 告知书 chosen; Ctrl-S counts; y prints.
    let (runner, terminal) = run(
      printer,
      [.character("2"), .character("5"), .enter, .right, .right, .control("s"), .character("y")])
    #expect(printer.rendered.count == 1)
    let job = printer.rendered[0]
    #expect(job.document == .notices)
    #expect(job.level == .grid)
    #expect(job.target == "龙潭村/第1网格")
    #expect(job.printer == "office")
    #expect(printer.sent.map(\.1) == ["office"])
    #expect(runner.state.message == "已送打印机 office，作业号 office-42")
    #expect(terminal.screenText.contains("已保存 11 页：/tmp/明白卡-龙潭村第1网格.pdf"))
  }

  @Test func aPrinterThatFailsLeavesTheFileSavedAndSaysWhere() {
    let printer = RecordingPrinter(sendResult: .failure(PrintFailure("打印机 office 不存在")))
    let (runner, _) = run(printer, [.character("5"), .character("p")] + [.control("s")])
    // The grid selected in 敲门走访 is offered even when that section was not opened.
    guard
      case .runPrint(let job, _)? = runner.state.overlay(ConfirmOverlay.self)?.effectsOnYes.first
    else {
      Issue.record("no confirmation: \(String(describing: runner.state.overlay))")
      return
    }
    #expect(job.target == "龙潭村/第1网格")
    let (after, _) = run(
      printer, [.character("5"), .character("p"), .control("s"), .character("y")])
    #expect(after.state.messageIsError)
    #expect(
      after.state.message == "未能打印（打印机 office 不存在），PDF 已保存：/tmp/明白卡-龙潭村第1网格.pdf")
  }

  @Test func anUnknownTargetIsRefusedAndNothingIsWritten() {
    let printer = RecordingPrinter(sendResult: .success("x"))
    var keys: [Key] = [.character("5"), .enter, .tab, .tab, .control("u")]
    keys += "江南村".map { Key.character($0) }
    keys += [.control("s")]
    let (runner, _) = run(printer, keys)
    #expect(printer.rendered.isEmpty)
    #expect(runner.state.message == "找不到村（社区）“江南村”")
    guard runner.state.overlay(PrintFormOverlay.self) != nil else {
      Issue.record("the form should stay open to fix the target")
      return
    }
  }

  @Test func withoutThePrintModuleTheSectionSaysSo() {
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.character("5"), .enter])
    let runner = AppRunner(state: ScreenTesting.mainState(), terminal: terminal, folder: folder)
    runner.run()
    #expect(runner.state.message == PrintSectionText.notAvailable)
  }

  /// From a household's history, `P` offers its forms filled from the latest visit.
  @Test func theHistoryPrintsTheHouseholdsFilledForm() {
    let printer = RecordingPrinter(sendResult: .success("office-7"))
    var state = ScreenTesting.mainState()
    _ = state.receive(.historyLoaded(householdID: "h000012", []))
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.character("P"), .control("s"), .character("y")])
    let runner = AppRunner(state: state, terminal: terminal, folder: folder, printer: printer)
    runner.run()
    #expect(printer.rendered.map(\.document) == [.formsFilled])
    #expect(printer.rendered.map(\.level) == [.household])
    #expect(printer.rendered.map(\.target) == ["龙潭村/0012"])
  }

  /// CUPS can take a while to answer: it is asked for the default printer only when printing
  /// is first opened, once, and on the worker, never on the loop that reads the keys.
  @Test func theDefaultPrinterIsAskedOnlyWhenPrintingIsOpened() {
    let elsewhere = RecordingPrinter(sendResult: .success("x"))
    _ = run(elsewhere, "23461".map { Key.character($0) } + [.enter, .escape])
    #expect(elsewhere.askedForDefault == 0)

    let printing = RecordingPrinter(sendResult: .success("x"))
    let (runner, _) = run(printing, [.character("5"), .character("1"), .character("5"), .enter])
    #expect(printing.askedForDefault == 1)
    #expect(printing.askedOn != nil && printing.askedOn !== Thread.current)
    #expect(
      runner.state.overlay(PrintFormOverlay.self)?.form.value(PrintForm.printerField) == "office")

    // The print form opened from a household's history asks too, the first time.
    let history = RecordingPrinter(sendResult: .success("x"))
    var state = ScreenTesting.mainState()
    _ = state.receive(.historyLoaded(householdID: "h000012", []))
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.character("P")])
    let fromHistory = AppRunner(state: state, terminal: terminal, folder: folder, printer: history)
    fromHistory.run()
    #expect(history.askedForDefault == 1)
    #expect(
      fromHistory.state.overlay(PrintFormOverlay.self)?.form.value(PrintForm.printerField)
        == "office")
  }

  /// Opened before CUPS answered, the print form opens at once (the progress line says it is
  /// looking) and fills the printer in when the answer comes; a printer the clerk typed stays.
  @Test func thePrintFormFillsTheDefaultPrinterWhenItArrives() {
    var state = ScreenTesting.mainState()
    state.printerDetected(canRender: true)
    #expect(state.press(.character("5")) == [.findDefaultPrinter])
    #expect(state.activity == PrintSectionText.findingPrinter)
    #expect(state.press(.enter).isEmpty)  // asked once
    #expect(state.overlay(PrintFormOverlay.self)?.form.value(PrintForm.printerField) == "")
    var typed = state
    _ = state.receive(.defaultPrinterFound("office"))
    _ = state.finished(.findDefaultPrinter)
    #expect(state.overlay(PrintFormOverlay.self)?.form.value(PrintForm.printerField) == "office")
    #expect(!state.hasUnsavedChanges)
    #expect(state.activity == nil)

    for key in [Key.tab, .tab, .tab, .tab] + "lab".map({ Key.character($0) }) {
      _ = typed.press(key)
    }
    _ = typed.receive(.defaultPrinterFound("office"))
    #expect(typed.overlay(PrintFormOverlay.self)?.form.value(PrintForm.printerField) == "lab")
    #expect(typed.printing.defaultPrinter == "office")
  }
}
