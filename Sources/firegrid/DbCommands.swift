import ArgumentParser
import FiregridApp
import FiregridModel
import FiregridPostgres
import FiregridRepository
import FiregridResources
import FiregridStore
import Foundation
import NcursesTerminal
import TerminalUI

/// Where a town is kept in a database: `--db` (or $FIREGRID_DB) and `--town` (or
/// $FIREGRID_TOWN; else the database's only town, or "main" in a database without any).
struct DatabaseOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "PostgreSQL 数据库，代替数据文件夹 (database URL, e.g. postgresql:///firegrid; else $FIREGRID_DB)")
  var db: String?

  @Option(name: .long, help: "数据库中的镇编号 (town id; else $FIREGRID_TOWN, else the only town)")
  var town: String?

  @Flag(
    name: .long,
    help: "多名操作员同时写同一个镇（同一条记录后保存者被拒绝，并告知谁何时改过）(several writers at once)")
  var shared = false

  var url: String? { db ?? ProcessInfo.processInfo.environment["FIREGRID_DB"] }

  /// The database's location of the town, or a message when the town cannot be chosen.
  func location(url: String) -> PostgresLocation {
    askPasswordIfNeeded(url: url)
    let environment = ProcessInfo.processInfo.environment
    let backups =
      environment["FIREGRID_DB_BACKUPS"].map { URL(fileURLWithPath: $0, isDirectory: true) }
      ?? DataFolder.defaultLocation(environment: environment).deletingLastPathComponent()
      .appendingPathComponent("firegrid-db-backups", isDirectory: true)
    var townID = town ?? environment["FIREGRID_TOWN"]
    if townID == nil {
      let probe = PostgresLocation(url: url, townID: "")
      let towns: [(id: String, name: String)]
      do {
        towns = try probe.towns()
      } catch {
        fail(repositoryMessage(for: error))
      }
      switch towns.count {
      case 0: townID = DbText.defaultTown
      case 1: townID = towns[0].id
      default: fail(DbText.whichTown(towns.map { "\($0.id)（\($0.name)）" }))
      }
    }
    return PostgresLocation(
      url: url, townID: townID ?? DbText.defaultTown, exclusive: !shared, backupsFolder: backups,
      clock: commandClock)
  }
}

/// A clerk or inspector logs in as themselves (`postgresql://张三@server/firegrid`): when the
/// server asks for a password that neither the URL nor $PGPASSWORD (or ~/.pgpass) gives, it is
/// asked here on the terminal without echo, once, and kept in this process's $PGPASSWORD for
/// libpq's later connections.
func askPasswordIfNeeded(url: String) {
  do {
    let connection = try PGConnection(url: url)
    connection.close()
  } catch {
    guard error.message.contains("password"), isatty(STDIN_FILENO) == 1 else { return }
    guard let typed = getpass(DbText.passwordPrompt) else { return }
    setenv("PGPASSWORD", String(cString: typed), 1)
  }
}

/// `firegrid --db URL`: the same app on a town in the database.
func openOnDatabase(_ location: PostgresLocation, operatorName givenOperator: String?) {
  umask(0o077)
  var givenOperator = givenOperator
  var role: PostgresUsers.Role?
  // A clerk or inspector is named by the login, not asked for a name.
  if let connection = try? location.connect() {
    if let session = try? PostgresUsers.session(on: connection), let kind = session.role {
      role = kind
      givenOperator = session.user
    }
    connection.close()
  }
  let isEmpty = location.isEmpty
  // An inspector cannot create the town: said now, not by a setup form that fails at save.
  if isEmpty, role == .inspector {
    fail(UsersText.inspectorCannotCreate(givenOperator ?? ""))
  }
  var store: PostgresTownStore?
  if !isEmpty, let givenOperator {
    do {
      store = try location.openStore(operatorName: givenOperator)
      // Each winter's campaign is stored from the seed's template the first time.
      _ = try? store?.ensureCampaign(on: today())
    } catch {
      fail(repositoryMessage(for: error))
    }
  }
  let terminal: NcursesTerminal
  do {
    terminal = try NcursesTerminal()
  } catch {
    fail("\(error)", code: 2)
  }
  let size = terminal.size
  let state: AppState
  if let store {
    state = AppState(
      town: store.town, operatorName: store.operatorName, today: today(), size: size,
      dataPath: location.description)
  } else if !isEmpty {
    state = AppState(
      loginFor: location.description, lastOperator: location.lastOperator() ?? "",
      today: today(), size: size)
  } else {
    state = AppState(
      setupFor: location.description, operatorName: givenOperator ?? "", today: today(),
      size: size)
  }
  let runner = AppRunner(
    state: state, terminal: terminal, location: location,
    importer: RosterSpreadsheetImporter(), premisesImporter: PremisesSpreadsheetImporter(),
    printer: FiregridDocumentPrinter(today: today()),
    reports: FiregridReportWriter(),
    today: { today() })
  if let store { runner.present(store) }
  let status = runner.run()
  terminal.shutdown()
  if status != 0 { Foundation.exit(status) }
}

