import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The writes the store makes, behind a seam so tests can make them fail the way a full disk
/// or a read-only folder does, without needing either, and stop them at any point the way a
/// crash does (`faultPoint` is called between the steps of a change: redo record, audit
/// lines, each data file, audit.head).
public protocol FileSystem: Sendable {
  func writeAtomically(_ data: Data, to url: URL) throws(StoreError)
  func makeFolder(_ url: URL) throws(StoreError)
  /// Removes a file durably (unlink, then fsync of its folder).
  func remove(_ url: URL) throws(StoreError)
  /// Called between the steps of a change; a test's file system throws here to stop it.
  func faultPoint(_ step: String) throws(StoreError)
}

extension FileSystem {
  public func remove(_ url: URL) throws(StoreError) { try AtomicFile.remove(url) }
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
