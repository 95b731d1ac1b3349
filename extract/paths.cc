/*
 * paths.cc — what a page's vector graphics paint, and where: the straight
 * strokes and filled rectangles of its content streams (and of the forms
 * they draw), read with qpdf instead of rendering the page.
 *
 * The interpretation is the part of the PDF imaging model that decides
 * where lines land: the graphics state stack (q Q cm w gs), path
 * construction (m l c v y h re), painting (S s f F f* B B* b b* n), rect
 * clipping (W W*, a form's /BBox), colour as dark or light (the operators
 * of the device, ICC, separation and pattern spaces), and form XObjects
 * (Do, nested to MAX_FORM_DEPTH, cycles refused).  Text, shadings and
 * images paint nothing here, except that an image drawn over a large part
 * of the page is reported, for a scan's ruled table is only in its pixels.
 *
 * Output coordinates are page points as displayed (origin top-left, crop
 * box, /Rotate applied), the frame poppler gives text boxes in.  This file
 * is C++ only because qpdf is; its interface (extract_int.h) is C, and no
 * exception crosses it.
 */
#include "extract/extract_int.h"

#define POINTERHOLDER_TRANSITION 4 /* qpdf: no PointerHolder, std::shared_ptr only */
#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFLogger.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

const int MAX_FORM_DEPTH = 12;
const size_t MAX_OPERATORS = 4000000; /* per page, forms included */
const size_t MAX_OPERANDS = 16;
const double DARK_LUMINANCE = 170.0 / 255.0; /* below: ink, as rules.c reads pixels */
const double AXIS_TOLERANCE = 0.5;           /* points a straight line may lean */
const double HAIRLINE = 0.5;                  /* thickness of a 0-width stroke */
const double PICTURE_SHARE = 0.25;            /* of the page area: a large image */
const double THIN_FILL = 3.0;                 /* points: a filled shape this thin is a line */

struct matrix {
    double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;
};

/* m × n in PDF's row-vector convention: first m, then n. */
matrix multiply(const matrix &m, const matrix &n)
{
    matrix r;
    r.a = m.a * n.a + m.b * n.c;
    r.b = m.a * n.b + m.b * n.d;
    r.c = m.c * n.a + m.d * n.c;
    r.d = m.c * n.b + m.d * n.d;
    r.e = m.e * n.a + m.f * n.c + n.e;
    r.f = m.e * n.b + m.f * n.d + n.f;
    return r;
}

struct point {
    double x, y;
};

point apply(const matrix &m, double x, double y)
{
    return {m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f};
}

enum space_kind { SPACE_GRAY, SPACE_RGB, SPACE_CMYK, SPACE_LAB, SPACE_TINT, SPACE_OPAQUE };

/* A colour as the rules scan sees it: how dark, and whether it paints. */
struct paint {
    space_kind space = SPACE_GRAY;
    double luminance = 0; /* 0 black .. 1 white */
    double alpha = 1;
};

struct gstate {
    matrix ctm;
    double line_width = 1;
    paint stroke, fill;
    bp_box clip;
};

/* What an /ExtGState entry sets that matters here (NAN: not set). */
struct ext_values {
    double line_width = NAN, stroke_alpha = NAN, fill_alpha = NAN;
};

struct vertex {
    point at;
    bool curved; /* the segment ending here is a curve */
};

struct subpath {
    size_t first; /* its first vertex */
    bool closed = false;
    bool rect = false; /* from re */
};

/* The path under construction: every subpath's vertices in one array (a
 * subpath's run to the next one's first), so that building a path
 * allocates nothing once the arrays have grown. */
struct path {
    std::vector<vertex> vertices;
    std::vector<subpath> subpaths;

    void start(point at)
    {
        subpaths.push_back({vertices.size()});
        vertices.push_back({at, false});
    }
    size_t end_of(size_t k) const
    {
        return k + 1 < subpaths.size() ? subpaths[k + 1].first : vertices.size();
    }
    void clear()
    {
        vertices.clear();
        subpaths.clear();
    }
};

double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

double luminance_rgb(double r, double g, double b)
{
    return 0.299 * clamp01(r) + 0.587 * clamp01(g) + 0.114 * clamp01(b);
}

