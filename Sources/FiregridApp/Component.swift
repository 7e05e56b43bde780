import FiregridModel
import FiregridRepository
import TerminalUI

/// The sections under the tabs, in tab order.
public enum Section: Int, CaseIterable, Sendable {
  case roster, visits, hazards, statistics, printing, supervision

  var title: String { AppText.sections[rawValue] }
}

/// What components read while they handle a key or draw: the town and the app's settings,
/// never the other components. Built by `AppState` for each key and frame.
struct AppContext {
  var index: RosterIndex
  var today: CivilDate
  /// The earlier winter chosen with Y; nil for today's.
  var pastWinter: Campaign?
  /// Why the town is open only to be read; nil when it can be edited.
  var readOnlyHolder: String?
  /// Who is working (填表人 on a report).
  var operatorName: String = ""
  var damaged: [DamagedRecord]
  var forms: FormRegistry
  var carry: VisitCarry
  /// The last visit saved, which `U` takes back.
  var lastSavedVisit: (householdID: String, visitID: String)?
  var printing: PrintAvailability
  var size: Size
  /// The town-wide search, once built (the first `/`).
  var townSearch: TownSearch?
  /// Whether lists and reports can be written to files (`o`).
  var canExport = false
  /// The grid selected in 敲门走访 (what printing suggests).
  var visitsGridID: String?

  /// Rows the content area has: the screen less top bar, tabs, message and help bar.
  var contentRows: Int { max(1, size.rows - 5) }

  var isWritable: Bool { readOnlyHolder == nil }

  /// The campaign being worked on: the past winter chosen, else today's.
  var workingCampaign: Campaign { pastWinter ?? index.data.campaign(on: today) }

  /// The day the lists and counts are as of: today, or the chosen past winter's last round.
  var workingDay: CivilDate {
    guard let pastWinter else { return today }
    return min(today, pastWinter.rounds.last?.end ?? today)
  }

  /// The residential form as it is now: new visits are entered on it.
  var visitForm: VisitForm { forms.current ?? AppState.missingForm }

  var workContext: WorkContext { WorkContext(index: index, forms: forms, today: workingDay) }

  /// The earlier winter a date is in (a correction of last winter's paper keeps its dates),
  /// nil for today's winter.
  func pastWinter(of date: CivilDate) -> Campaign? {
    let winter = index.data.campaign(on: date)
    return winter.firstDay < index.data.campaign(on: today).firstDay ? winter : nil
  }

  /// `o`: the list shown, to a file — or why it cannot be.
  func export(title: String, filter: String, table: Table) -> [Message] {
    guard canExport else { return [.error(ExportText.notAvailable)] }
    return [
      .present(
        ExportOverlay(ReportTable(list: title, filter: filter, table: table), today: today))
    ]
  }

  /// Refuses a change in a read-only town: the message to show, or nil when writable.
  var refusesChanges: Message? {
    isWritable ? nil : .error(EditText.readOnlyNoEdit)
  }
}

/// Where a component draws: the content area between the tabs and the message row, and the
/// whole screen (dialogs are centred on it).
struct RenderArea {
  var body: Rect
  var screen: Rect
}

/// Something drawn over a section that takes the keys first: a form, a dialog, a list.
/// A component is a value: it handles a key by changing itself and returning messages for
/// the app (open this, save that, show a line); it draws itself; its bindings are the keys it
/// answers to, which the help bar shows.
protocol Overlay {
  /// Handles a key; the returned messages are applied after the component itself is stored.
  mutating func handle(_ key: Key, in context: AppContext) -> [Message]
  /// Draws; returns where the text cursor goes (nil hides it).
  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )?
  /// The keys this component answers to, as the help bar and help screen show them.
  func bindings(in context: AppContext) -> [KeyBinding]
  /// Whether something typed would be lost if it closed.
  var isDirty: Bool { get }
  /// Whether the global keys (/, ?, q, 1-5) are shown under it; forms that take text do not
  /// offer them.
  var showsGlobalKeys: Bool { get }
  /// Whether it takes typed text: its printable keys need not be in its bindings.
  var takesText: Bool { get }
  /// Whether its save is built from the town as it is when the clerk saves, not as it was
  /// when it opened: then another clerk's change may be read while it is open (the save
  /// lands on top of theirs, and their same paper is refused by the form's own rule).
  var savesOnTheTownAsItIsThen: Bool { get }
}

extension Overlay {
  var isDirty: Bool { false }
  var showsGlobalKeys: Bool { false }
  var takesText: Bool { false }
  var savesOnTheTownAsItIsThen: Bool { false }
}

/// What one save changed in the town, so that a screen brings up to date only the rows that
/// show it (`SectionScreen.update`) instead of rebuilding its lists over the whole town.
enum TownChange: Equatable {
  /// A household's visits and hazards: a visit, a hazard entry, an undo.
  case household(String)
  /// A premises' inspections and hazards.
  case premises(String)
  /// A grid's weekly contact logs.
  case contacts(gridID: String)
  /// The supervision records (督查).
  case supervision

  /// The sections that show what it changed (the roster shows a premises' inspections; 敲门走访
  /// and 隐患整改 every campaign list; 督查 reads visits and contacts for its quotas, spot checks
  /// and notices). 统计 and 打印 keep nothing built: they draw from the town each frame.
  var sections: [Section] {
    switch self {
    case .household, .contacts: return [.visits, .hazards, .supervision]
    case .premises: return [.roster, .visits, .hazards, .supervision]
    case .supervision: return [.supervision]
    }
  }
}

/// A section's screen under its tab. Like an overlay, it handles keys and draws itself; it
/// also rebuilds its lists when the town changes.
protocol SectionScreen {
  mutating func handle(_ key: Key, in context: AppContext) -> [Message]?
  func render(into buffer: inout ScreenBuffer, area: Rect, context: AppContext) -> (
    x: Int, y: Int
  )?
  func bindings(in context: AppContext) -> [KeyBinding]
  /// Whether typed text goes to a filter right now (the global keys step aside).
  var isTyping: Bool { get }
  /// The town, the day or the winter changed: rebuild what is shown, keeping the place.
  mutating func reload(_ context: AppContext)
  /// One household, premises, grid's contacts or the supervision records changed (the town in
  /// `context` is the new one): bring up to date what shows it, keeping the place. Afterwards
  /// the screen must be what `reload` would have made of it.
  mutating func update(_ change: TownChange, context: AppContext)
}

extension SectionScreen {
  var isTyping: Bool { false }
  mutating func reload(_ context: AppContext) {}
  /// Without a finer rule, the whole screen is rebuilt.
  mutating func update(_ change: TownChange, context: AppContext) { reload(context) }
}
