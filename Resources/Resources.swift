import FiregridModel
import Foundation

/// Firegrid's data that is not code: demo names and places, form definitions and notice
/// text. The files live in `Resources/Data` and are copied into the bundle as is.
public enum ResourceFiles {
  /// The folder holding the data files.
  public static var dataFolder: URL {
    Bundle.module.resourceURL!.appendingPathComponent("Data", isDirectory: true)
  }

  /// The contents of one data file, e.g. `demo-names.json`.
  public static func data(named name: String) throws -> Data {
    try Data(contentsOf: dataFolder.appendingPathComponent(name))
  }
}

extension ResourceFiles {
  /// The folder of form definitions under `Data`: one file per paper form and version.
  public static let formsFolderName = "forms"

  /// Every form definition in `Data/forms` (see `formRegistry(in:)`).
  public static func formRegistry() throws -> FormRegistry {
    try formRegistry(in: dataFolder.appendingPathComponent(formsFolderName, isDirectory: true))
  }

  /// Every `*.json` in `folder` (hidden files skipped: editors leave their copies there), each
  /// a `VisitForm` checked for what a hand edit could get wrong. A folder holding two files
  /// of one form and version is refused, naming both: which one visits meant cannot be told.
  public static func formRegistry(in folder: URL) throws -> FormRegistry {
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
    var forms: [VisitForm] = []
    for file in files {
      let name = "\(formsFolderName)/\(file)"
      forms.append(try form(Data(contentsOf: folder.appendingPathComponent(file)), name: name))
    }
    guard !forms.isEmpty else {
      throw FormDefinitionError(message: "\(formsFolderName)/ 中没有走访表定义")
    }
    do {
      return try FormRegistry(forms)
    } catch {
      throw FormDefinitionError(
        message:
          "\(formsFolderName)/\(files[error.first]) 与 \(formsFolderName)/\(files[error.second])："
          + error.message)
    }
  }

  /// The residential form (附件6) new visits are entered with: the newest version in
  /// `Data/forms`.
  public static func residentialForm() throws -> VisitForm {
    guard let form = try formRegistry().current else {
      throw FormDefinitionError(
        message: "\(formsFolderName)/ 中没有居民住房消防安全排查表（\(FormRegistry.residentialID)）")
    }
    return form
  }

  /// One definition file, refused when of another format or version, or with `problems`.
  private static func form(_ bytes: Data, name: String) throws -> VisitForm {
    let header: FileHeader
    let form: VisitForm
    do {
      header = try JSONDecoder().decode(FileHeader.self, from: bytes)
      guard header.format == "firegrid.visit-form", header.version == 1 else {
        throw FormDefinitionError(
          message: "\(name): 不认识的格式 \(header.format) 版本 \(header.version)")
      }
      form = try JSONDecoder().decode(VisitForm.self, from: bytes)
    } catch let error as FormDefinitionError {
      throw error
    } catch {
      throw FormDefinitionError(message: "\(name): \(error)")
    }
    if let problem = form.problems.first {
      throw FormDefinitionError(message: "\(name): \(problem)")
    }
    return form
  }
}

/// The `format` and `version` every data file starts with.
private struct FileHeader: Decodable {
  var format: String
  var version: Int
}

/// A form definition file that cannot be used as it is.
public struct FormDefinitionError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

extension ResourceFiles {
  /// The folder of report column files under `Data`: `statistics.json`, ….
  public static let reportsFolderName = "reports"

  /// The column file `Data/reports/<name>.json`, checked as its report's rules require (the
  /// statistics table refuses a column id it cannot compute, in Chinese).
  public static func reportColumns(named name: String) throws -> ReportColumns {
    let file = "\(reportsFolderName)/\(name).json"
    return try reportColumns(data(named: file), name: file)
  }

  /// A column file's bytes, refused when of another format or version, not decodable, or with
  /// columns its report does not know.
  public static func reportColumns(_ bytes: Data, name: String) throws -> ReportColumns {
    let columns: ReportColumns
    do {
      let header = try JSONDecoder().decode(FileHeader.self, from: bytes)
      guard header.format == ReportColumns.fileFormat, header.version == 1 else {
        throw FormDefinitionError(
          message: ReportText.columnFileFormat(name, header.format, header.version))
      }
      columns = try JSONDecoder().decode(ReportColumns.self, from: bytes)
    } catch let error as FormDefinitionError {
      throw error
    } catch {
      throw FormDefinitionError(message: "\(name): \(error)")
    }
    if columns.report == "statistics" {
      do {
        try Reports.checkStatisticsColumns(columns)
      } catch {
        throw FormDefinitionError(message: "\(name)：\(error.message)")
      }
    }
    return columns
  }
}
