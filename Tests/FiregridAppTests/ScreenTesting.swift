import FiregridModel
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// Screen tests: a script of keys into the real message loop over a `VirtualTerminal`, the
/// last frame compared with an expected text file in `Screens/`. A mismatch fails. Setting
/// `FIREGRID_UPDATE_SCREENS=1` rewrites the expected files on purpose (and says so).
enum ScreenTesting {
  static let screensFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Screens")

  static let today = CivilDate(year: 2026, month: 11, day: 29)
  /// The store's clock on that day: no test reads the real one.
  static let clock = TownStore.Clock(
    today: { "2026-11-29" }, now: { "2026-11-29T09:00:00+08:00" })

  /// A valid ID number for a birth date and serial (check digit computed by the model).
  static func idNumber(_ birth: String, _ serial: String) -> String {
    let first17 = "431224" + birth + serial
    return first17 + String(IDNumber.checkDigit(for: first17)!)
  }

  /// A small fixed town whose every screen is known: two villages; 龙潭村 has a grid of 11
  /// households (over 10: a warning) and a grid of 5.
  static func smallTown() -> TownData {
    var households: [Household] = []
    let surnames = ["邹", "舒", "向", "覃", "单", "曾", "张", "李", "王", "刘", "陈", "杨", "黄", "周", "吴", "谭"]
    for index in 0..<16 {
      let gridID = index < 11 ? "g0001" : "g0002"
      let number = String(format: "%04d", index + 1)
      var persons = [
        Person(
          id: String(format: "p%07d", index * 2 + 1), name: surnames[index] + "建国", relation: "户主",
          sex: .male, idNumber: idNumber("19560412", String(format: "%02d1", index)),
          phone: "1390745" + String(format: "%04d", index))
      ]
      if index % 3 == 0 {
        persons.append(
          Person(
            id: String(format: "p%07d", index * 2 + 2), name: surnames[index] + "桂英",
            relation: "配偶",
            sex: .female, idNumber: idNumber("19580101", String(format: "%02d2", index)),
            groups: index == 0 ? [.disabled] : []))
      }
      if index == 1 { persons[0].groups = [.elderlyLivingAlone] }
      households.append(
        Household(
          id: String(format: "h%06d", index + 1), gridID: gridID, number: number,
          address: "三江镇龙潭村\(index / 5 + 1)组\(index + 1)号", persons: persons, visitorID: "u001"))
    }
    return TownData(
      town: Town(name: "三江镇", county: "溆浦县", countyCode: "431224"),
      villages: [
        Village(id: "v001", name: "龙潭村", liaison: "向红梅", liaisonPhone: "13907451234"),
        Village(id: "v002", name: "江口村", liaison: "舒志强", liaisonPhone: "13907455678"),
      ],
      grids: [
        Grid(
          id: "g0001", villageID: "v001", name: "第1网格", gridLeaderID: "p0000001",
          wechatGroup: "龙潭村第1网格消防群"),
        Grid(
          id: "g0002", villageID: "v001", name: "第2网格", gridLeaderID: "p0000023",
          wechatGroup: "龙潭村第2网格消防群"),
      ],
      households: households,
      visitors: [Visitor(id: "u001", name: "肖煜中", role: .townCadre, phone: "13807450000")])
  }

  /// Runs `script` on a state and returns the runner (its final state) and terminal (last frame).
  @discardableResult
  static func run(
    _ state: AppState, folder: DataFolder, size: Size = Size(columns: 80, rows: 24),
    _ script: (VirtualTerminal) -> Void
  ) -> (AppRunner, VirtualTerminal, Int32) {
    let terminal = VirtualTerminal(size: size)
    script(terminal)
    let runner = AppRunner(state: state, terminal: terminal, folder: folder)
    let status = runner.run()
    return (runner, terminal, status)
  }

  static func mainState(size: Size = Size(columns: 80, rows: 24)) -> AppState {
    AppState(
      town: smallTown(), operatorName: "测试员", today: today, size: size,
      dataPath: "/tmp/firegrid-test")
  }

  /// Compares the screen with `Screens/<name>.txt`.
  static func expectScreen(
    _ terminal: VirtualTerminal, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let file = screensFolder.appendingPathComponent("\(name).txt")
    let actual = terminal.screenText + "\n"
    if ProcessInfo.processInfo.environment["FIREGRID_UPDATE_SCREENS"] == "1" {
      try? FileManager.default.createDirectory(at: screensFolder, withIntermediateDirectories: true)
      try? Data(actual.utf8).write(to: file)
      print("已重写期望屏幕 / rewrote expected screen: \(file.path)")
      return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
      Issue.record(
        "missing expected screen \(file.path); run with FIREGRID_UPDATE_SCREENS=1 to create it.\nactual:\n\(actual)",
        sourceLocation: sourceLocation)
      return
    }
    #expect(
      actual == expected, "screen \(name) differs:\n\(actual)", sourceLocation: sourceLocation)
  }
}

extension AppRunner {
  /// A runner over a JSON data folder, as the binary makes it, that settles each effect
  /// before the next scripted key (a script's keys meet the state the keys before left).
  convenience init(
    state: AppState, terminal: VirtualTerminal, folder: DataFolder, store: TownStore? = nil,
    clock: TownStore.Clock = ScreenTesting.clock, printer: (any DocumentPrinting)? = nil,
    settling: Settling = .everything
  ) {
    self.init(
      state: state, terminal: terminal, location: JSONFolderLocation(folder: folder, clock: clock),
      repository: store, importer: RosterSpreadsheetImporter(),
      premisesImporter: PremisesSpreadsheetImporter(), printer: printer,
      settling: settling)
  }
}
