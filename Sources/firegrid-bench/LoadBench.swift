import FiregridApp
import FiregridModel
import FiregridStore
import Foundation
import TerminalUI

/// The open as the binary does it (issue 16): the first screen from the roster alone, then
/// the whole town (visits, contacts, the archive) and its screens; each with and without the
/// checkpoint, and the store's full open both ways. Runs interleaved (the checkpoint renamed
/// aside and back between runs), `runs` of each; prints min/median/max.
func openFigures(url: URL, today: CivilDate, clock: TownStore.Clock, label: String, runs: Int)
  throws -> [String]
{
  let checkpoint = Checkpoint.url(in: url)
  let aside = checkpoint.appendingPathExtension("aside")
  // A checkpoint of the folder as it is now, written as the app writes it.
  let writer = try TownStore.open(
    folder: DataFolder(url: url), operatorName: "bench", clock: clock,
    checkpoints: Checkpoint.Policy(minimumFiles: 0, changesBetween: .max, rereadThreshold: 0))
  let writeStart = DispatchTime.now().uptimeNanoseconds
  let written = writer.waitForCheckpoint()
  let writeTime = seconds(writeStart)
  writer.close()
  guard case .success(let files)? = written else {
    return ["\(label) checkpoint: not written (\(String(describing: written)))"]
  }
  let checkpointBytes =
    (try? FileManager.default.attributesOfItem(atPath: checkpoint.path)[.size] as? Int) ?? 0

  var times: [String: [Double]] = [:]
  var uses: [String: String] = [:]
  // Cold: the kernel's caches dropped before each open (root only), as at a PC's first open of
  // the morning. Off unless asked ($FIREGRID_BENCH_COLD=1): it slows everything else running.
  let cold =
    ProcessInfo.processInfo.environment["FIREGRID_BENCH_COLD"] == "1"
    && FileManager.default.isWritableFile(atPath: "/proc/sys/vm/drop_caches")
  func dropCaches() {
    guard cold else { return }
    sync()
    try? Data("3\n".utf8).write(to: URL(fileURLWithPath: "/proc/sys/vm/drop_caches"))
  }
  let mode = cold ? "cold_" : ""
  for _ in 0..<runs {
    for withCheckpoint in [false, true] {
      if !withCheckpoint { try FileManager.default.moveItem(at: checkpoint, to: aside) }
      defer {
        if !withCheckpoint { try? FileManager.default.moveItem(at: aside, to: checkpoint) }
      }
      let suffix = withCheckpoint ? "checkpoint" : "files"
      // The store's whole open (what the command line's commands do).
      dropCaches()
      var start = DispatchTime.now().uptimeNanoseconds
      let whole = try TownStore.open(
        folder: DataFolder(url: url), operatorName: "bench", clock: clock)
      times["\(mode)load_\(suffix)_s", default: []].append(seconds(start))
      uses[suffix] = "\(whole.checkpointUse)"
      whole.close()

      // The app's: the roster and its first frame, then the rest and the screens again.
      dropCaches()
      start = DispatchTime.now().uptimeNanoseconds
      let store = try TownStore.open(
        folder: DataFolder(url: url), operatorName: "bench", clock: clock,
        deferringRecords: true)
      var state = AppState(
        town: store.town, operatorName: "bench", today: today, size: Size(columns: 80, rows: 24),
        dataPath: url.path)
      _ = state.receive(.townOpened(AppRunner.opened(store)))
      _ = AppView.render(state)
      times["\(mode)first_screen_\(suffix)_s", default: []].append(seconds(start))
      store.finishLoading { _ in }
      _ = state.receive(.townLoaded(AppRunner.opened(store)))
      _ = AppView.render(state)
      times["\(mode)fully_loaded_\(suffix)_s", default: []].append(seconds(start))
      store.close()
      // The search index, built by the worker after the load (its time is off the UI loop),
      // then the first `/` and a first key, as the clerk meets them.
      let town = state.town
      start = DispatchTime.now().uptimeNanoseconds
      let search = TownSearch(town)
      times["search_index_background_s", default: []].append(seconds(start))
      _ = state.receive(.searchIndexBuilt(search, basis: town))
      start = DispatchTime.now().uptimeNanoseconds
      _ = state.press(.character("/"))
      _ = AppView.render(state)
      _ = state.press(.character("张"))
      _ = AppView.render(state)
      times["first_search_key_ms", default: []].append(seconds(start) * 1000)
      _ = state.press(.escape)
    }
  }
  for suffix in ["files", "checkpoint"] {
    let what = suffix == "files" ? "without a checkpoint" : "with the checkpoint"
    if let first = times["\(mode)first_screen_\(suffix)_s"] {
      SideBySide.add(
        what: "season town, \(mode.isEmpty ? "" : "caches cold, ")first screen (\(what))",
        firegrid: first, peer: "target ≤ 0.3 s", peerValues: [0.3])
    }
    if let full = times["\(mode)fully_loaded_\(suffix)_s"] {
      SideBySide.add(
        what: "season town, \(mode.isEmpty ? "" : "caches cold, ")fully loaded (\(what))",
        firegrid: full, peer: "target ≤ 0.6 s", peerValues: [0.6])
    }
  }
  if let search = times["first_search_key_ms"] {
    SideBySide.add(
      what: "first `/` and a key, the index built in the background",
      firegrid: search.map { $0 / 1000 }, peer: "target ≤ 20 ms", peerValues: [0.020])
  }
  var lines = [
    "\(label) checkpoint_write_s=\(String(format: "%.3f", writeTime)) (\(files) files, "
      + String(format: "%.1f", Double(checkpointBytes) / 1_048_576)
      + " MB; in the background, never on a save)"
  ]
  for name in times.keys.sorted() {
    let sorted = times[name]!.sorted()
    lines.append(
      "\(label) \(name)=\(String(format: "%.3f", sorted[sorted.count / 2])) (min "
        + "\(String(format: "%.3f", sorted.first!)) max \(String(format: "%.3f", sorted.last!)),"
        + " \(runs) runs)")
  }
  lines.append(
    "\(label) checkpoint_use: \(uses["checkpoint"] ?? "-") / without: \(uses["files"] ?? "-")")
  return lines
}
