import FiregridApp
import FiregridModel
import FiregridPrint
import FiregridResources
import FiregridSheets
import FiregridStore
import Foundation
import TerminalUI

/// A full season at town scale: the demo town with two visits per household per round (one
/// more for vulnerable households) through the end of March, ~200,000 visits. Prints the open
/// time (store, app state and first frame), each worklist's time, and visit-save latency.
func seasonBenchmark(households: Int, saves: Int) throws {
  // $FIREGRID_BENCH_SEASON_FOLDER: a season folder kept from an earlier run (with
  // $FIREGRID_BENCH_KEEP set), to time the open again without the minutes of writing it.
  let environment = ProcessInfo.processInfo.environment
  let reused = environment["FIREGRID_BENCH_SEASON_FOLDER"].map { URL(fileURLWithPath: $0) }
  let url =
    reused
    ?? FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-bench-season-\(households)-\(getpid())")
  if reused == nil { try? FileManager.default.removeItem(at: url) }
  let keep = reused != nil || environment["FIREGRID_BENCH_KEEP"] != nil
  defer { if !keep { try? FileManager.default.removeItem(at: url) } }
  let today = CivilDate(year: 2027, month: 3, day: 20)
  let clock = TownStore.Clock(today: { "2027-03-20" }, now: { "2027-03-20T10:00:00+08:00" })
  let form = try ResourceFiles.residentialForm()
  let forms = try ResourceFiles.formRegistry()
  let generateStart = DispatchTime.now().uptimeNanoseconds
  // The season folder's first backup, timed on its own (nil: a reused folder has it).
  var firstBackupTime: Double?
  if reused == nil {
    var town = DemoTownGenerator(names: demoNames(), seed: 42).generate(
      households: households, today: CivilDate(year: 2026, month: 11, day: 10))
    // Premises too (about one business per 15 households), inspected once a round.
    town = DemoSeasonGenerator(
      form: form, seed: 42, visitsPerRound: 2, roundCompletion: 0.98,
      officeForm: forms.current(for: .office), businessForm: forms.current(for: .business)
    )
    .generate(into: town, through: today)
    try DataFolder(url: url, fileSystem: SetupFileSystem()).create(town)
    // The set-up wrote without fsync: flush it first, or the backup's syncfs pays for it.
    sync()
    let backupStart = DispatchTime.now().uptimeNanoseconds
    try Backups.takeDailyIfNeeded(folder: url, today: "2027-03-20")
    firstBackupTime = seconds(backupStart)
  }
  let generateTime = seconds(generateStart)
  let bytes = folderBytes(url.appendingPathComponent(DataFolder.visitsFolderName))
  if environment["FIREGRID_BENCH_KEEP"] != nil { print("kept \(url.path)") }
  // Open as the app does: load and lock, then the first frame with its worklists.
  let openStart = DispatchTime.now().uptimeNanoseconds
  let store = try TownStore.open(folder: DataFolder(url: url), operatorName: "bench", clock: clock)
  let loadTime = seconds(openStart)
  var state = AppState(
    town: store.town, operatorName: "bench", today: today, size: Size(columns: 80, rows: 24),
    dataPath: url.path)
  _ = AppView.render(state)
  let openTime = seconds(openStart)
  // The first frame of 敲门走访 too: its grid table is built on open.
  _ = state.press(.character("2"))
  _ = AppView.render(state)

  let loaded = store.town
  let visits = loaded.visitRecords.values.reduce(0) { $0 + $1.visits.count }
  let hazards = loaded.visitRecords.values.reduce(0) { $0 + $1.hazards.count }
  let campaign = loaded.campaign(on: today)
  let round = campaign.workingRound(on: today)!
  var worklistTimes: [(String, Double)] = []
  func time(_ name: String, _ body: () -> Int) {
    var best = Double.infinity
    var count = 0
    for _ in 0..<5 {
      let start = DispatchTime.now().uptimeNanoseconds
      count = body()
      best = min(best, seconds(start) * 1000)
    }
    worklistTimes.append(("\(name)(\(count))", best))
  }
  time("unvisited") { Worklists.unvisited(in: round, town: loaded).count }
  time("hazards_due") { Worklists.hazardsDue(on: today, town: loaded).count }
  time("missing_contacts") {
    Worklists.missingContacts(campaign: campaign, today: today, town: loaded).count
  }
  time("visitor_progress") { Worklists.visitorProgress(in: round, town: loaded).count }
  time("counts") { Worklists.counts(campaign: campaign, today: today, town: loaded).visits }

  var rng = SplitMix64(seed: 5)
  var latencies: [Double] = []
  var answers: [String: Answer] = [:]
  for section in form.sections {
    for item in section.items where item.onlyForVulnerable != true {
      // A choice (房屋结构, 层数) takes one of its options; a tick box its good answer.
      answers[item.id] =
        section.kind == .choice ? item.options?.first.flatMap { Answer(rawValue: $0.key) } : .yes
    }
  }
  for save in 0..<saves {
    let household = loaded.households[rng.next(below: loaded.households.count)]
    let entry = VisitEntry(
      householdID: household.id, date: today, visitorID: "bench-\(getpid())-\(save)",
      personsMet: "户主",
      answers: answers)
    let record = store.town.visitRecord(of: household.id)
    let start = DispatchTime.now().uptimeNanoseconds
    let (updated, _) = try VisitRules.record(entry, in: record, form: form, today: today)
    try store.saveVisitRecord(updated)
    latencies.append(seconds(start) * 1000)
  }
  let label = "season households=\(households)"
  let screenLines = try screenFigures(
    store, today: today, form: form, answers: answers, saves: saves, label: label,
    dataPath: url.path)
  try historyFigures(
    store, url: url, clock: clock, today: today, form: form, answers: answers, label: label)
  store.close()
  latencies.sort()
  // The next day's backup, after the saves above (nil: a reused folder already has it).
  let backupStart = DispatchTime.now().uptimeNanoseconds
  let nextDay = try Backups.takeDailyIfNeeded(folder: url, today: "2027-03-21")
  let backupTime = nextDay ? seconds(backupStart) : nil

  // A crash after a commit, before its file: the next open redoes it from the day's redo
  // file, which holds every save of the day (the saves above and this one).
  let crashing = try TownStore.open(
    folder: DataFolder(url: url, fileSystem: StopBeforeFiles()), operatorName: "bench",
    clock: clock)
  let crashed = crashing.town.households[0]
  let (unapplied, _) = try VisitRules.record(
    VisitEntry(
      householdID: crashed.id, date: today, visitorID: "bench-crash-\(getpid())", personsMet: "户主",
      answers: answers), in: crashing.town.visitRecord(of: crashed.id), form: form, today: today)
  try crashing.saveVisitRecord(unapplied)
  crashing.close()
  let redoRecords =
    (try? String(
      contentsOf: url.appendingPathComponent("journal/2027-03-20.redo"), encoding: .utf8))?
    .split(separator: "\n").count ?? 0
  let recoverStart = DispatchTime.now().uptimeNanoseconds
  let recovered = try TownStore.open(
    folder: DataFolder(url: url), operatorName: "bench", clock: clock)
  let recoverTime = seconds(recoverStart)
  let redone = recovered.town.visitRecords[crashed.id]?.visits.count == unapplied.visits.count
  recovered.close()
  let openLines = try openFigures(
    url: url, today: today, clock: clock, label: label, runs: households >= 1_000 ? 5 : 1)
  checkFigures(url, forms: forms, label: label)
  print(
    "\(label) open_after_crash_s=\(String(format: "%.3f", recoverTime)) (redo file of "
      + "\(redoRecords) saves, the last one redone: \(redone))")
  let inspections = loaded.premisesRecords.values.reduce(0) { $0 + $1.visits.count }
  print("\(label) premises=\(loaded.premises.count) inspections=\(inspections)")
  print(
    "\(label) visits=\(visits) hazards=\(hazards) visit_files_mb="
      + String(format: "%.1f", Double(bytes) / 1_048_576)
      + " generate_s=\(String(format: "%.1f", generateTime))")
  if let firstBackupTime {
    print(
      "\(label) first_backup_s=\(String(format: "%.3f", firstBackupTime))"
        + " (\(backupFiles(url, "2027-03-20")) files)")
  }
  if let backupTime {
    SideBySide.add(
      what: "season town, the next day's backup (in the background)", firegrid: [backupTime],
      peer: "target ≤ 1 s", peerValues: [1])
    print(
      "\(label) daily_backup_s=\(String(format: "%.3f", backupTime)) (the next day's, after"
        + " \(saves) saves; \(backupFiles(url, "2027-03-21")) files)")
  }
  print("\(label) load_s=\(String(format: "%.3f", loadTime))")
  print("\(label) open_s=\(String(format: "%.3f", openTime)) (load + app state + first frame)")
  for line in openLines { print(line) }
  for (name, ms) in worklistTimes {
    print("\(label) worklist_\(name)_ms=\(String(format: "%.2f", ms))")
  }
  for (name, p) in [("p50", 0.50), ("p95", 0.95), ("p99", 0.99)] {
    print("\(label) visit_save_\(name)_ms=\(String(format: "%.3f", percentile(latencies, p)))")
  }
  for line in screenLines { print(line) }
  try reportFigures(loaded, day: today, label: label, in: url)
  print("\(label) peak_rss_mb=\(String(format: "%.1f", peakMemoryMB()))")
}

