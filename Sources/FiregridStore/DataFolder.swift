import FiregridModel
import FiregridRepository
import Foundation

/// The data folder: the town's only copy of its roster, one small JSON file per household.
///
/// Layout (documented in README.md of this module):
///
///     DATA/
///       town.json              town, villages, grids, visitors
///       households/h000001.json  one household (一户一档) with its members
///       visits/h000001.json      its 走访档案: visits and hazards (version 3)
///       contacts/g000001.json    a grid's weekly contact log (version 3)
///       supervision.json         督查: deployments, spot-check samples and records, notices
///       premises/c00001.json     one 场所 (version 4)
///       inspections/c00001.json  its inspections and hazards, in the visit-record format (version 4)
///
/// Every file carries `schemaVersion`; a file newer than `DataFolder.schemaVersion` is refused,
/// never overwritten; an older one is migrated in memory and written in the current version on
/// its next save. An edit rewrites one household's file, not the town: the benchmark showed a
/// whole-town rewrite costs ~200 ms, a household file well under 5 ms (README.md).
///
/// Versions: 1 — the first; 2 — every file also records who saved it and when
/// (`savedBy`, `savedAt`), so a file shows its last writer even without the audit log;
/// 3 — campaigns in town.json, visit records and contact logs in their own folders (an older
/// program would drop them on save, so it must refuse the folder); 4 — premises (场所) and
/// their inspections in premises/ and inspections/. A version-3 folder opens as it is (no
/// premises yet); the writer makes the two empty folders on open, and the first premises saved
/// writes town.json again as version 4, so an older program then refuses the folder instead of
/// working on a town whose premises it cannot see (`TownStore.savePremises`).
public final class DataFolder: Sendable {
  public static let schemaVersion = 4
  public static let townFileName = "town.json"
  public static let householdsFolderName = "households"
  public static let visitsFolderName = "visits"
  public static let contactsFolderName = "contacts"
  /// 督查 records, one file (small, written rarely: README.md). Absent until the first save;
  /// a folder without it has none.
  public static let supervisionFileName = "supervision.json"
  /// 场所, one file each like households (version 4).
  public static let premisesFolderName = "premises"
  /// Each premises' inspections and hazards, in the visit-record format (version 4).
  public static let inspectionsFolderName = "inspections"
  static let archivedHouseholdsPath = "archive/households"
  static let archivedVisitsPath = "archive/visits"
  static let archivedPremisesPath = "archive/premises"
  static let archivedInspectionsPath = "archive/inspections"
  /// The folders version 4 added: a new town has them, and the writer of an older folder
  /// makes them on open (`addPremisesFolders`).
  static let premisesFolders = [premisesFolderName, inspectionsFolderName]

  public let url: URL
  let fileSystem: any FileSystem

  public init(url: URL, fileSystem: any FileSystem = RealFileSystem()) {
    self.url = url.standardizedFileURL
    self.fileSystem = fileSystem
  }

  /// The folder Firegrid uses when none is given: `$FIREGRID_DATA`, else
  /// `$XDG_DATA_HOME/firegrid`, else `~/.local/share/firegrid`.
  public static func defaultLocation(environment: [String: String]) -> URL {
    if let explicit = environment["FIREGRID_DATA"], !explicit.isEmpty {
      return URL(fileURLWithPath: explicit, isDirectory: true)
    }
    if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
      return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("firegrid")
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return URL(fileURLWithPath: home, isDirectory: true)
      .appendingPathComponent(".local/share/firegrid", isDirectory: true)
  }

  /// What is at the folder's path.
  public enum State: Equatable, Sendable {
    /// Nothing there yet, or an empty folder: first-run setup.
    case empty
    /// A Firegrid data folder.
    case town
    /// A folder with other files and no town.json: not ours, never written into.
    case foreign
  }

  public var state: State {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else { return .empty }
    guard isFolder.boolValue else { return .foreign }
    if manager.fileExists(atPath: townFile.path) { return .town }
    let entries = (try? manager.contentsOfDirectory(atPath: url.path)) ?? []
    // A town whose town.json is lost is still a town: its journal, households and backups
    // say so, and `D` or a restore brings town.json back.
    let townSigns: Set<String> = [
      AuditLog.fileName, Self.householdsFolderName, Backups.folderName, Journal.folderName,
    ]
    if entries.contains(where: townSigns.contains) { return .town }
    return entries.isEmpty ? .empty : .foreign
  }

  var townFile: URL { url.appendingPathComponent(Self.townFileName) }
  var supervisionFile: URL { url.appendingPathComponent(Self.supervisionFileName) }
  var householdsFolder: URL {
    url.appendingPathComponent(Self.householdsFolderName, isDirectory: true)
  }

  func householdFile(_ id: String) -> URL {
    householdsFolder.appendingPathComponent("\(id).json")
  }

  var visitsFolder: URL { url.appendingPathComponent(Self.visitsFolderName, isDirectory: true) }
  var contactsFolder: URL {
    url.appendingPathComponent(Self.contactsFolderName, isDirectory: true)
  }
  func visitRecordFile(_ householdID: String) -> URL {
    visitsFolder.appendingPathComponent("\(householdID).json")
  }
  func contactFile(_ gridID: String) -> URL {
    contactsFolder.appendingPathComponent("\(gridID).json")
  }

