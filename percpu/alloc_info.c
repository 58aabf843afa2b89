/*
 * alloc_info.c - first-chunk layout of the per-CPU allocator: unit size, units per
 * allocation, CPU groups, cpu -> unit offsets and the boot-log lines describing them.
 *
 * Pure arithmetic over caller-supplied memory (see include/pcpurt/percpu_layout.h); the
 * only library calls are memset/memcpy/strlen/snprintf, which the runtime's lib/ and the
 * host both provide.
 */
#include <stdio.h>
#include <string.h>
#include <pcpurt/percpu_layout.h>
#include <pcpurt/printk.h>

#define BITS_PER_ULONG		(8 * sizeof(unsigned long))

/* Each of static/reserved/dynamic size stays below this, so their sums cannot wrap. */
#define PCPU_MAX_AREA_SIZE	(SIZE_MAX / 8)

/* Most groups or units pcpu_alloc_alloc_info() sizes (keeps its sums in range). */
#define PCPU_MAX_INFO_ENTRIES	(1 << 20)

/* Line buffer of pcpu_dump_alloc_info(). */
#define PCPU_DUMP_LINE_MAX	512
/* A line holds as many allocations as fit this many columns (rounded to a power of 2). */
#define PCPU_DUMP_COLUMNS	60

/*
 * Scratch of pcpu_build_alloc_info(), static as in Linux: 512 CPUs' worth would be a
 * large bite out of an early boot stack.
 */
static unsigned short pcpu_group_of[PCPU_MAX_CPUS];
static unsigned short pcpu_group_cnt[PCPU_MAX_CPUS];
static bool pcpu_grouped[PCPU_MAX_CPUS];

static inline size_t pcpu_page_align(size_t x)
{
	return ALIGN_UP(x, PCPU_PAGE_SIZE);
}

static inline bool pcpu_page_aligned(size_t x)
{
	return IS_ALIGNED(x, PCPU_PAGE_SIZE);
}

/* @x rounded up to a multiple of @m (any nonzero @m, not only powers of two). */
static inline size_t pcpu_roundup(size_t x, size_t m)
{
	return DIV_ROUND_UP(x, m) * m;
}

bool pcpu_cpu_possible(const struct pcpu_topology *topo, unsigned int cpu)
{
	if (cpu >= topo->nr_cpu_ids)
		return false;
	if (!topo->possible)
		return true;
	return (topo->possible[cpu / BITS_PER_ULONG] >> (cpu % BITS_PER_ULONG)) & 1;
}

unsigned int pcpu_num_possible(const struct pcpu_topology *topo)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < topo->nr_cpu_ids; cpu++)
		n += pcpu_cpu_possible(topo, cpu);
	return n;
}

void *pcpu_bump_alloc(size_t size, void *ctx)
{
	struct pcpu_bump *b = ctx;
	uintptr_t start = (uintptr_t)b->base;
	uintptr_t p = ALIGN_UP(start + b->used, (uintptr_t)16);
	size_t off = p - start;

	if (off > b->size || size > b->size - off)
		return NULL;
	b->used = off + size;
	memset((void *)p, 0, size);
	return (void *)p;
}

struct pcpu_alloc_info *pcpu_alloc_alloc_info(int nr_groups, int nr_units,
					      pcpu_info_alloc_fn_t alloc, void *alloc_ctx)
{
	struct pcpu_alloc_info *ai;
	size_t base_size, ai_size;
	unsigned int *cpu_map;
	void *ptr;
	int unit;

	if (!alloc || nr_groups < 1 || nr_groups > PCPU_MAX_INFO_ENTRIES || nr_units < 0 ||
	    nr_units > PCPU_MAX_INFO_ENTRIES)
		return NULL;

	/* header and group array, then the cpu_map entries of all groups */
	base_size = ALIGN_UP(sizeof(*ai) + (size_t)nr_groups * sizeof(ai->groups[0]),
			     _Alignof(unsigned int));
	ai_size = pcpu_page_align(base_size + (size_t)nr_units * sizeof(*cpu_map));

	ptr = alloc(ai_size, alloc_ctx);
	if (!ptr || (uintptr_t)ptr % _Alignof(struct pcpu_alloc_info))
		return NULL;
	memset(ptr, 0, ai_size);

	ai = ptr;
	cpu_map = (unsigned int *)((char *)ptr + base_size);
	for (unit = 0; unit < nr_units; unit++)
		cpu_map[unit] = PCPU_UNIT_NONE;
	ai->groups[0].cpu_map = cpu_map;
	ai->nr_groups = nr_groups;
	ai->__ai_size = ai_size;
	return ai;
}

