import FiregridApp
import FiregridModel
import FiregridResources
import FiregridStore
import Foundation
import TerminalUI

// firegrid-bench: the release-build benchmark of the data folder, and the crash-test child.
//
//   firegrid-bench [--scales 10000,100000] [--edits 1000] [--season 10000]
//       prints open time, save latency p50/p95/p99 and peak memory per scale, one per line,
//       the printing and season figures, the real binary's first screen on a pseudo-terminal
//       (beside VisiData's when `vd` is installed), and last the side-by-side table
//   firegrid-bench torture DIR START DAY
//       opens DIR on the pinned DAY (YYYY-MM-DD), prints "READY", then saves edits in a loop,
//       printing "SAVED <household> <n>" after each save returns; the kill -9 test waits for
//       READY, kills it at random moments after, and checks nothing was lost

/// Writes without fsync: only to set up the benchmark's folders quickly. Never used for data.
struct SetupFileSystem: FileSystem {
  func writeAtomically(_ data: Data, to url: URL) throws(StoreError) {
    do { try data.write(to: url) } catch { throw StoreError.io(path: url.path, code: EIO) }
    chmod(url.path, 0o600)
  }
  func makeFolder(_ url: URL) throws(StoreError) { try AtomicFile.makeFolder(url) }
}

func demoNames() -> DemoTownGenerator.Names {
  let data = try! ResourceFiles.data(named: "demo-names.json")
  return try! JSONDecoder().decode(DemoTownGenerator.Names.self, from: data)
}

func seconds(_ start: UInt64) -> Double {
  Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
  sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func peakMemoryMB() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_maxrss) / 1024
}

let fixedClock = TownStore.Clock(today: { "2026-11-29" }, now: { "2026-11-29T10:00:00+08:00" })

func benchmark(households: Int, edits: Int) throws {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "firegrid-bench-\(households)-\(getpid())")
  try? FileManager.default.removeItem(at: url)
  defer { try? FileManager.default.removeItem(at: url) }
  let town = DemoTownGenerator(names: demoNames(), seed: 42).generate(
    households: households, today: CivilDate(year: 2026, month: 11, day: 29))
  try DataFolder(url: url, fileSystem: SetupFileSystem()).create(town)
  // Take today's backup before timing, so it is reported on its own line, not in the edits:
  // the folder's first, with nothing earlier to link to. The set-up wrote without fsync:
  // flush it first, or the backup's syncfs pays for it.
  sync()
  let firstBackupStart = DispatchTime.now().uptimeNanoseconds
  try Backups.takeDailyIfNeeded(folder: url, today: "2026-11-29")
  let firstBackupTime = seconds(firstBackupStart)

  let openStart = DispatchTime.now().uptimeNanoseconds
  let store = try TownStore.open(
    folder: DataFolder(url: url), operatorName: "bench", clock: fixedClock)
  let state = AppState(
    town: store.town, operatorName: "bench", today: CivilDate(year: 2026, month: 11, day: 29),
    size: Size(columns: 80, rows: 24), dataPath: url.path)
  _ = AppView.render(state)
  let openTime = seconds(openStart)

  // Search as you type: every prefix of 300 people's pinyin initials and Chinese names, and
  // ID number endings, one search per keystroke.
  let buildStart = DispatchTime.now().uptimeNanoseconds
  let search = TownSearch(store.town)
  let buildTime = seconds(buildStart)
  var pick = SplitMix64(seed: 11)
  var queries: [String] = []
  let persons = store.town.households.flatMap(\.persons)
  for _ in 0..<300 {
    let person = persons[pick.next(below: persons.count)]
    let initials = String(Pinyin.syllables(ofName: person.name).compactMap(\.first))
    for length in 1...max(1, initials.count) { queries.append(String(initials.prefix(length))) }
    for length in 1...person.name.count { queries.append(String(person.name.prefix(length))) }
    if person.idNumber.count == 18 {
      for length in 3...6 { queries.append(String(person.idNumber.suffix(length))) }
    }
  }
  var searchTimes: [Double] = []
  for query in queries {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = search.search(query)
    searchTimes.append(seconds(start) * 1000)
  }
  searchTimes.sort()

  var rng = SplitMix64(seed: 7)
  var latencies: [Double] = []
  for edit in 0..<edits {
    var household = store.town.households[rng.next(below: store.town.households.count)]
    household.address = "三江镇测试路\(edit)号"
    let start = DispatchTime.now().uptimeNanoseconds
    try store.saveHousehold(household)
    latencies.append(seconds(start) * 1000)
  }
  store.close()
  // The next day's backup, the one a clerk waits for every morning: the day's saves changed a
  // few files, the rest are as the first backup holds them.
  let backupStart = DispatchTime.now().uptimeNanoseconds
  try Backups.takeDailyIfNeeded(folder: url, today: "2026-11-30")
  let backupTime = seconds(backupStart)
  latencies.sort()
  let label = "households=\(households)"
  if households >= 100_000 {
    SideBySide.add(
      what: "\(households) households loaded (roster, app state, first frame)",
      firegrid: [openTime], peer: "target ≤ 2 s", peerValues: [2])
  }
  print("\(label) open_s=\(String(format: "%.3f", openTime))")
  print("\(label) first_backup_s=\(String(format: "%.3f", firstBackupTime))")
  print(
    "\(label) daily_backup_s=\(String(format: "%.3f", backupTime)) (the next day's, after the"
      + " \(edits) saves)")
  for (name, p) in [("p50", 0.50), ("p95", 0.95), ("p99", 0.99)] {
    print("\(label) save_\(name)_ms=\(String(format: "%.3f", percentile(latencies, p)))")
  }
  print("\(label) search_index_build_s=\(String(format: "%.3f", buildTime))")
  for (name, p) in [("p50", 0.50), ("p95", 0.95), ("p99", 0.99)] {
    print(
      "\(label) search_keystroke_\(name)_ms=\(String(format: "%.3f", percentile(searchTimes, p)))"
        + " (\(searchTimes.count) keystrokes)")
  }
  // Importing the same roster, exported as a spreadsheet, into an empty folder.
  let csv = Array(RosterCSV.export(store.town).utf8)
  let importFolder = url.appendingPathExtension("import")
  defer { try? FileManager.default.removeItem(at: importFolder) }
  let importStart = DispatchTime.now().uptimeNanoseconds
  let imported = try RosterImport.run(
    csv, into: DataFolder(url: importFolder),
    options: RosterImport.Options(
      townName: store.town.town.name, operatorName: "bench", dryRun: false, source: "bench.csv"),
    clock: fixedClock)
  let importTime = seconds(importStart)
  print(
    "\(label) import_roster_s=\(String(format: "%.3f", importTime))"
      + " (\(imported.plan.newHouseholds.count) households, \(csv.count / 1024) KiB)")
  print("\(label) peak_rss_mb=\(String(format: "%.1f", peakMemoryMB()))")
}

