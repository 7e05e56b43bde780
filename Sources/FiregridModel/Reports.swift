/// The county's reports, built from a town with the day passed in: the statistics table
/// (附件3) with its hazard detail sheet, the hazard register (隐患台账) and the
/// elderly-living-alone table (附件7). Pure: no files, no clock; the outputs (XLSX, CSV, PDF,
/// a screen) write the `Report` without knowing which one it is.
public enum Reports {
  /// Why a report could not be made; `message` is what the user reads.
  public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
  }

  /// The signature block under every table: 填报单位 is the town, 填报日期 the day passed in.
  public struct Signature: Equatable, Sendable {
    /// 填表人
    public var preparedBy: String
    /// 审核人
    public var reviewedBy: String
    /// 联系电话
    public var phone: String

    public init(preparedBy: String = "", reviewedBy: String = "", phone: String = "") {
      self.preparedBy = preparedBy
      self.reviewedBy = reviewedBy
      self.phone = phone
    }
  }

  /// What a report covers: a round, a whole campaign (its winter, September to August) or a
  /// range of days, both ends included.
  public struct Scope: Equatable, Sendable {
    public var first: CivilDate
    public var last: CivilDate
    /// e.g. 2024-25冬春火灾防控 第1轮（11-20至11-30）
    public var label: String

    public init(first: CivilDate, last: CivilDate, label: String) {
      self.first = first
      self.last = last
      self.label = label
    }

    public static func round(_ round: Campaign.Round, of campaign: Campaign) -> Scope {
      Scope(
        first: round.start, last: round.end,
        label: ReportText.roundScope(campaign.name, round.label))
    }

    public static func campaign(_ campaign: Campaign) -> Scope {
      Scope(
        first: campaign.firstDay, last: campaign.lastDay,
        label: ReportText.campaignScope(campaign.name))
    }

    public static func dates(_ first: CivilDate, _ last: CivilDate) -> Scope {
      Scope(first: first, last: last, label: ReportText.datesScope(first, last))
    }

    /// The day states are taken on: the scope's last day, or `day` when the scope has not
    /// ended yet (a deadline after today is not overdue).
    public func asOf(_ day: CivilDate) -> CivilDate { min(last, day) }

    public func contains(_ date: CivilDate) -> Bool { first <= date && date <= last }
  }

  /// The 5 footer lines, as on the paper; the unit is the town (or the county of a merge).
  static func footer(unit: String, signature: Signature, day: CivilDate) -> [String] {
    [
      ReportText.footerUnit(unit), ReportText.footerPreparedBy(signature.preparedBy),
      ReportText.footerReviewedBy(signature.reviewedBy), ReportText.footerPhone(signature.phone),
      ReportText.footerDate(day),
    ]
  }
}

extension Hazard {
  /// The hazard as it stood at the end of `day`: the events recorded after it dropped, so
  /// `state(on: day)` is the state on that day even when the report is made later.
  public func recorded(by day: CivilDate) -> Hazard {
    var hazard = self
    hazard.events = events.filter { $0.date <= day }
    return hazard
  }

  /// Put right while the visitor was there (the form's 0 days: 当场整改).
  public var wasRectifiedOnSpot: Bool { events.contains { $0.kind == .rectifiedOnSpot } }
}

// MARK: - Column definitions (Resources/Data/reports/*.json)

/// A report's column file: which columns, in which order, with their Chinese headers. The
/// rules compute each column by its id; an id they do not know is refused.
public struct ReportColumns: Codable, Equatable, Sendable {
  /// "firegrid.report-columns"
  public var format: String
  public var version: Int
  /// The report the columns are for, e.g. "statistics".
  public var report: String
  /// The title over the table, as on the paper.
  public var title: String
  /// Where each column comes from (the seed's lines, the paper-form notes).
  public var sources: [String]
  public var columns: [ReportTable.Column]

  public static let fileFormat = "firegrid.report-columns"

  public init(
    report: String, title: String, sources: [String] = [], columns: [ReportTable.Column],
    format: String = ReportColumns.fileFormat, version: Int = 1
  ) {
    self.format = format
    self.version = version
    self.report = report
    self.title = title
    self.sources = sources
    self.columns = columns
  }
}

// MARK: - 统计表 (附件3)

extension Reports {
  /// The columns the statistics table knows, by id, with the kind each must be declared as.
  public static let statisticsColumnKinds: [String: ReportTable.Column.Kind] = {
    var kinds: [String: ReportTable.Column.Kind] = [StatisticsColumn.village: .text]
    for id in StatisticsColumn.counts { kinds[id] = .count }
    for id in StatisticsColumn.shares.keys { kinds[id] = .share }
    return kinds
  }()

