// SPDX-License-Identifier: BSD-4-Clause-UC
/*	Derived from $NetBSD: uvm_aobj.c,v 1.16 1999/03/24 03:45:27 cgd Exp $	*/

/*
 * Copyright (c) 1998 Chuck Silvers, Charles D. Cranor and
 *                    Washington University.
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. All advertising materials mentioning features or use of this software
 *    must display the following acknowledgement:
 *      This product includes software developed by Charles D. Cranor and
 *      Washington University.
 * 4. The name of the author may not be used to endorse or promote products
 *    derived from this software without specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE AUTHOR ``AS IS'' AND ANY EXPRESS OR
 * IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES
 * OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED.
 * IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY DIRECT, INDIRECT,
 * INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT
 * NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
 * DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
 * THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
 * (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF
 * THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 *
 * from: Id: uvm_aobj.c,v 1.1.2.5 1998/02/06 05:14:38 chs Exp
 */

/*
 * uvm_aobj.c: the anonymous memory uvm_object pager (author of the
 * original: Chuck Silvers, design mostly from Chuck Cranor), ported to
 * Linux for uvmmod.
 *
 * Owns: anonymous objects (aobjs), the lower layer of MAP_SHARED /dev/uvm
 * memory: one aobj per mmap, shared by every VMA split, moved or forked
 * from it, holding the object's resident pages by page index and the swap
 * slots of the pages that went to swap.
 *
 * Swap slots, as in the seed: an aobj keeps the list of its allocated
 * swap blocks in an array (objects of at most UAO_SWHASH_THRESHOLD pages)
 * or in a hash table of clusters of UAO_SWHASH_CLUSTER_SIZE pages (large
 * objects), each cluster ("elt") counting its nonzero slots and freed when
 * the count drops to zero. A slot is nonzero while the swap holds the
 * page's data: the page is then either absent (paged out) or resident and
 * clean (paged in and not written since: every PTE to it is read-only, and
 * the first write drops the slot, uao_dropswap()); UVM_SWSLOT_BAD means
 * the data is lost (a failed read).
 *
 * Invariants: uo_npages is the number of pages in uo_pages; a page in an
 * aobj is zero-filled when it is first asked for (with no swap slot) and
 * lives until it is paged out or the aobj dies (as shmem's pages live as
 * long as the shmem file: a partial munmap does not free them). A page in
 * uo_pages that is not up to date is being read from swap (locked) or
 * failed to be (unlocked): see uao_get(). The aobj's pages and slots go
 * with its last reference (uo_refs); the structure itself with uo_mem,
 * which the page daemon and swapoff also hold while they work on it.
 *
 * Locks: vmobjlock guards every field but uo_mem, and nests inside the
 * amap lock (UVM's order: maps, amap, object). uao_list_lock (spinlock)
 * guards the list of aobjs, which swapoff walks (the seed's uao_list).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/lockdep.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "uvm.h"

/*
 * for hash tables, we break the address space of the aobj into blocks
 * of UAO_SWHASH_CLUSTER_SIZE pages. we require the cluster size to be a
 * power of two.
 */
#define UAO_SWHASH_CLUSTER_SHIFT	4
#define UAO_SWHASH_CLUSTER_SIZE		BIT(UAO_SWHASH_CLUSTER_SHIFT)

/* the swhash threshold: an array up to this size, a hash above */
#define UAO_SWHASH_THRESHOLD		(UAO_SWHASH_CLUSTER_SIZE * 4)
/* the number of buckets in a swhash, with an upper bound */
#define UAO_SWHASH_MAXBUCKETS		256

/* the slots of one cluster of pages of a large aobj */
struct uao_swhash_elt {
	struct hlist_node list;		/* the hash list */
	pgoff_t tag;			/* page index >> the cluster shift */
	unsigned int count;		/* our number of nonzero slots */
	unsigned int slots[UAO_SWHASH_CLUSTER_SIZE];
};

static struct kmem_cache *uao_swhash_elt_cache;
static LIST_HEAD(uao_list);		/* every aobj with uo_mem > 0 */
static DEFINE_SPINLOCK(uao_list_lock);	/* guards uao_list */

