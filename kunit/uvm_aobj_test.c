// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_aobj_test.c: KUnit suite "uvm_aobj": anonymous objects.
 */
#include "uvm_kunit.h"
#include "uvm_kunit_util.h"

/* uao_get zero-fills a new page once and returns the same page after */
static void uvm_aobj_test_get_zero_fill(struct kunit *test)
{
	struct page *pg = NULL, *again = NULL;
	struct uvm_object *uobj;
	struct uvm_gauges g;
	long zf = uvm_stat_read(UVM_STAT_ZERO_FILLS);

	uvm_gauges_read(&g);
	uobj = uao_create(16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, uobj);
	mutex_lock(&uobj->vmobjlock);
	KUNIT_EXPECT_NULL(test, uao_lookup(uobj, 3));
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 3, &pg, UVM_GFP_LOCKED, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0));
	uvm_page_fill(pg, 0x5a);
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 3, &again, UVM_GFP_LOCKED, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, again, pg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(again, 0x5a));
	KUNIT_EXPECT_PTR_EQ(test, uao_lookup(uobj, 3), pg);
	KUNIT_EXPECT_EQ(test, uobj->uo_npages, 1UL);
	/* past the object's end */
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 16, &again, UVM_GFP_LOCKED, NULL), -ENXIO);
	mutex_unlock(&uobj->vmobjlock);
	KUNIT_EXPECT_EQ(test, uvm_stat_read(UVM_STAT_ZERO_FILLS) - zf, 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PAGES), 1L);
	uao_detach(uobj);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* the object and its pages live until the last reference goes */
static void uvm_aobj_test_refs(struct kunit *test)
{
	struct uvm_object *uobj;
	struct uvm_gauges g;
	struct page *pg;
	pgoff_t i;

	uvm_gauges_read(&g);
	/* a huge object: pages are stored sparsely */
	uobj = uao_create(1UL << 28, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, uobj);
	uao_reference(uobj);
	mutex_lock(&uobj->vmobjlock);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, uao_get(uobj, i << 24, &pg, UVM_GFP_LOCKED, NULL), 0);
	mutex_unlock(&uobj->vmobjlock);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PAGES), 4L);
	uao_detach(uobj);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PAGES), 4L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_AOBJS), 1L);
	uao_detach(uobj);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* uao_next_page finds resident pages in index order within a range */
