import FiregridModel
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// A report writer that keeps what it was given instead of writing.
final class RecordingReportWriter: ReportWriting, @unchecked Sendable {
  private let lock = NSLock()
  private var written: [(Report, String)] = []
  private var requested: [ReportRequest] = []
  var reports: [(Report, String)] { lock.withLock { written } }
  var requests: [ReportRequest] { lock.withLock { requested } }

  func write(_ request: ReportRequest, town: TownData) -> Result<String, PrintFailure> {
    lock.withLock { requested.append(request) }
    return .success("/home/文员/\(request.kind.rawValue).\(request.format.rawValue)")
  }

  func write(_ report: Report, to path: String) -> Result<String, PrintFailure> {
    guard path.hasSuffix(".xlsx") || path.hasSuffix(".csv") || path.hasSuffix(".pdf") else {
      return .failure(PrintFailure("不认识的文件类型"))
    }
    lock.withLock { written.append((report, path)) }
    return .success("/home/文员/" + (path as NSString).lastPathComponent)
  }
}

/// `o` on any list writes what is shown, filter included, to a spreadsheet.
struct ExportTests {
  let folder = DataFolder(url: URL(fileURLWithPath: "/tmp/firegrid-test-never-written"))

  func run(_ keys: [Key], writer: RecordingReportWriter) -> (AppRunner, VirtualTerminal) {
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type(keys)
    let runner = AppRunner(
      state: ScreenTesting.mainState(), terminal: terminal,
      location: JSONFolderLocation(folder: folder, clock: ScreenTesting.clock),
      importer: RosterSpreadsheetImporter(), reports: writer, settling: .everything)
    runner.run()
    return (runner, terminal)
  }

  @Test func aFilteredHouseholdListIsExportedAsShown() throws {
    let writer = RecordingReportWriter()
    // 龙潭村 → 第1网格, filter 建国 (every head), then o and Ctrl-S on the offered name.
    let (runner, terminal) = run(
      [.enter, .enter, .character("f")] + "邹".map { .character($0) }
        + [.enter, .character("o"), .control("s")], writer: writer)
    let (report, path) = try #require(writer.reports.first)
    #expect(path.hasPrefix("~/消防网格导出/") && path.hasSuffix("-2026-11-29.xlsx"))
    let table = try #require(report.tables.first)
    #expect(table.title == "三江镇 > 龙潭村 > 第1网格")
    #expect(table.scope == "筛选：邹")
    #expect(table.rows.count == 1)
    // 户号 stays text (its leading zeros), 人数 is a count.
    #expect(table.columns.first { $0.label == "户号" }?.kind == .code)
    #expect(table.rows[0].first == .text("0001"))
    #expect(table.columns.first { $0.label == "人数" }?.kind == .count)
    #expect(!runner.state.hasOverlay)
    #expect(terminal.screenText.contains("已导出：/home/文员/"))
  }

  @Test func anUnknownExtensionIsRefusedAndTheFormStays() {
    let writer = RecordingReportWriter()
    var keys: [Key] = [.character("o")]
    keys += Array(repeating: Key.backspace, count: 4) + "txt".map { .character($0) }
    keys.append(.control("s"))
    let (runner, terminal) = run(keys, writer: writer)
    #expect(writer.reports.isEmpty)
    #expect(runner.state.overlay(ExportOverlay.self) != nil)
    #expect(terminal.screenText.contains("不认识的文件类型"))
  }

  /// 统计报表: Enter, choose 龙潭村 and PDF, Ctrl-S: the request as chosen, the round being
  /// worked on preset.
  @Test func aReportIsAskedForFromTheStatisticsSection() throws {
    let writer = RecordingReportWriter()
    let (runner, terminal) = run(
      [.character("4"), .enter, .tab, .right, .tab, .tab, .right, .right, .tab, .tab]
        + "李审核".map { .character($0) } + [.control("s")],
      writer: writer)
    let request = try #require(writer.requests.first)
    #expect(request.kind == .statistics)
    #expect(request.villageID == "v001")
    #expect(request.round == 1)
    #expect(request.format == .pdf)
    #expect(request.day == ScreenTesting.today)
    #expect(request.operatorName == "测试员")
    #expect(request.reviewer == "李审核")
    #expect(request.hazardState == .all)
    #expect(!runner.state.hasOverlay)
    #expect(terminal.screenText.contains("已导出：/home/文员/statistics.pdf"))
  }

  @Test func withoutAWriterTheKeySaysSo() {
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.character("o")])
    let runner = AppRunner(state: ScreenTesting.mainState(), terminal: terminal, folder: folder)
    runner.run()
    #expect(runner.state.message == ExportText.notAvailable)
  }
}

/// 统计报表's bars: `b` shows each village's round in `#` and `.`, within 80 columns.
struct StatisticsBarsTests {
  @Test func barsFitEightyColumnsAndCountTheRound() throws {
    var state = try KeymapTests.mainState()
    _ = state.update(.key(.character("4")))
    _ = state.update(.key(.character("b")))
    let lines = AppView.render(state).0.textLines
    #expect(lines.contains { $0.contains("各村（社区）走访率") })
    // 龙潭村's 16 households, none visited in round 2 (the visits are in round 1).
    let village = try #require(lines.first { $0.contains("龙潭村") && $0.contains("[") })
    #expect(village.contains("0/16"))
    #expect(lines.allSatisfy { $0.displayWidth <= 80 })
    #expect(lines.contains { $0.contains("隐患已整改") })
  }
}
