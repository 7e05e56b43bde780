import FiregridRepository
import Foundation

/// Listens, on a connection and a thread of its own, for other sessions' commits to one town
/// (`PostgresTownStore.channel`), and tells `changed` of each. The store's own connection
/// cannot be used: it belongs to the app's store worker, and libpq allows one thread per
/// connection. The thread waits in `poll` on the connection's socket and on a pipe that
/// `stop` writes to: a signal either way, never a sleep, no work while nothing happens.
final class PostgresChangeListener: @unchecked Sendable {
  private let connection: PGConnection
  private let townID: String
  /// The store's session: its own commits are not outside changes.
  private let ownPID: Int
  private let changed: @Sendable () -> Void
  /// [read end, write end]: a byte written wakes the thread to stop.
  private var wake: [Int32] = [-1, -1]
  /// Guards `heard` and `running`; signalled as each changes.
  private let condition = NSCondition()
  private var heard = 0
  private var running = true

  /// Connects to `url` and starts listening (LISTEN is in effect when this returns: a commit
  /// after it is heard).
  init(url: String, townID: String, ownPID: Int, changed: @escaping @Sendable () -> Void)
    throws
  {
    connection = try PGConnection(url: url, applicationName: "firegrid listener")
    self.townID = townID
    self.ownPID = ownPID
    self.changed = changed
    do {
      try connection.exec("LISTEN \(PostgresTownStore.channel)")
    } catch {
      connection.close()
      throw error
    }
    guard pipe(&wake) == 0 else {
      connection.close()
      throw PostgresError(PostgresText.cannotListen(String(cString: strerror(errno))))
    }
    let thread = Thread { [self] in listen() }
    thread.name = "firegrid.pg-listener"
    thread.start()
  }

  deinit {
    stop()
    for descriptor in wake where descriptor >= 0 { _ = close(descriptor) }
  }

  /// How many outside changes have been told so far.
  var count: Int {
    condition.lock()
    defer { condition.unlock() }
    return heard
  }

  /// Waits until more than `count` outside changes have been told (and `changed` has
  /// returned for them), or `seconds` pass; returns whether they were.
  func wait(beyond count: Int, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    condition.lock()
    defer { condition.unlock() }
    while heard <= count, running {
      if !condition.wait(until: deadline) { break }
    }
    return heard > count
  }

  /// Stops the thread and closes its connection; returns when both are done.
  func stop() {
    condition.lock()
    let wasRunning = running
    condition.unlock()
    guard wasRunning, wake[1] >= 0 else { return }
    var byte: UInt8 = 1
    _ = write(wake[1], &byte, 1)
    condition.lock()
    while running { condition.wait() }
    condition.unlock()
  }

  /// On the thread: wait for the socket or the pipe; tell each batch of outside commits once.
  private func listen() {
    defer {
      connection.close()
      condition.lock()
      running = false
      condition.broadcast()
      condition.unlock()
    }
    while true {
      var descriptors = [
        pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0),
        pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0),
      ]
      let ready = poll(&descriptors, 2, -1)
      if ready < 0 {
        if errno == EINTR { continue }
        return
      }
      if descriptors[1].revents != 0 { return }
      // A broken connection ends the listening (the store's own calls will say why).
      guard let received = try? connection.notifications() else { return }
      if descriptors[0].revents & Int16(POLLHUP | POLLERR) != 0, received.isEmpty { return }
      let outside = received.contains { notification in
        notification.channel == PostgresTownStore.channel && notification.senderPID != ownPID
          && notification.payload.split(separator: " ").first.map(String.init) == townID
      }
      guard outside else { continue }
      // Told first, counted after: whoever waits on the count finds `changed` done.
      changed()
      condition.lock()
      heard += 1
      condition.broadcast()
      condition.unlock()
    }
  }
}

extension PostgresTownStore {
  /// Listens for other sessions' commits to this town on a connection and thread of its own
  /// (`PostgresChangeListener`) and tells `changed` of each; this store's own commits are not
  /// told. Once per store; stopped by `close`.
  public func watchOutsideChanges(_ changed: @escaping @Sendable () -> Void) throws -> Bool {
    guard listener == nil else { return true }
    guard let url, let connection = try? open() else { return false }
    listener = try PostgresChangeListener(
      url: url, townID: townID, ownPID: connection.serverPID, changed: changed)
    // A commit between this store's read and the LISTEN just made would not be heard: asked
    // once now, it is read by the first refresh.
    if let head = try? connection.exec("SELECT last_sequence FROM towns WHERE id = $1", [townID]),
      let last = Int(head.scalar ?? ""), last > lastSequence
    {
      changed()
    }
    return true
  }

  /// Reads the town again when another session committed to it since this store last read
  /// or wrote (its chain's end is further than this store's); one query when nothing is new.
  public func refresh() throws -> Bool {
    let connection = try open()
    // What the store's own session was sent meanwhile is read by the listener instead.
    _ = try connection.notifications()
    return try loadChanges()
  }

  /// Waits until the listener has told more than `count` outside changes (`changed` has
  /// returned for them), or `seconds` pass: for a test to wait on a signal, not a clock.
  public func waitForOutsideChanges(beyond count: Int, seconds: Double) -> Bool {
    listener?.wait(beyond: count, seconds: seconds) ?? false
  }

  /// How many outside changes the listener has told.
  public var outsideChangesHeard: Int { listener?.count ?? 0 }
}
