/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * uvm.h: the structures of uvmmod's UVM port and the contracts between its
 * files. Each concept lives in its own file: uvm_anon.c, uvm_amap.c,
 * uvm_aobj.c, uvm_map.c (map entries, fork), uvm_fault.c, uvm_pmap.c,
 * uvm_swap.c (swap areas), uvm_pager.c (pageout and page-in),
 * uvm_pdaemon.c (page queues, the page daemon and its shrinker), uvm_stat.c
 * and uvm_dev.c (the /dev/uvm glue to Linux).
 *
 * LOCK ORDER (the only place it is written down; lockdep enforces it):
 *
 *   mmap_lock (Linux; read for faults, write for mmap/munmap/fork/mprotect)
 *     -> VMA lock (Linux 6.12 per-VMA lock; on 6.12 faults run under it
 *        alone, without mmap_lock: see uvm_dev.c)
 *       -> [MMU notifier invalidation: MADV_DONTNEED reaches an entry's
 *           interval notifier here, with mmap_lock held for reading]
 *         -> uvm_mm.lock          (mutex; the mm's locked_vm only; nothing
 *                                  else is taken under it)
 *         -> uvm_map_entry.lock   (rwsem; read in faults and
 *                                  MADV_DONTNEED, write to change the
 *                                  entry's amap, needs-copy state, holes
 *                                  or range)
 *           -> uvm_lock (amap lock, am_lock, shared by an amap, the amaps
 *                        copied from it and all their anons)
 *             -> uvm_object.vmobjlock (aobj lock)
 *               -> page lock (the faulting page, returned locked to Linux;
 *                             pages freed by MADV_DONTNEED)
 *                 -> PTE lock (Linux; taken inside the pmap shim's calls
 *                              into Linux: vm_insert_page, zap, walks)
 *   The self-zap table's bucket locks (spinlocks) nest inside everything,
 *   and so does uvm_swap_lock (spinlock: swap areas and their slot maps).
 *   A page queue's lock (uvm_pdq.lock, spinlock) nests inside the amap
 *   lock, the aobj lock and the page lock: pages join and leave the queues
 *   under their owner's lock (an anon's amap lock, or an aobj's
 *   vmobjlock). The page daemon goes the other way, from a queue to a
 *   page's owner, as BSD's does: under the queue lock it only takes
 *   references (never a mutex), and it takes the owner's lock afterwards
 *   with nothing held (uvm_pdaemon.c). The daemon and the shrinker take
 *   no entry lock and no mmap_lock.
 *   uvm_swap_mutex (swapctl) is taken with no other uvmmod lock held; under
 *   it swapoff takes other processes' mmap_lock for reading.
 *
 * The page lock is BSD's PG_BUSY: a page the pager writes or reads stays
 * locked across the I/O, which runs with no uvmmod lock held (and no
 * entry lock across unmapping, which runs MMU notifiers); whoever finds
 * such a page under the amap lock either sleeps on it with the amap lock
 * held (a fault installing it, MADV_DONTNEED freeing it: the pager never
 * takes the amap lock with a page lock held) or drops its locks to wait
 * and starts over (uvmfault_anonget).
 *
 * No uvmmod lock is taken under a PTE lock, and no uvmmod lock is held
 * while calling into code that takes mmap_lock, or that inserts or removes
 * an interval notifier (removal waits for invalidations in progress).
 * Under the entry, amap and aobj locks nothing is allocated that may sleep
 * in reclaim (UVM_GFP_LOCKED below): reclaim runs MMU notifiers, and under
 * a memory cgroup's limit it may wait for an OOM victim that waits for the
 * lock.
 *
 * Every non-static function states its locking contract in the form UVM
 * uses ("=> called with amap locked") and asserts it with lockdep.
 */
#ifndef UVM_H
#define UVM_H

#include <linux/fs.h>
#include <linux/lockdep.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>

#include "uvm_compat.h"

#define UVM_DEV_NAME	"uvm"

/*
 * Internals that the KUnit module (uvm_kunit.ko) drives directly are exported
 * with EXPORT_SYMBOL_NS_GPL(sym, UVM_KUNIT): only a module that imports the
 * UVM_KUNIT namespace can link against them.
 */

/* protections, as UVM's vm_prot_t */
#define UVM_PROT_READ	0x1
#define UVM_PROT_WRITE	0x2
#define UVM_PROT_EXEC	0x4

/* internal "restart the fault" return, as UVM's ERESTART */
#define UVM_ERESTART	512

