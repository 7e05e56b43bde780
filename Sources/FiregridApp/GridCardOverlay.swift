import FiregridModel
import TerminalUI

/// 网格卡 (`i` on a village's grids): one grid on one page — its leader, WeChat group and
/// volunteers, the households and the vulnerable in it, who visits them, how far this round
/// has got, and the last weekly contact. What a cadre reads out or calls from; phones masked.
///
/// The example of how a screen is added: this file, and the one line in `RosterScreen.keymap`
/// that binds its key to `.show(GridCardOverlay.init)`.
struct GridCardOverlay: Overlay {
  let gridID: String

  enum Action { case close }
  static let keymap = Keymap<Action>([
    (
      KeyBinding([.escape, .enter, .character("i"), .character("q")], "Esc", AppText.keyBack),
      .close
    )
  ])

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    Self.keymap.action(for: key) == nil ? [] : [.dismiss]
  }

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let body = area.body
    buffer.fill(body, style: .plain)
    for (row, line) in lines(context).enumerated() where row < body.height {
      buffer.write(
        line.text, x: body.x + 2, y: body.y + row, maxWidth: body.width - 4, style: line.style)
    }
    return nil
  }

  /// The card, line by line.
  func lines(_ context: AppContext) -> [(text: String, style: Style)] {
    let index = context.index
    guard let grid = index.gridByID[gridID] else { return [(GridCardText.gone, .error)] }
    let households = index.households(in: grid.id)
    var out: [(text: String, style: Style)] = [
      (GridCardText.title(index.villageName(ofGrid: grid), grid.name), .title), ("", .plain),
    ]
    let leader = index.gridLeader(grid)
    let leaderHousehold = leader.flatMap { person in
      households.first { $0.persons.contains { $0.id == person.id } }
    }
    out.append(
      (
        GridCardText.leader(
          leader?.name ?? AppText.none, leaderHousehold?.number,
          leader.map { PhoneNumber.masked($0.phone) } ?? ""), .plain
      ))
    out.append(
      (GridCardText.wechat(grid.wechatGroup.isEmpty ? AppText.none : grid.wechatGroup), .plain))
    out.append(
      (
        GridCardText.volunteers(
          grid.volunteers.isEmpty ? AppText.none : grid.volunteers.joined(separator: "、")), .plain
      ))
    let size = RosterRules.gridSizeStatus(households.count)
    out.append(
      (
        GridCardText.households(
          households.count, RosterIndex.personCount(households),
          RosterIndex.vulnerableCount(households)),
        size == .overLimit ? .error : (size == .large ? .warning : .plain)
      ))
    // Who visits them: each visitor with the number of this grid's households.
    var visitors: [String: Int] = [:]
    for household in households { visitors[household.visitorID ?? "", default: 0] += 1 }
    let named = visitors.keys.sorted().map { id -> String in
      let name = id.isEmpty ? GridCardText.noVisitor : (index.visitorByID[id]?.name ?? id)
      return GridCardText.visitorCount(name, visitors[id] ?? 0)
    }
    out.append((GridCardText.visitors(named.joined(separator: "，")), .plain))
    // This round and the last weekly contact, as of the working day.
    let work = context.workContext
    if let round = work.round {
      let visited = households.filter { household in
        index.data.visitRecords[household.id]?.visits.contains { round.contains($0.date) } == true
      }.count
      out.append((GridCardText.round(round.label, visited, households.count), .plain))
    }
    let week = work.campaign.contactWeeks(endedBy: work.today).last
    let log = week.flatMap { week in index.data.contactLogs[grid.id]?.first { $0.week == week } }
    out.append(
      (
        week.map { GridCardText.contact($0, log?.contacted, log?.riskReport ?? "") }
          ?? GridCardText.noContactWeek, log?.contacted == true ? .plain : .warning
      ))
    out.append(("", .plain))
    out.append((GridCardText.close, .muted))
    return out
  }
}

/// The card's words.
enum GridCardText {
  static let key = "网格卡"
  static let gone = "该网格已不存在"
  static func title(_ village: String, _ grid: String) -> String { "网格卡  \(village) \(grid)" }
  static func leader(_ name: String, _ number: String?, _ phone: String) -> String {
    "网格长：\(name)" + (number.map { "（\($0)户）" } ?? "") + (phone.isEmpty ? "" : "  电话 \(phone)")
  }
  static func wechat(_ group: String) -> String { "微信群：\(group)" }
  static func volunteers(_ names: String) -> String { "志愿者：\(names)" }
  static func households(_ count: Int, _ persons: Int, _ vulnerable: Int) -> String {
    "住户 \(count) 户，\(persons) 人，重点人群 \(vulnerable) 人"
      + (count > Grid.maximumSize ? "（超过\(Grid.maximumSize)户，应拆分）" : "")
  }
  static let noVisitor = "未指定走访人"
  static func visitorCount(_ name: String, _ count: Int) -> String { "\(name) \(count) 户" }
  static func visitors(_ list: String) -> String { "走访人：\(list)" }
  static func round(_ label: String, _ visited: Int, _ total: Int) -> String {
    "\(label)：已走访 \(visited)/\(total) 户"
  }
  static func contact(_ week: CivilDate, _ contacted: Bool?, _ risk: String) -> String {
    let state: String
    switch contacted {
    case true?: state = "已联络"
    case false?: state = "未联络"
    case nil: state = "未登记"
    }
    return "\(week) 当周联络：\(state)" + (risk.isEmpty ? "" : "，风险：\(risk)")
  }
  static let noContactWeek = "本轮尚无已结束的联络周"
  static let close = "按 Esc 返回"
}
