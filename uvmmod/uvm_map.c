// SPDX-License-Identifier: BSD-4-Clause-UC AND CMU-Mach
/*	Derived from $NetBSD: uvm_map.c,v 1.271 2009/06/10 01:55:33 yamt Exp $	*/

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
 * 3. All advertising materials mentioning features or use of this software
 *    must display the following acknowledgement:
 *	This product includes software developed by Charles D. Cranor,
 *      Washington University, the University of California, Berkeley and
 *      its contributors.
 * 4. Neither the name of the University nor the names of its contributors
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
 *	@(#)vm_map.c    8.3 (Berkeley) 1/12/94
 * from: Id: uvm_map.c,v 1.1.2.27 1998/02/07 01:16:54 chs Exp
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
 *  Software Distribution Coordinator  or  Software.Distribution (at) CS.CMU.EDU
 *  School of Computer Science
 *  Carnegie Mellon University
 *  Pittsburgh PA 15213-3890
 *
 * any improvements or extensions that they make and grant Carnegie the
 * rights to redistribute these changes.
 */

/*
 * uvm_map.c: UVM map entries, ported to Linux for uvmmod.
 *
 * Owns: struct uvm_map_entry, one per Linux VMA of /dev/uvm memory, and
 * the life cycle Linux drives through vm_operations: creation at mmap,
 * fork (the inheritance logic of uvmspace_fork), split (UVM's clipping,
 * with amap_splitref), move by mremap (a new reference), growth by mremap
 * (amap_extend, or a copy), needs-copy resolution (amap_copy) and
 * teardown.
 *
 * Linux, not UVM, owns the address space: its VMAs play the part of UVM's
 * map, and a map entry covers exactly its VMA's pages, slots [start, end)
 * (see uvm.h for slots).
 *
 * Invariants: a private entry has UVM_ET_COPYONWRITE and no aobj; it
 * starts with UVM_ET_NEEDSCOPY and no amap (the first fault allocates
 * one). A shared entry has an aobj, no amap and neither flag. An entry
 * holds one reference to its amap (counted in am_ref, and in the ppref of
 * each slot it covers) and one to its aobj. Only a needs-copy entry with
 * an amap has holes (slots MADV_DONTNEED took away while the amap was
 * shared); resolving needs-copy empties them in the entry's own amap.
 *
 * Locks: entry->lock guards etype, amap and holes: faults hold it for
 * reading; needs-copy resolution, fork and MADV_DONTNEED of a needs-copy
 * entry for writing. Fork, split and teardown run with the process's
 * mmap_lock held for writing.
 */
#include <linux/lockdep.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "uvm.h"

/*
 * @ref: the entry will take a reference to an existing amap (fork, split,
 * move): it brings the run nodes for it (see uvm.h). A new mapping's
 * entry gets a new amap, which comes with its own.
 */
static struct uvm_map_entry *uvm_mapent_alloc(gfp_t gfp, bool ref)
{
	struct uvm_map_entry *entry = kzalloc(sizeof(*entry), gfp);

	if (!entry)
		return NULL;
	if (ref && uvm_ppres_fill(&entry->ppres, gfp)) {
		uvm_ppres_drain(&entry->ppres);
		kfree(entry);
		return NULL;
	}
	init_rwsem(&entry->lock);
	uvm_stat_inc(UVM_STAT_ENTRIES);
	return entry;
}

/*
 * a new entry like @old for slots [start, end), holding a reference to the
 * aobj; the amap reference is the caller's (it differs by case). Only a
 * split takes @old's spare: ->may_split made it for the split to come (a
 * partial mremap move calls ->may_split, copies the VMA, then splits).
 */
static struct uvm_map_entry *uvm_mapent_new(struct uvm_map_entry *old,
					    bool split)
{
	struct uvm_map_entry *new = split ? old->spare : NULL;

	/* (->open cannot fail; mmap_lock, held for writing, guards spare) */
	if (new)
		old->spare = NULL;
	else
		new = uvm_mapent_alloc(GFP_KERNEL | __GFP_NOFAIL, true);
	return new;
}

/* ------------------------------------------------------------------ */
/* holes: MADV_DONTNEED on a needs-copy entry (see uvm_mapent_dontneed()) */

/*
 * Holes are rare and small (a hole is only made over at least one anon, so
 * there are never more holes than pages a relative holds): they come from
 * kmalloc, not charged to a memory cgroup, because the notifier that makes
 * them must not fail and must not reclaim. A memory cgroup at its limit
 * would refuse a charge made without reclaim for as long as it stays there.
 */
static struct uvm_hole *uvm_hole_alloc(gfp_t gfp)
{
	struct uvm_hole *h = kmalloc(sizeof(*h), gfp);

	if (h)
		h->next = NULL;
	return h;
}

/*
 * a hole node for the MMU notifier, which must neither fail nor sleep in
 * reclaim (nor take the reserves): wait until kswapd or the OOM killer has
 * made room (an OOM victim gets the OOM reserves for this allocation).
 */
static struct uvm_hole *uvm_hole_alloc_wait(void)
{
	struct uvm_hole *h;

	while (!(h = uvm_hole_alloc(GFP_NOWAIT | __GFP_NOWARN))) {
		uvm_stat_inc(UVM_STAT_MEM_WAITS);
		memalloc_retry_wait(GFP_NOWAIT);
	}
	return h;
}

static void uvm_hole_list_free(struct uvm_hole *list)
{
	struct uvm_hole *h;

	while ((h = list)) {
		list = h->next;
		kfree(h);
	}
}

/* a node for a new hole of @entry: its inline one, else one of *@list */
static struct uvm_hole *uvm_hole_get(struct uvm_map_entry *entry,
				     struct uvm_hole **list)
{
	struct uvm_hole *h = NULL;

	if (!entry->hole0_used) {
		entry->hole0_used = true;
		h = &entry->hole0;
	} else if (*list) {
		h = *list;
		*list = h->next;
	}
	if (h)
		uvm_stat_inc(UVM_STAT_HOLES);
	return h;
}

static void uvm_hole_remove(struct uvm_map_entry *entry, struct uvm_hole *h)
{
	rb_erase(&h->rb, &entry->holes);
	uvm_stat_dec(UVM_STAT_HOLES);
	if (h == &entry->hole0)
		entry->hole0_used = false;
	else
		kfree(h);
}

static bool uvm_hole_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct uvm_hole, rb)->start <
		rb_entry(b, struct uvm_hole, rb)->start;
}

