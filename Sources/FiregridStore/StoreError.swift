import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What can go wrong with the data folder. `message` is what the user reads (Chinese).
public enum StoreError: Error, Equatable, Sendable {
  case diskFull(path: String)
  case permissionDenied(path: String)
  case folderMissing(path: String)
  case notAFolder(path: String)
  case folderNotEmpty(path: String)
  /// A file that does not parse: it is never overwritten.
  case unreadable(path: String, detail: String)
  /// A file written by a newer Firegrid: refused, never overwritten.
  case newerVersion(path: String, found: Int, known: Int)
  case noTown(path: String)
  case io(path: String, code: Int32)
  /// The audit log was closed, or a failed append could not be undone: reopen the folder.
  case auditLogUnusable(path: String)
  /// `Backups.restore`: no backup of that name under `DATA/backups/`.
  case noBackup(date: String)
  /// `TownStore.restoreDamaged`: neither the journal nor a backup holds a good copy.
  case noBackupCopy(path: String)
  /// A date that is not a real `YYYY-MM-DD` day.
  case badDate(String)
  /// A relative path that leaves the data folder ("..", absolute) or is empty.
  case outsideFolder(path: String)
  /// Another process holds the folder; this one may only read.
  case readOnly(holder: LockHolder?)
  /// A household whose file did not load: it cannot be saved over until restored.
  case damagedRecord(path: String)
  /// Opened read-only because another program held the folder, which has since quit.
  case holderGone
  /// A restore asked for a point before the backup it starts from.
  case restoreBeforeBackup(String, Int)
  /// A change was committed but not all of it could be written yet (said in the text).
  case unfinished(String)
  /// A repair asked for a file that is not damaged (already repaired, say).
  case notDamaged(path: String)
  /// A save after `close`: the lock is released, and another process may hold the folder.
  case closed
  /// Inspections saved for a premises not on the roster (archived, or never saved).
  case unknownPremises(id: String)
  /// A change asked for before the town's visits and records were all read (`finishLoading`).
  case stillLoading

  /// Whether the error names the file `name` (its path ends with it).
  func isAbout(_ name: String) -> Bool {
    switch self {
    case .unreadable(let path, _), .newerVersion(let path, _, _), .io(let path, _),
      .permissionDenied(let path):
      return path.hasSuffix("/" + name) || path == name
    default: return false
    }
  }

  static func from(errno code: Int32, path: String) -> StoreError {
    switch code {
    case ENOSPC, EDQUOT: return .diskFull(path: path)
    case EACCES, EPERM, EROFS: return .permissionDenied(path: path)
    case ENOENT: return .folderMissing(path: path)
    case ENOTDIR: return .notAFolder(path: path)
    default: return .io(path: path, code: code)
    }
  }

  public var message: String {
    switch self {
    case .diskFull(let path): return StoreText.diskFull(path)
    case .permissionDenied(let path): return StoreText.permissionDenied(path)
    case .folderMissing(let path): return StoreText.folderMissing(path)
    case .notAFolder(let path): return StoreText.notAFolder(path)
    case .folderNotEmpty(let path): return StoreText.folderNotEmpty(path)
    case .unreadable(let path, let detail): return StoreText.unreadable(path, detail)
    case .newerVersion(let path, let found, let known):
      return StoreText.newerVersion(path, found, known)
    case .noTown(let path): return StoreText.noTown(path)
    case .io(let path, let code): return StoreText.io(path, String(cString: strerror(code)))
    case .auditLogUnusable(let path): return StoreText.auditLogUnusable(path)
    case .noBackup(let date): return StoreText.noBackup(date)
    case .noBackupCopy(let path): return StoreText.noBackupCopy(path)
    case .badDate(let value): return StoreText.badDate(value)
    case .outsideFolder(let path): return StoreText.outsideFolder(path)
    case .readOnly(let holder): return StoreText.readOnly(holder?.description)
    case .damagedRecord(let path): return StoreText.damagedRecord(path)
    case .restoreBeforeBackup(let date, let sequence):
      return StoreText.restoreBeforeBackup(date, sequence)
    case .unfinished(let text): return text
    case .holderGone: return StoreText.holderGone
    case .notDamaged(let path): return StoreText.notDamaged(path)
    case .closed: return StoreText.closed
    case .unknownPremises(let id): return StoreText.unknownPremises(id)
    case .stillLoading: return StoreText.stillLoading
    }
  }
}

