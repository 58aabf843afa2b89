# platform.mk (qemu-virt) - QEMU's virt machine, both arches.
# Nothing here reaches the compiler: the Image is the same bytes for every platform of an
# architecture, and everything board-specific (console, finisher, semihosting, CPUs) is
# found at run time. This file only says what `make image` packages: nothing beyond the
# Image, which QEMU (-kernel) and U-Boot (booti) take as it is.
PLATFORM_ARCHES := arm64 riscv64
PLATFORM_IMAGE  :=
