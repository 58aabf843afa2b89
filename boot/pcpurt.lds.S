/*
 * pcpurt.lds.S - image layout, both arches (asm/layout.h gives LINK_BASE and the arch).
 *
 * Linked at LINK_BASE (where QEMU loads the ELF) as a position-independent executable:
 * head.S applies .rela.dyn at entry, so the Image runs from any 2 MiB-aligned address
 * (the header's flags say so). Sections not named here are a link error, so that nothing
 * lands outside [_text, _end) unnoticed.
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
		*(.rodata .rodata.* .srodata .srodata.*)
		. = ALIGN(8);
		__run_start = .;
		KEEP(*(.run_entries))
		__run_end = .;
		. = ALIGN(8);
		__param_start = .;
		KEEP(*(.boot_params))
		__param_end = .;
		. = ALIGN(4);
		__lse_sites_start = .;
		KEEP(*(.lse_sites))
		__lse_sites_end = .;
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
	. = ALIGN(4096);
	.data : { *(.data .data.* .sdata .sdata.*) }
	. = ALIGN(4096);
	_edata = .;
	. = ALIGN(4096);
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* .sbss .sbss.* COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	/*
	 * The boot CPU's stack, with one page below it that the MMU leaves unmapped: an
	 * overflow faults there and is reported as a stack overflow. Not cleared at entry.
	 */
	. = ALIGN(4096);
	.bss..stack (NOLOAD) : {
		__stack_guard_start = .;
		. += 4096;
		__stack_guard_end = .;
		boot_stack = .;
		. += BOOT_STACK_SIZE;
		boot_stack_end = .;
	}
	. = ALIGN(4096);
	_end = .;
	__image_size = ABSOLUTE(_end - _text);
	/* non-allocated: debug information, kept in pcpurt.elf only */
	.debug_info 0 : { *(.debug_info) }
	.debug_abbrev 0 : { *(.debug_abbrev) }
	.debug_line 0 : { *(.debug_line) }
	.debug_line_str 0 : { *(.debug_line_str) }
	.debug_str 0 : { *(.debug_str) }
	.debug_str_offsets 0 : { *(.debug_str_offsets) }
	.debug_addr 0 : { *(.debug_addr) }
	.debug_frame 0 : { *(.debug_frame) }
	.debug_loclists 0 : { *(.debug_loclists) }
	.debug_rnglists 0 : { *(.debug_rnglists) }
	.debug_loc 0 : { *(.debug_loc) }
	.debug_ranges 0 : { *(.debug_ranges) }
	.debug_aranges 0 : { *(.debug_aranges) }
	.debug_pubnames 0 : { *(.debug_pubnames) }
	.debug_pubtypes 0 : { *(.debug_pubtypes) }
	.symtab 0 : { *(.symtab) }
	.strtab 0 : { *(.strtab) }
	.shstrtab 0 : { *(.shstrtab) }
	.riscv.attributes 0 : { *(.riscv.attributes) }
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.interp) }
}
