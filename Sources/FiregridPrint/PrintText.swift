import FiregridModel
import Foundation

/// The words printed around the data on cards, notices and forms, and the messages of
/// printing, in one place: a wording change is one edit. The documents' own content (the 13
/// points, the card's key points, the form's items) is data in `Resources/Data/notice.json`
/// and `Resources/Data/forms/`, not here.
public enum PrintText {
  // MARK: Field labels

  static let head = "户主"
  static let householdNumber = "户号"
  static let address = "家庭住址"
  static let village = "村（社区）"
  static let grid = "网格"
  static let gridLeader = "网格长"
  static let visitor = "走访人"
  static let liaison = "联络员"
  static let phone = "电话"
  static let contactPhone = "联系电话"
  static let notAssigned = "（未指定）"
  static func ambiguousHousehold(_ number: String, village: String, ids: [String]) -> String {
    "\(village)有 \(ids.count) 户的户号都是 \(number)（\(ids.joined(separator: "、"))）：请用户的编号指定，"
      + "并请 firegrid check 后更正重复的户号"
  }
  static func cardsWithoutRole(_ role: String, _ households: [String]) -> String {
    let shown = households.prefix(8).joined(separator: "、") + (households.count > 8 ? " 等" : "")
    return "注意：\(households.count) 张明白卡没有\(role)，将印为「未指定」（\(shown)）"
  }
  static let date = "日期"
  static let dateBlank = "年　　月　　日"
  static let headSignature = "户主签字"
  static let visitorSignature = "走访人签字"
  static let signedOnPaper = "（已在纸质表上签字）"
  static let notSigned = "（未签字）"
  static let personsMet = "见面人员"
  static let visitDate = "排查日期"
  static let round = "轮次"
  static let notes = "备注"
  static let hazardDescription = "隐患情况"
  static let deadline = "整改期限"
  static let recheck = "复查情况"
  static func reviewed(_ description: String, _ found: CivilDate) -> String {
    "复查：\(description)（\(found.monthDay) 发现）"
  }
  static func toReview(_ description: String, _ found: CivilDate) -> String {
    "待复查：\(description)（\(found.monthDay) 发现）"
  }
  static let hazardCheck = "检查项目"

  // MARK: Premises' forms

  static let premisesGrid = "所在网格"
  static let inspector = "检查人"
  static let inspectionDate = "检查日期"
  static let present = "在场人员"
  static let inspectorSignature = "检查人签字"
  static let responsibleSignature = "负责人签字"
  static let nobodySleeps = "无"
  static let somebodySleeps = "有"
  static let mixedUseMark = "多合一"
  /// 〔多合一〕, 〔餐饮、农家乐、多合一〕: an item asked only of these premises.
  static func onlyFor(_ kinds: [String]) -> String { "〔\(kinds.joined(separator: "、"))〕" }
  /// 多合一场所（商店）; 办公场所.
  static func premisesKind(_ kind: String, _ business: String?) -> String {
    business.map { "\(kind)（\($0)）" } ?? kind
  }
  /// What kind of paper form, in a title: 居民住房, 办公场所, 生产经营性场所.
  static func formSubject(_ subject: FormSubject) -> String {
    switch subject {
    case .household: return "居民住房"
    case .office: return PremisesKind.office.label
    case .business: return PremisesKind.business.label
    }
  }
  static let issuedBy = "制"

  static func townGovernment(_ town: String) -> String {
    town.isEmpty ? "镇人民政府" : "\(town)人民政府"
  }

  /// 一、二、… 十三、 for the notice's points.
  static func chineseOrdinal(_ number: Int) -> String {
    let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
    switch number {
    case 1...9: return digits[number]
    case 10: return "十"
    case 11...19: return "十" + digits[number - 10]
    case 20...99:
      return digits[number / 10] + "十" + (number % 10 == 0 ? "" : digits[number % 10])
    default: return "\(number)"
    }
  }

