// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_mm.c: what uvmmod knows of a process's address space (struct
 * uvm_mm, one per mm with /dev/uvm memory), and the MMU notifier through
 * which it hears of the PTE zaps Linux makes on its own.
 *
 * Linux zaps PTEs of a driver's VMA for MADV_DONTNEED without telling the
 * driver; only MMU notifiers hear of it (an MMU_NOTIFY_CLEAR range). For
 * private /dev/uvm memory that must free the range's anons, so that it
 * reads back as zeroes as anonymous memory does. The pmap shim's own zaps
 * (write-protect at fork, copy-on-write in page_mkwrite) are CLEAR ranges
 * too: they are registered as "self zaps" while they run and ignored. So
 * are the CLEAR notices of a VMA split (see uvm_mm_splitting()); the other
 * CLEAR senders (native copy-on-write, khugepaged, reclaim, KSM) never
 * touch /dev/uvm VMAs.
 *
 * Owns: struct uvm_mm: the notifier, the list of the mm's map entries (to
 * find those a range touches) and the list of self zaps in progress.
 *
 * Invariants: every map entry of an mm is on its uvm_mm's list and holds
 * one reference to it (mmu_notifier_get/put); the uvm_mm is freed after
 * the last entry goes.
 *
 * Locks: um->lock (mutex) guards the entry list and the entries' ranges
 * (but for their growth after mremap, made under the entry lock: see
 * uvm_mapent_grow()); it nests inside mmap_lock and outside the entry
 * locks. um->zlock
 * (spinlock) guards the self-zap list and nests inside everything.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "uvm.h"

struct uvm_mm {
	struct mmu_notifier mn;
	struct mutex lock;		/* entries and their ranges */
	struct list_head entries;
	spinlock_t zlock;		/* selfzaps */
	struct list_head selfzaps;
};

struct uvm_selfzap {
	struct list_head link;
	struct task_struct *task;
	unsigned long start, end;
};

static bool uvm_mm_is_selfzap(struct uvm_mm *um,
			      const struct mmu_notifier_range *range)
{
	struct uvm_selfzap *z;
	bool self = false;

	spin_lock(&um->zlock);
	list_for_each_entry(z, &um->selfzaps, link)
		if (z->task == current && range->start >= z->start &&
		    range->end <= z->end)
			self = true;
	spin_unlock(&um->zlock);
	return self;
}

/*
 * A VMA split is in progress in the mm: Linux has called ->open for the
 * new VMA (so the old entry's range shrank) but not yet adjusted the old
 * VMA, which still covers the new entry's range. Splitting sends CLEAR
 * notices for the 2 MiB windows around the VMA's edges
 * (vma_adjust_trans_huge()) that zap nothing of ours; it runs with
 * mmap_lock held for writing, so no MADV_DONTNEED runs meanwhile. (An
 * entry shorter than its VMA with no other entry inside the VMA is not a
 * split: mremap grew the VMA in place, see uvm_mapent_follow().)
 */
static bool uvm_mm_splitting(struct uvm_mm *um)
{
	struct uvm_map_entry *entry, *other;

	list_for_each_entry(entry, &um->entries, mm_link) {
		struct vm_area_struct *vma = entry->vma;

		/* the old entry of a split no longer matches its VMA */
		if (!vma || (entry->va_start == vma->vm_start &&
			     uvm_entry_va_end(entry) == vma->vm_end))
			continue;
		list_for_each_entry(other, &um->entries, mm_link)
			if (other != entry &&
			    other->va_start < vma->vm_end &&
			    uvm_entry_va_end(other) > vma->vm_start)
				return true;
	}
	return false;
}

static int uvm_mm_invalidate_range_start(struct mmu_notifier *mn,
					 const struct mmu_notifier_range *range)
{
	struct uvm_mm *um = container_of(mn, struct uvm_mm, mn);
	struct uvm_map_entry *entry;
	bool ours = false;

	/* only a zap that keeps the VMA (MADV_DONTNEED) concerns us */
	if (range->event != MMU_NOTIFY_CLEAR || uvm_mm_is_selfzap(um, range))
		return 0;
	if (!mmu_notifier_range_blockable(range))
		return -EAGAIN;

	mutex_lock(&um->lock);
	list_for_each_entry(entry, &um->entries, mm_link)
		if (range->start < uvm_entry_va_end(entry) &&
		    range->end > entry->va_start)
			ours = true;
	if (!ours || uvm_mm_splitting(um))
		goto out;
	list_for_each_entry(entry, &um->entries, mm_link) {
		unsigned long va_end = uvm_entry_va_end(entry);

		if (range->end <= entry->va_start || range->start >= va_end)
			continue;
		uvm_mapent_dontneed(entry, max(range->start, entry->va_start),
				    min(range->end, va_end));
	}
out:
	mutex_unlock(&um->lock);
	return 0;
}

static struct mmu_notifier *uvm_mm_alloc_notifier(struct mm_struct *mm)
{
	struct uvm_mm *um = kzalloc(sizeof(*um), GFP_KERNEL);

