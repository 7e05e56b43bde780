import FiregridModel
import FiregridRepository
import FiregridResources
import TerminalUI

/// The whole application state: which mode, which section, what is on top, and the town as
/// last loaded. `update` is the one place messages are handled: keys go to the component on
/// top (or the section), which answers with messages; effects' results come back as
/// messages too. Pure: no files, no clock; the runner performs the effects.
public struct AppState {
  /// The smallest window the screens are laid out for.
  public static let minimumSize = Size(columns: 80, rows: 24)

  public enum Mode {
    /// First run on an empty location: ask the town's name (and who is working).
    case setup(Form)
    /// At start: ask who is working, so every change is recorded under a name.
    case login(Form)
    /// The town is loaded.
    case main
  }

  public private(set) var mode: Mode
  /// The component over the section, taking the keys first.
  private(set) var overlay: (any Overlay)?
  public private(set) var section: Section = .roster
  public private(set) var size: Size
  /// The one-line message under the content (info or error).
  public private(set) var message: String?
  public private(set) var messageIsError = false

  public private(set) var operatorName: String
  /// Why the town is open only to be read (who holds it, or that the folder cannot be
  /// written); nil when it can be edited.
  public private(set) var readOnlyHolder: String?
  public private(set) var damaged: [DamagedRecord] = []
  /// The day the lists, checks and forms are as of; kept current by `.dayChanged`.
  public private(set) var today: CivilDate
  /// An earlier winter chosen with Y (补录 its papers, read its lists and counts); nil for
  /// the winter `today` is in. Entering a past winter's paper is this explicit choice.
  public private(set) var pastWinter: Campaign?
  public let dataPath: String
  private(set) var index: RosterIndex
  /// The screens under the tabs, in `Section` order; nil until first shown. The roster and
  /// 敲门走访 are always built; 敲门走访 (printing suggests its grid) and the section in view are
  /// always current. Another section is built when first shown, and when the town, the day
  /// or the winter changed while it was hidden it is in `stale` and brought up to date when
  /// next shown (`freshen`): a save never rebuilds lists nobody is looking at.
  private var screens: [(any SectionScreen)?]
  /// Sections whose screen must be brought up to date before it is shown again.
  private var stale: Set<Section> = []
  /// Built in the background once the town is open (or on the first search, if that comes
  /// first), then kept up to date edit by edit.
  private(set) var townSearch: TownSearch?
  /// Every form definition, by id and version (Resources/Data/forms): a visit is shown,
  /// corrected and printed with the one it was entered with.
  public let forms: FormRegistry
  /// 居民住房消防安全排查表 as it is now: new visits are entered on it.
  public var visitForm: VisitForm { forms.current ?? Self.missingForm }
  /// Date and visitor carried from the last form saved.
  public private(set) var carry = VisitCarry()
  /// The last visit saved, which `U` takes back.
  private(set) var lastSavedVisit: (householdID: String, visitID: String)?
  /// Whether this program can make PDFs, and the CUPS default printer.
  public private(set) var printing = PrintAvailability()
  /// Whether lists and reports can be written to files.
  public private(set) var canExport = false
  /// Effects the runner is working on, oldest first: the progress line says what, and a
  /// second change waits until the first is written.
  private(set) var running: [Effect] = []
  /// How far the backup has got, while it runs.
  private(set) var backupProgress: JobProgress?
  /// While the rest of the town is read after the first screen (visits, contacts…): how far.
  /// The roster answers meanwhile; the other sections say 正在载入.
  public private(set) var loading: JobProgress?
  /// Why the load is slower than it could be (no checkpoint), shown while it runs.
  private(set) var loadingNote: String?
  /// Keys typed while the town loads that need what is not loaded yet, kept in order and
  /// replayed when it is: nothing typed is lost, nothing acted on out of order.
  private(set) var deferredKeys: [Key] = []
  /// Another clerk changed the town and it has not been read again yet: it is, as soon as
  /// nothing is being written, loaded or typed in a form (`refreshIfDue`).
  private(set) var refreshWanted = false

  /// Starts on a loaded town.
  public init(
    town: TownData, operatorName: String, today: CivilDate, size: Size, dataPath: String,
    forms: FormRegistry? = nil
  ) {
    self.operatorName = operatorName
    self.today = today
    self.size = size
    self.dataPath = dataPath
    self.index = RosterIndex(town)
    self.forms = forms ?? Self.standardForms
    self.mode = .main
    self.screens = []
    buildScreens()
  }

  /// Starts the first-run setup for an empty location.
  public init(setupFor dataPath: String, operatorName: String, today: CivilDate, size: Size) {
    self.init(
      town: TownData(town: Town(name: "")), operatorName: operatorName, today: today, size: size,
      dataPath: dataPath)
    mode = .setup(SetupForm.make(operatorName: operatorName))
  }

  /// Starts by asking who is working, before the town is opened.
  public init(loginFor dataPath: String, lastOperator: String, today: CivilDate, size: Size) {
    self.init(
      town: TownData(town: Town(name: "")), operatorName: lastOperator, today: today, size: size,
      dataPath: dataPath)
    mode = .login(LoginForm.make(lastOperator: lastOperator))
  }