/* the first hole of @entry that ends at or after @slot, or NULL */
static struct uvm_hole *uvm_hole_from(struct uvm_map_entry *entry,
				      pgoff_t slot)
{
	struct rb_node *node = entry->holes.rb_node;
	struct uvm_hole *h, *found = NULL;

	while (node) {
		h = rb_entry(node, struct uvm_hole, rb);
		if (h->end >= slot) {
			found = h;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

/* the first hole of @entry holding @slot or a later one, or NULL */
static struct uvm_hole *uvm_hole_over(struct uvm_map_entry *entry,
				      pgoff_t slot)
{
	return uvm_hole_from(entry, slot + 1);
}

static struct uvm_hole *uvm_hole_next(struct uvm_hole *h)
{
	struct rb_node *node = rb_next(&h->rb);

	return node ? rb_entry(node, struct uvm_hole, rb) : NULL;
}

/*
 * Add slots [@start, @end) to @entry's holes, merging the holes it
 * overlaps or touches. A new node is needed only if it touches none: the
 * inline one or one of *@list.
 *
 * Return: false if a node was needed and there was none.
 */
static bool uvm_hole_add(struct uvm_map_entry *entry, pgoff_t start,
			 pgoff_t end, struct uvm_hole **list)
{
	struct uvm_hole *h = uvm_hole_from(entry, start), *next;

	if (h && h->start <= end) {
		/* grow the first hole it touches over the others it touches */
		h->start = min(h->start, start);
		h->end = max(h->end, end);
		while ((next = uvm_hole_next(h)) && next->start <= h->end) {
			h->end = max(h->end, next->end);
			uvm_hole_remove(entry, next);
		}
		return true;
	}
	h = uvm_hole_get(entry, list);
	if (!h)
		return false;
	h->start = start;
	h->end = end;
	rb_add(&h->rb, &entry->holes, uvm_hole_less);
	return true;
}

/* drop every hole of @entry */
static void uvm_holes_free(struct uvm_map_entry *entry)
{
	struct rb_node *node;

	while ((node = rb_first(&entry->holes)))
		uvm_hole_remove(entry, rb_entry(node, struct uvm_hole, rb));
}

/*
 * @entry's needs-copy is being resolved with @amap, its copy (or the
 * shared amap itself once no other entry references it): empty the holes
 * there, and forget them.
 */
static void uvm_holes_apply(struct uvm_map_entry *entry,
			    struct uvm_amap *amap)
{
	struct rb_node *node;
	struct uvm_hole *h;

	lockdep_assert_held_write(&entry->lock);
	amap_assert_locked(amap);
	while ((node = rb_first(&entry->holes))) {
		h = rb_entry(node, struct uvm_hole, rb);
		amap_wipe_pages(amap, max(h->start, entry->start),
				min(h->end, entry->end));
		uvm_hole_remove(entry, h);
	}
}

/* the number of holes of @entry over slots [@start, @end) */
static unsigned long uvm_holes_count(struct uvm_map_entry *entry,
				     pgoff_t start, pgoff_t end)
{
	struct uvm_hole *h;
	unsigned long n = 0;

	for (h = uvm_hole_over(entry, start); h && h->start < end;
	     h = uvm_hole_next(h))
		n++;
	return n;
}

/*
 * Nodes for @n holes, allocated with no uvmmod lock held by callers that
 * cannot fail (->open: fork, split, mremap move).
 */
static struct uvm_hole *uvm_holes_prealloc(unsigned long n)
{
	struct uvm_hole *list = NULL, *h;

	while (n--) {
		h = uvm_hole_alloc(GFP_KERNEL | __GFP_NOFAIL);
		h->next = list;
		list = h;
	}
	return list;
}

/* give @new (sharing @old's amap needs-copy) @old's holes in its range */
static void uvm_holes_copy(struct uvm_map_entry *old,
			   struct uvm_map_entry *new, struct uvm_hole **list)
{
	struct uvm_hole *h;

	lockdep_assert_held_write(&old->lock);
	for (h = uvm_hole_over(old, new->start);
	     h && h->start < new->end; h = uvm_hole_next(h))
		WARN_ON_ONCE(!uvm_hole_add(new, max(h->start, new->start),
					   min(h->end, new->end), list));
}

/* @old's range shrank (a split): forget its holes outside it */
static void uvm_holes_clip(struct uvm_map_entry *old)
{
	struct rb_node *node, *next;
	struct uvm_hole *h;

	lockdep_assert_held_write(&old->lock);
	for (node = rb_first(&old->holes); node; node = next) {
		next = rb_next(node);
		h = rb_entry(node, struct uvm_hole, rb);
		if (h->end <= old->start || h->start >= old->end) {
			uvm_hole_remove(old, h);
			continue;
		}
		h->start = max(h->start, old->start);
		h->end = min(h->end, old->end);
	}
}

/*
 * uvm_mapent_hole - whether @slot of @entry is in a hole; if so, *@end is
 *	where the hole ends
 *
 * => called with @entry locked
 */
bool uvm_mapent_hole(struct uvm_map_entry *entry, pgoff_t slot,
		     pgoff_t *end)
{
	struct uvm_hole *h;

	lockdep_assert_held(&entry->lock);
	h = uvm_hole_over(entry, slot);
	if (!h || h->start > slot)
		return false;
	*end = h->end;
	return true;
}
EXPORT_SYMBOL_NS_GPL(uvm_mapent_hole, UVM_KUNIT);

/* @amap, the child's copy of @old's slots [@start, @end) at fork */
static void uvm_fork_holes_apply(struct uvm_map_entry *old,
				 struct uvm_amap *amap, pgoff_t start,
				 pgoff_t end)
{
	struct uvm_hole *h;

	lockdep_assert_held_write(&old->lock);
	for (h = uvm_hole_over(old, start); h && h->start < end;
	     h = uvm_hole_next(h))
		amap_wipe_pages(amap, max(h->start, start), min(h->end, end));
}

/*
 * @new (from uvm_mapent_new(), allocated before @old was locked: an
 * allocation that may reclaim is never made under an entry lock) becomes
 * a copy of @old for slots [start, end)
 */
static struct uvm_map_entry *uvm_mapent_clone(struct uvm_map_entry *old,
					      struct uvm_map_entry *new,
					      unsigned long va_start,
					      pgoff_t start, pgoff_t end,
					      bool wired)
{
	lockdep_assert_held_write(&old->lock);
	new->va_start = va_start;
	new->start = start;
	new->end = end;
	new->etype = old->etype;
	new->advice = old->advice;
	new->amap = old->amap;
	new->uobj = old->uobj;
	new->wired = old->wired && wired;
	new->inherit_zero = old->inherit_zero;
	if (new->uobj) {
		uao_reference(new->uobj);
		if (new->wired)
			uao_wire(new->uobj);
	}
	return new;
}

/*
 * uvm_mapent_create - a map entry for a new mapping of slots [@start, @end)
 * @shared: MAP_SHARED (an aobj) rather than MAP_PRIVATE (copy-on-write)
 *
 * => no locks required; may sleep
 *
 * Return: the entry, or NULL if out of memory.
 */
struct uvm_map_entry *uvm_mapent_create(unsigned long va_start,
					pgoff_t start, pgoff_t end,
					bool shared, gfp_t gfp)
{
	struct uvm_map_entry *entry = uvm_mapent_alloc(gfp, false);

	if (!entry)
		return NULL;
	entry->va_start = va_start;
	entry->start = start;
	entry->end = end;
	entry->advice = UVM_ADV_NORMAL;
	if (shared) {
		entry->uobj = uao_create(end, gfp);
		if (!entry->uobj) {
			uvm_mapent_free(entry);
			return NULL;
		}
	} else {
		/* an amap is allocated on the first fault (needs-copy) */
		entry->etype = UVM_ET_COPYONWRITE | UVM_ET_NEEDSCOPY;
	}
	return entry;
}
EXPORT_SYMBOL_NS_GPL(uvm_mapent_create, UVM_KUNIT);

/*
 * uvm_mapent_free - drop an entry and its references to amap and aobj
 *
 * Slots no other entry covers lose their anons now.
 *
 * => no uvmmod locks held; the entry is unreachable
 */
void uvm_mapent_free(struct uvm_map_entry *entry)
{
	if (entry->amap)
		amap_unref(entry->amap, entry->start, entry->end, NULL);
	if (entry->uobj) {
		if (entry->wired)
			uao_unwire(entry->uobj);
		uao_detach(entry->uobj);
	}
	if (entry->spare)
		uvm_mapent_free(entry->spare);
	uvm_holes_free(entry);
	uvm_ppres_drain(&entry->ppres);
	uvm_stat_dec(UVM_STAT_ENTRIES);
	kfree(entry);
}
EXPORT_SYMBOL_NS_GPL(uvm_mapent_free, UVM_KUNIT);

/*
 * uvm_mapent_prealloc - make sure a split of @entry cannot fail later
 *
 * Linux calls ->open for the new half of a split VMA at a point where it
 * cannot fail, so the entry it needs is allocated beforehand (->may_split).
 *
 * => called with mmap_lock held for writing
 *
 * Return: 0 or -ENOMEM.
 */
int uvm_mapent_prealloc(struct uvm_map_entry *entry)
{
	if (!entry->spare)
		entry->spare = uvm_mapent_alloc(GFP_KERNEL, true);
	return entry->spare ? 0 : -ENOMEM;
}

/*
 * The parent has pages pinned for DMA (MMF_HAS_PINNED): if some of @old's
 * may be, the child gets an amap of its own now, sharing every anon
 * copy-on-write but those, which it gets copies of (native fork's
 * page_needs_cow_for_dma()): a DMA in flight keeps landing in the
 * parent's page, which stays the parent's when it writes. Memory for the
 * copies is waited for with the entry unlocked (fork holds mmap_lock for
 * writing, so nothing else changes @old meanwhile).
 *
 * Return: the child's amap, or NULL (no pinned page, or out of memory: the
 * child then shares the amap needs-copy, as for any fork).
 */
static struct uvm_amap *uvm_mapent_fork_pinned(struct uvm_map_entry *old,
					       pgoff_t start, pgoff_t end)
{
	struct uvm_amap *amap = NULL;
	int error;

	lockdep_assert_held_write(&old->lock);
	amap_lock(old->amap);
	if (!amap_has_pinned(old->amap, start, end)) {
		amap_unlock(old->amap);
		return NULL;
	}
	for (;;) {
		if (!amap) {
			amap = amap_copy_range(old->amap, start, end,
					       UVM_GFP_LOCKED);
			if (amap)
				uvm_fork_holes_apply(old, amap, start, end);
		}
		error = amap ? amap_cow_now_if(amap, start, end,
					       UVM_GFP_LOCKED, true) : -ENOMEM;
		amap_unlock(old->amap);
		if (error >= 0)
			return amap;
		up_write(&old->lock);
		error = uvm_wait(GFP_KERNEL);
		down_write(&old->lock);
		if (error)
			break;
		amap_lock(old->amap);
	}
	/* the copies made so far are the child's: keep them */
	if (amap)
		return amap;
	pr_warn_ratelimited("%s[%d]: out of memory copying DMA-pinned pages at fork: the child shares them copy-on-write\n",
			    current->comm, task_pid_nr(current));
	return NULL;
}

/*
 * uvm_mapent_fork - the child's entry for @old at fork (uvmspace_fork)
 * @old_pmap: the parent's pmap, to write-protect it
 *
 * Shared memory is inherited shared: the child references the same aobj.
 * Private memory is inherited copy-on-write: the child references the same
 * amap with needs-copy set; the parent, unless already needs-copy (then a
 * previous fork write-protected it and no write fault has happened since),
 * is write-protected and marked needs-copy too, so that the first write on
 * either side copies the amap and then the anon. Wired private memory is
 * copied for the child at once instead (amap_cow_now), so that the parent
 * never faults on it; the child's copy is not wired. (Fork cannot wait
 * for memory with the amap unlocked here, so short of memory the copies
 * that did not fit are left to copy-on-write faults.)
 *
 * => called with the parent's mmap_lock held for writing; may sleep
 */
struct uvm_map_entry *uvm_mapent_fork(struct uvm_map_entry *old,
				      struct uvm_pmap *old_pmap,
				      unsigned long va_start,
				      pgoff_t start, pgoff_t end)
{
	struct uvm_map_entry *new = uvm_mapent_new(old, false);
	bool protect = false, pinned_seq = false;
	struct uvm_hole *holes = NULL;

	/* (mmap_lock, held for writing, keeps @old's holes as they are) */
	if (!RB_EMPTY_ROOT(&old->holes))
		holes = uvm_holes_prealloc(uvm_holes_count(old, start, end));

	/* from here on, GUP-fast pins fail (see below; KUnit has no mm) */
	if ((old->etype & UVM_ET_COPYONWRITE) && !old->inherit_zero &&
	    old->mm) {
		raw_write_seqcount_begin(&old->mm->write_protect_seq);
		pinned_seq = true;
	}
	down_write(&old->lock);
	/* wiring is not inherited */
	new = uvm_mapent_clone(old, new, va_start, start, end, false);
	if ((old->etype & UVM_ET_COPYONWRITE) && old->inherit_zero) {
		/* UVM's MAP_INHERIT_ZERO: fresh zero-fill memory */
		new->amap = NULL;
		new->etype |= UVM_ET_NEEDSCOPY;
		goto out;
	}
	if ((old->etype & UVM_ET_COPYONWRITE) && old->wired && old->amap &&
	    !(old->etype & UVM_ET_NEEDSCOPY)) {
		/*
		 * wired memory must not fault in the parent: give the child
		 * an amap of its own with every page copied now, and leave
		 * the parent's PTEs writable (uvmspace_fork's amap_cow_now).
		 * If memory runs out, fall back to plain copy-on-write.
		 */
		struct uvm_amap *amap;
		int error;

		amap_lock(old->amap);
		amap = amap_copy_range(old->amap, start, end, UVM_GFP_LOCKED);
		error = amap ? amap_cow_now(amap, start, end, UVM_GFP_LOCKED) :
			-ENOMEM;
		amap_unlock(old->amap);
		if (amap) {
			new->amap = amap;
			/* anons left shared are copied by faults instead */
			protect = error < 0;
			goto out;
		}
	}
	if ((old->etype & UVM_ET_COPYONWRITE) && old->amap && old->mm &&
	    test_bit(MMF_HAS_PINNED, &old->mm->flags)) {
		struct uvm_amap *amap = uvm_mapent_fork_pinned(old, start, end);

		if (amap) {
			/* its own amap: no needs-copy (the parent's as it was) */
			new->amap = amap;
			new->etype &= ~UVM_ET_NEEDSCOPY;
			protect = true;
			goto out;
		}
	}
	if (old->etype & UVM_ET_COPYONWRITE) {
		new->etype |= UVM_ET_NEEDSCOPY;
		if (old->amap) {
			amap_ref(old->amap, start, end, &new->ppres);
			if (!(old->etype & UVM_ET_NEEDSCOPY)) {
				protect = true;
				old->etype |= UVM_ET_NEEDSCOPY;
			}
			/* the child sees the parent's holes too */
			uvm_holes_copy(old, new, &holes);
		}
	}
out:
	up_write(&old->lock);
	uvm_hole_list_free(holes);
	/*
	 * Write-protect the parent, outside the entry lock (the walk takes
	 * the region's i_mmap_rwsem and runs MMU notifiers). Its faults are
	 * kept out meanwhile: fork holds mmap_lock for writing and has
	 * write-locked the parent's VMAs. GUP-fast in the parent's other
	 * threads (no mmap_lock) is kept out by write_protect_seq, as native
	 * fork's copy_page_range() does: a pin it takes meanwhile is dropped
	 * again, and the slow path waits for fork.
	 */
	if (protect)
		pmap_protect(old_pmap, old->va_start, uvm_entry_va_end(old));
	if (pinned_seq)
		raw_write_seqcount_end(&old->mm->write_protect_seq);
	return new;
}
EXPORT_SYMBOL_NS_GPL(uvm_mapent_fork, UVM_KUNIT);

/*
 * uvm_amap_set_region: a new amap family's pages are mapped through its
 * entry's region file (the page daemon unmaps them there)
 */
static void uvm_amap_set_region(struct uvm_map_entry *entry,
				struct uvm_amap *amap)
{
	amap->am_lock->region = entry->vma ? entry->vma->vm_file : NULL;
}

/*
 * uvm_map_wire - wire a new entry: every page of it resident now (UVM's
 *	uvm_map_pageable()/uvm_fault_wire() for a VM_LOCKED mapping)
 *
 * Private memory gets an amap with a zero-filled anon in every slot,
 * shared memory every page of its aobj. Linux then maps the pages as it
 * populates the locked mapping; UVM never pages them out, and a fork
 * copies them at once (see uvm_mapent_fork()). The caller counts the
 * pages in the mm's locked_vm.
 *
 * => called with mmap_lock held for writing and no uvmmod locks; may
 *    sleep
 *
 * Anons shared with a fork relative are copied (the caller has unmapped
 * them first).
 *
 * Only slots [@start, @end) of the entry are filled (the grown part, after
 * mremap); slots past a shared entry's aobj have no page to wire.
 *
 * Nothing is allocated with a lock held that could sleep in reclaim
 * (UVM_GFP_LOCKED, see uvm.h): short of memory, the locks are dropped to
 * wait for it (uvm_wait()), and wiring goes on where it stopped.
 *
 * Return: 0, -ENOMEM or -EINTR (fatal signal); what was allocated stays
 * in the entry.
 */
int uvm_map_wire(struct uvm_map_entry *entry, pgoff_t start, pgoff_t end)
{
	bool counted = false;
	struct uvm_anon *anon;
	struct page *pg;
	pgoff_t slot;
	int error;

	/* an aobj's pages leave the page queues first, then come in */
	if (entry->uobj && !entry->wired) {
		uao_wire(entry->uobj);
		counted = true;
	}
	/* an amap shared with a fork relative: ours first, then our copies */
	if ((entry->etype & UVM_ET_NEEDSCOPY) && entry->amap) {
		error = uvmfault_amapcopy(entry, GFP_KERNEL);
		if (error)
			return error;
	}
again:
	/* wired memory is resident: what is on swap comes back first */
	error = entry->uobj ?
		uao_pagein_range(entry->uobj, start, end, 0, UVM_SWSLOT_BAD) :
		uvm_pagein_range(entry, start, end, 0, UVM_SWSLOT_BAD);
	if (error)
		goto fail;
	down_write(&entry->lock);
	if (entry->uobj) {
		struct page *pgs[1];
		struct uvm_pagein pi = { .pages = pgs, .max = 1 };

		mutex_lock(&entry->uobj->vmobjlock);
		end = min(end, entry->uobj->uo_size);
		for (slot = start; slot < end && !error; slot++)
			error = fatal_signal_pending(current) ? -EINTR :
				uao_get(entry->uobj, slot, &pg,
					UVM_GFP_LOCKED, &pi);
		mutex_unlock(&entry->uobj->vmobjlock);
		/* paged out before it was off the queues: again */
		if (error > 0) {
			if (error == UVM_PAGEIN_READ)
				uvm_anon_pagein_finish(error, pgs, pi.n,
						       pi.swslot);
			else
				put_page(pgs[0]);
			error = -EAGAIN;
		}
		goto out;
	}
	if (!entry->amap) {
		entry->amap = amap_alloc(entry->start, entry->end, NULL,
					 UVM_GFP_LOCKED | __GFP_ACCOUNT);
		if (!entry->amap) {
			error = -ENOMEM;
			goto out;
		}
		uvm_amap_set_region(entry, entry->amap);
		entry->etype &= ~UVM_ET_NEEDSCOPY;
	}
	amap_lock(entry->amap);
	error = min(amap_cow_now(entry->amap, start, end, UVM_GFP_LOCKED), 0);
	for (slot = start; slot < end && !error; slot++) {
		anon = amap_lookup(entry->amap, slot);
		if (anon) {
			/* a relative paged a shared one out meanwhile */
			if (!uvm_anon_resident(anon))
				error = -EAGAIN;
			else
				uvm_pagewire(anon->an_page);
			continue;
		}
		if (fatal_signal_pending(current)) {
			error = -EINTR;
			break;
		}
		anon = uvm_analloc(entry->amap->am_lock, true, UVM_GFP_LOCKED);
		if (!anon) {
			error = -ENOMEM;
			break;
		}
		uvm_stat_inc(UVM_STAT_ZERO_FILLS);
		error = amap_add(entry->amap, slot, anon, false,
				 UVM_GFP_LOCKED, NULL);
		if (error) {
			anon->an_ref = 0;
			uvm_anfree(anon);
			break;
		}
		uvm_pagewire(anon->an_page);
	}
	amap_unlock(entry->amap);
out:
	if (!error)
		entry->wired = true;
	up_write(&entry->lock);
	/* out of memory under the locks: wait with none held, go on */
	if (error == -ENOMEM) {
		error = uvm_wait(GFP_KERNEL);
		if (!error)
			goto again;
	}
	if (error == -EAGAIN)
		goto again;
fail:
	if (error && counted)
		uao_unwire(entry->uobj);
	return error;
}
EXPORT_SYMBOL_NS_GPL(uvm_map_wire, UVM_KUNIT);

/*
 * uvm_map_unwire - @entry is no longer wired: its pages go back on the
 *	page queues (BSD's uvm_pageunwire), to be paged out like any other
 *
 * => called with mmap_lock held for writing, the entry's VMA write-locked
 *    (its faults kept out) and no uvmmod locks
 */
void uvm_map_unwire(struct uvm_map_entry *entry)
{
	struct uvm_anon *anon;
	pgoff_t slot;

	down_write(&entry->lock);
	entry->wired = false;
	if (entry->uobj)
		uao_unwire(entry->uobj);
	if (entry->amap) {
		amap_lock(entry->amap);
		for (slot = entry->start;
		     (anon = amap_next_anon(entry->amap, &slot, entry->end));
		     slot++)
			if (uvm_anon_resident(anon))
				uvm_pageactivate(anon->an_page,
						 entry->amap->am_lock, slot);
		amap_unlock(entry->amap);
	}
	up_write(&entry->lock);
}

/*
 * uvm_mapent_split - split slots [@start, @end) off @old into a new entry
 *
 * UVM's clipping: both halves keep referencing the same amap (and aobj),
 * each slot still by one entry, so only am_ref grows (amap_splitref). The
 * new range must be at the start or the end of @old's.
 *
 * => called with mmap_lock held for writing
 */
struct uvm_map_entry *uvm_mapent_split(struct uvm_map_entry *old,
				       unsigned long va_start,
				       pgoff_t start, pgoff_t end)
{
	struct uvm_map_entry *new = uvm_mapent_new(old, true);
	struct uvm_hole *holes = NULL;

	/* (mmap_lock, held for writing, keeps @old's holes as they are) */
	if (!RB_EMPTY_ROOT(&old->holes))
		holes = uvm_holes_prealloc(uvm_holes_count(old, start, end));
	down_write(&old->lock);
	new = uvm_mapent_clone(old, new, va_start, start, end, true);
	if (new->amap)
		amap_splitref(new->amap, &new->ppres);
	uvm_holes_copy(old, new, &holes);
	if (start == old->start) {
		old->va_start += (end - start) << PAGE_SHIFT;
		old->start = end;
	} else {
		WARN_ON_ONCE(end != old->end);
		old->end = start;
	}
	uvm_holes_clip(old);
	up_write(&old->lock);
	uvm_hole_list_free(holes);
	return new;
}
EXPORT_SYMBOL_NS_GPL(uvm_mapent_split, UVM_KUNIT);

/*
 * uvm_mapent_dup - a new entry for slots [@start, @end) of @old at another
 *	address (mremap move); @old keeps its references until Linux unmaps
 *	the old range
 *
 * => called with mmap_lock held for writing
 */
struct uvm_map_entry *uvm_mapent_dup(struct uvm_map_entry *old,
				     unsigned long va_start,
				     pgoff_t start, pgoff_t end)
{
	struct uvm_map_entry *new = uvm_mapent_new(old, false);
	struct uvm_hole *holes = NULL;

	/* (mmap_lock, held for writing, keeps @old's holes as they are) */
	if (!RB_EMPTY_ROOT(&old->holes))
		holes = uvm_holes_prealloc(uvm_holes_count(old, start, end));
	down_write(&old->lock);
	new = uvm_mapent_clone(old, new, va_start, start, end, true);
	if (new->amap)
		amap_ref(new->amap, start, end, &new->ppres);
	uvm_holes_copy(old, new, &holes);
	up_write(&old->lock);
	uvm_hole_list_free(holes);
	return new;
}
EXPORT_SYMBOL_NS_GPL(uvm_mapent_dup, UVM_KUNIT);

/*
 * uvm_mapent_grow - @entry's VMA grew (mremap): extend the entry to slot
 *	@new_end
 *
 * Private memory gets fresh zero-fill memory there, as anonymous memory
 * does: its amap is extended (amap_extend()), unless another entry still
 * references those slots (a piece of the same mapping moved elsewhere
 * keeps its slot numbers, and so does a fork relative). Then the entry
 * takes a copy of its slots of the amap, sharing the anons copy-on-write
 * as uvmfault_amapcopy() does, and extends that. Shared memory keeps its
 * aobj, whose size was fixed at mmap: slots past it give SIGBUS and slots
 * inside it are the object's pages, as shmem does for
 * MAP_SHARED|MAP_ANONYMOUS memory grown by mremap.
 *
 * Wiring is the caller's: the new slots of a wired entry are wired when
 * they fault (or by uvm_map_wire()).
 *
 * The entry's range changes under its own lock only, never under the
 * uvm_mm lock: the allocations may reclaim, and reclaim's MMU notifier
 * calls take the uvm_mm lock (they touch no /dev/uvm range, hence no
 * entry lock). The notifier reads @entry->end without the entry lock; an
 * end read just before the growth misses only slots nothing was mapped in.
 *
 * => called with mmap_lock (or, for a fault on 6.12, the VMA lock) held,
 *    no uvmmod locks; may sleep
 *
 * The copy is allocated without sleeping under the locks (UVM_GFP_LOCKED,
 * see uvm.h); short of memory, the locks are dropped to wait for it
 * (@gfp says whether that may sleep and whether it may fail).
 *
 * Return: the slots added (0 if the entry reached @new_end already, as
 * when another fault grew it first), or -ENOMEM (never with
 * __GFP_NOFAIL).
 */
long uvm_mapent_grow(struct uvm_map_entry *entry, pgoff_t new_end, gfp_t gfp)
{
	struct uvm_amap *old, *new;
	long added = 0;

again:
	down_write(&entry->lock);
	if (new_end <= entry->end)
		goto out;
	old = entry->amap;
	if (old && entry->start == entry->end) {
		/* nothing of @old to keep: an amap on first fault */
		amap_unref(old, entry->start, entry->end, &entry->ppres);
		entry->amap = NULL;
		entry->etype |= UVM_ET_NEEDSCOPY;
		uvm_holes_free(entry);
	} else if (old) {
		amap_lock(old);
		if (!amap_extend(old, entry->end, new_end)) {
			amap_unlock(old);
			goto grow;
		}
		/* the copy shares @old's lock, held here */
		new = amap_copy_range(old, entry->start, entry->end,
				      UVM_GFP_LOCKED);
		if (new) {
			uvm_holes_apply(entry, new);
			amap_extend(new, entry->end, new_end);
		}
		amap_unlock(old);
		if (!new) {
			/* wait for memory with no lock held, then again */
			up_write(&entry->lock);
			if (uvm_wait(gfp))
				return -ENOMEM;
			goto again;
		}
		amap_unref(old, entry->start, entry->end, &entry->ppres);
		entry->amap = new;
		entry->etype &= ~UVM_ET_NEEDSCOPY;
		uvm_stat_inc(UVM_STAT_AMAP_COPIES);
	}
grow:
	added = new_end - entry->end;
	/* faults and the MMU notifier read it without the entry lock */
	WRITE_ONCE(entry->end, new_end);
out:
	up_write(&entry->lock);
	return added;
}
EXPORT_SYMBOL_NS_GPL(uvm_mapent_grow, UVM_KUNIT);

/*
 * uvm_mapent_follow - catch @entry up with its VMA if mremap() grew the
 *	VMA in place
 *
 * Linux 6.1 grows a VMA in place without telling its driver (no vm_ops
 * call, no MMU notifier); 6.12 refuses to (see uvm_dev.c). Whoever uses
 * the entry next (a fault, ->access, ->open, ->may_split, the ioctl)
 * extends it first. A wired entry's new pages count in locked_vm now and
 * are allocated as they fault, as with MLOCK_ONFAULT.
 *
 * => called with mmap_lock (or, for a fault on 6.12, the VMA lock) held
 *    and no uvmmod locks; may sleep
 *
 * Return: 0 or -ENOMEM (never with __GFP_NOFAIL).
 */
int uvm_mapent_follow(struct uvm_map_entry *entry, gfp_t gfp)
{
	struct vm_area_struct *vma = entry->vma;
	pgoff_t new_end = vma->vm_pgoff + vma_pages(vma);
	long added;

	uvm_assert_fault_locked(vma);
	/* (a split, which moves va_start and start, cannot run meanwhile) */
	if (likely(READ_ONCE(entry->end) >= new_end) ||
	    vma->vm_start != entry->va_start || vma->vm_pgoff != entry->start)
		return 0;
	added = uvm_mapent_grow(entry, new_end, gfp);
	if (added > 0 && entry->wired)
		uvm_map_account_wired(entry, added);
	if (added > 0)
		uvm_mm_retrack(entry);
	return added < 0 ? added : 0;
}

/*
 * uvm_map_account_wired - count @pages of wired @entry in (negative: out
 *	of) its mm's locked_vm
 *
 * munmap closes VMAs with mmap_lock downgraded to reading, and faults
 * follow grown entries with it held for reading: concurrent updates are
 * kept apart by the uvm_mm lock (a no-op before the entry is attached,
 * when mmap_lock is held for writing).
 *
 * => called with mmap_lock (or, for a fault on 6.12, the VMA lock) held
 *    and no uvmmod locks
 */
void uvm_map_account_wired(struct uvm_map_entry *entry, long pages)
{
	uvm_mm_lock(entry);
	entry->mm->locked_vm += pages;
	uvm_mm_unlock(entry);
}

/*
 * uvmfault_amapcopy - clear "needs_copy" in an entry
 *
 * Gives the entry an amap of its own: a fresh one if it had none, the same
 * one if no other entry references it, else a copy sharing the anons
 * (amap_copy), which the first write to each anon then copies (case 1B).
 *
 * The copy leaves the entry's holes empty (what MADV_DONTNEED took away
 * while the amap was shared, see uvm_mapent_dontneed()).
 *
 * The new amap is allocated under the entry and amap locks without
 * sleeping in reclaim (UVM_GFP_LOCKED, see uvm.h); short of memory, the
 * locks are dropped to wait for it (uvm_wait()) if @gfp may sleep, and the
 * copy starts over.
 *
 * => entry not locked (we take it for writing); may sleep
 *
 * Return: 0 or -ENOMEM (never with __GFP_NOFAIL).
 */
int uvmfault_amapcopy(struct uvm_map_entry *entry, gfp_t gfp)
{
	struct uvm_amap *old, *new;

	for (;;) {
		down_write(&entry->lock);
		if (!(entry->etype & UVM_ET_NEEDSCOPY))
			break;		/* another fault did it */
		old = entry->amap;
		if (!old) {
			new = amap_alloc(entry->start, entry->end, NULL,
					 UVM_GFP_LOCKED);
			if (new)
				uvm_amap_set_region(entry, new);
		} else {
			amap_lock(old);
			if (old->am_ref == 1) {
				/* we are the only user: no need to copy */
				uvm_holes_apply(entry, old);
				amap_unlock(old);
				entry->etype &= ~UVM_ET_NEEDSCOPY;
				break;
			}
			new = amap_copy_range(old, entry->start, entry->end,
					      UVM_GFP_LOCKED);
			if (new)
				uvm_holes_apply(entry, new);
			amap_unlock(old);
		}
		if (new) {
			if (old)
				amap_unref(old, entry->start, entry->end,
					   &entry->ppres);
			entry->amap = new;
			entry->etype &= ~UVM_ET_NEEDSCOPY;
			uvm_stat_inc(UVM_STAT_AMAP_COPIES);
			break;
		}
		/* out of memory under the locks: wait with none held */
		up_write(&entry->lock);
		if (uvm_wait(gfp))
			return -ENOMEM;
	}
	up_write(&entry->lock);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uvmfault_amapcopy, UVM_KUNIT);

/*
 * uvm_mapent_dontneed - MADV_DONTNEED on [@sva, @eva) of @entry: private
 *	memory reads back as zeroes and its anons go; shared memory keeps its
 *	data (as shmem does)
 *
 * An amap still shared with another entry (needs-copy: a fork relative)
 * cannot lose the anons, which are the relative's too. UVM's
 * uvm_map_clean() only deactivates them then; Linux promises zeroes. So
 * the range becomes a hole of the entry: the anons stay, and the entry's
 * own copy of the amap, made by its next fault (or any change of its
 * range or references), leaves the hole empty. Time and memory go with
 * the range, not the entry: no copy here, at most one small node, and none
 * over a range with no anon or touching an existing hole.
 *
 * This runs inside the entry's MMU notifier, where reclaim must not run
 * (it could re-enter the notifiers) and nothing may fail: the node is
 * waited for without reclaim (uvm_hole_alloc_wait()), with no lock held.
 * The caller zaps the PTEs right after.
 *
 * => called with mmap_lock held (from the entry's interval notifier, or
 *    the ioctl) and no uvmmod locks; may sleep
 */
void uvm_mapent_dontneed(struct uvm_map_entry *entry, unsigned long sva,
			 unsigned long eva)
{
	pgoff_t start = uvm_va_to_slot(entry, sva);
	pgoff_t end = uvm_va_to_slot(entry, eva), s;
	struct uvm_hole *spare = NULL;
	bool need, write = false;
	struct uvm_amap *amap;

	/*
	 * shared memory keeps its data; so does wired memory (Linux refuses
	 * MADV_DONTNEED on mlocked memory with EINVAL, but cannot be told
	 * this VMA is locked: see uvm_dev_mmap())
	 */
	if (!(entry->etype & UVM_ET_COPYONWRITE) || entry->wired)
		return;
again:
	need = false;
	/* a needs-copy entry changes (holes, or its amap is ours now) */
	if (write)
		down_write(&entry->lock);
	else
		down_read(&entry->lock);
	amap = entry->amap;
	if (!amap)
		goto out;
	if ((entry->etype & UVM_ET_NEEDSCOPY) && !write) {
		/* (only a fork sets it, with mmap_lock held for writing) */
		up_read(&entry->lock);
		write = true;
		goto again;
	}
	amap_lock(amap);
	if ((entry->etype & UVM_ET_NEEDSCOPY) && amap->am_ref == 1) {
		/* the relatives are gone: the amap is ours alone */
		uvm_holes_apply(entry, amap);
		entry->etype &= ~UVM_ET_NEEDSCOPY;
	}
	if (!(entry->etype & UVM_ET_NEEDSCOPY)) {
		amap_wipe_pages(amap, start, end);
	} else {
		s = start;
		if (amap_next_anon(amap, &s, end))
			need = !uvm_hole_add(entry, start, end, &spare);
	}
	amap_unlock(amap);
out:
	if (write)
		up_write(&entry->lock);
	else
		up_read(&entry->lock);
	if (need) {
		spare = uvm_hole_alloc_wait();
		goto again;
	}
	kfree(spare);
}
EXPORT_SYMBOL_NS_GPL(uvm_mapent_dontneed, UVM_KUNIT);

/*
 * uvm_map_willneed - MADV_WILLNEED on [@sva, @eva) of @entry: map the pages
 *	that are resident (read-only, skipping mapped ones), so that touching
 *	them faults no more. Nothing is allocated: as for native memory,
 *	WILLNEED brings in what exists. Anons shadow the object.
 *
 * Entering a page may need a page table, and allocating one could reclaim:
 * never with the amap or aobj locked (see uvm.h). So the range goes in
 * batches: find the resident pages under the locks, make their page
 * tables with none held (pmap_prepare()), then enter those still resident
 * under the locks again.
 *
 * => called with mmap_lock held; may sleep
 */
#define UVM_WILLNEED_BATCH	64

/* up to UVM_WILLNEED_BATCH resident slots from *@slot, in @slots */
static unsigned int uvm_willneed_find(struct uvm_map_entry *entry,
				      pgoff_t *slot, pgoff_t end,
				      pgoff_t *slots)
{
	struct uvm_anon *anon;
	unsigned int n = 0;
	pgoff_t s, hole_end;

	lockdep_assert_held(&entry->lock);
	/* a private entry has anons only, a shared one object pages only */
	if (entry->amap) {
		amap_lock(entry->amap);
		for (s = *slot; n < UVM_WILLNEED_BATCH &&
		     (anon = amap_next_anon(entry->amap, &s, end)); s++) {
			/* a hole's anons are the relatives' (needs-copy) */
			if (uvm_mapent_hole(entry, s, &hole_end))
				s = hole_end - 1;
			/* (what is on swap is not read ahead yet) */
			else if (uvm_anon_resident(anon))
				slots[n++] = s;
		}
		amap_unlock(entry->amap);
	}
	if (entry->uobj && !n) {
		mutex_lock(&entry->uobj->vmobjlock);
		for (s = *slot; n < UVM_WILLNEED_BATCH &&
		     uao_next_page(entry->uobj, &s, end); s++)
			slots[n++] = s;
		mutex_unlock(&entry->uobj->vmobjlock);
	}
	*slot = n ? slots[n - 1] + 1 : end;
	return n;
}

void uvm_map_willneed(struct uvm_map_entry *entry, struct uvm_pmap *pmap,
		      unsigned long sva, unsigned long eva)
{
	pgoff_t slots[UVM_WILLNEED_BATCH];
	pgoff_t slot = uvm_va_to_slot(entry, sva);
	pgoff_t end = uvm_va_to_slot(entry, eva), hole_end;
	struct uvm_anon *anon;
	struct page *pg;
	unsigned int i, n;

	while (slot < end && !fatal_signal_pending(current)) {
		down_read(&entry->lock);
		n = uvm_willneed_find(entry, &slot, end, slots);
		up_read(&entry->lock);
		for (i = 0; i < n; i++)
			if (pmap_prepare(pmap, uvm_slot_to_va(entry, slots[i]),
					 uvm_slot_to_va(entry, slots[i] + 1)))
				return;
		down_read(&entry->lock);
		if (entry->amap)
			amap_lock(entry->amap);
		if (entry->uobj)
			mutex_lock(&entry->uobj->vmobjlock);
		for (i = 0; i < n; i++) {
			if (uvm_mapent_hole(entry, slots[i], &hole_end))
				continue;	/* a DONTNEED meanwhile */
			anon = entry->amap ?
				amap_lookup(entry->amap, slots[i]) : NULL;
			if (anon && !uvm_anon_resident(anon))
				continue;	/* paged out meanwhile */
			pg = anon ? anon->an_page : entry->uobj ?
				uao_lookup(entry->uobj, slots[i]) : NULL;
			if (pg)
				pmap_enter(pmap, uvm_slot_to_va(entry, slots[i]),
					   pg, UVM_PROT_READ, false);
		}
		if (entry->uobj)
			mutex_unlock(&entry->uobj->vmobjlock);
		if (entry->amap)
			amap_unlock(entry->amap);
		up_read(&entry->lock);
	}
}
EXPORT_SYMBOL_NS_GPL(uvm_map_willneed, UVM_KUNIT);
