/*
 * percpu_layout.h - the arithmetic of the per-CPU first chunk, free of arch code.
 *
 * This is the part of Linux's per-CPU setup that only computes: how big a unit is, how
 * many units one allocation holds, which CPUs share a group (NUMA proximity), where each
 * CPU's unit sits, and the "pcpu-alloc:" / "percpu: Embedded" boot messages. The runtime
 * (percpu/) and host tools share it; nothing here touches memory other than what the
 * caller hands in, so it builds freestanding and on the host alike.
 *
 * Memory for a struct pcpu_alloc_info comes from a caller callback (there is no malloc
 * when this runs); pcpu_bump_alloc() turns a plain caller buffer into such a callback.
 */
#ifndef PCPURT_PERCPU_LAYOUT_H
#define PCPURT_PERCPU_LAYOUT_H

#include <pcpurt/compiler.h>
#include <pcpurt/percpu_defs.h>


/* The dynamic space early boot needs (PCPU_MIN_UNIT_SIZE: the smallest unit). */
#ifndef PERCPU_DYNAMIC_EARLY_SIZE
#define PERCPU_DYNAMIC_EARLY_SIZE (12UL << 10)
#endif

/* Most CPU ids (nr_cpu_ids) pcpu_build_alloc_info() accepts (NR_CPUS default). */
#define PCPU_MAX_CPUS		512
/* Largest atom accepted: bounds the search over units per allocation. */
#define PCPU_MAX_ATOM_SIZE	(1UL << 30)

#ifndef LOCAL_DISTANCE
#define LOCAL_DISTANCE		10
#endif

/* cpu_map[] value of a unit no CPU uses (Linux writes NR_CPUS there). */
#define PCPU_UNIT_NONE		0xffffffffu

/* Error returns (negated errno values, as Linux uses them). */
#define PCPU_ENOMEM		12
#define PCPU_EINVAL		22

struct pcpu_group_info {
	int nr_units;			/* units in the group, a multiple of upa */
	unsigned long base_offset;	/* byte offset of the group from the lowest group */
	unsigned int *cpu_map;		/* unit -> cpu, PCPU_UNIT_NONE for an unused unit */
};

struct pcpu_alloc_info {
	size_t static_size;		/* kernel image's per-CPU section */
	size_t reserved_size;		/* reserved (module) area after it */
	size_t dyn_size;		/* dynamic area after that */
	size_t unit_size;		/* bytes per CPU: alloc_size / upa */
	size_t atom_size;		/* allocation granule */
	size_t alloc_size;		/* bytes per allocation: upa units */
	size_t __ai_size;		/* bytes this structure occupies (page aligned) */
	int nr_groups;
	struct pcpu_group_info groups[];
};

/* Returns @size bytes aligned for struct pcpu_alloc_info, or NULL. */
typedef void *(*pcpu_info_alloc_fn_t)(size_t size, void *ctx);

/* Node distance between two CPUs (LOCAL_DISTANCE, 10, for the same node). */
typedef int (*pcpu_cpu_distance_fn_t)(unsigned int from, unsigned int to, void *ctx);

/* printk-shaped output function; NULL means printk. Each call gets one whole line. */
typedef int (*pcpu_printer_t)(const char *fmt, ...);

/* The CPUs the layout is for. */
struct pcpu_topology {
	unsigned int nr_cpu_ids;	/* CPU ids run 0..nr_cpu_ids-1 */
	const unsigned long *possible;	/* bitmap of nr_cpu_ids bits; NULL: all possible */
	pcpu_cpu_distance_fn_t distance;/* NULL: every CPU is local to every other */
	void *distance_ctx;
};

/* A caller buffer handed out front to back; ctx for pcpu_bump_alloc(). */
struct pcpu_bump {
	void *base;
	size_t size;
	size_t used;
};

/* Result of pcpu_map_units(): what pcpu_setup_first_chunk() derives. */
struct pcpu_unit_map {
	unsigned int *unit_map;		/* [nr_cpu_ids] cpu -> unit or PCPU_UNIT_NONE */
	unsigned long *unit_off;	/* [nr_cpu_ids] cpu -> byte offset of its unit */
	unsigned long *group_offsets;	/* [nr_groups] or NULL */
	size_t *group_sizes;		/* [nr_groups] or NULL */
	int nr_units;			/* units over all groups, used or not */
	unsigned int low_unit_cpu;	/* CPU with the lowest unit offset */
	unsigned int high_unit_cpu;	/* CPU with the highest unit offset */
	const char *why;		/* on failure: the check that failed */
};

/* True when @cpu is possible in @topo (and below nr_cpu_ids). */
bool pcpu_cpu_possible(const struct pcpu_topology *topo, unsigned int cpu);

/* Number of possible CPUs in @topo. */
unsigned int pcpu_num_possible(const struct pcpu_topology *topo);

/* pcpu_info_alloc_fn_t over a struct pcpu_bump: 16-byte aligned, zeroed, never freed. */
void *pcpu_bump_alloc(size_t size, void *ctx);

/*
 * pcpu_alloc_alloc_info() - an empty alloc_info for @nr_groups groups and @nr_units units.
 * groups[0].cpu_map points at @nr_units entries, all PCPU_UNIT_NONE; the caller points
 * the other groups' cpu_map into that array. Asks @alloc for the page-aligned size, which
 * is recorded in __ai_size. Returns NULL when @alloc fails or misaligns.
 */
