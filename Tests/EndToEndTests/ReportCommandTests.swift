import Foundation
import Testing

/// `firegrid report` as a clerk runs it: the statistics table as CSV, XLSX (read back by
/// LibreOffice) and PDF (read back by pdftotext) agreeing with each other and adding up; the
/// county's merge of three towns; refused inputs.
struct ReportCommandTests {
  static let day = ["FIREGRID_TODAY": "2026-12-04"]

  static func report(_ arguments: [String]) throws -> (Int32, String, String) {
    try EndToEndTests.run(["report"] + arguments, environment: day)
  }

  /// RFC 4180 rows of a CSV file (a byte-order mark at the start is dropped).
  static func rows(_ url: URL) throws -> [[String]] {
    var text = try String(contentsOf: url, encoding: .utf8)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    var rows: [[String]] = []
    var row: [String] = []
    var cell = ""
    var quoted = false
    var iterator = Array(text).makeIterator()
    while let character = iterator.next() {
      if quoted {
        if character == "\"" {
          if let next = iterator.next() {
            if next == "\"" {
              cell.append("\"")
            } else {
              quoted = false
              if next == "," {
                row.append(cell)
                cell = ""
              } else if next == "\n" || next == "\r\n" {
                row.append(cell)
                rows.append(row)
                (row, cell) = ([], "")
              } else {
                cell.append(next)
              }
            }
          } else {
            quoted = false
          }
        } else {
          cell.append(character)
        }
      } else if character == "\"" {
        quoted = true
      } else if character == "," {
        row.append(cell)
        cell = ""
      } else if character == "\n" || character == "\r\n" {
        row.append(cell)
        rows.append(row)
        (row, cell) = ([], "")
      } else {
        cell.append(character)
      }
    }
    if !cell.isEmpty || !row.isEmpty { rows.append(row + [cell]) }
    return rows
  }

  /// The statistics table's header, its village (or town) rows and its 合计 row.
  static func table(_ rows: [[String]]) throws -> (
    header: [String], body: [[String]], total: [String]
  ) {
    let start = try #require(rows.firstIndex { $0.first == "村（社区）" || $0.first == "乡镇" })
    let end = try #require(rows.firstIndex { $0.first == "合计" })
    return (rows[start], Array(rows[(start + 1)..<end]), rows[end])
  }

