import FiregridModel
import FiregridRepository
import Foundation

/// The data folder's records and audit chain for another store that keeps the same ones (the
/// PostgreSQL store): each record's bytes exactly as its file holds them, the town read back
/// from such bytes, the journal's lines for a change, and a whole folder read or written. One
/// public door onto what `DataFolder`, `Journal` and `AuditLog` do inside, so the two stores
/// encode, decode and hash through the same code and cannot drift; nothing here changes how
/// the data folder itself works.
public enum PortableTown {
  /// The encoders only name a path in their errors: any folder serves.
  private static let codec = DataFolder(url: URL(fileURLWithPath: "/firegrid"))

  // MARK: Records as their files' bytes

  public static func townImage(_ data: TownData, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    try codec.townImage(data, savedBy: savedBy, savedAt: savedAt)
  }

  public static func householdImage(_ household: Household, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    try codec.householdImage(household, savedBy: savedBy, savedAt: savedAt)
  }

  public static func visitRecordImage(_ record: VisitRecord, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    try codec.visitRecordImage(record, savedBy: savedBy, savedAt: savedAt)
  }

  public static func contactImage(
    _ logs: [ContactLog], gridID: String, savedBy: String, savedAt: String
  ) throws(StoreError) -> FileImage {
    try codec.contactImage(logs, gridID: gridID, savedBy: savedBy, savedAt: savedAt)
  }

  public static func supervisionImage(
    _ supervision: SupervisionData, savedBy: String, savedAt: String
  ) throws(StoreError) -> FileImage {
    try codec.supervisionImage(supervision, savedBy: savedBy, savedAt: savedAt)
  }

  public static func premisesImage(_ premises: Premises, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    try codec.premisesImage(premises, savedBy: savedBy, savedAt: savedAt)
  }

  public static func inspectionRecordImage(
    _ record: VisitRecord, savedBy: String, savedAt: String
  ) throws(StoreError) -> FileImage {
    try codec.inspectionRecordImage(record, savedBy: savedBy, savedAt: savedAt)
  }

  public static func archivedHouseholdPath(_ id: String) -> String {
    DataFolder.archivedHouseholdPath(id)
  }
  public static func archivedVisitRecordPath(_ id: String) -> String {
    DataFolder.archivedVisitRecordPath(id)
  }
  public static func archivedPremisesPath(_ id: String) -> String {
    DataFolder.archivedPremisesFilePath(id)
  }
  public static func archivedInspectionRecordPath(_ id: String) -> String {
    DataFolder.archivedInspectionRecordPath(id)
  }

  // MARK: Statistics facts

  /// The folders whose records have statistics facts (`StatisticsFacts`): the roster's
  /// households and their visit records (not the archive's).
  public static let factsFolders = [DataFolder.householdsFolderName, DataFolder.visitsFolderName]

  /// The statistics facts line of the record at `path` (relative, as in the folder) from its
  /// bytes, read by the same decoders as the town's open: nil for a record of another folder,
  /// or one that does not decode (the town's own table skips it too).
  public static func statisticsFacts(path: String, content: Data) -> String? {
    let folder = (path as NSString).deletingLastPathComponent
    if folder == DataFolder.householdsFolderName {
      guard let file: HouseholdFile = try? DataFolder.decode(content, path: path) else {
        return nil
      }
      return StatisticsFacts.encode(HouseholdFacts(file.household))
    }
    if folder == DataFolder.visitsFolderName {
      guard let file: VisitRecordFile = try? DataFolder.decode(content, path: path) else {
        return nil
      }
      return StatisticsFacts.encode(VisitFacts(file.record))
    }
    return nil
  }

  /// The folders whose `<id>.json` files are records, and the two files at the top.
  public static let recordFolders = Journal.dataFolders
  public static let topLevelFiles = Journal.topLevelFiles

  // MARK: The town from its records' bytes

