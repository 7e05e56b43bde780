/// Fills a demo town with a season of door-knocking up to a given day, in shares that look
/// like a real winter: most households visited once per round (vulnerable households more
/// often), a few per cent of visits finding a hazard (wiring and clutter most often), most
/// hazards verified on the next visit after their deadline, some overdue; weekly contact logs
/// for most grid-weeks, a few with a risk report; with the office and business forms, an
/// inspection of most premises each round on their own form, finding more hazards than homes
/// (extinguishers, wiring, e-bikes, blocked exits; 多合一 separation and escape), rechecked
/// the same way. Deterministic for a seed, so the demo, the screens' tests and the benchmark
/// see the same data; premises draw from their own stream, so the homes' season is the same
/// with or without them.
public struct DemoSeasonGenerator: Sendable {
  public var form: VisitForm
  /// 办公场所 (附件4) and 生产经营性场所 (附件5) forms; premises whose form is missing are
  /// not inspected.
  public var officeForm: VisitForm?
  public var businessForm: VisitForm?
  /// Share of premises inspected in a finished round.
  public var premisesCompletion: Double
  public var seed: UInt64
  /// Visits per household per round (the benchmark asks for two, ~200,000 a season at 10,000
  /// households); vulnerable households get one more.
  public var visitsPerRound: Int
  /// Share of households visited in a finished round; the rest are the "not finished" that
  /// supervision names.
  public var roundCompletion: Double

  public init(
    form: VisitForm, seed: UInt64, visitsPerRound: Int = 1, roundCompletion: Double = 0.94,
    officeForm: VisitForm? = nil, businessForm: VisitForm? = nil,
    premisesCompletion: Double = 0.9
  ) {
    self.form = form
    self.officeForm = officeForm
    self.businessForm = businessForm
    self.premisesCompletion = premisesCompletion
    self.seed = seed
    self.visitsPerRound = visitsPerRound
    self.roundCompletion = roundCompletion
  }

  /// Hazard kinds by how often the seed's checks find them, and what is written.
  static let hazardWeights: [(id: String, weight: Int)] = [
    ("wiring", 30), ("clutter", 25), ("ebikeCharging", 15), ("heating", 12), ("gas", 10),
    ("curingMeat", 8),
  ]