  /// LibreOffice Calc's own reading of a workbook's first sheet, as CSV rows.
  static func libreOffice(_ xlsx: URL, in folder: URL) throws -> [[String]] {
    let soffice = try #require(
      ["/usr/bin/soffice", "/usr/local/bin/soffice"].first {
        FileManager.default.isExecutableFile(atPath: $0)
      }, "找不到 soffice：make test 会安装 libreoffice-calc-nogui")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: soffice)
    let profile = folder.appendingPathComponent("profile")
    let converted = folder.appendingPathComponent("lo")
    process.arguments = [
      "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore",
      "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
      "--outdir", converted.path, xlsx.path,
    ]
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)
    return try rows(
      converted.appendingPathComponent(xlsx.deletingPathExtension().lastPathComponent + ".csv"))
  }

  @Test func theStatisticsTableAddsUpAndReadsTheSameInEveryFormat() throws {
    let demo = try EndToEndTests.makeDemo(households: 80)
    let out = ImportExportTests.temporary("report")
    defer { for url in [demo, out] { try? FileManager.default.removeItem(at: url) } }
    for ext in ["csv", "xlsx", "pdf"] {
      let (status, output, err) = try Self.report([
        "stats", "--data", demo.path, "--round", "1", "--operator", "王文书", "--reviewer",
        "李审核", "--out", out.appendingPathComponent("统计.\(ext)").path,
      ])
      #expect(status == 0, "\(output)\(err)")
    }
    let csv = try Self.rows(out.appendingPathComponent("统计.csv"))
    let (header, villages, total) = try Self.table(csv)
    #expect(header.contains("已走访户数") && header.contains("走访率"))
    // The signature footer: who filled it in and who checked it.
    #expect(csv.contains(["填表人：王文书"]) && csv.contains(["审核人：李审核"]))
    #expect(!villages.isEmpty)
    // Every count column's 合计 is the sum of the villages.
    for (index, label) in header.enumerated() where index > 0 && !label.contains("率") {
      let sum = villages.reduce(0) { $0 + (Int($1[index]) ?? 0) }
      #expect(Int(total[index]) == sum, "\(label): \(total[index]) ≠ \(sum)")
    }
    // LibreOffice reads the workbook's cells as our CSV wrote them (counts as numbers).
    let calc = try Self.table(try Self.libreOffice(out.appendingPathComponent("统计.xlsx"), in: out))
    #expect(calc.header == header)
    for (ours, theirs) in zip(villages + [total], calc.body + [calc.total]) {
      for (index, label) in header.enumerated() where !label.contains("率") {
        #expect(ours[index] == theirs[index], "\(label): \(ours[index]) vs \(theirs[index])")
      }
    }
    // The detail sheet keeps 户号 as text: its leading zeros are there in the CSV.
    #expect(csv.contains { $0.count > 1 && $0[1].hasPrefix("00") })
    let (_, pdf, _) = try EndToEndTests.shell(
      "pdftotext '\(out.appendingPathComponent("统计.pdf").path)' - 2>/dev/null")
    #expect(pdf.contains("消防安全行动统计表"))
    #expect(pdf.contains("合计"))
    #expect(pdf.contains("各村（社区）本期走访率"))
    #expect(pdf.replacingOccurrences(of: " ", with: "").contains("第1页共"))
  }

  @Test func anUnknownExtensionIsRefusedAndNothingIsWritten() throws {
    let demo = try EndToEndTests.makeDemo(households: 20)
    let out = ImportExportTests.temporary("report-bad")
    defer { for url in [demo, out] { try? FileManager.default.removeItem(at: url) } }
    let target = out.appendingPathComponent("统计.xls")
    let (status, _, err) = try Self.report(["stats", "--data", demo.path, "--out", target.path])
    #expect(status == 1)
    #expect(err.contains("不认识的文件类型"))
    #expect(!FileManager.default.fileExists(atPath: target.path))
  }

  /// Three towns' tables of one round make the county's: a row per town (its 合计), the sums,
  /// the share worked out again from the sums. Another round, or another report, is refused.
  @Test func theCountyMergesThreeTownsOfOneRound() throws {
    var towns: [URL] = []
    var files: [URL] = []
    let out = ImportExportTests.temporary("report-merge")
    defer { for url in towns + [out] { try? FileManager.default.removeItem(at: url) } }
    var expected: [[String]] = []
    for (index, households) in [30, 40, 50].enumerated() {
      let folder = ImportExportTests.temporary("town\(index)")
      let (status, _, err) = try EndToEndTests.run([
        "demo", "--data", folder.path, "--households", "\(households)", "--seed", "\(11 + index)",
      ])
      #expect(status == 0, "\(err)")
      towns.append(folder)
      let file = out.appendingPathComponent("镇\(index).xlsx")
      _ = try Self.report(["stats", "--data", folder.path, "--round", "1", "--out", file.path])
      files.append(file)
      let csv = out.appendingPathComponent("镇\(index).csv")
      _ = try Self.report(["stats", "--data", folder.path, "--round", "1", "--out", csv.path])
      expected.append(try Self.table(try Self.rows(csv)).total)
    }
    let county = out.appendingPathComponent("全县.csv")
    let (status, output, err) = try Self.report(
      ["stats", "--merge"] + files.map(\.path) + ["--county", "溆浦县", "--out", county.path])
    #expect(status == 0, "\(output)\(err)")
    let (header, rows, total) = try Self.table(try Self.rows(county))
    #expect(header.first == "乡镇")
    #expect(rows.count == 3)
    for (row, town) in zip(rows, expected) {
      #expect(Array(row.dropFirst()) == Array(town.dropFirst()))
    }
    let visited = try #require(header.firstIndex(of: "已走访户数"))
    let toVisit = try #require(header.firstIndex(of: "应走访户数"))
    let share = try #require(header.firstIndex(of: "走访率"))
    let sumVisited = expected.reduce(0) { $0 + Int($1[visited])! }
    let sumToVisit = expected.reduce(0) { $0 + Int($1[toVisit])! }
    #expect(Int(total[visited]) == sumVisited && Int(total[toVisit]) == sumToVisit)
    // e.g. 111 of 120 households: 92.5% (one decimal, worked out from the sums, not averaged).
    let percent = (Double(sumVisited) / Double(sumToVisit) * 1000).rounded() / 10
    let text = percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
    #expect(total[share] == text)

    let round2 = out.appendingPathComponent("镇0-第2轮.xlsx")
    _ = try Self.report(["stats", "--data", towns[0].path, "--round", "2", "--out", round2.path])
    let (mixed, _, mixedErr) = try Self.report([
      "stats", "--merge", files[1].path, round2.path, "--out",
      out.appendingPathComponent("x.xlsx").path,
    ])
    #expect(mixed == 1)
    #expect(mixedErr.contains("不是同一期"))
    let elderly = out.appendingPathComponent("独居.xlsx")
    _ = try Self.report(["elderly", "--data", towns[0].path, "--out", elderly.path])
    let (other, _, otherErr) = try Self.report([
      "stats", "--merge", elderly.path, "--out", out.appendingPathComponent("y.xlsx").path,
    ])
    #expect(other == 1)
    #expect(otherErr.contains("不是本程序导出的统计表"))
  }
}
