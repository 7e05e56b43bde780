import FiregridModel
import FiregridRepository
import Foundation
import TerminalUI

/// The message loop: draw the state, wait for an event, update, hand the effects to a worker
/// thread, and feed what comes of them back through `update`. The same loop runs over ncurses
/// in the binary and over a `VirtualTerminal` in tests. The worker owns the repository (the
/// town's store), the spreadsheet reader and the printer, so a slow backup, save or PDF never
/// holds up the keys.
public final class AppRunner {
  public private(set) var state: AppState
  private let terminal: Terminal
  private let worker: EffectWorker
  private let settling: Settling
  private let today: (@Sendable () -> CivilDate)?
  private let trace: (@Sendable (String) -> Void)?

  /// What the loop waits for before it reads the next key.
  public enum Settling: Sendable {
    /// The effects the next key depends on (`Effect.keysWait`): a save, an opening, a screen
    /// being loaded. The backup and a PDF being made let the keys through. The binary.
    case keysWait
    /// Every effect (a test script that looks at a print job's result, say).
    case everything
  }

  /// - Parameters:
  ///   - location: where the town is opened or created (the login and setup effects).
  ///   - repository: a town already open, if any.
  ///   - today: the calendar day now; nil keeps the state's day (a test's pinned day).
  ///   - trace: told of the start-up stages reached here ("first-frame", "backup-started" on
  ///     the worker, "idle": the first wait for a key that timed out), for the binary's
  ///     start-up trace that the signal test pauses at; nil for the rest.
  public init(
    state: AppState, terminal: Terminal, location: any TownLocation,
    repository: (any TownRepository)? = nil, importer: any RosterImporting,
    premisesImporter: (any PremisesImporting)? = nil,
    printer: (any DocumentPrinting)? = nil, reports: (any ReportWriting)? = nil,
    settling: Settling = .keysWait,
    today: (@Sendable () -> CivilDate)? = nil,
    trace: (@Sendable (String) -> Void)? = nil
  ) {
    self.state = state
    self.terminal = terminal
    self.settling = settling
    self.today = today
    self.trace = trace
    worker = EffectWorker(
      location: location, repository: repository, importer: importer,
      premisesImporter: premisesImporter, printer: printer, reports: reports, trace: trace)
    // The default printer is asked on the worker when printing is first opened, not here.
    self.state.printerDetected(canRender: printer != nil)
    self.state.exportDetected(canWrite: reports != nil)
  }

  /// What the app shows of a repository just opened.
  public static func opened(_ repository: any TownRepository, created: Bool = false)
    -> OpenedTown
  {
    var holder: String?
    switch repository.access {
    case .heldByAnother(let who): holder = AppText.heldBy(who ?? AppText.readOnlyUnknown)
    case .readOnlyStorage: holder = AppText.readOnlyFolder
    case .readOnlyAccount(let reason): holder = reason
    case .readWrite: break
    }
    return OpenedTown(
      town: repository.town, operatorName: repository.operatorName, readOnlyHolder: holder,
      damaged: repository.damaged, created: created,
      pendingRecords: repository.pendingRecordCount, loadingNote: repository.loadingNote)
  }

  /// What the app shows of a repository opened before the loop (a test's): its winter's
  /// campaign stored, the town shown; nothing is started.
  public static func present(_ repository: any TownRepository, in state: inout AppState) {
    try? repository.finishLoading(progress: { _ in })
    _ = try? repository.ensureCampaign(on: state.today)
    state.showOpened(opened(repository))
  }

  /// Shows a repository opened before the loop starts (the command line opened it, and
  /// stored the winter's campaign), and starts what follows an opening (the day's backup).
  public func present(_ repository: any TownRepository) {
    worker.adopt(repository)
    perform(state.receive(.townOpened(Self.opened(repository))))
  }

