/*
 * pcpu_layout_svg.h - draw a first-chunk layout (struct pcpu_alloc_info) as an SVG picture,
 * for tools/pcpu-layout --svg (tools/pcpu_layout_svg.c).
 */
#ifndef PCPU_LAYOUT_SVG_H
#define PCPU_LAYOUT_SVG_H

#include <stdio.h>
#include <pcpurt/percpu_layout.h>

/* What the picture says besides the layout itself. */
struct pcpu_svg_desc {
	const char *title;    /* first heading line, e.g. the tree's file name */
	const char *subtitle; /* second line, e.g. "arm64, 4 CPUs, 1 NUMA node"; may be NULL */
	const int *cpu_node;  /* [cpu] NUMA node of each CPU; NULL when unknown */
	unsigned int nr_cpus; /* entries of cpu_node */
};

/*
 * pcpu_layout_svg() - write a standalone SVG document for @ai to @f: a drawing of one unit
 * (static / reserved / dynamic / unused, sizes and offsets written on it), the unit,
 * allocation and waste figures, then one row per group (class "group", id "group-G") with
 * its node, CPUs and offset, holding one box per unit (class "unit", id "unit-G-I",
 * "unit empty" for a unit no CPU uses) framed by allocation (class "alloc"). Units wrap
 * at 16 per line; a group of more than 128 units shows its first 112 and one folded
 * line (class "fold", data-units = how many are not drawn). The output depends only on
 * the arguments (no time, no locale): same input, same bytes. Returns 0, or -1 when
 * writing failed.
 */
int pcpu_layout_svg(FILE *f, const struct pcpu_alloc_info *ai, const struct pcpu_svg_desc *d);

#endif
