import FiregridModel
import FiregridRepository
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// 场所 by keystrokes on the small town, checked in the files the store wrote: premises added
/// and refused, moved, archived, found by the town search; their lists and one premises
/// compared with the expected screens.
@Suite(.serialized)
struct PremisesScreenTests {
  static let clock = TownStore.Clock(
    today: { "2026-11-29" }, now: { "2026-11-29T10:00:00+08:00" })

  /// The small town with three premises: a shop and a 多合一 workshop (where 0002's household
  /// lives) in 第1网格, the village office in 第2网格.
  static func town() -> TownData {
    var town = ScreenTesting.smallTown()
    town.premises = [
      Premises(
        id: "c00001", gridID: "g0001", name: "向记百货", kind: .business, businessKind: .shop,
        address: "三江镇龙潭村1组20号", responsiblePerson: "向红", responsiblePhone: "13907452001",
        floors: 2, floorArea: 120, peopleSleep: false, visitorID: "u001"),
      Premises(
        id: "c00002", gridID: "g0001", name: "舒家作坊", kind: .mixedUse, businessKind: .workshop,
        address: "三江镇龙潭村1组2号", responsiblePerson: "舒建国", responsiblePhone: "13907450001",
        floors: 3, floorArea: 300, peopleSleep: true, sleepers: 3, householdID: "h000002",
        visitorID: "u001"),
      Premises(
        id: "c00003", gridID: "g0002", name: "龙潭村村部", kind: .office, address: "三江镇龙潭村3组",
        responsiblePerson: "李书记", visitorID: "u001"),
    ]
    return town
  }

