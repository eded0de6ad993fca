/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * uvm_compat.h: every kernel-version difference uvmmod depends on.
 *
 * uvmmod/ is written against the newest supported kernel (6.12); this file
 * maps that API onto the older supported series (Debian 12's 6.1). No file
 * outside compat/ tests LINUX_VERSION_CODE.
 *
 * Supported: 6.1.x and 6.12.x. Anything else fails to build here, loudly,
 * rather than at some obscure call site (DKMS skips such kernels through
 * BUILD_EXCLUSIVE_KERNEL in dkms.conf before it gets this far).
 */
#ifndef UVM_COMPAT_H
#define UVM_COMPAT_H

#include <linux/version.h>

/*
 * LINUX_VERSION_CODE clamps the sublevel at 255, so compare only the
 * major.minor part.
 */
#define UVM_KV_SERIES	(LINUX_VERSION_CODE >> 8)
#define UVM_KV(a, b)	(KERNEL_VERSION(a, b, 0) >> 8)

#if UVM_KV_SERIES != UVM_KV(6, 1) && UVM_KV_SERIES != UVM_KV(6, 12)
#error "uvmmod supports the Linux 6.1 and 6.12 series only"
#endif

/*
 * Fork: uvmmod needs vm_ops->open to run on the child's VMA before
 * copy_page_range() (->open sets the VMA up for the child and
 * write-protects the parent's copy-on-write memory, uvm_mapent_fork()).
 * Upstream 0c42f7e039ab ("fork: defer linking file vma until vma is fully
 * initialized") made dup_mmap() do so. The 6.1 stable series took it in
 * 6.1.90, reverted it in 6.1.95 and took it again in 6.1.191 (Debian's
 * changelog of linux 6.1.192-1): older 6.1 kernels copy the PTEs of a
 * /dev/uvm VMA before the module hears of the fork, so the child would
 * share the parent's writable pages.
 */
#if UVM_KV_SERIES == UVM_KV(6, 1) && LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 191)
#error "uvmmod needs Linux 6.1.191+: older 6.1 copies page tables before vm_ops->open"
#endif

#include <linux/kconfig.h>
#if !IS_ENABLED(CONFIG_MMU_NOTIFIER)
#error "uvmmod needs CONFIG_MMU_NOTIFIER (to see MADV_DONTNEED on its memory)"
#endif
#if !IS_ENABLED(CONFIG_MAPPING_DIRTY_HELPERS)
#error "uvmmod needs CONFIG_MAPPING_DIRTY_HELPERS (to write-protect at fork)"
#endif

/* UVM_OLD_API: the 6.1 series, before the 6.3 mm API changes */
#if UVM_KV(6, 12) != UVM_KV_SERIES
#define UVM_OLD_API 1
#endif

#include <linux/mm.h>

/* VMA flags: vm_flags_set() since 6.3; 6.1 writes vma->vm_flags */
static inline void uvm_vma_flags_set(struct vm_area_struct *vma,
				     unsigned long flags)
{
#ifdef UVM_OLD_API
	vma->vm_flags |= flags;
#else
	vm_flags_set(vma, flags);
#endif
}

/*
 * The lock a fault handler runs under: mmap_lock, or since 6.4 possibly
 * only the VMA's own lock (per-VMA locks, CONFIG_PER_VMA_LOCK).
 */
static inline void uvm_assert_fault_locked(struct vm_area_struct *vma)
{
#if defined(UVM_OLD_API) || !IS_ENABLED(CONFIG_PER_VMA_LOCK)
	mmap_assert_locked(vma->vm_mm);
#else
	if (!rwsem_is_locked(&vma->vm_lock->lock))
		mmap_assert_locked(vma->vm_mm);
#endif
}

/*
 * Keep the per-VMA-lock faults (6.4+) out of a VMA about to change; with
 * mmap_lock held for writing, which on 6.1 keeps every fault out already.
 */
static inline void uvm_vma_start_write(struct vm_area_struct *vma)
{
#ifndef UVM_OLD_API
	vma_start_write(vma);
#endif
}

/*
 * Whether current holds @mm's mmap_lock for writing (a CLEAR notice it
 * sends is then not MADV_DONTNEED: see uvm_mm.c). No kernel function says
 * so outside lockdep. In 6.1 and 6.12 alike the rwsem records its writer
 * in ->owner as the task pointer, which readers replace with theirs plus
 * the reader-owned bit 0, and bit 1 is a spinning hint
 * (kernel/locking/rwsem.c: RWSEM_READER_OWNED, RWSEM_NONSPINNABLE); the
 * writer clears it on release. Lockdep, where built in, checks the answer.
 */
static inline bool uvm_mmap_write_locked_by_current(struct mm_struct *mm)
{
	unsigned long owner = atomic_long_read(&mm->mmap_lock.owner);
	bool writer = (owner & ~2UL) == (unsigned long)current;

#ifdef CONFIG_LOCKDEP
	WARN_ON_ONCE(debug_locks && writer !=
		     !!lockdep_is_held_type(&mm->mmap_lock, 0));
#endif
	return writer;
}

/*
 * Unmap [addr, addr + size) of one VMA: zap_page_range() became
 * zap_page_range_single() in 6.3.
 */
static inline void uvm_zap_vma_range(struct vm_area_struct *vma,
				     unsigned long addr, unsigned long size)
{
#ifdef UVM_OLD_API
	zap_page_range(vma, addr, size);
#else
	zap_page_range_single(vma, addr, size, NULL);
#endif
}

/*
 * An exclusively opened block device (a swap area): 6.1 opens it with
 * blkdev_get_by_path() and FMODE_EXCL; 6.9 and later hand out a struct
 * file (bdev_file_open_by_path(), released by bdev_fput(), which drops
 * the exclusive claim at once).
 */
#include <linux/blkdev.h>

struct uvm_bdev {
	struct block_device *bdev;
#ifndef UVM_OLD_API
	struct file *file;
#endif
};

static inline int uvm_bdev_open(struct uvm_bdev *b, const char *path,
				void *holder)
{
#ifdef UVM_OLD_API
	b->bdev = blkdev_get_by_path(path, FMODE_READ | FMODE_WRITE |
				     FMODE_EXCL, holder);
	return PTR_ERR_OR_ZERO(b->bdev);
#else
	b->file = bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE |
					 BLK_OPEN_EXCL, holder, NULL);
	if (IS_ERR(b->file))
		return PTR_ERR(b->file);
	b->bdev = file_bdev(b->file);
	return 0;
#endif
}

