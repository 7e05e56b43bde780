import Foundation

/// Drives the real `firegrid` binary in a private tmux server: type keys, read the screen,
/// resize the window. Waiting polls the screen until an expected text appears (with a generous
/// deadline, so a slow machine is not a failure); nothing asserts on elapsed time.
final class TmuxSession {
  let socket: String
  let name = "e2e"
  let statusFile: URL

  /// The built binary: beside the test bundle in the build folder.
  static var binary: URL {
    if let explicit = ProcessInfo.processInfo.environment["FIREGRID_BIN"] {
      return URL(fileURLWithPath: explicit)
    }
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    // On Linux the tests run from .build/<triple>/debug/FiregridPackageTests.xctest.
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("firegrid").path),
      folder.path != "/"
    {
      folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("firegrid")
  }

  static var tmuxAvailable: Bool {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
  }

  /// Starts `firegrid ARGS` at the given size. The pane stays after the program ends so the
  /// test can read its exit status and the restored screen.
  init(arguments: [String], columns: Int = 80, rows: Int = 24, environment: [String: String] = [:])
    throws
  {
    socket = "firegrid-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    statusFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(socket).status")
    var env = ["LANG": "C.UTF-8", "FIREGRID_TODAY": "2026-11-29", "TERM": "screen"]
    env.merge(environment) { _, new in new }
    let exports = env.map { "\($0.key)=\(Self.quote($0.value))" }.sorted().joined(separator: " ")
    let command =
      "env \(exports) \(Self.quote(Self.binary.path)) "
      + arguments.map(Self.quote).joined(separator: " ")
      + "; echo \"EXIT=$?\" > \(Self.quote(statusFile.path)); echo 程序已退出; sleep 600"
    try tmux([
      "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)",
      "sh", "-c", command,
    ])
    try tmux(["set-option", "-t", name, "status", "off"])
  }

  deinit {
    _ = try? tmux(["kill-server"])
    try? FileManager.default.removeItem(at: statusFile)
  }

  static func quote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// Runs one tmux command through `system`, output through a file. Foundation's `Process`
  /// is not used here: `new-session` forks the tmux server, and waiting on the client through
  /// `Process` was seen to hang on Linux (the exited client stayed a zombie).
  @discardableResult
  func tmux(_ arguments: [String]) throws -> String {
    let outputFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(socket)-\(UUID().uuidString).out")
    defer { try? FileManager.default.removeItem(at: outputFile) }
    let command =
      (["/usr/bin/tmux", "-L", socket] + arguments).map(Self.quote).joined(separator: " ")
      + " </dev/null >\(Self.quote(outputFile.path)) 2>/dev/null"
    let status = system(command)
    let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    guard status == 0 else {
      throw TmuxError(command: arguments.joined(separator: " "), status: status)
    }
    return output
  }

  struct TmuxError: Error {
    var command: String
    var status: Int32
  }

  /// Sends tmux key names ("Enter", "Escape", "Down", "F1", "C-c") or literal text.
  func send(_ keys: String...) throws {
    for key in keys { try tmux(["send-keys", "-t", name, key]) }
  }

  func sendLiteral(_ text: String) throws {
    try tmux(["send-keys", "-t", name, "-l", text])
  }

  var screen: String { (try? tmux(["capture-pane", "-p", "-t", name])) ?? "" }

  func resize(columns: Int, rows: Int) throws {
    try tmux(["resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)"])
  }

  func display(_ format: String) -> String {
    ((try? tmux(["display-message", "-p", "-t", name, format])) ?? "")
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Waits until the screen contains `text`; returns the screen, or nil after the deadline.
  @discardableResult
  func waitFor(_ text: String, seconds: Double = 20) -> String? {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
      let current = screen
      if current.contains(text) { return current }
      usleep(50_000)
    } while Date() < deadline
    return nil
  }

  /// The program's exit status once it has ended, or nil if it has not within the deadline.
  func exitStatus(seconds: Double = 20) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
      if let text = try? String(contentsOf: statusFile, encoding: .utf8),
        let value = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(5))
      {
        return value
      }
      usleep(50_000)
    } while Date() < deadline
    return nil
  }
}