/// The app's side of a visit save, without the disk: the state opened on the season town as
/// the program opens it (built, then shown the town it opened), and `Ctrl-S` key → screen as
/// the app does it once the store has written: the `visitRecordSaved` result (the next
/// household's form opened) and the frame drawn. Shown: 敲门走访's grid list with one grid's
/// batch on top, the households saved being that grid's, one after another; then the list of
/// households not visited this round (`u`, over the whole town), saving its first ones.
func screenFigures(
  _ store: TownStore, today: CivilDate, form: VisitForm, answers: [String: Answer], saves: Int,
  label: String, dataPath: String
) throws -> [String] {
  let size = Size(columns: 80, rows: 24)
  var openTimes: [Double] = []
  var opened: AppState?
  for _ in 0..<3 {
    let start = DispatchTime.now().uptimeNanoseconds
    var state = AppState(
      town: store.town, operatorName: "bench", today: today, size: size,
      dataPath: dataPath)
    _ = state.receive(.townOpened(AppRunner.opened(store)))
    _ = AppView.render(state)
    openTimes.append(seconds(start) * 1000)
    opened = state
  }
  guard let opened else { return [] }
  /// Saves a visit to each household in turn; the times, sorted.
  func timeSaves(_ state: inout AppState, _ households: [Household], tag: String) throws
    -> [Double]
  {
    var times: [Double] = []
    for save in 0..<saves {
      let household = households[save % households.count]
      let entry = VisitEntry(
        householdID: household.id, date: today, visitorID: "bench-\(tag)-\(save)",
        personsMet: "户主", answers: answers)
      let (record, visit) = try VisitRules.record(
        entry, in: state.town.visitRecord(of: household.id), form: form, today: today)
      let start = DispatchTime.now().uptimeNanoseconds
      _ = state.receive(
        .visitRecordSaved(record, .visit(visitID: visit.id, next: true), newVisitor: nil))
      _ = AppView.render(state)
      times.append(seconds(start) * 1000)
    }
    return times.sorted()
  }
  // 敲门走访, a grid in the middle of the list, its households (the stack of paper forms).
  var batch = opened
  _ = batch.press(.character("2"))
  for _ in 0..<12 { _ = batch.press(.down) }
  _ = batch.press(.enter)
  _ = AppView.render(batch)
  // The grid list's order: villages in turn, each village's grids in the roster's order.
  let town = store.town
  let grids = town.villages.flatMap { village in town.grids.filter { $0.villageID == village.id } }
  let gridID = grids[min(12, grids.count - 1)].id
  let households = town.households.filter { $0.gridID == gridID }
  let times = try timeSaves(&batch, households, tag: "batch")
  // 敲门走访's households not visited this round: each save takes one off the list.
  var pending = opened
  _ = pending.press(.character("2"))
  _ = pending.press(.character("u"))
  _ = AppView.render(pending)
  guard let round = town.campaign(on: today).workingRound(on: today) else { return [] }
  let unvisited = Worklists.unvisited(in: round, town: town).prefix(saves)
    .compactMap { entry in town.households.first { $0.id == entry.householdID } }
  let pendingTimes = try timeSaves(&pending, Array(unvisited), tag: "pending")
  openTimes.sort()
  SideBySide.add(
    what: "`Ctrl-S` on a visit, key → screen, p95 (the store's write apart)",
    firegrid: [percentile(times, 0.95) / 1000], peer: "target ≤ 10 ms", peerValues: [0.010])
  return [
    "\(label) open_state_ms=\(String(format: "%.1f", openTimes[openTimes.count / 2])) "
      + "(app state built and shown the town, first frame; median of 3)",
    "\(label) visit_save_screen_p50_ms=\(String(format: "%.3f", percentile(times, 0.50))) "
      + "visit_save_screen_p95_ms=\(String(format: "%.3f", percentile(times, 0.95))) "
      + "(\(times.count) saves in a grid of \(households.count), key → screen without the disk)",
    "\(label) visit_save_pending_screen_p50_ms="
      + "\(String(format: "%.3f", percentile(pendingTimes, 0.50))) "
      + "visit_save_pending_screen_p95_ms=\(String(format: "%.3f", percentile(pendingTimes, 0.95))) "
      + "(\(pendingTimes.count) saves from the list of households not visited this round)",
  ]
}

