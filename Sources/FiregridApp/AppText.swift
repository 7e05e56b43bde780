import FiregridModel
import TerminalUI

/// Every piece of screen text of the application, in one place, so a wording change is one
/// edit. Model-level names (groups, roles) live in the model's catalog.
public enum AppText {
  public static let appName = "消防网格"
  public static let sections = ["网格户籍", "敲门走访", "隐患整改", "统计报表", "打印", "督查"]

  static func campaign(for today: CivilDate) -> String {
    Campaign.winter(containing: today).name
  }

  static func operatorLabel(_ name: String) -> String { "操作员:\(name)" }

  // Window
  static let windowTooSmall = "窗口太小"
  static func windowSize(_ size: String, _ needed: String) -> String { "当前 \(size)，需 \(needed)" }

  // Roster
  static let rosterTown = "全镇"
  static let columnVillage = "村（社区）"
  static let columnGrids = "网格"
  static let columnHouseholds = "户数"
  static let columnPersons = "人数"
  static let columnVulnerable = "重点人群"
  static let columnLiaison = "联络员"
  static let columnGrid = "网格"
  static let columnGridLeader = "网格长"
  static let columnWechat = "微信群"
  static let columnNumber = "户号"
  static let columnHead = "户主"
  static let columnAddress = "家庭住址"
  static let columnVisitor = "走访人"
  static let columnName = "姓名"
  static let columnRelation = "关系"
  static let columnSex = "性别"
  static let columnAge = "年龄"
  static let columnIDNumber = "身份证号"
  static let columnPhone = "联系电话"
  static let noVillages = "尚无村（社区）。按 a 新增村（社区），按 I 导入花名册，或用 firegrid import roster。"
  static let noGrids = "本村尚无网格。"
  static let noHouseholds = "本网格尚无住户。"
  static let noPersons = "本户尚无家庭成员。"
  static let noMatches = "没有符合筛选条件的记录。"
  static func count(_ n: Int) -> String { "共 \(n) 条" }
  static func gridOverLimit(_ n: Int) -> String { "超过15户(\(n))" }
  static func gridLarge(_ n: Int) -> String { "超过10户(\(n))" }
  static let householdInfoNumber = "户号"
  static let householdInfoAddress = "住址"
  static let householdInfoGrid = "网格"
  static let householdInfoLeader = "网格长"
  static let householdInfoVisitor = "走访人"
  static let householdInfoLiaison = "联络员"
  static let none = "未指定"
  static let maskedHealth = "[已隐藏]"
  static let revealHint = "按 m 显示/隐藏身份证号、电话和健康信息（[已隐藏]）"
  static let revealedWarning = "正在显示敏感个人信息，用毕请按 m 隐藏"
  static let yearsOld = "岁"

  // Visitors and vulnerable people
  static let visitorsTitle = "走访人"
  static let vulnerableTitle = "重点人群"
  static let noVisitor = "（未指定走访人）"
  static let noVisitors = "尚无走访人。按 a 新增。"
  static let noVulnerable = "尚无登记的重点人群。"
  static let unassignedWarning = "这些户还没有走访人，请指定"
  static let columnRole = "身份"
  static let columnGridsCovered = "负责网格"
  static let keyVisitors = "走访人"
  static let keyVulnerable = "重点人群"
  static let keyArchived = "已归档"
  static let keyRestoreHousehold = "恢复到名册"
  static let archivedTitle = "已归档的户"
  static let noArchived = "没有已归档的户。"
  static let columnOpenHazards = "未销号隐患"
  static func restoreHousehold(_ number: String, _ head: String) -> String {
    "把 \(number)号（户主 \(head)）恢复到名册？它的走访和隐患一并恢复。"
  }
  static let restoreHouseholdTitle = "恢复已归档的户"

