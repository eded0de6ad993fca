// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_kunit_main.c: the KUnit module of uvmmod.
 *
 * Loading uvm_kunit.ko (with uvm.ko loaded) runs every suite below against
 * the real code of uvm.ko, which exports what the suites drive into the
 * UVM_KUNIT symbol namespace. Results are printed as KTAP on the kernel log
 * and in /sys/kernel/debug/kunit/.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "uvm_kunit.h"

kunit_test_suites(&uvm_dev_suite, &uvm_anon_suite, &uvm_amap_suite,
		  &uvm_aobj_suite, &uvm_fault_suite, &uvm_swap_suite);

MODULE_DESCRIPTION("KUnit suites for uvmmod");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_IMPORT_NS(UVM_KUNIT);