/// `firegrid check --db URL`: the audit chain and each record against it checked in the
/// database (`PostgresTransfer.verify`: a record changed by hand shows), then the town exported
/// to a temporary folder (0700, removed after) and checked there as any data folder (records'
/// schema, references, ID numbers, grid sizes…), reported under the records' names.
func checkDatabase(_ location: PostgresLocation) throws {
  umask(0o077)
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
    "firegrid-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
  defer { try? FileManager.default.removeItem(at: scratch) }
  let folder = DataFolder(url: scratch)
  var found: [PostgresTransfer.Problem] = []
  do {
    let connection = try location.connect()
    defer { connection.close() }
    guard try location.towns().contains(where: { $0.id == location.townID }) else {
      fail(DbText.noSuchTown(location.townID))
    }
    // The chain and the records against it in the database first: the export below names
    // every record's digest again, so the folder's own check cannot see them differ.
    found = try PostgresTransfer.verify(townID: location.townID, on: connection)
    try PostgresTransfer.export(
      townID: location.townID, on: connection, to: folder, operatorName: "check",
      time: commandClock.now())
  } catch {
    fail(repositoryMessage(for: error))
  }
  let problems = FolderCheck.run(folder, forms: try? ResourceFiles.formRegistry())
  for problem in found { print(problem) }
  for problem in problems { print(problem) }
  let errors = found.count + problems.filter { $0.severity == .error }.count
  print(CLIText.checkSummary(errors: errors, warnings: found.count + problems.count - errors))
  if errors > 0 { throw ExitCode(1) }
}

/// `firegrid db …`: the database itself.
struct DbCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "db",
    abstract: "PostgreSQL 数据库：初始化、从数据文件夹导入、导出为数据文件夹 The database.",
    subcommands: [DbInit.self, DbImport.self, DbExport.self, DbTowns.self, DbUser.self])
}

/// The database URL of a `db` command, or the message that it is missing.
private func requiredURL(_ options: DatabaseOptions) -> String {
  guard let url = options.url else { fail(DbText.noDatabase) }
  askPasswordIfNeeded(url: url)
  return url
}

private func operatorName(_ given: String?) -> String {
  given ?? ProcessInfo.processInfo.environment["FIREGRID_OPERATOR"] ?? NSUserName()
}

struct DbInit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init", abstract: "建立或升级数据库结构（可重复运行）Create or migrate the schema.")

  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let url = requiredURL(database)
    do {
      let connection = try PGConnection(url: url)
      defer { connection.close() }
      let applied = try Schema.migrate(connection)
      print(DbText.initialized(applied, try Schema.currentVersion(connection)))
    } catch {
      fail(repositoryMessage(for: error))
    }
  }
}

struct DbImport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "把数据文件夹导入数据库，成为一个镇（全部导入或全不导入）Import a data folder as one town.")

  @OptionGroup var database: DatabaseOptions

  @Option(name: .long, help: "要导入的数据文件夹 (the data folder)")
  var from: String

  @Option(
    name: .long, help: "操作员姓名，记入审计日志 (operator; default $FIREGRID_OPERATOR or the login name)")
  var `operator`: String?

  func run() throws {
    umask(0o077)
    let location = database.location(url: requiredURL(database))
    let folder = DataFolder(url: URL(fileURLWithPath: from, isDirectory: true))
    do {
      let report = try PostgresTransfer.importFolder(
        folder, as: location.townID, into: location, operatorName: operatorName(`operator`))
      print(report.summary)
    } catch {
      fail(repositoryMessage(for: error))
    }
  }
}

struct DbExport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "把数据库中的一个镇导出为数据文件夹（单机版可直接打开）Export a town as a data folder.")

  @OptionGroup var database: DatabaseOptions

  @Option(name: .long, help: "导出到这个新文件夹（必须不存在或为空）(a new, empty folder)")
  var to: String

  @Option(
    name: .long, help: "操作员姓名，记入审计日志 (operator; default $FIREGRID_OPERATOR or the login name)")
  var `operator`: String?

  func run() throws {
    umask(0o077)
    let location = database.location(url: requiredURL(database))
    let folder = DataFolder(url: URL(fileURLWithPath: to, isDirectory: true))
    do {
      let connection = try location.connect()
      defer { connection.close() }
      guard try location.towns().contains(where: { $0.id == location.townID }) else {
        fail(DbText.noSuchTown(location.townID))
      }
      let count = try PostgresTransfer.export(
        townID: location.townID, on: connection, to: folder,
        operatorName: operatorName(`operator`), time: commandClock.now())
      print(DbText.exported(location.townID, count, folder.url.path))
    } catch {
      fail(repositoryMessage(for: error))
    }
  }
}

