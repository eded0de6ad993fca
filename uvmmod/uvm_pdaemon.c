// SPDX-License-Identifier: BSD-3-Clause
/*	Derived from $OpenBSD: uvm_pdaemon.c,v 1.154 2026/02/11 deraadt Exp $	*/
/*	and $NetBSD: uvm_pdaemon.c,v 1.23 2000/08/20 10:24:14 bjh21 Exp $	*/

/*
 * Copyright (c) 1997 Charles D. Cranor and Washington University.
 * Copyright (c) 1991, 1993, The Regents of the University of California.
 *
 * All rights reserved.
 *
 * This code is derived from software contributed to Berkeley by
 * The Mach Operating System project at Carnegie-Mellon University.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the University nor the names of its contributors
 *    may be used to endorse or promote products derived from this software
 *    without specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE REGENTS AND CONTRIBUTORS ``AS IS'' AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE REGENTS OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS
 * OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
 * HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT
 * LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY
 * OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF
 * SUCH DAMAGE.
 *
 *	@(#)vm_pageout.c        8.5 (Berkeley) 2/14/94
 * from: Id: uvm_pdaemon.c,v 1.1.2.32 1998/02/06 05:26:30 chs Exp
 *
 *
 * Copyright (c) 1987, 1990 Carnegie-Mellon University.
 * All rights reserved.
 *
 * Permission to use, copy, modify and distribute this software and
 * its documentation is hereby granted, provided that both the copyright
 * notice and this permission notice appear in all copies of the
 * software, derivative works or modified versions, and any portions
 * thereof, and that both notices appear in supporting documentation.
 *
 * CARNEGIE MELLON ALLOWS FREE USE OF THIS SOFTWARE IN ITS "AS IS"
 * CONDITION.  CARNEGIE MELLON DISCLAIMS ANY LIABILITY OF ANY KIND
 * FOR ANY DAMAGES WHATSOEVER RESULTING FROM THE USE OF THIS SOFTWARE.
 *
 * Carnegie Mellon requests users of this software to return to
 *
 *  Software Distribution Coordinator  or  Software.Distribution@CS.CMU.EDU
 *  School of Computer Science
 *  Carnegie Mellon University
 *  Pittsburgh PA 15213-3890
 *
 * any improvements or extensions that they make and grant Carnegie the
 * rights to redistribute these changes.
 */

/*
 * uvm_pdaemon.c: UVM's page queues, the page daemon, and the shrinker
 * through which Linux's reclaim reaches them.
 *
 * Owns: the page queues (struct uvm_pdq: BSD's page_active and
 * page_inactive, one pair per memory cgroup, as Linux keeps an LRU per
 * cgroup), the page daemon thread (uvm_pageout), and the shrinker.
 *
 * Pages. UVM's vm_page is Linux's struct page, and a page of UVM's is not
 * on Linux's LRU, so its lru, private and index fields are the module's:
 * on a queue, page->lru links it, page->private is its owner (the amap
 * lock of the anon's family, see uvm.h) and page->index its slot (BSD's
 * pg->uanon and pg->offset). PG_checked (PG_owner_priv_1, the owner's flag) marks it
 * inactive.
 *
 * Which pages are queued: the resident pages of anons whose family has a
 * region file, from the moment the anon enters an amap (amap_add, a copy
 * made by amap_cow_now, a page-in) until UVM lets the page go
 * (uvm_pagefree), and the pages of aobjs with a region file from their
 * allocation (uao_get) until they are paged out or the aobj dies; a page's
 * owner (page->private) is then the aobj, tagged UVMPD_OWNER_AOBJ, and its
 * slot the page index, which is the region's file offset too. Wired pages
 * leave the queues (uvm_pagewire, as BSD's; an aobj's all of them while
 * any entry mapping it is wired) and come back when unwired.
 *
 * References: Linux exports no reverse map walk (folio_referenced,
 * rmap_walk and page_vma_mapped_walk are not exported), and testing the
 * accessed bits of every PTE of a page would mean walking the page tables
 * of every relative by address. So uvmmod detects references as BSD's
 * pmaps do on machines without reference bits: a page that goes inactive
 * is unmapped from every process (unmap_mapping_pages() on the family's
 * region file, at the page's slot), and a use of it faults it back in,
 * which maps it again. An inactive page that is mapped when the daemon
 * comes back to it was referenced, and is reactivated; one that is still
 * unmapped was not, and is freed (clean: its swap slot holds its data) or
 * paged out (dirty). Fault-ahead does not map inactive pages, so that
 * only the faulting address counts as a use. Cost: one minor fault per
 * page used while inactive, paid only under memory pressure; the fault
 * path does not touch the queues at all.
 *
 * Targets (OpenBSD's uvmpd_tune and uvm_pageout): the inactive target is
 * a third of the queued pages; a shortage is what Linux's reclaim asked
 * for and did not get (pdq->want). Linux keeps the free targets (its
 * watermarks and memory.high/max), so the daemon wakes when the shrinker
 * is called, not on a free-page count of its own.
 *
 * The shrinker (memory-cgroup aware, on a list_lru): Linux's reclaim,
 * global or a cgroup's, calls it with the cgroup to reclaim from; it finds
 * that cgroup's queues through a sentinel object on the cgroup's list (a
 * cgroup's reclaim reaches a shrinker only through the list_lru's bit,
 * see compat/), frees the inactive pages that are clean and unreferenced,
 * pages out the dirty ones in clusters if the caller may do I/O
 * (__GFP_IO: Linux's direct reclaim writes anonymous pages to swap the
 * same way), and wakes the daemon to unmap more pages when the inactive
 * queue is short, waiting a little for it so that a cgroup at its limit
 * makes progress rather than going to the OOM killer.
 *
 * The daemon (a kernel thread, uvm_pdaemon): deactivates pages (unmaps
 * them: that takes i_mmap_rwsem, which reclaim must not wait for, so only
 * the daemon does it) until the inactive target is met, and pages out
 * what the shrinker could not.
 *
 * Locks: a queue's lock (pdq->lock, spinlock) guards its lists, counts
 * and the pages' queue state; it nests inside the amap lock, the aobj
 * lock and the page lock (pages are queued and dequeued under their
 * owner's lock). The
 * daemon and the shrinker go from a queue to the owner, the other way: as
 * BSD's uvmpd_trylockowner, under the queue lock they only take
 * references (the owner's lock struct or aobj, the page, the region
 * file), drop it, and then try the owner's lock with nothing else held. A
 * queued page means its anon (or aobj reference), an amap, an entry and so
 * the region file are alive (each goes only after its pages left the
 * queues). uvm_pdq_hash_lock
 * (spinlock) guards the queues' hash and list; lookups use RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/freezer.h>
#include <linux/hashtable.h>
#include <linux/kthread.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "uvm.h"

/* pages taken off a queue per hold of its lock */
#define UVMPD_BATCH		16
/* pages written in one I/O at most (as uvm_pager.c's UVM_CLUSTER) */
#define UVMPD_CLUSTER		64
/* pages the daemon deactivates in one run, at most */
#define UVMPD_DEACT_MAX		4096
/* how long the shrinker waits for the daemon to unmap pages */
#define UVMPD_WAIT		(HZ / 10)
/* pdqs a shrinker call finds on a cgroup's list, at most */
#define UVMPD_MAXQ		8