  static func point(_ number: Int) -> String { chineseOrdinal(number) + "、" }

  static func addressee(_ name: String) -> String { "\(name) 户主：" }

  static func civilDate(year: Int, month: Int, day: Int) -> String { "\(year)年\(month)月\(day)日" }

  /// The page footer of a batch: which household of how many, so a dropped stack can be
  /// put back in roster order.
  static func pageOf(_ page: Int, _ total: Int) -> String { "第 \(page) 页，共 \(total) 页" }

  /// The foot of a form printed from a saved visit: the paper original stays the record.
  static func filledFrom(_ visitID: String) -> String {
    "据走访记录 \(visitID) 打印；原件为入户填写、户主签字的纸质表。"
  }
  static func inspectedFrom(_ visitID: String) -> String {
    "据检查记录 \(visitID) 打印；原件为现场填写、负责人签字的纸质表。"
  }

  static func batchFooter(_ what: String, page: Int, of total: Int) -> String {
    "\(what)　\(pageOf(page, total))"
  }

  // MARK: Documents' names (PDF titles and suggested file names)

  static let cardsName = "明白卡"
  static let noticesName = "告知书"
  static let formsName = "排查表"
  static let blankFormsName = "空白排查表"
  static let filledFormName = "排查表存档"
  static let premisesFormsName = "场所排查表"
  /// 空白排查表, 空白排查表 办公场所.
  static func blankFormsName(_ subject: FormSubject) -> String {
    subject == .household ? blankFormsName : blankFormsName + " " + formSubject(subject)
  }

  // MARK: Messages

  static func unknownVillage(_ text: String, known: [String]) -> String {
    "没有找到村（社区）“\(text)”。" + listing("本镇的村（社区）", known)
  }
  static func unknownGrid(_ text: String, village: String, known: [String]) -> String {
    "\(village)没有“\(text)”。" + listing("\(village)的网格", known)
  }
  static func unknownHousehold(_ text: String, village: String) -> String {
    "\(village)没有户号为“\(text)”的户。户号是花名册上的编号，如 \(village)/0002。"
  }
  static func unknownID(_ text: String) -> String {
    "没有找到“\(text)”：请写村（社区）名，如 龙潭村；网格写 龙潭村/第1网格；一户写 龙潭村/0002。"
  }
  static func ambiguousVillage(_ text: String) -> String {
    "有不止一个村（社区）叫“\(text)”，请改用编号（firegrid summary 可查看）。"
  }
  static func badSelection(_ text: String, example: String) -> String {
    "“\(text)”的写法不对，请写成 \(example)，或写编号。"
  }
  static func unknownVisit(_ id: String) -> String {
    "没有找到走访记录“\(id)”。走访记录编号形如 h000001-v2（场所的检查记录形如 c00001-v1），"
      + "可在程序的敲门走访页查看。"
  }
  static func emptySelection(_ what: String) -> String { "\(what)没有户，没有可打印的内容。" }
  /// No premises (of the kind asked) in a grid or village.
  static func noPremises(_ what: String, _ kind: String?) -> String {
    "\(what)没有登记\(kind ?? "场所")，没有可打印的内容。"
  }
  static func unknownPremises(_ text: String, village: String, known: [String]) -> String {
    "\(village)没有名为“\(text)”的场所。" + listing("\(village)的场所", known)
  }
  static func ambiguousPremises(_ text: String, ids: [String]) -> String {
    "有 \(ids.count) 个场所都叫“\(text)”（\(ids.joined(separator: "、"))）：请写 村/场所名称，或用场所的编号。"
  }
  static func unknownPremisesID(_ id: String) -> String { "没有找到场所“\(id)”（可能已从名册移除）。" }
  /// Cards, notices and the household's file asked for a premises.
  static func notForPremises(_ what: String) -> String {
    "\(what)是场所：明白卡、告知书和户档案是给居民户的，场所请打印它的排查表。"
  }
  static func premisesFormsForHousehold(_ what: String) -> String {
    "\(what)是居民户：场所的排查表按场所打印（一个场所，或一个网格、一个村的全部场所）。"
  }
  /// A premises asked for on the other premises form.
  static func wrongForm(_ what: String, _ kind: String, _ asked: String) -> String {
    "\(what)是\(kind)，不用\(asked)消防安全排查表。"
  }
  static let householdFormForPremises = "居民住房排查表是给居民户的；场所的排查表按场所打印，各用各的表。"
  static func noFormFor(_ subject: FormSubject) -> String {
    "没有\(formSubject(subject))消防安全排查表的定义"
  }
  static func badCopies(_ copies: Int) -> String { "份数应在 1 到 1000 之间（现为 \(copies)）。" }
  static let noChineseFont =
    "没有找到中文字体，打印出来会是方框。请安装中文字体（Debian: apt-get install fonts-noto-cjk）。"
  static func cannotWrite(_ path: String, _ detail: String) -> String {
    "无法写入 PDF 文件 \(path)：\(detail)"
  }