  /// Relative paths, as `DamagedFile` and backups name them.
  public static func visitRecordPath(_ householdID: String) -> String {
    "\(visitsFolderName)/\(householdID).json"
  }
  public static func householdPath(_ householdID: String) -> String {
    "\(householdsFolderName)/\(householdID).json"
  }
  public static func contactPath(_ gridID: String) -> String {
    "\(contactsFolderName)/\(gridID).json"
  }
  public static func premisesPath(_ premisesID: String) -> String {
    "\(premisesFolderName)/\(premisesID).json"
  }
  public static func inspectionRecordPath(_ premisesID: String) -> String {
    "\(inspectionsFolderName)/\(premisesID).json"
  }
  static func archivedPremisesFilePath(_ premisesID: String) -> String {
    "\(archivedPremisesPath)/\(premisesID).json"
  }
  static func archivedInspectionRecordPath(_ premisesID: String) -> String {
    "\(archivedInspectionsPath)/\(premisesID).json"
  }
  static func archivedHouseholdPath(_ householdID: String) -> String {
    "\(archivedHouseholdsPath)/\(householdID).json"
  }
  static func archivedVisitRecordPath(_ householdID: String) -> String {
    "\(archivedVisitsPath)/\(householdID).json"
  }

  /// Which record a file holds, named as any repository names it; a file that is not one
  /// record (audit.head, an archived copy) is named by its path.
  public static func reference(ofPath path: String) -> RecordReference {
    if path == townFileName { return .townRecords }
    if path == supervisionFileName { return .supervision }
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[1].hasSuffix(".json"), parts[1].count > 5 else {
      return .storeFile(path)
    }
    let id = String(parts[1].dropLast(5))
    switch String(parts[0]) {
    case householdsFolderName: return .household(id: id)
    case visitsFolderName: return .visitRecord(householdID: id)
    case contactsFolderName: return .contactLog(gridID: id)
    case premisesFolderName: return .premises(id: id)
    case inspectionsFolderName: return .inspectionRecord(premisesID: id)
    default: return .storeFile(path)
    }
  }

  /// The file that holds `reference` (the inverse of `reference(ofPath:)`).
  public static func path(of reference: RecordReference) -> String {
    switch reference {
    case .townRecords: return townFileName
    case .household(let id): return householdPath(id)
    case .visitRecord(let householdID): return visitRecordPath(householdID)
    case .contactLog(let gridID): return contactPath(gridID)
    case .supervision: return supervisionFileName
    case .premises(let id): return premisesPath(id)
    case .inspectionRecord(let premisesID): return inspectionRecordPath(premisesID)
    case .storeFile(let path): return path
    }
  }

  // MARK: Writing

  /// Writes a whole new town into an empty folder, built aside and renamed into place with its
  /// journal's first change (`NewTown`). Refuses a folder that holds anything.
  public func create(_ data: TownData, savedBy: String = "", savedAt: String = "")
    throws(StoreError)
  {
    // Every record the new town holds is an audit line, as if typed: a demo season's visits
    // are accounted for like any clerk's, and `check` finds what no line accounts for.
    let changes = PortableTown.creationChanges(data)
    try NewTown.build(at: self, operatorName: savedBy, time: savedAt, changes: changes) {
      (building: DataFolder) throws(StoreError) in
      try building.fileSystem.makeFolder(building.householdsFolder)
      for household in data.households {
        try building.saveHousehold(household, savedBy: savedBy, savedAt: savedAt)
      }
      for record in data.visitRecords.values.sorted(by: { $0.householdID < $1.householdID }) {
        try building.saveVisitRecord(record, savedBy: savedBy, savedAt: savedAt)
      }
      for (gridID, logs) in data.contactLogs.sorted(by: { $0.key < $1.key }) {
        try building.saveContactLogs(logs, gridID: gridID, savedBy: savedBy, savedAt: savedAt)
      }
      if !data.supervision.isEmpty {
        try building.saveSupervision(data.supervision, savedBy: savedBy, savedAt: savedAt)
      }
      for name in Self.premisesFolders {
        try building.fileSystem.makeFolder(building.url.appendingPathComponent(name))
      }
      for premises in data.premises {
        try building.write(try building.premisesImage(premises, savedBy: savedBy, savedAt: savedAt))
      }
      for record in data.premisesRecords.values.sorted(by: { $0.householdID < $1.householdID }) {
        try building.write(
          try building.inspectionRecordImage(record, savedBy: savedBy, savedAt: savedAt))
      }
      try building.saveTown(data, savedBy: savedBy, savedAt: savedAt)
    }
  }

  /// Saves the town-level records (town, villages, grids, visitors).
  public func saveTown(_ data: TownData, savedBy: String = "", savedAt: String = "")
    throws(StoreError)
  {
    try write(try townImage(data, savedBy: savedBy, savedAt: savedAt))
  }

  /// Saves one household's file (一户一档).
  public func saveHousehold(_ household: Household, savedBy: String = "", savedAt: String = "")
    throws(StoreError)
  {
    try write(try householdImage(household, savedBy: savedBy, savedAt: savedAt))
  }

  /// Saves one household's visits and hazards (走访档案).
  public func saveVisitRecord(_ record: VisitRecord, savedBy: String = "", savedAt: String = "")
    throws(StoreError)
  {
    try write(try visitRecordImage(record, savedBy: savedBy, savedAt: savedAt))
  }

  /// Saves a grid's weekly contact log.
  public func saveContactLogs(
    _ logs: [ContactLog], gridID: String, savedBy: String = "", savedAt: String = ""
  ) throws(StoreError) {
    try write(try contactImage(logs, gridID: gridID, savedBy: savedBy, savedAt: savedAt))
  }

  /// Saves the town's supervision records (督查).
  public func saveSupervision(
    _ supervision: SupervisionData, savedBy: String = "", savedAt: String = ""
  ) throws(StoreError) {
    try write(try supervisionImage(supervision, savedBy: savedBy, savedAt: savedAt))
  }

  /// The migration to version 4 on disk: the empty premises/ and inspections/ folders, made by
  /// the writer of an older folder when it opens it (folders only; no file changes).
  func addPremisesFolders() throws(StoreError) {
    for name in Self.premisesFolders {
      let folder = url.appendingPathComponent(name, isDirectory: true)
      if Backups.fileType(folder) == nil { try fileSystem.makeFolder(folder) }
    }
  }

