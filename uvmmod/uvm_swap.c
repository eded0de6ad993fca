// SPDX-License-Identifier: BSD-3-Clause
/*	Derived from $NetBSD: uvm_swap.c,v 1.129.6.2 2008/01/09 01:58:45 matt Exp $	*/

/*
 * Copyright (c) 1995, 1996, 1997 Matthew R. Green
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
 * 3. The name of the author may not be used to endorse or promote products
 *    derived from this software without specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE AUTHOR ``AS IS'' AND ANY EXPRESS OR
 * IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES
 * OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED.
 * IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY DIRECT, INDIRECT,
 * INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING,
 * BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
 * LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED
 * AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY
 * OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF
 * SUCH DAMAGE.
 *
 * from: NetBSD: vm_swap.c,v 1.52 1997/12/02 13:47:37 pk Exp
 * from: Id: uvm_swap.c,v 1.1.2.42 1998/02/02 20:38:06 chuck Exp
 */

/*
 * uvm_swap.c: UVM's swap areas, ported to Linux for uvmmod.
 *
 * Owns: the swap areas (struct uvm_swapdev, one per block device given to
 * UVM_SWAP_ON), their priority lists and their slot maps; the swapctl
 * ioctl (UVM_IOC_SWAPCTL, BSD's swapctl(2)).
 *
 * Design (as BSD's): each area has a priority; areas are kept in a list of
 * priorities sorted by number, each with the areas of that priority.
 * Slots are allocated from the lowest number first, round-robin among the
 * areas of one priority (an area that gave slots goes to the back). Every
 * area takes one contiguous range of a single slot space (BSD's
 * /dev/drum), so a slot number alone names the area and the page in it;
 * slot 0 is never used (it means "no slot"), UVM_SWSLOT_BAD neither. An
 * area's page 0 holds the uvmmod signature (struct uvm_swap_header,
 * written by `uvmctl mkswap`) and is never handed out, so a device without
 * it is refused and nothing else on a disk is overwritten by mistake.
 * A run of slots (for a cluster written in one I/O) never spans areas.
 *
 * Invariants: an area's map has a bit set for its header page, for each
 * slot handed out and not freed, and for each bad slot; inuse counts the
 * handed out slots that are not bad, nbad the bad ones, which stay set
 * for as long as the area is on. The gauges swap_pages, swap_inuse and
 * swap_bad are the sums over the areas that are on.
 *
 * Locks: uvm_swap_mutex serializes the swapctl commands (on, off, ctl,
 * stats: BSD's swap_syscall_lock) and may sleep (block device open and
 * I/O). uvm_swap_lock, a spinlock (BSD's uvm_swap_data_lock), guards the
 * priority lists, every area's map and counts and the gauges; it nests
 * inside every other lock of the module (the pager allocates slots with
 * amap and aobj locks held), and nothing is taken under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/bitmap.h>
#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/delay.h>
#include <linux/kdev_t.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "uvm.h"
#include "uvm_uapi.h"

/* a priority and its areas, in uvm_swap_pris sorted by priority */
struct uvm_swappri {
	struct list_head link;
	struct list_head devs;		/* struct uvm_swapdev, by use */
	int priority;
};

static DEFINE_MUTEX(uvm_swap_mutex);
static DEFINE_SPINLOCK(uvm_swap_lock);
static LIST_HEAD(uvm_swap_pris);	/* under uvm_swap_lock */
static LIST_HEAD(uvm_swap_devs);	/* every area, by base */
static unsigned int uvm_swap_ndevs;

/* ------------------------------------------------------------------ */
/* slot maps (BSD's blist, as a bitmap with a next-fit cursor)          */

/*
 * uvm_swapmap_init - a map of @nslots free slots
 *
 * => no locks required; may sleep
 *
 * Return: 0 or -ENOMEM.
 */
