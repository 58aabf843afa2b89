/*
 * pcpurt.lds.S - image layout, both arches (asm/layout.h gives LINK_BASE and the arch). Linked at LINK_BASE (where QEMU loads the ELF) as a
 * position-independent executable: head.S applies .rela.dyn at entry, so the Image runs
 * from any 2 MiB-aligned address (the header's flags say so).
 */
#include <asm/layout.h>

OUTPUT_ARCH(LDS_ARCH)
ENTRY(_text)

SECTIONS
{
	. = LINK_BASE;
	_text = .;
	.head.text : { KEEP(*(.head.text)) }
	.text : {
		*(.text.entry)
		*(.text .text.*)
	}
	. = ALIGN(4096);
	_etext = .;
	.rodata : {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__run_start = .;
		KEEP(*(.run_entries))
		__run_end = .;
		. = ALIGN(8);
		__param_start = .;
		KEEP(*(.boot_params))
		__param_end = .;
	}
	.rela.dyn : {
		__rela_start = .;
		*(.rela .rela.*)
		__rela_end = .;
	}
	.dynsym : { *(.dynsym) }
	.dynstr : { *(.dynstr) }
	.hash : { *(.hash) }
	.gnu.hash : { *(.gnu.hash) }
	.dynamic : { *(.dynamic) }
	.got : { *(.got .got.*) }
	. = ALIGN(4096);
	_sdata = .;
	.data : { *(.data .data.*) }
	. = ALIGN(4096);
	.data..percpu : {
		__per_cpu_load = .;
		__per_cpu_start = .;
		*(.data..percpu..first)
		. = ALIGN(4096);
		*(.data..percpu..page_aligned)
		. = ALIGN(64);
		*(.data..percpu..read_mostly)
		. = ALIGN(64);
		*(.data..percpu)
		*(.data..percpu..shared_aligned)
		__per_cpu_end = .;
	}
	_edata = .;
	. = ALIGN(4096);
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	. = ALIGN(4096);
	_end = .;
	__image_size = ABSOLUTE(_end - _text);
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.interp) }
}