/*
 * Allocations made with a map entry, amap or aobj lock held never sleep in
 * reclaim, as in OpenBSD's uvm_fault (which allocates without sleeping
 * under its locks). Reclaim unmaps other pages of the same processes and
 * so runs their MMU notifiers, whose MADV_DONTNEED handling waits for those
 * locks; and under a memory cgroup's limit the OOM victim may be a process
 * waiting for the lock the allocating one holds. On failure the caller
 * drops every uvmmod lock (uvmfault_unlockall), waits for memory
 * (uvm_wait(), or allocates what it needs with no lock held) and restarts.
 */
#define UVM_GFP_LOCKED	(GFP_NOWAIT | __GFP_NOWARN)

/* ------------------------------------------------------------------ */
/* uvm_stat.c: counters, exported read-only in /sys/kernel/uvm/        */

enum uvm_stat_item {
	UVM_STAT_FAULTS,	/* calls of uvm_fault */
	UVM_STAT_ANON_HITS,	/* faults resolved from an existing anon */
	UVM_STAT_COW_COPIES,	/* case 1B: shared anon copied on write */
	UVM_STAT_OBJ_HITS,	/* case 2A: fault mapped an object page */
	UVM_STAT_PROMOTIONS,	/* case 2B: object page copied to an anon */
	UVM_STAT_ZERO_FILLS,	/* zeroed pages given out (anon or object) */
	UVM_STAT_AMAP_COPIES,	/* needs-copy resolved by amap_copy */
	UVM_STAT_FAULTAHEAD,	/* neighbour pages mapped by fault-ahead */
	UVM_STAT_RESTARTS,	/* faults restarted after a lost race */
	UVM_STAT_WP_REUSE,	/* write to a read-only PTE reused the page */
	UVM_STAT_MEM_WAITS,	/* a fault or wiring waited for memory */
	UVM_STAT_DONTNEEDS,	/* CLEAR notices handled as MADV_DONTNEED */
	UVM_STAT_PAGEOUTS,	/* pages that left memory for swap */
	UVM_STAT_PAGEINS,	/* pages read back from swap */
	UVM_STAT_SWAP_WRITTEN,	/* pages written to swap */
	UVM_STAT_SWAP_WRITES,	/* write I/Os to swap (clusters) */
	UVM_STAT_SWAP_READS,	/* read I/Os from swap */
	UVM_STAT_SWAP_ERRORS,	/* swap I/Os that failed */
	UVM_STAT_PD_WAKEUPS,	/* page daemon runs */
	UVM_STAT_PD_SCANS,	/* inactive pages the daemon/shrinker looked at */
	UVM_STAT_PD_DEACTS,	/* pages moved active -> inactive (unmapped) */
	UVM_STAT_PD_REACTS,	/* inactive pages referenced: reactivated */
	UVM_STAT_PD_FREED,	/* pages freed by the daemon or the shrinker */
	UVM_STAT_SHRINKS,	/* shrinker scan calls from Linux's reclaim */
	/* gauges: objects alive now */
	UVM_STAT_PAGES,
	UVM_STAT_ANONS,
	UVM_STAT_AMAPS,
	UVM_STAT_AOBJS,
	UVM_STAT_ENTRIES,
	UVM_STAT_HOLES,		/* DONTNEED holes of needs-copy entries */
	UVM_STAT_SWAP_PAGES,	/* usable pages of the swap areas on */
	UVM_STAT_SWAP_INUSE,	/* swap slots holding data */
	UVM_STAT_SWAP_BAD,	/* swap slots that failed I/O */
	UVM_STAT_SWAP_ONLY,	/* anons whose data is only on swap */
	UVM_STAT_ACTIVE,	/* pages on the active queues */
	UVM_STAT_INACTIVE,	/* pages on the inactive queues */
	UVM_STAT_NR
};

void uvm_stat_add(enum uvm_stat_item item, long delta);
long uvm_stat_read(enum uvm_stat_item item);
int uvm_stat_init(void);
void uvm_stat_exit(void);

static inline void uvm_stat_inc(enum uvm_stat_item item)
{
	uvm_stat_add(item, 1);
}

static inline void uvm_stat_dec(enum uvm_stat_item item)
{
	uvm_stat_add(item, -1);
}

/* ------------------------------------------------------------------ */
/* pages: UVM's vm_page is Linux's struct page                          */

struct page *uvm_pagealloc(bool zero, gfp_t gfp);
int uvm_wait(gfp_t gfp);
void uvm_pagefree(struct page *pg);
void uvm_pagecopy(struct page *src, struct page *dst);

/*
 * A batch of pages whose UVM reference goes together (release_pages()), as
 * Linux's TLB gather frees the pages of an unmapped range: one pass through
 * the allocator's and the memory cgroup's locks per batch, not per page.
 */
#define UVM_PAGEBATCH	31

