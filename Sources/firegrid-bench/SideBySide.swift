import Foundation

/// The table `make bench` prints last (issue 16, point 8): each row a figure of Firegrid's
/// beside a peer's (another program doing the same work) or a floor (what the work costs at
/// least, or the target it has to meet), with the ratio of the medians. Any part of the bench
/// adds rows as it measures; `printTable()` writes them in the order added.
enum SideBySide {
  struct Row {
    var what: String
    /// Firegrid's runs, in seconds (min, median and max are printed).
    var firegrid: [Double]
    /// The peer or floor, in words ("VisiData 3.4 …", "target"); its values follow it.
    var peer: String
    /// The peer's runs in seconds, if it was measured (or the floor's value); nil: no ratio.
    var peerValues: [Double]?
  }

  private static let lock = NSLock()
  nonisolated(unsafe) private static var rows: [Row] = []

  static func add(what: String, firegrid: [Double], peer: String, peerValues: [Double]? = nil) {
    lock.lock()
    defer { lock.unlock() }
    rows.append(Row(what: what, firegrid: firegrid, peer: peer, peerValues: peerValues))
  }

  /// The rows as a Markdown table (nothing when no row was added).
  static func printTable() {
    lock.lock()
    let taken = rows
    lock.unlock()
    guard !taken.isEmpty else { return }
    print("")
    print("| what | Firegrid min / median / max | peer or floor | ratio |")
    print("| --- | --- | --- | --- |")
    for row in taken {
      var peer = row.peer
      var ratio = "—"
      if let values = row.peerValues, !values.isEmpty {
        peer += ": " + spread(values)
        let base = median(values)
        if base > 0, !row.firegrid.isEmpty {
          ratio = String(format: "%.2g×", median(row.firegrid) / base)
        }
      }
      print(
        "| \(row.what) | \(row.firegrid.isEmpty ? "—" : spread(row.firegrid)) | \(peer) | \(ratio) |"
      )
    }
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// "min / median / max unit" (one value: just it), in ms below a second, else in s.
  static func spread(_ values: [Double]) -> String {
    let sorted = values.sorted()
    guard let first = sorted.first, let last = sorted.last else { return "—" }
    let inMilliseconds = median(sorted) < 1
    func number(_ value: Double) -> String {
      inMilliseconds
        ? String(format: value * 1000 < 10 ? "%.1f" : "%.0f", value * 1000)
        : String(format: "%.2f", value)
    }
    let unit = inMilliseconds ? "ms" : "s"
    if sorted.count == 1 { return "\(number(first)) \(unit)" }
    return "\(number(first)) / \(number(median(sorted))) / \(number(last)) \(unit)"
  }
}
