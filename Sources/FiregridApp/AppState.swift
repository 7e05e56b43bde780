import FiregridModel
import TerminalUI

/// What the application asks the runner to do after handling an event. `AppState.update`
/// only changes state and returns effects; the runner performs them (files, exit).
public enum Effect: Equatable {
  /// Write a new town into the empty data folder (first-run setup), working as `operatorName`.
  case createTown(TownData, operatorName: String)
  /// Open the data folder as this operator (after the start-up question).
  case login(operatorName: String)
  /// Replace a damaged file with its newest backup.
  case restoreDamaged(path: String)
  /// Personal data of `record` was shown in full (`m`): one audit line says who and when.
  case recordAccess(record: String)
  /// Compare the data files with the journal: files missing or changed outside the program
  /// join the damaged-files list (`D`).
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
  /// Read the household's audit entries and show its history.
  case openHistory(householdID: String)
  /// Count the pages of a print job (nothing is written yet).
  case planPrint(PrintJob)
  /// Render the job to a PDF and, if a printer is named, send it.
  case runPrint(PrintJob)
  /// Leave the run loop with this exit status.
  case quit(status: Int32)
}

/// The whole application state: which screen, which section, what is on top.
public struct AppState {
  /// The smallest window the screens are laid out for.
  public static let minimumSize = Size(columns: 80, rows: 24)

  public enum Mode {
    /// First run on an empty data folder: ask the town's name (and who is working).
    case setup(Form)
    /// At start: ask who is working, so every change is recorded under a name.
    case login(Form)
    /// The town is loaded.
    case main
  }

  /// Something drawn over the screen that takes the keys first.
  public enum Overlay: Equatable {
    case help
    case confirmQuit(ConfirmDialog)
    /// The files that did not load, with the newest backup of each.
    case damagedFiles(ListState)
    case confirmRestore(path: String, ConfirmDialog)
    /// A roster edit form.
    case edit(EditSession)
    /// Town-wide search.
    case search(SearchScreen)
    /// Asking for the spreadsheet to import.
    case importFile(FormScreen)
    /// Why an import was refused: every rejected row, nothing written.
    case importReport(title: String, lines: [String], ListState)
    /// Deleting a record, once confirmed, applies this edit.
    case confirmDelete(ConfirmDialog, RosterEdit.Outcome)
    /// Leaving an edit form with typed values.
    case confirmDiscard(ConfirmDialog, EditSession)
    /// The residential form (附件6) of one household.
    case visit(VisitSession)
    /// Leaving a visit form with typed values.
    case confirmDiscardVisit(ConfirmDialog, VisitSession)
    /// A weekly contact or an office entry on a hazard.
    case campaignForm(CampaignFormSession)
    /// One household's whole history.
    case history(HistoryScreen)
    /// Taking back the visit just saved.
    case confirmUndoVisit(ConfirmDialog, householdID: String, visitID: String)
    /// Which of a household's visits E corrects or X takes back.
    case chooseVisit(VisitChoice)
    /// A visit by someone other than the household's visitor: 代访, confirmed with one key.
    case confirmStandIn(ConfirmDialog, VisitSession, Effect)
    /// A week of contact that already holds an entry is changed: before → after, confirmed.
    case confirmContactChange(ConfirmDialog, ContactLog, CampaignFormSession)
    /// What to print and for whom.
    case printForm(FormScreen)
    /// The page count is known: print?
    case confirmPrint(ConfirmDialog, PrintJob)
  }

  /// A file that did not load, as the screen lists it.
  public struct DamagedFileInfo: Equatable, Sendable {
    public var path: String
    public var detail: String
    /// The date of the newest backup holding a copy, if any.
    public var backupDate: String?
    public init(path: String, detail: String, backupDate: String?) {
      self.path = path
      self.detail = detail
      self.backupDate = backupDate
    }
  }