/* a memory cgroup's page queues (the root one: pages of no cgroup's) */
struct uvm_pdq {
	spinlock_t lock;		/* guards the lists, counts and want */
	struct list_head active;	/* of struct page, oldest first */
	struct list_head inactive;
	unsigned long nactive, ninactive;
	unsigned long want;		/* pages reclaim asked for, not got */
	bool dead;			/* no longer in the hash: none join */
	/*
	 * the charge of its pages (a reference): the key. A page's objcg
	 * never changes, while its memcg becomes the parent's when the
	 * cgroup goes; NULL: the root pdq, pages charged to no cgroup
	 */
	struct obj_cgroup *objcg;
	struct mem_cgroup *memcg;	/* its cgroup then (a reference) */
	atomic_t users;			/* shrinker calls using it */
	struct hlist_node hash;		/* in uvm_pdq_hash, by memcg */
	struct list_head all;		/* in uvm_pdqs */
	struct list_head lru;		/* the sentinel on uvm_pd_lru */
	struct rcu_head rcu;
};

static struct uvm_pdq uvm_pdq_root;
static DEFINE_SPINLOCK(uvm_pdq_hash_lock);
static DEFINE_HASHTABLE(uvm_pdq_hash, 6);
static LIST_HEAD(uvm_pdqs);		/* the cgroups' pdqs */
static struct kmem_cache *uvm_pdq_cache;
static struct list_lru uvm_pd_lru;
static struct uvm_shrinker uvm_pd_shrinker;

static struct task_struct *uvm_pd_thread;
static DECLARE_WAIT_QUEUE_HEAD(uvm_pd_wq);	/* the daemon sleeps here */
static DECLARE_WAIT_QUEUE_HEAD(uvm_pd_done_wq);	/* and wakes these */
static bool uvm_pd_kick;
static unsigned long uvm_pd_runs;

/*
 * A page's owner (page->private): the amap lock of its anon's family, or
 * its aobj with UVMPD_OWNER_AOBJ set (both are kmalloc'ed: bit 0 is free).
 */
#define UVMPD_OWNER_AOBJ	1UL

static bool uvmpd_owner_is_aobj(unsigned long owner)
{
	return owner & UVMPD_OWNER_AOBJ;
}

static struct uvm_lock *uvmpd_owner_lock(unsigned long owner)
{
	return (struct uvm_lock *)owner;
}

static struct uvm_object *uvmpd_owner_aobj(unsigned long owner)
{
	return (struct uvm_object *)(owner & ~UVMPD_OWNER_AOBJ);
}

/* the owner's mutex: the amap lock or the aobj's vmobjlock */
static struct mutex *uvmpd_owner_mutex(unsigned long owner)
{
	return uvmpd_owner_is_aobj(owner) ?
		&uvmpd_owner_aobj(owner)->vmobjlock :
		&uvmpd_owner_lock(owner)->lock;
}

/* the region file whose offsets are the owner's slots (see uvm.h) */
static struct file *uvmpd_owner_region(unsigned long owner)
{
	return uvmpd_owner_is_aobj(owner) ?
		uvmpd_owner_aobj(owner)->uo_region :
		uvmpd_owner_lock(owner)->region;
}

/* keep the owner's memory (a queued page of its means it is valid) */
static bool uvmpd_owner_hold(unsigned long owner)
{
	return uvmpd_owner_is_aobj(owner) ?
		uao_hold(uvmpd_owner_aobj(owner)) :
		uvm_lock_tryhold(uvmpd_owner_lock(owner));
}

static void uvmpd_owner_put(unsigned long owner)
{
	if (uvmpd_owner_is_aobj(owner))
		uao_put(uvmpd_owner_aobj(owner));
	else
		uvm_lock_put(uvmpd_owner_lock(owner));
}

/* one page being looked at, with the references that keep it */
struct uvmpd_item {
	struct page *pg;
	unsigned long owner;
	pgoff_t slot;
};

/* a cluster of dirty pages to write in one I/O (BSD's swapcluster) */
struct uvmpd_cluster {
	unsigned int n;
	struct page *pages[UVMPD_CLUSTER];	/* locked, with a reference */
	unsigned long owners[UVMPD_CLUSTER];	/* with a hold */
	pgoff_t slots[UVMPD_CLUSTER];
};

/* the daemon's own cluster (the shrinker allocates one per call) */
static struct uvmpd_cluster uvm_pd_cluster;

static void uvm_pdq_init(struct uvm_pdq *pdq)
{
	spin_lock_init(&pdq->lock);
	INIT_LIST_HEAD(&pdq->active);
	INIT_LIST_HEAD(&pdq->inactive);
	INIT_LIST_HEAD(&pdq->lru);
	INIT_LIST_HEAD(&pdq->all);
	atomic_set(&pdq->users, 0);
}

static bool uvmpd_memcg_is_root(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	return !memcg || !memcg->css.parent;
#else
	return true;
#endif
}

/* the pdq of the pages charged to @objcg, or NULL */
static struct uvm_pdq *uvm_pdq_find(struct obj_cgroup *objcg)
{
	struct uvm_pdq *pdq;

