// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_amap.c: amaps, the upper (anon) layer of UVM's two-level mappings.
 *
 * Owns: struct uvm_amap, its chunks of anon slots and its per-page
 * reference runs (ppref).
 *
 * Design (after Cranor & Parulkar, "The UVM Virtual Memory System", and
 * OpenBSD's chunked amaps): an amap maps slots to anons. Slots are page
 * offsets of the original mmap (see uvm.h), stored sparsely in chunks of
 * UVM_AMAP_CHUNK slots in an xarray, so a 1 TiB mapping touched at a few
 * pages costs a few chunks. Map entries reference ranges of slots: am_ref
 * counts the entries, and the ppref runs count, for each slot, the entries
 * whose range covers it. A slot whose count drops to 0 (a partial munmap)
 * loses its anon at once; the amap is freed with its last entry.
 *
 * Invariants: am_nused is the number of set slots; every chunk in
 * am_chunks has at least one set slot; the ppref runs cover exactly
 * [am_start, am_end) in order, with no two adjacent runs of equal count;
 * the amap owns UVM_PP_SHARE * am_ref run nodes, in the tree or its pool
 * (see uvm.h).
 *
 * Locks: everything in an amap is guarded by am_lock, a uvm_lock shared
 * with the amaps copied from it and with all their anons.
 */
#include <linux/bitops.h>
#include <linux/lockdep.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include "uvm.h"

/*
 * Chunks come from a cache of their own: 136 bytes for 16 slots, 8.5 bytes
 * per slot (kmalloc would round them up to 192). SLAB_ACCOUNT charges them
 * to the faulting task's memory cgroup, as its page tables are.
 */
static struct kmem_cache *uvm_chunk_cache;
/* run nodes of the ppref trees */
static struct kmem_cache *uvm_pprun_cache;

static struct uvm_amap_chunk *chunk_alloc(gfp_t gfp)
{
	return kmem_cache_zalloc(uvm_chunk_cache, gfp);
}

static void chunk_free(struct uvm_amap_chunk *chunk)
{
	kmem_cache_free(uvm_chunk_cache, chunk);
}

/*
 * amap_chunk_alloc/free - an empty chunk for amap_add() to use, allocated
 *	by a fault with no lock held before it restarts
 *
 * => no uvmmod locks required; may sleep if @gfp allows
 */
struct uvm_amap_chunk *amap_chunk_alloc(gfp_t gfp)
{
	return chunk_alloc(gfp);
}
EXPORT_SYMBOL_NS_GPL(amap_chunk_alloc, UVM_KUNIT);

void amap_chunk_free(struct uvm_amap_chunk *chunk)
{
	chunk_free(chunk);
}
EXPORT_SYMBOL_NS_GPL(amap_chunk_free, UVM_KUNIT);

/*
 * uvm_amap_init/exit - create and destroy the chunk and run caches
 *
 * => called at module load and unload
 */
int uvm_amap_init(void)
{
	uvm_chunk_cache = KMEM_CACHE(uvm_amap_chunk, SLAB_ACCOUNT);
	uvm_pprun_cache = KMEM_CACHE(uvm_pprun, SLAB_ACCOUNT);
	if (!uvm_chunk_cache || !uvm_pprun_cache) {
		kmem_cache_destroy(uvm_chunk_cache);
		kmem_cache_destroy(uvm_pprun_cache);
		return -ENOMEM;
	}
	return 0;
}

void uvm_amap_exit(void)
{
	kmem_cache_destroy(uvm_pprun_cache);
	kmem_cache_destroy(uvm_chunk_cache);
}

/*
 * uvm_ppres_fill - top @res up to UVM_PP_SHARE run nodes
 *
 * => no uvmmod locks held if @gfp may sleep
 *
 * Return: 0, or -ENOMEM (@res keeps what it got).
 */
int uvm_ppres_fill(struct uvm_ppres *res, gfp_t gfp)
{
	struct uvm_pprun *run;

	while (res->n < UVM_PP_SHARE) {
		run = kmem_cache_alloc(uvm_pprun_cache, gfp);
		if (!run)
			return -ENOMEM;
		run->next = res->list;
		res->list = run;
		res->n++;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uvm_ppres_fill, UVM_KUNIT);

/*
 * uvm_ppres_drain - free the run nodes of @res
 *
 * => no locks required
 */
void uvm_ppres_drain(struct uvm_ppres *res)
{
	struct uvm_pprun *run;

	while ((run = res->list)) {
		res->list = run->next;
		kmem_cache_free(uvm_pprun_cache, run);
	}
	res->n = 0;
}
EXPORT_SYMBOL_NS_GPL(uvm_ppres_drain, UVM_KUNIT);

/* move @n run nodes from @from to @to */
static void ppres_move(struct uvm_ppres *to, struct uvm_ppres *from,
		       unsigned int n)
{
	struct uvm_pprun *run;

	while (n-- && (run = from->list)) {
		from->list = run->next;
		from->n--;
		run->next = to->list;
		to->list = run;
		to->n++;
	}
}

/* free the run nodes of @amap, in its tree and in its pool */
static void pp_free_all(struct uvm_amap *amap)
{
	struct uvm_pprun *run, *next;

	rbtree_postorder_for_each_entry_safe(run, next, &amap->am_ppref, rb)
		kmem_cache_free(uvm_pprun_cache, run);
	uvm_ppres_drain(&amap->am_pool);
}

/* a free run node of @amap's pool */
static struct uvm_pprun *pp_node_get(struct uvm_amap *amap)
{
	struct uvm_pprun *run = amap->am_pool.list;

	/* the pool cannot run dry (see uvm.h): never allocate here */
	if (WARN_ON_ONCE(!run))
		return kmem_cache_alloc(uvm_pprun_cache,
					GFP_ATOMIC | __GFP_NOWARN);
	amap->am_pool.list = run->next;
	amap->am_pool.n--;
	return run;
}

static void pp_node_put(struct uvm_amap *amap, struct uvm_pprun *run)
{
	run->next = amap->am_pool.list;
	amap->am_pool.list = run;
	amap->am_pool.n++;
}

static inline unsigned long slot_chunk(pgoff_t slot)
{
	return slot / UVM_AMAP_CHUNK;
}

static inline unsigned int slot_index(pgoff_t slot)
{
	return slot % UVM_AMAP_CHUNK;
}

/*
 * amap_alloc - allocate an empty amap covering slots [@start, @end)
 * @lock: the lock to share (a reference is taken), or NULL for a new one
 *
 * The new amap has one reference, from the entry that asked for it.
 *
 * => @lock, if given, may be held by the caller
 */
struct uvm_amap *amap_alloc(pgoff_t start, pgoff_t end,
			    struct uvm_lock *lock, gfp_t gfp)
{
	struct uvm_pprun *run;
	struct uvm_amap *amap;

	if (WARN_ON_ONCE(start >= end))
		return NULL;
	amap = kzalloc(sizeof(*amap), gfp);
	if (!amap)
		return NULL;
	/* the run nodes of its first reference (see uvm.h) */
	if (uvm_ppres_fill(&amap->am_pool, gfp))
		goto fail;
	if (lock) {
		lockdep_assert_held(&lock->lock);
		uvm_lock_hold(lock);
	} else {
		lock = uvm_lock_alloc(gfp);
		if (!lock)
			goto fail;
	}
	amap->am_lock = lock;
	/* (a new lock is nobody else's yet) */
	list_add(&amap->am_list, &lock->amaps);
	amap->am_ref = 1;
	amap->am_start = start;
	amap->am_end = end;
	xa_init(&amap->am_chunks);
	amap->am_ppref = RB_ROOT;
	run = pp_node_get(amap);
	run->start = start;
	run->end = end;
	run->ref = 1;
	rb_link_node(&run->rb, NULL, &amap->am_ppref.rb_node);
	rb_insert_color(&run->rb, &amap->am_ppref);
	amap->am_nruns = 1;
	uvm_stat_inc(UVM_STAT_AMAPS);
	return amap;
fail:
	pp_free_all(amap);
	kfree(amap);
	return NULL;
}
EXPORT_SYMBOL_NS_GPL(amap_alloc, UVM_KUNIT);

/*
 * amap_lock - lock an amap (and with it all anons of its family)
 *
 * => no uvmmod lock below the entry lock held
 */
void amap_lock(struct uvm_amap *amap)
{
	mutex_lock(&amap->am_lock->lock);
}
EXPORT_SYMBOL_NS_GPL(amap_lock, UVM_KUNIT);

/*
 * amap_unlock - unlock an amap
 *
 * => called with amap locked
 */
void amap_unlock(struct uvm_amap *amap)
{
	mutex_unlock(&amap->am_lock->lock);
}
EXPORT_SYMBOL_NS_GPL(amap_unlock, UVM_KUNIT);

/*
 * amap_assert_locked - lockdep check that the amap is locked
 */
void amap_assert_locked(struct uvm_amap *amap)
{
	lockdep_assert_held(&amap->am_lock->lock);
}

/*
 * amap_lookup - the anon in slot @slot, or NULL
 *
 * => called with amap locked
 */
struct uvm_anon *amap_lookup(struct uvm_amap *amap, pgoff_t slot)
{
	struct uvm_amap_chunk *chunk;

	amap_assert_locked(amap);
	if (slot < amap->am_start || slot >= amap->am_end)
		return NULL;
	chunk = xa_load(&amap->am_chunks, slot_chunk(slot));
	return chunk ? chunk->ac_anon[slot_index(slot)] : NULL;
}
EXPORT_SYMBOL_NS_GPL(amap_lookup, UVM_KUNIT);

/*
 * amap_lookups - the anons in slots [@slot, @slot + @n), NULL where empty
 *
 * => called with amap locked
 */
void amap_lookups(struct uvm_amap *amap, pgoff_t slot,
		  struct uvm_anon **anons, unsigned int n)
{
	struct uvm_amap_chunk *chunk = NULL;
	unsigned long cur = ULONG_MAX;
	unsigned int i;

	amap_assert_locked(amap);
	for (i = 0; i < n; i++, slot++) {
		if (slot < amap->am_start || slot >= amap->am_end) {
			anons[i] = NULL;
			continue;
		}
		if (slot_chunk(slot) != cur) {
			cur = slot_chunk(slot);
			chunk = xa_load(&amap->am_chunks, cur);
		}
		anons[i] = chunk ? chunk->ac_anon[slot_index(slot)] : NULL;
	}
}
EXPORT_SYMBOL_NS_GPL(amap_lookups, UVM_KUNIT);

/*
 * amap_add - put @anon in slot @slot
 * @replace: the slot holds an anon that @anon replaces (the caller deals
 *	with the old anon's reference); else the slot must be empty
 * @gfp: for a new chunk: UVM_GFP_LOCKED in faults (see uvm.h)
 * @spare: if not NULL, an empty chunk (from amap_chunk_alloc()) to use
 *	before allocating one; it is taken (*@spare = NULL) if used
 *
 * => called with amap locked; sleeps to allocate only if @gfp allows
 *
 * Return: 0, or -ENOMEM if a chunk (or the xarray's node for it) could not
 * be allocated.
 */
int amap_add(struct uvm_amap *amap, pgoff_t slot, struct uvm_anon *anon,
	     bool replace, gfp_t gfp, struct uvm_amap_chunk **spare)
{
	struct uvm_amap_chunk *chunk;
	unsigned int i = slot_index(slot);
	void *old;

	amap_assert_locked(amap);
	if (WARN_ON_ONCE(slot < amap->am_start || slot >= amap->am_end))
		return -EINVAL;
	chunk = xa_load(&amap->am_chunks, slot_chunk(slot));
	if (replace) {
		if (WARN_ON_ONCE(!chunk || !chunk->ac_anon[i]))
			return -EINVAL;
		chunk->ac_anon[i] = anon;
		goto queue;
	}
	if (!chunk) {
		if (spare && *spare) {
			chunk = *spare;
			*spare = NULL;
		} else {
			chunk = chunk_alloc(gfp);
		}
		if (!chunk)
			return -ENOMEM;
		old = xa_store(&amap->am_chunks, slot_chunk(slot), chunk,
			       gfp | __GFP_ACCOUNT);
		if (xa_is_err(old)) {
			/* (still empty: back to the spare if there was one) */
			if (spare)
				*spare = chunk;
			else
				chunk_free(chunk);
			return xa_err(old);
		}
	}
	WARN_ON_ONCE(chunk->ac_anon[i]);
	chunk->ac_anon[i] = anon;
	chunk->ac_usedmap |= BIT(i);
	amap->am_nused++;
queue:
	/* a new anon's page joins the page queues (once) */
	if (anon->an_page)
		uvm_pageactivate(anon->an_page, amap->am_lock, slot);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(amap_add, UVM_KUNIT);

/*
 * amap_unadd - empty slot @slot (the caller deals with the anon)
 *
 * => called with amap locked
 */
void amap_unadd(struct uvm_amap *amap, pgoff_t slot)
{
	struct uvm_amap_chunk *chunk;
	unsigned int i = slot_index(slot);

	amap_assert_locked(amap);
	chunk = xa_load(&amap->am_chunks, slot_chunk(slot));
	if (WARN_ON_ONCE(!chunk || !chunk->ac_anon[i]))
		return;
	chunk->ac_anon[i] = NULL;
	chunk->ac_usedmap &= ~BIT(i);
	amap->am_nused--;
	if (!chunk->ac_usedmap) {
		xa_erase(&amap->am_chunks, slot_chunk(slot));
		chunk_free(chunk);
	}
}
EXPORT_SYMBOL_NS_GPL(amap_unadd, UVM_KUNIT);

/*
 * amap_wipe: drop the anons of slots [start, end), visiting only the chunks
 * that exist; with @lock_pages, each page is locked while its anon goes
 * (see amap_wipe_pages()).
 */
static void amap_wipe(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
		      bool lock_pages)
{
	struct uvm_amap_chunk *chunk;
	unsigned long idx;

	amap_assert_locked(amap);
	xa_for_each_range(&amap->am_chunks, idx, chunk, slot_chunk(start),
			  slot_chunk(end - 1)) {
		unsigned long bits = chunk->ac_usedmap;
		pgoff_t base = idx * UVM_AMAP_CHUNK;
		unsigned int i;

		for_each_set_bit(i, &bits, UVM_AMAP_CHUNK) {
			struct uvm_anon *anon = chunk->ac_anon[i];
			struct page *pg = anon->an_page;
			/* (a paged-out anon has no page; a page-in's waits) */
			bool lock = lock_pages && pg;

			if (base + i < start || base + i >= end)
				continue;
			if (lock) {
				get_page(pg);
				lock_page(pg);
			}
			/* may free the chunk: it is not touched after */
			amap_unadd(amap, base + i);
			uvm_anon_unref(anon);
			if (lock) {
				unlock_page(pg);
				put_page(pg);
			}
		}
	}
}

static void amap_wiperange(struct uvm_amap *amap, pgoff_t start, pgoff_t end)
{
	amap_wipe(amap, start, end, false);
}

/* the run holding @slot (am_start <= slot < am_end) */
static struct uvm_pprun *pp_find(struct uvm_amap *amap, pgoff_t slot)
{
	struct rb_node *n = amap->am_ppref.rb_node;

	while (n) {
		struct uvm_pprun *run = rb_entry(n, struct uvm_pprun, rb);

		if (slot < run->start)
			n = n->rb_left;
		else if (slot >= run->end)
			n = n->rb_right;
		else
			return run;
	}
	return NULL;
}

static struct uvm_pprun *pp_next(struct uvm_pprun *run)
{
	struct rb_node *n = rb_next(&run->rb);

	return n ? rb_entry(n, struct uvm_pprun, rb) : NULL;
}

static struct uvm_pprun *pp_prev(struct uvm_pprun *run)
{
	struct rb_node *n = rb_prev(&run->rb);

	return n ? rb_entry(n, struct uvm_pprun, rb) : NULL;
}

/* put @new, just after @run in slot order, in the tree */
static void pp_insert_after(struct uvm_amap *amap, struct uvm_pprun *run,
			    struct uvm_pprun *new)
{
	struct rb_node **link = &run->rb.rb_right, *parent = &run->rb;

	while (*link) {
		parent = *link;
		link = &parent->rb_left;
	}
	rb_link_node(&new->rb, parent, link);
	rb_insert_color(&new->rb, &amap->am_ppref);
	amap->am_nruns++;
}

/* split @run at @at (run->start < at < run->end); return the right part */
static struct uvm_pprun *pp_split(struct uvm_amap *amap,
				  struct uvm_pprun *run, pgoff_t at)
{
	struct uvm_pprun *right = pp_node_get(amap);

	right->start = at;
	right->end = run->end;
	right->ref = run->ref;
	run->end = at;
	pp_insert_after(amap, run, right);
	return right;
}

/* merge @run into its left neighbour if their counts are equal */
static void pp_merge_left(struct uvm_amap *amap, struct uvm_pprun *run)
{
	struct uvm_pprun *left = run ? pp_prev(run) : NULL;

	if (!left || left->ref != run->ref)
		return;
	left->end = run->end;
	rb_erase(&run->rb, &amap->am_ppref);
	amap->am_nruns--;
	pp_node_put(amap, run);
}

/*
 * pp_adjust: add @delta to the per-page count of slots [start, end), then
 * wipe the slots whose count dropped to 0.
 *
 * The runs at @start and @end are split if they straddle them (two nodes
 * from the pool at most), the runs in between change, and only the runs
 * at the two edges can then merge with a neighbour (the ones inside keep
 * their differences). O(log n) plus the runs in the range.
 */
static void pp_adjust(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
		      int delta)
{
	struct uvm_pprun *run, *first, *next;

	amap_assert_locked(amap);
	if (WARN_ON_ONCE(start < amap->am_start || end > amap->am_end ||
			 start >= end))
		return;
	run = pp_find(amap, start);
	if (run->start < start)
		run = pp_split(amap, run, start);
	first = run;
	for (; run && run->start < end; run = next) {
		if (run->end > end)
			pp_split(amap, run, end);
		WARN_ON_ONCE((int)run->ref + delta < 0);
		run->ref += delta;
		next = pp_next(run);
		if (!run->ref)
			amap_wiperange(amap, run->start, run->end);
	}
	/* @run is now the run at @end (or none): merge the edges */
	if (run)
		pp_merge_left(amap, run);
	pp_merge_left(amap, first);
}

/*
 * amap_ppref_get - the number of map entries referencing slot @slot
 *
 * => called with amap locked
 */
unsigned int amap_ppref_get(struct uvm_amap *amap, pgoff_t slot)
{
	struct uvm_pprun *run;

	amap_assert_locked(amap);
	if (slot < amap->am_start || slot >= amap->am_end)
		return 0;
	run = pp_find(amap, slot);
	return run ? run->ref : 0;
}
EXPORT_SYMBOL_NS_GPL(amap_ppref_get, UVM_KUNIT);

/*
 * the UVM_PP_SHARE run nodes a new reference brings to the amap: from the
 * entry's @res, or (a caller without a reserve, KUnit) fresh ones in
 * @fresh, allocated now, with the amap unlocked; the caller drains @fresh
 */
static struct uvm_ppres *pp_share(struct uvm_ppres *res,
				  struct uvm_ppres *fresh)
{
	if (res && res->n >= UVM_PP_SHARE)
		return res;
	uvm_ppres_fill(fresh, GFP_KERNEL | __GFP_NOFAIL);
	return fresh;
}

/*
 * amap_ref - a new map entry references slots [@start, @end) of @amap
 * @res: the new entry's run nodes, given to the amap (see uvm.h)
 *
 * => amap not locked
 */
void amap_ref(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
	      struct uvm_ppres *res)
{
	struct uvm_ppres fresh = { NULL, 0 };

	res = pp_share(res, &fresh);
	amap_lock(amap);
	ppres_move(&amap->am_pool, res, UVM_PP_SHARE);
	amap->am_ref++;
	if (start < end)	/* (empty: mremap of old_size 0) */
		pp_adjust(amap, start, end, 1);
	amap_unlock(amap);
	uvm_ppres_drain(&fresh);
}
EXPORT_SYMBOL_NS_GPL(amap_ref, UVM_KUNIT);

/*
 * amap_extend - the entry covering slots up to @end of @amap grows to
 *	@new_end (mremap): it references slots [@end, @new_end) too
 *
 * UVM's amap_extend, for a sparse amap: only the covered range and the
 * per-page reference runs grow, nothing is allocated for the slots. A slot
 * no entry references has no anon (pp_adjust() wiped it), so the new slots
 * start empty: zero-fill memory. Slots another entry references (a piece of
 * the same mapping moved elsewhere keeps its slot numbers, and so does a
 * fork relative) cannot be handed out again: the caller copies the amap
 * instead.
 *
 * => called with amap locked
 *
 * Return: 0, or -EBUSY if a slot of [@end, @new_end) is referenced.
 */
int amap_extend(struct uvm_amap *amap, pgoff_t end, pgoff_t new_end)
{
	struct uvm_pprun *run, *last;

	amap_assert_locked(amap);
	if (WARN_ON_ONCE(end >= new_end || end < amap->am_start ||
			 end > amap->am_end))
		return -EINVAL;
	for (run = end < amap->am_end ? pp_find(amap, end) : NULL;
	     run && run->start < new_end; run = pp_next(run))
		if (run->ref)
			return -EBUSY;
	if (new_end > amap->am_end) {
		/* slots no entry references yet (pp_adjust merges) */
		last = rb_entry(rb_last(&amap->am_ppref), struct uvm_pprun, rb);
		if (!last->ref) {
			last->end = new_end;
		} else {
			run = pp_node_get(amap);
			run->start = amap->am_end;
			run->end = new_end;
			run->ref = 0;
			pp_insert_after(amap, last, run);
		}
		amap->am_end = new_end;
	}
	pp_adjust(amap, end, new_end, 1);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(amap_extend, UVM_KUNIT);

/*
 * amap_splitref - a map entry was split in two: both halves reference the
 *	amap, each slot still by one entry
 * @res: the new half's run nodes, given to the amap (see uvm.h)
 *
 * => amap not locked
 */
void amap_splitref(struct uvm_amap *amap, struct uvm_ppres *res)
{
	struct uvm_ppres fresh = { NULL, 0 };

	res = pp_share(res, &fresh);
	amap_lock(amap);
	ppres_move(&amap->am_pool, res, UVM_PP_SHARE);
	amap->am_ref++;
	amap_unlock(amap);
	uvm_ppres_drain(&fresh);
}
EXPORT_SYMBOL_NS_GPL(amap_splitref, UVM_KUNIT);

/*
 * amap_wipeout: free every anon and chunk of an amap whose last reference
 * went away.
 */
static void amap_wipeout(struct uvm_amap *amap)
{
	struct uvm_pagebatch pb = { .nr = 0 };
	struct uvm_amap_chunk *chunk;
	unsigned long idx;

	amap_assert_locked(amap);
	/* the page daemon no longer finds anons in it */
	list_del_init(&amap->am_list);
	xa_for_each(&amap->am_chunks, idx, chunk) {
		unsigned long bits = chunk->ac_usedmap;
		unsigned int i;

		for_each_set_bit(i, &bits, UVM_AMAP_CHUNK)
			uvm_anon_unref_batch(chunk->ac_anon[i], &pb);
		amap->am_nused -= hweight_long(bits);
		chunk_free(chunk);
	}
	uvm_pagebatch_flush(&pb);
	WARN_ON_ONCE(amap->am_nused);
	xa_destroy(&amap->am_chunks);
}

/* free @amap, whose last reference went away or which was never used */
static void amap_free(struct uvm_amap *amap)
{
	uvm_lock_put(amap->am_lock);
	pp_free_all(amap);
	kfree(amap);
	uvm_stat_dec(UVM_STAT_AMAPS);
}

/*
 * amap_unref - a map entry stops referencing slots [@start, @end)
 * @res: the entry's run nodes, which get UVM_PP_SHARE nodes back from the
 *	amap (NULL: they are freed)
 *
 * Slots no entry references any more lose their anons; the amap is freed
 * with its last reference.
 *
 * => amap not locked
 */
void amap_unref(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
		struct uvm_ppres *res)
{
	struct uvm_ppres back = { NULL, 0 };
	bool last;

	amap_lock(amap);
	if (start < end)
		pp_adjust(amap, start, end, -1);
	last = --amap->am_ref == 0;
	if (last)
		amap_wipeout(amap);
	else
		ppres_move(&back, &amap->am_pool, UVM_PP_SHARE);
	amap_unlock(amap);
	/* the entry keeps what it needs for its next reference */
	if (res && res->n < UVM_PP_SHARE)
		ppres_move(res, &back, UVM_PP_SHARE - res->n);
	uvm_ppres_drain(&back);
	if (last)
		amap_free(amap);
}
EXPORT_SYMBOL_NS_GPL(amap_unref, UVM_KUNIT);

/*
 * amap_cow_now - resolve every copy-on-write in slots [@start, @end) of
 *	@amap now: each anon it shares with another amap (an_ref > 1) is
 *	replaced by a private copy
 *
 * UVM does this to the child's amap when a wired entry is forked, so that
 * the parent, whose wired memory must never fault, keeps its pages
 * writable, and when memory is wired (as a write fault on every page
 * would). On failure the anons not yet copied are still shared: the
 * caller must then write-protect the other side, or drop its locks, wait
 * for memory (uvm_wait()) and call again.
 *
 * => called with amap locked; sleeps to allocate only if @gfp allows
 *    (UVM_GFP_LOCKED under an entry lock, see uvm.h)
 *
 * Return: the number of anons copied, or -ENOMEM.
 */
int amap_cow_now(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
		 gfp_t gfp)
{
	return amap_cow_now_if(amap, start, end, gfp, false);
}
EXPORT_SYMBOL_NS_GPL(amap_cow_now, UVM_KUNIT);

/*
 * amap_has_pinned - whether an anon of slots [@start, @end) of @amap has
 *	a page that may be pinned for DMA
 *
 * => called with amap locked
 */
bool amap_has_pinned(struct uvm_amap *amap, pgoff_t start, pgoff_t end)
{
	struct uvm_anon *anon;
	pgoff_t slot;

	amap_assert_locked(amap);
	for (slot = start; (anon = amap_next_anon(amap, &slot, end)); slot++)
		if (uvm_anon_resident(anon) &&
		    uvm_page_maybe_pinned(anon->an_page))
			return true;
	return false;
}

/*
 * amap_cow_now_if: amap_cow_now(), for every shared anon or (@pinned) only
 * for those whose page may be pinned for DMA: at fork the child gets its
 * own copy of those, as native fork does (a DMA in flight keeps writing to
 * the parent's page, which the parent keeps).
 *
 * => called with amap locked; sleeps to allocate only if @gfp allows
 *
 * Return: the number of anons copied, or -ENOMEM.
 */
int amap_cow_now_if(struct uvm_amap *amap, pgoff_t start, pgoff_t end,
		    gfp_t gfp, bool pinned)
{
	struct uvm_amap_chunk *chunk;
	unsigned long idx;
	int copied = 0;

	amap_assert_locked(amap);
	if (start >= end)
		return 0;
	xa_for_each_range(&amap->am_chunks, idx, chunk, slot_chunk(start),
			  slot_chunk(end - 1)) {
		pgoff_t base = idx * UVM_AMAP_CHUNK;
		unsigned long bits = chunk->ac_usedmap;
		unsigned int i;

		for_each_set_bit(i, &bits, UVM_AMAP_CHUNK) {
			struct uvm_anon *anon = chunk->ac_anon[i], *nanon;

			/*
			 * (a paged-out anon stays shared: its pages are never
			 * pinned; wiring pages them in first)
			 */
			if (anon->an_ref == 1 || base + i < start ||
			    base + i >= end || !uvm_anon_resident(anon) ||
			    (pinned && !uvm_page_maybe_pinned(anon->an_page)))
				continue;
			nanon = uvm_analloc(amap->am_lock, false, gfp);
			if (!nanon)
				return -ENOMEM;
			uvm_pagecopy(anon->an_page, nanon->an_page);
			uvm_stat_inc(UVM_STAT_COW_COPIES);
			chunk->ac_anon[i] = nanon;
			uvm_pageactivate(nanon->an_page, amap->am_lock,
					 base + i);
			anon->an_ref--;
			copied++;
		}
	}
	return copied;
}

/*
 * amap_next_anon - the first anon in slots [*@slot, @end), visiting only
 *	the chunks that exist
 *
 * => called with amap locked
 *
 * Return: the anon (*@slot is its slot), or NULL if there is none.
 */
struct uvm_anon *amap_next_anon(struct uvm_amap *amap, pgoff_t *slot,
				pgoff_t end)
{
	struct uvm_amap_chunk *chunk;
	unsigned long idx = slot_chunk(*slot);

	amap_assert_locked(amap);
	while (*slot < end &&
	       (chunk = xa_find(&amap->am_chunks, &idx, slot_chunk(end - 1),
				XA_PRESENT))) {
		pgoff_t base = idx * UVM_AMAP_CHUNK;
		unsigned int i;

		for (i = 0; i < UVM_AMAP_CHUNK; i++)
			if (chunk->ac_anon[i] && base + i >= *slot &&
			    base + i < end) {
				*slot = base + i;
				return chunk->ac_anon[i];
			}
		*slot = base + UVM_AMAP_CHUNK;
		idx++;
	}
	return NULL;
}
EXPORT_SYMBOL_NS_GPL(amap_next_anon, UVM_KUNIT);

/*
 * amap_wipe_pages - drop the anons of slots [@start, @end) for
 *	MADV_DONTNEED, locking each page while it goes
 *
 * Linux maps the page a fault chose after the fault handler returns, with
 * the page locked (see uvmfault_relock()). Taking the page lock here waits
 * for such an install to finish, so that the zap that follows this call
 * removes it: no PTE is left pointing at a page whose anon is gone.
 *
 * => called with amap locked
 */
void amap_wipe_pages(struct uvm_amap *amap, pgoff_t start, pgoff_t end)
{
	amap_wipe(amap, start, end, true);
}
EXPORT_SYMBOL_NS_GPL(amap_wipe_pages, UVM_KUNIT);

/*
 * amap_copy_range - a new amap for slots [@start, @end) sharing the anons
 *	of @src (each gains a reference) and @src's lock
 *
 * Used to resolve needs-copy: the copy and the source then both point at
 * the same anons, which are copied on the first write (fault case 1B).
 * Only the chunks that exist are visited.
 *
 * => called with @src locked
 *
 * Return: the new amap (one reference), or NULL if out of memory.
 */
struct uvm_amap *amap_copy_range(struct uvm_amap *src, pgoff_t start,
				 pgoff_t end, gfp_t gfp)
{
	struct uvm_amap_chunk *chunk, *nchunk;
	struct uvm_amap *amap;
	unsigned long idx;

	amap_assert_locked(src);
	amap = amap_alloc(start, end, src->am_lock, gfp);
	if (!amap)
		return NULL;
	start = max(start, src->am_start);
	end = min(end, src->am_end);
	if (start >= end)
		return amap;
	xa_for_each_range(&src->am_chunks, idx, chunk, slot_chunk(start),
			  slot_chunk(end - 1)) {
		pgoff_t base = idx * UVM_AMAP_CHUNK;
		unsigned long bits = chunk->ac_usedmap;
		unsigned int i;
		void *old;

		nchunk = NULL;
		for_each_set_bit(i, &bits, UVM_AMAP_CHUNK) {
			if (base + i < start || base + i >= end)
				continue;
			if (!nchunk) {
				nchunk = chunk_alloc(gfp);
				if (!nchunk)
					goto fail;
				old = xa_store(&amap->am_chunks, idx, nchunk,
					       gfp | __GFP_ACCOUNT);
				if (xa_is_err(old)) {
					chunk_free(nchunk);
					goto fail;
				}
			}
			nchunk->ac_anon[i] = chunk->ac_anon[i];
			nchunk->ac_usedmap |= BIT(i);
			nchunk->ac_anon[i]->an_ref++;
			amap->am_nused++;
		}
	}
	return amap;
fail:
	/* drop what was copied; the amap's lock is held by our caller */
	amap_wipeout(amap);
	amap_free(amap);
	return NULL;
}
EXPORT_SYMBOL_NS_GPL(amap_copy_range, UVM_KUNIT);