static void uvm_aobj_test_next_page(struct kunit *test)
{
	struct page *a, *b, *pg;
	struct uvm_object *uobj;
	struct uvm_gauges g;
	pgoff_t idx;

	uvm_gauges_read(&g);
	uobj = uao_create(1UL << 20, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, uobj);
	mutex_lock(&uobj->vmobjlock);
	KUNIT_ASSERT_EQ(test, uao_get(uobj, 7, &a, UVM_GFP_LOCKED, NULL), 0);
	KUNIT_ASSERT_EQ(test, uao_get(uobj, 70000, &b, UVM_GFP_LOCKED, NULL), 0);
	idx = 0;
	pg = uao_next_page(uobj, &idx, 1UL << 20);
	KUNIT_EXPECT_PTR_EQ(test, pg, a);
	KUNIT_EXPECT_EQ(test, idx, 7UL);
	idx = 8;
	pg = uao_next_page(uobj, &idx, 1UL << 20);
	KUNIT_EXPECT_PTR_EQ(test, pg, b);
	KUNIT_EXPECT_EQ(test, idx, 70000UL);
	idx = 8;
	KUNIT_EXPECT_NULL(test, uao_next_page(uobj, &idx, 70000));
	mutex_unlock(&uobj->vmobjlock);
	uao_detach(uobj);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * The swap slots of an aobj: an array up to 64 pages, above it a hash of
 * 16-page clusters, each allocated with its first slot and freed with its
 * last; setting returns the old slot (the caller frees it).
 */
static void uvm_aobj_test_swslots(struct kunit *test)
{
	struct uvm_object *small, *big;
	struct uvm_gauges g;
	pgoff_t i;

	uvm_gauges_read(&g);
	small = uao_create(64, GFP_KERNEL);
	big = uao_create(1UL << 28, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_NOT_NULL(test, small->uo_swslots);
	KUNIT_EXPECT_NULL(test, small->uo_swhash);
	KUNIT_EXPECT_NOT_NULL(test, big->uo_swhash);
	KUNIT_EXPECT_EQ(test, big->uo_swhashmask, 255UL);

	mutex_lock(&small->vmobjlock);
	KUNIT_EXPECT_EQ(test, uao_set_swslot(small, 63, 7), 0L);
	KUNIT_EXPECT_EQ(test, uao_find_swslot(small, 63), 7U);
	KUNIT_EXPECT_EQ(test, uao_find_swslot(small, 62), 0U);
	KUNIT_EXPECT_EQ(test, uao_set_swslot(small, 63, 9), 7L);
	KUNIT_EXPECT_EQ(test, small->uo_nswslots, 1UL);
	KUNIT_EXPECT_EQ(test, uao_set_swslot(small, 63, 0), 9L);
	KUNIT_EXPECT_EQ(test, small->uo_nswslots, 0UL);
	mutex_unlock(&small->vmobjlock);

	mutex_lock(&big->vmobjlock);
	/* two slots in one cluster, one in another of the same bucket */
	KUNIT_EXPECT_EQ(test, uao_set_swslot(big, 16, 100), 0L);
	KUNIT_EXPECT_EQ(test, uao_set_swslot(big, 31, 101), 0L);
	KUNIT_EXPECT_EQ(test, uao_set_swslot(big, 16 + (256 << 4), 102), 0L);
	KUNIT_EXPECT_EQ(test, big->uo_nelts, 2UL);
	KUNIT_EXPECT_EQ(test, big->uo_nswslots, 3UL);
	KUNIT_EXPECT_EQ(test, uao_find_swslot(big, 16), 100U);
	KUNIT_EXPECT_EQ(test, uao_find_swslot(big, 31), 101U);
	KUNIT_EXPECT_EQ(test, uao_find_swslot(big, 17), 0U);
	KUNIT_EXPECT_EQ(test, uao_find_swslot(big, 16 + (256 << 4)), 102U);
	KUNIT_EXPECT_EQ(test, uao_find_swslot(big, 32 + (256 << 4)), 0U);
	/* clearing a slot never set allocates nothing */
	KUNIT_EXPECT_EQ(test, uao_set_swslot(big, 1UL << 20, 0), 0L);
	KUNIT_EXPECT_EQ(test, big->uo_nelts, 2UL);
	KUNIT_EXPECT_EQ(test, uao_set_swslot(big, 16, 0), 100L);
	KUNIT_EXPECT_EQ(test, big->uo_nelts, 2UL);
	KUNIT_EXPECT_EQ(test, uao_set_swslot(big, 31, 0), 101L);
	KUNIT_EXPECT_EQ(test, big->uo_nelts, 1UL);
	KUNIT_EXPECT_EQ(test, uao_set_swslot(big, 16 + (256 << 4), 0), 102L);
	KUNIT_EXPECT_EQ(test, big->uo_nelts, 0UL);
	/* a full cluster, then emptied */
	for (i = 0; i < 16; i++)
		uao_set_swslot(big, 4096 + i, 200 + i);
	KUNIT_EXPECT_EQ(test, big->uo_nelts, 1UL);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, uao_set_swslot(big, 4096 + i, 0),
				(long)(200 + i));
	KUNIT_EXPECT_EQ(test, big->uo_nelts, 0UL);
	KUNIT_EXPECT_EQ(test, big->uo_nswslots, 0UL);
	mutex_unlock(&big->vmobjlock);
	uao_detach(small);
	uao_detach(big);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* page out page @idx of @uobj by hand to slot @slot (no I/O: the KUnit area) */
static void aobj_out_by_hand(struct kunit *test, struct uvm_object *uobj,
			     pgoff_t idx, unsigned int slot, int fill)
{
	struct page *pg;

	KUNIT_ASSERT_EQ(test, uao_get(uobj, idx, &pg, UVM_GFP_LOCKED, NULL), 0);
	uvm_page_fill(pg, fill);
	KUNIT_ASSERT_EQ(test, uao_set_swslot(uobj, idx, slot), 0L);
	uao_pageout_done(uobj, idx, pg);
}

/*
 * The page-in paths of uao_get, without I/O (a KUnit swap area has no
 * device): a page-in reads ahead over the pages whose slots follow in
 * swap, up to one without; a page being read is waited for; a failed read
 * is read again once (a read-ahead's failure is not the faulting
 * process's), then the data is lost for good (the slot bad, -EIO, which
 * the fault turns into SIGBUS); a finished read is the resident page.
 */
static void uvm_aobj_test_pagein(struct kunit *test)
{
	struct page *pages[8], *wpages[8], *pg;
	struct uvm_pagein pi = { .pages = pages, .max = 8 };
	struct uvm_pagein wpi = { .pages = wpages, .max = 8 };
	struct uvm_swapdev *sdp;
	struct uvm_object *uobj;
	unsigned int slot, n = 3, i;
	struct uvm_gauges g;

	if (uvm_stat_read(UVM_STAT_SWAP_PAGES))
		kunit_skip(test, "a swap area is on");
	uvm_gauges_read(&g);
	sdp = uvm_swapdev_create(17);
	KUNIT_ASSERT_NOT_NULL(test, sdp);
	KUNIT_ASSERT_EQ(test, uvm_swapdev_insert(sdp, 0), 0);
	uobj = uao_create(16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, uobj);
	slot = uvm_swap_alloc(&n, false);
	KUNIT_ASSERT_NE(test, slot, 0U);
	KUNIT_ASSERT_EQ(test, n, 3U);

	mutex_lock(&uobj->vmobjlock);
	/* pages 4, 5, 6 out in consecutive slots; 7 resident, never out */
	for (i = 0; i < 3; i++)
		aobj_out_by_hand(test, uobj, 4 + i, slot + i, 0x40 + i);
	KUNIT_ASSERT_EQ(test, uao_get(uobj, 7, &pg, UVM_GFP_LOCKED, NULL), 0);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_ONLY), 3L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 3L);

	/* the fault at 4 reads 4, 5 and 6 in one I/O, all locked */
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 4, &pg, UVM_GFP_LOCKED, &pi),
			UVM_PAGEIN_READ);
	KUNIT_ASSERT_EQ(test, pi.n, 3U);
	KUNIT_EXPECT_EQ(test, pi.swslot, slot);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_PTR_EQ(test, uao_lookup(uobj, 4 + i), NULL);
		KUNIT_EXPECT_TRUE(test, PageLocked(pages[i]));
		KUNIT_EXPECT_FALSE(test, PageUptodate(pages[i]));
	}
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_ONLY), 0L);
	/* a second fault, at 5, waits for that read */
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 5, &pg, UVM_GFP_LOCKED, &wpi),
			UVM_PAGEIN_WAIT);
	KUNIT_ASSERT_EQ(test, wpi.n, 1U);
	KUNIT_EXPECT_PTR_EQ(test, wpages[0], pages[1]);
	put_page(wpages[0]);
	mutex_unlock(&uobj->vmobjlock);

	/* the read ends: 4 and 6 arrive, 5 fails (unlocked, not up to date) */
	uvm_page_fill(pages[0], 0x40);
	uvm_page_fill(pages[2], 0x42);
	SetPageUptodate(pages[0]);
	SetPageUptodate(pages[2]);
	for (i = 0; i < 3; i++) {
		unlock_page(pages[i]);
		put_page(pages[i]);
	}

	mutex_lock(&uobj->vmobjlock);
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 4, &pg, UVM_GFP_LOCKED, &pi), 0);
	KUNIT_EXPECT_PTR_EQ(test, pg, pages[0]);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0x40));
	/* clean: 4 keeps its slot */
	KUNIT_EXPECT_EQ(test, uao_find_swslot(uobj, 4), slot);
	KUNIT_EXPECT_PTR_EQ(test, uao_lookup(uobj, 6), pages[2]);
	/* 5: the faulting process reads it once more itself */
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 5, &pg, UVM_GFP_LOCKED, &pi),
			UVM_PAGEIN_READ);
	KUNIT_ASSERT_EQ(test, pi.n, 1U);
	KUNIT_EXPECT_PTR_EQ(test, pages[0], wpages[0]);
	KUNIT_EXPECT_TRUE(test, PageLocked(pages[0]));
	/* that fails too: the page is gone, its slot bad, for everyone */
	unlock_page(pages[0]);
	put_page(pages[0]);
	pi.retried = true;
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 5, &pg, UVM_GFP_LOCKED, &pi), -EIO);
	pi.retried = false;
	KUNIT_EXPECT_EQ(test, uao_find_swslot(uobj, 5), UVM_SWSLOT_BAD);
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 5, &pg, UVM_GFP_LOCKED, &pi), -EIO);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_BAD), 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 2L);
	/* the others are unaffected */
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 6, &pg, UVM_GFP_LOCKED, &pi), 0);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0x42));
	mutex_unlock(&uobj->vmobjlock);

	uao_detach(uobj);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 0L);
	uvm_swapdev_remove(sdp);
	uvm_swapdev_destroy(sdp);
	UVM_EXPECT_ALL_FREED(test, &g);
}

static struct kunit_case uvm_aobj_test_cases[] = {
	KUNIT_CASE(uvm_aobj_test_pagein),
	KUNIT_CASE(uvm_aobj_test_swslots),
	KUNIT_CASE(uvm_aobj_test_next_page),
	KUNIT_CASE(uvm_aobj_test_get_zero_fill),
	KUNIT_CASE(uvm_aobj_test_refs),
	{}
};

struct kunit_suite uvm_aobj_suite = {
	.name = "uvm_aobj",
	.test_cases = uvm_aobj_test_cases,
};
