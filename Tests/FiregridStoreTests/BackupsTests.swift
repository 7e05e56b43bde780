import FiregridModel
import FiregridRepository
import Foundation
import Testing

@testable import FiregridStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct BackupsTests {
  /// A data folder with the usual files, lock files and a half-written temp file.
  static func sampleFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-backups-\(UUID().uuidString)")
    try AtomicFile.makeFolder(url.appendingPathComponent("households"))
    try put("{\"town\":\"三江镇\"}\n", "town.json", in: url)
    try put("{\"id\":\"h000001\",\"head\":\"邹锡华\"}\n", "households/h000001.json", in: url)
    try put("{\"id\":\"h000002\",\"head\":\"舒桂英\"}\n", "households/h000002.json", in: url)
    try put("line 1\n", "audit.log", in: url)
    try put("head 1\n", "audit.head", in: url)
    try put("", ".lock", in: url)
    try put("{}", ".lock-holder", in: url)
    try put("half", "households/.h000003.json.999.tmp", in: url)
    return url
  }

  static func put(_ text: String, _ path: String, in folder: URL) throws {
    let url = folder.appendingPathComponent(path)
    try AtomicFile.makeFolder(url.deletingLastPathComponent())
    try AtomicFile.write(Data(text.utf8), to: url)
  }

  static func text(_ path: String, in folder: URL) -> String? {
    guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path)
    else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  static func backup(_ name: String, _ folder: URL) -> URL {
    folder.appendingPathComponent("backups/\(name)", isDirectory: true)
  }

  /// Relative paths of all regular files under a folder (a backup's index left out).
  static func files(_ folder: URL) throws -> [String] {
    try Backups.files(under: folder, topLevel: true).map { $0.joined(separator: "/") }
  }

  /// A file's inode and link count.
  static func inode(_ path: String, in folder: URL) -> (ino: UInt, links: UInt)? {
    var info = stat()
    guard lstat(folder.appendingPathComponent(path).path, &info) == 0 else { return nil }
    return (UInt(info.st_ino), UInt(info.st_nlink))
  }

  /// Appends to a file in place, the way audit.log grows.
  static func appendInPlace(_ text: String, _ path: String, in folder: URL) throws {
    let handle = try FileHandle(forWritingTo: folder.appendingPathComponent(path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
  }

  /// Overwrites a file in place (same inode), the way an editor or `cp` over it does.
  static func overwriteInPlace(_ text: String, _ path: String, in folder: URL) throws {
    let handle = try FileHandle(forWritingTo: folder.appendingPathComponent(path))
    defer { try? handle.close() }
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data(text.utf8))
  }

  static func mode(_ url: URL) -> mode_t? {
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return nil }
    return info.st_mode & 0o777
  }

  /// `count` consecutive dates from `first`.
  static func days(from first: String, count: Int) -> [String] {
    let start = CivilDate(exactly: first)!.dayNumber
    return (0..<count).map { format(start + $0) }
  }

  static func format(_ day: Int) -> String {
    let date = Date(timeIntervalSince1970: TimeInterval(day) * 86_400)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
  }

  // MARK: Taking

  @Test func firstCallOfTheDayTakesABackupAndTheSecondDoesNot() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(Backups.list(folder: folder).isEmpty)
    #expect(try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29"))
    #expect(try !Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29"))
    #expect(Backups.list(folder: folder) == ["2026-11-29"])

    let copy = Self.backup("2026-11-29", folder)
    // Lock files, the backups folder and temp files are not copied.
    #expect(
      try Self.files(copy) == [
        "audit.head", "audit.log", "households/h000001.json", "households/h000002.json",
        "town.json",
      ])
    for path in try Self.files(copy) {
      #expect(Self.text(path, in: copy) == Self.text(path, in: folder), "\(path)")
    }
  }

  @Test func progressCountsTheFilesCopiedFromNoneToAll() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var reports: [JobProgress] = []
    #expect(
      try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29") { reports.append($0) })
    // town.json, two households, audit.log, audit.head: the lock and temp files do not count.
    #expect(reports == (0...5).map { JobProgress(done: $0, total: 5) })
    reports = []
    #expect(
      try !Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29") { reports.append($0) })
    #expect(reports.isEmpty)
  }

  @Test func aNewDayTakesAnotherAndOldBackupsKeepTheirContent() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29")
    try Self.put(
      "{\"id\":\"h000001\",\"head\":\"邹锡华\",\"v\":2}\n", "households/h000001.json", in: folder)
    #expect(try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-30"))
    #expect(Backups.list(folder: folder) == ["2026-11-30", "2026-11-29"])
    #expect(
      Self.text("households/h000001.json", in: Self.backup("2026-11-29", folder))
        == "{\"id\":\"h000001\",\"head\":\"邹锡华\"}\n")
    #expect(
      Self.text("households/h000001.json", in: Self.backup("2026-11-30", folder))
        == "{\"id\":\"h000001\",\"head\":\"邹锡华\",\"v\":2}\n")
  }

  @Test func backupsAreOwnerOnlyCopiesWithNoTempFolderLeft() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29")
    let root = folder.appendingPathComponent("backups")
    let copy = Self.backup("2026-11-29", folder)
    #expect(Self.mode(root) == 0o700)
    #expect(Self.mode(copy) == 0o700)
    #expect(Self.mode(copy.appendingPathComponent("households")) == 0o700)
    for path in try Self.files(copy) {
      #expect(Self.mode(copy.appendingPathComponent(path)) == 0o600, "\(path)")
    }
    // The folder's first backup: real copies, nothing to link to.
    var info = stat()
    #expect(lstat(copy.appendingPathComponent("town.json").path, &info) == 0)
    #expect(info.st_nlink == 1)
    #expect(try Backups.names(in: root) == ["2026-11-29"])
  }

  @Test func aHalfCopiedBackupLeftByACrashIsRemovedAndNeverListed() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.put("half", "backups/.tmp-2026-11-28/town.json", in: folder)
    try Self.put("half", "backups/.tmp-delete-2026-10-01/town.json", in: folder)
    #expect(Backups.list(folder: folder).isEmpty)
    try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29")
    #expect(
      try Backups.names(in: folder.appendingPathComponent("backups")) == ["2026-11-29"])
  }

  @Test func listIgnoresWhatIsNotABackup() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in [
      "2026-11-27", "2026-11-29-before-restore", "2026-11-29", "2026-11-29-before-restore-2",
      "2026-11-29-before-restore-10", "notes", "2026-13-01", "2026-11-29-other",
    ] {
      try AtomicFile.makeFolder(Self.backup(name, folder))
    }
    try Self.put("not a folder", "backups/2026-11-28", in: folder)
    #expect(
      Backups.list(folder: folder) == [
        "2026-11-29-before-restore-10", "2026-11-29-before-restore-2",
        "2026-11-29-before-restore", "2026-11-29", "2026-11-27",
      ])
  }

  @Test func badDatesAreRefused() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for bad in ["2026-02-29", "2026-11-31", "26-11-29", "2026/11/29", "", "../../x"] {
      #expect(throws: StoreError.badDate(bad)) {
        try Backups.takeDailyIfNeeded(folder: folder, today: bad)
      }
    }
    #expect(try Backups.takeDailyIfNeeded(folder: folder, today: "2024-02-29"))
  }

  // MARK: Retention

  struct RetentionCase: CustomTestStringConvertible, Sendable {
    let label: String
    let dates: [String]
    let kept: Set<String>
    var testDescription: String { label }
  }

  static let retentionCases: [RetentionCase] = [
    RetentionCase(
      label: "fewer than 14: all kept",
      dates: days(from: "2026-11-01", count: 10),
      kept: Set(days(from: "2026-11-01", count: 10))),
    // 2026-01-01 is a Thursday. The 14 newest are 01-27…02-09; 01-26 is in the week of
    // 01-26…02-01, which already has kept dates; the weeks before keep their Sundays.
    RetentionCase(
      label: "40 consecutive days",
      dates: days(from: "2026-01-01", count: 40),
      kept: Set(days(from: "2026-01-27", count: 14)).union([
        "2026-01-25", "2026-01-18", "2026-01-11", "2026-01-04",
      ])),
    // 2026-01-05 is a Monday; the 14 newest end on Sunday 2026-04-12 and start on Monday
    // 03-30, so the 8 weeks before keep their Sundays.
    RetentionCase(
      label: "98 consecutive days: 14 + 8 Sundays",
      dates: days(from: "2026-01-05", count: 98),
      kept: Set(days(from: "2026-03-30", count: 14)).union([
        "2026-03-29", "2026-03-22", "2026-03-15", "2026-03-08", "2026-03-01", "2026-02-22",
        "2026-02-15", "2026-02-08",
      ])),
    // Used once a month: weeks are counted among backups present, not on the calendar.
    RetentionCase(
      label: "monthly use keeps 22",
      dates: [2025, 2026].flatMap { year in
        (1...12).map { String(format: "%d-%02d-15", year, $0) }
      },
      kept: Set(
        (3...12).map { String(format: "2025-%02d-15", $0) }
          + (1...12).map { String(format: "2026-%02d-15", $0) })),
    // ISO weeks cross the new year: Monday 2024-12-30 … Sunday 2025-01-05 is 2025-W01.
    RetentionCase(
      label: "a week across the new year",
      dates: days(from: "2025-02-01", count: 14) + [
        "2024-12-30", "2025-01-02", "2025-01-05", "2024-12-29", "2024-12-28",
      ],
      kept: Set(days(from: "2025-02-01", count: 14)).union(["2025-01-05", "2024-12-29"])),
    RetentionCase(
      label: "safety copies and duplicates",
      dates: days(from: "2026-11-01", count: 20) + days(from: "2026-11-15", count: 3) + [
        "2026-10-01-before-restore", "2026-11-20-before-restore-2",
      ],
      kept: Set(days(from: "2026-11-07", count: 14)).union([
        "2026-11-01", "2026-10-01-before-restore", "2026-11-20-before-restore-2",
      ])),
    RetentionCase(label: "nothing", dates: [], kept: []),
  ]

  @Test(arguments: retentionCases)
  func retentionKeeps14DailyAnd8Weekly(_ row: RetentionCase) {
    #expect(Backups.retained(row.dates) == row.kept)
    #expect(Backups.retained(row.dates.reversed()) == row.kept)
  }

  @Test func retentionCountsFor40And100Days() {
    #expect(Backups.retained(Self.days(from: "2026-01-01", count: 40)).count == 18)
    let hundred = Backups.retained(Self.days(from: "2025-09-01", count: 100))
    #expect(hundred.count == 22)
    let weekly = hundred.subtracting(Self.days(from: "2025-09-01", count: 100).suffix(14))
    #expect(weekly.count == 8)
    // The weekly ones are Sundays (the newest day of an ISO week).
    for date in weekly {
      #expect(CivilDate(exactly: date)?.weekday == 7)
    }
  }

  @Test func takingADailyBackupDeletesWhatRetentionDoesNotKeep() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let earlier = Self.days(from: "2026-10-01", count: 59)  // up to 2026-11-28
    for date in earlier + ["2026-10-01-before-restore"] {
      try Self.put("old", "town.json", in: Self.backup(date, folder))
    }
    try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29")
    let expected = Backups.retained(earlier + ["2026-11-29"])
      .union(["2026-10-01-before-restore"])
    #expect(Set(Backups.list(folder: folder)) == expected)
    // 14 daily (11-16…11-29), 7 weekly (Sundays 11-15 back to 10-04), 1 safety copy.
    #expect(Backups.list(folder: folder).count == 22)
    #expect(Backups.list(folder: folder).first == "2026-11-29")
    let names = try Backups.names(in: folder.appendingPathComponent("backups"))
    #expect(!names.contains { $0.hasPrefix(".") })
  }

  // MARK: Links between backups

  /// A backup holds the bytes the live files had when it was taken; audit.log, appended in
  /// place, does not grow in a backup when the live one grows, and is never linked.
  @Test func aBackupHoldsTheLiveBytesAndItsLogDoesNotGrowWithTheLiveOne() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Backups.snapshot(folder: folder, name: "2026-11-28", settle: 0)
    let first = Self.backup("2026-11-28", folder)
    for path in try Self.files(folder) {
      #expect(Self.text(path, in: first) == Self.text(path, in: folder), "\(path)")
    }
    try Self.appendInPlace("line 2\n", "audit.log", in: folder)
    #expect(Self.text("audit.log", in: first) == "line 1\n")

    try Backups.snapshot(folder: folder, name: "2026-11-29", settle: 0)
    let second = Self.backup("2026-11-29", folder)
    #expect(Self.text("audit.log", in: second) == "line 1\nline 2\n")
    try Self.appendInPlace("line 3\n", "audit.log", in: folder)
    #expect(Self.text("audit.log", in: first) == "line 1\n")
    #expect(Self.text("audit.log", in: second) == "line 1\nline 2\n")
    for backup in [first, second] {
      #expect(Self.inode("audit.log", in: backup)?.links == 1)
      #expect(Self.inode("audit.head", in: backup)?.links == 1)
    }
  }

  /// The next backup links the data files nobody changed to the earlier backup's copies — never
  /// to the live files — and copies the ones a save replaced.
  @Test func theNextBackupLinksUnchangedFilesToTheEarlierCopyNeverToTheLiveOne() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Backups.snapshot(folder: folder, name: "2026-11-28", settle: 0)
    // A save replaces the file by rename: a new inode.
    try Self.put(
      "{\"id\":\"h000001\",\"head\":\"邹锡华\",\"v\":2}\n", "households/h000001.json", in: folder)
    var reports: [JobProgress] = []
    try Backups.snapshot(folder: folder, name: "2026-11-29", settle: 0) { reports.append($0) }
    #expect(reports == (0...5).map { JobProgress(done: $0, total: 5) })

    let first = Self.backup("2026-11-28", folder)
    let second = Self.backup("2026-11-29", folder)
    for path in ["town.json", "households/h000002.json"] {
      let earlier = try #require(Self.inode(path, in: first))
      let linked = try #require(Self.inode(path, in: second))
      let live = try #require(Self.inode(path, in: folder))
      #expect(linked.ino == earlier.ino, "\(path)")
      #expect(linked.links == 2, "\(path)")
      #expect(live.ino != linked.ino && live.links == 1, "\(path)")
    }
    let path = "households/h000001.json"
    #expect(Self.inode(path, in: second)?.ino != Self.inode(path, in: first)?.ino)
    #expect(Self.inode(path, in: second)?.links == 1)
    #expect(Self.text(path, in: second) == Self.text(path, in: folder))
    #expect(Self.text(path, in: first) == "{\"id\":\"h000001\",\"head\":\"邹锡华\"}\n")
    for backup in [first, second] {
      for file in try Self.files(backup) {
        #expect(Self.mode(backup.appendingPathComponent(file)) == 0o600, "\(file)")
      }
    }
    // Only data files are in the index: audit.log and audit.head are always copied.
    let index = try #require(Backups.readIndex(of: second))
    #expect(
      Set(index.keys) == ["town.json", "households/h000001.json", "households/h000002.json"])
  }

  /// A file written in place (an editor, a tool) keeps its inode but not its times: the next
  /// backup copies it afresh, and the earlier backup keeps the bytes it had.
  @Test func aFileEditedInPlaceIsCopiedAfreshAndNoBackupChanges() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Old enough to be in the first backup's index (`settleSeconds`).
    Thread.sleep(forTimeInterval: Double(Backups.settleSeconds) + 0.1)
    try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-28")
    let first = Self.backup("2026-11-28", folder)
    #expect(Backups.readIndex(of: first)?.keys.contains("households/h000002.json") == true)
    let path = "households/h000002.json"
    let before = try #require(Self.text(path, in: folder))
    // The same number of bytes: only the file's times tell.
    let edited = before.replacingOccurrences(of: "舒桂英", with: "舒桂花")
    #expect(edited.utf8.count == before.utf8.count)
    try Self.overwriteInPlace(edited, path, in: folder)
    #expect(Self.text(path, in: first) == before)

    try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29")
    let second = Self.backup("2026-11-29", folder)
    #expect(Self.text(path, in: second) == edited)
    #expect(Self.text(path, in: first) == before)
    #expect(Self.inode(path, in: second)?.links == 1)
    // What nobody touched is linked.
    #expect(
      Self.inode("households/h000001.json", in: second)?.ino
        == Self.inode("households/h000001.json", in: first)?.ino)
  }

  /// A file changed just before a backup (`settleSeconds`) is left out of its index, so the
  /// next backup copies it: an edit in place in the same tick of the clock would keep its times.
  @Test func aFileChangedJustBeforeABackupIsCopiedByTheNextOne() throws {
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-28")
    let first = Self.backup("2026-11-28", folder)
    #expect(Backups.readIndex(of: first) == [:])
    try Backups.takeDailyIfNeeded(folder: folder, today: "2026-11-29")
    let second = Self.backup("2026-11-29", folder)
    for path in try Self.files(second) {
      #expect(Self.inode(path, in: second)?.links == 1, "\(path)")
      #expect(Self.text(path, in: second) == Self.text(path, in: folder), "\(path)")
    }
  }

  /// Where the file system refuses a link, or the earlier backup has no index, or its copy is
  /// gone or is not what the index says, the file is copied from the live folder.
  @Test func aRefusedLinkOrAnEarlierBackupWithoutAnIndexMeansACopy() throws {
    final class NoLinks: FileSystem, @unchecked Sendable {
      private let lock = NSLock()
      private var asked = 0
      private var copied = 0
      var counts: (asked: Int, copied: Int) { lock.withLock { (asked, copied) } }
      func writeAtomically(_ data: Data, to url: URL) throws(StoreError) {
        try RealFileSystem().writeAtomically(data, to: url)
      }
      func makeFolder(_ url: URL) throws(StoreError) { try RealFileSystem().makeFolder(url) }
      func copyFile(from source: URL, to target: URL) throws(StoreError) {
        try RealFileSystem().copyFile(from: source, to: target)
        lock.withLock { copied += 1 }
      }
      func linkFile(from earlier: URL, to target: URL) throws(StoreError) -> Bool {
        lock.withLock { asked += 1 }
        return false  // exFAT, say
      }
    }
    let folder = try Self.sampleFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Backups.snapshot(folder: folder, name: "2026-11-27", settle: 0)
    let refusing = NoLinks()
    try Backups.snapshot(folder: folder, name: "2026-11-28", fileSystem: refusing, settle: 0)
    #expect(refusing.counts.asked == 3)  // town.json and the two households
    #expect(refusing.counts.copied == 5)
    let refused = Self.backup("2026-11-28", folder)
    for path in try Self.files(refused) {
      #expect(Self.inode(path, in: refused)?.links == 1, "\(path)")
      #expect(Self.text(path, in: refused) == Self.text(path, in: folder), "\(path)")
    }

    // The newest backup's copy of town.json gone, one household's cut short: both copied
    // from the live folder; the other household linked.
    unlink(refused.appendingPathComponent("town.json").path)
    try Data("{".utf8).write(to: refused.appendingPathComponent("households/h000001.json"))
    try Backups.snapshot(folder: folder, name: "2026-11-29", settle: 0)
    let next = Self.backup("2026-11-29", folder)
    for path in try Self.files(folder) {
      #expect(Self.text(path, in: next) == Self.text(path, in: folder), "\(path)")
    }
    #expect(Self.inode("town.json", in: next)?.links == 1)
    #expect(Self.inode("households/h000001.json", in: next)?.links == 1)
    #expect(Self.inode("households/h000002.json", in: next)?.links == 2)

    // The newest backup without an index: the next links to the newest one with one (11-28).
    unlink(next.appendingPathComponent(Backups.indexFileName).path)
    try Backups.snapshot(folder: folder, name: "2026-11-30-before-restore", settle: 0)
    let older = Self.backup("2026-11-28", folder)
    #expect(
      Self.inode("households/h000002.json", in: Self.backup("2026-11-30-before-restore", folder))?
        .ino == Self.inode("households/h000002.json", in: older)?.ino)

    // No index at all (backups made before backups had one): everything is copied.
    for name in Backups.list(folder: folder) {
      unlink(Self.backup(name, folder).appendingPathComponent(Backups.indexFileName).path)
    }
    try Backups.snapshot(folder: folder, name: "2026-11-30", settle: 0)
    let unindexed = Self.backup("2026-11-30", folder)
    for path in try Self.files(unindexed) {
      #expect(Self.inode(path, in: unindexed)?.links == 1, "\(path)")
    }
  }

  /// Through the store: after the next day's backup (linked to the day before's), a save
  /// changes the live file but neither backup; `check` still reconciles both backups' heads,
  /// and a restore from the linked backup replays the save.
  @Test func aSaveAfterALinkedBackupChangesTheLiveFileButNoBackup() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    try DataFolder(url: url).create(DataFolderTests.sample)
    try Backups.snapshot(folder: url, name: "2026-11-28", settle: 0)
    let store = try TownStore.open(
      folder: DataFolder(url: url), operatorName: "测试员", clock: TownStoreTests.clock)
    #expect(try store.takeDailyBackup(on: TownStoreTests.day) { _ in })
    let path = "households/h000001.json"
    let first = Self.backup("2026-11-28", url)
    let second = Self.backup("2026-11-29", url)
    let before = try #require(Self.text(path, in: url))
    #expect(Self.text(path, in: second) == before)
    #expect(Self.inode(path, in: second)?.ino == Self.inode(path, in: first)?.ino)

    var household = try #require(store.town.household(id: "h000001"))
    household.address = "三江镇龙潭村1组1号（新）"
    try store.saveHousehold(household)
    store.close()
    #expect(Self.text(path, in: url) != before)
    #expect(Self.text(path, in: second) == before)
    #expect(Self.text(path, in: first) == before)
    #expect(JournalTests.errors(url).isEmpty)

    let outcome = try TownStore.restoreBackup(
      folder: DataFolder(url: url), date: "2026-11-29", operatorName: "恢复",
      clock: TownStoreTests.clock)
    #expect(outcome.unmatched.isEmpty)
    #expect(outcome.replayed == 1)
    #expect(try DataFolder(url: url).load().household(id: "h000001")?.address == household.address)
    #expect(Self.text(path, in: second) == before)
    #expect(JournalTests.errors(url).isEmpty)
  }
}
