/// 督查's printed forms, as `Report`s the XLSX, CSV and PDF writers print like any other: the
/// inspectors' check sheet for a sample, the draft notices for the leading group to sign, a
/// village's deployment-meeting minutes (or the blank template), each visitor's quota and the
/// household-by-round visit table. Pure: the town and campaign in, tables out; no ID numbers
/// or phones on any of them, and a vulnerable household is marked as such, never by group.
public enum SupervisionReports {
  public static let checkSheetKind = "spotcheck-sample"
  public static let noticesKind = "supervision-notices"
  public static let minutesKind = "deployment-minutes"
  public static let quotaKind = "visitor-quota"
  public static let matrixKind = "visit-matrix"

  typealias Text = SupervisionText

  /// 入户抽查名单（核查表）: one row per household of the sample in the order drawn, with what
  /// the records show for the round today and blank columns the inspector fills in by hand.
  /// The scope prints the seed and the numbers to draw the same list again.
  public static func checkSheet(sample: SpotCheckSample, campaign: Campaign, town: TownData)
    -> Report
  {
    let round = campaign.rounds.first { $0.number == sample.round }
    let roundLabel = round?.label ?? Text.roundNumber(sample.round)
    var rows: [[ReportTable.Cell]] = []
    for householdID in sample.householdIDs {
      let index = ReportTable.Cell.count(rows.count + 1)
      guard let household = Supervision.household(householdID, town) else {
        rows.append([index, .empty, .empty, .text(householdID)] + blanks(11))
        continue
      }
      let grid = town.grid(id: household.gridID)
      let village = grid.flatMap { town.village(id: $0.villageID) }
      let dates = Supervision.visitDates(of: householdID, town: town).filter {
        round?.contains($0) ?? false
      }
      let recorded =
        dates.isEmpty
        ? Text.notVisited : dates.map(\.monthDay).joined(separator: Text.listSeparator)
      rows.append(
        [
          index, .text(village?.name ?? ""), .text(grid?.name ?? ""), .text(household.number),
          .text(household.head?.name ?? ""), .text(household.address),
          .text(town.visitor(id: household.visitorID)?.name ?? ""),
          .text(household.hasVulnerableMember ? Text.yes : ""), .text(recorded),
        ] + blanks(6))
    }
    let table = ReportTable(
      name: Text.checkSheetName, title: Text.checkSheetTitle,
      scope: Text.checkSheetScope(
        town: town.town.name, campaign: campaign.name, round: roundLabel,
        perVillage: sample.perVillage, seed: sample.seed, drawnOn: sample.drawnOn,
        drawnBy: sample.drawnBy),
      columns: Text.checkSheetColumns, rows: rows,
      footer: [
        Text.inspectorSignature, Text.signatureDate,
        Text.redraw(
          round: sample.round, perVillage: sample.perVillage, seed: sample.seed,
          premisesPerVillage: sample.premisesPerVillage),
      ])
    var tables = [table]
    if !sample.premisesIDs.isEmpty {
      tables.append(premisesSheet(sample: sample, round: round, scope: table.scope, town: town))
    }
    return Report(
      kind: checkSheetKind, period: ReportText.roundScope(campaign.name, roundLabel),
      tables: tables)
  }

  /// The premises drawn on request, on a sheet of their own: where, what kind, who inspects
  /// it, whether people sleep there, the inspections the records show in the round, and blank
  /// columns for the inspector. The responsible person's phone is not printed.
  static func premisesSheet(
    sample: SpotCheckSample, round: Campaign.Round?, scope: String, town: TownData
  ) -> ReportTable {
    var rows: [[ReportTable.Cell]] = []
    for premisesID in sample.premisesIDs {
      let index = ReportTable.Cell.count(rows.count + 1)
      guard
        let premises = town.premises(id: premisesID)
          ?? town.archivedPremises.first(where: { $0.id == premisesID })
      else {
        rows.append([index, .empty, .empty, .text(premisesID)] + blanks(8))
        continue
      }
      let grid = town.grid(id: premises.gridID)
      let village = grid.flatMap { town.village(id: $0.villageID) }
      let dates = (town.premisesRecords[premisesID]?.visits ?? []).map(\.date).filter {
        round?.contains($0) ?? false
      }
      let kind =
        premises.kind.label + (premises.businessKind.map { "（\($0.label)）" } ?? "")
      rows.append(
        [
          index, .text(village?.name ?? ""), .text(grid?.name ?? ""), .text(premises.name),
          .text(kind), .text(premises.address),
          .text(town.visitor(id: premises.visitorID)?.name ?? ""),
          .text(premises.peopleSleep == true ? Text.yes : ""),
          .text(
            dates.isEmpty
              ? Text.notInspected
              : dates.map(\.monthDay).joined(separator: Text.listSeparator)),
        ] + blanks(3))
    }
    return ReportTable(
      name: Text.premisesSheetName, title: Text.premisesSheetTitle,
      scope: Text.premisesSheetScope(scope, perVillage: sample.premisesPerVillage),
      columns: Text.premisesSheetColumns, rows: rows,
      footer: [Text.inspectorSignature, Text.signatureDate])
  }