static bool uao_uses_swhash(const struct uvm_object *uobj)
{
	return uobj->uo_size > UAO_SWHASH_THRESHOLD;
}

/*
 * uvm_aobj_init/exit - the cache of swhash clusters
 *
 * => called at module load and unload
 */
int uvm_aobj_init(void)
{
	uao_swhash_elt_cache = KMEM_CACHE(uao_swhash_elt, 0);
	return uao_swhash_elt_cache ? 0 : -ENOMEM;
}

void uvm_aobj_exit(void)
{
	WARN_ON_ONCE(!list_empty(&uao_list));
	kmem_cache_destroy(uao_swhash_elt_cache);
}

/*
 * uao_find_swhash_elt: find (or create) the hash table entry of a page
 * index; creation never sleeps (it runs under the pager's locks) and may
 * fail
 */
static struct uao_swhash_elt *uao_find_swhash_elt(struct uvm_object *uobj,
						  pgoff_t idx, bool create)
{
	pgoff_t tag = idx >> UAO_SWHASH_CLUSTER_SHIFT;
	struct hlist_head *swhash = &uobj->uo_swhash[tag & uobj->uo_swhashmask];
	struct uao_swhash_elt *elt;

	hlist_for_each_entry(elt, swhash, list)
		if (elt->tag == tag)
			return elt;
	if (!create)
		return NULL;
	elt = kmem_cache_zalloc(uao_swhash_elt_cache, UVM_GFP_LOCKED);
	if (!elt)
		return NULL;
	elt->tag = tag;
	hlist_add_head(&elt->list, swhash);
	uobj->uo_nelts++;
	return elt;
}

/*
 * uao_find_swslot - the swap slot of page @idx, or 0
 *
 * => called with the aobj locked
 */
unsigned int uao_find_swslot(struct uvm_object *uobj, pgoff_t idx)
{
	struct uao_swhash_elt *elt;

	lockdep_assert_held(&uobj->vmobjlock);
	if (!uobj->uo_nswslots || idx >= uobj->uo_size)
		return 0;
	if (!uao_uses_swhash(uobj))
		return uobj->uo_swslots[idx];
	elt = uao_find_swhash_elt(uobj, idx, false);
	return elt ? elt->slots[idx & (UAO_SWHASH_CLUSTER_SIZE - 1)] : 0;
}
EXPORT_SYMBOL_NS_GPL(uao_find_swslot, UVM_KUNIT);

/*
 * uao_set_swslot - set the swap slot of page @idx; setting 0 clears it
 *	(the caller frees the old slot)
 *
 * => called with the aobj locked
 *
 * Return: the old slot, or -ENOMEM (no memory for a new cluster: nothing
 * changed).
 */
long uao_set_swslot(struct uvm_object *uobj, pgoff_t idx, unsigned int slot)
{
	struct uao_swhash_elt *elt;
	unsigned int *p, old;

	lockdep_assert_held(&uobj->vmobjlock);
	if (WARN_ON_ONCE(idx >= uobj->uo_size))
		return 0;
	if (uao_uses_swhash(uobj)) {
		/*
		 * avoid allocating an entry just to free it again if the
		 * page had no swap slot in the first place
		 */
		elt = uao_find_swhash_elt(uobj, idx, slot != 0);
		if (!elt)
			return slot ? -ENOMEM : 0;
		p = &elt->slots[idx & (UAO_SWHASH_CLUSTER_SIZE - 1)];
	} else {
		elt = NULL;
		p = &uobj->uo_swslots[idx];
	}
	old = *p;
	*p = slot;
	if (slot && !old) {
		uobj->uo_nswslots++;
		if (elt)
			elt->count++;
	} else if (!slot && old) {
		uobj->uo_nswslots--;
		if (elt)
			elt->count--;
	}
	/* an emptied cluster goes */
	if (elt && !elt->count) {
		hlist_del(&elt->list);
		kmem_cache_free(uao_swhash_elt_cache, elt);
		uobj->uo_nelts--;
	}
	return old;
}
EXPORT_SYMBOL_NS_GPL(uao_set_swslot, UVM_KUNIT);

