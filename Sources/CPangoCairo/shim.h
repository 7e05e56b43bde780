// The C entry point of FiregridPrint: Cairo (PDF surface, lines, rectangles) and the few
// Pango calls that lay out Chinese text on it.
//
// Why Pango is declared here rather than included: <pango/pangocairo.h> pulls in GLib,
// whose headers need -I paths (one of them architecture-specific) that only pkg-config
// knows, and pangocairo.pc also adds -pthread, which SwiftPM rejects with a warning. Cairo's
// own headers need no search path, so they are included as they are. The declarations below
// copy the stable Pango 1.x ABI (Debian: libpango1.0-dev): opaque pointers, C ints for the
// enums, sizes in Pango units (1/1024 of a point on a PDF surface).
#ifndef FIREGRID_CPANGOCAIRO_SHIM_H
#define FIREGRID_CPANGOCAIRO_SHIM_H

#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>

typedef struct _PangoLayout PangoLayout;
typedef struct _PangoContext PangoContext;
typedef struct _PangoFontDescription PangoFontDescription;

// PANGO_SCALE: Pango units per device unit.
static const int fg_pango_scale = 1024;

// PangoAlignment
static const int fg_pango_align_left = 0;
static const int fg_pango_align_center = 1;
static const int fg_pango_align_right = 2;

// PangoWrapMode: PANGO_WRAP_WORD_CHAR breaks between words, and inside a word (a long
// number or a run of Latin letters) only when it does not fit on a line by itself.
static const int fg_pango_wrap_word_char = 2;

// PangoWeight
static const int fg_pango_weight_normal = 400;
static const int fg_pango_weight_bold = 700;

PangoLayout *pango_cairo_create_layout(cairo_t *cr);
PangoContext *pango_cairo_create_context(cairo_t *cr);
void pango_cairo_update_context(cairo_t *cr, PangoContext *context);
void pango_cairo_show_layout(cairo_t *cr, PangoLayout *layout);

// FiregridPrint's TextLayouts keeps layouts across calls and tells them when their context
// changed.
PangoLayout *pango_layout_new(PangoContext *context);
void pango_layout_context_changed(PangoLayout *layout);

void pango_layout_set_text(PangoLayout *layout, const char *text, int length);
void pango_layout_set_font_description(PangoLayout *layout, const PangoFontDescription *desc);
void pango_layout_set_width(PangoLayout *layout, int width);
void pango_layout_set_wrap(PangoLayout *layout, int wrap);
void pango_layout_set_alignment(PangoLayout *layout, int alignment);
void pango_layout_set_spacing(PangoLayout *layout, int spacing);
void pango_layout_set_indent(PangoLayout *layout, int indent);
void pango_layout_get_size(PangoLayout *layout, int *width, int *height);
int pango_layout_get_baseline(PangoLayout *layout);
int pango_layout_get_line_count(PangoLayout *layout);
int pango_layout_get_unknown_glyphs_count(PangoLayout *layout);

PangoFontDescription *pango_font_description_new(void);
void pango_font_description_set_family(PangoFontDescription *desc, const char *family);
void pango_font_description_set_weight(PangoFontDescription *desc, int weight);
void pango_font_description_set_absolute_size(PangoFontDescription *desc, double size);
void pango_font_description_free(PangoFontDescription *desc);

void g_object_unref(void *object);

#endif
