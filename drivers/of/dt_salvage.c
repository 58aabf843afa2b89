/*
 * dt_salvage.c - read what can be read of a device tree that failed dt_check(): enough to
 * report the failure on its console and end the run through its power-off device.
 *
 * libfdt's walkers assume a checked tree: on a property whose length wraps the offset
 * around they loop for ever. So a failed tree is never walked by them. Instead its tags
 * are copied, with libfdt's own tag and property readers and a check that every step
 * moves forward, into a new tree built with libfdt's sequential-write functions, up to
 * the first tag that is bad; the nodes still open are then closed. The copy passes
 * fdt_check_full() and is read by the normal code. /cpus is left out (it is the largest
 * part of a big tree, and a failed boot needs no CPU).
 */
#include "dt_internal.h"
#include <string.h>

/* room kept back for closing the open nodes and the final FDT_END */
#define SALVAGE_CLOSE_ROOM 1024
#define SALVAGE_MAX_DEPTH (SALVAGE_CLOSE_ROOM / 8)

/*
 * dt_salvage() - copy the valid beginning of @fdt into @buf (@size bytes) as a tree that
 * passes fdt_check_full(). Returns 0 when the whole tree was copied (but /cpus), 1 when
 * the copy stopped early (a bad tag, or no room), or a negative libfdt error when not even
 * an empty tree could be made (a bad header).
 */
int dt_salvage(const void *fdt, void *buf, int size)
{
	int offset = 0, next, depth = 0, opened = 0, skip_depth = 0, err, len;
	bool stopped = true;

	if (fdt_check_header(fdt))
		return -FDT_ERR_BADMAGIC;
	/* tags are read as 32-bit words: a misaligned structure block is not walked at all */
	if (((uintptr_t)fdt | fdt_off_dt_struct(fdt)) % FDT_TAGSIZE)
		return -FDT_ERR_ALIGNMENT;
	if (size <= 2 * SALVAGE_CLOSE_ROOM)
		return -FDT_ERR_NOSPACE;
	err = fdt_create(buf, size - SALVAGE_CLOSE_ROOM);
	if (!err)
		err = fdt_finish_reservemap(buf);
	if (err)
		return err;
	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, offset, &next);
		const struct fdt_property *prop;
		const char *name;

		if (next < 0 || next <= offset)
			break;
		if (tag == FDT_END) {
			stopped = depth != 0;
			break;
		}
		if (tag == FDT_BEGIN_NODE) {
			name = fdt_get_name(fdt, offset, &len);
			if (!name || opened == SALVAGE_MAX_DEPTH)
				break;
			depth++;
			if (!skip_depth && depth == 2 && !strcmp(name, "cpus"))
				skip_depth = depth;
			if (!skip_depth) {
				if (fdt_begin_node(buf, name))
					break;
				opened++;
			}
		} else if (tag == FDT_END_NODE) {
			if (depth == 0)
				break;
			if (!skip_depth) {
				if (fdt_end_node(buf))
					break;
				opened--;
			}
			if (skip_depth == depth)
				skip_depth = 0;
			depth--;
		} else if (tag == FDT_PROP) {
			prop = fdt_get_property_by_offset(fdt, offset, &len);
			/* the value must lie inside the tag's own step (a length of -1 does not) */
			if (!prop || len < 0 || (int64_t)sizeof(*prop) + len > (int64_t)next - offset)
				break;
			name = fdt_get_string(fdt, fdt32_ld(&prop->nameoff), NULL);
			if (!name || depth == 0)
				break;
			if (!skip_depth && fdt_property(buf, name, prop->data, len))
				break;
		} else if (tag != FDT_NOP) {
			break;
		}
		offset = next;
	}
	/* close what is open in the room kept back */
	if (fdt_resize(buf, buf, size))
		return -FDT_ERR_NOSPACE;
	for (; opened > 0; opened--)
		fdt_end_node(buf);
	err = fdt_finish(buf);
	if (err)
		return err;
	return stopped ? 1 : 0;
}

static char salvage_buf[128 << 10] __attribute__((aligned(8)));

void dt_parse_unchecked(const void *fdt, struct dt_info *info)
{
	memset(info, 0, sizeof(*info));
	info->fdt = fdt;
	if (dt_salvage(fdt, salvage_buf, sizeof(salvage_buf)) < 0 ||
	    fdt_check_full(salvage_buf, sizeof(salvage_buf)))
		return;
	dt_parse_chosen(salvage_buf, info);
	dt_parse_psci(salvage_buf, info);
	dt_parse_finisher(salvage_buf, info);
}
