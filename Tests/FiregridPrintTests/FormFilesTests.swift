import FiregridModel
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

  @Test func theBundledFolderHoldsTheResidentialFormVersionOne() throws {
    let registry = try ResourceFiles.formRegistry()
    let form = try #require(registry.current)
    #expect(form.id == FormRegistry.residentialID)
    #expect(form.formVersion == 1)
    // What every visit saved so far carries finds this same definition.
    #expect(registry.definition(formID: "residential-2024") == form)
    #expect(try ResourceFiles.residentialForm() == form)
    #expect(form.items(of: .hazard).contains { $0.id == "ebikeCharging" })
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
