/*
 * rules_units.c — rule family 8, unit slips, where it can be observed: a
 * comparison whose figures were printed in different money units (a text
 * figure in 万元 against a table in 元, a 万元 table against a 元 table).
 *
 * Every such comparison is also a statement about the units: when the
 * figures agree once converted (exactly, or within the rounding of their
 * printing) the units as printed are consistent, and a `unit_slip` check
 * records it as ok / rounding with the same operands.  When they agree only
 * with one side read ×/÷ 10⁴ (or 10³, 10, 10⁸) the identity rule itself is
 * reported as `unit_slip`, mismatch (rc_check_finish); no second check is
 * written for it.  A comparison that fails either way says nothing about
 * the units and gets no unit check.
 *
 * Zero figures and blank cells say nothing about a unit (0 万元 = 0 元):
 * a comparison needs a non-zero figure on each side of the unit boundary.
 * This pass runs after every other rule and only reads their finished
 * checks; it never changes them.
 */
#include "load/reconcile_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *unit_name(int64_t scale)
{
    switch (scale) {
    case 1: return "元";
    case 1000: return "千元";
    case 10000: return "万元";
    case 100000000: return "亿元";
    }
    return "?";
}

/* The two money units a check's non-zero printed figures cross (the
 * stated figure's first), or false when they are all in one unit. */
static bool crosses_units(const rc_check *c, int64_t *stated, int64_t *other)
{
    *stated = *other = 0;
    for (size_t i = 0; i < c->n_ops; i++) {
        const rc_operand *o = &c->ops[i];
        if (o->sign == 0 && o->usable && !o->blank && o->value.mantissa != 0 && o->scale > 0)
            *stated = o->scale;
    }
    if (*stated == 0)
        return false;
    for (size_t i = 0; i < c->n_ops; i++) {
        const rc_operand *o = &c->ops[i];
        if (o->sign != 0 && o->usable && !o->blank && o->value.mantissa != 0 && o->scale > 0 &&
            o->scale != *stated) {
            *other = o->scale;
            return true;
        }
    }
    return false;
}

void rc_rules_units(rc_doc *doc)
{
    size_t n = doc->n_checks;
    for (size_t i = 0; i < n; i++) {
        const rc_check *src = &doc->checks[i];
        int64_t stated, other;
        if (!src->message || !src->has_numbers || strcmp(src->rule, "unit_slip") == 0 ||
            (src->status != RC_OK && src->status != RC_ROUNDING) ||
            !crosses_units(src, &stated, &other))
            continue;
        rc_check *c = rc_check_new(doc, "unit_slip", NULL);
        if (!c)
            return;
        src = &doc->checks[i];   /* rc_check_new may have moved the array */
        snprintf(c->unit, sizeof c->unit, "%s", src->unit);
        c->status = src->status;
        c->has_numbers = true;
        c->expected = src->expected;
        c->actual = src->actual;
        c->difference = src->difference;
        c->tolerance = src->tolerance;
        c->ops = calloc(src->n_ops, sizeof *c->ops);
        if (!c->ops) {
            doc->nomem = true;
            return;
        }
        memcpy(c->ops, src->ops, src->n_ops * sizeof *c->ops);
        c->n_ops = c->cap_ops = src->n_ops;
        size_t nzh = strlen(src->message) + 256, nen = strlen(src->message_en) + 256;
        c->message = malloc(nzh);
        c->message_en = malloc(nen);
        if (!c->message || !c->message_en) {
            free(c->message);
            free(c->message_en);
            c->message = c->message_en = NULL;   /* unfinished: not written */
            doc->nomem = true;
            return;
        }
        snprintf(c->message, nzh, "单位核对：以%s印与以%s印的数字换算后%s，单位无误（%s）",
                 unit_name(stated), unit_name(other),
                 src->status == RC_OK ? "相等" : "在尾数误差内相符", src->message);
        snprintf(c->message_en, nen,
                 "unit check: the figures printed in %s and in %s agree once converted%s, "
                 "no unit slip (%s)",
                 unit_name(stated), unit_name(other),
                 src->status == RC_OK ? "" : " (within rounding)", src->message_en);
    }
}
