import Foundation

/// Who may do what on a database: each clerk and each inspector (督查) logs in as a database
/// role of their own, with a password, member of one of two group roles that migration 2
/// makes (`firegrid_clerk`: read and write the towns, append to the audit; `firegrid_inspector`:
/// read only). The server checks the password (SCRAM-SHA-256) and the grants: an inspector's
/// hand-written UPDATE is refused by the server, not only by the app.
///
/// Why database roles, not an operator table with password hashes (swift-crypto 3.12's
/// `_CryptoExtras` has `KDF.Scrypt` and PBKDF2, so a table was possible): a table's check is
/// the app's, and any session that reaches the table could still write as anyone; a role is
/// authenticated by the server before any query (SCRAM-SHA-256, libpq computes the verifier),
/// and its grants hold for every client, psql included. The audit's trigger refuses a
/// clerk's line that names anyone but the logged-in role.
public enum PostgresUsers {
  public enum Role: String, CaseIterable, Sendable {
    case clerk, inspector

    /// The group role a user of this kind is a member of.
    public var group: String { self == .clerk ? "firegrid_clerk" : "firegrid_inspector" }

    /// In the clerk's words.
    public var label: String { self == .clerk ? "录入员" : "督查（只读）" }
  }

  public struct User: Equatable, Sendable {
    public var name: String
    public var role: Role
  }

  /// Makes `name` a login role of `role` with `password` (its SCRAM verifier, computed here).
  /// Needs a session allowed to create roles (the database's owner with CREATEROLE, or a
  /// superuser); refused when the name is taken.
  public static func add(
    _ name: String, role: Role, password: String, on connection: PGConnection
  ) throws(PostgresError) {
    guard !name.isEmpty, !name.hasPrefix("firegrid_"), !name.hasPrefix("pg_") else {
      throw PostgresError(UsersText.badName(name))
    }
    guard password.count >= 8 else { throw PostgresError(UsersText.shortPassword) }
    try Schema.migrate(connection)
    let exists = try connection.exec("SELECT 1 FROM pg_roles WHERE rolname = $1", [name])
    guard exists.rows.isEmpty else { throw PostgresError(UsersText.taken(name)) }
    let verifier = try connection.passwordVerifier(password, user: name)
    try connection.exec(
      "CREATE ROLE \(try connection.quotedIdentifier(name)) LOGIN PASSWORD "
        + "\(try connection.quotedLiteral(verifier)) IN ROLE \(role.group)")
  }

  /// The users of both kinds, by name.
  public static func list(on connection: PGConnection) throws(PostgresError) -> [User] {
    try connection.exec(
      """
      SELECT u.rolname, g.rolname FROM pg_auth_members m
      JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
      WHERE g.rolname IN ('firegrid_clerk', 'firegrid_inspector') ORDER BY u.rolname
      """
    ).rows.compactMap { row in
      guard let name = row[0], let group = row[1] else { return nil }
      return User(name: name, role: group == Role.clerk.group ? .clerk : .inspector)
    }
  }

  /// Drops the login role `name` (only one of ours: never another role of the server). Its
  /// audit lines stay, under its name.
  public static func remove(_ name: String, on connection: PGConnection) throws(PostgresError) {
    guard try list(on: connection).contains(where: { $0.name == name }) else {
      throw PostgresError(UsersText.noUser(name))
    }
    try connection.exec("DROP ROLE \(try connection.quotedIdentifier(name))")
  }

  /// The session's user and, when it is one of ours, its kind (nil: the database's owner or
  /// an administrator, who names the operator themselves).
  public static func session(on connection: PGConnection) throws(PostgresError) -> (
    user: String, role: Role?
  ) {
    let rows = try connection.exec(
      """
      SELECT current_user::text, (SELECT g.rolname FROM pg_auth_members m
        JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
        WHERE u.rolname = current_user
          AND g.rolname IN ('firegrid_clerk', 'firegrid_inspector')
        ORDER BY g.rolname LIMIT 1)
      """)
    let user = rows.rows.first?[0] ?? ""
    let group = rows.rows.first?[1] ?? nil
    return (user, group.flatMap { group in Role.allCases.first { $0.group == group } })
  }
}

public enum UsersText {
  static func badName(_ name: String) -> String {
    "用户名「\(name)」不能用（不能为空，不能以 firegrid_ 或 pg_ 开头）"
  }
  static let shortPassword = "密码至少 8 个字符"
  static func taken(_ name: String) -> String { "数据库中已有名为「\(name)」的用户（角色）" }
  static func noUser(_ name: String) -> String { "没有名为「\(name)」的录入员或督查用户" }
  static func inspector(_ name: String) -> String { "督查账号「\(name)」只能查看，不能修改" }
  public static func inspectorCannotCreate(_ name: String) -> String {
    "督查账号「\(name)」只能查看，不能建立新镇：请录入员或管理员先建立，或用 --town 指定已有的镇"
  }
}
