import FiregridModel
import FiregridStore
import Foundation
import Testing

/// The archive never loses data: crashes in the middle of saves, a full disk, a second writer.
@Suite(.serialized)
struct DurabilityTests {
  static var benchBinary: URL {
    TmuxSession.binary.deletingLastPathComponent().appendingPathComponent("firegrid-bench")
  }

  static let clock = TownStore.Clock(
    today: { "2026-11-29" }, now: { "2026-11-29T10:00:00+08:00" })

  /// kill -9 at random moments while a child saves edits in a loop, 200 times. Afterwards
  /// every file decodes, `check` finds no error, and every edit the child reported saved is
  /// there (each run's numbers are larger than the last run's, so "there" means: the file
  /// holds the reported number or a later one).
  ///
  /// The child says READY once the town is open; the test then lets it report a random number
  /// of saves (0–8) and kills it a random 0–3 ms later, so the kill lands anywhere in a save
  /// whatever the machine's speed, and the count of saves does not depend on it. The child's
  /// day is pinned.
  @Test func killNineDuringSavesLosesNothing() throws {
    let folder = try EndToEndTests.makeDemo(households: 24)
    defer { try? FileManager.default.removeItem(at: folder) }
    var generator = SplitMix64(seed: UInt64(getpid()))
    var killedMidRun = 0
    var lines: [Substring] = []
    for round in 0..<200 {
      let pipe = Pipe()
      let child = Process()
      child.executableURL = Self.benchBinary
      child.arguments = ["torture", folder.path, "\(round * 1_000_000)", "2026-11-29"]
      child.standardOutput = pipe
      child.standardError = FileHandle.nullDevice
      try child.run()
      try pipe.fileHandleForWriting.close()
      let reader = LineReader(pipe.fileHandleForReading.fileDescriptor)
      let ready = reader.next()
      try #require(ready == "READY", "the child did not open the town: \(ready ?? "EOF")")
      let savesBeforeKill = generator.next(below: 9)
      for _ in 0..<savesBeforeKill {
        guard let line = reader.next() else { break }
        lines.append(Substring(line))
      }
      usleep(UInt32(generator.next(below: 3_000)))
      if child.isRunning { killedMidRun += 1 }
      kill(child.processIdentifier, SIGKILL)
      child.waitUntilExit()
      // Whatever the child wrote before it died is still in the pipe.
      while let line = reader.next() { lines.append(Substring(line)) }
      try pipe.fileHandleForReading.close()
    }
    #expect(killedMidRun > 150, "the child should be killed while running")

    var lastReported: [String: Int] = [:]
    for line in lines {
      let parts = line.split(separator: " ")
      guard parts.count == 3, parts[0] == "SAVED", let n = Int(parts[2]) else { continue }
      lastReported[String(parts[1])] = max(lastReported[String(parts[1])] ?? -1, n)
    }
    #expect(lines.count > 200, "the child reported too few saves to mean anything")

    let loaded = try DataFolder(url: folder).loadReport()
    #expect(loaded.damaged.isEmpty)
    for (id, n) in lastReported {
      let household = try #require(loaded.town.households.first { $0.id == id })
      let saved = Int(household.address.replacingOccurrences(of: "改-", with: "")) ?? -1
      #expect(saved >= n, "\(id): reported \(n) saved, file has \(household.address)")
    }
    let (status, out, _) = try EndToEndTests.run(["check", "--data", folder.path])
    #expect(status == 0, "check after the crash loop:\n\(out)")
  }