  /// Runs until the user quits or the events end (a test script); returns the exit status.
  @discardableResult
  public func run() -> Int32 {
    draw()
    trace?("first-frame")
    var idled = false
    var status: Int32?
    while status == nil {
      status = deliver(worker.inbox.take())
      if status != nil { break }
      if let today, case let day = today(), day != state.today {
        status = perform(state.dayChanged(to: day))
        if status != nil { break }
      }
      settle()
      guard let event = terminal.nextEvent() else { break }
      if case .idle = event, !idled {
        idled = true
        trace?("idle")
      }
      if let message = Message(event) { status = perform(state.update(message)) }
      draw()
    }
    // Whatever is being written (a save, an audit line, a PDF) is finished before the
    // program ends. When the clerk quits, a backup still copying is left: its half-made copy
    // is in a temporary folder the next backup removes, and the lock goes with the process.
    let abandoning: (Effect) -> Bool =
      status == nil
      ? { _ in false }
      : {
        switch $0 {
        // Reading the rest of the town writes nothing: the program need not wait for it.
        case .takeBackup, .finishLoading: true
        default: false
        }
      }
    while worker.inbox.isBusy(ignoring: abandoning) {
      _ = deliver(worker.inbox.waitForAny(), startingMore: false)
    }
    _ = deliver(worker.inbox.take(), startingMore: false)
    if !worker.inbox.isBusy { worker.close() }
    draw()
    return status ?? 0
  }

  /// Waits, as `settling` says, for effects to finish before the next event. The screen
  /// is redrawn with every result meanwhile (the backup's count moves).
  private func settle() {
    let ignoring: (Effect) -> Bool
    switch settling {
    case .keysWait: ignoring = { !$0.keysWait }
    case .everything: ignoring = { _ in false }
    }
    while worker.inbox.isBusy(ignoring: ignoring) {
      _ = deliver(worker.inbox.waitForAny())
    }
  }

  /// Feeds finished work back through `update`; returns an exit status when one was asked.
  @discardableResult
  private func deliver(_ items: [EffectWorker.Item], startingMore: Bool = true) -> Int32? {
    var status: Int32?
    for item in items {
      let effects: [Effect]
      switch item {
      case .result(let result): effects = state.receive(result)
      case .finished(let effect): effects = state.finished(effect)
      }
      if startingMore, status == nil { status = perform(effects) }
    }
    if !items.isEmpty { draw() }
    return status
  }

  /// Hands effects to the worker; returns the exit status when one of them is `.quit`.
  @discardableResult
  private func perform(_ effects: [Effect]) -> Int32? {
    for effect in effects {
      if case .quit(let status) = effect { return status }
      worker.submit(effect, day: state.today)
    }
    return nil
  }

  private func draw() {
    let (buffer, cursor) = AppView.render(state)
    terminal.present(buffer, cursor: cursor)
  }
}

/// Performs effects on one background thread, one at a time in the order given, and posts
/// what came of each to `inbox`. Everything it holds (the repository above all) is touched
/// only on `queue`: that confinement is why it may be `@unchecked Sendable`.
final class EffectWorker: @unchecked Sendable {
  enum Item: Sendable {
    case result(EffectResult)
    case finished(Effect)
  }

  let inbox = Inbox()
  private let queue = DispatchQueue(label: "firegrid.effects")
  private let location: any TownLocation
  private var repository: (any TownRepository)?
  private let importer: any RosterImporting
  private let premisesImporter: (any PremisesImporting)?
  private let printer: (any DocumentPrinting)?
  private let reports: (any ReportWriting)?
  private let trace: (@Sendable (String) -> Void)?

  init(
    location: any TownLocation, repository: (any TownRepository)?,
    importer: any RosterImporting, premisesImporter: (any PremisesImporting)?,
    printer: (any DocumentPrinting)?, reports: (any ReportWriting)?,
    trace: (@Sendable (String) -> Void)? = nil
  ) {
    self.trace = trace
    self.location = location
    self.repository = repository
    self.importer = importer
    self.premisesImporter = premisesImporter
    self.printer = printer
    self.reports = reports
  }

