import Foundation
import Testing

/// The layering rules of docs/ARCHITECTURE.md, checked on the source tree.
struct ArchitectureTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The Swift files under `folder`. A folder that is missing or holds none is a failure:
  /// a rule checked on no files would pass whatever the code does (a module renamed, say).
  static func swiftFiles(
    under folder: String, sourceLocation: SourceLocation = #_sourceLocation
  ) -> [URL] {
    let base = root.appendingPathComponent(folder)
    let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
    let files = (walker?.compactMap { $0 as? URL } ?? []).filter { $0.pathExtension == "swift" }
    #expect(!files.isEmpty, "no Swift files under \(folder)", sourceLocation: sourceLocation)
    return files
  }

  @Test func onlyTheTerminalLayerImportsNcurses() throws {
    let files = Self.swiftFiles(under: "Sources") + Self.swiftFiles(under: "Tests")
    let importLine = "import " + "CNcursesw"  // split so this file does not match itself
    #expect(files.count > 10)
    for file in files where !file.path.contains("/Sources/NcursesTerminal/") {
      let text = try String(contentsOf: file, encoding: .utf8)
      #expect(!text.contains(importLine), "\(file.path) imports ncurses")
    }
  }

  @Test func theModelDoesNoIOAndDrawsNothing() throws {
    for file in Self.swiftFiles(under: "Sources/FiregridModel") {
      let text = try String(contentsOf: file, encoding: .utf8)
      for forbidden in [
        "import TerminalUI", "FileManager", "contentsOf:", "import FiregridStore", "Date()",
      ] {
        #expect(!text.contains(forbidden), "\(file.lastPathComponent) uses \(forbidden)")
      }
    }
  }

  /// The app reaches a town only through the store protocol (`TownRepository`): it does not
  /// import the JSON folder's module, and its target does not depend on it, so a second
  /// backend goes behind the same protocol.
  @Test func theAppDoesNotKnowTheJSONFolder() throws {
    let importLine = "import " + "FiregridStore"
    for file in Self.swiftFiles(under: "Sources/FiregridApp") {
      let text = try String(contentsOf: file, encoding: .utf8)
      #expect(!text.contains(importLine), "\(file.lastPathComponent) imports the JSON folder")
      #expect(!text.contains("DataFolder"), "\(file.lastPathComponent) names the folder layout")
    }
    let package = try String(
      contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
    let appTarget = package.components(separatedBy: "name: \"FiregridApp\"")[1]
      .components(separatedBy: ".target(")[0]
    #expect(appTarget.contains("\"FiregridRepository\""))
    #expect(!appTarget.contains("\"FiregridStore\""), "FiregridApp depends on FiregridStore")
    // The repository protocol itself holds no files either.
    for file in Self.swiftFiles(under: "Sources/FiregridRepository") {
      let text = try String(contentsOf: file, encoding: .utf8)
      for forbidden in ["FileManager", "import FiregridStore", "Date()"] {
        #expect(!text.contains(forbidden), "\(file.lastPathComponent) uses \(forbidden)")
      }
    }
  }

  /// The print module is a leaf: only the executables use it; the app reaches it through the
  /// `DocumentPrinting` protocol the command line passes in.
  @Test func onlyTheExecutablesUseThePrintModule() throws {
    let importLine = "import " + "FiregridPrint"
    let library = [
      "FiregridModel", "FiregridRepository", "FiregridRepositoryContract", "FiregridStore",
      "FiregridApp", "TerminalUI", "NcursesTerminal",
    ]
    for module in library {
      for file in Self.swiftFiles(under: "Sources/\(module)") {
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains(importLine), "\(file.lastPathComponent) imports the print module")
      }
    }
    let package = try String(
      contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
    #expect(package.contains("name: \"FiregridApp\""))
    let appTarget = package.components(separatedBy: "name: \"FiregridApp\"")[1]
      .components(separatedBy: ".target(")[0]
    #expect(!appTarget.contains("\"FiregridPrint\""), "FiregridApp depends on FiregridPrint")
  }

  /// Forms and checklists are data: the residential form's items are in Resources, not code.
  @Test func theVisitFormIsData() throws {
    for file in Self.swiftFiles(under: "Sources") {
      let text = try String(contentsOf: file, encoding: .utf8)
      for item in ["\"通道清\"", "\"电动车充电\"", "\"明白卡已张贴\""] {
        #expect(!text.contains(item), "\(file.lastPathComponent) hard-codes the form item \(item)")
      }
    }
    let form = try String(
      contentsOf: Self.root.appendingPathComponent("Resources/Data/forms/residential-v1.json"),
      encoding: .utf8)
    #expect(form.contains("\"通道清\"") && form.contains("\"电动车充电\""))
  }
}
