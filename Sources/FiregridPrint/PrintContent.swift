import FiregridModel
import FiregridResources
import Foundation

/// What the printed documents say, as data: the notice's 13 points and the card's text from
/// `Resources/Data/notice.json`, and the form definitions from `forms/` (residential, office,
/// business: the same ones the app's forms are entered with, so paper and screen never
/// disagree).
public struct PrintContent: Sendable, Equatable {
  public var texts: DocumentTexts
  /// Every form definition: a filled form prints with the one its visit was entered with.
  public let forms: FormRegistry
  /// The newest residential form, the one new visits are entered with: for blank and
  /// pre-printed forms and the card's 三清三关.
  public let form: VisitForm

  /// Refused when `forms` has no residential form: there would be nothing to print blank.
  public init(texts: DocumentTexts, forms: FormRegistry) throws(PrintError) {
    guard let form = forms.current else {
      throw .badContent(
        PrintText.badTextsFile(Self.formsFolderName, PrintText.noResidentialForm))
    }
    self.texts = texts
    self.forms = forms
    self.form = form
  }

  /// The newest form for `subject`: blank and pre-printed forms of households (`form`),
  /// offices (附件4) or businesses (附件5). Refused when no such form is loaded.
  public func form(for subject: FormSubject) throws(PrintError) -> VisitForm {
    if subject == .household { return form }
    guard let current = forms.current(for: subject) else {
      throw .badContent(PrintText.badTextsFile(Self.formsFolderName, PrintText.noFormFor(subject)))
    }
    return current
  }

  public static let textsFileName = "notice.json"
  public static let formsFolderName = ResourceFiles.formsFolderName

  /// The content shipped in the resource bundle.
  public static func bundled() throws(PrintError) -> PrintContent {
    let texts: Data
    let forms: FormRegistry
    do {
      texts = try ResourceFiles.data(named: textsFileName)
    } catch {
      throw .badContent(PrintText.badTextsFile(textsFileName, error.localizedDescription))
    }
    do {
      forms = try ResourceFiles.formRegistry()
    } catch {
      throw .badContent(PrintText.badTextsFile(formsFolderName, "\(error)"))
    }
    return try PrintContent(texts: try decode(texts: texts), forms: forms)
  }

  /// Decodes `notice.json`, refusing another format or a newer version.
  public static func decode(texts: Data) throws(PrintError) -> DocumentTexts {
    let decodedTexts: DocumentTexts
    do {
      decodedTexts = try JSONDecoder().decode(DocumentTexts.self, from: texts)
    } catch {
      throw .badContent(PrintText.badTextsFile(textsFileName, "\(error)"))
    }
    guard decodedTexts.format == DocumentTexts.format else {
      throw .badContent(PrintText.badTextsFile(textsFileName, "format \(decodedTexts.format)"))
    }
    guard decodedTexts.version <= DocumentTexts.currentVersion else {
      throw .badContent(PrintText.unknownTextsVersion(textsFileName, decodedTexts.version))
    }
    return decodedTexts
  }
}

/// `notice.json`: the text of the notice (告知书, 附件1) and of the clarity card (明白卡, 附件2).
public struct DocumentTexts: Codable, Sendable, Equatable {
  public static let format = "firegrid.print-texts"
  public static let currentVersion = 1

  public struct Notice: Codable, Sendable, Equatable {
    public var attachment: String
    public var title: String
    public var intro: String
    /// The 13 points of the seed's attachment 1, without their numbers.
    public var points: [String]
    public var closing: String
    public var receiptTitle: String
    public var receiptText: String
  }

  public struct Card: Codable, Sendable, Equatable {
    public var attachment: String
    public var title: String
    public var checklistTitle: String
    public var keyPointsTitle: String
    public var keyPoints: [String]
    public var escapeTitle: String
    public var escapeRouteLabel: String
    public var assemblyPointLabel: String
    public var escapeAdvice: String
    public var alarmTitle: String
    public var alarmNumber: String
    public var alarmAdvice: String
    public var postingHint: String
  }

  public var format: String
  public var version: Int
  /// The campaign's name, printed under each title.
  public var campaign: String
  public var notice: Notice
  public var card: Card
}
