import FiregridModel
import Foundation

extension PortableTown {
  /// `town` with some of its files changed (keyed by path; nil: the file is gone), as
  /// `decode` would read the whole set with those files: another clerk's saves applied without
  /// reading the rest of the town again. `damaged` comes back with the changed paths' entries
  /// replaced: those that no longer decode added, those that do removed.
  public static func patch(
    _ town: TownData, damaged: [DamagedFile], with changed: [String: Data?]
  ) -> (town: TownData, damaged: [DamagedFile]) {
    var data = town
    var damaged = damaged.filter { changed[$0.relativePath] == nil }
    var rosterMoved = false
    func decoded<T: VersionedFile>(_ path: String, _ bytes: Data) -> T? {
      do throws(StoreError) {
        return try DataFolder.decode(bytes, path: path)
      } catch {
        let folder = (path as NSString).deletingLastPathComponent
        damaged.append(
          DamagedFile(
            relativePath: path,
            householdID: DataFolder.householdFolders.contains(folder)
              ? String(((path as NSString).lastPathComponent).dropLast(5)) : nil,
            error: error))
        return nil
      }
    }
    for (path, bytes) in changed.sorted(by: { $0.key < $1.key }) {
      let folder = (path as NSString).deletingLastPathComponent
      let id = String(((path as NSString).lastPathComponent).dropLast(5))
      switch folder {
      case "" where path == DataFolder.townFileName:
        guard let bytes, let file: TownFile = decoded(path, bytes) else { continue }
        (data.town, data.villages, data.grids) = (file.town, file.villages, file.grids)
        (data.visitors, data.campaigns) = (file.visitors, file.campaigns)
        rosterMoved = true
      case "" where path == DataFolder.supervisionFileName:
        guard let bytes else {
          data.supervision = SupervisionData()
          continue
        }
        if let file: SupervisionFile = decoded(path, bytes) { data.supervision = file.supervision }
      case DataFolder.householdsFolderName:
        data.households.removeAll { $0.id == id }
        if let bytes, let file: HouseholdFile = decoded(path, bytes) {
          data.households.append(file.household)
        }
        rosterMoved = true
      case DataFolder.premisesFolderName:
        data.premises.removeAll { $0.id == id }
        if let bytes, let file: PremisesFile = decoded(path, bytes) {
          data.premises.append(file.premises)
        }
        rosterMoved = true
      case DataFolder.visitsFolderName:
        data.visitRecords[id] = bytes.flatMap { (decoded(path, $0) as VisitRecordFile?)?.record }
      case DataFolder.inspectionsFolderName:
        data.premisesRecords[id] = bytes.flatMap {
          (decoded(path, $0) as VisitRecordFile?)?.record
        }
      case DataFolder.contactsFolderName:
        data.contactLogs[id] = bytes.flatMap { (decoded(path, $0) as ContactFile?)?.logs }
      case DataFolder.archivedHouseholdsPath:
        data.archivedHouseholds.removeAll { $0.id == id }
        if let bytes, let file: HouseholdFile = decoded(path, bytes) {
          data.archivedHouseholds.append(file.household)
          data.archivedHouseholds.sort { $0.id < $1.id }
        }
      case DataFolder.archivedVisitsPath:
        data.archivedVisitRecords[id] = bytes.flatMap {
          (decoded(path, $0) as VisitRecordFile?)?.record
        }
      case DataFolder.archivedPremisesPath:
        data.archivedPremises.removeAll { $0.id == id }
        if let bytes, let file: PremisesFile = decoded(path, bytes) {
          data.archivedPremises.append(file.premises)
          data.archivedPremises.sort { $0.id < $1.id }
        }
      case DataFolder.archivedInspectionsPath:
        data.archivedPremisesRecords[id] = bytes.flatMap {
          (decoded(path, $0) as VisitRecordFile?)?.record
        }
      default:
        continue
      }
    }
    if rosterMoved { DataFolder.putRosterInOrder(&data) }
    return (data, damaged.sorted { $0.relativePath < $1.relativePath })
  }
}
