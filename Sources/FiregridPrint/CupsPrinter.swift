import Foundation

/// Printing through CUPS with its command-line client: `lp` hands the PDF to the scheduler,
/// which knows the office printer (and, in tests, a cups-pdf printer). CUPS' own messages
/// are read in the C locale and told to the clerk in Chinese.
public enum CupsPrinter {
  /// Sends a PDF to `printer` (CUPS' queue name); returns the job id, e.g. `office-12`.
  /// `lp` copies the file to the spool before it returns, so the file may be removed after.
  public static func send(file: URL, printer: String, title: String? = nil) -> Result<
    String, PrintError
  > {
    var arguments = ["-d", printer]
    if let title { arguments += ["-t", title] }
    arguments.append(file.path)
    guard let (status, output) = run("lp", arguments) else { return .failure(.lpMissing) }
    if status == 0, let job = jobID(in: output) { return .success(job) }
    return .failure(
      error(
        fromLP: output, printer: printer, schedulerRunning: isSchedulerRunning(),
        available: printers()))
  }

  /// Whether the CUPS scheduler answers (`lpstat -r`).
  public static func isSchedulerRunning() -> Bool {
    guard let (status, output) = run("lpstat", ["-r"]), status == 0 else { return false }
    return output.contains("scheduler is running")
  }

  /// The system's default printer (`lpstat -d`, or `$LPDEST` / `$PRINTER` as lp itself
  /// reads them); nil when none is set or CUPS is not there.
  public static func defaultPrinter(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String? {
    for key in ["LPDEST", "PRINTER"] {
      if let name = environment[key], !name.isEmpty { return name }
    }
    guard let (status, output) = run("lpstat", ["-d"]), status == 0 else { return nil }
    // "system default destination: office"
    guard let colon = output.firstIndex(of: ":"), output.hasPrefix("system default") else {
      return nil
    }
    let name = output[output.index(after: colon)...].trimmingCharacters(
      in: .whitespacesAndNewlines)
    return name.isEmpty ? nil : name
  }

  /// The printers CUPS knows (`lpstat -e`); empty when none or CUPS is not reachable.
  public static func printers() -> [String] {
    guard let (status, output) = run("lpstat", ["-e"]), status == 0 else { return [] }
    return output.split(whereSeparator: \.isNewline).map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
  }

  /// "request id is office-12 (1 file(s))" → office-12
  static func jobID(in output: String) -> String? {
    guard let range = output.range(of: "request id is ") else { return nil }
    let rest = output[range.upperBound...]
    let id = rest.prefix { !$0.isWhitespace }
    return id.isEmpty ? nil : String(id)
  }

  /// CUPS' refusal, told as the clerk needs it; unknown messages are passed on as they are.
  /// With the scheduler down, lp says every printer "does not exist": that is told as CUPS
  /// not running, which is what the clerk has to fix.
  static func error(
    fromLP output: String, printer: String, schedulerRunning: Bool, available: [String]
  ) -> PrintError {
    let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
    let lower = text.lowercased()
    if lower.contains("does not exist") || lower.contains("not found")
      || lower.contains("unknown destination")
    {
      return schedulerRunning
        ? .printerNotFound(name: printer, available: available) : .cupsNotRunning
    }
    if lower.contains("scheduler not responding") || lower.contains("connection refused")
      || lower.contains("unable to connect") || lower.contains("no such file or directory")
    {
      return .cupsNotRunning
    }
    if lower.contains("not accepting") || lower.contains("paused") || lower.contains("disabled") {
      return .printerRefused(name: printer)
    }
    return .printFailed(detail: text.isEmpty ? "lp" : text)
  }

  /// Runs a CUPS client in the C locale (its messages are then the English we parse) with
  /// stdout and stderr together; nil when the command is not installed.
  private static func run(_ command: String, _ arguments: [String]) -> (Int32, String)? {
    guard let executable = findExecutable(command) else { return nil }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["LC_ALL"] = "C"
    environment["LANG"] = "C"
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      return nil
    }
    // Read before waiting: a full pipe would otherwise block the child forever.
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  private static func findExecutable(_ command: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin"]
    for folder in folders {
      let candidate = URL(fileURLWithPath: folder).appendingPathComponent(command)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }
}
