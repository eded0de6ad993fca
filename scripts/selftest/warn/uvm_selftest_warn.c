// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Pipeline self-test: a module whose load triggers a WARN_ON, which the lane
 * must report as a splat in the guest kernel log.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init uvm_selftest_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit uvm_selftest_warn_exit(void)
{
}

module_init(uvm_selftest_warn_init);
module_exit(uvm_selftest_warn_exit);
MODULE_DESCRIPTION("uvmmod pipeline self-test: WARN_ON at load");
MODULE_LICENSE("Dual BSD/GPL");