  /// The town as `DataFolder.loadReport` would read it from a folder of these files (keyed by
  /// their paths in the folder): the same decoders, the same order, the records that do not
  /// decode reported as damaged.
  public static func decode(_ files: [String: Data]) -> LoadReport {
    var damaged: [DamagedFile] = []
    var byFolder: [String: [(name: String, data: Data)]] = [:]
    for (path, data) in files {
      let folder = (path as NSString).deletingLastPathComponent
      guard !folder.isEmpty, path.hasSuffix(".json") else { continue }
      byFolder[folder, default: []].append(((path as NSString).lastPathComponent, data))
    }
    func read<T: VersionedFile>(_ folder: String) -> [T] {
      let entries = (byFolder[folder] ?? []).sorted { $0.name < $1.name }
      var decoded: [T] = []
      decoded.reserveCapacity(entries.count)
      for entry in entries {
        let path = "\(folder)/\(entry.name)"
        do throws(StoreError) {
          decoded.append(try DataFolder.decode(entry.data, path: path))
        } catch {
          damaged.append(
            DamagedFile(
              relativePath: path,
              householdID: DataFolder.householdFolders.contains(folder)
                ? String(entry.name.dropLast(5)) : nil,
              error: error))
        }
      }
      return decoded
    }
    let townFile: TownFile
    do throws(StoreError) {
      guard let data = files[DataFolder.townFileName] else {
        throw StoreError.unreadable(path: DataFolder.townFileName, detail: StoreText.fileMissing)
      }
      townFile = try DataFolder.decode(data, path: DataFolder.townFileName)
    } catch {
      damaged.append(
        DamagedFile(relativePath: DataFolder.townFileName, householdID: nil, error: error))
      townFile = DataFolder.emptyTownFile
    }
    var data = DataFolder.rosterTown(
      townFile, households: read(DataFolder.householdsFolderName),
      premises: read(DataFolder.premisesFolderName))
    let visits: [VisitRecordFile] = read(DataFolder.visitsFolderName)
    let contacts: [ContactFile] = read(DataFolder.contactsFolderName)
    if let bytes = files[DataFolder.supervisionFileName] {
      do throws(StoreError) {
        let file: SupervisionFile = try DataFolder.decode(
          bytes, path: DataFolder.supervisionFileName)
        data.supervision = file.supervision
      } catch {
        damaged.append(
          DamagedFile(relativePath: DataFolder.supervisionFileName, householdID: nil, error: error))
      }
    }
    DataFolder.addRecords(
      to: &data, visits: visits, contacts: contacts,
      archivedHouseholds: read(DataFolder.archivedHouseholdsPath),
      archivedVisits: read(DataFolder.archivedVisitsPath),
      inspections: read(DataFolder.inspectionsFolderName),
      archivedPremises: read(DataFolder.archivedPremisesPath),
      archivedInspections: read(DataFolder.archivedInspectionsPath))
    return LoadReport(
      town: data, damaged: damaged.sorted { $0.relativePath < $1.relativePath },
      townFileVersion: townFile.schemaVersion)
  }

  // MARK: The audit chain

  /// The audit lines of a new town: every record it holds, as if typed (a demo season's
  /// visits are accounted for like any clerk's). `DataFolder.create` writes these.
  public static func creationChanges(_ data: TownData) -> [AuditChange] {
    var changes = [AuditChange(record: "town", field: "*", before: nil, after: data.town.name)]
    for village in data.villages { changes += AuditDiff.changes(from: nil, to: village) }
    for grid in data.grids { changes += AuditDiff.changes(from: nil, to: grid) }
    for visitor in data.visitors { changes += AuditDiff.changes(from: nil, to: visitor) }
    for household in data.households { changes += AuditDiff.changes(from: nil, to: household) }
    for record in data.visitRecords.values.sorted(by: { $0.householdID < $1.householdID }) {
      changes += AuditDiff.changes(from: nil, to: record)
    }
    for (_, logs) in data.contactLogs.sorted(by: { $0.key < $1.key }) {
      for log in logs { changes += AuditDiff.changes(from: nil, to: log) }
    }
    changes += AuditDiff.changes(from: SupervisionData(), to: data.supervision)
    for premises in data.premises { changes += AuditDiff.changes(from: nil, to: premises) }
    for record in data.premisesRecords.values.sorted(by: { $0.householdID < $1.householdID }) {
      changes += AuditDiff.changes(
        from: nil, to: record, visitRecord: AuditDiff.inspectionRecord)
    }
    return changes
  }

