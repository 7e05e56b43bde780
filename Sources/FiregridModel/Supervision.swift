/// 督查 — the rules the town's leading group and discipline commission check the campaign by
/// (the seed, 五(一) and 六(三)): each visitor's quota of visits (每名走访人每月至少走访两次),
/// who visited which household in which round, what a spot check found against the visit
/// records, who is behind at a deadline and what the notices of criticism (通报批评) and
/// admonition talks (约谈) should say. Pure: the town, the campaign and the day in, values out.
///
/// Assignments have no history yet: a household's visitor is the current roster's, for every
/// period and round (a household moved to another visitor counts for the new one, back to the
/// first round).
public enum Supervision {
  // MARK: - Quota

  /// The period a visitor's quota is counted over.
  public enum Period: Equatable, Sendable {
    case round(Campaign.Round)
    case month(year: Int, month: Int)

    /// 第3轮（12-16至12-31） / 2026年12月
    public var label: String {
      switch self {
      case .round(let round): return round.label
      case .month(let year, let month): return SupervisionText.monthLabel(year, month)
      }
    }

    /// The first and last day, both included.
    public var first: CivilDate {
      switch self {
      case .round(let round): return round.start
      case .month(let year, let month): return CivilDate(year: year, month: month, day: 1)
      }
    }

    public var last: CivilDate {
      switch self {
      case .round(let round): return round.end
      case .month(let year, let month):
        return CivilDate(
          year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month))
      }
    }

    public func contains(_ date: CivilDate) -> Bool { first <= date && date <= last }

