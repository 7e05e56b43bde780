import FiregridModel
import FiregridRepository
import FiregridStore
import Foundation
import TerminalUI

/// The message loop: draw the state, wait for an event, update, perform the effects.
/// The same loop runs over ncurses in the binary and over a `VirtualTerminal` in tests.
/// Effects that touch the data folder go through a `TownStore` (lock, backup, audit).
public final class AppRunner {
  public private(set) var state: AppState
  public private(set) var store: TownStore?
  private let terminal: Terminal
  private let folder: DataFolder
  private let clock: TownStore.Clock
  private let printer: (any DocumentPrinting)?

  public init(
    state: AppState, terminal: Terminal, folder: DataFolder, store: TownStore? = nil,
    clock: TownStore.Clock = .system, printer: (any DocumentPrinting)? = nil
  ) {
    self.state = state
    self.terminal = terminal
    self.folder = folder
    self.store = store
    self.clock = clock
    self.printer = printer
    self.state.printerDetected(canRender: printer != nil, defaultPrinter: printer?.defaultPrinter())
  }

  /// What the app shows of a store just opened.
  public static func present(_ store: TownStore, in state: inout AppState) {
    // Each winter's campaign is stored from the seed's template the first time it is needed.
    _ = try? store.ensureCampaign(on: state.today)
    var holder: String?
    switch store.access {
    case .readOnly(let lockHolder):
      holder = AppText.heldBy(lockHolder?.shortDescription ?? AppText.readOnlyUnknown)
    case .readOnlyFolder:
      holder = AppText.readOnlyFolder
    case .readWrite:
      break
    }
    state.townOpened(
      store.town, operatorName: store.operatorName, readOnlyHolder: holder,
      damaged: damagedInfo(store))
  }

  static func damagedInfo(_ store: TownStore) -> [AppState.DamagedFileInfo] {
    store.damaged.map { file in
      // The path is already on the line above; say only where and why it broke.
      var detail = file.error.message
      if case .unreadable(_, let whereItBroke) = file.error { detail = whereItBroke }
      return AppState.DamagedFileInfo(
        path: file.relativePath, detail: detail, backupDate: store.newestBackup(of: file))
    }
  }

  /// Runs until the user quits or the events end (a test script); returns the exit status.
  @discardableResult
  public func run() -> Int32 {
    draw()
    while let event = terminal.nextEvent() {
      for effect in state.update(event) {
        if case .quit(let status) = effect {
          store?.close()
          return status
        }
        perform(effect)
      }
      draw()
    }
    store?.close()
    return 0
  }

  private func perform(_ effect: Effect) {
    do {
      switch effect {
      case .quit:
        break
      case .createTown(let data, let operatorName):
        let created = try TownStore.create(
          folder: folder, town: data, operatorName: operatorName, clock: clock)
        store = created
        try? folder.saveLastOperator(operatorName)
        state.townCreated(created.town, operatorName: operatorName)
      case .login(let operatorName):
        let opened = try TownStore.open(folder: folder, operatorName: operatorName, clock: clock)
        store = opened
        try? folder.saveLastOperator(operatorName)
        Self.present(opened, in: &state)
      case .applyEdit(let outcome):
        guard let store else { return }
        try store.apply(outcome)
        state.editSaved(outcome)
      case .planImport(let path):
        planImport(path)
      case .saveVisitRecord(let record, let reason):
        guard let store else { return }
        try store.saveVisitRecord(record)
        state.visitRecordSaved(record, reason: reason)
      case .saveVisitWithNewVisitor(let record, let visitor, let reason):
        guard let store else { return }
        try store.saveVisitRecord(record, addingVisitor: visitor)
        state.visitorAdded(visitor)
        state.visitRecordSaved(record, reason: reason)
      case .saveContactLog(let log):
        guard let store else { return }
        try store.saveContactLog(log)
        state.contactLogsSaved(store.town.contactLogs[log.gridID] ?? [], gridID: log.gridID)
      case .openHistory(let householdID):
        // The audit log is read when an inspector asks, not kept in memory: it only grows.
        let entries =
          (try? AuditLog.entries(
            folder: folder.url, records: ["household/\(householdID)"],
            prefixes: ["visit/\(householdID)-", "hazard/\(householdID)-"])) ?? []
        state.historyLoaded(householdID: householdID, auditEntries: entries)
      case .planPrint(let job):
        guard let printer else { return }
        switch printer.pageCount(job, town: state.town) {
        case .success(let pages):
          state.printPlanned(job, pages: pages, gaps: printer.gaps(job, town: state.town))
        case .failure(let failure): state.printRefused(failure.message)
        }
      case .runPrint(let job):
        guard let printer else { return }
        runPrint(job, with: printer)
      case .recordAccess(let record):
        guard let store else { return }
        try store.recordAccess(to: record)
      case .checkFiles:
        guard let store else { return }
        store.findFilesOutsideTheJournal()
        state.filesChecked(Self.damagedInfo(store))
      case .restoreDamaged(let path):
        guard let store, let file = store.damaged.first(where: { $0.relativePath == path })
        else { return }
        let date = try store.restoreDamaged(file)
        state.damagedRestored(
          store.town, path: path, date: date, damaged: Self.damagedInfo(store))
      }
    } catch {
      state.effectFailed(StoreError.message(for: error))
    }
    if let notice = store?.takeNotice() { state.storeNotice(notice) }
  }

