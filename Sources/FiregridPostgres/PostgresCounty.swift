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

extension PostgresCounty {
  /// What the county's table had to compute from records' bodies because their statistics
  /// facts were missing (a database migrated from version 2) or of an older format, and how
  /// many of those it stored back.
  public struct Refill: Equatable, Sendable {
    /// Facts computed from bodies.
    public var computed = 0
    /// Of those, written back to the rows (the next run reads them).
    public var stored = 0
    /// Why they could not be written back (an inspector's account reads only), if so.
    public var notStored: String?
  }

  /// Rows written back per statement.
  static let refillBatch = 500

  /// Calls `body` with each town of the database in id order: town.json and its contact logs
  /// decoded (`TownData` with no households or visit records), and its households' and visit
  /// records' statistics facts, read from the `facts` column only, never their bodies — except
  /// rows whose facts are missing or of another format version: those are computed here from
  /// the body (the same decoders as the town's open) and written back in batches of
  /// `refillBatch` (only if the body is still the one read, by its digest; a newer format's
  /// facts are used as computed and left alone). `firstRefill` is called once, before the
  /// first such row is computed, so the caller can say the run will be slow this once.
  ///
  /// The next town's rows are fetched on this thread while `body` decodes and counts the
  /// previous one on another (two towns in memory at most).
  @discardableResult
  public static func forEachTownFacts(
    on connection: PGConnection, firstRefill: () -> Void = {},
    _ body: @escaping @Sendable (_ id: String, _ town: TownData, _ facts: TownFacts) -> Void
  ) throws -> Refill {
    let ids = try connection.exec("SELECT id FROM towns ORDER BY id").rows.compactMap { $0[0] }
    let group = DispatchGroup()
    let queue = DispatchQueue(label: "firegrid.county")
    let current = [StatisticsFacts.householdTag, StatisticsFacts.visitsTag]
    var refill = Refill()
    var announced = false
    for id in ids {
      // A row with current facts brings only them (its kind and id are in the line: nothing
      // else is sent or made into a string); the others their kind, id, body and digest.
      let rows = try connection.exec(
        """
        SELECT CASE WHEN current THEN NULL ELSE kind END,
          CASE WHEN current THEN NULL ELSE record_id END, facts,
          CASE WHEN current THEN NULL ELSE body END, CASE WHEN current THEN NULL ELSE digest END
        FROM (
          SELECT kind, record_id, body, digest,
            CASE WHEN kind IN ('households', 'visits') THEN facts END AS facts,
            coalesce(kind IN ('households', 'visits')
              AND split_part(facts, ' ', 1) = ANY($2::text[]), false) AS current
          FROM records
          WHERE town_id = $1 AND kind IN ('town', 'contacts', 'households', 'visits')
        ) AS r
        """, [id, "{" + current.joined(separator: ",") + "}"])
      var files: [String: Data] = [:]
      var facts = TownFacts()
      facts.households.reserveCapacity(rows.rows.count / 2)
      var computed: [(kind: String, id: String, facts: String, digest: String)] = []
      var unreadable: [(kind: String, id: String)] = []
      var unreadableLines: [String] = []
      /// Facts from the body of a row whose facts are missing or not current.
      func compute(kind: String, recordID: String, stored: String?, body: String, digest: String) {
        if !announced {
          announced = true
          firstRefill()
        }
        let path = PostgresTownStore.path(kind: kind, id: recordID)
        guard let line = PortableTown.statisticsFacts(path: path, content: Data(body.utf8)),
          let decoded = StatisticsFacts.decode(line)
        else { return }
        refill.computed += 1
        facts.add(decoded)
        // Written back unless a newer program wrote them (its format stays).
        if !isNewer(stored) { computed.append((kind, recordID, line, digest)) }
      }
      for row in rows.rows {
        guard let kind = row[0] else {
          if let line = row[2], let decoded = StatisticsFacts.decode(line) {
            facts.add(decoded)
          } else {
            // A current tag that does not read (changed by hand): computed from the body.
            unreadableLines.append(row[2] ?? "")
          }
          continue
        }
        let recordID = row[1] ?? ""
        if kind == "town" || kind == "contacts" {
          files[PostgresTownStore.path(kind: kind, id: recordID)] = Data((row[3] ?? "").utf8)
        } else {
          compute(
            kind: kind, recordID: recordID, stored: row[2], body: row[3] ?? "",
            digest: row[4] ?? "")
        }
      }
      if !unreadableLines.isEmpty {
        let found = try connection.exec(
          """
          SELECT kind, record_id FROM records
          WHERE town_id = $1 AND kind IN ('households', 'visits') AND facts = ANY($2::text[])
          """, [id, arrayLiteral(unreadableLines)])
        unreadable = found.rows.map { ($0[0] ?? "", $0[1] ?? "") }
      }
      for kind in PortableTown.factsFolders {
        let ids = unreadable.filter { $0.kind == kind }.map(\.id)
        guard !ids.isEmpty else { continue }
        let bodies = try connection.exec(
          """
          SELECT record_id, body, digest FROM records
          WHERE town_id = $1 AND kind = $2 AND record_id = ANY($3::text[])
          """, [id, kind, arrayLiteral(ids)])
        for row in bodies.rows {
          compute(
            kind: kind, recordID: row[0] ?? "", stored: nil, body: row[1] ?? "",
            digest: row[2] ?? "")
        }
      }
      try store(computed, townID: id, on: connection, into: &refill)
      // One town decoded and counted while the next is fetched.
      group.wait()
      let taken = files
      let takenFacts = facts
      queue.async(group: group) {
        body(id, PortableTown.decode(taken).town, takenFacts)
      }
    }
    group.wait()
    return refill
  }

