# cpuhp_host.mk - host test of the CPU hotplug state machine (kernel/cpuhp.c) with the
# machine stubbed: step order up and down, rollback at each level, registration on the
# online CPUs, refusals (tests/host/cpuhp_test.c).

$(HOSTO)/cpuhp_test: tests/host/cpuhp_test.c kernel/cpuhp.c kernel/cpumask.c \
		     include/pcpurt/cpuhp.h include/pcpurt/cpumask.h include/pcpurt/errno.h \
		     tests/host/shim/asm/irqflags.h tests/host/test_util.h tests/host/cpuhp_host.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ tests/host/cpuhp_test.c kernel/cpuhp.c kernel/cpumask.c

HOST_TEST_BINS += $(HOSTO)/cpuhp_test
HOST_TEST_CMDS += $(HOSTO)/cpuhp_test
