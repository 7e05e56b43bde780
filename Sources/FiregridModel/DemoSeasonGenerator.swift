/// Fills a demo town with a season of door-knocking up to a given day, in shares that look
/// like a real winter: most households visited once per round (vulnerable households more
/// often), a few per cent of visits finding a hazard (wiring and clutter most often), most
/// hazards verified on the next visit after their deadline, some overdue; weekly contact logs
/// for most grid-weeks, a few with a risk report. Deterministic for a seed, so the demo, the
/// screens' tests and the benchmark see the same data.
public struct DemoSeasonGenerator: Sendable {
  public var form: VisitForm
  public var seed: UInt64
  /// Visits per household per round (the benchmark asks for two, ~200,000 a season at 10,000
  /// households); vulnerable households get one more.
  public var visitsPerRound: Int
  /// Share of households visited in a finished round; the rest are the "not finished" that
  /// supervision names.
  public var roundCompletion: Double

  public init(
    form: VisitForm, seed: UInt64, visitsPerRound: Int = 1, roundCompletion: Double = 0.94
  ) {
    self.form = form
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
          var answers: [String: Answer] = [:]
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
    return result
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

  static let demoRiskReport = "独居老人家中火盆取暖，已提醒家属"
}
