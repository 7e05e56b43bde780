import CLibpq
import FiregridRepository
import Foundation

/// What the database said no to, in the clerk's words with the server's own message.
public struct PostgresError: RepositoryError, Equatable, CustomStringConvertible {
  public var message: String
  /// The server's SQLSTATE ("23505" a unique violation), "" when not the server's.
  public var sqlState: String

  public init(_ message: String, sqlState: String = "") {
    self.message = message
    self.sqlState = sqlState
  }

  public var description: String { message }

  /// 23505: a row with the same key is there already.
  public var isUniqueViolation: Bool { sqlState == "23505" }
}

/// The rows a statement returned, as text (libpq's text format), and how many it changed.
public struct PGRows: Sendable {
  public var columns: [String]
  public var rows: [[String?]]
  /// INSERT/UPDATE/DELETE: how many rows; 0 for others.
  public var affected: Int

  /// The first column of the first row.
  public var scalar: String? { rows.first?.first ?? nil }
}

/// One connection to a PostgreSQL server through libpq, used from one thread at a time (the
/// app's store worker is synchronous, and so is libpq: no event loop, no async bridge).
///
/// Statements go through `PQexecParams` with text parameters, never spliced into SQL.
public final class PGConnection {
  private var connection: OpaquePointer?

  /// Connects by URL (`postgresql:///db?host=/run/postgresql`, `postgresql://user@host/db`).
  /// `applicationName` is what `pg_stat_activity` shows for this session (who holds a town).
  public init(url: String, applicationName: String? = nil) throws(PostgresError) {
    var keys = ["dbname"]
    var values = [url]
    if let applicationName {
      keys.append("application_name")
      values.append(applicationName)
    }
    let connection = Self.withCStrings(keys) { keyPointers in
      Self.withCStrings(values) { valuePointers in
        PQconnectdbParams(keyPointers, valuePointers, 1)
      }
    }
    guard let connection else { throw PostgresError(PGText.outOfMemory) }
    guard PQstatus(connection) == CONNECTION_OK else {
      let detail = Self.text(PQerrorMessage(connection))
      PQfinish(connection)
      throw PostgresError(PGText.cannotConnect(Self.redacted(url), detail))
    }
    self.connection = connection
    // Text results in UTF-8 whatever the server's default; times as ISO 8601.
    _ = try exec("SET client_encoding = 'UTF8'")
    _ = try exec("SET client_min_messages = warning")
  }

  deinit { close() }

  /// Whether `close` has not been called and the connection is still good.
  public var isOpen: Bool { connection.map { PQstatus($0) == CONNECTION_OK } ?? false }

  /// Closes the connection (a session's advisory locks go with it). Safe to call twice.
  public func close() {
    if let connection { PQfinish(connection) }
    connection = nil
  }

  /// Runs one statement with `$1`, `$2`… bound to `parameters` (nil is SQL NULL); without
  /// parameters, `sql` may hold several statements.
  @discardableResult
  public func exec(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PGRows {
    guard let connection else { throw PostgresError(PGText.closed) }
    // Without parameters, the simple protocol: a migration's several statements at once.
    let result =
      parameters.isEmpty
      ? PQexec(connection, sql)
      : Self.withOptionalCStrings(parameters) { values in
        PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
      }
    guard let result else {
      throw PostgresError(PGText.failed(Self.text(PQerrorMessage(connection))))
    }
    defer { PQclear(result) }
    switch PQresultStatus(result) {
    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
      break
    default:
      let primary = Self.field(result, firegrid_pg_diag_message_primary)
      let detail = Self.field(result, firegrid_pg_diag_message_detail)
      let message =
        primary.isEmpty ? Self.text(PQresultErrorMessage(result)) : primary
      let state = Self.field(result, firegrid_pg_diag_sqlstate)
      let said = detail.isEmpty ? message : "\(message)（\(detail)）"
      throw PostgresError(
        PGText.failed(PGText.meaning(of: state).map { "\($0)：\(said)" } ?? said),
        sqlState: state)
    }
    let rowCount = Int(PQntuples(result))
    let columnCount = Int(PQnfields(result))
    var columns: [String] = []
    columns.reserveCapacity(columnCount)
    for column in 0..<columnCount { columns.append(Self.text(PQfname(result, Int32(column)))) }
    var rows: [[String?]] = []
    rows.reserveCapacity(rowCount)
    for row in 0..<rowCount {
      var values: [String?] = []
      values.reserveCapacity(columnCount)
      for column in 0..<columnCount {
        if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
          values.append(nil)
        } else {
          let length = Int(PQgetlength(result, Int32(row), Int32(column)))
          let bytes = PQgetvalue(result, Int32(row), Int32(column))
          values.append(
            bytes.map {
              String(
                decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self)
            } ?? "")
        }
      }
      rows.append(values)
    }
    let affected = Int(Self.text(PQcmdTuples(result))) ?? 0
    return PGRows(columns: columns, rows: rows, affected: affected)
  }

  /// Runs `body` in one transaction: committed when it returns, rolled back when it throws
  /// (and its error rethrown).
  public func transaction<T>(_ body: () throws -> T) throws -> T {
    try exec("BEGIN")
    do {
      let value = try body()
      try exec("COMMIT")
      return value
    } catch {
      // The connection may be gone: the server rolls back by itself then.
      _ = try? exec("ROLLBACK")
      throw error
    }
  }

  /// A text[] parameter's literal: each element double-quoted, its quotes and backslashes
  /// escaped with a backslash, so any text goes through as it is.
  public static func arrayLiteral(_ elements: [String]) -> String {
    "{"
      + elements.map {
        "\""
          + $0.replacingOccurrences(of: "\\", with: "\\\\")
          .replacingOccurrences(of: "\"", with: "\\\"") + "\""
      }.joined(separator: ",") + "}"
  }