	if (!objcg)
		return &uvm_pdq_root;
	hash_for_each_possible_rcu(uvm_pdq_hash, pdq, hash,
				   (unsigned long)objcg)
		if (pdq->objcg == objcg)
			return pdq;
	return NULL;
}

/* what @pg is charged to (NULL: nothing, or the root cgroup) */
static struct obj_cgroup *uvmpd_page_objcg(struct page *pg)
{
#ifdef CONFIG_MEMCG
	struct folio *folio = page_folio(pg);

	/* (UVM's pages are charged as kernel memory: __GFP_ACCOUNT) */
	if (folio_memcg_kmem(folio))
		return __folio_objcg(folio);
#endif
	return NULL;
}

/*
 * uvm_pdq_create: the queues of the pages charged to @objcg. The pdq is
 * charged to the same cgroup (its cache is SLAB_ACCOUNT) and allocated
 * through the list_lru, which prepares the cgroup's list; adding it there
 * sets the cgroup's bit for the shrinker.
 *
 * => rcu_read_lock held (keeping @objcg); dropped and retaken to allocate
 */
static struct uvm_pdq *uvm_pdq_create(struct obj_cgroup *objcg, gfp_t gfp)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg, *old;
	struct uvm_pdq *pdq, *other;

	memcg = obj_cgroup_memcg(objcg);
	if (!obj_cgroup_tryget(objcg))
		return NULL;
	if (!css_tryget(&memcg->css)) {
		obj_cgroup_put(objcg);
		return NULL;
	}
	rcu_read_unlock();
	old = set_active_memcg(memcg);
	pdq = kmem_cache_alloc_lru(uvm_pdq_cache, &uvm_pd_lru,
				   gfp | __GFP_ZERO | __GFP_NOWARN);
	set_active_memcg(old);
	rcu_read_lock();
	if (!pdq) {
		css_put(&memcg->css);
		obj_cgroup_put(objcg);
		return NULL;
	}
	uvm_pdq_init(pdq);
	pdq->objcg = objcg;
	pdq->memcg = memcg;
	spin_lock(&uvm_pdq_hash_lock);
	other = uvm_pdq_find(objcg);
	if (!other) {
		hash_add_rcu(uvm_pdq_hash, &pdq->hash, (unsigned long)objcg);
		list_add_tail_rcu(&pdq->all, &uvm_pdqs);
		uvm_list_lru_add_obj(&uvm_pd_lru, &pdq->lru);
	}
	spin_unlock(&uvm_pdq_hash_lock);
	if (other) {
		css_put(&memcg->css);
		obj_cgroup_put(objcg);
		kmem_cache_free(uvm_pdq_cache, pdq);
		return other;
	}
	return pdq;
#else
	return NULL;
#endif
}

static void uvm_pdq_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(uvm_pdq_cache, container_of(rcu, struct uvm_pdq, rcu));
}

/*
 * uvm_pdq_reap: free the queues of cgroups that are gone and whose pages
 * are all gone too (a cgroup's queues outlive it while it has pages)
 */
static void uvm_pdq_reap(bool all)
{
	struct uvm_pdq *pdq, *next;
	LIST_HEAD(dead);

	spin_lock(&uvm_pdq_hash_lock);
	list_for_each_entry_safe(pdq, next, &uvm_pdqs, all) {
		spin_lock(&pdq->lock);
		if (!pdq->nactive && !pdq->ninactive &&
		    (all || !mem_cgroup_online(pdq->memcg)))
			pdq->dead = true;
		spin_unlock(&pdq->lock);
		if (!pdq->dead)
			continue;
		hash_del_rcu(&pdq->hash);
		list_move(&pdq->all, &dead);
	}
	spin_unlock(&uvm_pdq_hash_lock);
	list_for_each_entry_safe(pdq, next, &dead, all) {
		/* no shrinker call finds it now; wait for those that did */
		uvm_list_lru_del_obj(&uvm_pd_lru, &pdq->lru);
		wait_var_event(&pdq->users, !atomic_read(&pdq->users));
		css_put(&pdq->memcg->css);
		obj_cgroup_put(pdq->objcg);
		call_rcu(&pdq->rcu, uvm_pdq_free_rcu);
	}
}

/*
 * uvm_pdq_prepare - make the queues of @mm's memory cgroup, with no lock
 *	held, so that its pages find them when they are queued under locks
 *	(where they could only be allocated without sleeping)
 *
 * => no uvmmod locks held; may sleep
 */
void uvm_pdq_prepare(struct mm_struct *mm)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg = get_mem_cgroup_from_mm(mm);
	struct obj_cgroup *objcg;

	rcu_read_lock();
	objcg = uvmpd_memcg_is_root(memcg) ? NULL :
		rcu_dereference(memcg->objcg);
	if (objcg && !uvm_pdq_find(objcg))
		uvm_pdq_create(objcg, GFP_KERNEL);
	rcu_read_unlock();
	mem_cgroup_put(memcg);
#endif
}

/* uvmpd_enqueue: @pg of @owner at @slot joins its cgroup's active queue */
static void uvmpd_enqueue(struct page *pg, unsigned long owner, pgoff_t slot)
{
	struct obj_cgroup *objcg;
	struct uvm_pdq *pdq;

	if (!list_empty(&pg->lru))
		return;
	set_page_private(pg, owner);
	pg->index = slot;
	objcg = uvmpd_page_objcg(pg);
	rcu_read_lock();
	pdq = uvm_pdq_find(objcg);
	/* (usually made at mmap: uvm_pdq_prepare()) */
	if (!pdq)
		pdq = uvm_pdq_create(objcg, UVM_GFP_LOCKED);
	if (!pdq) {
		rcu_read_unlock();
		goto unqueued;
	}
	spin_lock(&pdq->lock);
	if (pdq->dead) {
		spin_unlock(&pdq->lock);
		rcu_read_unlock();
		goto unqueued;
	}
	list_add_tail(&pg->lru, &pdq->active);
	pdq->nactive++;
	uvm_stat_inc(UVM_STAT_ACTIVE);
	spin_unlock(&pdq->lock);
	rcu_read_unlock();
	return;
unqueued:
	/* no memory for the queues: the page stays resident, as wired */
	set_page_private(pg, 0);
	pr_warn_ratelimited("no memory for the page queues of a memory cgroup: a /dev/uvm page stays resident\n");
}

