import FiregridModel
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One thing `firegrid check` found.
public struct CheckProblem: Equatable, Sendable, CustomStringConvertible {
  public enum Severity: Sendable { case error, warning }
  public var severity: Severity
  /// Path inside the data folder.
  public var file: String
  /// The record concerned, e.g. household/h000012, or "" for the whole file.
  public var record: String
  public var message: String

  public var description: String {
    let label = severity == .error ? CheckText.error : CheckText.warning
    return "\(label) \(file)\(record.isEmpty ? "" : " [\(record)]")：\(message)"
  }
}

/// Verifies a data folder: every file's schema and version, references between records, grid
/// sizes, ID numbers and their uniqueness, household numbers, and the audit chain.
public enum FolderCheck {
  /// - Parameter forms: the form definitions this program has; a visit entered on one it
  ///   does not have cannot be shown, corrected or printed on its own form, and is said.
  ///
  /// The audit log and the journal are checked while the files are read and checked (both
  /// use every core; on a season, ~0.35 s each).
  public static func run(_ folder: DataFolder, forms: FormRegistry? = nil) -> [CheckProblem] {
    let files = ResultSlots<(problems: [CheckProblem], loaded: Bool)>(count: 1)
    let audit = ResultSlots<[CheckProblem]>(count: 1)
    let url = folder.url
    DispatchQueue.concurrentPerform(iterations: 2) { part in
      if part == 0 {
        files.set(0, records(folder, forms: forms))
      } else {
        audit.set(0, auditAndJournal(url))
      }
    }
    guard let (problems, loaded) = files.values[0] else { return [] }
    // A town that cannot be read at all is the one problem told.
    return loaded ? problems + (audit.values[0] ?? []) : problems
  }

  /// Every file's problems and the records' (`loaded` false: the town could not be read at
  /// all, and that is the one problem).
  static func records(_ folder: DataFolder, forms: FormRegistry?) -> (
    problems: [CheckProblem], loaded: Bool
  ) {
    var problems: [CheckProblem] = []
    let report: LoadReport
    do {
      report = try folder.loadReport()
    } catch {
      return (
        [
          CheckProblem(
            severity: .error, file: DataFolder.townFileName, record: "", message: error.message)
        ], false
      )
    }
    for file in report.damaged {
      problems.append(
        CheckProblem(
          severity: .error, file: file.relativePath, record: "", message: file.error.message))
    }
    let town = report.town
    problems += references(town)
    problems += people(town)
    problems += visits(town, forms: forms)
    problems += supervision(town)
    problems += premises(town)
    problems += inspections(town, forms: forms)
    return (problems, true)
  }

