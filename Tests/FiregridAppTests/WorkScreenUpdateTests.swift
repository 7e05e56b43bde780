import FiregridModel
import FiregridResources
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// After a save, the campaign lists bring up to date only the rows of what changed
/// (`WorkScreen.update`, `RosterScreen.update`). Each must leave the screen exactly as
/// rebuilding every level over the whole town (`reload`) would: checked on a demo season
/// (visits, hazards, contact logs, premises and their inspections), for every kind of change,
/// on stacks of every level, with selections inside the lists and with filters.
struct WorkScreenUpdateTests {
  static let today = CivilDate(year: 2026, month: 12, day: 23)
  static let forms = AppState.standardForms

  static let season: TownData = {
    let data = try! ResourceFiles.data(named: "demo-names.json")
    let names = try! JSONDecoder().decode(DemoTownGenerator.Names.self, from: data)
    let town = DemoTownGenerator(names: names, seed: 3).generate(
      households: 400, today: CivilDate(year: 2026, month: 11, day: 10))
    return DemoSeasonGenerator(
      form: forms.current!, seed: 3, roundCompletion: 0.7,
      officeForm: forms.current(for: .office), businessForm: forms.current(for: .business)
    ).generate(into: town, through: today)
  }()

  static func work(_ town: TownData) -> WorkContext {
    WorkContext(index: RosterIndex(town), forms: forms, today: today)
  }

  static func appContext(_ town: TownData) -> AppContext {
    AppContext(
      index: RosterIndex(town), today: today, damaged: [], forms: forms, carry: VisitCarry(),
      printing: PrintAvailability(), size: Size(columns: 80, rows: 24))
  }

  /// One save: the town after it, and what it changed.
  struct Save {
    var name: String
    var town: TownData
    var change: TownChange
    /// The grid and village it is in (to stack their levels).
    var gridID: String
    var villageID: String
  }

  static func saves() throws -> [Save] {
    let town = season
    let index = RosterIndex(town)
    let round = try #require(town.campaign(on: today).workingRound(on: today))
    func place(_ gridID: String) -> (String, String) {
      (gridID, index.gridByID[gridID]?.villageID ?? "")
    }
    var saves: [Save] = []
    func inRound(_ visit: Visit) -> Bool { round.contains(visit.date) }

    // A vulnerable household not visited this round is visited.
    let pending = try #require(
      town.households.first { household in
        household.hasVulnerableMember
          && !(town.visitRecords[household.id]?.visits.contains(where: inRound) ?? false)
      })
    var answers: [String: Answer] = [:]
    let form = try #require(forms.current)
    for section in form.sections {
      for item in section.items where item.onlyForVulnerable != true {
        answers[item.id] =
          section.kind == .choice
          ? item.options?.first.flatMap { Answer(rawValue: $0.key) } : .yes
      }
    }
    let (visited, _) = try VisitRules.record(
      VisitEntry(
        householdID: pending.id, date: today, visitorID: pending.visitorID, personsMet: "户主",
        answers: answers),
      in: town.visitRecord(of: pending.id), form: form, today: today)
    var afterVisit = town
    afterVisit.visitRecords[pending.id] = visited
    saves.append(
      Save(
        name: "visit", town: afterVisit, change: .household(pending.id),
        gridID: place(pending.gridID).0, villageID: place(pending.gridID).1))