/*
 * Group the possible CPUs: the lowest ungrouped CPU leads a new group and takes every
 * later ungrouped CPU that is LOCAL_DISTANCE from it in both directions. Fills the
 * static scratch and returns the number of groups.
 */
static int pcpu_group_cpus(const struct pcpu_topology *topo)
{
	unsigned int nr_ids = topo->nr_cpu_ids;
	unsigned int cpu, tcpu;
	int nr_groups = 0;

	memset(pcpu_group_of, 0, sizeof(pcpu_group_of));
	memset(pcpu_group_cnt, 0, sizeof(pcpu_group_cnt));
	memset(pcpu_grouped, 0, sizeof(pcpu_grouped));

	for (cpu = 0; cpu < nr_ids; cpu++) {
		int group;

		if (pcpu_grouped[cpu] || !pcpu_cpu_possible(topo, cpu))
			continue;
		group = nr_groups++;
		pcpu_grouped[cpu] = true;
		pcpu_group_of[cpu] = group;
		pcpu_group_cnt[group]++;

		for (tcpu = cpu + 1; tcpu < nr_ids; tcpu++) {
			if (pcpu_grouped[tcpu] || !pcpu_cpu_possible(topo, tcpu))
				continue;
			if (topo->distance &&
			    (topo->distance(cpu, tcpu, topo->distance_ctx) != LOCAL_DISTANCE ||
			     topo->distance(tcpu, cpu, topo->distance_ctx) != LOCAL_DISTANCE))
				continue;
			pcpu_grouped[tcpu] = true;
			pcpu_group_of[tcpu] = group;
			pcpu_group_cnt[group]++;
		}
	}
	return nr_groups;
}

/* True when @upa units split @alloc_size evenly into page-aligned units. */
static inline bool pcpu_upa_fits(size_t alloc_size, size_t upa)
{
	return !(alloc_size % upa) && pcpu_page_aligned(alloc_size / upa);
}

/*
 * Pick the units per allocation: from @max_upa down, skip counts that do not split the
 * allocation into page-aligned units or waste more than a third of the possible CPUs'
 * worth of units; keep going down while the number of allocations does not grow.
 */
static size_t pcpu_pick_upa(size_t alloc_size, size_t max_upa, int nr_groups,
			    unsigned int nr_possible)
{
	size_t last_allocs = SIZE_MAX, best_upa = 1, upa;
	int group;

	for (upa = max_upa; upa; upa--) {
		size_t allocs = 0, wasted = 0;

		if (!pcpu_upa_fits(alloc_size, upa))
			continue;

		for (group = 0; group < nr_groups; group++) {
			size_t cnt = pcpu_group_cnt[group];
			size_t this_allocs = DIV_ROUND_UP(cnt, upa);

			allocs += this_allocs;
			wasted += this_allocs * upa - cnt;
		}

		/* strictly greater: upa == 1 wastes nothing and always passes */
		if (wasted > nr_possible / 3)
			continue;
		if (allocs > last_allocs)
			break;
		last_allocs = allocs;
		best_upa = upa;
	}
	return best_upa;
}

int pcpu_build_alloc_info(size_t static_size, size_t reserved_size, size_t dyn_size,
			  size_t atom_size, const struct pcpu_topology *topo,
			  pcpu_info_alloc_fn_t alloc, void *alloc_ctx,
			  struct pcpu_alloc_info **aip)
{
	size_t size_sum, min_unit_size, alloc_size, upa, max_upa;
	unsigned int nr_possible, cpu;
	struct pcpu_alloc_info *ai;
	unsigned int *cpu_map;
	int nr_groups, nr_units, group, unit;

	if (!aip)
		return -PCPU_EINVAL;
	*aip = NULL;
	if (!topo || !alloc || !topo->nr_cpu_ids || topo->nr_cpu_ids > PCPU_MAX_CPUS)
		return -PCPU_EINVAL;
	if (!atom_size || !pcpu_page_aligned(atom_size) || atom_size > PCPU_MAX_ATOM_SIZE)
		return -PCPU_EINVAL;
	if (static_size > PCPU_MAX_AREA_SIZE || reserved_size > PCPU_MAX_AREA_SIZE ||
	    dyn_size > PCPU_MAX_AREA_SIZE)
		return -PCPU_EINVAL;
	nr_possible = pcpu_num_possible(topo);
	if (!nr_possible)
		return -PCPU_EINVAL;

