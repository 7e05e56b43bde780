import FiregridModel
import FiregridRepository
import FiregridStore
import Foundation

/// Where towns are kept in a PostgreSQL database, before one is open: one town of the
/// database, by its id. Each open is its own connection (its own session), so two opens in one
/// process are two clerks to the server. The schema is brought up to date on first use
/// (`Schema.migrate`, idempotent).
public final class PostgresLocation: TownLocation, Sendable {
  /// Sessions are named "firegrid <operator>" in pg_stat_activity: who holds a town.
  public static let applicationPrefix = "firegrid "

  public let url: String
  public let townID: String
  /// One writer at a time (the data folder's rule), or any number kept apart by versions.
  public let exclusive: Bool
  /// Where the day's backup (an exported folder) goes; nil: none taken from here.
  public let backupsFolder: URL?
  public let clock: TownStore.Clock

  public init(
    url: String, townID: String, exclusive: Bool = true, backupsFolder: URL? = nil,
    clock: TownStore.Clock = .system
  ) {
    self.url = url
    self.townID = townID
    self.exclusive = exclusive
    self.backupsFolder = backupsFolder
    self.clock = clock
  }

  public var description: String { "\(PGConnection.redacted(url))（镇 \(townID)）" }

  /// A new connection, the schema migrated, named for `operatorName`.
  public func connect(operatorName: String? = nil) throws -> PGConnection {
    let connection = try PGConnection(
      url: url, applicationName: operatorName.map { Self.applicationPrefix + $0 })
    do {
      try Schema.migrate(connection)
    } catch {
      connection.close()
      throw error
    }
    return connection
  }

  /// Whether the town is not in the database yet. A server that cannot be reached is not
  /// empty: opening then says why.
  public var isEmpty: Bool {
    guard let connection = try? connect() else { return false }
    defer { connection.close() }
    let rows = try? connection.exec("SELECT 1 FROM towns WHERE id = $1", [townID])
    return rows?.rows.isEmpty ?? false
  }

  public func lastOperator() -> String? {
    guard let connection = try? connect() else { return nil }
    defer { connection.close() }
    return
      (try? connection.exec("SELECT name FROM last_operators WHERE town_id = $1", [townID]))?
      .scalar
  }

  public func saveLastOperator(_ name: String) {
    guard let connection = try? connect() else { return }
    defer { connection.close() }
    _ = try? connection.exec(
      """
      INSERT INTO last_operators (town_id, name) VALUES ($1, $2)
      ON CONFLICT (town_id) DO UPDATE SET name = excluded.name
      """, [townID, name])
  }

  public func open(operatorName: String) throws -> any TownRepository {
    try openStore(operatorName: operatorName)
  }

  public func open(operatorName: String, deferringRecords: Bool) throws -> any TownRepository {
    try openStore(operatorName: operatorName)
  }

  /// The town, as its own type (the command line's `db` commands and the tests).
  public func openStore(operatorName: String) throws -> PostgresTownStore {
    let connection = try connect(operatorName: operatorName)
    do {
      guard
        !(try connection.exec("SELECT 1 FROM towns WHERE id = $1", [townID])).rows.isEmpty
      else { throw PostgresError(PostgresText.noTown(townID)) }
      return try PostgresTownStore(
        connection: connection, townID: townID, operatorName: operatorName, clock: clock,
        exclusive: exclusive, backupsFolder: backupsFolder, url: url)
    } catch {
      connection.close()
      throw error
    }
  }

  public func create(_ town: TownData, operatorName: String) throws -> any TownRepository {
    try createStore(town, operatorName: operatorName)
  }

  /// Writes a new town (its records and creation lines in one transaction) and opens it;
  /// refused when the id is taken. A clerk logged in as themselves creates it under their
  /// login, whatever `operatorName` says (as `openStore` names them; the audit's trigger would
  /// refuse another name with the server's English message); an inspector is refused in
  /// Chinese before anything is written (the server would refuse the INSERT in English).
  public func createStore(_ town: TownData, operatorName typedName: String) throws
    -> PostgresTownStore
  {
    let connection = try connect(operatorName: typedName)
    defer { connection.close() }
    let session = try PostgresUsers.session(on: connection)
    if session.role == .inspector {
      throw PostgresError(UsersText.inspectorCannotCreate(session.user))
    }
    let operatorName = session.role == nil ? typedName : session.user
    let now = clock.now()
    let images = try PortableTown.creationImages(town, savedBy: operatorName, savedAt: now)
    try connection.transaction {
      try PostgresTransfer.insertTown(
        townID: townID, name: town.town.name,
        files: images.compactMap { image in image.content.map { (image.path, $0) } },
        audit: [], changes: PortableTown.creationChanges(town), kind: "create",
        operatorName: operatorName, time: now, on: connection)
    }
    return try openStore(operatorName: operatorName)
  }

  /// The towns in the database: id and name.
  public func towns() throws -> [(id: String, name: String)] {
    let connection = try connect()
    defer { connection.close() }
    return try connection.exec("SELECT id, name FROM towns ORDER BY id").rows.map {
      ($0[0] ?? "", $0[1] ?? "")
    }
  }
}

extension PostgresLocation {
  /// The town as the folder's `loadReport` reads one, for the commands that only read it
  /// (summary, print, report, export, supervise): one snapshot of its records, decoded by the
  /// folder's own decoders; no lock taken, nothing written. Refused when the town is not there.
  public func readTown() throws -> LoadReport {
    let connection = try connect()
    defer { connection.close() }
    let rows = try connection.snapshot {
      guard
        !(try connection.exec("SELECT 1 FROM towns WHERE id = $1", [townID])).rows.isEmpty
      else { throw PostgresError(PostgresText.noTown(townID)) }
      return try connection.exec(
        "SELECT kind, record_id, body FROM records WHERE town_id = $1", [townID]
      ).rows
    }
    var files: [String: Data] = [:]
    files.reserveCapacity(rows.count)
    for row in rows {
      files[PostgresTownStore.path(kind: row[0] ?? "", id: row[1] ?? "")] = Data(
        (row[2] ?? "").utf8)
    }
    return PortableTown.decode(files)
  }
}
