import Foundation
import Testing

/// SIGTERM, SIGINT and SIGHUP at every stage of start-up (issue 16: once in about 40 runs a
/// SIGTERM at the first screen was never acted on). The real binary runs on a pseudo-terminal
/// with a start-up trace (`$FIREGRID_TRACE_STARTUP`, see Sources/firegrid/StartupTrace.swift):
/// it writes a line per stage and pauses at the chosen one until the test writes a byte, so
/// the signal lands exactly there, never after a sleep. Then: the process ends, with status
/// 128+N (once its handlers are installed: exit(128+N) with the terminal restored — modes
/// as before, alternate screen left, cursor shown; before that the signal's default action
/// kills it, which a shell reports as 128+N too, with the screen untouched).
///
/// Each stage runs twice: with a clean signal mask, and with the three signals blocked in the
/// mask the program inherits, as Foundation's Process passes it on from any Dispatch or Swift-
/// concurrency thread (a program so started must unblock them, or it never receives them).
/// `FIREGRID_SIGNAL_ROUNDS=N` repeats the whole set N times (a local stress run).
@Suite(.serialized)
struct StartupSignalTests {
  /// Long enough for a loaded machine; only turns a hang into a failure.
  static let guardSeconds = 60.0

  struct Case: CustomStringConvertible {
    var stage: String
    var signal: Int32
    /// Paused at the stage until the signal is sent; false: the program runs on freely.
    var paused = true
    /// The three signals blocked in the inherited mask.
    var inheritedBlocked = false
    var description: String {
      "signal \(signal) at \(stage)\(paused ? "" : " (running)")"
        + (inheritedBlocked ? ", signals blocked when started" : "")
    }
  }

  static var cases: [Case] {
    var cases: [Case] = []
    for stage in Self.stages {
      cases.append(Case(stage: stage, signal: SIGTERM))
      cases.append(Case(stage: stage, signal: SIGTERM, inheritedBlocked: true))
    }
    // Sitting at the first screen, nothing paused: wherever the loop happens to be.
    cases.append(Case(stage: "idle", signal: SIGTERM, paused: false))
    cases.append(Case(stage: "idle", signal: SIGINT))
    cases.append(Case(stage: "first-frame", signal: SIGHUP))
    return cases
  }

  /// As Sources/firegrid/StartupTrace.swift lists them (a town folder and an operator given).
  static let stages = [
    "started", "store-opened", "signals-installed", "terminal-opened", "first-frame",
    "records-loaded", "backup-started", "idle",
  ]
  /// From this stage on the handlers are installed: exit(128+N), never death by the signal.
  static let handledFrom = stages.firstIndex(of: "signals-installed")!

  @Test func signalsAtEveryStageOfStartUpEndTheProgramCleanly() throws {
    let template = try EndToEndTests.makeDemo(households: 30)
    defer { try? FileManager.default.removeItem(at: template) }
    let rounds = Int(ProcessInfo.processInfo.environment["FIREGRID_SIGNAL_ROUNDS"] ?? "") ?? 1
    for round in 0..<max(1, rounds) {
      for signalCase in Self.cases {
        try run(signalCase, round: round, template: template)
      }
    }
  }

  /// One start of the binary on a fresh copy of the demo folder (so every start takes the
  /// day's backup), the signal sent at the case's stage.
  func run(_ signalCase: Case, round: Int, template: URL) throws {
    let work = FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-signal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let folder = work.appendingPathComponent("town")
    try FileManager.default.copyItem(at: template, to: folder)
    let traceFIFO = try FIFO(work.appendingPathComponent("trace"))
    let resumeFIFO = try FIFO(work.appendingPathComponent("resume"))
    var environment = [
      "LANG": "C.UTF-8", "TERM": "xterm-256color", "FIREGRID_TODAY": "2026-11-29",
      "FIREGRID_OPERATOR": "测试员", "FIREGRID_TRACE_STARTUP": traceFIFO.path,
      "HOME": work.path,
    ]
    if signalCase.paused {
      environment["FIREGRID_TRACE_PAUSE"] = "\(signalCase.stage):\(resumeFIFO.path)"
    }
    let label = "round \(round), \(signalCase)"
    let child = try PseudoTerminalChild(
      binary: TmuxSession.binary.path, arguments: ["--data", folder.path],
      environment: environment,
      blocking: signalCase.inheritedBlocked ? [SIGINT, SIGTERM, SIGHUP] : [],
      extra: traceFIFO.descriptor)
    defer { child.killIfRunning() }

    let reached = child.pump(seconds: Self.guardSeconds) {
      child.extraText.contains(" \(signalCase.stage)\n")
    }
    try #require(
      reached, "\(label): the stage was never reached; trace:\n\(child.extraText)")
    kill(child.pid, signalCase.signal)
    // The pause ends whatever the signal did (a handled signal only wrote to its pipe).
    if signalCase.paused { resumeFIFO.writeByte() }
    let ended = child.pump(seconds: Self.guardSeconds) { child.status != nil }
    let trace = child.extraText
    try #require(
      ended, "\(label): still running \(Self.guardSeconds) s after the signal; trace:\n\(trace)")
    let status = try #require(child.status)

    // Before its handlers are installed the signal's default action kills the program (the
    // screen untouched); a signal it inherited blocked waits for them and is handled.
    let stageIndex = try #require(Self.stages.firstIndex(of: signalCase.stage))
    let expected: PseudoTerminalChild.Status =
      stageIndex < Self.handledFrom && !signalCase.inheritedBlocked
      ? .signalled(signalCase.signal) : .exited(128 + signalCase.signal)
    #expect(status == expected, "\(label): ended \(status), expected \(expected)")
    #expect(child.modesRestored, "\(label): the terminal's modes were not restored")
    let output = child.outputText
    #expect(
      Self.restored(output, enter: "\u{1B}[?1049h", leave: "\u{1B}[?1049l"),
      "\(label): the alternate screen was not left")
    #expect(
      Self.restored(output, enter: "\u{1B}[?25l", leave: "\u{1B}[?25h"),
      "\(label): the cursor was left hidden")
    if stageIndex <= Self.handledFrom {
      // Taken before the screen opened: nothing was drawn.
      #expect(!output.contains("操作员:测试员"), "\(label): drew a screen after the signal")
    }
    // The folder is left as a later run finds it: the lock free, nothing damaged (a backup
    // abandoned half-made is removed by the next).
    let (checkStatus, checkOutput, _) = try EndToEndTests.run(["check", "--data", folder.path])
    #expect(checkStatus == 0, "\(label): check after the signal:\n\(checkOutput)")
  }

  /// Whether, if `enter` was ever written, `leave` was written after its last occurrence.
  static func restored(_ output: String, enter: String, leave: String) -> Bool {
    guard let entered = output.range(of: enter, options: .backwards) else { return true }
    guard let left = output.range(of: leave, options: .backwards) else { return false }
    return left.lowerBound > entered.lowerBound
  }
}

