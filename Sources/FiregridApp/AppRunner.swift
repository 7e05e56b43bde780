import FiregridModel
import FiregridStore
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

  public init(
    state: AppState, terminal: Terminal, folder: DataFolder, store: TownStore? = nil,
    clock: TownStore.Clock = .system
  ) {
    self.state = state
    self.terminal = terminal
    self.folder = folder
    self.store = store
    self.clock = clock
  }

  /// What the app shows of a store just opened.
  public static func present(_ store: TownStore, in state: inout AppState) {
    var holder: String?
    if case .readOnly(let lockHolder) = store.access {
      holder = lockHolder?.shortDescription ?? AppText.readOnlyUnknown
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
  }

  private func draw() {
    let (buffer, cursor) = AppView.render(state)
    terminal.present(buffer, cursor: cursor)
  }
}
