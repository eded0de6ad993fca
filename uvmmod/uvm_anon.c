// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_anon.c: anons, the pages they own, and the amap lock they share.
 *
 * Owns: struct uvm_anon (an anonymous page with a reference count), the
 * allocation of UVM's pages, and struct uvm_lock.
 *
 * Invariants: an anon has its page, its swap slot, or both (paged in and
 * not written since: the slot still holds the data, and no PTE maps the
 * page writable); an_ref is the number of amap slots pointing at the anon;
 * the anon, its page and its slot are freed when an_ref drops to 0. A page
 * UVM holds has one reference for UVM; every PTE mapping it holds one
 * more, taken and dropped by Linux. UVM's pages are up to date, but for a
 * page a page-in is reading (locked) or failed to read (unlocked).
 *
 * Locks: an_ref is guarded by an_lock, which is the lock of every amap
 * holding the anon, recorded in the anon for lockdep only (UVM's
 * one-lock-per-amap-family design: an amap and the amaps copied from it
 * share one uvm_lock, so an anon shared between them has a single lock).
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/slab.h>

#include "uvm.h"

static struct lock_class_key uvm_lock_key;

/*
 * Anons come from a cache of their own: 16 bytes each (24 with lockdep).
 * SLAB_ACCOUNT charges them to the faulting task's memory cgroup.
 */
static struct kmem_cache *uvm_anon_cache;

/*
 * uvm_anon_init/exit - create and destroy the anon cache
 *
 * => called at module load and unload
 */
int uvm_anon_init(void)
{
	uvm_anon_cache = KMEM_CACHE(uvm_anon, SLAB_ACCOUNT);
	return uvm_anon_cache ? 0 : -ENOMEM;
}

void uvm_anon_exit(void)
{
	kmem_cache_destroy(uvm_anon_cache);
}

/*
 * uvm_lock_alloc - allocate a new amap lock with one reference
 *
 * => no locks required
 */
struct uvm_lock *uvm_lock_alloc(gfp_t gfp)
{
	struct uvm_lock *l = kmalloc(sizeof(*l), gfp);

	if (!l)
		return NULL;
	__mutex_init(&l->lock, "uvm_amap_lock", &uvm_lock_key);
	refcount_set(&l->refs, 1);
	INIT_LIST_HEAD(&l->amaps);
	l->region = NULL;
	return l;
}
EXPORT_SYMBOL_NS_GPL(uvm_lock_alloc, UVM_KUNIT);

/*
 * uvm_lock_hold - take a reference to an amap lock
 *
 * => caller already holds a reference
 */
void uvm_lock_hold(struct uvm_lock *l)
{
	refcount_inc(&l->refs);
}

/*
 * uvm_lock_tryhold - take a reference to an amap lock that may be going
 *
 * => the lock's memory is valid (the page daemon: a page of the family is
 *    on a page queue, whose lock is held)
 *
 * Return: whether the reference was taken.
 */
bool uvm_lock_tryhold(struct uvm_lock *l)
{
	return refcount_inc_not_zero(&l->refs);
}

/*
 * uvm_lock_put - drop a reference to an amap lock, freeing it on the last
 *
 * => the lock is not held
 */
void uvm_lock_put(struct uvm_lock *l)
{
	if (refcount_dec_and_test(&l->refs)) {
		mutex_destroy(&l->lock);
		kfree(l);
	}
}
EXPORT_SYMBOL_NS_GPL(uvm_lock_put, UVM_KUNIT);

/*
 * uvm_pagealloc - allocate a page for UVM
 * @zero: the page must read as zeroes
 * @gfp: GFP_KERNEL with no uvmmod lock held, else UVM_GFP_LOCKED (no
 *	direct reclaim, see uvm.h)
 *
 * A page for a copy need not be zeroed (it is overwritten at once); with
 * init_on_alloc the allocator zeroes it anyway, and only once. The page is
 * charged to the memory cgroup of the task that faults it in, or for an
 * access from another process, of the mm it is for (__GFP_ACCOUNT and the
 * active memcg the fault sets, see uvm_dev.c), so memory.max holds against
 * /dev/uvm memory: over the limit the cgroup reclaims or its OOM killer
 * runs, and the allocation fails only for its victim.
 *
 * => no spinlocks held; sleeps in reclaim only if @gfp allows it
 */
