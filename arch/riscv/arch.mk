# arch.mk (riscv) - compiler target and flags. clang 14 knows rv64imac as including
# Zicsr/Zifencei and rejects them spelled out; newer clangs want them named.
TARGET	     := riscv64-none-elf
RV_MARCH     := $(shell $(CC) --target=$(TARGET) -march=rv64imac_zicsr_zifencei -x c -E - \
			</dev/null >/dev/null 2>&1 && echo rv64imac_zicsr_zifencei || echo rv64imac)
ARCH_CFLAGS  := -march=$(RV_MARCH) -mabi=lp64 -mcmodel=medany -mno-relax -msmall-data-limit=0
ARCH_ASFLAGS := -march=$(RV_MARCH) -mabi=lp64 -mno-relax
QEMU	     := qemu-system-riscv64
ARCH_DRIVERS :=
