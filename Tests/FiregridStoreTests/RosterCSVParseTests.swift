import FiregridModel
import Foundation
import Testing

@testable import FiregridStore

/// Helpers shared by the roster import/export tests.
enum RosterCSVTesting {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
  }

  static let header = "村（社区）,网格,网格长,户号,姓名,与户主关系,性别,身份证号,联系电话,家庭住址,重点人群"

  /// A table from CSV lines (the header is not added).
  static func table(_ lines: [String]) throws -> RosterCSV.Table {
    try RosterCSV.parse(Array((lines.joined(separator: "\n") + "\n").utf8))
  }

  /// A table with the standard header and these data lines (data starts on row 2).
  static func rows(_ lines: [String]) throws -> RosterCSV.Table {
    try table([header] + lines)
  }

  /// A valid ID number: region 431224, born 1960-01-01 plus `n` days' worth of variety.
  static func id(_ n: Int, male: Bool = true) -> String {
    let birth = CivilDate(year: 1950 + n % 50, month: 1 + n % 12, day: 1 + n % 28)
    let sequence = (n % 400) * 2 + (male ? 1 : 2)
    return IDNumber.make(region: "431224", birth: birth, sequence: sequence)!
  }

  /// One person line: village, grid, leader, number, name, relation, sex, id, phone, address,
  /// groups.
  static func line(
    village: String = "龙潭村", grid: String = "第1网格", leader: String = "", number: String,
    name: String, relation: String = "户主", sex: String = "男", id: String = "",
    phone: String = "", address: String = "", groups: String = ""
  ) -> String {
    [village, grid, leader, number, name, relation, sex, id, phone, address, groups]
      .joined(separator: ",")
  }

  static func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-roster-\(UUID().uuidString)")
  }

  /// Every file under `url` (relative path → bytes), to show a folder was not touched.
  static func snapshot(_ url: URL) -> [String: Data] {
    var result: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: url.path) else { return result }
    for case let path as String in walker {
      let file = url.appendingPathComponent(path)
      var isFolder: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder)
      result[path] =
        !exists || isFolder.boolValue ? Data() : (try? Data(contentsOf: file)) ?? Data()
    }
    return result
  }

  static func demoNames() throws -> DemoTownGenerator.Names {
    let url = packageRoot.appendingPathComponent("Resources/Data/demo-names.json")
    return try JSONDecoder().decode(DemoTownGenerator.Names.self, from: Data(contentsOf: url))
  }

  static func demoTown(households: Int, seed: UInt64 = 3) throws -> TownData {
    try DemoTownGenerator(names: demoNames(), seed: seed).generate(households: households)
  }
}

struct RosterCSVParseTests {
  typealias T = RosterCSVTesting

  @Test func utf8WithByteOrderMarkAliasesAndQuotes() throws {
    let table = try RosterCSV.parse(T.fixture("roster-utf8-bom.csv"))
    #expect(table.encoding == .utf8)
    #expect(table.rows[0][0] == "村")  // the BOM is gone
    // RFC 4180: a comma and doubled quotes inside quotes; a CRLF inside quotes is one row.
    #expect(table.rows[1][9] == "三江镇龙潭村1组1号,东头")
    #expect(table.rows[1][11] == "说\"老屋\"在后面")
    #expect(table.rows[3][9] == "三江镇龙潭村1组2号\n（老屋）")
    #expect(table.rows.count == 5)

    let plan = RosterCSV.plan(table, into: TownData(town: Town(name: "三江镇")))
    #expect(plan.problems == [])
    #expect(plan.ignoredColumns == ["备注"])
    #expect(plan.dataRows == 3)  // the blank row 5 is not counted
    #expect(plan.newHouseholds.map(\.number) == ["0001", "0002"])  // ０００１ and '0002 folded
    let first = plan.newHouseholds[0]
    #expect(first.address == "三江镇龙潭村1组1号,东头")
    #expect(first.persons.map(\.name) == ["邹锡华", "舒桂英"])
    #expect(first.persons[0].idNumber == "43122419650304011X")  // full-width folded
    #expect(first.persons[1].idNumber == "431224196708120121")
    #expect(first.persons[0].phone == "13807451234")  // spaces removed
    #expect(first.persons[1].groups == [.elderlyLivingAlone, .elderlyWithoutFamily])
    let second = plan.newHouseholds[1]
    #expect(second.persons[0].relation == "户主")  // 本人
    #expect(second.persons[0].groups == [.leftBehindWoman, .disabled])
    #expect(second.persons[0].phone == "0745-3123456")
    #expect(plan.newVillages.map(\.name) == ["龙潭村"])  // "龙潭村 " trimmed, one village
    #expect(plan.newGrids.first?.gridLeaderID == first.persons[0].id)
  }