  public private(set) var mode: Mode
  public private(set) var overlay: Overlay?
  public private(set) var section = 0
  public private(set) var size: Size
  /// The one-line message under the content (info or error).
  public private(set) var message: String?
  public private(set) var messageIsError = false

  public private(set) var operatorName: String
  /// Set when another process holds the folder: who, in words.
  /// Why the town is open only to be read (who holds it, or that the folder cannot be
  /// written); nil when it can be edited.
  public private(set) var readOnlyHolder: String?
  public private(set) var damagedFiles: [DamagedFileInfo] = []
  public let today: CivilDate
  /// An earlier winter chosen with Y (补录 its papers, read its lists and counts); nil for
  /// the winter `today` is in. Entering a past winter's paper is this explicit choice.
  public internal(set) var pastWinter: Campaign?
  public let dataPath: String
  private(set) var index: RosterIndex
  private(set) var roster: RosterScreen
  /// Built on the first search, then kept up to date edit by edit.
  private var townSearch: TownSearch?
  /// 居民住房消防安全排查表, from Resources/Data/visit-form.json.
  public let visitForm: VisitForm
  /// 敲门走访 and 隐患整改 lists.
  private(set) var visits: WorkScreen
  private(set) var hazards: WorkScreen
  /// Date and visitor carried from the last form saved.
  public private(set) var carry = VisitCarry()
  /// The last visit saved, which `U` takes back.
  private(set) var lastSavedVisit: (householdID: String, visitID: String)?
  /// Whether this program can make PDFs, and the CUPS default printer.
  public internal(set) var printing = PrintAvailability()

  /// Starts on a loaded town.
  public init(
    town: TownData, operatorName: String, today: CivilDate, size: Size, dataPath: String,
    visitForm: VisitForm? = nil
  ) {
    self.operatorName = operatorName
    self.today = today
    self.size = size
    self.dataPath = dataPath
    self.index = RosterIndex(town)
    self.roster = RosterScreen(index: index, today: today)
    self.visitForm = visitForm ?? Self.standardVisitForm
    let context = WorkContext(index: index, form: self.visitForm, today: today)
    self.visits = WorkScreen(level: .grids, context: context)
    self.hazards = WorkScreen(level: .hazardsDue, context: context)
    self.mode = .main
  }

  /// Starts the first-run setup for an empty folder.
  public init(setupFor dataPath: String, operatorName: String, today: CivilDate, size: Size) {
    self.init(
      town: TownData(town: Town(name: "")), operatorName: operatorName, today: today, size: size,
      dataPath: dataPath)
    mode = .setup(SetupForm.make(operatorName: operatorName))
  }

  /// Starts by asking who is working, before the folder is opened.
  public init(
    loginFor dataPath: String, lastOperator: String, today: CivilDate, size: Size
  ) {
    self.init(
      town: TownData(town: Town(name: "")), operatorName: lastOperator, today: today, size: size,
      dataPath: dataPath)
    mode = .login(LoginForm.make(lastOperator: lastOperator))
  }

  public var town: TownData { index.data }

  var workContext: WorkContext { WorkContext(index: index, form: visitForm, today: workingDay) }

  /// The campaign being worked on: the past winter chosen, else today's.
  var workingCampaign: Campaign { pastWinter ?? index.data.campaign(on: today) }

  /// The day the lists and counts are as of: today, or the chosen past winter's last round.
  var workingDay: CivilDate {
    guard let pastWinter else { return today }
    return min(today, pastWinter.rounds.last?.end ?? today)
  }

  /// The winters before today's that the town has records of (stored campaigns, visits),
  /// newest first.
  var pastWinters: [Campaign] {
    let current = index.data.campaign(on: today).firstDay
    var years = Set(index.data.campaigns.map(\.deploymentDeadline.year))
    for record in index.data.visitRecords.values {
      for visit in record.visits {
        years.insert(Campaign.winter(containing: visit.date).deploymentDeadline.year)
      }
    }
    // The town's stored campaign of each winter, else the seed's template (`campaign(on:)`).
    return years.sorted(by: >).map {
      index.data.campaign(on: CivilDate(year: $0, month: 12, day: 1))
    }
    .filter { $0.firstDay < current }
  }

