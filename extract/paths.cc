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
#include <map>
#include <memory>
#include <set>
#include <string>
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

struct subpath {
    std::vector<point> points;
    std::vector<bool> curved; /* curved[i]: the segment ending at points[i] is a curve */
    bool closed = false;
    bool rect = false; /* from re */
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

class interpreter {
  public:
    interpreter(bp_ink_list *out, double page_area) : out_(out), page_area_(page_area) {}

    /* Runs content (decoded bytes) with resources; may throw. */
    void run(const unsigned char *p, const unsigned char *end, QPDFObjectHandle resources,
             int depth);

    gstate state;
    bool failed = false;

  private:
    void operate(unsigned op, QPDFObjectHandle &resources, int depth);
    bool has_name() const { return name_begin_ != nullptr; }
    std::string name() const;
    void new_subpath(double x, double y);
    void end_path(unsigned op);
    void set_space(paint &p, const std::string &name, QPDFObjectHandle &resources);
    void set_colour(paint &p);
    void set_device_colour(unsigned op, space_kind space);
    void ext_gstate(const std::string &name, QPDFObjectHandle &resources);
    void draw_xobject(const std::string &name, QPDFObjectHandle &resources, int depth);
    void picture();
    void paint_path(bool stroke, bool fill);
    void emit(bp_box b, bool ink, bool cover);
    double device_width() const;

