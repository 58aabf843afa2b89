/* sbi.h (riscv) - SBI calls to the M-mode firmware (OpenSBI). */
#ifndef ASM_SBI_H
#define ASM_SBI_H

#include <stdint.h>

#define SBI_EXT_BASE	0x10
#define SBI_EXT_HSM	0x48534d
#define SBI_EXT_SRST	0x53525354
#define SBI_EXT_RFENCE	0x52464e43

#define SBI_SUCCESS	0

struct sbiret {
	long error;
	long value;
};

static inline struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
				      unsigned long a1, unsigned long a2)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

/* sbi_ecall5() - the same with five arguments (a0..a4), for RFENCE. */
static inline struct sbiret sbi_ecall5(unsigned long ext, unsigned long fid, unsigned long a0,
				       unsigned long a1, unsigned long a2, unsigned long a3,
				       unsigned long a4)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall" : "+r"(r0), "+r"(r1)
			     : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

static inline long sbi_probe_extension(unsigned long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, 3, ext, 0, 0);

	return r.error ? 0 : r.value;
}

#endif
