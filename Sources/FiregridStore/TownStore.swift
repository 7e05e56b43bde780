import FiregridModel
import FiregridRepository
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
    /// The folder itself cannot be written (a CD, a read-only mount, no permission): it is
    /// opened to be read.
    case readOnlyFolder
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
  public private(set) var folderAccess: Access
  public private(set) var town: TownData
  /// Files that did not load; their households cannot be edited until restored.
  public private(set) var damagedFiles: [DamagedFile] {
    didSet { damagedRecords = nil }
  }
  /// `damaged` as the repository names it, made when first asked and kept until the damaged
  /// files or the backups change: finding each file's repair source reads the whole journal,
  /// and a property may be read at every redraw.
  var damagedRecords: [DamagedRecord]?
  private let clock: Clock
  private var lock: FolderLock?
  private var audit: AuditLog?
  private var journal: JournalWriter?
  private var backupDay: String?
  /// When a checkpoint is written (`Checkpoint`); its writer, when this process holds the
  /// folder.
  private let checkpointPolicy: Checkpoint.Policy
  private var checkpointWriter: CheckpointWriter?
  /// Changes since the last checkpoint was started.
  private var changesSinceCheckpoint = 0
  /// How the open used the checkpoint, and how many files it read.
  public private(set) var checkpointUse: CheckpointUse = .notUsed
  public private(set) var loadCounts = LoadCounts()
  /// The second part of a deferred open (`finishLoading`): the roster is in `town`, the rest
  /// still on disk; nothing may be saved until it is read.
  private var pendingLoad: (report: LoadReport, checkpoint: CheckpointPack?)?
  /// Where each record's lines are in the audit log, for `history` (`AuditIndex`).
  lazy var auditIndex = AuditIndex(folder: folder.url)
  /// The version town.json is in on disk (`LoadReport.townFileVersion`).
  private var townFileVersion: Int

  private init(
    folder: DataFolder, operatorName: String, clock: Clock, report: LoadReport, lock: FolderLock?,
    audit: AuditLog?, folderWritable: Bool = true, checkpointPolicy: Checkpoint.Policy = .never
  ) {
    self.folder = folder
    self.operatorName = operatorName
    self.clock = clock
    self.checkpointPolicy = checkpointPolicy
    self.loadCounts = report.counts
    self.town = report.town
    self.damagedFiles = report.damaged
    self.townFileVersion = report.townFileVersion
    self.lock = lock
    self.audit = audit
    self.journal = audit.map {
      JournalWriter(folder: folder, audit: $0, operatorName: operatorName, clock: clock)
    }
    if lock != nil {
      folderAccess = .readWrite
    } else if !folderWritable {
      folderAccess = .readOnlyFolder
    } else {
      folderAccess = .readOnly(holder: FolderLock.currentHolder(folder: folder.url))
    }
  }

  deinit { close() }

  /// Opens an existing town. When another process holds the folder, opens read-only. A folder
  /// without a town (empty, or someone else's files) is refused untouched.
  ///
  /// - Parameters:
  ///   - deferringRecords: read only the roster now (town.json, households, premises), and the
  ///     visits, contacts and the rest in `finishLoading` (the app draws its first screen
  ///     between the two).
  ///   - checkpoints: when to write the checkpoint that later opens read (`Checkpoint`); an
  ///     existing one is read whatever this says.
  public static func open(
    folder: DataFolder, operatorName: String, clock: Clock = .system,
    deferringRecords: Bool = false, checkpoints: Checkpoint.Policy = .never
  ) throws(StoreError) -> TownStore {
    // Checked before the lock: taking it writes .lock and audit.log, which would make a
    // folder of someone else's files look like a town.
    guard folder.state == .town else { throw StoreError.noTown(path: folder.url.path) }
    var folderWritable = true
    var lock: FolderLock?
    do {
      lock = try acquireLock(folder: folder, operatorName: operatorName, clock: clock)
    } catch .permissionDenied {
      // A CD, a read-only mount, a folder of someone else's: it can still be read.
      folderWritable = false
    }
    do {
      var audit: AuditLog?
      var headDamage: DamagedFile?
      if lock != nil {
        // Recovery comes first, under the lock: the log's torn tail or uncommitted lines are
        // moved aside, the last committed change is redone, temp files of a crash removed.
        do {
          let log = try AuditLog(folder: folder.url)
          audit = log
          try redoLastChange(folder: folder, audit: log)
          removeTempFiles(folder: folder.url)
          // A folder of version 3 or older gains the folders of version 4.
          try folder.addPremisesFolders()
        } catch let error where error.isAbout(AuditLog.headFileName) {
          // A damaged audit.head: the town opens to be read, and `D` rebuilds the head.
          headDamage = DamagedFile(
            relativePath: AuditLog.headFileName, householdID: nil, error: error)
        }
      }
      // The checkpoint, when there is one the log allows (`Checkpoint`).
      // A reader without the lock goes by audit.head (nil when it cannot be read: no pack).
      let lastSequence =
        audit?.lastSequence
        ?? (try? AuditLog.readHead(folder.url.appendingPathComponent(AuditLog.headFileName)))?
        .sequence
      var pack: CheckpointPack?
      var use = CheckpointUse.notUsed
      if let lastSequence {
        switch CheckpointPack.open(folder: folder.url, lastSequence: lastSequence) {
        case .opened(let opened):
          pack = opened
          use = .used(reused: 0, read: 0)
        case .refused(let why):
          use = why
        }
      }
      var report = try folder.loadRoster(checkpoint: pack)
      if !deferringRecords { folder.loadRecords(into: &report, checkpoint: pack) }
      if let headDamage { report.damaged.insert(headDamage, at: 0) }
      let store = TownStore(
        folder: folder, operatorName: operatorName, clock: clock, report: report, lock: lock,
        audit: audit, folderWritable: folderWritable, checkpointPolicy: checkpoints)
      store.checkpointUse = use
      if lock != nil { store.checkpointWriter = CheckpointWriter(folder: folder.url) }
      if deferringRecords {
        store.pendingLoad = (report, pack)
      } else {
        store.loaded(checkpoint: pack)
      }
      if let audit, !audit.endsWithCommit, !store.townFileDamaged { try store.recordBaseline() }
      if let audit, audit.rebuiltHead {
        try store.commit(
          [
            AuditChange(
              record: AuditLog.headFileName, field: "*", before: "缺失",
              after: StoreText.headRebuilt)
          ], files: [], kind: "repair", time: clock.now())
        store.backupNotice = StoreText.headRebuiltNotice
      }
      return store
    } catch {
      lock?.release()
      throw error
    }
  }

  /// town.json or audit.head is damaged: nothing may be saved until `D` repairs it.
  var townFileDamaged: Bool {
    damagedFiles.contains {
      $0.relativePath == DataFolder.townFileName || $0.relativePath == AuditLog.headFileName
    }
  }

  /// Redoes the newest redo record if its change is committed (its commit line is in the log)
  /// and its files are not all in place: a crash came between the commit and the last file.
  static func redoLastChange(folder: DataFolder, audit: AuditLog) throws(StoreError) {
    guard let record = Journal.lastRedo(folder: folder.url) else { return }
    let images = Journal.redoPlan(record.images, in: folder.url)
    guard !images.isEmpty else { return }
    let committed: Bool
    if record.sequence == audit.lastSequence {
      committed = record.hash == audit.lastHash
    } else if record.sequence < audit.lastSequence {
      committed = try Journal.commits(folder: folder.url)[record.sequence] == record.hash
    } else {
      committed = false
    }
    guard committed else { return }
    try Journal.apply(images, to: folder)
    try audit.writeHead()
  }

  /// Removes `AtomicFile`'s temp files (`.NAME.PID.tmp`) a crash left in the data folders: the
  /// caller holds the lock, so no writer is using them, and they may hold personal data.
  static func removeTempFiles(folder: URL) {
    // journal/: a checkpoint half written when the program stopped.
    for name in ["", Journal.folderName] + Journal.dataFolders {
      let dir = name.isEmpty ? folder : folder.appendingPathComponent(name)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      for file in names where file.hasPrefix(".") && file.hasSuffix(".tmp") {
        unlink(dir.appendingPathComponent(file).path)
      }
    }
  }

  /// A folder whose log predates the journal (or has none yet) gets a baseline: one change
  /// naming every data file's digest, from which `check` reconciles later changes.
  private func recordBaseline() throws(StoreError) {
    guard let audit else { return }
    // A file that cannot be read is left out (the folder still opens; `check` names it).
    let digests = Journal.dataFiles(in: folder.url).compactMap { path in
      (try? AtomicFile.readAll(folder.url.appendingPathComponent(path))).map {
        (path: path, before: String?.none, after: Optional(Journal.digest($0)))
      }
    }
    let lines = Journal.group([], digests: digests, kind: "baseline")
    try audit.write(audit.prepare(lines, operatorName: operatorName, time: clock.now()))
    try audit.writeHead()
  }

  /// Writes a new town into an empty folder (first-run setup, demo, import) and opens it.
  public static func create(
    folder: DataFolder, town: TownData, operatorName: String, clock: Clock = .system
  ) throws(StoreError) -> TownStore {
    try folder.create(town, savedBy: operatorName, savedAt: clock.now())
    return try open(folder: folder, operatorName: operatorName, clock: clock)
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

  /// Whether the visits, contacts and the rest are still to be read (`finishLoading`).
  public var isLoadingRecords: Bool { pendingLoad != nil }

  /// Why this open reads every file, when a checkpoint would have mattered (a town of
  /// `Checkpoint.Policy.minimumFiles` files or more); nil otherwise.
  public var loadingNote: String? {
    guard filesRead >= checkpointPolicy.minimumFiles else { return nil }
    return checkpointUse.fallbackReason
  }

  /// The data files the open has read so far, from the checkpoint or from disk (before
  /// `finishLoading`, the roster's alone).
  private var filesRead: Int { loadCounts.fromCheckpoint + loadCounts.fromFiles }

  /// How many files `finishLoading` reads (its progress total); 0 when nothing is pending.
  public var pendingRecordCount: Int { pendingLoad == nil ? 0 : folder.recordFileCount() }

  /// Reads what a deferred open left (visits, contact logs, supervision, the archive, the
  /// premises' inspections), telling `progress` the files done of `pendingFileCount`.
  public func finishLoading(progress: (Int) -> Void) {
    guard var (report, pack) = pendingLoad else { return }
    withoutActuallyEscaping(progress) { progress in
      folder.loadRecords(into: &report, checkpoint: pack, progress: progress)
    }
    pendingLoad = nil
    town = report.town
    damagedFiles =
      (damagedFiles
      + report.damaged.filter { file in
        !damagedFiles.contains { $0.relativePath == file.relativePath }
      }).sorted { $0.relativePath < $1.relativePath }
    loadCounts = report.counts
    loaded(checkpoint: pack)
    pack = nil
    // The audit log's index too, so the first history (`h`) is as quick as the next.
    auditIndex.refresh(persist: folderAccess == .readWrite && lock != nil)
  }

  /// The whole town is read: says how the checkpoint served, and writes a new one in the
  /// background when the open read many files from disk.
  private func loaded(checkpoint: CheckpointPack?) {
    if let checkpoint {
      checkpointUse =
        checkpoint.foundDamage
        ? .damaged : .used(reused: loadCounts.fromCheckpoint, read: loadCounts.fromFiles)
    }
    if filesRead >= checkpointPolicy.minimumFiles,
      loadCounts.fromFiles >= checkpointPolicy.rereadThreshold
    {
      startCheckpoint()
    }
  }

  /// Starts a checkpoint of the folder as it is now, on the writer's thread.
  private func startCheckpoint() {
    guard let checkpointWriter, let audit, audit.endsWithCommit else { return }
    changesSinceCheckpoint = 0
    checkpointWriter.start(sequence: audit.lastSequence)
  }

  /// Waits for a checkpoint being written; what came of the last one (the files it holds).
  @discardableResult
  public func waitForCheckpoint() -> Result<Int, StoreError>? { checkpointWriter?.wait() }

  /// Releases the lock and closes the audit log. Safe to call more than once.
  public func close() {
    // A checkpoint being written stops first: it reads the folder the lock protects.
    checkpointWriter?.cancel()
    audit?.close()
    audit = nil
    journal = nil
    lock?.release()
    lock = nil
  }

  private func requireWritable() throws(StoreError) {
    try requireAccess()
    // Everything else depends on these two: repair them first (`D`).
    if let file = damagedFiles.first(where: {
      $0.relativePath == DataFolder.townFileName || $0.relativePath == AuditLog.headFileName
    }) {
      throw StoreError.damagedRecord(path: file.relativePath)
    }
  }

  /// This process holds the folder and may write it.
  private func requireAccess() throws(StoreError) {
    // A change made from a town half read would be made from what is not all there.
    guard pendingLoad == nil else { throw StoreError.stillLoading }
    switch folderAccess {
    case .readOnly(let holder):
      // Never name a holder that has quit: the lock says whether it is still held.
      guard FolderLock.isLocked(folder: folder.url) else { throw StoreError.holderGone }
      throw StoreError.readOnly(holder: FolderLock.currentHolder(folder: folder.url) ?? holder)
    case .readOnlyFolder: throw StoreError.permissionDenied(path: folder.url.path)
    case .readWrite:
      // Closed: another process may hold the folder now.
      guard lock != nil else { throw StoreError.closed }
    }
  }

  /// Takes the day's backup now, if `day` has none yet: the app runs this off its UI loop
  /// after opening, showing `progress`, so the first save does not wait for the copy. Only
  /// the writer backs up (the copy must not change under it): a read-only store returns
  /// false. A failure is thrown, and the day's saves do not try the copy again.
  @discardableResult
  public func takeDailyBackup(
    on day: CivilDate, progress: (JobProgress) -> Void
  ) throws(StoreError) -> Bool {
    guard folderAccess == .readWrite, lock != nil else { return false }
    backupDay = day.description
    // A new backup may be where a damaged file is repaired from.
    defer { damagedRecords = nil }
    return try Backups.takeDailyIfNeeded(
      folder: folder.url, today: day.description, fileSystem: folder.fileSystem,
      progress: progress)
  }

  /// The first save of each day first copies the folder into backups/, unless the day's
  /// backup was already taken (or tried) by this store: the command line, or a save made
  /// before the app's own `takeDailyBackup`.
  private func backupIfFirstSaveToday() throws(StoreError) {
    let today = clock.today()
    guard backupDay != today else { return }
    backupDay = today
    // The journal keeps every committed change, so a save goes ahead without the day's copy
    // (a nearly full disk has no room for one); the clerk is told.
    do {
      try Backups.takeDailyIfNeeded(
        folder: folder.url, today: today, fileSystem: folder.fileSystem)
    } catch {
      backupNotice = StoreText.backupSkipped(error.message)
    }
  }

  // MARK: The journal

  /// Records one change in the journal, then writes its files (`JournalWriter.commit`).
  func commit(_ changes: [AuditChange], files: [FileImage], kind: String, time: String)
    throws(StoreError)
  {
    guard let journal else { throw StoreError.readOnly(holder: nil) }
    try journal.commit(changes, files: files, kind: kind, time: time)
    changesSinceCheckpoint += 1
    if changesSinceCheckpoint >= checkpointPolicy.changesBetween,
      filesRead >= checkpointPolicy.minimumFiles
    {
      startCheckpoint()
    }
    if files.contains(where: { $0.path == DataFolder.townFileName && $0.content != nil }) {
      townFileVersion = DataFolder.schemaVersion
    }
  }

  /// Something the user should know after a save that did succeed (a file write deferred, the
  /// day's backup not taken); nil when there is nothing. Cleared when read.
  public func takeNotice() -> String? {
    let text = [backupNotice, journal?.takeNotice()].compactMap { $0 }.joined(separator: "；")
    backupNotice = nil
    return text.isEmpty ? nil : text
  }
  private var backupNotice: String?

  // MARK: Saving

  /// The shape the saves of one record share: refused while its file is damaged, nothing
  /// written when nothing changed, the day's backup before the first save of the day, then
  /// one change in the journal, and the town in memory updated only once it is committed.
  private func save(
    _ kind: String, file path: String?, changes: [AuditChange],
    images: (_ now: String) throws(StoreError) -> [FileImage], then update: () -> Void
  ) throws(StoreError) {
    try requireWritable()
    if let path, damagedFiles.contains(where: { $0.relativePath == path }) {
      throw StoreError.damagedRecord(path: path)
    }
    guard !changes.isEmpty else { return }
    try backupIfFirstSaveToday()
    let now = clock.now()
    try commit(changes, files: try images(now), kind: kind, time: now)
    update()
  }

  /// Saves one household (new or changed): its file, then one audit line per changed field.
  /// Nothing is written when nothing changed.
  public func saveHousehold(_ household: Household) throws(StoreError) {
    let index = town.households.firstIndex { $0.id == household.id }
    try save(
      "household", file: DataFolder.householdPath(household.id),
      changes: AuditDiff.changes(from: index.map { town.households[$0] }, to: household)
    ) { now throws(StoreError) in
      [try folder.householdImage(household, savedBy: operatorName, savedAt: now)]
    } then: {
      if let index {
        town.households[index] = household
      } else {
        town.households.append(household)
      }
    }
  }

  /// Saves the town-level records (town, villages, grids, visitors) of `data`.
  public func saveTownRecords(_ data: TownData) throws(StoreError) {
    try save("town", file: nil, changes: townRecordChanges(to: data)) {
      now throws(StoreError) in
      [try folder.townImage(data, savedBy: operatorName, savedAt: now)]
    } then: {
      town.takeTownRecords(of: data)
    }
  }

  /// The audit lines of the town-level records going from the store's to `data`'s.
  private func townRecordChanges(to data: TownData) -> [AuditChange] {
    PortableTown.townRecordChanges(from: town, to: data)
  }

  /// Saves an import into the town as one change in the journal: the town-level records of
  /// `data` (new villages and grids), the new households, and `summary` (what was imported
  /// from which file). A crash leaves the whole import or none of it.
  public func saveImport(_ data: TownData, newHouseholds: [Household], summary: AuditChange)
    throws(StoreError)
  {
    try requireWritable()
    var changes = townRecordChanges(to: data)
    let now = clock.now()
    var files: [FileImage] = []
    if !changes.isEmpty {
      files.append(try folder.townImage(data, savedBy: operatorName, savedAt: now))
    }
    for household in newHouseholds {
      changes += AuditDiff.changes(from: nil, to: household)
      files.append(try folder.householdImage(household, savedBy: operatorName, savedAt: now))
    }
    changes.append(summary)
    try backupIfFirstSaveToday()
    try commit(changes, files: files, kind: "import", time: now)
    town.takeTownRecords(of: data)
    town.households += newHouseholds
  }

  /// Saves one household's visits and hazards, then one audit line per visit, hazard or
  /// hazard event added or removed. Nothing is written when nothing changed.
  /// With `addingVisitor`, a visitor not on the roster yet (名册外人员, named on the visit form)
  /// is added to town.json in the same change: the visit never names someone unknown.
  public func saveVisitRecord(_ record: VisitRecord, addingVisitor visitor: Visitor? = nil)
    throws(StoreError)
  {
    let visitChanges = AuditDiff.changes(from: town.visitRecords[record.householdID], to: record)
    var data = town
    if let visitor { data.visitors.append(visitor) }
    // The visitor only comes with a visit: unchanged visits write nothing, visitor or not.
    let changes =
      visitor == nil || visitChanges.isEmpty
      ? visitChanges : townRecordChanges(to: data) + visitChanges
    try save("visits", file: DataFolder.visitRecordPath(record.householdID), changes: changes) {
      now throws(StoreError) in
      var files = [try folder.visitRecordImage(record, savedBy: operatorName, savedAt: now)]
      if visitor != nil {
        files.insert(try folder.townImage(data, savedBy: operatorName, savedAt: now), at: 0)
      }
      return files
    } then: {
      town.visitors = data.visitors
      town.visitRecords[record.householdID] = record
    }
  }

  /// Saves one week of a grid's contact log (replacing that week's entry if there was one).
  public func saveContactLog(_ log: ContactLog) throws(StoreError) {
    let logs = town.contactLogs[log.gridID] ?? []
    let updated = recording(log, in: logs)
    try save(
      "contacts", file: DataFolder.contactPath(log.gridID),
      changes: AuditDiff.changes(from: logs.first { $0.week == log.week }, to: log)
    ) { now throws(StoreError) in
      [try folder.contactImage(updated, gridID: log.gridID, savedBy: operatorName, savedAt: now)]
    } then: {
      town.contactLogs[log.gridID] = updated
    }
  }

  /// Saves the town's supervision records (督查) as one change: supervision.json, and one
  /// audit line per record field changed (`AuditDiff.changes(from:to:)` of `SupervisionData`).
  /// Nothing is written when nothing changed; refused while supervision.json is damaged.
  public func saveSupervision(_ supervision: SupervisionData) throws(StoreError) {
    try save(
      "supervision", file: DataFolder.supervisionFileName,
      changes: AuditDiff.changes(from: town.supervision, to: supervision)
    ) { now throws(StoreError) in
      [try folder.supervisionImage(supervision, savedBy: operatorName, savedAt: now)]
    } then: {
      town.supervision = supervision
    }
  }

  // MARK: Premises (场所)

  /// Saves premises, new or changed, as one change: each one's file, one audit line per field
  /// changed (`AuditDiff.changes(from:to:)` of `Premises`). Those unchanged are not written;
  /// nothing is written when none changed. Refused while any of their files is damaged.
  public func savePremises(_ premises: [Premises]) throws(StoreError) {
    try savePremises(premises, importedFrom: nil)
  }

  /// `savePremises` for an import: `source` (the file's name) is recorded in one more audit
  /// line, "import/premises" "file" (导入场所 FILE：新增 N 处), and the change's kind is "import".
  public func savePremises(_ premises: [Premises], importedFrom source: String?)
    throws(StoreError)
  {
    try requireWritable()
    for item in premises {
      let path = DataFolder.premisesPath(item.id)
      if damagedFiles.contains(where: { $0.relativePath == path }) {
        throw StoreError.damagedRecord(path: path)
      }
    }
    let index = Dictionary(
      town.premises.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    // The last of a repeated id wins, as it would one save after another.
    var latest: [String: Premises] = [:]
    var order: [String] = []
    for item in premises {
      if latest.updateValue(item, forKey: item.id) == nil { order.append(item.id) }
    }
    var changes: [AuditChange] = []
    var changed: [Premises] = []
    for id in order {
      let item = latest[id]!
      let itemChanges = AuditDiff.changes(from: index[id].map { town.premises[$0] }, to: item)
      guard !itemChanges.isEmpty else { continue }
      changes += itemChanges
      changed.append(item)
    }
    guard !changes.isEmpty else { return }
    if let source {
      changes.append(
        AuditChange(
          record: "import/premises", field: "file", before: nil,
          after: PremisesCSVText.auditSummary(source, added: changed.count)))
    }
    try backupIfFirstSaveToday()
    let now = clock.now()
    var files: [FileImage] = []
    for item in changed {
      files.append(try folder.premisesImage(item, savedBy: operatorName, savedAt: now))
    }
    // An older town.json is written again in this version with the first premises: an older
    // program then refuses the folder rather than work on a town whose premises it cannot see.
    if townFileVersion < DataFolder.schemaVersion {
      files.insert(try folder.townImage(town, savedBy: operatorName, savedAt: now), at: 0)
    }
    try commit(changes, files: files, kind: source == nil ? "premises" : "import", time: now)
    for item in changed {
      if let position = index[item.id] {
        town.premises[position] = item
      } else {
        town.premises.append(item)
      }
    }
  }

  /// Saves a premises' inspections and hazards (`record.householdID` holds the premises id):
  /// inspections/<id>.json and one audit line per inspection ("inspection/<id>") or hazard
  /// ("hazard/<id>") added, changed or removed. Nothing is written when nothing changed.
  public func saveInspectionRecord(_ record: VisitRecord) throws(StoreError) {
    let id = record.householdID
    guard town.premises(id: id) != nil else { throw StoreError.unknownPremises(id: id) }
    try save(
      "inspections", file: DataFolder.inspectionRecordPath(id),
      changes: AuditDiff.changes(
        from: town.premisesRecords[id], to: record, visitRecord: AuditDiff.inspectionRecord)
    ) { now throws(StoreError) in
      [try folder.inspectionRecordImage(record, savedBy: operatorName, savedAt: now)]
    } then: {
      town.premisesRecords[id] = record
    }
  }

  /// Moves a premises' file and its inspections to archive/premises/ and archive/inspections/
  /// (kept, never deleted) and takes it off the roster, as one change.
  public func archivePremises(id: String) throws(StoreError) {
    try requireWritable()
    // A damaged file is refused first: its premises did not load, and must not look absent.
    for path in [DataFolder.premisesPath(id), DataFolder.inspectionRecordPath(id)]
    where damagedFiles.contains(where: { $0.relativePath == path }) {
      throw StoreError.damagedRecord(path: path)
    }
    guard let index = town.premises.firstIndex(where: { $0.id == id }) else { return }
    var files: [FileImage] = []
    for (path, archivedPath) in [
      (DataFolder.premisesPath(id), DataFolder.archivedPremisesFilePath(id)),
      (DataFolder.inspectionRecordPath(id), DataFolder.archivedInspectionRecordPath(id)),
    ] {
      let source = folder.url.appendingPathComponent(path)
      guard Backups.fileType(source) == S_IFREG else { continue }
      files.append(FileImage(path: archivedPath, content: try AtomicFile.readAll(source)))
      files.append(FileImage(path: path, content: nil))
    }
    try backupIfFirstSaveToday()
    let old = town.premises[index]
    try commit(
      AuditDiff.changes(from: old, to: nil), files: files, kind: "archive-premises",
      time: clock.now())
    town.premises.remove(at: index)
    town.archivedPremises.append(old)
    town.archivedPremises.sort { $0.id < $1.id }
    if let record = town.premisesRecords.removeValue(forKey: id) {
      town.archivedPremisesRecords[id] = record
    }
  }

  /// Records that the operator was shown `record`'s personal data in full (ID numbers,
  /// phones, health flags): the law asks who looked at whose data, and when.
  public func recordAccess(to record: String) throws(StoreError) {
    try requireAccess()
    try commit(
      [
        AuditChange(
          record: record, field: StoreText.accessField, before: nil, after: StoreText.accessShown)
      ],
      files: [], kind: "access", time: clock.now())
  }

  /// Stores the campaign of the winter `today` falls in, from the seed's template, if the
  /// town does not have it yet (each winter gets its own dates). Returns it.
  @discardableResult
  public func ensureCampaign(on today: CivilDate) throws(StoreError) -> Campaign {
    let campaign = town.campaign(on: today)
    guard !town.campaigns.contains(where: { $0.name == campaign.name }) else { return campaign }
    guard folderAccess == .readWrite else { return campaign }
    var data = town
    data.campaigns.append(campaign)
    try saveTownRecords(data)
    return campaign
  }

  /// Writes what a roster edit changed — households, town.json, archives — as one change in
  /// the journal: a move between grids, a split or an archive is on disk whole or not at all.
  public func apply(_ outcome: RosterEdit.Outcome) throws(StoreError) {
    try requireWritable()
    let now = clock.now()
    var changes: [AuditChange] = []
    var files: [FileImage] = []
    var written: [String: Data] = [:]
    for household in outcome.changedHouseholds {
      let path = DataFolder.householdPath(household.id)
      if damagedFiles.contains(where: { $0.relativePath == path }) {
        throw StoreError.damagedRecord(path: path)
      }
      let old = town.households.first { $0.id == household.id }
      let householdChanges = AuditDiff.changes(from: old, to: household)
      guard !householdChanges.isEmpty else { continue }
      changes += householdChanges
      let image = try folder.householdImage(household, savedBy: operatorName, savedAt: now)
      files.append(image)
      written[path] = image.content
    }
    if outcome.townRecordsChanged {
      let townChanges = townRecordChanges(to: outcome.town)
      if !townChanges.isEmpty {
        changes += townChanges
        files.append(try folder.townImage(outcome.town, savedBy: operatorName, savedAt: now))
      }
    }
    // Brought back from the archive: the household file is written above (it may have a new
    // 户号); the archive copies go, and the visits come back.
    for id in outcome.restoredHouseholdIDs {
      files.append(FileImage(path: DataFolder.archivedHouseholdPath(id), content: nil))
      let archivedVisits = folder.url.appendingPathComponent(
        DataFolder.archivedVisitRecordPath(id))
      if Backups.fileType(archivedVisits) == S_IFREG {
        files.append(
          FileImage(
            path: DataFolder.visitRecordPath(id), content: try AtomicFile.readAll(archivedVisits)))
        files.append(FileImage(path: DataFolder.archivedVisitRecordPath(id), content: nil))
      }
    }
    var archived: [String] = []
    for id in outcome.archivedHouseholdIDs {
      guard let old = town.households.first(where: { $0.id == id }) else { continue }
      changes += AuditDiff.changes(from: old, to: nil)
      files += try archiveFiles(of: id, written: written)
      archived.append(id)
    }
    guard !changes.isEmpty else { return }
    try backupIfFirstSaveToday()
    try commit(changes, files: files, kind: "roster", time: now)
    town.takeRosterEdit(outcome, archived: archived)
  }

  /// The files that move a household (and its visits) to archive/: a copy there, the
  /// original removed. `written` holds bytes the same change writes first.
  private func archiveFiles(of id: String, written: [String: Data] = [:]) throws(StoreError)
    -> [FileImage]
  {
    var files: [FileImage] = []
    // Its visits go with it, so the archived household keeps its whole history.
    for (path, archivedPath) in [
      (DataFolder.householdPath(id), DataFolder.archivedHouseholdPath(id)),
      (DataFolder.visitRecordPath(id), DataFolder.archivedVisitRecordPath(id)),
    ] {
      let source = folder.url.appendingPathComponent(path)
      let bytes: Data
      if let pending = written[path] {
        bytes = pending
      } else if Backups.fileType(source) == S_IFREG {
        bytes = try AtomicFile.readAll(source)
      } else {
        continue
      }
      files.append(FileImage(path: archivedPath, content: bytes))
      files.append(FileImage(path: path, content: nil))
    }
    return files
  }

  /// Moves a household's file to archive/households/ (kept, never deleted: its visits and
  /// hazards stay readable) and takes it off the roster. One change in the journal: the copies
  /// in archive/ and the removals are redone together after a crash, never half done.
  public func archiveHousehold(id: String) throws(StoreError) {
    try requireWritable()
    guard let index = town.households.firstIndex(where: { $0.id == id }) else { return }
    try backupIfFirstSaveToday()
    let old = town.households[index]
    try commit(
      AuditDiff.changes(from: old, to: nil), files: try archiveFiles(of: id), kind: "archive",
      time: clock.now())
    town.moveToArchive(householdID: id)
  }

  // MARK: Damaged files

  /// Where a good copy of a damaged or missing file comes from: the journal's newest
  /// after-image of it, or a backup whose copy is what the journal last recorded (or, in a
  /// folder from before the journal, the newest backup copy that reads).
  public struct RepairSource: Equatable, Sendable {
    /// "日志" words or a backup date, as the screen shows it.
    public var description: String
    var data: Data
  }

  /// The copy `restoreDamaged` would use for `relativePath`, nil when there is none.
  public func repairSource(of relativePath: String) -> RepairSource? {
    let latest = (try? Journal.latestDigests(folder: folder.url))?.digests[relativePath]
    let wanted: String? = latest ?? nil
    let current = try? AtomicFile.readAll(folder.url.appendingPathComponent(relativePath))
    if let wanted {
      for day in Journal.redoDays(folder: folder.url).reversed() {
        for record in Journal.redoRecords(folder: folder.url, day: day).reversed() {
          for image in record.images where image.path == relativePath {
            if let data = image.content, Journal.digest(data) == wanted {
              return RepairSource(description: StoreText.repairFromJournal(record.time), data: data)
            }
          }
        }
      }
    }
    for date in Backups.list(folder: folder.url) {
      let url = Backups.backupsFolder(folder.url).appendingPathComponent(date)
        .appendingPathComponent(relativePath)
      guard Backups.fileType(url) == S_IFREG, let data = try? AtomicFile.readAll(url),
        data != current
      else { continue }
      if let wanted {
        if Journal.digest(data) == wanted {
          return RepairSource(description: StoreText.repairFromBackup(date), data: data)
        }
      } else if DataFolder.isUsableCopy(data, of: relativePath) {
        return RepairSource(description: StoreText.repairFromBackup(date), data: data)
      }
    }
    return nil
  }

  /// Replaces a damaged (or missing) file with the copy `repairSource` finds — the damaged one
  /// is kept aside as `<name>.damaged-<today>` — as one change in the journal, reloads, and
  /// returns where the copy came from.
  public func restoreDamaged(_ file: DamagedFile) throws(StoreError) -> String {
    try requireAccess()
    if file.relativePath == AuditLog.headFileName { return try rebuildHead() }
    guard let source = repairSource(of: file.relativePath) else {
      throw StoreError.noBackupCopy(path: file.relativePath)
    }
    try moveAsideDamaged(folder.url.appendingPathComponent(file.relativePath))
    try commit(
      [
        AuditChange(
          record: file.relativePath, field: "*", before: "损坏", after: source.description)
      ], files: [FileImage(path: file.relativePath, content: source.data)], kind: "repair",
      time: clock.now())
    let report = try folder.loadReport()
    town = report.town
    damagedFiles = report.damaged
    townFileVersion = report.townFileVersion
    return source.description
  }

  /// Adds to `damaged` every data file the journal says exists but is missing, and every one
  /// whose bytes are not what the journal last recorded (changed outside the program), so the
  /// damaged-files screen offers to repair them. Reads the whole journal and every file: run
  /// when asked (`D`), not on every open.
  public func findFilesOutsideTheJournal() {
    guard let (digests, journalled) = try? Journal.latestDigests(folder: folder.url), journalled
    else { return }
    let known = Set(damagedFiles.map(\.relativePath))
    for (path, digest) in digests.sorted(by: { $0.key < $1.key }) {
      guard let digest, !known.contains(path) else { continue }
      let url = folder.url.appendingPathComponent(path)
      let detail: String
      if Backups.fileType(url) == nil {
        detail = StoreText.fileMissing
      } else if (try? AtomicFile.readAll(url)).map(Journal.digest) != digest {
        detail = StoreText.fileChangedOutside
      } else {
        continue
      }
      let name = (path as NSString).lastPathComponent
      // Top-level files (town.json, supervision.json), contact logs and premises files are no
      // household's.
      let isHousehold =
        DataFolder.householdFolders.contains((path as NSString).deletingLastPathComponent)
        && path.hasSuffix(".json")
      damagedFiles.append(
        DamagedFile(
          relativePath: path, householdID: isHousehold ? String(name.dropLast(5)) : nil,
          error: .unreadable(path: url.path, detail: detail)))
    }
  }

  /// Keeps a damaged file beside itself as `<name>.damaged-<today>` (never deleted; "-2"…
  /// when taken), so the good copy can take its place. Nothing to do when it is missing.
  private func moveAsideDamaged(_ url: URL) throws(StoreError) {
    guard Backups.fileType(url) != nil else { return }
    let parent = url.deletingLastPathComponent()
    let aside = Backups.freeName("\(url.lastPathComponent).damaged-\(clock.today())", in: parent)
    guard rename(url.path, aside.path) == 0 else {
      throw StoreError.from(errno: errno, path: url.path)
    }
    try AtomicFile.syncFolder(parent)
  }

  /// A damaged audit.head is moved aside and rebuilt from the log's chain (checked line by
  /// line from the first); the repair is a line of the log.
  private func rebuildHead() throws(StoreError) -> String {
    try moveAsideDamaged(folder.url.appendingPathComponent(AuditLog.headFileName))
    let log = try AuditLog(folder: folder.url)
    audit = log
    journal = JournalWriter(folder: folder, audit: log, operatorName: operatorName, clock: clock)
    try commit(
      [
        AuditChange(
          record: AuditLog.headFileName, field: "*", before: "损坏", after: StoreText.headRebuilt)
      ], files: [], kind: "repair", time: clock.now())
    damagedFiles.removeAll { $0.relativePath == AuditLog.headFileName }
    return StoreText.headRebuilt
  }

  /// Where `file` would be repaired from, for the damaged-files screen; nil when nowhere.
  public func newestBackup(of file: DamagedFile) -> String? {
    if file.relativePath == AuditLog.headFileName { return StoreText.headRebuilt }
    return repairSource(of: file.relativePath)?.description
  }
}