  /// `body`'s statements read one snapshot of the database (REPEATABLE READ, READ ONLY): what
  /// others commit meanwhile is in none of them, or in all of them once read again.
  public func snapshot<T>(_ body: () throws -> T) throws -> T {
    try transaction {
      try exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
      return try body()
    }
  }

  // MARK: LISTEN/NOTIFY

  /// A notification another session (or this one) sent on a channel this one listens to.
  public struct Notification: Equatable, Sendable {
    public var channel: String
    public var payload: String
    /// The sending session's server process id.
    public var senderPID: Int
  }

  /// This session's server process id (a notification from it is its own).
  public var serverPID: Int { connection.map { Int(PQbackendPID($0)) } ?? 0 }

  /// The connection's socket (-1 when closed): readable when the server has sent something,
  /// a notification above all (`poll` it, then `notifications`).
  public var socket: Int32 { connection.map { PQsocket($0) } ?? -1 }

  /// The notifications that have arrived, without waiting; empty when none.
  public func notifications() throws(PostgresError) -> [Notification] {
    guard let connection else { throw PostgresError(PGText.closed) }
    guard PQconsumeInput(connection) == 1 else {
      throw PostgresError(PGText.failed(Self.text(PQerrorMessage(connection))))
    }
    var received: [Notification] = []
    while let notify = PQnotifies(connection) {
      received.append(
        Notification(
          channel: Self.text(UnsafePointer(notify.pointee.relname)),
          payload: Self.text(UnsafePointer(notify.pointee.extra)),
          senderPID: Int(notify.pointee.be_pid)))
      PQfreemem(notify)
    }
    return received
  }

  /// Waits until data arrives on the connection (a notification) or `seconds` pass; then
  /// returns what `notifications` gives. A signal, not a sleep: it returns as soon as the
  /// server sends.
  public func waitForNotifications(seconds: Double) throws(PostgresError) -> [Notification] {
    let ready = try notifications()
    guard ready.isEmpty, let connection else { return ready }
    var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
    _ = poll(&descriptor, 1, Int32(seconds * 1000))
    return try notifications()
  }

  // MARK: Roles (statements that take no parameters: CREATE ROLE, DROP ROLE)

  /// `name` quoted as an SQL identifier by libpq (`"张三"`), for statements that cannot bind
  /// parameters.
  public func quotedIdentifier(_ name: String) throws(PostgresError) -> String {
    guard let connection else { throw PostgresError(PGText.closed) }
    guard let quoted = PQescapeIdentifier(connection, name, name.utf8.count) else {
      throw PostgresError(PGText.failed(Self.text(PQerrorMessage(connection))))
    }
    defer { PQfreemem(quoted) }
    return String(cString: quoted)
  }

  /// `text` quoted as an SQL string literal by libpq.
  public func quotedLiteral(_ text: String) throws(PostgresError) -> String {
    guard let connection else { throw PostgresError(PGText.closed) }
    guard let quoted = PQescapeLiteral(connection, text, text.utf8.count) else {
      throw PostgresError(PGText.failed(Self.text(PQerrorMessage(connection))))
    }
    defer { PQfreemem(quoted) }
    return String(cString: quoted)
  }

  /// The password's verifier as the server stores it (SCRAM-SHA-256, salted, computed here by
  /// libpq): the password itself never goes to the server nor into its logs.
  public func passwordVerifier(_ password: String, user: String) throws(PostgresError) -> String {
    guard let connection else { throw PostgresError(PGText.closed) }
    guard let verifier = PQencryptPasswordConn(connection, password, user, "scram-sha-256")
    else {
      throw PostgresError(PGText.failed(Self.text(PQerrorMessage(connection))))
    }
    defer { PQfreemem(verifier) }
    return String(cString: verifier)
  }

  // MARK: C strings

  private static func text(_ pointer: UnsafePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private static func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    text(UnsafePointer(pointer))
  }

  private static func field(_ result: OpaquePointer, _ code: Int32) -> String {
    text(PQresultErrorField(result, code))
  }

  private static func withCStrings<T>(
    _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T
  ) -> T {
    let copies = strings.map { strdup($0) } + [nil]
    defer { for copy in copies { free(copy) } }
    let pointers = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
  }

  private static func withOptionalCStrings<T>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T
  ) -> T {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { for copy in copies { free(copy) } }
    let pointers = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
  }

  /// The URL without a password, for messages.
  static func redacted(_ url: String) -> String {
    guard var parts = URLComponents(string: url), parts.password != nil else { return url }
    parts.password = "***"
    return parts.string ?? url
  }
}

/// The connection's messages (Chinese; the server's own words appended).
enum PGText {
  static let outOfMemory = "无法连接数据库：内存不足"
  static let closed = "数据库连接已关闭"
  static func cannotConnect(_ url: String, _ detail: String) -> String {
    "无法连接数据库 \(url)：\(detail)"
  }
  static func failed(_ detail: String) -> String { "数据库操作失败：\(detail)" }
  /// The server's words are English: the common cases are said in Chinese before them.
  static func meaning(of sqlState: String) -> String? {
    switch sqlState {
    case "42501": return "没有权限（督查账号只能查看；或该用户未加入录入员组）"
    case "23505": return "与已有记录重复"
    case "40001", "40P01": return "与其他操作冲突，请重试"
    case "57014": return "操作被取消"
    case "53100": return "数据库服务器磁盘已满"
    case "57P01", "57P02", "57P03": return "数据库服务器正在关闭或重启"
    default: return sqlState.hasPrefix("08") ? "与数据库的连接中断" : nil
    }
  }
}
