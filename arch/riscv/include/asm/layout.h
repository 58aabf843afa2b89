/* layout.h (riscv) - link address and early stack sizes, shared by C, assembly, lds. */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

/* OpenSBI (fw_dynamic, -bios default) jumps here; QEMU loads the ELF at its link address. */
#define LINK_BASE	 0x80200000
#define LDS_ARCH	 riscv
#define BOOT_STACK_SIZE	 16384
/* each hart's trap stack (trap.S): traps never run on the stack they interrupted */
#define TRAP_STACK_SIZE	 8192

#endif
