// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_amap_test.c: KUnit suite "uvm_amap": slots and chunks, lookups,
 * copy, per-page reference counts (ppref), splitref and extend.
 */
#include <linux/prandom.h>

#include "uvm_kunit.h"
#include "uvm_kunit_util.h"

/*
 * put a fresh anon in @slot of a locked amap; the anon and its chunk are
 * allocated with the amap unlocked, as the fault does (nothing that may
 * reclaim under an amap lock: lockdep holds the suites to it too)
 */
static struct uvm_anon *add_anon(struct kunit *test, struct uvm_amap *amap,
				 pgoff_t slot)
{
	struct uvm_amap_chunk *chunk;
	struct uvm_anon *anon;

	amap_unlock(amap);
	anon = uvm_analloc(NULL, true, GFP_KERNEL);
	chunk = amap_chunk_alloc(GFP_KERNEL);
	amap_lock(amap);
	KUNIT_ASSERT_NOT_NULL(test, anon);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	uvm_anon_set_lock(anon, amap->am_lock);
	KUNIT_ASSERT_EQ(test, amap_add(amap, slot, anon, false,
				       UVM_GFP_LOCKED, &chunk), 0);
	if (chunk)
		amap_chunk_free(chunk);
	return anon;
}

static unsigned long nchunks(struct uvm_amap *amap)
{
	unsigned long idx, n = 0;
	void *chunk;

	xa_for_each(&amap->am_chunks, idx, chunk)
		n++;
	return n;
}

/* a new amap: one reference, no anons, every slot referenced once */
static void uvm_amap_test_alloc(struct kunit *test)
{
	struct uvm_gauges g;
	struct uvm_amap *amap;

	uvm_gauges_read(&g);
	amap = amap_alloc(10, 110, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, amap);
	KUNIT_EXPECT_EQ(test, amap->am_ref, 1U);
	KUNIT_EXPECT_EQ(test, amap->am_nused, 0UL);
	amap_lock(amap);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 10), 1U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 109), 1U);
	KUNIT_EXPECT_EQ(test, amap->am_nruns, 1U);
	KUNIT_EXPECT_NULL(test, amap_lookup(amap, 50));
	KUNIT_EXPECT_NULL(test, amap_lookup(amap, 9));	/* outside */
	amap_unlock(amap);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_AMAPS), 1L);
	amap_unref(amap, 10, 110, NULL);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * Chunk boundaries: slots 15|16 and 31|32 straddle chunks; a 1 TiB amap
 * touched at a few slots holds only the chunks of those slots; a chunk
 * goes when its last slot is emptied.
 */
static void uvm_amap_test_chunks(struct kunit *test)
{
	const pgoff_t huge = 1UL << 28;	/* 1 TiB of 4 KiB pages */
	const pgoff_t slots[] = { 15, 16, 31, 32, huge - 1 };
	struct uvm_anon *anons[ARRAY_SIZE(slots)], *got[4];
	struct uvm_gauges g;
	struct uvm_amap *amap;
	unsigned int i;

	uvm_gauges_read(&g);
	amap = amap_alloc(0, huge, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, amap);
	amap_lock(amap);
	for (i = 0; i < ARRAY_SIZE(slots); i++)
		anons[i] = add_anon(test, amap, slots[i]);
	KUNIT_EXPECT_EQ(test, amap->am_nused, 5UL);
	KUNIT_EXPECT_EQ(test, nchunks(amap), 4UL);	/* 0, 1, 2, last */
	for (i = 0; i < ARRAY_SIZE(slots); i++)
		KUNIT_EXPECT_PTR_EQ(test, amap_lookup(amap, slots[i]),
				    anons[i]);

	amap_lookups(amap, 14, got, 4);		/* 14..17 */
	KUNIT_EXPECT_NULL(test, got[0]);
	KUNIT_EXPECT_PTR_EQ(test, got[1], anons[0]);
	KUNIT_EXPECT_PTR_EQ(test, got[2], anons[1]);
	KUNIT_EXPECT_NULL(test, got[3]);
	amap_lookups(amap, huge - 2, got, 4);	/* runs off the end */
	KUNIT_EXPECT_NULL(test, got[0]);
	KUNIT_EXPECT_PTR_EQ(test, got[1], anons[4]);
	KUNIT_EXPECT_NULL(test, got[2]);
	KUNIT_EXPECT_NULL(test, got[3]);

	/* emptying slot 15 frees chunk 0 */
	amap_unadd(amap, 15);
	uvm_anon_unref(anons[0]);
	KUNIT_EXPECT_EQ(test, nchunks(amap), 3UL);
	KUNIT_EXPECT_NULL(test, amap_lookup(amap, 15));
	amap_unlock(amap);

	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ANONS), 4L);
	amap_unref(amap, 0, huge, NULL);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* amap_copy_range shares the anons of its range, with a reference each */