  /// The screen of each section: adding a section is its file and one line here.
  private static func makeScreen(_ section: Section, _ context: AppContext) -> any SectionScreen {
    switch section {
    case .roster:
      return RosterScreen(index: context.index, forms: context.forms, today: context.today)
    case .visits: return WorkScreen(level: .grids, context: context.workContext)
    case .hazards: return WorkScreen(level: .hazardsDue, context: context.workContext)
    case .statistics: return StatisticsScreen()
    case .printing: return PrintScreen()
    case .supervision: return SupervisionScreen(context: context)
    }
  }

  /// The screens of a town just loaded: the roster, 敲门走访 and the section in view now, the
  /// others when first shown.
  private mutating func buildScreens() {
    screens = Array(repeating: nil, count: Section.allCases.count)
    stale = []
    let context = self.context
    for section in [Section.roster, .visits, section] where screens[section.rawValue] == nil {
      screens[section.rawValue] = Self.makeScreen(section, context)
    }
  }

  /// Makes a section's screen current before it is shown or changed: built if it never was,
  /// brought up to date (keeping the place) if the town, the day or the winter changed while
  /// it was hidden.
  private mutating func freshen(_ section: Section) {
    let context = self.context
    guard screens[section.rawValue] != nil else {
      screens[section.rawValue] = Self.makeScreen(section, context)
      return
    }
    guard stale.remove(section) != nil else { return }
    screens[section.rawValue]?.reload(context)
  }

  /// Shows a section, current; opening 打印 the first time asks for the default printer.
  private mutating func showSection(_ section: Section) -> [Effect] {
    freshen(section)
    self.section = section
    return section == .printing ? lookUpPrinter() : []
  }

  /// The form definitions shipped in the resources; none if they cannot be read (the
  /// sections then say so instead of offering a form that cannot be saved).
  static let standardForms: FormRegistry =
    // An empty list holds no duplicates, so it cannot be refused.
    (try? ResourceFiles.formRegistry()) ?? (try! FormRegistry([]))
  static let missingForm = VisitForm(
    id: "", title: VisitText.formMissing, attachment: "", sections: [])
  /// The residential form as shipped (tests fill it in).
  static var standardVisitForm: VisitForm { standardForms.current ?? missingForm }

  public var town: TownData { index.data }

  /// What components read.
  var context: AppContext {
    AppContext(
      index: index, today: today, pastWinter: pastWinter, readOnlyHolder: readOnlyHolder,
      operatorName: operatorName,
      damaged: damaged, forms: forms, carry: carry, lastSavedVisit: lastSavedVisit,
      printing: printing, size: size, townSearch: townSearch,
      canExport: canExport,
      visitsGridID: builtVisits?.selectedGridID(index: index))
  }

  var workContext: WorkContext { context.workContext }

  /// The section screens, by section (for the view and tests); the roster's and 敲门走访's
  /// are always built.
  var roster: RosterScreen { screens[Section.roster.rawValue] as! RosterScreen }
  var visits: WorkScreen { builtVisits! }
  var currentScreen: any SectionScreen { screens[section.rawValue]! }
  /// 敲门走访's screen (nil only while the state is being made).
  private var builtVisits: WorkScreen? {
    screens.indices.contains(Section.visits.rawValue)
      ? screens[Section.visits.rawValue] as? WorkScreen : nil
  }

  /// The component on top, as its type (nil when something else is on top).
  func overlay<T>(_ type: T.Type) -> T? { overlay as? T }
  var hasOverlay: Bool { overlay != nil }
  var overlayTakesText: Bool { overlay?.takesText ?? false }
  var currentScreenIsTyping: Bool { overlay == nil && currentScreen.isTyping }

  /// Whether something typed would be lost on quitting.
  public var hasUnsavedChanges: Bool {
    if overlay?.isDirty == true { return true }
    switch mode {
    case .setup(let form), .login(let form): return form.isDirty
    case .main: return false
    }
  }

  var isTooSmall: Bool {
    size.columns < Self.minimumSize.columns || size.rows < Self.minimumSize.rows
  }

  /// What the progress line says: the effect being worked on, with the backup's count.
  var activity: String? {
    if let loading {
      return AppText.loadingProgress(loading.done, loading.total, keysKept: deferredKeys.count)
    }
    guard let effect = running.first(where: { $0.activity != nil }), let text = effect.activity
    else { return nil }
    if case .takeBackup = effect, let progress = backupProgress {
      return AppText.busyBackupProgress(progress.done, progress.total)
    }
    return text
  }

  /// Whether a change is being written: another waits for it.
  var isWriting: Bool { running.contains { $0.writes } }

  // MARK: Update

