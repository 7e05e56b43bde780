import FiregridModel
import TerminalUI

/// Draws an `AppState` into a buffer: top bar, section tabs, title, content, message, help bar.
/// Pure: the same state always gives the same frame.
public enum AppView {
  public static func render(_ state: AppState) -> (ScreenBuffer, cursor: (x: Int, y: Int)?) {
    var buffer = ScreenBuffer(size: state.size)
    if state.isTooSmall {
      renderTooSmall(state, into: &buffer)
      return (buffer, nil)
    }
    let area = buffer.area
    let (top, rest) = area.splitTop(2)
    let (body, bottom) = rest.splitBottom(2)
    renderTopBar(state, into: &buffer, area: top)
    var cursor: (x: Int, y: Int)?
    switch state.mode {
    case .setup(let form), .login(let form):
      let (intro, formArea) = body.splitTop(2)
      buffer.write(
        AppText.setupIntro(state.dataPath), x: intro.x + 2, y: intro.y + 1,
        maxWidth: intro.width - 4, style: .muted)
      cursor = form.render(into: &buffer, area: formArea.inset(dx: 2, dy: 1))
    case .main:
      cursor = renderSection(state, into: &buffer, area: body)
    }
    renderMessage(state, into: &buffer, y: bottom.y)
    HelpBar.render(
      state.barBindings, into: &buffer,
      area: Rect(x: 0, y: bottom.y + 1, width: bottom.width, height: 1))
    if let overlay = state.overlay {
      cursor = overlay.render(
        into: &buffer, area: RenderArea(body: body, screen: area), context: state.context)
    }
    return (buffer, cursor)
  }

  private static func renderTooSmall(_ state: AppState, into buffer: inout ScreenBuffer) {
    let lines = [
      AppText.windowTooSmall,
      AppText.windowSize(state.size.description, AppState.minimumSize.description),
    ]
    let top = max(0, state.size.rows / 2 - 1)
    for (offset, line) in lines.enumerated() {
      let x = max(0, (state.size.columns - line.displayWidth) / 2)
      buffer.write(line, x: x, y: top + offset, style: offset == 0 ? .error : .plain)
    }
  }

  private static func renderTopBar(_ state: AppState, into buffer: inout ScreenBuffer, area: Rect) {
    buffer.fill(Rect(x: 0, y: area.y, width: area.width, height: 1), style: .bar)
    let winter =
      state.pastWinter.map { VisitText.pastWinterTitle($0.name) }
      ?? AppText.campaign(for: state.today)
    let left = " \(AppText.appName)  \(state.town.town.name)  \(winter)"
    let readOnly = state.readOnlyHolder == nil ? "" : "\(AppText.readOnlyTag)  "
    let right = "\(readOnly)\(AppText.operatorLabel(state.operatorName))  \(state.today) "
    buffer.write(
      left, x: 0, y: area.y, maxWidth: area.width,
      style: Style(foreground: .white, background: .blue, bold: true))
    let rightX = max(left.displayWidth + 1, area.width - right.displayWidth)
    buffer.write(right, x: rightX, y: area.y, maxWidth: area.width - rightX, style: .bar)
    // Section tabs: the current one reversed; in setup there are no sections yet.
    guard case .main = state.mode else { return }
    var x = 1
    for (number, name) in AppText.sections.enumerated() {
      let label = " \(number + 1) \(name) "
      let style: Style = number == state.section.rawValue ? .selected : .plain
      x += buffer.write(label, x: x, y: area.y + 1, maxWidth: area.width - x, style: style)
      x += 1
    }
  }

  private static func renderSection(
    _ state: AppState, into buffer: inout ScreenBuffer, area: Rect
  ) -> (x: Int, y: Int)? {
    // Only the roster is read before the first screen; the others wait for the rest.
    if let loading = state.loading, state.section != .roster {
      buffer.write(AppText.loadingTitle, x: area.x + 2, y: area.y + 1, style: .title)
      buffer.write(
        AppText.loadingDetail(loading.done, loading.total), x: area.x + 2, y: area.y + 3,
        maxWidth: area.width - 4, style: .plain)
      for (offset, line) in (AppText.loadingKeysKept + [state.loadingNote].compactMap { $0 })
        .enumerated()
      {
        buffer.write(
          line, x: area.x + 2, y: area.y + 4 + offset, maxWidth: area.width - 4, style: .muted)
      }
      return nil
    }
    return state.currentScreen.render(into: &buffer, area: area, context: state.context)
  }

