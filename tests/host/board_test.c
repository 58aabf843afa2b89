/*
 * board_test.c - each board's device tree through the code the one Image runs at boot:
 * dt_check() and dt_parse() (drivers/of/dt*.c), the CPU numbering (kernel/cpu_map.c), and the
 * console choice (drivers/uart/console.c with the real UART drivers, their MMIO recorded
 * by tests/host/board_shim/asm/arch.h). For each board it checks:
 *   - the CPUs it would start: logical order, hardware ids, and the ones left out
 *     (VisionFive 2 / Unmatched: hart 0, the monitor core without MMU; Pi: 4 spin-table
 *     CPUs with their release addresses);
 *   - the console: driver compatible, base address after the buses' ranges, and the
 *     register layout, seen in the accesses one character makes (address, width);
 *   - the memory it would use (/memory, after the firmware's edit where the board's
 *     firmware writes it: the Pi's trees carry an empty memory@0).
 * Trees: ../shared/dtb (PCPURT_DTB_DIR overrides) and tests/host/board_visionfive2.dts
 * (compiled into build/host/board/).
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcpurt/console.h>
#include <pcpurt/cpu_map.h>
#include <pcpurt/dt.h>
#define TEST_CAPTURE_PRINTK
#include "test_util.h"

#ifndef BOARD_SHARED_DIR
#define BOARD_SHARED_DIR "../shared/dtb"
#endif
#ifndef BOARD_SYNTH_DIR
#define BOARD_SYNTH_DIR "build/host/board"
#endif

/* ---- recorded MMIO ------------------------------------------------------------------- */

struct mmio { uintptr_t addr; int width; bool write; uint32_t val; };
static struct mmio acc[64];
static int nr_acc, nr_reads;
static uint32_t read_value;	/* what every register reads as: "transmitter ready" */

uint32_t board_mmio_read(uintptr_t a, int width)
{
	if (nr_acc < (int)ARRAY_SIZE(acc))
		acc[nr_acc++] = (struct mmio){ a, width, false, 0 };
	if (++nr_reads > 1000) {	/* a driver waiting for a ready bit we never give */
		fprintf(stderr, "board_test: driver polls 0x%lx forever\n", (unsigned long)a);
		exit(1);
	}
	return read_value;
}

void board_mmio_write(uintptr_t a, int width, uint32_t v)
{
	if (nr_acc < (int)ARRAY_SIZE(acc))
		acc[nr_acc++] = (struct mmio){ a, width, true, v };
}

/* ---- expectations -------------------------------------------------------------------- */

struct board {
	const char *file;
	bool synth;			/* in BOARD_SYNTH_DIR, else in the shared folder */
	bool riscv;
	uint64_t boot_hwid;		/* the CPU the firmware enters on */
	int nr_started;			/* CPUs pcpurt would run on, boot CPU included */
	uint64_t hwids[8];		/* logical order */
	uint64_t release[8];		/* spin-table cpu-release-addr, 0 for none */
	const char *skip_msg;		/* a "smp: skipping" line expected, or NULL */
	const char *console;		/* compatible picked */
	uint64_t uart_base;
	uint32_t ready;			/* register value meaning "can transmit" */
	uintptr_t tx_reg;		/* where one character is written */
	int tx_width;			/* and with what access width */
	uintptr_t poll_reg;		/* the status register polled first */
	/* firmware edit of /memory before parsing (Pi), else none */
	const uint32_t *fw_mem; int fw_mem_cells;
	int nr_mem;
	uint64_t mem_base[2], mem_size[2];
};

/* The Pi 4 firmware on a 4 GB board: #address-cells 2, #size-cells 1 in bcm2711. */
static const uint32_t pi4_fw_mem[] = { 0, 0, 0x3b400000, 0, 0x40000000, 0xbc000000 };
/* The Pi 3 tree's memory@0 already says 1 GiB (#address-cells 1, #size-cells 1). */

