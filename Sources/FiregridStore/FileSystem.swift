import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The writes the store makes, behind a seam so tests can make them fail the way a full disk
/// or a read-only folder does, without needing either, and stop them at any point the way a
/// crash does (`faultPoint` is called between the steps of a change: redo record, audit
/// lines, each data file, audit.head), and make a backup's files as slowly as a big town's
/// backup (`copyFile` and `linkFile`, one call per file).
public protocol FileSystem: Sendable {
  func writeAtomically(_ data: Data, to url: URL) throws(StoreError)
  func makeFolder(_ url: URL) throws(StoreError)
  /// Removes a file durably (unlink, then fsync of its folder).
  func remove(_ url: URL) throws(StoreError)
  /// Called between the steps of a change; a test's file system throws here to stop it.
  func faultPoint(_ step: String) throws(StoreError)
  /// Copies one file of a backup into a new file (0600, never over an existing one); the
  /// backup syncs them all at the end. A test's file system makes it slow, or holds it.
  func copyFile(from source: URL, to target: URL) throws(StoreError)
  /// Makes one file of a backup a hard link to an earlier backup's file holding the same bytes
  /// (`link(2)`: a new name for that file, nothing copied); false when the file system refuses
  /// (no hard links there, too many links…), and the backup copies the live file instead. The
  /// backup syncs them all at the end. A test's file system makes it slow, holds it, or says no.
  func linkFile(from earlier: URL, to target: URL) throws(StoreError) -> Bool
}

extension FileSystem {
  public func remove(_ url: URL) throws(StoreError) { try AtomicFile.remove(url) }
  public func copyFile(from source: URL, to target: URL) throws(StoreError) {
    try Backups.copyFile(from: source, to: target)
  }
  public func linkFile(from earlier: URL, to target: URL) throws(StoreError) -> Bool {
    Backups.link(from: earlier, to: target)
  }
  public func faultPoint(_ step: String) throws(StoreError) {}
}

/// The real file system: atomic, durable, owner-only (see `AtomicFile`).
public struct RealFileSystem: FileSystem {
  public init() {}
  public func writeAtomically(_ data: Data, to url: URL) throws(StoreError) {
    try AtomicFile.write(data, to: url)
  }
  public func makeFolder(_ url: URL) throws(StoreError) {
    try AtomicFile.makeFolder(url)
  }
}