struct pcpu_alloc_info *pcpu_alloc_alloc_info(int nr_groups, int nr_units,
					      pcpu_info_alloc_fn_t alloc, void *alloc_ctx);

/*
 * pcpu_build_alloc_info() - Linux's first-chunk layout for @topo.
 *
 * The dynamic size grows to at least PERCPU_DYNAMIC_EARLY_SIZE and then so that
 * static + reserved + dynamic is a page multiple. CPUs are grouped in id order: the lowest
 * ungrouped CPU opens a group and takes every later ungrouped CPU whose distance to it is
 * LOCAL_DISTANCE both ways. Units per allocation: the largest upa that divides the
 * allocation into page-aligned units and wastes at most a third of the units, taken
 * downwards while it does not need more allocations. Groups sit back to back
 * (base_offset = first unit * unit_size) until the caller places them.
 *
 * @atom_size must be a nonzero page multiple (at most PCPU_MAX_ATOM_SIZE); @topo must
 * have 1..PCPU_MAX_CPUS ids and a possible CPU. Returns 0 and sets *@aip, or
 * -PCPU_EINVAL / -PCPU_ENOMEM. Not reentrant (uses static scratch, like Linux).
 */
int pcpu_build_alloc_info(size_t static_size, size_t reserved_size, size_t dyn_size,
			  size_t atom_size, const struct pcpu_topology *topo,
			  pcpu_info_alloc_fn_t alloc, void *alloc_ctx,
			  struct pcpu_alloc_info **aip);

/* Units per allocation of @ai (alloc_size / unit_size; 0 if unit_size is 0). */
size_t pcpu_ai_upa(const struct pcpu_alloc_info *ai);

/* static + reserved + dynamic size of @ai: the bytes of a unit that hold data. */
size_t pcpu_ai_size_sum(const struct pcpu_alloc_info *ai);

/* First CPU of a group (the one whose node gets the group's memory), or PCPU_UNIT_NONE. */
unsigned int pcpu_group_first_cpu(const struct pcpu_group_info *gi);

/*
 * pcpu_place_groups() - record where the caller allocated each group.
 * @areas[g] is the address of group g's nr_units * unit_size bytes. Sets *@base to the
 * lowest area, each base_offset to its distance from *@base, and *@max_distance (may be
 * NULL) to the end of the highest group (its base_offset plus its units), the span an
 * embedding must cover.
 */
void pcpu_place_groups(struct pcpu_alloc_info *ai, const uintptr_t *areas, uintptr_t *base,
		       size_t *max_distance);

/*
 * pcpu_map_units() - check @ai as pcpu_setup_first_chunk() does and derive cpu -> unit.
 * @base_addr is the address of the first chunk (lowest group). Fills @um's arrays (the
 * caller sizes them by topo->nr_cpu_ids and ai->nr_groups). Returns 0, or -PCPU_EINVAL
 * with um->why naming the failed check: no groups, empty static area, base zero or not
 * page aligned, unit smaller than the data / not page aligned / under PCPU_MIN_UNIT_SIZE,
 * dynamic area under PERCPU_DYNAMIC_EARLY_SIZE, reserved size not a PCPU_MIN_ALLOC_SIZE
 * multiple, a unit naming a CPU out of range, impossible or already mapped, a possible
 * CPU left without a unit.
 */
int pcpu_map_units(const struct pcpu_alloc_info *ai, const struct pcpu_topology *topo,
		   uintptr_t base_addr, struct pcpu_unit_map *um);

/*
 * pcpu_cpu_offsets() - __per_cpu_offset[] from a unit map: for every CPU with a unit,
 * offset = (base_addr - per_cpu_start) + unit_off (modulo 2^BITS_PER_LONG, so a base
 * below the link-time section works). CPUs without a unit are left untouched.
 */
void pcpu_cpu_offsets(const struct pcpu_unit_map *um, unsigned int nr_cpu_ids,
		      uintptr_t base_addr, uintptr_t per_cpu_start, unsigned long *offsets);

/*
 * pcpu_dump_alloc_info() - the "pcpu-alloc:" lines Linux prints, one @print call per
 * line (NULL: printk), each ending in "\n". Group numbers are zero padded to the digits
 * of nr_groups, CPU numbers to the digits of the possible-CPU count (the units in use),
 * unused units print as dashes, and a line holds the largest power of two of allocations
 * whose text fits 60 columns (at least one). A line longer than the internal buffer
 * (about 500 chars, only with hundreds of units per allocation) goes out in pieces.
 */
void pcpu_dump_alloc_info(const struct pcpu_alloc_info *ai, pcpu_printer_t print);

/*
 * pcpu_format_embedded() - "percpu: Embedded %zu pages/cpu s%zu r%zu d%zu u%zu" for @ai
 * (pages = size_sum in whole pages), without a newline, into @buf. Returns what
 * snprintf returns.
 */
int pcpu_format_embedded(char *buf, size_t size, const struct pcpu_alloc_info *ai);

/* Print pcpu_format_embedded()'s line, newline added, through @print (NULL: printk). */
void pcpu_print_embedded(const struct pcpu_alloc_info *ai, pcpu_printer_t print);

#endif
