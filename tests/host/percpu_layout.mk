# percpu_layout.mk - host test of the first-chunk layout maths (percpu/alloc_info.c).
# The test binary brings its own printk (it captures the dump), so no shim is linked.

# One program per part (groups, sizes, offsets, build); what they share is in
# tests/host/percpu_layout_test.h.

PERCPU_LAYOUT_TEST := $(patsubst %,$(HOSTO)/percpu_layout_%_test,groups sizes offsets build)

$(PERCPU_LAYOUT_TEST): $(HOSTO)/%: tests/host/%.c tests/host/percpu_layout_test.h \
		       tests/host/test_util.h percpu/alloc_info.c include/pcpurt/percpu_layout.h \
		       include/pcpurt/printk.h include/pcpurt/compiler.h tests/host/percpu_layout.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $< percpu/alloc_info.c

HOST_TEST_BINS += $(PERCPU_LAYOUT_TEST)
HOST_TEST_CMDS += $(PERCPU_LAYOUT_TEST)
