// SPDX-License-Identifier: BSD-2-Clause
/*	Derived from $OpenBSD: uvm_fault.c,v 1.113 2021/01/19 13:21:36 mpi Exp $	*/
/*	$NetBSD: uvm_fault.c,v 1.51 2000/08/06 00:22:53 thorpej Exp $	*/

/*
 * Copyright (c) 1997 Charles D. Cranor and Washington University.
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
 * from: Id: uvm_fault.c,v 1.1.2.23 1998/02/06 05:29:05 chs Exp
 */

/*
 * uvm_fault.c: UVM's fault handler, ported to Linux for uvmmod.
 *
 * Owns: the resolution of a fault on /dev/uvm memory: which page backs the
 * address, whether to copy it, and with what protection to map it and its
 * resident neighbours.
 *
 * A word on page faults (from the original):
 *
 * CASE 1: upper layer faults                   CASE 2: lower layer faults
 *
 *    CASE 1A         CASE 1B                  CASE 2A        CASE 2B
 *    read/write1     write>1                  read/write   +-cow_write/zero
 *         |             |                         |        |
 *      +--|--+       +--|--+     +-----+       +  |  +     | +-----+
 * amap |  V  |       |  ----------->new|          |        | |  ^  |
 *      +-----+       +-----+     +-----+       +  |  +     | +--|--+
 *                                                 |        |    |
 *      +-----+       +-----+                   +--|--+     | +--|--+
 * uobj | d/c |       | d/c |                   |  V  |     +----|  |
 *      +-----+       +-----+                   +-----+       +-----+
 *
 * d/c = don't care
 *
 *   case [0]: layerless fault: no amap or uobj is present; an error.
 *   case [1]: upper layer fault [anon active]
 *     1A: [read] or [write with anon->an_ref == 1]: the anon's page is
 *	   mapped; the object is not touched.
 *     1B: [write with anon->an_ref > 1]: a new anon is allocated and the
 *	   data copied into it ["COW"].
 *   case [2]: lower layer fault [uobj]
 *     2A: [read on non-NULL uobj] or [write to non-copy_on_write area]:
 *	   the object's page is mapped directly.
 *     2B: [write to copy_on_write] or [read on NULL uobj]: data is
 *	   "promoted" from uobj to a new anon; if uobj is NULL, we zero fill.
 *
 * The code is structured as in OpenBSD: uvm_fault_check() (protection,
 * needs-copy, range of interest, lookup of the anons), then
 * uvm_fault_upper_lookup() (map the resident neighbours found in the amap
 * and see whether an anon shadows the faulting address), then
 * uvm_fault_upper() (case 1) or uvm_fault_lower() (case 2); a fault that
 * has to change the entry (needs-copy) restarts from the top ("ReFault").
 *
 * A page on swap (an anon's, uvmfault_anonget, or an aobj's, uao_get) is
 * read with every lock dropped, and the fault restarts. A fault also
 * drops its locks midway when memory runs short: allocations
 * under the locks never sleep in reclaim (UVM_GFP_LOCKED, see uvm.h); one
 * that fails makes the fault unlock everything (uvmfault_unlockall in the
 * original), get memory with no lock held (a spare anon allocated with
 * reclaim allowed, or uvm_wait()) and start over, re-verifying the world
 * as UVM does after any sleep ("ReFault").
 *
 * Locks: the standard UVM order, MAPS => AMAP => UOBJ: the entry lock for
 * reading (Linux's mmap_lock stands for the map), then the amap lock, then
 * the aobj lock; see uvm.h.
 */
#include <linux/bitmap.h>
#include <linux/lockdep.h>
#include <linux/pagemap.h>

#include "uvm.h"

/*
 * The range of fault-ahead (on read faults) by advice: 16 KiB around the
 * fault for normal advice (3 pages back, 4 ahead), 32 KiB for sequential
 * (8 back, 7 ahead, and the back pages are then dropped), nothing for
 * random.
 */