  /// `town` with the campaign of `through`'s winter stored, visit records and contact logs
  /// for every round begun by `through`.
  public func generate(into town: TownData, through today: CivilDate) -> TownData {
    var random = SplitMix64(seed: seed)
    var result = town
    let campaign = town.campaign(on: today)
    if !result.campaigns.contains(where: { $0.name == campaign.name }) {
      result.campaigns.append(campaign)
    }
    let checkIDs = form.items(of: .check).map(\.id)
    let hazardIDs = form.items(of: .hazard).map(\.id)
    let actionIDs = form.items(of: .action).filter { $0.onlyForVulnerable != true }.map(\.id)
    let vulnerableActionIDs = form.items(of: .action).filter { $0.onlyForVulnerable == true }
      .map(\.id)
    let rounds = campaign.rounds.filter { $0.start <= today }
    // Choice items (房屋情况 on version 2) are facts of the house: the same every visit, from
    // the household's number rather than the random stream (which the rest of the season
    // draws from, unchanged by them).
    let choiceItems = form.sections.filter { $0.kind == .choice }.flatMap(\.items)
    func houseFacts(_ household: Household) -> [String: Answer] {
      let number = Int(household.id.filter(\.isNumber)) ?? 0
      var facts: [String: Answer] = [:]
      for (offset, item) in choiceItems.enumerated() {
        let options = item.options ?? []
        guard !options.isEmpty else { continue }
        let key = options[(number / (offset + 1) + offset) % min(options.count, 3)].key
        facts[item.id] = Answer(rawValue: key)
      }
      return facts
    }

    for household in town.households {
      var record = town.visitRecord(of: household.id)
      let isVulnerable = household.hasVulnerableMember
      let met = household.head?.name ?? ""
      for round in rounds {
        let lastDay = min(round.end, today)
        let span = round.start.days(until: lastDay)
        // In a running round, only the share of days gone has been visited so far.
        let elapsed = Double(span + 1) / Double(round.start.days(until: round.end) + 1)
        guard random.chance(roundCompletion * elapsed) else { continue }
        let count = visitsPerRound + (isVulnerable ? 1 : 0)
        var days = (0..<count).map { _ in random.next(in: 0...span) }
        days.sort()
        for day in days {
          let date = round.start.adding(days: day)
          var answers = houseFacts(household)
          for id in checkIDs {
            answers[id] = random.chance(0.03) ? .no : (random.chance(0.02) ? .notApplicable : .yes)
          }
          for id in actionIDs { answers[id] = random.chance(0.97) ? .yes : .no }
          for id in vulnerableActionIDs { answers[id] = isVulnerable ? .yes : .notApplicable }
          var findings: [VisitEntry.Finding] = []
          for id in hazardIDs { answers[id] = .yes }
          if random.chance(0.06) {
            let kind = pickHazard(&random)
            if hazardIDs.contains(kind) {
              answers[kind] = .no
              findings.append(
                VisitEntry.Finding(
                  checkID: kind, description: ModelText.demoHazardDescription(kind),
                  deadlineDays: form.item(id: kind)?.item.deadlineDays ?? 7))
            }
          }
          var reviews: [VisitEntry.Review] = []
          for hazard in record.hazards where hazard.closedOn == nil && hazard.deadline <= date {
            let roll = random.nextUnit()
            let outcome: VisitEntry.Review.Outcome =
              roll < 0.85 ? .rectified : (roll < 0.93 ? .extended(days: 7) : .notRectified)
            reviews.append(VisitEntry.Review(hazardID: hazard.id, outcome: outcome))
          }
          let entry = VisitEntry(
            householdID: household.id, date: date, visitorID: household.visitorID,
            personsMet: met, answers: answers, findings: findings, reviews: reviews,
            signed: random.chance(0.98))
          if let applied = try? VisitRules.record(entry, in: record, form: form, today: today) {
            record = applied.record
            // Most hazards get their 复查 visit within a few days of the deadline.
            for finding in findings where finding.deadlineDays > 0 && random.chance(0.75) {
              let recheck = date.adding(days: finding.deadlineDays + random.next(in: 0...2))
              guard recheck <= today,
                let hazard = record.hazards.last(where: { $0.checkID == finding.checkID })
              else { continue }
              var recheckAnswers = answers
              recheckAnswers[finding.checkID] = .yes
              let review = VisitEntry(
                householdID: household.id, date: recheck, visitorID: household.visitorID,
                personsMet: met, answers: recheckAnswers,
                reviews: [
                  VisitEntry.Review(
                    hazardID: hazard.id,
                    outcome: random.chance(0.9) ? .rectified : .extended(days: 5))
                ], signed: true)
              if let done = try? VisitRules.record(review, in: record, form: form, today: today) {
                record = done.record
              }
            }
          }
        }
      }
      // A few households tell the grid's WeChat group they have put a hazard right.
      for index in record.hazards.indices
      where record.hazards[index].state(on: today) == .open && random.chance(0.2) {
        let date = min(today, record.hazards[index].deadline)
        record.hazards[index].events.append(HazardEvent(kind: .reportedRectified, date: date))
      }
      if !record.visits.isEmpty { result.visitRecords[household.id] = record }
    }

    for grid in town.grids {
      var logs = town.contactLogs[grid.id] ?? []
      for week in campaign.contactWeeks(endedBy: today) where random.chance(0.92) {
        let risk = random.chance(0.05) ? ModelText.demoRiskReport : ""
        logs = recording(
          ContactLog(
            gridID: grid.id, week: week, contacted: true, riskReport: risk,
            recordedOn: week.adding(days: 5)), in: logs)
      }
      if !logs.isEmpty { result.contactLogs[grid.id] = logs }
    }

    var premisesRandom = SplitMix64(seed: seed ^ Self.premisesStream)
    for premises in town.premises {
      guard let form = premises.formSubject == .office ? officeForm : businessForm else {
        continue
      }
      let record = inspect(
        premises, form: form, rounds: rounds, through: today, random: &premisesRandom,
        record: town.inspectionRecord(of: premises.id))
      if !record.visits.isEmpty { result.premisesRecords[premises.id] = record }
    }
    return result
  }

