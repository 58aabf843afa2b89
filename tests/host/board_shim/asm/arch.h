/*
 * arch.h (board host test shim) - MMIO for the UART drivers (drivers/uart) built on the host: every
 * access goes to board_mmio_read()/board_mmio_write() in tests/host/board_test.c, which
 * record it (address, width, value) instead of touching memory.
 */
#ifndef BOARD_SHIM_ASM_ARCH_H
#define BOARD_SHIM_ASM_ARCH_H

#include <stdint.h>

uint32_t board_mmio_read(uintptr_t a, int width);
void board_mmio_write(uintptr_t a, int width, uint32_t v);

static inline uint8_t readb(uintptr_t a) { return (uint8_t)board_mmio_read(a, 1); }
static inline uint16_t readw(uintptr_t a) { return (uint16_t)board_mmio_read(a, 2); }
static inline uint32_t readl(uintptr_t a) { return board_mmio_read(a, 4); }
static inline void writeb(uint8_t v, uintptr_t a) { board_mmio_write(a, 1, v); }
static inline void writew(uint16_t v, uintptr_t a) { board_mmio_write(a, 2, v); }
static inline void writel(uint32_t v, uintptr_t a) { board_mmio_write(a, 4, v); }
static inline void arch_cpu_relax(void) { }

#endif