/*
 * uvm_pageactivate - @pg, the page of an anon of @lock's family at @slot,
 *	joins the active queue of its memory cgroup (BSD's uvm_pageactivate
 *	for a new page); a page already queued keeps its place
 *
 * Pages of families with no region file (KUnit's) are not queued: the
 * daemon could not unmap them.
 *
 * => called with @lock held; no spinlocks held
 */
void uvm_pageactivate(struct page *pg, struct uvm_lock *lock, pgoff_t slot)
{
	lockdep_assert_held(&lock->lock);
	if (lock->region)
		uvmpd_enqueue(pg, (unsigned long)lock, slot);
}
EXPORT_SYMBOL_NS_GPL(uvm_pageactivate, UVM_KUNIT);

/*
 * uvm_pageactivate_obj - @pg, the page of @uobj at @idx, joins the active
 *	queue (as uvm_pageactivate(); an aobj with no region file, KUnit's,
 *	keeps its pages off the queues)
 *
 * => called with @uobj locked; no spinlocks held
 */
void uvm_pageactivate_obj(struct page *pg, struct uvm_object *uobj,
			  pgoff_t idx)
{
	lockdep_assert_held(&uobj->vmobjlock);
	if (uobj->uo_region)
		uvmpd_enqueue(pg, (unsigned long)uobj | UVMPD_OWNER_AOBJ, idx);
}

/*
 * uvm_pagedequeue - @pg leaves the page queues (UVM lets it go, or wires
 *	it); a page on none is left alone
 *
 * => called with the page's owner locked (its amap lock), or the page was
 *    never queued; no spinlocks held
 */
void uvm_pagedequeue(struct page *pg)
{
	uvm_pagedequeue_batch(&pg, 1);
}

/*
 * uvm_pagedequeue_batch - uvm_pagedequeue() of @nr pages, one hold of a
 *	queue's lock for each run of pages of the same queue (munmap and
 *	exit free pages by batches: uvm_pagebatch)
 *
 * => as uvm_pagedequeue()
 */
void uvm_pagedequeue_batch(struct page **pages, unsigned int nr)
{
	struct obj_cgroup *objcg, *cur = NULL;
	struct uvm_pdq *pdq = NULL, *q;
	long nact = 0, ninact = 0;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < nr; i++) {
		struct page *pg = pages[i];
		struct folio *folio = page_folio(pg);

		if (list_empty(&pg->lru))
			continue;
		/* (the pages of a batch are mostly one cgroup's) */
		objcg = uvmpd_page_objcg(pg);
		if (!pdq || objcg != cur) {
			q = uvm_pdq_find(objcg);
			if (WARN_ON_ONCE(!q))
				continue;
			if (pdq)
				spin_unlock(&pdq->lock);
			pdq = q;
			cur = objcg;
			spin_lock(&pdq->lock);
		}
		list_del_init(&pg->lru);
		if (folio_test_checked(folio)) {
			folio_clear_checked(folio);
			pdq->ninactive--;
			ninact++;
		} else {
			pdq->nactive--;
			nact++;
		}
		set_page_private(pg, 0);
	}
	if (pdq)
		spin_unlock(&pdq->lock);
	rcu_read_unlock();
	if (nact)
		uvm_stat_add(UVM_STAT_ACTIVE, -nact);
	if (ninact)
		uvm_stat_add(UVM_STAT_INACTIVE, -ninact);
}

/*
 * uvm_pagewire - @pg is wired: off the page queues, never paged out
 *	(BSD's uvm_pagewire); uvm_pageactivate() puts it back when unwired
 *
 * => called with the page's owner locked
 */
void uvm_pagewire(struct page *pg)
{
	uvm_pagedequeue(pg);
}
EXPORT_SYMBOL_NS_GPL(uvm_pagewire, UVM_KUNIT);

/* ------------------------------------------------------------------ */
/* deactivation: active -> inactive, unmapped to see the next use       */

/*
 * uvmpd_deactivate: move up to @nr pages from the head of @pdq's active
 * queue to the tail of its inactive queue, each unmapped from every
 * process (BSD's pmap_clear_reference, on a pmap without reference bits)
 *
 * => no locks held; sleeps (unmapping takes i_mmap_rwsem)
 *
 * Return: the pages deactivated.
 */
static unsigned long uvmpd_deactivate(struct uvm_pdq *pdq, unsigned long nr)
{
	struct file *files[UVMPD_BATCH];
	pgoff_t slots[UVMPD_BATCH];
	unsigned long done = 0;
	struct uvm_selfzap z;
	unsigned int n, i, j;

	while (done < nr) {
		n = 0;
		spin_lock(&pdq->lock);
		while (n < UVMPD_BATCH && done + n < nr &&
		       !list_empty(&pdq->active)) {
			struct page *pg = list_first_entry(&pdq->active,
							   struct page, lru);
			unsigned long owner = page_private(pg);

			list_move_tail(&pg->lru, &pdq->inactive);
			folio_set_checked(page_folio(pg));
			pdq->nactive--;
			pdq->ninactive++;
			/* (alive: see the top of this file) */
			files[n] = get_file(uvmpd_owner_region(owner));
			slots[n] = pg->index;
			n++;
		}
		spin_unlock(&pdq->lock);
		if (!n)
			break;
		uvm_stat_add(UVM_STAT_ACTIVE, -(long)n);
		uvm_stat_add(UVM_STAT_INACTIVE, n);
		uvm_stat_add(UVM_STAT_PD_DEACTS, n);
		done += n;
		/*
		 * Unmap from every relative: they all map the family's anons
		 * at the slot's offset of the region file (a relative's own
		 * copy there is unmapped too, and faults back in). Runs of
		 * consecutive slots go in one call.
		 */
		uvm_selfzap_begin(&z);
		for (i = 0; i < n; i = j) {
			for (j = i + 1; j < n && files[j] == files[i] &&
			     slots[j] == slots[j - 1] + 1; j++)
				;
			unmap_mapping_pages(files[i]->f_mapping, slots[i],
					    j - i, false);
		}
		uvm_selfzap_end(&z);
		for (i = 0; i < n; i++)
			fput(files[i]);
		cond_resched();
	}
	return done;
}

