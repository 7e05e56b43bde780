import Foundation
import Testing

@testable import FiregridModel

/// The form used by model tests: the same items as Resources/Data/forms/residential-v1.json, built here
/// because the model does not read files.
enum TestForm {
  static let form = VisitForm(
    id: "test-form", title: "居民住房消防安全排查表", attachment: "附件6",
    sections: [
      .init(
        id: "sanqing", title: "三清三关", kind: .check,
        items: [
          "passagesClear", "balconyClear", "kitchenClear", "powerOff", "gasOff",
          "doorsWindowsShut",
        ].map { VisitForm.Item(id: $0, label: $0) }),
      .init(
        id: "hazards", title: "隐患排查", kind: .hazard,
        items: [
          .init(id: "wiring", label: "电气线路", deadlineDays: 7),
          .init(id: "gas", label: "燃气", deadlineDays: 3),
          .init(id: "ebikeCharging", label: "电动车充电", deadlineDays: 0),
        ]),
      .init(
        id: "measures", title: "宣传措施", kind: .action,
        items: [.init(id: "noticeDelivered", label: "告知书已送达")]),
    ])

  static func allClear() -> [String: Answer] {
    var answers: [String: Answer] = [:]
    for section in form.sections { for item in section.items { answers[item.id] = .yes } }
    return answers
  }
}

struct VisitRulesTests {
  static func date(_ text: String) -> CivilDate { CivilDate(text)! }
  let today = date("2026-12-20")

  func entry(
    _ day: String, findings: [VisitEntry.Finding] = [], reviews: [VisitEntry.Review] = [],
    visitor: String = "u001"
  ) -> VisitEntry {
    var answers = TestForm.allClear()
    for finding in findings { answers[finding.checkID] = .no }
    return VisitEntry(
      householdID: "h1", date: Self.date(day), visitorID: visitor, personsMet: " 张三 ",
      answers: answers, findings: findings, reviews: reviews, notes: "", signed: true)
  }

  @Test func anAllClearVisitIsSavedAsEntered() throws {
    let (record, visit) = try VisitRules.record(
      entry("2026-12-03"), in: VisitRecord(householdID: "h1"), form: TestForm.form, today: today)
    #expect(visit.id == "h1-v1")
    #expect(visit.personsMet == "张三")
    #expect(visit.answers == TestForm.allClear())
    #expect(visit.formID == "test-form")
    #expect(visit.isAllClear)
    #expect(record.visits == [visit])
    #expect(record.hazards.isEmpty)
  }

  /// A choice takes one of its own options' keys; a tick box only y, n or -.
  @Test func answersMustBeOnesTheFormOffers() throws {
    var form = TestForm.form
    form.sections.append(
      .init(
        id: "house", title: "房屋情况", kind: .choice,
        items: [
          .init(
            id: "structure", label: "房屋结构",
            options: [.init(key: "1", label: "木"), .init(key: "2", label: "砖木")])
        ]))
    func record(_ change: (inout VisitEntry) -> Void) throws -> Visit {
      var visit = entry("2026-12-03")
      change(&visit)
      return try VisitRules.record(
        visit, in: VisitRecord(householdID: "h1"), form: form, today: today
      ).visit
    }
    #expect(try record { $0.answers["structure"] = .option2 }.answers["structure"] == .option2)
    #expect(throws: VisitRules.Refusal.self) { try record { $0.answers["structure"] = .option3 } }
    #expect(throws: VisitRules.Refusal.self) { try record { $0.answers["structure"] = .yes } }
    #expect(throws: VisitRules.Refusal.self) { try record { $0.answers["wiring"] = .option1 } }
  }

  /// found → deadline → reported rectified → verified on a 复查 visit.
  @Test func hazardFoundRectifiedAndVerified() throws {
    var record = VisitRecord(householdID: "h1")
    let finding = VisitEntry.Finding(checkID: "wiring", description: "电线私拉乱接", deadlineDays: 7)
    (record, _) = try VisitRules.record(
      entry("2026-12-03", findings: [finding]), in: record, form: TestForm.form, today: today)
    let hazard = try #require(record.hazards.first)
    #expect(hazard.id == "h1-z1")
    #expect(hazard.foundInVisit == "h1-v1")
    #expect(hazard.deadline == Self.date("2026-12-10"))
    #expect(hazard.state(on: Self.date("2026-12-05")) == .open)
    #expect(!hazard.isDueForReinspection(on: Self.date("2026-12-09")))
    #expect(hazard.isDueForReinspection(on: Self.date("2026-12-10")))

    record = try VisitRules.update(
      hazardID: hazard.id, in: record,
      event: HazardEvent(kind: .reportedRectified, date: Self.date("2026-12-08"), note: "群里报"),
      today: today)
    #expect(record.hazards[0].state(on: Self.date("2026-12-12")) == .awaitingCheck)

    (record, _) = try VisitRules.record(
      entry("2026-12-12", reviews: [.init(hazardID: hazard.id, outcome: .rectified)]), in: record,
      form: TestForm.form, today: today)
    let closed = record.hazards[0]
    #expect(closed.state(on: today) == .closed)
    #expect(closed.closedOn == Self.date("2026-12-12"))
    #expect(closed.events.map(\.kind) == [.found, .reportedRectified, .verified])
    #expect(closed.events.last?.visitID == "h1-v2")
    #expect(!closed.isDueForReinspection(on: today))
  }

