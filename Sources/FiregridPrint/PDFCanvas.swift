import CPangoCairo
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Points per millimetre: a PDF surface measures in points (1/72 inch), paper in millimetres.
let pointsPerMM = 72.0 / 25.4

/// A page size in points.
struct PageSize: Equatable, Sendable {
  var width: Double
  var height: Double

  /// 105 × 148 mm
  static let a6 = PageSize(width: 105 * pointsPerMM, height: 148 * pointsPerMM)
  /// 210 × 297 mm
  static let a4 = PageSize(width: 210 * pointsPerMM, height: 297 * pointsPerMM)
  /// 297 × 210 mm
  static let a4Landscape = PageSize(width: 297 * pointsPerMM, height: 210 * pointsPerMM)
}

/// A font by role rather than by name: the names come from fontconfig through `family`.
struct Font: Hashable {
  enum Face: Hashable {
    /// 宋体-like, for running text and filled-in values.
    case serif
    /// 黑体-like, for titles, labels and numbers that must be read at a glance.
    case sans
  }

  var face: Face
  var size: Double
  var bold = false

  /// Families in order of preference; fontconfig picks the first installed one. Noto CJK SC
  /// (Debian fonts-noto-cjk) has both faces; WenQuanYi Micro Hei is the small fallback.
  var family: String {
    switch face {
    case .serif: return "Noto Serif CJK SC,Noto Sans CJK SC,WenQuanYi Micro Hei,serif"
    case .sans: return "Noto Sans CJK SC,WenQuanYi Micro Hei,sans-serif"
    }
  }

  static func serif(_ size: Double, bold: Bool = false) -> Font {
    Font(face: .serif, size: size, bold: bold)
  }
  static func sans(_ size: Double, bold: Bool = false) -> Font {
    Font(face: .sans, size: size, bold: bold)
  }
}

struct Color: Equatable {
  var red: Double
  var green: Double
  var blue: Double

  static let black = Color(red: 0, green: 0, blue: 0)
  static let gray = Color(red: 0.42, green: 0.42, blue: 0.42)
  /// The shading of label cells: light enough to stay legible on a mono laser printer.
  static let shade = Color(red: 0.92, green: 0.92, blue: 0.92)
  /// 公文 red for titles and 119: prints dark grey on a mono printer, which still reads.
  static let red = Color(red: 0.78, green: 0.06, blue: 0.06)
}

enum Alignment {
  case left
  case center
  case right

  var pango: Int32 {
    switch self {
    case .left: return Int32(fg_pango_align_left)
    case .center: return Int32(fg_pango_align_center)
    case .right: return Int32(fg_pango_align_right)
    }
  }
}

/// One PDF file being drawn: a Cairo PDF surface and the Pango layouts of its text. Cairo
/// subsets and embeds the fonts when the surface is finished. The bytes go to the file through
/// `PDFOutput`, not Cairo's own file stream, so a failed write is never missed and says why.
///
/// Text is laid out by `TextLayouts`, which keeps the layout of every text met on more than
/// one page (a card's labels, a notice's 13 points) and draws it again without shaping it.
///
/// Not Sendable: one canvas belongs to the one call of `PrintRenderer.render` that made it.
final class PDFCanvas {
  private let output: PDFOutput
  private let surface: OpaquePointer
  /// The page's context; a recording's while `fitted` records.
  private var cairo: OpaquePointer
  /// The layouts of the page's text, and of the recording's while `fitted` records: the two
  /// surfaces have different font options (the PDF's turn hinting off), so a text is laid
  /// out for each on its own.
  private let pageText: TextLayouts
  private var recordingText: TextLayouts?
  private var layouts: TextLayouts
  private var descriptions: [Font: OpaquePointer] = [:]
  private let path: String
  private(set) var pageCount = 0
  /// Where `translated` moved the origin, for `textLog`.
  private var origin = (x: 0.0, y: 0.0)
  /// Every text drawn, page by page, when asked for (`PrintFloor` replays them); nil otherwise.
  private(set) var textLog: [[PrintFloor.Run]]?