struct DbTowns: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "towns", abstract: "列出数据库中的镇 List the towns in the database.")

  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let location = PostgresLocation(url: requiredURL(database), townID: "")
    do {
      for town in try location.towns() { print("\(town.id)\t\(town.name)") }
    } catch {
      fail(repositoryMessage(for: error))
    }
  }
}

/// `firegrid db user add|list|remove`: the clerks and inspectors who log in as themselves
/// (database roles, see FiregridPostgres/PostgresUsers.swift). Run by the database's owner.
struct DbUser: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "user",
    abstract: "数据库用户：录入员（可写）与督查（只读）Clerks and inspectors.",
    subcommands: [DbUserAdd.self, DbUserList.self, DbUserRemove.self])
}

struct DbUserAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "新增用户；密码在终端输入（不回显），或取自 $FIREGRID_NEW_PASSWORD Add a user.")

  @OptionGroup var database: DatabaseOptions

  @Argument(help: "用户名（登录名，也是审计日志中的操作员）")
  var name: String

  @Option(name: .long, help: "clerk 录入员 | inspector 督查（只读）")
  var role: String

  func validate() throws {
    if PostgresUsers.Role(rawValue: role) == nil {
      throw ValidationError("--role: clerk | inspector")
    }
  }

  func run() throws {
    let url = requiredURL(database)
    let password: String
    if let given = ProcessInfo.processInfo.environment["FIREGRID_NEW_PASSWORD"] {
      password = given
    } else {
      guard let first = getpass(DbText.newPasswordPrompt(name)).map({ String(cString: $0) }),
        let second = getpass(DbText.repeatPasswordPrompt).map({ String(cString: $0) })
      else { fail(DbText.noPassword) }
      guard first == second else { fail(DbText.passwordsDiffer) }
      password = first
    }
    let kind = PostgresUsers.Role(rawValue: role) ?? .clerk
    do {
      let connection = try PGConnection(url: url)
      defer { connection.close() }
      try PostgresUsers.add(name, role: kind, password: password, on: connection)
    } catch {
      fail(repositoryMessage(for: error))
    }
    print(DbText.userAdded(name, kind.label))
  }
}

struct DbUserList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "列出录入员和督查 List the users.")

  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let url = requiredURL(database)
    do {
      let connection = try PGConnection(url: url)
      defer { connection.close() }
      for user in try PostgresUsers.list(on: connection) {
        print("\(user.name)\t\(user.role.rawValue)\t\(user.role.label)")
      }
    } catch {
      fail(repositoryMessage(for: error))
    }
  }
}

struct DbUserRemove: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "删除用户（其审计记录保留）Remove a user.")

  @OptionGroup var database: DatabaseOptions

  @Argument(help: "用户名")
  var name: String

  func run() throws {
    let url = requiredURL(database)
    do {
      let connection = try PGConnection(url: url)
      defer { connection.close() }
      try PostgresUsers.remove(name, on: connection)
    } catch {
      fail(repositoryMessage(for: error))
    }
    print(DbText.userRemoved(name))
  }
}

enum DbText {
  static let passwordPrompt = "数据库密码："
  static func newPasswordPrompt(_ name: String) -> String { "「\(name)」的新密码：" }
  static let repeatPasswordPrompt = "再输入一次："
  static let noPassword = "没有读到密码"
  static let passwordsDiffer = "两次输入的密码不同，未新增用户"
  static func userAdded(_ name: String, _ role: String) -> String {
    "已新增用户「\(name)」：\(role)"
  }
  static func userRemoved(_ name: String) -> String { "已删除用户「\(name)」（其审计记录保留）" }
  static let defaultTown = "main"
  static let noDatabase = "没有指定数据库：用 --db postgresql://… 或设置 FIREGRID_DB"
  static func whichTown(_ towns: [String]) -> String {
    "数据库中有多个镇，请用 --town 指定：\(towns.joined(separator: "、"))"
  }
  static func noSuchTown(_ id: String) -> String { "数据库中没有镇「\(id)」" }
  static func initialized(_ applied: [Int], _ version: Int) -> String {
    applied.isEmpty
      ? "数据库结构已是最新（第\(version)版）"
      : "数据库结构已升级到第\(version)版（本次应用：\(applied.map(String.init).joined(separator: "、"))）"
  }
  static func exported(_ id: String, _ count: Int, _ path: String) -> String {
    "已把镇「\(id)」导出到 \(path)：记录 \(count) 条（可用 firegrid --data 打开，firegrid check 核查）"
  }
}