  private static func renderMessage(_ state: AppState, into buffer: inout ScreenBuffer, y: Int) {
    // What runs off the UI loop (a backup, a save, a PDF) is said at the right, so the
    // clerk sees it working while the keys still answer.
    var width = buffer.size.columns - 2
    if let activity = state.activity {
      let x = max(1, buffer.size.columns - activity.displayWidth - 1)
      buffer.write(activity, x: x, y: y, style: .muted)
      width = max(0, x - 2)
    }
    // A read-only folder stays said: it is the status whenever no other message is shown.
    guard let message = state.message ?? state.readOnlyHolder.map(AppText.readOnly) else {
      return
    }
    buffer.write(
      message, x: 1, y: y, maxWidth: width,
      style: state.messageIsError || state.message == nil ? .error : .success)
  }
}

/// Draws the roster section.
enum RosterView {
  static func render(
    _ roster: RosterScreen, index: RosterIndex, today: CivilDate, into buffer: inout ScreenBuffer,
    area: Rect
  ) -> (x: Int, y: Int)? {
    var frame = roster.current
    var (tableArea, cursor) = ListHeader.render(
      title: roster.breadcrumb(index: index), count: frame.rowIDs.count, filter: frame.filter,
      typing: roster.searching ? roster.searchField : nil, into: &buffer, area: area)
    if case .household(let householdID) = frame.level,
      let household = index.householdByID[householdID]
    {
      let info = householdInfo(household, index: index)
      for (offset, line) in info.enumerated() {
        buffer.write(line, x: 1, y: tableArea.y + offset, maxWidth: tableArea.width - 2)
      }
      tableArea = tableArea.splitTop(info.count + 1).1
    }
    if case .onePremises(let premisesID) = frame.level,
      let premises = index.premisesByID[premisesID]
    {
      let info = RosterScreen.premisesInfo(
        premises, index: index, today: today, reveal: roster.revealSensitive)
      for (offset, line) in info.enumerated() {
        buffer.write(line, x: 1, y: tableArea.y + offset, maxWidth: tableArea.width - 2)
      }
      tableArea = tableArea.splitTop(info.count + 1).1
    }
    frame.table.render(
      into: &buffer, area: tableArea.inset(dx: 1, dy: 0), focused: !roster.searching)
    return cursor
  }

  static func householdInfo(_ household: Household, index: RosterIndex) -> [String] {
    let grid = index.gridByID[household.gridID]
    let village = grid.flatMap { index.villageByID[$0.villageID] }
    let leader = grid.flatMap { index.gridLeader($0) }
    let visitor = household.visitorID.flatMap { index.visitorByID[$0] }
    let visitorText = visitor.map { "\($0.name)（\($0.role.label)）" } ?? AppText.none
    return [
      "\(AppText.householdInfoNumber) \(household.number)   \(AppText.householdInfoAddress) \(household.address)",
      "\(AppText.householdInfoGrid) \(village?.name ?? "")\(grid?.name ?? "")   "
        + "\(AppText.householdInfoLeader) \(leader?.name ?? AppText.none)   "
        + "\(AppText.householdInfoVisitor) \(visitorText)",
      "\(AppText.householdInfoLiaison) \(village?.liaison ?? AppText.none)   \(AppText.revealHint)",
    ]
  }
}

/// The head of a list screen: the title with the row count at the right, and under it the
/// filter line while a filter is typed or active. Returns the area left for the table and the
/// cursor of the filter being typed.
enum ListHeader {
  static func render(
    title: String, count rows: Int, filter: String, typing field: TextField?,
    into buffer: inout ScreenBuffer, area: Rect
  ) -> (Rect, (x: Int, y: Int)?) {
    let (titleRow, rest) = area.splitTop(1)
    let count = AppText.count(rows)
    buffer.write(
      title, x: 1, y: titleRow.y, maxWidth: titleRow.width - count.displayWidth - 3, style: .title)
    buffer.write(count, x: titleRow.maxX - count.displayWidth - 1, y: titleRow.y, style: .muted)
    guard field != nil || !filter.isEmpty else { return (rest, nil) }
    let (filterRow, below) = rest.splitTop(1)
    buffer.write(AppText.searchPrompt, x: 1, y: filterRow.y, style: .key)
    let fieldX = 1 + AppText.searchPrompt.displayWidth + 1
    let cursor = (field ?? TextField(text: filter)).render(
      into: &buffer, area: Rect(x: fieldX, y: filterRow.y, width: 32, height: 1),
      style: .underline, focused: field != nil)
    return (below, cursor)
  }
}

