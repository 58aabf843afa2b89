/*
 * fdt_check.c - fdt_check_full(): a full structural check of a flattened device tree.
 *
 * libfdt declares fdt_check_full(), but the libfdt copy Debian ships in linux-source-6.1
 * leaves out the file that defines it (Linux does not build it). This is our own version,
 * written only against libfdt's public API (see docs/decisions.md). It guarantees that
 * the buffer holds the whole header (and never less than 36 bytes), every tag of the
 * structure block lies inside the blob, that nodes nest properly under a single root with
 * an empty name followed only by FDT_END, that every node name and every property name (an
 * offset into the strings block) is readable, that the walk always moves forward (a
 * property length that wraps the offset around is refused; Debian's libfdt 1.6.1 loops
 * forever there), and that the memory reservation block is terminated.
 */
#include <libfdt.h>

#define FDT_MAX_SANE_SIZE (64U << 20)

int fdt_check_full(const void *fdt, size_t bufsize)
{
	int depth = 0, offset = 0, next, err, len;
	bool root_done = false;

	/*
	 * libfdt's fdt_check_header() reads size_dt_strings (bytes 32-35) whatever the version
	 * says, so a version 2 header (32 bytes) must still have 36 readable bytes. No valid
	 * tree is that short: the reservation block's terminator alone is 16 bytes more.
	 */
	if (bufsize < FDT_V3_SIZE || bufsize < fdt_header_size(fdt))
		return -FDT_ERR_TRUNCATED;
	err = fdt_check_header(fdt);
	if (err)
		return err;
	if (fdt_totalsize(fdt) > bufsize)
		return -FDT_ERR_TRUNCATED;
	if (fdt_totalsize(fdt) > FDT_MAX_SANE_SIZE)
		return -FDT_ERR_BADSTRUCTURE;
	err = fdt_num_mem_rsv(fdt);
	if (err < 0)
		return err;

	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, offset, &next);

		if (next < 0)
			return next;
		if (next <= offset)
			return -FDT_ERR_BADSTRUCTURE;	/* a length that wrapped the offset */
		switch (tag) {
		case FDT_NOP:
			if (root_done)
				return -FDT_ERR_BADSTRUCTURE;	/* only FDT_END after the root */
			break;
		case FDT_END:
			return root_done && depth == 0 ? 0 : -FDT_ERR_BADSTRUCTURE;
		case FDT_BEGIN_NODE:
			if (root_done || depth == INT32_MAX)
				return -FDT_ERR_BADSTRUCTURE;
			depth++;
			if (!fdt_get_name(fdt, offset, &len))
				return len < 0 ? len : -FDT_ERR_BADSTRUCTURE;
			if (depth == 1 && len != 0)
				return -FDT_ERR_BADSTRUCTURE;	/* the root node has no name */
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return -FDT_ERR_BADSTRUCTURE;
			if (--depth == 0)
				root_done = true;
			break;
		case FDT_PROP: {
			const char *name;

			if (depth == 0)
				return -FDT_ERR_BADSTRUCTURE;
			if (!fdt_getprop_by_offset(fdt, offset, &name, &len))
				return len < 0 ? len : -FDT_ERR_BADSTRUCTURE;
			if (!name)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		}
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		offset = next;
	}
}