/* ------------------------------------------------------------------ */
/* the inactive scan: free clean pages, page out dirty ones             */

/*
 * uvmpd_findanon: the anon of @lock's family whose page is @pg, at @slot
 *
 * => called with @lock held
 */
static struct uvm_anon *uvmpd_findanon(struct uvm_lock *lock, pgoff_t slot,
				       struct page *pg)
{
	struct uvm_amap *amap;
	struct uvm_anon *anon;

	lockdep_assert_held(&lock->lock);
	list_for_each_entry(amap, &lock->amaps, am_list) {
		if (slot < amap->am_start || slot >= amap->am_end)
			continue;
		anon = amap_lookup(amap, slot);
		if (anon && anon->an_page == pg)
			return anon;
	}
	return NULL;
}

/* back to the active queue: used again, or not to be paged out now */
static void uvmpd_reactivate(struct page *pg)
{
	struct folio *folio = page_folio(pg);
	struct uvm_pdq *pdq;

	rcu_read_lock();
	pdq = uvm_pdq_find(uvmpd_page_objcg(pg));
	if (pdq) {
		spin_lock(&pdq->lock);
		if (!list_empty(&pg->lru) && folio_test_checked(folio)) {
			folio_clear_checked(folio);
			list_move_tail(&pg->lru, &pdq->active);
			pdq->ninactive--;
			pdq->nactive++;
			uvm_stat_dec(UVM_STAT_INACTIVE);
			uvm_stat_inc(UVM_STAT_ACTIVE);
		}
		spin_unlock(&pdq->lock);
	}
	rcu_read_unlock();
}

/* whether UVM's swap is (nearly) full: BSD's uvm_swapisfull, at 99 % */
static bool uvm_swapisfull(void)
{
	long total = uvm_stat_read(UVM_STAT_SWAP_PAGES);
	long used = uvm_stat_read(UVM_STAT_SWAP_INUSE) +
		    uvm_stat_read(UVM_STAT_SWAP_BAD);

	return total <= 0 || used * 100 >= total * 99;
}

enum uvmpd_verdict {
	UVMPD_SKIP,		/* busy or changed: leave it for next time */
	UVMPD_REACT,		/* used (or cannot go now): reactivate */
	UVMPD_FREED,		/* clean: freed */
	UVMPD_CLUSTER_ADD,	/* dirty: to be written, page locked */
};

/*
 * uvmpd_examine: decide about one inactive page under its owner's lock
 * (uvmpd_scan_inactive's body). A dirty page to be written is returned
 * locked (busy), with the reference the caller holds.
 *
 * @force: a direct request (UVM_MADV_PAGEOUT): active pages go too
 *
 * => called with the owner locked and a reference to @it->pg
 */
static enum uvmpd_verdict uvmpd_examine(struct uvmpd_item *it, bool may_io,
					bool force)
{
	struct uvm_object *uobj = NULL;
	struct uvm_anon *anon = NULL;
	struct page *pg = it->pg;
	unsigned int swslot;

	lockdep_assert_held(uvmpd_owner_mutex(it->owner));
	/* still queued, inactive (unless @force), and the same owner's */
	if (page_private(pg) != it->owner || list_empty(&pg->lru) ||
	    (!force && !uvm_page_inactive(pg)) || pg->index != it->slot)
		return UVMPD_SKIP;
	if (page_mapped(pg)) {
		uvm_stat_inc(UVM_STAT_PD_REACTS);
		return UVMPD_REACT;
	}
	if (uvmpd_owner_is_aobj(it->owner)) {
		uobj = uvmpd_owner_aobj(it->owner);
		/* (wired meanwhile: uao_wire takes it off the queues next) */
		if (xa_load(&uobj->uo_pages, it->slot) != pg ||
		    !PageUptodate(pg) || uobj->uo_wired)
			return UVMPD_SKIP;
		swslot = uao_find_swslot(uobj, it->slot);
	} else {
		anon = uvmpd_findanon(uvmpd_owner_lock(it->owner), it->slot,
				      pg);
		if (!anon || !uvm_anon_resident(anon))
			return UVMPD_SKIP;
		swslot = anon->an_swslot;
	}
	/* pinned or held by someone (GUP, a page-in's waiter): in use */
	if (uvm_page_maybe_pinned(pg) || page_count(pg) != 2)
		return UVMPD_REACT;
	if (!trylock_page(pg))
		return UVMPD_SKIP;
	if (swslot && swslot != UVM_SWSLOT_BAD) {
		/* clean: the slot holds its data (BSD: pmap_page_protect) */
		unlock_page(pg);
		if (uobj) {
			uao_pageout_done(uobj, it->slot, pg);
		} else {
			anon->an_page = NULL;
			uvm_pagefree(pg);
			uvm_stat_inc(UVM_STAT_SWAP_ONLY);
			uvm_stat_inc(UVM_STAT_PAGEOUTS);
		}
		uvm_stat_inc(UVM_STAT_PD_FREED);
		return UVMPD_FREED;
	}
	if (!may_io || uvm_swapisfull()) {
		unlock_page(pg);
		return UVMPD_REACT;
	}
	return UVMPD_CLUSTER_ADD;
}

/* the page of @it joins cluster @cl, with the references that keep it */
static void uvmpd_cluster_add(struct uvmpd_cluster *cl, struct uvmpd_item *it)
{
	cl->pages[cl->n] = it->pg;
	cl->owners[cl->n] = it->owner;
	cl->slots[cl->n] = it->slot;
	cl->n++;
}

/*
 * uvmpd_finish: after the write of a cluster, one page: the anon takes its
 * slot and lets the page go if nothing changed meanwhile (as
 * uvm_pager.c's uvm_pageout_finish: unwritten since, unmapped, held by
 * nobody else); otherwise the page stays and the slot is freed, or marked
 * bad if the write failed
 *
 * => no locks held; takes the owner's lock and the page lock
 *
 * Return: whether the page was freed.
 */
