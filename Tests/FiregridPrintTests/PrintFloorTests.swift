import FiregridModel
import Foundation
import Testing

@testable import FiregridPrint

/// The layouts a canvas keeps from page to page (`TextLayouts`) against the floor
/// (`PrintFloor`), which draws the same text with one fresh layout a page: every word must
/// stand in the same place, so a card drawn from kept layouts reads as one laid out anew.
@Suite struct PrintFloorTests {
  static var grid: Grid { PrintRendererTests.firstGrid }

  @Test(arguments: [
    PrintRequest.cards(.grid(PrintFloorTests.grid.id), layout: .a6),
    .cards(.grid(PrintFloorTests.grid.id), layout: .fourUpA4),
    .notices(.grid(PrintFloorTests.grid.id)),
  ])
  func keptLayoutsPutEveryWordWhereAFreshLayoutDoes(_ request: PrintRequest) throws {
    let (url, pages) = try PrintRendererTests.render(request)
    defer { try? FileManager.default.removeItem(at: url) }
    let floor = try PrintFloor(
      request, town: PrintRendererTests.town, content: PrintRendererTests.content)
    let floorURL = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-floor-test-\(UUID().uuidString).pdf")
    defer { try? FileManager.default.removeItem(at: floorURL) }
    #expect(try floor.render(to: floorURL) == pages)
    #expect(floor.pageCount == pages)
    #expect(pages >= 2, "one page keeps nothing from page to page")

    let words = try Poppler.words(url)
    let floorWords = try Poppler.words(floorURL)
    #expect(words.count > 20 * pages)
    #expect(words.count == floorWords.count)
    // Boxes within 0.01 pt: on the floor's pages, with no frame drawn between two texts, Cairo
    // writes neighbouring texts as one run, whose spacing it rounds to 1/1000 em.
    let moved = zip(words, floorWords).first { word, floorWord in
      word.page != floorWord.page || word.text != floorWord.text
        || zip(word.box, floorWord.box).contains { abs($0 - $1) > 0.01 }
    }
    #expect(moved == nil, "\(moved!.0) where a fresh layout puts \(moved!.1)")
  }

  /// A text met on two pages is laid out once and drawn from then on as it is; a text of one
  /// page (a name, an address) is not kept, however often that page measures and draws it.
  @Test func recurringTextIsKeptAndTextOfOnePageIsNot() throws {
    let canvas = try PDFCanvas(path: "/dev/null", size: .a6, title: "")
    let label = "户主"
    let size = canvas.measure(label, font: .sans(7))
    for page in 0..<3 {
      canvas.text(label, x: 10, y: 20, font: .sans(7))
      // More texts than the canvas keeps for the page at hand.
      for index in 0..<(TextLayouts.recentCount + 4) {
        let name = "住户\(page)-\(index)"
        let height = canvas.measure(name, font: .serif(7.8)).height
        #expect(canvas.text(name, x: 10, y: 10, font: .serif(7.8)) == height)
      }
      #expect(canvas.measure(label, font: .sans(7)) == size)
      canvas.endPage()
    }
    #expect(canvas.keptTexts == [label])
    try canvas.finish()
  }
}