const struct uvm_advice_window uvmadvice[UVM_ADV_NR] = {
	[UVM_ADV_NORMAL]	= { .nback = 3, .nforw = 4 },
	[UVM_ADV_RANDOM]	= { .nback = 0, .nforw = 0 },
	[UVM_ADV_SEQUENTIAL]	= { .nback = 8, .nforw = 7 },
};
EXPORT_SYMBOL_NS_GPL(uvmadvice, UVM_KUNIT);

/*
 * Page-in read-ahead by advice (uvmmod; BSD's uvmfault_anonget reads one
 * page): the faulting anon and those after it whose data follows in swap,
 * in one read. Normal advice starts at one page and doubles the window, up
 * to 32, for each page-in where the last one ended (a sequential scan), as
 * Linux's readahead ramps up, so random page-ins read nothing extra;
 * sequential advice reads 32 at once; random advice, one page (0 here: no
 * ramp).
 */
static const unsigned int uvm_pagein_ahead[UVM_ADV_NR] = {
	[UVM_ADV_NORMAL]	= 1,
	[UVM_ADV_RANDOM]	= 0,
	[UVM_ADV_SEQUENTIAL]	= UVM_PAGEIN_MAX,
};

/* what a fault restarted for memory needs before it tries again */
#define UVM_NEED_ANON	0x1	/* an anon with its page: flt->spare */
#define UVM_NEED_CHUNK	0x2	/* an amap chunk: flt->spare_chunk */
#define UVM_NEED_WAIT	0x4	/* any memory: uvm_wait() */

struct uvm_faultctx {
	unsigned int access_type;	/* the faulting access */
	unsigned int enter_prot;	/* the protection to map with */
	bool narrow;			/* no fault-ahead (after a restart) */
	unsigned long orig_rvaddr;	/* faulting page's address */
	unsigned long startva;		/* range of interest */
	unsigned int npages;
	unsigned int centeridx;
	unsigned int need;		/* UVM_NEED_*: restart for memory */
	/* allocated with no lock held, for the restarted fault */
	struct uvm_anon *spare;
	struct uvm_amap_chunk *spare_chunk;
	/* a page-in to do (or wait for) with no lock held, then restart */
	int pagein;			/* UVM_PAGEIN_* or 0 */
	unsigned int pagein_n;		/* pages: the faulting one, read-ahead */
	unsigned int pagein_ahead;	/* read-ahead window, by advice */
	bool pagein_failed;		/* our read just failed */
	unsigned int pagein_slot;
	struct page **pagein_pages;	/* UVM_PAGEIN_MAX of them */
};

/*
 * uvmfault_analloc: a new anon for @amap under the fault's locks: the
 * spare one if the fault allocated it before restarting, else one
 * allocated without sleeping. On failure the fault restarts and gets a
 * spare with no lock held (UVM_NEED_ANON).
 */
static struct uvm_anon *uvmfault_analloc(struct uvm_faultctx *flt,
					 struct uvm_amap *amap, bool zero)
{
	struct uvm_anon *anon = flt->spare;

	amap_assert_locked(amap);
	if (anon) {
		flt->spare = NULL;
		uvm_anon_set_lock(anon, amap->am_lock);
		return anon;
	}
	anon = uvm_analloc(amap->am_lock, zero, UVM_GFP_LOCKED);
	if (!anon)
		flt->need = UVM_NEED_ANON;
	return anon;
}

/*
 * uvmfault_getmem: before a restart for memory, with no uvmmod lock held
 * (the original's uvm_wait() after uvmfault_unlockall()): allocate what
 * the fault ran short of, so that the restarted fault finds it whatever
 * other tasks of a memory cgroup at its limit take meanwhile, or wait
 * until the allocator has reclaimed. The spare page is zeroed, so it
 * serves a zero-fill and a copy alike.
 */
