# platform.mk (qemu-virt) - QEMU's virt machine, both arches.
# Defaults used only when the device tree is unusable or names no console; the real
# values come from the tree. arm64 QEMU runs use semihosting to return an exit status.
ifeq ($(ARCH),arm64)
PLATFORM_CFLAGS := -DPLATFORM_UART_COMPAT='"arm,pl011"' -DPLATFORM_UART_BASE=0x09000000UL \
		   -DPLATFORM_UART_SHIFT=0 -DPLATFORM_UART_WIDTH=4 -DPLATFORM_TEST_FINISHER=0 \
		   -DPCPURT_SEMIHOSTING
else
PLATFORM_CFLAGS := -DPLATFORM_UART_COMPAT='"ns16550a"' -DPLATFORM_UART_BASE=0x10000000UL \
		   -DPLATFORM_UART_SHIFT=0 -DPLATFORM_UART_WIDTH=1 \
		   -DPLATFORM_TEST_FINISHER=0x100000UL
endif
PLATFORM_IMAGE :=