    // A household's visit this round is taken back.
    let done = try #require(
      town.households.first { town.visitRecords[$0.id]?.visits.last.map(inRound) == true })
    var undone = town.visitRecord(of: done.id)
    undone.visits.removeLast()
    var afterUndo = town
    afterUndo.visitRecords[done.id] = undone
    saves.append(
      Save(
        name: "undo", town: afterUndo, change: .household(done.id),
        gridID: place(done.gridID).0, villageID: place(done.gridID).1))

    // A hazard due for 复查 is closed; another household gets a hazard overdue.
    let due = try #require(Worklists.hazardsDue(on: today, town: town).first)
    let owner = try #require(index.householdByID[due.hazard.householdID])
    var closed = town.visitRecord(of: owner.id)
    let at = try #require(closed.hazards.firstIndex { $0.id == due.hazard.id })
    closed.hazards[at].events.append(HazardEvent(kind: .verified, date: today))
    var afterClose = town
    afterClose.visitRecords[owner.id] = closed
    saves.append(
      Save(
        name: "hazard closed", town: afterClose, change: .household(owner.id),
        gridID: place(owner.gridID).0, villageID: place(owner.gridID).1))
    let clean = try #require(
      town.households.first { household in
        household.gridID != owner.gridID
          && (town.visitRecords[household.id]?.hazards.isEmpty ?? true)
          && town.visitRecords[household.id]?.visits.isEmpty == false
      })
    var found = town.visitRecord(of: clean.id)
    var hazard = due.hazard
    hazard.id = "\(clean.id)-z1"
    hazard.householdID = clean.id
    hazard.events[0].visitID = found.visits[0].id
    found.hazards.append(hazard)
    var afterFound = town
    afterFound.visitRecords[clean.id] = found
    saves.append(
      Save(
        name: "hazard found", town: afterFound, change: .household(clean.id),
        gridID: place(clean.gridID).0, villageID: place(clean.gridID).1))

    // Last week's contact of a grid is entered, with a risk reported.
    let week = try #require(town.campaign(on: today).contactWeeks(endedBy: today).last)
    let missing = try #require(
      town.grids.first { grid in
        !(town.contactLogs[grid.id]?.contains { $0.week == week && $0.contacted } ?? false)
      })
    var afterContact = town
    afterContact.contactLogs[missing.id, default: []].removeAll { $0.week == week }
    afterContact.contactLogs[missing.id, default: []].append(
      ContactLog(
        gridID: missing.id, week: week, contacted: true, riskReport: "3组有人用电炉取暖",
        recordedOn: today))
    saves.append(
      Save(
        name: "contact", town: afterContact, change: .contacts(gridID: missing.id),
        gridID: missing.id, villageID: missing.villageID))

    // A premises not inspected this round is inspected (its hazards closed on the way).
    let premises = try #require(
      town.premises.first { premises in
        !(town.premisesRecords[premises.id]?.visits.contains(where: inRound) ?? false)
          && town.premisesRecords[premises.id]?.visits.isEmpty == false
      })
    var inspected = town.inspectionRecord(of: premises.id)
    var inspection = inspected.visits[inspected.visits.count - 1]
    inspection.id = "\(premises.id)-v99"
    inspection.date = today
    inspected.visits.append(inspection)
    for at in inspected.hazards.indices where inspected.hazards[at].closedOn == nil {
      inspected.hazards[at].events.append(HazardEvent(kind: .verified, date: today))
    }
    var afterInspection = town
    afterInspection.premisesRecords[premises.id] = inspected
    saves.append(
      Save(
        name: "inspection", town: afterInspection, change: .premises(premises.id),
        gridID: place(premises.gridID).0, villageID: place(premises.gridID).1))
    return saves
  }

  /// Stacks of levels as the clerk can build them, the rows' place chosen in each.
  static func stacks(for save: Save, otherGrid: String) -> [(String, [WorkScreen.Level])] {
    [
      ("grids", [.grids]),
      ("batch", [.grids, .batch(gridID: save.gridID)]),
      ("other batch", [.grids, .batch(gridID: otherGrid)]),
      (
        "village",
        [.grids, .villages, .villageGrids(villageID: save.villageID), .batch(gridID: save.gridID)]
      ),
      ("pending", [.grids, .pending, .progress]),
      ("contacts", [.grids, .contacts, .risks, .premisesPending]),
      ("hazards due", [.hazardsDue]),
      ("hazards open", [.hazardsOpen]),
    ]
  }

  static func screen(_ levels: [WorkScreen.Level], filter: String?, context: AppContext)
    -> WorkScreen
  {
    let work = context.workContext
    var screen = WorkScreen(level: levels[0], context: work)
    for (depth, level) in levels.enumerated() {
      if depth > 0 { screen.push(level, context: work) }
      // A row inside the list, not the first.
      let ids = screen.current.rowIDs
      if !ids.isEmpty { screen.select(ids[min(ids.count - 1, 3 + depth)]) }
    }
    if let filter {
      _ = screen.handle(.character("f"), in: context)
      for character in filter { _ = screen.handle(.character(character), in: context) }
      _ = screen.handle(.enter, in: context)
    }
    return screen
  }

  @Test func eachSaveLeavesTheListsAsRebuildingThemWould() throws {
    let before = Self.appContext(Self.season)
    for save in try Self.saves() {
      let after = Self.work(save.town)
      let otherGrid = try #require(Self.season.grids.first { $0.id != save.gridID }).id
      for (name, levels) in Self.stacks(for: save, otherGrid: otherGrid) {
        for filter in [nil, "1", "村"] {
          let screen = Self.screen(levels, filter: filter, context: before)
          var updated = screen
          updated.update(save.change, context: after)
          var rebuilt = screen
          rebuilt.reload(context: after)
          let same = updated == rebuilt
          #expect(same, "\(save.name) on \(name), filter \(filter ?? "none"): not as rebuilt")
        }
      }
    }
  }

  /// The saves do change what the lists show: the comparison above is not between two
  /// screens that stayed as they were.
  @Test func theSavesChangeTheListsTheyTouch() throws {
    let before = Self.appContext(Self.season)
    for save in try Self.saves() {
      let screen = Self.screen([.grids], filter: nil, context: before)
      var updated = screen
      updated.update(save.change, context: Self.work(save.town))
      if case .contacts = save.change {
        #expect(updated != screen, "\(save.name): the grid's row was not redrawn")
      }
      if case .household(let id) = save.change, save.name == "visit" || save.name == "undo" {
        let rowBefore = screen.current.rowIDs.firstIndex(of: save.gridID)
        #expect(rowBefore != nil)
        #expect(updated != screen, "\(save.name) of \(id): the grid's counts did not change")
      }
    }
  }

  /// The roster shows a premises' inspections in its premises lists and its own level.
  @Test func anInspectionLeavesTheRosterAsRebuildingItWould() throws {
    let save = try #require(try Self.saves().first { $0.name == "inspection" })
    guard case .premises(let premisesID) = save.change else { return }
    let index = RosterIndex(Self.season)
    for jump in [true, false] {
      var roster = RosterScreen(index: index, forms: Self.forms, today: Self.today)
      if jump {
        roster.jump(toPremises: premisesID, index: index, today: Self.today)
      } else {
        roster.jump(toVillage: save.villageID, grid: save.gridID, index: index, today: Self.today)
      }
      let after = Self.appContext(save.town)
      var updated = roster
      updated.update(save.change, context: after)
      var rebuilt = roster
      rebuilt.reload(after)
      let same = updated == rebuilt
      #expect(same, "the roster \(jump ? "at the premises" : "at its grid") is not as rebuilt")
    }
  }

  /// A section hidden while a save changed its lists shows the change when it is opened:
  /// 隐患整改 lists a hazard entered while the clerk was in 敲门走访.
  @Test func aHiddenSectionShowsTheSaveWhenOpened() throws {
    let save = try #require(try Self.saves().first { $0.name == "hazard found" })
    guard case .household(let householdID) = save.change else { return }
    let hazardID = "\(householdID)-z1"
    var state = AppState(
      town: Self.season, operatorName: "测试员", today: Self.today,
      size: Size(columns: 80, rows: 24), dataPath: "/tmp/firegrid-test")
    _ = state.press(.character("3"))
    let before = try #require(state.currentScreen as? WorkScreen).current.rowIDs
    _ = state.press(.character("2"))
    _ = state.receive(
      .visitRecordSaved(
        save.town.visitRecord(of: householdID), .hazardUpdate(hazardID: hazardID),
        newVisitor: nil))
    _ = state.press(.character("3"))
    let after = try #require(state.currentScreen as? WorkScreen)
    #expect(!before.contains(hazardID))
    #expect(after.current.rowIDs.contains(hazardID))
    var rebuilt = WorkScreen(level: .hazardsDue, context: Self.work(save.town))
    rebuilt.select(after.selectedID ?? "")
    #expect(after == rebuilt)
  }
}