  /// Lines from a pipe, read with read(2) so nothing is buffered past a line the test takes.
  final class LineReader {
    let fd: Int32
    var buffer: [UInt8] = []
    init(_ fd: Int32) { self.fd = fd }
    /// The next whole line without its newline; nil at end of file.
    func next() -> String? {
      while true {
        if let newline = buffer.firstIndex(of: 0x0A) {
          let line = String(decoding: buffer[..<newline], as: UTF8.self)
          buffer.removeSubrange(...newline)
          return line
        }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return nil }
        buffer += chunk[0..<count]
      }
    }
  }

  @Test func aSecondWriterOpensReadOnlyAndNothingIsLost() throws {
    let folder = try EndToEndTests.makeDemo(households: 12)
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try TownStore.open(
      folder: DataFolder(url: folder), operatorName: "甲", clock: Self.clock)
    #expect(first.folderAccess == .readWrite)
    let second = try TownStore.open(
      folder: DataFolder(url: folder), operatorName: "乙", clock: Self.clock)
    guard case .readOnly(let holder) = second.folderAccess else {
      Issue.record("second store is not read-only")
      return
    }
    #expect(holder?.operatorName == "甲")
    #expect(holder?.pid == getpid())
    var household = first.town.households[0]
    household.address = "第一人的修改"
    try first.saveHousehold(household)
    var other = second.town.households[0]
    other.address = "第二人的修改"
    #expect(throws: StoreError.self) { try second.saveHousehold(other) }
    first.close()
    // The holder has quit: the read-only store says so instead of naming it.
    #expect(throws: StoreError.holderGone) { try second.saveHousehold(other) }
    second.close()
    #expect(try DataFolder(url: folder).load().households[0].address == "第一人的修改")
  }

  /// The real binary, opened while another clerk holds the town (the folder's lock, or the
  /// database's advisory lock on the town), says so on screen, names the holder, refuses an
  /// edit and quits cleanly.
  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    arguments: StoreUnderTest.available)
  func aSecondClerkOpensReadOnlyNamingTheHolder(on store: StoreUnderTest) throws {
    let town = try store.town(from: try EndToEndTests.makeDemo(households: 12))
    defer { town.remove() }
    let holder = try town.session(["--operator", "值班文员"])
    try #require(holder.waitFor("网格户籍") != nil, "the holder's app did not start")
    #expect(!holder.screen.contains("只读"))
    let session = try town.session(["--operator", "乙"])
    let screen = try #require(session.waitFor("只读："), "the second clerk's app is not read-only")
    #expect(screen.contains("值班文员"))
    try session.send("a")
    #expect(session.waitFor("只读状态下不能修改") != nil)
    try session.send("q")
    #expect(session.exitStatus() == 0)
    try holder.send("q")
    #expect(holder.exitStatus() == 0)
  }

  /// A full disk through the file-system seam: the save fails with the message, the old file
  /// is intact, the store keeps working.
  @Test func diskFullThroughTheSeamKeepsOldData() throws {
    struct FullDisk: FileSystem {
      func writeAtomically(_ data: Data, to url: URL) throws(StoreError) {
        throw StoreError.diskFull(path: url.path)
      }
      func makeFolder(_ url: URL) throws(StoreError) {}
      // A save's first write is its journal record: that is where a full disk stops it.
      func faultPoint(_ step: String) throws(StoreError) {
        throw StoreError.diskFull(path: "journal")
      }
    }
    let url = try EndToEndTests.makeDemo(households: 8)
    defer { try? FileManager.default.removeItem(at: url) }
    let file = url.appendingPathComponent("households/h000001.json")
    let before = try Data(contentsOf: file)
    let store = try TownStore.open(
      folder: DataFolder(url: url, fileSystem: FullDisk()), operatorName: "测试", clock: Self.clock)
    defer { store.close() }
    var household = store.town.households[0]
    household.address = "写不进去"
    do {
      try store.saveHousehold(household)
      Issue.record("save succeeded on a full disk")
    } catch {
      #expect(StoreError.message(for: error).contains("磁盘已满"))
    }
    #expect(try Data(contentsOf: file) == before)
    #expect(store.town.households[0].address != "写不进去")
  }

  /// A real full disk: a tiny tmpfs (root only, as CI runs).
  @Test(.enabled(if: getuid() == 0, "needs root to mount a tmpfs"))
  func diskFullOnATinyTmpfs() throws {
    let mount = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-tmpfs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: mount) }
    let (mounted, _, _) = try EndToEndTests.shell(
      "mount -t tmpfs -o size=256k tmpfs '\(mount.path)'")
    guard mounted == 0 else {
      print("跳过：无法挂载 tmpfs（容器不允许）/ skipped: cannot mount a tmpfs here")
      return
    }
    defer { _ = try? EndToEndTests.shell("umount '\(mount.path)'") }
    let url = mount.appendingPathComponent("data")
    let (status, _, err) = try EndToEndTests.run(["demo", "--data", url.path, "--households", "5"])
    try #require(status == 0, "demo on tmpfs: \(err)")
    let store = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "测试", clock: Self.clock)
    defer { store.close() }
    // Take today's backup while there is room, then fill the disk.
    var household = store.town.households[0]
    household.address = "有空间时的修改"
    try store.saveHousehold(household)
    let filler = mount.appendingPathComponent("filler")
    _ = try EndToEndTests.shell("dd if=/dev/zero of='\(filler.path)' bs=4k 2>/dev/null")
    let file = url.appendingPathComponent("households/\(household.id).json")
    let before = try Data(contentsOf: file)
    household.address = String(repeating: "满", count: 20_000)
    do {
      try store.saveHousehold(household)
      Issue.record("save succeeded on a full tmpfs")
    } catch {
      #expect(StoreError.message(for: error).contains("磁盘已满"))
    }
    #expect(try Data(contentsOf: file) == before)
    let leftovers = try FileManager.default.contentsOfDirectory(
      atPath: url.appendingPathComponent("households").path
    ).filter { $0.hasPrefix(".") }
    #expect(leftovers.isEmpty, "temp files left: \(leftovers)")
    // Once there is room again, the next save goes through (the journal's record, the audit
    // lines and the file: a few times the file's size).
    try FileManager.default.removeItem(at: filler)
    household.address = "腾出空间后的修改"
    try store.saveHousehold(household)
    #expect(store.takeNotice() == nil)
    #expect(try DataFolder(url: url).load().households[0].address == household.address)
  }

  @Test func checkFindsTamperingAndBrokenReferences() throws {
    let folder = try EndToEndTests.makeDemo(households: 12)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try TownStore.open(
      folder: DataFolder(url: folder), operatorName: "测试", clock: Self.clock)
    for index in 0..<3 {
      var household = store.town.households[index]
      household.address += "（改）"
      try store.saveHousehold(household)
    }
    store.close()
    let (clean, cleanOut, _) = try EndToEndTests.run(["check", "--data", folder.path])
    #expect(clean == 0, "\(cleanOut)")

    // Edit one audit line by hand: detected.
    let log = folder.appendingPathComponent("audit.log")
    let original = try String(contentsOf: log, encoding: .utf8)
    try Data(original.replacingOccurrences(of: "（改）", with: "（篡改）").utf8).write(to: log)
    let (tampered, tamperedOut, _) = try EndToEndTests.run(["check", "--data", folder.path])
    #expect(tampered == 1)
    #expect(tamperedOut.contains("audit.log"))
    try Data(original.utf8).write(to: log)

    // A household pointing at a grid that does not exist: named with its file.
    let file = folder.appendingPathComponent("households/h000002.json")
    let text = try String(contentsOf: file, encoding: .utf8)
    try Data(
      text.replacingOccurrences(of: "\"gridID\" : \"g0001\"", with: "\"gridID\" : \"g9999\"").utf8
    )
    .write(to: file)
    let (broken, brokenOut, _) = try EndToEndTests.run(["check", "--data", folder.path])
    #expect(broken == 1)
    #expect(brokenOut.contains("households/h000002.json"))
    #expect(brokenOut.contains("g9999"))
  }

  /// A second `"visits": []` after the real list used to hide every visit of the household;
  /// now the file is named as damaged and `check` fails.
  @Test func checkNamesAVisitFileWithARepeatedKey() throws {
    let folder = try EndToEndTests.makeDemo(households: 12)
    defer { try? FileManager.default.removeItem(at: folder) }
    let visits = folder.appendingPathComponent("visits")
    let name = try #require(
      try FileManager.default.contentsOfDirectory(atPath: visits.path).sorted().first)
    let file = visits.appendingPathComponent(name)
    let text = try String(contentsOf: file, encoding: .utf8)
    try #require(text.hasSuffix("\n}\n"))
    let edited = text.dropLast(3) + ",\n  \"visits\" : []\n}\n"
    try Data(edited.utf8).write(to: file)
    let line = edited.split(separator: "\n", omittingEmptySubsequences: false).count - 2
    let (status, out, _) = try EndToEndTests.run(["check", "--data", folder.path])
    #expect(status == 1, "\(out)")
    #expect(out.contains("visits/\(name)"), "\(out)")
    #expect(out.contains("第\(line)行：字段「visits」重复"), "\(out)")
    #expect(try String(contentsOf: file, encoding: .utf8) == String(edited))
  }
}
