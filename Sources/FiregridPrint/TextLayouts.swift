import CPangoCairo

/// The Pango side of one Cairo target (a PDF page, or the recording a fitted form is drawn on
/// first): its context and the layouts of its text, kept laid out for as long as they serve.
///
/// Why: shaping was most of the cost of a page (pango_shape_item and HarfBuzz were half the
/// instructions of 1,000 cards), and most of a batch's text is the same on every page — a
/// card's labels, 三清三关 and key points, a notice's 13 points, a form's items — while a
/// layout set to the same text again is shaped again (pango_layout_set_text always starts
/// over). So:
/// - the last `recentCount` texts keep their layouts: measuring a text and then drawing it,
///   or measuring a table row's cells and then drawing them, lays each out once;
/// - a text met again on a later page is kept for good (up to `keptLimit`) and drawn from then
///   on without shaping. Text of one page only (a name, an address) is never kept.
///
/// Not Sendable: it belongs to the one `PDFCanvas` that made it.
final class TextLayouts {
  /// Everything that decides how a text is laid out, hashed once (over the text's UTF-8
  /// bytes: Swift's own String hashing normalizes Chinese text first, which showed up in the
  /// profile) and compared byte for byte.
  struct Key: Hashable {
    let text: String
    let font: Font
    /// Pango units; -1 when not wrapped.
    let width: Int32
    let alignment: Alignment
    /// Pango units.
    let spacing: Int32
    private let hash: Int

    init(text: String, font: Font, width: Int32, alignment: Alignment, spacing: Int32) {
      self.text = text
      self.font = font
      self.width = width
      self.alignment = alignment
      self.spacing = spacing
      var hasher = Hasher()
      var text = text
      text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
      hasher.combine(font)
      hasher.combine(width)
      hasher.combine(alignment)
      hasher.combine(spacing)
      hash = hasher.finalize()
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (a: Key, b: Key) -> Bool {
      a.hash == b.hash && a.width == b.width && a.spacing == b.spacing
        && a.alignment == b.alignment && a.font == b.font
        && a.text.utf8.count == b.text.utf8.count && a.text.utf8.elementsEqual(b.text.utf8)
    }
  }

  /// Layouts of the last texts met, reused in turn: as many as the widest table row has cells.
  static let recentCount = 16
  /// Bounds on what is remembered, so that a 10,000-row report of mostly different cells does
  /// not keep them all: past them everything is dropped and kept again as it recurs. A batch's
  /// recurring text is far less (about 60 on a card; the grid leaders, visitors and their
  /// phones of a town, a few hundred).
  static let keptLimit = 1_024
  static let firstSeenLimit = 8_192

  private let context: OpaquePointer
  private var recent: [(key: Key?, layout: OpaquePointer)] = []
  private var nextRecent = 0
  private var kept: [Key: OpaquePointer] = [:]
  /// The page each text not kept was first laid out on.
  private var firstSeen: [Key: Int] = [:]
  /// What the context was last set from: see `update`.
  private var target: Target
  private var closed = false

  init(cairo: OpaquePointer) {
    context = pango_cairo_create_context(cairo)
    target = Target(cairo)
    for _ in 0..<Self.recentCount { recent.append((nil, Self.newLayout(context))) }
  }

  private static func newLayout(_ context: OpaquePointer) -> OpaquePointer {
    let layout = pango_layout_new(context)!
    pango_layout_set_wrap(layout, Int32(fg_pango_wrap_word_char))
    return layout
  }

  /// Follows the Cairo context's font options and transformation: when they change, what was
  /// laid out is laid out again. They are compared here, because pango_cairo_update_context
  /// marks its context changed on every call (it sets the matrix again), which would lay
  /// everything out again after each `translated` card of a four-up sheet and each `fitted` form.
  func update(for cairo: OpaquePointer) {
    let now = Target(cairo)
    guard now != target else { return }
    target = now
    pango_cairo_update_context(cairo, context)
    dropKept()
    for index in recent.indices {
      recent[index].key = nil
      pango_layout_context_changed(recent[index].layout)
    }
  }

  /// What pango_cairo_update_context reads from a Cairo context: the target surface's font
  /// options, the context's own, and its matrix less the translation (which Pango ignores).
  private struct Target: Equatable {
    var surfaceOptions: FontOptions
    var options: FontOptions
    var matrix: [Double]

    init(_ cairo: OpaquePointer) {
      surfaceOptions = FontOptions()
      cairo_surface_get_font_options(cairo_get_target(cairo), surfaceOptions.options)
      options = FontOptions()
      cairo_get_font_options(cairo, options.options)
      var m = cairo_matrix_t()
      cairo_get_matrix(cairo, &m)
      matrix = [m.xx, m.yx, m.xy, m.yy]
    }
  }

  /// cairo_font_options_t, compared with cairo_font_options_equal.
  private final class FontOptions: Equatable {
    let options: OpaquePointer
    init() { options = cairo_font_options_create() }
    deinit { cairo_font_options_destroy(options) }
    static func == (a: FontOptions, b: FontOptions) -> Bool {
      cairo_font_options_equal(a.options, b.options) != 0
    }
  }

  /// The layout of `key` on page `page` (counted from 0), laid out on first use of its size or
  /// drawing; `description` gives the font's Pango description when the text has to be set.
  func layout(for key: Key, page: Int, description: () -> OpaquePointer) -> OpaquePointer {
    if let layout = kept[key] { return layout }
    if let index = recent.firstIndex(where: { $0.key == key }) { return recent[index].layout }
    let first = firstSeen[key]
    if let first, first < page {
      firstSeen[key] = nil
      if kept.count >= Self.keptLimit { dropKept() }
      let layout = Self.newLayout(context)
      set(key, on: layout, description: description())
      kept[key] = layout
      return layout
    }
    if first == nil {
      if firstSeen.count >= Self.firstSeenLimit { firstSeen.removeAll(keepingCapacity: true) }
      firstSeen[key] = page
    }
    let index = nextRecent
    nextRecent = (nextRecent + 1) % Self.recentCount
    recent[index].key = key
    set(key, on: recent[index].layout, description: description())
    return recent[index].layout
  }

  /// The texts kept for good, in order: for tests.
  var keptTexts: [String] { kept.keys.map(\.text).sorted() }

  private func set(_ key: Key, on layout: OpaquePointer, description: OpaquePointer) {
    pango_layout_set_font_description(layout, description)
    pango_layout_set_width(layout, key.width)
    pango_layout_set_alignment(layout, key.alignment.pango)
    pango_layout_set_spacing(layout, key.spacing)
    pango_layout_set_text(layout, key.text, -1)
  }

  private func dropKept() {
    for layout in kept.values { g_object_unref(UnsafeMutableRawPointer(layout)) }
    kept.removeAll(keepingCapacity: true)
  }

  func close() {
    guard !closed else { return }
    closed = true
    dropKept()
    firstSeen = [:]
    for entry in recent { g_object_unref(UnsafeMutableRawPointer(entry.layout)) }
    recent = []
    g_object_unref(UnsafeMutableRawPointer(context))
  }

  deinit { close() }
}