  /// What came of an effect, and that it finished.
  public mutating func receive(_ result: EffectResult) -> [Effect] { update(.result(result)) }
  /// A key, as the terminal delivers it (the benchmark drives the screens with these).
  public mutating func press(_ key: Key) -> [Effect] { update(.key(key)) }
  public mutating func finished(_ effect: Effect) -> [Effect] { update(.finished(effect)) }
  /// The calendar day changed while the program ran.
  public mutating func dayChanged(to day: CivilDate) -> [Effect] { update(.dayChanged(day)) }

  /// One message from the runner; after it, another clerk's change is read if it waits and
  /// may be now (only here, between the runner's messages: never between a component's
  /// messages, one of which may be a change made from the town as shown).
  mutating func update(_ message: Message) -> [Effect] {
    let effects = handleMessage(message)
    return effects + refreshIfDue()
  }

  private mutating func handleMessage(_ message: Message) -> [Effect] {
    switch message {
    case .key(let key): return handle(key)
    case .resize(let newSize):
      size = newSize
      return []
    case .terminate(let signal): return [.quit(status: 128 + signal)]
    case .dayChanged(let day):
      guard day != today else { return [] }
      today = day
      reloadScreens()
      // A new day has no backup yet; the runner takes it before the day's first change.
      guard case .main = mode, readOnlyHolder == nil else { return [] }
      return start(.takeBackup(day))
    case .result(let result): return handleResult(result)
    case .finished(let effect):
      if let position = running.firstIndex(of: effect) { running.remove(at: position) }
      if case .takeBackup = effect { backupProgress = nil }
      return replayDeferredKeys()
    case .show(let text, let isError):
      show(text, isError: isError)
      return []
    case .present(let component):
      overlay = component
      return []
    case .dismiss:
      overlay = nil
      return []
    case .run(let effect): return start(effect)
    case .goTo(let section):
      return showSection(section)
    case .openVisitForm(let householdID): return apply(openVisitForm(householdID: householdID))
    case .openInspectionForm(let premisesID):
      return apply(openInspectionForm(premisesID: premisesID))
    case .openPrintForm(let preset):
      guard printing.canRender else {
        show(PrintSectionText.notAvailable, isError: true)
        return []
      }
      overlay = PrintFormOverlay(job: preset, context: context)
      return lookUpPrinter()
    case .jump(let hit):
      freshen(.roster)
      section = .roster
      var roster = self.roster
      if let premisesID = hit.premisesID {
        roster.jump(toPremises: premisesID, index: index, today: today)
      } else if let householdID = hit.householdID {
        roster.jump(toHousehold: householdID, index: index, today: today)
      } else {
        roster.jump(toVillage: hit.villageID, grid: hit.gridID, index: index, today: today)
      }
      screens[Section.roster.rawValue] = roster
      return []
    case .requestQuit: return requestQuit()
    case .switchWinter:
      switchWinter()
      return []
    case .setNoticesDeadline(let day):
      freshen(.supervision)
      var screen = screens[Section.supervision.rawValue] as! SupervisionScreen
      screen.setNoticesDeadline(day, context: context)
      screens[Section.supervision.rawValue] = screen
      return []
    case .selectInVisits(let householdID):
      var visits = self.visits
      visits.select(householdID)
      screens[Section.visits.rawValue] = visits
      return []
    case .takeBackVisit(let householdID, let visitID):
      do {
        // A premises' inspection is taken back the same way, from its own record.
        if index.premisesByID[householdID] != nil {
          let record = try VisitRules.remove(
            visitID: visitID, from: index.data.inspectionRecord(of: householdID))
          return start(.saveInspectionRecord(record, .undo(visitID: visitID)))
        }
        let record = try VisitRules.remove(
          visitID: visitID, from: index.data.visitRecord(of: householdID))
        return start(.saveVisitRecord(record, .undo(visitID: visitID)))
      } catch {
        show(error.message, isError: true)
        return []
      }
    }
  }

  /// Applies a component's messages in order; the effects they ask for, in order.
  private mutating func apply(_ messages: [Message]) -> [Effect] {
    messages.flatMap { handleMessage($0) }
  }

  /// Hands an effect to the runner and remembers it for the progress line. A change while
  /// another is being written is held back (the form stays open with what was typed): each
  /// change is made from the town as the last one left it.
  private mutating func start(_ effect: Effect) -> [Effect] {
    if effect.writes, isWriting {
      show(AppText.busyWait, isError: true)
      return []
    }
    if case .quit = effect { return [effect] }
    running.append(effect)
    return [effect]
  }

  private mutating func handle(_ key: Key) -> [Effect] {
    // Ctrl-C always leaves at once, with the terminal restored by the runner.
    if key == .control("c") { return [.quit(status: 130)] }
    if case .main = mode, loading != nil || !deferredKeys.isEmpty,
      !deferredKeys.isEmpty || !answersWhileLoading(key)
    {
      deferredKeys.append(key)
      return []
    }
    return dispatch(key)
  }