struct page *uvm_pagealloc(bool zero, gfp_t gfp)
{
	gfp_t pgfp = GFP_HIGHUSER | __GFP_ACCOUNT | __GFP_NOWARN |
		     (zero ? __GFP_ZERO : 0);
	struct page *pg;

	if (!gfpflags_allow_blocking(gfp))
		pgfp &= ~__GFP_DIRECT_RECLAIM;
	pg = alloc_page(pgfp);
	if (pg) {
		/*
		 * (cleared while a page-in reads into it: see uvm_pager.c;
		 * nobody else sees the page yet)
		 */
		__folio_mark_uptodate(page_folio(pg));
		/* on no page queue yet; no owner (see uvm_pdaemon.c) */
		INIT_LIST_HEAD(&pg->lru);
		set_page_private(pg, 0);
		pg->index = 0;
		uvm_stat_inc(UVM_STAT_PAGES);
	}
	return pg;
}

/*
 * uvm_wait - wait for memory, as UVM's uvm_wait(): let the allocator
 *	reclaim (and a memory cgroup over its limit reclaim or OOM-kill) until
 *	a page can be had, with no uvmmod lock held, so that an allocation
 *	made under the locks afterwards (UVM_GFP_LOCKED) finds memory
 * @gfp: the caller's allocation context: whether it may sleep to wait at
 *	all, and whether it may give up (__GFP_NOFAIL: never)
 *
 * Counted in mem_waits.
 *
 * => no uvmmod locks held; may sleep
 *
 * Return: 0 (try again), or -ENOMEM: @gfp may not sleep, or even waiting
 * failed (the task is being killed, or its cgroup is out of memory with
 * nothing to kill) and @gfp may fail.
 */
int uvm_wait(gfp_t gfp)
{
	struct page *pg;

	if (!gfpflags_allow_blocking(gfp))
		return -ENOMEM;
	uvm_stat_inc(UVM_STAT_MEM_WAITS);
	if (fatal_signal_pending(current))
		goto fail;
	pg = alloc_page(GFP_HIGHUSER | __GFP_ACCOUNT | __GFP_NOWARN);
	if (!pg)
		goto fail;
	__free_page(pg);
	return 0;
fail:
	return (gfp & __GFP_NOFAIL) ? 0 : -ENOMEM;
}

/*
 * uvm_pagefree - drop UVM's reference to a page
 *
 * The page leaves its page queue; it is freed when the last PTE mapping it
 * is gone too.
 *
 * => called with the page's owner locked (its amap or aobj), or the page
 *    was never on a queue; no spinlocks held
 */
void uvm_pagefree(struct page *pg)
{
	uvm_pagedequeue(pg);
	uvm_stat_dec(UVM_STAT_PAGES);
	put_page(pg);
}
EXPORT_SYMBOL_NS_GPL(uvm_pagefree, UVM_KUNIT);

/*
 * uvm_pagebatch_add - drop UVM's reference to @pg as part of batch @pb
 *
 * => as uvm_pagefree(); the batch is flushed when full
 */
void uvm_pagebatch_add(struct uvm_pagebatch *pb, struct page *pg)
{
	pb->pages[pb->nr++] = pg;
	if (pb->nr == UVM_PAGEBATCH)
		uvm_pagebatch_flush(pb);
}

/*
 * uvm_pagebatch_flush - drop the references of the pages in @pb
 *
 * => as uvm_pagefree()
 */
void uvm_pagebatch_flush(struct uvm_pagebatch *pb)
{
	if (pb->nanons) {
		uvm_stat_add(UVM_STAT_ANONS, -(long)pb->nanons);
		kmem_cache_free_bulk(uvm_anon_cache, pb->nanons, pb->anons);
		pb->nanons = 0;
	}
	if (pb->nr) {
		/* off the page queues: one lock hold per queue and batch */
		uvm_pagedequeue_batch(pb->pages, pb->nr);
		uvm_stat_add(UVM_STAT_PAGES, -(long)pb->nr);
		release_pages(pb->pages, pb->nr);
		pb->nr = 0;
	}
}

/*
 * uvm_pagecopy - copy the contents of @src to @dst
 *
 * => no locks required
 */
