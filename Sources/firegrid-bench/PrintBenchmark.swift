import FiregridModel
import FiregridPrint
import Foundation

/// A village's printing before a round, the batch issue 6 budgets at 10 s: the clarity cards
/// of 1,000 households to PDF, one A6 card a page and four to an A4 sheet, and their notices.
/// The demo makes villages of about 250 households, so the grids of a 1,000-household town
/// are moved into its first village.
///
/// The A6 cards are set against their floor (`PrintFloor`: the same text through Pango and
/// Cairo directly, one layout a page) in the same run, `runs` times each, interleaved so that
/// a busy machine slows both alike: min/median/max of each, and the ratio of the medians.
func printBenchmark(households: Int, runs: Int) throws {
  var town = DemoTownGenerator(names: demoNames(), seed: 42).generate(
    households: households, today: CivilDate(year: 2026, month: 11, day: 29))
  let village = town.villages[0]
  for index in town.grids.indices { town.grids[index].villageID = village.id }
  let content = try PrintContent.bundled()
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "firegrid-bench-print-\(getpid())")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let label = "print households=\(households)"
  func megabytes(_ url: URL) -> String {
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    return String(format: "%.1f", Double(size) / 1_048_576)
  }
  func figures(_ times: [Double]) -> String {
    let sorted = times.sorted()
    return [sorted.first!, sorted[sorted.count / 2], sorted.last!]
      .map { String(format: "%.2f", $0) }.joined(separator: "/")
  }

  let cards = PrintRequest.cards(.village(village.id), layout: .a6)
  let floor = try PrintFloor(cards, town: town, content: content)
  let cardsURL = folder.appendingPathComponent("cards_a6.pdf")
  let floorURL = folder.appendingPathComponent("pango_floor.pdf")
  var cardTimes: [Double] = []
  var floorTimes: [Double] = []
  var pages = 0
  for _ in 0..<max(1, runs) {
    var start = DispatchTime.now().uptimeNanoseconds
    try floor.render(to: floorURL)
    floorTimes.append(seconds(start))
    start = DispatchTime.now().uptimeNanoseconds
    pages = try PrintRenderer.render(cards, town: town, content: content, to: cardsURL)
    cardTimes.append(seconds(start))
  }
  let ratio = cardTimes.sorted()[cardTimes.count / 2] / floorTimes.sorted()[floorTimes.count / 2]
  SideBySide.add(
    what: "1,000 A6 clarity cards to PDF", firegrid: cardTimes,
    peer: "the same text through Pango/Cairo, one layout per page (floor; target ≤ 1.2×)",
    peerValues: floorTimes)
  print(
    "\(label) cards_a6_s=\(figures(cardTimes)) pango_floor_s=\(figures(floorTimes))"
      + " ratio=\(String(format: "%.2f", ratio)) (min/median/max of \(cardTimes.count),"
      + " interleaved) pages=\(pages) pdf_mb=\(megabytes(cardsURL))"
      + " floor_pdf_mb=\(megabytes(floorURL))")

  for (name, request) in [
    ("cards_four_up", PrintRequest.cards(.village(village.id), layout: .fourUpA4)),
    ("notices", .notices(.village(village.id))),
  ] {
    let url = folder.appendingPathComponent("\(name).pdf")
    let start = DispatchTime.now().uptimeNanoseconds
    let pages = try PrintRenderer.render(request, town: town, content: content, to: url)
    let time = seconds(start)
    print(
      "\(label) \(name)_s=\(String(format: "%.2f", time)) pages=\(pages) pdf_mb=\(megabytes(url))")
  }
}
