// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_pager.c: anons' pages to swap and back (BSD's uvm_pager.c and the
 * anon half of uvm_pdaemon.c's pageout, with uvm_fault.c's anonget I/O).
 *
 * Owns: the pageout of the anons of a range of a private entry
 * (uvm_pageout_range(), for UVM_MADV_PAGEOUT), and the page-in protocol
 * (uvm_anon_pagein_prepare/finish) that the fault's anonget and wiring use.
 *
 * Pageout, per cluster of up to UVM_CLUSTER anons (BSD's swapcluster):
 *  1. under the amap lock: take the resident anons whose page nobody has
 *     locked (the page lock is BSD's PG_BUSY) and may not be pinned, lock
 *     their pages, give those without a copy on swap consecutive slots of
 *     one run (UVM's aggressive clustering: the anons need not be
 *     neighbours on disk before);
 *  2. with no uvmmod lock held: unmap each page from every
 *     process mapping it (every fork relative maps an anon at the same
 *     offset of the region file: unmap_mapping_pages(), recorded as the
 *     module's own zap, see uvm_mm.c), write the run in one I/O, unlock
 *     the pages;
 *  3. under the amap lock again, each page locked (which waits for a fault
 *     that chose it to finish installing it): the anon takes its slot and
 *     lets its page go if the page is still the anon's, unmapped and held
 *     by nobody else; otherwise it stays resident and the slot is freed
 *     (marked bad if the write failed). A page that keeps its slot (paged
 *     in and not written since) leaves without I/O.
 *
 * Page-in (uvm_fault.c's uvmfault_anonget): under the anon's lock a new
 * page, locked and not up to date, becomes the anon's page; every lock is
 * dropped for the read; the page is marked up to date and unlocked. A
 * fault finding such a page locked waits for it (drops its locks, sleeps
 * on the page lock, restarts); finding it unlocked and not up to date, it
 * learns that the read failed: the slot is marked bad, the anon gets
 * UVM_SWSLOT_BAD and the fault SIGBUS. Everything after a restart is
 * re-verified under the locks.
 *
 * Locks: entry lock (read) -> amap lock -> page lock, as everywhere; no
 * uvmmod lock is held across I/O or unmapping, and the amap lock is never
 * taken with a page lock held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "uvm.h"

/* pages written in one I/O at most */
#define UVM_CLUSTER	64

struct uvm_pageout_item {
	struct uvm_anon *anon;
	struct page *pg;
	pgoff_t slot;			/* in the amap */
	unsigned int swslot;		/* its swap slot, or 0: none to be had */
	bool write;			/* no copy on swap yet */
};

/* step 1: up to UVM_CLUSTER anons of [*slot, end), locked; 0 when none */
static unsigned int uvm_pageout_collect(struct uvm_amap *amap, pgoff_t *slot,
					pgoff_t end,
					struct uvm_pageout_item *items)
{
	unsigned int n = 0, nw = 0, got, w, i;
	struct uvm_anon *anon;
	unsigned int swslot;

	amap_assert_locked(amap);
	for (; n < UVM_CLUSTER && (anon = amap_next_anon(amap, slot, end));
	     (*slot)++) {
		if (!uvm_anon_resident(anon) || uvm_page_maybe_pinned(anon->an_page) ||
		    !trylock_page(anon->an_page))
			continue;
		get_page(anon->an_page);
		items[n].anon = anon;
		items[n].pg = anon->an_page;
		items[n].slot = *slot;
		items[n].swslot = anon->an_swslot;
		items[n].write = !anon->an_swslot;
		nw += items[n].write;
		n++;
	}
	if (!nw)
		return n;
	/* one run for the cluster; fewer will do (the rest stay resident) */
	got = nw;
	swslot = uvm_swap_alloc(&got, true);
	if (!swslot)
		got = 0;
	/*
	 * (the anons learn their slot only once it holds their data: see
	 * uvm_pageout_finish())
	 */
	for (i = 0, w = 0; i < n; i++)
		if (items[i].write && w < got)
			items[i].swslot = swslot + w++;
	return n;
}

/*
 * step 3 for one item: with the amap and the page locked. An anon gets its
 * new slot only here, after the write: until then a concurrent pageout
 * (a relative's) takes it for unwritten and never lets the page go on the
 * strength of a slot whose write is under way, or failed.
 */
static bool uvm_pageout_finish(struct uvm_amap *amap,
			       struct uvm_pageout_item *it, bool werr)
{
	struct uvm_anon *anon = it->anon;
	bool alive, ok;

	if (!it->swslot)
		return false;			/* no slot was to be had */
	/* (the anon may be gone: compare before touching it) */
	alive = amap_lookup(amap, it->slot) == anon && anon->an_page == it->pg;
	/* unchanged: still unwritten, or still holding its old slot */
	ok = alive && anon->an_swslot == (it->write ? 0 : it->swslot) &&
	     !(it->write && werr) && !page_mapped(it->pg) &&
	     page_count(it->pg) == 2;	/* only UVM's reference and ours */
	if (ok) {
		anon->an_swslot = it->swslot;
		anon->an_page = NULL;
		uvm_pagefree(it->pg);
		uvm_stat_inc(UVM_STAT_SWAP_ONLY);
		uvm_stat_inc(UVM_STAT_PAGEOUTS);
		return true;
	}
	/* mapped, pinned or written again, gone, or the write failed */
	if (it->write) {
		if (werr)
			uvm_swap_markbad(it->swslot, 1);
		else
			uvm_swap_free(it->swslot, 1);
	}
	return false;
}

/*
 * uvm_pageout_range - page out the anons of slots [@start, @end) of the
 *	private entry @entry now (UVM_MADV_PAGEOUT), see the top of this file
 * @mapping: the region file's, whose offsets are the slots
 *
 * Pages that cannot go (locked, pinned, mapped again meanwhile, no swap
 * slot left) stay resident.
 *
 * => called with mmap_lock held for writing, the entry's VMA write-locked
 *    (its faults kept out) and no uvmmod locks; may sleep
 *
 * Return: the pages paged out, or -ENOMEM.
 */
long uvm_pageout_range(struct uvm_map_entry *entry,
		       struct address_space *mapping, pgoff_t start,
		       pgoff_t end)
{
	struct uvm_pageout_item *items;
	struct uvm_selfzap z;
	struct page **pages;
	struct uvm_amap *amap;
	unsigned int n, i, w, run = 0;
	pgoff_t slot = start;
	bool werr = false, full;
	long out = 0;

	items = kmalloc_array(UVM_CLUSTER, sizeof(*items), GFP_KERNEL);
	pages = kmalloc_array(UVM_CLUSTER, sizeof(*pages), GFP_KERNEL);
	if (!items || !pages) {
		kfree(items);
		kfree(pages);
		return -ENOMEM;
	}
	/*
	 * The caller keeps the entry's faults out (mmap_lock for writing,
	 * the VMA write-locked), so its amap stays, and so do the anons its
	 * range holds; its lock is dropped across the unmapping (MMU
	 * notifiers run there, see uvm.h) and the I/O.
	 */
	down_read(&entry->lock);
	amap = entry->amap;
	up_read(&entry->lock);
	while (amap && slot < end && !werr && !fatal_signal_pending(current)) {
		down_read(&entry->lock);
		if (WARN_ON_ONCE(entry->amap != amap)) {
			up_read(&entry->lock);
			break;
		}
		amap_lock(amap);
		n = uvm_pageout_collect(amap, &slot, end, items);
		amap_unlock(amap);
		up_read(&entry->lock);
		if (!n)
			break;

		/* step 2: unmap, write, unlock */
		uvm_selfzap_begin(&z);
		for (i = 0; i < n; i++)
			if (items[i].swslot)
				unmap_mapping_pages(mapping, items[i].slot, 1,
						    false);
		uvm_selfzap_end(&z);
		full = false;
		for (i = 0, w = 0; i < n; i++) {
			if (!items[i].write)
				continue;
			/* (no slot for any: swap is full) */
			full = !w && !items[i].swslot;
			if (!items[i].swslot)
				continue;
			if (!w)
				run = items[i].swslot;
			pages[w++] = items[i].pg;
		}
		if (w)
			werr = uvm_swap_io(pages, run, w, true) < 0;
		for (i = 0; i < n; i++)
			unlock_page(items[i].pg);

		/* step 3 */
		down_read(&entry->lock);
		amap_lock(amap);
		for (i = 0; i < n; i++) {
			lock_page(items[i].pg);
			out += uvm_pageout_finish(amap, &items[i], werr);
			unlock_page(items[i].pg);
		}
		amap_unlock(amap);
		up_read(&entry->lock);
		for (i = 0; i < n; i++)
			put_page(items[i].pg);
		/* swap is full: what is left stays */
		if (full)
			break;
	}
	kfree(items);
	kfree(pages);
	return out;
}
EXPORT_SYMBOL_NS_GPL(uvm_pageout_range, UVM_KUNIT);

/*
 * uvm_pagein_found - what a fault does with @pg, a page found not up to
 *	date: a page-in's, being read (locked) or whose read failed
 *	(unlocked). It waits for a read under way (UVM_PAGEIN_WAIT: a
 *	reference is taken); it reads once more after someone else's failed
 *	read (a read-ahead's, whose reader did not need the page: the device
 *	may work again) (UVM_PAGEIN_READ: @pg is locked, a reference taken);
 *	after its own failed read (@retried) the data is lost (-EIO: @pg is
 *	locked, no reference taken; the caller lets it go)
 *
 * => called with the page's owner locked (amap or aobj lock)
 */
int uvm_pagein_found(struct page *pg, bool retried)
{
	if (!trylock_page(pg)) {
		get_page(pg);
		return UVM_PAGEIN_WAIT;
	}
	if (!retried) {
		get_page(pg);
		return UVM_PAGEIN_READ;
	}
	return -EIO;
}

/*
 * uvm_anon_pagein_prepare - what the caller must do, with no lock held,
 *	to have the non-resident @anon's page
 * @amap, @slot: where the caller found it (the new page's place on the
 *	page queues)
 * @spare: an anon of the caller's, allocated with no lock held, whose page
 *	may be taken when none can be had without sleeping (it is freed)
 * @pgp, @slotp: for UVM_PAGEIN_READ and UVM_PAGEIN_WAIT, the page (a
 *	reference of the caller's) and the slot to read
 * @retried: the caller's own read of this anon just failed
 *
 * => called with the anon's lock held
 *
 * Return: UVM_PAGEIN_READ (a page-in is started: read it), UVM_PAGEIN_WAIT
 * (another one is under way: wait for its page), -EIO (the data is lost:
 * a read failed, now or before), or -ENOMEM (no page: the caller gets a
 * spare with no lock held and tries again).
 */
int uvm_anon_pagein_prepare(struct uvm_amap *amap, pgoff_t slot,
			    struct uvm_anon *anon, struct uvm_anon **spare,
			    struct page **pgp, unsigned int *slotp,
			    bool retried)
{
	struct page *pg = anon->an_page;
	int error;

	uvm_anon_assert_locked(anon);
	if (pg) {
		error = uvm_pagein_found(pg, retried);
		if (error != -EIO) {
			*pgp = pg;
			*slotp = anon->an_swslot;
			return error;
		}
		/* ours failed too: the data is lost */
		anon->an_page = NULL;
		uvm_swap_markbad(anon->an_swslot, 1);
		anon->an_swslot = UVM_SWSLOT_BAD;
		uvm_stat_inc(UVM_STAT_SWAP_ONLY);
		unlock_page(pg);
		uvm_pagefree(pg);
		pr_warn_ratelimited("%s[%d]: a /dev/uvm page could not be read back from swap: its data is lost (SIGBUS)\n",
				    current->comm, task_pid_nr(current));
		return -EIO;
	}
	if (anon->an_swslot == UVM_SWSLOT_BAD)
		return -EIO;
	if (WARN_ON_ONCE(!anon->an_swslot))
		return -EIO;
	pg = uvm_pagealloc(false, UVM_GFP_LOCKED);
	if (!pg && *spare) {
		pg = (*spare)->an_page;
		(*spare)->an_page = NULL;
		(*spare)->an_ref = 0;
		uvm_anfree(*spare);
		*spare = NULL;
	}
	if (!pg)
		return -ENOMEM;
	/* locked and not up to date while the read runs: busy */
	ClearPageUptodate(pg);
	WARN_ON_ONCE(!trylock_page(pg));
	anon->an_page = pg;
	uvm_pageactivate(pg, amap->am_lock, slot);
	uvm_stat_dec(UVM_STAT_SWAP_ONLY);
	get_page(pg);
	*pgp = pg;
	*slotp = anon->an_swslot;
	return UVM_PAGEIN_READ;
}
EXPORT_SYMBOL_NS_GPL(uvm_anon_pagein_prepare, UVM_KUNIT);

/*
 * uvm_anon_pagein_ahead - read-ahead: with the page-in of the anon at
 *	@slot of @amap started (its page in @pgs[0], its swap slot @swslot),
 *	start those of the anons after it whose data is in the next swap
 *	slots, up to @max pages in all, to be read in the same I/O
 *
 * Pages written in one cluster have consecutive slots, so memory paged out
 * in order comes back in order in one read per cluster; an anon whose data
 * is elsewhere (or resident, or being paged in) ends the run. Nothing is
 * allocated that could sleep (the run just ends).
 *
 * => called with @amap locked
 *
 * Return: the pages in @pgs: 1 plus those started, each locked, not up to
 * date, the anon's, with a reference of the caller's.
 */
unsigned int uvm_anon_pagein_ahead(struct uvm_amap *amap, pgoff_t slot,
				   unsigned int swslot, struct page **pgs,
				   unsigned int max)
{
	struct uvm_anon *anon;
	struct page *pg;
	unsigned int n;

	amap_assert_locked(amap);
	max = uvm_swap_run_max(swslot, max);
	for (n = 1; n < max && slot + n < amap->am_end; n++) {
		anon = amap_lookup(amap, slot + n);
		if (!anon || anon->an_page || anon->an_swslot != swslot + n)
			break;
		pg = uvm_pagealloc(false, UVM_GFP_LOCKED);
		if (!pg)
			break;
		ClearPageUptodate(pg);
		WARN_ON_ONCE(!trylock_page(pg));
		anon->an_page = pg;
		uvm_pageactivate(pg, amap->am_lock, slot + n);
		uvm_stat_dec(UVM_STAT_SWAP_ONLY);
		get_page(pg);
		pgs[n] = pg;
	}
	return n;
}

/*
 * uvm_anon_pagein_finish - do what uvm_anon_pagein_prepare() said: read
 *	the @n slots from @slot into @pgs (the page-in and its read-ahead),
 *	or wait for @pgs[0]; drops the caller's references
 *
 * If a read of several pages fails, each is read on its own. A failed
 * read leaves the page unlocked and not up to date, for the next one to
 * find under the anon's lock (see above): a read-ahead page is then read
 * again when it is used.
 *
 * => no uvmmod locks held; sleeps
 *
 * Return: false if the read of @pgs[0] failed.
 */
bool uvm_anon_pagein_finish(int what, struct page **pgs, unsigned int n,
			    unsigned int slot)
{
	bool ok = true;
	unsigned int i;

	if (what == UVM_PAGEIN_READ) {
		if (!uvm_swap_io(pgs, slot, n, false)) {
			for (i = 0; i < n; i++)
				SetPageUptodate(pgs[i]);
			uvm_stat_add(UVM_STAT_PAGEINS, n);
		} else if (n > 1) {
			for (i = 0; i < n; i++) {
				if (uvm_swap_io(&pgs[i], slot + i, 1, false))
					continue;
				SetPageUptodate(pgs[i]);
				uvm_stat_inc(UVM_STAT_PAGEINS);
			}
		}
		ok = PageUptodate(pgs[0]);
	} else {
		lock_page(pgs[0]);
	}
	for (i = 0; i < n; i++) {
		unlock_page(pgs[i]);
		put_page(pgs[i]);
	}
	return ok;
}
EXPORT_SYMBOL_NS_GPL(uvm_anon_pagein_finish, UVM_KUNIT);

/* whether @anon is to be paged in: not resident, its slot in [@lo, @hi) */
static bool uvm_pagein_wanted(struct uvm_anon *anon, unsigned int lo,
			      unsigned int hi)
{
	if (uvm_anon_resident(anon))
		return false;
	/* lost data is the wiring's error, not swapoff's (it has no slot) */
	if (anon->an_swslot == UVM_SWSLOT_BAD)
		return hi == UVM_SWSLOT_BAD;
	/* (a page-in under way, or failed, still has its slot) */
	return anon->an_swslot >= lo && anon->an_swslot < hi;
}

/*
 * uvm_pagein_range - page in the anons of slots [@start, @end) of @entry
 *	whose swap slots are in [@lo, @hi), and free those slots (wiring:
 *	every slot, as wired memory is resident and stays; swapoff: one
 *	area's)
 *
 * => called with mmap_lock held and no uvmmod locks; may sleep
 *
 * Return: 0, -EIO (a page's data is lost), -ENOMEM or -EINTR.
 */
int uvm_pagein_range(struct uvm_map_entry *entry, pgoff_t start, pgoff_t end,
		     unsigned int lo, unsigned int hi)
{
	struct page *pgs[UVM_PAGEIN_MAX];
	struct uvm_anon *anon, *spare = NULL;
	unsigned int swslot = 0, n;
	pgoff_t slot = start, failed = ULONG_MAX;
	int what = 0;

	while (slot < end) {
		if (fatal_signal_pending(current)) {
			what = -EINTR;
			break;
		}
		down_read(&entry->lock);
		what = 0;
		if (entry->amap) {
			amap_lock(entry->amap);
			while ((anon = amap_next_anon(entry->amap, &slot, end)) &&
			       !uvm_pagein_wanted(anon, lo, hi)) {
				/* in: its page holds the data, free the slot */
				if (anon->an_swslot >= lo && anon->an_swslot < hi)
					uvm_anon_dropswap(anon);
				slot++;
			}
			if (anon)
				what = uvm_anon_pagein_prepare(entry->amap, slot,
							       anon, &spare,
							       &pgs[0], &swslot,
							       slot == failed);
			n = 1;
			if (what == UVM_PAGEIN_READ)
				n = uvm_anon_pagein_ahead(entry->amap, slot,
							  swslot, pgs,
							  min_t(pgoff_t, end - slot,
								UVM_PAGEIN_MAX));
			amap_unlock(entry->amap);
		}
		up_read(&entry->lock);
		if (what == -ENOMEM) {
			spare = uvm_analloc(NULL, false, GFP_KERNEL);
			if (!spare)
				break;
			continue;
		}
		if (what <= 0)
			break;
		if (uvm_anon_pagein_finish(what, pgs, n, swslot))
			slot += n;
		else
			failed = slot;	/* (next time it is lost) */
	}
	if (spare) {
		spare->an_ref = 0;
		uvm_anfree(spare);
	}
	return what < 0 ? what : 0;
}
