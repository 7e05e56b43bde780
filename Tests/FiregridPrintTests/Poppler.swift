import Foundation
import Testing

/// poppler-utils (pdftotext, pdfinfo, pdffonts): what a PDF really holds, read by a tool
/// independent of the code that wrote it.
enum Poppler {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func run(_ tool: String, _ arguments: [String]) throws -> String {
    let path = "/usr/bin/\(tool)"
    guard FileManager.default.isExecutableFile(atPath: path) else {
      throw Failure(description: "\(tool) is missing: apt-get install poppler-utils")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: "\(tool) \(arguments) exited \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// The text of every page, pages separated by form feeds.
  static func text(_ url: URL) throws -> String { try run("pdftotext", [url.path, "-"]) }

  /// The text in the order it was drawn (`pdftotext -raw`): a wrapped table cell stays in one
  /// piece instead of being interleaved with its neighbours' lines.
  static func rawText(_ url: URL) throws -> String {
    try run("pdftotext", ["-raw", url.path, "-"])
  }

  /// Text without the spaces and line breaks that layout puts inside wrapped sentences.
  static func squeezed(_ text: String) -> String {
    String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
  }

  /// Whether `piece` is on the page, however it was wrapped.
  static func contains(_ text: String, _ piece: String) -> Bool {
    squeezed(text).contains(squeezed(piece))
  }

  static func info(_ url: URL) throws -> (pages: Int, pageSize: String) {
    let output = try run("pdfinfo", [url.path])
    var pages = 0
    var size = ""
    for line in output.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let value = parts[1].trimmingCharacters(in: .whitespaces)
      if parts[0] == "Pages" { pages = Int(value) ?? 0 }
      if parts[0] == "Page size" { size = value }
    }
    return (pages, size)
  }

  /// A word `pdftotext -bbox` found, with its box in points.
  struct Word: Equatable {
    var page: Int
    var text: String
    var box: [Double]  // xMin, yMin, xMax, yMax
  }

  /// Every word `pdftotext -bbox` finds, page by page: where the text stands.
  static func words(_ url: URL) throws -> [Word] {
    var words: [Word] = []
    var page = 0
    for line in try run("pdftotext", ["-bbox", url.path, "-"]).split(separator: "\n") {
      let line = line.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("<page") { page += 1 }
      guard line.hasPrefix("<word"), let close = line.firstIndex(of: ">"),
        let end = line.range(of: "</word>")
      else { continue }
      let box = ["xMin", "yMin", "xMax", "yMax"].compactMap { name -> Double? in
        guard let start = line.range(of: name + "=\"") else { return nil }
        return Double(line[start.upperBound...].prefix { $0 != "\"" })
      }
      words.append(
        Word(page: page, text: String(line[line.index(after: close)..<end.lowerBound]), box: box))
    }
    return words
  }

  /// Each font's name and whether it is embedded (the `emb` column).
  static func fonts(_ url: URL) throws -> [(name: String, embedded: Bool)] {
    let lines = try run("pdffonts", [url.path]).split(separator: "\n").dropFirst(2)
    return lines.map { line in
      let columns = line.split(separator: " ", omittingEmptySubsequences: true)
      // name type… encoding emb sub uni object ID: emb is the fifth from the end.
      let embedded = columns.count >= 5 && columns[columns.count - 5] == "yes"
      return (String(columns.first ?? ""), embedded)
    }
  }
}