struct uvm_pagebatch {
	unsigned int nr, nanons;
	struct page *pages[UVM_PAGEBATCH];
	void *anons[UVM_PAGEBATCH];	/* anons to free with them */
};

void uvm_pagebatch_add(struct uvm_pagebatch *pb, struct page *pg);
void uvm_pagebatch_flush(struct uvm_pagebatch *pb);

/* ------------------------------------------------------------------ */
/* the amap lock, shared by an amap, its copies and all their anons     */

/*
 * It is also the amap family's identity for the page daemon: a page of an
 * anon points at it (page->private, see uvm_pdaemon.c), and it lists the
 * family's amaps, in one of which the daemon finds the anon at the page's
 * slot. The region is the family's file, whose offsets are the slots:
 * every mapping of the family's anons is at that offset of that file.
 */
struct uvm_lock {
	struct mutex lock;		/* the amap lock itself */
	refcount_t refs;
	struct list_head amaps;		/* under lock: the family's amaps */
	/*
	 * the region file (NULL in KUnit: such pages are never queued);
	 * not a reference: the family's entries' VMAs hold the file, and
	 * a page on a queue means an anon, an amap and an entry of the
	 * family are alive
	 */
	struct file *region;
};

struct uvm_lock *uvm_lock_alloc(gfp_t gfp);
void uvm_lock_hold(struct uvm_lock *l);
bool uvm_lock_tryhold(struct uvm_lock *l);
void uvm_lock_put(struct uvm_lock *l);

/* ------------------------------------------------------------------ */
/* uvm_anon.c: anons                                                    */

/*
 * UVM's an_lock is the lock of the amaps holding the anon. The page
 * daemon reaches an anon from its page, which records the lock and the
 * slot (uvm_pdaemon.c), so the anon keeps the pointer only for lockdep to
 * check it: 16 bytes an anon, not 24.
 */
struct uvm_anon {
	/*
	 * its page, or NULL when paged out; while a page-in reads it, the
	 * page is locked and not up to date (see uvm_anon_resident())
	 */
	struct page *an_page;
	unsigned int an_ref;		/* amap slots referencing it */
	/*
	 * its swap slot: 0 (none), a slot holding its data (paged out, or
	 * resident and unwritten since the page-in: mapped read-only), or
	 * UVM_SWSLOT_BAD (the page-in failed: the data is lost)
	 */
	unsigned int an_swslot;
#ifdef CONFIG_LOCKDEP
	struct uvm_lock *an_lock;	/* the lock of the amaps holding it */
#endif
};

static inline void uvm_anon_assert_locked(struct uvm_anon *anon)
{
#ifdef CONFIG_LOCKDEP
	lockdep_assert_held(&anon->an_lock->lock);
#endif
}

int uvm_anon_init(void);
void uvm_anon_exit(void);
struct uvm_anon *uvm_analloc(struct uvm_lock *lock, bool zero, gfp_t gfp);
void uvm_anon_set_lock(struct uvm_anon *anon, struct uvm_lock *lock);
void uvm_anfree(struct uvm_anon *anon);
void uvm_anon_dropswap(struct uvm_anon *anon);

/* whether @pg may be pinned for DMA (FOLL_PIN: O_DIRECT, io_uring, RDMA) */
static inline bool uvm_page_maybe_pinned(struct page *pg)
{
	return folio_maybe_dma_pinned(page_folio(pg));
}

/*
 * whether the anon's data is in its page: not paged out, nor being (or
 * failed to be) paged in
 *
 * => called with the anon's lock held
 */
static inline bool uvm_anon_resident(const struct uvm_anon *anon)
{
	return anon->an_page && PageUptodate(anon->an_page);
}

void uvm_anon_unref(struct uvm_anon *anon);
void uvm_anon_unref_batch(struct uvm_anon *anon, struct uvm_pagebatch *pb);

/* ------------------------------------------------------------------ */
/* uvm_amap.c: amaps                                                    */

/*
 * An amap is indexed by "slot": the page offset of an address within the
 * original mapping (vma->vm_pgoff plus the page index in the VMA), so every
 * VMA split, moved or forked from one mmap uses the same slot numbers.
 * Slots are stored sparsely, in chunks of UVM_AMAP_CHUNK, as OpenBSD does:
 * an amap costs memory in proportion to the slots in use, whatever its
 * size.
 */
#define UVM_AMAP_CHUNK		16

struct uvm_amap_chunk {
	unsigned int ac_usedmap;	/* bit i: ac_anon[i] is set */
	struct uvm_anon *ac_anon[UVM_AMAP_CHUNK];
};

