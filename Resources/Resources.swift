import FiregridModel
import Foundation

/// Firegrid's data that is not code: demo names and places, and later form definitions and
/// notice text. The files live in `Resources/Data` and are copied into the bundle as is.
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
  /// The residential form (附件6) definition, `visit-form.json`, checked for problems a hand
  /// edit could bring in.
  public static func residentialForm() throws -> VisitForm {
    let bytes = try data(named: "visit-form.json")
    let header = try JSONDecoder().decode(FileHeader.self, from: bytes)
    guard header.format == "firegrid.visit-form", header.version == 1 else {
      throw FormDefinitionError(
        message: "visit-form.json: 不认识的格式 \(header.format) 版本 \(header.version)")
    }
    let form = try JSONDecoder().decode(VisitForm.self, from: bytes)
    if let problem = form.problems.first { throw FormDefinitionError(message: problem) }
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
