import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Streaming readers of the two large parts, over `XMLParser` (see `XMLTree` for why):
/// shared strings (`strings`) and a worksheet's cells (`rows`).
enum SheetParser {
  /// The shared strings table: each <si>'s text, a rich-text string's runs (<r><t>) joined;
  /// phonetic runs (<rPh>, furigana) left out. Nil when the XML is not well-formed.
  static func strings(_ data: Data) -> [String]? {
    let reader = StringsReader()
    guard run(reader, data), reader.balance.isComplete else { return nil }
    return reader.strings
  }

  /// A worksheet's cells as text, `rows[0]` being row 1. Rows and cells missing from the
  /// file (gaps in the row numbers or the column letters) are empty; a row holds cells up to
  /// its last one given. Shared strings are looked up, inline strings (rich text too) joined,
  /// booleans are TRUE/FALSE, numbers and errors as stored (<v>). Nil when the XML is not
  /// well-formed or a shared string index is out of range.
  static func rows(_ data: Data, strings: [String]) -> [[String]]? {
    let reader = CellReader(strings: strings)
    guard run(reader, data), reader.balance.isComplete, !reader.failed else { return nil }
    return reader.rows
  }

  private static func run(_ delegate: XMLParserDelegate, _ data: Data) -> Bool {
    let parser = XMLParser(data: data)
    parser.delegate = delegate
    parser.shouldProcessNamespaces = true
    parser.shouldResolveExternalEntities = false
    return parser.parse()
  }

  /// Whether a document was whole: libxml2's parser reports a file cut off after an opening
  /// tag as parsed, so the readers count the elements themselves.
  struct Balance {
    var depth = 0
    var elements = 0
    var isComplete: Bool { depth == 0 && elements > 0 }
    mutating func open() {
      depth += 1
      elements += 1
    }
    mutating func close() { depth -= 1 }
  }

  private final class StringsReader: NSObject, XMLParserDelegate {
    var balance = Balance()
    var strings: [String] = []
    var current = ""
    var inText = false
    var phoneticDepth = 0

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      balance.open()
      switch elementName {
      case "si": current = ""
      case "t": inText = phoneticDepth == 0
      case "rPh": phoneticDepth += 1
      default: break
      }
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?
    ) {
      balance.close()
      switch elementName {
      case "si": strings.append(current)
      case "t": inText = false
      case "rPh": phoneticDepth -= 1
      default: break
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if inText { current += string }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
      if inText { current += String(decoding: block, as: UTF8.self) }
    }
  }

  private final class CellReader: NSObject, XMLParserDelegate {
    let strings: [String]
    var balance = Balance()
    var rows: [[String]] = []
    var failed = false

    var row: [String] = []
    var rowIndex = -1
    var column = -1
    var type = ""
    var value = ""
    var inline = ""
    /// Which text is being collected: <v>, an inline string's <t>, or none.
    var collecting: Collecting = .none
    var inInline = false
    var phoneticDepth = 0

    enum Collecting { case none, value, inline }

    init(strings: [String]) { self.strings = strings }

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      balance.open()
      switch elementName {
      case "row":
        let number = attributeDict["r"].flatMap(Int.init)
        rowIndex = number.map { $0 - 1 } ?? rowIndex + 1
        if rowIndex < rows.count { rowIndex = rows.count }
        row = []
        column = -1
      case "c":
        if let reference = attributeDict["r"], let parsed = CellReference.parse(reference) {
          column = parsed.column
        } else {
          column += 1
        }
        type = attributeDict["t"] ?? "n"
        value = ""
        inline = ""
      case "v": collecting = .value
      case "is": inInline = true
      case "rPh": phoneticDepth += 1
      case "t" where inInline && phoneticDepth == 0: collecting = .inline
      default: break
      }
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?
    ) {
      balance.close()
      switch elementName {
      case "v", "t": collecting = .none
      case "is": inInline = false
      case "rPh": phoneticDepth -= 1
      case "c": endCell()
      case "row":
        while rows.count < rowIndex { rows.append([]) }
        while let last = row.last, last.isEmpty { row.removeLast() }
        rows.append(row)
      default: break
      }
    }

    func endCell() {
      let text: String
      switch type {
      case "s":
        guard let index = Int(value.trimmingCharacters(in: .whitespaces)),
          strings.indices.contains(index)
        else {
          failed = true
          return
        }
        text = strings[index]
      case "inlineStr": text = inline
      case "b": text = value == "1" ? "TRUE" : "FALSE"
      default: text = value
      }
      guard column >= 0, column < 16_384 else { return }
      while row.count <= column { row.append("") }
      row[column] = text
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      switch collecting {
      case .value: value += string
      case .inline: inline += string
      case .none: break
      }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
      self.parser(parser, foundCharacters: String(decoding: block, as: UTF8.self))
    }
  }
}
