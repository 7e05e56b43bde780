import Foundation
import Testing

@testable import FiregridModel

/// Two versions of one paper form: version 2 drops 熏制腊肉 and adds 燃气报警器; a visit is
/// read, checked and labelled with the version it was entered with.
struct FormRegistryTests {
  static func form(version: Int, hazards: [VisitForm.Item]) -> VisitForm {
    VisitForm(
      id: "residential-2024", formVersion: version, title: "居民住房消防安全排查表",
      attachment: "附件6",
      sections: [
        .init(
          id: "sanqing", title: "三清三关", kind: .check,
          items: [.init(id: "passagesClear", label: "通道清")]),
        .init(id: "hazards", title: "隐患排查", kind: .hazard, items: hazards),
      ])
  }
  static let v1 = form(
    version: 1,
    hazards: [
      .init(id: "wiring", label: "电气线路", deadlineDays: 7),
      .init(id: "curingMeat", label: "熏制腊肉", deadlineDays: 0),
    ])
  static let v2 = form(
    version: 2,
    hazards: [
      .init(id: "wiring", label: "电气线路（含插座）", deadlineDays: 7),
      .init(id: "gasAlarm", label: "燃气报警器", deadlineDays: 3),
    ])
  static let today = CivilDate(year: 2026, month: 12, day: 20)

  static func visit(formID: String, answers: [String: Answer] = [:]) -> Visit {
    Visit(
      id: "h1-v1", householdID: "h1", date: CivilDate(year: 2026, month: 12, day: 3),
      visitorID: "u001", personsMet: "张三", answers: answers, formID: formID)
  }

  @Test func aVisitOfVersionOneGetsVersionOneWithItsItems() throws {
    // Listed newest first, as a folder listing might: order must not matter.
    let registry = try FormRegistry([Self.v2, Self.v1])
    let visit = Self.visit(formID: "residential-2024", answers: ["curingMeat": .yes])
    let form = try #require(registry.definition(for: visit))
    #expect(form.formVersion == 1)
    #expect(form.items(of: .hazard).map(\.id) == ["wiring", "curingMeat"])
    #expect(form.label(of: "wiring") == "电气线路")
    #expect(registry.definition(formID: "residential-2024@2") == Self.v2)
    #expect(registry.definition(id: "residential-2024", version: 2) == Self.v2)
    // The version may be spelled out for version 1 too; either way the same definition.
    #expect(registry.definition(formID: "residential-2024@1") == Self.v1)
  }

  @Test func theFormIDStoredIsTheBareIDForVersionOneAndIDAtNAfter() {
    #expect(Self.v1.formID == "residential-2024")
    #expect(Self.v2.formID == "residential-2024@2")
    #expect(FormRegistry.parse(formID: "residential-2024@2") == ("residential-2024", 2))
    #expect(FormRegistry.parse(formID: "residential-2024") == ("residential-2024", 1))
    // Not a version: kept as part of the id, which then names no form.
    #expect(FormRegistry.parse(formID: "x@0") == ("x@0", 1))
    #expect(FormRegistry.parse(formID: "x@02") == ("x@02", 1))
    #expect(FormRegistry.parse(formID: "x@") == ("x@", 1))
  }

  @Test func anUnknownFormIsNilNeverAnotherVersion() throws {
    let registry = try FormRegistry([Self.v1, Self.v2])
    #expect(registry.definition(for: Self.visit(formID: "shop-2025")) == nil)
    #expect(registry.definition(for: Self.visit(formID: "residential-2024@3")) == nil)
    #expect(registry.definition(for: Self.visit(formID: "residential-2024@x")) == nil)
    #expect(registry.definition(id: "residential-2024", version: 0) == nil)
    #expect(ModelText.formUnknown("residential-2024@3").contains("residential-2024@3"))
  }