static int uvmfault_getmem(struct uvm_faultctx *flt)
{
	unsigned int need = flt->need;

	flt->need = 0;
	if (!(need & UVM_NEED_WAIT))
		uvm_stat_inc(UVM_STAT_MEM_WAITS);	/* (uvm_wait() counts) */
	if ((need & UVM_NEED_ANON) && !flt->spare) {
		flt->spare = uvm_analloc(NULL, true, GFP_KERNEL);
		if (!flt->spare)
			return -ENOMEM;
	}
	if ((need & UVM_NEED_CHUNK) && !flt->spare_chunk) {
		flt->spare_chunk = amap_chunk_alloc(GFP_KERNEL);
		if (!flt->spare_chunk)
			return -ENOMEM;
	}
	return (need & UVM_NEED_WAIT) ? uvm_wait(GFP_KERNEL) : 0;
}

/* pages[] markers of uvm_fault_upper_lookup() for the lower layer */
#define PGO_DONTCARE	((struct page *)-1L)

#define MASK(entry)	(((entry)->etype & UVM_ET_COPYONWRITE) ? \
			 ~UVM_PROT_WRITE : ~0U)

/*
 * uvm_fault_check: check protection, resolve needs-copy, establish the
 * range of interest and look up its anons.
 *
 * => called with the entry locked for reading; on UVM_ERESTART and on
 *    errors it is unlocked, else it stays locked and the amap (if any) is
 *    locked too
 */
static int uvm_fault_check(struct uvm_map_entry *entry, struct uvm_pmap *pmap,
			   struct uvm_faultctx *flt, struct uvm_anon **anons)
{
	enum uvm_advice advice = READ_ONCE(entry->advice);
	const struct uvm_advice_window *adv = &uvmadvice[advice];
	struct uvm_amap *amap;
	unsigned int nback, nforw;

	/* check protection (Linux checked the VMA too) */
	if ((pmap->max_prot & flt->access_type) != flt->access_type) {
		up_read(&entry->lock);
		return -EACCES;
	}
	flt->enter_prot = pmap->max_prot;

	/* handle "needs_copy" case. */
	if (entry->etype & UVM_ET_NEEDSCOPY) {
		if ((flt->access_type & UVM_PROT_WRITE) || !entry->uobj) {
			/* need to clear */
			int error;

			up_read(&entry->lock);
			/* (it waits for memory with no lock held) */
			error = uvmfault_amapcopy(entry, GFP_KERNEL);
			return error ? error : UVM_ERESTART;
		}
		/* map read-only since needs_copy is still true */
		flt->enter_prot &= ~UVM_PROT_WRITE;
	}

	amap = entry->amap;
	/* case 0: nothing backing the entry */
	if (!amap && !entry->uobj) {
		up_read(&entry->lock);
		return -EFAULT;
	}

	/*
	 * establish range of interest based on advice from mapper and then
	 * clip to fit the map entry. only the first time through the fault.
	 *
	 * uvmmod: only read faults look ahead, as Linux's fault-around does.
	 * Around a write the neighbours are mapped already (ref 1: their own
	 * faults mapped them), absent (zero-fill) or shared (ref > 1), and a
	 * shared page mapped read-only would cost a zap and a second fault
	 * when written, since page_mkwrite cannot swap the page under a PTE;
	 * asking the pmap which are mapped costs a page-table walk. And only
	 * where the pmap says entering a neighbour allocates nothing (its
	 * page table exists): the amap is locked meanwhile.
	 */
	if (!flt->narrow && !(flt->access_type & UVM_PROT_WRITE) &&
	    flt->orig_rvaddr >= pmap->ahead_lo &&
	    flt->orig_rvaddr < pmap->ahead_hi) {
		unsigned long lo = max(entry->va_start, pmap->ahead_lo);
		unsigned long hi = min(uvm_entry_va_end(entry),
				       pmap->ahead_hi);

		nback = min_t(unsigned long, adv->nback,
			      (flt->orig_rvaddr - lo) >> PAGE_SHIFT);
		nforw = min_t(unsigned long, adv->nforw,
			      ((hi - flt->orig_rvaddr) >> PAGE_SHIFT) - 1);
		flt->narrow = true;
	} else {
		nback = 0;
		nforw = 0;
	}
	flt->startva = flt->orig_rvaddr - ((unsigned long)nback << PAGE_SHIFT);
	flt->npages = nback + nforw + 1;
	flt->centeridx = nback;