  // Why a PDF could not be written (the detail of `cannotWrite`), in words a clerk can act on
  // rather than the library's English.
  static let diskFull = "磁盘已满，请清理磁盘后重试，或换一个保存位置。"
  static let permissionDenied = "没有写入权限，请换一个保存位置（如自己的主文件夹），或请管理员开放权限。"
  static let readOnlyDisk = "磁盘是只读的（如写保护的U盘），请换一个保存位置。"
  static let folderMissing = "文件夹不存在，请先建好文件夹，或换一个保存位置。"
  static let badPath = "文件路径不对（路径中有一段不是文件夹、名字太长，或已有同名的文件夹），请换一个文件名。"
  static let diskError = "磁盘读写出错（U盘可能已拔出或损坏），请换一个保存位置。"
  static let diskFullOrDenied = "磁盘已满或没有写入权限，请检查保存位置后重试。"
  static let outOfMemory = "内存不足，请关闭其他程序后重试，或分批打印（如一次一个网格）。"
  static let temporaryFileFailed = "无法写入临时文件：临时文件夹（/tmp）已满或没有写入权限。"
  static let fontFileFailed = "读取字体文件出错，请重新安装中文字体（Debian: apt-get install fonts-noto-cjk）。"
  /// Anything else Cairo reports: a fault of this program, kept in Cairo's words for whoever
  /// looks into it.
  static func pdfFailed(_ technical: String) -> String { "生成 PDF 时出错（技术信息：cairo \(technical)）" }

  /// A failed open, write or rename by its errno.
  static func writeFailure(errno code: Int32) -> String {
    switch code {
    case ENOSPC, EDQUOT, EFBIG: return diskFull
    case EACCES, EPERM: return permissionDenied
    case EROFS: return readOnlyDisk
    case ENOENT: return folderMissing
    case ENOTDIR, ENAMETOOLONG, EISDIR, EINVAL: return badPath
    case EIO: return diskError
    default: return diskFullOrDenied
    }
  }

  static func badTextsFile(_ name: String, _ detail: String) -> String {
    "资源文件 \(name) 无法使用：\(detail)"
  }
  static let noResidentialForm = "没有居民住房消防安全排查表（附件6）的定义"
  /// A saved visit entered with a form this program does not have.
  static func unknownForm(_ visitID: String, _ formID: String) -> String {
    "走访记录“\(visitID)”所用的走访表（\(formID)）本程序没有：可能是更新版本的程序录入的，"
      + "或其定义文件已被删除。为免套用别的表，没有打印。"
  }
  static func unknownTextsVersion(_ name: String, _ version: Int) -> String {
    "资源文件 \(name) 的版本 \(version) 是更新的程序写的，本程序不认识，请升级消防网格。"
  }

  // MARK: CUPS

