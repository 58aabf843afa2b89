/*
 * kmalloc.c - size-class allocator over the page allocator. Each class keeps a free list
 * threaded through its free objects; a class takes one page at a time and never gives
 * pages back (metadata is long-lived). Requests above 2 KiB are whole pages. Pages come
 * from the bottom of memory, away from the per-CPU chunks stacked at the top of each node.
 */
#include <pcpurt/kmalloc.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/spinlock.h>
#include <string.h>

#define MIN_SHIFT	4	/* 16 bytes */
#define MAX_SHIFT	11	/* 2 KiB */
#define NR_CLASSES	(MAX_SHIFT - MIN_SHIFT + 1)

struct free_obj {
	struct free_obj *next;
};

static struct free_obj *free_list[NR_CLASSES];
static size_t in_use;
static DEFINE_SPINLOCK(lock);

static int class_of(size_t size)
{
	int c = 0;

	while ((1UL << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

void *kmalloc(size_t size)
{
	unsigned long flags;
	struct free_obj *o;
	int c;

	if (!size)
		return NULL;
	if (size > (1UL << MAX_SHIFT)) {
		uint64_t p = alloc_pages_low(size);

		if (p) {
			memset((void *)(uintptr_t)p, 0, size);
			flags = spin_lock_irqsave(&lock);
			in_use += ALIGN_UP(size, PAGE_SIZE);
			spin_unlock_irqrestore(&lock, flags);
		}
		return (void *)(uintptr_t)p;
	}
	c = class_of(size);
	flags = spin_lock_irqsave(&lock);
	if (!free_list[c]) {
		uint64_t page = alloc_pages_low(PAGE_SIZE);
		size_t osz = 1UL << (c + MIN_SHIFT), off;

		if (!page) {
			spin_unlock_irqrestore(&lock, flags);
			return NULL;
		}
		for (off = 0; off + osz <= PAGE_SIZE; off += osz) {
			o = (struct free_obj *)(uintptr_t)(page + off);
			o->next = free_list[c];
			free_list[c] = o;
		}
	}
	o = free_list[c];
	free_list[c] = o->next;
	in_use += 1UL << (c + MIN_SHIFT);
	spin_unlock_irqrestore(&lock, flags);
	memset(o, 0, size);
	return o;
}

void kfree(void *p, size_t size)
{
	unsigned long flags;
	int c;

	if (!p)
		return;
	if (size > (1UL << MAX_SHIFT)) {
		free_pages((uintptr_t)p, ALIGN_UP(size, PAGE_SIZE));
		flags = spin_lock_irqsave(&lock);
		in_use -= ALIGN_UP(size, PAGE_SIZE);
		spin_unlock_irqrestore(&lock, flags);
		return;
	}
	c = class_of(size);
	flags = spin_lock_irqsave(&lock);
	((struct free_obj *)p)->next = free_list[c];
	free_list[c] = p;
	in_use -= 1UL << (c + MIN_SHIFT);
	spin_unlock_irqrestore(&lock, flags);
}

size_t kmalloc_bytes_in_use(void)
{
	return in_use;
}