  /// Y: the next earlier winter, and after the earliest back to today's.
  mutating func switchWinter() {
    let winters = pastWinters
    guard !winters.isEmpty else {
      show(VisitText.noPastWinters)
      return
    }
    if let pastWinter, let index = winters.firstIndex(of: pastWinter), index + 1 < winters.count {
      self.pastWinter = winters[index + 1]
    } else if pastWinter == nil {
      pastWinter = winters[0]
    } else {
      pastWinter = nil
    }
    reloadWork()
    show(VisitText.winterChosen(workingCampaign.name, past: pastWinter != nil))
  }

  /// Whether something typed would be lost on quitting.
  public var hasUnsavedChanges: Bool {
    if case .edit(let session) = overlay, session.form.isDirty { return true }
    if case .visit(let session) = overlay, session.form.isDirty { return true }
    if case .campaignForm(let session) = overlay, session.form.isDirty { return true }
    switch mode {
    case .setup(let form), .login(let form): return form.isDirty
    case .main: return false
    }
  }

  var isTooSmall: Bool {
    size.columns < Self.minimumSize.columns || size.rows < Self.minimumSize.rows
  }

  /// Rows the content area has: the screen less top bar, tabs, title, message and help bar.
  var contentRows: Int { max(1, size.rows - 5) }

  // MARK: Update

  public mutating func update(_ event: Event) -> [Effect] {
    switch event {
    case .terminate(let signal):
      return [.quit(status: 128 + signal)]
    case .resize(let newSize):
      size = newSize
      return []
    case .key(let key):
      return handle(key)
    }
  }

  private mutating func handle(_ key: Key) -> [Effect] {
    // Ctrl-C always leaves at once, with the terminal restored by the runner.
    if key == .control("c") { return [.quit(status: 130)] }
    // While 窗口太小 is shown nothing else is acted on (a form behind it would take keys the
    // clerk cannot see); q quits only when no form is open.
    if isTooSmall {
      if key == .character("q"), overlay == nil { return requestQuit() }
      return []
    }
    if let overlay { return handleOverlay(overlay, key) }
    if key == .function(1) {
      overlay = .help
      return []
    }
    switch mode {
    case .setup(var form):
      let outcome = form.handle(key)
      mode = .setup(form)
      switch outcome {
      case .submitted(let values):
        return [
          .createTown(SetupForm.town(from: values), operatorName: SetupForm.operatorName(values))
        ]
      case .ignored:
        if key == .escape { return requestQuit() }
        return []
      case .handled:
        return []
      }
    case .login(var form):
      let outcome = form.handle(key)
      mode = .login(form)
      switch outcome {
      case .submitted(let values):
        return [.login(operatorName: values[LoginForm.operatorField] ?? "")]
      case .ignored:
        if key == .escape { return [.quit(status: 0)] }
        return []
      case .handled:
        return []
      }
    case .main:
      return handleMain(key)
    }
  }

