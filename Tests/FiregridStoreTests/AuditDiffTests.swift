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
}
