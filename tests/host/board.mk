# board.mk - board_test: each board's device tree (../shared/dtb and the hand-written
# tests/host/board_visionfive2.dts) through the runtime's tree walk, CPU numbering and
# console choice, with the real UART drivers over recorded MMIO (tests/host/board_shim).
# Checks the CPUs each board would start, the console it would pick and the memory it
# would use. PCPURT_DTB_DIR overrides where the shared trees are looked for.

BOARD_HOSTO	:= $(HOSTO)/board
BOARD_SRCS	:= drivers/of/dt.c drivers/of/dt_cpus.c drivers/of/dt_numa.c drivers/of/dt_util.c \
		   kernel/cpu_map.c \
		   lib/fdt_check.c drivers/uart/console.c $(wildcard drivers/uart/[!c]*.c)

$(BOARD_HOSTO)/board_visionfive2.dtb: tests/host/board_visionfive2.dts
	@mkdir -p $(@D)
	@echo "  DTC     $@"
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(HOSTO)/board_test: tests/host/board_test.c $(BOARD_SRCS) tests/host/board_shim/asm/arch.h \
		     include/pcpurt/console.h include/pcpurt/dt.h include/pcpurt/cpu_map.h \
		     tests/host/test_util.h tests/host/board.mk \
		     $(BOARD_HOSTO)/board_visionfive2.dtb
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Idrivers/of -Itests/host/board_shim \
		-DBOARD_SHARED_DIR='"$(PCPURT_DTB_DIR)"' \
		-DBOARD_SYNTH_DIR='"$(CURDIR)/$(BOARD_HOSTO)"' -o $@ tests/host/board_test.c \
		$(BOARD_SRCS) -lfdt

HOST_TEST_BINS += $(HOSTO)/board_test
HOST_TEST_CMDS += $(HOSTO)/board_test