/* free a slot uao_set_swslot() took away (a bad one stays bad) */
static void uao_slot_free(unsigned int slot)
{
	if (slot && slot != UVM_SWSLOT_BAD)
		uvm_swap_free(slot, 1);
}

/*
 * uao_dropswap - page @idx is resident and about to change: free its swap
 *	slot, whose copy goes stale (BSD's uao_dropswap)
 *
 * => called with the aobj locked
 */
void uao_dropswap(struct uvm_object *uobj, pgoff_t idx)
{
	long old;

	lockdep_assert_held(&uobj->vmobjlock);
	if (!uobj->uo_nswslots)
		return;
	old = uao_set_swslot(uobj, idx, 0);
	if (old > 0)
		uao_slot_free(old);
}
EXPORT_SYMBOL_NS_GPL(uao_dropswap, UVM_KUNIT);

/*
 * uao_create - create a new aobj of @size pages with one reference
 *
 * => no locks required; may sleep
 */
struct uvm_object *uao_create(pgoff_t size, gfp_t gfp)
{
	struct uvm_object *uobj = kzalloc(sizeof(*uobj), gfp);
	unsigned long buckets;

	if (!uobj)
		return NULL;
	mutex_init(&uobj->vmobjlock);
	uobj->uo_refs = 1;
	refcount_set(&uobj->uo_mem, 1);
	uobj->uo_size = size;
	xa_init(&uobj->uo_pages);
	if (uao_uses_swhash(uobj)) {
		/* a power of two, as BSD's hashinit() */
		buckets = min_t(pgoff_t, size >> UAO_SWHASH_CLUSTER_SHIFT,
				UAO_SWHASH_MAXBUCKETS);
		buckets = rounddown_pow_of_two(buckets);
		uobj->uo_swhash = kcalloc(buckets, sizeof(*uobj->uo_swhash),
					  gfp);
		uobj->uo_swhashmask = buckets - 1;
	} else {
		uobj->uo_swslots = kcalloc(max_t(pgoff_t, size, 1),
					   sizeof(*uobj->uo_swslots), gfp);
	}
	if (!uobj->uo_swhash && !uobj->uo_swslots) {
		kfree(uobj);
		return NULL;
	}
	spin_lock(&uao_list_lock);
	list_add(&uobj->uo_list, &uao_list);
	spin_unlock(&uao_list_lock);
	uvm_stat_inc(UVM_STAT_AOBJS);
	return uobj;
}
EXPORT_SYMBOL_NS_GPL(uao_create, UVM_KUNIT);

/*
 * uao_reference - add a reference to an aobj
 *
 * => aobj must be unlocked (we will lock it)
 */
void uao_reference(struct uvm_object *uobj)
{
	mutex_lock(&uobj->vmobjlock);
	uobj->uo_refs++;
	mutex_unlock(&uobj->vmobjlock);
}
EXPORT_SYMBOL_NS_GPL(uao_reference, UVM_KUNIT);

/*
 * uao_hold - keep an aobj's structure (not its pages) from going
 *
 * => the structure is valid (the page daemon: one of its pages is on a
 *    page queue, whose lock is held; swapoff: uao_list_lock held)
 *
 * Return: whether the hold was taken (false: the aobj is being freed).
 */
bool uao_hold(struct uvm_object *uobj)
{
	return refcount_inc_not_zero(&uobj->uo_mem);
}

/*
 * uao_put - drop a hold (or the references' one), freeing the structure
 *	on the last
 *
 * => no uvmmod locks held
 */
void uao_put(struct uvm_object *uobj)
{
	if (!refcount_dec_and_test(&uobj->uo_mem))
		return;
	spin_lock(&uao_list_lock);
	list_del(&uobj->uo_list);
	spin_unlock(&uao_list_lock);
	WARN_ON_ONCE(uobj->uo_npages || uobj->uo_nswslots || uobj->uo_nelts);
	xa_destroy(&uobj->uo_pages);
	mutex_destroy(&uobj->vmobjlock);
	kfree(uobj->uo_swslots);
	kfree(uobj->uo_swhash);
	kfree(uobj);
	uvm_stat_dec(UVM_STAT_AOBJS);
}

