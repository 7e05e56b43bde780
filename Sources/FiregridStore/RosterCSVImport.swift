import FiregridModel
import FiregridRepository
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Imports a roster spreadsheet into a data folder: reads (`RosterCSV.parse`), checks and
/// plans (`RosterCSV.plan`), and writes only when no row is rejected — all or nothing.
///
/// - An empty folder becomes a new town (its name must be given), built aside and renamed into
///   place (`NewTown`) with one `syncfs` for all household files instead of an fsync per file,
///   which at town scale (10,000 households) is the difference between seconds and a fraction
///   of one. Its journal starts with the town, a summary line of the import, every village,
///   grid and household created, and every file's digest. A crash or a failed write leaves
///   the folder as it was.
/// - An existing town gets the new villages, grids and households through `TownStore` (the
///   lock, the daily backup, one audit line per record) as one change in the journal
///   (`saveImport`), with the summary line: after a crash the whole import is there or none.
public enum RosterImport {
  public struct Options: Sendable {
    /// The name of the town to create in an empty folder (required there, except for a dry
    /// run).
    public var townName: String?
    /// Who is importing: recorded in every audit line and file.
    public var operatorName: String
    /// Check and report only; write nothing.
    public var dryRun: Bool
    /// The file's name, for the audit summary line.
    public var source: String

    public init(townName: String?, operatorName: String, dryRun: Bool, source: String) {
      self.townName = townName
      self.operatorName = operatorName
      self.dryRun = dryRun
      self.source = source
    }
  }

  /// What `run` did.
  public struct Outcome: Sendable {
    public var plan: RosterCSV.ImportPlan
    /// The encoding the file was read in.
    public var encoding: TextEncoding
    /// Whether the folder was empty and a town was (or, in a dry run, would be) created.
    public var createsTown: Bool
    /// Whether anything was written.
    public var wrote: Bool
  }

  /// Why an import could not even be checked or written. `message` is what the user reads.
  public enum Failure: Error, Equatable, Sendable {
    case file(RosterCSV.ParseError)
    case store(StoreError)
    /// An empty folder, and no town name to create.
    case townNameRequired(path: String)
    /// `--town` names another town than the folder holds.
    case townNameDiffers(existing: String, given: String)
    /// A folder with other files and no town.json.
    case foreignFolder(path: String)
    /// Household files that do not load: their records are unknown, so duplicates and ids
    /// cannot be checked against them.
    case damagedFiles([String])
    /// A town kept elsewhere (a database) could not be read or written: why, in its words.
    case repository(String)

    public var message: String {
      switch self {
      case .repository(let message): return message
      case .file(let error): return error.message
      case .store(let error): return error.message
      case .townNameRequired(let path): return RosterImportText.townNameRequired(path)
      case .townNameDiffers(let existing, let given):
        return RosterImportText.townNameDiffers(existing, given)
      case .foreignFolder(let path): return RosterImportText.foreignFolder(path)
      case .damagedFiles(let paths): return RosterImportText.damagedFiles(paths)
      }
    }
  }

  /// Parses `bytes`, plans the import into `folder` and, unless the plan rejects a row or
  /// `options.dryRun` is set, writes it. Rejected rows are not an error: they are in
  /// `outcome.plan.problems`, and nothing was written.
  public static func run(
    _ bytes: [UInt8], into folder: DataFolder, options: Options, clock: TownStore.Clock = .system
  ) throws(Failure) -> Outcome {
    let table: RosterCSV.Table
    do {
      table = try RosterCSV.parse(bytes)
    } catch {
      throw Failure.file(error)
    }
    return try run(table: table, into: folder, options: options, clock: clock)
  }