  @Test func newEntriesUseTheNewestVersionAndCarryItsFormID() throws {
    let registry = try FormRegistry([Self.v2, Self.v1])
    #expect(registry.current == Self.v2)
    #expect(registry.current("residential-2024") == Self.v2)
    #expect(registry.current("shop-2025") == nil)
    #expect(try FormRegistry([Self.v1]).current == Self.v1)
    #expect(try FormRegistry([]).current == nil)

    let current = try #require(registry.current)
    let entry = VisitEntry(
      householdID: "h1", date: CivilDate(year: 2026, month: 12, day: 3), visitorID: "u001",
      personsMet: "张三", answers: ["passagesClear": .yes, "wiring": .yes, "gasAlarm": .yes])
    let (_, visit) = try VisitRules.record(
      entry, in: VisitRecord(householdID: "h1"), form: current, today: Self.today)
    #expect(visit.formID == "residential-2024@2")
    #expect(registry.definition(for: visit) == Self.v2)
  }

  /// A correction of a version-1 visit is checked against version 1: its answer to 熏制腊肉,
  /// an item version 2 no longer has, stays valid, and the visit stays version 1.
  @Test func aVersionOneVisitIsCorrectedWithVersionOne() throws {
    let registry = try FormRegistry([Self.v1, Self.v2])
    let saved = Self.visit(
      formID: "residential-2024", answers: ["passagesClear": .yes, "curingMeat": .yes])
    let form = try #require(registry.definition(for: saved))
    let entry = VisitEntry(
      householdID: "h1", date: saved.date, visitorID: "u001", personsMet: "张三",
      answers: saved.answers)
    let (_, visit) = try VisitRules.record(
      entry, in: VisitRecord(householdID: "h1"), form: form, today: Self.today, id: saved.id)
    #expect(visit.formID == "residential-2024")
    #expect(visit.answers == saved.answers)
    #expect(throws: VisitRules.Refusal.self) {
      try VisitRules.record(
        entry, in: VisitRecord(householdID: "h1"), form: Self.v2, today: Self.today)
    }
  }

  @Test func twoDefinitionsOfOneVersionAreRefused() {
    let copy = Self.form(version: 2, hazards: [])
    #expect(
      throws: FormRegistry.Duplicate(formID: "residential-2024@2", first: 1, second: 2)
    ) {
      try FormRegistry([Self.v1, Self.v2, copy])
    }
    let message = FormRegistry.Duplicate(formID: "residential-2024@2", first: 1, second: 2)
      .message
    #expect(message.contains("residential-2024") && message.contains("第2版"))
  }

  /// A hazard is named as on the form of the visit that found it.
  @Test func aHazardIsLabelledByTheFormItWasFoundOn() throws {
    let registry = try FormRegistry([Self.v1, Self.v2])
    let hazard = Hazard(
      id: "h1-z1", householdID: "h1", checkID: "wiring", description: "电线老化",
      events: [
        HazardEvent(
          kind: .found, date: CivilDate(year: 2026, month: 12, day: 3), visitID: "h1-v1",
          deadline: CivilDate(year: 2026, month: 12, day: 10))
      ])
    var record = VisitRecord(
      householdID: "h1", visits: [Self.visit(formID: "residential-2024")], hazards: [hazard])
    #expect(registry.label(of: hazard, in: record) == "电气线路")
    record.visits[0].formID = "residential-2024@2"
    #expect(registry.label(of: hazard, in: record) == "电气线路（含插座）")
    // The visit's form is not loaded: the newest form's label, else the id.
    record.visits[0].formID = "shop-2025"
    #expect(registry.label(of: hazard, in: record) == "电气线路（含插座）")
    var gone = hazard
    gone.checkID = "stove"
    #expect(registry.label(of: gone, in: record) == "stove")
  }

  @Test func aDefinitionDecodesAsVersionOneWithoutFormVersionAndChecksItsID() throws {
    let json = #"{"id":"residential-2024","title":"t","attachment":"a","sections":[]}"#
    let form = try JSONDecoder().decode(VisitForm.self, from: Data(json.utf8))
    #expect(form.formVersion == 1)
    let v3 = try JSONDecoder().decode(
      VisitForm.self,
      from: Data(
        #"{"id":"residential-2024","formVersion":3,"title":"t","attachment":"a","sections":[]}"#
          .utf8))
    #expect(v3.formVersion == 3)
    #expect(try JSONDecoder().decode(VisitForm.self, from: JSONEncoder().encode(v3)) == v3)

    var bad = Self.v1
    bad.id = "residential@2024"
    #expect(bad.problems == [ModelText.formBadID("residential@2024")])
    bad.id = ""
    #expect(bad.problems == [ModelText.formBadID("")])
    bad = Self.v1
    bad.formVersion = 0
    #expect(bad.problems == [ModelText.formBadVersion("residential-2024", 0)])
    #expect(Self.v1.problems.isEmpty && Self.v2.problems.isEmpty)
  }
}