int uvm_swapmap_init(struct uvm_swapmap *map, unsigned long nslots)
{
	memset(map, 0, sizeof(*map));
	map->used = bitmap_zalloc(nslots, GFP_KERNEL | __GFP_NOWARN);
	map->bad = bitmap_zalloc(nslots, GFP_KERNEL | __GFP_NOWARN);
	if (!map->used || !map->bad) {
		uvm_swapmap_destroy(map);
		return -ENOMEM;
	}
	map->nslots = nslots;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uvm_swapmap_init, UVM_KUNIT);

/*
 * uvm_swapmap_destroy - free the map's memory
 *
 * => no locks required
 */
void uvm_swapmap_destroy(struct uvm_swapmap *map)
{
	bitmap_free(map->used);
	bitmap_free(map->bad);
	map->used = NULL;
	map->bad = NULL;
}
EXPORT_SYMBOL_NS_GPL(uvm_swapmap_destroy, UVM_KUNIT);

/*
 * uvm_swapmap_alloc - a run of *@n free slots, searched from the cursor
 *	on (next fit, so that consecutive requests get consecutive slots)
 * @lessok: if no run of *@n is free, halve the request until one is (the
 *	caller learns the size from *@n)
 *
 * => called with uvm_swap_lock held (or on a map nobody else sees)
 *
 * Return: the first slot of the run, or -ENOSPC.
 */
long uvm_swapmap_alloc(struct uvm_swapmap *map, unsigned int *n, bool lessok)
{
	unsigned int want = *n;
	unsigned long start;

	if (!want)
		return -EINVAL;
	for (;;) {
		start = bitmap_find_next_zero_area(map->used, map->nslots,
						   map->hint, want, 0);
		if (start + want > map->nslots && map->hint)
			start = bitmap_find_next_zero_area(map->used,
							   map->nslots, 0,
							   want, 0);
		if (start + want <= map->nslots)
			break;
		if (!lessok || want == 1)
			return -ENOSPC;
		want /= 2;
	}
	bitmap_set(map->used, start, want);
	map->inuse += want;
	map->hint = start + want < map->nslots ? start + want : 0;
	*n = want;
	return start;
}
EXPORT_SYMBOL_NS_GPL(uvm_swapmap_alloc, UVM_KUNIT);

/*
 * uvm_swapmap_free - give back slots [@slot, @slot + @n); bad ones stay
 *	taken
 *
 * => called with uvm_swap_lock held (or on a map nobody else sees)
 */
void uvm_swapmap_free(struct uvm_swapmap *map, unsigned long slot,
		      unsigned int n)
{
	unsigned long s;

	for (s = slot; s < slot + n && s < map->nslots; s++) {
		if (test_bit(s, map->bad))
			continue;
		if (WARN_ON_ONCE(!test_bit(s, map->used)))
			continue;	/* freed twice: a bug, keep the map sane */
		__clear_bit(s, map->used);
		map->inuse--;
	}
}
EXPORT_SYMBOL_NS_GPL(uvm_swapmap_free, UVM_KUNIT);

/*
 * uvm_swapmap_markbad - slots [@slot, @slot + @n), handed out, failed I/O:
 *	never hand them out again
 *
 * => called with uvm_swap_lock held (or on a map nobody else sees)
 *
 * Return: how many slots became bad (the others were already).
 */
unsigned int uvm_swapmap_markbad(struct uvm_swapmap *map, unsigned long slot,
				 unsigned int n)
{
	unsigned int marked = 0;
	unsigned long s;

	for (s = slot; s < slot + n && s < map->nslots; s++) {
		if (test_bit(s, map->bad))
			continue;
		__set_bit(s, map->bad);
		if (test_bit(s, map->used))
			map->inuse--;
		else
			__set_bit(s, map->used);
		map->nbad++;
		marked++;
	}
	return marked;
}
EXPORT_SYMBOL_NS_GPL(uvm_swapmap_markbad, UVM_KUNIT);

/* ------------------------------------------------------------------ */
/* the priority lists and the slot space                                */

