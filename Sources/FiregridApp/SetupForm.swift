import FiregridModel
import TerminalUI

/// The first-run form: a new data folder gets its town's name before anything else.
enum SetupForm {
  static let operatorField = "operator"

  static func make(operatorName: String) -> Form {
    Form(
      title: AppText.setupTitle,
      fields: [
        FormField(
          id: "town", label: AppText.setupTownName, kind: .text(maxLength: 20), required: true,
          requiredMessage: AppText.setupTownRequired, hint: AppText.setupTownHint),
        FormField(id: "county", label: AppText.setupCounty, kind: .text(maxLength: 20)),
        FormField(
          id: "countyCode", label: AppText.setupCountyCode, kind: .text(maxLength: 6),
          hint: AppText.setupCountyCodeHint,
          validate: { value in
            value.isEmpty || (value.count == 6 && value.allSatisfy(\.isASCII) && Int(value) != nil)
              ? nil : AppText.setupCountyCodeInvalid
          }),
        LoginForm.operatorFieldDefinition(),
      ], values: [operatorField: operatorName])
  }

  static func operatorName(_ values: [String: String]) -> String {
    values[operatorField] ?? ""
  }

  static func town(from values: [String: String]) -> TownData {
    TownData(
      town: Town(
        name: values["town"] ?? "", county: values["county"] ?? "",
        countyCode: values["countyCode"] ?? ""))
  }
}

/// The start-up question: who is working. Every change is recorded under this name.
enum LoginForm {
  static let operatorField = SetupForm.operatorField

  static func operatorFieldDefinition() -> FormField {
    FormField(
      id: operatorField, label: AppText.loginOperator, kind: .text(maxLength: 12), required: true,
      requiredMessage: AppText.loginOperatorRequired, hint: AppText.loginOperatorHint)
  }

  static func make(lastOperator: String) -> Form {
    Form(
      title: AppText.loginTitle, fields: [operatorFieldDefinition()],
      values: [operatorField: lastOperator])
  }
}
