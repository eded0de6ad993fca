// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Pipeline self-test: a KUnit suite with one passing and one failing case;
 * the debug lane must count the failure.
 */
#include <kunit/test.h>
#include <linux/module.h>

static void uvm_selftest_passes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static void uvm_selftest_fails(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 1 + 1, 3, "injected failure");
}

static struct kunit_case uvm_selftest_cases[] = {
	KUNIT_CASE(uvm_selftest_passes),
	KUNIT_CASE(uvm_selftest_fails),
	{}
};

static struct kunit_suite uvm_selftest_suite = {
	.name = "uvm_selftest",
	.test_cases = uvm_selftest_cases,
};

kunit_test_suites(&uvm_selftest_suite);
MODULE_DESCRIPTION("uvmmod pipeline self-test: a failing KUnit case");
MODULE_LICENSE("Dual BSD/GPL");