/* every swap slot goes, with the clusters holding them (the seed's uao_free) */
static void uao_dropswap_all(struct uvm_object *uobj)
{
	struct uao_swhash_elt *elt;
	struct hlist_node *next;
	unsigned long i;
	unsigned int j;

	lockdep_assert_held(&uobj->vmobjlock);
	if (!uobj->uo_nswslots)
		return;
	if (!uao_uses_swhash(uobj)) {
		for (i = 0; i < uobj->uo_size; i++) {
			if (!uobj->uo_swslots[i])
				continue;
			if (!xa_load(&uobj->uo_pages, i))
				uvm_stat_dec(UVM_STAT_SWAP_ONLY);
			uao_slot_free(uobj->uo_swslots[i]);
			uobj->uo_swslots[i] = 0;
		}
		uobj->uo_nswslots = 0;
		return;
	}
	for (i = 0; i <= uobj->uo_swhashmask; i++) {
		hlist_for_each_entry_safe(elt, next, &uobj->uo_swhash[i], list) {
			for (j = 0; j < UAO_SWHASH_CLUSTER_SIZE; j++) {
				pgoff_t idx = (elt->tag <<
					       UAO_SWHASH_CLUSTER_SHIFT) + j;

				if (!elt->slots[j])
					continue;
				if (!xa_load(&uobj->uo_pages, idx))
					uvm_stat_dec(UVM_STAT_SWAP_ONLY);
				uao_slot_free(elt->slots[j]);
			}
			hlist_del(&elt->list);
			kmem_cache_free(uao_swhash_elt_cache, elt);
		}
	}
	uobj->uo_nswslots = 0;
	uobj->uo_nelts = 0;
}

/*
 * uao_free: the last reference went: free the aobj's swap slots and pages
 * (mappings of the pages need no zapping here: a PTE holds its own page
 * reference, Linux's, and the last reference to the aobj goes only when no
 * VMA maps it), then its structure once the page daemon and swapoff let
 * go. A page under pageout I/O is freed too: the daemon, holding its own
 * page reference, finds it gone when the write is done.
 */
static void uao_free(struct uvm_object *uobj)
{
	struct uvm_pagebatch pb = { .nr = 0 };
	struct page *pg;
	unsigned long idx;

	mutex_lock(&uobj->vmobjlock);
	uao_dropswap_all(uobj);
	xa_for_each(&uobj->uo_pages, idx, pg) {
		xa_erase(&uobj->uo_pages, idx);
		uvm_pagebatch_add(&pb, pg);
		uobj->uo_npages--;
	}
	uvm_pagebatch_flush(&pb);
	WARN_ON_ONCE(uobj->uo_npages);
	mutex_unlock(&uobj->vmobjlock);
	uao_put(uobj);
}

/*
 * uao_detach - drop a reference to an aobj, freeing it on the last
 *
 * => aobj must be unlocked, we will lock it
 */
void uao_detach(struct uvm_object *uobj)
{
	unsigned int refs;

	mutex_lock(&uobj->vmobjlock);
	refs = --uobj->uo_refs;
	mutex_unlock(&uobj->vmobjlock);
	if (!refs)
		uao_free(uobj);
}
EXPORT_SYMBOL_NS_GPL(uao_detach, UVM_KUNIT);

/*
 * uao_wire/uao_unwire - an entry mapping the aobj is wired (unwired): its
 *	pages leave the page queues while any is (BSD's uvm_pagewire of
 *	each page), and come back when none is
 *
 * => aobj must be unlocked, we will lock it
 */
void uao_wire(struct uvm_object *uobj)
{
	struct page *pg;
	unsigned long idx;

	mutex_lock(&uobj->vmobjlock);
	if (!uobj->uo_wired++)
		xa_for_each(&uobj->uo_pages, idx, pg)
			uvm_pagewire(pg);
	mutex_unlock(&uobj->vmobjlock);
}