	if (amap) {
		amap_lock(amap);
		amap_lookups(amap, uvm_va_to_slot(entry, flt->startva), anons,
			     flt->npages);
	} else {
		memset(anons, 0, flt->npages * sizeof(*anons));
	}

	/*
	 * for sequential advice forget the back pages (UVM also deactivates
	 * them, to be reclaimed first: uvmmod has no page queues yet).
	 */
	if (advice == UVM_ADV_SEQUENTIAL && nback) {
		memmove(anons, anons + nback, (nforw + 1) * sizeof(*anons));
		flt->startva += (unsigned long)nback << PAGE_SHIFT;
		flt->npages -= nback;
		flt->centeridx = 0;
	}
	return 0;
}

/*
 * uvm_fault_upper_lookup: iterate the range of interest:
 *	1. if a neighbour is already mapped, leave it;
 *	2. if no anon is there, the page is lower (pages[] = NULL);
 *	3. if an anon is there, map a neighbour's page now.
 * Return whether an anon shadows the faulting address.
 *
 * => called with the entry and the amap (if any) locked
 */
static bool uvm_fault_upper_lookup(struct uvm_map_entry *entry,
				   struct uvm_pmap *pmap,
				   const struct uvm_faultctx *flt,
				   struct uvm_anon **anons,
				   struct page **pages)
{
	DECLARE_BITMAP(mapped, UVM_MAXRANGE);
	unsigned long currva = flt->startva;
	bool shadowed = false;
	unsigned int lcv;

	bitmap_zero(mapped, UVM_MAXRANGE);
	/*
	 * uvmmod: ask the pmap which neighbours are mapped only if one of
	 * them could be entered (a page-table walk saved on zero-fill).
	 */
	if (flt->npages > 1 && (entry->uobj ||
				memchr_inv(anons, 0, flt->npages * sizeof(*anons))))
		pmap_extract(pmap, flt->startva, flt->npages, mapped);

	for (lcv = 0; lcv < flt->npages; lcv++, currva += PAGE_SIZE) {
		struct uvm_anon *anon = anons[lcv];

		/* don't play with VAs that are already mapped (but center) */
		if (lcv != flt->centeridx && test_bit(lcv, mapped)) {
			pages[lcv] = PGO_DONTCARE;
			continue;
		}
		/* unmapped or center page: any anon at this level? */
		if (!anon) {
			pages[lcv] = NULL;
			continue;
		}
		pages[lcv] = PGO_DONTCARE;
		if (lcv == flt->centeridx) {	/* save center for later */
			shadowed = true;
			continue;
		}
		/*
		 * a neighbour on swap faults on its own (no read-ahead yet);
		 * so does one the page daemon unmapped to see whether it is
		 * used (mapping it here would count as a use)
		 */
		if (!uvm_anon_resident(anon) || uvm_page_inactive(anon->an_page))
			continue;
		amap_assert_locked(entry->amap);
		/*
		 * not the faulting page: a failure to map it is not
		 * critical, it will fault on its own.
		 */
		if (!pmap_enter(pmap, currva, anon->an_page,
				anon->an_ref > 1 || anon->an_swslot ?
				flt->enter_prot & ~UVM_PROT_WRITE :
				flt->enter_prot, false))
			uvm_stat_inc(UVM_STAT_FAULTAHEAD);
	}
	return shadowed;
}

