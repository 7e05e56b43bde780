import Testing

@testable import TerminalUI

private let phoneMessage = "电话号码应为11位数字"

private func visitForm(values: [String: String] = [:]) -> Form {
  Form(
    title: "入户走访登记",
    fields: [
      FormField(
        id: "head", label: "户主", kind: .text(maxLength: 10), required: true,
        requiredMessage: "请填写户主姓名", hint: "户主的姓名"),
      FormField(
        id: "phone", label: "联系电话", required: false,
        validate: { value in
          value.count == 11 && value.allSatisfy(\.isASCII) && value.allSatisfy(\.isNumber)
            ? nil : phoneMessage
        }),
      FormField(id: "alone", label: "独居老人", kind: .choice(["否", "是"])),
      FormField(
        id: "visitor", label: "走访人", required: true, requiredMessage: "请填写走访人",
        hint: "负责走访的干部"),
    ],
    values: values)
}

private func type(_ text: String, into form: inout Form) {
  for character in text { _ = form.handle(.character(character)) }
}

private func render(_ form: Form, columns: Int = 40, rows: Int = 12) -> (
  ScreenBuffer, (x: Int, y: Int)?
) {
  var buffer = ScreenBuffer(size: Size(columns: columns, rows: rows))
  let cursor = form.render(into: &buffer, area: buffer.area)
  return (buffer, cursor)
}

struct FormTests {
  @Test func tabOrderAndBackTab() {
    var form = visitForm()
    #expect(form.focus == 0)
    #expect(form.focusedFieldID == "head")
    #expect(form.handle(.tab) == .handled)
    #expect(form.focus == 1)
    #expect(form.handle(.down) == .handled)
    #expect(form.focus == 2)
    #expect(form.handle(.enter) == .handled)
    #expect(form.focus == 3)
    #expect(form.handle(.tab) == .handled)
    #expect(form.focus == 0)  // Tab wraps
    #expect(form.handle(.backTab) == .handled)
    #expect(form.focus == 3)  // Shift-Tab wraps
    #expect(form.handle(.up) == .handled)
    #expect(form.focus == 2)
    #expect(form.handle(.down) == .handled)
    #expect(form.handle(.down) == .handled)
    #expect(form.focus == 3)  // Down stays on the last field
    #expect(form.handle(.escape) == .ignored)
  }

  @Test func leavingARequiredEmptyFieldShowsItsMessageButMovesOn() {
    var form = visitForm()
    #expect(form.handle(.tab) == .handled)
    #expect(form.focus == 1)
    #expect(form.errors == ["head": "请填写户主姓名"])
    let (buffer, _) = render(form)
    let lines = buffer.textLines
    #expect(lines[0] == "入户走访登记")
    #expect(lines[1] == "    *户主")
    #expect(lines[2] == "          请填写户主姓名")
    #expect(lines[3] == " 联系电话")
    #expect(buffer[10, 2].style == .error)
    #expect(buffer[4, 1].style == .error)
    // Typing the name and checking again clears the error as soon as it is fixed.
    _ = form.handle(.up)
    type("邹锡华", into: &form)
    #expect(form.errors.isEmpty)
  }

  @Test func goingBackDoesNotComplainAboutAnEmptyField() {
    var form = visitForm()
    form.focus = 3
    #expect(form.handle(.up) == .handled)
    #expect(form.errors.isEmpty)
  }

  @Test func validatorMessageIsShownAndClearedWhenFixed() {
    var form = visitForm(values: ["head": "邹锡华"])
    _ = form.handle(.tab)
    type("1380000", into: &form)
    _ = form.handle(.tab)
    #expect(form.errors["phone"] == phoneMessage)
    #expect(form.focus == 2)
    let lines = render(form).0.textLines
    #expect(lines[3] == "          " + phoneMessage)
    _ = form.handle(.backTab)
    type("0000", into: &form)
    #expect(form.errors["phone"] == nil)
    #expect(form.value("phone") == "13800000000")
  }

