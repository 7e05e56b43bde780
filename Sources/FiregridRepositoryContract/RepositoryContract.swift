import FiregridModel
import FiregridRepository

/// A contract check that did not hold: which case, and what differed.
public struct ContractFailure: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// What every `TownRepository` must do, whatever holds the town: run against each
/// implementation (the JSON folder's in `FiregridStoreTests`), so the app can rely on the
/// protocol alone.
///
/// Plain functions rather than tests, so that any test framework (or a command) can run them:
/// each case starts from fresh empty locations made by `makeLocation`, works on the day `day`
/// (the location's clock must say the same day), and throws `ContractFailure` at the first
/// check that does not hold. Record names in history are those `AuditChange` documents
/// ("household/<id>", "visit/<visit id>", "premises/<id>", "inspection/<inspection id>").
public struct RepositoryContract {
  /// The day the location's clock gives: campaigns, backups and visits are dated by it.
  public let day: CivilDate
  private let makeLocation: () throws -> any TownLocation

  public init(day: CivilDate, makeLocation: @escaping () throws -> any TownLocation) {
    self.day = day
    self.makeLocation = makeLocation
  }

  /// Every case, by name, in the order they are listed.
  public static var caseNames: [String] { cases.map(\.name) }

  /// Runs the case `name`; throws `ContractFailure` when it does not hold (or is unknown).
  public func run(_ name: String) throws {
    guard let contractCase = Self.cases.first(where: { $0.name == name }) else {
      throw ContractFailure("没有这个用例：\(name)")
    }
    try contractCase.body(self)()
  }

  /// Computed, not stored: the cases are methods, named here as the tests list them.
  private static var cases: [(name: String, body: (RepositoryContract) -> () throws -> Void)] {
    [
      ("aNewTownReadsBackAfterReopening", aNewTownReadsBackAfterReopening),
      ("aRosterEditIsThereAfterReopening", aRosterEditIsThereAfterReopening),
      ("aVisitWithANewVisitorIsSavedTogether", aVisitWithANewVisitorIsSavedTogether),
      ("aContactLogWeekIsRecordedOnce", aContactLogWeekIsRecordedOnce),
      ("historyListsChangesInOrderUnderWhoMadeThem", historyListsChangesInOrderUnderWhoMadeThem),
      ("recordAccessIsInTheHouseholdsHistory", recordAccessIsInTheHouseholdsHistory),
      ("aSecondOpenerIsHeldByAnotherAndCannotSave", aSecondOpenerIsHeldByAnotherAndCannotSave),
      ("closingReleasesTheTown", closingReleasesTheTown),
      ("theDailyBackupReportsProgressAndIsTakenOnce", theDailyBackupReportsProgressAndIsTakenOnce),
      ("aFreshTownHasNothingDamaged", aFreshTownHasNothingDamaged),
      ("theCampaignIsStoredOnceAndStable", theCampaignIsStoredOnceAndStable),
      (
        "anArchivedHouseholdKeepsItsVisitsAndComesBack",
        anArchivedHouseholdKeepsItsVisitsAndComesBack
      ),
      ("theLastOperatorIsRemembered", theLastOperatorIsRemembered),
      (
        "supervisionRecordsSurviveReopeningAndSavingThemAgainWritesNothing",
        supervisionRecordsSurviveReopeningAndSavingThemAgainWritesNothing
      ),
      (
        "premisesAndInspectionsSurviveReopeningAndArchiveWithTheirHistory",
        premisesAndInspectionsSurviveReopeningAndArchiveWithTheirHistory
      ),
    ]
  }

  // MARK: The town every case starts from

  /// Two households in one grid, one visitor: small, and valid under the roster rules.
  public static let sampleTown = TownData(
    town: Town(name: "契约镇", county: "溆浦县", countyCode: "431224"),
    villages: [Village(id: "v001", name: "东山村")],
    grids: [Grid(id: "g0001", villageID: "v001", name: "第1网格", gridLeaderID: "p0000001")],
    households: [
      Household(
        id: "h000001", gridID: "g0001", number: "0001", address: "东山村1组1号",
        persons: [Person(id: "p0000001", name: "李春生", relation: "户主", sex: .male)],
        visitorID: "u001"),
      Household(
        id: "h000002", gridID: "g0001", number: "0002", address: "东山村1组2号",
        persons: [Person(id: "p0000002", name: "王秀英", relation: "户主", sex: .female)],
        visitorID: "u001"),
    ],
    visitors: [Visitor(id: "u001", name: "赵走访", role: .townCadre)])

