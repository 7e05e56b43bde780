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
  private var pending: [Event]

  public init(size: Size, events: [Event] = []) {
    self.size = size
    self.frame = ScreenBuffer(size: size)
    self.pending = events
  }

  /// Adds events to the end of the script.
  public func enqueue(_ events: [Event]) { pending.append(contentsOf: events) }

  /// Adds keys to the end of the script.
  public func type(_ keys: [Key]) { pending.append(contentsOf: keys.map { .key($0) }) }

  /// Adds each character of `text` as a key press (as an input method delivers it).
  public func type(_ text: String) { pending.append(contentsOf: text.map { .key(.character($0)) }) }

  /// Changes the window size and delivers the resize event, as ncurses does.
  public func resize(to newSize: Size) { pending.append(.resize(newSize)) }

  public func present(_ buffer: ScreenBuffer, cursor: (x: Int, y: Int)?) {
    frame = buffer
    self.cursor = cursor
    framesPresented += 1
  }

  public func nextEvent() -> Event? {
    guard !pending.isEmpty else { return nil }
    let event = pending.removeFirst()
    if case .resize(let newSize) = event { size = newSize }
    return event
  }

  /// The last frame as text, one line per row, trailing spaces removed.
  public var screenText: String { frame.textLines.joined(separator: "\n") }
}