  private mutating func handleMain(_ key: Key) -> [Effect] {
    clearMessage()
    if section == 0 {
      let wasRevealed = roster.revealSensitive
      if key == .character("m"), !wasRevealed, roster.revealedRecord != nil,
        readOnlyHolder != nil
      {
        show(AppText.revealNeedsAudit, isError: true)
        return []
      }
      let outcome = roster.handle(key, index: index, today: today, pageSize: pageSize)
      // Personal data shown in full is an audit line: who looked at whose, when.
      var effects: [Effect] = []
      if roster.revealSensitive, !wasRevealed, let record = roster.revealedRecord {
        effects.append(.recordAccess(record: record))
      }
      switch outcome {
      case .handled: return effects
      case .message(let text):
        show(text)
        return effects
      case .ignored: break
      }
    }
    // Y: another winter (补录 an earlier winter's papers, read its lists and counts).
    if key == .character("Y"), (1...3).contains(section) {
      switchWinter()
      return []
    }
    if section == 1 || section == 2 {
      if handleWork(key) { return pendingEffects() }
    }
    if section == 4, key == .enter || key == .character("p") {
      openPrintForm()
      return []
    }
    switch key {
    case .character("?"):
      overlay = .help
    case .character("/"):
      if townSearch == nil { townSearch = TownSearch(index.data) }
      overlay = .search(SearchScreen())
    case .character("q"):
      return requestQuit()
    case .tab:
      section = (section + 1) % AppText.sections.count
    case .backTab:
      section = (section + AppText.sections.count - 1) % AppText.sections.count
    case .character(let c) where ("1"..."5").contains(c):
      section = Int(String(c))! - 1
    case .escape:
      show(AppText.quitHint)
    case .character("D"):
      // The list of damaged files, after a look for files the journal says are missing or
      // were changed outside the program (it reads the journal, so only when asked).
      return [.checkFiles]
    case .character("h"):
      // From the roster (e.g. after a search) straight to a household's history.
      guard section == 0 else { break }
      switch roster.current.level {
      case .household(let householdID):
        openHistory(householdID: householdID)
      case .households, .visitorHouseholds:
        if let householdID = roster.selectedID { openHistory(householdID: householdID) }
      default:
        break
      }
      return pendingEffects()
    case .enter where section == 0 && roster.current.level == .archived:
      // An archived household back to the roster, after a question (its 户号 checked again).
      guard readOnlyHolder == nil else {
        show(EditText.readOnlyNoEdit, isError: true)
        break
      }
      guard let id = roster.selectedID,
        let household = index.data.archivedHouseholds.first(where: { $0.id == id })
      else { break }
      do {
        let edit = try RosterEdit.restoreHousehold(id: id, in: index.data)
        overlay = .confirmDelete(
          ConfirmDialog(
            title: AppText.restoreHouseholdTitle,
            message: AppText.restoreHousehold(household.number, household.head?.name ?? ""),
            confirmLabel: AppText.confirmYes, cancelLabel: AppText.confirmNo), edit)
      } catch {
        show(error.message, isError: true)
      }
    case .character("I"):
      guard section == 0 else { break }
      guard readOnlyHolder == nil else {
        show(EditText.readOnlyNoEdit, isError: true)
        break
      }
      overlay = .importFile(FormScreen(form: ImportText.form()))
    case .character("a"), .character("e"), .character("x"), .delete, .character("M"),
      .character("W"):
      guard section == 0 else { break }
      guard readOnlyHolder == nil else {
        show(EditText.readOnlyNoEdit, isError: true)
        break
      }
      startEdit(key)
    default:
      break
    }
    return []
  }

  private var pageSize: Int { max(1, contentRows - 2) }