/*
 * uvmfault_pagein_window: how many pages a page-in at @slot reads. A
 * page-in where the last one ended is sequential: the window doubles, up
 * to UVM_PAGEIN_MAX; entry->ra_* are hints, raced over harmlessly.
 */
static unsigned int uvmfault_pagein_window(struct uvm_map_entry *entry,
					   struct uvm_faultctx *flt,
					   pgoff_t slot)
{
	unsigned int win = max(flt->pagein_ahead, 1U);

	if (flt->pagein_ahead && READ_ONCE(entry->ra_next) == slot)
		win = clamp(2 * READ_ONCE(entry->ra_win), win,
			    (unsigned int)UVM_PAGEIN_MAX);
	return win;
}

/*
 * uvmfault_anonget: get the faulting anon's page in (the seed's
 * uvmfault_anonget, split by uvmmod: the I/O and the waiting run in
 * uvm_fault() with every lock dropped, see uvm_pager.c)
 *
 * => called with the entry and the amap locked; unlocks the amap
 *
 * Return: UVM_ERESTART (after the page-in, or the wait for another's, or
 * for memory: flt->pagein or flt->need say which), or -EIO (the data is
 * lost).
 */
static int uvmfault_anonget(struct uvm_map_entry *entry,
			    struct uvm_faultctx *flt, struct uvm_amap *amap,
			    pgoff_t slot, struct uvm_anon *anon)
{
	int what = uvm_anon_pagein_prepare(amap, slot, anon, &flt->spare,
					   &flt->pagein_pages[0],
					   &flt->pagein_slot,
					   flt->pagein_failed);
	unsigned int win = uvmfault_pagein_window(entry, flt, slot);

	flt->pagein_n = 1;
	if (what == UVM_PAGEIN_READ && win > 1)
		flt->pagein_n = uvm_anon_pagein_ahead(amap, slot,
						      flt->pagein_slot,
						      flt->pagein_pages, win);
	if (what == UVM_PAGEIN_READ) {
		WRITE_ONCE(entry->ra_next, slot + flt->pagein_n);
		WRITE_ONCE(entry->ra_win, win);
	}
	amap_unlock(amap);
	if (what == -ENOMEM) {
		flt->need |= UVM_NEED_ANON;
		return UVM_ERESTART;
	}
	if (what < 0)
		return what;
	flt->pagein = what;
	return UVM_ERESTART;
}

/*
 * uvm_fault_upper: handle upper fault (case 1A & 1B)
 *	1. get anon (paged in first if it is on swap: uvmfault_anonget).
 *	2. if COW, promote data to new anon.
 *	3. enter h/w mapping.
 *
 * => called with the entry and the amap locked; unlocks the amap
 *
 * Return: 0, an errno, or UVM_ERESTART with flt->need set (out of memory
 * under the locks).
 */
static int uvm_fault_upper(struct uvm_map_entry *entry, struct uvm_pmap *pmap,
			   struct uvm_faultctx *flt, struct uvm_anon **anons)
{
	struct uvm_amap *amap = entry->amap;
	struct uvm_anon *anon = anons[flt->centeridx], *nanon;
	pgoff_t slot = uvm_va_to_slot(entry, flt->orig_rvaddr);
	int error;

	amap_assert_locked(amap);
	if (!uvm_anon_resident(anon))
		return uvmfault_anonget(entry, flt, amap, slot, anon);
	uvm_stat_inc(UVM_STAT_ANON_HITS);