  /// A repository opened by the caller, before anything is queued.
  func adopt(_ repository: any TownRepository) {
    queue.sync {
      self.repository = repository
      watch(repository)
    }
  }

  /// On `queue`: other clerks' changes to the town (a shared database) come to the inbox as
  /// `.outsideChanges`, posted from the repository's own listening thread; the loop takes
  /// them on its next turn (at the latest the next idle tick, 100 ms).
  private func watch(_ repository: any TownRepository) {
    let inbox = self.inbox
    do {
      _ = try repository.watchOutsideChanges { inbox.post([.result(.outsideChanges)]) }
    } catch {
      inbox.post([.result(.notice(AppText.cannotWatch(repositoryMessage(for: error))))])
    }
  }

  /// Runs `effect` after those before it; `day` is the app's today when it was asked.
  func submit(_ effect: Effect, day: CivilDate) {
    inbox.started(effect)
    // The search index needs only the town it is given: it is built beside the store's
    // work, so a save or the backup never waits for it, nor it for them.
    if case .buildSearchIndex(let town) = effect {
      let inbox = self.inbox
      DispatchQueue.global(qos: .utility).async {
        let search = TownSearch(town)
        inbox.post([.result(.searchIndexBuilt(search, basis: town)), .finished(effect)])
      }
      return
    }
    queue.async {
      if case .takeBackup = effect { self.trace?("backup-started") }
      let results = self.perform(effect, day: day)
      if case .finishLoading = effect { self.trace?("records-loaded") }
      self.inbox.post(results.map { .result($0) } + [.finished(effect)])
    }
  }

  func close() {
    queue.sync {
      repository?.close()
      repository = nil
    }
  }

  /// On `queue`: does the effect; what came of it.
  private func perform(_ effect: Effect, day: CivilDate) -> [EffectResult] {
    var results: [EffectResult]
    do {
      results = try self.results(of: effect, day: day)
    } catch {
      results = [.failed(repositoryMessage(for: error))]
    }
    // Whatever came of it, what the store has to add (a write deferred, no backup) follows.
    if let notice = repository?.takeNotice() { results.append(.notice(notice)) }
    return results
  }

