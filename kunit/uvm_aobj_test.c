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
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 3, &pg, UVM_GFP_LOCKED), 0);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0));
	uvm_page_fill(pg, 0x5a);
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 3, &again, UVM_GFP_LOCKED), 0);
	KUNIT_EXPECT_PTR_EQ(test, again, pg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(again, 0x5a));
	KUNIT_EXPECT_PTR_EQ(test, uao_lookup(uobj, 3), pg);
	KUNIT_EXPECT_EQ(test, uobj->uo_npages, 1UL);
	/* past the object's end */
	KUNIT_EXPECT_EQ(test, uao_get(uobj, 16, &again, UVM_GFP_LOCKED), -ENXIO);
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
		KUNIT_EXPECT_EQ(test, uao_get(uobj, i << 24, &pg, UVM_GFP_LOCKED), 0);
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
	KUNIT_ASSERT_EQ(test, uao_get(uobj, 7, &a, UVM_GFP_LOCKED), 0);
	KUNIT_ASSERT_EQ(test, uao_get(uobj, 70000, &b, UVM_GFP_LOCKED), 0);
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

static struct kunit_case uvm_aobj_test_cases[] = {
	KUNIT_CASE(uvm_aobj_test_next_page),
	KUNIT_CASE(uvm_aobj_test_get_zero_fill),
	KUNIT_CASE(uvm_aobj_test_refs),
	{}
};

struct kunit_suite uvm_aobj_suite = {
	.name = "uvm_aobj",
	.test_cases = uvm_aobj_test_cases,
};