  private mutating func handleOverlay(_ overlay: Overlay, _ key: Key) -> [Effect] {
    switch overlay {
    case .help:
      if [.escape, .character("q"), .function(1), .character("?"), .enter].contains(key) {
        self.overlay = nil
      }
      return []
    case .confirmQuit(let dialog):
      switch dialog.handle(key) {
      case .confirmed: return [.quit(status: 0)]
      case .cancelled: self.overlay = nil
      case .pending: break
      }
      return []
    case .damagedFiles(var list):
      switch key {
      case .escape, .character("q"), .character("D"):
        self.overlay = nil
      case .enter, .character("r"):
        guard list.selected < damagedFiles.count else { break }
        let file = damagedFiles[list.selected]
        guard let date = file.backupDate else {
          show(AppText.noBackup(file.path), isError: true)
          break
        }
        guard readOnlyHolder == nil else {
          show(AppText.readOnlyCannotRestore, isError: true)
          break
        }
        self.overlay = .confirmRestore(
          path: file.path,
          ConfirmDialog(
            title: AppText.restoreTitle, message: AppText.restoreQuestion(file.path, date),
            confirmLabel: AppText.confirmYes, cancelLabel: AppText.confirmNo))
      default:
        _ = list.handle(key, count: damagedFiles.count, pageSize: max(1, contentRows - 4))
        self.overlay = .damagedFiles(list)
      }
      return []
    case .edit(var session):
      if key == .escape {
        self.overlay =
          session.form.isDirty
          ? .confirmDiscard(
            ConfirmDialog(
              title: EditText.discardTitle, message: EditText.discardQuestion,
              confirmLabel: AppText.confirmYes, cancelLabel: AppText.confirmNo), session) : nil
        return []
      }
      let outcome = session.form.handle(key)
      self.overlay = .edit(session)
      guard case .submitted(let values) = outcome else { return [] }
      do {
        return [.applyEdit(try session.outcome(values, town: index.data))]
      } catch {
        show(error.message, isError: true)
        return []
      }
    case .importFile(var screen):
      if key == .escape {
        self.overlay = nil
        return []
      }
      let outcome = screen.form.handle(key)
      self.overlay = .importFile(screen)
      guard case .submitted(let values) = outcome else { return [] }
      return [.planImport(path: values[ImportText.pathField] ?? "")]
    case .importReport(let title, let lines, var list):
      switch key {
      case .escape, .enter, .character("q"):
        self.overlay = nil
      default:
        _ = list.handle(key, count: lines.count, pageSize: max(1, contentRows - 4))
        self.overlay = .importReport(title: title, lines: lines, list)
      }
      return []
    case .search(var screen):
      guard let townSearch else { return [] }
      switch screen.handle(key, search: townSearch, pageSize: max(1, contentRows - 4)) {
      case .handled:
        self.overlay = .search(screen)
      case .close:
        self.overlay = nil
      case .open(let hit):
        self.overlay = nil
        section = 0
        if let householdID = hit.householdID {
          roster.jump(toHousehold: householdID, index: index, today: today)
        } else {
          roster.jump(toVillage: hit.villageID, grid: hit.gridID, index: index, today: today)
        }
      }
      return []
    case .confirmDiscard(let dialog, let session):
      switch dialog.handle(key) {
      case .confirmed: self.overlay = nil
      case .cancelled: self.overlay = .edit(session)
      case .pending: break
      }
      return []
    case .confirmDelete(let dialog, let edit):
      switch dialog.handle(key) {
      case .confirmed:
        self.overlay = nil
        return [.applyEdit(edit)]
      case .cancelled: self.overlay = nil
      case .pending: break
      }
      return []
    case .confirmRestore(let path, let dialog):
      switch dialog.handle(key) {
      case .confirmed:
        self.overlay = nil
        return [.restoreDamaged(path: path)]
      case .cancelled: self.overlay = .damagedFiles(ListState())
      case .pending: break
      }
      return []
    case .visit, .confirmDiscardVisit, .campaignForm, .history, .confirmUndoVisit,
      .confirmContactChange, .confirmStandIn, .chooseVisit:
      return handleCampaignOverlay(overlay, key)
    case .printForm, .confirmPrint:
      return handlePrintOverlay(overlay, key)
    }
  }

  private mutating func requestQuit() -> [Effect] {
    guard hasUnsavedChanges else { return [.quit(status: 0)] }
    overlay = .confirmQuit(
      ConfirmDialog(
        title: AppText.quitTitle, message: AppText.quitUnsaved, confirmLabel: AppText.confirmYes,
        cancelLabel: AppText.confirmNo))
    return []
  }

  // MARK: Roster edits