  /// Writes one file image (its folder made first) atomically, or removes the file.
  func write(_ image: FileImage) throws(StoreError) {
    try Journal.apply([image], to: self)
  }

  // MARK: File images: the bytes a change writes, which the journal records first

  func townImage(_ data: TownData, savedBy: String, savedAt: String) throws(StoreError)
    -> FileImage
  {
    let file = TownFile(
      schemaVersion: Self.schemaVersion, savedBy: savedBy, savedAt: savedAt, town: data.town,
      villages: data.villages, grids: data.grids, visitors: data.visitors,
      campaigns: data.campaigns)
    return FileImage(
      path: Self.townFileName, content: try encode(file, path: townFile.path))
  }

  func householdImage(_ household: Household, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    let file = HouseholdFile(
      schemaVersion: Self.schemaVersion, savedBy: savedBy, savedAt: savedAt, household: household)
    return FileImage(
      path: Self.householdPath(household.id),
      content: try encode(file, path: householdFile(household.id).path))
  }

  /// Written compact, one visit or hazard to a line: a season of them is most of the folder,
  /// and open time grows with its bytes.
  func visitRecordImage(_ record: VisitRecord, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    let file = VisitRecordFile(
      schemaVersion: Self.schemaVersion, savedBy: savedBy, savedAt: savedAt, record: record)
    return FileImage(
      path: Self.visitRecordPath(record.householdID),
      content: try encodeVisitRecord(file, path: visitRecordFile(record.householdID).path))
  }

  func premisesImage(_ premises: Premises, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    let file = PremisesFile(
      schemaVersion: Self.schemaVersion, savedBy: savedBy, savedAt: savedAt, premises: premises)
    let path = Self.premisesPath(premises.id)
    return FileImage(
      path: path, content: try encode(file, path: url.appendingPathComponent(path).path))
  }

  /// A premises' inspections and hazards: a visit-record file (`householdID` holds the
  /// premises id) in inspections/.
  func inspectionRecordImage(_ record: VisitRecord, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    let file = VisitRecordFile(
      schemaVersion: Self.schemaVersion, savedBy: savedBy, savedAt: savedAt, record: record)
    let path = Self.inspectionRecordPath(record.householdID)
    return FileImage(
      path: path,
      content: try encodeVisitRecord(file, path: url.appendingPathComponent(path).path))
  }

  func contactImage(_ logs: [ContactLog], gridID: String, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    let file = ContactFile(
      schemaVersion: Self.schemaVersion, savedBy: savedBy, savedAt: savedAt, gridID: gridID,
      logs: logs)
    return FileImage(
      path: Self.contactPath(gridID), content: try encode(file, path: contactFile(gridID).path))
  }

  func supervisionImage(_ supervision: SupervisionData, savedBy: String, savedAt: String)
    throws(StoreError) -> FileImage
  {
    let file = SupervisionFile(
      schemaVersion: Self.schemaVersion, savedBy: savedBy, savedAt: savedAt,
      supervision: supervision)
    return FileImage(
      path: Self.supervisionFileName,
      content: try encodeSupervision(file, path: supervisionFile.path))
  }

  /// Like a visit-record file: pretty outside, each deployment, sample, spot check and notice
  /// one compact line inside (half the bytes of pretty JSON, measured: 300 spot checks' twelve
  /// answers each on a line of their own made most of the file).
  func encodeSupervision(_ file: SupervisionFile, path: String) throws(StoreError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    func line<T: Encodable>(_ value: T) throws(StoreError) -> String {
      do {
        return String(decoding: try encoder.encode(value), as: UTF8.self)
      } catch {
        throw StoreError.io(path: path, code: EINVAL)
      }
    }
    func list<T: Encodable>(_ items: [T]) throws(StoreError) -> String {
      var lines: [String] = []
      for item in items { lines.append(try line(item)) }
      return lines.isEmpty ? "[]" : "[\n    " + lines.joined(separator: ",\n    ") + "\n  ]"
    }
    let text = """
      {
        "schemaVersion" : \(file.schemaVersion),
        "savedBy" : \(try line(file.savedBy)),
        "savedAt" : \(try line(file.savedAt)),
        "deployments" : \(try list(file.deployments)),
        "samples" : \(try list(file.samples)),
        "spotChecks" : \(try list(file.spotChecks)),
        "notices" : \(try list(file.notices))
      }

      """
    return Data(text.utf8)
  }

  /// The record as pretty JSON outside, each visit and hazard as one compact line inside.
  /// A visit is a row under the file's `visitColumns` header, like a spreadsheet line: keyed
  /// objects made decoding three times slower (0.30 s against 1.0 s for a season's 173,000
  /// visits on one core, measured), and a season's visits are most of the open time.
  func encodeVisitRecord(_ file: VisitRecordFile, path: String) throws(StoreError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    func line<T: Encodable>(_ value: T) throws(StoreError) -> String {
      do {
        return String(decoding: try encoder.encode(value), as: UTF8.self)
      } catch {
        throw StoreError.io(path: path, code: EINVAL)
      }
    }
    func list(_ lines: [String]) -> String {
      lines.isEmpty ? "[]" : "[\n    " + lines.joined(separator: ",\n    ") + "\n  ]"
    }
    var visits: [String] = []
    for visit in file.record.visits { visits.append(try line(VisitRow(visit))) }
    var hazards: [String] = []
    for hazard in file.record.hazards { hazards.append(try line(hazard)) }
    let text = """
      {
        "schemaVersion" : \(file.schemaVersion),
        "savedBy" : \(try line(file.savedBy)),
        "savedAt" : \(try line(file.savedAt)),
        "householdID" : \(try line(file.record.householdID)),
        "visitColumns" : \(try line(VisitRow.columns)),
        "visits" : \(list(visits)),
        "hazards" : \(list(hazards))
      }

      """
    return Data(text.utf8)
  }

