/// One change to one field of one record, as the audit trail records it.
///
/// `record` is `kind/id` ("household/h000001", "village/v001", "grid/g0001", "visitor/u001") or
/// "town". `field` is a property name ("address"), a member's property
/// ("persons[p0000002].phone"), a whole member ("persons[p0000002]": added or removed) or "*"
/// (the whole record created or deleted). See `AuditDiff` for how values are rendered.
public struct AuditChange: Codable, Equatable, Sendable {
  public var record: String
  public var field: String
  /// nil = did not exist.
  public var before: String?
  /// nil = removed.
  public var after: String?

  public init(record: String, field: String, before: String?, after: String?) {
    self.record = record
    self.field = field
    self.before = before
    self.after = after
  }
}
