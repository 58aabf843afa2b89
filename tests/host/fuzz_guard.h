/*
 * fuzz_guard.h - for the device-tree fuzzers: guarded_copy() puts a fuzz input so that it
 * ends (8-byte aligned) right before a PROT_NONE page, so a read past the input crashes
 * even in code that is not instrumented (Debian's libfdt.so). Inputs are at most
 * FUZZ_MAX_INPUT bytes. Include once per fuzzer.
 */
#ifndef TESTS_HOST_FUZZ_GUARD_H
#define TESTS_HOST_FUZZ_GUARD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef FUZZ_MAX_INPUT
#define FUZZ_MAX_INPUT (1U << 20)
#endif

static void *guarded_copy(const uint8_t *data, size_t size)
{
	static uint8_t *area, *guard;
	long page = sysconf(_SC_PAGESIZE);
	size_t span = (FUZZ_MAX_INPUT + page - 1) / page * page;
	uint8_t *p;

	if (!area) {
		area = mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
		if (area == MAP_FAILED || mprotect(area + span, page, PROT_NONE)) {
			perror("guarded_copy: mmap");
			abort();
		}
		guard = area + span;
	}
	p = guard - ((size + 7) & ~(size_t)7);
	memcpy(p, data, size);
	return p;
}

#endif
