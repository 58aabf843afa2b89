/* layout.h (arm64) - link address and early stack sizes, shared by C, assembly, lds. */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

/* QEMU virt loads the ELF here: RAM starts at 0x40000000 and the DTB sits in its first MiB. */
#define LINK_BASE	 0x40200000
#define LDS_ARCH	 aarch64
#define BOOT_STACK_SIZE	 16384
/* per-CPU stack exceptions run on (SP_EL1); the rest runs on SP_EL0 */
#define EXC_STACK_SIZE	 8192

#endif
