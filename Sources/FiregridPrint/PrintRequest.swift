import FiregridModel

/// Whom a batch is for: one household, a grid or a village, by internal id. Households print
/// in roster order (the village's grids in order, each grid's households in order).
public enum PrintScope: Sendable, Hashable {
  case household(String)
  case grid(String)
  case village(String)
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
  case forms(PrintScope, round: String?)
  /// Blank 附件6 forms, for households not yet on the roster.
  case blankForms(copies: Int)
  /// 附件6 as filled in on saved visits (by visit id, e.g. h000001-v2), one page each: what
  /// an inspector puts in a household's file. Hazards found on the visit are printed with
  /// their deadline and where they stand now.
  case filledForms(visitIDs: [String])
  /// 户档案: a household's members (ID numbers and phones masked), every visit with its
  /// answers read with its own form, every hazard with its events; one or two A4 pages per
  /// household, each household numbering its own pages.
  case householdHistory(PrintScope)
}

/// Why printing did not happen, with the message for the clerk (Chinese) in `message`.
public enum PrintError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A village, grid or household named by the clerk does not exist.
  case notFound(String)
  /// The selection holds no household.
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
