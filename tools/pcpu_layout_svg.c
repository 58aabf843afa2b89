/*
 * pcpu_layout_svg.c - the SVG picture of a per-CPU first chunk (pcpu-layout --svg).
 *
 * Top: one unit drawn wide, split into static / reserved / dynamic / unused with each
 * part's size and the offsets where parts meet, then the unit, allocation and waste
 * figures. Below: one row per group, a box per unit coloured the same way (true
 * proportions, each nonzero part at least 3 px wide) with its CPU number, allocations
 * framed. The geometry is integer arithmetic, so the bytes depend only on the input.
 */
#include <stdarg.h>
#include <string.h>
#include "pcpu_layout_svg.h"

#define MARGIN	  16
#define LABEL_W	  170 /* group label column */
#define UNIT_W	  48
#define UNIT_H	  34
#define UNIT_GAP  4
#define ALLOC_GAP 6 /* extra space between two allocations on a line */
#define LINE_GAP  8
#define PER_LINE  16  /* units per line at most */
#define MAX_LINES 8   /* lines per group before the rest is folded */
#define ANAT_W	  800 /* the wide unit drawing */
#define ANAT_H	  40
#define ANAT_MIN  120 /* least width of a nonzero part in the wide drawing */
#define TEXT_LINE 16
#define MIN_W	  720

enum part { P_STATIC, P_RESERVED, P_DYNAMIC, P_UNUSED, NR_PARTS };

static const char *const part_name[NR_PARTS] = {"static", "reserved", "dynamic", "unused"};

struct svg {
	FILE *f;
	bool err;
};

static void __printf(2, 3) out(struct svg *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(s->f, fmt, ap) < 0)
		s->err = true;
	va_end(ap);
}

/* @str as XML character data (also safe inside a quoted attribute). */
static void out_text(struct svg *s, const char *str)
{
	for (; str && *str; str++) {
		switch (*str) {
		case '&':
			out(s, "&amp;");
			break;
		case '<':
			out(s, "&lt;");
			break;
		case '>':
			out(s, "&gt;");
			break;
		case '"':
			out(s, "&quot;");
			break;
		case '\'':
			out(s, "&apos;");
			break;
		default:
			/* control characters are not allowed in XML 1.0 */
			out(s, "%c", (unsigned char)*str < 0x20 ? '?' : *str);
		}
	}
}

/* "40 KiB", "2 MiB" (exact multiples) or "32508 B" into @buf. */
static const char *fmt_size(char *buf, size_t n, unsigned long long v)
{
	if (v && !(v % (1ULL << 20)))
		snprintf(buf, n, "%llu MiB", v >> 20);
	else if (v && !(v % 1024))
		snprintf(buf, n, "%llu KiB", v >> 10);
	else
		snprintf(buf, n, "%llu B", v);
	return buf;
}

static void part_sizes(const struct pcpu_alloc_info *ai, size_t sz[NR_PARTS])
{
	sz[P_STATIC] = ai->static_size;
	sz[P_RESERVED] = ai->reserved_size;
	sz[P_DYNAMIC] = ai->dyn_size;
	sz[P_UNUSED] = ai->unit_size - pcpu_ai_size_sum(ai);
}

/*
 * Split @total pixels among the parts: each nonzero part gets at least @min, the rest is
 * shared in proportion to the sizes; the last nonzero part takes what rounding leaves, so
 * the widths add up to @total exactly.
 */
static void part_widths(const size_t sz[NR_PARTS], int total, int min, int w[NR_PARTS])
{
	unsigned long long sum = 0;
	int nonzero = 0, last = -1, used = 0, spare, i;

	for (i = 0; i < NR_PARTS; i++) {
		sum += sz[i];
		if (sz[i]) {
			nonzero++;
			last = i;
		}
	}
	spare = total - nonzero * min;
	if (spare < 0) {
		min = 0;
		spare = total;
	}
	for (i = 0; i < NR_PARTS; i++) {
		w[i] = sz[i] ? min + (int)(sum ? (unsigned long long)spare * sz[i] / sum : 0) : 0;
		used += w[i];
	}
	if (last >= 0)
		w[last] += total - used;
}

