import FiregridModel
import Foundation

/// The data folder opened for work: one writer at a time (a lock), a backup on the first save
/// of each day, and an audit line for every changed field. The app and the command line go
/// through this; `DataFolder` underneath only reads and writes files.
public final class TownStore {
  /// Whether this process may write.
  public enum Access: Equatable, Sendable {
    case readWrite
    /// Another Firegrid holds the folder (nil when it cannot tell who).
    case readOnly(holder: LockHolder?)
  }

  /// Where the store reads the date and time: injected, so tests control it.
  public struct Clock: Sendable {
    /// "YYYY-MM-DD" in local time.
    public var today: @Sendable () -> String
    /// ISO 8601 local time with offset.
    public var now: @Sendable () -> String
    public init(today: @escaping @Sendable () -> String, now: @escaping @Sendable () -> String) {
      self.today = today
      self.now = now
    }

    /// The system clock in the local time zone.
    public static let system = Clock(
      today: {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: parts.year!, month: parts.month!, day: parts.day!).description
      },
      now: {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone.current
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
      })
  }

  public let folder: DataFolder
  public let operatorName: String
  public private(set) var access: Access
  public private(set) var town: TownData
  /// Files that did not load; their households cannot be edited until restored.
  public private(set) var damaged: [DamagedFile]
  private let clock: Clock
  private var lock: FolderLock?
  private var audit: AuditLog?
  private var backupDay: String?

  private init(
    folder: DataFolder, operatorName: String, clock: Clock, report: LoadReport, lock: FolderLock?
  ) throws(StoreError) {
    self.folder = folder
    self.operatorName = operatorName
    self.clock = clock
    self.town = report.town
    self.damaged = report.damaged
    self.lock = lock
    if lock != nil {
      access = .readWrite
      audit = try AuditLog(folder: folder.url)
    } else {
      access = .readOnly(holder: FolderLock.currentHolder(folder: folder.url))
    }
  }

  deinit { close() }

  /// Opens an existing town. When another process holds the folder, opens read-only.
  public static func open(folder: DataFolder, operatorName: String, clock: Clock = .system)
    throws(StoreError) -> TownStore
  {
    let lock = try acquireLock(folder: folder, operatorName: operatorName, clock: clock)
    do {
      let report = try folder.loadReport()
      return try TownStore(
        folder: folder, operatorName: operatorName, clock: clock, report: report, lock: lock)
    } catch {
      lock?.release()
      throw error
    }
  }

  /// Writes a new town into an empty folder (first-run setup, demo, import) and opens it.
  public static func create(
    folder: DataFolder, town: TownData, operatorName: String, clock: Clock = .system
  ) throws(StoreError) -> TownStore {
    try folder.create(town, savedBy: operatorName, savedAt: clock.now())
    let store = try open(folder: folder, operatorName: operatorName, clock: clock)
    try store.audit?.append(
      [AuditChange(record: "town", field: "*", before: nil, after: town.town.name)],
      operatorName: operatorName, time: clock.now())
    return store
  }

  private static func acquireLock(folder: DataFolder, operatorName: String, clock: Clock)
    throws(StoreError) -> FolderLock?
  {
    switch try FolderLock.acquire(folder: folder.url, operatorName: operatorName, now: clock.now())
    {
    case .acquired(let lock): return lock
    case .heldBy: return nil
    }
  }

  /// Releases the lock and closes the audit log. Safe to call more than once.
  public func close() {
    audit?.close()
    audit = nil
    lock?.release()
    lock = nil
  }

  private func requireWritable() throws(StoreError) {
    if case .readOnly(let holder) = access { throw StoreError.readOnly(holder: holder) }
  }

  /// The first save of each day first copies the folder into backups/.
  private func backupIfFirstSaveToday() throws(StoreError) {
    let today = clock.today()
    guard backupDay != today else { return }
    try Backups.takeDailyIfNeeded(folder: folder.url, today: today)
    backupDay = today
  }

  // MARK: Saving

  /// Saves one household (new or changed): its file, then one audit line per changed field.
  /// Nothing is written when nothing changed.
  public func saveHousehold(_ household: Household) throws(StoreError) {
    try requireWritable()
    let path = "\(DataFolder.householdsFolderName)/\(household.id).json"
    if damaged.contains(where: { $0.relativePath == path }) {
      throw StoreError.damagedRecord(path: path)
    }
    let index = town.households.firstIndex { $0.id == household.id }
    let old = index.map { town.households[$0] }
    let changes = AuditDiff.changes(from: old, to: household)
    guard !changes.isEmpty else { return }
    try backupIfFirstSaveToday()
    let now = clock.now()
    try folder.saveHousehold(household, savedBy: operatorName, savedAt: now)
    if let index {
      town.households[index] = household
    } else {
      town.households.append(household)
    }
    try audit?.append(changes, operatorName: operatorName, time: now)
  }

  /// Saves the town-level records (town, villages, grids, visitors) of `data`.
  public func saveTownRecords(_ data: TownData) throws(StoreError) {
    try requireWritable()
    var changes = AuditDiff.changes(from: town.town, to: data.town)
    changes += Self.diff(town.villages, data.villages, AuditDiff.changes(from:to:))
    changes += Self.diff(town.grids, data.grids, AuditDiff.changes(from:to:))
    changes += Self.diff(town.visitors, data.visitors, AuditDiff.changes(from:to:))
    for campaign in data.campaigns {
      changes += AuditDiff.changes(
        from: town.campaigns.first { $0.name == campaign.name }, to: campaign)
    }
    guard !changes.isEmpty else { return }
    try backupIfFirstSaveToday()
    let now = clock.now()
    try folder.saveTown(data, savedBy: operatorName, savedAt: now)
    town.town = data.town
    town.villages = data.villages
    town.grids = data.grids
    town.visitors = data.visitors
    town.campaigns = data.campaigns
    try audit?.append(changes, operatorName: operatorName, time: now)
  }

  /// Saves one household's visits and hazards, then one audit line per visit, hazard or
  /// hazard event added or removed. Nothing is written when nothing changed.
  public func saveVisitRecord(_ record: VisitRecord) throws(StoreError) {
    try requireWritable()
    let path = DataFolder.visitRecordPath(record.householdID)
    if damaged.contains(where: { $0.relativePath == path }) {
      throw StoreError.damagedRecord(path: path)
    }
    let old = town.visitRecords[record.householdID]
    let changes = AuditDiff.changes(from: old, to: record)
    guard !changes.isEmpty else { return }
    try backupIfFirstSaveToday()
    let now = clock.now()
    try folder.saveVisitRecord(record, savedBy: operatorName, savedAt: now)
    town.visitRecords[record.householdID] = record
    try audit?.append(changes, operatorName: operatorName, time: now)
  }

  /// Saves one week of a grid's contact log (replacing that week's entry if there was one).
  public func saveContactLog(_ log: ContactLog) throws(StoreError) {
    try requireWritable()
    let path = DataFolder.contactPath(log.gridID)
    if damaged.contains(where: { $0.relativePath == path }) {
      throw StoreError.damagedRecord(path: path)
    }
    let logs = town.contactLogs[log.gridID] ?? []
    let changes = AuditDiff.changes(from: logs.first { $0.week == log.week }, to: log)
    guard !changes.isEmpty else { return }
    try backupIfFirstSaveToday()
    let now = clock.now()
    let updated = recording(log, in: logs)
    try folder.saveContactLogs(updated, gridID: log.gridID, savedBy: operatorName, savedAt: now)
    town.contactLogs[log.gridID] = updated
    try audit?.append(changes, operatorName: operatorName, time: now)
  }

  /// Stores the campaign of the winter `today` falls in, from the seed's template, if the
  /// town does not have it yet (each winter gets its own dates). Returns it.
  @discardableResult
  public func ensureCampaign(on today: CivilDate) throws(StoreError) -> Campaign {
    let campaign = town.campaign(on: today)
    guard !town.campaigns.contains(where: { $0.name == campaign.name }) else { return campaign }
    guard access == .readWrite else { return campaign }
    var data = town
    data.campaigns.append(campaign)
    try saveTownRecords(data)
    return campaign
  }

  private static func diff<T: Identifiable>(
    _ old: [T], _ new: [T], _ changes: (T?, T?) -> [AuditChange]
  ) -> [AuditChange] where T.ID == String {
    let before = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let after = Dictionary(new.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var result: [AuditChange] = []
    for item in new { result += changes(before[item.id], item) }
    for item in old where after[item.id] == nil { result += changes(item, nil) }
    return result
  }

  /// Writes what a roster edit changed: household files first, then town.json (so a new
  /// grid or village is on disk no earlier than what refers to it), then archives.
  public func apply(_ outcome: RosterEdit.Outcome) throws(StoreError) {
    try requireWritable()
    for household in outcome.changedHouseholds { try saveHousehold(household) }
    if outcome.townRecordsChanged { try saveTownRecords(outcome.town) }
    for id in outcome.archivedHouseholdIDs { try archiveHousehold(id: id) }
  }

  /// Moves a household's file to archive/households/ (kept, never deleted: its visits and
  /// hazards stay readable) and takes it off the roster.
  public func archiveHousehold(id: String) throws(StoreError) {
    try requireWritable()
    guard let index = town.households.firstIndex(where: { $0.id == id }) else { return }
    try backupIfFirstSaveToday()
    let archive = folder.url.appendingPathComponent("archive/households", isDirectory: true)
    try AtomicFile.makeFolder(archive)
    let source = folder.householdFile(id)
    let target = archive.appendingPathComponent("\(id).json")
    guard rename(source.path, target.path) == 0 else {
      throw StoreError.from(errno: errno, path: source.path)
    }
    try AtomicFile.syncFolder(archive)
    try AtomicFile.syncFolder(source.deletingLastPathComponent())
    // Its visits go with it, so the archived household keeps its whole history.
    let visitsSource = folder.visitRecordFile(id)
    if FileManager.default.fileExists(atPath: visitsSource.path) {
      let visitsArchive = folder.url.appendingPathComponent("archive/visits", isDirectory: true)
      try AtomicFile.makeFolder(visitsArchive)
      let visitsTarget = visitsArchive.appendingPathComponent("\(id).json")
      guard rename(visitsSource.path, visitsTarget.path) == 0 else {
        throw StoreError.from(errno: errno, path: visitsSource.path)
      }
      try AtomicFile.syncFolder(visitsArchive)
      try AtomicFile.syncFolder(visitsSource.deletingLastPathComponent())
    }
    town.visitRecords[id] = nil
    let old = town.households.remove(at: index)
    try audit?.append(
      AuditDiff.changes(from: old, to: nil), operatorName: operatorName, time: clock.now())
  }

  // MARK: Damaged files

  /// Replaces a damaged file with its newest backup (the damaged one is kept aside), reloads
  /// it, and returns the date of the backup used.
  public func restoreDamaged(_ file: DamagedFile) throws(StoreError) -> String {
    try requireWritable()
    // Only a copy that decodes is acceptable: the day's backup may hold the damage itself.
    let date = try Backups.restoreFile(
      file.relativePath, folder: folder.url, today: clock.today(),
      accept: { data in DataFolder.isUsableCopy(data, of: file.relativePath) })
    let report = try folder.loadReport()
    town = report.town
    damaged = report.damaged
    try audit?.append(
      [AuditChange(record: file.relativePath, field: "*", before: "损坏", after: "恢复自备份 \(date)")],
      operatorName: operatorName, time: clock.now())
    return date
  }

  /// The newest backup date that holds a copy of `file`, if any.
  public func newestBackup(of file: DamagedFile) -> String? {
    Backups.newestCopy(of: file.relativePath, folder: folder.url)?.date
  }
}