  private mutating func startEdit(_ key: Key) {
    let level = roster.current.level
    let selected = roster.selectedID
    let town = index.data
    switch (key, level) {
    case (.character("a"), .villages):
      overlay = .edit(.village(nil))
    case (.character("a"), .grids(let villageID)):
      overlay = .edit(.grid(nil, villageID: villageID, index: index))
    case (.character("a"), .households(let gridID)):
      overlay = .edit(.household(nil, gridID: gridID, index: index))
    case (.character("a"), .household(let householdID)):
      let isFirst = index.householdByID[householdID]?.persons.isEmpty ?? true
      overlay = .edit(.person(nil, householdID: householdID, isFirst: isFirst))
    case (.character("e"), .villages):
      guard let village = selected.flatMap({ index.villageByID[$0] }) else { return }
      overlay = .edit(.village(village))
    case (.character("e"), .grids(let villageID)):
      guard let grid = selected.flatMap({ index.gridByID[$0] }) else { return }
      overlay = .edit(.grid(grid, villageID: villageID, index: index))
    case (.character("e"), .households(let gridID)):
      guard let household = selected.flatMap({ index.householdByID[$0] }) else { return }
      overlay = .edit(.household(household, gridID: gridID, index: index))
    case (.character("e"), .household(let householdID)):
      guard let household = index.householdByID[householdID],
        let person = household.persons.first(where: { $0.id == selected })
      else { return }
      overlay = .edit(.person(person, householdID: householdID, isFirst: false))
    case (.character("a"), .visitors):
      overlay = .edit(.visitor(nil))
    case (.character("e"), .visitors):
      guard let visitor = selected.flatMap({ index.visitorByID[$0] }) else { return }
      overlay = .edit(.visitor(visitor))
    case (.character("W"), .grids):
      guard let grid = selected.flatMap({ index.gridByID[$0] }) else { return }
      guard !index.data.visitors.isEmpty else {
        show(EditText.noVisitorsYet, isError: true)
        return
      }
      overlay = .edit(.assignGrid(grid, index: index))
    case (.character("M"), .households):
      guard let household = selected.flatMap({ index.householdByID[$0] }) else { return }
      overlay = .edit(.move(household, index: index))
    case (.character("M"), .household(let householdID)):
      guard let household = index.householdByID[householdID] else { return }
      overlay = .edit(.move(household, index: index))
    case (.character("x"), _), (.delete, _):
      guard let selected else { return }
      do {
        let (question, edit): (String, RosterEdit.Outcome)
        switch level {
        case .villages:
          question = EditText.deleteVillage(index.villageByID[selected]?.name ?? "")
          edit = try RosterEdit.deleteVillage(id: selected, in: town)
        case .grids:
          question = EditText.deleteGrid(index.gridByID[selected]?.name ?? "")
          edit = try RosterEdit.deleteGrid(id: selected, in: town)
        case .households:
          let household = index.householdByID[selected]
          question = EditText.archiveHousehold(household?.number ?? "", household?.head?.name ?? "")
          edit = try RosterEdit.archiveHousehold(id: selected, in: town)
        case .household(let householdID):
          question = EditText.deletePerson(index.personByID[selected]?.name ?? "")
          edit = try RosterEdit.removePerson(id: selected, fromHousehold: householdID, in: town)
        case .visitors, .visitorHouseholds, .vulnerable, .archived:
          return
        }
        overlay = .confirmDelete(
          ConfirmDialog(
            title: EditText.deleteTitle, message: question, confirmLabel: AppText.confirmYes,
            cancelLabel: AppText.confirmNo), edit)
      } catch {
        show(error.message, isError: true)
      }
    default:
      break
    }
  }

  /// The runner wrote an edit: show the new roster where the clerk was, and any warning.
  public mutating func editSaved(_ outcome: RosterEdit.Outcome) {
    index = RosterIndex(outcome.town)
    if townSearch != nil {
      if outcome.townRecordsChanged {
        townSearch = nil  // villages, grids or visitors changed: rebuilt on the next search
      } else {
        for household in outcome.changedHouseholds {
          townSearch?.update(household: household, in: outcome.town)
        }
        for id in outcome.archivedHouseholdIDs { townSearch?.remove(householdID: id) }
      }
    }
    roster.reload(index: index, today: today, select: outcome.createdID)
    reloadWork()
    if case .edit = overlay { overlay = nil }
    show(
      outcome.warnings.isEmpty ? EditText.saved : outcome.warnings.joined(separator: "；"),
      isError: false)
  }

