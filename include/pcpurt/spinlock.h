/*
 * spinlock.h - fair ticket spin locks, usable with interrupts masked.
 *
 * A lock hands out tickets in arrival order, so no CPU starves. The _irqsave forms mask
 * interrupts on this CPU first and give back the previous state. Pure C on the compiler's
 * __atomic builtins plus two arch hooks (irq masking, cpu_relax), so the same code builds
 * for the host tests, where those hooks are no-ops.
 */
#ifndef PCPURT_SPINLOCK_H
#define PCPURT_SPINLOCK_H

#include <pcpurt/compiler.h>
#include <asm/irqflags.h>

typedef struct {
	uint16_t owner;	/* ticket now being served */
	uint16_t next;	/* next ticket to hand out */
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }
#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l)
{
	l->owner = 0;
	l->next = 0;
}

/*
 * Spins before a waiter naps: under an emulator with more vCPUs than host cores, a ticket
 * lock whose next owner is descheduled stalls everyone (each hand-over can cost a host time
 * slice); napping briefly (arch_cpu_nap: a short timer wait) gives the host CPU back.
 */
#define SPIN_NAP_AFTER	2048

static inline void spin_lock(spinlock_t *l)
{
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	unsigned int spins = 0;

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me) {
		if (++spins < SPIN_NAP_AFTER) {
			arch_cpu_relax();
		} else {
			arch_cpu_nap();
			spins = 0;
		}
	}
}

static inline bool spin_trylock(spinlock_t *l)
{
	uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint16_t next = owner;

	if (__atomic_load_n(&l->next, __ATOMIC_RELAXED) != owner)
		return false;
	return __atomic_compare_exchange_n(&l->next, &next, (uint16_t)(owner + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_local_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	arch_local_irq_restore(flags);
}

#endif