static void out_style(struct svg *s)
{
	out(s, "<style>\n"
	       "text { font-family: DejaVu Sans Mono, monospace; font-size: 12px; fill: #222; }\n"
	       ".title { font-size: 16px; font-weight: bold; }\n"
	       ".small { font-size: 10px; }\n"
	       ".static { fill: #4e79a7; } .reserved { fill: #f28e2b; }\n"
	       ".dynamic { fill: #a0cbe8; } .unused { fill: #d9d9d9; }\n"
	       ".frame { fill: none; stroke: #333; stroke-width: 1; }\n"
	       ".alloc-frame { fill: none; stroke: #777; stroke-width: 1;"
	       " stroke-dasharray: 3 2; }\n"
	       ".nocpu { fill: url(#hatch); }\n"
	       ".row { fill: #f4f4f4; }\n"
	       "</style>\n"
	       "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" "
	       "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	       "<rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
	       "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#bbb\" stroke-width=\"3\"/>"
	       "</pattern></defs>\n");
}

/* The wide unit: parts with names and sizes inside, offsets underneath. Returns its height. */
static int out_anatomy(struct svg *s, const struct pcpu_alloc_info *ai, int x, int y)
{
	size_t sz[NR_PARTS], off = 0;
	int w[NR_PARTS], i, cx = x;

	part_sizes(ai, sz);
	part_widths(sz, ANAT_W, ANAT_MIN, w);
	out(s, "<g class=\"anatomy\">\n");
	out(s,
	    "<text x=\"%d\" y=\"%d\">one unit (%zu bytes per CPU), not to scale:"
	    " each part at least %d px</text>\n",
	    x, y + 12, ai->unit_size, ANAT_MIN);
	y += 18;
	for (i = 0; i < NR_PARTS; i++) {
		if (!sz[i])
			continue;
		out(s, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
		    part_name[i], cx, y, w[i], ANAT_H);
		out(s, "<text x=\"%d\" y=\"%d\"%s>%s</text>\n", cx + 5, y + 16,
		    i == P_STATIC ? " style=\"fill: #fff\"" : "", part_name[i]);
		out(s, "<text x=\"%d\" y=\"%d\"%s>%zu B</text>\n", cx + 5, y + 32,
		    i == P_STATIC ? " style=\"fill: #fff\"" : "", sz[i]);
		out(s, "<text class=\"small\" x=\"%d\" y=\"%d\">%#zx</text>\n", cx, y + ANAT_H + 12,
		    off);
		cx += w[i];
		off += sz[i];
	}
	out(s, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", x, y,
	    ANAT_W, ANAT_H);
	out(s, "<text class=\"small\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%#zx</text>\n",
	    x + ANAT_W, y + ANAT_H + 12, ai->unit_size);
	out(s, "</g>\n");
	return 18 + ANAT_H + 16;
}

struct geom {
	size_t upa;
	int per_line;	     /* units per line */
	int allocs_per_line; /* allocation gaps per line (0: allocations wider than a line) */
};

static int unit_x(const struct geom *g, int col)
{
	int gaps = g->allocs_per_line ? col / (int)g->upa : 0;

	return col * (UNIT_W + UNIT_GAP) + gaps * ALLOC_GAP;
}

/* Units drawn for a group of @n units, and whether the rest is folded. */
static int drawn_units(int n, bool *folded)
{
	*folded = n > PER_LINE * MAX_LINES;
	return *folded ? PER_LINE * (MAX_LINES - 1) : n;
}

static int group_lines(const struct geom *g, int n)
{
	bool folded;
	int d = drawn_units(n, &folded);

	return (d + g->per_line - 1) / g->per_line + folded;
}