  /// No silent loss of text: a key past the limit is refused with a message; a saved value
  /// longer than the limit is kept whole and the form will not submit until it is shortened.
  @Test func textPastTheLimitIsRefusedAloudAndALongerValueIsNeverCut() {
    var form = visitForm()
    type("一二三四五六七八九十", into: &form)
    #expect(form.errors["head"] == nil)
    type("多", into: &form)
    #expect(form.value("head") == "一二三四五六七八九十")
    #expect(form.errors["head"] == "最多 10 个字，多出的没有录入")

    var loaded = visitForm(values: ["head": "欧阳诸葛司马上官慕容长孙", "visitor": "甲"])
    #expect(loaded.value("head") == "欧阳诸葛司马上官慕容长孙")
    #expect(loaded.handle(.control("s")) == .handled)
    #expect(loaded.errors["head"] == "超过 10 个字（现有 12 个），请删减后再保存")
    #expect(loaded.focusedFieldID == "head")
    _ = loaded.handle(.backspace)
    _ = loaded.handle(.backspace)
    #expect(loaded.errors["head"] == nil)
    guard case .submitted(let values) = loaded.handle(.control("s")) else {
      Issue.record("the shortened form did not submit")
      return
    }
    #expect(values["head"] == "欧阳诸葛司马上官慕容")
  }

  /// Long text wraps on screen: read whole when not being edited, and shown whole below the
  /// scrolling line while it is.
  @Test func longTextWrapsOnScreen() {
    let notes = "户主外出务工由配偶代签，已讲解电动车不得在楼道内充电，三日内整改完毕后复查"
    var form = Form(
      title: "",
      fields: [
        FormField(id: "head", label: "户主", kind: .text(maxLength: 10)),
        FormField(id: "notes", label: "备注", kind: .text(maxLength: 200)),
      ], values: ["notes": notes])
    var buffer = ScreenBuffer(size: Size(columns: 30, rows: 10))
    _ = form.render(into: &buffer, area: buffer.area)
    let shown = buffer.textLines.joined().replacingOccurrences(of: " ", with: "")
    #expect(shown.contains(notes.replacingOccurrences(of: " ", with: "")))
    form.focusField("notes")
    var editing = ScreenBuffer(size: Size(columns: 30, rows: 10))
    _ = form.render(into: &editing, area: editing.area)
    let below = editing.textLines.dropFirst(2).joined().replacingOccurrences(of: " ", with: "")
    #expect(below.contains(notes.replacingOccurrences(of: " ", with: "")))
  }

  @Test func submitFocusesTheFirstInvalidField() {
    var form = visitForm()
    form.focus = 2
    #expect(form.handle(.control("s")) == .handled)
    #expect(form.focus == 0)
    #expect(form.errors == ["head": "请填写户主姓名", "visitor": "请填写走访人"])
    type("邹锡华", into: &form)
    #expect(form.handle(.control("s")) == .handled)
    #expect(form.focus == 3)
  }

  @Test func submitReturnsTrimmedValues() {
    var form = visitForm()
    type(" 邹锡华 ", into: &form)
    _ = form.handle(.tab)
    _ = form.handle(.tab)
    #expect(form.handle(.right) == .handled)  // choice: 否 → 是
    _ = form.handle(.tab)
    type("曾乐", into: &form)
    #expect(form.focus == 3)
    let outcome = form.handle(.enter)  // Enter on the last field submits
    #expect(
      outcome == .submitted(["head": "邹锡华", "phone": "", "alone": "是", "visitor": "曾乐"]))
    #expect(form.value("head") == " 邹锡华 ")
  }

  @Test func isDirtyComparesWithInitialValues() {
    var form = visitForm(values: ["head": "邹锡华", "alone": "是"])
    #expect(form.value("alone") == "是")
    #expect(!form.isDirty)
    _ = form.handle(.backspace)
    #expect(form.isDirty)
    type("华", into: &form)
    #expect(!form.isDirty)
    form.setValue("翟朴", for: "head")
    #expect(form.isDirty)
    form.markClean()
    #expect(!form.isDirty)
    form.setValue("否", for: "alone")
    #expect(form.value("alone") == "否")
    form.setValue("不知道", for: "alone")
    #expect(form.value("alone") == "否")
    #expect(form.value("nope") == "")
  }

  @Test func cursorAndHintOfTheFocusedField() {
    var form = visitForm(values: ["head": "邹锡"])
    var (buffer, cursor) = render(form)
    // Label column: widest label (8) + 1 for the required mark; editor after a space.
    #expect(cursor?.x == 10 + 4)
    #expect(cursor?.y == 1)
    #expect(buffer.textLines[1] == "    *户主 邹锡")
    #expect(buffer.textLines[6] == "户主的姓名")
    #expect(buffer[0, 6].style == .muted)
    #expect(buffer[5, 1].style == .key)
    _ = form.handle(.tab)
    _ = form.handle(.tab)
    (buffer, cursor) = render(form)
    #expect(cursor == nil)  // a choice has no text cursor
    #expect(buffer.textLines[3] == " 独居老人 < 否 >")
  }

  @Test func longFormsScrollToTheFocusedField() {
    let fields = (1...10).map { FormField(id: "f\($0)", label: "字段\($0)") }
    var form = Form(title: "表", fields: fields)
    for _ in 0..<8 { _ = form.handle(.tab) }
    let (buffer, cursor) = render(form, columns: 20, rows: 5)
    #expect(buffer.textLines == ["表", "  字段6", "  字段7", "  字段8", "  字段9"])
    #expect(cursor?.y == 4)
  }
}