	/*
	 * The data of a unit: the dynamic part is at least the early minimum and then takes
	 * the slack up to the next page, so the three parts add up to whole pages.
	 */
	size_sum = pcpu_page_align(static_size + reserved_size +
				   MAX(dyn_size, (size_t)PERCPU_DYNAMIC_EARLY_SIZE));
	dyn_size = size_sum - static_size - reserved_size;

	/*
	 * An allocation is the smallest atom multiple holding one minimum unit; as many
	 * page-aligned units of at least that minimum as divide it evenly is the ceiling
	 * on units per allocation. alloc_size is a page multiple, so upa 1 always fits.
	 */
	min_unit_size = MAX(size_sum, (size_t)PCPU_MIN_UNIT_SIZE);
	alloc_size = pcpu_roundup(min_unit_size, atom_size);
	max_upa = alloc_size / min_unit_size;
	while (!pcpu_upa_fits(alloc_size, max_upa))
		max_upa--;

	nr_groups = pcpu_group_cpus(topo);
	upa = pcpu_pick_upa(alloc_size, max_upa, nr_groups, nr_possible);

	nr_units = 0;
	for (group = 0; group < nr_groups; group++)
		nr_units += pcpu_roundup(pcpu_group_cnt[group], upa);

	ai = pcpu_alloc_alloc_info(nr_groups, nr_units, alloc, alloc_ctx);
	if (!ai)
		return -PCPU_ENOMEM;

	cpu_map = ai->groups[0].cpu_map;
	for (group = 0; group < nr_groups; group++) {
		ai->groups[group].cpu_map = cpu_map;
		cpu_map += pcpu_roundup(pcpu_group_cnt[group], upa);
	}

	ai->static_size = static_size;
	ai->reserved_size = reserved_size;
	ai->dyn_size = dyn_size;
	ai->unit_size = alloc_size / upa;
	ai->atom_size = atom_size;
	ai->alloc_size = alloc_size;

	for (group = 0, unit = 0; group < nr_groups; group++) {
		struct pcpu_group_info *gi = &ai->groups[group];

		/* groups back to back until the caller knows where they really are */
		gi->base_offset = (unsigned long)unit * ai->unit_size;
		for (cpu = 0; cpu < topo->nr_cpu_ids; cpu++)
			if (pcpu_grouped[cpu] && pcpu_group_of[cpu] == group)
				gi->cpu_map[gi->nr_units++] = cpu;
		gi->nr_units = pcpu_roundup(gi->nr_units, upa);
		unit += gi->nr_units;
	}

	*aip = ai;
	return 0;
}

size_t pcpu_ai_upa(const struct pcpu_alloc_info *ai)
{
	return ai->unit_size ? ai->alloc_size / ai->unit_size : 0;
}

size_t pcpu_ai_size_sum(const struct pcpu_alloc_info *ai)
{
	return ai->static_size + ai->reserved_size + ai->dyn_size;
}

unsigned int pcpu_group_first_cpu(const struct pcpu_group_info *gi)
{
	int i;

	for (i = 0; i < gi->nr_units; i++)
		if (gi->cpu_map[i] != PCPU_UNIT_NONE)
			return gi->cpu_map[i];
	return PCPU_UNIT_NONE;
}

void pcpu_place_groups(struct pcpu_alloc_info *ai, const uintptr_t *areas, uintptr_t *base,
		       size_t *max_distance)
{
	uintptr_t lowest = UINTPTR_MAX;
	size_t max_off = 0;
	int group, highest = 0;

	for (group = 0; group < ai->nr_groups; group++)
		lowest = MIN(lowest, areas[group]);

	for (group = 0; group < ai->nr_groups; group++) {
		ai->groups[group].base_offset = areas[group] - lowest;
		if (ai->groups[group].base_offset >= max_off) {
			max_off = ai->groups[group].base_offset;
			highest = group;
		}
	}

	*base = lowest;
	/* the span up to the end of the highest group, as Linux computes it since v5.x */
	if (max_distance)
		*max_distance = max_off + ai->groups[highest].nr_units * ai->unit_size;
}

#define PCPU_MAP_CHECK(um, cond)				\
	do {							\
		if (cond) {					\
			(um)->why = #cond;			\
			return -PCPU_EINVAL;			\
		}						\
	} while (0)