  /// Checks a statistics column file: known ids, declared with the right kind, none twice.
  public static func checkStatisticsColumns(_ columns: ReportColumns) throws(Refusal) {
    guard columns.report == StatisticsColumn.report else {
      throw Refusal(ReportText.wrongReport(columns.report, StatisticsColumn.report))
    }
    var seen: Set<String> = []
    for column in columns.columns {
      guard let kind = statisticsColumnKinds[column.id] else {
        throw Refusal(ReportText.unknownColumn(column.id, column.label))
      }
      guard kind == column.kind else {
        throw Refusal(ReportText.wrongKind(column.id, column.label, kind.rawValue))
      }
      guard seen.insert(column.id).inserted else {
        throw Refusal(ReportText.duplicateColumn(column.id))
      }
    }
    guard !columns.columns.isEmpty else { throw Refusal(ReportText.noColumns) }
  }

  /// 消防安全行动统计表: one row per village in roster order and the town's total (合计),
  /// the columns of `columns` computed by id over `scope`, states as of the scope's end (or
  /// `day` when that comes first); then the detail sheet of every hazard found in the scope
  /// and not put right on the spot. Households archived are not on the roster and not
  /// counted; hazards found before the scope (carried over) are not "found in scope".
  /// With `villageID`, that village's row and hazards only, and no 合计.
  public static func statistics(
    town: TownData, scope: Scope, columns: ReportColumns, day: CivilDate,
    villageID: String? = nil, forms: FormRegistry? = nil, signature: Signature = Signature()
  ) throws(Refusal) -> Report {
    try checkStatisticsColumns(columns)
    let asOf = scope.asOf(day)
    let villages = try villages(town, villageID)
    let counts = villages.map { village in
      StatisticsColumn.counts(of: village.id, town: town, scope: scope, asOf: asOf)
    }
    var total: [String: Int] = [:]
    for village in counts {
      for (id, value) in village { total[id, default: 0] += value }
    }
    func row(_ name: String, _ values: [String: Int]) -> [ReportTable.Cell] {
      statisticsRow(name, values, columns)
    }
    let footer = footer(unit: town.town.name, signature: signature, day: day)
    let place = villageID == nil ? "" : " \(villages[0].name)"
    let table = ReportTable(
      name: ReportText.statisticsSheet, title: columns.title,
      scope: ReportText.scopeWithTown(town.town.name, scope.label) + place,
      columns: columns.columns,
      rows: zip(villages, counts).map { row($0.name, $1) },
      total: villageID == nil ? row(ReportText.total, total) : nil, footer: footer)
    let detail = hazardDetail(
      town: town, villages: villages, scope: scope, asOf: asOf, forms: forms, footer: footer)
    return Report(
      kind: StatisticsColumn.report, period: scope.label, tables: [table, detail])
  }

  /// A statistics row: the place's name, its counts by column id, and its shares worked out
  /// from its own counts (so a total's share is never an average of shares).
  static func statisticsRow(_ name: String, _ values: [String: Int], _ columns: ReportColumns)
    -> [ReportTable.Cell]
  {
    columns.columns.map { column in
      if column.id == StatisticsColumn.village { return .text(name) }
      if let (numerator, denominator) = StatisticsColumn.shares[column.id] {
        let below = values[denominator] ?? 0
        return below == 0 ? .empty : .share(Double(values[numerator] ?? 0) / Double(below))
      }
      return .count(values[column.id] ?? 0)
    }
  }

  /// One town's 合计 row of a statistics table, read back from the file it sent: its name and
  /// the counts by column id.
  public struct TownTotals: Equatable, Sendable {
    public var town: String
    public var counts: [String: Int]
    public init(town: String, counts: [String: Int]) {
      self.town = town
      self.counts = counts
    }
  }

