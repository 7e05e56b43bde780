import FiregridModel
import FiregridStore
import Foundation

/// The county's view of a database: every town in it, read one at a time (the statistics
/// table needs each town's roster, visits and contact logs, not its archive, premises or
/// audit), so the county's 300,000 households are never all in memory at once.
public enum PostgresCounty {
  /// The records the statistics table needs: town.json (villages, grids, campaigns), the
  /// households, their visit records and the grids' contact logs (the county's table reads
  /// the first and last as bodies, the households and visit records by their facts).
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
  /// The next town's rows are fetched and its town.json and contact logs decoded on this
  /// thread while the previous town's facts lines are decoded and `body` counts them on
  /// another (two towns in memory at most). A line of the current version that does not read
  /// (changed by hand) holds its town back: its record is computed from the body after the
  /// others, and then the town is counted.
  @discardableResult
  public static func forEachTownFacts(
    on connection: PGConnection, firstRefill: () -> Void = {},
    _ body: @escaping @Sendable (_ id: String, _ town: TownData, _ facts: TownFacts) -> Void
  ) throws -> Refill {
    let ids = try connection.exec("SELECT id FROM towns ORDER BY id").rows.compactMap { $0[0] }
    let group = DispatchGroup()
    let townQueue = DispatchQueue(label: "firegrid.county.town")
    let countQueue = DispatchQueue(label: "firegrid.county.count")
    // Towns fetched and not yet counted: at most this many in memory.
    let inFlight = DispatchSemaphore(value: 2)
    let current = [StatisticsFacts.householdTag, StatisticsFacts.visitsTag]
    let unread = UnreadTowns()
    var refill = Refill()
    var announced = false
    /// Facts from a record's body (its facts missing, of another version or unreadable), to
    /// be written back unless a newer program wrote them (its format stays).
    func compute(
      kind: String, recordID: String, stored: String?, body: String, digest: String,
      into facts: inout TownFacts, writing computed: inout [Computed]
    ) {
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
      if !isNewer(stored) { computed.append((kind, recordID, line, digest)) }
    }
    for id in ids {
      // The current facts as one text, a line each (one value for the client to take, not
      // 20,000 rows), and how many rows have none current; then town.json and the contact
      // logs; then, only if some have none current, those rows' bodies.
      let tags = "{" + current.joined(separator: ",") + "}"
      let aggregate = try connection.exec(
        """
        SELECT string_agg(facts, E'\\n') FILTER (WHERE current),
          count(*) FILTER (WHERE NOT current)
        FROM (
          SELECT facts, coalesce(split_part(facts, ' ', 1) = ANY($2::text[]), false) AS current
          FROM records WHERE town_id = $1 AND kind IN ('households', 'visits')
        ) AS r
        """, [id, tags])
      let lines = aggregate.rows.first?[0] ?? ""
      let stale = Int(aggregate.rows.first?[1] ?? "") ?? 0
      var files: [String: Data] = [:]
      for row in try connection.exec(
        """
        SELECT kind, record_id, body FROM records
        WHERE town_id = $1 AND kind IN ('town', 'contacts')
        """, [id]
      ).rows {
        files[PostgresTownStore.path(kind: row[0] ?? "", id: row[1] ?? "")] = Data(
          (row[2] ?? "").utf8)
      }
      var facts = TownFacts()
      var computed: [Computed] = []
      if stale > 0 {
        let rows = try connection.exec(
          """
          SELECT kind, record_id, facts, body, digest FROM records
          WHERE town_id = $1 AND kind IN ('households', 'visits')
            AND (facts IS NULL OR split_part(facts, ' ', 1) <> ALL($2::text[]))
          """, [id, tags])
        for row in rows.rows {
          compute(
            kind: row[0] ?? "", recordID: row[1] ?? "", stored: row[2], body: row[3] ?? "",
            digest: row[4] ?? "", into: &facts, writing: &computed)
        }
      }
      try store(computed, townID: id, on: connection, into: &refill)
      // Three stages, each town through them in turn: this thread fetches (the server works
      // meanwhile), one queue decodes town.json and the contact logs, another the facts
      // lines and counts. Measured on 30 towns (README): 1.27 s with two stages (fetch and
      // town decoding on this thread), 1.15 s with the facts aggregated, 0.90 s like this.
      inFlight.wait()
      group.enter()
      let taken = facts
      let bodies = files
      townQueue.async {
        let town = PortableTown.decode(bodies).town
        countQueue.async {
          var facts = taken
          let unreadable = StatisticsFacts.decodeLines(lines, into: &facts)
          if unreadable.isEmpty {
            body(id, town, facts)
          } else {
            unread.add((id, town, facts, unreadable))
          }
          inFlight.signal()
          group.leave()
        }
      }
    }
    group.wait()
    // Towns with a current line that does not read (changed by hand): those records computed
    // from their bodies, then counted.
    for (id, town, read, lines) in unread.taken() {
      var facts = read
      var computed: [Computed] = []
      let rows = try connection.exec(
        """
        SELECT kind, record_id, body, digest FROM records
        WHERE town_id = $1 AND kind IN ('households', 'visits') AND facts = ANY($2::text[])
        """, [id, arrayLiteral(lines)])
      for row in rows.rows {
        compute(
          kind: row[0] ?? "", recordID: row[1] ?? "", stored: nil, body: row[2] ?? "",
          digest: row[3] ?? "", into: &facts, writing: &computed)
      }
      try store(computed, townID: id, on: connection, into: &refill)
      body(id, town, facts)
    }
    return refill
  }

  typealias Computed = (kind: String, id: String, facts: String, digest: String)

  /// Towns whose facts lines did not all read, handed back from the worker.
  private final class UnreadTowns: @unchecked Sendable {
    private let lock = NSLock()
    private var towns: [(String, TownData, TownFacts, [String])] = []
    func add(_ town: (String, TownData, TownFacts, [String])) {
      lock.lock()
      defer { lock.unlock() }
      towns.append(town)
    }
    func taken() -> [(String, TownData, TownFacts, [String])] {
      lock.lock()
      defer { lock.unlock() }
      return towns
    }
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
    _ computed: [Computed], townID: String,
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
