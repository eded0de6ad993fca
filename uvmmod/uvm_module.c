// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_module.c: module entry and exit of uvmmod.
 *
 * Owns: the order in which the parts of uvm.ko start and stop, and the one
 * line the module logs at load. Holds no state and takes no locks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "uvm.h"

static int __init uvm_module_init(void)
{
	int error;

	error = uvm_stat_init();
	if (error)
		return error;
	uvm_mm_init();
	error = uvm_anon_init();
	if (error)
		goto out_stat;
	error = uvm_amap_init();
	if (error)
		goto out_anon;
	error = uvm_aobj_init();
	if (error)
		goto out_amap;
	error = uvm_pdaemon_init();
	if (error)
		goto out_aobj;
	error = uvm_dev_init();
	if (error)
		goto out_pdaemon;

	pr_info("uvmmod %s loaded: BSD UVM anonymous memory on /dev/%s\n",
		UVM_VERSION, UVM_DEV_NAME);
	return 0;

out_pdaemon:
	uvm_pdaemon_exit();
out_aobj:
	uvm_aobj_exit();
out_amap:
	uvm_amap_exit();
out_anon:
	uvm_anon_exit();
out_stat:
	uvm_stat_exit();
	return error;
}

static void __exit uvm_module_exit(void)
{
	uvm_dev_exit();
	uvm_pdaemon_exit();
	uvm_mm_exit();
	uvm_aobj_exit();
	uvm_amap_exit();
	uvm_anon_exit();
	uvm_stat_exit();
	pr_info("uvmmod %s unloaded\n", UVM_VERSION);
}

module_init(uvm_module_init);
module_exit(uvm_module_exit);

MODULE_DESCRIPTION("BSD UVM anonymous memory manager on /dev/uvm");
MODULE_AUTHOR("uvmmod developers");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_VERSION(UVM_VERSION);
