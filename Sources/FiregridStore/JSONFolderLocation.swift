import FiregridModel
import FiregridRepository
import Foundation

/// Where the JSON data folder keeps a town, before it is open: what the app's start-up asks.
///
/// Sendable, checked by the compiler: its state is two constants (the folder, itself
/// immutable, and the clock), so the app may hand it to its store worker.
public final class JSONFolderLocation: TownLocation, Sendable {
  public let folder: DataFolder
  public let clock: TownStore.Clock

  public init(folder: DataFolder, clock: TownStore.Clock = .system) {
    self.folder = folder
    self.clock = clock
  }

  public var description: String { folder.url.path }

  /// A folder that is not there yet, or empty. A folder of other files is not empty: opening
  /// it says it holds no town, and first-run setup refuses to write into it.
  public var isEmpty: Bool { folder.state == .empty }

  public func lastOperator() -> String? {
    let name = folder.lastOperator
    return name.isEmpty ? nil : name
  }

  /// Best effort: the name is only offered again at the next start-up, so a folder that cannot
  /// be written (opened read-only) loses nothing that matters.
  public func saveLastOperator(_ name: String) {
    try? folder.saveLastOperator(name)
  }

  public func open(operatorName: String) throws -> any TownRepository {
    try open(operatorName: operatorName, deferringRecords: false)
  }

  /// The app's open: the roster first, the rest in `finishLoading`; a checkpoint written in
  /// the background when the open read many files (`Checkpoint.Policy.standard`).
  public func open(operatorName: String, deferringRecords: Bool) throws -> any TownRepository {
    try TownStore.open(
      folder: folder, operatorName: operatorName, clock: clock,
      deferringRecords: deferringRecords, checkpoints: .standard)
  }

  public func create(_ town: TownData, operatorName: String) throws -> any TownRepository {
    try TownStore.create(folder: folder, town: town, operatorName: operatorName, clock: clock)
  }
}