/// Tick-box fields, headings and fields shown only for some answers.
struct KeyedFormTests {
  static let options: [FormField.KeyedOption] = [
    .init(key: "y", value: "y", label: "是"), .init(key: "n", value: "n", label: "否"),
  ]

  static func form() -> Form {
    Form(
      title: "表",
      fields: [
        FormField(id: "h1", label: "第一部分", kind: .heading),
        FormField(
          id: "a", label: "甲", kind: .keyed(options), required: true, requiredMessage: "请作答"),
        FormField(
          id: "a.why", label: "说明", kind: .text(maxLength: 10), required: true,
          requiredMessage: "请说明",
          visibleWhen: FormField.Condition(fieldID: "a", values: ["n"])),
        FormField(id: "h2", label: "第二部分", kind: .heading),
        FormField(
          id: "b", label: "乙", kind: .keyed(options), required: true, requiredMessage: "请作答"),
      ])
  }

  @Test func headingsAreSkippedAndAnAnswerKeyMovesOn() {
    var form = Self.form()
    #expect(form.focusedFieldID == "a")
    #expect(form.handle(.character("y")) == .handled)
    #expect(form.value("a") == "y")
    #expect(form.focusedFieldID == "b")  // the hidden 说明 and the heading are skipped
    // Caps Lock does not matter, but for Y: that answers the section (`SectionKeyTests`).
    #expect(form.handle(.character("N")) == .handled)
    #expect(form.handle(.control("s")) == .submitted(["a": "y", "a.why": "", "b": "n"]))
  }

  @Test func anAnswerRevealsItsFollowUpWhichIsThenRequired() {
    var form = Self.form()
    _ = form.handle(.character("n"))
    #expect(form.focusedFieldID == "a.why")
    #expect(form.handle(.control("s")) == .handled)
    #expect(form.errors["a.why"] == "请说明")
    _ = form.handle(.character("x"))
    _ = form.handle(.enter)
    #expect(form.focusedFieldID == "b")
    _ = form.handle(.character("y"))
    #expect(form.handle(.control("s")) == .submitted(["a": "n", "a.why": "x", "b": "y"]))
  }

  @Test func unansweredIsNamedAndOtherKeysAreIgnored() {
    var form = Self.form()
    #expect(form.handle(.character("q")) == .ignored)
    #expect(form.handle(.control("s")) == .handled)
    #expect(form.errors == ["a": "请作答", "b": "请作答"])
    #expect(form.focusedFieldID == "a")
    _ = form.handle(.character("y"))
    _ = form.handle(.up)
    _ = form.handle(.backspace)
    #expect(form.value("a") == "")
  }

  @Test func rendersHeadingsAnswersAndKeys() {
    var buffer = ScreenBuffer(size: Size(columns: 40, rows: 6))
    var form = Self.form()
    _ = form.handle(.character("y"))
    _ = form.render(into: &buffer, area: buffer.area)
    let lines = buffer.textLines
    #expect(lines[1].hasPrefix("第一部分"))
    // The label column fits the widest label, hidden ones too, so nothing moves on reveal.
    #expect(lines[2] == "  *甲 [是]")
    #expect(lines[3].hasPrefix("第二部分"))
    #expect(lines[4] == "  *乙 [  ]  y 是  n 否")
  }
}

/// `Y`: the good answer for every unanswered tick box of the section, then the next section.
struct SectionKeyTests {
  static let judgements: [FormField.KeyedOption] = [
    .init(key: "y", value: "y", label: "是"), .init(key: "n", value: "n", label: "否"),
    .init(key: "-", value: "-", label: "不适用"),
  ]
  static let digits: [FormField.KeyedOption] = [
    .init(key: "1", value: "1", label: "木"), .init(key: "2", value: "2", label: "砖"),
  ]

  static func tick(_ id: String, good: String? = "y") -> FormField {
    FormField(
      id: id, label: id, kind: .keyed(judgements), required: true, requiredMessage: "请作答",
      goodValue: good)
  }