  static func blanks(_ count: Int) -> [ReportTable.Cell] {
    Array(repeating: .empty, count: count)
  }

  /// 通报批评名单 and 约谈名单 of a draft, for the leading group to sign: the facts in each
  /// row; an empty list still prints, with one row reading 无. The round is named from the
  /// town's stored campaign of that name, else the seed's template for the winter of asOf.
  public static func notices(_ draft: Supervision.NoticeDraft, town: TownData) -> Report {
    let template = Campaign.winter(containing: draft.asOf)
    let campaign =
      town.campaigns.first { $0.name == draft.campaign }
      ?? (template.name == draft.campaign ? template : nil)
    let round =
      campaign?.rounds.first { $0.number == draft.round }?.label
      ?? Text.roundNumber(draft.round)
    let scope = Text.noticesScope(
      town: town.town.name, campaign: draft.campaign, round: round, asOf: draft.asOf)
    func table(_ title: String, _ persons: [NoticedPerson]) -> ReportTable {
      var rows = persons.enumerated().map { index, person -> [ReportTable.Cell] in
        [
          .count(index + 1), .text(person.name), .text(unit(of: person, town: town)),
          .text(person.reason), .empty,
        ]
      }
      if rows.isEmpty { rows = [[.empty, .text(Text.none), .empty, .empty, .empty]] }
      return ReportTable(
        name: title, title: title, scope: scope, columns: Text.noticeColumns, rows: rows,
        footer: Text.noticeFooter)
    }
    return Report(
      kind: noticesKind, period: ReportText.roundScope(draft.campaign, round),
      tables: [
        table(Text.criticismTitle, draft.criticism), table(Text.admonitionTitle, draft.admonition),
      ])
  }

  /// 单位/村: a visitor's role and the villages of their households; a village's name and
  /// which of its people answers for it.
  static func unit(of person: NoticedPerson, town: TownData) -> String {
    if let visitorID = person.visitorID {
      var villages: [String] = []
      let villageOfGrid = town.villageIDByGrid
      for household in town.households where household.visitorID == visitorID {
        if let name = villageOfGrid[household.gridID].flatMap({ town.village(id: $0)?.name }),
          !villages.contains(name)
        {
          villages.append(name)
        }
      }
      return Text.visitorUnit(town.visitor(id: visitorID)?.role.label ?? "", villages)
    }
    guard let villageID = person.villageID else { return "" }
    let name = town.village(id: villageID)?.name ?? villageID
    let leader = town.supervision.deployment(ofVillage: villageID)?.linkLeader ?? ""
    let liaison = town.village(id: villageID)?.liaison ?? ""
    return Text.villageUnit(
      name, linkLeader: !leader.isEmpty && person.name == leader,
      liaison: !liaison.isEmpty && person.name == liaison)
  }

  /// 村级消防安全“敲门行动”动员部署会会议记录 of a village: the meeting as recorded, or the
  /// blank template (village, 联村领导 when known and the visitors' households filled in from
  /// the roster, the rest left to write by hand).
  public static func minutes(villageID: String, campaign: Campaign, town: TownData) -> Report {
    let village = town.village(id: villageID)
    let deployment = town.supervision.deployment(ofVillage: villageID)
    let meeting = deployment?.meeting
    func row(_ item: String, _ content: String) -> [ReportTable.Cell] {
      [.text(item), .text(content)]
    }
    var rows = [
      row(Text.minutesVillage, village?.name ?? villageID),
      row(Text.minutesDate, meeting.map { Text.longDate($0.date) } ?? ""),
      row(Text.minutesPlace, meeting?.place ?? ""),
      row(Text.minutesChair, meeting?.chairedBy ?? ""),
      row(Text.minutesLinkLeader, deployment?.linkLeader ?? ""),
      row(Text.minutesAttendees, meeting?.attendees.joined(separator: Text.listSeparator) ?? ""),
      row(Text.minutesLiaison, meeting?.liaison ?? ""),
      row(Text.minutesRecorder, meeting?.recorder ?? ""),
    ]
    let arrangement = arrangement(ofVillage: villageID, town: town)
    for (index, line) in (arrangement.isEmpty ? [""] : arrangement).enumerated() {
      rows.append(row(index == 0 ? Text.minutesArrangement : "", line))
    }
    rows.append(row(Text.minutesNotes, meeting?.notes ?? ""))
    let table = ReportTable(
      name: Text.minutesName, title: Text.minutesTitle,
      scope: Text.minutesScope(
        town: town.town.name, village: village?.name ?? villageID, campaign: campaign.name),
      columns: Text.minutesColumns, rows: rows, footer: Text.minutesFooter)
    return Report(kind: minutesKind, period: campaign.name, tables: [table])
  }

