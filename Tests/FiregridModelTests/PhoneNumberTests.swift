import Testing

@testable import FiregridModel

@Suite struct PhoneNumberTests {
  @Test(
    "valid numbers, normalized",
    arguments: [
      ("13800745678", "13800745678", PhoneNumber.Kind.mobile),
      ("138 0074 5678", "13800745678", .mobile),
      ("138-0074-5678", "13800745678", .mobile),
      ("+86 138 0074 5678", "13800745678", .mobile),
      ("８６１３８００７４５６７８", "13800745678", .mobile),
      ("１３８００７４５６７８", "13800745678", .mobile),
      ("19912345678", "19912345678", .mobile),
      ("0745-3123456", "0745-3123456", .landline),
      ("07453123456", "0745-3123456", .landline),
      ("(0745)3123456", "0745-3123456", .landline),
      ("（０７４５）３１２３４５６", "0745-3123456", .landline),
      ("０７４５－３１２３４５６", "0745-3123456", .landline),
      ("0745 3123456", "0745-3123456", .landline),
      ("010-88886666", "010-88886666", .landline),
      ("02087654321", "020-87654321", .landline),
    ])
  func valid(raw: String, normalized: String, kind: PhoneNumber.Kind) {
    #expect(PhoneNumber.validate(raw) == nil)
    #expect(PhoneNumber.normalized(raw) == normalized)
    #expect(PhoneNumber.kind(of: raw) == kind)
  }

  @Test(
    "invalid numbers and the message",
    arguments: [
      ("", "请填写电话号码"),
      (" ", "请填写电话号码"),
      ("1380074567", "手机号应为11位，现在是10位"),
      ("138007456789", "手机号应为11位，现在是12位"),
      ("12800745678", "手机号第二位应为3至9"),
      ("138abc45678", "电话号码只能包含数字和-"),
      ("3123456", "固定电话请加区号，如0745-3123456"),
      ("0745-123", "固定电话应为区号加7至8位号码，如0745-3123456"),
      ("0745-0123456", "固定电话应为区号加7至8位号码，如0745-3123456"),
      ("0745-31-23456", "固定电话应为区号加7至8位号码，如0745-3123456"),
      ("02012345678", "固定电话应为区号加7至8位号码，如0745-3123456"),
      ("99999", "电话号码格式不对：手机号11位，固定电话如0745-3123456"),
    ])
  func invalid(raw: String, message: String) {
    #expect(PhoneNumber.validate(raw) == message)
    #expect(PhoneNumber.kind(of: raw) == nil)
  }

  @Test(
    "masked for display",
    arguments: [
      ("13800745678", "138****5678"),
      ("138 0074 5678", "138****5678"),
      ("0745-3123456", "0745-***3456"),
      ("010-88886666", "010-****6666"),
      ("", ""),
      ("abcdefgh", "****efgh"),
      ("123", "***"),
    ])
  func masked(raw: String, expected: String) {
    #expect(PhoneNumber.masked(raw) == expected)
  }
}
