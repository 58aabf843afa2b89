# percpu_layout.mk - host test of the first-chunk layout maths (percpu/alloc_info.c).
# The test binary brings its own printk (it captures the dump), so no shim is linked.

PERCPU_LAYOUT_TEST := $(HOSTO)/percpu_layout_test

$(PERCPU_LAYOUT_TEST): tests/host/percpu_layout_test.c tests/host/test_util.h percpu/alloc_info.c \
		       include/pcpurt/percpu_layout.h include/pcpurt/printk.h \
		       include/pcpurt/compiler.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ tests/host/percpu_layout_test.c percpu/alloc_info.c

HOST_TEST_BINS += $(PERCPU_LAYOUT_TEST)
HOST_TEST_CMDS += $(PERCPU_LAYOUT_TEST)