/// The county's tables of the season town: the statistics table (both sheets) to XLSX, and
/// the town's whole hazard register to PDF, each from the town in memory to the file.
func reportFigures(_ town: TownData, day: CivilDate, label: String, in folder: URL) throws {
  let forms = try ResourceFiles.formRegistry()
  let columns = try ResourceFiles.reportColumns(named: "statistics")
  let campaign = town.campaign(on: day)
  let statsStart = DispatchTime.now().uptimeNanoseconds
  let statistics = try Reports.statistics(
    town: town, scope: .campaign(campaign), columns: columns, day: day, forms: forms)
  try XLSXWriter.write(
    Workbook(report: statistics), to: folder.appendingPathComponent("statistics.xlsx"))
  let statsTime = seconds(statsStart)
  let registerStart = DispatchTime.now().uptimeNanoseconds
  let register = try Reports.hazardRegister(town: town, day: day, forms: forms)
  let pages = try ReportPDF.render(
    report: register, to: folder.appendingPathComponent("register.pdf"))
  let registerTime = seconds(registerStart)
  print(
    "\(label) report_statistics_xlsx_s=\(String(format: "%.3f", statsTime)) "
      + "(\(statistics.tables.map(\.rows.count).reduce(0, +)) rows)")
  print(
    "\(label) report_hazard_register_pdf_s=\(String(format: "%.3f", registerTime)) "
      + "(\(register.tables.first?.rows.count ?? 0) hazards, \(pages) pages)")
  try supervisionFigures(town, day: day, label: label, in: folder)
}

