import FiregridModel
import FiregridPostgres
import FiregridRepository
import FiregridRepositoryContract
import Foundation
import Testing

/// The PostgreSQL store passes every case of the repository contract, as the JSON data folder
/// does (FiregridStoreTests), each case on new towns of its own in the test database.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.skipMessage))
struct PostgresContractTests {
  @Test(arguments: RepositoryContract.caseNames)
  func thePostgresStoreKeepsTheContract(_ name: String) throws {
    var folders: [URL] = []
    defer { for url in folders { try? FileManager.default.removeItem(at: url) } }
    let contract = RepositoryContract(day: PostgresServer.day) {
      let backups = PostgresServer.temporaryFolder()
      folders.append(backups)
      return PostgresServer.location(backupsFolder: backups)
    }
    try contract.run(name)
  }
}