static bool uvmpd_finish(struct uvmpd_cluster *cl, unsigned int i,
			 unsigned int swslot, bool werr)
{
	unsigned long owner = cl->owners[i];
	struct mutex *m = uvmpd_owner_mutex(owner);
	struct uvm_object *uobj = uvmpd_owner_aobj(owner);
	struct page *pg = cl->pages[i];
	struct uvm_anon *anon = NULL;
	bool ok = false, alive;

	mutex_lock(m);
	lock_page(pg);
	if (uvmpd_owner_is_aobj(owner)) {
		alive = xa_load(&uobj->uo_pages, cl->slots[i]) == pg;
		/* (a new cluster for the slot may be out of memory) */
		ok = alive && !werr && !page_mapped(pg) &&
		     page_count(pg) == 2 &&
		     !uao_find_swslot(uobj, cl->slots[i]) &&
		     uao_set_swslot(uobj, cl->slots[i], swslot) == 0;
		if (ok)
			uao_pageout_done(uobj, cl->slots[i], pg);
	} else {
		anon = uvmpd_findanon(uvmpd_owner_lock(owner), cl->slots[i],
				      pg);
		alive = anon;
		if (anon && !werr && !anon->an_swslot && !page_mapped(pg) &&
		    page_count(pg) == 2) {
			anon->an_swslot = swslot;
			anon->an_page = NULL;
			ok = true;
		}
	}
	unlock_page(pg);
	if (ok) {
		if (!uvmpd_owner_is_aobj(owner)) {
			uvm_pagefree(pg);
			uvm_stat_inc(UVM_STAT_SWAP_ONLY);
			uvm_stat_inc(UVM_STAT_PAGEOUTS);
		}
		uvm_stat_inc(UVM_STAT_PD_FREED);
	} else if (werr) {
		uvm_swap_markbad(swslot, 1);
	} else {
		uvm_swap_free(swslot, 1);
	}
	mutex_unlock(m);
	if (!ok && alive)
		uvmpd_reactivate(pg);
	return ok;
}

/*
 * uvmpd_flush: write the pages of cluster @cl in one run of swap slots
 * (UVM's aggressive clustering: unrelated anons get consecutive slots)
 * and finish them; those no slot could be had for stay
 *
 * => no locks held; sleeps; drops the cluster's references
 *
 * Return: the pages freed.
 */
static unsigned long uvmpd_flush(struct uvmpd_cluster *cl)
{
	unsigned int got = cl->n, swslot, i;
	unsigned long freed = 0;
	bool werr = false;

	swslot = uvm_swap_alloc(&got, true);
	if (!swslot)
		got = 0;
	if (got)
		werr = uvm_swap_io(cl->pages, swslot, got, true) < 0;
	for (i = 0; i < cl->n; i++)
		unlock_page(cl->pages[i]);
	for (i = 0; i < cl->n; i++) {
		if (i < got)
			freed += uvmpd_finish(cl, i, swslot + i, werr);
		put_page(cl->pages[i]);
		uvmpd_owner_put(cl->owners[i]);
	}
	cl->n = 0;
	return freed;
}

/*
 * uvmpd_scan_inactive: look at up to @nr_scan pages from the head of
 * @pdq's inactive queue, freeing or paging out up to @nr_free of them
 * (BSD's uvmpd_scan_inactive)
 * @cl: an empty cluster to build, or NULL: no I/O
 *
 * => no locks held; sleeps if @cl
 *
 * Return: the pages freed; *@scanned counts the pages looked at.
 */
static unsigned long uvmpd_scan_inactive(struct uvm_pdq *pdq,
					 unsigned long nr_scan,
					 unsigned long nr_free,
					 struct uvmpd_cluster *cl,
					 unsigned long *scanned)
{
	struct uvmpd_item batch[UVMPD_BATCH];
	unsigned long freed = 0;
	unsigned int n, i;

	while (*scanned < nr_scan && freed + (cl ? cl->n : 0) < nr_free) {
		n = 0;
		spin_lock(&pdq->lock);
		while (n < UVMPD_BATCH && *scanned + n < nr_scan &&
		       !list_empty(&pdq->inactive)) {
			struct page *pg = list_first_entry(&pdq->inactive,
							   struct page, lru);
			unsigned long owner = page_private(pg);

			/* to the tail: looked at once per pass */
			list_move_tail(&pg->lru, &pdq->inactive);
			if (!uvmpd_owner_hold(owner))
				continue;
			get_page(pg);
			batch[n].pg = pg;
			batch[n].owner = owner;
			batch[n].slot = pg->index;
			n++;
		}
		spin_unlock(&pdq->lock);
		if (!n)
			break;
		*scanned += n;
		uvm_stat_add(UVM_STAT_PD_SCANS, n);
		for (i = 0; i < n; i++) {
			struct uvmpd_item *it = &batch[i];
			enum uvmpd_verdict v = UVMPD_SKIP;

			/* (BSD's uvmpd_trylockowner: skip a busy owner) */
			if (mutex_trylock(uvmpd_owner_mutex(it->owner))) {
				v = uvmpd_examine(it, cl &&
						  cl->n < UVMPD_CLUSTER, false);
				mutex_unlock(uvmpd_owner_mutex(it->owner));
			}
			if (v == UVMPD_REACT)
				uvmpd_reactivate(it->pg);
			if (v == UVMPD_CLUSTER_ADD) {
				uvmpd_cluster_add(cl, it);
				continue;
			}
			freed += v == UVMPD_FREED;
			put_page(it->pg);
			uvmpd_owner_put(it->owner);
		}
		if (cl && (cl->n == UVMPD_CLUSTER ||
			   (cl->n && freed + cl->n >= nr_free)))
			freed += uvmpd_flush(cl);
		cond_resched();
	}
	if (cl && cl->n)
		freed += uvmpd_flush(cl);
	return freed;
}

/*
 * uvm_pageout_obj - page out the resident pages of indexes [@start, @end)
 *	of @uobj now (UVM_MADV_PAGEOUT of shared memory): unmapped from every
 *	process sharing them, then freed if clean or written in clusters,
 *	as the inactive scan does; pages that cannot go (wired, pinned,
 *	mapped again meanwhile, locked, no swap slot left) stay
 *
 * => no uvmmod locks held; may sleep
 *
 * Return: the pages paged out, or -ENOMEM.
 */
