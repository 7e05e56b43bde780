import FiregridModel

/// Whom a batch is for: one household, one premises (场所), a grid or a village, by internal
/// id. Households and premises print in roster order (the village's grids in order, each
/// grid's households or premises in order).
public enum PrintScope: Sendable, Hashable {
  case household(String)
  case grid(String)
  case village(String)
  /// One premises (c00001): its own form; cards, notices and 户档案 are refused.
  case premises(String)
}

/// How clarity cards are put on paper.
public enum CardLayout: String, Sendable, CaseIterable {
  /// One card per A6 page (105 × 148 mm), for a printer that takes A6 card stock.
  case a6
  /// Four A6 cards on an A4 sheet with cut marks, for the office's ordinary A4 printer.
  case fourUpA4
}

/// What to print. Each case is a whole PDF; a batch is one file in roster order.
public enum PrintRequest: Sendable, Equatable {
  /// 明白卡 (附件2), one per household.
  case cards(PrintScope, layout: CardLayout)
  /// 消防安全告知书 (附件1), one A4 page per household, with its receipt strip.
  case notices(PrintScope)
  /// 居民住房消防安全排查表 (附件6) for the next round: one per household, the household
  /// pre-printed, every box empty. `round` (e.g. 第3轮（12-16至12-31）) is printed when given.
  /// For a `.premises` scope, the same as `premisesForms(scope, round: round)`.
  case forms(PrintScope, round: String?)
  /// 场所排查表 for the next round: one page per premises of the scope (one premises, or all
  /// of a grid or village), each on its own form (附件4 办公场所; 附件5 生产经营性 and 多合一
  /// 场所) with its header filled (name, kind, address, responsible person and phone in full,
  /// floors, area, sleepers), only the items that apply to it, every box empty, and its open
  /// hazards listed to re-inspect. `subject` (.office or .business) keeps the premises on
  /// that form; nil, all.
  case premisesForms(PrintScope, subject: FormSubject? = nil, round: String?)
  /// Blank forms of one paper: 附件6 (the default) for households not yet on the roster, 附件4
  /// or 附件5 for premises (every item, those asked of some premises only marked, 〔多合一〕).
  case blankForms(subject: FormSubject = .household, copies: Int)
  /// Forms as filled in on saved visits, one page each, each with the form it was entered
  /// with: households' visits (h000001-v2) and premises' inspections (c00001-v1). Hazards
  /// found on the visit are printed with their deadline and where they stand now.
  case filledForms(visitIDs: [String])
  /// 户档案: a household's members (ID numbers and phones masked), every visit with its
  /// answers read with its own form, every hazard with its events; one or two A4 pages per
  /// household, each household numbering its own pages.
  case householdHistory(PrintScope)
}

/// Why printing did not happen, with the message for the clerk (Chinese) in `message`.
public enum PrintError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A village, grid, household or premises named by the clerk does not exist.
  case notFound(String)
  /// The selection holds no household (or no premises).
  case nothingToPrint(String)
  case badRequest(String)
  /// `notice.json` or a form definition cannot be used, or a visit's form is missing.
  case badContent(String)
  /// Pango found no font with Chinese characters.
  case noChineseFont
  case cannotWrite(path: String, detail: String)
  /// `lp` is not installed.
  case lpMissing
  case printerNotFound(name: String, available: [String])
  case cupsNotRunning
  case printerRefused(name: String)
  /// Any other refusal by CUPS, with its own words.
  case printFailed(detail: String)

  public var message: String {
    switch self {
    case .notFound(let text), .nothingToPrint(let text), .badRequest(let text),
      .badContent(let text):
      return text
    case .noChineseFont: return PrintText.noChineseFont
    case .cannotWrite(let path, let detail): return PrintText.cannotWrite(path, detail)
    case .lpMissing: return PrintText.lpMissing
    case .printerNotFound(let name, let available):
      return PrintText.printerNotFound(name, available: available)
    case .cupsNotRunning: return PrintText.cupsNotRunning
    case .printerRefused(let name): return PrintText.printerRefused(name)
    case .printFailed(let detail): return PrintText.printFailed(detail)
    }
  }

  public var description: String { message }
}
