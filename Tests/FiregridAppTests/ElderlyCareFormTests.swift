import FiregridModel
import TerminalUI
import Testing

@testable import FiregridApp

/// The person form's 独居老人 fields (附件7): shown for a person in the group, saved into
/// `Person.elderlyCare`, absent (and the care kept) for others.
struct ElderlyCareFormTests {
  static let elder = Person(
    id: "p1", name: "李二", relation: "户主", groups: [.elderlyLivingAlone],
    elderlyCare: ElderlyCare(helperName: "张一", smokeAlarm: true))
  static let town = TownData(
    town: Town(name: "三江镇"), villages: [Village(id: "v1", name: "龙潭村")],
    grids: [Grid(id: "g1", villageID: "v1", name: "第1网格")],
    households: [
      Household(
        id: "h1", gridID: "g1", number: "0001", address: "1组1号",
        persons: [elder, Person(id: "p2", name: "李三", relation: "子")])
    ])

  @Test func theFieldsShowForAnElderlyPersonWithTheirValues() {
    let session = EditSession.person(Self.elder, householdID: "h1", isFirst: false)
    #expect(session.form.fields.contains { $0.id == "care.helperName" })
    #expect(session.form.value("care.helperName") == "张一")
    #expect(session.form.value("care.smokeAlarm") == "有")
    #expect(session.form.value("care.extinguisher") == "未填")
    var other = EditSession.person(
      Self.town.households[0].persons[1], householdID: "h1", isFirst: false)
    func careShown(_ form: Form) -> Bool {
      form.fields.indices.contains { form.fields[$0].id.hasPrefix("care.") && form.isVisible($0) }
    }
    #expect(!careShown(other.form))
    // Typed 2 (独居老人) among the groups: the fields appear at once, without reopening.
    other.form.setValue("16", for: "groups")
    #expect(!careShown(other.form))
    other.form.setValue("2、6", for: "groups")
    #expect(careShown(other.form))
  }

  @Test func whatIsTypedIsSaved() throws {
    var session = EditSession.person(Self.elder, householdID: "h1", isFirst: false)
    session.form.setValue("李大", for: "care.guardianName")
    session.form.setValue("半失能", for: "care.selfCare")
    session.form.setValue("无", for: "care.extinguisher")
    let outcome = try session.outcome(session.form.values, town: Self.town)
    let saved = outcome.town.households[0].persons[0].elderlyCare
    #expect(
      saved
        == ElderlyCare(
          guardianName: "李大", selfCare: .partlyDisabled, helperName: "张一", smokeAlarm: true,
          extinguisher: false))
    // Everything cleared: no care at all.
    var cleared = EditSession.person(Self.elder, householdID: "h1", isFirst: false)
    cleared.form.setValue("", for: "care.helperName")
    cleared.form.setValue("未填", for: "care.smokeAlarm")
    let none = try cleared.outcome(cleared.form.values, town: Self.town)
    #expect(none.town.households[0].persons[0].elderlyCare == nil)
  }

  @Test func aBadContactPhoneIsRefusedAndAnEmptyOneIsFine() {
    let field = ElderlyCareFields.fields.first { $0.id == "care.guardianPhone" }!
    #expect(field.validate("") == nil)
    #expect(field.validate("12345") != nil)
    #expect(field.validate("13807451111") == nil)
  }
}
