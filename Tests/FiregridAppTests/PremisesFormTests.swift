import FiregridModel
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// 场所 inspected through the same form engine as homes: `VisitSession.make(premises:…)` on the
/// business form (附件5), keys typed into the session's form, and the `VisitEntry` it gives for
/// the premises' record.
struct PremisesFormTests {
  static let today = ScreenTesting.today
  static let y = Key.character("y")
  static let n = Key.character("n")
  static let sectionY = Key.character("Y")

  /// A shop (商店) and a 多合一 restaurant (living upstairs) in 龙潭村 第1网格, both 肖煜中's.
  static func town() -> TownData {
    var town = ScreenTesting.smallTown()
    town.premises = [
      Premises(
        id: "c00001", gridID: "g0001", name: "向记百货", kind: .business, businessKind: .shop,
        address: "龙潭村1组", responsiblePerson: "向国强", responsiblePhone: "13907450011",
        floors: 1, floorArea: 80, peopleSleep: false, visitorID: "u001"),
      Premises(
        id: "c00002", gridID: "g0001", name: "舒家饭店", kind: .mixedUse,
        businessKind: .restaurant, address: "龙潭村2组", responsiblePerson: "舒桂兰",
        floors: 2, peopleSleep: true, sleepers: 3, householdID: "h000002", visitorID: "u001"),
    ]
    return town
  }

  static var business: VisitForm {
    AppState.standardForms.current(for: .business)!
  }

  static func session(_ premisesID: String, town: TownData = town()) throws -> VisitSession {
    let premises = try #require(town.premises(id: premisesID))
    return VisitSession.make(
      premises: premises, index: RosterIndex(town), definition: business,
      forms: AppState.standardForms, carry: VisitCarry(), today: today)
  }

  /// Types `keys` (and text, as characters) into the session's form; the values submitted.
  static func type(_ keys: [Key], into session: inout VisitSession) -> [String: String]? {
    for key in keys {
      if case .submitted(let values) = session.form.handle(key) { return values }
    }
    return nil
  }

  static func text(_ string: String) -> [Key] { string.map { .character($0) } }

  static func itemIDs(_ session: VisitSession) -> [String] {
    let items = Set(business.sections.flatMap(\.items).map(\.id))
    return session.form.fields.map(\.id).filter { items.contains($0) }
  }

  @Test func aShopIsAskedTheBusinessItemsWithoutTheMixedUseOnes() throws {
    var session = try Self.session("c00001")
    #expect(session.isPremises)
    #expect(session.subjectID == "c00001")
    #expect(session.gridID == "g0001")
    #expect(session.form.title.contains("向记百货"))
    #expect(session.form.value(VisitSession.visitorField) == "肖煜中")
    #expect(session.form.value(VisitSession.metField) == "向国强")
    let labels = Dictionary(uniqueKeysWithValues: session.form.fields.map { ($0.id, $0.label) })
    #expect(labels[VisitSession.visitorField] == "检查人")
    #expect(labels[VisitSession.metField] == "负责人在场")
    #expect(labels[VisitSession.signedField] == "负责人签字")
    let asked = Self.itemIDs(session)
    #expect(!asked.contains("gasKitchen"))  // restaurants, farm stays, hotels, 多合一
    for id in ["fireSeparation", "independentEscape", "sleepingLocation", "illegalSleeping"] {
      #expect(!asked.contains(id))
    }
    #expect(!session.form.fields.contains { $0.id == "heading.mixedUse" })
    #expect(session.form.focusedFieldID == "extinguishers")

    // 灭火器 有隐患 with its description; Y for the rest of each section; the signature.
    let keys =
      [Self.n] + Self.text("只有1具灭火器") + [.enter, .enter]
      + [Self.sectionY, Self.sectionY, Self.sectionY, Self.sectionY, Self.y, .control("s")]
    let values = try #require(Self.type(keys, into: &session))
    let entry = try session.entry(from: values, today: Self.today)
    #expect(entry.householdID == "c00001")
    #expect(entry.visitorID == "u001")
    #expect(entry.personsMet == "向国强")
    #expect(entry.signed)
    #expect(Set(entry.answers.keys) == Set(asked))
    #expect(entry.answers["extinguishers"] == .no)
    #expect(entry.answers.filter { $0.value != .yes }.count == 1)
    #expect(
      entry.findings == [.init(checkID: "extinguishers", description: "只有1具灭火器", deadlineDays: 7)])