void uao_unwire(struct uvm_object *uobj)
{
	struct page *pg;
	unsigned long idx;

	mutex_lock(&uobj->vmobjlock);
	if (!WARN_ON_ONCE(!uobj->uo_wired) && !--uobj->uo_wired)
		xa_for_each(&uobj->uo_pages, idx, pg)
			if (PageUptodate(pg))
				uvm_pageactivate_obj(pg, uobj, idx);
	mutex_unlock(&uobj->vmobjlock);
}

/*
 * uao_lookup - the resident page at index @idx, or NULL
 *
 * The PGO_LOCKED half of the seed's uao_get: no allocation, no sleeping
 * for I/O, and no page a page-in is reading; used for fault-ahead of
 * resident neighbours.
 *
 * => called with the aobj locked
 */
struct page *uao_lookup(struct uvm_object *uobj, pgoff_t idx)
{
	struct page *pg;

	lockdep_assert_held(&uobj->vmobjlock);
	pg = xa_load(&uobj->uo_pages, idx);
	return pg && PageUptodate(pg) ? pg : NULL;
}
EXPORT_SYMBOL_NS_GPL(uao_lookup, UVM_KUNIT);

/*
 * uao_next_page - the first resident page at an index in [*@idx, @end)
 *
 * => called with the aobj locked
 *
 * Return: the page (*@idx is its index), or NULL if there is none.
 */
struct page *uao_next_page(struct uvm_object *uobj, pgoff_t *idx,
			   pgoff_t end)
{
	unsigned long i = *idx;
	struct page *pg;

	lockdep_assert_held(&uobj->vmobjlock);
	if (i >= end)
		return NULL;
	for (pg = xa_find(&uobj->uo_pages, &i, end - 1, XA_PRESENT);
	     pg && !PageUptodate(pg);
	     pg = xa_find_after(&uobj->uo_pages, &i, end - 1, XA_PRESENT))
		;
	if (pg)
		*idx = i;
	return pg;
}
EXPORT_SYMBOL_NS_GPL(uao_next_page, UVM_KUNIT);

/*
 * uao_newpage: a new page for index @idx, in the aobj and on the page
 * queues; locked and not up to date if it is to be read (@zero false)
 */
static struct page *uao_newpage(struct uvm_object *uobj, pgoff_t idx,
				bool zero, gfp_t gfp)
{
	struct page *pg = uvm_pagealloc(zero, gfp);
	void *old;

	if (!pg)
		return NULL;
	if (!zero) {
		/* locked and not up to date while the read runs: busy */
		ClearPageUptodate(pg);
		WARN_ON_ONCE(!trylock_page(pg));
	}
	old = xa_store(&uobj->uo_pages, idx, pg, gfp | __GFP_ACCOUNT);
	if (xa_is_err(old)) {
		if (!zero)
			unlock_page(pg);
		uvm_pagefree(pg);
		return NULL;
	}
	uobj->uo_npages++;
	if (!uobj->uo_wired)
		uvm_pageactivate_obj(pg, uobj, idx);
	return pg;
}

/*
 * uao_pagein_start: the page-in of @idx (swap slot @swslot) and of the
 * pages after it whose data follows in swap, up to @pi->max (read-ahead,
 * as uvm_anon_pagein_ahead: pages paged out together come back together)
 */
static int uao_pagein_start(struct uvm_object *uobj, pgoff_t idx,
			    unsigned int swslot, gfp_t gfp,
			    struct uvm_pagein *pi)
{
	unsigned int n, max = uvm_swap_run_max(swslot, pi->max);
	struct page *pg;

	pg = uao_newpage(uobj, idx, false, gfp);
	if (!pg)
		return -ENOMEM;
	uvm_stat_dec(UVM_STAT_SWAP_ONLY);
	get_page(pg);
	pi->pages[0] = pg;
	pi->swslot = swslot;
	for (n = 1; n < max && idx + n < uobj->uo_size; n++) {
		if (uao_find_swslot(uobj, idx + n) != swslot + n ||
		    xa_load(&uobj->uo_pages, idx + n))
			break;
		pg = uao_newpage(uobj, idx + n, false, UVM_GFP_LOCKED);
		if (!pg)
			break;
		uvm_stat_dec(UVM_STAT_SWAP_ONLY);
		get_page(pg);
		pi->pages[n] = pg;
	}
	pi->n = n;
	return UVM_PAGEIN_READ;
}