func torture(folder: String, start: Int, day: String) throws {
  // The day is pinned (never the real clock): the first save of each run would otherwise
  // take a backup whenever the test ran past midnight.
  let clock = TownStore.Clock(today: { day }, now: { "\(day)T10:00:00+08:00" })
  let store = try TownStore.open(
    folder: DataFolder(url: URL(fileURLWithPath: folder)), operatorName: "torture", clock: clock)
  guard store.access == .readWrite else {
    FileHandle.standardError.write(Data("read-only\n".utf8))
    exit(3)
  }
  // The handshake: the test kills only after this line, so every run is a run of saves.
  FileHandle.standardOutput.write(Data("READY\n".utf8))
  let count = store.town.households.count
  var n = start
  while true {
    var household = store.town.households[n % count]
    household.address = "改-\(n)"
    try store.saveHousehold(household)
    // Reported only after the save returned: this is the promise the test checks. One
    // write(2) per line, unbuffered, so a kill never loses a line that was reported.
    FileHandle.standardOutput.write(Data("SAVED \(household.id) \(n)\n".utf8))
    n += 1
  }
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "torture", arguments.count == 4, let start = Int(arguments[2]),
  CivilDate(stored: arguments[3]) != nil
{
  try torture(folder: arguments[1], start: start, day: arguments[3])
} else if arguments.first == "pg-clerk", arguments.count == 6, let index = Int(arguments[3]),
  let clerks = Int(arguments[4]), let count = Int(arguments[5])
{
  try pgClerk(url: arguments[1], townID: arguments[2], index: index, clerks: clerks, count: count)
} else {
  var scales = [10_000, 100_000]
  var edits = 1_000
  var seasonScale = 10_000
  var index = 0
  while index < arguments.count {
    switch arguments[index] {
    case "--scales":
      scales = arguments[index + 1].split(separator: ",").compactMap { Int($0) }
      index += 2
    case "--edits":
      edits = Int(arguments[index + 1]) ?? edits
      index += 2
    case "--season":
      seasonScale = Int(arguments[index + 1]) ?? seasonScale
      index += 2
    default:
      FileHandle.standardError.write(
        Data(
          "usage: firegrid-bench [--scales N,M] [--edits N] [--season N|0] | torture DIR START DAY\n"
            .utf8))
      exit(2)
    }
  }
  for households in scales { try benchmark(households: households, edits: edits) }
  // A village's clarity cards and notices to PDF (issue 6 budgets 10 s for the cards): the
  // cards 5 times against their floor at the default scales, once at a smoke run's.
  try printBenchmark(households: 1_000, runs: scales.contains { $0 >= 10_000 } ? 5 : 1)
  var season: SeasonFolder?
  if seasonScale > 0 {
    season = try SeasonFolder.keeping(households: seasonScale) {
      try seasonBenchmark(households: seasonScale, saves: edits)
    }
  }
  defer { season?.removeIfMine() }
  // On PostgreSQL (issue 14): the season town, 8 clerks at once, the county (30 towns at the
  // full scale, 3 at a smoke run's).
  try postgresBenchmark(
    season: season?.url, households: seasonScale, saves: edits,
    towns: seasonScale >= 10_000 ? 30 : 3)
  // The real binary to its first screen on a pseudo-terminal, beside VisiData (issue 16).
  try FirstScreenBench.run(
    households: scales.first ?? 10_000,
    season: season.map { (folder: $0.url, day: SeasonFolder.day, households: seasonScale) })
  SideBySide.printTable()
}