  func encode<T: Encodable>(_ value: T, path: String) throws(StoreError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      var data = try encoder.encode(value)
      data.append(0x0A)
      return data
    } catch {
      throw StoreError.io(path: path, code: EINVAL)
    }
  }

  // MARK: Reading

  /// Loads the whole town, refusing any damaged file (for commands that need all of it).
  public func load() throws(StoreError) -> TownData {
    let report = try loadReport()
    if let first = report.damaged.first { throw first.error }
    return report.town
  }

  /// Loads the town and every household file that reads; a household file that does not
  /// parse, or is newer than this program, is reported (never dropped silently, never
  /// overwritten). Throws only when town.json itself cannot be used. With a `checkpoint`, the
  /// files it holds unchanged are read from it.
  public func loadReport() throws(StoreError) -> LoadReport {
    try loadReport(checkpoint: nil)
  }

  func loadReport(checkpoint: CheckpointPack?) throws(StoreError) -> LoadReport {
    var report = try loadRoster(checkpoint: checkpoint)
    loadRecords(into: &report, checkpoint: checkpoint)
    return report
  }

  /// The first part of `loadReport`, what the first screen needs: town.json, the households
  /// and the premises (the roster). `loadRecords` adds the rest.
  func loadRoster(checkpoint: CheckpointPack?) throws(StoreError) -> LoadReport {
    guard state == .town else { throw StoreError.noTown(path: url.path) }
    var damaged: [DamagedFile] = []
    var counts = LoadCounts()
    // A damaged or missing town.json is reported like any damaged file: the households still
    // load (to be read), and nothing is saved until it is repaired.
    let town: TownFile
    do {
      town = try decode(townFile)
    } catch {
      let missing = Backups.fileType(townFile) == nil
      damaged.append(
        DamagedFile(
          relativePath: Self.townFileName, householdID: nil,
          error: missing ? .unreadable(path: townFile.path, detail: StoreText.fileMissing) : error))
      town = Self.emptyTownFile
    }
    let households: [HouseholdFile] = decodeAll(
      folderName: Self.householdsFolderName, damaged: &damaged, checkpoint: checkpoint,
      counts: &counts)
    // 场所 on the roster, like households.
    let premises: [PremisesFile] = decodeAll(
      folderName: Self.premisesFolderName, damaged: &damaged, checkpoint: checkpoint,
      counts: &counts)
    return LoadReport(
      town: Self.rosterTown(town, households: households, premises: premises),
      damaged: damaged.sorted { $0.relativePath < $1.relativePath },
      townFileVersion: town.schemaVersion, counts: counts)
  }

  /// What a town.json that cannot be read is taken as (the households still load, to be read).
  static let emptyTownFile = TownFile(
    schemaVersion: schemaVersion, savedBy: "", savedAt: "", town: Town(name: ""),
    villages: [], grids: [], visitors: [], campaigns: [])

  /// The roster from its decoded files, whatever read them (this folder, or a database's
  /// records through `PortableTown.decode`): households in grid order (as in town.json), then
  /// by 户号; premises in grid order, then by id.
  static func rosterTown(
    _ town: TownFile, households: [HouseholdFile], premises: [PremisesFile]
  ) -> TownData {
    var data = TownData(
      town: town.town, villages: town.villages, grids: town.grids,
      households: households.map(\.household), visitors: town.visitors,
      campaigns: town.campaigns)
    data.premises = premises.map(\.premises)
    putRosterInOrder(&data)
    return data
  }

  /// The roster's order as an open makes it: by grid (in town.json's order), then 户号
  /// (households) or id (premises).
  static func putRosterInOrder(_ data: inout TownData) {
    let gridOrder = Self.gridOrder(data.grids)
    data.households.sort {
      let a = gridOrder[$0.gridID] ?? Int.max
      let b = gridOrder[$1.gridID] ?? Int.max
      return a != b ? a < b : $0.number < $1.number
    }
    data.premises.sort {
      let a = gridOrder[$0.gridID] ?? Int.max
      let b = gridOrder[$1.gridID] ?? Int.max
      return a != b ? a < b : $0.id < $1.id
    }
  }

  /// The records of a town, from their decoded files, into the roster `rosterTown` made.
  static func addRecords(
    to data: inout TownData, visits: [VisitRecordFile], contacts: [ContactFile],
    archivedHouseholds: [HouseholdFile], archivedVisits: [VisitRecordFile],
    inspections: [VisitRecordFile], archivedPremises: [PremisesFile],
    archivedInspections: [VisitRecordFile]
  ) {
    data.visitRecords.reserveCapacity(visits.count)
    for file in visits { data.visitRecords[file.record.householdID] = file.record }
    for file in contacts { data.contactLogs[file.gridID] = file.logs }
    data.archivedHouseholds = archivedHouseholds.map(\.household).sorted { $0.id < $1.id }
    for file in archivedVisits { data.archivedVisitRecords[file.record.householdID] = file.record }
    for file in inspections { data.premisesRecords[file.record.householdID] = file.record }
    data.archivedPremises = archivedPremises.map(\.premises).sorted { $0.id < $1.id }
    for file in archivedInspections {
      data.archivedPremisesRecords[file.record.householdID] = file.record
    }
  }

  private static func gridOrder(_ grids: [Grid]) -> [String: Int] {
    Dictionary(grids.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// The folders `loadRecords` reads, in its order: their file count is its progress total.
  static let recordFolders = [
    visitsFolderName, contactsFolderName, archivedHouseholdsPath, archivedVisitsPath,
    inspectionsFolderName, archivedPremisesPath, archivedInspectionsPath,
  ]

  /// How many files `loadRecords` will read (the progress line's total).
  func recordFileCount() -> Int {
    Self.recordFolders.reduce(1) { $0 + jsonNames(in: $1).count }
  }

  /// The second part of `loadReport`: visits, contact logs, supervision, the archive and the
  /// premises' inspections, into the town `loadRoster` gave. `progress` is told the files done
  /// (of `recordFileCount`) as they are.
  func loadRecords(
    into report: inout LoadReport, checkpoint: CheckpointPack?,
    progress: ((Int) -> Void)? = nil
  ) {
    var damaged = report.damaged
    var counts = report.counts
    var data = report.town
    var done = 0
    func read<T: VersionedFile & Sendable>(_ folderName: String) -> [T] {
      let files: [T] = decodeAll(
        folderName: folderName, damaged: &damaged, checkpoint: checkpoint, counts: &counts,
        progress: {
          done += $0
          progress?(done)
        })
      return files
    }
    let visits: [VisitRecordFile] = read(Self.visitsFolderName)
    let contacts: [ContactFile] = read(Self.contactsFolderName)
    // 督查: none until the first save. Damaged, it is reported and read as none (the town
    // still opens), and saving supervision is refused until it is repaired.
    if Backups.fileType(supervisionFile) != nil {
      do throws(StoreError) {
        let file: SupervisionFile = try decode(supervisionFile)
        data.supervision = file.supervision
      } catch {
        damaged.append(
          DamagedFile(relativePath: Self.supervisionFileName, householdID: nil, error: error))
      }
    }
    done += 1
    progress?(done)
    // Archived households and their visits: read, so their hazards stay counted and a
    // household can be brought back. 场所' inspections, live and archived, like visits.
    Self.addRecords(
      to: &data, visits: visits, contacts: contacts,
      archivedHouseholds: read(Self.archivedHouseholdsPath),
      archivedVisits: read(Self.archivedVisitsPath), inspections: read(Self.inspectionsFolderName),
      archivedPremises: read(Self.archivedPremisesPath),
      archivedInspections: read(Self.archivedInspectionsPath))
    report.town = data
    report.damaged = damaged.sorted { $0.relativePath < $1.relativePath }
    report.counts = counts
  }

  /// The folders whose files are each one household's (a damaged one names the household).
  static let householdFolders: Set<String> = [
    householdsFolderName, visitsFolderName, archivedHouseholdsPath, archivedVisitsPath,
  ]

  /// Decodes every `*.json` in the folder at `folderName` (a path inside the data folder), on
  /// all cores (open time at town scale is mostly JSON decoding, and the files are
  /// independent). Files that fail are added to `damaged`. The folder is opened once and each
  /// file by its name in it, its path for messages made as text: a `URL` per file was 5% of
  /// a season's open (callgrind).
  private func decodeAll<T: VersionedFile & Sendable>(
    folderName: String, damaged: inout [DamagedFile], checkpoint: CheckpointPack? = nil,
    counts: inout LoadCounts, progress: ((Int) -> Void)? = nil
  ) -> [T] {
    let folderPath = self.folderPath(folderName)
    let names = jsonNames(in: folderName)
    guard !names.isEmpty else { return [] }
    let folder = open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    defer { if folder >= 0 { close(folder) } }
    let results = ResultSlots<Result<T, StoreError>>(count: names.count)
    let fromCheckpoint = ResultSlots<Bool>(count: names.count)
    // In batches, so the progress line moves while a season's visits are read.
    let batch = progress == nil ? names.count : 2_048
    var batchStart = 0
    while batchStart < names.count {
      let first = batchStart
      let batchEnd = min(names.count, first + batch)
      let size = batchEnd - first
      let chunks = min(size, max(1, ProcessInfo.processInfo.activeProcessorCount * 4))
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        var index = first + chunk
        while index < batchEnd {
          let name = names[index]
          let path = folderPath + "/" + name
          do throws(StoreError) {
            let data: Data
            if folder >= 0,
              let packed = checkpoint?.bytes(
                of: folderName + "/" + name, name: name, in: folder)
            {
              data = packed
              fromCheckpoint.set(index, true)
            } else {
              data = try Self.readFile(name, in: folder, path: path)
            }
            results.set(index, .success(try Self.decode(data, path: path)))
          } catch {
            results.set(index, .failure(error))
          }
          index += chunks
        }
      }
      progress?(size)
      batchStart = batchEnd
    }
    let reused = fromCheckpoint.values.reduce(0) { $0 + ($1 == true ? 1 : 0) }
    counts.fromCheckpoint += reused
    counts.fromFiles += names.count - reused
    var decoded: [T] = []
    decoded.reserveCapacity(names.count)
    for (name, result) in zip(names, results.values) {
      switch result {
      case .success(let value): decoded.append(value)
      case .failure(let error):
        let id = String(name.dropLast(5))
        damaged.append(
          DamagedFile(
            relativePath: "\(folderName)/\(name)",
            householdID: Self.householdFolders.contains(folderName) ? id : nil, error: error))
      case nil: break
      }
    }
    return decoded
  }

  /// A whole file's bytes, opened by `name` in the open `folder` (by `path` when the folder
  /// could not be opened), `path` naming it in an error. Like `AtomicFile.readAll`: one buffer
  /// of the file's size, the rest read when the file grew since `fstat`; the buffer is not
  /// zeroed first (that was 2% of a season's open).
  static func readFile(_ name: String, in folder: Int32, path: String) throws(StoreError) -> Data {
    let fd =
      folder >= 0 ? openat(folder, name, O_RDONLY | O_CLOEXEC) : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw StoreError.from(errno: errno, path: path) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw StoreError.from(errno: errno, path: path) }
    let size = Int(status.st_size)
    var data = Data()
    if size > 0, let buffer = malloc(size) {
      var filled = 0
      while filled < size {
        let count = read(fd, buffer + filled, size - filled)
        if count < 0 {
          if errno == EINTR { continue }
          let code = errno
          free(buffer)
          throw StoreError.from(errno: code, path: path)
        }
        if count == 0 { break }
        filled += count
      }
      data = Data(bytesNoCopy: buffer, count: filled, deallocator: .free)
      if filled < size { return data }
    }
    // Uninitialised, on the stack: a zeroed buffer per file was 1.5% of a season's open.
    return try withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 1) {
      (more: UnsafeMutableRawBufferPointer) throws(StoreError) -> Data in
      while true {
        let count = read(fd, more.baseAddress, more.count)
        if count < 0 {
          if errno == EINTR { continue }
          throw StoreError.from(errno: errno, path: path)
        }
        if count == 0 { return data }
        data.append(contentsOf: UnsafeRawBufferPointer(rebasing: more[0..<count]))
      }
    }
  }

  /// Decodes household file bytes (a backup copy being checked before a restore).
  static func decodeHousehold(_ data: Data) throws -> Household {
    let file = try StrictJSON.decode(HouseholdFile.self, from: data, path: "")
    guard file.schemaVersion <= schemaVersion else { throw StoreError.io(path: "", code: EINVAL) }
    return file.household
  }

  /// Decodes visit-record file bytes (a backup copy being checked before a restore).
  static func decodeVisitRecord(_ data: Data) throws -> VisitRecord {
    let file = try StrictJSON.decode(VisitRecordFile.self, from: data, path: "")
    guard file.schemaVersion <= schemaVersion else { throw StoreError.io(path: "", code: EINVAL) }
    return file.record
  }

  /// Whether backup bytes of the file at `relativePath` decode as that kind of file.
  static func isUsableCopy(_ data: Data, of relativePath: String) -> Bool {
    let folderName = (relativePath as NSString).deletingLastPathComponent
    if [premisesFolderName, archivedPremisesPath].contains(folderName) {
      guard let file = try? StrictJSON.decode(PremisesFile.self, from: data, path: "") else {
        return false
      }
      return file.schemaVersion <= schemaVersion
    }
    if [inspectionsFolderName, archivedInspectionsPath, archivedVisitsPath].contains(folderName) {
      return (try? decodeVisitRecord(data)) != nil
    }
    if relativePath == supervisionFileName {
      guard let file = try? StrictJSON.decode(SupervisionFile.self, from: data, path: "") else {
        return false
      }
      return file.schemaVersion <= schemaVersion
    }
    if relativePath.hasPrefix(visitsFolderName + "/") {
      return (try? decodeVisitRecord(data)) != nil
    }
    if relativePath.hasPrefix(contactsFolderName + "/") {
      guard let file = try? StrictJSON.decode(ContactFile.self, from: data, path: "") else {
        return false
      }
      return file.schemaVersion <= schemaVersion
    }
    return (try? decodeHousehold(data)) != nil
  }

  private func folderPath(_ folderName: String) -> String {
    let base = url.path
    return (base.hasSuffix("/") ? base : base + "/") + folderName
  }

  /// The `*.json` names of a folder of the data folder, sorted (none when it is missing).
  func jsonNames(in folderName: String) -> [String] {
    ((try? Backups.names(atPath: folderPath(folderName))) ?? [])
      .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
  }

  private func decode<T: VersionedFile>(_ file: URL) throws(StoreError) -> T {
    try Self.decode(try AtomicFile.readAll(file), path: file.path)
  }

  /// A file's bytes as `T`; `path` names it in an error. One decode on the good path (probing
  /// the version first parsed every file twice, a third of the open time); the version is
  /// checked after, and probed only on failure, so a newer file is refused as newer whether or
  /// not this program can parse it.
  ///
  /// Visit, household and contact files, nearly all of a season's bytes, go through their
  /// direct readers when they are in the shape this program writes; anything else through
  /// JSONDecoder (`decodeWithJSONDecoder`). Either way a repeated key makes the file
  /// unreadable, whatever its version, with the same words (JSONDecoder alone would keep one
  /// of the values silently): the visit reader says so itself, or gives up, as the others do,
  /// and `StrictJSON` says it.
  static func decode<T: VersionedFile>(_ data: Data, path: String) throws(StoreError) -> T {
    if T.self == VisitRecordFile.self {
      switch VisitFileReader.reading(data) {
      case .file(let fast):
        guard fast.schemaVersion <= schemaVersion else {
          throw StoreError.newerVersion(path: path, found: fast.schemaVersion, known: schemaVersion)
        }
        if let fast = fast as? T { return fast }
      case .duplicateKey(let duplicate):
        throw StoreError.unreadable(path: path, detail: duplicate.detail)
      case .otherShape:
        break
      }
    }
    if T.self == HouseholdFile.self, let fast = HouseholdFileReader.read(data) {
      guard fast.schemaVersion <= schemaVersion else {
        throw StoreError.newerVersion(path: path, found: fast.schemaVersion, known: schemaVersion)
      }
      if let fast = fast as? T { return fast }
    }
    if T.self == ContactFile.self, let fast = ContactFileReader.read(data) {
      guard fast.schemaVersion <= schemaVersion else {
        throw StoreError.newerVersion(path: path, found: fast.schemaVersion, known: schemaVersion)
      }
      if let fast = fast as? T { return fast }
    }
    return try decodeWithJSONDecoder(data, path: path)
  }

  /// The reading every file had before the direct readers, and still has when they give up:
  /// `StrictJSON`, then JSONDecoder, the version checked after and probed on failure. Tests
  /// hold the direct readers to it.
  static func decodeWithJSONDecoder<T: VersionedFile>(_ data: Data, path: String)
    throws(StoreError) -> T
  {
    try StrictJSON.check(data, path: path)
    let decoder = JSONDecoder()
    let decodeError: any Error
    do {
      let value = try decoder.decode(T.self, from: data)
      guard value.schemaVersion <= schemaVersion else {
        throw StoreError.newerVersion(path: path, found: value.schemaVersion, known: schemaVersion)
      }
      return value
    } catch let error as StoreError {
      throw error
    } catch {
      decodeError = error
    }
    if let version = try? decoder.decode(VersionProbe.self, from: data).schemaVersion,
      version > schemaVersion
    {
      throw StoreError.newerVersion(path: path, found: version, known: schemaVersion)
    }
    throw StoreError.unreadable(path: path, detail: describe(decodeError, data: data))
  }

  /// Where a decoding error happened, in words a clerk can pass on.
  static func describe(_ error: Error, data: Data = Data()) -> String {
    switch error {
    case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
      return syntaxError(in: data)
    case DecodingError.dataCorrupted(let context):
      return "字段值无效 \(path(context.codingPath))"
    case DecodingError.keyNotFound(let key, let context):
      return "缺少字段 \(path(context.codingPath + [key]))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "字段类型不对 \(path(context.codingPath))"
    default:
      return "\(error)"
    }
  }

  /// Foundation's decoder does not say where JSON syntax breaks; JSONSerialization gives a
  /// character offset, turned here into a line and column.
  static func syntaxError(in data: Data) -> String {
    do {
      _ = try JSONSerialization.jsonObject(with: data)
      return StoreText.jsonBroken
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
      let text = String(decoding: data, as: UTF8.self)
      if detail.contains("end of file") {
        return StoreText.jsonEndsEarly(
          text.split(separator: "\n", omittingEmptySubsequences: false).count)
      }
      let digits = detail.split(whereSeparator: { !$0.isNumber }).last.flatMap { Int($0) }
      guard let offset = digits else { return StoreText.jsonBroken }
      let prefix = String(decoding: data.prefix(offset), as: UTF8.self)
      let lines = prefix.split(separator: "\n", omittingEmptySubsequences: false)
      return StoreText.jsonBrokenAt(line: lines.count, column: (lines.last?.count ?? 0) + 1)
    }
  }

  private static func path(_ keys: [CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
  }
}