  /// found → deadline passes with no rectification → overdue; a 复查 that extends gives a new
  /// deadline; one that finds it not rectified leaves it overdue.
  @Test func hazardBecomesOverdueAndCanBeExtended() throws {
    var record = VisitRecord(householdID: "h1")
    (record, _) = try VisitRules.record(
      entry(
        "2026-12-01", findings: [.init(checkID: "gas", description: "软管老化", deadlineDays: 3)]),
      in: record, form: TestForm.form, today: today)
    #expect(record.hazards[0].state(on: Self.date("2026-12-04")) == .open)
    #expect(record.hazards[0].state(on: Self.date("2026-12-05")) == .overdue)

    (record, _) = try VisitRules.record(
      entry("2026-12-06", reviews: [.init(hazardID: "h1-z1", outcome: .extended(days: 5))]),
      in: record, form: TestForm.form, today: today)
    #expect(record.hazards[0].deadline == Self.date("2026-12-11"))
    #expect(record.hazards[0].state(on: Self.date("2026-12-11")) == .open)
    #expect(record.hazards[0].state(on: Self.date("2026-12-12")) == .overdue)

    (record, _) = try VisitRules.record(
      entry("2026-12-13", reviews: [.init(hazardID: "h1-z1", outcome: .notRectified)]),
      in: record, form: TestForm.form, today: today)
    #expect(record.hazards[0].state(on: today) == .overdue)
    #expect(record.hazards[0].events.map(\.kind) == [.found, .extended, .notRectified])
  }

  @Test func onTheSpotRectificationClosesAtOnce() throws {
    let (record, _) = try VisitRules.record(
      entry(
        "2026-12-03",
        findings: [.init(checkID: "ebikeCharging", description: "堂屋充电", deadlineDays: 0)]),
      in: VisitRecord(householdID: "h1"), form: TestForm.form, today: today)
    #expect(record.hazards[0].state(on: Self.date("2026-12-03")) == .closed)
    #expect(record.hazards[0].events.map(\.kind) == [.found, .rectifiedOnSpot])
  }

  @Test func refusals() throws {
    let empty = VisitRecord(householdID: "h1")
    func refusal(_ entry: VisitEntry, in record: VisitRecord? = nil) -> String? {
      do {
        _ = try VisitRules.record(entry, in: record ?? empty, form: TestForm.form, today: today)
        return nil
      } catch {
        return error.message
      }
    }
    #expect(refusal(entry("2026-12-21")) == "日期不能晚于今天（2026-12-20）")
    var noDescription = entry(
      "2026-12-03", findings: [.init(checkID: "wiring", description: " ", deadlineDays: 7)])
    #expect(refusal(noDescription) == "请填写“电气线路”的隐患情况")
    noDescription.findings = []
    #expect(refusal(noDescription) == "“电气线路”的隐患记录与选择不一致")
    let (once, _) = try VisitRules.record(
      entry("2026-12-03"), in: empty, form: TestForm.form, today: today)
    #expect(refusal(entry("2026-12-03"), in: once)?.contains("请勿重复录入") == true)
    #expect(refusal(entry("2026-12-03", visitor: "u002"), in: once) == nil)
    #expect(
      refusal(entry("2026-12-04", reviews: [.init(hazardID: "h1-z9", outcome: .rectified)]))
        == "找不到隐患 h1-z9")
  }

  @Test func visitsStayInDateOrderWhenTypedLate() throws {
    var record = VisitRecord(householdID: "h1")
    (record, _) = try VisitRules.record(
      entry("2026-12-10"), in: record, form: TestForm.form, today: today)
    (record, _) = try VisitRules.record(
      entry("2026-12-02"), in: record, form: TestForm.form, today: today)
    #expect(record.visits.map(\.date.description) == ["2026-12-02", "2026-12-10"])
    #expect(record.visits.map(\.id) == ["h1-v2", "h1-v1"])
  }

  @Test func removingAVisitTakesItsHazardsAndEvents() throws {
    var record = VisitRecord(householdID: "h1")
    (record, _) = try VisitRules.record(
      entry(
        "2026-12-01", findings: [.init(checkID: "wiring", description: "老化", deadlineDays: 7)]),
      in: record, form: TestForm.form, today: today)
    (record, _) = try VisitRules.record(
      entry("2026-12-09", reviews: [.init(hazardID: "h1-z1", outcome: .rectified)]), in: record,
      form: TestForm.form, today: today)
    #expect(throws: VisitRules.Refusal.self) {
      try VisitRules.remove(visitID: "h1-v1", from: record)
    }
    let undone = try VisitRules.remove(visitID: "h1-v2", from: record)
    #expect(undone.visits.map(\.id) == ["h1-v1"])
    #expect(undone.hazards[0].events.map(\.kind) == [.found])
    let empty = try VisitRules.remove(visitID: "h1-v1", from: undone)
    #expect(empty.visits.isEmpty && empty.hazards.isEmpty)
  }

  @Test func visitRoundTripsThroughItsCompactJSON() throws {
    let (_, visit) = try VisitRules.record(
      entry("2026-12-03"), in: VisitRecord(householdID: "h1"), form: TestForm.form, today: today)
    let data = try JSONEncoder().encode(visit)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains(#""answers":"balconyClear=y "#))
    #expect(text.contains(#""date":"2026-12-03""#))
    #expect(try JSONDecoder().decode(Visit.self, from: data) == visit)
    let broken = text.replacingOccurrences(of: "balconyClear=y", with: "balconyClear=?")
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Visit.self, from: Data(broken.utf8))
    }
  }

  @Test func formDefinitionProblems() {
    var form = TestForm.form
    #expect(form.problems.isEmpty)
    form.sections[0].items.append(.init(id: "wiring", label: "重复"))
    form.sections[1].items[0].deadlineDays = -1
    #expect(
      form.problems == ["走访表项目编号重复：wiring", "第2节 隐患排查 第1项 wiring：整改期限天数（deadlineDays）不能为负"])
  }
}