  // Search
  static let searchTitle = "全镇查找"
  static let searchPromptTown = "查找:"
  static let searchHint = "姓名、拼音首字母(如 zxh)、身份证尾号、电话、户号、地址"
  static let columnFound = "找到"
  static let columnWhere = "位置"
  static let columnMatched = "匹配"
  static let keySearchOpen = "打开"
  static let keyTownSearch = "全镇查找"
  static let searchPrompt = "筛选:"
  static func filterActive(_ text: String) -> String { "筛选: \(text)" }

  // Statistics
  static let statsTitle = "全镇概况"
  static let statsVillages = "村（社区）"
  static let statsGrids = "微网格"
  static let statsHouseholds = "户"
  static let statsPersons = "人"
  static let statsVisitors = "走访人"
  static let statsVulnerable = "重点人群（人）"
  static let statsGridsLarge = "超过10户的网格"
  static let statsGridsOver = "超过15户的网格"
  static let statsHouseholdsWithoutVisitor = "未指定走访人的户"

  // Help
  static let helpTitle = "帮助 - 按键一览"
  static let helpClose = "按 Esc、q 或 F1 关闭帮助"
  static let helpGlobal = "全局"
  static let helpScreen = "当前页面"

  // Quit
  static let quitTitle = "退出"
  static let quitUnsaved = "有尚未保存的内容，退出将丢失。\n确定要退出吗？"
  static let confirmYes = "y 确定"
  static let confirmNo = "n 取消"
  static let confirmYesHelp = "确定"
  static let confirmNoHelp = "取消"
  static let keyRestore = "从备份修复"
  static let keyQuitHint = "提示如何退出"
  static let busyOpening = "正在打开…"
  static let busyLoading = "正在载入…"
  static func loadingProgress(_ done: Int, _ total: Int, keysKept: Int) -> String {
    let percent = total > 0 ? min(100, done * 100 / total) : 0
    return "正在载入走访记录 \(percent)%" + (keysKept > 0 ? "，已记下 \(keysKept) 个按键" : "")
  }
  /// What a section shows while the town's visits and records are still being read.
  static let loadingTitle = "正在载入…"
  static func loadingDetail(_ done: Int, _ total: Int) -> String {
    "正在读取走访、隐患和联系记录（\(done)/\(total) 个文件）。"
  }
  static let loadingKeysKept = ["名册已可用；这一栏载入后即可使用。", "这时按下的键都已记下，载入后按顺序执行。"]
  static let busyBackup = "正在备份…"
  static func busyBackupProgress(_ done: Int, _ total: Int) -> String {
    "正在备份 \(done)/\(total) 个文件…"
  }
  static let busySaving = "正在保存…"
  static let busyChecking = "正在核对数据文件…"
  static let busyImport = "正在读取名册表格…"
  static let busyHistory = "正在读取户档案…"
  static let busyPrinting = "正在生成打印文件…"
  /// Another clerk saved (a shared database) and the screens now show it.
  static let othersChanged = "另一位文书刚保存了修改，屏幕已更新"
  /// …while a form, question or window is open: read when it is closed (what was typed is kept).
  static let othersChangedLater = "另一位文书刚保存了修改：关闭当前表单或窗口后更新屏幕（已填写的内容都还在）"
  static func cannotWatch(_ detail: String) -> String {
    "看不到其他文书的修改（需重新打开才能看到）：\(detail)"
  }
  static let busyWait = "上一项修改正在保存，请稍候再按 Ctrl-S（已填写的内容都还在）"

  // Setup
  static let setupTitle = "首次使用：建立本镇数据"
  /// Where the town is kept, on the setup and login screens: a data folder's path, or a
  /// database's URL and town id (so not "数据文件夹", which a database is not).
  static func setupIntro(_ place: String) -> String { "数据位置：\(place)" }
  static let setupTownName = "镇（街道）名称"
  static let setupCounty = "所属县（市、区）"
  static let setupCountyCode = "县级区划代码"
  static let setupTownRequired = "请填写镇名称"
  static let setupCountyCodeInvalid = "区划代码应为6位数字，如 431224"
  static let setupTownHint = "例如：三江镇"
  static let setupCountyCodeHint = "身份证号前6位，可不填"
  static let setupSaved = "已建立本镇数据。"
  static let setupOperator = "操作员姓名"
  static let setupHelpSave = "保存"