  static let lpMissing =
    "本机没有安装打印系统（找不到 lp 命令）。请安装 CUPS（Debian: apt-get install cups-client），或把 PDF 文件拷到能打印的电脑上。"
  static func printerNotFound(_ name: String, available: [String]) -> String {
    "没有名为“\(name)”的打印机。"
      + (available.isEmpty ? "本机还没有添加任何打印机。" : "可用的打印机：\(available.joined(separator: "、"))。")
  }
  static let cupsNotRunning = "打印服务（CUPS）没有运行或连不上。请启动打印服务，或把 PDF 文件拷到能打印的电脑上。"
  static func printerRefused(_ name: String) -> String {
    "打印机“\(name)”已暂停或不接受任务，请在打印机管理中恢复它。"
  }
  static func printFailed(_ detail: String) -> String { "打印失败：\(detail)" }

  private static func listing(_ what: String, _ names: [String]) -> String {
    guard !names.isEmpty else { return "\(what)：一个也没有。" }
    let shown = names.prefix(12).joined(separator: "、")
    return "\(what)有：\(shown)\(names.count > 12 ? " 等 \(names.count) 个" : "")。"
  }
}

// MARK: Reports and the household's file

extension PrintText {
  static func reportPage(_ page: Int, _ count: Int) -> String { "第 \(page) 页 共 \(count) 页" }
  static func continued(_ name: String) -> String { "\(name)（续）" }
  static func target(_ percent: Int) -> String { "目标 \(percent)%" }
  static func targetValue(_ value: String) -> String { "目标 \(value)" }
  static let emptyReport = "报表里没有表格，没有可打印的内容"

  static let historyName = "户档案"
  static func historyTitle(_ label: String) -> String { "\(label) 户档案" }
  static func historyHousehold(_ head: String, _ address: String, _ persons: Int) -> String {
    "户主：\(head)　　家庭住址：\(address)　　人数：\(persons)"
  }
  static func historyPeople(_ visitor: String, _ leader: String, _ liaison: String) -> String {
    "走访人：\(visitor)　　网格长：\(leader)　　联络员：\(liaison)"
  }
  static let historyMembers = "家庭成员（身份证号、电话已遮盖）"
  static let memberName = "姓名"
  static let memberRelation = "与户主关系"
  static let memberSex = "性别"
  static let memberID = "身份证号"
  static let historyNoVisits = "本户还没有走访记录。"
  static func historyAnswers(_ campaign: String) -> String { "\(campaign) 各次走访情况" }
  static let historyItem = "排查项目"
  static func historyVisits(_ campaign: String) -> String { "\(campaign) 走访记录" }
  static let visitID = "记录号"
  static let formVersion = "表版本"
  static let signature = "户主签字"
  static let signed = "已签"
  static let unsigned = "未签"
  static func standIn(_ visitor: String, for responsible: String) -> String {
    "\(visitor)（代\(responsible)）"
  }
  static let historyHazards = "隐患及整改经过"
  static let historyNoHazards = "本户没有登记隐患。"
  static let hazardItem = "项目"
  static let hazardFound = "发现日期"
  static let hazardDeadline = "整改期限"
  static let hazardStatus = "现状"
  static let hazardEvents = "经过"
  static func hazardClosed(_ date: CivilDate) -> String { "已销号 \(date)" }
  static let hazardOpen = "未销号"
  static func formMissing(_ formID: String) -> String { "（走访表 \(formID) 未载入，答案未列出）" }
  static func formVersionLabel(_ version: Int) -> String { "第\(version)版" }

  /// 是/否, 无/有, 已做/未做, 不适用 as a short mark in the answer grid.
  static func shortAnswer(_ answer: Answer, _ kind: VisitForm.SectionKind) -> String {
    switch (answer, kind) {
    case (.notApplicable, _): return "－"
    case (.yes, .check): return "是"
    case (.no, .check): return "否"
    case (.yes, .hazard): return "无"
    case (.no, .hazard): return "有"
    case (.yes, .action): return "已做"
    case (.no, .action): return "未做"
    default: return answer.rawValue
    }
  }
}
