import Foundation

/// The start-up stages, for the end-to-end test that sends a signal at each (issue 16: a
/// SIGTERM at the first screen was once never acted on). With `$FIREGRID_TRACE_STARTUP` set to
/// a file (or a FIFO the test reads), the program appends "<pid> <stage>" to it on reaching each
/// stage; with `$FIREGRID_TRACE_PAUSE` set to "<stage>:<path>", it then waits at that stage
/// for one byte read from `path` (a FIFO the test writes to), so the test delivers its signal
/// exactly there instead of after a sleep. Unset, as on a clerk's machine: nothing at all.
struct StartupTrace: Sendable {
  /// In the order they are reached when `open` is given a town folder and an operator.
  static let stages = [
    "started", "store-opened", "signals-installed", "terminal-opened", "first-frame",
    "records-loaded", "backup-started", "idle",
  ]

  private let descriptor: Int32
  private let pauseStage: String?
  private let pausePath: String?

  init?(environment: [String: String]) {
    guard let path = environment["FIREGRID_TRACE_STARTUP"], !path.isEmpty else { return nil }
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return nil }
    self.descriptor = descriptor
    let pause = environment["FIREGRID_TRACE_PAUSE"]?.split(
      separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    pauseStage = pause.flatMap { $0.count == 2 ? String($0[0]) : nil }
    pausePath = pause.flatMap { $0.count == 2 ? String($0[1]) : nil }
  }

  /// Says the stage was reached (one write(2), so lines never interleave) and, if it is the
  /// one to pause at, waits for the byte. A signal meanwhile runs its handler (or its
  /// default action) just as it would at this point of an unpaused start.
  func mark(_ stage: String) {
    let line = Array("\(getpid()) \(stage)\n".utf8)
    _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard stage == pauseStage, let pausePath else { return }
    let input = open(pausePath, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { return }
    var byte: UInt8 = 0
    while read(input, &byte, 1) < 0 && errno == EINTR {}
    close(input)
  }
}
