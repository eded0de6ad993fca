// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_mm.c: what uvmmod knows of a process's address space (struct uvm_mm,
 * one per mm with /dev/uvm memory), and the MMU interval notifiers through
 * which a map entry hears of the PTE zaps Linux makes in its range.
 *
 * Linux zaps PTEs of a driver's VMA for MADV_DONTNEED without telling the
 * driver; only MMU notifiers hear of it. For private /dev/uvm memory that
 * must free the range's anons, so that it reads back as zeroes as
 * anonymous memory does. Each map entry registers an interval notifier
 * over its own range (mmu_interval_notifier), so a zap anywhere else in
 * the process (reclaim of its other pages, native copy-on-write,
 * khugepaged) costs the module nothing and never takes its locks.
 *
 * What a CLEAR in an entry's range means is known, not guessed. The CLEAR
 * notices in a /dev/uvm VMA come from:
 *
 *  - the module's own zaps (copy-on-write in page_mkwrite, ->access,
 *    wiring, MADV_FREE; from the pager, zaps by a kernel thread on behalf
 *    of any process): they run between uvm_selfzap_begin() and _end(),
 *    which record the zapping task, and a CLEAR arriving while current is
 *    recorded is its own;
 *  - a VMA split (vma_adjust_trans_huge() sends CLEAR notices for the
 *    2 MiB windows around the VMA's edges, zapping nothing of ours), and
 *    anything else done with mmap_lock held for writing: the CLEAR comes
 *    from a task that holds the mm's mmap_lock for writing;
 *  - MADV_DONTNEED (and MADV_DONTNEED_LOCKED), from madvise() or
 *    io_uring's IORING_OP_MADVISE: it holds mmap_lock for reading, so it
 *    is neither of the above. That is every other CLEAR: Linux's other
 *    CLEAR senders never reach these VMAs (munmap, mremap and exit send
 *    UNMAP, mprotect PROTECTION_VMA, the fork write-protect
 *    PROTECTION_PAGE; reclaim, KSM, NUMA hinting, khugepaged and the OOM
 *    reaper skip VM_SHARED driver VMAs whose pages are off the LRU).
 *
 * Owns: struct uvm_mm (the mm's locked_vm lock, found through a hash of
 * mms), the entries' interval notifiers, and the table of self-zapping
 * tasks.
 *
 * Invariants: every map entry attached to an mm holds one reference to its
 * uvm_mm, and one live interval notifier covering exactly its range
 * [va_start, va_end) (two, briefly, while the range changes: see
 * uvm_mm_retrack()); the uvm_mm is freed with its last entry.
 *
 * Locks: uvm_mms_lock (spinlock) guards the hash; um->lock (mutex) guards
 * the mm's locked_vm against concurrent updates by uvmmod (it nests inside
 * mmap_lock, outside nothing); a bucket lock of the self-zap table
 * (spinlock) nests inside everything. Interval notifiers are inserted and
 * removed with no uvmmod lock held (removal waits for invalidations in
 * progress, whose callbacks take the entry and amap locks).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include <linux/sched/mm.h>

#include "uvm.h"

struct uvm_mm {
	struct hlist_node link;		/* in uvm_mms */
	struct mm_struct *mm;
	unsigned int refs;		/* entries attached, under uvm_mms_lock */
	struct mutex lock;		/* the mm's locked_vm */
};

static DEFINE_HASHTABLE(uvm_mms, 8);
static DEFINE_SPINLOCK(uvm_mms_lock);

/* ------------------------------------------------------------------ */
/* self zaps                                                            */

#define UVM_SELFZAP_BITS	6

static struct uvm_selfzap_bucket {
	spinlock_t lock;		/* guards tasks */
	struct hlist_head tasks;
} uvm_selfzaps[1 << UVM_SELFZAP_BITS];

static struct uvm_selfzap_bucket *uvm_selfzap_bucket(struct task_struct *t)
{
	return &uvm_selfzaps[hash_ptr(t, UVM_SELFZAP_BITS)];
}

