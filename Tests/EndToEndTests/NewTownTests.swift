import FiregridModel
import FiregridStore
import Foundation
import Testing

/// A new town appears whole or not at all: two creators at once, and kills mid-import.
@Suite(.serialized)
struct NewTownTests {
  static func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-newtown-\(name)-\(UUID().uuidString)")
  }

  /// A roster spreadsheet of 120 households, exported from a demo town.
  static func roster() throws -> URL {
    let demo = try EndToEndTests.makeDemo(households: 120)
    defer { try? FileManager.default.removeItem(at: demo) }
    let csv = temporary("roster").appendingPathExtension("csv")
    let (status, _, err) = try EndToEndTests.run([
      "export", "roster", "--data", demo.path, "--out", csv.path,
    ])
    try #require(status == 0, "\(err)")
    return csv
  }

  /// Starts the binary; its standard output goes to `output` when given.
  static func spawn(_ arguments: [String], output: URL? = nil) throws -> Process {
    let process = Process()
    process.executableURL = TmuxSession.binary
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["FIREGRID_TODAY"] = "2026-11-29"
    process.environment = environment
    if let output {
      _ = FileManager.default.createFile(atPath: output.path, contents: nil)
      process.standardOutput = try FileHandle(forWritingTo: output)
    } else {
      process.standardOutput = FileHandle.nullDevice
    }
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Nothing of a building folder is left beside the target.
  static func leftovers(beside folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(
      atPath: folder.deletingLastPathComponent().path
    ).filter { $0.hasPrefix(".\(folder.lastPathComponent).building-") }
  }

  /// Two imports (or an import and a demo) into one empty folder at once, 100 times: one wins,
  /// the other is refused, and the town is whole — every household, a clean check.
  @Test func twoCreatorsAtOnceNeverDestroyEachOther() throws {
    let csv = try Self.roster()
    defer { try? FileManager.default.removeItem(at: csv) }
    var wins = [0, 0]
    for round in 0..<100 {
      let target = Self.temporary("race")
      defer { try? FileManager.default.removeItem(at: target) }
      let importing = [
        "import", "roster", csv.path, "--data", target.path, "--town", "三江镇", "--operator", "甲",
      ]
      let second =
        round % 2 == 0
        ? importing
        : ["demo", "--data", target.path, "--households", "60", "--roster-only", "--seed", "3"]
      let outputs = [Self.temporary("out-a"), Self.temporary("out-b")]
      defer { for output in outputs { try? FileManager.default.removeItem(at: output) } }
      let a = try Self.spawn(importing, output: outputs[0])
      let b = try Self.spawn(second, output: outputs[1])
      a.waitUntilExit()
      b.waitUntilExit()
      let statuses = [a.terminationStatus, b.terminationStatus]
      // One creates the town. On a loaded machine the second import may start only once the
      // first has put the town in place: it is then an import into that town, which adds
      // nothing (every household there and the same) and succeeds, as it should.
      let said = outputs.map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }
      let created = zip(statuses, said).filter { $0.0 == 0 && !$0.1.contains("没有需要新增的内容") }
      #expect(created.count == 1, "round \(round): \(statuses) \(said)")
      if let winner = statuses.firstIndex(of: 0) { wins[winner] += 1 }
      let town = try DataFolder(url: target).load()
      let expected = statuses[0] == 0 || round % 2 == 0 ? 120 : 60
      #expect(town.households.count == expected, "round \(round)")
      let errors = FolderCheck.run(DataFolder(url: target)).filter { $0.severity == .error }
      #expect(errors.isEmpty, "round \(round): \(errors)")
      #expect(try Self.leftovers(beside: target).isEmpty)
    }
    print("两个进程同时新建：第一个成功 \(wins[0]) 次，第二个成功 \(wins[1]) 次")
  }

  /// kill -9 of a new-town import at random moments once it has started writing: the folder
  /// is either untouched (and the same import then succeeds) or the whole town; a killed
  /// import's building folder is removed by the next one.
  @Test func aKilledImportLeavesTheWholeTownOrNothing() throws {
    let csv = try Self.roster()
    defer { try? FileManager.default.removeItem(at: csv) }
    var generator = SplitMix64(seed: UInt64(getpid()))
    var whole = 0
    var nothing = 0
    for _ in 0..<40 {
      let target = Self.temporary("killed")
      defer { try? FileManager.default.removeItem(at: target) }
      let arguments = [
        "import", "roster", csv.path, "--data", target.path, "--town", "三江镇", "--operator", "甲",
      ]
      let process = try Self.spawn(arguments)
      // The signal: the building folder beside the target exists (the import is writing), or
      // the import has already ended. Polled, under a deadline that only a hung import meets.
      let deadline = Date().addingTimeInterval(60)
      while process.isRunning, (try Self.leftovers(beside: target)).isEmpty, Date() < deadline {
        usleep(500)
      }
      // Then a random moment in the write: where the kill lands is what the test varies; it
      // accepts either outcome, whatever the machine's speed.
      usleep(UInt32(generator.next(below: 60_000)))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      if DataFolder(url: target).state == .town {
        whole += 1
        #expect(try DataFolder(url: target).load().households.count == 120)
        let errors = FolderCheck.run(DataFolder(url: target)).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
      } else {
        nothing += 1
        #expect(DataFolder(url: target).state == .empty)
        let again = try Self.spawn(arguments)
        again.waitUntilExit()
        #expect(again.terminationStatus == 0)
        #expect(try DataFolder(url: target).load().households.count == 120)
        #expect(try Self.leftovers(beside: target).isEmpty)
      }
    }
    print("导入中途被杀：完整 \(whole) 次，未留下任何东西 \(nothing) 次")
  }
}