  static let clerk = "甲"
  static let otherClerk = "乙"

  /// A fresh location with the sample town created in it, and the repository `create` opened.
  private func newTown(by operatorName: String = clerk) throws -> (
    any TownLocation, any TownRepository
  ) {
    let location = try makeLocation()
    try check(location.isEmpty, "新的位置应当是空的：\(location.description)")
    let repository = try location.create(Self.sampleTown, operatorName: operatorName)
    return (location, repository)
  }

  /// A visit to `householdID` on the contract's day, by `visitorID`.
  private func visit(_ householdID: String, number: Int = 1, by visitorID: String) -> Visit {
    Visit(
      id: "\(householdID)-v\(number)", householdID: householdID, date: day, visitorID: visitorID,
      personsMet: "户主", answers: [:], notes: "契约检查", formID: "residential")
  }

  // MARK: The cases

  func aNewTownReadsBackAfterReopening() throws {
    let (location, created) = try newTown()
    try same(created.town.town, Self.sampleTown.town, "新建后的镇")
    try same(created.operatorName, Self.clerk, "操作员")
    try same(created.access, .readWrite, "新建者的权限")
    created.close()
    try check(!location.isEmpty, "建镇后位置不应再是空的")
    let reopened = try location.open(operatorName: Self.otherClerk)
    defer { reopened.close() }
    try same(reopened.operatorName, Self.otherClerk, "重新打开的操作员")
    try same(reopened.town.town, Self.sampleTown.town, "重新打开后的镇")
    try same(reopened.town.villages, Self.sampleTown.villages, "村")
    try same(reopened.town.grids, Self.sampleTown.grids, "网格")
    try same(
      reopened.town.households.sorted { $0.id < $1.id }, Self.sampleTown.households, "户")
    try same(reopened.town.visitors, Self.sampleTown.visitors, "走访人")
  }

  func aRosterEditIsThereAfterReopening() throws {
    let (location, repository) = try newTown()
    let village = try RosterEdit.saveVillage(Village(id: "", name: "西岭村"), in: repository.town)
    try repository.apply(village)
    var household = try required(repository.town.household(id: "h000002"), "h000002")
    household.address = "东山村1组2号（新房）"
    try repository.apply(try RosterEdit.saveHousehold(household, in: repository.town))
    try same(repository.town.household(id: "h000002")?.address, household.address, "内存中的地址")
    repository.close()

    let reopened = try location.open(operatorName: Self.clerk)
    defer { reopened.close() }
    try same(reopened.town.villages.map(\.name), ["东山村", "西岭村"], "重新打开后的村")
    try same(reopened.town.household(id: "h000002")?.address, household.address, "重新打开后的地址")
  }

  func aVisitWithANewVisitorIsSavedTogether() throws {
    let (location, repository) = try newTown()
    let newcomer = Visitor(id: "u002", name: "钱志愿", role: .volunteer)
    let record = VisitRecord(
      householdID: "h000001", visits: [visit("h000001", by: newcomer.id)])
    try repository.saveVisitRecord(record, addingVisitor: newcomer)
    try same(repository.town.visitor(id: "u002"), newcomer, "随走访加入的走访人")
    try same(repository.town.visitRecords["h000001"], record, "走访档案")
    // A visit by someone already on the roster adds nobody.
    let second = VisitRecord(
      householdID: "h000002", visits: [visit("h000002", by: "u001")])
    try repository.saveVisitRecord(second, addingVisitor: nil)
    try same(repository.town.visitors.map(\.id), ["u001", "u002"], "走访人名单")
    repository.close()

    let reopened = try location.open(operatorName: Self.clerk)
    defer { reopened.close() }
    try same(reopened.town.visitor(id: "u002"), newcomer, "重新打开后的新走访人")
    try same(reopened.town.visitRecords["h000001"], record, "重新打开后的走访档案")
    try same(reopened.town.visitRecords["h000002"], second, "重新打开后的第二户走访")
  }

