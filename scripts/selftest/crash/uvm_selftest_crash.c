// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Pipeline self-test: a module whose load oopses, which (with oops=panic)
 * ends the guest before its tests finish; the lane must say so.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init uvm_selftest_crash_init(void)
{
	BUG();
	return 0;
}

module_init(uvm_selftest_crash_init);
MODULE_DESCRIPTION("uvmmod pipeline self-test: BUG at load");
MODULE_LICENSE("Dual BSD/GPL");