/*
 * uao_get - the page at index @idx: resident, allocated zero-filled if it
 *	is new, or to be paged in (the seed's uao_get with PGO_SYNCIO, whose
 *	I/O the caller runs with every lock dropped, see uvm_pager.c)
 * @pgp: the page, on success
 * @gfp: UVM_GFP_LOCKED under a fault's locks (see uvm.h), or GFP_KERNEL
 *	where reclaim is safe
 * @pi: where to describe a page-in (NULL: the caller cannot do one)
 *
 * A page a page-in is reading (locked) is waited for; one whose read
 * failed (unlocked, not up to date) is read again once (@pi->retried
 * false: a read-ahead's failure) and else lost: its slot is marked bad.
 *
 * => called with the aobj locked; sleeps to allocate only if @gfp allows
 *
 * Return: 0, UVM_PAGEIN_READ or UVM_PAGEIN_WAIT (@pi says what to read or
 * wait for, with page references of the caller's), -ENXIO for an index
 * past the object, -EIO (the data is lost), or -ENOMEM.
 */
int uao_get(struct uvm_object *uobj, pgoff_t idx, struct page **pgp,
	    gfp_t gfp, struct uvm_pagein *pi)
{
	unsigned int swslot;
	struct page *pg;
	int error;

	lockdep_assert_held(&uobj->vmobjlock);
	if (idx >= uobj->uo_size)
		return -ENXIO;
	pg = xa_load(&uobj->uo_pages, idx);
	if (pg && PageUptodate(pg)) {
		*pgp = pg;
		return 0;
	}
	if (pg) {
		if (WARN_ON_ONCE(!pi))
			return -EIO;
		error = uvm_pagein_found(pg, pi->retried);
		if (error != -EIO) {
			pi->pages[0] = pg;
			pi->n = 1;
			pi->swslot = uao_find_swslot(uobj, idx);
			return error;
		}
		/* our read failed too: the data is lost */
		xa_erase(&uobj->uo_pages, idx);
		uobj->uo_npages--;
		swslot = uao_find_swslot(uobj, idx);
		if (swslot && swslot != UVM_SWSLOT_BAD) {
			uvm_swap_markbad(swslot, 1);
			uao_set_swslot(uobj, idx, UVM_SWSLOT_BAD);
		}
		uvm_stat_inc(UVM_STAT_SWAP_ONLY);
		unlock_page(pg);
		uvm_pagefree(pg);
		pr_warn_ratelimited("%s[%d]: a shared /dev/uvm page could not be read back from swap: its data is lost (SIGBUS)\n",
				    current->comm, task_pid_nr(current));
		return -EIO;
	}
	swslot = uao_find_swslot(uobj, idx);
	if (swslot == UVM_SWSLOT_BAD)
		return -EIO;
	if (swslot) {
		if (WARN_ON_ONCE(!pi))
			return -EIO;
		return uao_pagein_start(uobj, idx, swslot, gfp, pi);
	}
	/* if page is new, allocate it zero-filled */
	pg = uao_newpage(uobj, idx, true, gfp);
	if (!pg)
		return -ENOMEM;
	uvm_stat_inc(UVM_STAT_ZERO_FILLS);
	*pgp = pg;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uao_get, UVM_KUNIT);

/*
 * uao_pageout_done - page @idx (@pg, locked, unmapped, held by nobody but
 *	UVM and the caller) leaves memory: its data is in its swap slot
 *
 * => called with the aobj locked
 */
void uao_pageout_done(struct uvm_object *uobj, pgoff_t idx, struct page *pg)
{
	lockdep_assert_held(&uobj->vmobjlock);
	xa_erase(&uobj->uo_pages, idx);
	uobj->uo_npages--;
	uvm_pagefree(pg);
	uvm_stat_inc(UVM_STAT_SWAP_ONLY);
	uvm_stat_inc(UVM_STAT_PAGEOUTS);
}
EXPORT_SYMBOL_NS_GPL(uao_pageout_done, UVM_KUNIT);

/*
 * uao_next_swapped: the first index in [@idx, @end) whose swap slot is in
 * [@lo, @hi) (or bad, when @hi is UVM_SWSLOT_BAD: wiring), or @end
 */