    /// Visits each household needs in the period: 1 for a round; for a month, the number of
    /// the campaign's rounds that start in it (November 1, December to March 2, other months
    /// 0: nobody is short).
    public func requiredVisits(campaign: Campaign) -> Int {
      switch self {
      case .round: return 1
      case .month: return campaign.rounds.filter { contains($0.start) }.count
      }
    }
  }

  public struct HouseholdShortfall: Equatable, Sendable {
    public var householdID: String
    /// Distinct visit dates in the period.
    public var visits: Int
    public var required: Int

    public init(householdID: String, visits: Int, required: Int) {
      self.householdID = householdID
      self.visits = visits
      self.required = required
    }
  }

  public struct VisitorQuota: Equatable, Sendable {
    public var visitorID: String
    /// Households whose visitor is this visitor (current roster).
    public var assigned: Int
    /// Visits each household needs in the period.
    public var required: Int
    /// Households with at least `required` visits in the period.
    public var householdsDone: Int
    /// Visits made to the visitor's households in the period, by anyone: distinct dates per
    /// household, summed (two entries for one household on one day are one visit).
    public var visits: Int
    /// Households short of `required`, in roster order.
    public var short: [HouseholdShortfall]

    public var householdsShort: Int { short.count }
  }

  /// One entry per visitor who has households (visitors in roster order; a visitor id on a
  /// household but missing from the visitor list comes after them, in roster order of its
  /// first household), for the period. A visit counts when dated inside the period; a
  /// household visited twice on one day has one visit that day. The visitor is the current
  /// roster's (assignments have no history).
  public static func quota(in period: Period, campaign: Campaign, town: TownData)
    -> [VisitorQuota]
  {
    let required = period.requiredVisits(campaign: campaign)
    var result: [VisitorQuota] = []
    for (visitorID, households) in householdsByVisitor(town) {
      var quota = VisitorQuota(
        visitorID: visitorID, assigned: households.count, required: required,
        householdsDone: 0, visits: 0, short: [])
      for household in households {
        let visits = visitDates(of: household.id, town: town).filter(period.contains).count
        quota.visits += visits
        if visits >= required {
          quota.householdsDone += 1
        } else {
          quota.short.append(
            HouseholdShortfall(householdID: household.id, visits: visits, required: required))
        }
      }
      result.append(quota)
    }
    return result
  }

  /// Visitors with households and their households, both in roster order (see `quota`).
  static func householdsByVisitor(_ town: TownData) -> [(String, [Household])] {
    var byVisitor: [String: [Household]] = [:]
    var order: [String] = []
    for household in town.households {
      guard let visitorID = household.visitorID else { continue }
      if byVisitor[visitorID] == nil { order.append(visitorID) }
      byVisitor[visitorID, default: []].append(household)
    }
    let known = town.visitors.map(\.id).filter { byVisitor[$0] != nil }
    let unknown = order.filter { id in !town.visitors.contains { $0.id == id } }
    return (known + unknown).map { ($0, byVisitor[$0] ?? []) }
  }

  /// The distinct dates a household was visited on, in order.
  static func visitDates(of householdID: String, town: TownData) -> [CivilDate] {
    var dates: [CivilDate] = []
    for visit in visits(of: householdID, town: town) where !dates.contains(visit.date) {
      dates.append(visit.date)
    }
    return dates
  }

  /// A household's visits as the records stand (its archived record when it is archived).
  static func visits(of householdID: String, town: TownData) -> [Visit] {
    (town.visitRecords[householdID] ?? town.archivedVisitRecords[householdID])?.visits ?? []
  }

  // MARK: - Visit matrix

  /// One visit in a cell of the matrix.
  public struct VisitMark: Equatable, Sendable {
    public var visitID: String
    public var visitorID: String?
    public var date: CivilDate
    /// 代访: the responsible visitor another visitor stood in for.
    public var standInFor: String?

    public init(visitID: String, visitorID: String?, date: CivilDate, standInFor: String?) {
      self.visitID = visitID
      self.visitorID = visitorID
      self.date = date
      self.standInFor = standInFor
    }
  }

  /// Who visited a household when, household by round (each round of the winter is a
  /// half-month from December): the compliance view.
  public struct VisitMatrix: Equatable, Sendable {
    /// Columns: the campaign's rounds.
    public var rounds: [Campaign.Round]
    /// Rows, in the order given.
    public var householdIDs: [String]
    /// [row][column]: the visits of that household in that round, by date.
    public var marks: [[[VisitMark]]]
  }

  public static func visitMatrix(householdIDs: [String], campaign: Campaign, town: TownData)
    -> VisitMatrix
  {
    let marks = householdIDs.map { householdID in
      let visits = visits(of: householdID, town: town).sorted { $0.date < $1.date }
      return campaign.rounds.map { round in
        visits.filter { round.contains($0.date) }.map {
          VisitMark(
            visitID: $0.id, visitorID: $0.visitorID, date: $0.date, standInFor: $0.standInFor)
        }
      }
    }
    return VisitMatrix(rounds: campaign.rounds, householdIDs: householdIDs, marks: marks)
  }

  /// Households of a grid, roster order.
  public static func households(ofGrid gridID: String, town: TownData) -> [String] {
    town.households.filter { $0.gridID == gridID }.map(\.id)
  }

  /// Households of a visitor, roster order.
  public static func households(ofVisitor visitorID: String, town: TownData) -> [String] {
    town.households.filter { $0.visitorID == visitorID }.map(\.id)
  }

  // MARK: - Deployment

  /// The meeting counts when recorded and dated on or before the campaign's deployment
  /// deadline (11-19).
  public static func hasMeetingInTime(villageID: String, campaign: Campaign, town: TownData)
    -> Bool
  {
    guard let meeting = town.supervision.deployment(ofVillage: villageID)?.meeting else {
      return false
    }
    return meeting.date <= campaign.deploymentDeadline
  }

  /// Villages with no deployment meeting recorded on or before the deadline, roster order.
  public static func villagesWithoutMeeting(campaign: Campaign, town: TownData) -> [Village] {
    town.villages.filter { !hasMeetingInTime(villageID: $0.id, campaign: campaign, town: town) }
  }

  /// The person answerable for a village: its 联村领导 from the deployment, else the village's
  /// liaison (网格员), else "".
  public static func responsible(forVillage villageID: String, town: TownData) -> String {
    let leader = town.supervision.deployment(ofVillage: villageID)?.linkLeader ?? ""
    if !leader.trimmingCharacters(in: .whitespaces).isEmpty { return leader }
    return town.village(id: villageID)?.liaison ?? ""
  }

  /// The Mondays of the weeks of a round: a week (Monday to Sunday) belongs to the round its
  /// Sunday falls in, as in the statistics table, so adjacent rounds never share a week.
  public static func contactWeeks(of round: Campaign.Round) -> [CivilDate] {
    var result: [CivilDate] = []
    var monday = round.start.weekStart
    while monday.adding(days: 6) <= round.end {
      if monday.adding(days: 6) >= round.start { result.append(monday) }
      monday = monday.adding(days: 7)
    }
    return result
  }
}

// MARK: - Spot-check form items

extension SpotCheck {
  /// 住户会报火警、知道怎么逃生 (asked, not compared with the records).
  public static let knows119Item = "knows119"
  /// The hazard items of the spot-check form, in the form's order: answered `n`, the
  /// inspector saw the hazard. The same ids as the residential form's hazard checks, so a
  /// hazard in the records is found by its `checkID`.
  public static let hazardItems = [
    "wiring", "gas", "clutter", "heating", "curingMeat", "ebikeCharging",
  ]
}

// MARK: - Spot checks against the records