protocol VersionedFile: Codable {
  var schemaVersion: Int { get }
}

/// What `loadReport` found: the town, and the files it could not use.
public struct LoadReport: Sendable {
  public var town: TownData
  public var damaged: [DamagedFile]
  /// The schema version town.json was written in (the current one when it did not load): an
  /// older one is written again with the first premises saved.
  public var townFileVersion: Int = DataFolder.schemaVersion
  /// Where the data files were read from.
  public var counts = LoadCounts()
}

/// How many data files an open took from the checkpoint and how many it read from disk.
public struct LoadCounts: Equatable, Sendable {
  public var fromCheckpoint = 0
  public var fromFiles = 0
  public init() {}
}

/// A file that could not be loaded: which, why, and (for a household) whose.
public struct DamagedFile: Equatable, Sendable {
  /// Path inside the data folder, e.g. households/h000012.json.
  public var relativePath: String
  public var householdID: String?
  public var error: StoreError
}

private struct VersionProbe: Decodable {
  var schemaVersion: Int
}

/// town.json. `savedBy`/`savedAt` are new in version 2; version 1 files read them as "".
struct TownFile: VersionedFile, Sendable {
  var schemaVersion: Int
  var savedBy: String
  var savedAt: String
  var town: Town
  var villages: [Village]
  var grids: [Grid]
  var visitors: [Visitor]
  /// New in version 3; absent before.
  var campaigns: [Campaign]
}

