/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * uvm_kunit.h: the suites of uvm_kunit.ko, one per UVM concept, collected by
 * uvm_kunit_main.c.
 */
#ifndef UVM_KUNIT_H
#define UVM_KUNIT_H

#include <kunit/test.h>

extern struct kunit_suite uvm_dev_suite;
extern struct kunit_suite uvm_anon_suite;
extern struct kunit_suite uvm_amap_suite;
extern struct kunit_suite uvm_aobj_suite;
extern struct kunit_suite uvm_fault_suite;
extern struct kunit_suite uvm_swap_suite;

#endif /* UVM_KUNIT_H */
