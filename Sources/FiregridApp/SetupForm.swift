import FiregridModel
import TerminalUI

/// The first-run form: a new data folder gets its town's name before anything else.
enum SetupForm {
  static func make() -> Form {
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
      ])
  }

  static func town(from values: [String: String]) -> TownData {
    TownData(
      town: Town(
        name: values["town"] ?? "", county: values["county"] ?? "",
        countyCode: values["countyCode"] ?? ""))
  }
}