/*
 * Per-page reference counts ("ppref"), run-length encoded as UVM does:
 * runs of slots with the same count of map entries referencing them. The
 * runs cover [am_start, am_end) exactly, in order, and adjacent runs have
 * different counts. They live in a red-black tree by slot, so a change of
 * a range's count costs O(log n) plus the runs it covers.
 *
 * A change can split two runs, and nothing may be allocated then (VMA
 * open and close cannot fail, and run under locks): run nodes come from
 * a pool in the amap. Every map entry brings UVM_PP_SHARE nodes (allocated
 * with the entry, in its uvm_ppres) when it takes a reference (a new amap
 * comes with the nodes of its first one) and takes as many back when it
 * drops it, so an amap with am_ref references owns
 * UVM_PP_SHARE * am_ref nodes: more than its runs can need (at most
 * 2 * am_ref + 1, since counts change only at the ends of referencing
 * entries, plus 3 while a change is being made).
 */
struct uvm_pprun {
	union {
		struct rb_node rb;	/* in am_ppref */
		struct uvm_pprun *next;	/* free, in a uvm_ppres */
	};
	pgoff_t start, end;
	unsigned int ref;
};

#define UVM_PP_SHARE	6

/* a stock of free run nodes */
struct uvm_ppres {
	struct uvm_pprun *list;
	unsigned int n;
};

int uvm_ppres_fill(struct uvm_ppres *res, gfp_t gfp);
void uvm_ppres_drain(struct uvm_ppres *res);

struct uvm_amap {
	struct uvm_lock *am_lock;	/* shared with copies and anons */
	struct list_head am_list;	/* in am_lock->amaps */
	unsigned int am_ref;		/* map entries referencing it */
	pgoff_t am_start, am_end;	/* slots it covers */
	unsigned long am_nused;		/* anons in it */
	struct xarray am_chunks;	/* chunk number -> uvm_amap_chunk */
	struct rb_root am_ppref;	/* per-page reference runs */
	unsigned int am_nruns;
	struct uvm_ppres am_pool;	/* run nodes not in am_ppref */
};

int uvm_amap_init(void);
void uvm_amap_exit(void);
struct uvm_amap *amap_alloc(pgoff_t start, pgoff_t end,
			    struct uvm_lock *lock, gfp_t gfp);
void amap_lock(struct uvm_amap *amap);
void amap_unlock(struct uvm_amap *amap);
void amap_assert_locked(struct uvm_amap *amap);
struct uvm_anon *amap_lookup(struct uvm_amap *amap, pgoff_t slot);
void amap_lookups(struct uvm_amap *amap, pgoff_t slot,
		  struct uvm_anon **anons, unsigned int n);
struct uvm_amap_chunk *amap_chunk_alloc(gfp_t gfp);
void amap_chunk_free(struct uvm_amap_chunk *chunk);
int amap_add(struct uvm_amap *amap, pgoff_t slot, struct uvm_anon *anon,
	     bool replace, gfp_t gfp, struct uvm_amap_chunk **spare);
void amap_unadd(struct uvm_amap *amap, pgoff_t slot);
void amap_ref(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
	      struct uvm_ppres *res);
int amap_extend(struct uvm_amap *amap, pgoff_t end, pgoff_t new_end);
void amap_splitref(struct uvm_amap *amap, struct uvm_ppres *res);
void amap_unref(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
		struct uvm_ppres *res);
void amap_wipe_pages(struct uvm_amap *amap, pgoff_t start, pgoff_t end);
struct uvm_anon *amap_next_anon(struct uvm_amap *amap, pgoff_t *slot,
				pgoff_t end);
struct uvm_amap *amap_copy_range(struct uvm_amap *src, pgoff_t start,
				 pgoff_t end, gfp_t gfp);
unsigned int amap_ppref_get(struct uvm_amap *amap, pgoff_t slot);
int amap_cow_now(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
		 gfp_t gfp);
int amap_cow_now_if(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
		    gfp_t gfp, bool pinned);
bool amap_has_pinned(struct uvm_amap *amap, pgoff_t start, pgoff_t end);

/* ------------------------------------------------------------------ */
/* uvm_aobj.c: anonymous objects                                        */

struct uao_swhash_elt;

