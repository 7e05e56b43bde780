import FiregridModel
import FiregridRepository
import Foundation

extension StoreError: RepositoryError {}

/// The data folder as the app sees any town: `TownRepository` in the folder's terms.
extension TownStore: TownRepository {
  public var access: RepositoryAccess {
    switch folderAccess {
    case .readWrite: return .readWrite
    case .readOnly(let holder): return .heldByAnother(holder?.shortDescription)
    case .readOnlyFolder: return .readOnlyStorage
    }
  }

  public var damaged: [DamagedRecord] {
    if let damagedRecords { return damagedRecords }
    let records = damagedFiles.map { file in
      // The label is the path already: the detail says only where and why it broke.
      var detail = file.error.message
      if case .unreadable(_, let whereItBroke) = file.error { detail = whereItBroke }
      return DamagedRecord(
        reference: DataFolder.reference(ofPath: file.relativePath), label: file.relativePath,
        detail: detail, repairSource: newestBackup(of: file))
    }
    damagedRecords = records
    return records
  }

  public func history(ofHousehold householdID: String) throws(StoreError) -> [HistoryEntry] {
    // Only the household's own lines are read, found through the log's index (`AuditIndex`).
    try auditIndex.entries(
      records: ["household/\(householdID)"],
      prefixes: [
        "visit/\(householdID)-", "hazard/\(householdID)-", "spotcheck/\(householdID)-c",
      ], persist: folderAccess == .readWrite
    ).map {
      HistoryEntry(
        sequence: $0.sequence, time: $0.time, operatorName: $0.operatorName, change: $0.change)
    }
  }

  public func history(ofPremises premisesID: String) throws(StoreError) -> [HistoryEntry] {
    try auditIndex.entries(
      records: ["premises/\(premisesID)"],
      prefixes: ["\(AuditDiff.inspectionRecord)/\(premisesID)-", "hazard/\(premisesID)-"],
      persist: folderAccess == .readWrite
    ).map {
      HistoryEntry(
        sequence: $0.sequence, time: $0.time, operatorName: $0.operatorName, change: $0.change)
    }
  }

  public func checkRecords() { findFilesOutsideTheJournal() }

  public func restore(_ reference: RecordReference) throws(StoreError) -> String {
    let path = DataFolder.path(of: reference)
    guard let file = damagedFiles.first(where: { $0.relativePath == path }) else {
      throw StoreError.notDamaged(path: path)
    }
    return try restoreDamaged(file)
  }
}
