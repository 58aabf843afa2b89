/* dt_internal.h - helpers shared by the drivers/of/dt*.c files (not for other folders). */
#ifndef BOOT_DT_INTERNAL_H
#define BOOT_DT_INTERNAL_H

#include <pcpurt/dt.h>
#include <libfdt.h>

uint64_t dt_read_cells(const fdt32_t *p, int n);
/* dt_get_string() - a string property, or NULL when absent or not NUL-terminated. */
const char *dt_get_string(const void *fdt, int node, const char *name);
bool dt_node_okay(const void *fdt, int node);
bool dt_compat_has(const void *fdt, int node, const char *compat);
int dt_get_u32(const void *fdt, int node, const char *name, uint32_t *out);
/* dt_get_reg() - entry @idx of @node's reg, translated to a CPU address. 0 or -errno-like. */
int dt_get_reg(const void *fdt, int node, int idx, uint64_t *base, uint64_t *size);
int dt_node_numa_id(const void *fdt, int node);

/* parts of dt_parse() that dt_parse_unchecked() also runs, on the salvaged copy */
void dt_parse_chosen(const void *fdt, struct dt_info *info);
void dt_parse_psci(const void *fdt, struct dt_info *info);
void dt_parse_finisher(const void *fdt, struct dt_info *info);
int dt_salvage(const void *fdt, void *buf, int size);

void dt_parse_cpus(const void *fdt, struct dt_info *info);
void dt_parse_numa(const void *fdt, struct dt_info *info);

#endif