struct uvm_object {
	struct mutex vmobjlock;		/* guards the fields below */
	unsigned int uo_refs;		/* map entries referencing it */
	/*
	 * the structure itself: one reference while uo_refs > 0, one per
	 * page daemon look or swapoff walk holding it (see uvm_aobj.c)
	 */
	refcount_t uo_mem;
	unsigned int uo_wired;		/* wired entries among them */
	unsigned long uo_npages;	/* pages in uo_pages */
	unsigned long uo_nswslots;	/* nonzero swap slots */
	pgoff_t uo_size;		/* in pages */
	struct xarray uo_pages;		/* page index -> struct page */
	/*
	 * swap slots by page index: an array for small objects, a hash of
	 * 16-page clusters for large ones (the seed's u_swslots, u_swhash)
	 */
	unsigned int *uo_swslots;
	struct hlist_head *uo_swhash;
	unsigned long uo_swhashmask;
	unsigned long uo_nelts;		/* swhash clusters allocated */
	/* the region file mapping it (not a reference: as uvm_lock's) */
	struct file *uo_region;
	struct list_head uo_list;	/* in uao_list (uvm_aobj.c) */
};

/*
 * A page-in to run with no lock held: the faulting page and its
 * read-ahead, or one page to wait for (uao_get)
 */
struct uvm_pagein {
	struct page **pages;		/* in: room for @max pages */
	unsigned int max;		/* in: pages to read at most */
	bool retried;			/* in: our read of it just failed */
	unsigned int n;			/* out: pages in @pages */
	unsigned int swslot;		/* out: the swap slot of pages[0] */
};

struct uvm_object *uao_create(pgoff_t size, gfp_t gfp);
void uao_reference(struct uvm_object *uobj);
void uao_detach(struct uvm_object *uobj);
bool uao_hold(struct uvm_object *uobj);
void uao_put(struct uvm_object *uobj);
struct page *uao_lookup(struct uvm_object *uobj, pgoff_t idx);
struct page *uao_next_page(struct uvm_object *uobj, pgoff_t *idx,
			   pgoff_t end);
int uao_get(struct uvm_object *uobj, pgoff_t idx, struct page **pgp,
	    gfp_t gfp, struct uvm_pagein *pi);
unsigned int uao_find_swslot(struct uvm_object *uobj, pgoff_t idx);
long uao_set_swslot(struct uvm_object *uobj, pgoff_t idx, unsigned int slot);
void uao_dropswap(struct uvm_object *uobj, pgoff_t idx);
void uao_pageout_done(struct uvm_object *uobj, pgoff_t idx, struct page *pg);
int uao_pagein_range(struct uvm_object *uobj, pgoff_t start, pgoff_t end,
		     unsigned int lo, unsigned int hi);
int uao_swap_off(unsigned int lo, unsigned int hi);
void uao_wire(struct uvm_object *uobj);
void uao_unwire(struct uvm_object *uobj);
int uvm_aobj_init(void);
void uvm_aobj_exit(void);

/* ------------------------------------------------------------------ */
/* uvm_pmap.c: the pmap shim over Linux's page tables                   */

struct uvm_pmap;

/*
 * A pmap is the machine-dependent layer under uvm_fault: on Linux, one VMA
 * of a process (uvm_pmap_linux) or, in the KUnit suites, a recording pmap.
 */
struct uvm_pmap_ops {
	/* map @pg at @va; @center: this is the faulting address */
	int (*enter)(struct uvm_pmap *pmap, unsigned long va, struct page *pg,
		     unsigned int prot, bool center);
	/* set bit i of @mapped if sva + i pages is mapped, for i < n */
	void (*extract)(struct uvm_pmap *pmap, unsigned long sva,
			unsigned int n, unsigned long *mapped);
	/* unmap [sva, eva) */
	void (*remove)(struct uvm_pmap *pmap, unsigned long sva,
		       unsigned long eva);
	/* take write permission away from [sva, eva) */
	void (*protect)(struct uvm_pmap *pmap, unsigned long sva,
			unsigned long eva);
	/*
	 * make entering pages in [sva, eva) allocate nothing (Linux: create
	 * the page tables); called with no uvmmod lock held; may sleep
	 */
	int (*prepare)(struct uvm_pmap *pmap, unsigned long sva,
		       unsigned long eva);
};

struct uvm_pmap {
	const struct uvm_pmap_ops *ops;
	struct vm_area_struct *vma;
	unsigned int max_prot;		/* the entry's protection: UVM_PROT_* */
	/* the center page chosen by the fault, with a reference */
	struct page *fault_page;
	unsigned int fault_prot;
	/*
	 * hold_cow_old: the caller maps the faulting address already and
	 * will unmap it after a copy-on-write; the page copied from is then
	 * returned in cow_old, locked and with a reference, so that nobody
	 * reuses it in place before our old PTE to it is gone.
	 */
	bool hold_cow_old;
	struct page *cow_old;
	/*
	 * [ahead_lo, ahead_hi): where fault-ahead may enter neighbours
	 * without allocating a page table (see uvm_vm_fault())
	 */
	unsigned long ahead_lo, ahead_hi;
};

