/*
 * render.c — evidence images: a region of a page rendered to PNG with the
 * boxes of the figures in question outlined.
 *
 * The region is given in page points (origin top-left, as displayed) and
 * is clipped to the page; the image is `scale` pixels per point.  Outlines
 * are drawn in red over the rendered page.  Rendering uses poppler's cairo
 * backend; nothing here parses or interprets the page.
 */
#include "extract/extract.h"
#include "extract/extract_int.h"

#include <cairo.h>
#include <poppler.h>

#define MAX_IMAGE_SIDE 4000 /* pixels: evidence crops, not posters */

static bp_box clip_to_page(bp_box r, double width, double height)
{
    if (r.x0 < 0) r.x0 = 0;
    if (r.y0 < 0) r.y0 = 0;
    if (r.x1 > width) r.x1 = width;
    if (r.y1 > height) r.y1 = height;
    return r;
}

bp_status bp_pdf_render_region_png(bp_pdf *pdf, int number, bp_box region,
                                   const bp_box *outlines, size_t n_outlines,
                                   double scale, const char *png_path, bp_error *err)
{
    PopplerPage *page = bp_pdf_poppler_page(pdf, number);
    if (page == NULL)
        return bp_error_set(err, BP_ERR_USAGE, number, "%s: no page %d", bp_pdf_name(pdf),
                            number);
    double width, height;
    poppler_page_get_size(page, &width, &height);
    region = clip_to_page(region, width, height);
    double w = (region.x1 - region.x0) * scale, h = (region.y1 - region.y0) * scale;
    if (w < 1 || h < 1 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE) {
        g_object_unref(page);
        return bp_error_set(err, BP_ERR_LIMIT, number,
                            "%s: page %d: evidence region of %.0fx%.0f px is out of range",
                            bp_pdf_name(pdf), number, w, h);
    }
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w + 0.5), (int)(h + 0.5));
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_translate(cr, -region.x0, -region.y0);
    poppler_page_render(page, cr);

    cairo_set_source_rgba(cr, 0.85, 0.1, 0.1, 0.9);
    cairo_set_line_width(cr, 1.5 / scale);
    for (size_t i = 0; i < n_outlines; i++) {
        bp_box b = outlines[i];
        cairo_rectangle(cr, b.x0 - 1.5, b.y0 - 1.5, b.x1 - b.x0 + 3, b.y1 - b.y0 + 3);
        cairo_stroke(cr);
    }
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    cairo_status_t status = cairo_surface_write_to_png(surface, png_path);
    cairo_surface_destroy(surface);
    g_object_unref(page);
    if (status != CAIRO_STATUS_SUCCESS)
        return bp_error_set(err, BP_ERR_IO, number, "%s: cannot write (%s)", png_path,
                            cairo_status_to_string(status));
    return BP_OK;
}
