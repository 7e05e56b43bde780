import FiregridModel
import FiregridStore
import Foundation

/// Time to the first screen as a clerk sees it (issue 16, point 8): the release `firegrid`
/// binary (beside this one in the build folder) started on a pseudo-terminal of 80×24, timed
/// from the spawn until its output holds the first screen's last line, read straight from the
/// terminal; then SIGTERM, and its CPU seconds from wait4. The same for VisiData opening the
/// same roster's CSV (`firegrid export roster`), when `vd` is on PATH, runs interleaved.
/// Rows go to `SideBySide`; a binary that is not there prints a "skipped" line instead.
enum FirstScreenBench {
  /// What one start cost: wall seconds to the first screen, CPU seconds (user + system) of
  /// the process from its start to its end right after that screen.
  struct Run {
    var seconds: Double
    var cpuSeconds: Double
  }

  /// `firegrid` beside this program, if it is there.
  static var firegridBinary: String? {
    let bench = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let path = bench.deletingLastPathComponent().appendingPathComponent("firegrid").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
  }

  /// `vd` on PATH, if VisiData is installed.
  static var visiDataBinary: String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/vd"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// The first screen's last line is its key help, which ends with the quit key ("q 退出",
  /// the key in another colour): ncurses draws a fresh screen top to bottom, so when that is
  /// out, the whole frame is.
  static let firegridNeedle = "退出"

  /// The 10,000-household roster (`households`, the bench's first scale) and its CSV in
  /// VisiData, a 10-household town, and the season folder if `season` names one.
  static func run(
    households: Int, season: (folder: URL, day: String, households: Int)?
  ) throws {
    guard let firegrid = firegridBinary else {
      print("first_screen: skipped (no firegrid binary beside firegrid-bench)")
      return
    }
    let smoke = households < 1_000
    let runs = smoke ? 3 : 7
    let work = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-bench-first-screen-\(getpid())")
    try? FileManager.default.removeItem(at: work)
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let day = "2026-11-29"
    let roster = try makeTown(households: households, day: day, in: work)

    // VisiData on the same roster, exported by the program itself.
    let csv = work.appendingPathComponent("roster.csv")
    var visiData: (binary: String, version: String, needle: String)?
    if let vd = visiDataBinary {
      try exportRoster(firegrid: firegrid, folder: roster, to: csv)
      visiData = (vd, visiDataVersion(vd), try firstName(in: csv))
    } else {
      print("visidata: skipped (not installed)")
    }
    let label = "first_screen households=\(households)"
    let home = work.appendingPathComponent("home")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    // One start of each first, not timed: the campaign stored, the files in the page cache
    // (for both programs alike).
    _ = try firegridRun(firegrid, folder: roster, day: day, home: home)
    if let visiData {
      _ = try terminalRun(
        visiData.binary, [csv.path], environment: environment(home: home),
        needle: visiData.needle)
    }
    var ours: [Run] = []
    var theirs: [Run] = []
    for _ in 0..<runs {
      ours.append(try firegridRun(firegrid, folder: roster, day: day, home: home))
      if let visiData {
        theirs.append(
          try terminalRun(
            visiData.binary, [csv.path], environment: environment(home: home),
            needle: visiData.needle))
      }
    }
    print("\(label) firegrid_s=\(SideBySide.spread(ours.map(\.seconds))) (\(runs) runs)")
    print("\(label) firegrid_cpu_s=\(SideBySide.spread(ours.map(\.cpuSeconds)))")
    let rosterWhat =
      "\(households.formatted())-household roster to first screen (pty, \(runs) runs)"
    let cpuWhat =
      "\(households.formatted())-household roster: CPU time to first screen (user + system)"
    if let visiData {
      print("\(label) visidata_s=\(SideBySide.spread(theirs.map(\.seconds))) (\(visiData.version))")
      print("\(label) visidata_cpu_s=\(SideBySide.spread(theirs.map(\.cpuSeconds)))")
      let peer = "\(visiData.version) on the roster's CSV (\(households.formatted()) households)"
      SideBySide.add(
        what: rosterWhat, firegrid: ours.map(\.seconds), peer: peer,
        peerValues: theirs.map(\.seconds))
      SideBySide.add(
        what: cpuWhat, firegrid: ours.map(\.cpuSeconds), peer: peer,
        peerValues: theirs.map(\.cpuSeconds))
    } else {
      SideBySide.add(
        what: rosterWhat, firegrid: ours.map(\.seconds), peer: "VisiData: skipped (not installed)")
    }

    // A town of 10 households: what a start costs when the data costs nothing.
    let small = try makeTown(households: 10, day: day, in: work)
    _ = try firegridRun(firegrid, folder: small, day: day, home: home)
    var smallRuns: [Run] = []
    for _ in 0..<runs {
      smallRuns.append(try firegridRun(firegrid, folder: small, day: day, home: home))
    }
    print("first_screen households=10 firegrid_s=\(SideBySide.spread(smallRuns.map(\.seconds)))")
    SideBySide.add(
      what: "10-household town to first screen", firegrid: smallRuns.map(\.seconds),
      peer: "target, at most", peerValues: [0.050])

    // The season town (a full winter of visits), against the bare roster of the same size.
    guard let season else {
      print("first_screen season: skipped (no season folder)")
      return
    }
    try Backups.takeDailyIfNeeded(folder: season.folder, today: season.day)
    _ = try firegridRun(firegrid, folder: season.folder, day: season.day, home: home)
    var seasonRuns: [Run] = []
    for _ in 0..<runs {
      seasonRuns.append(
        try firegridRun(firegrid, folder: season.folder, day: season.day, home: home))
    }
    print("first_screen season firegrid_s=\(SideBySide.spread(seasonRuns.map(\.seconds)))")
    SideBySide.add(
      what: "season town to first screen (\(season.households.formatted()) households, a winter's"
        + " visits, \(runs) runs)",
      firegrid: seasonRuns.map(\.seconds), peer: "the roster alone, row 1",
      peerValues: ours.map(\.seconds))
  }

