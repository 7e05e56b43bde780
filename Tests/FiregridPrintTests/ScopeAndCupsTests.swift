import FiregridModel
import FiregridResources
import Foundation
import Testing

@testable import FiregridPrint

/// Selections written as a clerk writes them, and CUPS' answers told in Chinese.
struct ScopeAndCupsTests {
  static let town: TownData = {
    let longtan = Village(id: "v002", name: "龙潭村", liaison: "周湘中", liaisonPhone: "13907451111")
    let other = Village(id: "v001", name: "三江社区")
    let grids = [
      Grid(id: "g0001", villageID: "v001", name: "第1网格"),
      Grid(id: "g0002", villageID: "v002", name: "第1网格"),
      Grid(id: "g0003", villageID: "v002", name: "第2网格"),
    ]
    let households = [
      Household(id: "h000001", gridID: "g0001", number: "0002", address: "三江社区江滨路1号"),
      Household(id: "h000002", gridID: "g0002", number: "0001", address: "龙潭村1组1号"),
      Household(id: "h000003", gridID: "g0003", number: "0002", address: "龙潭村2组2号"),
      Household(id: "h000004", gridID: "g0002", number: "0003", address: "龙潭村1组3号"),
    ]
    return TownData(
      town: Town(name: "三江镇"), villages: [other, longtan], grids: grids,
      households: households)
  }()

  @Test(arguments: [
    ("龙潭村", PrintScope.Level.village, PrintScope.village("v002")),
    (" 龙潭村 ", .village, .village("v002")),
    ("v001", .village, .village("v001")),
    ("龙潭村/第2网格", .grid, .grid("g0003")),
    ("龙潭村／第2网格", .grid, .grid("g0003")),
    ("龙潭村/2", .grid, .grid("g0003")),
    ("三江社区/第1网格", .grid, .grid("g0001")),
    ("g0002", .grid, .grid("g0002")),
    ("龙潭村/0002", .household, .household("h000003")),
    ("龙潭村/2", .household, .household("h000003")),
    ("三江社区/0002", .household, .household("h000001")),
    ("龙潭村/第1网格/0003", .household, .household("h000004")),
    ("h000002", .household, .household("h000002")),
  ])
  func resolvesWhatAClerkWrites(text: String, level: PrintScope.Level, expected: PrintScope)
    throws
  {
    #expect(try PrintScope.resolve(text, as: level, in: Self.town) == expected)
  }

  @Test func unknownNamesAreToldWithWhatExists() {
    #expect(
      throws: PrintError.notFound(
        "没有找到村（社区）“龙谭村”。本镇的村（社区）有：三江社区、龙潭村。")
    ) { try PrintScope.resolve("龙谭村", as: .village, in: Self.town) }
    #expect(
      throws: PrintError.notFound("龙潭村没有“第9网格”。龙潭村的网格有：第1网格、第2网格。")
    ) { try PrintScope.resolve("龙潭村/第9网格", as: .grid, in: Self.town) }
    #expect(throws: PrintError.notFound(PrintText.unknownHousehold("0009", village: "龙潭村"))) {
      try PrintScope.resolve("龙潭村/0009", as: .household, in: Self.town)
    }
    // The household is in 第1网格, not 第2网格.
    #expect(throws: PrintError.self) {
      try PrintScope.resolve("龙潭村/第2网格/0003", as: .household, in: Self.town)
    }
    #expect(throws: PrintError.self) { try PrintScope.resolve("龙潭村", as: .grid, in: Self.town) }
    #expect(throws: PrintError.self) { try PrintScope.resolve("", as: .village, in: Self.town) }
  }

  @Test func scopesListTheirHouseholdsInRosterOrderAndNameThemselves() {
    #expect(
      PrintScope.village("v002").households(in: Self.town).map(\.id) == [
        "h000002", "h000004", "h000003",
      ])
    #expect(PrintScope.grid("g0003").label(in: Self.town) == "龙潭村第2网格")
    #expect(PrintScope.household("h000003").label(in: Self.town) == "龙潭村0002户")
  }

  @Test func chineseOrdinalsForTheNoticesPoints() {
    let expected = ["一、", "二、", "九、", "十、", "十一、", "十三、", "二十、", "二十一、"]
    #expect([1, 2, 9, 10, 11, 13, 20, 21].map(PrintText.point) == expected)
  }

  @Test func theJobIDIsReadFromLP() {
    #expect(
      CupsPrinter.jobID(in: "request id is firegrid-pdf-12 (1 file(s))\n") == "firegrid-pdf-12")
    #expect(CupsPrinter.jobID(in: "lp: Error - no default destination available.") == nil)
  }

  @Test func cupsRefusalsAreToldInChinese() {
    func told(_ output: String, running: Bool = true) -> PrintError {
      CupsPrinter.error(
        fromLP: output, printer: "office", schedulerRunning: running, available: ["desk"])
    }
    #expect(told("lp: Error - Scheduler not responding.") == .cupsNotRunning)
    #expect(
      told("lp: Destination \"office\" is not accepting jobs.") == .printerRefused(name: "office"))
    let missing = "lp: Error - The printer or class does not exist."
    #expect(told(missing) == .printerNotFound(name: "office", available: ["desk"]))
    #expect(told(missing).message == "没有名为“office”的打印机。可用的打印机：desk。")
    // With the scheduler down lp calls every printer missing; the clerk must start CUPS.
    #expect(told(missing, running: false) == .cupsNotRunning)
    let other = told("lp: Unsupported document-format")
    #expect(other == .printFailed(detail: "lp: Unsupported document-format"))
    #expect(other.message == "打印失败：lp: Unsupported document-format")
    #expect(PrintError.cupsNotRunning.message.contains("CUPS"))
  }

  @Test func theDefaultPrinterFollowsLPDEST() {
    #expect(CupsPrinter.defaultPrinter(environment: ["LPDEST": "office"]) == "office")
    #expect(CupsPrinter.defaultPrinter(environment: ["PRINTER": "desk"]) == "desk")
  }

  @Test func theTextsFileIsCheckedForFormatAndVersion() throws {
    let bundled = try ResourceFiles.data(named: PrintContent.textsFileName)
    #expect(try PrintContent.decode(texts: bundled).notice.points.count == 13)
    let newer = String(decoding: bundled, as: UTF8.self).replacingOccurrences(
      of: "\"version\": 1", with: "\"version\": 99")
    #expect(throws: PrintError.self) { try PrintContent.decode(texts: Data(newer.utf8)) }
    let other = String(decoding: bundled, as: UTF8.self).replacingOccurrences(
      of: "firegrid.print-texts", with: "firegrid.demo-names")
    #expect(throws: PrintError.self) { try PrintContent.decode(texts: Data(other.utf8)) }
  }
}