/// households/<id>.json. `savedBy`/`savedAt` are new in version 2.
struct HouseholdFile: VersionedFile, Sendable {
  var schemaVersion: Int
  var savedBy: String
  var savedAt: String
  var household: Household
}

/// visits/<household id>.json (version 3).
struct VisitRecordFile: VersionedFile, Sendable {
  var schemaVersion: Int
  var savedBy: String
  var savedAt: String
  var record: VisitRecord

  private enum CodingKeys: String, CodingKey {
    case schemaVersion, savedBy, savedAt, householdID, visitColumns, visits, hazards
  }

  init(schemaVersion: Int, savedBy: String, savedAt: String, record: VisitRecord) {
    self.schemaVersion = schemaVersion
    self.savedBy = savedBy
    self.savedAt = savedAt
    self.record = record
  }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
    savedBy = try c.decodeIfPresent(String.self, forKey: .savedBy) ?? ""
    savedAt = try c.decodeIfPresent(String.self, forKey: .savedAt) ?? ""
    let columns = try c.decode([String].self, forKey: .visitColumns)
    guard VisitRow.isKnown(columns) else {
      throw DecodingError.dataCorruptedError(
        forKey: .visitColumns, in: c, debugDescription: "visitColumns: \(columns)")
    }
    let householdID = try c.decode(String.self, forKey: .householdID)
    let rows = try c.decode([VisitRow].self, forKey: .visits)
    record = VisitRecord(
      householdID: householdID, visits: rows.map { $0.visit(of: householdID) },
      hazards: try c.decode([Hazard].self, forKey: .hazards))
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(schemaVersion, forKey: .schemaVersion)
    try c.encode(savedBy, forKey: .savedBy)
    try c.encode(savedAt, forKey: .savedAt)
    try c.encode(record.householdID, forKey: .householdID)
    try c.encode(VisitRow.columns, forKey: .visitColumns)
    try c.encode(record.visits.map(VisitRow.init), forKey: .visits)
    try c.encode(record.hazards, forKey: .hazards)
  }
}

