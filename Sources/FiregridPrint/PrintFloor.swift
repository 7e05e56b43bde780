import CPangoCairo
import FiregridModel
import Foundation

/// The floor that rendering a document is measured against (firegrid-bench): the same text at
/// the same places, drawn straight through Pango and Cairo with the fewest calls — one
/// PangoLayout a page, set to each text in turn and shown — on a PDF surface writing to a file,
/// and nothing else (no frames, lines or boxes, no layout kept from page to page).
///
/// `init` renders the document once, unmeasured, to learn its text; `render` is what is timed.
/// Forms shrunk to fit their page (`PDFCanvas.fitted`) are replayed unshrunk.
public struct PrintFloor: Sendable {
  /// One text as the document drew it, with its top-left on the page.
  struct Run: Sendable {
    var text: String
    var x: Double
    var y: Double
    var font: Font
    var width: Double?
    var alignment: Alignment
    var color: Color
    var lineSpacing: Double
  }

  let size: PageSize
  let pages: [[Run]]

  public var pageCount: Int { pages.count }

  /// Learns the text of `request` by rendering it to /dev/null.
  public init(_ request: PrintRequest, town: TownData, content: PrintContent) throws(PrintError) {
    let plan = try PrintRenderer.plan(request, town: town, content: content)
    let canvas = try PDFCanvas(path: "/dev/null", size: plan.size, title: "")
    canvas.logText()
    plan.draw(canvas)
    try canvas.finish()
    size = plan.size
    // The log opens a page after the last one ended.
    pages = Array((canvas.textLog ?? []).dropLast())
  }

  /// Draws the text to a PDF at `url`; returns the pages written.
  @discardableResult
  public func render(to url: URL) throws(PrintError) -> Int {
    let surface = cairo_pdf_surface_create(url.path, size.width, size.height)!
    let cairo = cairo_create(surface)!
    var descriptions: [Font: OpaquePointer] = [:]
    for font in Set(pages.joined().map(\.font)) {
      let description = pango_font_description_new()!
      pango_font_description_set_family(description, font.family)
      pango_font_description_set_weight(
        description, Int32(font.bold ? fg_pango_weight_bold : fg_pango_weight_normal))
      pango_font_description_set_absolute_size(description, font.size * Double(fg_pango_scale))
      descriptions[font] = description
    }
    for page in pages {
      let layout = pango_cairo_create_layout(cairo)!
      pango_layout_set_wrap(layout, Int32(fg_pango_wrap_word_char))
      for run in page {
        pango_layout_set_font_description(layout, descriptions[run.font])
        pango_layout_set_width(layout, run.width.map { Int32($0 * Double(fg_pango_scale)) } ?? -1)
        pango_layout_set_alignment(layout, run.alignment.pango)
        pango_layout_set_spacing(layout, Int32(run.lineSpacing * Double(fg_pango_scale)))
        pango_layout_set_text(layout, run.text, -1)
        cairo_set_source_rgb(cairo, run.color.red, run.color.green, run.color.blue)
        cairo_move_to(cairo, run.x, run.y)
        pango_cairo_show_layout(cairo, layout)
      }
      g_object_unref(UnsafeMutableRawPointer(layout))
      cairo_show_page(cairo)
    }
    cairo_destroy(cairo)
    cairo_surface_finish(surface)
    let status = cairo_surface_status(surface)
    cairo_surface_destroy(surface)
    for description in descriptions.values { pango_font_description_free(description) }
    guard status == CAIRO_STATUS_SUCCESS else {
      throw .cannotWrite(path: url.path, detail: PDFCanvas.failure(status, errno: 0))
    }
    return pages.count
  }
}