int pcpu_map_units(const struct pcpu_alloc_info *ai, const struct pcpu_topology *topo,
		   uintptr_t base_addr, struct pcpu_unit_map *um)
{
	unsigned int nr_ids, cpu;
	int group, unit, i;

	um->why = NULL;
	um->nr_units = 0;
	um->low_unit_cpu = PCPU_UNIT_NONE;
	um->high_unit_cpu = PCPU_UNIT_NONE;

	PCPU_MAP_CHECK(um, !ai || !topo || !um->unit_map || !um->unit_off);
	PCPU_MAP_CHECK(um, ai->nr_groups <= 0);
	PCPU_MAP_CHECK(um, !ai->static_size);
	PCPU_MAP_CHECK(um, !base_addr);
	PCPU_MAP_CHECK(um, !pcpu_page_aligned(base_addr));
	PCPU_MAP_CHECK(um, ai->unit_size < pcpu_ai_size_sum(ai));
	PCPU_MAP_CHECK(um, !pcpu_page_aligned(ai->unit_size));
	PCPU_MAP_CHECK(um, ai->unit_size < PCPU_MIN_UNIT_SIZE);
	PCPU_MAP_CHECK(um, ai->dyn_size < PERCPU_DYNAMIC_EARLY_SIZE);
	PCPU_MAP_CHECK(um, !IS_ALIGNED(ai->reserved_size, PCPU_MIN_ALLOC_SIZE));

	nr_ids = topo->nr_cpu_ids;
	for (cpu = 0; cpu < nr_ids; cpu++) {
		um->unit_map[cpu] = PCPU_UNIT_NONE;
		um->unit_off[cpu] = 0;
	}

	for (group = 0, unit = 0; group < ai->nr_groups; group++, unit += i) {
		const struct pcpu_group_info *gi = &ai->groups[group];

		PCPU_MAP_CHECK(um, gi->nr_units < 0);
		PCPU_MAP_CHECK(um, gi->nr_units && !gi->cpu_map);
		if (um->group_offsets)
			um->group_offsets[group] = gi->base_offset;
		if (um->group_sizes)
			um->group_sizes[group] = gi->nr_units * ai->unit_size;

		for (i = 0; i < gi->nr_units; i++) {
			unsigned int *low = &um->low_unit_cpu, *high = &um->high_unit_cpu;

			cpu = gi->cpu_map[i];
			if (cpu == PCPU_UNIT_NONE)
				continue;

			PCPU_MAP_CHECK(um, cpu >= nr_ids);
			PCPU_MAP_CHECK(um, !pcpu_cpu_possible(topo, cpu));
			PCPU_MAP_CHECK(um, um->unit_map[cpu] != PCPU_UNIT_NONE);

			um->unit_map[cpu] = unit + i;
			um->unit_off[cpu] = gi->base_offset + (unsigned long)i * ai->unit_size;

			/* the first CPU found wins a tie, as in Linux */
			if (*low == PCPU_UNIT_NONE || um->unit_off[cpu] < um->unit_off[*low])
				*low = cpu;
			if (*high == PCPU_UNIT_NONE || um->unit_off[cpu] > um->unit_off[*high])
				*high = cpu;
		}
	}
	um->nr_units = unit;

	for (cpu = 0; cpu < nr_ids; cpu++)
		PCPU_MAP_CHECK(um, pcpu_cpu_possible(topo, cpu) &&
				   um->unit_map[cpu] == PCPU_UNIT_NONE);
	return 0;
}

void pcpu_cpu_offsets(const struct pcpu_unit_map *um, unsigned int nr_cpu_ids,
		      uintptr_t base_addr, uintptr_t per_cpu_start, unsigned long *offsets)
{
	unsigned long delta = (unsigned long)base_addr - (unsigned long)per_cpu_start;
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (um->unit_map[cpu] != PCPU_UNIT_NONE)
			offsets[cpu] = delta + um->unit_off[cpu];
}

/* One output line under construction; goes out through one print call. */
struct pcpu_line {
	pcpu_printer_t print;
	size_t len;
	char buf[PCPU_DUMP_LINE_MAX];
};

static void pcpu_line_flush(struct pcpu_line *l)
{
	if (!l->len)
		return;
	l->buf[l->len] = '\0';
	l->print("%s", l->buf);
	l->len = 0;
}

