import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A small XML element tree over Foundation's `XMLParser`, for the small parts of a package
/// (relationships, the workbook's sheet list, custom properties). Worksheets and shared
/// strings, which can hold a whole town, are read as a stream instead (`SheetParser`).
///
/// Why `XMLParser` (FoundationXML on Linux, libxml2 underneath) rather than a parser of our
/// own: entities, character references, CDATA, namespaces and encodings are handled by a
/// parser that has met every file Excel, WPS and LibreOffice write, and it ships with the
/// toolchain (no new dependency). Its cost is a callback per element: reading a 10,000-row,
/// 11-column sheet takes about 0.7 s in a debug build (`XLSXReader` has the figures).
///
/// Names are local names: namespaces are processed, so `x:row` (some writers prefix every
/// element) is `row`, and an attribute `r:id` is `id`.
struct XMLTree: Equatable, Sendable {
  var name: String
  var attributes: [String: String]
  var children: [XMLTree]
  /// The element's own text (not its children's).
  var text: String

  init(
    name: String, attributes: [String: String] = [:], children: [XMLTree] = [], text: String = ""
  ) {
    self.name = name
    self.attributes = attributes
    self.children = children
    self.text = text
  }

  /// The first child named `name`.
  func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

  /// Every element named `name` at any depth, in document order.
  func all(_ name: String) -> [XMLTree] {
    var found: [XMLTree] = []
    for child in children {
      if child.name == name { found.append(child) }
      found += child.all(name)
    }
    return found
  }

  /// The element's own text followed by all its children's (enough for a property value).
  var allText: String { text + children.map(\.allText).joined() }

  /// Parses `data`; nil when it is not well-formed XML.
  static func parse(_ data: Data) -> XMLTree? {
    let parser = XMLParser(data: data)
    let builder = Builder()
    parser.delegate = builder
    parser.shouldProcessNamespaces = true
    parser.shouldResolveExternalEntities = false
    guard parser.parse(), builder.stack.isEmpty, let root = builder.root else { return nil }
    return root
  }

  /// An attribute's local name: "r:id" → "id".
  static func localName(_ name: String) -> String {
    guard let colon = name.lastIndex(of: ":") else { return name }
    return String(name[name.index(after: colon)...])
  }

  static func localAttributes(_ attributes: [String: String]) -> [String: String] {
    var result: [String: String] = [:]
    for (key, value) in attributes { result[localName(key)] = value }
    return result
  }

  private final class Builder: NSObject, XMLParserDelegate {
    var stack: [XMLTree] = []
    var root: XMLTree?

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      stack.append(
        XMLTree(
          name: XMLTree.localName(elementName),
          attributes: XMLTree.localAttributes(attributeDict)))
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?
    ) {
      guard let done = stack.popLast() else { return }
      if stack.isEmpty {
        root = done
      } else {
        stack[stack.count - 1].children.append(done)
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      guard !stack.isEmpty else { return }
      stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
      guard !stack.isEmpty else { return }
      stack[stack.count - 1].text += String(decoding: block, as: UTF8.self)
    }
  }
}