	/*
	 * case 1B: allocate a new anon to copy the data into. The old
	 * anon's reference count cannot drop to zero here: it is > 1 and
	 * we drop one reference.
	 */
	if ((flt->access_type & UVM_PROT_WRITE) && anon->an_ref > 1) {
		nanon = uvmfault_analloc(flt, amap, false);
		if (!nanon) {
			amap_unlock(amap);
			return UVM_ERESTART;
		}
		uvm_stat_inc(UVM_STAT_COW_COPIES);
		uvm_pagecopy(anon->an_page, nanon->an_page);
		/* (a replacement allocates nothing) */
		error = amap_add(amap, slot, nanon, true, UVM_GFP_LOCKED,
				 NULL);
		WARN_ON_ONCE(error);
		if (entry->wired)
			uvm_pagewire(nanon->an_page);
		/*
		 * uvmmod: the caller still maps the old page and unmaps it
		 * only after we return (Linux's page_mkwrite cannot swap the
		 * page under a PTE, as UVM's pmap_enter does). Once its
		 * an_ref drops, the other holder may write it in place, which
		 * takes the page lock: hold that until our PTE is gone.
		 */
		if (pmap->hold_cow_old && !pmap->cow_old) {
			get_page(anon->an_page);
			lock_page(anon->an_page);
			pmap->cow_old = anon->an_page;
		}
		anon->an_ref--;
		anon = nanon;
	} else if (anon->an_ref > 1) {
		/* case 1A: disallow writes to ref > 1 anons */
		flt->enter_prot &= ~UVM_PROT_WRITE;
	} else if (anon->an_swslot) {
		/*
		 * its data is on swap too: a write makes that copy stale
		 * (uvm_anon_dropswap); until one, map it read-only, so
		 * that a pageout needs no I/O
		 */
		if (flt->access_type & UVM_PROT_WRITE)
			uvm_anon_dropswap(anon);
		else
			flt->enter_prot &= ~UVM_PROT_WRITE;
	}

	error = pmap_enter(pmap, flt->orig_rvaddr, anon->an_page,
			   flt->enter_prot, true);
	amap_unlock(amap);
	return error;
}

/*
 * uvm_fault_lower: handle lower fault (case 2A & 2B): map the resident
 * neighbours the object has, then get the faulting page from the object
 * (or zero-fill) and either map it (2A) or promote it to a new anon (2B).
 *
 * => called with the entry and the amap (if any) locked; unlocks the amap
 *
 * Return: 0, an errno, or UVM_ERESTART with flt->need set (out of memory
 * under the locks).
 */
static int uvm_fault_lower(struct uvm_map_entry *entry, struct uvm_pmap *pmap,
			   struct uvm_faultctx *flt, struct page **pages)
{
	struct uvm_amap *amap = entry->amap;
	struct uvm_object *uobj = entry->uobj;
	pgoff_t slot = uvm_va_to_slot(entry, flt->orig_rvaddr);
	struct page *uobjpage = NULL, *pg;
	struct uvm_pagein pi;
	struct uvm_anon *anon;
	unsigned long currva;
	unsigned int lcv;
	bool promote;
	int error = 0;

	if (uobj) {
		mutex_lock(&uobj->vmobjlock);
		/* map the object's resident pages around the fault */
		currva = flt->startva;
		for (lcv = 0; lcv < flt->npages; lcv++, currva += PAGE_SIZE) {
			if (lcv == flt->centeridx || pages[lcv])
				continue;
			pg = uao_lookup(uobj, uvm_va_to_slot(entry, currva));
			/* (an inactive page is mapped only by its own fault) */
			if (pg && !uvm_page_inactive(pg) &&
			    !pmap_enter(pmap, currva, pg,
					      flt->enter_prot & MASK(entry),
					      false))
				uvm_stat_inc(UVM_STAT_FAULTAHEAD);
		}
		/*
		 * the center page: resident, new and zero-filled, or on swap:
		 * then read (with its read-ahead) with every lock dropped,
		 * and the fault restarts (the seed's uao_get, PGO_SYNCIO)
		 */
		pi.pages = flt->pagein_pages;
		pi.max = uvmfault_pagein_window(entry, flt, slot);
		pi.retried = flt->pagein_failed;
		error = uao_get(uobj, slot, &uobjpage, UVM_GFP_LOCKED, &pi);
		if (error == -ENOMEM) {
			flt->need = UVM_NEED_WAIT;
			error = UVM_ERESTART;
		} else if (error > 0) {
			flt->pagein = error;
			flt->pagein_n = pi.n;
			flt->pagein_slot = pi.swslot;
			if (error == UVM_PAGEIN_READ) {
				WRITE_ONCE(entry->ra_next, slot + pi.n);
				WRITE_ONCE(entry->ra_win, pi.max);
			}
			error = UVM_ERESTART;
		}
		if (error)
			goto out;
		promote = (flt->access_type & UVM_PROT_WRITE) &&
			  (entry->etype & UVM_ET_COPYONWRITE);
	} else {
		/* zero fill */
		promote = true;
	}

