# mm_host.mk - host test of the page allocator and kmalloc (ASan + UBSan through HOST_CFLAGS).
#
#   page_alloc_test  mm/page_alloc.c + mm/kmalloc.c over a real 64 MiB buffer split into two
#                    memblock nodes: hand-over from memblock, top-down node allocation,
#                    alignment, fallback, exact claims, frees and merging, double frees,
#                    page_range_free_below, alloc_pages_low, a randomized run against a page
#                    model, kmalloc sizes, zeroing, reuse and accounting. Each phase runs in
#                    a forked child (the allocators keep static state with no reset).

MM_HOST_TESTS := $(HOSTO)/page_alloc_test

$(HOSTO)/page_alloc_test: tests/host/page_alloc_test.c mm/page_alloc.c mm/kmalloc.c \
			  mm/memblock.c include/pcpurt/page_alloc.h include/pcpurt/kmalloc.h \
			  include/pcpurt/memblock.h include/pcpurt/spinlock.h \
			  include/pcpurt/compiler.h include/pcpurt/printk.h \
			  tests/host/shim/asm/irqflags.h tests/host/test_util.h \
			  tests/host/mm_host.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ tests/host/page_alloc_test.c mm/page_alloc.c \
		mm/kmalloc.c mm/memblock.c

.PHONY: test-mm-host
test-mm-host: $(MM_HOST_TESTS)
	$(Q)tests/host/run-all.sh $(MM_HOST_TESTS)

HOST_TEST_BINS += $(MM_HOST_TESTS)
HOST_TEST_CMDS += $(MM_HOST_TESTS)