/// 督查 on the season town: a sample of 10 a village drawn and its check sheet to PDF, every
/// visitor's quota for a month, and a round's 通报/约谈 drafts (the findings over the town).
func supervisionFigures(_ town: TownData, day: CivilDate, label: String, in folder: URL) throws {
  let campaign = town.campaign(on: day)
  let round = campaign.finishedRounds(by: day).last ?? campaign.rounds[0]
  func milliseconds(_ body: () throws -> Int) rethrows -> (Double, Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    let count = try body()
    return (seconds(start) * 1000, count)
  }
  var sample: [String] = []
  let (drawMS, drawn) = milliseconds {
    sample = SpotCheckSampling.draw(round: round.number, perVillage: 10, seed: 12345, town: town)
    return sample.count
  }
  let (sheetMS, pages) = try milliseconds {
    let record = SpotCheckSample(
      id: "s1", round: round.number, perVillage: 10, seed: 12345, drawnOn: day, drawnBy: "bench",
      householdIDs: sample)
    return try ReportPDF.render(
      report: SupervisionReports.checkSheet(sample: record, campaign: campaign, town: town),
      to: folder.appendingPathComponent("sheet.pdf"))
  }
  let month = Supervision.Period.month(year: round.start.year, month: round.start.month)
  let (quotaMS, visitors) = milliseconds {
    Supervision.quota(in: month, campaign: campaign, town: town).count
  }
  let (noticesMS, named) = milliseconds {
    let findings = Supervision.findings(
      round: round, campaign: campaign, asOf: round.end, town: town)
    let draft = Supervision.draftNotices(findings, issued: [], campaign: campaign, town: town)
    return draft.criticism.count + draft.admonition.count
  }
  print(
    "\(label) supervision_sample_draw_ms=\(String(format: "%.1f", drawMS)) (\(drawn) households) "
      + "check_sheet_pdf_ms=\(String(format: "%.1f", sheetMS)) (\(pages) pages)")
  print(
    "\(label) supervision_month_quota_ms=\(String(format: "%.1f", quotaMS)) (\(visitors) visitors) "
      + "round_notices_ms=\(String(format: "%.1f", noticesMS)) (\(named) named)")
}

