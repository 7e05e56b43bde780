import FiregridModel

/// Which record, named the same way whatever holds it (a folder of JSON files, a database).
public enum RecordReference: Hashable, Sendable {
  /// The town-level records: the town, villages, grids, visitors, campaigns.
  case townRecords
  case household(id: String)
  /// A household's visits and hazards.
  case visitRecord(householdID: String)
  /// A grid's weekly contact log.
  case contactLog(gridID: String)
  /// The town's supervision records (督查: deployments, spot-check samples and records, notices).
  case supervision
  /// A premises (场所) on the roster.
  case premises(id: String)
  /// A premises' inspections and hazards.
  case inspectionRecord(premisesID: String)
  /// Something of the store's own (the JSON folder's audit.head, say), by its name.
  case storeFile(String)
}

/// A record that did not load, or that changed outside the program.
public struct DamagedRecord: Equatable, Sendable {
  public var reference: RecordReference
  /// How the screen names it (the JSON folder: its path, households/h000012.json).
  public var label: String
  /// Where and why it broke, in Chinese.
  public var detail: String
  /// Where it would be repaired from (a backup's date, 日志), nil when nowhere.
  public var repairSource: String?

  public init(reference: RecordReference, label: String, detail: String, repairSource: String?) {
    self.reference = reference
    self.label = label
    self.detail = detail
    self.repairSource = repairSource
  }
}

/// Whether this process may write.
public enum RepositoryAccess: Equatable, Sendable {
  case readWrite
  /// Another Firegrid holds the town: who, in words (nil when it cannot tell).
  case heldByAnother(String?)
  /// The storage itself cannot be written (a read-only folder, no permission).
  case readOnlyStorage
  /// The account may only read (a database's inspector, 督查): why, in words.
  case readOnlyAccount(String)
}

/// One line of a record's history: who changed which field, when, from what to what.
public struct HistoryEntry: Equatable, Sendable {
  /// Increasing in the order the changes were made, not necessarily by one (the JSON folder:
  /// the audit log's line number, the one `firegrid restore --through` takes).
  public var sequence: Int
  /// ISO 8601 local time with offset.
  public var time: String
  public var operatorName: String
  public var change: AuditChange

  public init(sequence: Int, time: String, operatorName: String, change: AuditChange) {
    self.sequence = sequence
    self.time = time
    self.operatorName = operatorName
    self.change = change
  }
}

/// How far a long job (the day's backup) has got: `done` of `total` steps.
public struct JobProgress: Equatable, Sendable {
  public var done: Int
  public var total: Int
  public init(done: Int, total: Int) {
    self.done = done
    self.total = total
  }
}

/// An error a repository throws, with the message the clerk reads (Chinese).
public protocol RepositoryError: Error {
  var message: String { get }
}

/// Everything the app and the command line need of an open town, whatever holds it. The JSON
/// data folder (`TownStore`) is the first implementation; `RepositoryContract` checks any.
///
/// Every change is all-or-nothing and carries its audit lines under `operatorName`. Calls are
/// made from one thread at a time (the app's store worker), never concurrently.
public protocol TownRepository: AnyObject {
  /// The whole town as loaded, kept current by every change made through this repository.
  var town: TownData { get }
  /// Who is working: every change and every unmasking is recorded under this name.
  var operatorName: String { get }
  var access: RepositoryAccess { get }
  /// Records that did not load (or changed outside the program, once `checkRecords` ran).
  var damaged: [DamagedRecord] { get }

  /// The winter's campaign containing `day`, stored from the seed's template the first time.
  @discardableResult func ensureCampaign(on day: CivilDate) throws -> Campaign
  /// A roster edit the model accepted (town records, households, archive, restore, import),
  /// as one change.
  func apply(_ edit: RosterEdit.Outcome) throws
  /// A household's visits and hazards; `addingVisitor` joins the roster in the same change.
  func saveVisitRecord(_ record: VisitRecord, addingVisitor: Visitor?) throws
  func saveContactLog(_ log: ContactLog) throws
  /// Saves the town's supervision records (督查: deployment meetings, spot-check samples and records, notices issued) as one change: one audit line per record field changed, nothing written when nothing changed.
  func saveSupervision(_ supervision: SupervisionData) throws
  /// Saves premises, new or changed, as one change (one, or a whole import): one audit line per field changed.
  func savePremises(_ premises: [Premises]) throws
  /// Takes a premises off the roster with its inspections (moved to the archive, never deleted).
  func archivePremises(id: String) throws
  /// Saves a premises' inspections and hazards (`record.householdID` is the premises id).
  func saveInspectionRecord(_ record: VisitRecord) throws
  /// Personal data of `record` was shown in full: an audit line says who and when.
  func recordAccess(to record: String) throws
  /// The household's audit lines and those of its visits, hazards and spot checks, oldest
  /// first.
  func history(ofHousehold householdID: String) throws -> [HistoryEntry]
  /// The premises' audit lines and those of its inspections and hazards, oldest first.
  func history(ofPremises premisesID: String) throws -> [HistoryEntry]
  /// Compares the stored records with what the journal last recorded; records missing or
  /// changed outside the program join `damaged`. Slow: run when asked.
  func checkRecords()
  /// Repairs a damaged record from where `repairSource` said; returns that source.
  func restore(_ reference: RecordReference) throws -> String
  /// Takes the day's backup if `day` has none yet; returns whether one was taken. Slow
  /// (it copies the town): the app runs it off the UI loop and shows `progress`.
  @discardableResult func takeDailyBackup(
    on day: CivilDate, progress: (JobProgress) -> Void
  ) throws -> Bool
  /// Something the clerk should know after a change that succeeded (a write deferred, the
  /// backup not taken); nil when nothing. Cleared when read.
  func takeNotice() -> String?
  /// Releases the town (the lock); nothing can be saved after.
  func close()