  /// The county's statistics table from its towns' tables of one period: a row per town (its
  /// 合计), the county's total, shares worked out again from the summed counts.
  public static func mergeStatistics(
    _ towns: [TownTotals], county: String, period: String, columns: ReportColumns,
    day: CivilDate, signature: Signature = Signature()
  ) throws(Refusal) -> Report {
    try checkStatisticsColumns(columns)
    func row(_ name: String, _ values: [String: Int]) -> [ReportTable.Cell] {
      statisticsRow(name, values, columns)
    }
    var total: [String: Int] = [:]
    for town in towns {
      for (id, value) in town.counts { total[id, default: 0] += value }
    }
    var labelled = columns.columns
    if let first = labelled.indices.first(where: { labelled[$0].id == StatisticsColumn.village }) {
      labelled[first].label = ReportText.townColumn
    }
    let table = ReportTable(
      name: ReportText.statisticsSheet, title: columns.title,
      scope: ReportText.scopeWithTown(county, period), columns: labelled,
      rows: towns.map { row($0.town, $0.counts) }, total: row(ReportText.total, total),
      footer: footer(unit: county, signature: signature, day: day))
    return Report(kind: StatisticsColumn.report, period: period, tables: [table])
  }

  /// The column id of each header label of the statistics table (a town's file is read back
  /// by its headers, so a county can merge files whatever order their columns are in).
  public static func statisticsColumnIDs(_ columns: ReportColumns) -> [String: String] {
    Dictionary(columns.columns.map { ($0.label, $0.id) }, uniquingKeysWith: { first, _ in first })
  }

  /// The first cell of a table's total row (合计), as written: a merge finds a town's totals
  /// by it.
  public static let totalLabel = ReportText.total

  /// The unit a table was filled in for (its 填报单位 footer line), from the first cells of
  /// its rows as a spreadsheet reads them back.
  public static func unit(in firstCells: [String]) -> String? {
    firstCells.first { $0.hasPrefix(ReportText.footerUnitLabel) }
      .map { String($0.dropFirst(ReportText.footerUnitLabel.count)) }
  }

  /// 隐患整改明细: every hazard found in `scope` that was not put right on the spot.
  static func hazardDetail(
    town: TownData, villages: [Village], scope: Scope, asOf: CivilDate, forms: FormRegistry?,
    footer: [String]
  ) -> ReportTable {
    var rows: [[ReportTable.Cell]] = []
    for village in villages {
      for household in town.households(inVillage: village.id) {
        guard let record = town.visitRecords[household.id] else { continue }
        for found in record.hazards where scope.contains(found.foundOn) && found.foundOn <= asOf {
          let hazard = found.recorded(by: asOf)
          guard !hazard.wasRectifiedOnSpot else { continue }
          rows.append([
            .text(village.name), .text(household.number), .text(household.head?.name ?? ""),
            .text(forms?.label(of: hazard, in: record) ?? hazard.checkID),
            .text(hazard.description), .text(ReportText.measure(hazard)),
            .text(town.visitor(id: household.visitorID)?.name ?? ""),
            .text(ReportText.reinspection(hazard, on: asOf)),
          ])
        }
      }
    }
    return ReportTable(
      name: ReportText.detailSheet, title: ReportText.detailTitle,
      scope: ReportText.scopeWithTown(town.town.name, scope.label),
      columns: ReportText.detailColumns, rows: rows, footer: footer)
  }
}

/// The statistics table's column ids and how each is counted for one village.
enum StatisticsColumn {
  static let report = "statistics"
  static let village = "village"

  /// Whole numbers, summed in the total row.
  static let counts = [
    "households", "microGrids", "gridLeaders", "wechatGroups", "visitors",
    "householdsToVisit", "householdsVisited", "visits", "vulnerableHouseholds",
    "vulnerableVisitedInPerson", "elderlyLivingAlone", "noticesDelivered", "cardsPosted",
    "hazardsFound", "hazardsRectifiedOnSpot", "hazardsWithDeadline", "hazardsRectified",
    "hazardsOpen", "hazardsOverdue", "weeklyContacts", "riskReports",
  ]

  /// Shares: numerator ÷ denominator, recomputed from the sums in the total row.
  static let shares: [String: (String, String)] = [
    "visitedShare": ("householdsVisited", "householdsToVisit"),
    "vulnerableVisitedShare": ("vulnerableVisitedInPerson", "vulnerableHouseholds"),
    "rectifiedShare": ("hazardsRectified", "hazardsWithDeadline"),
  ]

  /// One village's counts from the town in memory: its households' and visit records' facts
  /// taken here, then the one counting code (`counts(grids:households:…)`) the database's
  /// county table also runs on the facts it keeps, so the two cannot drift.
  static func counts(of villageID: String, town: TownData, scope: Reports.Scope, asOf: CivilDate)
    -> [String: Int]
  {
    counts(
      grids: town.grids(inVillage: villageID),
      households: town.households(inVillage: villageID).map(HouseholdFacts.init),
      visits: { town.visitRecords[$0].map(VisitFacts.init) }, contactLogs: town.contactLogs,
      scope: scope, asOf: asOf)
  }