  /// The runner read and checked a spreadsheet: show why it was refused, or ask to import.
  public mutating func importChecked(
    refusal: String?, rejectedRows: [String], summary: String, edit: RosterEdit.Outcome?
  ) {
    if let refusal {
      show(refusal, isError: true)
      return
    }
    if !rejectedRows.isEmpty {
      overlay = .importReport(title: summary, lines: rejectedRows, ListState())
      return
    }
    guard let edit else {
      overlay = nil
      show(summary)
      return
    }
    overlay = .confirmDelete(
      ConfirmDialog(
        title: ImportText.confirmTitle, message: summary, confirmLabel: AppText.confirmYes,
        cancelLabel: AppText.confirmNo), edit)
  }

  // MARK: Results of effects

  /// The runner created the town: show it.
  public mutating func townCreated(_ data: TownData, operatorName: String) {
    townOpened(data, operatorName: operatorName, readOnlyHolder: nil, damaged: [])
    show(AppText.setupSaved)
  }

  /// The runner opened the folder: show the town, say if it is read-only or damaged.
  public mutating func townOpened(
    _ data: TownData, operatorName: String, readOnlyHolder: String?, damaged: [DamagedFileInfo]
  ) {
    self.operatorName = operatorName
    self.readOnlyHolder = readOnlyHolder
    self.damagedFiles = damaged
    index = RosterIndex(data)
    roster = RosterScreen(index: index, today: today)
    visits = WorkScreen(level: .grids, context: workContext)
    hazards = WorkScreen(level: .hazardsDue, context: workContext)
    mode = .main
    if let readOnlyHolder {
      show(AppText.readOnly(readOnlyHolder), isError: true)
    } else if !damaged.isEmpty {
      show(AppText.damagedBanner(damaged.count), isError: true)
    }
  }

  /// The files were compared with the journal: open the list, or say nothing is wrong.
  public mutating func filesChecked(_ damaged: [DamagedFileInfo]) {
    damagedFiles = damaged
    if damaged.isEmpty {
      show(AppText.filesAllGood)
    } else {
      overlay = .damagedFiles(ListState())
    }
  }

  /// A damaged file was restored from a backup: show the reloaded town.
  public mutating func damagedRestored(
    _ data: TownData, path: String, date: String, damaged: [DamagedFileInfo]
  ) {
    damagedFiles = damaged
    index = RosterIndex(data)
    roster = RosterScreen(index: index, today: today)
    reloadWork()
    overlay = damaged.isEmpty ? nil : .damagedFiles(ListState())
    show(AppText.restored(path, date))
  }

  /// An effect failed: say so; the form keeps what was typed so it can be saved again.
  public mutating func effectFailed(_ message: String) {
    show(AppText.saveFailed(message), isError: true)
  }

  /// The store saved, and has something to add (a file write deferred, the day's backup
  /// not taken): shown after the screen's own message, which it replaces.
  public mutating func storeNotice(_ message: String) {
    show(message, isError: true)
  }

  /// Effects queued by the campaign screens' key handling.
  var queuedEffects: [Effect] = []

  mutating func pendingEffects() -> [Effect] {
    defer { queuedEffects = [] }
    return queuedEffects
  }

  mutating func setOverlay(_ overlay: Overlay?) { self.overlay = overlay }

  mutating func setVisitState(
    index: RosterIndex? = nil, carry: VisitCarry? = nil,
    lastSavedVisit: (householdID: String, visitID: String)?? = nil
  ) {
    if let index { self.index = index }
    if let carry { self.carry = carry }
    if let lastSavedVisit { self.lastSavedVisit = lastSavedVisit }
  }