  /// Mixed into the seed for the premises' stream.
  static let premisesStream: UInt64 = 0x5043_5F53_4541_534F

  /// Hazards premises' inspections find, by how often; items not listed weigh 4.
  static let premisesHazardWeights: [String: Int] = [
    "extinguishers": 25, "wiringConduit": 20, "wiringTangle": 20, "ebikeInside": 14,
    "exitsBlocked": 12, "overload": 12, "gasKitchen": 12, "smokeAlarm": 10, "powerLeftOn": 10,
    "securityBars": 8, "fireSeparation": 10, "independentEscape": 8, "emergencyLighting": 8,
  ]

  /// One premises' season: an inspection in most rounds on `form`, answering exactly the
  /// items that apply to it; hazards found with their deadlines, rechecked after them.
  private func inspect(
    _ premises: Premises, form: VisitForm, rounds: [Campaign.Round], through today: CivilDate,
    random: inout SplitMix64, record start: VisitRecord
  ) -> VisitRecord {
    var record = start
    let items = form.sections.flatMap { section in
      section.items.filter { $0.applies(to: premises.kind, business: premises.businessKind) }
        .map { (kind: section.kind, item: $0) }
    }
    let hazardItems = items.filter { $0.kind == .hazard }.map(\.item)
    let findRate = premises.kind == .mixedUse ? 0.2 : 0.14
    let met = premises.responsiblePerson
    for round in rounds {
      let lastDay = min(round.end, today)
      let span = round.start.days(until: lastDay)
      let elapsed = Double(span + 1) / Double(round.start.days(until: round.end) + 1)
      guard random.chance(premisesCompletion * elapsed) else { continue }
      let date = round.start.adding(days: random.next(in: 0...span))
      var answers: [String: Answer] = [:]
      for (kind, item) in items {
        switch kind {
        case .check:
          answers[item.id] =
            random.chance(0.06) ? .no : (random.chance(0.02) ? .notApplicable : .yes)
        case .action: answers[item.id] = random.chance(0.97) ? .yes : .no
        case .hazard: answers[item.id] = .yes
        case .choice:
          let keys = (item.options ?? []).compactMap { Answer(rawValue: $0.key) }
          if !keys.isEmpty { answers[item.id] = random.element(of: keys) }
        }
      }
      var findings: [VisitEntry.Finding] = []
      if !hazardItems.isEmpty, random.chance(findRate) {
        let table = WeightedTable(
          hazardItems.map { ($0, Self.premisesHazardWeights[$0.id] ?? 4) })
        let item = table.pick(&random)
        answers[item.id] = .no
        findings.append(
          VisitEntry.Finding(
            checkID: item.id, description: ModelText.demoPremisesHazardDescription(item.id),
            deadlineDays: item.deadlineDays ?? 7))
      }
      var reviews: [VisitEntry.Review] = []
      // A hazard whose latest event is later (a 复查 pushed into this round) waits.
      for hazard in record.hazards
      where hazard.closedOn == nil && hazard.deadline <= date
        && (hazard.events.last?.date ?? date) <= date
      {
        let roll = random.nextUnit()
        let outcome: VisitEntry.Review.Outcome =
          roll < 0.8 ? .rectified : (roll < 0.92 ? .extended(days: 7) : .notRectified)
        reviews.append(VisitEntry.Review(hazardID: hazard.id, outcome: outcome))
      }
      let entry = VisitEntry(
        householdID: premises.id, date: date, visitorID: premises.visitorID, personsMet: met,
        answers: answers, findings: findings, reviews: reviews, signed: random.chance(0.95))
      guard let applied = try? VisitRules.record(entry, in: record, form: form, today: today)
      else { continue }
      record = applied.record
      // A 复查 visit a few days after the deadline, for most hazards not put right at once.
      for finding in findings where finding.deadlineDays > 0 && random.chance(0.7) {
        let recheck = date.adding(days: finding.deadlineDays + random.next(in: 0...3))
        guard recheck <= today,
          let hazard = record.hazards.last(where: { $0.checkID == finding.checkID })
        else { continue }
        var recheckAnswers = answers
        recheckAnswers[finding.checkID] = .yes
        let review = VisitEntry(
          householdID: premises.id, date: recheck, visitorID: premises.visitorID,
          personsMet: met, answers: recheckAnswers,
          reviews: [
            VisitEntry.Review(
              hazardID: hazard.id, outcome: random.chance(0.85) ? .rectified : .extended(days: 7))
          ], signed: true)
        if let done = try? VisitRules.record(review, in: record, form: form, today: today) {
          record = done.record
        }
      }
    }
    for index in record.hazards.indices
    where record.hazards[index].state(on: today) == .open && random.chance(0.2) {
      let date = min(today, record.hazards[index].deadline)
      record.hazards[index].events.append(HazardEvent(kind: .reportedRectified, date: date))
    }
    return record
  }