  /// Whether a key is acted on while the town is still loading: moving in the roster (which
  /// is loaded), the help, changing section (the others say 正在载入), quitting.
  private func answersWhileLoading(_ key: Key) -> Bool {
    if overlay is HelpOverlay { return true }
    guard overlay == nil, !isTooSmall else { return false }
    switch key {
    case .function(1), .character("?"), .character("q"), .tab, .backTab: return true
    case .character(let c) where ("1"..."6").contains(c): return true
    case .up, .down, .pageUp, .pageDown, .home, .end, .character("j"), .character("k"):
      return section == .roster
    default: return false
    }
  }

  /// Keys kept while loading, in order, until one starts something the next keys must wait
  /// for (a save, an opening): the rest follow when it has finished, as typed-ahead keys do.
  private mutating func replayDeferredKeys() -> [Effect] {
    var effects: [Effect] = []
    while loading == nil, !deferredKeys.isEmpty, !running.contains(where: \.keysWait) {
      effects += dispatch(deferredKeys.removeFirst())
      if effects.contains(where: { if case .quit = $0 { true } else { false } }) {
        deferredKeys = []
        break
      }
    }
    return effects
  }

  private mutating func dispatch(_ key: Key) -> [Effect] {
    // While 窗口太小 is shown nothing else is acted on (a form behind it would take keys the
    // clerk cannot see); q quits only when no form is open.
    if isTooSmall {
      if key == .character("q"), overlay == nil { return requestQuit() }
      return []
    }
    if var component = overlay {
      let messages = component.handle(key, in: context)
      overlay = component
      return apply(messages)
    }
    if case .main = mode {
    } else {
      return handleStartForm(key)
    }
    clearMessage()
    var screen = currentScreen
    let answer = screen.handle(key, in: context)
    screens[section.rawValue] = screen
    if let answer { return apply(answer) }
    guard let action = Self.globalKeymap.action(for: key) else { return [] }
    return apply(global(action, key: key))
  }

  /// The setup and the start-up question.
  private mutating func handleStartForm(_ key: Key) -> [Effect] {
    if key == .function(1) {
      overlay = HelpOverlay(screenBindings: screenBindings)
      return []
    }
    switch mode {
    case .setup(var form):
      let outcome = form.handle(key)
      mode = .setup(form)
      switch outcome {
      case .submitted(let values):
        return start(
          .createTown(SetupForm.town(from: values), operatorName: SetupForm.operatorName(values)))
      case .ignored: return key == .escape ? requestQuit() : []
      case .handled: return []
      }
    case .login(var form):
      let outcome = form.handle(key)
      mode = .login(form)
      switch outcome {
      case .submitted(let values):
        return start(.login(operatorName: values[LoginForm.operatorField] ?? ""))
      case .ignored: return key == .escape ? [.quit(status: 0)] : []
      case .handled: return []
      }
    case .main:
      return []
    }
  }

  // MARK: Global keys

  enum GlobalAction { case search, help, quit, next, previous, section, hint, damaged }

  static let globalKeymap = Keymap<GlobalAction>([
    (KeyBinding([.character("/")], "/", AppText.keyTownSearch), .search),
    (KeyBinding([.function(1), .character("?")], "F1/?", AppText.keyHelp), .help),
    (KeyBinding([.character("q")], "q", AppText.keyQuit), .quit),
    (KeyBinding([.tab], "Tab", AppText.keyNextSection, inBar: false), .next),
    (KeyBinding([.backTab], "Shift-Tab", AppText.keyPrevSection, inBar: false), .previous),
    (
      KeyBinding((1...6).map { .character(Character("\($0)")) }, "1-6", AppText.keySections),
      .section
    ),
    (KeyBinding([.control("c")], "Ctrl-C", AppText.keyExit, inBar: false), .quit),
    (KeyBinding([.escape], "Esc", AppText.keyQuitHint, inBar: false), .hint),
    // `D` also checks the records against the journal when nothing is listed; the bar shows
    // it only when something is damaged (at 80 columns it has no room to spare).
    (KeyBinding([.character("D")], "D", AppText.keyDamaged, inBar: false), .damaged),
  ])

  private mutating func global(_ action: GlobalAction, key: Key) -> [Message] {
    let count = Section.allCases.count
    switch action {
    case .search:
      if townSearch == nil { townSearch = TownSearch(index.data) }
      return [.present(SearchOverlay())]
    case .help:
      return [.present(HelpOverlay(screenBindings: screenBindings))]
    case .quit: return [.requestQuit]
    case .next: return [.goTo(Section(rawValue: (section.rawValue + 1) % count)!)]
    case .previous: return [.goTo(Section(rawValue: (section.rawValue + count - 1) % count)!)]
    case .section:
      guard case .character(let c) = key, let number = Int(String(c)),
        let target = Section(rawValue: number - 1)
      else { return [] }
      return [.goTo(target)]
    case .hint: return [.info(AppText.quitHint)]
    case .damaged:
      // The list of damaged records, after a look for records the journal says are missing
      // or were changed outside the program (it reads the journal, so only when asked).
      return [.run(.checkFiles)]
    }
  }