  @Test func gb18030IsDetectedAndDecoded() throws {
    let bytes = try T.fixture("roster-gb18030.csv")
    #expect(String(validating: bytes, as: UTF8.self) == nil)  // really not UTF-8
    let table = try RosterCSV.parse(bytes)
    #expect(table.encoding == .gb18030)
    #expect(table.rows[0][1] == "村(社区)")
    let plan = RosterCSV.plan(table, into: TownData(town: Town(name: "三江镇")))
    #expect(plan.problems == [])
    #expect(plan.ignoredColumns == ["序号"])
    #expect(plan.newVillages.map(\.name) == ["江东社区"])
    // 䶮 is a four-byte GB18030 character.
    #expect(plan.newHouseholds[0].persons.map(\.name) == ["黄伟", "王䶮"])
    #expect(plan.newHouseholds[1].persons[0].groups == [.elderlyLivingAlone])
  }

  @Test func gb18030MadeByIconvMatchesOurEncoder() throws {
    let text = "村（社区）,姓名\n龙潭村,王䶮\n"
    let bytes = try TextEncoding.encode(text, as: .gb18030, byteOrderMark: false)
    let decoded = try TextEncoding.decode(bytes)
    #expect(decoded.encoding == .gb18030)
    #expect(decoded.text == text)
    #expect(bytes.count < Array(text.utf8).count)  // two bytes a character, not three
  }