/// The store's user-facing text, in one place.
enum StoreText {
  static func diskFull(_ p: String) -> String { "磁盘已满，无法保存：\(p)。请清理磁盘后重试" }
  static func permissionDenied(_ p: String) -> String { "没有权限写入：\(p)。请检查文件夹权限。" }
  static func folderMissing(_ p: String) -> String { "数据文件夹不存在：\(p)" }
  static func notAFolder(_ p: String) -> String { "不是文件夹：\(p)" }
  static func folderNotEmpty(_ p: String) -> String { "文件夹不是空的，为免覆盖已有数据，拒绝写入：\(p)" }
  static func unreadable(_ p: String, _ d: String) -> String { "文件无法读取（已保留原样，不会覆盖）：\(p)：\(d)" }
  static func newerVersion(_ p: String, _ f: Int, _ k: Int) -> String {
    "文件由更新版本的消防网格写入（格式版本 \(f)，本程序支持到 \(k)），请升级程序：\(p)"
  }
  static func savedFilesPending(_ detail: String) -> String {
    "已保存（已记入日志），但数据文件暂未写入（\(detail)），下次保存或打开时自动补写"
  }
  static func backupSkipped(_ detail: String) -> String {
    "已保存；今天的自动备份未能完成（\(detail)）"
  }
  static func restoreBeforeBackup(_ date: String, _ sequence: Int) -> String {
    "\(date) 的备份已记到日志序号 \(sequence)，不能恢复到它之前；请选更早的备份。未做任何改动。"
  }
  static func restoreAudit(_ last: Int, replayed: Int, files: Int) -> String {
    "恢复备份并按日志重做其后 \(replayed) 次保存，到日志序号 \(last)；改动 \(files) 个文件"
  }
  static let fileMissing = "文件缺失"
  static let checkpointMissing = "没有检查点，逐个读取文件"
  static let checkpointStale = "检查点比日志新（文件夹曾被恢复），逐个读取文件"
  static let checkpointDamaged = "检查点损坏，逐个读取文件"
  static let stillLoading = "仍在载入走访记录，请稍候再保存"
  static let accessField = "查看个人信息"
  static let accessShown = "显示完整的身份证号、电话和健康信息"
  static let holderGone = "只读：打开时数据正被另一程序使用，它现已退出。请按 q 退出后重新打开本程序，读到对方保存的内容后再保存。"
  static let fileChangedOutside = "内容与日志所记不符（在程序之外被改动）"
  static let headRebuilt = "按完整的日志链重建"
  static let headRebuiltNotice = "校验文件 audit.head 缺失，已按日志重建并记入日志；如非误删，请用 firegrid check 核查"
  static func repairFromJournal(_ time: String) -> String { "日志中 \(time) 保存的内容" }
  static func repairFromBackup(_ date: String) -> String { "\(date) 的备份" }
  static func noTown(_ p: String) -> String { "文件夹中没有镇的数据（town.json）：\(p)" }
  static func io(_ p: String, _ d: String) -> String { "读写出错：\(p)：\(d)" }
  static let jsonBroken = "JSON 格式错误"
  static func jsonEndsEarly(_ lines: Int) -> String { "文件在第 \(lines) 行意外结束（可能只写了一半）" }
  static func jsonBrokenAt(line: Int, column: Int) -> String {
    "JSON 格式错误，在第 \(line) 行第 \(column) 列"
  }
  static func auditLogUnusable(_ p: String) -> String {
    "审计日志已关闭或上次写入失败，无法继续记录，请重新打开数据文件夹：\(p)"
  }
  static func noBackup(_ d: String) -> String { "没有 \(d) 的备份，未做任何改动。" }
  static func noBackupCopy(_ p: String) -> String { "备份里没有这个文件的可用副本，无法恢复：\(p)" }
  static func badDate(_ d: String) -> String { "日期不对（应为 年-月-日，如 2024-11-18）：\(d)" }
  static func outsideFolder(_ p: String) -> String { "路径不在数据文件夹内，拒绝读写：\(p)" }
  static func readOnly(_ holder: String?) -> String {
    "只读：数据正被使用（\(holder ?? "另一程序")），不能保存。请等对方退出后，重新打开本程序再保存。"
  }
  static let closed = "数据已关闭，不能再保存；请重新打开后再保存。"
  static func notDamaged(_ p: String) -> String { "该文件没有损坏，无需恢复：\(p)" }
  static func damagedRecord(_ p: String) -> String {
    if p == DataFolder.supervisionFileName { return "督查记录的文件已损坏（\(p)），请先从备份恢复，不能覆盖。" }
    if p.hasPrefix(DataFolder.premisesFolderName + "/")
      || p.hasPrefix(DataFolder.inspectionsFolderName + "/")
    {
      return "该场所的文件已损坏（\(p)），请先从备份恢复，不能覆盖。"
    }
    return "该户的文件已损坏（\(p)），请先从备份恢复，不能覆盖。"
  }
  static func unknownPremises(_ id: String) -> String { "场所不在名册上（\(id)），不能保存其检查记录。" }
}

extension StoreError {
  /// The user's message for any error a store call threw (they are all `StoreError`, but
  /// `do`/`catch` sees `any Error`).
  public static func message(for error: any Error) -> String {
    (error as? StoreError)?.message ?? String(describing: error)
  }
}