/* Append @s (shorter than the buffer); a full buffer goes out first, unterminated. */
static void pcpu_line_put(struct pcpu_line *l, const char *s)
{
	size_t n = strlen(s);

	if (l->len + n >= sizeof(l->buf))
		pcpu_line_flush(l);
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* Decimal digits of @v (at least one). */
static int pcpu_digits(unsigned long v)
{
	int n = 1;

	while (v /= 10)
		n++;
	return n;
}

/* Largest power of two not above @v (@v >= 1). */
static size_t pcpu_rounddown_pow2(size_t v)
{
	size_t p = 1;

	while (p <= v / 2)
		p *= 2;
	return p;
}

void pcpu_dump_alloc_info(const struct pcpu_alloc_info *ai, pcpu_printer_t print)
{
	static const char dashes[] = "--------";
	struct pcpu_line line;
	char piece[32], empty[sizeof(dashes)];
	int group_width, cpu_width, group, i;
	size_t upa, width, apl, alloc = 0, alloc_end = 0;
	unsigned long nr_cpus = 0;
	bool open = false;

	line.print = print ? print : printk;
	line.len = 0;

	/* the units in use are the possible CPUs when @ai is consistent */
	for (group = 0; group < ai->nr_groups; group++)
		for (i = 0; i < ai->groups[group].nr_units; i++)
			nr_cpus += ai->groups[group].cpu_map[i] != PCPU_UNIT_NONE;

	group_width = pcpu_digits(ai->nr_groups > 0 ? ai->nr_groups : 0);
	cpu_width = pcpu_digits(nr_cpus);
	memcpy(empty, dashes, sizeof(empty));
	empty[MIN((size_t)cpu_width, sizeof(empty) - 1)] = '\0';

	upa = pcpu_ai_upa(ai);
	if (!upa)
		upa = 1;
	width = upa * (cpu_width + 1) + group_width + 3;
	apl = pcpu_rounddown_pow2(MAX(PCPU_DUMP_COLUMNS / width, (size_t)1));

	line.len = snprintf(line.buf, sizeof(line.buf),
			    "pcpu-alloc: s%zu r%zu d%zu u%zu alloc=%zu*%zu\n",
			    ai->static_size, ai->reserved_size, ai->dyn_size, ai->unit_size,
			    ai->atom_size ? ai->alloc_size / ai->atom_size : 0, ai->atom_size);
	if (line.len >= sizeof(line.buf))
		line.len = sizeof(line.buf) - 1;
	pcpu_line_flush(&line);

	for (group = 0; group < ai->nr_groups; group++) {
		const struct pcpu_group_info *gi = &ai->groups[group];
		size_t unit = 0, unit_end = 0;

		/* a group is a whole number of allocations; a partial one is not shown */
		for (alloc_end += (gi->nr_units > 0 ? gi->nr_units : 0) / upa;
		     alloc < alloc_end; alloc++) {
			if (!(alloc % apl)) {
				if (open) {
					pcpu_line_put(&line, "\n");
					pcpu_line_flush(&line);
				}
				pcpu_line_put(&line, "pcpu-alloc: ");
				open = true;
			}
			snprintf(piece, sizeof(piece), "[%0*d] ", group_width, group);
			pcpu_line_put(&line, piece);

			for (unit_end += upa; unit < unit_end; unit++) {
				unsigned int cpu = gi->cpu_map[unit];

				if (cpu != PCPU_UNIT_NONE)
					snprintf(piece, sizeof(piece), "%0*d ", cpu_width,
						 (int)cpu);
				else
					snprintf(piece, sizeof(piece), "%s ", empty);
				pcpu_line_put(&line, piece);
			}
		}
	}
	if (open) {
		pcpu_line_put(&line, "\n");
		pcpu_line_flush(&line);
	}
}

int pcpu_format_embedded(char *buf, size_t size, const struct pcpu_alloc_info *ai)
{
	return snprintf(buf, size, "percpu: Embedded %zu pages/cpu s%zu r%zu d%zu u%zu",
			pcpu_ai_size_sum(ai) >> PCPU_PAGE_SHIFT, ai->static_size,
			ai->reserved_size, ai->dyn_size, ai->unit_size);
}

void pcpu_print_embedded(const struct pcpu_alloc_info *ai, pcpu_printer_t print)
{
	char buf[160];

	pcpu_format_embedded(buf, sizeof(buf), ai);
	(print ? print : printk)("%s\n", buf);
}