static void uvm_amap_test_copy(struct kunit *test)
{
	struct uvm_amap *src, *full, *part;
	struct uvm_anon *a3, *a5;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	src = amap_alloc(0, 10, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	amap_lock(src);
	a3 = add_anon(test, src, 3);
	a5 = add_anon(test, src, 5);
	full = amap_copy_range(src, 0, 10, UVM_GFP_LOCKED);
	part = amap_copy_range(src, 4, 10, UVM_GFP_LOCKED);
	KUNIT_ASSERT_NOT_NULL(test, full);
	KUNIT_ASSERT_NOT_NULL(test, part);
	KUNIT_EXPECT_PTR_EQ(test, full->am_lock, src->am_lock);
	KUNIT_EXPECT_PTR_EQ(test, amap_lookup(full, 3), a3);
	KUNIT_EXPECT_PTR_EQ(test, amap_lookup(full, 5), a5);
	KUNIT_EXPECT_NULL(test, amap_lookup(part, 3));
	KUNIT_EXPECT_PTR_EQ(test, amap_lookup(part, 5), a5);
	KUNIT_EXPECT_EQ(test, a3->an_ref, 2U);
	KUNIT_EXPECT_EQ(test, a5->an_ref, 3U);
	KUNIT_EXPECT_EQ(test, full->am_nused, 2UL);
	amap_unlock(src);

	amap_unref(full, 0, 10, NULL);
	KUNIT_EXPECT_EQ(test, a3->an_ref, 1U);
	KUNIT_EXPECT_EQ(test, a5->an_ref, 2U);
	amap_unref(src, 0, 10, NULL);		/* a3 goes, a5 stays in part */
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ANONS), 1L);
	KUNIT_EXPECT_EQ(test, a5->an_ref, 1U);
	amap_unref(part, 4, 10, NULL);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * ppref: a second entry references slots [2, 6). When the first entry (all
 * slots) goes, slots 1 and 7 lose their anons at once, slot 3 keeps its;
 * the amap goes with the second entry.
 */
static void uvm_amap_test_ppref(struct kunit *test)
{
	struct uvm_anon *a1, *a3, *a7;
	struct uvm_gauges g;
	struct uvm_amap *amap;

	uvm_gauges_read(&g);
	amap = amap_alloc(0, 10, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, amap);
	amap_ref(amap, 2, 6, NULL);
	amap_lock(amap);
	KUNIT_EXPECT_EQ(test, amap->am_ref, 2U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 1), 1U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 2), 2U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 5), 2U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 6), 1U);
	KUNIT_EXPECT_EQ(test, amap->am_nruns, 3U);
	a1 = add_anon(test, amap, 1);
	a3 = add_anon(test, amap, 3);
	a7 = add_anon(test, amap, 7);
	amap_unlock(amap);

	amap_unref(amap, 0, 10, NULL);
	amap_lock(amap);
	KUNIT_EXPECT_EQ(test, amap->am_ref, 1U);
	KUNIT_EXPECT_NULL(test, amap_lookup(amap, 1));
	KUNIT_EXPECT_PTR_EQ(test, amap_lookup(amap, 3), a3);
	KUNIT_EXPECT_NULL(test, amap_lookup(amap, 7));
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 1), 0U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 3), 1U);
	amap_unlock(amap);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ANONS), 1L);

	/* overlapping references merge back into equal runs */
	amap_ref(amap, 4, 6, NULL);
	amap_unref(amap, 4, 6, NULL);
	amap_lock(amap);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 4), 1U);
	KUNIT_EXPECT_EQ(test, amap->am_nruns, 3U);	/* 0 | 1 | 0 */
	amap_unlock(amap);

	amap_unref(amap, 2, 6, NULL);
	UVM_EXPECT_ALL_FREED(test, &g);
	(void)a1;
	(void)a7;
}