  /// How many records' files an open that deferred them still has to read (the progress
  /// total of `finishLoading`); 0 when the town is all read.
  var pendingRecordCount: Int { get }
  /// Reads what an open deferred (visits, contact logs, the archive, inspections) so the
  /// first screen could be drawn from the roster first; `progress` is told how many of
  /// `pendingRecordCount` are done. Nothing can be changed until it has run.
  func finishLoading(progress: (Int) -> Void) throws
  /// Why the open reads slower than it could (the JSON folder: its checkpoint missing or
  /// damaged, so every file is read); nil when there is nothing to say.
  var loadingNote: String? { get }

  /// Starts telling `changed` (from a thread of the repository's own, never the caller's)
  /// each time another session commits a change to the town, so the app can `refresh`; its
  /// own changes are not told. Returns whether it watches: false where nobody else can write
  /// (the JSON folder, one writer by its lock). Stopped by `close`.
  func watchOutsideChanges(_ changed: @escaping @Sendable () -> Void) throws -> Bool
  /// Reads the town again if another session changed it since this repository last read or
  /// wrote; returns whether it did (`town` and `damaged` are then the new ones).
  func refresh() throws -> Bool
}

extension TownRepository {
  /// A repository that reads the whole town when it opens defers nothing.
  public var pendingRecordCount: Int { 0 }
  public func finishLoading(progress: (Int) -> Void) throws {}
  public var loadingNote: String? { nil }
  /// Nobody else writes this town: nothing to watch, nothing to read again.
  public func watchOutsideChanges(_ changed: @escaping @Sendable () -> Void) throws -> Bool {
    false
  }
  public func refresh() throws -> Bool { false }
}

/// Where towns are kept, before one is open: the app's start-up asks it.
public protocol TownLocation: AnyObject {
  /// Where, in words (a folder's path, a server's name).
  var description: String { get }
  /// Whether no town is there yet (first run).
  var isEmpty: Bool { get }
  /// The name last used here, offered at the start-up question.
  func lastOperator() -> String?
  func saveLastOperator(_ name: String)
  func open(operatorName: String) throws -> any TownRepository
  /// The same, reading only what the first screen needs (the roster) when `deferringRecords`:
  /// the rest comes with `TownRepository.finishLoading`.
  func open(operatorName: String, deferringRecords: Bool) throws -> any TownRepository
  /// Writes a new town (first-run setup) and opens it.
  func create(_ town: TownData, operatorName: String) throws -> any TownRepository
}

/// The clerk's message for any error a repository threw.
public func repositoryMessage(for error: any Error) -> String {
  (error as? any RepositoryError)?.message ?? String(describing: error)
}

/// What reading a roster spreadsheet found, before anything is written.
public enum RosterImportCheck: Sendable {
  /// The file could not be read at all.
  case unreadable(path: String)
  /// The whole file was refused (not a roster table, wrong encoding): why.
  case refused(String)
  /// Rows that cannot be imported: every problem (a row may have several), how many rows
  /// they are on, and nothing is written.
  case rejected(problems: [String], rowCount: Int, fileName: String)
  /// The file is good: what it adds, and the edit that adds it (nil when it adds nothing).
  case accepted(RosterImportSummary, edit: RosterEdit.Outcome?)
}

/// What an accepted roster spreadsheet adds.
public struct RosterImportSummary: Equatable, Sendable {
  public var fileName: String
  public var villages: Int
  public var grids: Int
  public var households: Int
  public var persons: Int
  public var unchangedHouseholds: Int
  public init(
    fileName: String, villages: Int, grids: Int, households: Int, persons: Int,
    unchangedHouseholds: Int
  ) {
    self.fileName = fileName
    self.villages = villages
    self.grids = grids
    self.households = households
    self.persons = persons
    self.unchangedHouseholds = unchangedHouseholds
  }
}

/// Reads a roster spreadsheet and checks it against a town; writes nothing.
public protocol RosterImporting: Sendable {
  func check(path: String, against town: TownData) -> RosterImportCheck
}

/// What reading a premises spreadsheet (场所) found, before anything is written.
public enum PremisesImportCheck: Sendable {
  /// The file could not be read at all.
  case unreadable(path: String)
  /// The whole file was refused (no premises table, wrong encoding): why.
  case refused(String)
  /// Rows that cannot be imported: every problem (a row may have several), how many rows
  /// they are on, and nothing is written.
  case rejected(problems: [String], rowCount: Int, fileName: String)
  /// The file is good: what it adds, and the premises to save (`savePremises`, one change;
  /// empty when it adds nothing).
  case accepted(PremisesImportSummary, premises: [Premises])
}

/// What an accepted premises spreadsheet adds.
public struct PremisesImportSummary: Equatable, Sendable {
  public var fileName: String
  /// New premises, and of them each kind.
  public var added: Int
  public var offices: Int
  public var businesses: Int
  public var mixedUse: Int
  /// Rows of premises already on the roster exactly as the file has them: skipped.
  public var unchanged: Int
  public init(
    fileName: String, added: Int, offices: Int, businesses: Int, mixedUse: Int, unchanged: Int
  ) {
    self.fileName = fileName
    self.added = added
    self.offices = offices
    self.businesses = businesses
    self.mixedUse = mixedUse
    self.unchanged = unchanged
  }
}

/// Reads a premises spreadsheet and checks it against a town; writes nothing.
public protocol PremisesImporting: Sendable {
  func check(path: String, against town: TownData) -> PremisesImportCheck
}