/* Luminance of colour components in a space (n operands in v). */
double luminance_of(space_kind space, const double *v, size_t n)
{
    switch (space) {
    case SPACE_GRAY:
        return n >= 1 ? clamp01(v[0]) : 0;
    case SPACE_RGB:
        return n >= 3 ? luminance_rgb(v[0], v[1], v[2]) : 0;
    case SPACE_CMYK:
        if (n < 4)
            return 0;
        return luminance_rgb((1 - clamp01(v[0])) * (1 - clamp01(v[3])),
                             (1 - clamp01(v[1])) * (1 - clamp01(v[3])),
                             (1 - clamp01(v[2])) * (1 - clamp01(v[3])));
    case SPACE_LAB:
        return n >= 1 ? clamp01(v[0] / 100.0) : 0;
    case SPACE_TINT: { /* separation / DeviceN: the strongest tint as ink */
        double t = 0;
        for (size_t i = 0; i < n; i++)
            t = std::max(t, clamp01(v[i]));
        return 1 - t;
    }
    case SPACE_OPAQUE: /* indexed, pattern: cannot tell, count as ink */
        return 0;
    }
    return 0;
}

int hex_value(unsigned char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Whether p paints dark enough to be seen as ink (its alpha over white). */
bool is_ink(const paint &p)
{
    return p.alpha > 0 && 1 - p.alpha * (1 - p.luminance) < DARK_LUMINANCE;
}

bp_box empty_box()
{
    return {0, 0, -1, -1};
}

bool box_is_empty(const bp_box &b)
{
    return b.x1 < b.x0 || b.y1 < b.y0;
}

/* Grows b (empty_box() to begin with) to hold p. */
void extend(bp_box &b, const point &p)
{
    if (box_is_empty(b)) {
        b = {p.x, p.y, p.x, p.y};
        return;
    }
    b.x0 = std::min(b.x0, p.x);
    b.y0 = std::min(b.y0, p.y);
    b.x1 = std::max(b.x1, p.x);
    b.y1 = std::max(b.y1, p.y);
}

/* The bounding box of the unit square's (or any rectangle's) corners
 * under m: where an image, or a form's /BBox, lands. */
bp_box rect_bounds(const matrix &m, double x0, double y0, double x1, double y1)
{
    bp_box b = empty_box();
    for (const point &p : {apply(m, x0, y0), apply(m, x1, y0), apply(m, x0, y1), apply(m, x1, y1)})
        extend(b, p);
    return b;
}

bp_box intersect(const bp_box &a, const bp_box &b)
{
    bp_box r = {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1),
                std::min(a.y1, b.y1)};
    return r;
}

/* PDF's three classes of bytes (§7.2.2), looked up per byte; the NUL
 * byte (white space, and what follows the last byte of a content stream)
 * and the regular bytes that may start a number are told apart. */
enum byte_class : unsigned char { SPACE, NUL, DELIMITER, NUMERIC, REGULAR };

