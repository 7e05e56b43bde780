import FiregridApp
import FiregridModel
import FiregridPrint
import Foundation

/// The app's printing through FiregridPrint: the app describes a job in its own terms
/// (`PrintJob`), this turns it into a `PrintRequest`, renders the PDF beside the clerk's other
/// printouts (never over an existing file) and sends it with CUPS.
struct FiregridDocumentPrinter: DocumentPrinting {
  let today: CivilDate

  /// The round printed on next-round forms: the one running on `day`, else the next to start.
  static func roundForForms(town: TownData, on day: CivilDate) -> String? {
    let campaign = town.campaign(on: day)
    return (campaign.round(on: day) ?? campaign.rounds.first { $0.start > day })?.label
  }

  func request(for job: PrintJob, town: TownData) throws(PrintFailure) -> PrintRequest {
    // Whom it is for, read only for the documents that are for someone (blank forms are not).
    func scope() throws(PrintFailure) -> PrintScope {
      let level: PrintScope.Level
      switch job.level {
      case .village: level = .village
      case .grid: level = .grid
      case .household: level = .household
      case .premises: level = .premises
      }
      do {
        return try PrintScope.resolve(job.target, as: level, in: town)
      } catch {
        throw PrintFailure(error.message)
      }
    }
    let round = Self.roundForForms(town: town, on: today)
    switch job.document {
    case .formsBlank: return .blankForms(copies: job.copies)
    case .officeFormsBlank: return .blankForms(subject: .office, copies: job.copies)
    case .businessFormsBlank: return .blankForms(subject: .business, copies: job.copies)
    case .cardsA6: return .cards(try scope(), layout: .a6)
    case .cardsFourUp: return .cards(try scope(), layout: .fourUpA4)
    case .notices: return .notices(try scope())
    case .formsPrefilled: return .forms(try scope(), round: round)
    case .premisesFormsPrefilled: return .premisesForms(try scope(), round: round)
    case .householdHistory: return .householdHistory(try scope())
    case .formsFilled:
      // Each household's latest visit, or a premises' latest inspection.
      let scope = try scope()
      let visits: [String]
      if case .premises(let id) = scope {
        visits = town.inspectionRecord(of: id).lastVisit.map { [$0.id] } ?? []
      } else {
        visits = scope.households(in: town).compactMap {
          town.visitRecord(of: $0.id).lastVisit?.id
        }
      }
      guard !visits.isEmpty else {
        if case .premises = scope {
          throw PrintFailure(PrintCLIText.noInspections(scope.label(in: town)))
        }
        throw PrintFailure(PrintCLIText.noVisits(scope.label(in: town)))
      }
      return .filledForms(visitIDs: visits)
    }
  }

  func gaps(_ job: PrintJob, town: TownData) -> [String] {
    guard let request = try? request(for: job, town: town) else { return [] }
    return PrintRenderer.gaps(request, town: town)
  }

  func pageCount(_ job: PrintJob, town: TownData) -> Result<Int, PrintFailure> {
    do {
      let request = try request(for: job, town: town)
      return .success(try PrintRenderer.pageCount(request, town: town))
    } catch let failure as PrintFailure {
      return .failure(failure)
    } catch let error as PrintError {
      return .failure(PrintFailure(error.message))
    } catch {
      return .failure(PrintFailure("\(error)"))
    }
  }

  func render(_ job: PrintJob, town: TownData) -> Result<(path: String, pages: Int), PrintFailure> {
    do {
      let request = try request(for: job, town: town)
      let content = try PrintContent.bundled()
      let folder = URL(
        fileURLWithPath: (job.folder as NSString).expandingTildeInPath, isDirectory: true)
      do {
        // Printouts carry names, addresses and phones: the folder is the owner's only.
        try FileManager.default.createDirectory(
          at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        return .failure(PrintFailure(PrintCLIText.folderUnusable(folder.path)))
      }
      // Without a limit there is always a free name.
      let url = Self.freeName(PrintRenderer.suggestedFileName(request, town: town), in: folder)!
      let pages = try PrintRenderer.render(request, town: town, content: content, to: url)
      return .success((url.path, pages))
    } catch let failure as PrintFailure {
      return .failure(failure)
    } catch let error as PrintError {
      return .failure(PrintFailure(error.message))
    } catch {
      return .failure(PrintFailure("\(error)"))
    }
  }

  func send(path: String, printer: String) -> Result<String, PrintFailure> {
    CupsPrinter.send(file: URL(fileURLWithPath: path), printer: printer)
      .mapError { PrintFailure($0.message) }
  }

  func defaultPrinter() -> String? { CupsPrinter.defaultPrinter() }

  /// `name` in `folder`, or name-2, name-3, … when taken (up to `limit` tries, if given): an
  /// earlier printout is never overwritten.
  static func freeName(_ name: String, in folder: URL, limit: Int? = nil) -> URL? {
    let base = (name as NSString).deletingPathExtension
    var candidate = folder.appendingPathComponent(name)
    var attempt = 2
    while FileManager.default.fileExists(atPath: candidate.path) {
      if let limit, attempt > limit { return nil }
      candidate = folder.appendingPathComponent("\(base)-\(attempt).pdf")
      attempt += 1
    }
    return candidate
  }
}