	if (!promote) {
		/*
		 * case 2A: map the object's page. if the mapping is COW, a
		 * read fault maps it read-only.
		 */
		uvm_stat_inc(UVM_STAT_OBJ_HITS);
		if (entry->etype & UVM_ET_COPYONWRITE)
			flt->enter_prot &= ~UVM_PROT_WRITE;
		/*
		 * paged in and not written since: its swap slot holds its
		 * data until a write, which makes that copy stale; until one,
		 * map it read-only, so that a pageout needs no I/O
		 */
		if (uao_find_swslot(uobj, slot)) {
			if (flt->access_type & UVM_PROT_WRITE)
				uao_dropswap(uobj, slot);
			else
				flt->enter_prot &= ~UVM_PROT_WRITE;
		}
		pg = uobjpage;
	} else {
		/* case 2B: promote to (or zero-fill) a new anon */
		if (WARN_ON_ONCE(!amap)) {
			error = -EFAULT;
			goto out;
		}
		anon = uvmfault_analloc(flt, amap, !uobjpage);
		if (!anon) {
			error = UVM_ERESTART;
			goto out;
		}
		error = amap_add(amap, slot, anon, false, UVM_GFP_LOCKED,
				 &flt->spare_chunk);
		if (error) {
			/*
			 * no chunk (or no xarray node): get one, keep a
			 * zeroed anon for the restart
			 */
			if (uobjpage) {
				anon->an_ref = 0;
				uvm_anfree(anon);
			} else {
				flt->spare = anon;
			}
			flt->need = UVM_NEED_CHUNK | UVM_NEED_WAIT;
			error = UVM_ERESTART;
			goto out;
		}
		/* wired memory stays off the page queues: never paged out */
		if (entry->wired)
			uvm_pagewire(anon->an_page);
		if (uobjpage) {
			uvm_stat_inc(UVM_STAT_PROMOTIONS);
			uvm_pagecopy(uobjpage, anon->an_page);
		} else {
			uvm_stat_inc(UVM_STAT_ZERO_FILLS);
		}
		pg = anon->an_page;
	}
	error = pmap_enter(pmap, flt->orig_rvaddr, pg, flt->enter_prot, true);
out:
	if (uobj)
		mutex_unlock(&uobj->vmobjlock);
	if (amap)
		amap_unlock(amap);
	return error;
}

/*
 * uvm_fault - page fault handler
 * @entry: the map entry of the faulting address
 * @pmap: where to map the result; pmap->max_prot is the entry's protection
 * @vaddr: the faulting address
 * @access_type: UVM_PROT_READ, UVM_PROT_WRITE or UVM_PROT_EXEC
 *
 * On success the faulting page has been given to pmap_enter() with its
 * center flag, and for a read fault the resident neighbours within the
 * advice window have been entered too.
 *
 * => called with mmap_lock held for reading, or (6.12) the VMA lock, and
 *    no uvmmod locks; may sleep (for memory with no uvmmod lock held)
 *
 * Return: 0, -ENOMEM (out of memory even after waiting for it, or a fatal
 * signal meanwhile), -EACCES or -EFAULT.
 */