static int group_height(const struct geom *g, int n)
{
	int h = group_lines(g, n) * (UNIT_H + LINE_GAP) + LINE_GAP;

	return h < 4 * TEXT_LINE + 8 ? 4 * TEXT_LINE + 8 : h;
}

/* One unit box at (@x, @y): the parts in true proportion (3 px at least), CPU number on top. */
static void out_unit(struct svg *s, const struct pcpu_alloc_info *ai, int gi, int ui, int x, int y)
{
	unsigned int cpu = ai->groups[gi].cpu_map[ui];
	size_t sz[NR_PARTS];
	int w[NR_PARTS], i, cx = x;

	if (cpu == PCPU_UNIT_NONE) {
		out(s, "<g class=\"unit empty\" id=\"unit-%d-%d\">", gi, ui);
		out(s, "<rect class=\"nocpu\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", x, y,
		    UNIT_W, UNIT_H);
		out(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">-</text>", x + UNIT_W / 2,
		    y + UNIT_H / 2 + 4);
	} else {
		out(s, "<g class=\"unit\" id=\"unit-%d-%d\" data-cpu=\"%u\">", gi, ui, cpu);
		part_sizes(ai, sz);
		part_widths(sz, UNIT_W, 3, w);
		for (i = 0; i < NR_PARTS; i++) {
			if (!w[i])
				continue;
			out(s, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
			    part_name[i], cx, y, w[i], UNIT_H);
			cx += w[i];
		}
		out(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%u</text>",
		    x + UNIT_W / 2 + 4, y + UNIT_H / 2 + 4, cpu);
	}
	out(s, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></g>\n", x, y,
	    UNIT_W, UNIT_H);
}

/* Frames around each allocation's units on each line. */
static void out_alloc_frames(struct svg *s, const struct geom *g, int n, int x0, int y0)
{
	int u, end, line, col, x1, x2;

	for (u = 0; u < n; u = end) {
		line = u / g->per_line;
		col = u % g->per_line;
		end = u + (int)g->upa - (int)((size_t)u % g->upa); /* allocation end */
		if (end > (line + 1) * g->per_line)
			end = (line + 1) * g->per_line;
		if (end > n)
			end = n;
		x1 = x0 + unit_x(g, col) - 2;
		x2 = x0 + unit_x(g, (end - 1) % g->per_line) + UNIT_W + 2;
		out(s,
		    "<rect class=\"alloc-frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
		    x1, y0 + line * (UNIT_H + LINE_GAP) - 2, x2 - x1, UNIT_H + 4);
	}
}

/* "CPUs 0-3,8" of a group's units (at most @n bytes; ends in "..." when cut short). */
static void cpu_list(const struct pcpu_group_info *gi, char *buf, size_t n)
{
	size_t len = 0;
	int i, j;

	buf[0] = 0;
	for (i = 0; i < gi->nr_units && len < n; i = j) {
		unsigned int c = gi->cpu_map[i];

		j = i + 1;
		if (c == PCPU_UNIT_NONE)
			continue;
		while (j < gi->nr_units && gi->cpu_map[j] == gi->cpu_map[j - 1] + 1)
			j++;
		len += snprintf(buf + len, n - len, "%s%u", len ? "," : "", c);
		if (j - i > 1 && len < n)
			len += snprintf(buf + len, n - len, "-%u", gi->cpu_map[j - 1]);
	}
	if (len >= n && n > 4)
		strcpy(buf + n - 4, "...");
}

