import FiregridModel
import FiregridStore
import TerminalUI

/// The message loop: draw the state, wait for an event, update, perform the effects.
/// The same loop runs over ncurses in the binary and over a `VirtualTerminal` in tests.
public final class AppRunner {
  public private(set) var state: AppState
  private let terminal: Terminal
  private let folder: DataFolder

  public init(state: AppState, terminal: Terminal, folder: DataFolder) {
    self.state = state
    self.terminal = terminal
    self.folder = folder
  }

  /// Runs until the user quits or the events end (a test script); returns the exit status.
  @discardableResult
  public func run() -> Int32 {
    draw()
    while let event = terminal.nextEvent() {
      for effect in state.update(event) {
        switch effect {
        case .quit(let status):
          return status
        case .createTown(let data):
          do {
            try folder.create(data)
            state.townCreated(data)
          } catch {
            state.effectFailed(StoreError.message(for: error))
          }
        }
      }
      draw()
    }
    return 0
  }

  private func draw() {
    let (buffer, cursor) = AppView.render(state)
    terminal.present(buffer, cursor: cursor)
  }
}