static inline void uvm_bdev_close(struct uvm_bdev *b)
{
#ifdef UVM_OLD_API
	blkdev_put(b->bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
#else
	bdev_fput(b->file);
#endif
}

/*
 * The page daemon's shrinker (uvm_pdaemon.c). 6.1 registers a struct
 * shrinker of the caller's (register_shrinker(), which assigns the id a
 * memcg-aware list_lru needs, so the list is set up after it); 6.7 and
 * later allocate it (shrinker_alloc()) and register it once its list_lru
 * is set up (shrinker_register()). Memory-cgroup aware on both: a cgroup's
 * reclaim calls it only for cgroups whose bit is set, which adding a
 * first item to the cgroup's list in the list_lru does.
 */
#include <linux/list_lru.h>
#include <linux/shrinker.h>

struct uvm_shrinker {
#ifdef UVM_OLD_API
	struct shrinker s;
#endif
	struct shrinker *shrinker;
};

static inline int
uvm_shrinker_setup(struct uvm_shrinker *us, struct list_lru *lru,
		   unsigned long (*count)(struct shrinker *,
					  struct shrink_control *),
		   unsigned long (*scan)(struct shrinker *,
					 struct shrink_control *),
		   const char *name)
{
	struct shrinker *s;
	int error;

#ifdef UVM_OLD_API
	s = &us->s;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	s->flags = SHRINKER_MEMCG_AWARE;
	error = register_shrinker(s, "%s", name);
	if (error)
		return error;
	error = list_lru_init_memcg(lru, s);
	if (error) {
		unregister_shrinker(s);
		return error;
	}
#else
	s = shrinker_alloc(SHRINKER_MEMCG_AWARE, "%s", name);
	if (!s)
		return -ENOMEM;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	error = list_lru_init_memcg(lru, s);
	if (error) {
		shrinker_free(s);
		return error;
	}
	shrinker_register(s);
#endif
	us->shrinker = s;
	return 0;
}

static inline void uvm_shrinker_teardown(struct uvm_shrinker *us,
					 struct list_lru *lru)
{
#ifdef UVM_OLD_API
	unregister_shrinker(us->shrinker);
#else
	shrinker_free(us->shrinker);
#endif
	list_lru_destroy(lru);
}

/* an object of a SLAB_ACCOUNT cache onto the list of its memory cgroup */
static inline bool uvm_list_lru_add_obj(struct list_lru *lru,
					struct list_head *item)
{
#ifdef UVM_OLD_API
	return list_lru_add(lru, item);
#else
	return list_lru_add_obj(lru, item);
#endif
}

static inline bool uvm_list_lru_del_obj(struct list_lru *lru,
					struct list_head *item)
{
#ifdef UVM_OLD_API
	return list_lru_del(lru, item);
#else
	return list_lru_del_obj(lru, item);
#endif
}

/*
 * Pages a shrinker freed that were not slab pages: reclaim counts them
 * only if told (current->reclaim_state), as it counts freed slab pages.
 * The field was reclaimed_slab until 6.4, then reclaimed, with a helper.
 * (6.5 and later count them for global reclaim only, not a cgroup's.)
 */
#include <linux/swap.h>

static inline void uvm_account_reclaimed_pages(unsigned long pages)
{
#ifdef UVM_OLD_API
	if (current->reclaim_state)
		current->reclaim_state->reclaimed_slab += pages;
#else
	mm_account_reclaimed_pages(pages);
#endif
}

#endif /* UVM_COMPAT_H */