  private mutating func requestQuit() -> [Effect] {
    guard hasUnsavedChanges else { return [.quit(status: 0)] }
    overlay = ConfirmOverlay(
      title: AppText.quitTitle, message: AppText.quitUnsaved, then: [.run(.quit(status: 0))])
    return []
  }

  // MARK: Winters

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
    show(VisitText.winterChosen(context.workingCampaign.name, past: pastWinter != nil))
  }

  // MARK: Opening forms

  private func openVisitForm(householdID: String) -> [Message] {
    guard let household = index.householdByID[householdID] else { return [] }
    guard !visitForm.sections.isEmpty else { return [.error(VisitText.formMissing)] }
    if let refused = context.refusesChanges { return [refused] }
    if damaged.contains(where: { $0.reference == .visitRecord(householdID: householdID) }) {
      return [.error(VisitText.recordDamaged)]
    }
    return [
      .present(
        VisitOverlay(
          session: VisitSession.make(
            household: household, index: index, definition: visitForm, forms: forms,
            carry: carry,
            today: today, pastWinter: pastWinter)))
    ]
  }

  /// A premises' inspection form: the office form (附件4) or the business form (附件5, with
  /// its 多合一 items for a 多合一 place), as it is now.
  private func openInspectionForm(premisesID: String) -> [Message] {
    guard let premises = index.premisesByID[premisesID] else { return [] }
    guard let definition = forms.current(for: premises.formSubject) else {
      return [.error(PremisesScreenText.formMissing)]
    }
    if let refused = context.refusesChanges { return [refused] }
    if damaged.contains(where: { $0.reference == .inspectionRecord(premisesID: premisesID) }) {
      return [.error(PremisesScreenText.recordDamaged)]
    }
    return [
      .present(
        VisitOverlay(
          session: VisitSession.make(
            premises: premises, index: index, definition: definition, forms: forms, carry: carry,
            today: today, pastWinter: pastWinter)))
    ]
  }

  // MARK: Results of effects

  private mutating func handleResult(_ result: EffectResult) -> [Effect] {
    switch result {
    case .townOpened(let opened):
      showOpened(opened)
      // The rest of the town is read first when the open left it for after the first screen.
      if loading != nil { return start(.finishLoading(today)) }
      // The day's backup first, before any change (off the UI loop, with its progress).
      return (readOnlyHolder == nil ? start(.takeBackup(today)) : []) + indexSearch()
    case .loadProgress(let done):
      if loading != nil { loading?.done = done }
    case .townLoaded(let opened):
      return townLoaded(opened)
    case .outsideChanges:
      refreshWanted = true
      // Said now if it must wait for a form; `update` starts it when it need not.
      if let overlay, !overlay.savesOnTheTownAsItIsThen { show(AppText.othersChangedLater) }
    case .townRefreshed(let opened):
      return townRefreshed(opened)
    case .searchIndexBuilt(let search, let basis):
      // Only if the roster it was built from is still the one shown (edits since would be
      // missing from it); otherwise built again from the roster as it is now.
      guard townSearch == nil else { return [] }
      guard Self.sameRoster(basis, index.data) else {
        running.removeAll { $0 == .buildSearchIndex(basis) }
        return indexSearch()
      }
      townSearch = search
    case .editSaved(let outcome):
      editSaved(outcome)
      return indexSearch()
    case .importChecked(let check):
      importChecked(check)
    case .visitRecordSaved(let record, let reason, let newVisitor):
      if let newVisitor { index.addVisitor(newVisitor) }
      return visitRecordSaved(record, reason: reason)
    case .supervisionSaved(let supervision, let text):
      index.setSupervision(supervision)
      townChanged(.supervision)
      overlay = nil
      show(text)
    case .contactLogsSaved(let logs, let gridID):
      index.setContactLogs(logs, gridID: gridID)
      townChanged(.contacts(gridID: gridID))
      overlay = nil
      show(EditText.saved)
    case .historyLoaded(let householdID, let entries):
      overlay = HistoryScreen(
        householdID: householdID, auditEntries: entries, context: workContext)
    case .premisesHistoryLoaded(let premisesID, let entries):
      overlay = PremisesHistoryScreen(
        premisesID: premisesID, auditEntries: entries, context: workContext)
    case .premisesImportChecked(let check):
      premisesImportChecked(check)
    case .premisesSaved(let town, let text, let select):
      premisesSaved(town, message: text, select: select)
    case .inspectionRecordSaved(let record, let reason):
      return inspectionRecordSaved(record, reason: reason)
    case .printPlanned(let job, let pages, let gaps):
      printing.lastJob = job
      overlay = ConfirmOverlay(
        title: PrintSectionText.confirmTitle,
        message: ([PrintSectionText.confirm(job, pages: pages)] + gaps).joined(separator: "\n"),
        then: [.run(.runPrint(job, index.data))], otherwise: [.openPrintForm(preset: job)])
    case .defaultPrinterFound(let name):
      printing.defaultPrinter = name
      printing.printerLookup = .done
      if var form = overlay as? PrintFormOverlay {
        form.printerFound(name)
        overlay = form
      }
    case .printRefused(let text):
      show(text, isError: true)
    case .reportWritten(let path):
      if overlay is ExportOverlay || overlay is ReportFormOverlay { overlay = nil }
      show(ExportText.written(path))
    case .printFinished(let lines, let isError):
      printing.lastResult = lines
      overlay = nil
      show(lines.last ?? "", isError: isError)
    case .filesChecked(let records):
      damaged = records
      if records.isEmpty {
        show(AppText.filesAllGood)
      } else {
        overlay = DamagedFilesOverlay()
      }
    case .damagedRestored(let data, let label, let source, let records):
      damaged = records
      index = RosterIndex(data)
      townSearch = nil
      reloadScreens()
      overlay = records.isEmpty ? nil : DamagedFilesOverlay()
      show(AppText.restored(label, source))
      return indexSearch()
    case .backupProgress(let progress):
      backupProgress = progress
    case .failed(let text):
      // The form keeps what was typed so it can be saved again. A save refused because
      // another clerk changed the record reads the town again as soon as nothing stands in
      // the way (at once under the visit form), so the next save is made on their change; a
      // store nobody else writes has nothing to read (`refresh` answers false).
      show(AppText.saveFailed(text), isError: true)
      refreshWanted = true
    case .notice(let text):
      show(text, isError: true)
    }
    return []
  }

  /// The runner opened (or created) the town: show it, say if it is read-only or damaged.
  mutating func showOpened(_ opened: OpenedTown) {
    operatorName = opened.operatorName
    readOnlyHolder = opened.readOnlyHolder
    damaged = opened.damaged
    mode = .main
    // The program builds the state on the town it opened before showing it: that town's
    // screens are kept, not built twice (the same arrays compare by identity, at once).
    if opened.town != index.data {
      index = RosterIndex(opened.town)
      townSearch = nil
      buildScreens()
    }
    loading = opened.pendingRecords > 0 ? JobProgress(done: 0, total: opened.pendingRecords) : nil
    loadingNote = loading == nil ? nil : opened.loadingNote
    if opened.created {
      show(AppText.setupSaved)
    } else if let readOnlyHolder {
      show(AppText.readOnly(readOnlyHolder), isError: true)
    } else if !damaged.isEmpty {
      show(AppText.damagedBanner(damaged.count), isError: true)
    }
  }

  /// The rest of the town is read: every section is built on the whole town, the roster keeps
  /// the clerk's place, the day's backup starts, and the keys kept meanwhile are replayed.
  private mutating func townLoaded(_ opened: OpenedTown) -> [Effect] {
    loading = nil
    loadingNote = nil
    damaged = opened.damaged
    index = RosterIndex(opened.town)
    townSearch = nil
    var roster = self.roster
    roster.reload(index: index, today: today)
    screens = Array(repeating: nil, count: Section.allCases.count)
    screens[Section.roster.rawValue] = roster
    stale = []
    let context = self.context
    for section in [Section.visits, section] where screens[section.rawValue] == nil {
      screens[section.rawValue] = Self.makeScreen(section, context)
    }
    if !damaged.isEmpty, message == nil {
      show(AppText.damagedBanner(damaged.count), isError: true)
    }
    var effects = readOnlyHolder == nil ? start(.takeBackup(today)) : []
    effects += indexSearch()
    effects += replayDeferredKeys()
    return effects
  }

  /// Reads the town again for another clerk's change when nothing stands in the way: not while
  /// a change is written (it was made from the town as shown), the town loads, or a form or
  /// question is open — a form saved after the other clerk's change to the same record is
  /// refused by its version, with who and when, and keeps what was typed; read after, it
  /// would overwrite that change unseen. Except a form that builds its save from the town
  /// as it is at Ctrl-S (the visit form): read under it, its save lands on the other clerk's
  /// record, and their same paper is refused by the form's rule. The keys wait for the read
  /// (`Effect.keysWait`).
  private mutating func refreshIfDue() -> [Effect] {
    guard refreshWanted, case .main = mode, loading == nil,
      overlay?.savesOnTheTownAsItIsThen ?? true,
      !running.contains(where: { $0.writes || $0 == .refreshTown })
    else { return [] }
    refreshWanted = false
    return start(.refreshTown)
  }

  /// The town as another clerk's change left it: every screen brought up to date where the
  /// clerk was (the roster keeps its place; hidden sections when next shown), the search
  /// index built again in the background.
  private mutating func townRefreshed(_ opened: OpenedTown) -> [Effect] {
    damaged = opened.damaged
    guard opened.town != index.data else { return [] }
    index = RosterIndex(opened.town)
    townSearch = nil
    reloadScreens()
    // A refusal just said (their change refused this save) stays: it says what to do next.
    if !messageIsError { show(AppText.othersChanged) }
    return indexSearch()
  }

  /// Starts building the search index in the background when there is none.
  private mutating func indexSearch() -> [Effect] {
    guard townSearch == nil, case .main = mode,
      !running.contains(where: { if case .buildSearchIndex = $0 { true } else { false } })
    else { return [] }
    return start(.buildSearchIndex(index.data))
  }

  /// Whether two towns have the same roster, as the search index sees it (compared by
  /// identity first: the same arrays answer at once).
  private static func sameRoster(_ a: TownData, _ b: TownData) -> Bool {
    a.households == b.households && a.villages == b.villages && a.grids == b.grids
      && a.visitors == b.visitors && a.premises == b.premises && a.town == b.town
  }

  /// The runner wrote an edit: show the new roster where the clerk was, and any warning.
  private mutating func editSaved(_ outcome: RosterEdit.Outcome) {
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
    var roster = self.roster
    roster.reload(index: index, today: today, select: outcome.createdID)
    screens[Section.roster.rawValue] = roster
    stale.remove(.roster)
    reloadWork()
    if overlay is EditOverlay { overlay = nil }
    show(
      outcome.warnings.isEmpty ? EditText.saved : outcome.warnings.joined(separator: "；"),
      isError: false)
  }

  /// The runner wrote premises (a save, a move, an archive, an import): show them where the
  /// clerk was.
  private mutating func premisesSaved(_ town: TownData, message text: String, select: String?) {
    index.setPremises(from: town)
    townSearch?.setPremises(town.premises)
    var roster = self.roster
    roster.reload(index: index, today: today, select: select)
    screens[Section.roster.rawValue] = roster
    stale.remove(.roster)
    reloadWork()
    if overlay is PremisesEditOverlay { overlay = nil }
    show(text)
  }

  /// The runner read and checked a premises spreadsheet: every rejected row listed (nothing
  /// written), or what it adds, asked before it is saved as one change.
  private mutating func premisesImportChecked(_ check: PremisesImportCheck) {
    switch check {
    case .unreadable(let path):
      show(ImportText.unreadable(path), isError: true)
    case .refused(let reason):
      show(reason, isError: true)
    case .rejected(let problems, let rowCount, let fileName):
      overlay = ImportReportOverlay(
        title: ImportText.rejected(rowCount, fileName), lines: problems)
    case .accepted(let summary, let premises):
      let text = PremisesScreenText.importSummary(
        file: summary.fileName, added: summary.added, offices: summary.offices,
        businesses: summary.businesses, mixedUse: summary.mixedUse, unchanged: summary.unchanged)
      guard !premises.isEmpty else {
        overlay = nil
        show(text)
        return
      }
      overlay = ConfirmOverlay(
        title: PremisesScreenText.importTitle, message: text + PremisesScreenText.importQuestion,
        then: [
          .run(
            .savePremises(
              premises, select: premises.first?.id,
              message: PremisesScreenText.imported(summary.added, summary.fileName)))
        ])
    }
  }

  /// A premises' inspections were written: show them everywhere, carry the date and
  /// inspector, and open the grid's next premises' form (Ctrl-S on a stack of paper forms).
  private mutating func inspectionRecordSaved(_ record: VisitRecord, reason: VisitSaveReason)
    -> [Effect]
  {
    index.setInspectionRecord(record)
    townChanged(.premises(record.householdID))
    let premises = index.premisesByID[record.householdID]
    switch reason {
    case .visit(let visitID, let next):
      let visit = record.visits.first { $0.id == visitID }
      carry = VisitCarry(date: visit?.date, visitorID: visit?.visitorID)
      lastSavedVisit = (record.householdID, visitID)
      let found = record.hazards.filter { $0.foundInVisit == visitID }.count
      let saved = PremisesScreenText.inspectionSaved(premises?.name ?? "", found)
      guard next, let premises else {
        overlay = nil
        show(saved)
        return []
      }
      let grid = index.premises(in: premises.gridID)
      let position = grid.firstIndex { $0.id == premises.id } ?? grid.count
      guard grid.indices.contains(position + 1) else {
        overlay = nil
        show(saved + PremisesScreenText.gridFinished)
        return []
      }
      let nextPremises = grid[position + 1]
      let effects = apply([.openInspectionForm(premisesID: nextPremises.id)])
      show(saved + PremisesScreenText.nextPremises(nextPremises.name))
      return effects
    case .hazardUpdate:
      overlay = nil
      show(EditText.saved)
    case .undo(let visitID):
      lastSavedVisit = nil
      show(PremisesScreenText.undone(visitID))
    }
    return []
  }

  /// The runner read and checked a spreadsheet: show why it was refused, or ask to import.
  private mutating func importChecked(_ check: RosterImportCheck) {
    switch check {
    case .unreadable(let path):
      show(ImportText.unreadable(path), isError: true)
    case .refused(let reason):
      show(reason, isError: true)
    case .rejected(let problems, let rowCount, let fileName):
      overlay = ImportReportOverlay(
        title: ImportText.rejected(rowCount, fileName), lines: problems)
    case .accepted(let summary, let edit):
      let text = ImportText.summary(
        file: summary.fileName, villages: summary.villages, grids: summary.grids,
        households: summary.households, persons: summary.persons,
        unchanged: summary.unchangedHouseholds)
      guard let edit else {
        overlay = nil
        show(text)
        return
      }
      overlay = ConfirmOverlay(
        title: ImportText.confirmTitle, message: text, then: [.run(.applyEdit(edit))])
    }
  }

  /// A household's visit record was written: show it everywhere, carry the date and visitor,
  /// and open the grid's next household's form (Ctrl-S on a stack of paper forms).
  private mutating func visitRecordSaved(_ record: VisitRecord, reason: VisitSaveReason)
    -> [Effect]
  {
    index.setVisitRecord(record)
    townChanged(.household(record.householdID))
    switch reason {
    case .visit(let visitID, let next):
      let visit = record.visits.first { $0.id == visitID }
      carry = VisitCarry(date: visit?.date, visitorID: visit?.visitorID)
      lastSavedVisit = (record.householdID, visitID)
      let household = index.householdByID[record.householdID]
      let found = record.hazards.filter { $0.foundInVisit == visitID }.count
      let saved = VisitText.visitSaved(household?.number ?? "", household?.head?.name ?? "", found)
      guard next, let household else {
        overlay = nil
        show(saved)
        return []
      }
      let grid = index.households(in: household.gridID)
      let position = grid.firstIndex { $0.id == household.id } ?? grid.count
      guard grid.indices.contains(position + 1) else {
        overlay = nil
        show(saved + VisitText.gridFinished)
        return []
      }
      let nextHousehold = grid[position + 1]
      let effects = apply([
        .selectInVisits(householdID: nextHousehold.id),
        .openVisitForm(householdID: nextHousehold.id),
      ])
      show(saved + VisitText.nextHousehold(nextHousehold.number))
      return effects
    case .hazardUpdate:
      overlay = nil
      show(EditText.saved)
    case .undo(let visitID):
      lastSavedVisit = nil
      show(VisitText.undone(visitID))
    }
    return []
  }

  /// The runner tells whether it can write spreadsheets.
  public mutating func exportDetected(canWrite: Bool) { canExport = canWrite }

  /// The runner tells whether it can make PDFs. The default printer is asked only when
  /// printing is first opened (`lookUpPrinter`): CUPS can take a while to answer.
  public mutating func printerDetected(canRender: Bool) {
    printing.canRender = canRender
  }

  /// Printing was opened (打印, or the print form from anywhere): the first time, the worker
  /// asks CUPS for the default printer; the form opens at once and fills it in when it comes.
  private mutating func lookUpPrinter() -> [Effect] {
    guard printing.canRender, printing.printerLookup == .notAsked else { return [] }
    printing.printerLookup = .asking
    return start(.findDefaultPrinter)
  }

  /// The town (beyond one record), the winter or the day changed for the campaign's
  /// sections. 督查 reads visits too: a visit saved or taken back changes its quotas and
  /// comparisons.
  private mutating func reloadWork() {
    reload([.visits, .hazards, .statistics, .printing, .supervision])
  }

  private mutating func reloadScreens() { reload(Section.allCases) }

  /// Rebuilds the screens of `sections` in view (and 敲门走访) now, the others when shown.
  private mutating func reload(_ sections: [Section]) {
    let context = self.context
    for section in sections where screens[section.rawValue] != nil {
      if section == self.section || section == .visits {
        screens[section.rawValue]?.reload(context)
        stale.remove(section)
      } else {
        stale.insert(section)
      }
    }
  }

  /// One save changed one household, premises, grid's contacts or the supervision records
  /// (the index already holds it). Instead of rebuilding every list over the whole town, each
  /// section that shows it brings up to date only what shows it (`SectionScreen.update`): the
  /// section in view and 敲门走访 now — for a visit, the row of its grid and of its village,
  /// the batch of its grid, and the lists over the town that can include it — the hidden
  /// ones when next shown. A `Ctrl-S` on a visit thus costs one grid's rows, not the town's.
  private mutating func townChanged(_ change: TownChange) {
    let context = self.context
    for section in change.sections where screens[section.rawValue] != nil {
      if section == self.section || section == .visits {
        screens[section.rawValue]?.update(change, context: context)
      } else {
        stale.insert(section)
      }
    }
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

  /// The keys of the screen in view (the section, or the setup form).
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
      var list = currentScreen.bindings(in: context)
      if !damaged.isEmpty, !currentScreen.isTyping {
        list.append(KeyBinding([.character("D")], "D", AppText.keyDamaged))
      }
      return list
    }
  }

  /// What the help bar shows: the top component's keys, else the screen's and the global.
  var barBindings: [KeyBinding] {
    if case .main = mode {
    } else {
      return screenBindings + [Self.globalKeymap.bindings[1]]
    }
    if let overlay {
      let own = overlay.bindings(in: context)
      return overlay.showsGlobalKeys ? own + Self.globalKeymap.bindings : own
    }
    if currentScreen.isTyping { return screenBindings }
    return screenBindings + Self.globalKeymap.bindings
  }
}
