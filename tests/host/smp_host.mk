# smp_host.mk - host unit tests of the SMP and first-chunk building blocks (ASan + UBSan
# through HOST_CFLAGS). Each test brings its own printk where it checks the messages.
#
#   cpumask_test    kernel/cpumask.c: set/clear/test, first/next, weight, ranges printing,
#                   512-bit edges, random masks against a bool array
#   cpu_map_test    kernel/cpu_map.c on hand-built struct dt_info: boot CPU first, CPUs left
#                   out and why, NR_CPUS limit, distances (drivers/of/dt_numa.c, -lfdt)
#   memblock_test   mm/memblock.c: merging, splitting, top-down aligned allocation, nodes
#                   and fallback, running out, randomized run against a byte-map model
#   embed_test      percpu/embed.c + percpu/alloc_info.c with recording malloc callbacks
#   page_fc_test    percpu/page_fc.c (page first chunk) and embed's three-quarters rule

SMP_HOST_TESTS := $(HOSTO)/cpumask_test $(HOSTO)/cpu_map_test $(HOSTO)/memblock_test \
		  $(HOSTO)/embed_test $(HOSTO)/page_fc_test
SMP_HOST_HDRS  := include/pcpurt/compiler.h include/pcpurt/printk.h tests/host/smp_host.mk \
		  tests/host/test_util.h

$(HOSTO)/cpumask_test: tests/host/cpumask_test.c kernel/cpumask.c include/pcpurt/cpumask.h \
		       $(SMP_HOST_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ tests/host/cpumask_test.c kernel/cpumask.c

$(HOSTO)/cpu_map_test: tests/host/cpu_map_test.c kernel/cpu_map.c drivers/of/dt_numa.c \
		       drivers/of/dt_internal.h include/pcpurt/cpu_map.h include/pcpurt/cpumask.h \
		       include/pcpurt/dt.h $(SMP_HOST_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Idrivers/of -o $@ tests/host/cpu_map_test.c kernel/cpu_map.c \
		drivers/of/dt_numa.c -lfdt

$(HOSTO)/memblock_test: tests/host/memblock_test.c mm/memblock.c include/pcpurt/memblock.h \
			include/pcpurt/dt.h $(SMP_HOST_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ tests/host/memblock_test.c mm/memblock.c

$(HOSTO)/embed_test: tests/host/embed_test.c percpu/embed.c percpu/alloc_info.c \
		     include/pcpurt/percpu_first_chunk.h include/pcpurt/percpu_layout.h \
		     $(SMP_HOST_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ tests/host/embed_test.c percpu/embed.c \
		percpu/alloc_info.c

$(HOSTO)/page_fc_test: tests/host/page_fc_test.c percpu/page_fc.c percpu/embed.c \
		       percpu/alloc_info.c include/pcpurt/percpu_first_chunk.h \
		       include/pcpurt/percpu_layout.h $(SMP_HOST_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ tests/host/page_fc_test.c percpu/page_fc.c \
		percpu/embed.c percpu/alloc_info.c

.PHONY: test-smp-host
test-smp-host: $(SMP_HOST_TESTS)
	$(Q)tests/host/run-all.sh $(SMP_HOST_TESTS)

HOST_TEST_BINS += $(SMP_HOST_TESTS)
HOST_TEST_CMDS += $(SMP_HOST_TESTS)
