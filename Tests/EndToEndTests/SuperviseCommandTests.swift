import Foundation
import Testing

/// `firegrid supervise` as an inspector runs it on a demo town with a season of visits: the
/// same seed draws the same households and another seed others, the seed is printed on the
/// check sheet (read back with pdftotext) without phones or ID numbers, and a round's 通报批评
/// and 约谈 drafts are written as PDF and XLSX with the facts.
@Suite(.serialized)
struct SuperviseCommandTests {
  static let day = ["FIREGRID_TODAY": "2026-12-20"]

  static func supervise(_ arguments: [String]) throws -> (Int32, String, String) {
    try EndToEndTests.run(["supervise"] + arguments, environment: day)
  }

  static func demo() throws -> URL {
    let folder = ImportExportTests.temporary("supervise-demo")
    let (status, _, err) = try EndToEndTests.run(
      ["demo", "--data", folder.path, "--households", "150", "--seed", "5"], environment: day)
    #expect(status == 0, "demo failed: \(err)")
    return folder
  }

  @Test func theSameSeedDrawsTheSameHouseholdsAndTheSheetPrintsIt() throws {
    let demo = try Self.demo()
    let out = ImportExportTests.temporary("supervise-sheet")
    defer {
      try? FileManager.default.removeItem(at: demo)
      try? FileManager.default.removeItem(at: out)
    }
    let arguments = ["sample", "--data", demo.path, "--round", "2", "--per-village", "3"]
    let (status, first, err) = try Self.supervise(arguments + ["--seed", "42"])
    #expect(status == 0, "\(err)")
    #expect(first.contains("随机种子 42"))
    let (_, again, _) = try Self.supervise(arguments + ["--seed", "42"])
    #expect(again == first)
    let (_, other, _) = try Self.supervise(arguments + ["--seed", "43"])
    #expect(other != first)
    // Rows after the seed line and the header: 3 a village, every village of the demo.
    let rows = first.split(separator: "\n").dropFirst(2)
    #expect(!rows.isEmpty && rows.count % 3 == 0, "\(first)")
    // Premises on request: a list of their own after the households', drawn the same way
    // again, the households' list unchanged.
    let withPremises = arguments + ["--seed", "42", "--premises-per-village", "2"]
    let (premisesStatus, premises, premisesErr) = try Self.supervise(withPremises)
    #expect(premisesStatus == 0, "\(premisesErr)")
    #expect(premises.hasPrefix(first))
    #expect(premises.contains("场所名称\t类别"))
    #expect(try Self.supervise(withPremises).1 == premises)
    // Without a seed one is drawn and said, so the list can be drawn again.
    let (_, random, _) = try Self.supervise(arguments)
    let seedLine = try #require(random.split(separator: "\n").first)
    #expect(seedLine.hasPrefix("随机种子 "))

    let sheet = out.appendingPathComponent("核查表.pdf")
    let (written, _, writeErr) = try Self.supervise(
      arguments + ["--seed", "42", "--out", sheet.path])
    #expect(written == 0, "\(writeErr)")
    let (_, text, _) = try EndToEndTests.shell("pdftotext '\(sheet.path)' - 2>/dev/null")
    let flat = text.replacingOccurrences(of: " ", with: "")
    #expect(flat.contains("入户抽查名单"))
    #expect(flat.contains("随机种子42"))
    #expect(flat.contains("--seed42"))
    // No phone number or ID number on a sheet carried from door to door.
    #expect(text.range(of: #"1[3-9][0-9]{9}"#, options: .regularExpression) == nil)
    #expect(text.range(of: #"[0-9]{17}[0-9X]"#, options: .regularExpression) == nil)
  }

  @Test func aRoundsNoticesAreWrittenAsPDFAndXLSXWithTheFacts() throws {
    let demo = try Self.demo()
    let out = ImportExportTests.temporary("supervise-notices")
    defer {
      try? FileManager.default.removeItem(at: demo)
      try? FileManager.default.removeItem(at: out)
    }
    let pdf = out.appendingPathComponent("通报.pdf")
    let (status, said, err) = try Self.supervise([
      "notices", "--data", demo.path, "--round", "2", "--out", pdf.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(said.contains("通报批评"))
    let (_, text, _) = try EndToEndTests.shell("pdftotext '\(pdf.path)' - 2>/dev/null")
    let flat = text.replacingOccurrences(of: " ", with: "")
    #expect(flat.contains("通报批评名单"))
    #expect(flat.contains("约谈名单"))
    #expect(flat.contains("签发人"))
    // No notice issued yet in the demo: nobody can be on the 约谈 list.
    #expect(said.contains("约谈 0 人"), "\(said)")

    let xlsx = out.appendingPathComponent("通报.xlsx")
    let (xlsxStatus, _, xlsxErr) = try Self.supervise([
      "notices", "--data", demo.path, "--round", "2", "--out", xlsx.path,
    ])
    #expect(xlsxStatus == 0, "\(xlsxErr)")
    let rows = try ReportCommandTests.libreOffice(xlsx, in: out)
    let named = rows.filter { $0.count > 3 && Int($0[0]) != nil }.map { $0[1] }
    // Every name on the sheet is in the PDF too: the two are one draft.
    for name in named { #expect(flat.contains(name), "\(name) missing from the PDF") }

    // Round 3 runs until 12-31: nobody is behind yet, so there is no list to write.
    let (running, _, runningErr) = try Self.supervise([
      "notices", "--data", demo.path, "--round", "3", "--out", pdf.path,
    ])
    #expect(running != 0)
    #expect(runningErr.contains("才到期"))

    let (bad, _, badErr) = try Self.supervise([
      "notices", "--data", demo.path, "--round", "12", "--out", pdf.path,
    ])
    #expect(bad != 0)
    #expect(badErr.contains("轮"))
  }
}
