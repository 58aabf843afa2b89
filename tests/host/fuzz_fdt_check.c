/*
 * fuzz_fdt_check.c - differential libFuzzer target: our fdt_check_full() (lib/fdt_check.c,
 * renamed pcpurt_fdt_check_full for this build) against the one in Debian's libfdt
 * (libfdt1 1.6.1) on the same bytes. Both must accept or both must reject; the first
 * disagreement is reported as a crash, with the input classified.
 *
 * Ours is stricter than 1.6.1 on purpose in a few classes of trees (listed in
 * why_stricter()): those are let through unless FUZZ_FDT_CHECK_STRICT=1. Every other
 * disagreement, and every tree ours accepts and Debian's rejects, is a crash.
 *
 * Inputs are copied to end right before an inaccessible page (8-byte aligned, libfdt
 * insists), so reads past the buffer in either version - including inside the
 * uninstrumented libfdt.so - fault instead of going unnoticed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <libfdt.h>
#include <sanitizer/common_interface_defs.h>

#define FUZZ_MAX_INPUT (1U << 20)
#include "fuzz_guard.h"

int pcpurt_fdt_check_full(const void *fdt, size_t bufsize);

/* What was running, for the sanitizer's death callback. */
static const char *running;
static size_t running_size;
static unsigned int running_hdr;

static void on_death(void)
{
	if (!running)
		return;
	fprintf(stderr, "fuzz_fdt_check: crashed in %s on %zu bytes", running, running_size);
	if (running_hdr && running_size < running_hdr)
		fprintf(stderr, ", shorter than the %u-byte header its version field describes: "
			"header fields were read past the buffer", running_hdr);
	fprintf(stderr, "\n");
}

/*
 * Why the two differ, for inputs Debian's libfdt accepts and ours rejects. Debian's walk
 * accepted the structure block, so fdt_next_tag() can walk it. Returns a description, and
 * sets *deliberate when lib/fdt_check.c rejects this class on purpose (its header comment:
 * "nodes nest properly under a single root", "every node name ... is readable").
 */
static const char *why_stricter(const void *fdt, bool *deliberate)
{
	int off = 0, next, depth = 0, len;
	bool root_done = false, root_seen = false;
	uint32_t tag;

	*deliberate = true;
	if (fdt_totalsize(fdt) > (64U << 20))
		return "totalsize above lib/fdt_check.c's 64 MiB sanity limit";
	for (;;) {
		tag = fdt_next_tag(fdt, off, &next);
		if (next < 0)
			break;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (root_done)
				return "a second top-level node after the root closed";
			root_seen = true;
			depth++;
			if (!fdt_get_name(fdt, off, &len))
				return "a node name fdt_get_name() cannot read (version < 16 trees "
				       "need a '/' in every name)";
			break;
		case FDT_END_NODE:
			if (--depth == 0)
				root_done = true;
			break;
		case FDT_PROP:
			if (depth == 0)
				return root_done ? "a property after the root closed" :
						   "a property before the root node";
			break;
		case FDT_END:
			if (!root_seen)
				return "no root node (the structure block has no node at all)";
			*deliberate = false;
			return "unclassified (both walks should agree)";
		}
		off = next;
	}
	*deliberate = false;
	return "unclassified (the walk failed)";
}

/* Why, for inputs ours accepts and Debian's libfdt rejects (never deliberate). */
static const char *why_laxer(const void *fdt)
{
	int off = 0, next, depth = 0, len;
	bool root_done = false;
	const char *name;
	uint32_t tag;

	for (;;) {
		tag = fdt_next_tag(fdt, off, &next);
		if (next < 0 || tag == FDT_END)
			break;
		if (root_done)
			return "a tag other than FDT_END (FDT_NOP) after the root node closed";
		if (tag == FDT_BEGIN_NODE && depth++ == 0) {
			name = fdt_get_name(fdt, off, &len);
			if (name && len)
				return "the root node's name is not empty";
		} else if (tag == FDT_END_NODE && --depth == 0) {
			root_done = true;
		}
		off = next;
	}
	return "ours accepts what Debian's libfdt rejects (unclassified)";
}