static const struct board boards[] = {
	{
		.file = "bcm2711-rpi-4-b.dtb", .boot_hwid = 0,
		.nr_started = 4, .hwids = { 0, 1, 2, 3 }, .release = { 0xd8, 0xe0, 0xe8, 0xf0 },
		.console = "brcm,bcm2835-aux-uart", .uart_base = 0xfe215040, .ready = 0x20,
		.tx_reg = 0xfe215040, .tx_width = 4, .poll_reg = 0xfe215054,
		.fw_mem = pi4_fw_mem, .fw_mem_cells = 6,
		.nr_mem = 2, .mem_base = { 0, 0x40000000 }, .mem_size = { 0x3b400000, 0xbc000000 },
	},
	{
		.file = "bcm2837-rpi-3-b.dtb", .boot_hwid = 0,
		.nr_started = 4, .hwids = { 0, 1, 2, 3 }, .release = { 0xd8, 0xe0, 0xe8, 0xf0 },
		.console = "brcm,bcm2835-aux-uart", .uart_base = 0x3f215040, .ready = 0x20,
		.tx_reg = 0x3f215040, .tx_width = 4, .poll_reg = 0x3f215054,
		.nr_mem = 1, .mem_base = { 0 }, .mem_size = { 0x40000000 },
	},
	{
		.file = "board_visionfive2.dtb", .synth = true, .riscv = true, .boot_hwid = 1,
		.nr_started = 4, .hwids = { 1, 2, 3, 4 },
		.skip_msg = "smp: skipping cpu@0: disabled in the device tree",
		.console = "snps,dw-apb-uart", .uart_base = 0x10000000, .ready = 0x20,
		.tx_reg = 0x10000000, .tx_width = 4, .poll_reg = 0x10000014,	/* LSR = 5 << 2 */
		.nr_mem = 1, .mem_base = { 0x40000000 }, .mem_size = { 0x100000000ULL },
	},
	{
		/* OpenSBI's lottery may pick any U74: boot on hart 3, the others follow */
		.file = "hifive-unmatched-a00.dtb", .riscv = true, .boot_hwid = 3,
		.nr_started = 4, .hwids = { 3, 1, 2, 4 },
		.skip_msg = "smp: skipping cpu@0: disabled in the device tree",
		.console = "sifive,uart0", .uart_base = 0x10010000, .ready = 0,
		.tx_reg = 0x10010000, .tx_width = 4, .poll_reg = 0x10010000,
		.nr_mem = 1, .mem_base = { 0x80000000 }, .mem_size = { 0x400000000ULL },
	},
	{
		.file = "jh7100-beaglev-starlight.dtb", .riscv = true, .boot_hwid = 0,
		.nr_started = 2, .hwids = { 0, 1 },
		.console = "snps,dw-apb-uart", .uart_base = 0x12440000, .ready = 0x20,
		.tx_reg = 0x12440000, .tx_width = 4, .poll_reg = 0x12440014,
		.nr_mem = 1, .mem_base = { 0x80000000 }, .mem_size = { 0x200000000ULL },
	},
};

/* The firmware's /memory edit, on a copy of the tree with room to grow. */
static void *firmware_edit(void *blob, const struct board *b)
{
	size_t size = fdt_totalsize(blob) + 4096;
	void *out = malloc(size);
	int node;

	EXPECT(fdt_open_into(blob, out, size) == 0);
	node = fdt_path_offset(out, "/memory@0");
	EXPECT(node >= 0);
	if (node >= 0) {
		uint32_t cells[8];
		int i;

		for (i = 0; i < b->fw_mem_cells; i++)
			cells[i] = cpu_to_fdt32(b->fw_mem[i]);
		EXPECT(fdt_setprop(out, node, "reg", cells, b->fw_mem_cells * 4) == 0);
	}
	free(blob);
	return out;
}

static void *load(const char *path)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static struct dt_info dt;
static struct cpu_map map;

/*
 * One board: parse, pick the console (the console module keeps its first choice, so the
 * program runs one board per process: main() re-executes itself per board).
 */