/*
 * splitref: an entry split in two makes two references to the amap, but
 * each slot is still referenced once; unreferencing each half frees its
 * slots and the last one frees the amap.
 */
static void uvm_amap_test_splitref(struct kunit *test)
{
	struct uvm_gauges g;
	struct uvm_amap *amap;

	uvm_gauges_read(&g);
	amap = amap_alloc(0, 32, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, amap);
	amap_lock(amap);
	add_anon(test, amap, 3);
	add_anon(test, amap, 20);
	amap_unlock(amap);
	amap_splitref(amap, NULL);		/* [0, 16) and [16, 32) */
	amap_lock(amap);
	KUNIT_EXPECT_EQ(test, amap->am_ref, 2U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 3), 1U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 20), 1U);
	amap_unlock(amap);
	amap_unref(amap, 16, 32, NULL);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ANONS), 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_AMAPS), 1L);
	amap_unref(amap, 0, 16, NULL);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* amap_next_anon walks the used slots of a range, across chunks */
static void uvm_amap_test_next_anon(struct kunit *test)
{
	const pgoff_t slots[] = { 3, 15, 16, 200, 5000 };
	struct uvm_anon *anons[ARRAY_SIZE(slots)], *a;
	struct uvm_gauges g;
	struct uvm_amap *amap;
	unsigned int i = 0;
	pgoff_t slot;

	uvm_gauges_read(&g);
	amap = amap_alloc(0, 10000, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, amap);
	amap_lock(amap);
	for (i = 0; i < ARRAY_SIZE(slots); i++)
		anons[i] = add_anon(test, amap, slots[i]);
	i = 1;		/* start after slot 3 */
	for (slot = 4; (a = amap_next_anon(amap, &slot, 5000)); slot++, i++) {
		KUNIT_ASSERT_LT(test, i, 4U);
		KUNIT_EXPECT_EQ(test, slot, slots[i]);
		KUNIT_EXPECT_PTR_EQ(test, a, anons[i]);
	}
	KUNIT_EXPECT_EQ(test, i, 4U);	/* 15, 16, 200; 5000 is the end */
	slot = 201;
	KUNIT_EXPECT_NULL(test, amap_next_anon(amap, &slot, 4999));
	amap_unlock(amap);
	amap_unref(amap, 0, 10000, NULL);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* amap_wipe_pages drops the anons of a range only, its pages freed */
static void uvm_amap_test_wipe_pages(struct kunit *test)
{
	struct uvm_gauges g;
	struct uvm_amap *amap;
	pgoff_t s;

	uvm_gauges_read(&g);
	amap = amap_alloc(0, 64, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, amap);
	amap_lock(amap);
	for (s = 0; s < 64; s += 4)
		add_anon(test, amap, s);
	amap_wipe_pages(amap, 10, 40);	/* 12, 16, ..., 36 */
	KUNIT_EXPECT_EQ(test, amap->am_nused, 16UL - 7);
	KUNIT_EXPECT_NOT_NULL(test, amap_lookup(amap, 8));
	KUNIT_EXPECT_NULL(test, amap_lookup(amap, 12));
	KUNIT_EXPECT_NULL(test, amap_lookup(amap, 36));
	KUNIT_EXPECT_NOT_NULL(test, amap_lookup(amap, 40));
	amap_unlock(amap);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PAGES), 9L);
	amap_unref(amap, 0, 64, NULL);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * amap_cow_now: in the copy of an amap, the anons shared with the original
 * (an_ref 2) within the range get copies (same data, own page, ref 1); the
 * original keeps its anons, now with ref 1; slots outside the range stay
 * shared.
 */
