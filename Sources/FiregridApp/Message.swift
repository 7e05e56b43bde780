import FiregridModel
import FiregridRepository
import TerminalUI

/// Everything `AppState.update` acts on: what the terminal delivered, what a component asks
/// for after a key, and what came of an effect. One loop, one entry point: a key press, a save
/// finishing and a new day all arrive here, so tests drive the whole app through `update`.
enum Message {
  // MARK: From the terminal and the clock
  case key(Key)
  case resize(Size)
  case terminate(signal: Int32)
  /// The calendar day changed while the program ran (past midnight).
  case dayChanged(CivilDate)
  /// An effect's outcome, delivered on the UI loop.
  case result(EffectResult)
  /// The runner finished an effect (whatever came of it): the progress line forgets it.
  case finished(Effect)

  // MARK: From components
  /// The one-line message under the content.
  case show(String, isError: Bool)
  /// Puts a component over the screen; it takes the keys until dismissed.
  case present(any Overlay)
  /// Takes the top component away.
  case dismiss
  /// Asks the runner to do something (files, printing, quitting).
  case run(Effect)
  case goTo(Section)
  case openVisitForm(householdID: String)
  /// A premises' inspection form (附件4 or 附件5).
  case openInspectionForm(premisesID: String)
  case openPrintForm(preset: PrintJob?)
  /// Shows a search hit in the roster.
  case jump(SearchHit)
  /// q or Esc at the top: leave, asking first if something typed would be lost.
  case requestQuit
  /// Y: the next earlier winter.
  case switchWinter
  /// Selects a household in 敲门走访's list (the next form of a stack of papers).
  case selectInVisits(householdID: String)
  /// 督查's notices drawn up as of this day (`d`).
  case setNoticesDeadline(CivilDate)
  /// Takes a saved visit back (asked first), from the town as it is now.
  case takeBackVisit(householdID: String, visitID: String)

  /// What a terminal event is to `update`; nil for `.idle` (nothing happened).
  init?(_ event: Event) {
    switch event {
    case .key(let key): self = .key(key)
    case .resize(let size): self = .resize(size)
    case .terminate(let signal): self = .terminate(signal: signal)
    case .idle: return nil
    }
  }

  static func info(_ text: String) -> Message { .show(text, isError: false) }
  static func error(_ text: String) -> Message { .show(text, isError: true) }
}

