import Foundation
import Testing

/// `firegrid export roster --out F.xlsx` and `firegrid import roster F.xlsx` as a clerk runs
/// them: the workbook holds what the CSV holds, and a town goes out and comes back the same.
@Suite(.serialized)
struct XLSXRosterTests {
  @Test func exportImportExportAsXLSXGivesTheSameTown() throws {
    let demo = try EndToEndTests.makeDemo(households: 120)
    let target = ImportExportTests.temporary("xlsx-import")
    let xlsx = ImportExportTests.temporary("roster").appendingPathExtension("xlsx")
    let again = ImportExportTests.temporary("again").appendingPathExtension("xlsx")
    let csv = ImportExportTests.temporary("roster").appendingPathExtension("csv")
    let csvAgain = ImportExportTests.temporary("again").appendingPathExtension("csv")
    defer {
      for url in [demo, target, xlsx, again, csv, csvAgain] {
        try? FileManager.default.removeItem(at: url)
      }
    }
    var (status, out, err) = try EndToEndTests.run([
      "export", "roster", "--data", demo.path, "--out", xlsx.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(err.contains("已导出 120 户"), "\(err)")
    #expect(err.contains("Excel 工作簿"), "\(err)")
    let exported = try Data(contentsOf: xlsx)
    #expect(Array(exported.prefix(2)) == [0x50, 0x4B])  // a ZIP, not a CSV
    let mode = try FileManager.default.attributesOfItem(atPath: xlsx.path)[.posixPermissions]
    #expect((mode as? NSNumber)?.intValue == 0o600)

    (status, out, err) = try EndToEndTests.run([
      "import", "roster", xlsx.path, "--data", target.path, "--town", "三江镇", "--operator", "测试员",
    ])
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("工作表「花名册」"), "\(out)")
    #expect(out.contains("已导入到 三江镇（新建）"), "\(out)")
    #expect(out.contains("120 户"), "\(out)")

    (status, _, err) = try EndToEndTests.run([
      "export", "roster", "--data", target.path, "--out", again.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(try Data(contentsOf: again) == exported)

    // The same people, ID numbers and 户号 as the CSV of the original town.
    for (folder, file) in [(demo, csv), (target, csvAgain)] {
      (status, _, err) = try EndToEndTests.run([
        "export", "roster", "--data", folder.path, "--out", file.path,
      ])
      #expect(status == 0, "\(err)")
    }
    #expect(try Data(contentsOf: csvAgain) == Data(contentsOf: csv))
    let text = try String(contentsOf: csv, encoding: .utf8)
    #expect(text.contains(",0001,"))

    // A named sheet that is not there.
    (status, out, err) = try EndToEndTests.run([
      "import", "roster", xlsx.path, "--sheet", "Sheet9", "--data", target.path, "--dry-run",
    ])
    #expect(status == 1)
    #expect(err.contains("没有名为「Sheet9」的工作表；有：花名册"), "\(err)")
  }

  @Test func unknownExtensionsAreRefusedNotGuessed() throws {
    let demo = try EndToEndTests.makeDemo(households: 10)
    let xls = ImportExportTests.temporary("roster").appendingPathExtension("xls")
    let fake = ImportExportTests.temporary("fake").appendingPathExtension("xlsx")
    let target = ImportExportTests.temporary("target")
    defer {
      for url in [demo, xls, fake, target] { try? FileManager.default.removeItem(at: url) }
    }
    var (status, _, err) = try EndToEndTests.run([
      "export", "roster", "--data", demo.path, "--out", xls.path,
    ])
    #expect(status == 1)
    #expect(err.contains("不支持的文件类型"), "\(err)")
    #expect(!FileManager.default.fileExists(atPath: xls.path))

    try Data("村（社区）,网格\n".utf8).write(to: xls)
    (status, _, err) = try EndToEndTests.run([
      "import", "roster", xls.path, "--data", target.path, "--town", "三江镇",
    ])
    #expect(status == 1)
    #expect(err.contains("不支持的文件类型"), "\(err)")

    // A CSV renamed .xlsx is named for what it is.
    try Data("村（社区）,网格\n".utf8).write(to: fake)
    (status, _, err) = try EndToEndTests.run([
      "import", "roster", fake.path, "--data", target.path, "--town", "三江镇",
    ])
    #expect(status == 1)
    #expect(err.contains("不是 Excel 工作簿"), "\(err)")
    #expect(
      !FileManager.default.fileExists(atPath: target.appendingPathComponent("town.json").path))

    (status, _, err) = try EndToEndTests.run([
      "export", "roster", "--data", demo.path, "--out", fake.path, "--encoding", "gb18030",
    ])
    #expect(status == 1)
    #expect(err.contains("--encoding 只用于 CSV"), "\(err)")
  }
}
