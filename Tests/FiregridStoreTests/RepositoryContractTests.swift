import FiregridModel
import FiregridRepository
import FiregridRepositoryContract
import Foundation
import Testing

@testable import FiregridStore

/// The JSON data folder passes every case of the repository contract, each on its own
/// temporary folders, on a pinned winter day.
struct RepositoryContractTests {
  static let day = CivilDate(year: 2026, month: 12, day: 10)
  static let clock = TownStore.Clock(
    today: { day.description }, now: { "\(day.description)T09:00:00+08:00" })

  @Test(arguments: RepositoryContract.caseNames)
  func theJSONFolderKeepsTheContract(_ name: String) throws {
    var folders: [URL] = []
    defer { for url in folders { try? FileManager.default.removeItem(at: url) } }
    let contract = RepositoryContract(day: Self.day) {
      let url = DataFolderTests.temporaryFolder()
      folders.append(url)
      return JSONFolderLocation(folder: DataFolder(url: url), clock: Self.clock)
    }
    try contract.run(name)
  }

  @Test func anUnknownCaseFails() {
    let contract = RepositoryContract(day: Self.day) {
      JSONFolderLocation(folder: DataFolder(url: DataFolderTests.temporaryFolder()))
    }
    #expect(throws: ContractFailure.self) { try contract.run("noSuchCase") }
    #expect(RepositoryContract.caseNames.count >= 10)
  }

  /// The location itself: a folder of other files is neither empty nor a town.
  @Test func aForeignFolderIsNotEmptyAndDoesNotOpen() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try Data("别的文件".utf8).write(to: url.appendingPathComponent("notes.txt"))
    let location = JSONFolderLocation(folder: DataFolder(url: url), clock: Self.clock)
    #expect(location.description == url.standardizedFileURL.path)
    #expect(!location.isEmpty)
    #expect(throws: StoreError.noTown(path: url.standardizedFileURL.path)) {
      _ = try location.open(operatorName: "甲")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: url.path) == ["notes.txt"])
  }
}