  /// `AuditLog.verify`'s problems, then `journal`'s, from one read of the log (`AuditScan`),
  /// made while other threads hash the data files (on a season, 190 MB of log and 22,000
  /// files: each was ~0.2 s of one core).
  static func auditAndJournal(_ url: URL) -> [CheckProblem] {
    let head = AuditLog.headState(folder: url)
    let inputs = JournalInputs(url)
    var wanted = inputs.request
    wanted.verify = true
    if case .present(let found) = head { wanted.headSequence = found.sequence }
    let request = wanted
    let scanned = ResultSlots<Result<AuditScan, StoreError>>(count: 1)
    let files = inputs.files
    let digests = ResultSlots<String>(count: files.count)
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount * 4)
    DispatchQueue.concurrentPerform(iterations: 1 + workers) { iteration in
      guard iteration > 0 else {
        scanned.set(0, Result { () throws(StoreError) in try AuditScan.run(folder: url, request) })
        return
      }
      var index = iteration - 1
      while index < files.count {
        if let data = try? AtomicFile.readAll(url.appendingPathComponent(files[index])) {
          digests.set(index, Journal.digest(data))
        }
        index += workers
      }
    }
    var problems: [CheckProblem] = []
    func add(_ audit: [AuditProblem]) {
      for problem in audit {
        var severity = CheckProblem.Severity.error
        if case .headBehind = problem { severity = .warning }
        problems.append(
          CheckProblem(
            severity: severity, file: AuditLog.fileName, record: "", message: problem.message))
      }
    }
    switch scanned.values[0] {
    case .success(let scan):
      add(AuditLog.verified(scan, head: head))
      problems += journal(url, inputs: inputs, scan: scan, digests: digests.values)
    case .failure, nil:
      add([.unreadable(path: url.appendingPathComponent(AuditLog.fileName).path)])
    }
    return problems
  }

  /// What the journal's check needs before the log is read: the newest redo record (and
  /// which of its files are not yet as it says), and the backups' checkpoints.
  struct JournalInputs {
    var pendingRecord: Journal.RedoRecord?
    var pendingPlan: [FileImage] = []
    var backups: [(name: String, head: AuditHead?)] = []
    /// The data files (`Journal.dataFiles`).
    var files: [String]

    init(_ url: URL) {
      files = Journal.dataFiles(in: url)
      if let record = Journal.lastRedo(folder: url) {
        let plan = Journal.redoPlan(record.images, in: url)
        if !plan.isEmpty {
          pendingRecord = record
          pendingPlan = plan
        }
      }
      for name in Backups.list(folder: url) {
        let headFile = Backups.backupsFolder(url).appendingPathComponent(name)
          .appendingPathComponent(AuditLog.headFileName)
        backups.append((name, (try? AuditLog.readHead(headFile)) ?? nil))
      }
    }

    /// The scan that finds the digests, the pending record's commit and the checkpoints.
    var request: AuditScan.Request {
      AuditScan.Request(
        digestsThrough: .max,
        checkpoints: Set(backups.compactMap { $0.head?.sequence }),
        commits: Set(pendingRecord.map { [$0.sequence] } ?? []))
    }
  }

  /// The folder against the journal: each data file is what its latest file line records
  /// (an edit by hand, a row removed, a file put back from elsewhere show), each file the
  /// journal names exists (a deleted file shows), and each backup's audit.head is a line of
  /// the log with the same hash — the checkpoint kept apart from audit.head, so a log cut at
  /// the end with its head rewritten, or deleted with it, shows too.
  /// `fileDigests`: each of `inputs.files`' SHA-256 (nil: unreadable).
  static func journal(
    _ url: URL, inputs: JournalInputs, scan: AuditScan, digests fileDigests: [String?]
  ) -> [CheckProblem] {
    let digests = scan.digests
    var problems: [CheckProblem] = []
    func error(_ file: String, _ message: String) {
      problems.append(CheckProblem(severity: .error, file: file, record: "", message: message))
    }
    let files = inputs.files
    let logPath = url.appendingPathComponent(AuditLog.fileName)
    if !scan.journalled {
      if files.isEmpty {
      } else if Backups.fileType(logPath) != S_IFREG {
        error(AuditLog.fileName, CheckText.journalMissing)
      } else {
        problems.append(
          CheckProblem(
            severity: .warning, file: AuditLog.fileName, record: "",
            message: CheckText.journalNotYet))
      }
    } else {
      // The last change committed but not all written (the program stopped between): its
      // files still hold the bytes from before it, and the next open writes them. Not damage.
      var pending: Set<String> = []
      if let record = inputs.pendingRecord, scan.commits[record.sequence] == record.hash {
        pending = Set(inputs.pendingPlan.map(\.path))
        problems.append(
          CheckProblem(
            severity: .warning, file: AuditLog.fileName, record: "",
            message: CheckText.changePending(pending.sorted())))
      }
      let present = Set(files)
      for (index, path) in files.enumerated() where !pending.contains(path) {
        switch digests[path] {
        case .none: error(path, CheckText.fileNotInJournal)
        case .some(.none): error(path, CheckText.fileRemovedInJournal)
        case .some(.some(let digest)):
          if fileDigests[index] != digest { error(path, CheckText.fileDiffersFromJournal) }
        }
      }
      for (path, digest) in digests
      where digest != nil && !present.contains(path) && !pending.contains(path) {
        error(path, CheckText.fileMissing)
      }
    }
    for (name, head) in inputs.backups {
      guard let head, head.sequence > 0 else { continue }
      if scan.checkpoints[head.sequence] != head.hash {
        error(AuditLog.fileName, CheckText.checkpointMissing(name, head.sequence))
      }
    }
    return problems.sorted { $0.file < $1.file }
  }

  /// Visit records: each belongs to a household on the roster, names visitors on the roster,
  /// and each hazard starts with its finding on one of the household's visits.
  static func visits(_ town: TownData, forms: FormRegistry? = nil) -> [CheckProblem] {
    records(
      town.visitRecords, owners: Set(town.households.map(\.id)), path: DataFolder.visitRecordPath,
      visitRecord: "visit", withoutOwner: CheckText.visitsWithoutHousehold, town: town,
      forms: forms)
  }

  /// Premises' inspection records, as households' visit records: each belongs to a premises on
  /// the roster, names visitors on the roster, and each hazard starts with its finding on one
  /// of the premises' inspections.
  static func inspections(_ town: TownData, forms: FormRegistry? = nil) -> [CheckProblem] {
    records(
      town.premisesRecords, owners: Set(town.premises.map(\.id)),
      path: DataFolder.inspectionRecordPath, visitRecord: AuditDiff.inspectionRecord,
      withoutOwner: CheckText.inspectionsWithoutPremises, town: town, forms: forms)
  }

  private static func records(
    _ records: [String: VisitRecord], owners: Set<String>, path: (String) -> String,
    visitRecord: String, withoutOwner: String, town: TownData, forms: FormRegistry?
  ) -> [CheckProblem] {
    var problems: [CheckProblem] = []
    let visitorIDs = Set(town.visitors.map(\.id))
    // Whether each form a visit names is loaded, asked once per form (a season has 180,000
    // visits on a handful of forms; copying each visit and its form's definition was ~5% of
    // a season's check).
    var formLoaded: [String: Bool] = [:]
    for ownerID in records.keys.sorted() {
      let record = records[ownerID]!
      let file = path(ownerID)
      if !owners.contains(ownerID) {
        problems.append(
          CheckProblem(severity: .error, file: file, record: "", message: withoutOwner))
      }
      for index in record.visits.indices {
        if let forms {
          let formID = record.visits[index].formID
          let loaded =
            formLoaded[formID]
            ?? {
              let found = forms.definition(formID: formID) != nil
              formLoaded[formID] = found
              return found
            }()
          if !loaded {
            problems.append(
              CheckProblem(
                severity: .warning, file: file,
                record: "\(visitRecord)/\(record.visits[index].id)",
                message: CheckText.formNotLoaded(formID)))
          }
        }
        if let visitorID = record.visits[index].visitorID, !visitorIDs.contains(visitorID) {
          problems.append(
            CheckProblem(
              severity: .warning, file: file, record: "\(visitRecord)/\(record.visits[index].id)",
              message: CheckText.unknownVisitor(visitorID)))
        }
      }
      let visitIDs = record.hazards.isEmpty ? [] : Set(record.visits.map(\.id))
      for hazard in record.hazards {
        guard let first = hazard.events.first, first.kind == .found else {
          problems.append(
            CheckProblem(
              severity: .error, file: file, record: "hazard/\(hazard.id)",
              message: CheckText.hazardWithoutFinding))
          continue
        }
        if let visitID = first.visitID, !visitIDs.contains(visitID) {
          problems.append(
            CheckProblem(
              severity: .error, file: file, record: "hazard/\(hazard.id)",
              message: CheckText.hazardVisitMissing(visitID)))
        }
      }
    }
    return problems
  }

  /// Supervision records (督查): each deployment names a village of the town, each sample and
  /// spot check a household on the roster or archived (an archived one keeps its checks), each
  /// spot check a sample that was drawn; a notice naming a visitor or village the town does
  /// not have is noted (a visitor may have left since).
  static func supervision(_ town: TownData) -> [CheckProblem] {
    var problems: [CheckProblem] = []
    let file = DataFolder.supervisionFileName
    let records = town.supervision
    let villageIDs = Set(town.villages.map(\.id))
    let householdIDs = Set(town.households.map(\.id)).union(town.archivedHouseholds.map(\.id))
    let premisesIDs = Set(town.premises.map(\.id)).union(town.archivedPremises.map(\.id))
    let visitorIDs = Set(town.visitors.map(\.id))
    let sampleIDs = Set(records.samples.map(\.id))
    func add(_ severity: CheckProblem.Severity, _ record: String, _ message: String) {
      problems.append(
        CheckProblem(severity: severity, file: file, record: record, message: message))
    }
    for deployment in records.deployments where !villageIDs.contains(deployment.villageID) {
      add(
        .error, "deployment/\(deployment.villageID)",
        CheckText.deploymentVillageMissing(deployment.villageID))
    }
    for sample in records.samples {
      for id in sample.householdIDs where !householdIDs.contains(id) {
        add(.error, "sample/\(sample.id)", CheckText.sampledHouseholdMissing(id))
      }
      for id in sample.premisesIDs where !premisesIDs.contains(id) {
        add(.error, "sample/\(sample.id)", CheckText.sampledPremisesMissing(id))
      }
    }
    for check in records.spotChecks {
      let record = "spotcheck/\(check.id)"
      if !householdIDs.contains(check.householdID) {
        add(.error, record, CheckText.checkedHouseholdMissing(check.householdID))
      }
      if let sampleID = check.sampleID, !sampleIDs.contains(sampleID) {
        add(.error, record, CheckText.sampleMissing(sampleID))
      }
    }
    for notice in records.notices {
      for person in notice.persons {
        if let visitorID = person.visitorID, !visitorIDs.contains(visitorID) {
          add(.warning, "notice/\(notice.id)", CheckText.unknownVisitor(visitorID))
        }
        if let villageID = person.villageID, !villageIDs.contains(villageID) {
          add(.warning, "notice/\(notice.id)", CheckText.noticeVillageMissing(villageID))
        }
      }
    }
    return problems
  }

  /// Premises (场所): every rule of `PremisesRules` (its grid exists, the household living
  /// there is on the roster in the same village, kinds, numbers, phone, a name unique in the
  /// village) as an error, the visitor responsible on the roster; a household living there
  /// that has since been archived is only noted.
  static func premises(_ town: TownData) -> [CheckProblem] {
    var problems: [CheckProblem] = []
    let visitorIDs = Set(town.visitors.map(\.id))
    let archivedHouseholds = Set(town.archivedHouseholds.map(\.id))
    for premises in town.premises {
      let file = DataFolder.premisesPath(premises.id)
      let record = "premises/\(premises.id)"
      var checked = premises
      if let householdID = premises.householdID, town.household(id: householdID) == nil,
        archivedHouseholds.contains(householdID)
      {
        checked.householdID = nil
        problems.append(
          CheckProblem(
            severity: .warning, file: file, record: record,
            message: CheckText.premisesHouseholdArchived(premises.name, householdID)))
      }
      for problem in PremisesRules.problems(checked, in: town) {
        problems.append(
          CheckProblem(
            severity: .error, file: file, record: record,
            message: CheckText.premisesProblem(premises.name, problem)))
      }
      if let visitorID = premises.visitorID, !visitorIDs.contains(visitorID) {
        problems.append(
          CheckProblem(
            severity: .error, file: file, record: record,
            message: CheckText.premisesVisitorMissing(premises.name, visitorID)))
      }
    }
    return problems
  }

  static func householdFile(_ id: String) -> String {
    "\(DataFolder.householdsFolderName)/\(id).json"
  }

  static func references(_ town: TownData) -> [CheckProblem] {
    var problems: [CheckProblem] = []
    let townFile = DataFolder.townFileName
    let villageIDs = Set(town.villages.map(\.id))
    let gridByID = Dictionary(town.grids.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let visitorIDs = Set(town.visitors.map(\.id))
    let byGrid = Dictionary(grouping: town.households, by: \.gridID)
    for grid in town.grids {
      let record = "grid/\(grid.id)"
      if !villageIDs.contains(grid.villageID) {
        problems.append(
          CheckProblem(
            severity: .error, file: townFile, record: record,
            message: CheckText.missingVillage(grid.name, grid.villageID)))
      }
      let households = byGrid[grid.id] ?? []
      switch RosterRules.gridSizeStatus(households.count) {
      case .overLimit:
        problems.append(
          CheckProblem(
            severity: .error, file: townFile, record: record,
            message: CheckText.gridOverLimit(grid.name, households.count)))
      case .large, .tooSmall:
        problems.append(
          CheckProblem(
            severity: .warning, file: townFile, record: record,
            message: CheckText.gridSize(grid.name, households.count)))
      case .normal:
        break
      }
      if let leaderID = grid.gridLeaderID {
        let livesHere = households.contains { $0.persons.contains { $0.id == leaderID } }
        if !livesHere {
          problems.append(
            CheckProblem(
              severity: .error, file: townFile, record: record,
              message: CheckText.leaderNotInGrid(grid.name, leaderID)))
        }
      } else {
        problems.append(
          CheckProblem(
            severity: .warning, file: townFile, record: record,
            message: CheckText.noLeader(grid.name)))
      }
    }
    var numbersByVillage: [String: [String: String]] = [:]
    for household in town.households {
      let file = householdFile(household.id)
      let record = "household/\(household.id)"
      guard let grid = gridByID[household.gridID] else {
        problems.append(
          CheckProblem(
            severity: .error, file: file, record: record,
            message: CheckText.missingGrid(household.number, household.gridID)))
        continue
      }
      if let visitorID = household.visitorID, !visitorIDs.contains(visitorID) {
        problems.append(
          CheckProblem(
            severity: .error, file: file, record: record,
            message: CheckText.missingVisitor(household.number, visitorID)))
      }
      if let other = numbersByVillage[grid.villageID]?[household.number] {
        problems.append(
          CheckProblem(
            severity: .error, file: file, record: record,
            message: CheckText.duplicateNumber(household.number, other)))
      } else {
        numbersByVillage[grid.villageID, default: [:]][household.number] = household.id
      }
      // Exactly one 户主 (a household just added, with nobody entered yet, is only noted).
      let heads = household.persons.filter(\.isHead).count
      if heads != 1 {
        problems.append(
          CheckProblem(
            severity: household.persons.isEmpty ? .warning : .error, file: file, record: record,
            message: CheckText.heads(household.number, heads)))
      }
    }
    return problems
  }

  static func people(_ town: TownData) -> [CheckProblem] {
    var problems: [CheckProblem] = []
    var seen: [String: (household: Household, person: Person)] = [:]
    for household in town.households {
      let file = householdFile(household.id)
      for person in household.persons where !person.idNumber.isEmpty {
        let record = "household/\(household.id)/\(person.id)"
        if let problem = IDNumber.validate(person.idNumber) {
          problems.append(
            CheckProblem(
              severity: .error, file: file, record: record,
              message: CheckText.badIDNumber(person.name, problem.message)))
          continue
        }
        let key = IDNumber.normalized(person.idNumber)
        if let first = seen[key] {
          problems.append(
            CheckProblem(
              severity: .error, file: file, record: record,
              message: CheckText.duplicateID(
                person.name, first.person.name, first.household.number)))
        } else {
          seen[key] = (household, person)
        }
      }
    }
    return problems
  }
}