long uvm_pageout_obj(struct uvm_object *uobj, pgoff_t start, pgoff_t end)
{
	unsigned long owner = (unsigned long)uobj | UVMPD_OWNER_AOBJ;
	struct uvmpd_item batch[UVMPD_BATCH];
	struct uvmpd_cluster *cl;
	pgoff_t idx = start;
	struct uvm_selfzap z;
	struct file *region;
	unsigned int n, i;
	long out = 0;

	cl = kzalloc(sizeof(*cl), GFP_KERNEL);
	if (!cl)
		return -ENOMEM;
	while (idx < end && !fatal_signal_pending(current)) {
		n = 0;
		mutex_lock(&uobj->vmobjlock);
		region = uobj->uo_region;
		end = min(end, uobj->uo_size);
		while (n < UVMPD_BATCH &&
		       (batch[n].pg = uao_next_page(uobj, &idx, end))) {
			/* (the caller's entry holds uobj) */
			WARN_ON_ONCE(!uao_hold(uobj));
			get_page(batch[n].pg);
			batch[n].owner = owner;
			batch[n].slot = idx++;
			n++;
		}
		if (region)
			get_file(region);
		mutex_unlock(&uobj->vmobjlock);
		if (!n) {
			if (region)
				fput(region);
			break;
		}
		if (region) {
			uvm_selfzap_begin(&z);
			for (i = 0; i < n; i++)
				unmap_mapping_pages(region->f_mapping,
						    batch[i].slot, 1, false);
			uvm_selfzap_end(&z);
			fput(region);
		}
		for (i = 0; i < n; i++) {
			struct uvmpd_item *it = &batch[i];
			enum uvmpd_verdict v;

			mutex_lock(&uobj->vmobjlock);
			v = uvmpd_examine(it, true, true);
			mutex_unlock(&uobj->vmobjlock);
			if (v == UVMPD_CLUSTER_ADD) {
				uvmpd_cluster_add(cl, it);
				if (cl->n == UVMPD_CLUSTER)
					out += uvmpd_flush(cl);
				continue;
			}
			out += v == UVMPD_FREED;
			put_page(it->pg);
			uao_put(uobj);
		}
		cond_resched();
	}
	if (cl->n)
		out += uvmpd_flush(cl);
	kfree(cl);
	return out;
}
EXPORT_SYMBOL_NS_GPL(uvm_pageout_obj, UVM_KUNIT);

/*
 * the inactive queue's shortage: BSD's inactarg, a third of the pages (no
 * more, whatever reclaim asks for: a page needs time on the inactive queue
 * to show that it is used)
 */
static unsigned long uvmpd_inactive_shortage(struct uvm_pdq *pdq)
{
	unsigned long a = READ_ONCE(pdq->nactive);
	unsigned long in = READ_ONCE(pdq->ninactive);
	unsigned long target = (a + in) / 3;

	return target > in ? min(target - in, a) : 0;
}

/* ------------------------------------------------------------------ */
/* the page daemon                                                      */

static void uvmpd_wakeup(void)
{
	WRITE_ONCE(uvm_pd_kick, true);
	wake_up(&uvm_pd_wq);
}

/* one run of the daemon over one pdq (BSD's uvmpd_scan) */
static void uvmpd_scan(struct uvm_pdq *pdq)
{
	unsigned long want = xchg(&pdq->want, 0), scanned = 0, short_;
	unsigned int noreclaim;

	/* only queues Linux's reclaim asked for: others are left alone */
	if (!want)
		return;
	short_ = uvmpd_inactive_shortage(pdq);
	if (short_)
		uvmpd_deactivate(pdq, min_t(unsigned long, short_,
					    UVMPD_DEACT_MAX));
	/* the daemon may dip into the reserves for its I/O, as kswapd */
	noreclaim = memalloc_noreclaim_save();
	uvmpd_scan_inactive(pdq, 2 * want, want, &uvm_pd_cluster, &scanned);
	memalloc_noreclaim_restore(noreclaim);
}

