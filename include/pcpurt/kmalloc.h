/*
 * kmalloc.h - small allocations for metadata (mm/kmalloc.c): power-of-two size classes
 * from 16 bytes to 2 KiB carved out of pages, larger requests as whole pages. Memory is
 * zeroed. Safe from any CPU (one lock, interrupts masked).
 */
#ifndef PCPURT_KMALLOC_H
#define PCPURT_KMALLOC_H

#include <pcpurt/compiler.h>

void *kmalloc(size_t size);
/* kfree() - @size must be what was asked of kmalloc (the allocator keeps no headers). */
void kfree(void *p, size_t size);
size_t kmalloc_bytes_in_use(void);

#endif