/* give @sdp its slot map: @npages pages, page 0 the header */
static int uvm_swapdev_setup(struct uvm_swapdev *sdp, unsigned int npages)
{
	int error = uvm_swapmap_init(&sdp->map, npages);

	if (error)
		return error;
	__set_bit(0, sdp->map.used);
	sdp->map.hint = 1;
	sdp->npages = npages;
	return 0;
}

/*
 * uvm_swapdev_create - an area of @npages pages (its header included)
 *	with no device: KUnit's
 *
 * => no locks required; may sleep
 *
 * Return: the area, or NULL if out of memory.
 */
struct uvm_swapdev *uvm_swapdev_create(unsigned int npages)
{
	struct uvm_swapdev *sdp = kzalloc(sizeof(*sdp), GFP_KERNEL);

	if (!sdp)
		return NULL;
	INIT_LIST_HEAD(&sdp->link);
	INIT_LIST_HEAD(&sdp->all);
	if (uvm_swapdev_setup(sdp, npages)) {
		kfree(sdp);
		return NULL;
	}
	return sdp;
}
EXPORT_SYMBOL_NS_GPL(uvm_swapdev_create, UVM_KUNIT);

/*
 * uvm_swapdev_destroy - free an area that is not (or no longer) on
 *
 * => no locks required
 */
void uvm_swapdev_destroy(struct uvm_swapdev *sdp)
{
	uvm_swapmap_destroy(&sdp->map);
	kfree(sdp->path);
	kfree(sdp);
}
EXPORT_SYMBOL_NS_GPL(uvm_swapdev_destroy, UVM_KUNIT);

static void uvm_swap_gauges(struct uvm_swapdev *sdp, int sign)
{
	lockdep_assert_held(&uvm_swap_lock);
	uvm_stat_add(UVM_STAT_SWAP_PAGES, sign * (long)(sdp->npages - 1));
	uvm_stat_add(UVM_STAT_SWAP_INUSE, sign * (long)sdp->map.inuse);
	uvm_stat_add(UVM_STAT_SWAP_BAD, sign * (long)sdp->map.nbad);
}

/* put @sdp at the back of @priority's areas; @newpri if that is new */
static void uvm_swap_pri_insert(struct uvm_swapdev *sdp, int priority,
				struct uvm_swappri **newpri)
{
	struct uvm_swappri *spp;
	struct list_head *pos = &uvm_swap_pris;

	lockdep_assert_held(&uvm_swap_lock);
	list_for_each_entry(spp, &uvm_swap_pris, link) {
		if (spp->priority == priority)
			goto found;
		if (spp->priority > priority) {
			pos = &spp->link;
			break;
		}
	}
	spp = *newpri;
	*newpri = NULL;
	spp->priority = priority;
	INIT_LIST_HEAD(&spp->devs);
	list_add_tail(&spp->link, pos);
found:
	sdp->pri = spp;
	sdp->priority = priority;
	list_add_tail(&sdp->link, &spp->devs);
}

/* take @sdp out of its priority; the emptied priority is returned */
static struct uvm_swappri *uvm_swap_pri_remove(struct uvm_swapdev *sdp)
{
	struct uvm_swappri *spp = sdp->pri;

	lockdep_assert_held(&uvm_swap_lock);
	list_del_init(&sdp->link);
	sdp->pri = NULL;
	if (!list_empty(&spp->devs))
		return NULL;
	list_del(&spp->link);
	return spp;
}

/*
 * uvm_swapdev_insert - turn @sdp on at @priority: it gets its range of the
 *	slot space (the lowest gap that fits, from slot 1) and takes slots
 *	from now on
 *
 * => called with uvm_swap_mutex held (KUnit: with nothing else on) and no
 *    other uvmmod locks; may sleep
 *
 * Return: 0, -ENOMEM or -ENOSPC (the slot space is full).
 */
