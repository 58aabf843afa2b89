/*
 * pcpu_alloc_default.c - the runtime's allocator instance and the Linux-like interface on it
 * (__alloc_percpu(), free_percpu(), ...). The runtime sets pcpu_default up with
 * pcpu_allocator_init() once the first chunk exists.
 */
#include "pcpu_alloc_internal.h"

struct pcpu_allocator pcpu_default;

void *__alloc_percpu_gfp(size_t size, size_t align, unsigned int gfp)
{
	return pcpu_allocator_alloc(&pcpu_default, size, align, gfp);
}

void *__alloc_percpu(size_t size, size_t align)
{
	return pcpu_allocator_alloc(&pcpu_default, size, align, 0);
}

void *__alloc_reserved_percpu(size_t size, size_t align)
{
	return pcpu_allocator_alloc(&pcpu_default, size, align, PCPU_GFP_RESERVED);
}

void free_percpu(void *ptr)
{
	pcpu_allocator_free(&pcpu_default, ptr);
}

bool pcpu_addr_info(const void *addr, struct pcpu_addr_info *info)
{
	return pcpu_allocator_addr_info(&pcpu_default, addr, info);
}

bool pcpu_balance_needed(void)
{
	return pcpu_allocator_balance_needed(&pcpu_default);
}

void pcpu_balance(void)
{
	pcpu_allocator_balance(&pcpu_default);
}

void pcpu_get_stats(struct pcpu_stats *st)
{
	pcpu_allocator_stats(&pcpu_default, st);
}

void pcpu_print_stats(void)
{
	pcpu_allocator_print_stats(&pcpu_default);
}