/// What a hand-edited definition can get wrong, each refused naming where it is.
struct FormProblemsTests {
  static let business = VisitForm(
    id: "business-2024", title: "生产经营性场所消防安全排查表", attachment: "附件5", subject: .business,
    header: [.init(id: "name", label: "场所名称"), .init(id: "floors", label: "层数")],
    sections: [
      .init(
        id: "fireUse", title: "用火用电", kind: .hazard,
        items: [
          .init(id: "wiringConduit", label: "电线未穿管", deadlineDays: 7),
          .init(id: "gasKitchen", label: "液化气", deadlineDays: 3, appliesTo: ["restaurant"]),
        ]),
      .init(
        id: "house", title: "建筑情况", kind: .choice,
        items: [
          .init(
            id: "structure", label: "结构",
            options: [.init(key: "1", label: "砖木"), .init(key: "2", label: "砖混")])
        ]),
    ])

  @Test func aGoodDefinitionHasNoProblems() {
    #expect(Self.business.problems.isEmpty)
    #expect(FormRegistryTests.v1.problems.isEmpty)
  }

  @Test func labelsAndIDs() {
    var form = Self.business
    form.sections[0].items[1].label = " "
    form.sections[0].items.append(.init(id: "wiringConduit", label: "重复"))
    form.sections[1].items[0].id = "a.b"
    form.sections[1].title = ""
    form.title = ""
    #expect(
      form.problems == [
        "缺少表名（title）",
        "第1节 用火用电 第2项 gasKitchen：名称（label）为空",
        "走访表项目编号重复：wiringConduit",
        "第2节 ：名称（label）为空",
        ModelText.formItemPlace(2, "", 1, "a.b") + ModelText.formItemBadID("a.b"),
      ])
    var empty = Self.business
    empty.sections[1].items = []
    empty.sections.append(empty.sections[0])
    #expect(
      empty.problems == [
        "第2节 建筑情况：没有项目",
        "第3节 用火用电：节的编号为空或重复：fireUse",
        "走访表项目编号重复：wiringConduit",
        "走访表项目编号重复：gasKitchen",
      ])
  }

  @Test func choiceOptions() {
    var form = Self.business
    form.sections[1].items[0].options = nil
    #expect(form.problems == ["第2节 建筑情况 第1项 structure：选择项没有选项（options）"])
    form.sections[1].items[0].options = [
      .init(key: "1", label: "砖木"), .init(key: "1", label: "砖混"), .init(key: "10", label: "钢"),
      .init(key: "a", label: ""), .init(key: "0", label: "无"),
    ]
    let at = "第2节 建筑情况 第1项 structure："
    #expect(
      form.problems == [
        at + "选项键 1 重复", at + "选项键 10 应为 1 到 9 中的一个数字", at + "选项键 a 应为 1 到 9 中的一个数字",
        at + "选项 a 的名称为空", at + "选项键 0 应为 1 到 9 中的一个数字",
      ])
    // Options on a tick box: a choice only in a choice section.
    form = Self.business
    form.sections[0].items[0].options = [.init(key: "1", label: "有")]
    #expect(
      form.problems == ["第1节 用火用电 第1项 wiringConduit：只有 choice 节的项目才有选项（options），此节是 hazard"])
  }

  @Test func appliesToOnlyOnTheBusinessFormAndOnlyKnownKinds() {
    var form = Self.business
    form.sections[0].items[1].appliesTo = ["restaurant", "mixedUse", "teahouse"]
    #expect(
      form.problems == [
        "第1节 用火用电 第2项 gasKitchen："
          + ModelText.formAppliesToUnknown("teahouse", VisitForm.appliesToValues)
      ])
    #expect(
      form.problems[0].contains("shop、restaurant、workshop、farmStay、smallHotel、other、mixedUse"))
    form.sections[0].items[1].appliesTo = []
    #expect(form.problems == ["第1节 用火用电 第2项 gasKitchen：appliesTo 为空：没有场所会被问到"])
    // A home's form: no kind of home is told apart, the item could not apply.
    var home = FormRegistryTests.v1
    home.sections[1].items[0].appliesTo = ["mixedUse"]
    home.sections[1].items[1].onlyForVulnerable = true
    #expect(
      home.problems == [
        "第2节 隐患排查 第1项 wiring：appliesTo 只用于生产经营性场所表（business），household 表的项目不分场所类别"
      ])
    var office = Self.business
    office.id = "office-2024"
    office.subject = .office
    #expect(office.problems.count == 1)
    #expect(office.problems.first?.contains("office 表的项目不分场所类别") == true)
    // 重点人群 is a household's: a premises form cannot ask it.
    form = Self.business
    form.sections[0].items[0].onlyForVulnerable = true
    #expect(
      form.problems == ["第1节 用火用电 第1项 wiringConduit：onlyForVulnerable 只用于居民住房表（场所没有重点人群成员）"])
  }

  @Test func headerIDsAreFieldsOfAPremises() {
    var form = Self.business
    form.header += [
      .init(id: "owner", label: "业主"), .init(id: "name", label: ""), .init(id: "kind", label: "类别"),
    ]
    #expect(
      form.problems == [
        "表头第3行 owner：不认识的表头项 owner（可用：name、kind、address、responsiblePerson、responsiblePhone、floors、floorArea、sleepers）",
        "表头第4行 name：表头项重复", "表头第4行 name：名称（label）为空",
      ])
    var home = FormRegistryTests.v1
    home.header = [.init(id: "name", label: "户主")]
    #expect(home.problems == ["居民住房表的表头由名册填写，不能另设 header"])
    let premises = Premises(
      id: "c00001", gridID: "g1", name: "舒家饭店", kind: .mixedUse, businessKind: .restaurant,
      floors: 2, peopleSleep: false)
    #expect(VisitForm.headerValue("kind", of: premises) == "多合一场所（餐饮）")
    #expect(VisitForm.headerValue("floors", of: premises) == "2")
    #expect(VisitForm.headerValue("floorArea", of: premises) == "")
    #expect(VisitForm.headerValue("sleepers", of: premises) == "0")
    #expect(VisitForm.headerValue("owner", of: premises) == nil)
  }

  @Test func aKnownFormIDInspectsItsSubject() {
    var form = Self.business
    form.subject = .office
    form.sections[0].items[1].appliesTo = nil
    #expect(form.problems == ["business-2024 的 subject 应为 business，现为 office"])
  }

  @Test func premisesAreAskedTheItemsThatApplyToThem() {
    let shop = Self.business.sections(for: .business, business: .shop)
    #expect(shop[0].items.map(\.id) == ["wiringConduit"])
    let restaurant = Self.business.sections(for: .business, business: .restaurant)
    #expect(restaurant[0].items.map(\.id) == ["wiringConduit", "gasKitchen"])
  }
}