/// Stops a save after its commit, before its data file is written: a crash at that point.
struct StopBeforeFiles: FileSystem {
  func writeAtomically(_ data: Data, to url: URL) throws(StoreError) {
    try AtomicFile.write(data, to: url)
  }
  func makeFolder(_ url: URL) throws(StoreError) { try AtomicFile.makeFolder(url) }
  func faultPoint(_ step: String) throws(StoreError) {
    if step == "files" { throw StoreError.io(path: "crash", code: EIO) }
  }
}

/// How many regular files the backup `name` of `folder` holds.
func backupFiles(_ folder: URL, _ name: String) -> Int {
  let backup = folder.appendingPathComponent("\(Backups.folderName)/\(name)")
  guard let walker = FileManager.default.enumerator(atPath: backup.path) else { return 0 }
  var count = 0
  while let path = walker.nextObject() as? String {
    var info = stat()
    if lstat(backup.appendingPathComponent(path).path, &info) == 0,
      info.st_mode & S_IFMT == S_IFREG
    {
      count += 1
    }
  }
  return count
}

func folderBytes(_ url: URL) -> Int {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
  return names.reduce(0) { total, name in
    let size =
      (try? FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(name).path)[
        .size] as? Int) ?? 0
    return total + size
  }
}

/// History (`h`) on the season town, for ~50 households spread over the roster: the whole log
/// searched (as before the index, median of 3), the first history of a folder without its
/// index (built from the whole log, then kept), later ones (warm), one just after a save (the
/// save's lines read on their own), and the first of a fresh opening, which reads the index
/// file.
func historyFigures(
  _ store: TownStore, url: URL, clock: TownStore.Clock, today: CivilDate, form: VisitForm,
  answers: [String: Answer], label: String
) throws {
  let town = store.town
  let step = max(1, town.households.count / 50)
  let ids = stride(from: 0, to: town.households.count, by: step).prefix(50).map {
    town.households[$0].id
  }
  func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return seconds(start) * 1000
  }
  let scans = try ids.prefix(3).map { id in
    try milliseconds {
      _ = try AuditLog.entries(
        folder: url, records: ["household/\(id)"],
        prefixes: ["visit/\(id)-", "hazard/\(id)-", "spotcheck/\(id)-c"])
    }
  }.sorted()
  // The index file is derived: removed, the first history builds it (FiregridStore's
  // AuditIndex keeps it in journal/).
  let indexFile = url.appendingPathComponent("journal/audit.index")
  try? FileManager.default.removeItem(at: indexFile)
  let build = try milliseconds { _ = try store.history(ofHousehold: ids[0]) }
  var lines = 0
  let warm = try ids.map { id in
    try milliseconds { lines += try store.history(ofHousehold: id).count }
  }.sorted()
  var afterSave: [Double] = []
  for (index, id) in ids.prefix(10).enumerated() {
    let entry = VisitEntry(
      householdID: id, date: today, visitorID: "bench-history-\(getpid())-\(index)",
      personsMet: "户主", answers: answers)
    let (updated, _) = try VisitRules.record(
      entry, in: store.town.visitRecord(of: id), form: form, today: today)
    try store.saveVisitRecord(updated)
    afterSave.append(try milliseconds { _ = try store.history(ofHousehold: id) })
  }
  afterSave.sort()
  // A second opening while this one holds the folder: read-only, it starts from the file.
  var fresh: [Double] = []
  for id in ids.prefix(3) {
    let reader = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "bench-reader", clock: clock)
    fresh.append(try milliseconds { _ = try reader.history(ofHousehold: id) })
    reader.close()
  }
  fresh.sort()
  let logBytes =
    (try? FileManager.default.attributesOfItem(
      atPath: url.appendingPathComponent("audit.log").path)[.size] as? Int) ?? 0
  let indexBytes =
    (try? FileManager.default.attributesOfItem(
      atPath: indexFile.path)[.size] as? Int) ?? 0
  func format(_ value: Double) -> String { String(format: "%.2f", value) }
  SideBySide.add(
    what: "history `h`, warm (\(ids.count) households; audit.log "
      + "\(String(format: "%.0f", Double(logBytes) / 1_048_576)) MB)",
    firegrid: warm.map { $0 / 1000 }, peer: "the whole log searched, as before",
    peerValues: scans.map { $0 / 1000 })
  SideBySide.add(
    what: "history `h`, first of a fresh opening (from the index file)",
    firegrid: fresh.map { $0 / 1000 }, peer: "target ≤ 15 ms", peerValues: [0.015])
  print(
    "\(label) history_full_scan_ms=\(format(scans[scans.count / 2])) (the whole log searched,"
      + " as before the index; audit.log \(String(format: "%.1f", Double(logBytes) / 1_048_576)) MB)"
  )
  print(
    "\(label) history_cold_build_ms=\(format(build)) (first history without the index file:"
      + " built from the whole log, file of \(indexBytes / 1024) KB written)")
  print(
    "\(label) history_ms_p50=\(format(percentile(warm, 0.50))) history_ms_p95="
      + "\(format(percentile(warm, 0.95))) (warm, \(ids.count) households,"
      + " \(lines / max(1, ids.count)) lines each on average)")
  print(
    "\(label) history_after_save_ms_p50=\(format(percentile(afterSave, 0.50)))"
      + " history_after_save_ms_p95=\(format(percentile(afterSave, 0.95)))"
      + " (\(afterSave.count) saves, each followed by that household's history)")
  print(
    "\(label) history_cold_ms=\(format(fresh[fresh.count / 2])) (first history of a fresh"
      + " opening, from the index file; median of \(fresh.count))")
}