/// One visit as a row of a visit-record file, in the order of `columns`. The household is
/// the file's; the answers stay packed ("balconyClear=y …") until a screen asks for them.
struct VisitRow: Codable, Sendable {
  static let columns = [
    "id", "date", "visitorID", "personsMet", "answers", "notes", "signed", "formID", "standInFor",
  ]
  /// The columns before 代访 was recorded: such files are read as they are (no stand-ins).
  static let columnsBeforeStandIn = Array(columns.dropLast())
  static func isKnown(_ columns: [String]) -> Bool {
    columns == Self.columns || columns == columnsBeforeStandIn
  }
  var visit: Visit

  init(_ visit: Visit) { self.visit = visit }

  func visit(of householdID: String) -> Visit {
    var visit = self.visit
    visit.householdID = householdID
    return visit
  }

  init(from decoder: any Decoder) throws {
    var row = try decoder.unkeyedContainer()
    let id = try row.decode(String.self)
    let dateText = try row.decode(String.self)
    guard let date = CivilDate(stored: dateText) else {
      throw DecodingError.dataCorruptedError(in: row, debugDescription: "date: \(dateText)")
    }
    let visitorID = try row.decodeNil() ? nil : try row.decode(String.self)
    let personsMet = try row.decode(String.self)
    let answers = try row.decode(String.self)
    let notes = try row.decode(String.self)
    let signed = try row.decode(Bool.self)
    let formID = try row.decode(String.self)
    guard
      var visit = Visit(
        id: id, householdID: "", date: date, visitorID: visitorID, personsMet: personsMet,
        packedAnswers: answers, notes: notes, signed: signed, formID: formID)
    else {
      throw DecodingError.dataCorruptedError(
        in: row, debugDescription: "visit \(id): answers \(answers)")
    }
    // 代访, absent in rows written before it was recorded.
    if !row.isAtEnd { visit.standInFor = try row.decodeNil() ? nil : try row.decode(String.self) }
    guard row.isAtEnd else {
      throw DecodingError.dataCorruptedError(in: row, debugDescription: "visit \(id): extra column")
    }
    self.visit = visit
  }

