/*
 * percpu_defs.h - constants of the per-CPU allocator shared by the first-chunk layout
 * (percpu_layout.h) and the dynamic allocator (percpu_alloc_types.h), defined once.
 */
#ifndef PCPURT_PERCPU_DEFS_H
#define PCPURT_PERCPU_DEFS_H

#define PCPU_MIN_ALLOC_SIZE	4			/* granule: one bit of the bitmap */
#define PCPU_MIN_UNIT_SIZE	(32 * 1024)		/* largest allocation, smallest unit */
#define PCPU_PAGE_SHIFT		12
#define PCPU_PAGE_SIZE		(1UL << PCPU_PAGE_SHIFT)

#endif
