# percpu_alloc.mk - host tests, fuzz target and benchmark of the dynamic per-CPU allocator.
#
# Every binary links the allocator sources directly (ASan + UBSan via HOST_CFLAGS).
# percpu_alloc_random_debug is built with PCPU_DEBUG_CHECKS=1: the allocator verifies the
# touched chunk after every operation and the test checks everything after every step.

PCPU_ALLOC_SRCS := $(sort $(wildcard percpu/chunk*.c percpu/bitmap*.c percpu/areamap*.c \
		   percpu/pcpu_alloc*.c percpu/counter*.c percpu/stats*.c))
PCPU_ALLOC_HDRS := $(wildcard percpu/*.h include/pcpurt/percpu_alloc*.h tests/host/percpu_alloc*.h \
		   tests/target/percpu_alloc_selftest.h tests/host/percpu_model.h)
# the misuse check and stress worker the on-target tests share (tests/target/)
PCPU_TEST_LIBS	:= $(PCPU_ALLOC_SRCS) tests/target/pcpu_alloc_selftest.c \
		   tests/host/percpu_alloc_backend.c tests/host/percpu_model.c \
		   tests/host/shim/printk_host.c
PCPU_TEST_NAMES := api bitmap config km map random random_debug thread

$(HOSTO)/percpu_alloc_%: tests/host/percpu_alloc_%.c $(PCPU_TEST_LIBS) $(PCPU_ALLOC_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Ipercpu -Itests/target -o $@ $< $(PCPU_TEST_LIBS) -lpthread

$(HOSTO)/percpu_alloc_random_debug: tests/host/percpu_alloc_random.c $(PCPU_TEST_LIBS) \
				     $(PCPU_ALLOC_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DPCPU_DEBUG_CHECKS=1 -Ipercpu -Itests/target -o $@ $< \
		$(PCPU_TEST_LIBS)

HOST_TEST_BINS += $(patsubst %,$(HOSTO)/percpu_alloc_%,$(PCPU_TEST_NAMES))
HOST_TEST_CMDS += $(patsubst %,$(HOSTO)/percpu_alloc_%,$(PCPU_TEST_NAMES))

# Model-based test (percpu_model.c is the brute-force model); under make fuzz,
# FUZZ_TIME=SECONDS runs it longer with new seeds.
$(HOSTO)/percpu_model_test: tests/host/percpu_model_test.c $(PCPU_TEST_LIBS) $(PCPU_ALLOC_HDRS) \
			    tests/host/percpu_model.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Ipercpu -o $@ $< $(PCPU_TEST_LIBS)

HOST_TEST_BINS += $(HOSTO)/percpu_model_test
HOST_TEST_CMDS += $(HOSTO)/percpu_model_test
HOST_FUZZ_BINS += $(HOSTO)/percpu_model_test
HOST_FUZZ_CMDS += tests/host/percpu_model_fuzz.sh

# libFuzzer target: run for a bounded time by its wrapper script.
$(HOSTO)/percpu_fuzz: tests/host/percpu_fuzz.c $(PCPU_TEST_LIBS) $(PCPU_ALLOC_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_FUZZ_CFLAGS) -DPCPU_DEBUG_CHECKS=1 -Ipercpu -Itests/target -o $@ $< \
		$(PCPU_TEST_LIBS)

HOST_FUZZ_BINS += $(HOSTO)/percpu_fuzz
HOST_FUZZ_CMDS += tests/host/percpu_fuzz.sh

# Benchmark: optimized, no sanitizers.
PCPU_BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Iinclude \
		     -Itests/host/shim -Ipercpu -Itests/target -DPCPURT_HOST=1

$(HOSTO)/percpu-bench: tools/percpu-bench.c tests/target/bench_core.c tests/target/percpu_bench.h \
			$(PCPU_ALLOC_SRCS) $(PCPU_ALLOC_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(PCPU_BENCH_CFLAGS) -o $@ $< tests/target/bench_core.c $(PCPU_ALLOC_SRCS) \
		tests/host/shim/printk_host.c

# The host tool alone: make percpu-bench-run [PCPU_BENCH_ARGS="-s 4@8 -t 1"]
.PHONY: percpu-bench-run percpu-bench-report bench-run
percpu-bench-run: $(HOSTO)/percpu-bench
	$(Q)$(HOSTO)/percpu-bench $(PCPU_BENCH_ARGS)

# make bench: the host tool, then run=percpu-bench in QEMU on both arches, tables on stdout
# and docs/benchmarks.md. BENCH_ARGS go to tests/qemu/bench.py (--budget, --fill, --arch ...).
# libfdt first: on a fresh checkout the images' libfdt objects have no rule until it is there.
percpu-bench-report: $(HOSTO)/percpu-bench
	$(Q)$(MAKE) --no-print-directory libfdt
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 PLATFORM=qemu-virt all
	$(Q)$(MAKE) --no-print-directory ARCH=riscv64 PLATFORM=qemu-virt all
	$(Q)$(PYTHON) tests/qemu/bench.py --host-tool $(HOSTO)/percpu-bench \
		$(if $(PCPU_BENCH_ARGS),--host-args "$(PCPU_BENCH_ARGS)") $(BENCH_ARGS)

bench-run: percpu-bench-report
