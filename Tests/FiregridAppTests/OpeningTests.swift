import FiregridModel
import TerminalUI
import Testing

@testable import FiregridApp

/// The program builds the state on the town it opened, then shows that town
/// (`AppRunner.present`): its screens are built once.
struct OpeningTests {
  static func opened(_ town: TownData) -> OpenedTown {
    OpenedTown(town: town, operatorName: "乙", readOnlyHolder: nil, damaged: [])
  }

  /// Showing the town the state was built on keeps its screens as they are (the place in
  /// 敲门走访 included): they were not built a second time.
  @Test func showingTheTownTheStateWasBuiltOnKeepsItsScreens() {
    var state = ScreenTesting.mainState()
    for key: Key in [.character("2"), .down, .enter] { _ = state.press(key) }
    #expect(state.visits.current.level == .batch(gridID: "g0002"))
    _ = state.receive(.townOpened(Self.opened(state.town)))
    #expect(state.visits.current.level == .batch(gridID: "g0002"))
    #expect(state.operatorName == "乙")
    #expect(state.section == .visits)
  }

  /// Another town is shown from the top of every list.
  @Test func anotherTownIsShownFromTheTop() {
    var state = ScreenTesting.mainState()
    for key: Key in [.character("2"), .down, .enter] { _ = state.press(key) }
    var other = state.town
    other.households.removeLast()
    _ = state.receive(.townOpened(Self.opened(other)))
    #expect(state.visits.current.level == .grids)
    #expect(state.town.households.count == other.households.count)
    #expect(state.visits.current.rowIDs == ["g0001", "g0002"])
  }
}