int uvm_fault(struct uvm_map_entry *entry, struct uvm_pmap *pmap,
	      unsigned long vaddr, unsigned int access_type)
{
	struct page *pagein_pages[UVM_PAGEIN_MAX];
	struct uvm_anon *anons[UVM_MAXRANGE];
	struct page *pages[UVM_MAXRANGE];
	struct uvm_faultctx flt = {
		.access_type = access_type,
		.orig_rvaddr = vaddr & PAGE_MASK,
		.pagein_pages = pagein_pages,
		.pagein_ahead = uvm_pagein_ahead[READ_ONCE(entry->advice)],
	};
	int error;

	uvm_stat_inc(UVM_STAT_FAULTS);
	if (WARN_ON_ONCE(flt.orig_rvaddr < entry->va_start ||
			 flt.orig_rvaddr >= uvm_entry_va_end(entry)))
		return -EFAULT;

	for (;;) {			/* ReFault */
		/* out of memory under the locks: get it with none held */
		if (flt.need) {
			error = uvmfault_getmem(&flt);
			if (error)
				break;
		}
		down_read(&entry->lock);
		error = uvm_fault_check(entry, pmap, &flt, anons);
		if (!error) {
			if (uvm_fault_upper_lookup(entry, pmap, &flt, anons,
						   pages))
				/* case 1: fault on an anon in our amap */
				error = uvm_fault_upper(entry, pmap, &flt,
							anons);
			else
				/* case 2: fault on backing object or zero fill */
				error = uvm_fault_lower(entry, pmap, &flt,
							pages);
			up_read(&entry->lock);
		}
		if (error != UVM_ERESTART)
			break;
		uvm_stat_inc(UVM_STAT_RESTARTS);
		/* a page-in: the I/O (or the wait) with no lock held */
		if (flt.pagein) {
			flt.pagein_failed =
				!uvm_anon_pagein_finish(flt.pagein,
							flt.pagein_pages,
							flt.pagein_n,
							flt.pagein_slot);
			flt.pagein = 0;
		}
	}
	/* spares the restarted fault did not need after all */
	if (flt.spare) {
		flt.spare->an_ref = 0;
		uvm_anfree(flt.spare);
	}
	if (flt.spare_chunk)
		amap_chunk_free(flt.spare_chunk);
	return error;
}
EXPORT_SYMBOL_NS_GPL(uvm_fault, UVM_KUNIT);

/*
 * uvmfault_relock - lock @pg if it is still what backs @vaddr in @entry
 *
 * Linux unlocks the page a write fault chose before calling page_mkwrite
 * and maps it after; a MADV_DONTNEED in between may have freed its anon.
 * Re-verify the state of the world, as UVM does after dropping its locks:
 * the page must still be the anon (or object page) at that address.
 *
 * => called with mmap_lock or the VMA lock held and no uvmmod locks; may
 *    sleep
 *
 * Return: true with @pg locked, or false (the fault must be retried).
 */
bool uvmfault_relock(struct uvm_map_entry *entry, unsigned long vaddr,
		     struct page *pg)
{
	pgoff_t slot = uvm_va_to_slot(entry, vaddr & PAGE_MASK);
	struct uvm_anon *anon = NULL;
	bool ok = false;

	down_read(&entry->lock);
	if (entry->amap) {
		amap_lock(entry->amap);
		anon = amap_lookup(entry->amap, slot);
		if (anon && anon->an_page == pg) {
			lock_page(pg);
			ok = true;
		}
		amap_unlock(entry->amap);
	}
	if (!anon && entry->uobj) {
		mutex_lock(&entry->uobj->vmobjlock);
		if (uao_lookup(entry->uobj, slot) == pg) {
			lock_page(pg);
			ok = true;
		}
		mutex_unlock(&entry->uobj->vmobjlock);
	}
	up_read(&entry->lock);
	return ok;
}