    bp_ink_list *out_;
    double page_area_;
    std::vector<gstate> stack_;
    std::vector<subpath> path_;
    bool clip_pending_ = false;
    double nums_[MAX_OPERANDS];
    size_t n_nums_ = 0;
    const unsigned char *name_begin_ = nullptr, *name_end_ = nullptr; /* last name operand */
    std::map<std::string, ext_values> *gs_cache_ = nullptr; /* of the running resources */
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
    for (const subpath &sp : path_) {
        size_t n = sp.points.size();
        if (n == 0)
            continue;
        bp_box bounds = empty_box();
        bool straight = true;
        for (size_t i = 0; i < n; i++) {
            const point &p = sp.points[i];
            extend(bounds, p);
            if (i == 0)
                continue;
            const point &q = sp.points[i - 1];
            if (sp.curved[i] || (std::fabs(p.x - q.x) > AXIS_TOLERANCE &&
                                 std::fabs(p.y - q.y) > AXIS_TOLERANCE))
                straight = false;
        }
        if (fill && n >= 2) {
            const point &p = sp.points[n - 1], &q = sp.points[0];
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
            const point &p = sp.points[i], &q = sp.points[(i + 1) % n];
            if ((i + 1) % n != 0 && sp.curved[i + 1])
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
    if (has_name() && n_nums_ == 0) { /* a pattern */
        p.luminance = 0;
        return;
    }
    p.luminance = luminance_of(p.space, nums_, n_nums_);
}

void interpreter::ext_gstate(const std::string &name, QPDFObjectHandle &resources)
{
    auto known = gs_cache_->find(name);
    if (known == gs_cache_->end()) {
        ext_values values;
        QPDFObjectHandle states = resources.isDictionary() ? resources.getKey("/ExtGState")
                                                           : QPDFObjectHandle::newNull();
        QPDFObjectHandle gs = states.isDictionary() ? states.getKey(name)
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
        known = gs_cache_->emplace(name, values).first;
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
    std::shared_ptr<Buffer> content = x.getStreamData(qpdf_dl_generalized);
    forms_open_.insert(id);
    std::vector<subpath> outer_path;
    outer_path.swap(path_);
    size_t outer_stack = stack_.size();
    run(content->getBuffer(), content->getBuffer() + content->getSize(), form_resources,
        depth + 1);
    stack_.resize(std::min(stack_.size(), outer_stack));
    path_.swap(outer_path);
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

void interpreter::new_subpath(double x, double y)
{
    path_.emplace_back();
    path_.back().points.push_back(apply(state.ctm, x, y));
    path_.back().curved.push_back(false);
}

void interpreter::operate(unsigned op, QPDFObjectHandle &resources, int depth)
{
    const double *v = nums_;
    size_t n = n_nums_;
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
            state.ctm = multiply(matrix{v[0], v[1], v[2], v[3], v[4], v[5]}, state.ctm);
        break;
    case op_code("w"):
        if (n == 1)
            state.line_width = v[0];
        break;
    case op_code("gs"):
        if (has_name())
            ext_gstate(name(), resources);
        break;
    case op_code("m"):
        if (n == 2)
            new_subpath(v[0], v[1]);
        break;
    case op_code("l"):
    case op_code("c"):
    case op_code("v"):
    case op_code("y"):
        if (n != (op == op_code("l") ? 2u : op == op_code("c") ? 6u : 4u))
            break;
        if (path_.empty()) /* no current point: start one here */
            new_subpath(v[0], v[1]);
        path_.back().points.push_back(apply(state.ctm, v[n - 2], v[n - 1]));
        path_.back().curved.push_back(op != op_code("l"));
        break;
    case op_code("h"):
        if (!path_.empty())
            path_.back().closed = true;
        break;
    case op_code("re"):
        if (n == 4) {
            subpath sp;
            sp.points = {apply(state.ctm, v[0], v[1]), apply(state.ctm, v[0] + v[2], v[1]),
                         apply(state.ctm, v[0] + v[2], v[1] + v[3]),
                         apply(state.ctm, v[0], v[1] + v[3])};
            sp.curved.assign(4, false);
            sp.closed = sp.rect = true;
            path_.push_back(std::move(sp));
        }
        break;
    case op_code("W"):
    case op_code("W*"):
        clip_pending_ = true;
        break;
    case op_code("s"):
    case op_code("b"):
    case op_code("b*"):
        for (subpath &sp : path_)
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
        for (const subpath &sp : path_)
            for (const point &p : sp.points)
                extend(b, p);
        state.clip = intersect(state.clip, b);
        clip_pending_ = false;
    }
    path_.clear();
}

/* PDF's three classes of bytes (§7.2.2), looked up per byte. */
enum byte_class : unsigned char { REGULAR, SPACE, DELIMITER };

struct byte_classes {
    byte_class of[256];
    constexpr byte_classes() : of()
    {
        for (int c = 0; c < 256; c++)
            of[c] = REGULAR;
        for (unsigned char c : {' ', '\n', '\r', '\t', '\f', '\0'})
            of[c] = SPACE;
        for (unsigned char c : {'(', ')', '<', '>', '[', ']', '{', '}', '/', '%'})
            of[c] = DELIMITER;
    }
};

constexpr byte_classes BYTES;

bool is_space(unsigned char c)
{
    return BYTES.of[c] == SPACE;
}

bool is_regular(unsigned char c)
{
    return BYTES.of[c] == REGULAR;
}


/* A PDF number token ([+-] digits [. digits]); false if it is not one. */
bool parse_number(const unsigned char *p, size_t n, double *out)
{
    if (n == 0 || !((p[0] >= '0' && p[0] <= '9') || p[0] == '+' || p[0] == '-' || p[0] == '.'))
        return false; /* an operator: most tokens that are not numbers */
    size_t i = 0;
    bool negative = false, digits = false;
    if (i < n && (p[i] == '+' || p[i] == '-'))
        negative = p[i++] == '-';
    double v = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++, digits = true)
        v = v * 10 + (p[i] - '0');
    if (i < n && p[i] == '.') {
        double scale = 0.1;
        for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++, scale /= 10, digits = true)
            v += (p[i] - '0') * scale;
    }
    if (!digits || i != n)
        return false;
    *out = negative ? -v : v;
    return true;
}

/* The lexical level of a content stream (PDF 32000 §7.2, §7.8.2): operands
 * and operators, with strings, arrays and dictionaries stepped over (no
 * operator read here takes one) and an inline image's data skipped.  qpdf
 * has a general tokenizer; it made a token object per number and cost
 * more than poppler's whole text extraction of the page. */
void interpreter::run(const unsigned char *p, const unsigned char *end,
                      QPDFObjectHandle resources, int depth)
{
    std::map<std::string, ext_values> gs_cache, *outer_cache = gs_cache_;
    gs_cache_ = &gs_cache; /* graphics states are names in these resources */
    int nesting = 0; /* inside [ ] or << >> */
    while (p < end && !failed) {
        unsigned char c = *p;
        byte_class kind = BYTES.of[c];
        if (kind == SPACE) {
            do
                p++;
            while (p < end && is_space(*p));
            continue;
        }
        if (kind == REGULAR) { /* a number or an operator */
            const unsigned char *q = p;
            while (q < end && is_regular(*q))
                q++;
            size_t len = static_cast<size_t>(q - p);
            double number;
            if (nesting > 0) {
                /* inside [ ] or << >>: a TJ kerning, a dash array… */
            } else if (parse_number(p, len, &number)) {
                if (n_nums_ < MAX_OPERANDS)
                    nums_[n_nums_++] = number;
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
                } else if (len <= 3) {
                    /* op_code of the operator (a regular byte is never 0) */
                    unsigned op = unsigned(p[0]) | (len > 1 ? unsigned(p[1]) << 8 : 0u) |
                                  (len > 2 ? unsigned(p[2]) << 16 : 0u);
                    operate(op, resources, depth);
                }
                n_nums_ = 0;
                name_begin_ = name_end_ = nullptr;
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
                while (p < end && *p != '>')
                    p++;
                if (p < end)
                    p++;
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
            while (q < end && is_regular(*q))
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
    gs_cache_ = outer_cache;
}

/* poppler's frame for a page: crop box (within the media box) with its
 * /Rotate, y down, origin at the displayed top-left corner. */
bool page_frame(QPDFPageObjectHelper &page, matrix *base, double *width, double *height)
{
    QPDFObjectHandle::Rectangle media = page.getMediaBox().getArrayAsRectangle();
    QPDFObjectHandle::Rectangle crop = page.getCropBox(false, true).getArrayAsRectangle();
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
        const unsigned char *bytes = reinterpret_cast<const unsigned char *>(content.data());
        in.run(bytes, bytes + content.size(), page.getAttribute("/Resources", false), 0);
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