  mutating func setWorkScreens(visits: WorkScreen? = nil, hazards: WorkScreen? = nil) {
    if let visits { self.visits = visits }
    if let hazards { self.hazards = hazards }
  }

  mutating func show(_ text: String, isError: Bool = false) {
    message = text
    messageIsError = isError
  }

  private mutating func clearMessage() {
    message = nil
    messageIsError = false
  }

  // MARK: Key bindings (the help bar and the help screen come from these)

  static let globalBindings: [KeyBinding] = [
    KeyBinding([.character("/")], "/", AppText.keyTownSearch),
    KeyBinding([.function(1), .character("?")], "F1/?", AppText.keyHelp),
    KeyBinding([.character("q")], "q", AppText.keyQuit),
    KeyBinding([.tab], "Tab", AppText.keyNextSection, inBar: false),
    KeyBinding([.backTab], "Shift-Tab", AppText.keyPrevSection, inBar: false),
    KeyBinding((1...5).map { .character(Character("\($0)")) }, "1-5", AppText.keySections),
    KeyBinding([.control("c")], "Ctrl-C", AppText.keyExit, inBar: false),
  ]

  var screenBindings: [KeyBinding] {
    switch mode {
    case .setup, .login:
      return [
        KeyBinding([.tab, .down], "Tab", AppText.keyNextField),
        KeyBinding([.backTab, .up], "Shift-Tab", AppText.keyPrevField),
        KeyBinding([.control("s")], "Ctrl-S", AppText.setupHelpSave),
        KeyBinding([.escape], "Esc", AppText.keyQuit),
      ]
    case .main:
      var list: [KeyBinding] = []
      if section == 0 {
        list = RosterScreen.bindings(level: roster.current.level, searching: roster.searching)
      } else if section == 1 {
        list = Self.workBindings(level: visits.current.level, filtering: visits.filtering)
      } else if section == 2 {
        list = Self.workBindings(level: hazards.current.level, filtering: hazards.filtering)
      } else if section == 4 {
        list = [KeyBinding([.enter, .character("p")], "Enter/p", PrintSectionText.keyPrint)]
      }
      // `D` also checks the files against the journal when nothing is listed; the bar shows
      // it only when something is damaged (at 80 columns it has no room to spare).
      if !damagedFiles.isEmpty {
        list.append(KeyBinding([.character("D")], "D", AppText.keyDamaged))
      }
      return list
    }
  }

  /// The keys of any form: the setup, the operator question, the roster edit forms.
  static let formBindings: [KeyBinding] = [
    KeyBinding([.tab, .down], "Tab", AppText.keyNextField),
    KeyBinding([.backTab, .up], "Shift-Tab", AppText.keyPrevField),
    KeyBinding([.control("s")], "Ctrl-S", AppText.setupHelpSave),
    KeyBinding([.escape], "Esc", AppText.keyCancel),
  ]

  var barBindings: [KeyBinding] {
    if case .main = mode {
    } else {
      return screenBindings + [Self.globalBindings[1]]
    }
    switch overlay {
    case .search: return SearchScreen.bindings
    case .edit, .importFile, .campaignForm, .printForm: return Self.formBindings
    case .visit: return Self.visitFormBindings
    case .history: return Self.historyBindings
    default: break
    }
    if section == 0 && roster.searching { return screenBindings }
    if (section == 1 && visits.filtering) || (section == 2 && hazards.filtering) {
      return screenBindings
    }
    return screenBindings + Self.globalBindings
  }
}

/// A form shown over the screen (the Form itself is not Equatable: its validators are closures).
public struct FormScreen: Equatable {
  var form: Form
  public static func == (a: FormScreen, b: FormScreen) -> Bool {
    a.form.values == b.form.values && a.form.focus == b.form.focus
  }
}