/// `firegrid check` on the season folder, against the floor of reading its JSON: Python's
/// `json.load` of every `*.json` under the folder (the backups' too), and of the data files
/// alone (without `backups/`). Best of two each; skipped when python3 is not there.
func checkFigures(_ url: URL, forms: FormRegistry, label: String) {
  var best = Double.infinity
  var problems = 0
  var checkTimes: [Double] = []
  for _ in 0..<2 {
    let start = DispatchTime.now().uptimeNanoseconds
    problems = FolderCheck.run(DataFolder(url: url), forms: forms).count
    checkTimes.append(seconds(start))
    best = min(best, checkTimes.last!)
  }
  print("\(label) check_s=\(String(format: "%.3f", best)) (\(problems) problems; best of 2)")
  let script = """
    import json, os, sys
    root, skip = sys.argv[1], set(sys.argv[2:])
    for folder, folders, files in os.walk(root):
        if folder == root:
            folders[:] = [name for name in folders if name not in skip]
        for name in files:
            if name.endswith(".json"):
                with open(os.path.join(folder, name), "rb") as file:
                    json.load(file)
    """
  for (name, skipped) in [
    ("check_floor_json_load_s", []), ("check_floor_data_json_load_s", ["backups"]),
  ] {
    var floorTimes: [Double] = []
    defer {
      if !floorTimes.isEmpty {
        SideBySide.add(
          what: "`check` on the season town", firegrid: checkTimes,
          peer: "Python json.load of every *.json"
            + (skipped.isEmpty ? " (backups included)" : " (data files only)"),
          peerValues: floorTimes)
      }
    }
    var floor = Double.infinity
    for _ in 0..<2 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["python3", "-c", script, url.path] + skipped
      process.standardError = FileHandle.nullDevice
      let start = DispatchTime.now().uptimeNanoseconds
      do {
        try process.run()
        process.waitUntilExit()
      } catch {
        break
      }
      guard process.terminationStatus == 0 else { break }
      floorTimes.append(seconds(start))
      floor = min(floor, floorTimes.last!)
    }
    guard floor.isFinite else {
      print("\(label) \(name) skipped (python3 missing or failed)")
      return
    }
    print(
      "\(label) \(name)=\(String(format: "%.3f", floor)) check_s/floor="
        + "\(String(format: "%.2f", best / floor))"
        + (skipped.isEmpty ? " (every *.json under the folder)" : " (without backups/)"))
  }
}