  /// A demo town of `households` at `day`, written without fsync, with the day's backup
  /// already taken (a start then takes none: the backup is timed elsewhere).
  static func makeTown(households: Int, day: String, in work: URL) throws -> URL {
    let url = work.appendingPathComponent("town-\(households)")
    let town = DemoTownGenerator(names: demoNames(), seed: 42).generate(
      households: households, today: CivilDate(day)!)
    try DataFolder(url: url, fileSystem: SetupFileSystem()).create(town)
    sync()
    try Backups.takeDailyIfNeeded(folder: url, today: day)
    return url
  }

  static func environment(home: URL) -> [String: String] {
    [
      "LANG": "C.UTF-8", "TERM": "xterm-256color", "HOME": home.path,
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
    ]
  }

  static func firegridRun(_ binary: String, folder: URL, day: String, home: URL) throws -> Run {
    var environment = environment(home: home)
    environment["FIREGRID_OPERATOR"] = "bench"
    environment["FIREGRID_TODAY"] = day
    return try terminalRun(
      binary, ["--data", folder.path], environment: environment, needle: firegridNeedle)
  }

  /// `firegrid export roster --data FOLDER --out CSV`, waited for.
  static func exportRoster(firegrid: String, folder: URL, to csv: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: firegrid)
    process.arguments = ["export", "roster", "--data", folder.path, "--out", csv.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError("firegrid export roster failed") }
  }

  /// "VisiData 3.4" from `vd --version` ("saul.pw/VisiData v3.4").
  static func visiDataVersion(_ vd: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: vd)
    process.arguments = ["--version"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return "VisiData" }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard
      let version = text.split(whereSeparator: \.isWhitespace).last(where: { $0.hasPrefix("v") })
    else { return "VisiData" }
    return "VisiData \(version.dropFirst())"
  }

  /// The first person's name in the CSV (column 姓名): VisiData's first screen shows it.
  static func firstName(in csv: URL) throws -> String {
    let text = try String(contentsOf: csv, encoding: .utf8)
    let lines = text.split(maxSplits: 2, whereSeparator: \.isNewline)
    guard lines.count >= 2,
      let column = lines[0].split(separator: ",", omittingEmptySubsequences: false).firstIndex(
        where: { $0.hasSuffix("姓名") })
    else { throw BenchError("the roster CSV has no 姓名 column") }
    return String(lines[1].split(separator: ",", omittingEmptySubsequences: false)[column])
  }

  /// Starts `binary arguments` on a new 80×24 pseudo-terminal (standard input, output and
  /// error), reads until its output holds `needle`, sends SIGTERM, reaps it.
  static func terminalRun(
    _ binary: String, _ arguments: [String], environment: [String: String], needle: String,
    timeout: Double = 120
  ) throws -> Run {
    var master: Int32 = 0
    var slave: Int32 = 0
    var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
    guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw BenchError("openpty failed") }
    defer { close(master) }
    _ = fcntl(master, F_SETFD, FD_CLOEXEC)
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
    posix_spawnattr_setsigmask(&attributes, &mask)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    let words = [binary] + arguments
    var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    let pairs = environment.map { "\($0.key)=\($0.value)" }
    var envp: [UnsafeMutablePointer<CChar>?] = pairs.map { strdup($0) } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }

    let needleBytes = Array(needle.utf8)
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    var pid = pid_t()
    let start = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, binary, &actions, &attributes, &argv, &envp)
    close(slave)
    guard spawned == 0 else { throw BenchError("cannot start \(binary): \(spawned)") }
    var elapsed: Double?
    while elapsed == nil, seconds(start) < timeout {
      var readable = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      guard poll(&readable, 1, 100) > 0 else { continue }
      let count = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }  // it ended (EIO) without showing the screen
      let from = max(0, output.count - needleBytes.count)
      output += chunk[0..<count]
      if contains(output[from...], needleBytes) { elapsed = seconds(start) }
    }
    kill(pid, SIGTERM)
    // Reaped while its output is read, so a terminal that fills up never holds it.
    var status: Int32 = 0
    var usage = rusage()
    let killDeadline = DispatchTime.now().uptimeNanoseconds + 10_000_000_000
    while wait4(pid, &status, WNOHANG, &usage) == 0 {
      if DispatchTime.now().uptimeNanoseconds > killDeadline { kill(pid, SIGKILL) }
      var readable = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      if poll(&readable, 1, 20) > 0 {
        _ = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
      }
    }
    guard let elapsed else {
      throw BenchError(
        "\(URL(fileURLWithPath: binary).lastPathComponent) showed no \"\(needle)\" within "
          + "\(Int(timeout)) s; it wrote:\n\(String(decoding: output.suffix(2_000), as: UTF8.self))"
      )
    }
    let cpu =
      Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
      + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    return Run(seconds: elapsed, cpuSeconds: cpu)
  }

  static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
    guard let first = needle.first, haystack.count >= needle.count else { return false }
    var index = haystack.startIndex
    while index <= haystack.endIndex - needle.count {
      if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) {
        return true
      }
      index += 1
    }
    return false
  }
}

