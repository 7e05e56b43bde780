import FiregridApp
import FiregridModel
import FiregridPostgres
import FiregridResources
import FiregridStore
import Foundation
import TerminalUI

/// The PostgreSQL figures (issue 14's benchmark), on the server of $FIREGRID_BENCH_PG (`make
/// bench` starts a throwaway cluster for it, `make test` passes its own): in a database of its
/// own, dropped after,
/// - the season town (the season bench's folder) imported, then opened from the database and
///   from the folder (load, app state, first frame), best of 3 each;
/// - 8 clerk processes (this program, `pg-clerk`) saving visits at once on that town in shared
///   mode: throughput, p50/p95 per save, then every visit counted (none lost, none twice);
/// - the county: the season town's roster and visits copied to `towns` ids (30 at the full
///   scale: 300,000 households), the statistics table of all of them by the real binary
///   (`firegrid report stats --db … --county`), and the app's search over every household of
///   the county read from the database, per keystroke.
/// Without a server it prints a skipped line.
func postgresBenchmark(season: URL?, households: Int, saves: Int, towns: Int) throws {
  let environment = ProcessInfo.processInfo.environment
  guard let base = environment["FIREGRID_BENCH_PG"] ?? environment["FIREGRID_TEST_PG"] else {
    print("postgres skipped (no server: FIREGRID_BENCH_PG unset; make bench starts one)")
    return
  }
  guard let season else {
    print("postgres skipped (no season folder: --season 0)")
    return
  }
  let name = "firegrid_bench_\(getpid())"
  let admin = try PGConnection(url: base)
  defer { admin.close() }
  try admin.exec("CREATE DATABASE \(name)")
  defer { _ = try? admin.exec("DROP DATABASE \(name) WITH (FORCE)") }
  guard var parts = URLComponents(string: base) else { return }
  parts.path = "/\(name)"
  let url = parts.string ?? base
  let label = "postgres households=\(households)"
  let clock = TownStore.Clock(
    today: { SeasonFolder.day }, now: { "\(SeasonFolder.day)T10:00:00+08:00" })
  let today = CivilDate(stored: SeasonFolder.day)!

  // The season town into the database, then opened from both, as the app opens it.
  let location = PostgresLocation(url: url, townID: "t00", exclusive: false, clock: clock)
  let importStart = DispatchTime.now().uptimeNanoseconds
  _ = try PostgresTransfer.importFolder(
    DataFolder(url: season), as: "t00", into: location, operatorName: "bench")
  let importTime = seconds(importStart)
  func firstFrame(_ town: TownData) {
    let state = AppState(
      town: town, operatorName: "bench", today: today, size: Size(columns: 80, rows: 24),
      dataPath: "bench")
    _ = AppView.render(state)
  }
  var databaseOpens: [Double] = []
  var folderOpens: [Double] = []
  for _ in 0..<3 {
    var start = DispatchTime.now().uptimeNanoseconds
    let store = try location.openStore(operatorName: "bench")
    firstFrame(store.town)
    databaseOpens.append(seconds(start))
    store.close()
    start = DispatchTime.now().uptimeNanoseconds
    let folder = try TownStore.open(
      folder: DataFolder(url: season), operatorName: "bench", clock: clock)
    firstFrame(folder.town)
    folderOpens.append(seconds(start))
    folder.close()
  }
  print("\(label) import_s=\(String(format: "%.3f", importTime)) (the season folder)")
  print(
    "\(label) open_s=\(String(format: "%.3f", databaseOpens.min() ?? 0)) folder_open_s="
      + "\(String(format: "%.3f", folderOpens.min() ?? 0)) (load + app state + first frame,"
      + " best of 3)")
  SideBySide.add(
    what: "season town of \(households) households opened from PostgreSQL",
    firegrid: databaseOpens, peer: "the same town from the JSON folder",
    peerValues: folderOpens)
  try postgresRefreshBenchmark(location: location, label: label)

  try clerksBenchmark(
    url: url, townID: "t00", households: households, saves: saves, label: label)
  try countyBenchmark(admin: admin, url: url, towns: towns, households: households, label: label)
}

