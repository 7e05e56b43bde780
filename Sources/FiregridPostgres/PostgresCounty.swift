import FiregridModel
import FiregridStore
import Foundation

/// The county's view of a database: every town in it, read one at a time (the statistics
/// table needs each town's roster, visits and contact logs, not its archive, premises or
/// audit), so the county's 300,000 households are never all in memory at once.
public enum PostgresCounty {
  /// The records the statistics table reads: town.json (villages, grids, campaigns), the
  /// households, their visit records and the grids' contact logs.
  public static let statisticsKinds = ["town", "households", "visits", "contacts"]

  /// Calls `body` with each town of the database in id order, decoded from the records of
  /// `kinds` only (the rest of `TownData` left empty). The next town's rows are fetched on this
  /// thread while `body` runs on the previous one on another (two towns in memory at most).
  public static func forEachTown(
    on connection: PGConnection, kinds: [String] = statisticsKinds,
    _ body: @escaping @Sendable (_ id: String, _ town: TownData) -> Void
  ) throws {
    let ids = try connection.exec("SELECT id FROM towns ORDER BY id").rows.compactMap { $0[0] }
    let group = DispatchGroup()
    let queue = DispatchQueue(label: "firegrid.county")
    for id in ids {
      let rows = try connection.exec(
        "SELECT kind, record_id, body FROM records WHERE town_id = $1 AND kind = ANY($2::text[])",
        [id, "{" + kinds.joined(separator: ",") + "}"])
      var files: [String: Data] = [:]
      files.reserveCapacity(rows.rows.count)
      for row in rows.rows {
        files[PostgresTownStore.path(kind: row[0] ?? "", id: row[1] ?? "")] = Data(
          (row[2] ?? "").utf8)
      }
      // One town decoded and counted while the next is fetched.
      group.wait()
      let taken = files
      queue.async(group: group) {
        body(id, PortableTown.decode(taken).town)
      }
    }
    group.wait()
  }
}
