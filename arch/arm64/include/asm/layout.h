/* layout.h (arm64) - link address and early stack size, shared by C, assembly, lds. */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

/* QEMU virt loads the ELF here: RAM starts at 0x40000000 and the DTB sits in its first MiB. */
#define LINK_BASE	 0x40200000
#define LDS_ARCH	 aarch64
#define BOOT_STACK_SIZE	 16384

#endif