struct BenchError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The season folder `seasonBenchmark` writes, kept past it so the binary's first screen is
/// timed on it too (writing another takes minutes). `seasonBenchmark` keeps its folder when
/// `$FIREGRID_BENCH_KEEP` is set and names it after the scale and this process; a folder given
/// in `$FIREGRID_BENCH_SEASON_FOLDER` is used as it is. Only a folder kept here is removed.
struct SeasonFolder {
  /// The day the first screens are timed on: the season bench's last (it took that day's
  /// backup, so a start takes none).
  static let day = "2027-03-21"

  var url: URL
  var mine: Bool

  /// Runs `body` (the season bench) with its folder kept; the folder, if it is there after.
  static func keeping(households: Int, _ body: () throws -> Void) throws -> SeasonFolder? {
    let environment = ProcessInfo.processInfo.environment
    if let reused = environment["FIREGRID_BENCH_SEASON_FOLDER"] {
      try body()
      return SeasonFolder(url: URL(fileURLWithPath: reused), mine: false)
    }
    let keptByUser = environment["FIREGRID_BENCH_KEEP"] != nil
    if !keptByUser { setenv("FIREGRID_BENCH_KEEP", "1", 1) }
    defer { if !keptByUser { unsetenv("FIREGRID_BENCH_KEEP") } }
    try body()
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-bench-season-\(households)-\(getpid())")
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("town.json").path)
    else { return nil }
    return SeasonFolder(url: url, mine: !keptByUser)
  }

  func removeIfMine() {
    if mine { try? FileManager.default.removeItem(at: url) }
  }
}
