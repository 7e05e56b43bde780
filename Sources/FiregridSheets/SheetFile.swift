import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a whole file the way the data folder does (FiregridStore's `AtomicFile`): a temp
/// file in the same folder created 0600, written, fsynced, renamed over the target, the
/// folder fsynced. A reader sees the old file or the new one; an exported roster holds ID
/// numbers and phones, so it is owner-only from the moment it exists.
///
/// A copy of the dozen lines rather than an import: FiregridStore depends on this module (for
/// the roster's XLSX), so this module cannot depend on it; and `FileManager.replaceItemAt`
/// plus chmod would leave the new file readable by others between the two calls.
enum SheetFile {
  static let fileMode: mode_t = 0o600

  static func write(_ data: Data, to url: URL) throws(SheetError) {
    let folder = url.deletingLastPathComponent()
    let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, fileMode)
    guard fd >= 0 else { throw failure(errno, url) }
    var error: Int32 = 0
    data.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          error = errno
          return
        }
        offset += written
      }
    }
    if error == 0, fsync(fd) != 0 { error = errno }
    close(fd)
    if error == 0, rename(temp.path, url.path) != 0 { error = errno }
    if error != 0 {
      unlink(temp.path)
      throw failure(error, url)
    }
    let folderFD = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folderFD >= 0 {
      defer { close(folderFD) }
      guard fsync(folderFD) == 0 else { throw failure(errno, url) }
    }
  }

  static func failure(_ code: Int32, _ url: URL) -> SheetError {
    .unwritable(path: url.path, reason: String(cString: strerror(code)))
  }
}
