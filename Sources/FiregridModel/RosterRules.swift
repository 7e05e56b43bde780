import Foundation

/// Rules about the shape of the roster that screens and imports check.
public enum RosterRules {
  /// The seed's rule for a 微网格: 5–10 households, at most 15 ("每村（社区）按5-10户（最多不超过
  /// 15户）设立一个微网格"). Under 5 and 11–15 are warnings; over 15 is refused.
  public static func gridSizeStatus(_ count: Int) -> GridSizeStatus {
    if count < Grid.normalSize.lowerBound { return .tooSmall }
    if count <= Grid.normalSize.upperBound { return .normal }
    if count <= Grid.maximumSize { return .large }
    return .overLimit
  }

  /// Whether one more household may join a grid that has `count` households now.
  public static func canAddHousehold(toGridWith count: Int) -> Bool {
    gridSizeStatus(count + 1) != .overLimit
  }
}

/// How a grid's household count compares with the 5–10 (at most 15) rule.
public enum GridSizeStatus: Equatable, Sendable, CaseIterable {
  /// Under 5 households: a warning.
  case tooSmall
  /// 5...10 households.
  case normal
  /// 11...15 households: a warning.
  case large
  /// Over 15 households: refused.
  case overLimit

  /// Shown to the clerk, but the grid may be saved.
  public var isWarning: Bool { self == .tooSmall || self == .large }
  /// The grid may not be saved like this.
  public var isRefused: Bool { self == .overLimit }

  /// The status in Simplified Chinese.
  public var message: String {
    switch self {
    case .tooSmall: return ModelText.gridSizeTooSmall
    case .normal: return ModelText.gridSizeNormal
    case .large: return ModelText.gridSizeLarge
    case .overLimit: return ModelText.gridSizeOverLimit
    }
  }
}