  private func pickHazard(_ random: inout SplitMix64) -> String {
    let total = Self.hazardWeights.reduce(0) { $0 + $1.weight }
    var roll = random.next(below: total)
    for (id, weight) in Self.hazardWeights {
      if roll < weight { return id }
      roll -= weight
    }
    return Self.hazardWeights[0].id
  }
}

extension ModelText {
  static func demoHazardDescription(_ checkID: String) -> String {
    switch checkID {
    case "wiring": return "厨房电线私拉乱接，绝缘层老化"
    case "clutter": return "楼梯间堆放柴草杂物"
    case "ebikeCharging": return "电动车在堂屋内充电"
    case "heating": return "木炭火盆靠近床铺"
    case "gas": return "液化气软管老化开裂"
    case "curingMeat": return "熏腊肉无人看守"
    default: return "其他隐患"
    }
  }

  static func demoPremisesHazardDescription(_ checkID: String) -> String {
    switch checkID {
    case "extinguishers": return "灭火器压力不足，已过期"
    case "wiringConduit", "wiringTangle": return "电线未穿管，私拉乱接插线板"
    case "ebikeInside": return "电动车在店内停放充电"
    case "exitsBlocked": return "后门堆放货物，通道堵塞"
    case "overload": return "多台大功率电器共用一个插座"
    case "gasKitchen": return "液化气钢瓶放在灶台下，软管老化"
    case "smokeAlarm": return "住宿房间未装独立式感烟报警器"
    case "powerLeftOn": return "下班后饮水机、电脑未断电"
    case "securityBars": return "防盗网全封闭，未留逃生口"
    case "fireSeparation": return "楼上住人，与一楼店面未作防火分隔"
    case "independentEscape": return "住宿部分只能经店面出入"
    case "emergencyLighting": return "应急照明灯不亮"
    case "sleepingLocation": return "老人住在三楼，远离出口"
    case "illegalSleeping": return "仓库内搭床住人"
    case "flammablePanels": return "二楼用可燃彩钢板隔间"
    case "flammablesSold": return "店内存放烟花爆竹"
    case "flammablesStored": return "油漆、酒精堆放在走廊"
    case "stripsChained": return "接线板串接使用"
    case "electricHeater": return "电暖器靠近纸箱无人看管"
    case "switchRoom": return "配电箱下堆放纸箱"
    case "archiveRoom": return "档案室内使用电热器"
    case "kitchen": return "食堂油烟道积油未清洗"
    case "fireAccess": return "消火栓被杂物遮挡"
    default: return "其他隐患"
    }
  }

  static let demoRiskReport = "独居老人家中火盆取暖，已提醒家属"
}
