import Foundation
import Testing

/// `firegrid export roster` and `firegrid import roster` as a clerk runs them: a demo town
/// exported, imported into an empty folder, exported again; a rejected file; a dry run.
@Suite(.serialized)
struct ImportExportTests {
  static func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-e2e-\(name)-\(UUID().uuidString)")
  }

  @Test func exportImportExportGivesTheSameFile() throws {
    let demo = try EndToEndTests.makeDemo(households: 120)
    let target = Self.temporary("import")
    let csv = Self.temporary("roster").appendingPathExtension("csv")
    let again = Self.temporary("again").appendingPathExtension("csv")
    defer {
      for url in [demo, target, csv, again] { try? FileManager.default.removeItem(at: url) }
    }
    var (status, _, err) = try EndToEndTests.run([
      "export", "roster", "--data", demo.path, "--out", csv.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(err.contains("已导出 120 户"))
    let exported = try Data(contentsOf: csv)
    #expect(Array(exported.prefix(3)) == [0xEF, 0xBB, 0xBF])

    let out: String
    (status, out, err) = try EndToEndTests.run([
      "import", "roster", csv.path, "--data", target.path, "--town", "三江镇", "--operator", "测试员",
    ])
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("已导入到 三江镇（新建）"))
    #expect(out.contains("120 户"))

    (status, _, err) = try EndToEndTests.run([
      "export", "roster", "--data", target.path, "--out", again.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(try Data(contentsOf: again) == exported)

    let (checkStatus, checkOut, _) = try EndToEndTests.run(["check", "--data", target.path])
    #expect(checkStatus == 0, "\(checkOut)")
  }

  @Test func gb18030ExportToStandardOutput() throws {
    let demo = try EndToEndTests.makeDemo(households: 20)
    defer { try? FileManager.default.removeItem(at: demo) }
    let process = Process()
    process.executableURL = TmuxSession.binary
    process.arguments = ["export", "roster", "--data", demo.path, "--encoding", "gb18030"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let bytes = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(String(data: bytes, encoding: .utf8) == nil)  // GB18030, not UTF-8
    #expect(bytes.starts(with: [0xB4, 0xE5]))  // 村 in GB18030
  }

  @Test func aRejectedFileWritesNothingAndNamesTheRow() throws {
    let target = Self.temporary("rejected")
    let csv = Self.temporary("bad").appendingPathExtension("csv")
    defer {
      try? FileManager.default.removeItem(at: target)
      try? FileManager.default.removeItem(at: csv)
    }
    let text = """
      村（社区）,网格,网格长,户号,姓名,与户主关系,性别,身份证号,联系电话,家庭住址,重点人群
      龙潭村,第1网格,邹锡华,0001,邹锡华,户主,男,43122419650304011X,13807451234,1组1号,
      龙潭村,第1网格,邹锡华,0001,舒桂英,配偶,女,431224196708120122,,1组1号,

      """
    try Data(text.utf8).write(to: csv)
    var (status, out, err) = try EndToEndTests.run([
      "import", "roster", csv.path, "--data", target.path, "--town", "三江镇",
    ])
    #expect(status == 1)
    #expect(out.contains("第3行：身份证号 431224196708120122 有误：校验码错误，应为1"), "\(out)\(err)")
    #expect(out.contains("未导入"))
    #expect(!FileManager.default.fileExists(atPath: target.path))

    try Data(text.replacingOccurrences(of: "120122", with: "120121").utf8).write(to: csv)
    (status, out, err) = try EndToEndTests.run([
      "import", "roster", csv.path, "--data", target.path, "--town", "三江镇", "--dry-run",
    ])
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("检查通过（--dry-run，未写入）：将向 三江镇（新建） 新增 1 个村（社区），1 个网格，1 户，2 人"))
    #expect(!FileManager.default.fileExists(atPath: target.path))

    (status, _, err) = try EndToEndTests.run(["import", "roster", csv.path, "--data", target.path])
    #expect(status == 1)
    #expect(err.contains("--town"))
  }

  /// An import into a town takes the day's backup on the pinned day, like the app's first save.
  @Test func importIntoATownTakesTheBackupOfThePinnedDay() throws {
    let demo = try EndToEndTests.makeDemo(households: 20)
    let csv = Self.temporary("more").appendingPathExtension("csv")
    defer {
      for url in [demo, csv] { try? FileManager.default.removeItem(at: url) }
    }
    let text = """
      村（社区）,网格,网格长,户号,姓名,与户主关系,性别,身份证号,联系电话,家庭住址,重点人群
      新建村,第1网格,舒桂英,0001,舒桂英,户主,女,431224196708120121,,新建村1组1号,

      """
    try Data(text.utf8).write(to: csv)
    let (status, out, err) = try EndToEndTests.run(
      ["import", "roster", csv.path, "--data", demo.path, "--operator", "测试员"],
      environment: ["FIREGRID_TODAY": "2026-12-10"])
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("已导入到"), "\(out)")
    let backups = try FileManager.default.contentsOfDirectory(
      atPath: demo.appendingPathComponent("backups").path)
    #expect(backups == ["2026-12-10"])
  }
}
