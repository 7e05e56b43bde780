import Foundation
import Testing

/// `firegrid print` as a clerk runs it: PDFs for a grid, messages for what does not exist,
/// a printer that is not there, and a real print through CUPS to a cups-pdf printer.
@Suite(.serialized)
struct PrintTests {
  static let environment = ["LANG": "C.UTF-8", "FIREGRID_TODAY": "2026-12-20"]

  static func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("firegrid-e2e-print-\(name)-\(UUID().uuidString)")
  }

  static func firegrid(_ arguments: [String]) throws -> (Int32, String, String) {
    try EndToEndTests.run(arguments, environment: environment)
  }

  /// A demo town with visits up to 2026-12-20 (two rounds).
  static func makeDemo(households: Int = 80) throws -> URL {
    let folder = temporary("data")
    let (status, _, err) = try firegrid([
      "demo", "--data", folder.path, "--households", "\(households)", "--seed", "7",
    ])
    #expect(status == 0, "demo failed: \(err)")
    return folder
  }

  static func pdfPages(_ url: URL) throws -> Int {
    let (_, out, _) = try EndToEndTests.shell("pdfinfo '\(url.path)' 2>/dev/null")
    let line = out.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
    return Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) ?? 0
  }

  static func pdfText(_ url: URL) throws -> String {
    let (_, out, _) = try EndToEndTests.shell("pdftotext '\(url.path)' - 2>/dev/null")
    return String(out.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
  }

  @Test func printsAGridsCardsNoticesAndFormsToFiles() throws {
    let data = try Self.makeDemo()
    let output = Self.temporary("out")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    defer {
      try? FileManager.default.removeItem(at: data)
      try? FileManager.default.removeItem(at: output)
    }
    let first = try EndToEndTests.firstHousehold(in: data)
    let grid = "\(first.village)/\(first.grid)"

    let cards = output.appendingPathComponent("cards.pdf")
    var (status, out, err) = try Self.firegrid([
      "print", "card", "--grid", grid, "--data", data.path, "--out", cards.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(out.contains("已生成 明白卡 \(first.village)\(first.grid)"))
    let households = try Self.pdfPages(cards)
    #expect(households >= 5)
    #expect(out.contains("\(households) 页"))
    #expect(try Self.pdfText(cards).contains(first.head))

    let fourUp = output.appendingPathComponent("cards4.pdf")
    (status, _, err) = try Self.firegrid([
      "print", "card", "--grid", grid, "--four-up", "--data", data.path, "--out", fourUp.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(try Self.pdfPages(fourUp) == (households + 3) / 4)

    let notice = output.appendingPathComponent("notice.pdf")
    (status, _, err) = try Self.firegrid([
      "print", "notice", "--household", "\(first.village)/0001", "--data", data.path,
      "--out", notice.path,
    ])
    #expect(status == 0, "\(err)")
    let noticeText = try Self.pdfText(notice)
    #expect(noticeText.contains("消防安全告知书"))
    #expect(noticeText.contains("十三、使用燃气时要先打开排气扇或抽油烟机"))

    let forms = output.appendingPathComponent("forms.pdf")
    (status, _, err) = try Self.firegrid([
      "print", "form", "--grid", grid, "--data", data.path, "--out", forms.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(try Self.pdfPages(forms) == households)
    // 2026-12-20 falls in the third round of the winter.
    #expect(try Self.pdfText(forms).contains("第3轮（12-16至12-31）"))

    let blank = output.appendingPathComponent("blank.pdf")
    (status, _, err) = try Self.firegrid([
      "print", "form", "--blank", "--copies", "2", "--data", data.path, "--out", blank.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(try Self.pdfPages(blank) == 2)

    // The latest saved visit of a household that has one.
    let visited = try #require(
      try FileManager.default.contentsOfDirectory(
        atPath: data.appendingPathComponent("visits").path
      ).sorted().first)
    let householdID = String(visited.dropLast(".json".count))
    let filled = output.appendingPathComponent("filled.pdf")
    (status, _, err) = try Self.firegrid([
      "print", "form", "--household", householdID, "--latest", "--data", data.path, "--out",
      filled.path,
    ])
    #expect(status == 0, "\(err)")
    let filledText = try Self.pdfText(filled)
    #expect(filledText.contains("据走访记录\(householdID)-v"))
  }

  @Test func unknownNamesAndMissingChoicesAreRefusedInChinese() throws {
    let data = try Self.makeDemo()
    defer { try? FileManager.default.removeItem(at: data) }
    let first = try EndToEndTests.firstHousehold(in: data)
    let out = Self.temporary("never.pdf")

    var (status, _, err) = try Self.firegrid([
      "print", "card", "--village", "不存在村", "--data", data.path, "--out", out.path,
    ])
    #expect(status == 1)
    #expect(err.contains("没有找到村（社区）“不存在村”"))
    #expect(err.contains(first.village))

    (status, _, err) = try Self.firegrid([
      "print", "notice", "--grid", "\(first.village)/第99网格", "--data", data.path, "--out",
      out.path,
    ])
    #expect(status == 1)
    #expect(err.contains("\(first.village)没有“第99网格”"))

    (status, _, err) = try Self.firegrid([
      "print", "card", "--household", "\(first.village)/9999", "--data", data.path, "--out",
      out.path,
    ])
    #expect(status == 1)
    #expect(err.contains("没有户号为“9999”的户"))

    (status, _, err) = try Self.firegrid([
      "print", "card", "--household", "\(first.village)/0001", "--data", data.path,
    ])
    #expect(status != 0)
    #expect(err.contains("请用 --out 指定 PDF 文件"))

    (status, _, err) = try Self.firegrid([
      "print", "form", "--visit", "h999999-v1", "--data", data.path, "--out", out.path,
    ])
    #expect(status == 1)
    #expect(err.contains("没有找到走访记录“h999999-v1”"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  /// 附件4 and 附件5 blank, for premises not yet on the roster; every item listed, those of
  /// 多合一 places marked.
  @Test func blankOfficeAndBusinessForms() throws {
    let data = try Self.makeDemo()
    let output = Self.temporary("out")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    defer {
      try? FileManager.default.removeItem(at: data)
      try? FileManager.default.removeItem(at: output)
    }
    let office = output.appendingPathComponent("office.pdf")
    var (status, out, err) = try Self.firegrid([
      "print", "form", "--form", "office", "--blank", "--copies", "2", "--data", data.path,
      "--out", office.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(out.contains("已生成 空白排查表 办公场所：2 页"), "\(out)")
    #expect(try Self.pdfPages(office) == 2)
    let officeText = try Self.pdfText(office)
    for piece in ["附件4", "办公场所消防安全排查表", "消防安全责任人", "疏散通道、安全出口堵塞或锁闭", "负责人签字"] {
      #expect(officeText.contains(piece), "blank office form lacks \(piece)")
    }

    // Without a data folder, as for the residential blank form.
    let business = output.appendingPathComponent("business.pdf")
    (status, _, err) = try Self.firegrid([
      "print", "form", "--blank", "--form", "business", "--data",
      output.appendingPathComponent("none").path, "--out", business.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(try Self.pdfPages(business) == 1)
    let businessText = try Self.pdfText(business)
    for piece in [
      "附件5", "生产经营性场所消防安全排查表", "场所类别", "电动车室内停放、充电", "住宿与生产经营部分未防火分隔〔多合一〕",
    ] {
      #expect(businessText.contains(piece), "blank business form lacks \(piece)")
    }
  }

  /// The demo's premises as the files hold them: (id, name, kind, responsible person).
  static func premises(in folder: URL) throws -> [(
    id: String, name: String, kind: String, person: String
  )] {
    let names = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("premises").path
    ).sorted()
    return try names.map { name in
      let file =
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: folder.appendingPathComponent("premises/\(name)")))
        as! [String: Any]
      let premises = file["premises"] as! [String: Any]
      return (
        premises["id"] as! String, premises["name"] as! String, premises["kind"] as! String,
        premises["responsiblePerson"] as? String ?? ""
      )
    }
  }

  @Test func aPremisesFormsArePrefilledAndFilledFromItsInspection() throws {
    // 200 households: twelve businesses, two of them 多合一 (80 have none).
    let data = try Self.makeDemo(households: 200)
    let output = Self.temporary("out")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    defer {
      try? FileManager.default.removeItem(at: data)
      try? FileManager.default.removeItem(at: output)
    }
    let village = try EndToEndTests.firstHousehold(in: data).village
    let all = try Self.premises(in: data)
    let mixed = try #require(all.first { $0.kind == "mixedUse" })
    let next = output.appendingPathComponent("next.pdf")
    var (status, _, err) = try Self.firegrid([
      "print", "form", "--premises", "\(village)/\(mixed.name)", "--data", data.path, "--out",
      next.path,
    ])
    #expect(status == 0, "\(err)")
    let text = try Self.pdfText(next)
    for piece in ["附件5", mixed.name, mixed.person, "多合一场所", "住宿与生产经营部分未防火分隔"] {
      #expect(text.contains(piece), "pre-filled form lacks \(piece)")
    }
    // Its latest inspection, filled: the inspection's id at the foot.
    let filled = output.appendingPathComponent("filled.pdf")
    (status, _, err) = try Self.firegrid([
      "print", "form", "--premises", "\(village)/\(mixed.name)", "--latest", "--data", data.path,
      "--out", filled.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(try Self.pdfText(filled).contains("\(mixed.id)-v"))
    // A village's business forms: one page for each business and 多合一 place.
    let businesses = output.appendingPathComponent("businesses.pdf")
    (status, _, err) = try Self.firegrid([
      "print", "form", "--village", village, "--form", "business", "--data", data.path, "--out",
      businesses.path,
    ])
    #expect(status == 0, "\(err)")
    #expect(try Self.pdfPages(businesses) == all.filter { $0.kind != "office" }.count)
  }

  @Test func premisesFormsAreRefusedInChineseWhereTheyDoNotFit() throws {
    let data = try Self.makeDemo()
    defer { try? FileManager.default.removeItem(at: data) }
    let first = try EndToEndTests.firstHousehold(in: data)
    let out = Self.temporary("never.pdf")

    var (status, _, err) = try Self.firegrid([
      "print", "form", "--household", "\(first.village)/0001", "--form", "office", "--data",
      data.path, "--out", out.path,
    ])
    #expect(status == 64)
    #expect(err.contains("一户用居民住房排查表，不能用 --form office"), "\(err)")

    (status, _, err) = try Self.firegrid([
      "print", "form", "--premises", "\(first.village)/不存在的店", "--data", data.path, "--out",
      out.path,
    ])
    #expect(status == 1)
    #expect(err.contains("\(first.village)没有名为“不存在的店”的场所"), "\(err)")

    (status, _, err) = try Self.firegrid([
      "print", "form", "--blank", "--form", "premises", "--data", data.path, "--out", out.path,
    ])
    #expect(status == 64)
    #expect(err.contains("空白表请指定一种"), "\(err)")

    (status, _, err) = try Self.firegrid([
      "print", "form", "--premises", "\(first.village)/村部", "--latest", "--form", "office",
      "--data", data.path, "--out", out.path,
    ])
    #expect(status == 64)
    #expect(err.contains("按记录录入时所用的表打印"), "\(err)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func aPrinterThatIsNotThereKeepsThePDF() throws {
    let data = try Self.makeDemo()
    let folder = Self.temporary("cwd")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer {
      try? FileManager.default.removeItem(at: data)
      try? FileManager.default.removeItem(at: folder)
    }
    let first = try EndToEndTests.firstHousehold(in: data)
    // Without --out the PDF is kept in the current folder when printing fails; whether
    // CUPS is running or not, the printer does not exist.
    let (status, output, _) = try EndToEndTests.shell(
      "cd '\(folder.path)' && LANG=C.UTF-8 '\(TmuxSession.binary.path)' print card"
        + " --grid '\(first.village)/\(first.grid)' --data '\(data.path)'"
        + " --printer firegrid-no-such-printer 2>&1")
    #expect(status == 1, "\(output)")
    #expect(
      output.contains("没有名为“firegrid-no-such-printer”的打印机")
        || output.contains("打印服务（CUPS）没有运行") || output.contains("没有安装打印系统"),
      "\(output)")
    let kept = folder.appendingPathComponent("明白卡-\(first.village)\(first.grid).pdf")
    #expect(output.contains("PDF 已保存在 \(kept.path)"), "\(output)")
    #expect(try Self.pdfPages(kept) > 0)
  }

  @Test(.enabled(if: getuid() == 0, "a real print needs root to start cupsd and add a printer"))
  func aRealPrintThroughCupsPDF() throws {
    guard let printer = try CupsPDFPrinter.start() else { return }
    defer { printer.stop() }
    let data = try Self.makeDemo()
    defer { try? FileManager.default.removeItem(at: data) }
    let first = try EndToEndTests.firstHousehold(in: data)

    let started = Date()
    let (status, out, err) = try Self.firegrid([
      "print", "card", "--grid", "\(first.village)/\(first.grid)", "--four-up", "--data",
      data.path, "--printer", CupsPDFPrinter.name,
    ])
    #expect(status == 0, "\(out)\(err)")
    // 已送到打印机 firegrid-pdf：任务号 firegrid-pdf-3，共 2 页。
    let job = try #require(
      out.components(separatedBy: "任务号 ").dropFirst().first?.components(separatedBy: "，").first,
      "no job id in \(out)")
    let number = try #require(job.split(separator: "-").last.flatMap { Int($0) })
    let sheets = try #require(
      out.components(separatedBy: "共 ").dropFirst().first?.components(separatedBy: " 页").first
        .flatMap { Int($0) })

    // cups-pdf names its file after the job: …-job_3.pdf.
    let printed = try #require(
      printer.waitForOutput(job: number, since: started, timeout: 30),
      "cups-pdf wrote no PDF for job \(job) in \(printer.outputFolders.map(\.path))")
    defer { try? FileManager.default.removeItem(at: printed) }
    #expect(try Self.pdfPages(printed) == sheets)
  }
}

/// A CUPS scheduler with a cups-pdf printer, for one test: started only when not running
/// (CI starts no services) and stopped again by the test that started it.
struct CupsPDFPrinter {
  static let name = "firegrid-pdf"
  /// The scheduler's pid when this test started it.
  var startedPID: Int32?
  var outputFolders: [URL]

  static func start() throws -> CupsPDFPrinter? {
    for tool in ["/usr/sbin/cupsd", "/usr/sbin/lpadmin", "/usr/bin/lp"]
    where !FileManager.default.isExecutableFile(atPath: tool) {
      Issue.record("\(tool) is missing: apt-get install cups printer-driver-cups-pdf")
      return nil
    }
    var startedPID: Int32?
    if try EndToEndTests.shell("pgrep -x cupsd").0 != 0 {
      // cupsd forks into the background; system() returns once the parent has gone. Its
      // output goes to /dev/null so no pipe is held open by the daemon.
      let code = system("/usr/sbin/cupsd >/dev/null 2>&1")
      #expect(code == 0, "cupsd did not start")
      startedPID = Int32(
        try EndToEndTests.shell("pgrep -x -n cupsd").1.trimmingCharacters(
          in: .whitespacesAndNewlines))
    }
    var printer = CupsPDFPrinter(startedPID: startedPID, outputFolders: [])
    guard printer.waitUntilRunning(timeout: 15) else {
      Issue.record("the CUPS scheduler did not answer within 15 s")
      printer.stop()
      return nil
    }
    let (_, models, _) = try EndToEndTests.shell("lpinfo -m 2>/dev/null | grep -i cups-pdf")
    let model =
      models.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
      .first { $0.contains("CUPS-PDF_opt") } ?? "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
    let (added, message, _) = try EndToEndTests.shell(
      "lpadmin -p \(name) -E -v cups-pdf:/ -m '\(model)' 2>&1")
    guard added == 0 else {
      Issue.record("lpadmin could not add \(name): \(message)")
      printer.stop()
      return nil
    }
    printer.outputFolders = outputFolders()
    return printer
  }

  /// Where cups-pdf writes: the `Out` folder of its configuration (${HOME} is the job
  /// owner's home in the password file), and the anonymous spool.
  static func outputFolders() -> [URL] {
    var folders = [URL(fileURLWithPath: "/var/spool/cups-pdf/ANONYMOUS")]
    let home = getpwuid(getuid()).map { String(cString: $0.pointee.pw_dir) } ?? "/root"
    let config = (try? String(contentsOfFile: "/etc/cups/cups-pdf.conf", encoding: .utf8)) ?? ""
    var out = "${HOME}/PDF"
    for line in config.split(separator: "\n") where line.hasPrefix("Out ") {
      out = line.dropFirst(4).trimmingCharacters(in: .whitespaces)
    }
    folders.insert(
      URL(fileURLWithPath: out.replacingOccurrences(of: "${HOME}", with: home)), at: 0)
    return folders
  }

  func waitUntilRunning(timeout: TimeInterval) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let answer = try? EndToEndTests.shell("lpstat -r 2>&1"),
        answer.1.contains("scheduler is running")
      {
        return true
      }
      usleep(200_000)
    }
    return false
  }

  /// Polls the output folders for the job's file, written after `since`.
  func waitForOutput(job: Int, since: Date, timeout: TimeInterval) -> URL? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      for folder in outputFolders {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix("-job_\(job).pdf") {
          let url = folder.appendingPathComponent(name)
          let modified =
            (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate]
              as? Date) ?? .distantPast
          // cups-pdf renames the finished file into place: a complete PDF ends with %%EOF.
          if modified >= since.addingTimeInterval(-1), Self.isComplete(url) { return url }
        }
      }
      usleep(250_000)
    }
    return nil
  }

  static func isComplete(_ url: URL) -> Bool {
    guard let data = try? Data(contentsOf: url), data.count > 8 else { return false }
    return String(decoding: data.suffix(16), as: UTF8.self).contains("%%EOF")
  }

  /// Removes the printer, and stops the scheduler if this test started it.
  func stop() {
    _ = try? EndToEndTests.shell("lpadmin -x \(Self.name) 2>&1")
    if let startedPID, startedPID > 0 { kill(startedPID, SIGTERM) }
  }
}
