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

static struct kunit_case uvm_aobj_test_cases[] = {
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