  init(path: String, size: PageSize, title: String) throws(PrintError) {
    self.path = path
    guard let output = PDFOutput(path: path) else {
      throw .cannotWrite(path: path, detail: PrintText.writeFailure(errno: errno))
    }
    self.output = output
    surface = cairo_pdf_surface_create_for_stream(
      PDFOutput.write, Unmanaged.passUnretained(output).toOpaque(), size.width, size.height)
    let status = cairo_surface_status(surface)
    guard status == CAIRO_STATUS_SUCCESS else {
      cairo_surface_destroy(surface)
      output.close()
      throw .cannotWrite(path: path, detail: Self.failure(status, errno: output.failure))
    }
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "消防网格 Firegrid")
    cairo = cairo_create(surface)
    pageText = TextLayouts(cairo: cairo)
    layouts = pageText
    // Without a Chinese font Pango draws hex boxes and says so only through this count.
    for font in [Font.serif(10), Font.sans(10, bold: true)] {
      let probe = layout(PrintText.cardsName + PrintText.noticesName, font: font, width: nil)
      guard pango_layout_get_unknown_glyphs_count(probe) == 0 else {
        close()
        throw .noChineseFont
      }
    }
  }

  /// Keeps a log of the text drawn from now on, for `PrintFloor`.
  func logText() { textLog = [[]] }

  deinit { close() }

  private var closed = false

  private func close() {
    guard !closed else { return }
    closed = true
    pageText.close()
    recordingText?.close()
    for description in descriptions.values { pango_font_description_free(description) }
    descriptions = [:]
    cairo_destroy(cairo)
    cairo_surface_destroy(surface)
    output.close()
  }

  /// Writes the fonts and closes the file.
  func finish() throws(PrintError) {
    cairo_surface_finish(surface)
    let status = cairo_surface_status(surface)
    close()
    guard status == CAIRO_STATUS_SUCCESS, output.failure == 0 else {
      throw .cannotWrite(path: path, detail: Self.failure(status, errno: output.failure))
    }
  }

  /// Cairo's status in the clerk's words; `code` is the errno of the failed write, if any.
  static func failure(_ status: cairo_status_t, errno code: Int32) -> String {
    if code != 0 { return PrintText.writeFailure(errno: code) }
    switch status {
    case CAIRO_STATUS_WRITE_ERROR: return PrintText.diskFullOrDenied
    case CAIRO_STATUS_FILE_NOT_FOUND: return PrintText.folderMissing
    case CAIRO_STATUS_NO_MEMORY: return PrintText.outOfMemory
    case CAIRO_STATUS_TEMP_FILE_ERROR: return PrintText.temporaryFileFailed
    case CAIRO_STATUS_READ_ERROR, CAIRO_STATUS_FREETYPE_ERROR, CAIRO_STATUS_FONT_TYPE_MISMATCH:
      return PrintText.fontFileFailed
    default: return PrintText.pdfFailed(String(cString: cairo_status_to_string(status)))
    }
  }

  /// The size of the page about to be drawn (before anything is drawn on it): a report mixes
  /// portrait and landscape sections in one file.
  func setPageSize(_ size: PageSize) {
    cairo_pdf_surface_set_size(surface, size.width, size.height)
  }

  func endPage() {
    cairo_show_page(cairo)
    pageCount += 1
    textLog?.append([])
  }

  /// Draws with the origin moved to (x, y): a card drawn at (0, 0) lands in its cell of a
  /// four-up sheet.
  func translated(x: Double, y: Double, _ draw: () -> Void) {
    cairo_save(cairo)
    cairo_translate(cairo, x, y)
    let saved = origin
    origin = (saved.x + x, saved.y + y)
    layouts.update(for: cairo)
    draw()
    origin = saved
    cairo_restore(cairo)
    layouts.update(for: cairo)
  }

  /// Draws a page's content, shrunk to fit when it runs past `bottom`: `draw` returns where
  /// it ended. The content is recorded first (an unbounded recording surface, so nothing
  /// below the page is lost), then painted onto the page scaled about its top centre; text
  /// stays text. A paper form with many items stays one sheet.
  func fitted(top: Double, bottom: Double, pageWidth: Double, _ draw: () -> Double) {
    let recording = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nil)
    let recorder = cairo_create(recording)!
    let page = cairo
    cairo = recorder
    if let recordingText {
      recordingText.update(for: recorder)
    } else {
      recordingText = TextLayouts(cairo: recorder)
    }
    layouts = recordingText!
    let end = draw()
    cairo = page
    layouts = pageText
    layouts.update(for: cairo)
    cairo_destroy(recorder)
    cairo_save(cairo)
    if end > bottom, bottom > top {
      let scale = (bottom - top) / (end - top)
      cairo_translate(cairo, pageWidth / 2, top)
      cairo_scale(cairo, scale, scale)
      cairo_translate(cairo, -pageWidth / 2, -top)
    }
    cairo_set_source_surface(cairo, recording, 0, 0)
    cairo_paint(cairo)
    cairo_restore(cairo)
    cairo_surface_destroy(recording)
  }

  // MARK: Text

  private func description(for font: Font) -> OpaquePointer {
    if let cached = descriptions[font] { return cached }
    let description = pango_font_description_new()!
    pango_font_description_set_family(description, font.family)
    pango_font_description_set_weight(
      description, Int32(font.bold ? fg_pango_weight_bold : fg_pango_weight_normal))
    // Absolute size: in device units, which are points on a PDF surface, so a 10-point font
    // is 10 points whatever resolution Pango assumes.
    pango_font_description_set_absolute_size(description, font.size * Double(fg_pango_scale))
    descriptions[font] = description
    return description
  }

  /// The layout of `text`, laid out: kept from an earlier call when the same text was drawn
  /// or measured before in the same font, width, alignment and spacing.
  private func layout(
    _ text: String, font: Font, width: Double?, alignment: Alignment = .left,
    lineSpacing: Double = 0
  ) -> OpaquePointer {
    let key = TextLayouts.Key(
      text: text, font: font,
      width: width.map { Int32($0 * Double(fg_pango_scale)) } ?? -1, alignment: alignment,
      spacing: Int32(lineSpacing * Double(fg_pango_scale)))
    return layouts.layout(for: key, page: pageCount) { description(for: font) }
  }

  /// The page's texts kept laid out from page to page: for tests.
  var keptTexts: [String] { pageText.keptTexts }

  /// The size text takes, wrapped to `width` when given. Alignment does not change the size;
  /// passing the one the text will be drawn with lets the drawing reuse this layout.
  func measure(
    _ text: String, font: Font, width: Double? = nil, alignment: Alignment = .left,
    lineSpacing: Double = 0
  ) -> (width: Double, height: Double) {
    let laidOut = layout(
      text, font: font, width: width, alignment: alignment, lineSpacing: lineSpacing)
    var w: Int32 = 0
    var h: Int32 = 0
    pango_layout_get_size(laidOut, &w, &h)
    return (Double(w) / Double(fg_pango_scale), Double(h) / Double(fg_pango_scale))
  }

  /// Draws text with its top-left at (x, y), wrapped to `width` when given; returns its height.
  @discardableResult
  func text(
    _ text: String, x: Double, y: Double, font: Font, width: Double? = nil,
    alignment: Alignment = .left, color: Color = .black, lineSpacing: Double = 0
  ) -> Double {
    let laidOut = layout(
      text, font: font, width: width, alignment: alignment, lineSpacing: lineSpacing)
    setColor(color)
    cairo_move_to(cairo, x, y)
    pango_cairo_show_layout(cairo, laidOut)
    if textLog != nil {
      textLog![textLog!.count - 1].append(
        PrintFloor.Run(
          text: text, x: origin.x + x, y: origin.y + y, font: font, width: width,
          alignment: alignment, color: color, lineSpacing: lineSpacing))
    }
    var w: Int32 = 0
    var h: Int32 = 0
    pango_layout_get_size(laidOut, &w, &h)
    return Double(h) / Double(fg_pango_scale)
  }

  // MARK: Lines and boxes

  private func setColor(_ color: Color) {
    cairo_set_source_rgb(cairo, color.red, color.green, color.blue)
  }

  func line(
    from start: (x: Double, y: Double), to end: (x: Double, y: Double), width: Double = 0.6,
    color: Color = .black, dash: [Double] = []
  ) {
    setColor(color)
    cairo_set_line_width(cairo, width)
    cairo_set_dash(cairo, dash, Int32(dash.count), 0)
    cairo_move_to(cairo, start.x, start.y)
    cairo_line_to(cairo, end.x, end.y)
    cairo_stroke(cairo)
    cairo_set_dash(cairo, nil, 0, 0)
  }

  func box(
    x: Double, y: Double, width: Double, height: Double, line lineWidth: Double = 0.6,
    color: Color = .black, fill: Color? = nil
  ) {
    cairo_rectangle(cairo, x, y, width, height)
    if let fill {
      setColor(fill)
      if lineWidth > 0 { cairo_fill_preserve(cairo) } else { cairo_fill(cairo) }
    }
    if lineWidth > 0 {
      setColor(color)
      cairo_set_line_width(cairo, lineWidth)
      cairo_stroke(cairo)
    }
  }

  /// A tick box of `size` points; a ticked one carries a hand-drawn-looking check mark
  /// (a glyph such as ✓ is missing from many CJK fonts).
  func checkbox(x: Double, y: Double, size: Double, ticked: Bool = false) {
    box(x: x, y: y, width: size, height: size, line: 0.6)
    guard ticked else { return }
    setColor(.black)
    cairo_set_line_width(cairo, size * 0.16)
    cairo_move_to(cairo, x + size * 0.18, y + size * 0.52)
    cairo_line_to(cairo, x + size * 0.42, y + size * 0.78)
    cairo_line_to(cairo, x + size * 0.86, y + size * 0.16)
    cairo_stroke(cairo)
  }

  /// Tick boxes with their labels in a row, e.g. □是 □否 □不适用; returns the width used.
  @discardableResult
  func choices(
    _ labels: [String], ticked: Int?, x: Double, y: Double, font: Font, gap: Double
  ) -> Double {
    let size = font.size * 0.95
    let lineHeight = measure("是", font: font).height
    var cursor = x
    for (index, label) in labels.enumerated() {
      checkbox(x: cursor, y: y + (lineHeight - size) / 2, size: size, ticked: ticked == index)
      cursor += size + font.size * 0.35
      text(label, x: cursor, y: y, font: font)
      cursor += measure(label, font: font).width + gap
    }
    return cursor - gap - x
  }
}