  @Test func bytesThatAreNeitherUTF8NorGB18030AreRefusedWithTheirLine() throws {
    // GBK text, then a lead byte with no second byte.
    let gbk = try TextEncoding.encode("姓名,村\n龙潭村,张三\n", as: .gb18030, byteOrderMark: false)
    let bytes = gbk + [0x81, 0x0A]
    #expect(throws: RosterCSV.ParseError.encoding(.undecodable(encoding: .gb18030, line: 3))) {
      try RosterCSV.parse(bytes)
    }
    let message = RosterCSV.ParseError.encoding(.undecodable(encoding: .gb18030, line: 3))
      .message
    #expect(message.contains("第3行"))
  }

  @Test func utf16WithTabsAsExcelUnicodeTextWrites() throws {
    let text = "姓名\t村\t网格\t户号\r\n张三\t龙潭村\t第1网格\t0001\r\n"
    let bytes = try TextEncoding.encode(text, as: .utf16LittleEndian, byteOrderMark: true)
    let table = try RosterCSV.parse(bytes)
    #expect(table.encoding == .utf16LittleEndian)
    #expect(table.delimiter == "\t")
    #expect(table.rows == [["姓名", "村", "网格", "户号"], ["张三", "龙潭村", "第1网格", "0001"]])
  }

  @Test func quotingFollowsRFC4180() throws {
    let text = "a,\"b,c\",\"d\"\"e\",\"f\r\ng\",\"\"\r\nx,y\"z,  \"q\"\r\n"
    let table = try RosterCSV.parse(Array(text.utf8))
    #expect(table.rows == [["a", "b,c", "d\"e", "f\ng", ""], ["x", "y\"z", "q"]])
  }

  @Test(arguments: ["\r\n", "\n", "\r"])
  func lineEndings(_ end: String) throws {
    let text = "a,b" + end + "c,d" + end + ",\"\"" + end
    let table = try RosterCSV.parse(Array(text.utf8))
    #expect(table.rows == [["a", "b"], ["c", "d"], ["", ""]])
  }

  @Test func lastRowWithoutLineBreakAndEmptyCells() throws {
    let table = try RosterCSV.parse(Array("a,,c\n,,\nx".utf8))
    #expect(table.rows == [["a", "", "c"], ["", "", ""], ["x"]])
  }

  @Test func anUnclosedQuoteIsRefusedWithTheRowItStarts() throws {
    let text = "a,b\nc,d\ne,\"f,g\nh\n"
    #expect(throws: RosterCSV.ParseError.unterminatedQuote(row: 3)) {
      try RosterCSV.parse(Array(text.utf8))
    }
    #expect(throws: RosterCSV.ParseError.empty) { try RosterCSV.parse([]) }
  }

  @Test func headersAreFoldedAndAliasesKnown() throws {
    let cases: [(String, RosterCSV.Column)] = [
      ("村（社区）", .village), ("村(社区)", .village), (" 村 ", .village), ("社区", .village),
      ("村/社区", .village), ("网格名称", .grid), ("网格长", .gridLeader), ("户号*", .householdNumber),
      ("姓　名", .name), ("姓名（必填）", .name), ("关系", .relation), ("与户主关系", .relation),
      ("性别", .sex), ("身份证号码", .idNumber), ("公民身份号码", .idNumber), ("电话", .phone),
      ("手机号", .phone), ("手机", .phone), ("联系方式", .phone), ("地址", .address),
      ("住址", .address), ("重点人群", .groups),
    ]
    for (header, column) in cases {
      #expect(RosterCSV.Column.byHeader[RosterCSV.headerKey(header)] == column, "\(header)")
    }
    // Full-width letters in a header fold too.
    #expect(RosterCSV.headerKey("ＩＤ号") == "id号")
  }

  @Test func titleRowsAboveTheHeaderAreSkippedAndRowsKeepTheirNumbers() throws {
    let table = try T.table([
      "三江镇消防网格花名册,,,", "姓名,村,网格,户号,与户主关系,身份证号",
      "张三,龙潭村,第1网格,0001,户主,12345",
    ])
    let plan = RosterCSV.plan(table, into: TownData(town: Town(name: "三江镇")))
    #expect(plan.headerRow == 2)
    #expect(plan.problems.map(\.row) == [3])
  }

  @Test func aMissingRequiredColumnIsReportedOnTheHeaderRow() throws {
    let table = try T.table(["姓名,村,与户主关系,身份证号", "张三,龙潭村,户主,"])
    let plan = RosterCSV.plan(table, into: TownData(town: Town(name: "三江镇")))
    #expect(plan.problems == [RosterCSV.RowProblem(row: 1, message: "表头缺少必需的列：网格、户号")])
    #expect(plan.problems[0].description == "第1行：表头缺少必需的列：网格、户号")
  }

  @Test func aColumnGivenTwiceAndNoHeaderAtAll() throws {
    let twice = try T.table(["姓名,村,网格,户号,电话,手机号", "张三,龙潭村,第1网格,0001,,"])
    let plan = RosterCSV.plan(twice, into: TownData(town: Town(name: "三江镇")))
    #expect(plan.problems.map(\.row) == [1])
    #expect(plan.problems[0].message.contains("联系电话"))
    let none = try T.table(["a,b,c", "1,2,3"])
    let nothing = RosterCSV.plan(none, into: TownData(town: Town(name: "三江镇")))
    #expect(nothing.problems.map(\.row) == [1])
    #expect(nothing.problems[0].message.contains("找不到表头"))
  }

  @Test func cellsAreTrimmedAndFullWidthDigitsFolded() {
    #expect(RosterCSV.cleaned("\u{3000} 龙潭村（２） ") == "龙潭村（2）")
    #expect(RosterCSV.cleaned("第１网格") == "第1网格")
    #expect(RosterCSV.code(" ０００３ ") == "0003")
    #expect(RosterCSV.code("'0003") == "0003")
    #expect(RosterCSV.code("=\"0003\"") == "0003")
    #expect(
      RosterCSV.groups("孤寡老人、独居, 残疾人，五保户；无").groups == [
        .elderlyWithoutFamily, .elderlyLivingAlone, .disabled, .fiveGuarantees,
      ])
    #expect(RosterCSV.groups("老人、独居老人").unknown == ["老人"])
  }
}
