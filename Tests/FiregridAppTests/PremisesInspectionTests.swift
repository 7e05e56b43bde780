import FiregridModel
import FiregridRepository
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// 场所 inspected by keys on their own paper forms (附件5 for a shop and a 多合一 place, with
/// the 多合一 items asked only of the latter), a premises' hazard through its life, the
/// premises not inspected this round, and the 场所档案 — checked in the files the store wrote.
@Suite(.serialized)
struct PremisesInspectionTests {
  static let y = Key.character("y")
  static let n = Key.character("n")

  static func ys(_ count: Int) -> [Key] { Array(repeating: y, count: count) }

  @Test func theShopsFormAsksNoMixedUseItems() throws {
    let (runner, terminal, url) = try PremisesScreenTests.run {
      $0.type([PremisesScreenTests.p, .character("n")])  // 向记百货
    }
    defer { try? FileManager.default.removeItem(at: url) }
    ScreenTesting.expectScreen(terminal, "premises-inspection-form")
    let session = try #require(runner.state.overlay(VisitOverlay.self)?.session)
    #expect(session.isPremises)
    #expect(session.subjectID == "c00001")
    let ids = session.form.fields.map(\.id)
    #expect(!ids.contains("fireSeparation"))
    #expect(!ids.contains("gasKitchen"))  // a shop has no kitchen item
    #expect(ids.contains("extinguishers"))
  }

  @Test func anOfficeIsInspectedOnTheOfficeForm() throws {
    let (runner, _, url) = try PremisesScreenTests.run {
      $0.type([PremisesScreenTests.p, .end, .enter, .enter])  // 龙潭村村部 → its form
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let session = try #require(runner.state.overlay(VisitOverlay.self)?.session)
    #expect(session.subjectID == "c00003")
    #expect(session.definition.id == FormRegistry.officeID)
    #expect(
      runner.state.overlay(VisitOverlay.self)?.bindings(in: runner.state.context)
        .contains { $0.help == PremisesScreenText.keySaveNext } == true)
  }

