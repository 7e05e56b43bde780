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
    }
  }
}

/// The store's user-facing text, in one place.
enum StoreText {
  static func diskFull(_ p: String) -> String { "磁盘已满，无法保存：\(p)。请清理磁盘后重试，已填写的内容仍保留。" }
  static func permissionDenied(_ p: String) -> String { "没有权限写入：\(p)。请检查文件夹权限。" }
  static func folderMissing(_ p: String) -> String { "数据文件夹不存在：\(p)" }
  static func notAFolder(_ p: String) -> String { "不是文件夹：\(p)" }
  static func folderNotEmpty(_ p: String) -> String { "文件夹不是空的，为免覆盖已有数据，拒绝写入：\(p)" }
  static func unreadable(_ p: String, _ d: String) -> String { "文件无法读取（已保留原样，不会覆盖）：\(p)：\(d)" }
  static func newerVersion(_ p: String, _ f: Int, _ k: Int) -> String {
    "文件由更新版本的消防网格写入（格式版本 \(f)，本程序支持到 \(k)），请升级程序：\(p)"
  }
  static func noTown(_ p: String) -> String { "文件夹中没有镇的数据（town.json）：\(p)" }
  static func io(_ p: String, _ d: String) -> String { "读写出错：\(p)：\(d)" }
}

extension StoreError {
  /// The user's message for any error a store call threw (they are all `StoreError`, but
  /// `do`/`catch` sees `any Error`).
  public static func message(for error: any Error) -> String {
    (error as? StoreError)?.message ?? String(describing: error)
  }
}