/*
 * uvm_selfzap_begin/end - mark the zaps current makes until _end as the
 *	module's own: the interval notifiers ignore the CLEAR notices they
 *	cause (in any mm: the pager zaps every relative's mapping)
 *
 * => no locks required; may nest
 */
void uvm_selfzap_begin(struct uvm_selfzap *z)
{
	struct uvm_selfzap_bucket *b = uvm_selfzap_bucket(current);

	z->task = current;
	spin_lock(&b->lock);
	hlist_add_head(&z->link, &b->tasks);
	spin_unlock(&b->lock);
}

void uvm_selfzap_end(struct uvm_selfzap *z)
{
	struct uvm_selfzap_bucket *b = uvm_selfzap_bucket(z->task);

	spin_lock(&b->lock);
	hlist_del(&z->link);
	spin_unlock(&b->lock);
}

static bool uvm_selfzap_current(void)
{
	struct uvm_selfzap_bucket *b = uvm_selfzap_bucket(current);
	struct uvm_selfzap *z;
	bool self = false;

	/* current's own marks are visible to it without the lock */
	if (hlist_empty(&b->tasks))
		return false;
	spin_lock(&b->lock);
	hlist_for_each_entry(z, &b->tasks, link)
		if (z->task == current)
			self = true;
	spin_unlock(&b->lock);
	return self;
}

/* ------------------------------------------------------------------ */
/* interval notifiers                                                   */

/*
 * A CLEAR in [range->start, range->end) of @mni's entry: MADV_DONTNEED,
 * unless the module made it or its task holds mmap_lock for writing (see
 * the top of this file).
 */
static bool uvm_mni_invalidate(struct mmu_interval_notifier *mni,
			       const struct mmu_notifier_range *range,
			       unsigned long cur_seq)
{
	struct uvm_map_entry *entry = container_of(mni, struct uvm_mni,
						   mni)->entry;
	unsigned long sva, eva;

	if (range->event != MMU_NOTIFY_CLEAR || uvm_selfzap_current() ||
	    uvm_mmap_write_locked_by_current(range->mm))
		return true;
	if (!mmu_notifier_range_blockable(range))
		return false;	/* (the OOM reaper skips VM_SHARED VMAs) */
	mmu_interval_set_seq(mni, cur_seq);
	/* (the range is stable: changing it takes mmap_lock for writing) */
	sva = max(range->start, entry->va_start);
	eva = min(range->end, uvm_entry_va_end(entry));
	if (sva < eva) {
		uvm_stat_inc(UVM_STAT_DONTNEEDS);
		uvm_mapent_dontneed(entry, sva, eva);
	}
	return true;
}

static const struct mmu_interval_notifier_ops uvm_mni_ops = {
	.invalidate	= uvm_mni_invalidate,
};

/*
 * Insert @m over [start, end) of @mm. The first interval notifier of an mm
 * registers the mm's notifier state with mm_take_all_locks(), which gives
 * up with -EINTR on any pending signal (signal_pending(): TIF_SIGPENDING,
 * or TIF_NOTIFY_SIGNAL, which task work such as io_uring's completions
 * sets). At fork this runs for the child inside dup_mmap, and fork goes on
 * despite either: both are hidden for the registration and restored after
 * (the task work then runs on the way back to user space). Only a fatal
 * signal stops it.
 *
 * Without mmap_lock held for writing (a fault following an in-place
 * growth, 6.1 only) the mm's notifier state exists already, and
 * mmu_interval_notifier_insert() takes no lock of the mm.
 */