static void check_board(const struct board *b, const char *dir)
{
	char path[512];
	void *blob;
	const char *picked;
	int i, nr_tx = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, b->file);
	blob = load(path);
	if (!blob) {
		fprintf(stderr, "board_test: cannot read %s\n", path);
		failures++;
		return;
	}
	if (b->fw_mem)
		blob = firmware_edit(blob, b);
	EXPECT_EQ(dt_check(blob, 0), 0);
	EXPECT_EQ(dt_parse(blob, &dt), 0);

	/* CPUs */
	cap_reset();
	cpu_map_build(&dt, b->boot_hwid, b->riscv, &map, false);
	EXPECT_EQ(map.nr, b->nr_started);
	for (i = 0; i < b->nr_started && i < (int)map.nr; i++) {
		EXPECT_EQ(map.cpu[i].hwid, b->hwids[i]);
		if (!b->riscv) {
			EXPECT_EQ(map.cpu[i].method, DT_EN_SPIN_TABLE);
			EXPECT_EQ(map.cpu[i].release_addr, b->release[i]);
		}
	}
	if (b->skip_msg) {
		EXPECT(strstr(cap, b->skip_msg) != NULL);
		EXPECT_EQ(map.skipped, 1);
		/* the skipped hart is the one without MMU: the banner says so */
		EXPECT(!dt.cpus[0].has_mmu);
	} else {
		EXPECT_EQ(map.skipped, 0);
	}

	/* memory */
	EXPECT_EQ(dt.nr_mem, b->nr_mem);
	for (i = 0; i < b->nr_mem && i < dt.nr_mem; i++) {
		EXPECT_EQ(dt.mem[i].base, b->mem_base[i]);
		EXPECT_EQ(dt.mem[i].size, b->mem_size[i]);
	}

	/* console: the driver, the address, and one character's register accesses */
	read_value = b->ready;
	nr_acc = nr_reads = 0;
	printk("early line\n");		/* buffered: no console yet */
	picked = console_init_dt(&dt, NULL);
	EXPECT(picked && !strcmp(picked, b->console));
	EXPECT_EQ(dt.uart.base, b->uart_base);
	EXPECT(console_ready());
	nr_acc = nr_reads = 0;
	console_write("A", 1);
	EXPECT(nr_acc >= 2);
	if (nr_acc >= 2) {
		EXPECT(!acc[0].write);
		EXPECT_EQ(acc[0].addr, b->poll_reg);
		EXPECT(acc[nr_acc - 1].write);
		EXPECT_EQ(acc[nr_acc - 1].addr, b->tx_reg);
		EXPECT_EQ(acc[nr_acc - 1].width, b->tx_width);
		EXPECT_EQ(acc[nr_acc - 1].val, 'A');
	}
	for (i = 0; i < nr_acc; i++) {
		EXPECT_EQ(acc[i].width, b->tx_width);
		nr_tx += acc[i].write;
	}
	EXPECT_EQ(nr_tx, 1);
	printf("%-30s %d CPUs (hwid", b->file, map.nr);
	for (i = 0; i < (int)map.nr; i++)
		printf(" %llu", (unsigned long long)map.cpu[i].hwid);
	printf(")%s, console %s, %d memory range%s\n", map.skipped ? ", hart 0 skipped" : "",
	       console_describe(), dt.nr_mem, dt.nr_mem == 1 ? "" : "s");
	free(blob);
}

int main(int argc, char **argv)
{
	const char *shared = getenv("PCPURT_DTB_DIR");
	size_t i;
	int bad = 0;

	if (!shared || !*shared)
		shared = BOARD_SHARED_DIR;
	if (argc == 2) {	/* one board, in a process of its own */
		i = strtoul(argv[1], NULL, 10);
		if (i >= ARRAY_SIZE(boards))
			return 2;
		check_board(&boards[i], boards[i].synth ? BOARD_SYNTH_DIR : shared);
		return failures ? 1 : 0;
	}
	for (i = 0; i < ARRAY_SIZE(boards); i++) {
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), "'%s' %zu", argv[0], i);
		if (system(cmd) != 0) {
			printf("FAIL %s\n", boards[i].file);
			bad++;
		}
	}
	printf("board_test: %zu boards, %d failed\n", ARRAY_SIZE(boards), bad);
	return bad ? 1 : 0;
}