  /// `run` for a table already read (the cells of an XLSX sheet: `RosterXLSX.table`).
  public static func run(
    table: RosterCSV.Table, into folder: DataFolder, options: Options,
    clock: TownStore.Clock = .system
  ) throws(Failure) -> Outcome {
    let givenName = options.townName.map(RosterCSV.cleaned).flatMap { $0.isEmpty ? nil : $0 }
    switch folder.state {
    case .foreign:
      throw Failure.foreignFolder(path: folder.url.path)
    case .empty:
      // A dry run may check a file before the town has a name.
      guard let name = givenName ?? (options.dryRun ? "" : nil) else {
        throw Failure.townNameRequired(path: folder.url.path)
      }
      let plan = RosterCSV.plan(table, into: TownData(town: Town(name: name)))
      var outcome = Outcome(plan: plan, encoding: table.encoding, createsTown: true, wrote: false)
      guard plan.isAccepted, !options.dryRun else { return outcome }
      do {
        try createTown(
          plan.town, in: folder, operatorName: options.operatorName, now: clock.now(),
          summary: summary(plan, source: options.source))
      } catch {
        throw Failure.store(error)
      }
      outcome.wrote = true
      return outcome
    case .town:
      return try addToTown(
        table, folder: folder, givenName: givenName, options: options, clock: clock)
    }
  }

  private static func addToTown(
    _ table: RosterCSV.Table, folder: DataFolder, givenName: String?, options: Options,
    clock: TownStore.Clock
  ) throws(Failure) -> Outcome {
    func planned(_ town: TownData, damaged: [DamagedFile]) throws(Failure) -> Outcome {
      if let givenName, givenName != town.town.name {
        throw Failure.townNameDiffers(existing: town.town.name, given: givenName)
      }
      if !damaged.isEmpty { throw Failure.damagedFiles(damaged.map(\.relativePath)) }
      return Outcome(
        plan: RosterCSV.plan(table, into: town), encoding: table.encoding, createsTown: false,
        wrote: false)
    }
    // Checked first without the lock, so that a rejected file or a dry run touches nothing in
    // the folder, not even the lock file.
    let report: LoadReport
    do {
      report = try folder.loadReport()
    } catch {
      throw Failure.store(error)
    }
    let checked = try planned(report.town, damaged: report.damaged)
    guard checked.plan.isAccepted, checked.plan.hasChanges, !options.dryRun else { return checked }

    // Planned again under the lock, against the town as the store loaded it.
    let store: TownStore
    do {
      store = try TownStore.open(folder: folder, operatorName: options.operatorName, clock: clock)
    } catch {
      throw Failure.store(error)
    }
    defer { store.close() }
    if case .readOnly(let holder) = store.folderAccess {
      throw Failure.store(StoreError.readOnly(holder: holder))
    }
    var outcome = try planned(store.town, damaged: store.damagedFiles)
    let plan = outcome.plan
    guard plan.isAccepted, plan.hasChanges else { return outcome }
    do {
      try store.saveImport(
        plan.town, newHouseholds: plan.newHouseholds, summary: summary(plan, source: options.source)
      )
    } catch {
      throw Failure.store(error)
    }
    outcome.wrote = true
    return outcome
  }

  /// The audit line that says what was imported from which file.
  static func summary(_ plan: RosterCSV.ImportPlan, source: String) -> AuditChange {
    AuditChange(
      record: "import/roster", field: "file", before: nil,
      after: RosterImportText.auditSummary(
        source, villages: plan.newVillages.count, grids: plan.newGrids.count,
        households: plan.newHouseholds.count, persons: plan.newPersonCount))
  }

  // MARK: A new town

  /// Writes a whole new town into an empty folder (see the type's comment): built aside with
  /// its audit lines and renamed into place (`NewTown`), so a crash or a second import leaves
  /// the finished town or nothing.
  static func createTown(
    _ data: TownData, in folder: DataFolder, operatorName: String, now: String,
    summary: AuditChange
  ) throws(StoreError) {
    var changes = [
      AuditChange(record: "town", field: "*", before: nil, after: data.town.name), summary,
    ]
    changes.reserveCapacity(2 + data.villages.count + data.grids.count + data.households.count)
    for village in data.villages { changes += AuditDiff.changes(from: nil, to: village) }
    for grid in data.grids { changes += AuditDiff.changes(from: nil, to: grid) }
    for household in data.households { changes += AuditDiff.changes(from: nil, to: household) }
    try NewTown.build(at: folder, operatorName: operatorName, time: now, changes: changes) {
      (building: DataFolder) throws(StoreError) in
      try building.fileSystem.makeFolder(building.householdsFolder)
      try writeHouseholds(data.households, in: building, operatorName: operatorName, now: now)
      try building.saveTown(data, savedBy: operatorName, savedAt: now)
    }
  }