void uvm_pmap_linux_init(struct uvm_pmap *pmap, struct vm_area_struct *vma);
void uvm_pmap_clean(struct vm_area_struct *vma, unsigned long sva,
		    unsigned long eva);

static inline int pmap_enter(struct uvm_pmap *pmap, unsigned long va,
			     struct page *pg, unsigned int prot, bool center)
{
	return pmap->ops->enter(pmap, va, pg, prot, center);
}

static inline void pmap_extract(struct uvm_pmap *pmap, unsigned long sva,
				unsigned int n, unsigned long *mapped)
{
	pmap->ops->extract(pmap, sva, n, mapped);
}

static inline void pmap_remove(struct uvm_pmap *pmap, unsigned long sva,
			       unsigned long eva)
{
	pmap->ops->remove(pmap, sva, eva);
}

static inline int pmap_prepare(struct uvm_pmap *pmap, unsigned long sva,
			       unsigned long eva)
{
	return pmap->ops->prepare ? pmap->ops->prepare(pmap, sva, eva) : 0;
}

/* pmap_protect: UVM's write-protect (the only protection it lowers) */
static inline void pmap_protect(struct uvm_pmap *pmap, unsigned long sva,
				unsigned long eva)
{
	pmap->ops->protect(pmap, sva, eva);
}

/* ------------------------------------------------------------------ */
/* uvm_map.c: map entries                                               */

/* fault-ahead advice, as madvise's MADV_NORMAL/RANDOM/SEQUENTIAL */
enum uvm_advice {
	UVM_ADV_NORMAL,
	UVM_ADV_RANDOM,
	UVM_ADV_SEQUENTIAL,
	UVM_ADV_NR
};

#define UVM_ET_COPYONWRITE	0x1	/* private: writes go to anons */
#define UVM_ET_NEEDSCOPY	0x2	/* amap must be copied before use */

/*
 * One map entry per Linux VMA of /dev/uvm memory, in vma->vm_private_data.
 * It covers slots [start, end): exactly the VMA's pages.
 */
struct uvm_mm;
struct uvm_map_entry;

/* an entry's MMU interval notifier over its range (see uvm_mm.c) */
struct uvm_mni {
	struct mmu_interval_notifier mni;
	struct uvm_map_entry *entry;
	unsigned long start, end;	/* the range it was inserted for */
	bool live;
};

/*
 * A hole: slots [start, end) that MADV_DONTNEED took away from a needs-copy
 * entry whose amap other entries still reference (see
 * uvm_mapent_dontneed()). The anons stay in the shared amap for the
 * others; the entry's own copy of the amap, when it is made, leaves the
 * hole empty. Holes of an entry never overlap or touch.
 */
struct uvm_hole {
	union {
		struct rb_node rb;		/* in the entry's holes */
		struct uvm_hole *next;		/* preallocated, unused */
	};
	pgoff_t start, end;
};

struct uvm_map_entry {
	struct rw_semaphore lock;	/* guards etype, amap and holes */
	struct uvm_mm *um;		/* the mm's uvm_mm (NULL in KUnit) */
	/* mn[mn_cur] watches the range; the other is for a move */
	struct uvm_mni mn[2];
	unsigned int mn_cur;
	struct vm_area_struct *vma;	/* NULL in KUnit */
	struct mm_struct *mm;		/* the VMA's mm, to recognise fork */
	unsigned long va_start;		/* address of slot @start */
	pgoff_t start, end;		/* slots */
	unsigned int etype;		/* UVM_ET_* */
	enum uvm_advice advice;
	struct uvm_amap *amap;		/* upper layer (anons), or NULL */
	struct uvm_object *uobj;	/* lower layer (aobj), or NULL */
	struct uvm_map_entry *spare;	/* preallocated by ->may_split */
	struct uvm_ppres ppres;		/* run nodes for its amap reference */
	/* needs-copy only: what its copy of the amap leaves empty */
	struct rb_root holes;		/* of struct uvm_hole, by start */
	struct uvm_hole hole0;		/* the first hole needs no allocation */
	bool hole0_used;
	/* wired: VM_LOCKED at mmap or UVM_MADV_WIRE; counted in locked_vm */
	bool wired;
	bool inherit_zero;		/* fork: the child gets zero-fill */
	/* page-in read-ahead: where the last one ended, and its window */
	pgoff_t ra_next;
	unsigned int ra_win;
	bool mlock_warned;		/* logged that mlock() cannot wire it */
};

struct uvm_map_entry *uvm_mapent_create(unsigned long va_start,
					pgoff_t start, pgoff_t end,
					bool shared, gfp_t gfp);