static int uvm_mni_insert(struct uvm_map_entry *entry, struct uvm_mni *m,
			  struct mm_struct *mm, unsigned long start,
			  unsigned long end)
{
	bool sigpending = false, notify = false;
	int error;

	m->entry = entry;
	m->start = start;
	m->end = end;
	if (!uvm_mmap_write_locked_by_current(mm))
		return mmu_interval_notifier_insert(&m->mni, mm, start,
						    end - start, &uvm_mni_ops);
	for (;;) {
		error = mmu_interval_notifier_insert_locked(&m->mni, mm, start,
							    end - start,
							    &uvm_mni_ops);
		if (error != -EINTR || fatal_signal_pending(current))
			break;
		sigpending |= test_and_clear_thread_flag(TIF_SIGPENDING);
		notify |= test_and_clear_thread_flag(TIF_NOTIFY_SIGNAL);
	}
	if (sigpending)
		set_thread_flag(TIF_SIGPENDING);
	if (notify)
		set_thread_flag(TIF_NOTIFY_SIGNAL);
	return error;
}

static struct uvm_mm *uvm_mm_find(struct mm_struct *mm)
{
	struct uvm_mm *um;

	hash_for_each_possible(uvm_mms, um, link, (unsigned long)mm)
		if (um->mm == mm)
			return um;
	return NULL;
}

/*
 * the uvm_mm of @mm with one more reference, made on first use (callers
 * hold @mm's mmap_lock for writing, so no other one makes it meanwhile)
 */
static struct uvm_mm *uvm_mm_get(struct mm_struct *mm)
{
	struct uvm_mm *um;

	spin_lock(&uvm_mms_lock);
	um = uvm_mm_find(mm);
	if (um)
		um->refs++;
	spin_unlock(&uvm_mms_lock);
	if (um)
		return um;
	um = kzalloc(sizeof(*um), GFP_KERNEL);
	if (!um)
		return NULL;
	um->mm = mm;
	um->refs = 1;
	mutex_init(&um->lock);
	spin_lock(&uvm_mms_lock);
	hash_add(uvm_mms, &um->link, (unsigned long)mm);
	spin_unlock(&uvm_mms_lock);
	return um;
}

static void uvm_mm_put(struct uvm_mm *um)
{
	bool last;

	spin_lock(&uvm_mms_lock);
	last = --um->refs == 0;
	if (last)
		hash_del(&um->link);
	spin_unlock(&uvm_mms_lock);
	if (last) {
		mutex_destroy(&um->lock);
		kfree(um);
	}
}

/*
 * uvm_mm_foreach - call @fn(mm, @arg) for every mm with /dev/uvm memory
 *	(swapoff's walk), holding a reference to it (mmget), until @fn
 *	returns an error; an mm being torn down is skipped
 *
 * => no uvmmod locks held; may sleep
 *
 * Return: 0, the first error of @fn, or -ENOMEM.
 */
int uvm_mm_foreach(int (*fn)(struct mm_struct *mm, void *arg), void *arg)
{
	unsigned int n = 0, max = 0, i, bkt;
	struct mm_struct **mms;
	struct uvm_mm *um;
	int error = 0;

	spin_lock(&uvm_mms_lock);
	hash_for_each(uvm_mms, bkt, um, link)
		max++;
	spin_unlock(&uvm_mms_lock);
	/* (an mm that comes meanwhile has nothing on swap yet) */
	mms = kvmalloc_array(max + 1, sizeof(*mms), GFP_KERNEL);
	if (!mms)
		return -ENOMEM;
	spin_lock(&uvm_mms_lock);
	hash_for_each(uvm_mms, bkt, um, link) {
		if (n == max)
			break;
		/* (in the hash, the mm has VMAs: its struct is alive) */
		if (mmget_not_zero(um->mm))
			mms[n++] = um->mm;
	}
	spin_unlock(&uvm_mms_lock);
	for (i = 0; i < n; i++) {
		if (!error)
			error = fn(mms[i], arg);
		mmput(mms[i]);
	}
	kvfree(mms);
	return error;
}

/*
 * uvm_mm_attach - attach @entry to @mm: its uvm_mm, and an interval
 *	notifier over its range
 *
 * => called with mmap_lock of @mm held for writing and no uvmmod locks;
 *    may sleep
 *
 * Return: 0, or a negative errno if the notifier cannot be registered (the
 * entry is then not attached).
 */
