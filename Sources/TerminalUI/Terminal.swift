/// The screen and keyboard as the application sees them. `NcursesTerminal` implements it
/// over ncursesw; `VirtualTerminal` implements it in memory for tests.
public protocol Terminal: AnyObject {
  /// The current size of the window.
  var size: Size { get }
  /// Shows `buffer`, drawing only what changed since the last frame, and places the cursor
  /// (nil hides it).
  func present(_ buffer: ScreenBuffer, cursor: (x: Int, y: Int)?)
  /// Waits for the next event. Returns nil when there will be no more (end of a test script).
  func nextEvent() -> Event?
}

/// A terminal in memory: scripted events in, frames out. Used by screen tests.
public final class VirtualTerminal: Terminal {
  public private(set) var size: Size
  public private(set) var frame: ScreenBuffer
  public private(set) var cursor: (x: Int, y: Int)?
  public private(set) var framesPresented = 0
  private var pending: [Step]

  /// One step of the script: an event, or something the test does at that point (look at
  /// the screen, let a slow file system go on).
  private enum Step {
    case event(Event)
    case action(() -> Void)
  }

  public init(size: Size, events: [Event] = []) {
    self.size = size
    self.frame = ScreenBuffer(size: size)
    self.pending = events.map { .event($0) }
  }

  /// Adds events to the end of the script.
  public func enqueue(_ events: [Event]) { pending.append(contentsOf: events.map { .event($0) }) }

  /// Adds keys to the end of the script.
  public func type(_ keys: [Key]) { enqueue(keys.map { .key($0) }) }

  /// Adds each character of `text` as a key press (as an input method delivers it).
  public func type(_ text: String) { enqueue(text.map { .key(.character($0)) }) }

  /// Changes the window size and delivers the resize event, as ncurses does.
  public func resize(to newSize: Size) { enqueue([.resize(newSize)]) }

  /// Runs `action` when the script reaches this point, after every event before it was
  /// handled and drawn (the frame it sees is the one those events left).
  public func perform(_ action: @escaping () -> Void) { pending.append(.action(action)) }

  public func present(_ buffer: ScreenBuffer, cursor: (x: Int, y: Int)?) {
    frame = buffer
    self.cursor = cursor
    framesPresented += 1
  }

  public func nextEvent() -> Event? {
    while !pending.isEmpty {
      switch pending.removeFirst() {
      case .action(let action):
        action()
      case .event(let event):
        if case .resize(let newSize) = event { size = newSize }
        return event
      }
    }
    return nil
  }

  /// The last frame as text, one line per row, trailing spaces removed.
  public var screenText: String { frame.textLines.joined(separator: "\n") }
}