int uvm_swapdev_insert(struct uvm_swapdev *sdp, int priority)
{
	struct uvm_swappri *newpri = kzalloc(sizeof(*newpri), GFP_KERNEL);
	struct list_head *pos = &uvm_swap_devs;
	struct uvm_swapdev *other;
	u64 base = 1;

	if (!newpri)
		return -ENOMEM;
	spin_lock(&uvm_swap_lock);
	list_for_each_entry(other, &uvm_swap_devs, all) {
		if (base + sdp->npages <= other->base) {
			pos = &other->all;
			break;
		}
		base = (u64)other->base + other->npages;
	}
	if (base + sdp->npages >= UVM_SWSLOT_BAD) {
		spin_unlock(&uvm_swap_lock);
		kfree(newpri);
		return -ENOSPC;
	}
	sdp->base = base;
	list_add_tail(&sdp->all, pos);
	uvm_swap_pri_insert(sdp, priority, &newpri);
	sdp->enabled = true;
	uvm_swap_ndevs++;
	uvm_swap_gauges(sdp, 1);
	spin_unlock(&uvm_swap_lock);
	kfree(newpri);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uvm_swapdev_insert, UVM_KUNIT);

/*
 * uvm_swapdev_remove - turn @sdp off: no slot of it may be in use
 *
 * => called with uvm_swap_mutex held (KUnit: alone) and no other uvmmod
 *    locks
 */
void uvm_swapdev_remove(struct uvm_swapdev *sdp)
{
	struct uvm_swappri *spp;

	spin_lock(&uvm_swap_lock);
	WARN_ON_ONCE(sdp->map.inuse);
	uvm_swap_gauges(sdp, -1);
	spp = uvm_swap_pri_remove(sdp);
	list_del_init(&sdp->all);
	uvm_swap_ndevs--;
	spin_unlock(&uvm_swap_lock);
	kfree(spp);
}
EXPORT_SYMBOL_NS_GPL(uvm_swapdev_remove, UVM_KUNIT);

/* the area that slot @slot belongs to, or NULL */
static struct uvm_swapdev *uvm_swap_find(unsigned int slot)
{
	struct uvm_swapdev *sdp;

	lockdep_assert_held(&uvm_swap_lock);
	list_for_each_entry(sdp, &uvm_swap_devs, all)
		if (slot >= sdp->base && slot - sdp->base < sdp->npages)
			return sdp;
	return NULL;
}

/*
 * uvm_swap_dev - the area of slot @slot, and the page in it
 *
 * => any locks may be held (takes only uvm_swap_lock); the answer holds
 *    while the slot stays allocated (an area with slots in use is not
 *    turned off)
 *
 * Return: the area, or NULL if no area on has that slot.
 */
struct uvm_swapdev *uvm_swap_dev(unsigned int slot, pgoff_t *page)
{
	struct uvm_swapdev *sdp;

	spin_lock(&uvm_swap_lock);
	sdp = uvm_swap_find(slot);
	if (sdp)
		*page = slot - sdp->base;
	spin_unlock(&uvm_swap_lock);
	return sdp;
}
EXPORT_SYMBOL_NS_GPL(uvm_swap_dev, UVM_KUNIT);

/*
 * uvm_swap_alloc - allocate *@n consecutive slots (BSD's uvm_swap_alloc)
 * @lessok: fewer will do (*@n says how many were given)
 *
 * Lowest priority number first; within a priority the area that gives
 * the slots goes to the back of the line.
 *
 * => any locks may be held (takes only uvm_swap_lock)
 *
 * Return: the first slot, or 0 if there is no room.
 */
unsigned int uvm_swap_alloc(unsigned int *n, bool lessok)
{
	struct uvm_swapdev *sdp;
	struct uvm_swappri *spp;
	unsigned int want;
	long slot;

	spin_lock(&uvm_swap_lock);
	list_for_each_entry(spp, &uvm_swap_pris, link) {
		list_for_each_entry(sdp, &spp->devs, link) {
			if (!sdp->enabled)
				continue;
			want = *n;
			slot = uvm_swapmap_alloc(&sdp->map, &want, lessok);
			if (slot < 0)
				continue;
			list_move_tail(&sdp->link, &spp->devs);
			uvm_stat_add(UVM_STAT_SWAP_INUSE, want);
			spin_unlock(&uvm_swap_lock);
			*n = want;
			return sdp->base + slot;
		}
	}
	spin_unlock(&uvm_swap_lock);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uvm_swap_alloc, UVM_KUNIT);

