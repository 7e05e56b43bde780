import FiregridModel
import TerminalUI

/// What the application asks the runner to do after handling an event. `AppState.update`
/// only changes state and returns effects; the runner performs them (files, exit).
public enum Effect: Equatable {
  /// Write a new town into the empty data folder (first-run setup).
  case createTown(TownData)
  /// Leave the run loop with this exit status.
  case quit(status: Int32)
}

/// The whole application state: which screen, which section, what is on top.
public struct AppState {
  /// The smallest window the screens are laid out for.
  public static let minimumSize = Size(columns: 80, rows: 24)

  public enum Mode {
    /// First run on an empty data folder: ask the town's name.
    case setup(Form)
    /// The town is loaded.
    case main
  }

  /// Something drawn over the screen that takes the keys first.
  public enum Overlay: Equatable {
    case help
    case confirmQuit(ConfirmDialog)
  }

  public private(set) var mode: Mode
  public private(set) var overlay: Overlay?
  public private(set) var section = 0
  public private(set) var size: Size
  /// The one-line message under the content (info or error).
  public private(set) var message: String?
  public private(set) var messageIsError = false

  public let operatorName: String
  public let today: CivilDate
  public let dataPath: String
  private(set) var index: RosterIndex
  private(set) var roster: RosterScreen

  /// Starts on a loaded town.
  public init(town: TownData, operatorName: String, today: CivilDate, size: Size, dataPath: String)
  {
    self.operatorName = operatorName
    self.today = today
    self.size = size
    self.dataPath = dataPath
    self.index = RosterIndex(town)
    self.roster = RosterScreen(index: index, today: today)
    self.mode = .main
  }

  /// Starts the first-run setup for an empty folder.
  public init(setupFor dataPath: String, operatorName: String, today: CivilDate, size: Size) {
    self.init(
      town: TownData(town: Town(name: "")), operatorName: operatorName, today: today, size: size,
      dataPath: dataPath)
    mode = .setup(SetupForm.make())
  }

  public var town: TownData { index.data }

  /// Whether something typed would be lost on quitting.
  public var hasUnsavedChanges: Bool {
    if case .setup(let form) = mode { return form.isDirty }
    return false
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
    if let overlay { return handleOverlay(overlay, key) }
    if isTooSmall {
      if key == .character("q") { return requestQuit() }
      return []
    }
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
        return [.createTown(SetupForm.town(from: values))]
      case .ignored:
        if key == .escape { return requestQuit() }
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
      let outcome = roster.handle(key, index: index, today: today, pageSize: pageSize)
      switch outcome {
      case .handled: return []
      case .message(let text):
        show(text)
        return []
      case .ignored: break
      }
    }
    switch key {
    case .character("?"):
      overlay = .help
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

  // MARK: Results of effects

  /// The runner created the town: show it.
  public mutating func townCreated(_ data: TownData) {
    index = RosterIndex(data)
    roster = RosterScreen(index: index, today: today)
    mode = .main
    show(AppText.setupSaved)
  }

  /// An effect failed: say so; the form keeps what was typed so it can be saved again.
  public mutating func effectFailed(_ message: String) {
    show(AppText.saveFailed(message), isError: true)
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
    KeyBinding([.function(1), .character("?")], "F1/?", AppText.keyHelp),
    KeyBinding([.character("q")], "q", AppText.keyQuit),
    KeyBinding([.tab], "Tab", AppText.keyNextSection, inBar: false),
    KeyBinding([.backTab], "Shift-Tab", AppText.keyPrevSection, inBar: false),
    KeyBinding((1...5).map { .character(Character("\($0)")) }, "1-5", AppText.keySections),
    KeyBinding([.control("c")], "Ctrl-C", AppText.keyExit, inBar: false),
  ]

  var screenBindings: [KeyBinding] {
    switch mode {
    case .setup:
      return [
        KeyBinding([.tab, .down], "Tab", AppText.keyNextField),
        KeyBinding([.backTab, .up], "Shift-Tab", AppText.keyPrevField),
        KeyBinding([.control("s")], "Ctrl-S", AppText.setupHelpSave),
        KeyBinding([.escape], "Esc", AppText.keyQuit),
      ]
    case .main:
      if section == 0 {
        return RosterScreen.bindings(level: roster.current.level, searching: roster.searching)
      }
      return []
    }
  }

  var barBindings: [KeyBinding] {
    if case .setup = mode { return screenBindings + [Self.globalBindings[0]] }
    if section == 0 && roster.searching { return screenBindings }
    return screenBindings + Self.globalBindings
  }
}