  func aContactLogWeekIsRecordedOnce() throws {
    let (location, repository) = try newTown()
    let first = ContactLog(
      gridID: "g0001", week: day, contacted: false, riskReport: "", recordedOn: day)
    try repository.saveContactLog(first)
    // The clerk corrects the same week: it replaces the first entry.
    let corrected = ContactLog(
      gridID: "g0001", week: day, contacted: true, riskReport: "楼道堆放杂物", recordedOn: day)
    try repository.saveContactLog(corrected)
    let earlier = ContactLog(
      gridID: "g0001", week: day.adding(days: -7), contacted: true, recordedOn: day)
    try repository.saveContactLog(earlier)
    try same(repository.town.contactLogs["g0001"], [earlier, corrected], "联络记录（按周）")
    repository.close()

    let reopened = try location.open(operatorName: Self.clerk)
    defer { reopened.close() }
    try same(reopened.town.contactLogs["g0001"], [earlier, corrected], "重新打开后的联络记录")
  }

  func historyListsChangesInOrderUnderWhoMadeThem() throws {
    let (location, repository) = try newTown()
    var household = try required(repository.town.household(id: "h000001"), "h000001")
    household.address = "东山村1组1号（一改）"
    try repository.apply(try RosterEdit.saveHousehold(household, in: repository.town))
    try repository.saveVisitRecord(
      VisitRecord(householdID: "h000001", visits: [visit("h000001", by: "u001")]),
      addingVisitor: nil)
    repository.close()

    let reopened = try location.open(operatorName: Self.otherClerk)
    defer { reopened.close() }
    var person = try required(reopened.town.household(id: "h000001")?.persons.first, "户主")
    person.phone = "13907451234"
    try reopened.apply(
      try RosterEdit.savePerson(person, inHousehold: "h000001", in: reopened.town))

    let history = try reopened.history(ofHousehold: "h000001")
    let sequences = history.map(\.sequence)
    try check(
      zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 },
      "历史应按先后排列，序号递增：\(sequences)")
    let address = try required(
      history.firstIndex {
        $0.change.record == "household/h000001" && $0.change.field == "address"
      },
      "地址修改")
    try same(history[address].change.after, household.address, "地址修改后的值")
    try same(history[address].operatorName, Self.clerk, "地址修改的操作员")
    let visit = try required(
      history.firstIndex { $0.change.record == "visit/h000001-v1" }, "走访")
    try same(history[visit].operatorName, Self.clerk, "走访的操作员")
    let phone = try required(
      history.firstIndex { $0.change.field.hasSuffix(".phone") }, "电话修改")
    try same(history[phone].change.after, "13907451234", "电话修改后的值")
    try same(history[phone].operatorName, Self.otherClerk, "电话修改的操作员")
    try check(address < visit && visit < phone, "历史顺序应为 地址、走访、电话")
    try check(
      history.allSatisfy { $0.change.record.contains("h000001") },
      "只列这一户的记录：\(history.map(\.change.record))")
  }

  func recordAccessIsInTheHouseholdsHistory() throws {
    let (_, repository) = try newTown()
    defer { repository.close() }
    let before = try repository.history(ofHousehold: "h000002")
    let town = repository.town
    try repository.recordAccess(to: "household/h000002")
    let after = try repository.history(ofHousehold: "h000002")
    try same(after.count, before.count + 1, "查看个人信息后的历史条数")
    let line = try required(after.last, "查看记录")
    try same(line.change.record, "household/h000002", "查看记录的对象")
    try same(line.operatorName, Self.clerk, "查看记录的操作员")
    try check(before.allSatisfy { $0.sequence < line.sequence }, "查看记录应排在最后")
    try same(repository.town, town, "查看不改变数据")
  }

  func aSecondOpenerIsHeldByAnotherAndCannotSave() throws {
    let (location, holder) = try newTown()
    defer { holder.close() }
    let second = try location.open(operatorName: Self.otherClerk)
    defer { second.close() }
    guard case .heldByAnother = second.access else {
      throw ContractFailure("第二个打开者的权限应为 heldByAnother，实为 \(second.access)")
    }
    try same(second.town.households.count, 2, "只读者也能读到全部户")
    var household = try required(second.town.household(id: "h000001"), "h000001")
    household.address = "不该保存"
    try refuses("只读者保存户") {
      try second.apply(try RosterEdit.saveHousehold(household, in: second.town))
    }
    try refuses("只读者保存走访") {
      try second.saveVisitRecord(
        VisitRecord(householdID: "h000001", visits: [visit("h000001", by: "u001")]),
        addingVisitor: nil)
    }
    try refuses("只读者保存联络记录") {
      try second.saveContactLog(
        ContactLog(gridID: "g0001", week: day, contacted: true, recordedOn: day))
    }
    try same(second.town.household(id: "h000001")?.address, "东山村1组1号", "被拒后内存中的地址")
    // The holder still saves.
    try holder.apply(try RosterEdit.saveHousehold(household, in: holder.town))
    try same(holder.town.household(id: "h000001")?.address, "不该保存", "持有者的保存")
  }

  func closingReleasesTheTown() throws {
    let (location, first) = try newTown()
    first.close()
    let next = try location.open(operatorName: Self.otherClerk)
    defer { next.close() }
    try same(next.access, .readWrite, "前一个关闭后再打开的权限")
    var household = try required(next.town.household(id: "h000002"), "h000002")
    household.address = "东山村1组2号（乙改）"
    try next.apply(try RosterEdit.saveHousehold(household, in: next.town))
    try refuses("关闭后保存") {
      try first.saveContactLog(
        ContactLog(gridID: "g0001", week: day, contacted: true, recordedOn: day))
    }
  }

  func theDailyBackupReportsProgressAndIsTakenOnce() throws {
    let (_, repository) = try newTown()
    defer { repository.close() }
    var reports: [JobProgress] = []
    let taken = try repository.takeDailyBackup(on: day) { reports.append($0) }
    try check(taken, "当天第一次应当备份")
    let first = try required(reports.first, "备份进度")
    let last = try required(reports.last, "备份进度")
    try same(first.done, 0, "进度从 0 开始")
    try check(last.total > 0, "备份应有内容：\(reports)")
    try same(last.done, last.total, "进度结束时完成数等于总数")
    try check(
      zip(reports, reports.dropFirst()).allSatisfy { $0.done <= $1.done }
        && reports.allSatisfy { $0.done <= $0.total },
      "进度只增不减，且不超过总数：\(reports)")
    try check(!(try repository.takeDailyBackup(on: day) { _ in }), "同一天第二次不应再备份")
    // The day's saves go ahead without another copy, and say nothing about one.
    try repository.saveContactLog(
      ContactLog(gridID: "g0001", week: day, contacted: true, recordedOn: day))
    try same(repository.takeNotice(), nil, "备份之后保存的提示")
  }

  func aFreshTownHasNothingDamaged() throws {
    let (_, repository) = try newTown()
    defer { repository.close() }
    try same(repository.damaged, [], "新镇的损坏记录")
    try repository.saveVisitRecord(
      VisitRecord(householdID: "h000001", visits: [visit("h000001", by: "u001")]),
      addingVisitor: nil)
    repository.checkRecords()
    try same(repository.damaged, [], "核查后的损坏记录")
    try refuses("恢复没有损坏的记录") { _ = try repository.restore(.household(id: "h000001")) }
    _ = repository.takeNotice()
    try same(repository.takeNotice(), nil, "提示读过即清除")
  }

  func theCampaignIsStoredOnceAndStable() throws {
    let (location, repository) = try newTown()
    let campaign = try repository.ensureCampaign(on: day)
    try same(campaign, Self.sampleTown.campaign(on: day), "当天所在冬季的活动")
    try same(repository.town.campaigns.filter { $0.name == campaign.name }, [campaign], "存下的活动")
    try same(try repository.ensureCampaign(on: day), campaign, "再次取活动")
    repository.close()

    let reopened = try location.open(operatorName: Self.otherClerk)
    defer { reopened.close() }
    try same(try reopened.ensureCampaign(on: day), campaign, "重新打开后的活动")
    try same(reopened.town.campaigns.filter { $0.name == campaign.name }, [campaign], "活动只存一次")
  }

  func anArchivedHouseholdKeepsItsVisitsAndComesBack() throws {
    let (location, repository) = try newTown()
    let record = VisitRecord(householdID: "h000002", visits: [visit("h000002", by: "u001")])
    try repository.saveVisitRecord(record, addingVisitor: nil)
    try repository.apply(try RosterEdit.archiveHousehold(id: "h000002", in: repository.town))
    try same(repository.town.household(id: "h000002"), nil, "归档后名册中的户")
    repository.close()

    let reopened = try location.open(operatorName: Self.clerk)
    defer { reopened.close() }
    try same(reopened.town.household(id: "h000002"), nil, "重新打开后名册中的户")
    try same(reopened.town.archivedHouseholds.map(\.id), ["h000002"], "归档的户")
    try same(reopened.town.archivedVisitRecords["h000002"], record, "归档户的走访")
    try reopened.apply(try RosterEdit.restoreHousehold(id: "h000002", in: reopened.town))
    try same(reopened.town.household(id: "h000002")?.number, "0002", "恢复后的户")
    try same(reopened.town.visitRecords["h000002"], record, "恢复后的走访")
    try same(reopened.town.archivedHouseholds, [], "恢复后的归档")
  }

  func theLastOperatorIsRemembered() throws {
    let (location, repository) = try newTown()
    defer { repository.close() }
    try same(location.lastOperator(), nil, "新位置的上次操作员")
    location.saveLastOperator(Self.otherClerk)
    try same(location.lastOperator(), Self.otherClerk, "记住的操作员")
  }

  func supervisionRecordsSurviveReopeningAndSavingThemAgainWritesNothing() throws {
    let (location, repository) = try newTown()
    try same(repository.town.supervision, SupervisionData(), "新镇的督查记录")
    let spotCheck = SpotCheck(
      id: "h000001-c1", householdID: "h000001", sampleID: "s1", round: 1, date: day,
      inspector: "督查组 孙", answers: [SpotCheck.visitConfirmedItem: .yes],
      formID: SpotCheck.formID)
    let supervision = SupervisionData(
      deployments: [
        VillageDeployment(
          villageID: "v001", linkLeader: "周联村",
          meeting: DeploymentMeeting(date: day, place: "村部", attendees: ["周联村", "赵走访"]))
      ],
      samples: [
        SpotCheckSample(
          id: "s1", round: 1, perVillage: 1, seed: 42, drawnOn: day, drawnBy: Self.clerk,
          householdIDs: ["h000001"])
      ],
      spotChecks: [spotCheck],
      notices: [
        IssuedNotice(
          id: "n1", kind: .criticism, number: "契约〔2026〕1号", issuedOn: day, campaign: "契约",
          round: 1, persons: [NoticedPerson(visitorID: "u001", name: "赵走访", reason: "未走访")])
      ])
    try repository.saveSupervision(supervision)
    try same(repository.town.supervision, supervision, "保存后内存中的督查记录")
    let saved = try repository.history(ofHousehold: "h000001")
    let line = try required(
      saved.last { $0.change.record == "spotcheck/h000001-c1" }, "抽查记录的历史")
    try same(line.operatorName, Self.clerk, "抽查记录的操作员")
    try same(line.change.field, "*", "新抽查记录的字段")
    // The same records again: nothing written, no history line.
    try repository.saveSupervision(supervision)
    try same(try repository.history(ofHousehold: "h000001"), saved, "再次保存相同记录后的历史")
    repository.close()

    let reopened = try location.open(operatorName: Self.otherClerk)
    defer { reopened.close() }
    try same(reopened.town.supervision, supervision, "重新打开后的督查记录")
    try same(reopened.damaged, [], "重新打开后的损坏记录")
    try reopened.saveSupervision(supervision)
    try same(try reopened.history(ofHousehold: "h000001"), saved, "重新打开后再次保存相同记录的历史")
    var corrected = supervision
    corrected.spotChecks[0].notes = "户主外出，与其子核实"
    try reopened.saveSupervision(corrected)
    let history = try reopened.history(ofHousehold: "h000001")
    try same(history.count, saved.count + 1, "更正抽查记录后的历史条数")
    let correction = try required(history.last, "更正的历史")
    try same(correction.change.record, "spotcheck/h000001-c1", "更正的记录")
    try same(correction.change.field, "notes", "更正的字段")
    try same(correction.operatorName, Self.otherClerk, "更正的操作员")
    try check(
      history.allSatisfy { $0.change.record.contains("h000001") },
      "只列这一户的记录：\(history.map(\.change.record))")
  }

  /// Premises (场所): two saved as one change, an inspection finding a hazard, a correction by
  /// another clerk after reopening, then an archive that keeps the inspections; the history
  /// names who made each change.
  func premisesAndInspectionsSurviveReopeningAndArchiveWithTheirHistory() throws {
    let (location, repository) = try newTown()
    let office = Premises(id: "c00001", gridID: "g0001", name: "东山村村部", kind: .office)
    let shop = Premises(
      id: "c00002", gridID: "g0001", name: "李记小卖部", kind: .mixedUse, businessKind: .shop,
      responsiblePerson: "李春生", peopleSleep: true, sleepers: 2, householdID: "h000001",
      visitorID: "u001")
    try same(PremisesRules.problems(shop, in: repository.town), [], "场所的规则")
    try repository.savePremises([office, shop])
    try same(repository.town.premises, [office, shop], "保存后内存中的场所")
    let inspection = Visit(
      id: "c00002-v1", householdID: "c00002", date: day, visitorID: "u001", personsMet: "李春生",
      answers: [:], notes: "契约检查", formID: "business-premises")
    let hazard = Hazard(
      id: "c00002-z1", householdID: "c00002", checkID: "wiring", description: "私拉电线",
      events: [HazardEvent(kind: .found, date: day, visitID: inspection.id, deadline: day)])
    let record = VisitRecord(householdID: "c00002", visits: [inspection], hazards: [hazard])
    try repository.saveInspectionRecord(record)
    try same(repository.town.premisesRecords["c00002"], record, "保存后内存中的检查记录")
    let saved = try repository.history(ofPremises: "c00002")
    try same(
      saved.map(\.change.record), ["premises/c00002", "inspection/c00002-v1", "hazard/c00002-z1"],
      "场所的历史")
    try check(saved.allSatisfy { $0.operatorName == Self.clerk }, "场所历史的操作员")
    // The same again: nothing written.
    try repository.savePremises([office, shop])
    try repository.saveInspectionRecord(record)
    try same(try repository.history(ofPremises: "c00002"), saved, "再次保存相同场所后的历史")
    repository.close()

    let reopened = try location.open(operatorName: Self.otherClerk)
    try same(reopened.town.premises, [office, shop], "重新打开后的场所")
    try same(reopened.town.premisesRecords, ["c00002": record], "重新打开后的检查记录")
    try same(reopened.damaged, [], "重新打开后的损坏记录")
    var corrected = shop
    corrected.sleepers = 3
    try reopened.savePremises([corrected])
    let history = try reopened.history(ofPremises: "c00002")
    let correction = try required(history.last, "更正的历史")
    try same(correction.change.record, "premises/c00002", "更正的记录")
    try same(correction.change.field, "sleepers", "更正的字段")
    try same(correction.operatorName, Self.otherClerk, "更正的操作员")
    try same(
      try reopened.history(ofPremises: "c00001").map(\.change.record), ["premises/c00001"],
      "另一场所的历史")
    try reopened.archivePremises(id: "c00002")
    try same(reopened.town.premises, [office], "归档后的场所")
    try same(reopened.town.archivedPremises, [corrected], "归档的场所")
    try same(reopened.town.archivedPremisesRecords["c00002"], record, "归档的检查记录")
    try refuses("为已归档的场所保存检查记录") { try reopened.saveInspectionRecord(record) }
    let archived = try reopened.history(ofPremises: "c00002")
    try same(archived.count, history.count + 1, "归档后的历史条数")
    try same(archived.last?.change.after, nil, "归档的历史")
    try same(archived.last?.operatorName, Self.otherClerk, "归档的操作员")
    reopened.close()

    let again = try location.open(operatorName: Self.clerk)
    defer { again.close() }
    try same(again.town.premises, [office], "再次打开后的场所")
    try same(again.town.archivedPremises, [corrected], "再次打开后归档的场所")
    try same(again.town.archivedPremisesRecords, ["c00002": record], "再次打开后归档的检查记录")
    try same(PremisesRules.nextID(in: again.town), "c00003", "下一个场所编号")
  }

  // MARK: Checks

  private func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw ContractFailure(message()) }
  }

  private func same<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
    if actual != expected { throw ContractFailure("\(what)：应为 \(expected)，实为 \(actual)") }
  }

  private func required<T>(_ value: T?, _ what: String) throws -> T {
    guard let value else { throw ContractFailure("找不到\(what)") }
    return value
  }

  private func refuses(_ what: String, _ body: () throws -> Void) throws {
    do {
      try body()
    } catch is ContractFailure {
      throw ContractFailure("\(what)：检查本身出错")
    } catch {
      return
    }
    throw ContractFailure("\(what)：应当被拒绝，却成功了")
  }
}