  /// Reads and checks a roster spreadsheet against the open town; writes nothing. An
  /// accepted file becomes one roster edit the clerk confirms (all or nothing).
  private func planImport(_ path: String) {
    guard let store else { return }
    let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      state.importChecked(
        refusal: ImportText.unreadable(url.path), rejectedRows: [], summary: "", edit: nil)
      return
    }
    let table: RosterCSV.Table
    do {
      table = try RosterCSV.parse([UInt8](data))
    } catch {
      state.importChecked(refusal: error.message, rejectedRows: [], summary: "", edit: nil)
      return
    }
    let plan = RosterCSV.plan(table, into: store.town)
    if !plan.isAccepted {
      state.importChecked(
        refusal: nil, rejectedRows: plan.problems.map(\.description),
        summary: ImportText.rejected(plan.rejectedRowCount, url.lastPathComponent), edit: nil)
      return
    }
    let summary = ImportText.summary(
      file: url.lastPathComponent, villages: plan.newVillages.count, grids: plan.newGrids.count,
      households: plan.newHouseholds.count, persons: plan.newPersonCount,
      unchanged: plan.unchangedHouseholds)
    let edit =
      plan.hasChanges
      ? RosterEdit.Outcome(
        town: plan.town, changedHouseholds: plan.newHouseholds, townRecordsChanged: true,
        warnings: plan.warnings.map(\.description)) : nil
    state.importChecked(refusal: nil, rejectedRows: [], summary: summary, edit: edit)
  }

  /// Renders the PDF, then sends it when a printer is named; a printer that fails leaves the
  /// PDF saved and says where.
  private func runPrint(_ job: PrintJob, with printer: any DocumentPrinting) {
    let rendered: (path: String, pages: Int)
    switch printer.render(job, town: state.town) {
    case .success(let result): rendered = result
    case .failure(let failure):
      state.printFinished(lines: [failure.message], isError: true)
      return
    }
    let saved = PrintSectionText.saved(rendered.path, rendered.pages)
    guard !job.printer.isEmpty else {
      state.printFinished(lines: [saved], isError: false)
      return
    }
    switch printer.send(path: rendered.path, printer: job.printer) {
    case .success(let jobID):
      state.printFinished(
        lines: [saved, PrintSectionText.printed(job.printer, jobID)], isError: false)
    case .failure(let failure):
      state.printFinished(
        lines: [PrintSectionText.printFailedSaved(failure.message, rendered.path)], isError: true)
    }
  }

  private func draw() {
    let (buffer, cursor) = AppView.render(state)
    terminal.present(buffer, cursor: cursor)
  }
}