  // Login
  static let loginTitle = "请确认操作员"
  static let loginOperator = "操作员姓名"
  static let loginOperatorRequired = "请填写操作员姓名：每次修改都记在操作员名下"
  static let loginOperatorHint = "Enter 确认；每次修改都记入审计日志"

  // Read-only and damaged files
  /// `reason` is `heldBy(...)` or `readOnlyFolder`.
  static func readOnly(_ reason: String) -> String { "只读：\(reason)" }
  static func heldBy(_ holder: String) -> String { "正被使用（\(holder)）" }
  static let revealNeedsAudit = "只读状态下不能显示完整的身份证号、电话和健康信息：查看须记入日志，而本程序现在不能写入"
  static let readOnlyFolder = "数据文件夹不可写（光盘、只读挂载或没有写权限），只能查看"
  static let readOnlyUnknown = "另一程序"
  static let readOnlyTag = "[只读]"
  static func damagedBanner(_ n: Int) -> String { "有 \(n) 个文件损坏，未载入且不会被覆盖。按 D 查看并从备份恢复" }
  static let damagedTitle = "损坏的文件（不会被覆盖）"
  static let damagedHelp = "Enter/r 从最新备份恢复所选文件   Esc 关闭"
  static func damagedBackup(_ date: String?) -> String {
    date.map { "可恢复自：\($0)" } ?? "日志和备份中都没有可用的副本"
  }
  static func noBackup(_ path: String) -> String { "\(path) 没有备份可恢复，请联系技术人员" }
  static let readOnlyCannotRestore = "只读状态下不能恢复文件"
  static let restoreTitle = "从备份恢复"
  static func restoreQuestion(_ path: String, _ source: String) -> String {
    "用\(source)替换损坏的 \(path)？\n损坏的内容会另存，不会删除。"
  }
  static func restored(_ path: String, _ date: String) -> String { "已用\(date)恢复 \(path)" }
  static let keyDamaged = "损坏文件"
  static let filesAllGood = "已与日志核对：没有缺失、损坏或在程序之外被改动的文件。"

  // Messages
  static let atTopLevel = "已在最上层。按 q 退出。"
  static let quitHint = "按 q 退出，F1 查看帮助"
  /// The form stays open with what was typed, so the screen (not the store) says so.
  static func saveFailed(_ message: String) -> String { "保存失败：\(message)。已填写的内容仍保留。" }

  // Help bar labels
  static let keyMove = "移动"
  static let keyOpen = "打开"
  static let keyBack = "返回"
  static let keySearch = "筛选"
  static let keyHelp = "帮助"
  static let keyQuit = "退出"
  static let keySections = "切换栏目"
  static let keyNextSection = "下一栏目"
  static let keyPrevSection = "上一栏目"
  static let keyReveal = "显示敏感信息"
  static let keyExit = "立即退出"
  static let keyPage = "翻页"
  static let keyFirstLast = "首/尾"
  static let keyNextField = "下一项"
  static let keyPrevField = "上一项"
  static let keyAccept = "确定"
  static let keyCancel = "取消"
  static let keyClear = "清除筛选"
}