extension Supervision {
  /// What a spot check found against the visit records.
  public enum Flag: Equatable, Sendable {
    /// The records show visits in the round, the household says nobody came: against the
    /// visitor(s) of those visits.
    case visitDenied(visitIDs: [String], visitorIDs: [String])
    /// No visit recorded in the round, and the household agrees: the visitor is behind (not
    /// a contradiction).
    case notVisited(visitorID: String?)
    /// Visits of the round were added or taken back after the spot check was entered (never
    /// silent).
    case recordsChangedSince(added: [String], removed: [String])
    case noticeMissing
    case cardMissing
    case sanqingUnknown
    /// A hazard the inspector saw (hazard item answered n) that the records do not have for
    /// that check: no hazard of that checkID found in the round, nor one still open on the
    /// spot-check date.
    case hazardMissed(checkID: String)

    /// What the flag says, in Chinese (visit ids as given); a missed hazard is named by the
    /// spot-check form's item when the form is given, else by its id.
    public func label(form: VisitForm? = nil) -> String {
      SupervisionText.flagLabel(self, form: form)
    }

    /// The records say otherwise than the household or the inspector.
    public var contradictsRecords: Bool {
      switch self {
      case .visitDenied, .hazardMissed, .recordsChangedSince: return true
      case .notVisited, .noticeMissing, .cardMissing, .sanqingUnknown: return false
      }
    }
  }

  /// One week of the grid's weekly contact log.
  public struct ContactWeek: Equatable, Sendable {
    /// The Monday.
    public var week: CivilDate
    /// The entry, nil when missing.
    public var log: ContactLog?

    public init(week: CivilDate, log: ContactLog?) {
      self.week = week
      self.log = log
    }
  }

  public struct SpotCheckComparison: Equatable, Sendable {
    public var spotCheck: SpotCheck
    /// The household's visits in the round, as the records stand now.
    public var visitsInRound: [Visit]
    /// In this order: the visit's (denied / not visited), records changed, notice, card,
    /// 三清三关, then missed hazards in the form's order.
    public var flags: [Flag]
    /// The household's grid's weekly contact log for the weeks of the round
    /// (`contactWeeks(of:)`).
    public var contactWeeks: [ContactWeek]
    /// Any visitDenied, hazardMissed or recordsChangedSince.
    public var contradictsRecords: Bool { flags.contains(where: \.contradictsRecords) }
  }

  /// The spot check against the records as they stand now:
  /// - visitConfirmed answered n: the round's visits dated on or before the spot-check date
  ///   are denied (`visitDenied`, against their visitors); with none, `notVisited` (against
  ///   the household's visitor). A visit dated after the spot check is not denied by it.
  /// - the round's visits now against `recordedVisitIDs`: any added or taken back since the
  ///   check was entered (`recordsChangedSince`).
  /// - noticePresent, cardPosted, knowsSanqing answered n: `noticeMissing`, `cardMissing`,
  ///   `sanqingUnknown`.
  /// - each hazard item answered n (`SpotCheck.hazardItems`): `hazardMissed` unless the
  ///   household has a hazard of that check found in the round, or found by the spot-check
  ///   date and not closed on it.
  /// A round number the campaign does not have has no visits and no weeks.
  public static func compare(_ check: SpotCheck, campaign: Campaign, town: TownData)
    -> SpotCheckComparison
  {
    let round = campaign.rounds.first { $0.number == check.round }
    let inRound =
      round.map { round in
        visits(of: check.householdID, town: town).filter { round.contains($0.date) }
      } ?? []
    var flags: [Flag] = []
    if check.answers[SpotCheck.visitConfirmedItem] == .no {
      let denied = inRound.filter { $0.date <= check.date }
      if denied.isEmpty {
        flags.append(.notVisited(visitorID: household(check.householdID, town)?.visitorID))
      } else {
        var visitors: [String] = []
        for id in denied.compactMap(\.visitorID) where !visitors.contains(id) {
          visitors.append(id)
        }
        flags.append(.visitDenied(visitIDs: denied.map(\.id), visitorIDs: visitors))
      }
    }
    let now = inRound.map(\.id)
    let added = now.filter { !check.recordedVisitIDs.contains($0) }
    let removed = check.recordedVisitIDs.filter { !now.contains($0) }
    if !added.isEmpty || !removed.isEmpty {
      flags.append(.recordsChangedSince(added: added, removed: removed))
    }
    if check.answers[SpotCheck.noticePresentItem] == .no { flags.append(.noticeMissing) }
    if check.answers[SpotCheck.cardPostedItem] == .no { flags.append(.cardMissing) }
    if check.answers[SpotCheck.knowsSanqingItem] == .no { flags.append(.sanqingUnknown) }
    let hazards =
      (town.visitRecords[check.householdID] ?? town.archivedVisitRecords[check.householdID])?
      .hazards ?? []
    for item in SpotCheck.hazardItems where check.answers[item] == .no {
      let known = hazards.contains { hazard in
        guard hazard.checkID == item else { return false }
        if let round, round.contains(hazard.foundOn) { return true }
        return hazard.foundOn <= check.date
          && hazard.recorded(by: check.date).state(on: check.date) != .closed
      }
      if !known { flags.append(.hazardMissed(checkID: item)) }
    }
    let gridID = household(check.householdID, town)?.gridID
    let logs = gridID.flatMap { town.contactLogs[$0] } ?? []
    let weeks = round.map(contactWeeks(of:)) ?? []
    return SpotCheckComparison(
      spotCheck: check, visitsInRound: inRound, flags: flags,
      contactWeeks: weeks.map { week in
        ContactWeek(week: week, log: logs.first { $0.week == week })
      })
  }

