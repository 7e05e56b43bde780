import FiregridModel
import TerminalUI

/// `/`: search the whole town as you type — names, pinyin and initials, ID number endings,
/// phones, 户号, addresses — and jump to what was found.
public struct SearchScreen {
  var field = TextField(maxLength: 30)
  var hits: [SearchHit] = []
  var list = ListState()

  enum Outcome: Equatable {
    case handled
    case close
    case open(SearchHit)
  }

  mutating func handle(_ key: Key, search: TownSearch, pageSize: Int) -> Outcome {
    switch key {
    case .escape:
      return .close
    case .enter:
      guard list.selected < hits.count else { return .handled }
      return .open(hits[list.selected])
    case .up, .down, .pageUp, .pageDown:
      _ = list.handle(key, count: hits.count, pageSize: pageSize)
      return .handled
    default:
      guard field.handle(key) == .handled else { return .handled }
      hits = search.search(field.text, limit: 100)
      list = ListState()
      return .handled
    }
  }

  static let bindings: [KeyBinding] = [
    KeyBinding([.enter], "Enter", AppText.keySearchOpen),
    KeyBinding([.up, .down], "Up/Down", AppText.keyMove),
    ListKeys.page,
    KeyBinding([.escape], "Esc", AppText.keyCancel),
  ]

  func render(into buffer: inout ScreenBuffer, area: Rect) -> (x: Int, y: Int)? {
    buffer.fill(area, style: .plain)
    buffer.write(AppText.searchTitle, x: area.x + 1, y: area.y, style: .title)
    buffer.write(AppText.searchPromptTown, x: area.x + 1, y: area.y + 1, style: .key)
    let fieldX = area.x + 2 + AppText.searchPromptTown.displayWidth
    let cursor = field.render(
      into: &buffer, area: Rect(x: fieldX, y: area.y + 1, width: 32, height: 1),
      style: .underline, focused: true)
    let count = field.text.isEmpty ? AppText.searchHint : AppText.count(hits.count)
    buffer.write(
      count, x: fieldX + 34, y: area.y + 1, maxWidth: area.maxX - fieldX - 35, style: .muted)
    var table = Table(
      columns: [
        TableColumn(AppText.columnFound, width: 16),
        TableColumn(AppText.columnWhere, width: 36),
        TableColumn(AppText.columnMatched, width: 16),
      ],
      rows: hits.map { [$0.title, $0.detail, $0.matched] })
    table.state = list
    table.emptyText = field.text.isEmpty ? "" : AppText.noMatches
    table.render(
      into: &buffer,
      area: Rect(x: area.x + 1, y: area.y + 3, width: area.width - 2, height: area.height - 3),
      focused: true)
    return cursor
  }
}