/// Where Cairo's PDF bytes go: the file, written through a buffer, with the errno of the first
/// write that failed. Cairo's own file stream ignores what fclose says, so a disk that filled
/// up on the last buffer went unnoticed (a one-page PDF to /dev/full "succeeded"), and it
/// keeps no errno to tell a full disk from a refused permission.
private final class PDFOutput {
  private var fd: Int32
  private var buffer: [UInt8] = []
  /// The errno of the first failed write or close; 0 while all is well.
  private(set) var failure: Int32 = 0
  private static let capacity = 1 << 16

  /// nil when the file cannot be created (errno says why).
  init?(path: String) {
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard fd >= 0 else { return nil }
    buffer.reserveCapacity(Self.capacity)
  }

  /// Cairo's write callback; `closure` is the unretained output.
  static let write: cairo_write_func_t = { closure, data, length in
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let output = Unmanaged<PDFOutput>.fromOpaque(closure).takeUnretainedValue()
    return output.append(data, Int(length)) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR
  }

  private func append(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    guard failure == 0 else { return false }
    if buffer.count + count > Self.capacity { flush() }
    if count >= Self.capacity {
      writeAll(bytes, count)
    } else {
      buffer.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }
    return failure == 0
  }

  private func flush() {
    guard failure == 0, !buffer.isEmpty else { return }
    buffer.withUnsafeBufferPointer { writeAll($0.baseAddress!, $0.count) }
    buffer.removeAll(keepingCapacity: true)
  }

  private func writeAll(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
    var done = 0
    while done < count, failure == 0 {
      let written = Glibc.write(fd, bytes + done, count - done)
      if written >= 0 {
        done += written
      } else if errno != EINTR {
        failure = errno
      }
    }
  }

  /// Writes what is buffered and closes the file (once); `failure` then tells whether every
  /// byte reached it.
  func close() {
    guard fd >= 0 else { return }
    flush()
    if Glibc.close(fd) != 0, failure == 0 { failure = errno }
    fd = -1
  }
}
