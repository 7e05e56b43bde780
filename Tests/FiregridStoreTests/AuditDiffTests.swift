import FiregridModel
import FiregridRepository
import Foundation
import Testing

@testable import FiregridStore

struct AuditDiffTests {
  static let household = Household(
    id: "h000001", gridID: "g0001", number: "0001", address: "三江镇龙潭村1组1号",
    persons: [
      Person(
        id: "p0000001", name: "邹锡华", relation: "户主", sex: .male, idNumber: "43122419650304001X",
        phone: "13907451234"),
      Person(id: "p0000002", name: "舒桂英", relation: "配偶", sex: .female, groups: [.disabled]),
    ],
    visitorID: "u001")

  static let record = "household/h000001"

  @Test func noChangesGiveNothing() {
    #expect(AuditDiff.changes(from: Self.household, to: Self.household) == [])
    #expect(AuditDiff.changes(from: nil as Household?, to: nil) == [])
    let town = Town(name: "三江镇", county: "溆浦县", countyCode: "431224")
    #expect(AuditDiff.changes(from: town, to: town) == [])
  }

  @Test func aChangedAddressIsOneChange() {
    var new = Self.household
    new.address = "三江镇龙潭村1组8号"
    #expect(
      AuditDiff.changes(from: Self.household, to: new) == [
        AuditChange(
          record: Self.record, field: "address", before: "三江镇龙潭村1组1号", after: "三江镇龙潭村1组8号")
      ])
  }

  @Test func theVisitorRemovedIsNil() {
    var new = Self.household
    new.visitorID = nil
    new.number = "0009"
    #expect(
      AuditDiff.changes(from: Self.household, to: new) == [
        AuditChange(record: Self.record, field: "number", before: "0001", after: "0009"),
        AuditChange(record: Self.record, field: "visitorID", before: "u001", after: nil),
      ])
  }

  @Test func thePhoneOfOnePersonIsNamedByPersonID() {
    var new = Self.household
    new.persons[1].phone = "13807450000"
    #expect(
      AuditDiff.changes(from: Self.household, to: new) == [
        AuditChange(
          record: Self.record, field: "persons[p0000002].phone", before: "", after: "13807450000")
      ])
  }

  @Test func elderlyCareIsItsSortedJSONAndNilWhenNeverEntered() {
    var new = Self.household
    new.persons[1].elderlyCare = ElderlyCare(helperName: "张一", smokeAlarm: true)
    #expect(
      AuditDiff.changes(from: Self.household, to: new) == [
        AuditChange(
          record: Self.record, field: "persons[p0000002].elderlyCare", before: nil,
          after:
            #"{"guardianName":"","guardianPhone":"","guardianRelation":"","helperName":"张一","helperPhone":"","livingSituation":"","notes":"","smokeAlarm":true,"visitFrequency":""}"#
        )
      ])
  }

  @Test func groupsAreRawValuesJoinedInStoredOrder() {
    var new = Self.household
    new.persons[1].groups = [.elderlyLivingAlone, .disabled]
    new.persons[0].groups = [.fiveGuarantees]
    #expect(
      AuditDiff.changes(from: Self.household, to: new) == [
        AuditChange(
          record: Self.record, field: "persons[p0000001].groups", before: "",
          after: "fiveGuarantees"),
        AuditChange(
          record: Self.record, field: "persons[p0000002].groups", before: "disabled",
          after: "elderlyLivingAlone、disabled"),
      ])
  }

  @Test func aPersonAddedIsTheWholePersonAsJSON() throws {
    var new = Self.household
    let child = Person(id: "p0000003", name: "邹小军", relation: "子", groups: [.leftBehindChild])
    new.persons.append(child)
    let changes = AuditDiff.changes(from: Self.household, to: new)
    #expect(changes.count == 1)
    #expect(changes[0].record == Self.record)
    #expect(changes[0].field == "persons[p0000003]")
    #expect(changes[0].before == nil)
    let after = try #require(changes[0].after)
    #expect(try JSONDecoder().decode(Person.self, from: Data(after.utf8)) == child)
  }

  @Test func aPersonRemovedIsTheWholePersonBefore() throws {
    var new = Self.household
    let removed = new.persons.remove(at: 1)
    let changes = AuditDiff.changes(from: Self.household, to: new)
    #expect(changes.count == 1)
    #expect(changes[0].field == "persons[p0000002]")
    #expect(changes[0].after == nil)
    let before = try #require(changes[0].before)
    #expect(try JSONDecoder().decode(Person.self, from: Data(before.utf8)) == removed)
  }

  @Test func severalChangesComeInAFixedOrder() {
    var new = Self.household
    new.address = "新地址"
    new.persons.remove(at: 0)
    new.persons[0].sex = nil
    new.persons.append(Person(id: "p0000009", name: "邹丽", relation: "女"))
    let fields = AuditDiff.changes(from: Self.household, to: new).map(\.field)
    #expect(
      fields == ["address", "persons[p0000002].sex", "persons[p0000009]", "persons[p0000001]"])
    #expect(AuditDiff.changes(from: Self.household, to: new)[1].after == nil)
  }

  @Test func reorderedPersonsAreOneChange() {
    var new = Self.household
    new.persons.reverse()
    #expect(
      AuditDiff.changes(from: Self.household, to: new) == [
        AuditChange(
          record: Self.record, field: "persons", before: "p0000001、p0000002",
          after: "p0000002、p0000001")
      ])
  }

  @Test func aCreatedOrDeletedHouseholdIsOneWholeRecordChange() throws {
    let created = AuditDiff.changes(from: nil, to: Self.household)
    #expect(created.count == 1)
    #expect(created[0].record == Self.record && created[0].field == "*" && created[0].before == nil)
    let json = try #require(created[0].after)
    #expect(try JSONDecoder().decode(Household.self, from: Data(json.utf8)) == Self.household)
    #expect(json.contains("三江镇龙潭村1组1号"))  // readable, not \u-escaped

    let deleted = AuditDiff.changes(from: Self.household, to: nil)
    #expect(deleted == [AuditChange(record: Self.record, field: "*", before: json, after: nil)])
  }

  @Test func aChangedIDIsADeletionAndACreation() {
    var new = Self.household
    new.id = "h000002"
    #expect(
      AuditDiff.changes(from: Self.household, to: new).map { "\($0.record) \($0.field)" } == [
        "household/h000001 *", "household/h000002 *",
      ])
  }

  @Test func villagesGridsVisitorsAndTheTown() {
    let village = Village(id: "v001", name: "龙潭村", liaison: "向红梅")
    var village2 = village
    village2.liaisonPhone = "13907451234"
    #expect(
      AuditDiff.changes(from: village, to: village2) == [
        AuditChange(record: "village/v001", field: "liaisonPhone", before: "", after: "13907451234")
      ])

    let grid = Grid(id: "g0001", villageID: "v001", name: "第1网格", volunteers: ["李明"])
    var grid2 = grid
    grid2.gridLeaderID = "p0000001"
    grid2.volunteers = ["李明", "王芳"]
    #expect(
      AuditDiff.changes(from: grid, to: grid2) == [
        AuditChange(record: "grid/g0001", field: "gridLeaderID", before: nil, after: "p0000001"),
        AuditChange(record: "grid/g0001", field: "volunteers", before: "李明", after: "李明、王芳"),
      ])
    #expect(AuditDiff.changes(from: grid, to: nil)[0].record == "grid/g0001")

    let visitor = Visitor(id: "u001", name: "肖煜中", role: .townCadre)
    var visitor2 = visitor
    visitor2.role = .villageWorkTeam
    #expect(
      AuditDiff.changes(from: visitor, to: visitor2) == [
        AuditChange(
          record: "visitor/u001", field: "role", before: "townCadre", after: "villageWorkTeam")
      ])
    #expect(AuditDiff.changes(from: nil, to: visitor)[0].field == "*")

    #expect(
      AuditDiff.changes(from: Town(name: "三江镇"), to: Town(name: "三江镇", countyCode: "431224")) == [
        AuditChange(record: "town", field: "countyCode", before: "", after: "431224")
      ])
  }

  @Test func diffsRoundTripThroughTheLog() throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var new = Self.household
    new.address = "三江镇龙潭村1组8号"
    new.persons[0].phone = ""
    let changes =
      AuditDiff.changes(from: nil, to: Self.household)
      + AuditDiff.changes(from: Self.household, to: new)
    let log = try AuditLog(folder: folder)
    try log.append(changes, operatorName: "向红梅", time: AuditLogTests.time)
    log.close()
    #expect(try AuditLog.entries(folder: folder, record: Self.record).map(\.change) == changes)
    #expect(AuditLog.verify(folder: folder) == [])
  }

  // MARK: Supervision (督查)

  static let day = CivilDate(year: 2026, month: 11, day: 18)

  static let meeting = DeploymentMeeting(
    date: day, place: "龙潭村村部", chairedBy: "肖煜中", attendees: ["肖煜中", "向红梅"],
    liaison: "向红梅", recorder: "舒志强")

  static let spotCheck = SpotCheck(
    id: "h000001-c1", householdID: "h000001", round: 1,
    date: CivilDate(year: 2026, month: 12, day: 5),
    inspector: "纪委 张三", answers: ["visitConfirmed": .yes, "cardPosted": .no],
    formID: SpotCheck.formID, recordedVisitIDs: ["h000001-v1"])

  @Test func aDeploymentsLeaderAndMeetingFieldsAreNamedByField() {
    let old = VillageDeployment(villageID: "v001", linkLeader: "肖煜中", meeting: Self.meeting)
    var new = old
    new.linkLeader = "舒德明"
    new.meeting?.date = CivilDate(year: 2026, month: 11, day: 19)
    new.meeting?.attendees.append("李明")
    new.meeting?.notes = "包户到人"
    #expect(
      AuditDiff.changes(from: old, to: new) == [
        AuditChange(
          record: "deployment/v001", field: "linkLeader", before: "肖煜中", after: "舒德明"),
        AuditChange(
          record: "deployment/v001", field: "meeting.date", before: "2026-11-18",
          after: "2026-11-19"),
        AuditChange(
          record: "deployment/v001", field: "meeting.attendees", before: "肖煜中、向红梅",
          after: "肖煜中、向红梅、李明"),
        AuditChange(record: "deployment/v001", field: "meeting.notes", before: "", after: "包户到人"),
      ])
  }

  @Test func aMeetingRecordedOrTakenBackIsOneLineOfJSON() {
    let leaderOnly = VillageDeployment(villageID: "v001", linkLeader: "肖煜中")
    let held = VillageDeployment(villageID: "v001", linkLeader: "肖煜中", meeting: Self.meeting)
    let json =
      #"{"attendees":["肖煜中","向红梅"],"chairedBy":"肖煜中","date":"2026-11-18","liaison":"向红梅","notes":"","place":"龙潭村村部","recorder":"舒志强"}"#
    #expect(
      AuditDiff.changes(from: leaderOnly, to: held) == [
        AuditChange(record: "deployment/v001", field: "meeting", before: nil, after: json)
      ])
    #expect(
      AuditDiff.changes(from: held, to: leaderOnly) == [
        AuditChange(record: "deployment/v001", field: "meeting", before: json, after: nil)
      ])
    #expect(
      AuditDiff.changes(from: nil, to: leaderOnly) == [
        AuditChange(
          record: "deployment/v001", field: "*", before: nil,
          after: #"{"linkLeader":"肖煜中","villageID":"v001"}"#)
      ])
  }

  @Test func aSampleIsOnlyEverAddedWhole() {
    let sample = SpotCheckSample(
      id: "s1", round: 1, perVillage: 2, seed: 4711, drawnOn: Self.day, drawnBy: "甲",
      householdIDs: ["h000002", "h000001"])
    #expect(
      AuditDiff.changes(from: nil, to: sample) == [
        AuditChange(
          record: "sample/s1", field: "*", before: nil,
          after:
            #"{"drawnBy":"甲","drawnOn":"2026-11-18","householdIDs":["h000002","h000001"],"id":"s1","perVillage":2,"premisesIDs":[],"premisesPerVillage":0,"round":1,"seed":4711}"#
        )
      ])
    #expect(AuditDiff.changes(from: sample, to: sample) == [])
    var redrawn = sample
    redrawn.seed = 4712
    let changes = AuditDiff.changes(from: sample, to: redrawn)
    #expect(changes.map { "\($0.record) \($0.field)" } == ["sample/s1 *"])
    #expect(changes.first?.before?.contains("4711") == true)
    #expect(changes.first?.after?.contains("4712") == true)
  }

  @Test func aSpotChecksAnswersArePackedLikeAVisits() {
    #expect(
      AuditDiff.changes(from: nil, to: Self.spotCheck) == [
        AuditChange(
          record: "spotcheck/h000001-c1", field: "*", before: nil,
          after:
            #"{"answers":{"cardPosted":"n","visitConfirmed":"y"},"date":"2026-12-05","formID":"spotcheck-2024","householdID":"h000001","id":"h000001-c1","inspector":"纪委 张三","missedHazards":"","notes":"","recordedVisitIDs":["h000001-v1"],"round":1}"#
        )
      ])
    var new = Self.spotCheck
    new.sampleID = "s1"
    new.answers["cardPosted"] = .yes
    new.answers["knowsSanqing"] = .notApplicable
    new.missedHazards = "灶前堆放柴草"
    new.recordedVisitIDs = ["h000001-v1", "h000001-v2"]
    #expect(
      AuditDiff.changes(from: Self.spotCheck, to: new) == [
        AuditChange(record: "spotcheck/h000001-c1", field: "sampleID", before: nil, after: "s1"),
        AuditChange(
          record: "spotcheck/h000001-c1", field: "answers",
          before: "cardPosted=n visitConfirmed=y",
          after: "cardPosted=y knowsSanqing=- visitConfirmed=y"),
        AuditChange(
          record: "spotcheck/h000001-c1", field: "missedHazards", before: "", after: "灶前堆放柴草"),
        AuditChange(
          record: "spotcheck/h000001-c1", field: "recordedVisitIDs", before: "h000001-v1",
          after: "h000001-v1、h000001-v2"),
      ])
  }

  @Test func aNoticesKindIsItsRawValueAndItsPersonsJSON() {
    let notice = IssuedNotice(
      id: "n1", kind: .criticism, number: "镇消安办〔2026〕5号", issuedOn: Self.day,
      campaign: "2026-2027年冬春火灾防控", round: 1,
      persons: [NoticedPerson(visitorID: "u001", name: "肖煜中", reason: "未走访3户")])
    var new = notice
    new.kind = .admonition
    new.round = 2
    new.persons.append(NoticedPerson(villageID: "v001", name: "向红梅", reason: "两周未联络"))
    #expect(
      AuditDiff.changes(from: notice, to: new) == [
        AuditChange(record: "notice/n1", field: "kind", before: "criticism", after: "admonition"),
        AuditChange(record: "notice/n1", field: "round", before: "1", after: "2"),
        AuditChange(
          record: "notice/n1", field: "persons",
          before: #"[{"name":"肖煜中","reason":"未走访3户","visitorID":"u001"}]"#,
          after:
            #"[{"name":"肖煜中","reason":"未走访3户","visitorID":"u001"},{"name":"向红梅","reason":"两周未联络","villageID":"v001"}]"#
        ),
      ])
  }

  /// The whole of a town's supervision: deployments, samples, spot checks, notices, each added
  /// or changed in the new order, then removed; the order of a list alone is no change.
  @Test func supervisionChangesInAFixedOrder() {
    let sample = SpotCheckSample(
      id: "s1", round: 1, perVillage: 1, seed: 1, drawnOn: Self.day, drawnBy: "甲",
      householdIDs: ["h000001"])
    let notice = IssuedNotice(
      id: "n1", kind: .admonition, number: "1号", issuedOn: Self.day, campaign: "冬春", round: 1,
      persons: [])
    let second = SpotCheck(
      id: "h000002-c1", householdID: "h000002", round: 1, date: Self.day, inspector: "李四",
      answers: [:], formID: SpotCheck.formID)
    let old = SupervisionData(
      deployments: [VillageDeployment(villageID: "v001")], samples: [sample],
      spotChecks: [Self.spotCheck, second], notices: [notice])
    var new = old
    new.notices = []
    new.spotChecks = [second, Self.spotCheck]
    new.spotChecks[1].notes = "户主外出，与其子核实"
    new.deployments.append(VillageDeployment(villageID: "v002", linkLeader: "舒德明"))
    #expect(AuditDiff.changes(from: old, to: old) == [])
    #expect(
      AuditDiff.changes(
        from: old,
        to: SupervisionData(
          deployments: old.deployments, samples: old.samples, spotChecks: old.spotChecks.reversed(),
          notices: old.notices)) == [])
    #expect(
      AuditDiff.changes(from: old, to: new).map { "\($0.record) \($0.field)" } == [
        "deployment/v002 *", "spotcheck/h000001-c1 notes", "notice/n1 *",
      ])
  }
}
