# arch.mk (arm64) - compiler target and flags.
# -mgeneral-regs-only: no FP/SIMD anywhere. -mstrict-align: C runs before the MMU is on,
# when all memory is Device memory and unaligned accesses fault.
TARGET	     := aarch64-none-elf
ARCH_CFLAGS  := -mgeneral-regs-only -mstrict-align
ARCH_ASFLAGS :=
QEMU	     := qemu-system-aarch64
ARCH_DRIVERS := drivers/irq/gic.c
