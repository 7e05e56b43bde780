import FiregridModel
import TerminalUI

/// Whether PDFs can be made here, and where they would print by default.
public struct PrintAvailability: Equatable, Sendable {
  /// Whether CUPS was asked for its default printer: once, when printing is first opened.
  public enum PrinterLookup: Equatable, Sendable { case notAsked, asking, done }

  public var canRender = false
  /// The CUPS default printer, once it is known (nil: none, or not asked yet).
  public var defaultPrinter: String?
  public var printerLookup = PrinterLookup.notAsked
  /// The last job and what came of it, shown in the section.
  public var lastJob: PrintJob?
  public var lastResult: [String] = []
  public init(canRender: Bool = false, defaultPrinter: String? = nil) {
    self.canRender = canRender
    self.defaultPrinter = defaultPrinter
  }
}

/// 打印 under its tab: what it does, and the last job's result. Enter or p opens the form.
struct PrintScreen: SectionScreen {
  enum Action { case open }
  static let keymap = Keymap<Action>([
    (KeyBinding([.enter, .character("p")], "Enter/p", PrintSectionText.keyPrint), .open)
  ])

  mutating func handle(_ key: Key, in context: AppContext) -> [Message]? {
    Self.keymap.action(for: key).map { _ in [.openPrintForm(preset: nil)] }
  }

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  func render(into buffer: inout ScreenBuffer, area: Rect, context: AppContext) -> (
    x: Int, y: Int
  )? {
    PrintView.render(context.printing, into: &buffer, area: area)
    return nil
  }
}

/// What to print and for whom; Ctrl-S counts the pages and asks before printing. Opened
/// before CUPS has said which printer is the default, it fills the printer in when it does
/// (the progress line says 正在查找打印机 meanwhile), unless the clerk typed one.
struct PrintFormOverlay: Overlay {
  var form: Form
  /// The values it opened with (what `isDirty` compares with).
  private var initialValues: [String: String]
  /// Opened with no printer while CUPS was still to answer.
  private var waitingForPrinter: Bool
  var isDirty: Bool { form.isDirty }
  var takesText: Bool { true }

  init(job: PrintJob?, context: AppContext) {
    form = PrintForm.make(
      last: job ?? context.printing.lastJob, suggestedTarget: context.suggestedPrintTarget,
      defaultPrinter: context.printing.defaultPrinter)
    initialValues = form.values
    waitingForPrinter =
      context.printing.printerLookup != .done && form.value(PrintForm.printerField).isEmpty
  }

  /// CUPS answered: the default printer fills the empty printer field, as if the form had
  /// opened with it (what the clerk changed meanwhile is kept).
  mutating func printerFound(_ name: String?) {
    guard waitingForPrinter else { return }
    waitingForPrinter = false
    guard let name, form.value(PrintForm.printerField).isEmpty else { return }
    var initial = initialValues
    initial[PrintForm.printerField] = name
    var filled = PrintForm.make(values: initial)
    for (id, value) in form.values where value != initialValues[id] {
      filled.setValue(value, for: id)
    }
    for (id, error) in form.errors { filled.setError(error, for: id) }
    filled.focus = form.focus
    form = filled
    initialValues = initial
  }

  func bindings(in context: AppContext) -> [KeyBinding] { FormKeys.standard.bindings }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    if FormKeys.standard.action(for: key) == .cancel { return [.dismiss] }
    guard case .submitted(let values) = form.handle(key), let job = PrintForm.job(from: values)
    else { return [] }
    return [.run(.planPrint(job, context.index.data))]
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    FormKeys.render(form, into: &buffer, body: area.body)
  }
}

extension AppContext {
  /// The grid the clerk is working on in 敲门走访, else the first village.
  var suggestedPrintTarget: String {
    if let gridID = visitsGridID, let grid = index.gridByID[gridID] {
      return "\(index.villageName(ofGrid: grid))/\(grid.name)"
    }
    return index.data.villages.first?.name ?? ""
  }

  /// From a household's history: its forms filled from its latest visit, for its file.
  func householdFileJob(_ householdID: String) -> PrintJob? {
    guard let household = index.householdByID[householdID] else { return nil }
    let grid = index.gridByID[household.gridID]
    var job =
      printing.lastJob
      ?? PrintJob(
        document: .formsFilled, level: .household, target: "",
        printer: printing.defaultPrinter ?? "", folder: PrintSectionText.defaultFolder)
    job.document = .formsFilled
    job.level = .household
    job.target = "\(index.villageName(ofGrid: grid))/\(household.number)"
    return job
  }
}

/// Draws the 打印 section: what it does, the key, and the last result.
enum PrintView {
  static func render(_ printing: PrintAvailability, into buffer: inout ScreenBuffer, area: Rect) {
    buffer.write(PrintSectionText.title, x: 1, y: area.y, style: .title)
    var y = area.y + 2
    for line in PrintSectionText.intro {
      buffer.write(line, x: 3, y: y, maxWidth: area.width - 4)
      y += 1
    }
    y += 1
    buffer.write(PrintSectionText.start, x: 3, y: y, style: .key)
    y += 2
    if !printing.lastResult.isEmpty {
      buffer.write(PrintSectionText.lastResult, x: 3, y: y, style: .bold)
      y += 1
      // Results name long paths and CUPS' reasons: wrapped, never cut.
      let width = max(10, area.width - 6)
      for line in printing.lastResult {
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