  @Test func aShopAndAMixedUsePlaceAreInspectedByKeys() throws {
    let (runner, _, url) = try PremisesScreenTests.run {
      $0.type([.enter, PremisesScreenTests.p, .enter])  // 第1网格's premises → 向记百货
      $0.type([.enter])  // its inspection form
      // 消防设施器材: 灭火器 有隐患 (described, 7 days as offered), 应急照明 无, 报警器 无.
      $0.type([Self.n])
      $0.type("灭火器压力不足")
      $0.type([.enter, .enter, Self.y, Self.y])
      // 用火用电 (4 for a shop), 疏散 (2), 消防管理 (3), 负责人签字.
      $0.type(Self.ys(10))
      $0.type([.control("s")])  // saved; 舒家作坊's form opens, date and inspector carried
      $0.type(Self.ys(3))  // 消防设施器材
      $0.type(Self.ys(5))  // 用火用电, its kitchen included
      $0.type(Self.ys(2))  // 疏散逃生
      $0.type([Self.n])  // 多合一: 住宿与经营未防火分隔
      $0.type("作坊与卧室之间为木板墙")
      $0.type([.enter, .enter])
      $0.type(Self.ys(3))
      $0.type(Self.ys(4))  // 消防管理, 负责人签字
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let town = try DataFolder(url: url).load()
    let shop = town.inspectionRecord(of: "c00001")
    let shopVisit = try #require(shop.visits.first)
    #expect(shop.visits.count == 1)
    #expect(shopVisit.id == "c00001-v1")
    #expect(shopVisit.formID == FormRegistry.businessID)
    #expect(shopVisit.date == ScreenTesting.today)
    #expect(shopVisit.visitorID == "u001")
    #expect(shopVisit.answers["extinguishers"] == .no)
    #expect(shopVisit.answers.count == 12)
    #expect(shopVisit.answers["fireSeparation"] == nil)
    #expect(shopVisit.answers["gasKitchen"] == nil)
    #expect(shop.hazards.map(\.checkID) == ["extinguishers"])
    #expect(shop.hazards.first?.description == "灭火器压力不足")
    #expect(shop.hazards.first?.deadline == ScreenTesting.today.adding(days: 7))
    let workshop = town.inspectionRecord(of: "c00002")
    let workshopVisit = try #require(workshop.visits.first)
    #expect(workshopVisit.answers.count == 17)
    #expect(workshopVisit.answers["fireSeparation"] == .no)
    #expect(workshopVisit.answers["illegalSleeping"] == .yes)
    #expect(workshopVisit.answers["gasKitchen"] == .yes)
    #expect(workshopVisit.date == ScreenTesting.today)
    #expect(workshopVisit.visitorID == "u001")
    #expect(workshop.hazards.map(\.checkID) == ["fireSeparation"])
    #expect(!runner.state.hasOverlay)
    #expect(runner.state.message?.contains("本网格的场所已录到最后一处") == true)
    // The audit lines name the inspections and hazards under the operator.
    let audit = try String(contentsOf: url.appendingPathComponent("audit.log"), encoding: .utf8)
    #expect(audit.contains("inspection/c00001-v1"))
    #expect(audit.contains("hazard/c00002-z1"))
  }

  @Test func aPremisesHazardIsFoundReportedAndVerified() throws {
    var listed = ""
    let (_, _, url) = try PremisesScreenTests.run { terminal in
      // Found on 11-25: 灭火器过期, 3 days.
      terminal.type([PremisesScreenTests.p, .character("n")])
      terminal.type([.up, .up, .up, .control("u")])
      terminal.type("11-25")
      terminal.type([.down, .down, .down, Self.n])
      terminal.type("灭火器过期")
      terminal.type([.enter, .control("u")])
      terminal.type("3")
      terminal.type([.enter])
      terminal.type(Self.ys(12))
      terminal.type([.control("s"), .escape])  // the next premises' form is left untouched
      // 隐患整改: overdue since 11-28, the row naming the premises; r: 报告已整改 today.
      terminal.type([.character("3")])
      terminal.perform { listed = terminal.screenText }
      terminal.type([.character("r"), .control("s")])
      // n: the 复查 on its inspection form (today, not the date carried from the last
      // form), the hazard verified put right.
      terminal.type([.character("n"), .up, .up, .up, .control("u")])
      terminal.type("11-29")
      terminal.type([.down, .down, .down])
      terminal.type(Self.ys(9))  // 设施器材, 用火用电, 疏散逃生
      terminal.type([Self.y])  // 复查 灭火器: 已整改
      terminal.type(Self.ys(4))
      terminal.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let row = try #require(listed.split(separator: "\n").first { $0.contains("灭火器过期") })
    #expect(row.contains("场所"))
    #expect(row.contains("向记百货"))
    #expect(row.contains("逾期1天"))
    let record = try DataFolder(url: url).load().inspectionRecord(of: "c00001")
    #expect(record.visits.map(\.date) == [CivilDate("2026-11-25")!, ScreenTesting.today])
    let hazard = try #require(record.hazards.first)
    #expect(hazard.events.map(\.kind) == [.found, .reportedRectified, .verified])
    #expect(hazard.events.last?.visitID == "c00001-v2")
    #expect(hazard.closedOn == ScreenTesting.today)
  }

  @Test func premisesNotInspectedThisRoundWherePeopleSleepFirst() throws {
    let (runner, terminal, url) = try PremisesScreenTests.run {
      $0.type([.character("2"), .character("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    ScreenTesting.expectScreen(terminal, "premises-pending")
    #expect(runner.state.visits.current.rowIDs == ["c00002", "c00001", "c00003"])
    let (opened, _, url2) = try PremisesScreenTests.run {
      $0.type([.character("2"), .character("s"), .enter])
    }
    defer { try? FileManager.default.removeItem(at: url2) }
    #expect(opened.state.overlay(VisitOverlay.self)?.session.subjectID == "c00002")
  }

  @Test func thePremisesHistoryReadsItsInspectionsWithItsFormsLabels() throws {
    var town = PremisesScreenTests.town()
    let form = try #require(AppState.standardForms.current(for: .business))
    var answers: [String: Answer] = [:]
    for section in form.sections {
      for item in section.items where item.applies(to: .business, business: .shop) {
        answers[item.id] = .yes
      }
    }
    answers["exitsBlocked"] = .no
    town.premisesRecords["c00001"] = try VisitRules.record(
      VisitEntry(
        householdID: "c00001", date: CivilDate("2026-11-25")!, visitorID: "u001",
        personsMet: "向红", answers: answers,
        findings: [.init(checkID: "exitsBlocked", description: "后门锁闭", deadlineDays: 0)]),
      in: VisitRecord(householdID: "c00001"), form: form, today: ScreenTesting.today
    ).0
    var state = AppState(
      town: town, operatorName: "测试员", today: ScreenTesting.today,
      size: Size(columns: 80, rows: 24), dataPath: "/tmp/firegrid-premises")
    _ = state.receive(
      .premisesHistoryLoaded(
        premisesID: "c00001",
        [
          HistoryEntry(
            sequence: 3, time: "2026-11-25T10:00:00+08:00", operatorName: "测试员",
            change: AuditChange(
              record: "premises/c00001", field: "responsiblePhone", before: "13907450000",
              after: "13907452001")),
          HistoryEntry(
            sequence: 4, time: "2026-11-25T10:05:00+08:00", operatorName: "测试员",
            change: AuditChange(
              record: "inspection/c00001-v1", field: "*", before: nil, after: "{}")),
        ]))
    let text = try #require(state.overlay(PremisesHistoryScreen.self)).lines.map(\.text)
    #expect(text.first?.contains("场所档案  龙潭村 第1网格 向记百货（生产经营性场所·商店）") == true)
    #expect(text.contains("检查记录（1 次） 2026-27冬春火灾防控"))
    #expect(text.contains { $0.contains("通道、出口堵塞或锁闭") && $0.contains("有") })
    #expect(!text.contains { $0.contains("通道清") })  // no residential item
    #expect(text.contains { $0.contains("通道、出口堵塞或锁闭：后门锁闭") && $0.contains("已销号") })
    #expect(text.contains { $0.contains("录入检查 c00001-v1") })
    #expect(text.contains { $0.contains("修改 联系电话（内容已隐藏）") })
    #expect(!text.contains { $0.contains("13907452001") })
    // The counts: one premises inspected this round, none of their hazards open.
    _ = state.update(.dismiss)
    _ = state.update(.key(.character("4")))
    let screen = AppView.render(state).0.textLines
    #expect(screen.contains { $0.contains("本轮已检查场所") && $0.hasSuffix(" 1") })
    #expect(screen.contains { $0.contains("场所（办公1 经营1 多合一1）") && $0.hasSuffix(" 3") })
  }

  /// The shop inspected by keys on 11-29 with 灭火器 有隐患 (7 days); nothing else typed.
  static let inspectTheShop: [Key] =
    [PremisesScreenTests.p, .character("n"), n] + "灭火器压力不足".map { .character($0) }
    + [.enter, .enter] + ys(12) + [.control("s"), .escape]

  @Test func anInspectionIsTakenBackWithUAndCorrectedFromTheHistory() throws {
    let (undone, _, url) = try PremisesScreenTests.run {
      $0.type(Self.inspectTheShop)
      $0.type([.character("2"), .character("U"), .character("y")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(try DataFolder(url: url).load().inspectionRecord(of: "c00001").visits.isEmpty)
    #expect(undone.state.message == "已撤销检查 c00001-v1")

    // E in the 场所档案: the inspection as typed, 灭火器 now 无隐患, saved under its id.
    let (corrected, _, url2) = try PremisesScreenTests.run {
      $0.type(Self.inspectTheShop)
      $0.type([.character("h"), .character("E")])
      $0.type([.backspace, Self.y])
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url2) }
    let record = try DataFolder(url: url2).load().inspectionRecord(of: "c00001")
    #expect(record.visits.map(\.id) == ["c00001-v1"])
    #expect(record.visits.first?.answers["extinguishers"] == .yes)
    #expect(record.hazards.isEmpty)
    #expect(!corrected.state.hasOverlay)
  }

  @Test func archivingAPremisesNamesItsOpenHazards() throws {
    let (runner, terminal, url) = try PremisesScreenTests.run {
      $0.type(Self.inspectTheShop)
      $0.type([.character("x")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("尚有未销号隐患 1 处"))
    #expect(terminal.screenText.contains("灭火器压力不足"))
    #expect(runner.state.overlay(ConfirmOverlay.self) != nil)
  }
}
