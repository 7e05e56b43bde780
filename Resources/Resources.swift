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