/// The roster edit forms' text.
enum EditText {
  static let addVillage = "新增村（社区）"
  static let editVillage = "修改村（社区）"
  static let villageName = "村（社区）名称"
  static let liaison = "联络员（网格员）"
  static let liaisonPhone = "联络员电话"
  static let addGrid = "新增网格"
  static let editGrid = "修改网格"
  static let gridName = "网格名称"
  static let gridNameHint = "如 第3网格；每网格5-10户，最多15户"
  static let gridLeader = "网格长"
  static let gridLeaderHint = "左右键选择；网格长须是本网格住户"
  static let wechat = "微信群"
  static let volunteers = "志愿者"
  static let volunteersHint = "入党积极分子、志愿者姓名，用、分隔"
  static let addHousehold = "新增住户"
  static let editHousehold = "修改住户"
  static let number = "户号"
  static let address = "家庭住址"
  static let visitor = "走访人"
  static let addPerson = "新增家庭成员"
  static let editPerson = "修改家庭成员"
  static let personName = "姓名"
  static let relation = "与户主关系"
  static let idNumber = "身份证号"
  static let idNumberHint = "18位，末位可为X；性别按身份证号自动填"
  static let sex = "性别"
  static let sexFromID = "按身份证"
  static let phone = "联系电话"
  static let groups = "重点人群"
  static let groupsHint = "1孤寡 2独居 3留守儿童 4留守妇女 5精神障碍 6残疾 7五保，可多选如 2 6"
  static let groupsInvalid = "重点人群应为1-7的数字或名称，如 2 6 或 独居老人、残疾人"
  static let noneChosen = "（未指定）"
  static let moveTo = "移到网格"
  static let moveHint = "左右键选择目标网格"
  static func moveTitle(_ number: String) -> String { "移动住户 \(number) 到其他网格" }
  static let noOtherGrid = "没有其他网格可移入"
  static let saveKeys = "Ctrl-S 保存  Esc 放弃"
  static let deleteTitle = "删除"
  static func deleteVillage(_ name: String) -> String { "删除村（社区）「\(name)」？" }
  static func deleteGrid(_ name: String) -> String { "删除网格「\(name)」？" }
  static func archiveHousehold(_ number: String, _ head: String) -> String {
    "把户号 \(number)（户主 \(head)）移出花名册？\n档案移入 archive 文件夹保存，不会删除。"
  }
  static func deletePerson(_ name: String) -> String { "从本户删除 \(name)？" }
  static let saved = "已保存。"
  static let readOnlyNoEdit = "只读状态下不能修改"
  static let discardTitle = "放弃修改"
  static let discardQuestion = "已填写的内容尚未保存，确定放弃吗？"
  static let addVisitor = "新增走访人"
  static let editVisitor = "修改走访人"
  static let visitorName = "走访人姓名"
  static let visitorRole = "身份"
  static func assignTitle(_ grid: String) -> String { "指定「\(grid)」全部住户的走访人" }
  static let noVisitorsYet = "尚无走访人：请先在走访人名单(V)中新增"
  static let keyAssign = "指定走访人"
  static let keyAdd = "新增"
  static let keyEdit = "修改"
  static let keyDelete = "删除"
  static let keyMove = "移动"
}

/// Importing a roster spreadsheet from the app.
enum ImportText {
  static let pathField = "path"
  static func form() -> Form {
    Form(
      title: "导入花名册（Excel/WPS 的 .xlsx，或 CSV）",
      fields: [
        FormField(
          id: pathField, label: "文件路径", kind: .text(maxLength: 120), required: true,
          requiredMessage: "请填写要导入的文件路径",
          hint: "每人一行，表头：村（社区）、网格、网格长、户号、姓名、与户主关系、性别、身份证号、联系电话、家庭住址、重点人群")
      ])
  }
  static func unreadable(_ path: String) -> String { "读不到文件：\(path)" }
  static func rejected(_ rows: Int, _ file: String) -> String {
    "\(rows) 行有问题，全部未导入；改正后重新导入。文件：\(file)"
  }
  static func summary(
    file: String, villages: Int, grids: Int, households: Int, persons: Int, unchanged: Int
  ) -> String {
    "\(file)：新增 \(villages) 个村（社区）、\(grids) 个网格、\(households) 户、\(persons) 人"
      + (unchanged > 0 ? "（\(unchanged) 户已存在，跳过）" : "") + "。导入吗？"
  }
  static let confirmTitle = "导入花名册"
  static let columnProblem = "问题"
  static let reportClose = "Enter/Esc 关闭"
  static let keyImport = "导入花名册"
}