static void uvm_amap_test_cow_now(struct kunit *test)
{
	struct uvm_amap *amap, *copy;
	struct uvm_anon *a[3], *c;
	struct uvm_gauges g;
	int i;

	uvm_gauges_read(&g);
	amap = amap_alloc(0, 64, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, amap);
	amap_lock(amap);
	a[0] = add_anon(test, amap, 3);
	a[1] = add_anon(test, amap, 17);
	a[2] = add_anon(test, amap, 40);
	for (i = 0; i < 3; i++)
		uvm_page_fill(a[i]->an_page, 0x40 + i);
	copy = amap_copy_range(amap, 0, 64, UVM_GFP_LOCKED);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_EQ(test, a[1]->an_ref, 2U);
	KUNIT_EXPECT_EQ(test, amap_cow_now(copy, 0, 32, UVM_GFP_LOCKED), 2);
	for (i = 0; i < 2; i++) {
		c = amap_lookup(copy, i ? 17 : 3);
		KUNIT_EXPECT_PTR_NE(test, c, a[i]);
		KUNIT_EXPECT_EQ(test, c->an_ref, 1U);
		KUNIT_EXPECT_EQ(test, a[i]->an_ref, 1U);
		KUNIT_EXPECT_TRUE(test, uvm_page_is(c->an_page, 0x40 + i));
	}
	/* slot 40 is outside the range: still shared */
	KUNIT_EXPECT_PTR_EQ(test, amap_lookup(copy, 40), a[2]);
	KUNIT_EXPECT_EQ(test, a[2]->an_ref, 2U);
	/* nothing left to copy in the range */
	KUNIT_EXPECT_EQ(test, amap_cow_now(copy, 0, 32, UVM_GFP_LOCKED), 0);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_COW_COPIES), 2L);
	amap_unlock(amap);
	amap_unref(copy, 0, 64, NULL);
	amap_unref(amap, 0, 64, NULL);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * amap_extend: an entry growing over slots another entry references is
 * refused (-EBUSY: the caller copies instead); over unreferenced slots,
 * inside the amap or past its end, the entry references them, empty.
 */
static void uvm_amap_test_extend(struct kunit *test)
{
	struct uvm_gauges g;
	struct uvm_amap *amap;

	uvm_gauges_read(&g);
	amap = amap_alloc(0, 20, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, amap);
	amap_splitref(amap, NULL);		/* entries [0, 10) and [10, 20) */
	amap_lock(amap);
	add_anon(test, amap, 3);
	add_anon(test, amap, 12);
	KUNIT_EXPECT_EQ(test, amap_extend(amap, 10, 15), -EBUSY);
	KUNIT_EXPECT_EQ(test, amap->am_end, 20UL);
	amap_unlock(amap);

	amap_unref(amap, 10, 20, NULL);	/* [10, 20) goes: slot 12 wiped */
	amap_lock(amap);
	KUNIT_EXPECT_EQ(test, amap->am_ref, 1U);
	KUNIT_EXPECT_EQ(test, amap_extend(amap, 10, 15), 0);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 14), 1U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 15), 0U);
	KUNIT_EXPECT_NULL(test, amap_lookup(amap, 12));
	KUNIT_EXPECT_NOT_NULL(test, amap_lookup(amap, 3));
	/* past the amap's end: the range grows */
	KUNIT_EXPECT_EQ(test, amap_extend(amap, 15, 40), 0);
	KUNIT_EXPECT_EQ(test, amap->am_end, 40UL);
	KUNIT_EXPECT_EQ(test, amap->am_nruns, 1U);
	KUNIT_EXPECT_EQ(test, amap_ppref_get(amap, 39), 1U);
	add_anon(test, amap, 33);
	amap_unlock(amap);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ANONS), 2L);
	amap_unref(amap, 0, 40, NULL);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * ppref runs against a model: random entries take and drop references to
 * random ranges (an entry drops only what it took, as map entries do);
 * after each step every slot's count and the number of runs (maximal
 * stretches of equal count) match the model, and anons of slots whose
 * count reached 0 are gone.
 */
#define PP_SLOTS	96
#define PP_REFS		24
#define PP_STEPS	2000

