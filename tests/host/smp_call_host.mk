# smp_call_host.mk - host test of the cross-CPU call queues (kernel/smp_call.c) with the
# other CPUs played by the test: a down request in a nested queue run drops no call
# (tests/host/smp_call_test.c, arch inlines from tests/host/smp_call_shim/).

$(HOSTO)/smp_call_test: tests/host/smp_call_test.c kernel/smp_call.c kernel/cpumask.c \
			tests/host/shim/printk_host.c tests/host/smp_call_shim/asm/arch.h \
			include/pcpurt/smp.h include/pcpurt/cpumask.h tests/host/test_util.h \
			tests/host/smp_call_host.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Itests/host/smp_call_shim -o $@ tests/host/smp_call_test.c \
		kernel/smp_call.c kernel/cpumask.c tests/host/shim/printk_host.c

HOST_TEST_BINS += $(HOSTO)/smp_call_test
HOST_TEST_CMDS += $(HOSTO)/smp_call_test
