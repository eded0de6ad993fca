// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_anon_test.c: KUnit suite "uvm_anon": anons, their pages, their
 * reference counts and the shared amap lock.
 */
#include "uvm_kunit.h"
#include "uvm_kunit_util.h"

/* a new anon has a zeroed page, one reference, and is counted */
static void uvm_anon_test_alloc_zero(struct kunit *test)
{
	struct uvm_lock *lock = uvm_lock_alloc(GFP_KERNEL);
	struct uvm_gauges g;
	struct uvm_anon *anon;

	KUNIT_ASSERT_NOT_NULL(test, lock);
	uvm_gauges_read(&g);
	anon = uvm_analloc(lock, true, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, anon);
	KUNIT_EXPECT_EQ(test, anon->an_ref, 1U);
#ifdef CONFIG_LOCKDEP
	KUNIT_EXPECT_PTR_EQ(test, anon->an_lock, lock);
#endif
	KUNIT_EXPECT_TRUE(test, uvm_page_is(anon->an_page, 0));
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ANONS), 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PAGES), 1L);

	mutex_lock(&lock->lock);
	uvm_anon_unref(anon);
	mutex_unlock(&lock->lock);
	UVM_EXPECT_ALL_FREED(test, &g);
	uvm_lock_put(lock);
}

/* an anon lives until its last reference goes */
static void uvm_anon_test_shared_refs(struct kunit *test)
{
	struct uvm_lock *lock = uvm_lock_alloc(GFP_KERNEL);
	struct uvm_gauges g;
	struct uvm_anon *anon;

	KUNIT_ASSERT_NOT_NULL(test, lock);
	uvm_gauges_read(&g);
	anon = uvm_analloc(lock, false, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, anon);
	mutex_lock(&lock->lock);
	anon->an_ref = 3;
	uvm_anon_unref(anon);
	uvm_anon_unref(anon);
	KUNIT_EXPECT_EQ(test, anon->an_ref, 1U);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ANONS), 1L);
	uvm_anon_unref(anon);
	mutex_unlock(&lock->lock);
	UVM_EXPECT_ALL_FREED(test, &g);
	uvm_lock_put(lock);
}

static struct kunit_case uvm_anon_test_cases[] = {
	KUNIT_CASE(uvm_anon_test_alloc_zero),
	KUNIT_CASE(uvm_anon_test_shared_refs),
	{}
};

struct kunit_suite uvm_anon_suite = {
	.name = "uvm_anon",
	.test_cases = uvm_anon_test_cases,
};
