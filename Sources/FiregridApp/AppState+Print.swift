import FiregridModel
import TerminalUI

/// Whether PDFs can be made here, and where they would print by default.
public struct PrintAvailability: Equatable, Sendable {
  public var canRender = false
  public var defaultPrinter: String?
  /// The last job and what came of it, shown in the section.
  public var lastJob: PrintJob?
  public var lastResult: [String] = []
  public init(canRender: Bool = false, defaultPrinter: String? = nil) {
    self.canRender = canRender
    self.defaultPrinter = defaultPrinter
  }
}

/// 打印: the form, the page count, the confirmation, and the result.
extension AppState {
  /// The runner tells what printing it has.
  public mutating func printerDetected(canRender: Bool, defaultPrinter: String?) {
    printing.canRender = canRender
    printing.defaultPrinter = defaultPrinter
  }

  /// The grid the clerk is working on in 敲门走访, else the first village.
  var suggestedPrintTarget: String {
    if let gridID = visits.selectedGridID(index: index), let grid = index.gridByID[gridID] {
      return "\(index.villageName(ofGrid: grid))/\(grid.name)"
    }
    return index.data.villages.first?.name ?? ""
  }

  mutating func openPrintForm(preset: PrintJob? = nil) {
    guard printing.canRender else {
      show(PrintSectionText.notAvailable, isError: true)
      return
    }
    setOverlay(
      .printForm(
        FormScreen(
          form: PrintForm.make(
            last: preset ?? printing.lastJob, suggestedTarget: suggestedPrintTarget,
            defaultPrinter: printing.defaultPrinter))))
  }

  /// From a household's history: its forms filled from its latest visit, for its file.
  mutating func printHouseholdFile(householdID: String) {
    guard let household = index.householdByID[householdID] else { return }
    let grid = index.gridByID[household.gridID]
    var job =
      printing.lastJob
      ?? PrintJob(
        document: .formsFilled, level: .household, target: "",
        printer: printing.defaultPrinter ?? "", folder: PrintSectionText.defaultFolder)
    job.document = .formsFilled
    job.level = .household
    job.target = "\(index.villageName(ofGrid: grid))/\(household.number)"
    openPrintForm(preset: job)
  }

  mutating func handlePrintOverlay(_ overlay: Overlay, _ key: Key) -> [Effect] {
    switch overlay {
    case .printForm(var screen):
      if key == .escape {
        setOverlay(nil)
        return []
      }
      let outcome = screen.form.handle(key)
      setOverlay(.printForm(screen))
      guard case .submitted(let values) = outcome, let job = PrintForm.job(from: values) else {
        return []
      }
      printing.lastJob = job
      return [.planPrint(job)]
    case .confirmPrint(let dialog, let job):
      switch dialog.handle(key) {
      case .confirmed:
        setOverlay(nil)
        return [.runPrint(job)]
      case .cancelled:
        setOverlay(
          .printForm(
            FormScreen(
              form: PrintForm.make(
                last: job, suggestedTarget: suggestedPrintTarget,
                defaultPrinter: printing.defaultPrinter))))
      case .pending: break
      }
      return []
    default:
      return []
    }
  }

  /// The runner counted the pages: ask before writing anything.
  /// `gaps`: what will print as 未指定, said in the question before anything is printed.
  public mutating func printPlanned(_ job: PrintJob, pages: Int, gaps: [String] = []) {
    setOverlay(
      .confirmPrint(
        ConfirmDialog(
          title: PrintSectionText.confirmTitle,
          message: ([PrintSectionText.confirm(job, pages: pages)] + gaps).joined(separator: "\n"),
          confirmLabel: AppText.confirmYes, cancelLabel: AppText.confirmNo), job))
  }

  /// The job cannot be printed as asked (an unknown village, say): the form stays open.
  public mutating func printRefused(_ message: String) {
    show(message, isError: true)
  }

  /// The runner wrote the PDF and, if asked, sent it: say what happened.
  public mutating func printFinished(lines: [String], isError: Bool) {
    printing.lastResult = lines
    setOverlay(nil)
    show(lines.last ?? "", isError: isError)
  }
}

/// Draws the 打印 section: what it does, the key, and the last result.
enum PrintView {
  static func render(_ state: AppState, into buffer: inout ScreenBuffer, area: Rect) {
    buffer.write(PrintSectionText.title, x: 1, y: area.y, style: .title)
    var y = area.y + 2
    for line in PrintSectionText.intro {
      buffer.write(line, x: 3, y: y, maxWidth: area.width - 4)
      y += 1
    }
    y += 1
    buffer.write(PrintSectionText.start, x: 3, y: y, style: .key)
    y += 2
    if !state.printing.lastResult.isEmpty {
      buffer.write(PrintSectionText.lastResult, x: 3, y: y, style: .bold)
      y += 1
      // Results name long paths and CUPS' reasons: wrapped, never cut.
      let width = max(10, area.width - 6)
      for line in state.printing.lastResult {
        var rest = Substring(line)
        while !rest.isEmpty, y < area.maxY {
          let piece = String(rest).prefix(columns: width)
          buffer.write(piece, x: 5, y: y, maxWidth: width)
          rest = rest.dropFirst(max(1, piece.count))
          y += 1
        }
      }
    }
  }
}
