# mm_host.mk - host test of the page allocator and kmalloc (ASan + UBSan through HOST_CFLAGS).
#
#   mm/page_alloc.c + mm/kmalloc.c over a real 64 MiB buffer split into two memblock nodes
#   (set-up, page model and shared checks in page_alloc_test.h; each phase runs in a forked
#   child, the allocators keep static state with no reset):
#   page_alloc_node_test    hand-over from memblock, top-down node allocation, alignment,
#                           fallback, exact claims
#   page_alloc_free_test    frees and merging, double frees, page_range_free_below,
#                           alloc_pages_low
#   page_alloc_random_test  a randomized run against the page model
#   kmalloc_test            kmalloc sizes, zeroing, reuse, accounting, running out
#   page_alloc_bug_test     bugs found and fixed

MM_HOST_NAMES := page_alloc_node_test page_alloc_free_test page_alloc_random_test kmalloc_test \
		 page_alloc_bug_test
MM_HOST_TESTS := $(patsubst %,$(HOSTO)/%,$(MM_HOST_NAMES))

$(MM_HOST_TESTS): $(HOSTO)/%: tests/host/%.c tests/host/page_alloc_test.h mm/page_alloc.c \
		  mm/kmalloc.c mm/memblock.c include/pcpurt/page_alloc.h \
		  include/pcpurt/kmalloc.h include/pcpurt/memblock.h include/pcpurt/spinlock.h \
		  include/pcpurt/compiler.h include/pcpurt/printk.h \
		  tests/host/shim/asm/irqflags.h tests/host/test_util.h tests/host/mm_host.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $< mm/page_alloc.c mm/kmalloc.c mm/memblock.c

.PHONY: test-mm-host
test-mm-host: $(MM_HOST_TESTS)
	$(Q)tests/host/run-all.sh $(MM_HOST_TESTS)

HOST_TEST_BINS += $(MM_HOST_TESTS)
HOST_TEST_CMDS += $(MM_HOST_TESTS)
