import FiregridModel
import FiregridPrint
import Foundation

/// A village's printing before a round, the batch issue 6 budgets at 10 s: the clarity cards
/// of 1,000 households to PDF, one A6 card a page and four to an A4 sheet, and their notices.
/// The demo makes villages of about 250 households, so the grids of a 1,000-household town
/// are moved into its first village.
func printBenchmark(households: Int) throws {
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
  for (name, request) in [
    ("cards_a6", PrintRequest.cards(.village(village.id), layout: .a6)),
    ("cards_four_up", .cards(.village(village.id), layout: .fourUpA4)),
    ("notices", .notices(.village(village.id))),
  ] {
    let url = folder.appendingPathComponent("\(name).pdf")
    let start = DispatchTime.now().uptimeNanoseconds
    let pages = try PrintRenderer.render(request, town: town, content: content, to: url)
    let time = seconds(start)
    let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    print(
      "\(label) \(name)_s=\(String(format: "%.2f", time)) pages=\(pages)"
        + " pdf_mb=\(String(format: "%.1f", Double(size) / 1_048_576))")
  }
}