/// What the application asks the runner to do. `AppState.update` only changes state and
/// returns effects; the runner performs them off the UI loop and sends back `EffectResult`s.
public enum Effect: Equatable, Sendable {
  /// Write a new town into the empty location (first-run setup), working as `operatorName`.
  case createTown(TownData, operatorName: String)
  /// Open the town as this operator (after the start-up question).
  case login(operatorName: String)
  /// Read what the open left for after the first screen (visits, contacts, the archive),
  /// then store the winter's campaign of `day` if it is not yet.
  case finishLoading(CivilDate)
  /// Take the day's backup if it has none (after opening, and when the day changes).
  case takeBackup(CivilDate)
  /// Build the town search's index from this town, off the UI loop and beside the store's
  /// work (it reads nothing but the town given), so the first `/` finds it ready.
  case buildSearchIndex(TownData)
  /// Read the town again: another clerk changed it (`EffectResult.outsideChanges`). The keys
  /// wait for it, so no change is made from the town as it was before.
  case refreshTown
  /// Replace a damaged record with the copy its repair source holds.
  case restoreDamaged(RecordReference)
  /// Personal data of `record` was shown in full (`m`): one audit line says who and when.
  case recordAccess(record: String)
  /// Compare the stored records with the journal: records missing or changed outside the
  /// program join the damaged list (`D`).
  case checkFiles
  /// Write a roster edit the model accepted.
  case applyEdit(RosterEdit.Outcome)
  /// Read a roster spreadsheet and check it against the town (nothing is written yet).
  case planImport(path: String)
  /// Write a household's visits and hazards after a visit, a hazard entry or an undo.
  case saveVisitRecord(VisitRecord, VisitSaveReason)
  /// A visit by someone not yet on the roster: the visitor is added with it, in one change.
  case saveVisitWithNewVisitor(VisitRecord, Visitor, VisitSaveReason)
  /// Write one week of a grid's contact log.
  case saveContactLog(ContactLog)
  /// Read the household's history and show it.
  case openHistory(householdID: String)
  /// Write premises (new, changed or moved; or a whole import) as one change; `select` is
  /// the one to select in the list after.
  case savePremises([Premises], select: String?, message: String)
  /// Take a premises off the roster with its inspections (archived, never deleted).
  case archivePremises(id: String)
  /// Write a premises' inspections and hazards after an inspection, a hazard entry or an undo.
  case saveInspectionRecord(VisitRecord, VisitSaveReason)
  /// Read the premises' history and show it.
  case openPremisesHistory(premisesID: String)
  /// Read a premises spreadsheet and check it against the town (nothing is written yet).
  case planPremisesImport(path: String)
  /// Write the town's supervision records (督查); `message` says what was saved.
  case saveSupervision(SupervisionData, message: String)
  /// Draw a spot-check sample of round `round` (`seed` nil: a random one, drawn here, off the
  /// pure update) and record it, drawn on `day`.
  case drawSample(round: Int, perVillage: Int, premisesPerVillage: Int, seed: Int?, day: CivilDate)
  /// Ask CUPS for the default printer (once, when printing is first opened: it can take a
  /// while, so never at start and never on the UI loop).
  case findDefaultPrinter
  /// Count the pages of a print job (nothing is written yet).
  /// The town is the one on screen: what is printed is what the clerk sees.
  case planPrint(PrintJob, TownData)
  /// Render the job to a PDF and, if a printer is named, send it.
  case runPrint(PrintJob, TownData)
  /// Write a report or a list to a file (the format from its extension).
  case writeReport(Report, path: String)
  /// Build a report the county asks for from the town on screen and write it.
  case writeRequestedReport(ReportRequest, TownData)
  /// Leave the run loop with this exit status (after any write in progress has finished).
  case quit(status: Int32)

  /// Whether it changes the town: one at a time, and the clerk waits for it.
  var writes: Bool {
    switch self {
    case .createTown, .restoreDamaged, .applyEdit, .saveVisitRecord, .saveVisitWithNewVisitor,
      .saveContactLog, .saveSupervision, .drawSample, .savePremises, .archivePremises,
      .saveInspectionRecord:
      return true
    default: return false
    }
  }

  /// Whether the keys typed after it must wait for it: a save, an opening, or anything whose
  /// result opens a screen (a history, a question). Typed ahead, those keys stay in the
  /// terminal's buffer and go to the screen the result leaves, as they would on paper. The
  /// backup, a PDF being made and an audit line let the keys through.
  var keysWait: Bool {
    switch self {
    case .takeBackup, .runPrint, .writeReport, .writeRequestedReport, .recordAccess, .quit,
      .findDefaultPrinter:
      return false
    // The roster is live while the rest loads; keys for what is not loaded yet are kept by
    // the state and replayed when it is (`AppState.deferredKeys`).
    case .finishLoading, .buildSearchIndex:
      return false
    default: return true
    }
  }

  /// What the progress line says while it runs; nil for what is over in a blink.
  var activity: String? {
    switch self {
    case .createTown, .login: return AppText.busyOpening
    case .finishLoading: return AppText.busyLoading
    case .takeBackup: return AppText.busyBackup
    case .applyEdit, .saveVisitRecord, .saveVisitWithNewVisitor, .saveContactLog,
      .restoreDamaged, .saveSupervision, .drawSample, .savePremises, .archivePremises,
      .saveInspectionRecord:
      return AppText.busySaving
    case .checkFiles: return AppText.busyChecking
    case .planImport: return AppText.busyImport
    case .planPremisesImport: return PremisesScreenText.busyImport
    case .openHistory, .openPremisesHistory: return AppText.busyHistory
    case .planPrint, .runPrint: return AppText.busyPrinting
    case .findDefaultPrinter: return PrintSectionText.findingPrinter
    case .writeReport: return ExportText.busy
    case .writeRequestedReport: return ReportFormText.busy
    case .recordAccess, .quit, .buildSearchIndex, .refreshTown: return nil
    }
  }
}