/*
 * Debian's libfdt 1.6.1 fdt_check_full() dereferences what fdt_get_name() returns for a
 * top-level node without checking it for NULL, and fdt_get_name() fails on trees older than
 * version 16 whose node name has no '/': Debian's function then crashes. Returns true for
 * such inputs (only trees Debian's header checks would let through get that far).
 */
static bool debian_would_crash(const void *fdt, size_t size)
{
	int off = 0, next, depth = 0, len;
	uint32_t tag;

	if (size < FDT_V1_SIZE || size < fdt_header_size(fdt) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) > size || fdt_version(fdt) >= 0x10 || fdt_num_mem_rsv(fdt) < 0)
		return false;
	for (;;) {
		tag = fdt_next_tag(fdt, off, &next);
		if (next < 0 || tag == FDT_END || next <= off)
			return false;	/* (a walk that does not move forward is a hang, not this) */
		if (tag == FDT_BEGIN_NODE && depth++ == 0 && !fdt_get_name(fdt, off, &len))
			return true;
		if (tag == FDT_END_NODE)
			depth--;
		off = next;
	}
}

/*
 * Debian's libfdt 1.6.1 loops forever when fdt_next_tag() hands back an offset that does
 * not move forward (a property length that wraps the int offset around). Ours refuses such
 * a tree; this predicts the hang so the reference is not called on it.
 */
static bool debian_would_hang(const void *fdt, size_t size)
{
	int off = 0, next;
	size_t steps;

	if (size < FDT_V1_SIZE || size < fdt_header_size(fdt) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) > size)
		return false;
	for (steps = 0; steps <= size; steps++) {
		uint32_t tag = fdt_next_tag(fdt, off, &next);

		if (next < 0 || tag == FDT_END)
			return false;
		if (next <= off)
			return true;
		off = next;
	}
	return true;
}

/*
 * Debian's libfdt 1.6.1 on these bytes, with bufsize = size. Its fdt_check_header() reads
 * size_dt_strings (header bytes 32-35) whatever the version says, and a version 2 header is
 * only 32 bytes long: for inputs shorter than 36 bytes it reads past the buffer. It is given
 * those bytes as zeros (a copy padded to 36 bytes, still ending at the guard page), so the
 * overread is defined and everything else is still checked at the guard. Hangs and crashes
 * predicted above count as a rejection: ours must reject those too, without crashing.
 */
static int debian_check_full(const uint8_t *data, size_t size)
{
	uint8_t padded[FDT_V3_SIZE] = { 0 };
	const void *fdt;

	if (size < sizeof(padded)) {
		memcpy(padded, data, size);
		fdt = guarded_copy(padded, sizeof(padded));
	} else {
		fdt = guarded_copy(data, size);
	}
	if (debian_would_hang(fdt, size) || debian_would_crash(fdt, size))
		return -FDT_ERR_BADSTRUCTURE;
	return fdt_check_full(fdt, size);
}

static bool strict(void)
{
	static int s = -1;

	if (s < 0) {
		const char *e = getenv("FUZZ_FDT_CHECK_STRICT");

		s = e && *e && strcmp(e, "0");
	}
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const void *fdt;
	const char *why;
	bool deliberate = false;
	int theirs, ours;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	if (!running_size)
		__sanitizer_set_death_callback(on_death);
	running_size = size;
	running = "Debian libfdt's fdt_check_full()";
	theirs = debian_check_full(data, size);
	fdt = guarded_copy(data, size);
	running_hdr = size >= FDT_V1_SIZE ? fdt_header_size(fdt) : 0;
	running = "lib/fdt_check.c's fdt_check_full()";
	ours = pcpurt_fdt_check_full(fdt, size);
	running = NULL;
	if ((theirs == 0) == (ours == 0))
		return 0;
	if (theirs == 0)
		why = why_stricter(fdt, &deliberate);
	else
		why = why_laxer(fdt);
	if (deliberate && !strict())
		return 0;
	fprintf(stderr, "fuzz_fdt_check: DISAGREE on %zu bytes: Debian libfdt %d (%s), "
		"lib/fdt_check.c %d (%s): %s%s\n", size, theirs, fdt_strerror(theirs), ours,
		fdt_strerror(ours), why, deliberate ? " [deliberate, reported because "
		"FUZZ_FDT_CHECK_STRICT is set]" : "");
	abort();
}
