import FiregridModel
import Foundation
import Testing

@testable import FiregridSheets

/// Our XLSX opened by another program: LibreOffice Calc (headless) converts it to CSV, and the
/// cells are what a clerk would see — ID numbers whole, 户号 with its zeros, shares as 12.5%.
/// `make test` installs LibreOffice (libreoffice-calc-nogui), so a missing soffice fails here
/// rather than skipping.
struct LibreOfficeTests {
  static func findSoffice() -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let url = URL(fileURLWithPath: String(folder)).appendingPathComponent("soffice")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
  }

  /// Converts `xlsx` to CSV (UTF-8, comma, cells as shown) in `folder` and returns its rows.
  static func convert(_ xlsx: URL, in folder: URL) throws -> [[String]] {
    let soffice = try #require(
      findSoffice(), "找不到 soffice：请安装 libreoffice-calc-nogui（make test 会自动安装）")
    let process = Process()
    process.executableURL = soffice
    // A private profile, so parallel runs (and a clerk's own LibreOffice) do not clash.
    let profile = folder.appendingPathComponent("profile")
    process.arguments = [
      "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore",
      "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
      "--outdir", folder.path, xlsx.path,
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let log = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: log, as: UTF8.self)
    try #require(process.terminationStatus == 0, "soffice: \(text)")
    let csv = folder.appendingPathComponent(
      xlsx.deletingPathExtension().lastPathComponent + ".csv")
    let data = try #require(
      FileManager.default.contents(atPath: csv.path), "soffice 没有写出 CSV：\(text)")
    return parseCSV(String(decoding: data, as: UTF8.self))
  }

  /// Just enough RFC 4180 to read LibreOffice's CSV back.
  static func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var cell = ""
    var quoted = false
    var characters = text.makeIterator()
    var pending: Character? = nil
    while let character = pending ?? characters.next() {
      pending = nil
      if quoted {
        if character == "\"" {
          if let next = characters.next() {
            if next == "\"" {
              cell.append("\"")
            } else {
              quoted = false
              pending = next
            }
          } else {
            quoted = false
          }
        } else {
          cell.append(character)
        }
        continue
      }
      switch character {
      case "\"": quoted = true
      case ",":
        row.append(cell)
        cell = ""
      case "\n", "\r\n":
        row.append(cell)
        rows.append(row)
        row = []
        cell = ""
      default: cell.append(character)
      }
    }
    if !cell.isEmpty || !row.isEmpty {
      row.append(cell)
      rows.append(row)
    }
    return rows
  }

  @Test func libreOfficeSeesTheCellsAsWritten() throws {
    let folder = try XLSXTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let xlsx = folder.appendingPathComponent("report.xlsx")
    try XLSXWriter.write(Workbook(report: XLSXTests.report), to: xlsx)
    let rows = try Self.convert(xlsx, in: folder)
    let trimmed = rows.map { row in
      var cells = row
      while cells.last == "" { cells.removeLast() }
      return cells
    }
    #expect(trimmed.count == 10)
    #expect(trimmed[0] == ["三江镇消防安全入户走访进度表"])
    #expect(trimmed[2] == ["户号", "户主", "身份证号", "人数", "完成率"])
    #expect(trimmed[3] == ["0001", "邹锡华", "431224195604120011", "3", "12.5%"])
    #expect(trimmed[4] == ["0002", "舒桂英", "43122419650304011X", "1", "100.0%"])
    #expect(trimmed[5] == ["0010", "向 红", "", "0", "0.0%"])
    #expect(trimmed[6] == ["合计", "", "", "4", "50.0%"])
    #expect(trimmed[9] == ["填表人：李明  联系电话：07451234567"])
  }
}