void uvm_pagecopy(struct page *src, struct page *dst)
{
	copy_highpage(dst, src);
}

/*
 * uvm_analloc - allocate an anon with a page and one reference
 * @lock: the amap lock the anon will live under (NULL: set later with
 *	uvm_anon_set_lock(), for an anon allocated with no lock held)
 * @zero: the page must read as zeroes
 * @gfp: GFP_KERNEL, or UVM_GFP_LOCKED with an entry or amap lock held
 *
 * => no spinlocks held; @lock may be held
 *
 * Return: the anon, or NULL if out of memory.
 */
struct uvm_anon *uvm_analloc(struct uvm_lock *lock, bool zero, gfp_t gfp)
{
	struct uvm_anon *anon = kmem_cache_alloc(uvm_anon_cache, gfp);

	if (!anon)
		return NULL;
	anon->an_page = uvm_pagealloc(zero, gfp);
	if (!anon->an_page) {
		kmem_cache_free(uvm_anon_cache, anon);
		return NULL;
	}
#ifdef CONFIG_LOCKDEP
	anon->an_lock = lock;
#endif
	anon->an_ref = 1;
	anon->an_swslot = 0;
	uvm_stat_inc(UVM_STAT_ANONS);
	return anon;
}
EXPORT_SYMBOL_NS_GPL(uvm_analloc, UVM_KUNIT);

/*
 * uvm_anon_set_lock - an anon allocated without a lock joins the amap
 *	whose lock is @lock
 *
 * => called with @lock held
 */
void uvm_anon_set_lock(struct uvm_anon *anon, struct uvm_lock *lock)
{
	lockdep_assert_held(&lock->lock);
#ifdef CONFIG_LOCKDEP
	anon->an_lock = lock;
#endif
}
EXPORT_SYMBOL_NS_GPL(uvm_anon_set_lock, UVM_KUNIT);

/*
 * uvm_anon_dropswap - the anon's data is about to change (or it goes):
 *	free its swap slot (BSD's uvm_anon_dropswap)
 *
 * => called with the anon's lock held (or the anon was never shared)
 */
void uvm_anon_dropswap(struct uvm_anon *anon)
{
	if (!anon->an_swslot)
		return;
	if (!anon->an_page)
		uvm_stat_dec(UVM_STAT_SWAP_ONLY);
	uvm_swap_free(anon->an_swslot, 1);
	anon->an_swslot = 0;
}
EXPORT_SYMBOL_NS_GPL(uvm_anon_dropswap, UVM_KUNIT);

/*
 * uvm_anfree - free an anon, its page and its swap slot
 *
 * => an_ref is 0; the anon's lock is held (or the anon was never shared)
 */
void uvm_anfree(struct uvm_anon *anon)
{
	WARN_ON_ONCE(anon->an_ref);
	uvm_anon_dropswap(anon);
	if (anon->an_page)
		uvm_pagefree(anon->an_page);
	uvm_stat_dec(UVM_STAT_ANONS);
	kmem_cache_free(uvm_anon_cache, anon);
}
EXPORT_SYMBOL_NS_GPL(uvm_anfree, UVM_KUNIT);

/*
 * uvm_anon_unref_batch - drop one reference to an anon; on the last, free
 *	it and put its page in @pb
 *
 * => called with the anon's lock (its amap's lock) held
 */
void uvm_anon_unref_batch(struct uvm_anon *anon, struct uvm_pagebatch *pb)
{
	uvm_anon_assert_locked(anon);
	if (--anon->an_ref)
		return;
	if (!anon->an_page || anon->an_swslot) {
		uvm_anfree(anon);	/* (rare: a swapped anon) */
		return;
	}
	/* the anon first: adding the page may flush the batch */
	pb->anons[pb->nanons++] = anon;
	uvm_pagebatch_add(pb, anon->an_page);
}

/*
 * uvm_anon_unref - drop one reference to an anon, freeing it on the last
 *
 * => called with the anon's lock (its amap's lock) held
 */
void uvm_anon_unref(struct uvm_anon *anon)
{
	uvm_anon_assert_locked(anon);
	if (--anon->an_ref == 0)
		uvm_anfree(anon);
}
EXPORT_SYMBOL_NS_GPL(uvm_anon_unref, UVM_KUNIT);