/* uvm_pageout: the main loop of the page daemon */
static int uvm_pageout(void *arg)
{
	struct uvm_pdq *pdq;

	set_freezable();
	while (!kthread_should_stop()) {
		wait_event_freezable(uvm_pd_wq, READ_ONCE(uvm_pd_kick) ||
				     kthread_should_stop());
		if (kthread_should_stop())
			break;
		WRITE_ONCE(uvm_pd_kick, false);
		uvm_stat_inc(UVM_STAT_PD_WAKEUPS);
		uvmpd_scan(&uvm_pdq_root);
		/* the cgroups' queues: each kept by a user's reference */
		rcu_read_lock();
		list_for_each_entry_rcu(pdq, &uvm_pdqs, all) {
			if (pdq->dead || !READ_ONCE(pdq->want))
				continue;
			atomic_inc(&pdq->users);
			rcu_read_unlock();
			uvmpd_scan(pdq);
			rcu_read_lock();
			if (atomic_dec_and_test(&pdq->users))
				wake_up_var(&pdq->users);
		}
		rcu_read_unlock();
		uvm_pdq_reap(false);
		WRITE_ONCE(uvm_pd_runs, uvm_pd_runs + 1);
		wake_up_all(&uvm_pd_done_wq);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the shrinker                                                         */

struct uvmpd_found {
	struct uvm_pdq *q[UVMPD_MAXQ];
	unsigned int n;
};

static enum lru_status uvmpd_found_one(struct list_head *item,
				       struct list_lru_one *list,
				       spinlock_t *lock, void *arg)
{
	struct uvm_pdq *pdq = container_of(item, struct uvm_pdq, lru);
	struct uvmpd_found *f = arg;

	if (f->n == UVMPD_MAXQ)
		return LRU_SKIP;
	atomic_inc(&pdq->users);
	f->q[f->n++] = pdq;
	return LRU_SKIP;
}

/*
 * the queues reclaim of @sc's cgroup reaches: its own, and those of its
 * dead descendants (their sentinels moved to its list)
 */
static void uvmpd_find(struct shrink_control *sc, struct uvmpd_found *f)
{
	unsigned long nr = UVMPD_MAXQ;

	f->n = 0;
	if (uvmpd_memcg_is_root(sc->memcg)) {
		atomic_inc(&uvm_pdq_root.users);
		f->q[f->n++] = &uvm_pdq_root;
		return;
	}
	list_lru_walk_one(&uvm_pd_lru, sc->nid, sc->memcg, uvmpd_found_one, f,
			  &nr);
}

static void uvmpd_release(struct uvmpd_found *f)
{
	unsigned int i;

	for (i = 0; i < f->n; i++)
		if (atomic_dec_and_test(&f->q[i]->users))
			wake_up_var(&f->q[i]->users);
}

/*
 * Whether reclaim of @memcg is still wanted: it, or an ancestor whose
 * limit reclaims it, has fewer than its free target of pages left under
 * memory.max or memory.high. Linux does not count a shrinker's progress in
 * a cgroup's reclaim since 6.5 (it goes on through every priority), so
 * the shrinker stops itself here (the cgroup's freetarg, after BSD's: a
 * thirty-second of the limit, at least 128 pages).
 */
static bool uvmpd_memcg_tight(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	for (; memcg && !uvmpd_memcg_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg)) {
		unsigned long limit = min(READ_ONCE(memcg->memory.max),
					  READ_ONCE(memcg->memory.high));
		unsigned long target = max(limit / 32, 128UL);

		if (limit != PAGE_COUNTER_MAX &&
		    page_counter_read(&memcg->memory) + target > limit)
			return true;
	}
	return false;
#else
	return true;
#endif
}

static unsigned long uvmpd_count(struct shrinker *s, struct shrink_control *sc)
{
	struct uvmpd_found f;
	unsigned long nr = 0;
	unsigned int i;

	/* with no swap area on, nothing can leave */
	if (uvm_stat_read(UVM_STAT_SWAP_PAGES) <= 0)
		return 0;
	/* a cgroup's reclaim that has what it needs */
	if (!uvmpd_memcg_is_root(sc->memcg) && !uvmpd_memcg_tight(sc->memcg))
		return 0;
	uvmpd_find(sc, &f);
	for (i = 0; i < f.n; i++)
		nr += READ_ONCE(f.q[i]->nactive) + READ_ONCE(f.q[i]->ninactive);
	uvmpd_release(&f);
	/* (never SHRINK_EMPTY: that would clear the cgroup's bit) */
	return nr;
}

static unsigned long uvmpd_shrink(struct shrinker *s, struct shrink_control *sc)
{
	bool may_io = (sc->gfp_mask & (__GFP_IO | __GFP_DIRECT_RECLAIM)) ==
		      (__GFP_IO | __GFP_DIRECT_RECLAIM);
	unsigned long nr = sc->nr_to_scan, freed = 0, scanned = 0, runs;
	struct uvmpd_cluster *cl = NULL;
	struct uvmpd_found f;
	unsigned int i, round;

	/* (the daemon's own allocations never reclaim: PF_MEMALLOC) */
	if (current == uvm_pd_thread)
		return SHRINK_STOP;
	uvm_stat_inc(UVM_STAT_SHRINKS);
	if (may_io)
		cl = kzalloc(sizeof(*cl), GFP_NOWAIT | __GFP_NOWARN);
	uvmpd_find(sc, &f);
	for (round = 0; round < 2 && freed < nr; round++) {
		if (!uvmpd_memcg_is_root(sc->memcg) &&
		    !uvmpd_memcg_tight(sc->memcg))
			break;
		runs = READ_ONCE(uvm_pd_runs);
		for (i = 0; i < f.n && freed < nr; i++)
			freed += uvmpd_scan_inactive(f.q[i], 2 * nr, nr - freed,
						     cl, &scanned);
		if (freed >= nr)
			break;
		/*
		 * Short: the daemon unmaps more (and writes what we could
		 * not); wait for it a little if we may sleep, so that a
		 * cgroup at its limit makes progress.
		 */
		for (i = 0; i < f.n; i++)
			WRITE_ONCE(f.q[i]->want,
				   min(READ_ONCE(f.q[i]->want) + nr - freed,
				       (unsigned long)UVMPD_DEACT_MAX));
		uvmpd_wakeup();
		if (!(sc->gfp_mask & __GFP_DIRECT_RECLAIM) ||
		    !wait_event_timeout(uvm_pd_done_wq,
					READ_ONCE(uvm_pd_runs) != runs,
					UVMPD_WAIT))
			break;
		scanned = 0;
	}
	uvmpd_release(&f);
	kfree(cl);
	/*
	 * (Linux goes on calling until what it asked for is scanned: say
	 * all of it was, and stop it when nothing could be freed now)
	 */
	sc->nr_scanned = max(scanned, nr);
	uvm_account_reclaimed_pages(freed);
	return freed ? freed : SHRINK_STOP;
}

/*
 * uvm_pdaemon_init/exit - the page queues' cache, the shrinker and the
 *	page daemon
 *
 * => called at module load and unload (no page is queued then)
 */
int uvm_pdaemon_init(void)
{
	int error;

	uvm_pdq_init(&uvm_pdq_root);
	uvm_pdq_cache = KMEM_CACHE(uvm_pdq, SLAB_ACCOUNT);
	if (!uvm_pdq_cache)
		return -ENOMEM;
	error = uvm_shrinker_setup(&uvm_pd_shrinker, &uvm_pd_lru, uvmpd_count,
				   uvmpd_shrink, "uvm-pdaemon");
	if (error)
		goto fail;
	uvm_pd_thread = kthread_run(uvm_pageout, NULL, "uvm_pdaemon");
	if (IS_ERR(uvm_pd_thread)) {
		error = PTR_ERR(uvm_pd_thread);
		uvm_shrinker_teardown(&uvm_pd_shrinker, &uvm_pd_lru);
		goto fail;
	}
	return 0;
fail:
	kmem_cache_destroy(uvm_pdq_cache);
	return error;
}

void uvm_pdaemon_exit(void)
{
	kthread_stop(uvm_pd_thread);
	WARN_ON_ONCE(uvm_pdq_root.nactive || uvm_pdq_root.ninactive);
	uvm_pdq_reap(true);
	WARN_ON_ONCE(!list_empty(&uvm_pdqs));
	uvm_shrinker_teardown(&uvm_pd_shrinker, &uvm_pd_lru);
	rcu_barrier();
	kmem_cache_destroy(uvm_pdq_cache);
}