  /// 甲 (a1 a2 a3, a3 with a follow-up), 乙 (a choice b1 and a tick box b2), 丙 (c1), 备注.
  static func form(values: [String: String] = [:]) -> Form {
    Form(
      title: "表",
      fields: [
        FormField(id: "date", label: "日期", kind: .text(maxLength: 10), required: true),
        FormField(id: "h1", label: "甲", kind: .heading),
        tick("a1"), tick("a2"), tick("a3"),
        FormField(
          id: "a3.why", label: "说明", kind: .text(maxLength: 10), required: true,
          requiredMessage: "请说明", visibleWhen: FormField.Condition(fieldID: "a3", values: ["n"])),
        FormField(id: "h2", label: "乙", kind: .heading),
        FormField(
          id: "b1", label: "b1", kind: .keyed(digits), required: true, requiredMessage: "请按数字键"),
        tick("b2"),
        FormField(id: "h3", label: "丙", kind: .heading),
        tick("c1"),
        FormField(id: "notes", label: "备注", kind: .text(maxLength: 20)),
      ], values: values.merging(["date": "12-03"]) { old, _ in old })
  }

  @Test func yAnswersTheRestOfTheSectionAndKeepsAnswersGiven() {
    var form = Self.form()
    form.focusField("a1")
    _ = form.handle(.character("n"))  // a1 否
    #expect(form.focusedFieldID == "a2")
    #expect(form.handle(.character("Y")) == .handled)
    #expect(form.value("a1") == "n")
    #expect(form.value("a2") == "y")
    #expect(form.value("a3") == "y")
    #expect(!form.isVisible(5))  // a3 is 是: no 说明
    // Section 乙 has a choice Y cannot answer: the focus goes there, not past it.
    #expect(form.focusedFieldID == "b1")
  }

  @Test func aSectionYCannotCompleteKeepsTheFocusWithAMessage() {
    var form = Self.form()
    form.focusField("b2")
    #expect(form.handle(.character("Y")) == .handled)
    #expect(form.value("b2") == "y")
    #expect(form.focusedFieldID == "b1")
    #expect(form.errors["b1"] == "请按数字键")
    #expect(form.value("c1") == "")  // another section is never touched
    _ = form.handle(.character("2"))
    #expect(form.errors["b1"] == nil)
    #expect(form.focusedFieldID == "b2")
  }

  @Test func completeSectionsArePassedAndTheLastYLeavesTheFocusOnTheNextField() {
    var form = Self.form(values: ["b1": "1", "b2": "y"])
    form.focusField("a1")
    _ = form.handle(.character("Y"))
    #expect(form.focusedFieldID == "c1")  // 乙 is complete already
    _ = form.handle(.character("Y"))
    #expect(form.value("c1") == "y")
    #expect(form.focusedFieldID == "notes")  // nothing left unanswered: the next field
    #expect(
      form.handle(.control("s"))
        == .submitted([
          "date": "12-03", "a1": "y", "a2": "y", "a3": "y", "a3.why": "", "b1": "1", "b2": "y",
          "c1": "y", "notes": "",
        ]))
  }

  @Test func aRevealedFollowUpLeftEmptyHoldsTheSection() {
    var form = Self.form()
    form.focusField("a3")
    _ = form.handle(.character("n"))  // 说明 shown, focused
    _ = form.handle(.up)  // back to a3 without writing it
    _ = form.handle(.up)  // a2
    _ = form.handle(.character("Y"))
    #expect(form.value("a1") == "y" && form.value("a2") == "y" && form.value("a3") == "n")
    #expect(form.focusedFieldID == "a3.why")
    #expect(form.errors["a3.why"] == "请说明")
  }

  @Test func yIsTextInATextFieldAndAFieldWithoutAGoodValueIsLeft() {
    var form = Self.form()
    form.focusField("notes")
    _ = form.handle(.character("Y"))
    #expect(form.value("notes") == "Y")
    var noGood = Form(
      title: "", fields: [Self.tick("r1", good: nil), Self.tick("r2", good: nil)])
    #expect(noGood.handle(.character("Y")) == .handled)
    #expect(noGood.value("r1") == "" && noGood.value("r2") == "")
    #expect(noGood.focusedFieldID == "r1")
    #expect(noGood.errors["r1"] == "请作答")
  }

  /// A tick box whose own key is `Y` keeps it.
  @Test func anOptionKeyedYIsAnsweredNotTheSection() {
    var form = Form(
      title: "",
      fields: [
        FormField(
          id: "k", label: "k",
          kind: .keyed([
            .init(key: "Y", value: "yes", label: "要"), .init(key: "N", value: "no", label: "不要"),
          ]),
          goodValue: "no"),
        Self.tick("other"),
      ])
    _ = form.handle(.character("Y"))
    #expect(form.value("k") == "yes")
    #expect(form.value("other") == "")
  }
}