  /// Runs `script` on `town` in a fresh folder; returns the runner, the terminal and the folder.
  static func run(_ town: TownData = town(), _ script: (VirtualTerminal) -> Void) throws -> (
    AppRunner, VirtualTerminal, URL
  ) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-premises-\(UUID().uuidString)")
    let folder = DataFolder(url: url)
    try folder.create(town)
    let store = try TownStore.open(folder: folder, operatorName: "测试员", clock: clock)
    var state = ScreenTesting.mainState()
    AppRunner.present(store, in: &state)
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    script(terminal)
    let runner = AppRunner(
      state: state, terminal: terminal, folder: folder, store: store, clock: clock)
    runner.run()
    return (runner, terminal, url)
  }

  static let p = Key.character("P")

  @Test func aVillagesPremisesMaskedUntilAsked() throws {
    let (runner, terminal, url) = try Self.run {
      $0.type([Self.p])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    ScreenTesting.expectScreen(terminal, "premises-village")
    #expect(runner.state.roster.current.rowIDs == ["c00001", "c00002", "c00003"])
    #expect(!terminal.screenText.contains("13907452001"))
    let (_, revealed, url2) = try Self.run {
      $0.type([Self.p, .character("m")])
    }
    defer { try? FileManager.default.removeItem(at: url2) }
    #expect(revealed.screenText.contains("13907452001"))
    let audit = try String(contentsOf: url2.appendingPathComponent("audit.log"), encoding: .utf8)
    #expect(audit.contains("list/premises/v001"))
  }

  @Test func aGridsPremisesFromTheGridListAndFromItsHouseholds() throws {
    let (runner, _, url) = try Self.run {
      $0.type([.enter, Self.p])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(runner.state.roster.current.level == .premisesList(.grid("g0001")))
    #expect(runner.state.roster.current.rowIDs == ["c00001", "c00002"])
    let (households, _, url2) = try Self.run {
      $0.type([.enter, .down, .enter, Self.p])
    }
    defer { try? FileManager.default.removeItem(at: url2) }
    #expect(households.state.roster.current.level == .premisesList(.grid("g0002")))
    #expect(households.state.roster.current.rowIDs == ["c00003"])
  }

  @Test func onePremisesWithTheHouseholdLivingThere() throws {
    let (_, terminal, url) = try Self.run {
      $0.type([Self.p, .down, .enter])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    ScreenTesting.expectScreen(terminal, "premises-one")
    #expect(terminal.screenText.contains("所在户 0002 舒建国"))
  }

  @Test func aBusinessAndAMixedUsePremisesAreAddedByKeys() throws {
    var town = ScreenTesting.smallTown()
    town.premises = []
    let (runner, _, url) = try Self.run(town) {
      $0.type([.enter, Self.p, .character("a")])  // 龙潭村 → 第1网格's premises → add
      $0.type("向记百货")
      $0.type([.tab, .tab, .tab])  // 生产经营性场所, 商店 as offered
      $0.type("三江镇龙潭村1组20号")
      $0.type([.tab])
      $0.type("向红")
      $0.type([.tab])
      $0.type("139 0745 2001")
      $0.type([.tab])
      $0.type("2")
      $0.type([.tab])
      $0.type("120")
      $0.type([.tab, .character("n"), .control("s")])  // nobody sleeps there
      $0.type([.character("a")])
      $0.type("舒家作坊")
      $0.type([.tab, .right, .tab, .right, .right, .tab])  // 多合一场所, 作坊
      $0.type([.tab, .tab, .tab, .tab, .tab, .character("y")])  // people sleep there: 3
      $0.type("3")
      $0.type([.tab])
      $0.type("2")  // 0002's household lives there
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let saved = try DataFolder(url: url).load().premises
    #expect(saved.map(\.id) == ["c00001", "c00002"])
    let shop = try #require(saved.first)
    #expect(shop.name == "向记百货")
    #expect(shop.gridID == "g0001")
    #expect(shop.kind == .business)
    #expect(shop.businessKind == .shop)
    #expect(shop.address == "三江镇龙潭村1组20号")
    #expect(shop.responsiblePerson == "向红")
    #expect(shop.responsiblePhone == "13907452001")
    #expect(shop.floors == 2)
    #expect(shop.floorArea == 120)
    #expect(shop.peopleSleep == false)
    #expect(shop.sleepers == nil)
    #expect(shop.visitorID == "u001")  // the grid's usual visitor is offered
    let workshop = try #require(saved.last)
    #expect(workshop.kind == .mixedUse)
    #expect(workshop.businessKind == .workshop)
    #expect(workshop.peopleSleep == true)
    #expect(workshop.sleepers == 3)
    #expect(workshop.householdID == "h000002")
    #expect(runner.state.roster.current.rowIDs == ["c00001", "c00002"])
    #expect(runner.state.roster.selectedID == "c00002")
    #expect(runner.state.message == "已保存。")
    let audit = try AuditLog.entries(folder: url, record: "premises/c00002")
    #expect(!audit.isEmpty)
    #expect(audit.allSatisfy { $0.operatorName == "测试员" })
  }

  @Test func aRefusedPremisesSaysWhyOnTheFormAndNothingIsSaved() throws {
    let (runner, terminal, url) = try Self.run {
      $0.type([.enter, Self.p, .character("a")])
      $0.type("龙潭村村部")  // the village's office is already on the roster (第2网格)
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("本村（社区）已有同名场所：龙潭村村部"))
    #expect(runner.state.overlay(PremisesEditOverlay.self) != nil)
    #expect(try DataFolder(url: url).load().premises.count == 3)
    // A 户号 the village does not have is said on its field.
    let (_, second, url2) = try Self.run {
      $0.type([.enter, Self.p, .character("a")])
      $0.type("新店")
      $0.type(Array(repeating: Key.tab, count: 9))
      $0.type("0099")
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url2) }
    #expect(second.screenText.contains("本村（社区）没有户号 0099"))
    #expect(try DataFolder(url: url2).load().premises.count == 3)
  }

  @Test func editMoveAndArchiveAPremises() throws {
    let (runner, terminal, url) = try Self.run {
      $0.type([Self.p, .character("e")])  // 向记百货
      $0.type([.tab, .tab, .tab, .tab])
      $0.type([.control("u")])
      $0.type("向红梅")
      $0.type([.control("s")])
      $0.type([.character("M"), .control("s")])  // to the first other grid: 第2网格
      $0.type([.up, .character("x")])  // 舒家作坊: asked, naming nothing open
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("把场所「舒家作坊」移出名册？"))
    _ = runner
    let town = try DataFolder(url: url).load()
    #expect(town.premises(id: "c00001")?.responsiblePerson == "向红梅")
    #expect(town.premises(id: "c00001")?.gridID == "g0002")
    let (archived, _, url2) = try Self.run {
      $0.type([Self.p, .down, .character("x"), .character("y")])
    }
    defer { try? FileManager.default.removeItem(at: url2) }
    let after = try DataFolder(url: url2).load()
    #expect(after.premises.map(\.id) == ["c00001", "c00003"])
    #expect(after.archivedPremises.map(\.id) == ["c00002"])
    #expect(archived.state.roster.current.rowIDs == ["c00001", "c00003"])
    #expect(archived.state.message == "已归档场所 舒家作坊。")
  }

  @Test func theTownSearchFindsAPremisesAndOpensItsList() throws {
    let (runner, _, url) = try Self.run {
      $0.type([.character("/")])
      $0.type("sjzf")  // 舒家作坊 by its initials
      $0.type([.enter])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let roster = runner.state.roster
    #expect(roster.current.level == .premisesList(.grid("g0001")))
    #expect(roster.selectedID == "c00002")
    #expect(roster.frames.map(\.level).first == .villages)
    #expect(roster.breadcrumb(index: runner.state.index).contains("龙潭村 > 第1网格"))
  }

  static func csv(badRow: Bool) throws -> URL {
    let lines = [
      "村（社区）,网格,场所名称,类别,经营类别,地址,责任人,联系电话,层数,建筑面积,是否住人,住宿人数,所在户号,走访人",
      "龙潭村,第1网格,覃记餐馆,生产经营性场所,餐饮,三江镇龙潭村老街8号,覃大,13907453001,2,90,否,,,肖煜中",
      "龙潭村,第2网格,龙潭小学,办公场所,,三江镇龙潭村4组,李校长,,3,800,否,,,肖煜中",
      "龙潭村,第2网格,江边客栈,\(badRow ? "饭店" : "多合一场所"),小旅馆,三江镇龙潭村河街1号,曾老板,,2,160,是,4,,肖煜中",
    ]
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-premises-\(UUID().uuidString).csv")
    try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: file)
    return file
  }

  @Test func aPremisesSpreadsheetIsCheckedThenImportedAsOneChange() throws {
    let file = try Self.csv(badRow: false)
    defer { try? FileManager.default.removeItem(at: file) }
    let (runner, terminal, url) = try Self.run {
      $0.type([Self.p, .character("I")])
      $0.type(file.path)
      $0.type([.enter, .character("y")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let town = try DataFolder(url: url).load()
    #expect(town.premises.count == 6)
    #expect(Set(town.premises.map(\.name)).isSuperset(of: ["覃记餐馆", "龙潭小学", "江边客栈"]))
    let inn = try #require(town.premises.first { $0.name == "江边客栈" })
    #expect(inn.kind == .mixedUse)
    #expect(inn.businessKind == .smallHotel)
    #expect(inn.sleepers == 4)
    #expect(runner.state.message?.contains("导入 3 处场所") == true)
    #expect(terminal.screenText.contains("江边客栈"))
  }

  @Test func aPremisesSpreadsheetWithABadRowListsItAndWritesNothing() throws {
    let file = try Self.csv(badRow: true)
    defer { try? FileManager.default.removeItem(at: file) }
    let (runner, terminal, url) = try Self.run {
      $0.type([Self.p, .character("I")])
      $0.type(file.path)
      $0.type([.enter])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("第4行"))
    #expect(terminal.screenText.contains("饭店"))
    #expect(terminal.screenText.contains("全部未导入"))
    #expect(runner.state.overlay(ImportReportOverlay.self) != nil)
    #expect(try DataFolder(url: url).load().premises.count == 3)
  }
}