    // The model applies it to the premises' record like a household's.
    let town = Self.town()
    let (record, visit) = try VisitRules.record(
      entry, in: town.inspectionRecord(of: "c00001"), form: Self.business, today: Self.today)
    #expect(visit.id == "c00001-v1")
    #expect(visit.formID == "business-2024")
    #expect(record.hazards.map(\.id) == ["c00001-z1"])
  }

  @Test func aMixedUsePlaceIsAskedTheMultiInOneItemsAndItsOpenHazardsForReview() throws {
    var town = Self.town()
    var session = try Self.session("c00002", town: town)
    let asked = Self.itemIDs(session)
    #expect(asked.contains("gasKitchen"))
    for id in ["fireSeparation", "independentEscape", "sleepingLocation", "illegalSleeping"] {
      #expect(asked.contains(id))
    }
    #expect(session.form.value(VisitSession.metField) == "舒桂兰")
    // 设施器材 Y; 用火用电 Y; 疏散 Y; 多合一: 防火分隔 有隐患, the rest Y; 管理 Y; signature.
    let keys =
      [Self.sectionY, Self.sectionY, Self.sectionY, Self.n] + Self.text("饭店与住宿未分隔")
      + [.enter, .enter, Self.sectionY, Self.sectionY, Self.y, .control("s")]
    let values = try #require(Self.type(keys, into: &session))
    let entry = try session.entry(from: values, today: Self.today)
    #expect(entry.householdID == "c00002")
    #expect(Set(entry.answers.keys) == Set(asked))
    #expect(entry.findings.map(\.checkID) == ["fireSeparation"])
    #expect(entry.findings.first?.deadlineDays == 30)
    let (record, _) = try VisitRules.record(
      entry, in: town.inspectionRecord(of: "c00002"), form: Self.business, today: Self.today)
    town.premisesRecords["c00002"] = record

    // The next inspection: a 复查 row for the open hazard, after the hazard sections.
    var next = try Self.session("c00002", town: town)
    let ids = next.form.fields.map(\.id)
    let review = VisitSession.reviewField("c00002-z1")
    let reviewAt = try #require(ids.firstIndex(of: review))
    #expect(reviewAt > ids.firstIndex(of: "illegalSleeping")!)
    #expect(reviewAt < ids.firstIndex(of: "responsibleNamed")!)
    #expect(ids.filter { $0 == "heading.review" }.count == 1)
    #expect(next.form.title.contains("已查"))
    // A 复查 has no good answer for Y: it is read and answered on its own.
    let again =
      [Self.sectionY, Self.sectionY, Self.sectionY, Self.sectionY, Self.y, Self.sectionY]
      + [Self.y, .control("s")]
    let revisit = try #require(Self.type(again, into: &next))
    let reviewed = try next.entry(from: revisit, today: Self.today)
    #expect(reviewed.reviews == [.init(hazardID: "c00002-z1", outcome: .rectified)])
  }

  /// A village office on the office form (附件4): every item asked, Y per section.
  @Test func anOfficeIsInspectedOnTheOfficeForm() throws {
    var town = Self.town()
    town.premises.append(
      Premises(
        id: "c00003", gridID: "g0002", name: "龙潭村村部", kind: .office,
        responsiblePerson: "邹村长", visitorID: "u001"))
    let office = try #require(AppState.standardForms.current(for: .office))
    var session = VisitSession.make(
      premises: town.premises[2], index: RosterIndex(town), definition: office,
      carry: VisitCarry(), today: Self.today)
    let sections = office.sections.count
    let keys = Array(repeating: Self.sectionY, count: sections) + [Self.y, .control("s")]
    let values = try #require(Self.type(keys, into: &session))
    let entry = try session.entry(from: values, today: Self.today)
    #expect(entry.householdID == "c00003")
    #expect(entry.answers.count == office.sections.flatMap(\.items).count)
    #expect(entry.answers.values.allSatisfy { $0 == .yes })
    #expect(entry.personsMet == "邹村长")
  }

  /// A household's form is unchanged by the generalisation: its session knows it is not a
  /// premises'.
  @Test func aHouseholdsSessionIsNotAPremises() {
    let town = Self.town()
    let session = VisitSession.make(
      household: town.households[2], index: RosterIndex(town),
      definition: AppState.standardVisitForm, carry: VisitCarry(), today: Self.today)
    #expect(!session.isPremises)
    #expect(session.subjectID == "h000003")
    #expect(session.householdID == "h000003")
  }
}