  /// One village's counts: its grids (town.json), its households' facts, their visit records'
  /// facts by household id, and the grids' contact logs.
  static func counts(
    grids: [Grid], households: [HouseholdFacts], visits visitFacts: (String) -> VisitFacts?,
    contactLogs: [String: [ContactLog]], scope: Reports.Scope, asOf: CivilDate
  ) -> [String: Int] {
    var c: [String: Int] = [:]
    c["households"] = households.count
    c["householdsToVisit"] = households.count
    c["microGrids"] = grids.count
    // A grid has a leader when its gridLeaderID is a member of one of its households.
    var leaderOfGrid: [String: String] = [:]
    for grid in grids { if let leader = grid.gridLeaderID { leaderOfGrid[grid.id] = leader } }
    var led = Set<String>()
    for household in households {
      if let leader = leaderOfGrid[household.gridID], household.personIDs.contains(leader) {
        led.insert(household.gridID)
      }
    }
    c["gridLeaders"] = led.count
    c["wechatGroups"] =
      grids.filter {
        !$0.wechatGroup.trimmingCharacters(in: .whitespaces).isEmpty
      }.count
    c["visitors"] = Set(households.compactMap(\.visitorID)).count
    c["elderlyLivingAlone"] = households.reduce(0) { $0 + $1.elderlyLivingAlone }
    c["vulnerableHouseholds"] = households.filter(\.hasVulnerableMember).count

    // Plain counters, no array or dictionary per household: the county counts 300,000 of them.
    var visited = 0
    var visits = 0
    var metInPerson = 0
    var notices = 0
    var cards = 0
    var found = 0
    var onTheSpot = 0
    var withDeadline = 0
    var rectified = 0
    var open = 0
    var overdue = 0
    for household in households {
      guard let record = visitFacts(household.householdID) else { continue }
      var inScope = 0
      var met = false
      var notice = false
      var card = false
      for visit in record.visits where scope.contains(visit.date) && visit.date <= asOf {
        inScope += 1
        met = met || visit.vulnerableMet
        notice = notice || visit.noticeDelivered
        card = card || visit.cardPosted
      }
      visits += inScope
      if inScope > 0 { visited += 1 }
      // Households, not visits: a notice handed over in two rounds is one household reached.
      if household.hasVulnerableMember, met { metInPerson += 1 }
      if notice { notices += 1 }
      if card { cards += 1 }
      for hazard in record.hazards where scope.contains(hazard.foundOn) && hazard.foundOn <= asOf {
        let item = hazard.recorded(by: asOf)
        found += 1
        if item.wasRectifiedOnSpot {
          onTheSpot += 1
          continue
        }
        withDeadline += 1
        switch item.state(on: asOf) {
        case .closed: rectified += 1
        case .overdue:
          open += 1
          overdue += 1
        case .open, .awaitingCheck: open += 1
        }
      }
    }
    c["householdsVisited"] = visited
    c["visits"] = visits
    c["vulnerableVisitedInPerson"] = metInPerson
    c["noticesDelivered"] = notices
    c["cardsPosted"] = cards
    c["hazardsFound"] = found
    c["hazardsRectifiedOnSpot"] = onTheSpot
    c["hazardsWithDeadline"] = withDeadline
    c["hazardsRectified"] = rectified
    c["hazardsOpen"] = open
    c["hazardsOverdue"] = overdue

    // A week (Monday to Sunday) belongs to the scope its Sunday falls in, so adjacent rounds
    // never both count it; a week not yet begun on `asOf` is not counted.
    var contacts = 0
    var risks = 0
    for grid in grids {
      for log in contactLogs[grid.id] ?? []
      where scope.contains(log.week.adding(days: 6)) && log.week <= asOf {
        if log.contacted { contacts += 1 }
        if log.hasRisk { risks += 1 }
      }
    }
    c["weeklyContacts"] = contacts
    c["riskReports"] = risks
    return c
  }
}

// MARK: - 隐患台账

extension Reports {
  /// Which hazards the register lists, by their state on the day.
  public enum HazardFilter: String, CaseIterable, Sendable {
    /// Not closed: 整改中, 待复查 and 逾期.
    case open
    case overdue
    case closed
    case all

    public var label: String { ReportText.filterLabel(self) }

    func admits(_ state: HazardState) -> Bool {
      switch self {
      case .open: return state != .closed
      case .overdue: return state == .overdue
      case .closed: return state == .closed
      case .all: return true
      }
    }
  }