/*
 * uvm_swap_free - free @n slots from @slot (BSD's uvm_swap_free); a bad
 *	slot stays out of use, and UVM_SWSLOT_BAD or 0 is ignored
 *
 * => any locks may be held (takes only uvm_swap_lock)
 */
void uvm_swap_free(unsigned int slot, unsigned int n)
{
	struct uvm_swapdev *sdp;
	unsigned long before;

	if (!slot || slot == UVM_SWSLOT_BAD)
		return;
	spin_lock(&uvm_swap_lock);
	sdp = uvm_swap_find(slot);
	if (!WARN_ON_ONCE(!sdp || slot - sdp->base + n > sdp->npages)) {
		before = sdp->map.inuse;
		uvm_swapmap_free(&sdp->map, slot - sdp->base, n);
		uvm_stat_add(UVM_STAT_SWAP_INUSE,
			     (long)sdp->map.inuse - (long)before);
	}
	spin_unlock(&uvm_swap_lock);
}
EXPORT_SYMBOL_NS_GPL(uvm_swap_free, UVM_KUNIT);

/*
 * uvm_swap_markbad - @n slots from @slot failed I/O (BSD's
 *	uvm_swap_markbad): they are never handed out again
 *
 * => any locks may be held (takes only uvm_swap_lock)
 */
void uvm_swap_markbad(unsigned int slot, unsigned int n)
{
	struct uvm_swapdev *sdp;
	unsigned long before;
	unsigned int marked;

	spin_lock(&uvm_swap_lock);
	sdp = uvm_swap_find(slot);
	if (!WARN_ON_ONCE(!sdp || slot - sdp->base + n > sdp->npages)) {
		before = sdp->map.inuse;
		marked = uvm_swapmap_markbad(&sdp->map, slot - sdp->base, n);
		uvm_stat_add(UVM_STAT_SWAP_INUSE,
			     (long)sdp->map.inuse - (long)before);
		uvm_stat_add(UVM_STAT_SWAP_BAD, marked);
	}
	spin_unlock(&uvm_swap_lock);
}
EXPORT_SYMBOL_NS_GPL(uvm_swap_markbad, UVM_KUNIT);

/*
 * uvm_swap_run_max - how many of the slots from @slot one I/O may take: up
 *	to @max, within @slot's area (one I/O reads one area); 1 if @slot is
 *	in none (its I/O fails on its own)
 *
 * => no locks required
 */
unsigned int uvm_swap_run_max(unsigned int slot, unsigned int max)
{
	struct uvm_swapdev *sdp;
	pgoff_t page;

	sdp = uvm_swap_dev(slot, &page);
	if (!sdp)
		return 1;
	return min_t(unsigned long, max(max, 1U), sdp->npages - page);
}

/*
 * uvm_swap_io - read or write @n pages from or to the @n slots from @slot
 *	(one run, in one area), as one I/O (BSD's uvm_swap_io)
 *
 * The pages are locked by the caller (busy). A failed I/O is counted and
 * logged; what it means for the slots is the caller's (uvm_pager.c).
 *
 * => no uvmmod locks held (the I/O sleeps); the slots are allocated, so
 *    their area stays on
 *
 * Return: 0 or -EIO.
 */