static void pp_check(struct kunit *test, struct uvm_amap *amap,
		     const unsigned int *model, unsigned int step)
{
	unsigned int i, runs = 1;

	amap_lock(amap);
	for (i = 0; i < PP_SLOTS; i++) {
		KUNIT_ASSERT_EQ_MSG(test, amap_ppref_get(amap, i), model[i],
				    "step %u slot %u", step, i);
		if (i && model[i] != model[i - 1])
			runs++;
		if (!model[i])
			KUNIT_ASSERT_NULL_MSG(test, amap_lookup(amap, i),
					      "step %u slot %u", step, i);
	}
	KUNIT_ASSERT_EQ_MSG(test, amap->am_nruns, runs, "step %u", step);
	amap_unlock(amap);
}

static void uvm_amap_test_ppref_model(struct kunit *test)
{
	struct pp_ref { pgoff_t start, end; bool live; } *refs;
	struct uvm_ppres res = { NULL, 0 };
	unsigned int *model, i, step, r;
	struct rnd_state rnd;
	struct uvm_gauges g;
	struct uvm_amap *amap;

	refs = kunit_kcalloc(test, PP_REFS, sizeof(*refs), GFP_KERNEL);
	model = kunit_kcalloc(test, PP_SLOTS, sizeof(*model), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, refs);
	KUNIT_ASSERT_NOT_NULL(test, model);
	uvm_gauges_read(&g);
	prandom_seed_state(&rnd, 42);
	amap = amap_alloc(0, PP_SLOTS, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, amap);
	/* the first reference: the whole range, kept to the end */
	for (i = 0; i < PP_SLOTS; i++)
		model[i] = 1;
	amap_lock(amap);
	for (i = 0; i < PP_SLOTS; i += 3)
		add_anon(test, amap, i);
	amap_unlock(amap);
	for (step = 0; step < PP_STEPS; step++) {
		r = prandom_u32_state(&rnd) % PP_REFS;
		if (refs[r].live) {
			amap_unref(amap, refs[r].start, refs[r].end, &res);
			for (i = refs[r].start; i < refs[r].end; i++)
				model[i]--;
			refs[r].live = false;
		} else {
			refs[r].start = prandom_u32_state(&rnd) % PP_SLOTS;
			refs[r].end = refs[r].start + 1 +
				prandom_u32_state(&rnd) %
				(PP_SLOTS - refs[r].start);
			KUNIT_ASSERT_EQ(test, uvm_ppres_fill(&res, GFP_KERNEL),
					0);
			amap_ref(amap, refs[r].start, refs[r].end, &res);
			for (i = refs[r].start; i < refs[r].end; i++)
				model[i]++;
			refs[r].live = true;
		}
		pp_check(test, amap, model, step);
	}
	for (r = 0; r < PP_REFS; r++)
		if (refs[r].live)
			amap_unref(amap, refs[r].start, refs[r].end, &res);
	/* the first reference's slots still have their anons */
	amap_lock(amap);
	KUNIT_EXPECT_EQ(test, amap->am_nruns, 1U);
	KUNIT_EXPECT_EQ(test, amap->am_nused, (unsigned long)PP_SLOTS / 3);
	amap_unlock(amap);
	amap_unref(amap, 0, PP_SLOTS, NULL);
	uvm_ppres_drain(&res);
	UVM_EXPECT_ALL_FREED(test, &g);
}

static struct kunit_case uvm_amap_test_cases[] = {
	KUNIT_CASE(uvm_amap_test_next_anon),
	KUNIT_CASE(uvm_amap_test_wipe_pages),
	KUNIT_CASE(uvm_amap_test_alloc),
	KUNIT_CASE(uvm_amap_test_chunks),
	KUNIT_CASE(uvm_amap_test_copy),
	KUNIT_CASE(uvm_amap_test_ppref),
	KUNIT_CASE(uvm_amap_test_ppref_model),
	KUNIT_CASE(uvm_amap_test_splitref),
	KUNIT_CASE(uvm_amap_test_extend),
	KUNIT_CASE(uvm_amap_test_cow_now),
	{}
};

struct kunit_suite uvm_amap_suite = {
	.name = "uvm_amap",
	.test_cases = uvm_amap_test_cases,
};