  /// The records of a new town as the files `DataFolder.create` writes (archives aside: a new
  /// town has none).
  public static func creationImages(_ data: TownData, savedBy: String, savedAt: String)
    throws(StoreError) -> [FileImage]
  {
    var images = [try townImage(data, savedBy: savedBy, savedAt: savedAt)]
    for household in data.households {
      images.append(try householdImage(household, savedBy: savedBy, savedAt: savedAt))
    }
    for record in data.visitRecords.values.sorted(by: { $0.householdID < $1.householdID }) {
      images.append(try visitRecordImage(record, savedBy: savedBy, savedAt: savedAt))
    }
    for (gridID, logs) in data.contactLogs.sorted(by: { $0.key < $1.key }) {
      images.append(try contactImage(logs, gridID: gridID, savedBy: savedBy, savedAt: savedAt))
    }
    if !data.supervision.isEmpty {
      images.append(try supervisionImage(data.supervision, savedBy: savedBy, savedAt: savedAt))
    }
    for premises in data.premises {
      images.append(try premisesImage(premises, savedBy: savedBy, savedAt: savedAt))
    }
    for record in data.premisesRecords.values.sorted(by: { $0.householdID < $1.householdID }) {
      images.append(try inspectionRecordImage(record, savedBy: savedBy, savedAt: savedAt))
    }
    return images
  }

  /// The audit lines of the town-level records (town, villages, grids, visitors, campaigns)
  /// going from `old`'s to `new`'s: what a town.json save records.
  public static func townRecordChanges(from old: TownData, to new: TownData) -> [AuditChange] {
    var changes = AuditDiff.changes(from: old.town, to: new.town)
    changes += AuditDiff.byID(old.villages, new.villages, AuditDiff.changes(from:to:))
    changes += AuditDiff.byID(old.grids, new.grids, AuditDiff.changes(from:to:))
    changes += AuditDiff.byID(old.visitors, new.visitors, AuditDiff.changes(from:to:))
    for campaign in new.campaigns {
      changes += AuditDiff.changes(
        from: old.campaigns.first { $0.name == campaign.name }, to: campaign)
    }
    return changes
  }

  /// The audit line of personal data shown in full (`TownRepository.recordAccess`).
  public static func accessChange(to record: String) -> AuditChange {
    AuditChange(
      record: record, field: StoreText.accessField, before: nil, after: StoreText.accessShown)
  }

  /// The lines one change is recorded as, as the journal groups them: `changes`, a file line
  /// per record written (digests before and after, nil when absent), and the commit line.
  public static func journalLines(
    _ changes: [AuditChange], files: [(path: String, before: String?, after: String?)],
    kind: String
  ) -> [AuditChange] {
    Journal.group(changes, digests: files, kind: kind)
  }

  /// The hex SHA-256 a file line records for `data`.
  public static func digest(_ data: Data) -> String { Journal.digest(data) }

  // MARK: Whole folders

  /// Every record file of a folder (paths sorted) and its audit log's entries. The caller
  /// checks the folder first (`FolderCheck`): this only reads.
  public static func read(_ folder: DataFolder) throws(StoreError) -> (
    files: [(path: String, content: Data)], audit: [AuditEntry]
  ) {
    var files: [(path: String, content: Data)] = []
    for path in Journal.dataFiles(in: folder.url) {
      files.append((path, try AtomicFile.readAll(folder.url.appendingPathComponent(path))))
    }
    return (files, try AuditLog.entries(folder: folder.url))
  }

