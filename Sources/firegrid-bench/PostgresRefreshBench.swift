import FiregridModel
import FiregridPostgres
import Foundation

/// Another clerk's save read by a clerk's store on the season town (issue 14's "screens show
/// changes within seconds"): the records the chain names since (`refresh`, what the app runs)
/// against the whole town read again (`load`, what it ran before), 5 saves each, median.
func postgresRefreshBenchmark(location: PostgresLocation, label: String) throws {
  let writer = try location.openStore(operatorName: "bench-a")
  defer { writer.close() }
  let reader = try location.openStore(operatorName: "bench-b")
  defer { reader.close() }
  var changed: [Double] = []
  var whole: [Double] = []
  var read = 0
  for round in 0..<5 {
    let household = writer.town.households[round % writer.town.households.count]
    var edited = household
    edited.address = household.address + "（\(round)）"
    try writer.apply(try RosterEdit.saveHousehold(edited, in: writer.town))
    var start = DispatchTime.now().uptimeNanoseconds
    _ = try reader.refresh()
    changed.append(seconds(start))
    read = reader.recordsLastRead
    start = DispatchTime.now().uptimeNanoseconds
    try reader.load()
    whole.append(seconds(start))
  }
  func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
  print(
    "\(label) refresh_changed_ms=\(String(format: "%.1f", median(changed) * 1000)) "
      + "(\(read) record read) whole_reload_ms=\(String(format: "%.1f", median(whole) * 1000)) "
      + "(another clerk's save, median of 5)")
  SideBySide.add(
    what: "another clerk's save read (PostgreSQL)", firegrid: changed,
    peer: "the whole town read again", peerValues: whole)
}