static int out_group(struct svg *s, const struct pcpu_alloc_info *ai, const struct pcpu_svg_desc *d,
		     const struct geom *g, int gi, int y, int width)
{
	const struct pcpu_group_info *grp = &ai->groups[gi];
	int h = group_height(g, grp->nr_units), x0 = MARGIN + LABEL_W, used = 0, u, n;
	unsigned int first = pcpu_group_first_cpu(grp);
	char cpus[22];
	bool folded;

	for (u = 0; u < grp->nr_units; u++)
		used += grp->cpu_map[u] != PCPU_UNIT_NONE;
	cpu_list(grp, cpus, sizeof(cpus));
	out(s, "<g class=\"group\" id=\"group-%d\">\n", gi);
	out(s, "<rect class=\"row\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", MARGIN, y,
	    width - 2 * MARGIN, h - 4);
	out(s, "<text x=\"%d\" y=\"%d\" style=\"font-weight: bold\">group %d</text>\n", MARGIN + 6,
	    y + TEXT_LINE, gi);
	if (d->cpu_node && first != PCPU_UNIT_NONE && first < d->nr_cpus)
		out(s, "<text x=\"%d\" y=\"%d\">node %d</text>\n", MARGIN + 80, y + TEXT_LINE,
		    d->cpu_node[first]);
	out(s, "<text x=\"%d\" y=\"%d\">CPUs %s</text>\n", MARGIN + 6, y + 2 * TEXT_LINE, cpus);
	out(s, "<text x=\"%d\" y=\"%d\">%d units, %d used</text>\n", MARGIN + 6, y + 3 * TEXT_LINE,
	    grp->nr_units, used);
	out(s, "<text x=\"%d\" y=\"%d\">at +%#lx</text>\n", MARGIN + 6, y + 4 * TEXT_LINE,
	    grp->base_offset);
	n = drawn_units(grp->nr_units, &folded);
	out_alloc_frames(s, g, n, x0, y + LINE_GAP);
	for (u = 0; u < n; u++)
		out_unit(s, ai, gi, u, x0 + unit_x(g, u % g->per_line),
			 y + LINE_GAP + u / g->per_line * (UNIT_H + LINE_GAP));
	if (folded) {
		unsigned int a = PCPU_UNIT_NONE, b = PCPU_UNIT_NONE;

		for (u = n; u < grp->nr_units; u++) {
			if (grp->cpu_map[u] == PCPU_UNIT_NONE)
				continue;
			a = a == PCPU_UNIT_NONE ? grp->cpu_map[u] : a;
			b = grp->cpu_map[u];
		}
		out(s,
		    "<g class=\"fold\" data-units=\"%d\"><text x=\"%d\" y=\"%d\">... %d more "
		    "units, alike (CPUs %u..%u and unused ones), not drawn</text></g>\n",
		    grp->nr_units - n, x0,
		    y + LINE_GAP + (MAX_LINES - 1) * (UNIT_H + LINE_GAP) + UNIT_H / 2 + 4,
		    grp->nr_units - n, a, b);
	}
	out(s, "</g>\n");
	return h;
}