  private func results(of effect: Effect, day: CivilDate) throws -> [EffectResult] {
    switch effect {
    case .quit, .buildSearchIndex:
      return []
    case .createTown(let data, let operatorName):
      let created = try location.create(data, operatorName: operatorName)
      return opened(created, operatorName: operatorName, created: true, day: day)
    case .login(let operatorName):
      let opened = try location.open(operatorName: operatorName, deferringRecords: true)
      return self.opened(opened, operatorName: operatorName, created: false, day: day)
    case .refreshTown:
      guard let repository, try repository.refresh() else { return [] }
      return [.townRefreshed(AppRunner.opened(repository))]
    case .finishLoading(let day):
      guard let repository else { return [] }
      let inbox = self.inbox
      try repository.finishLoading { done in
        inbox.post([.result(.loadProgress(done: done))])
      }
      // Each winter's campaign is stored from the seed's template the first time it is needed.
      _ = try? repository.ensureCampaign(on: day)
      return [.townLoaded(AppRunner.opened(repository))]
    case .takeBackup(let day):
      guard let repository, repository.access == .readWrite else { return [] }
      let inbox = self.inbox
      try repository.takeDailyBackup(on: day) { progress in
        inbox.post([.result(.backupProgress(progress))])
      }
      return []
    case .applyEdit(let outcome):
      guard let repository else { return [] }
      try repository.apply(outcome)
      return [.editSaved(outcome)]
    case .planImport(let path):
      guard let repository else { return [] }
      return [.importChecked(importer.check(path: path, against: repository.town))]
    case .saveVisitRecord(let record, let reason):
      guard let repository else { return [] }
      try repository.saveVisitRecord(record, addingVisitor: nil)
      return [.visitRecordSaved(record, reason, newVisitor: nil)]
    case .saveVisitWithNewVisitor(let record, let visitor, let reason):
      guard let repository else { return [] }
      try repository.saveVisitRecord(record, addingVisitor: visitor)
      return [.visitRecordSaved(record, reason, newVisitor: visitor)]
    case .saveContactLog(let log):
      guard let repository else { return [] }
      try repository.saveContactLog(log)
      return [.contactLogsSaved(repository.town.contactLogs[log.gridID] ?? [], gridID: log.gridID)]
    case .saveSupervision(let supervision, let message):
      guard let repository else { return [] }
      try repository.saveSupervision(supervision)
      return [.supervisionSaved(repository.town.supervision, message: message)]
    case .drawSample(let round, let perVillage, let premisesPerVillage, let seed, let day):
      guard let repository else { return [] }
      // The one impure step of a sample: a seed nobody chose, printed on the sheet so the
      // same list can be drawn again by anyone.
      let seed = seed ?? Int.random(in: 1...SpotCheckSampling.maximumSeed)
      var supervision = repository.town.supervision
      let sample = SpotCheckSample(
        id: supervision.nextSampleID(), round: round, perVillage: perVillage, seed: seed,
        drawnOn: day, drawnBy: repository.operatorName,
        householdIDs: SpotCheckSampling.draw(
          round: round, perVillage: perVillage, seed: seed, town: repository.town),
        premisesPerVillage: premisesPerVillage,
        premisesIDs: SpotCheckSampling.drawPremises(
          round: round, perVillage: premisesPerVillage, seed: seed, town: repository.town))
      supervision.samples.append(sample)
      try repository.saveSupervision(supervision)
      return [
        .supervisionSaved(repository.town.supervision, message: SupervisionScreenText.drawn(sample))
      ]
    case .savePremises(let premises, let select, let message):
      guard let repository else { return [] }
      try repository.savePremises(premises)
      return [.premisesSaved(repository.town, message: message, select: select)]
    case .planPremisesImport(let path):
      guard let repository else { return [] }
      guard let premisesImporter else { return [.failed(PremisesScreenText.importNotAvailable)] }
      return [.premisesImportChecked(premisesImporter.check(path: path, against: repository.town))]
    case .archivePremises(let id):
      guard let repository else { return [] }
      let name = repository.town.premises(id: id)?.name ?? id
      try repository.archivePremises(id: id)
      return [
        .premisesSaved(repository.town, message: PremisesScreenText.archived(name), select: nil)
      ]
    case .saveInspectionRecord(let record, let reason):
      guard let repository else { return [] }
      try repository.saveInspectionRecord(record)
      return [.inspectionRecordSaved(record, reason)]
    case .openPremisesHistory(let premisesID):
      let entries = (try? repository?.history(ofPremises: premisesID)) ?? nil
      return [.premisesHistoryLoaded(premisesID: premisesID, entries ?? [])]
    case .openHistory(let householdID):
      // The history is read when an inspector asks (the store reads only its lines, through
      // the audit log's index), not kept in the app: it only grows.
      let entries = (try? repository?.history(ofHousehold: householdID)) ?? nil
      return [.historyLoaded(householdID: householdID, entries ?? [])]
    case .findDefaultPrinter:
      return [.defaultPrinterFound(printer?.defaultPrinter())]
    case .planPrint(let job, let town):
      guard let printer else { return [] }
      switch printer.pageCount(job, town: town) {
      case .success(let pages):
        return [.printPlanned(job, pages: pages, gaps: printer.gaps(job, town: town))]
      case .failure(let failure): return [.printRefused(failure.message)]
      }
    case .runPrint(let job, let town):
      guard let printer else { return [] }
      return [Self.print(job, town: town, with: printer)]
    case .writeReport(let report, let path):
      return Self.written(reports.map { $0.write(report, to: path) })
    case .writeRequestedReport(let request, let town):
      return Self.written(reports.map { $0.write(request, town: town) })
    case .recordAccess(let record):
      try repository?.recordAccess(to: record)
      return []
    case .checkFiles:
      guard let repository else { return [] }
      repository.checkRecords()
      return [.filesChecked(repository.damaged)]
    case .restoreDamaged(let reference):
      guard let repository,
        let record = repository.damaged.first(where: { $0.reference == reference })
      else { return [] }
      let source = try repository.restore(reference)
      return [
        .damagedRestored(
          repository.town, label: record.label, source: source, damaged: repository.damaged)
      ]
    }
  }

