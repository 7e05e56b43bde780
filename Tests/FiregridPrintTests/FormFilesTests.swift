import FiregridModel
import FiregridPrint
import FiregridResources
import Foundation
import Testing

/// The form definition files of `Resources/Data/forms`, as `ResourceFiles` loads them. Here
/// because this is the test target that links `FiregridResources`, and printing reads them.
@Suite struct FormFilesTests {
  static let bundledForm: VisitForm = try! ResourceFiles.residentialForm()

  /// A temporary folder holding `files` (name → JSON text).
  static func folder(_ files: [String: String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-forms-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    for (name, text) in files {
      try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }
    return url
  }

  /// The bundled residential form as a file's JSON, as version `version` with its first
  /// hazard check relabelled, so versions can be told apart.
  static func file(version: Int, label: String = "电气线路") throws -> String {
    var form = bundledForm
    form.formVersion = version
    let hazards = try #require(form.sections.firstIndex { $0.kind == .hazard })
    form.sections[hazards].items[0].label = label
    var object =
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(form)) as! [String: Any]
    object["format"] = "firegrid.visit-form"
    object["version"] = 1
    return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
  }

  static func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return ""
    } catch {
      return "\(error)"
    }
  }

  /// Every shipped file loads and validates on its own; new visits get the residential form
  /// version 2, and what every visit saved before it carries (the bare id) finds version 1.
  @Test func theBundledFolderHoldsEveryFormEachValid() throws {
    let registry = try ResourceFiles.formRegistry()
    #expect(
      registry.forms.map(\.formID) == [
        "business-2024", "office-2024", "residential-2024", "residential-2024@2", "spotcheck-2024",
      ])
    let form = try #require(registry.current)
    #expect(form.id == FormRegistry.residentialID)
    #expect(form.formVersion == 2)
    #expect(try ResourceFiles.residentialForm() == form)
    #expect(registry.definition(formID: "residential-2024")?.formVersion == 1)
    #expect(registry.current(for: .business)?.attachment == "附件5")
    #expect(registry.current(for: .office)?.attachment == "附件4")
    let folder = ResourceFiles.dataFolder.appendingPathComponent(ResourceFiles.formsFolderName)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".json") }
    #expect(files.count == registry.forms.count)
    for file in files {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      let url = try Self.folder([file: text])
      defer { try? FileManager.default.removeItem(at: url) }
      let alone = try ResourceFiles.formRegistry(in: url)
      #expect(alone.forms.count == 1)
      #expect(alone.forms.first?.problems == [], "\(file)")
    }
  }

  /// The bundled version 2 with `edit` applied to its JSON.
  static func edited(_ edit: (inout [String: Any]) -> Void) throws -> String {
    var object =
      try JSONSerialization.jsonObject(with: Data(try Self.file(version: 2).utf8))
      as! [String: Any]
    edit(&object)
    return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
  }

  /// Changes item `item` of section `section` (from 0).
  static func editItem(
    _ object: inout [String: Any], section: Int, item: Int, _ edit: (inout [String: Any]) -> Void
  ) {
    var sections = object["sections"] as! [[String: Any]]
    var items = sections[section]["items"] as! [[String: Any]]
    edit(&items[item])
    sections[section]["items"] = items
    object["sections"] = sections
  }

  static func refusal(_ text: String) throws -> String {
    let url = try Self.folder(["x.json": text])
    defer { try? FileManager.default.removeItem(at: url) }
    return Self.message { _ = try ResourceFiles.formRegistry(in: url) }
  }

  @Test func aFileIsRefusedNamingTheFileTheSectionAndTheItem() throws {
    let kind = try Self.edited { object in
      var sections = object["sections"] as! [[String: Any]]
      sections[1]["kind"] = "foo"
      object["sections"] = sections
    }
    #expect(
      try Self.refusal(kind)
        == "forms/x.json: 第2节 隐患排查：不认识的类别 foo（可用：check、hazard、action、choice）")
    let subject = try Self.edited { $0["subject"] = "school" }
    #expect(
      try Self.refusal(subject)
        == "forms/x.json: 不认识的排查对象 subject school（可用：household、office、business）")
    let noLabel = try Self.edited {
      Self.editItem(&$0, section: 1, item: 2) { $0["label"] = nil }
    }
    #expect(try Self.refusal(noLabel) == "forms/x.json: 第2节 隐患排查 第3项 clutter：缺少 label")
    let emptyLabel = try Self.edited {
      Self.editItem(&$0, section: 1, item: 2) { $0["label"] = "" }
    }
    #expect(
      try Self.refusal(emptyLabel) == "forms/x.json: 第2节 隐患排查 第3项 clutter：名称（label）为空")
    let badDays = try Self.edited {
      Self.editItem(&$0, section: 1, item: 0) { $0["deadlineDays"] = "seven" }
    }
    #expect(
      try Self.refusal(badDays) == "forms/x.json: 第2节 隐患排查 第1项 wiring：deadlineDays 的类型不对")
    let repeated = try Self.edited {
      Self.editItem(&$0, section: 2, item: 0) { $0["id"] = "wiring" }
    }
    #expect(try Self.refusal(repeated) == "forms/x.json: 走访表项目编号重复：wiring")
    let choice = try Self.edited {
      Self.editItem(&$0, section: 3, item: 1) {
        $0["options"] = [["key": "1", "label": "1层"], ["key": "1", "label": "2层"]]
      }
    }
    #expect(try Self.refusal(choice) == "forms/x.json: 第4节 房屋情况 第2项 floors：选项键 1 重复")
    let applies = try Self.edited {
      Self.editItem(&$0, section: 1, item: 0) { $0["appliesTo"] = ["mixedUse"] }
      $0["header"] = [["id": "owner", "label": "户主"]]
    }
    #expect(
      try Self.refusal(applies)
        == """
        forms/x.json: 居民住房表的表头由名册填写，不能另设 header
        forms/x.json: 表头第1行 owner：不认识的表头项 owner（可用：name、kind、address、responsiblePerson、responsiblePhone、floors、floorArea、sleepers）
        forms/x.json: 第2节 隐患排查 第1项 wiring：appliesTo 只用于生产经营性场所表（business），household 表的项目不分场所类别
        """)
    #expect(try Self.refusal("{\"format\":").hasPrefix("forms/x.json: "))
  }

  /// Shipped version 2 beside version 1: a visit entered with version 1 prints on version 1's
  /// page (no 房屋情况, no 灶台 check), one entered with version 2 on version 2's.
  @Test func aVersionOneVisitPrintsWithVersionOne() throws {
    let content = try PrintContent.bundled()
    let forms = content.forms
    let v1 = try #require(forms.definition(id: FormRegistry.residentialID, version: 1))
    let v2 = try #require(forms.current)
    var town = PrintRendererTests.town
    let household = PrintRendererTests.firstHousehold
    func visit(_ n: Int, _ form: VisitForm) -> Visit {
      var answers: [String: Answer] = [:]
      for section in form.sections {
        for item in section.items {
          answers[item.id] = section.kind == .choice ? .option2 : .yes
        }
      }
      return Visit(
        id: "\(household.id)-v\(n)", householdID: household.id,
        date: CivilDate(year: 2026, month: 11, day: 20 + n), visitorID: household.visitorID,
        personsMet: household.head!.name, answers: answers, formID: form.formID)
    }
    town.visitRecords[household.id] = VisitRecord(
      householdID: household.id, visits: [visit(1, v1), visit(2, v2)])
    func text(_ visitID: String) throws -> String {
      let (url, _) = try PrintRendererTests.render(
        .filledForms(visitIDs: [visitID]), town: town, content: content)
      defer { try? FileManager.default.removeItem(at: url) }
      return try Poppler.text(url)
    }
    let first = try text("\(household.id)-v1")
    #expect(Poppler.contains(first, "通道清"))
    #expect(!Poppler.contains(first, "房屋结构"))
    #expect(!Poppler.contains(first, "灶台、火塘周边堆放柴草"))
    let second = try text("\(household.id)-v2")
    // (Every item of version 2 on its one page is the layout's test:
    // `PrintRendererTests.nextRoundFormsArePrefilledAndLeaveTheBoxesEmpty`.)
    #expect(Poppler.contains(second, "灶台、火塘周边堆放柴草"))
  }

  /// A new version is a file beside the old one: new visits get it, old ones keep theirs.
  @Test func aNewVersionIsANewFile() throws {
    let url = try Self.folder([
      "residential-v1.json": try Self.file(version: 1),
      "residential-v2.json": try Self.file(version: 2, label: "电气线路及插座"),
    ])
    defer { try? FileManager.default.removeItem(at: url) }
    let registry = try ResourceFiles.formRegistry(in: url)
    #expect(registry.current?.formVersion == 2)
    #expect(registry.current?.label(of: "wiring") == "电气线路及插座")
    #expect(registry.definition(formID: "residential-2024")?.label(of: "wiring") == "电气线路")
  }

  @Test func twoFilesOfOneVersionAreRefusedNamingBoth() throws {
    let url = try Self.folder([
      "residential-v1.json": try Self.file(version: 1),
      "residential-v1-copy.json": try Self.file(version: 1, label: "电线"),
    ])
    defer { try? FileManager.default.removeItem(at: url) }
    let message = Self.message { _ = try ResourceFiles.formRegistry(in: url) }
    #expect(
      message
        == "forms/residential-v1-copy.json 与 forms/residential-v1.json："
        + "走访表 residential-2024 第1版有两份定义，无法确定走访记录用的是哪一份")
  }

  @Test func aBadFileIsRefusedByName() throws {
    var bad = try Self.file(version: 1)
    bad = bad.replacingOccurrences(of: #""residential-2024""#, with: #""residential@2024""#)
    let url = try Self.folder([
      "residential-v1.json": bad, "notes.txt": "not a form", ".residential-v1.json.swp": "x",
    ])
    defer { try? FileManager.default.removeItem(at: url) }
    let message = Self.message { _ = try ResourceFiles.formRegistry(in: url) }
    #expect(message.hasPrefix("forms/residential-v1.json: 走访表编号不能"), "\(message)")

    let other = try Self.folder([
      "residential-v1.json": try Self.file(version: 1).replacingOccurrences(
        of: #""firegrid.visit-form""#, with: #""firegrid.other""#)
    ])
    defer { try? FileManager.default.removeItem(at: other) }
    #expect(
      Self.message { _ = try ResourceFiles.formRegistry(in: other) }
        == "forms/residential-v1.json: 不认识的格式 firegrid.other 版本 1")

    let empty = try Self.folder(["readme.txt": "no forms here"])
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(
      Self.message { _ = try ResourceFiles.formRegistry(in: empty) } == "forms/ 中没有走访表定义")
  }
}