  /// The visit ids of a household in round `round` as the records stand: what a new
  /// SpotCheck stores in recordedVisitIDs.
  public static func recordedVisitIDs(
    householdID: String, round: Int, campaign: Campaign, town: TownData
  ) -> [String] {
    guard let round = campaign.rounds.first(where: { $0.number == round }) else { return [] }
    return visits(of: householdID, town: town).filter { round.contains($0.date) }.map(\.id)
  }

  /// A household on the roster, else archived.
  static func household(_ id: String, _ town: TownData) -> Household? {
    town.household(id: id) ?? town.archivedHouseholds.first { $0.id == id }
  }
}

// MARK: - Escalation (六(三))

extension Supervision {
  /// A visitor behind in a round: households not visited by the deadline, or visits the
  /// households denied at a spot check.
  public struct VisitorBehind: Equatable, Sendable {
    public var visitorID: String
    public var name: String
    public var assigned: Int
    /// Households with a visit dated round.start … asOf.
    public var visited: Int
    /// Household ids not visited in the round by asOf, roster order.
    public var missed: [String]
    /// Spot checks of the round (dated by asOf) flagged visitDenied against this visitor:
    /// spot check ids, in order of entry.
    public var deniedVisits: [String]
  }

  /// A village behind: no deployment meeting in time, weeks without contact, overdue hazards.
  public struct VillageBehind: Equatable, Sendable {
    public var villageID: String
    public var name: String
    /// 联村领导 from the deployment, else the village liaison, else "".
    public var responsible: String
    /// No meeting recorded dated on or before campaign.deploymentDeadline.
    public var noMeeting: Bool
    /// Grids (roster order) with weeks of the round ended by asOf (Sunday on or before it)
    /// with no contact entry, or one saying not contacted.
    public var missingContacts: [Worklists.MissingContact]
    /// Hazards of the village's households overdue on asOf (as recorded by then).
    public var overdueHazards: [String]
  }

  public struct Findings: Equatable, Sendable {
    public var round: Campaign.Round
    public var asOf: CivilDate
    /// Roster order.
    public var visitors: [VisitorBehind]
    /// Roster order.
    public var villages: [VillageBehind]
  }