struct byte_classes {
    byte_class of[256];
    constexpr byte_classes() : of()
    {
        for (int c = 0; c < 256; c++)
            of[c] = REGULAR;
        for (unsigned char c : {' ', '\n', '\r', '\t', '\f'})
            of[c] = SPACE;
        of[0] = NUL;
        for (unsigned char c : {'(', ')', '<', '>', '[', ']', '{', '}', '/', '%'})
            of[c] = DELIMITER;
        for (unsigned char c : {'+', '-', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'})
            of[c] = NUMERIC;
    }
};

constexpr byte_classes BYTES;

bool is_space(unsigned char c)
{
    return BYTES.of[c] <= NUL;
}

bool is_regular(unsigned char c)
{
    return BYTES.of[c] >= NUMERIC;
}

bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The end of the number token that starts at p ([+-] digits [. digits]
 * with a digit at least, and no other regular byte after it); nullptr if
 * the regular bytes from p are no number.  The bytes end in a space. */
const unsigned char *number_end(const unsigned char *p)
{
    if (*p == '+' || *p == '-')
        p++;
    const unsigned char *digits = p;
    while (is_digit(*p))
        p++;
    bool any = p != digits;
    if (*p == '.') {
        digits = ++p;
        while (is_digit(*p))
            p++;
        any = any || p != digits;
    }
    return any && !is_regular(*p) ? p : nullptr;
}

/* The value of a number token (from p to its number_end). */
double number_value(const unsigned char *p, const unsigned char *end)
{
    bool negative = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    double v = 0;
    for (; p < end && is_digit(*p); p++)
        v = v * 10 + (*p - '0');
    if (p < end && *p == '.') {
        double scale = 0.1;
        for (p++; p < end; p++, scale /= 10)
            v += (*p - '0') * scale;
    }
    return negative ? -v : v;
}

class interpreter {
  public:
    interpreter(bp_ink_list *out, double page_area) : out_(out), page_area_(page_area) {}

    /* Runs content (decoded bytes) with resources; may throw. */
    void run(const std::string &content, QPDFObjectHandle resources, int depth);

    gstate state;
    bool failed = false;

  private:
    void operate(unsigned op, QPDFObjectHandle &resources, int depth);
    bool has_name() const { return name_begin_ != nullptr; }
    double operand(size_t i) const { return number_value(operands_[i].begin, operands_[i].end); }
    std::string name() const;
    void end_path(unsigned op);
    void set_space(paint &p, const std::string &name, QPDFObjectHandle &resources);
    void set_colour(paint &p);
    void set_device_colour(unsigned op, space_kind space);
    void ext_gstate(QPDFObjectHandle &resources);
    void draw_xobject(const std::string &name, QPDFObjectHandle &resources, int depth);
    void picture();
    void paint_path(bool stroke, bool fill);
    void emit(bp_box b, bool ink, bool cover);
    double device_width() const;

    bp_ink_list *out_;
    double page_area_;
    std::vector<gstate> stack_;
    path path_;
    bool clip_pending_ = false;
    struct span {
        const unsigned char *begin, *end;
    } operands_[MAX_OPERANDS]; /* number tokens since the last operator */
    size_t n_operands_ = 0;
    const unsigned char *name_begin_ = nullptr, *name_end_ = nullptr; /* last name operand */
    /* of the running resources, by the name operand's bytes as written */
    std::map<std::string, ext_values, std::less<>> *gs_cache_ = nullptr;
    size_t operators_ = 0;
    std::set<QPDFObjGen> forms_open_;
};

void interpreter::emit(bp_box b, bool ink, bool cover)
{
    b = intersect(b, state.clip);
    if (box_is_empty(b))
        return;
    if (out_->count == out_->capacity) {
        size_t cap = out_->capacity ? out_->capacity * 2 : 64;
        bp_ink *items = static_cast<bp_ink *>(realloc(out_->items, cap * sizeof *items));
        if (items == nullptr) {
            failed = true;
            return;
        }
        out_->items = items;
        out_->capacity = cap;
    }
    out_->items[out_->count++] = {b, ink ? 1 : 0, cover ? 1 : 0};
}

double interpreter::device_width() const
{
    double scale = std::sqrt(std::fabs(state.ctm.a * state.ctm.d - state.ctm.b * state.ctm.c));
    double w = state.line_width * scale;
    return w < HAIRLINE ? HAIRLINE : w;
}

/* The painted parts of the current path: every straight axis-aligned
 * stroke segment as a box of the line's width, every filled subpath whose
 * edges are axis-aligned (or that is thin) as its bounding box. */
void interpreter::paint_path(bool stroke, bool fill)
{
    bool stroke_ink = stroke && is_ink(state.stroke);
    bool fill_ink = fill && is_ink(state.fill);
    bool fill_cover = fill && state.fill.alpha >= 1;
    for (size_t k = 0; k < path_.subpaths.size(); k++) {
        const subpath &sp = path_.subpaths[k];
        const vertex *v = &path_.vertices[sp.first];
        size_t n = path_.end_of(k) - sp.first; /* at least 1 */
        bp_box bounds = empty_box();
        bool straight = true;
        for (size_t i = 0; i < n; i++) {
            const point &p = v[i].at;
            extend(bounds, p);
            if (i == 0)
                continue;
            const point &q = v[i - 1].at;
            if (v[i].curved || (std::fabs(p.x - q.x) > AXIS_TOLERANCE &&
                                std::fabs(p.y - q.y) > AXIS_TOLERANCE))
                straight = false;
        }
        if (fill && n >= 2) {
            const point &p = v[n - 1].at, &q = v[0].at;
            bool closing_straight = std::fabs(p.x - q.x) <= AXIS_TOLERANCE ||
                                    std::fabs(p.y - q.y) <= AXIS_TOLERANCE;
            bool thin = bounds.x1 - bounds.x0 <= THIN_FILL || bounds.y1 - bounds.y0 <= THIN_FILL;
            if ((straight && closing_straight) || thin)
                emit(bounds, fill_ink, fill_cover && straight && closing_straight);
        }
        if (!stroke_ink)
            continue;
        double half = device_width() / 2;
        size_t segments = sp.closed || sp.rect ? n : n - 1;
        for (size_t i = 0; i < segments; i++) {
            const point &p = v[i].at, &q = v[(i + 1) % n].at;
            if ((i + 1) % n != 0 && v[i + 1].curved)
                continue;
            bp_box b;
            if (std::fabs(p.y - q.y) <= AXIS_TOLERANCE) {
                double y = (p.y + q.y) / 2;
                b = {std::min(p.x, q.x), y - half, std::max(p.x, q.x), y + half};
            } else if (std::fabs(p.x - q.x) <= AXIS_TOLERANCE) {
                double x = (p.x + q.x) / 2;
                b = {x - half, std::min(p.y, q.y), x + half, std::max(p.y, q.y)};
            } else {
                continue; /* a slanted line is no rule */
            }
            emit(b, true, false);
        }
    }
}

void interpreter::picture()
{
    bp_box b = intersect(rect_bounds(state.ctm, 0, 0, 1, 1), state.clip);
    if (!box_is_empty(b) && (b.x1 - b.x0) * (b.y1 - b.y0) >= PICTURE_SHARE * page_area_)
        out_->has_picture = 1;
}

/* A colour space operand: a device name, or a resource name whose entry
 * is an array headed by the family. */
void interpreter::set_space(paint &p, const std::string &name, QPDFObjectHandle &resources)
{
    std::string family = name;
    int components = 0;
    if (resources.isDictionary()) {
        QPDFObjectHandle spaces = resources.getKey("/ColorSpace");
        QPDFObjectHandle cs = spaces.isDictionary() ? spaces.getKey(name)
                                                    : QPDFObjectHandle::newNull();
        if (cs.isName())
            family = cs.getName();
        else if (cs.isArray() && cs.getArrayNItems() > 0 && cs.getArrayItem(0).isName()) {
            family = cs.getArrayItem(0).getName();
            if (family == "/ICCBased" && cs.getArrayNItems() > 1 &&
                cs.getArrayItem(1).isStream()) {
                QPDFObjectHandle n = cs.getArrayItem(1).getDict().getKey("/N");
                components = n.isInteger() ? n.getIntValueAsInt() : 0;
            }
        }
    }
    if (family == "/DeviceGray" || family == "/CalGray" || family == "/G")
        p.space = SPACE_GRAY;
    else if (family == "/DeviceRGB" || family == "/CalRGB" || family == "/RGB")
        p.space = SPACE_RGB;
    else if (family == "/DeviceCMYK" || family == "/CMYK")
        p.space = SPACE_CMYK;
    else if (family == "/Lab")
        p.space = SPACE_LAB;
    else if (family == "/ICCBased")
        p.space = components == 1 ? SPACE_GRAY : components == 4 ? SPACE_CMYK : SPACE_RGB;
    else if (family == "/Separation" || family == "/DeviceN")
        p.space = SPACE_TINT;
    else
        p.space = SPACE_OPAQUE;
    /* the initial colour of every space is black or full tint */
    double ones[4] = {1, 1, 1, 1};
    p.luminance = p.space == SPACE_TINT ? luminance_of(SPACE_TINT, ones, 1) : 0;
}

/* The last name operand, #xx escapes decoded, with its leading slash (as
 * qpdf spells dictionary keys). */
std::string interpreter::name() const
{
    std::string out("/");
    for (const unsigned char *r = name_begin_; r < name_end_; r++) {
        int hi, lo;
        if (*r == '#' && name_end_ - r >= 3 && (hi = hex_value(r[1])) >= 0 &&
            (lo = hex_value(r[2])) >= 0) {
            out.push_back(static_cast<char>(hi * 16 + lo));
            r += 2;
        } else {
            out.push_back(static_cast<char>(*r));
        }
    }
    return out;
}

/* G g RG rg K k: a device space and its colour at once; the upper-case
 * operator sets the stroking colour. */
void interpreter::set_device_colour(unsigned op, space_kind space)
{
    paint &p = (op & 0xFF) >= 'A' && (op & 0xFF) <= 'Z' ? state.stroke : state.fill;
    p.space = space;
    set_colour(p);
}

void interpreter::set_colour(paint &p)
{
    if (has_name() && n_operands_ == 0) { /* a pattern */
        p.luminance = 0;
        return;
    }
    double values[MAX_OPERANDS];
    for (size_t i = 0; i < n_operands_; i++)
        values[i] = operand(i);
    p.luminance = luminance_of(p.space, values, n_operands_);
}

/* gs with the last name operand. */
void interpreter::ext_gstate(QPDFObjectHandle &resources)
{
    std::string_view written(reinterpret_cast<const char *>(name_begin_),
                             static_cast<size_t>(name_end_ - name_begin_));
    auto known = gs_cache_->find(written);
    if (known == gs_cache_->end()) {
        ext_values values;
        QPDFObjectHandle states = resources.isDictionary() ? resources.getKey("/ExtGState")
                                                           : QPDFObjectHandle::newNull();
        QPDFObjectHandle gs = states.isDictionary() ? states.getKey(name())
                                                    : QPDFObjectHandle::newNull();
        if (gs.isDictionary()) {
            QPDFObjectHandle v = gs.getKey("/LW");
            if (v.isNumber())
                values.line_width = v.getNumericValue();
            v = gs.getKey("/CA");
            if (v.isNumber())
                values.stroke_alpha = clamp01(v.getNumericValue());
            v = gs.getKey("/ca");
            if (v.isNumber())
                values.fill_alpha = clamp01(v.getNumericValue());
        }
        known = gs_cache_->emplace(written, values).first;
    }
    const ext_values &v = known->second;
    if (!std::isnan(v.line_width))
        state.line_width = v.line_width;
    if (!std::isnan(v.stroke_alpha))
        state.stroke.alpha = v.stroke_alpha;
    if (!std::isnan(v.fill_alpha))
        state.fill.alpha = v.fill_alpha;
}

void interpreter::draw_xobject(const std::string &name, QPDFObjectHandle &resources, int depth)
{
    if (!resources.isDictionary())
        return;
    QPDFObjectHandle xobjects = resources.getKey("/XObject");
    if (!xobjects.isDictionary())
        return;
    QPDFObjectHandle x = xobjects.getKey(name);
    if (!x.isStream())
        return;
    QPDFObjectHandle dict = x.getDict();
    QPDFObjectHandle subtype = dict.getKey("/Subtype");
    if (subtype.isName() && subtype.getName() == "/Image") {
        picture();
        return;
    }
    if (!subtype.isName() || subtype.getName() != "/Form" || depth >= MAX_FORM_DEPTH)
        return;
    QPDFObjGen id = x.getObjGen();
    if (forms_open_.count(id))
        return; /* a form that draws itself */
    gstate saved = state;
    QPDFObjectHandle m = dict.getKey("/Matrix");
    if (m.isArray() && m.getArrayNItems() == 6) {
        double v[6];
        for (int i = 0; i < 6; i++) {
            QPDFObjectHandle item = m.getArrayItem(i);
            v[i] = item.isNumber() ? item.getNumericValue() : (i == 0 || i == 3);
        }
        state.ctm = multiply(matrix{v[0], v[1], v[2], v[3], v[4], v[5]}, state.ctm);
    }
    QPDFObjectHandle bbox = dict.getKey("/BBox");
    if (bbox.isArray() && bbox.getArrayNItems() == 4) {
        double v[4];
        for (int i = 0; i < 4; i++) {
            QPDFObjectHandle item = bbox.getArrayItem(i);
            v[i] = item.isNumber() ? item.getNumericValue() : 0;
        }
        state.clip = intersect(state.clip, rect_bounds(state.ctm, v[0], v[1], v[2], v[3]));
    }
    QPDFObjectHandle form_resources = dict.getKey("/Resources");
    if (!form_resources.isDictionary())
        form_resources = resources;
    std::shared_ptr<Buffer> data = x.getStreamData(qpdf_dl_generalized);
    std::string content(reinterpret_cast<const char *>(data->getBuffer()), data->getSize());
    forms_open_.insert(id);
    path outer_path;
    std::swap(outer_path, path_);
    size_t outer_stack = stack_.size();
    run(content, form_resources, depth + 1);
    stack_.resize(std::min(stack_.size(), outer_stack));
    std::swap(path_, outer_path);
    forms_open_.erase(id);
    state = saved;
}

/* An operator of at most three characters as one number, for a switch. */
constexpr unsigned op_code(const char *op)
{
    return op[0] == 0   ? 0
           : op[1] == 0 ? unsigned(op[0])
           : op[2] == 0 ? unsigned(op[0]) | unsigned(op[1]) << 8
                        : unsigned(op[0]) | unsigned(op[1]) << 8 | unsigned(op[2]) << 16;
}

/* Inlined into run(): the call per operator cost more than the switch. */
[[gnu::always_inline]] inline void interpreter::operate(unsigned op, QPDFObjectHandle &resources,
                                                        int depth)
{
    size_t n = n_operands_;
    switch (op) {
    case op_code("q"):
        if (stack_.size() < 4096)
            stack_.push_back(state);
        break;
    case op_code("Q"):
        if (!stack_.empty()) {
            state = stack_.back();
            stack_.pop_back();
        }
        break;
    case op_code("cm"):
        if (n == 6)
            state.ctm = multiply(
                matrix{operand(0), operand(1), operand(2), operand(3), operand(4), operand(5)},
                state.ctm);
        break;
    case op_code("w"):
        if (n == 1)
            state.line_width = operand(0);
        break;
    case op_code("gs"):
        if (has_name())
            ext_gstate(resources);
        break;
    case op_code("m"):
        if (n == 2)
            path_.start(apply(state.ctm, operand(0), operand(1)));
        break;
    case op_code("l"):
    case op_code("c"):
    case op_code("v"):
    case op_code("y"):
        if (n != (op == op_code("l") ? 2u : op == op_code("c") ? 6u : 4u))
            break;
        if (path_.subpaths.empty()) /* no current point: start one here */
            path_.start(apply(state.ctm, operand(0), operand(1)));
        path_.vertices.push_back(
            {apply(state.ctm, operand(n - 2), operand(n - 1)), op != op_code("l")});
        break;
    case op_code("h"):
        if (!path_.subpaths.empty())
            path_.subpaths.back().closed = true;
        break;
    case op_code("re"):
        if (n == 4) {
            double x = operand(0), y = operand(1), w = operand(2), h = operand(3);
            path_.subpaths.push_back({path_.vertices.size(), true, true});
            path_.vertices.insert(path_.vertices.end(),
                                  {{apply(state.ctm, x, y), false},
                                   {apply(state.ctm, x + w, y), false},
                                   {apply(state.ctm, x + w, y + h), false},
                                   {apply(state.ctm, x, y + h), false}});
        }
        break;
    case op_code("W"):
    case op_code("W*"):
        clip_pending_ = true;
        break;
    case op_code("s"):
    case op_code("b"):
    case op_code("b*"):
        for (subpath &sp : path_.subpaths)
            sp.closed = true;
        /* fall through */
    case op_code("S"):
    case op_code("f"):
    case op_code("F"):
    case op_code("f*"):
    case op_code("B"):
    case op_code("B*"):
    case op_code("n"):
        end_path(op);
        break;
    case op_code("G"):
    case op_code("g"):
        set_device_colour(op, SPACE_GRAY);
        break;
    case op_code("RG"):
    case op_code("rg"):
        set_device_colour(op, SPACE_RGB);
        break;
    case op_code("K"):
    case op_code("k"):
        set_device_colour(op, SPACE_CMYK);
        break;
    case op_code("CS"):
    case op_code("cs"):
        if (has_name())
            set_space(op == op_code("CS") ? state.stroke : state.fill, name(), resources);
        break;
    case op_code("SC"):
    case op_code("SCN"):
        set_colour(state.stroke);
        break;
    case op_code("sc"):
    case op_code("scn"):
        set_colour(state.fill);
        break;
    case op_code("Do"):
        if (has_name())
            draw_xobject(name(), resources, depth);
        break;

    default: /* text, marked content, shadings …: nothing for rules */
        break;
    }
}

/* Paints (or only discards) the current path, then applies a pending clip. */
void interpreter::end_path(unsigned op)
{
    bool stroke = op == op_code("S") || op == op_code("s") || op == op_code("B") ||
                  op == op_code("B*") || op == op_code("b") || op == op_code("b*");
    bool fill = op != op_code("S") && op != op_code("s") && op != op_code("n");
    if (stroke || fill)
        paint_path(stroke, fill);
    if (clip_pending_) {
        bp_box b = empty_box();
        for (const vertex &v : path_.vertices)
            extend(b, v.at);
        state.clip = intersect(state.clip, b);
        clip_pending_ = false;
    }
    path_.clear();
}

/* The lexical level of a content stream (PDF 32000 §7.2, §7.8.2): operands
 * and operators, with strings, arrays and dictionaries stepped over (no
 * operator read here takes one) and an inline image's data skipped.  qpdf
 * has a general tokenizer; it made a token object per number and cost
 * more than poppler's whole text extraction of the page. */
void interpreter::run(const std::string &content, QPDFObjectHandle resources, int depth)
{
    std::map<std::string, ext_values, std::less<>> gs_cache, *outer_cache = gs_cache_;
    gs_cache_ = &gs_cache; /* graphics states are names in these resources */
    /* The string's terminating NUL ends every scan of white space or of
     * regular bytes: the end is looked for only at a NUL. */
    const unsigned char *p = reinterpret_cast<const unsigned char *>(content.c_str());
    const unsigned char *end = p + content.size();
    int nesting = 0; /* inside [ ] or << >> */
    size_t n_operands = n_operands_; /* kept here, and stored for operate() */
    for (;;) {
        byte_class kind;
        while ((kind = BYTES.of[*p]) == SPACE)
            p++;
        if (kind == NUL) {
            if (p == end)
                break;
            p++;
            continue;
        }
        unsigned char c = *p;
        if (kind == NUMERIC && nesting == 0) {
            const unsigned char *q = number_end(p);
            if (q != nullptr) { /* its value is read only if an operator needs it */
                if (n_operands < MAX_OPERANDS)
                    operands_[n_operands++] = {p, q};
                p = q;
                continue;
            }
        }
        if (kind >= NUMERIC) { /* an operator (or, inside [ ] or << >>, anything) */
            const unsigned char *q = p;
            while (is_regular(*q))
                q++;
            size_t len = static_cast<size_t>(q - p);
            if (nesting > 0) {
                /* inside [ ] or << >>: a TJ kerning, a dash array… */
            } else {
                if (len == 2 && p[0] == 'I' && p[1] == 'D') {
                    /* inline image data runs to an EI between white space */
                    q += q < end ? 1 : 0;
                    while (q + 1 < end && !(q[0] == 'E' && q[1] == 'I' && is_space(q[-1]) &&
                                            (q + 2 == end || !is_regular(q[2]))))
                        q++;
                    q = q + 1 < end ? q + 2 : end;
                    picture();
                } else if (++operators_ > MAX_OPERATORS) {
                    failed = true;
                } else if (len <= 3 && p[0] != 'T') { /* T…: text operators, no paint here */
                    /* op_code of the operator (a regular byte is never 0) */
                    unsigned op = unsigned(p[0]) | (len > 1 ? unsigned(p[1]) << 8 : 0u) |
                                  (len > 2 ? unsigned(p[2]) << 16 : 0u);
                    n_operands_ = n_operands;
                    operate(op, resources, depth);
                }
                n_operands = 0;
                name_begin_ = name_end_ = nullptr;
                if (failed) /* out of memory, too many operators */
                    break;
            }
            p = q;
            continue;
        }
        switch (c) { /* a delimiter */
        case '%':
            while (p < end && *p != '\n' && *p != '\r')
                p++;
            break;
        case '(': { /* string: balanced parentheses, backslash escapes */
            int level = 0;
            for (; p < end; p++) {
                if (*p == '\\') {
                    if (p + 1 < end)
                        p++;
                } else if (*p == '(') {
                    level++;
                } else if (*p == ')' && --level == 0) {
                    p++;
                    break;
                }
            }
            break;
        }
        case '<':
            if (p + 1 < end && p[1] == '<') {
                nesting++;
                p += 2;
            } else { /* hex string */
                const void *close = memchr(p, '>', static_cast<size_t>(end - p));
                p = close ? static_cast<const unsigned char *>(close) + 1 : end;
            }
            break;
        case '>':
            if (p + 1 < end && p[1] == '>') {
                if (nesting > 0)
                    nesting--;
                p += 2;
            } else {
                p++;
            }
            break;
        case '[':
            nesting++;
            p++;
            break;
        case ']':
            if (nesting > 0)
                nesting--;
            p++;
            break;
        case '/': {
            const unsigned char *q = ++p;
            while (is_regular(*q))
                q++;
            if (nesting == 0) {
                name_begin_ = p;
                name_end_ = q;
            }
            p = q;
            break;
        }
        default: /* { } ) */
            p++;
            break;
        }
    }
    n_operands_ = n_operands;
    gs_cache_ = outer_cache;
}

/* poppler's frame for a page: crop box (within the media box) with its
 * /Rotate, y down, origin at the displayed top-left corner. */
bool page_frame(QPDFPageObjectHelper &page, matrix *base, double *width, double *height)
{
    QPDFObjectHandle::Rectangle media = page.getMediaBox().getArrayAsRectangle();
    QPDFObjectHandle::Rectangle crop = page.getCropBox(false, false).getArrayAsRectangle();
    double x1 = std::max(std::min(crop.llx, crop.urx), std::min(media.llx, media.urx));
    double y1 = std::max(std::min(crop.lly, crop.ury), std::min(media.lly, media.ury));
    double x2 = std::min(std::max(crop.llx, crop.urx), std::max(media.llx, media.urx));
    double y2 = std::min(std::max(crop.lly, crop.ury), std::max(media.lly, media.ury));
    if (!(x2 > x1 && y2 > y1))
        return false;
    QPDFObjectHandle r = page.getAttribute("/Rotate", false);
    int rotate = r.isInteger() ? r.getIntValueAsInt() % 360 : 0;
    if (rotate < 0)
        rotate += 360;
    switch (rotate) {
    case 90:
        *base = matrix{0, 1, 1, 0, -y1, -x1};
        *width = y2 - y1;
        *height = x2 - x1;
        break;
    case 180:
        *base = matrix{-1, 0, 0, 1, x2, -y1};
        *width = x2 - x1;
        *height = y2 - y1;
        break;
    case 270:
        *base = matrix{0, -1, -1, 0, y2, x2};
        *width = y2 - y1;
        *height = x2 - x1;
        break;
    default:
        *base = matrix{1, 0, 0, -1, -x1, y2};
        *width = x2 - x1;
        *height = y2 - y1;
        break;
    }
    return true;
}

/* A pipeline's end that appends the bytes to a string. */
class string_sink : public Pipeline {
  public:
    explicit string_sink(std::string &out) : Pipeline("page contents", nullptr), out_(out) {}
    void write(unsigned char const *data, size_t len) override
    {
        out_.append(reinterpret_cast<const char *>(data), len);
    }
    void finish() override {}

  private:
    std::string &out_;
};

/* The page's content streams decoded into out, joined as qpdf's
 * pipeContents joins them (a newline after a stream that does not end in
 * one) but without its two intermediate copies; false when a stream
 * cannot be decoded. */
bool page_content(QPDFPageObjectHelper &page, std::string &out)
{
    string_sink sink(out);
    bool need_newline = false;
    for (QPDFObjectHandle &stream : page.getPageContents()) {
        if (need_newline)
            out.push_back('\n');
        size_t before = out.size();
        if (!stream.pipeStreamData(&sink, 0, qpdf_dl_specialized))
            return false;
        need_newline = out.size() == before || out.back() != '\n';
    }
    return true;
}

} // namespace

struct bp_vector_doc {
    QPDF qpdf;
    std::vector<QPDFPageObjectHelper> pages;
};

extern "C" bp_vector_doc *bp_vector_open(const char *name, const void *data, size_t size)
{
    bp_vector_doc *doc = nullptr;
    try {
        doc = new bp_vector_doc;
        std::shared_ptr<QPDFLogger> quiet = QPDFLogger::create();
        quiet->setWarn(quiet->discard());
        quiet->setError(quiet->discard());
        quiet->setInfo(quiet->discard());
        doc->qpdf.setLogger(quiet);
        doc->qpdf.setSuppressWarnings(true);
        doc->qpdf.processMemoryFile(name, static_cast<const char *>(data), size);
        doc->pages = QPDFPageDocumentHelper(doc->qpdf).getAllPages();
        return doc;
    } catch (...) {
        delete doc;
        return nullptr;
    }
}

extern "C" void bp_vector_close(bp_vector_doc *doc)
{
    delete doc; /* NULL is fine */
}

extern "C" int bp_vector_page_count(const bp_vector_doc *doc)
{
    return static_cast<int>(doc->pages.size());
}

extern "C" int bp_vector_page_ink(bp_vector_doc *doc, int number, bp_ink_list *out)
{
    *out = bp_ink_list{};
    if (number < 1 || static_cast<size_t>(number) > doc->pages.size())
        return -1;
    try {
        QPDFPageObjectHelper &page = doc->pages[static_cast<size_t>(number) - 1];
        matrix base;
        double width, height;
        if (!page_frame(page, &base, &width, &height))
            return -1;
        std::string content;
        if (!page_content(page, content))
            return -1;
        interpreter in(out, width * height);
        in.state.ctm = base;
        in.state.clip = {0, 0, width, height};
        in.run(content, page.getAttribute("/Resources", false), 0);
        if (in.failed) {
            bp_ink_list_free(out);
            return -1;
        }
        return 0;
    } catch (...) {
        bp_ink_list_free(out);
        return -1;
    }
}

extern "C" void bp_ink_list_free(bp_ink_list *list)
{
    free(list->items);
    *list = bp_ink_list{};
}