/// 8 clerk processes, each saving `saves` visits (its own households: clerk i the i-th, the
/// i+8-th…) once all are ready; then every visit counted from the database.
private func clerksBenchmark(
  url: String, townID: String, households: Int, saves: Int, label: String
) throws {
  let clerks = 8
  let each = max(1, min(saves, households / clerks))
  let bench = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  var children: [(process: Process, input: Pipe, output: Pipe)] = []
  for index in 0..<clerks {
    let process = Process()
    process.executableURL = bench
    process.arguments = ["pg-clerk", url, townID, String(index), String(clerks), String(each)]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    children.append((process, input, output))
  }
  // Each says READY once its town is open; then all are let go at once.
  for child in children {
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains("READY\n") {
      let chunk = child.output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      seen += chunk
    }
  }
  let start = DispatchTime.now().uptimeNanoseconds
  for child in children { child.input.fileHandleForWriting.write(Data("GO\n".utf8)) }
  var latencies: [Double] = []
  var failures: [String] = []
  for child in children {
    let text = String(
      decoding: child.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.process.waitUntilExit()
    for line in text.split(separator: "\n") {
      if line.hasPrefix("LAT "), let ms = Double(line.dropFirst(4)) { latencies.append(ms) }
      if line.hasPrefix("FAIL ") { failures.append(String(line.dropFirst(5))) }
    }
  }
  let wall = seconds(start)
  latencies.sort()
  guard !latencies.isEmpty else {
    print("\(label) clerks=\(clerks) no save went through: \(failures.prefix(3))")
    return
  }
  // Counted from the database: each clerk's visits carry its own visitor id and number.
  let store = try PostgresLocation(url: url, townID: townID, exclusive: false).openStore(
    operatorName: "bench")
  var found: [String: Int] = [:]
  for record in store.town.visitRecords.values {
    for visit in record.visits {
      if let id = visit.visitorID, id.hasPrefix("pgclerk-") { found[id, default: 0] += 1 }
    }
  }
  store.close()
  let expected = Set((0..<clerks).flatMap { index in (0..<each).map { "pgclerk-\(index)-\($0)" } })
  let lost = expected.subtracting(found.keys).count
  let twice = found.values.filter { $0 > 1 }.count
  print(
    "\(label) clerks=\(clerks) saves=\(latencies.count) wall_s=\(String(format: "%.3f", wall))"
      + " throughput_saves_per_s=\(String(format: "%.1f", Double(latencies.count) / wall))"
      + " save_p50_ms=\(String(format: "%.2f", percentile(latencies, 0.5)))"
      + " save_p95_ms=\(String(format: "%.2f", percentile(latencies, 0.95)))"
      + " failed=\(failures.count)")
  print(
    "\(label) clerks_count: expected=\(expected.count) found=\(found.count) lost=\(lost)"
      + " duplicated=\(twice) \(lost == 0 && twice == 0 ? "OK" : "MISMATCH")")
  SideBySide.add(
    what: "8 clerk processes saving visits at once (PostgreSQL, shared), per save",
    firegrid: latencies.map { $0 / 1000 }, peer: "JSON folder: one writer at a time")
}

/// `firegrid-bench pg-clerk URL TOWN INDEX CLERKS COUNT`: one clerk of `clerksBenchmark`.
func pgClerk(url: String, townID: String, index: Int, clerks: Int, count: Int) throws {
  let today = CivilDate(stored: SeasonFolder.day)!
  let clock = TownStore.Clock(
    today: { SeasonFolder.day }, now: { "\(SeasonFolder.day)T10:00:00+08:00" })
  let form = try ResourceFiles.residentialForm()
  var answers: [String: Answer] = [:]
  for section in form.sections {
    for item in section.items where item.onlyForVulnerable != true {
      answers[item.id] =
        section.kind == .choice ? item.options?.first.flatMap { Answer(rawValue: $0.key) } : .yes
    }
  }
  let store = try PostgresLocation(url: url, townID: townID, exclusive: false, clock: clock)
    .openStore(operatorName: "clerk\(index)")
  defer { store.close() }
  let households = store.town.households
  // Unbuffered: the parent waits for this line.
  FileHandle.standardOutput.write(Data("READY\n".utf8))
  _ = readLine()
  for number in 0..<count {
    let household = households[(index + clerks * number) % households.count]
    let entry = VisitEntry(
      householdID: household.id, date: today, visitorID: "pgclerk-\(index)-\(number)",
      personsMet: "户主", answers: answers)
    let start = DispatchTime.now().uptimeNanoseconds
    do {
      let (updated, _) = try VisitRules.record(
        entry, in: store.town.visitRecord(of: household.id), form: form, today: today)
      try store.saveVisitRecord(updated, addingVisitor: nil)
      print("LAT \(seconds(start) * 1000)")
    } catch {
      print("FAIL \(error)")
    }
  }
}

/// The county: the season town's statistics records copied under `towns` ids (SQL, in the
/// database: generating 30 different towns would take many minutes), then the real binary's
/// county statistics table, and the app's search over every household read back.
private func countyBenchmark(
  admin: PGConnection, url: String, towns: Int, households: Int, label: String
) throws {
  let connection = try PGConnection(url: url)
  defer { connection.close() }
  let copyStart = DispatchTime.now().uptimeNanoseconds
  for number in 1..<towns {
    let id = String(format: "t%02d", number)
    try connection.transaction {
      try connection.exec(
        """
        INSERT INTO towns (id, name, last_sequence, last_hash)
        SELECT $1, name || $1, last_sequence, last_hash FROM towns WHERE id = 't00'
        """, [id])
      try connection.exec(
        """
        INSERT INTO records (town_id, kind, record_id, version, body, digest, updated_by,
          updated_at, facts)
        SELECT $1, kind, record_id, version, body, digest, updated_by, updated_at, facts
        FROM records
        WHERE town_id = 't00' AND kind = ANY($2::text[])
        """, [id, "{" + PostgresCounty.statisticsKinds.joined(separator: ",") + "}"])
    }
  }
  try connection.exec("ANALYZE records")
  let copyTime = seconds(copyStart)
  let county = "county households=\(towns * households) towns=\(towns)"
  print("\(county) copy_s=\(String(format: "%.1f", copyTime)) (SQL copies of the season town)")
  // What the county's papers (one row a visit, for papers_once) cost beside its records.
  let sizes =
    try connection.exec(
      """
      SELECT pg_total_relation_size('records'), pg_total_relation_size('papers'),
        (SELECT count(*) FROM papers)
      """
    ).rows.first ?? []
  let megabytes = sizes.prefix(2).map { (Double($0 ?? "") ?? 0) / 1_048_576 }
  print(
    "\(county) records_mb=\(String(format: "%.0f", megabytes.first ?? 0)) papers_mb="
      + "\(String(format: "%.0f", megabytes.last ?? 0)) papers=\(sizes.last.flatMap { $0 } ?? "?")"
      + " (on disk, indexes included)")

  // The county's statistics table by the real binary, beside the folder's one-town table.
  if let firegrid = FirstScreenBench.firegridBinary {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-bench-county-\(getpid()).xlsx")
    defer { try? FileManager.default.removeItem(at: out) }
    func countyTable() -> Double {
      let start = DispatchTime.now().uptimeNanoseconds
      let status = run(
        firegrid, ["report", "stats", "--db", url, "--county", "全县", "--out", out.path])
      if status != 0 { print("\(county) county_stats failed (exit \(status))") }
      return seconds(start)
    }
    // First as a database migrated from version 2 finds it: no facts, filled in by this run.
    try connection.exec(
      "UPDATE records SET facts = NULL WHERE kind IN ('households', 'visits')")
    try connection.exec("VACUUM ANALYZE records")
    let first = countyTable()
    let missing =
      try connection.exec(
        "SELECT count(*) FROM records WHERE kind IN ('households', 'visits') AND facts IS NULL"
      ).scalar ?? "?"
    print(
      "\(county) county_stats_first_s=\(String(format: "%.3f", first)) (no facts yet: computed"
        + " from the bodies and written back; rows still without facts after: \(missing))")
    var countyRuns: [Double] = []
    for _ in 0..<(towns >= 10 ? 3 : 1) { countyRuns.append(countyTable()) }
    print(
      "\(county) county_stats_s=\(String(format: "%.3f", countyRuns.min() ?? 0))"
        + " (firegrid report stats --db --county, from the kept facts, best of \(countyRuns.count))"
    )
    SideBySide.add(
      what:
        "county statistics table from PostgreSQL (\(towns) towns, \(towns * households) households)",
      firegrid: countyRuns, peer: "target ≤ 2 s", peerValues: [2])
    try factsParseBenchmark(connection: connection, label: county)
  } else {
    print("\(county) county_stats skipped (no firegrid binary beside the bench)")
  }

  // Search per keystroke over the county's households, read from the database.
  let loadStart = DispatchTime.now().uptimeNanoseconds
  let collected = CountyHouseholds()
  try PostgresCounty.forEachTown(on: connection, kinds: ["town", "households"]) { _, town in
    collected.add(town)
  }
  var all = collected.town
  all.town = Town(name: "全县")
  let loadTime = seconds(loadStart)
  let buildStart = DispatchTime.now().uptimeNanoseconds
  let search = TownSearch(all)
  let buildTime = seconds(buildStart)
  var pick = SplitMix64(seed: 11)
  var queries: [String] = []
  let persons = all.households.flatMap(\.persons)
  for _ in 0..<(towns >= 10 ? 300 : 30) {
    let person = persons[pick.next(below: persons.count)]
    let initials = String(Pinyin.syllables(ofName: person.name).compactMap(\.first))
    for length in 1...max(1, initials.count) { queries.append(String(initials.prefix(length))) }
    for length in 1...person.name.count { queries.append(String(person.name.prefix(length))) }
  }
  var times: [Double] = []
  for query in queries {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = search.search(query)
    times.append(seconds(start))
  }
  times.sort()
  print(
    "\(county) search_households=\(all.households.count) load_s=\(String(format: "%.2f", loadTime))"
      + " index_build_s=\(String(format: "%.2f", buildTime))"
      + " keystroke_p50_ms=\(String(format: "%.2f", percentile(times, 0.5) * 1000))"
      + " keystroke_p95_ms=\(String(format: "%.2f", percentile(times, 0.95) * 1000))"
      + " (\(times.count) keystrokes)")
  SideBySide.add(
    what: "search per keystroke over the county's \(all.households.count) households",
    firegrid: times, peer: "target p95 ≤ 50 ms",
    peerValues: [0.05])
}

/// One town's statistics facts lines read by the hand-written parser (`StatisticsFacts.decode`)
/// and, as the same facts in JSON, by JSONDecoder a line at a time (as rows arrive): why the
/// facts are a hand-parsed line.
private func factsParseBenchmark(connection: PGConnection, label: String) throws {
  let lines = try connection.exec(
    "SELECT facts FROM records WHERE town_id = 't00' AND kind IN ('households', 'visits')"
  ).rows.compactMap { $0[0] }
  let start = DispatchTime.now().uptimeNanoseconds
  var decoded: [StatisticsFacts.Line] = []
  decoded.reserveCapacity(lines.count)
  for line in lines { if let facts = StatisticsFacts.decode(line) { decoded.append(facts) } }
  let handTime = seconds(start)
  let encoder = JSONEncoder()
  let json = try decoded.map { try encoder.encode(JSONFacts($0)) }
  let decoder = JSONDecoder()
  let jsonStart = DispatchTime.now().uptimeNanoseconds
  var count = 0
  for data in json { count += (try? decoder.decode(JSONFacts.self, from: data)) == nil ? 0 : 1 }
  let jsonTime = seconds(jsonStart)
  print(
    "\(label) facts_parse lines=\(lines.count) hand_ms=\(String(format: "%.1f", handTime * 1000))"
      + " jsondecoder_ms=\(String(format: "%.1f", jsonTime * 1000)) (one town's facts;"
      + " JSON bytes \(json.reduce(0) { $0 + $1.count }) vs line bytes"
      + " \(lines.reduce(0) { $0 + $1.utf8.count }), \(count) decoded)")
}

/// The statistics facts as JSON, for `factsParseBenchmark` only.
private struct JSONFacts: Codable {
  struct Visit: Codable {
    var date: CivilDate
    var vulnerableMet: Bool
    var noticeDelivered: Bool
    var cardPosted: Bool
  }
  struct Event: Codable {
    var kind: String
    var date: CivilDate
    var deadline: CivilDate?
  }
  var householdID: String
  var gridID: String?
  var visitorID: String?
  var personIDs: [String]?
  var elderlyLivingAlone: Int?
  var hasVulnerableMember: Bool?
  var visits: [Visit]?
  var hazards: [[Event]]?

  init(_ line: StatisticsFacts.Line) {
    switch line {
    case .household(let facts):
      householdID = facts.householdID
      gridID = facts.gridID
      visitorID = facts.visitorID
      personIDs = facts.personIDs
      elderlyLivingAlone = facts.elderlyLivingAlone
      hasVulnerableMember = facts.hasVulnerableMember
    case .visits(let facts):
      householdID = facts.householdID
      visits = facts.visits.map {
        Visit(
          date: $0.date, vulnerableMet: $0.vulnerableMet, noticeDelivered: $0.noticeDelivered,
          cardPosted: $0.cardPosted)
      }
      hazards = facts.hazards.map {
        $0.events.map { Event(kind: $0.kind.rawValue, date: $0.date, deadline: $0.deadline) }
      }
    }
  }
}

/// Runs a program to its end, its output discarded; its exit status.
private func run(_ path: String, _ arguments: [String]) -> Int32 {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  do { try process.run() } catch { return -1 }
  process.waitUntilExit()
  return process.terminationStatus
}

/// The county's households as `PostgresCounty` hands each town over.
private final class CountyHouseholds: @unchecked Sendable {
  private let lock = NSLock()
  private var data = TownData(
    town: Town(name: ""), villages: [], grids: [], households: [], visitors: [])

  func add(_ town: TownData) {
    lock.lock()
    defer { lock.unlock() }
    data.villages += town.villages
    data.grids += town.grids
    data.households += town.households
  }

  var town: TownData {
    lock.lock()
    defer { lock.unlock() }
    return data
  }
}