  /// Who is behind in `round` at `asOf`. Visits count when dated round.start … asOf (asOf ≥
  /// round.end lets make-up visits after the round count toward a later deadline). A visitor
  /// is listed with a household of theirs not visited, or a visit denied at a spot check of
  /// the round dated by asOf; a village with no meeting in time, a week without contact or an
  /// overdue hazard.
  public static func findings(
    round: Campaign.Round, campaign: Campaign, asOf: CivilDate, town: TownData
  ) -> Findings {
    var denied: [String: [String]] = [:]
    for check in town.supervision.spotChecks
    where check.round == round.number && check.date <= asOf {
      for flag in compare(check, campaign: campaign, town: town).flags {
        guard case .visitDenied(_, let visitorIDs) = flag else { continue }
        for visitorID in visitorIDs { denied[visitorID, default: []].append(check.id) }
      }
    }
    func visited(_ household: Household) -> Bool {
      visits(of: household.id, town: town).contains {
        round.start <= $0.date && $0.date <= asOf
      }
    }
    let byVisitor = Dictionary(
      householdsByVisitor(town).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
    var visitors: [VisitorBehind] = []
    for visitor in town.visitors {
      let households = byVisitor[visitor.id] ?? []
      let missed = households.filter { !visited($0) }.map(\.id)
      let deniedChecks = denied[visitor.id] ?? []
      guard !missed.isEmpty || !deniedChecks.isEmpty else { continue }
      visitors.append(
        VisitorBehind(
          visitorID: visitor.id, name: visitor.name, assigned: households.count,
          visited: households.count - missed.count, missed: missed, deniedVisits: deniedChecks))
    }

    let weeks = contactWeeks(of: round).filter { $0.adding(days: 6) <= asOf }
    var villages: [VillageBehind] = []
    for village in town.villages {
      var missing: [Worklists.MissingContact] = []
      for grid in town.grids(inVillage: village.id) {
        let done = Set((town.contactLogs[grid.id] ?? []).filter(\.contacted).map(\.week))
        let lacking = weeks.filter { !done.contains($0) }
        if !lacking.isEmpty {
          missing.append(
            Worklists.MissingContact(gridID: grid.id, villageID: village.id, weeks: lacking))
        }
      }
      var overdue: [String] = []
      for household in town.households(inVillage: village.id) {
        for hazard in town.visitRecords[household.id]?.hazards ?? []
        where hazard.foundOn <= asOf && hazard.recorded(by: asOf).state(on: asOf) == .overdue {
          overdue.append(hazard.id)
        }
      }
      let noMeeting = !hasMeetingInTime(villageID: village.id, campaign: campaign, town: town)
      guard noMeeting || !missing.isEmpty || !overdue.isEmpty else { continue }
      villages.append(
        VillageBehind(
          villageID: village.id, name: village.name,
          responsible: responsible(forVillage: village.id, town: town), noMeeting: noMeeting,
          missingContacts: missing, overdueHazards: overdue))
    }
    return Findings(round: round, asOf: asOf, visitors: visitors, villages: villages)
  }

  /// The draft of the notices for a round, for the leading group to decide on and sign.
  public struct NoticeDraft: Equatable, Sendable {
    /// The campaign's name.
    public var campaign: String
    public var round: Int
    public var asOf: CivilDate
    /// 通报批评: visitors first (roster order), then villages' responsible persons.
    public var criticism: [NoticedPerson]
    /// 约谈 (镇纪委): visitors only, roster order.
    public var admonition: [NoticedPerson]
  }

  /// First time named → 通报批评. A visitor already named on an issued notice (either kind)
  /// for an EARLIER round, or named on an issued notice for THIS round issued before asOf and
  /// still behind at asOf (households still not visited by a later deadline), → 约谈 instead;
  /// a notice issued on or after asOf is that deadline's own list, drawn again; named for this
  /// round and no household missing any more → not listed again. Villages (their responsible
  /// person) only ever go on 通报批评. `issued` = town.supervision.notices of the same
  /// campaign (notices of another campaign are ignored). Reasons carry the facts in Chinese;
  /// a 约谈's reason says when the visitor was named before.
  public static func draftNotices(
    _ findings: Findings, issued: [IssuedNotice], campaign: Campaign, town: TownData
  ) -> NoticeDraft {
    let roundNumber = findings.round.number
    let notices = issued.filter { $0.campaign == campaign.name }
    var draft = NoticeDraft(
      campaign: campaign.name, round: roundNumber, asOf: findings.asOf, criticism: [],
      admonition: [])
    for behind in findings.visitors {
      let named = notices.filter { notice in
        notice.round <= roundNumber && notice.persons.contains { $0.visitorID == behind.visitorID }
      }
      let earlier = named.filter { $0.round < roundNumber }
      // This round's notice counts only against a later deadline than the day it was issued:
      // drawn up again as of the round's end, the draft is the list that was issued.
      let thisRound = named.filter { $0.round == roundNumber && $0.issuedOn < findings.asOf }
      var reason = SupervisionText.visitorReason(behind, findings: findings, town: town)
      if earlier.isEmpty && thisRound.isEmpty {
        draft.criticism.append(
          NoticedPerson(visitorID: behind.visitorID, name: behind.name, reason: reason))
        continue
      }
      if earlier.isEmpty && behind.missed.isEmpty { continue }
      let last = (earlier + thisRound).max { ($0.round, $0.issuedOn) < ($1.round, $1.issuedOn) }
      if let last { reason += SupervisionText.namedBefore(last) }
      draft.admonition.append(
        NoticedPerson(visitorID: behind.visitorID, name: behind.name, reason: reason))
    }
    for behind in findings.villages {
      draft.criticism.append(
        NoticedPerson(
          villageID: behind.villageID,
          name: behind.responsible.isEmpty ? SupervisionText.noResponsible : behind.responsible,
          reason: SupervisionText.villageReason(behind, campaign: campaign, town: town)))
    }
    return draft
  }
}