/// A named pipe the test holds open for reading and writing (so the program's open of either
/// end never waits, and its writes never fail for want of a reader).
final class FIFO {
  let path: String
  let descriptor: Int32

  init(_ url: URL) throws {
    path = url.path
    guard mkfifo(path, 0o600) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    descriptor = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
  }

  deinit { close(descriptor) }

  func writeByte() {
    var byte: UInt8 = 0x0A
    _ = write(descriptor, &byte, 1)
  }
}

/// The binary on a pseudo-terminal (80×24), started with posix_spawn and a chosen signal
/// mask. `pump` reads its screen output and one extra descriptor (the trace FIFO) until a
/// condition holds, and reaps the process when it ends.
final class PseudoTerminalChild {
  enum Status: Equatable {
    case exited(Int32)
    case signalled(Int32)
  }

  let pid: pid_t
  private let master: Int32
  private let extra: Int32
  private let initialModes: termios
  private var output: [UInt8] = []
  private var extraBytes: [UInt8] = []
  private var masterOpen = true
  private(set) var status: Status?

  var outputText: String { String(decoding: output, as: UTF8.self) }
  var extraText: String { String(decoding: extraBytes, as: UTF8.self) }

  init(
    binary: String, arguments: [String], environment: [String: String], blocking: [Int32],
    extra: Int32
  ) throws {
    var master: Int32 = 0
    var slave: Int32 = 0
    var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
    guard openpty(&master, &slave, nil, nil, &size) == 0 else {
      throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
    _ = fcntl(master, F_SETFD, FD_CLOEXEC)
    var modes = termios()
    tcgetattr(master, &modes)
    initialModes = modes

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in 0...2 { posix_spawn_file_actions_adddup2(&actions, slave, fd) }
    posix_spawn_file_actions_addclose(&actions, slave)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var mask = sigset_t()
    sigemptyset(&mask)
    for signal in blocking { sigaddset(&mask, signal) }
    posix_spawnattr_setsigmask(&attributes, &mask)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let words = [binary] + arguments
    var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    let pairs = environment.map { "\($0.key)=\($0.value)" }
    var envp: [UnsafeMutablePointer<CChar>?] = pairs.map { strdup($0) } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, binary, &actions, &attributes, &argv, &envp)
    close(slave)
    guard spawned == 0 else {
      close(master)
      throw POSIXError(.init(rawValue: spawned) ?? .EIO)
    }
    self.pid = pid
    self.master = master
    self.extra = extra
  }

  deinit {
    killIfRunning()
    close(master)
  }

  func killIfRunning() {
    guard status == nil else { return }
    kill(pid, SIGKILL)
    var raw: Int32 = 0
    while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
    status = .signalled(SIGKILL)
  }

  /// Whether the terminal's modes are those it had before the program started.
  var modesRestored: Bool {
    var now = termios()
    guard tcgetattr(master, &now) == 0 else { return false }
    return now.c_lflag == initialModes.c_lflag && now.c_iflag == initialModes.c_iflag
      && now.c_oflag == initialModes.c_oflag
  }

  /// Reads the screen output and the extra descriptor, and reaps the process, until `done`
  /// holds (true) or `seconds` have passed (false). The deadline only turns a hang into a
  /// failure: each turn waits in poll for output, and at most 50 ms to look at the process.
  func pump(seconds: Double, until done: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !done() {
      if Date() > deadline { return false }
      var fds = [
        pollfd(fd: masterOpen ? master : -1, events: Int16(POLLIN), revents: 0),
        pollfd(fd: extra, events: Int16(POLLIN), revents: 0),
      ]
      _ = poll(&fds, nfds_t(fds.count), 50)
      if masterOpen, fds[0].revents != 0 { masterOpen = drain(master, into: &output) }
      if fds[1].revents != 0 { _ = drain(extra, into: &extraBytes) }
      if status == nil {
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid {
          // What it wrote before it ended is still to be read.
          if masterOpen { masterOpen = drain(master, into: &output) }
          _ = drain(extra, into: &extraBytes)
          status = raw & 0x7f == 0 ? .exited((raw >> 8) & 0xff) : .signalled(raw & 0x7f)
        }
      }
    }
    return true
  }

  /// Reads what is there; false once the descriptor has nothing more to give (a terminal
  /// whose every slave is closed says EIO).
  private func drain(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      var readable = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&readable, 1, 0) > 0 else { return true }
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count > 0 {
        buffer += chunk[0..<count]
      } else if count < 0 && errno == EINTR {
        continue
      } else {
        return false
      }
    }
  }
}