/// `firegrid backups --db URL`: the town's daily backups (folders exported by the first
/// clerk's store of each day; `backups` table), a `pg_dump` of the whole database with
/// `--dump FILE`. A database town is not restored in place from here: the way back from a
/// backup folder is to open it, or import it as another town and compare (said with the
/// command to type).
func databaseBackups(_ location: PostgresLocation, restore: String?) {
  let entries: [PostgresBackups.Entry]
  do {
    let connection = try location.connect()
    defer { connection.close() }
    guard try location.towns().contains(where: { $0.id == location.townID }) else {
      fail(DbText.noSuchTown(location.townID))
    }
    entries = try PostgresBackups.list(townID: location.townID, on: connection)
  } catch {
    fail(repositoryMessage(for: error))
  }
  if let restore {
    guard let entry = entries.first(where: { $0.day == restore }) else {
      fail(DbText.noBackupOn(restore))
    }
    fail(DbText.restoreOnDatabase(entry.location, location.townID, restore))
  }
  if entries.isEmpty { print(CLIText.noBackups) }
  for entry in entries {
    print(DbText.backupLine(entry))
  }
}

/// `firegrid backups --db URL --dump FILE`: `pg_dump` of the whole database.
func dumpDatabase(url: String, to path: String) {
  askPasswordIfNeeded(url: url)
  let file = URL(fileURLWithPath: path)
  do {
    try PostgresBackups.dump(url: url, to: file)
  } catch {
    fail(error.message)
  }
  print(DbText.dumped(file.path))
}

extension DbText {
  static func dumped(_ path: String) -> String {
    "已用 pg_dump 备份整个数据库：\(path)（还原：pg_restore --create --dbname=postgres \(path)）"
  }
  static func noBackupOn(_ day: String) -> String { "没有 \(day) 的备份（用 backups --db URL 列出）" }
  static func restoreOnDatabase(_ folder: String, _ town: String, _ day: String) -> String {
    """
    数据库中的镇不在原处恢复：\(day) 的备份是文件夹 \(folder)。
    导入为另一个镇核对：firegrid db import --db URL --town \(town)-\(day) --from \(folder)
    或把它复制到别处再打开（不要直接打开备份本身）：firegrid --data 复制出的文件夹
    整个数据库的恢复用 pg_dump 的备份（backups --db URL --dump FILE）和 pg_restore。
    """
  }
  static func backupLine(_ entry: PostgresBackups.Entry) -> String {
    "\(entry.day)  \(entry.takenBy)  \(entry.location)\(entry.isHere ? "" : "（不在本机）")"
  }
}

/// Whether a reading command reads a database: `--db` (or $FIREGRID_DB) given, `--data` not.
func isDatabase(_ options: DataOptions, _ database: DatabaseOptions?) -> Bool {
  database?.url != nil && options.data == nil
}

/// The town a reading command (summary, print, report, export, supervise) works on when it
/// is a database's (`isDatabase`): read in one snapshot, no lock taken; nil for a folder.
/// A town that is not there, or a server that cannot be reached, ends the command saying so;
/// records that do not decode are in the report, for the command to say as it does a folder's.
func databaseTown(_ options: DataOptions, _ database: DatabaseOptions?) -> LoadReport? {
  guard isDatabase(options, database), let database, let url = database.url else { return nil }
  do {
    return try database.location(url: url).readTown()
  } catch {
    fail(repositoryMessage(for: error))
  }
}

/// The database of the commands that write a spreadsheet into a town (`import roster|premises`):
/// `--db` and `--town-id` (their `--town` is the roster's town name, for a new town). Shared
/// mode: clerks may be working; a record one of them changed meanwhile refuses the import whole.
struct ImportDatabaseOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "PostgreSQL 数据库，代替数据文件夹 (database URL; else $FIREGRID_DB)")
  var db: String?

  @Option(
    name: .customLong("town-id"),
    help: "数据库中的镇编号 (town id; else $FIREGRID_TOWN, else the only town)")
  var townID: String?

  /// The town in the database when one is given (and `--data` is not); nil for a folder.
  func location(_ options: DataOptions) -> PostgresLocation? {
    guard options.data == nil,
      let url = db ?? ProcessInfo.processInfo.environment["FIREGRID_DB"]
    else { return nil }
    var database = DatabaseOptions()
    database.db = url
    database.town = townID
    database.shared = true
    return database.location(url: url)
  }
}

/// The town an export writes out: the database's (`databaseTown`) or the folder's, or the
/// command ends saying there is none.
func readTownForExport(_ options: DataOptions, _ database: DatabaseOptions) -> LoadReport {
  if let report = databaseTown(options, database) { return report }
  let folder = options.folder
  guard folder.state == .town else { fail(RosterCLIText.noTown(folder.url.path)) }
  do {
    return try folder.loadReport()
  } catch {
    fail(error.message)
  }
}