int uvm_mm_attach(struct uvm_map_entry *entry, struct mm_struct *mm)
{
	struct uvm_mm *um;
	int error;

	mmap_assert_write_locked(mm);
	um = uvm_mm_get(mm);
	if (!um)
		return -ENOMEM;
	entry->mn_cur = 0;
	error = uvm_mni_insert(entry, &entry->mn[0], mm, entry->va_start,
			       uvm_entry_va_end(entry));
	if (error) {
		uvm_mm_put(um);
		return error;
	}
	entry->mn[0].live = true;
	entry->um = um;
	return 0;
}

/*
 * uvm_mm_detach - detach @entry from its mm (if attached)
 *
 * => called with mmap_lock held (munmap closes VMAs with it downgraded to
 *    reading) and no uvmmod locks; may sleep (for invalidations in
 *    progress)
 */
void uvm_mm_detach(struct uvm_map_entry *entry)
{
	struct uvm_mm *um = entry->um;
	unsigned int i;

	if (!um)
		return;
	for (i = 0; i < ARRAY_SIZE(entry->mn); i++) {
		if (!entry->mn[i].live)
			continue;
		mmu_interval_notifier_remove(&entry->mn[i].mni);
		entry->mn[i].live = false;
	}
	entry->um = NULL;
	uvm_mm_put(um);
}

/*
 * uvm_mm_retrack - @entry's range changed (a split, an mremap growth):
 *	move its interval notifier to the new range
 *
 * The new interval is inserted before the old one goes, so a CLEAR in the
 * range meanwhile reaches at least one of them (both handle it alike).
 *
 * => called with mmap_lock held (for writing but for a fault following an
 *    in-place growth) and no uvmmod locks; may sleep
 */
void uvm_mm_retrack(struct uvm_map_entry *entry)
{
	struct uvm_mni *old = &entry->mn[entry->mn_cur];
	struct uvm_mni *new = &entry->mn[entry->mn_cur ^ 1];
	unsigned long start = entry->va_start, end = uvm_entry_va_end(entry);

	if (!entry->um || (old->start == start && old->end == end))
		return;
	uvm_assert_fault_locked(entry->vma);
	if (uvm_mni_insert(entry, new, entry->mm, start, end)) {
		/* the old range stays watched: what lies outside it is lost */
		pr_warn_ratelimited("%s[%d]: out of memory moving an MMU notifier: MADV_DONTNEED may not free /dev/uvm memory in [%#lx, %#lx)\n",
				    current->comm, task_pid_nr(current), start,
				    end);
		return;
	}
	new->live = true;
	entry->mn_cur ^= 1;
	mmu_interval_notifier_remove(&old->mni);
	old->live = false;
}

/*
 * uvm_mm_lock/unlock - hold the mm's locked_vm still, to update it
 *
 * => called with mmap_lock held, or for a fault on 6.12 the VMA lock;
 *    nothing allocated under it
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
 *	self zap the notifiers ignore
 *
 * => called with mmap_lock held; no uvmmod lock above the amap lock
 */
void uvm_zap(struct vm_area_struct *vma, unsigned long addr,
	     unsigned long size)
{
	struct uvm_selfzap z;

	uvm_selfzap_begin(&z);
	uvm_zap_vma_range(vma, addr, size);
	uvm_selfzap_end(&z);
}

/*
 * uvm_mm_init - set up the self-zap table
 *
 * => called from module init
 */
void uvm_mm_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(uvm_selfzaps); i++) {
		spin_lock_init(&uvm_selfzaps[i].lock);
		INIT_HLIST_HEAD(&uvm_selfzaps[i].tasks);
	}
}

/*
 * uvm_mm_exit - check that every uvm_mm is gone
 *
 * => called from module exit (no mapping is left: each pins the module)
 */
void uvm_mm_exit(void)
{
	unsigned int bkt;
	struct uvm_mm *um;

	hash_for_each(uvm_mms, bkt, um, link)
		WARN(1, "uvm: uvm_mm of mm %p left at unload\n", um->mm);
}
