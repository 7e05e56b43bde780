import Foundation

/// The writes the store makes, behind a seam so tests can make them fail the way a full disk
/// or a read-only folder does, without needing either.
public protocol FileSystem: Sendable {
  func writeAtomically(_ data: Data, to url: URL) throws(StoreError)
  func makeFolder(_ url: URL) throws(StoreError)
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