  /// One line per visitor of the village's households (visitors in roster order), then the
  /// households without a visitor: 张三：12户（第1网格、第2网格）.
  static func arrangement(ofVillage villageID: String, town: TownData) -> [String] {
    let households = town.households(inVillage: villageID)
    var order: [String?] = []
    var byVisitor: [String?: [Household]] = [:]
    for household in households {
      if byVisitor[household.visitorID] == nil { order.append(household.visitorID) }
      byVisitor[household.visitorID, default: []].append(household)
    }
    let rosterOrder = town.visitors.map(\.id)
    order.sort { a, b in
      let rank = { (id: String?) -> Int in
        id.flatMap { rosterOrder.firstIndex(of: $0) } ?? rosterOrder.count
      }
      return rank(a) < rank(b)
    }
    return order.map { visitorID in
      let theirs = byVisitor[visitorID] ?? []
      var grids: [String] = []
      for household in theirs {
        let name = town.grid(id: household.gridID)?.name ?? household.gridID
        if !grids.contains(name) { grids.append(name) }
      }
      let name =
        visitorID.map { town.visitor(id: $0)?.name ?? $0 } ?? Text.noVisitor
      return Text.arrangement(name, theirs.count, grids)
    }
  }

  /// Each visitor's households against the quota of the period (`Supervision.quota`), with
  /// the town's total; the share is households done ÷ households assigned.
  public static func quota(in period: Supervision.Period, campaign: Campaign, town: TownData)
    -> Report
  {
    let quotas = Supervision.quota(in: period, campaign: campaign, town: town)
    let householdsByID = town.householdsByID
    func share(_ done: Int, _ assigned: Int) -> ReportTable.Cell {
      assigned == 0 ? .empty : .share(Double(done) / Double(assigned))
    }
    let rows = quotas.map { quota -> [ReportTable.Cell] in
      let visitor = town.visitor(id: quota.visitorID)
      let short = quota.short.map { householdsByID[$0.householdID]?.number ?? $0.householdID }
      return [
        .text(visitor?.name ?? quota.visitorID), .text(visitor?.role.label ?? ""),
        .count(quota.assigned), .count(quota.required), .count(quota.householdsDone),
        .count(quota.householdsShort), .count(quota.visits),
        share(quota.householdsDone, quota.assigned),
        .text(short.joined(separator: Text.listSeparator)),
      ]
    }
    let assigned = quotas.reduce(0) { $0 + $1.assigned }
    let done = quotas.reduce(0) { $0 + $1.householdsDone }
    let total: [ReportTable.Cell] = [
      .text(Text.total), .empty, .count(assigned), .empty, .count(done),
      .count(quotas.reduce(0) { $0 + $1.householdsShort }),
      .count(quotas.reduce(0) { $0 + $1.visits }), share(done, assigned), .empty,
    ]
    let required = period.requiredVisits(campaign: campaign)
    let table = ReportTable(
      name: Text.quotaName, title: Text.quotaTitle,
      scope: Text.quotaScope(
        town: town.town.name, campaign: campaign.name, period: period.label,
        required: required),
      columns: Text.quotaColumns, rows: rows, total: total,
      footer: [ReportText.footerUnit(town.town.name), Text.preparedBy, Text.reviewedBy])
    return Report(
      kind: quotaKind, period: ReportText.roundScope(campaign.name, period.label),
      tables: [table])
  }

  /// Households (rows, in the order given) by round (columns): who visited and when, e.g.
  /// 张三12-03, several in a round joined by 、, a visit in another's place marked （代）.
  /// `scope` says which households (a grid, a visitor's).
  public static func matrix(
    householdIDs: [String], title scope: String, campaign: Campaign, town: TownData
  ) -> Report {
    let matrix = Supervision.visitMatrix(
      householdIDs: householdIDs, campaign: campaign, town: town)
    var columns = Text.matrixHouseholdColumns
    for round in matrix.rounds {
      columns.append(
        ReportTable.Column(id: "round\(round.number)", label: Text.roundColumn(round), width: 12))
    }
    var rows: [[ReportTable.Cell]] = []
    for (householdID, marks) in zip(matrix.householdIDs, matrix.marks) {
      let household = Supervision.household(householdID, town)
      var row: [ReportTable.Cell] = [
        .text(household?.number ?? householdID), .text(household?.head?.name ?? ""),
      ]
      for visits in marks {
        let text = visits.map { mark in
          Text.mark(
            town.visitor(id: mark.visitorID)?.name ?? "", mark.date,
            standIn: mark.standInFor != nil)
        }.joined(separator: Text.listSeparator)
        row.append(text.isEmpty ? .empty : .text(text))
      }
      rows.append(row)
    }
    let table = ReportTable(
      name: Text.matrixName, title: Text.matrixTitle,
      scope: Text.matrixScope(town: town.town.name, campaign: campaign.name, scope: scope),
      columns: columns, rows: rows,
      footer: [ReportText.footerUnit(town.town.name), Text.preparedBy, Text.reviewedBy])
    return Report(kind: matrixKind, period: campaign.name, tables: [table])
  }
}