/// Draws 敲门走访 and 隐患整改: the title with the round, the filter line, the table.
enum WorkView {
  static func render(
    _ screen: WorkScreen, context: WorkContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> (x: Int, y: Int)? {
    var frame = screen.current
    let (tableArea, cursor) = ListHeader.render(
      title: screen.title(context: context), count: frame.rowIDs.count, filter: frame.filter,
      typing: screen.filtering ? screen.filterField : nil, into: &buffer, area: area)
    frame.table.render(
      into: &buffer, area: tableArea.inset(dx: 1, dy: 0), focused: !screen.filtering)
    return cursor
  }
}

/// Draws the statistics section: counts over the whole town and the campaign's.
enum StatisticsView {
  static func render(
    _ index: RosterIndex, context: WorkContext, into buffer: inout ScreenBuffer, area: Rect
  ) {
    let data = index.data
    buffer.write(AppText.statsTitle, x: 1, y: area.y, style: .title)
    let sizes = data.grids.map { index.households(in: $0.id).count }
    var lines: [(String, String)] = [
      (AppText.statsVillages, "\(data.villages.count)"),
      (AppText.statsGrids, "\(data.grids.count)"),
      (AppText.statsHouseholds, "\(data.households.count)"),
      (AppText.statsPersons, "\(data.personCount)"),
      (AppText.statsVisitors, "\(data.visitors.count)"),
      (
        AppText.statsGridsLarge,
        "\(sizes.filter { $0 > Grid.normalSize.upperBound && $0 <= Grid.maximumSize }.count)"
      ),
      (AppText.statsGridsOver, "\(sizes.filter { $0 > Grid.maximumSize }.count)"),
      (
        AppText.statsHouseholdsWithoutVisitor,
        "\(data.households.filter { index.visitorName($0) == nil }.count)"
      ),
    ]
    var groupCounts: [VulnerableGroup: Int] = [:]
    for household in data.households {
      for person in household.persons {
        for group in Set(person.groups) { groupCounts[group, default: 0] += 1 }
      }
    }
    lines.append((AppText.statsVulnerable, ""))
    for group in VulnerableGroup.allCases {
      lines.append(("  " + group.label, "\(groupCounts[group] ?? 0)"))
    }
    for (offset, line) in lines.enumerated() where area.y + 2 + offset < area.maxY {
      let y = area.y + 2 + offset
      buffer.write(line.0, x: 3, y: y, maxWidth: 24)
      buffer.write(line.1, x: 30 - line.1.count, y: y, style: .bold)
    }
    // The campaign's counts in a second column: what the county table (附件3) asks for.
    let counts = Worklists.counts(campaign: context.campaign, today: context.today, town: data)
    var campaignLines: [(String, String)] = [
      (counts.campaign, ""),
      (counts.round, ""),
      (VisitText.statsVisits, "\(counts.visits)"),
      (VisitText.statsVisitedInRound, "\(counts.householdsVisitedInRound)"),
      (VisitText.statsNotVisitedInRound, "\(counts.householdsNotVisitedInRound)"),
      (VisitText.statsHazardsFound, "\(counts.hazardsFound)"),
      (VisitText.statsHazardsOpen, "\(counts.hazardsOpen)"),
      (VisitText.statsHazardsAwaiting, "\(counts.hazardsAwaitingCheck)"),
      (VisitText.statsHazardsOverdue, "\(counts.hazardsOverdue)"),
      (VisitText.statsHazardsClosed, "\(counts.hazardsClosed)"),
      (VisitText.statsGridsMissingContact, "\(counts.gridsMissingContact)"),
      (VisitText.statsHazardsCarriedOver, "\(counts.hazardsCarriedOver)"),
      (VisitText.statsHazardsArchivedOpen, "\(counts.hazardsArchivedOpen)"),
    ]
    // 场所: how many of each kind, this round's inspections, their hazards not closed.
    let premises = Worklists.premisesCounts(
      campaign: context.campaign, today: context.today, town: data)
    campaignLines += [
      (
        PremisesScreenText.statsPremises(premises.offices, premises.businesses, premises.mixedUse),
        "\(premises.total)"
      ),
      (PremisesScreenText.statsInspectedInRound, "\(premises.inspectedInRound)"),
      (PremisesScreenText.statsHazardsOpen, "\(premises.hazardsOpen)"),
    ]
    for (offset, line) in campaignLines.enumerated() where area.y + 2 + offset < area.maxY {
      let y = area.y + 2 + offset
      let style: Style = offset < 2 ? .bold : .plain
      buffer.write(line.0, x: 38, y: y, maxWidth: 30, style: style)
      buffer.write(line.1, x: 72 - line.1.count, y: y, style: .bold)
    }
  }
}