  /// A text[] literal of `values`, each quoted (a record id may hold a comma or a brace).
  static func arrayLiteral(_ values: [String]) -> String {
    "{"
      + values.map {
        "\""
          + $0.replacingOccurrences(of: "\\", with: "\\\\")
          .replacingOccurrences(of: "\"", with: "\\\"") + "\""
      }.joined(separator: ",") + "}"
  }

  /// Whether a facts line is of a newer format than this program's.
  static func isNewer(_ facts: String?) -> Bool {
    guard let tag = facts?.split(separator: " ", maxSplits: 1).first, tag.count >= 2,
      let version = Int(tag.dropFirst())
    else { return false }
    return version > StatisticsFacts.version
  }

  /// Writes computed facts back, `refillBatch` rows a statement, each only where the body is
  /// still the one they were computed from. The first refusal (an inspector reads only) stops
  /// the writing: the facts are still used for this run.
  static func store(
    _ computed: [(kind: String, id: String, facts: String, digest: String)], townID: String,
    on connection: PGConnection, into refill: inout Refill
  ) throws {
    guard refill.notStored == nil else { return }
    for start in stride(from: 0, to: computed.count, by: refillBatch) {
      let chunk = computed[start..<min(computed.count, start + refillBatch)]
      var values: [String] = []
      var parameters: [String?] = [townID]
      for (index, row) in chunk.enumerated() {
        let base = 1 + index * 4
        values.append(
          "($\(base + 1)::text, $\(base + 2)::text, $\(base + 3)::text, $\(base + 4)::text)")
        parameters += [row.kind, row.id, row.facts, row.digest]
      }
      do {
        let updated = try connection.exec(
          """
          UPDATE records AS r SET facts = v.facts
          FROM (VALUES \(values.joined(separator: ", "))) AS v (kind, record_id, facts, digest)
          WHERE r.town_id = $1 AND r.kind = v.kind AND r.record_id = v.record_id
            AND r.digest = v.digest
          """, parameters)
        refill.stored += updated.affected
      } catch {
        refill.notStored = error.message
        return
      }
    }
  }
}
