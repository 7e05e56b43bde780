import FiregridModel
import FiregridPostgres
import FiregridStore
import Foundation
import Testing

/// The server the tests use: FIREGRID_TEST_PG (`make test` starts a throwaway cluster and
/// sets it). Unset, the tests that need it are skipped, saying so.
enum PostgresServer {
  static let skipMessage: Comment =
    "FIREGRID_TEST_PG 未设置：跳过 PostgreSQL 测试（make test 会启动一个临时服务器并设置它）"

  static var isAvailable: Bool { ProcessInfo.processInfo.environment["FIREGRID_TEST_PG"] != nil }

  /// A database of its own for this test process, made on first use: what one run leaves
  /// never meets another's.
  static let databaseURL: String = {
    guard let base = ProcessInfo.processInfo.environment["FIREGRID_TEST_PG"] else {
      fatalError("FIREGRID_TEST_PG 未设置")
    }
    let name = "firegrid_test_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
    do {
      let admin = try PGConnection(url: base)
      defer { admin.close() }
      try admin.exec("CREATE DATABASE \(name)")
    } catch {
      fatalError("无法建测试数据库：\(error)")
    }
    guard var parts = URLComponents(string: base) else { fatalError("FIREGRID_TEST_PG: \(base)") }
    parts.path = "/\(name)"
    return parts.string ?? base
  }()

  /// A town id no other test uses.
  static func uniqueTownID(_ prefix: String = "t") -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
  }

  static let day = CivilDate(year: 2026, month: 12, day: 10)
  static let clock = TownStore.Clock(
    today: { day.description }, now: { "\(day.description)T09:00:00+08:00" })

  static func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-pg-\(UUID().uuidString)", isDirectory: true)
  }

  /// A location of a new town id in the test database.
  static func location(
    exclusive: Bool = true, backupsFolder: URL? = nil, townID: String = uniqueTownID()
  ) -> PostgresLocation {
    PostgresLocation(
      url: databaseURL, townID: townID, exclusive: exclusive, backupsFolder: backupsFolder,
      clock: clock)
  }
}