/// The check's user-facing text.
enum CheckText {
  static func formNotLoaded(_ formID: String) -> String {
    "填在表格 \(formID) 上，本程序没有这一版表格的定义（Resources/Data/forms/），无法按原表显示、更正或打印"
  }
  static let journalMissing = "审计日志 audit.log 不见了：数据文件无法与日志核对（日志被删除？）"
  static let journalNotYet = "旧版数据：日志尚未记录各文件的摘要，下次以读写方式打开时自动补记"
  static let fileNotInJournal = "日志中没有这个文件：它是在程序之外放进来的，或日志末尾被截断"
  static let fileRemovedInJournal = "日志记录这个文件已删除或归档，但它仍在文件夹中"
  static let fileDiffersFromJournal = "文件内容与日志最后所记不符：在程序之外被改动（删行、改字），或日志末尾被截断"
  static let fileMissing = "文件缺失：日志记录它存在，但文件夹中没有（被删除？）"
  static func changePending(_ paths: [String]) -> String {
    "最后一次保存已记入日志，但程序在写完文件前停止（\(paths.joined(separator: "、"))）：下次打开时自动补写"
  }
  static func checkpointMissing(_ backup: String, _ sequence: Int) -> String {
    "日志与 \(backup) 的备份所记不符（备份时记到序号 \(sequence)）：日志被截断、删除或改写"
  }
  static let visitsWithoutHousehold = "走访档案没有对应的户（户已删除或编号不符）"
  static let inspectionsWithoutPremises = "检查记录没有对应的场所（场所已归档、删除或编号不符）"
  static func premisesProblem(_ name: String, _ problem: String) -> String {
    "场所「\(name)」：\(problem)"
  }
  static func premisesVisitorMissing(_ name: String, _ id: String) -> String {
    "场所「\(name)」的走访人（\(id)）不存在"
  }
  static func premisesHouseholdArchived(_ name: String, _ id: String) -> String {
    "场所「\(name)」所在的户（\(id)）已归档"
  }
  static let hazardWithoutFinding = "隐患缺少“发现隐患”记录"
  static func hazardVisitMissing(_ id: String) -> String { "隐患所记的走访 \(id) 不存在" }
  static func unknownVisitor(_ id: String) -> String { "走访人 \(id) 不在名册中" }
  static func deploymentVillageMissing(_ id: String) -> String { "部署记录所属的村（\(id)）不存在" }
  static func sampledHouseholdMissing(_ id: String) -> String {
    "抽查样本中的户（\(id)）既不在名册中，也不在归档中"
  }
  static func sampledPremisesMissing(_ id: String) -> String {
    "抽查样本中的场所（\(id)）既不在名册中，也不在归档中"
  }
  static func checkedHouseholdMissing(_ id: String) -> String {
    "抽查记录的户（\(id)）既不在名册中，也不在归档中"
  }
  static func sampleMissing(_ id: String) -> String { "抽查记录所属的样本（\(id)）不存在" }
  static func noticeVillageMissing(_ id: String) -> String { "通报所记的村（\(id)）不存在" }
  static let error = "错误"
  static let warning = "提示"
  static func missingVillage(_ grid: String, _ id: String) -> String { "网格「\(grid)」所属的村（\(id)）不存在" }
  static func gridOverLimit(_ grid: String, _ n: Int) -> String { "网格「\(grid)」有 \(n) 户，超过最多15户" }
  static func gridSize(_ grid: String, _ n: Int) -> String { "网格「\(grid)」有 \(n) 户，通常应为5-10户" }
  static func leaderNotInGrid(_ grid: String, _ id: String) -> String {
    "网格「\(grid)」的网格长（\(id)）不住在本网格"
  }
  static func noLeader(_ grid: String) -> String { "网格「\(grid)」尚未指定网格长" }
  static func missingGrid(_ number: String, _ id: String) -> String {
    "户号 \(number) 所属的网格（\(id)）不存在"
  }
  static func missingVisitor(_ number: String, _ id: String) -> String {
    "户号 \(number) 的走访人（\(id)）不存在"
  }
  static func duplicateNumber(_ number: String, _ other: String) -> String {
    "户号 \(number) 与同村的 \(other) 重复"
  }
  static func heads(_ number: String, _ n: Int) -> String { "户号 \(number) 有 \(n) 名户主，应为1名" }
  static func badIDNumber(_ name: String, _ detail: String) -> String {
    "\(name) 的身份证号有误：\(detail)"
  }
  static func duplicateID(_ name: String, _ firstName: String, _ firstNumber: String) -> String {
    "\(name) 的身份证号与户号 \(firstNumber) 的 \(firstName) 重复"
  }
}
