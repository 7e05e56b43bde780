import Foundation
import Testing

/// The layering rules of DESIGN.md, checked on the source tree.
struct ArchitectureTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static func swiftFiles(under folder: String) -> [URL] {
    let base = root.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
    else { return [] }
    return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
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
}