	if (!um)
		return ERR_PTR(-ENOMEM);
	mutex_init(&um->lock);
	INIT_LIST_HEAD(&um->entries);
	spin_lock_init(&um->zlock);
	INIT_LIST_HEAD(&um->selfzaps);
	return &um->mn;
}

static void uvm_mm_free_notifier(struct mmu_notifier *mn)
{
	struct uvm_mm *um = container_of(mn, struct uvm_mm, mn);

	WARN_ON_ONCE(!list_empty(&um->entries));
	mutex_destroy(&um->lock);
	kfree(um);
}

static const struct mmu_notifier_ops uvm_mm_ops = {
	.invalidate_range_start	= uvm_mm_invalidate_range_start,
	.alloc_notifier		= uvm_mm_alloc_notifier,
	.free_notifier		= uvm_mm_free_notifier,
};

/*
 * uvm_mm_get: the uvm_mm of @mm, registering its notifier on first use.
 *
 * At fork this runs for the child's mm inside dup_mmap. Registration takes
 * mm_take_all_locks(), which gives up with -EINTR on any pending signal
 * (signal_pending(): TIF_SIGPENDING, or TIF_NOTIFY_SIGNAL, which task work
 * such as io_uring's completions sets); fork itself goes on despite
 * either, so both are hidden from it for the registration and restored
 * after (the task work then runs on the way back to user space). Only a
 * fatal signal stops it.
 */
static struct uvm_mm *uvm_mm_get(struct mm_struct *mm)
{
	struct mmu_notifier *mn;
	bool sigpending = false, notify = false;

	mmap_assert_write_locked(mm);
	for (;;) {
		mn = mmu_notifier_get_locked(&uvm_mm_ops, mm);
		if (!IS_ERR(mn) || PTR_ERR(mn) != -EINTR ||
		    fatal_signal_pending(current))
			break;
		sigpending |= test_and_clear_thread_flag(TIF_SIGPENDING);
		notify |= test_and_clear_thread_flag(TIF_NOTIFY_SIGNAL);
	}
	if (sigpending)
		set_thread_flag(TIF_SIGPENDING);
	if (notify)
		set_thread_flag(TIF_NOTIFY_SIGNAL);
	if (IS_ERR(mn))
		return ERR_CAST(mn);
	return container_of(mn, struct uvm_mm, mn);
}

/*
 * uvm_mm_attach - put @entry on the list of @mm's uvm_mm
 *
 * => called with mmap_lock of @mm held for writing; may sleep
 *
 * Return: 0, or a negative errno if the notifier cannot be registered.
 */
int uvm_mm_attach(struct uvm_map_entry *entry, struct mm_struct *mm)
{
	struct uvm_mm *um = uvm_mm_get(mm);

	if (IS_ERR(um))
		return PTR_ERR(um);
	entry->um = um;
	mutex_lock(&um->lock);
	list_add(&entry->mm_link, &um->entries);
	mutex_unlock(&um->lock);
	return 0;
}

/*
 * uvm_mm_detach - take @entry off its uvm_mm's list
 *
 * => called with mmap_lock held (munmap closes VMAs with it downgraded to
 *    reading)
 */
void uvm_mm_detach(struct uvm_map_entry *entry)
{
	struct uvm_mm *um = entry->um;

	if (!um)
		return;
	mutex_lock(&um->lock);
	list_del(&entry->mm_link);
	mutex_unlock(&um->lock);
	entry->um = NULL;
	mmu_notifier_put(&um->mn);
}

/*
 * uvm_mm_lock/unlock - hold the ranges of the entries of @entry's mm still,
 *	to change them (a VMA split), and the mm's locked_vm
 *
 * => called with mmap_lock held (for writing but for locked_vm), or for a
 *    fault on 6.12 the VMA lock; nothing allocated under it (reclaim's
 *    MMU notifier calls take it)
 */
void uvm_mm_lock(struct uvm_map_entry *entry)
{
	if (entry->um)
		mutex_lock(&entry->um->lock);
}

void uvm_mm_unlock(struct uvm_map_entry *entry)
{
	if (entry->um)
		mutex_unlock(&entry->um->lock);
}

/*
 * uvm_zap - unmap [@addr, @addr + @size) of @vma for the pmap shim, as a
 *	self zap the notifier ignores
 *
 * => called with mmap_lock held; no uvmmod lock above the amap lock
 */
void uvm_zap(struct vm_area_struct *vma, unsigned long addr,
	     unsigned long size)
{
	struct uvm_map_entry *entry = vma->vm_private_data;
	struct uvm_selfzap z = {
		.task = current, .start = addr, .end = addr + size,
	};
	struct uvm_mm *um = entry->um;

	if (um) {
		spin_lock(&um->zlock);
		list_add(&z.link, &um->selfzaps);
		spin_unlock(&um->zlock);
	}
	uvm_zap_vma_range(vma, addr, size);
	if (um) {
		spin_lock(&um->zlock);
		list_del(&z.link);
		spin_unlock(&um->zlock);
	}
}

/*
 * uvm_mm_exit - wait for uvm_mm structures still being freed
 *
 * => called from module exit
 */
void uvm_mm_exit(void)
{
	mmu_notifier_synchronize();
}