  /// One record's file in a folder being built: a new file (0600, never over one), written
  /// without its own fsync and folder fsync, because `NewTown.build` syncs the whole folder
  /// (`syncfs`) before renaming it into place and nothing reads it before. Why not
  /// `AtomicFile.write`: its two fsyncs per file made the export of a 10,000-household season
  /// (22,659 records) take 20.0 s.
  private static func writeUnsynced(_ file: (path: String, content: Data), in folder: DataFolder)
    throws(StoreError)
  {
    guard let parts = Backups.components(of: file.path) else {
      throw StoreError.outsideFolder(path: file.path)
    }
    let url = Backups.append(parts, to: folder.url)
    try folder.fileSystem.makeFolder(url.deletingLastPathComponent())
    let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, AtomicFile.fileMode)
    guard fd >= 0 else { throw StoreError.from(errno: errno, path: url.path) }
    var failure: StoreError?
    file.content.withUnsafeBytes { raw in
      failure = AtomicFile.writeAll(fd, raw, path: url.path)
    }
    close(fd)
    if let failure { throw failure }
  }

  /// Writes a new data folder from records and an audit chain (an export): built aside and
  /// renamed into place like any new town, refused where the folder holds anything. The
  /// entries are written as the log's first lines, then one more change (`changes`, the kind
  /// of a new town's first change) naming every file's digest, so `check` reconciles the folder whatever the
  /// entries said of the files.
  public static func write(
    to folder: DataFolder, files: [(path: String, content: Data)], audit: [AuditEntry],
    changes: [AuditChange], operatorName: String, time: String
  ) throws(StoreError) {
    try NewTown.build(at: folder, operatorName: operatorName, time: time, changes: changes) {
      (building: DataFolder) throws(StoreError) in
      try building.fileSystem.makeFolder(building.householdsFolder)
      for name in DataFolder.premisesFolders {
        try building.fileSystem.makeFolder(building.url.appendingPathComponent(name))
      }
      for file in files { try writeUnsynced(file, in: building) }
      guard let last = audit.last else { return }
      var log = Data()
      for entry in audit {
        log.append(contentsOf: AuditCanonical.bytes(entry, includingHash: true))
        log.append(0x0A)
      }
      try AtomicFile.write(log, to: building.url.appendingPathComponent(AuditLog.fileName))
      let head = AuditHead(
        schemaVersion: AuditLog.headSchemaVersion, sequence: last.sequence, hash: last.hash)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      guard var bytes = try? encoder.encode(head) else {
        throw StoreError.io(path: AuditLog.headFileName, code: EINVAL)
      }
      bytes.append(0x0A)
      try AtomicFile.write(bytes, to: building.url.appendingPathComponent(AuditLog.headFileName))
    }
  }
}

/// The in-memory side of changes both stores make once committed: whatever holds the town
/// (this folder, a database), its copy in memory changes the same way.
extension TownData {
  /// The town-level records of `data` (town, villages, grids, visitors, campaigns).
  public mutating func takeTownRecords(of data: TownData) {
    town = data.town
    villages = data.villages
    grids = data.grids
    visitors = data.visitors
    campaigns = data.campaigns
  }

  /// A household and its visits moved to the archive (kept in id order, as a load reads it).
  public mutating func moveToArchive(householdID id: String) {
    if let household = households.first(where: { $0.id == id }) {
      archivedHouseholds.append(household)
      archivedHouseholds.sort { $0.id < $1.id }
    }
    if let record = visitRecords.removeValue(forKey: id) { archivedVisitRecords[id] = record }
    households.removeAll { $0.id == id }
  }

  /// A committed roster edit: changed households, the town records, the households
  /// `archived`, and those brought back from the archive with their visits.
  public mutating func takeRosterEdit(_ outcome: RosterEdit.Outcome, archived: [String]) {
    for household in outcome.changedHouseholds {
      if let index = households.firstIndex(where: { $0.id == household.id }) {
        households[index] = household
      } else {
        households.append(household)
      }
    }
    if outcome.townRecordsChanged { takeTownRecords(of: outcome.town) }
    for id in archived { moveToArchive(householdID: id) }
    for id in outcome.restoredHouseholdIDs {
      archivedHouseholds.removeAll { $0.id == id }
      if let record = archivedVisitRecords.removeValue(forKey: id) { visitRecords[id] = record }
    }
  }
}