void uvm_mapent_free(struct uvm_map_entry *entry);
struct uvm_map_entry *uvm_mapent_fork(struct uvm_map_entry *old,
				      struct uvm_pmap *old_pmap,
				      unsigned long va_start,
				      pgoff_t start, pgoff_t end);
struct uvm_map_entry *uvm_mapent_split(struct uvm_map_entry *old,
				       unsigned long va_start,
				       pgoff_t start, pgoff_t end);
struct uvm_map_entry *uvm_mapent_dup(struct uvm_map_entry *old,
				     unsigned long va_start,
				     pgoff_t start, pgoff_t end);
int uvm_mapent_prealloc(struct uvm_map_entry *entry);
int uvm_map_wire(struct uvm_map_entry *entry, pgoff_t start, pgoff_t end);
void uvm_map_unwire(struct uvm_map_entry *entry);
long uvm_mapent_grow(struct uvm_map_entry *entry, pgoff_t new_end, gfp_t gfp);
int uvm_mapent_follow(struct uvm_map_entry *entry, gfp_t gfp);
void uvm_map_account_wired(struct uvm_map_entry *entry, long pages);
int uvmfault_amapcopy(struct uvm_map_entry *entry, gfp_t gfp);
void uvm_mapent_dontneed(struct uvm_map_entry *entry, unsigned long sva,
			 unsigned long eva);
bool uvm_mapent_hole(struct uvm_map_entry *entry, pgoff_t slot,
		     pgoff_t *end);
void uvm_map_willneed(struct uvm_map_entry *entry, struct uvm_pmap *pmap,
		      unsigned long sva, unsigned long eva);

static inline pgoff_t uvm_va_to_slot(const struct uvm_map_entry *entry,
				     unsigned long va)
{
	return entry->start + ((va - entry->va_start) >> PAGE_SHIFT);
}

static inline unsigned long uvm_slot_to_va(const struct uvm_map_entry *entry,
					   pgoff_t slot)
{
	return entry->va_start + ((slot - entry->start) << PAGE_SHIFT);
}

/* the address just past the entry */
static inline unsigned long uvm_entry_va_end(const struct uvm_map_entry *entry)
{
	/* (mremap growth changes end under the entry lock alone) */
	return uvm_slot_to_va(entry, READ_ONCE(entry->end));
}

/* ------------------------------------------------------------------ */
/* uvm_fault.c                                                          */

struct uvm_advice_window {
	unsigned int nback, nforw;
};

extern const struct uvm_advice_window uvmadvice[UVM_ADV_NR];

#define UVM_MAXRANGE	16	/* max of nback + nforw + 1 */

int uvm_fault(struct uvm_map_entry *entry, struct uvm_pmap *pmap,
	      unsigned long vaddr, unsigned int access_type);
bool uvmfault_relock(struct uvm_map_entry *entry, unsigned long vaddr,
		     struct page *pg);

/* ------------------------------------------------------------------ */
/* uvm_mm.c: per-mm state and the MMU notifier                          */

/* a task making zaps of its own (see uvm_mm.c) */
struct uvm_selfzap {
	struct hlist_node link;
	struct task_struct *task;
};

void uvm_selfzap_begin(struct uvm_selfzap *z);
void uvm_selfzap_end(struct uvm_selfzap *z);
int uvm_mm_attach(struct uvm_map_entry *entry, struct mm_struct *mm);
void uvm_mm_detach(struct uvm_map_entry *entry);
void uvm_mm_retrack(struct uvm_map_entry *entry);
int uvm_mm_foreach(int (*fn)(struct mm_struct *mm, void *arg), void *arg);
void uvm_mm_lock(struct uvm_map_entry *entry);
void uvm_mm_unlock(struct uvm_map_entry *entry);
void uvm_zap(struct vm_area_struct *vma, unsigned long addr,
	     unsigned long size);
void uvm_mm_init(void);
void uvm_mm_exit(void);

/* ------------------------------------------------------------------ */
/* uvm_dev.c: the /dev/uvm character device and its VMAs                */

extern struct miscdevice uvm_misc;
extern const struct vm_operations_struct uvm_vm_ops;
int uvm_dev_init(void);
void uvm_dev_exit(void);
int uvm_dev_mmap_check(unsigned long pgoff);

/* ------------------------------------------------------------------ */
/* uvm_swap.c: swap areas                                               */

/* a swap slot (0: none); an anon whose page could not be read back */
#define UVM_SWSLOT_BAD	UINT_MAX

/* which slots of an area are taken (see uvm_swap.c) */
struct uvm_swapmap {
	unsigned long *used;		/* handed out, bad, or the header */
	unsigned long *bad;		/* failed I/O: never handed out again */
	unsigned long nslots;
	unsigned long inuse;		/* handed out and not bad */
	unsigned long nbad;
	unsigned long hint;		/* next-fit cursor */
};

