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
    } catch let error as DecodingError {
      throw FormDefinitionError(message: "\(name): " + FormFileText.describe(error, in: bytes))
    } catch {
      throw FormDefinitionError(message: "\(name): \(error)")
    }
    let problems = form.problems
    guard problems.isEmpty else {
      throw FormDefinitionError(
        message: problems.map { "\(name): \($0)" }.joined(separator: "\n"))
    }
    return form
  }
}

/// A form file's decoding error in the words of the file: where (第2节 隐患排查 第3项 clutter)
/// and what (不认识的类别 foo), never Swift's coding path.
enum FormFileText {
  static func describe(_ error: DecodingError, in bytes: Data) -> String {
    let json = try? JSONSerialization.jsonObject(with: bytes)
    switch error {
    case .keyNotFound(let key, let context):
      return place(context.codingPath, json) + "缺少 \(key.stringValue)"
    case .valueNotFound(_, let context):
      return place(context.codingPath.dropLast(), json) + "\(last(context.codingPath)) 不能为空（null）"
    case .typeMismatch(_, let context):
      return place(context.codingPath.dropLast(), json) + "\(last(context.codingPath)) 的类型不对"
    case .dataCorrupted(let context):
      guard let key = context.codingPath.last else {
        return "不是有效的 JSON：\(context.debugDescription)"
      }
      let raw = value(at: context.codingPath, in: json).map { "\($0)" } ?? ""
      let path = context.codingPath.dropLast()
      switch key.stringValue {
      case "kind" where path.first?.stringValue == "sections":
        let kinds = ["check", "hazard", "action", "choice"]
        return place(path, json) + "不认识的类别 \(raw)（可用：\(kinds.joined(separator: "、"))）"
      case "subject":
        let subjects = FormSubject.allCases.map(\.rawValue)
        return "不认识的排查对象 subject \(raw)（可用：\(subjects.joined(separator: "、"))）"
      default:
        return place(path, json) + "\(key.stringValue) 的值 \(raw) 不对"
      }
    @unknown default:
      return "\(error)"
    }
  }

  private static func last(_ path: [any CodingKey]) -> String {
    path.last.map { $0.intValue.map { "第\($0 + 1)个" } ?? $0.stringValue } ?? ""
  }

  /// "第2节 隐患排查 第3项 clutter：", "表头第1行 name：" or "" for the form itself.
  private static func place(_ path: some Collection<any CodingKey>, _ json: Any?) -> String {
    let keys = Array(path)
    guard let first = keys.first?.stringValue else { return "" }
    let root = json as? [String: Any]
    if first == "header", keys.count > 1, let n = keys[1].intValue {
      let line = (root?["header"] as? [Any])?[safe: n] as? [String: Any]
      let id = line?["id"] as? String ?? ""
      return "表头第\(n + 1)行" + (id.isEmpty ? "" : " \(id)") + "："
    }
    guard first == "sections", keys.count > 1, let s = keys[1].intValue else { return "" }
    let section = (root?["sections"] as? [Any])?[safe: s] as? [String: Any]
    var text = "第\(s + 1)节 \(section?["title"] as? String ?? "")"
    if keys.count > 3, keys[2].stringValue == "items", let i = keys[3].intValue {
      let item = (section?["items"] as? [Any])?[safe: i] as? [String: Any]
      text += " 第\(i + 1)项 \(item?["id"] as? String ?? "")"
      if keys.count > 5, keys[4].stringValue == "options", let o = keys[5].intValue {
        text += " 第\(o + 1)个选项"
      }
    }
    return text.trimmingCharacters(in: .whitespaces) + "："
  }

  private static func value(at path: [any CodingKey], in json: Any?) -> Any? {
    var node = json
    for key in path {
      if let index = key.intValue {
        node = (node as? [Any])?[safe: index]
      } else {
        node = (node as? [String: Any])?[key.stringValue]
      }
    }
    return node
  }
}

extension Array {
  fileprivate subscript(safe index: Int) -> Element? {
    indices.contains(index) ? self[index] : nil
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