  func encode(to encoder: any Encoder) throws {
    var row = encoder.unkeyedContainer()
    try row.encode(visit.id)
    try row.encode(visit.date)
    if let visitorID = visit.visitorID { try row.encode(visitorID) } else { try row.encodeNil() }
    try row.encode(visit.personsMet)
    try row.encode(visit.packedAnswers)
    try row.encode(visit.notes)
    try row.encode(visit.signed)
    try row.encode(visit.formID)
    if let standInFor = visit.standInFor { try row.encode(standInFor) } else { try row.encodeNil() }
  }
}

/// premises/<id>.json (version 4): one 场所, like a household file.
struct PremisesFile: VersionedFile, Sendable {
  var schemaVersion: Int
  var savedBy: String
  var savedAt: String
  var premises: Premises
}

/// contacts/<grid id>.json (version 3).
struct ContactFile: VersionedFile, Sendable {
  var schemaVersion: Int
  var savedBy: String
  var savedAt: String
  var gridID: String
  var logs: [ContactLog]
}

/// supervision.json: the town's 督查 records, in the envelope of the other files. Added in
/// version 3 without a new version: an older program of version 3 never reads or writes it, so
/// nothing of it is lost to one (its `check` does not look for the file, and calls it missing).
struct SupervisionFile: VersionedFile, Sendable {
  var schemaVersion: Int
  var savedBy: String
  var savedAt: String
  var deployments: [VillageDeployment]
  var samples: [SpotCheckSample]
  var spotChecks: [SpotCheck]
  var notices: [IssuedNotice]

  init(schemaVersion: Int, savedBy: String, savedAt: String, supervision: SupervisionData) {
    self.schemaVersion = schemaVersion
    self.savedBy = savedBy
    self.savedAt = savedAt
    deployments = supervision.deployments
    samples = supervision.samples
    spotChecks = supervision.spotChecks
    notices = supervision.notices
  }

  var supervision: SupervisionData {
    SupervisionData(
      deployments: deployments, samples: samples, spotChecks: spotChecks, notices: notices)
  }
}

/// Result slots written from many threads, each slot by exactly one iteration (the loader's
/// and `check`'s).
final class ResultSlots<T>: @unchecked Sendable {
  private var storage: [T?]
  private let lock = NSLock()
  init(count: Int) { storage = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: T) {
    lock.lock()
    storage[index] = value
    lock.unlock()
  }
  var values: [T?] { storage }
}

// Migration from version 1: the fields added in version 2 default to "" when absent.
extension TownFile {
  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
    savedBy = try c.decodeIfPresent(String.self, forKey: .savedBy) ?? ""
    savedAt = try c.decodeIfPresent(String.self, forKey: .savedAt) ?? ""
    town = try c.decode(Town.self, forKey: .town)
    villages = try c.decode([Village].self, forKey: .villages)
    grids = try c.decode([Grid].self, forKey: .grids)
    visitors = try c.decode([Visitor].self, forKey: .visitors)
    campaigns = try c.decodeIfPresent([Campaign].self, forKey: .campaigns) ?? []
  }
}

extension HouseholdFile {
  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
    savedBy = try c.decodeIfPresent(String.self, forKey: .savedBy) ?? ""
    savedAt = try c.decodeIfPresent(String.self, forKey: .savedAt) ?? ""
    household = try c.decode(Household.self, forKey: .household)
  }
}

// MARK: The last operator, remembered for the start-up question.

extension DataFolder {
  static let localFileName = "local.json"

  private struct LocalFile: Codable {
    var schemaVersion: Int
    var lastOperator: String
  }

  /// Who worked on this folder last ("" when nobody yet, or unreadable).
  public var lastOperator: String {
    guard let data = try? Data(contentsOf: url.appendingPathComponent(Self.localFileName)),
      let file = try? JSONDecoder().decode(LocalFile.self, from: data)
    else { return "" }
    return file.lastOperator
  }

  public func saveLastOperator(_ name: String) throws(StoreError) {
    let file = LocalFile(schemaVersion: Self.schemaVersion, lastOperator: name)
    let target = url.appendingPathComponent(Self.localFileName)
    try fileSystem.writeAtomically(try encode(file, path: target.path), to: target)
  }
}