  private func opened(
    _ opened: any TownRepository, operatorName: String, created: Bool, day: CivilDate
  ) -> [EffectResult] {
    repository?.close()
    repository = opened
    location.saveLastOperator(operatorName)
    // Each winter's campaign is stored from the seed's template the first time it is needed
    // (after the rest is read, when the open deferred it).
    if opened.pendingRecordCount == 0 { _ = try? opened.ensureCampaign(on: day) }
    watch(opened)
    return [.townOpened(AppRunner.opened(opened, created: created))]
  }

  /// What came of writing a report or a list (nil: this program has no writer).
  private static func written(_ result: Result<String, PrintFailure>?) -> [EffectResult] {
    switch result {
    case nil: return [.failed(ExportText.notAvailable)]
    case .success(let path)?: return [.reportWritten(path: path)]
    case .failure(let failure)?: return [.printRefused(failure.message)]
    }
  }

  /// Renders the PDF, then sends it when a printer is named; a printer that fails leaves the
  /// PDF saved and says where.
  private static func print(_ job: PrintJob, town: TownData, with printer: any DocumentPrinting)
    -> EffectResult
  {
    let rendered: (path: String, pages: Int)
    switch printer.render(job, town: town) {
    case .success(let result): rendered = result
    case .failure(let failure): return .printFinished(lines: [failure.message], isError: true)
    }
    let saved = PrintSectionText.saved(rendered.path, rendered.pages)
    guard !job.printer.isEmpty else { return .printFinished(lines: [saved], isError: false) }
    switch printer.send(path: rendered.path, printer: job.printer) {
    case .success(let jobID):
      return .printFinished(
        lines: [saved, PrintSectionText.printed(job.printer, jobID)], isError: false)
    case .failure(let failure):
      return .printFinished(
        lines: [PrintSectionText.printFailedSaved(failure.message, rendered.path)], isError: true)
    }
  }
}

/// Where the worker leaves what it finished, for the UI loop to take. Guarded by a condition
/// so the loop can also wait for it (a test script settling, the program ending).
final class Inbox: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [EffectWorker.Item] = []
  /// Effects handed to the worker and not yet finished.
  private var outstanding: [Effect] = []

  func started(_ effect: Effect) {
    condition.lock()
    outstanding.append(effect)
    condition.unlock()
  }

  func post(_ new: [EffectWorker.Item]) {
    condition.lock()
    items.append(contentsOf: new)
    for case .finished(let effect) in new {
      if let position = outstanding.firstIndex(of: effect) { outstanding.remove(at: position) }
    }
    condition.broadcast()
    condition.unlock()
  }

  /// Everything posted so far (nothing if nothing is).
  func take() -> [EffectWorker.Item] {
    condition.lock()
    defer { condition.unlock() }
    let taken = items
    items = []
    return taken
  }

  /// Whether effects are outstanding or results untaken.
  var isBusy: Bool { isBusy(ignoring: { _ in false }) }

  func isBusy(ignoring: (Effect) -> Bool) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    return !items.isEmpty || outstanding.contains { !ignoring($0) }
  }

  /// Waits until something is posted (or nothing is outstanding), then takes it.
  func waitForAny() -> [EffectWorker.Item] {
    condition.lock()
    while items.isEmpty && !outstanding.isEmpty { condition.wait() }
    let taken = items
    items = []
    condition.unlock()
    return taken
  }
}