/// Why a household's visit record is being written, so the state knows what to do after.
public enum VisitSaveReason: Equatable, Sendable {
  /// A paper form was entered; `next` opens the grid's next household's form afterwards.
  case visit(visitID: String, next: Bool)
  /// An office entry on a hazard.
  case hazardUpdate(hazardID: String)
  /// The last visit saved was taken back.
  case undo(visitID: String)
}

/// A town just opened or created, as the app shows it.
public struct OpenedTown: Sendable {
  public var town: TownData
  public var operatorName: String
  /// Why it is open only to be read, in words; nil when it can be edited.
  public var readOnlyHolder: String?
  public var damaged: [DamagedRecord]
  public var created: Bool
  /// Files still to be read after this first screen (visits, contacts…); 0 when all are.
  public var pendingRecords: Int
  /// Why the load is slower than it could be (no checkpoint), said while it runs.
  public var loadingNote: String?

  public init(
    town: TownData, operatorName: String, readOnlyHolder: String?, damaged: [DamagedRecord],
    created: Bool = false, pendingRecords: Int = 0, loadingNote: String? = nil
  ) {
    self.loadingNote = loadingNote
    self.town = town
    self.operatorName = operatorName
    self.readOnlyHolder = readOnlyHolder
    self.damaged = damaged
    self.created = created
    self.pendingRecords = pendingRecords
  }
}

/// What came of an effect, sent back to `update` as `.result`.
public enum EffectResult: Sendable {
  case townOpened(OpenedTown)
  /// How many of the files a deferred open left have been read.
  case loadProgress(done: Int)
  /// The rest of the town is read: every section is live.
  case townLoaded(OpenedTown)
  /// Another clerk saved a change to the town (a shared database): read it when nothing of
  /// this one's is being written or typed.
  case outsideChanges
  /// The town as read again after another clerk's change.
  case townRefreshed(OpenedTown)
  /// The search index, built from `basis` (used if the roster is still that one).
  case searchIndexBuilt(TownSearch, basis: TownData)
  case editSaved(RosterEdit.Outcome)
  case importChecked(RosterImportCheck)
  case visitRecordSaved(VisitRecord, VisitSaveReason, newVisitor: Visitor?)
  case contactLogsSaved([ContactLog], gridID: String)
  /// The supervision records as saved, and what to say.
  case supervisionSaved(SupervisionData, message: String)
  case historyLoaded(householdID: String, [HistoryEntry])
  /// The premises as the store holds them after a save, a move or an archive (the town's
  /// premises and their records are taken from it), what to say, and what to select.
  case premisesSaved(TownData, message: String, select: String?)
  case inspectionRecordSaved(VisitRecord, VisitSaveReason)
  case premisesHistoryLoaded(premisesID: String, [HistoryEntry])
  case premisesImportChecked(PremisesImportCheck)
  /// The CUPS default printer (nil: none).
  case defaultPrinterFound(String?)
  case printPlanned(PrintJob, pages: Int, gaps: [String])
  case printRefused(String)
  case printFinished(lines: [String], isError: Bool)
  /// A report or list was written to this path.
  case reportWritten(path: String)
  case filesChecked([DamagedRecord])
  case damagedRestored(TownData, label: String, source: String, damaged: [DamagedRecord])
  case backupProgress(JobProgress)
  /// The effect failed: nothing changed; a form keeps what was typed.
  case failed(String)
  /// The store saved and has something to add (a write deferred, the backup not taken).
  case notice(String)
}