int uvm_swap_io(struct page **pages, unsigned int slot, unsigned int n,
		bool write)
{
	struct uvm_swapdev *sdp;
	struct bio *bio;
	pgoff_t page;
	unsigned int i;
	int error;

	sdp = uvm_swap_dev(slot, &page);
	if (WARN_ON_ONCE(!sdp || (!sdp->bdev.bdev && !sdp->mem) ||
			 page + n > sdp->npages || n > BIO_MAX_VECS))
		return -EIO;
	if (sdp->mem) {
		/* a KUnit area: the pages are copied, the error injected */
		error = sdp->fail_io;
		sdp->fail_io = 0;
		for (i = 0; i < n && !error; i++) {
			void *at = sdp->mem + ((page + i) << PAGE_SHIFT);

			if (write)
				memcpy_from_page(at, pages[i], 0, PAGE_SIZE);
			else
				memcpy_to_page(pages[i], 0, at, PAGE_SIZE);
		}
		goto done;
	}
	bio = bio_alloc(sdp->bdev.bdev, n, (write ? REQ_OP_WRITE : REQ_OP_READ) |
			REQ_SWAP | REQ_SYNC, GFP_NOIO);
	bio->bi_iter.bi_sector = (sector_t)page << (PAGE_SHIFT - SECTOR_SHIFT);
	for (i = 0; i < n; i++)
		__bio_add_page(bio, pages[i], PAGE_SIZE, 0);
	error = submit_bio_wait(bio);
	bio_put(bio);
done:
	uvm_stat_inc(write ? UVM_STAT_SWAP_WRITES : UVM_STAT_SWAP_READS);
	if (write && !error)
		uvm_stat_add(UVM_STAT_SWAP_WRITTEN, n);
	if (error) {
		uvm_stat_inc(UVM_STAT_SWAP_ERRORS);
		pr_warn_ratelimited("swap %s error %d on %s, pages %lu-%lu\n",
				    write ? "write" : "read", error, sdp->path,
				    page, page + n - 1);
		return -EIO;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uvm_swap_io, UVM_KUNIT);

/* ------------------------------------------------------------------ */
/* swapctl                                                              */

static struct uvm_swapdev *uvm_swap_by_dev(dev_t dev)
{
	struct uvm_swapdev *sdp;

	lockdep_assert_held(&uvm_swap_mutex);
	list_for_each_entry(sdp, &uvm_swap_devs, all)
		if (sdp->bdev.bdev && sdp->dev == dev)
			return sdp;
	return NULL;
}

/* read page 0 of the area into @pg */
static int uvm_swap_read_header(struct block_device *bdev, struct page *pg)
{
	struct bio *bio = bio_alloc(bdev, 1, REQ_OP_READ | REQ_SYNC,
				    GFP_KERNEL);
	int error;

	bio->bi_iter.bi_sector = 0;
	__bio_add_page(bio, pg, PAGE_SIZE, 0);
	error = submit_bio_wait(bio);
	bio_put(bio);
	return error;
}

/*
 * Check the signature of the area @sdp opened; on success sdp's size is
 * known. What is wrong is logged, naming the device.
 */
static int uvm_swap_check_header(struct uvm_swapdev *sdp, u64 *npages)
{
	struct page *pg = alloc_page(GFP_KERNEL);
	const struct uvm_swap_header *h;
	u64 devpages, size;
	int error;

	if (!pg)
		return -ENOMEM;
	devpages = bdev_nr_sectors(sdp->bdev.bdev) >>
		   (PAGE_SHIFT - SECTOR_SHIFT);
	error = devpages ? uvm_swap_read_header(sdp->bdev.bdev, pg) : -EINVAL;
	if (error) {
		pr_warn("swapon %s: cannot read its header (error %d)\n",
			sdp->path, error);
		error = error == -EINVAL ? -EINVAL : -EIO;
		goto out;
	}
	h = page_address(pg);
	error = -EINVAL;
	if (memcmp(h->magic, UVM_SWAP_MAGIC, sizeof(h->magic))) {
		if (!memcmp((char *)h + PAGE_SIZE - 10, "SWAPSPACE2", 10))
			pr_warn("swapon %s: a Linux swap area (swapon(8)), not a uvmmod one: `uvmctl mkswap` makes one\n",
				sdp->path);
		else
			pr_warn("swapon %s: no uvmmod swap signature: `uvmctl mkswap` writes one\n",
				sdp->path);
		goto out;
	}
	if (le32_to_cpu(h->version) != UVM_SWAP_VERSION ||
	    le32_to_cpu(h->page_size) != PAGE_SIZE) {
		pr_warn("swapon %s: signature version %u for %u-byte pages; this module reads version %u, %lu-byte pages\n",
			sdp->path, le32_to_cpu(h->version),
			le32_to_cpu(h->page_size), UVM_SWAP_VERSION,
			PAGE_SIZE);
		goto out;
	}
	size = le64_to_cpu(h->npages);
	if (size < 2 || size > devpages || size >= UVM_SWSLOT_BAD / 2) {
		pr_warn("swapon %s: signature says %llu pages, the device has %llu\n",
			sdp->path, size, devpages);
		goto out;
	}
	*npages = size;
	error = 0;
out:
	__free_page(pg);
	return error;
}

static int uvm_swap_on(const char *path, int priority)
{
	struct uvm_swapdev *sdp;
	u64 npages;
	dev_t dev;
	int error;

	error = lookup_bdev(path, &dev);
	if (error)
		return error;
	if (uvm_swap_by_dev(dev)) {
		pr_warn("swapon %s: already a uvmmod swap area\n", path);
		return -EBUSY;
	}
	sdp = kzalloc(sizeof(*sdp), GFP_KERNEL);
	if (!sdp)
		return -ENOMEM;
	INIT_LIST_HEAD(&sdp->link);
	INIT_LIST_HEAD(&sdp->all);
	sdp->dev = dev;
	sdp->path = kstrdup(path, GFP_KERNEL);
	if (!sdp->path) {
		error = -ENOMEM;
		goto fail;
	}
	/* the open claims the device: mounted, or anyone's swap, is EBUSY */
	error = uvm_bdev_open(&sdp->bdev, path, sdp);
	if (error) {
		sdp->bdev.bdev = NULL;
		if (error == -EBUSY)
			pr_warn("swapon %s: the device is in use (mounted, Linux swap, or held by another driver)\n",
				path);
		goto fail;
	}
	error = uvm_swap_check_header(sdp, &npages) ?:
		uvm_swapdev_setup(sdp, npages) ?:
		uvm_swapdev_insert(sdp, priority);
	if (error)
		goto fail_close;
	/* rmmod is refused while an area is on */
	__module_get(THIS_MODULE);
	pr_info("swapon %s: %u pages, priority %d\n", path, sdp->npages - 1,
		priority);
	return 0;

fail_close:
	uvm_bdev_close(&sdp->bdev);
fail:
	uvm_swapdev_destroy(sdp);
	return error;
}

/* the area on at @path (UVM_SWAP_OFF, UVM_SWAP_CTL), or an ERR_PTR */
static struct uvm_swapdev *uvm_swap_lookup(const char *path)
{
	struct uvm_swapdev *sdp;
	dev_t dev;
	int error;

	error = lookup_bdev(path, &dev);
	if (error)
		return ERR_PTR(error);
	sdp = uvm_swap_by_dev(dev);
	return sdp ?: ERR_PTR(-ENXIO);
}

/* walks over every process before swapoff gives up on pages in use */
#define UVM_SWAPOFF_PASSES	5

static int uvm_swap_off(const char *path)
{
	struct uvm_swapdev *sdp;
	unsigned long inuse;
	unsigned int pass;
	int error;

	sdp = uvm_swap_lookup(path);
	if (IS_ERR(sdp))
		return PTR_ERR(sdp);
	/* no new slots there; then what is there comes back to memory */
	spin_lock(&uvm_swap_lock);
	sdp->enabled = false;
	spin_unlock(&uvm_swap_lock);
	for (pass = 0; pass < UVM_SWAPOFF_PASSES; pass++) {
		error = uvm_swapoff_pagein(sdp->base, sdp->base + sdp->npages);
		if (error || !READ_ONCE(sdp->map.inuse))
			break;
		/* pageouts that took slots before it was disabled, exits */
		msleep(20);
	}
	spin_lock(&uvm_swap_lock);
	inuse = sdp->map.inuse;
	if (error || inuse)
		sdp->enabled = true;
	spin_unlock(&uvm_swap_lock);
	if (error || inuse) {
		pr_warn("swapoff %s: %lu pages still in use (error %d): the area stays on\n",
			path, inuse, error);
		return error ?: -EBUSY;
	}
	uvm_swapdev_remove(sdp);
	uvm_bdev_close(&sdp->bdev);
	pr_info("swapoff %s\n", path);
	uvm_swapdev_destroy(sdp);
	module_put(THIS_MODULE);
	return 0;
}

static int uvm_swap_ctl(const char *path, int priority)
{
	struct uvm_swappri *newpri, *oldpri;
	struct uvm_swapdev *sdp;

	sdp = uvm_swap_lookup(path);
	if (IS_ERR(sdp))
		return PTR_ERR(sdp);
	newpri = kzalloc(sizeof(*newpri), GFP_KERNEL);
	if (!newpri)
		return -ENOMEM;
	spin_lock(&uvm_swap_lock);
	oldpri = uvm_swap_pri_remove(sdp);
	uvm_swap_pri_insert(sdp, priority, &newpri);
	spin_unlock(&uvm_swap_lock);
	kfree(oldpri);
	kfree(newpri);
	return 0;
}

static long uvm_swap_stats(struct uvm_swapent __user *ubuf, u32 count)
{
	struct uvm_swapent *sep;
	struct uvm_swapdev *sdp;
	unsigned int n = 0;
	long error;

	count = min(count, uvm_swap_ndevs);
	if (!count)
		return 0;
	sep = kcalloc(count, sizeof(*sep), GFP_KERNEL);
	if (!sep)
		return -ENOMEM;
	/* (the mutex keeps the list as it is; the counts move) */
	list_for_each_entry(sdp, &uvm_swap_devs, all) {
		if (n == count)
			break;
		strscpy(sep[n].path, sdp->path, sizeof(sep[n].path));
		sep[n].dev = huge_encode_dev(sdp->dev);
		spin_lock(&uvm_swap_lock);
		sep[n].npages = sdp->npages - 1;
		sep[n].inuse = sdp->map.inuse;
		sep[n].nbad = sdp->map.nbad;
		sep[n].priority = sdp->priority;
		sep[n].flags = sdp->enabled ? UVM_SWF_ENABLE : 0;
		spin_unlock(&uvm_swap_lock);
		n++;
	}
	error = copy_to_user(ubuf, sep, n * sizeof(*sep)) ? -EFAULT : n;
	kfree(sep);
	return error;
}

/*
 * uvm_swapctl_ioctl - UVM_IOC_SWAPCTL (see uvm_uapi.h)
 *
 * => no locks held; may sleep
 */
long uvm_swapctl_ioctl(void __user *uarg)
{
	struct uvm_swapctl arg;
	char *path = NULL;
	long error;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || arg.cmd < UVM_SWAP_ON || arg.cmd > UVM_SWAP_STATS)
		return -EINVAL;
	if (arg.cmd <= UVM_SWAP_CTL) {
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (arg.cmd != UVM_SWAP_OFF &&
		    (arg.priority < UVM_SWAP_PRIO_MIN ||
		     arg.priority > UVM_SWAP_PRIO_MAX))
			return -EINVAL;
		path = strndup_user(u64_to_user_ptr(arg.path), PATH_MAX);
		if (IS_ERR(path))
			return PTR_ERR(path);
	}
	mutex_lock(&uvm_swap_mutex);
	switch (arg.cmd) {
	case UVM_SWAP_ON:
		error = uvm_swap_on(path, arg.priority);
		break;
	case UVM_SWAP_OFF:
		error = uvm_swap_off(path);
		break;
	case UVM_SWAP_CTL:
		error = uvm_swap_ctl(path, arg.priority);
		break;
	case UVM_SWAP_NSWAP:
		error = uvm_swap_ndevs;
		break;
	default:
		error = uvm_swap_stats(u64_to_user_ptr(arg.buf), arg.count);
		break;
	}
	mutex_unlock(&uvm_swap_mutex);
	kfree(path);
	return error;
}