  /// Writes the file of each household, which must not exist yet, in a few parallel lanes:
  /// encoding is CPU work, and creating a file may wait on the file system's journal (the
  /// wait grows when other programs sync the same disk), so lanes overlap both. No fsync here:
  /// the caller syncs the file system once. Throws the first failure after all lanes stop.
  private static func writeHouseholds(
    _ households: [Household], in folder: DataFolder, operatorName: String, now: String
  ) throws(StoreError) {
    let lanes = min(4, max(1, households.count / 500))
    let outcome = LaneOutcome()
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
      let start = households.count * lane / lanes
      let end = households.count * (lane + 1) / lanes
      for household in households[start..<end] {
        if outcome.hasFailed { return }
        let target = folder.householdFile(household.id)
        let file = HouseholdFile(
          schemaVersion: DataFolder.schemaVersion, savedBy: operatorName, savedAt: now,
          household: household)
        do throws(StoreError) {
          try writeNewFile(try folder.encode(file, path: target.path), to: target)
        } catch {
          outcome.fail(error)
          return
        }
      }
    }
    if let failure = outcome.failure { throw failure }
  }

  /// The first failure among parallel lanes.
  private final class LaneOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var first: StoreError?

    var failure: StoreError? { lock.withLock { first } }
    var hasFailed: Bool { failure != nil }

    func fail(_ error: StoreError) {
      lock.withLock {
        if first == nil { first = error }
      }
    }
  }

  /// Creates a file that must not exist yet (0600) and writes it whole, without fsync.
  private static func writeNewFile(_ data: Data, to url: URL) throws(StoreError) {
    let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, AtomicFile.fileMode)
    guard fd >= 0 else { throw StoreError.from(errno: errno, path: url.path) }
    var failure: StoreError?
    data.withUnsafeBytes { raw in failure = AtomicFile.writeAll(fd, raw, path: url.path) }
    if close(fd) != 0, failure == nil { failure = StoreError.from(errno: errno, path: url.path) }
    if let failure {
      unlink(url.path)
      throw failure
    }
  }
}

/// The import's user-facing text about folders and the audit.
enum RosterImportText {
  static func noTownAt(_ place: String) -> String {
    "\(place) 还没有这个镇：请先导入花名册（firegrid import roster … --town 镇名）"
  }
  static func townNameRequiredAt(_ place: String) -> String {
    "\(place) 还没有这个镇，导入将新建它：请用 --town 给出镇名，如 --town 三江镇"
  }
  static func townNameRequired(_ path: String) -> String {
    "数据文件夹 \(path) 是空的，导入将新建一个镇：请用 --town 给出镇名，如 --town 三江镇"
  }
  static func townNameDiffers(_ existing: String, _ given: String) -> String {
    "数据文件夹中是「\(existing)」的数据，与 --town 给出的「\(given)」不同。导入到已有的镇时不必写 --town。"
  }
  static func foreignFolder(_ path: String) -> String {
    "文件夹 \(path) 已有其他文件，但不是消防网格的数据文件夹（缺少 town.json）。为免误写，请换一个空文件夹。"
  }
  static func damagedFiles(_ paths: [String]) -> String {
    let shown = paths.prefix(5).joined(separator: "、") + (paths.count > 5 ? " 等" : "")
    return "数据文件夹中有 \(paths.count) 个文件已损坏（\(shown)），无法核对重复，导入前请先恢复"
      + "（firegrid check 查看，程序中按 D 从备份恢复）。"
  }
  static func auditSummary(
    _ source: String, villages: Int, grids: Int, households: Int, persons: Int
  )
    -> String
  {
    "导入花名册 \(source)：新增 \(villages) 个村（社区），\(grids) 个网格，\(households) 户，\(persons) 人"
  }
}
