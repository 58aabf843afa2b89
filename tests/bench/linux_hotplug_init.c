/*
 * linux_hotplug_init.c - the timer in the tiny initramfs the hotplug benchmark boots Debian's
 * Linux kernel with (tests/qemu/bench_hotplug.py): it takes every CPU but CPU 0 offline and
 * online again through /sys/devices/system/cpu/cpuN/online, timing each write with
 * CLOCK_MONOTONIC, for hotplug_cycles=N rounds (kernel command line), prints one line per
 * write pair and powers the machine off. The initramfs's /init, a busybox script, execs it;
 * it also works as /init alone (it mounts sysfs and proc itself; a second mount is harmless).
 *
 * No C library: raw system calls (the asm-generic numbers arm64 and riscv64 share), so it
 * builds with clang for either target with no sysroot. Lines:
 *   linux-hotplug: cpu=N down_us=D up_us=U      (a write that fails: ... error=E)
 *   linux-hotplug: end cycles=C cpus=P
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_mkdirat	34
#define SYS_mount	40
#define SYS_openat	56
#define SYS_close	57
#define SYS_read	63
#define SYS_write	64
#define SYS_exit	93
#define SYS_clock_gettime 113
#define SYS_reboot	142
#define AT_FDCWD	-100
#define O_RDONLY	0
#define O_WRONLY	1

static long sys(long n, long a, long b, long c, long d, long e)
{
#if defined(__aarch64__)
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;

	__asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			     : "memory");
	return x0;
#else
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;

	__asm__ __volatile__("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4)
			     : "memory");
	return a0;
#endif
}

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void out(const char *s)
{
	sys(SYS_write, 1, (long)s, (long)slen(s), 0, 0);
}

static void out_num(long v)
{
	char buf[24], *p = buf + sizeof(buf) - 1;
	int neg = v < 0;

	*p = 0;
	if (neg)
		v = -v;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		*--p = '-';
	out(p);
}

static long now_us(void)
{
	long ts[2];

	sys(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)ts, 0, 0, 0);
	return ts[0] * 1000000 + ts[1] / 1000;
}

/* read_file() - up to @size - 1 bytes of @path, NUL-terminated; length or -errno */
static long read_file(const char *path, char *buf, long size)
{
	long fd = sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0), n;

	if (fd < 0)
		return fd;
	n = sys(SYS_read, fd, (long)buf, size - 1, 0, 0);
	sys(SYS_close, fd, 0, 0, 0, 0);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static long write_online(int cpu, char v)
{
	char path[64] = "/sys/devices/system/cpu/cpu";
	char *p = path + slen(path);
	const char *tail = "/online";
	long fd, rc;

	if (cpu >= 100)
		*p++ = (char)('0' + cpu / 100);
	if (cpu >= 10)
		*p++ = (char)('0' + cpu / 10 % 10);
	*p++ = (char)('0' + cpu % 10);
	while (*tail)
		*p++ = *tail++;
	*p = 0;
	fd = sys(SYS_openat, AT_FDCWD, (long)path, O_WRONLY, 0, 0);
	if (fd < 0)
		return fd;
	rc = sys(SYS_write, fd, (long)&v, 1, 0, 0);
	sys(SYS_close, fd, 0, 0, 0, 0);
	return rc < 0 ? rc : 0;
}

/* the number after "key=" in @s, or @dflt */
static long param(const char *s, const char *key, long dflt)
{
	size_t k = slen(key);

	for (; *s; s++) {
		size_t i = 0;
		long v = 0;

		while (i < k && s[i] == key[i])
			i++;
		if (i < k)
			continue;
		for (s += k; *s >= '0' && *s <= '9'; s++)
			v = v * 10 + (*s - '0');
		return v;
	}
	return dflt;
}

void start(void);

void start(void)
{
	static char buf[4096];
	long cycles, cpus = 1, c, cpu;
	const char *p;

	sys(SYS_mkdirat, AT_FDCWD, (long)"/sys", 0755, 0, 0);
	sys(SYS_mkdirat, AT_FDCWD, (long)"/proc", 0755, 0, 0);
	sys(SYS_mount, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0);
	sys(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	read_file("/proc/cmdline", buf, sizeof(buf));
	cycles = param(buf, "hotplug_cycles=", 10);
	/* "present" is "0-N" on these machines */
	if (read_file("/sys/devices/system/cpu/present", buf, sizeof(buf)) > 0) {
		for (p = buf; *p && *p != '-'; p++)
			;
		if (*p == '-')
			cpus = param(p, "-", 0) + 1;
	}
	for (c = 0; c < cycles; c++)
		for (cpu = 1; cpu < cpus; cpu++) {
			long t0 = now_us(), rc = write_online((int)cpu, '0'), t1 = now_us(), rc2;

			rc2 = write_online((int)cpu, '1');
			out("linux-hotplug: cpu=");
			out_num(cpu);
			out(" down_us=");
			out_num(t1 - t0);
			out(" up_us=");
			out_num(now_us() - t1);
			if (rc || rc2) {
				out(" error=");
				out_num(rc ? rc : rc2);
			}
			out("\n");
		}
	out("linux-hotplug: end cycles=");
	out_num(cycles);
	out(" cpus=");
	out_num(cpus);
	out("\n");
	sys(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc /* POWER_OFF */, 0, 0);
	sys(SYS_exit, 0, 0, 0, 0, 0);
	for (;;)
		;
}

#if defined(__aarch64__)
__asm__(".globl _start\n_start:\n\tbl start\n");
#else
__asm__(".globl _start\n_start:\n\t.option push\n\t.option norelax\n\tlla gp, __global_pointer$\n"
	"\t.option pop\n\tcall start\n");
#endif