static pgoff_t uao_next_swapped(struct uvm_object *uobj, pgoff_t idx,
				pgoff_t end, unsigned int lo, unsigned int hi)
{
	struct uao_swhash_elt *elt;
	unsigned int slot;

	lockdep_assert_held(&uobj->vmobjlock);
	while (idx < end && uobj->uo_nswslots) {
		elt = uao_uses_swhash(uobj) ?
			uao_find_swhash_elt(uobj, idx, false) : NULL;
		if (uao_uses_swhash(uobj) && !elt) {
			/* no slot in this cluster */
			idx = ((idx >> UAO_SWHASH_CLUSTER_SHIFT) + 1) <<
			      UAO_SWHASH_CLUSTER_SHIFT;
			continue;
		}
		slot = uao_find_swslot(uobj, idx);
		if (slot && ((slot >= lo && slot < hi) ||
			     (slot == UVM_SWSLOT_BAD && hi == UVM_SWSLOT_BAD)))
			return idx;
		idx++;
	}
	return end;
}

/*
 * uao_pagein_range - page in the pages of [@start, @end) whose swap slots
 *	are in [@lo, @hi) and free those slots (wiring: every slot, as wired
 *	memory is resident; swapoff: one area's, the seed's uao_pagein)
 *
 * => no uvmmod locks held; may sleep
 *
 * Return: 0, -EIO (a page's data is lost), -ENOMEM or -EINTR.
 */
int uao_pagein_range(struct uvm_object *uobj, pgoff_t start, pgoff_t end,
		     unsigned int lo, unsigned int hi)
{
	struct page *pgs[UVM_PAGEIN_MAX], *pg;
	struct uvm_pagein pi = { .pages = pgs };
	pgoff_t idx = start, failed = ULONG_MAX;
	int what;

	for (;;) {
		if (fatal_signal_pending(current))
			return -EINTR;
		mutex_lock(&uobj->vmobjlock);
		/* (swapoff holds a dead one: nothing is left in it) */
		idx = uao_next_swapped(uobj, idx, min(end, uobj->uo_size),
				       lo, hi);
		if (idx >= min(end, uobj->uo_size)) {
			mutex_unlock(&uobj->vmobjlock);
			return 0;
		}
		pi.max = min_t(pgoff_t, end - idx, UVM_PAGEIN_MAX);
		pi.retried = idx == failed;
		what = uao_get(uobj, idx, &pg, UVM_GFP_LOCKED, &pi);
		/* in: its page holds the data, free the slot */
		if (!what)
			uao_dropswap(uobj, idx);
		mutex_unlock(&uobj->vmobjlock);
		if (what == -ENOMEM)
			what = uvm_wait(GFP_KERNEL);
		if (what < 0)
			return what;
		/* (the next turn frees the slots of what was read) */
		if (what && !uvm_anon_pagein_finish(what, pgs, pi.n, pi.swslot))
			failed = idx;
	}
}

/*
 * uao_swap_off - page in every aobj page whose data is in swap slots
 *	[@lo, @hi) (swapoff: the seed's uao_swap_off), aobj by aobj
 *
 * => called with no uvmmod locks but uvm_swap_mutex; may sleep
 *
 * Return: 0, -EIO, -ENOMEM or -EINTR.
 */
int uao_swap_off(unsigned int lo, unsigned int hi)
{
	struct uvm_object *uobj, *prev = NULL;
	int error = 0;

	spin_lock(&uao_list_lock);
	list_for_each_entry(uobj, &uao_list, uo_list) {
		/* (one being freed is skipped: it has no slot left) */
		if (!uao_hold(uobj))
			continue;
		spin_unlock(&uao_list_lock);
		/* our hold keeps uobj, and so its place in the list */
		if (prev)
			uao_put(prev);
		prev = uobj;
		error = uao_pagein_range(uobj, 0, uobj->uo_size, lo, hi);
		spin_lock(&uao_list_lock);
		if (error)
			break;
	}
	spin_unlock(&uao_list_lock);
	if (prev)
		uao_put(prev);
	return error;
}