  /// 隐患台账 of a village (`villageID`) or the town (nil): every hazard found by `day`, in
  /// roster order then by date found, with its events and state as of `day`, filtered by
  /// state. Households taken off the roster keep their hazards here, marked as archived.
  public static func hazardRegister(
    town: TownData, villageID: String? = nil, filter: HazardFilter = .all, day: CivilDate,
    forms: FormRegistry? = nil, signature: Signature = Signature()
  ) throws(Refusal) -> Report {
    let villages = try villages(town, villageID)
    let villageOfGrid = town.villageIDByGrid
    var rows: [[ReportTable.Cell]] = []
    for village in villages {
      let live = town.households(inVillage: village.id).map {
        ($0, town.visitRecords[$0.id], false)
      }
      let archived = town.archivedHouseholds
        .filter { villageOfGrid[$0.gridID] == village.id }
        .map { ($0, town.archivedVisitRecords[$0.id], true) }
      for (household, record, isArchived) in live + archived {
        guard let record else { continue }
        for found in record.hazards where found.foundOn <= day {
          let hazard = found.recorded(by: day)
          let state = hazard.state(on: day)
          guard filter.admits(state) else { continue }
          rows.append([
            .text(village.name), .text(household.number), .text(household.head?.name ?? ""),
            .text(hazard.foundOn.description),
            .text(forms?.label(of: hazard, in: record) ?? hazard.checkID),
            .text(hazard.description), .text(hazard.deadline.description),
            .text(ReportText.history(hazard)),
            .text(ReportText.registerState(state, archived: isArchived)),
          ])
        }
      }
    }
    let footer = footer(unit: town.town.name, signature: signature, day: day)
    let place = villageID.flatMap { town.village(id: $0)?.name } ?? town.town.name
    let table = ReportTable(
      name: ReportText.registerSheet, title: ReportText.registerTitle,
      scope: ReportText.registerScope(place, filter, day), columns: ReportText.registerColumns,
      rows: rows, footer: footer)
    return Report(kind: "hazard-register", tables: [table])
  }

  static func villages(_ town: TownData, _ villageID: String?) throws(Refusal) -> [Village] {
    guard let villageID else { return town.villages }
    guard let village = town.village(id: villageID) else {
      throw Refusal(ReportText.unknownVillage(villageID))
    }
    return [village]
  }
}

// MARK: - 独居老人统计表 (附件7)

extension Reports {
  /// 社区独居老人统计表: one table per village (the one asked for, or every village of the
  /// town, in roster order, empty ones kept so a nil return is seen), a row per person in the
  /// 独居老人 group in roster order. Age from the ID number on `day`; sex as entered, else from
  /// the ID number; the last visit to the household on or before `day`.
  public static func elderlyLivingAlone(
    town: TownData, villageID: String? = nil, day: CivilDate,
    signature: Signature = Signature()
  ) throws(Refusal) -> Report {
    let footer = footer(unit: town.town.name, signature: signature, day: day)
    var tables: [ReportTable] = []
    for village in try villages(town, villageID) {
      var rows: [[ReportTable.Cell]] = []
      for household in town.households(inVillage: village.id) {
        let lastVisit = town.visitRecords[household.id]?.visits.last { $0.date <= day }?.date
        for person in household.persons where person.groups.contains(.elderlyLivingAlone) {
          let care = person.elderlyCare ?? ElderlyCare()
          let age = IDNumber.age(of: person.idNumber, on: day)
          rows.append([
            .count(rows.count + 1), .text(person.name),
            .text((person.sex ?? IDNumber.sex(of: person.idNumber))?.label ?? ""),
            age.map { .count($0) } ?? .empty, .text(household.address), .text(person.phone),
            .text(care.guardianName), .text(care.guardianRelation), .text(care.guardianPhone),
            .text(care.selfCare?.label ?? ""), .text(care.livingSituation),
            .text(care.helperName), .text(care.helperPhone), .text(care.visitFrequency),
            .text(lastVisit?.description ?? ""), .text(ReportText.yesNo(care.smokeAlarm)),
            .text(ReportText.yesNo(care.extinguisher)), .text(care.notes),
          ])
        }
      }
      tables.append(
        ReportTable(
          name: village.name, title: ReportText.elderlyTitle,
          scope: ReportText.elderlyScope(town.town.name, village.name, day),
          columns: ReportText.elderlyColumns, rows: rows, footer: footer))
    }
    return Report(kind: "elderly-living-alone", tables: tables)
  }
}