struct uvm_swappri;

/* a swap area: BSD's struct swapdev */
struct uvm_swapdev {
	struct list_head link;		/* in its priority's areas */
	struct list_head all;		/* in the list of areas, by base */
	struct uvm_swappri *pri;
	int priority;
	bool enabled;			/* slots may be allocated */
	char *path;			/* as given to UVM_SWAP_ON */
	dev_t dev;
	struct uvm_bdev bdev;		/* opened exclusively (KUnit: none) */
	void *mem;			/* KUnit: the area's pages, or NULL */
	int fail_io;			/* KUnit: the next I/O's error */
	unsigned int base;		/* the slot of its page 0 */
	unsigned int npages;		/* pages, the header included */
	struct uvm_swapmap map;		/* by page of the area */
};

int uvm_swapmap_init(struct uvm_swapmap *map, unsigned long nslots);
void uvm_swapmap_destroy(struct uvm_swapmap *map);
long uvm_swapmap_alloc(struct uvm_swapmap *map, unsigned int *n, bool lessok);
void uvm_swapmap_free(struct uvm_swapmap *map, unsigned long slot,
		      unsigned int n);
unsigned int uvm_swapmap_markbad(struct uvm_swapmap *map, unsigned long slot,
				 unsigned int n);
struct uvm_swapdev *uvm_swapdev_create(unsigned int npages);
void uvm_swapdev_destroy(struct uvm_swapdev *sdp);
int uvm_swapdev_insert(struct uvm_swapdev *sdp, int priority);
void uvm_swapdev_remove(struct uvm_swapdev *sdp);
struct uvm_swapdev *uvm_swap_dev(unsigned int slot, pgoff_t *page);
unsigned int uvm_swap_alloc(unsigned int *n, bool lessok);
void uvm_swap_free(unsigned int slot, unsigned int n);
void uvm_swap_markbad(unsigned int slot, unsigned int n);
unsigned int uvm_swap_run_max(unsigned int slot, unsigned int max);
int uvm_swap_io(struct page **pages, unsigned int slot, unsigned int n,
		bool write);
long uvm_swapctl_ioctl(void __user *uarg);

/* ------------------------------------------------------------------ */
/* uvm_pager.c: anons to swap and back                                  */

#define UVM_PAGEIN_READ		1	/* read the slot into the page */
#define UVM_PAGEIN_WAIT		2	/* wait for another page-in */
#define UVM_PAGEIN_MAX		32	/* pages read in one I/O at most */

long uvm_pageout_range(struct uvm_map_entry *entry,
		       struct address_space *mapping, pgoff_t start,
		       pgoff_t end);
int uvm_anon_pagein_prepare(struct uvm_amap *amap, pgoff_t slot,
			    struct uvm_anon *anon, struct uvm_anon **spare,
			    struct page **pgp, unsigned int *slotp,
			    bool retried);
unsigned int uvm_anon_pagein_ahead(struct uvm_amap *amap, pgoff_t slot,
				   unsigned int swslot, struct page **pgs,
				   unsigned int max);
int uvm_pagein_found(struct page *pg, bool retried);
bool uvm_anon_pagein_finish(int what, struct page **pgs, unsigned int n,
			    unsigned int slot);
int uvm_pagein_range(struct uvm_map_entry *entry, pgoff_t start, pgoff_t end,
		     unsigned int lo, unsigned int hi);
int uvm_swapoff_pagein(unsigned int lo, unsigned int hi);

/* ------------------------------------------------------------------ */
/* uvm_pdaemon.c: page queues, the page daemon, the shrinker            */

int uvm_pdaemon_init(void);
void uvm_pdaemon_exit(void);
void uvm_pageactivate(struct page *pg, struct uvm_lock *lock, pgoff_t slot);
void uvm_pagedequeue(struct page *pg);
void uvm_pagedequeue_batch(struct page **pages, unsigned int nr);
void uvm_pageactivate_obj(struct page *pg, struct uvm_object *uobj,
			  pgoff_t idx);
void uvm_pagewire(struct page *pg);
long uvm_pageout_obj(struct uvm_object *uobj, pgoff_t start, pgoff_t end);
void uvm_pdq_prepare(struct mm_struct *mm);

/*
 * whether the page daemon took @pg off the active queue and unmapped it,
 * to see whether it is used again (a fault maps it: referenced)
 *
 * => no locks required (a hint)
 */
static inline bool uvm_page_inactive(struct page *pg)
{
	return folio_test_checked(page_folio(pg));
}

#endif /* UVM_H */
