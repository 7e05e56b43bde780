import Foundation
import Testing

/// Two clerks on one town in a database (`--shared`), each in their own tmux session: what
/// one saves, the other's screen shows by itself (LISTEN/NOTIFY), with no key pressed.
@Suite(.serialized)
struct SharedDatabaseEndToEndTests {
  @Test(
    .enabled(if: TmuxSession.tmuxAvailable, "tmux is not installed"),
    .enabled(if: StoreUnderTest.databaseURL != nil, StoreUnderTest.skipMessage))
  func anAddressClerkASavesAppearsOnClerkBsScreen() throws {
    let town = try StoreUnderTest.database.town(from: try EndToEndTests.makeDemo(households: 40))
    defer { town.remove() }
    let expected = try EndToEndTests.firstHousehold(in: town.folder)
    let a = try town.session(["--shared", "--operator", "甲"], columns: 100)
    let b = try town.session(["--shared", "--operator", "乙"], columns: 100)
    for session in [a, b] {
      try #require(session.waitFor(expected.village) != nil, "the app did not start")
      try session.send("Enter", "Enter")
      try #require(session.waitFor(expected.head) != nil, "the grid's households are not listed")
    }
    // Clerk A edits the first household's address; B only looks.
    let address = "三江镇共享路8号"
    try a.send("e", "Tab", "C-u")
    try a.sendLiteral(address)
    try a.send("C-s")
    try #require(a.waitFor("已保存") != nil, "clerk A's save did not go through")
    let saved = Date()
    let shown = try #require(b.waitFor(address), "clerk B's screen never showed the change")
    let seconds = Date().timeIntervalSince(saved)
    // A figure for the README, not a check: from A's 已保存 on screen to B's screen.
    print("shared database: clerk B's screen showed clerk A's save after \(seconds) s")
    #expect(shown.contains(expected.head))
    #expect(b.waitFor("另一位文书刚保存了修改") != nil)
    // A's own save brings A no such message.
    #expect(!a.screen.contains("另一位文书"))
    for session in [a, b] {
      try session.send("q")
      #expect(session.exitStatus() == 0)
    }
  }
}