int pcpu_layout_svg(FILE *f, const struct pcpu_alloc_info *ai, const struct pcpu_svg_desc *d)
{
	struct svg s = {.f = f};
	size_t sum = pcpu_ai_size_sum(ai), upa = pcpu_ai_upa(ai);
	unsigned long long total = 0, nr_allocs = 0, wasted;
	int units = 0, used = 0, width, height, y, gi, u, max_units = 1;
	struct geom g = {.upa = upa ? upa : 1};
	char b1[48], b2[48], b3[48];

	for (gi = 0; gi < ai->nr_groups; gi++) {
		units += ai->groups[gi].nr_units;
		nr_allocs += ai->groups[gi].nr_units / g.upa;
		if (ai->groups[gi].nr_units > max_units)
			max_units = ai->groups[gi].nr_units;
		for (u = 0; u < ai->groups[gi].nr_units; u++)
			used += ai->groups[gi].cpu_map[u] != PCPU_UNIT_NONE;
	}
	total = (unsigned long long)units * ai->unit_size;
	wasted = total - (unsigned long long)used * sum;
	g.per_line = g.upa <= PER_LINE ? (int)(PER_LINE / g.upa * g.upa) : PER_LINE;
	g.allocs_per_line = g.upa <= PER_LINE ? g.per_line / (int)g.upa : 0;

	u = max_units < g.per_line ? max_units : g.per_line;
	width = MARGIN + LABEL_W + unit_x(&g, u - 1) + UNIT_W + 2 * MARGIN;
	if (width < MIN_W + 2 * MARGIN)
		width = MIN_W + 2 * MARGIN;
	if (width < ANAT_W + 2 * MARGIN)
		width = ANAT_W + 2 * MARGIN;
	height = MARGIN + 2 * TEXT_LINE + 8 + 18 + ANAT_H + 16 + 4 * TEXT_LINE + 8;
	for (gi = 0; gi < ai->nr_groups; gi++)
		height += group_height(&g, ai->groups[gi].nr_units);
	height += MARGIN;

	out(&s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	out(&s,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" data-groups=\"%d\" data-units=\"%d\">\n",
	    width, height, width, height, ai->nr_groups, units);
	out(&s, "<title>per-CPU first chunk: ");
	out_text(&s, d->title);
	out(&s, "</title>\n");
	out_style(&s);
	out(&s, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", width, height);
	y = MARGIN;
	out(&s, "<text class=\"title\" x=\"%d\" y=\"%d\">per-CPU first chunk: ", MARGIN, y + 14);
	out_text(&s, d->title);
	out(&s, "</text>\n");
	y += TEXT_LINE + 4;
	if (d->subtitle) {
		out(&s, "<text x=\"%d\" y=\"%d\">", MARGIN, y + 12);
		out_text(&s, d->subtitle);
		out(&s, "</text>\n");
	}
	y += TEXT_LINE + 4;
	y += out_anatomy(&s, ai, MARGIN, y);

	out(&s, "<g class=\"figures\">\n");
	out(&s,
	    "<text x=\"%d\" y=\"%d\">unit %zu B (%s) = static %zu + reserved %zu + dynamic %zu "
	    "+ unused %zu</text>\n",
	    MARGIN, y + 12, ai->unit_size, fmt_size(b1, sizeof(b1), ai->unit_size), ai->static_size,
	    ai->reserved_size, ai->dyn_size, ai->unit_size - sum);
	y += TEXT_LINE;
	out(&s,
	    "<text x=\"%d\" y=\"%d\">allocation %s = %zu unit%s (atom %s); %llu "
	    "allocations, %s in all</text>\n",
	    MARGIN, y + 12, fmt_size(b1, sizeof(b1), ai->alloc_size), upa, upa == 1 ? "" : "s",
	    fmt_size(b2, sizeof(b2), ai->atom_size), nr_allocs, fmt_size(b3, sizeof(b3), total));
	y += TEXT_LINE;
	out(&s,
	    "<text x=\"%d\" y=\"%d\">waste %llu B (%llu.%llu%%): %d unit%s without a CPU "
	    "(%llu B) + %zu B unused in each of %d used units</text>\n",
	    MARGIN, y + 12, wasted, total ? wasted * 100 / total : 0,
	    total ? wasted * 1000 / total % 10 : 0, units - used, units - used == 1 ? "" : "s",
	    (unsigned long long)(units - used) * ai->unit_size, ai->unit_size - sum, used);
	y += TEXT_LINE;
	out(&s,
	    "<text x=\"%d\" y=\"%d\">%d group%s, %d units (%d with a CPU); dashed frames: "
	    "allocations; hatched: unit without a CPU</text>\n",
	    MARGIN, y + 12, ai->nr_groups, ai->nr_groups == 1 ? "" : "s", units, used);
	y += TEXT_LINE + 8;
	out(&s, "</g>\n");

	for (gi = 0; gi < ai->nr_groups; gi++)
		y += out_group(&s, ai, d, &g, gi, y, width);
	out(&s, "</svg>\n");
	if (fflush(f))
		s.err = true;
	return s.err ? -1 : 0;
}
