// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_stat.c: UVM's statistics (BSD's uvmexp counters), per CPU, exported
 * read-only as /sys/kernel/uvm/<name>, one decimal number per file.
 *
 * Owns: the per-CPU counter array and the sysfs directory.
 * Invariants: a gauge (pages, anons, amaps, aobjs, entries, holes, and
 * swap_pages, swap_inuse, swap_bad, swap_only, active, inactive) summed over all CPUs is the
 * number of such objects alive; it is 0 when no /dev/uvm memory exists and
 * no swap area is on.
 * Locks: none; updates are per-CPU, reads sum without locking (a read racing
 * with updates sees some recent value).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/percpu.h>
#include <linux/sysfs.h>

#include "uvm.h"

static DEFINE_PER_CPU(long [UVM_STAT_NR], uvm_stats);

/*
 * uvm_stat_add - add @delta to counter @item
 *
 * => no locks required; callable from any context
 */
void uvm_stat_add(enum uvm_stat_item item, long delta)
{
	this_cpu_add(uvm_stats[item], delta);
}
EXPORT_SYMBOL_NS_GPL(uvm_stat_add, UVM_KUNIT);

/*
 * uvm_stat_read - the current value of counter @item
 *
 * => no locks required
 */
long uvm_stat_read(enum uvm_stat_item item)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(uvm_stats, cpu)[item];
	return sum;
}
EXPORT_SYMBOL_NS_GPL(uvm_stat_read, UVM_KUNIT);

static const char *const uvm_stat_names[UVM_STAT_NR] = {
	[UVM_STAT_FAULTS]	= "faults",
	[UVM_STAT_ANON_HITS]	= "anon_hits",
	[UVM_STAT_COW_COPIES]	= "cow_copies",
	[UVM_STAT_OBJ_HITS]	= "obj_hits",
	[UVM_STAT_PROMOTIONS]	= "promotions",
	[UVM_STAT_ZERO_FILLS]	= "zero_fills",
	[UVM_STAT_AMAP_COPIES]	= "amap_copies",
	[UVM_STAT_FAULTAHEAD]	= "faultahead_mapped",
	[UVM_STAT_RESTARTS]	= "restarts",
	[UVM_STAT_WP_REUSE]	= "wp_reuse",
	[UVM_STAT_MEM_WAITS]	= "mem_waits",
	[UVM_STAT_DONTNEEDS]	= "dontneeds",
	[UVM_STAT_PAGEOUTS]	= "pageouts",
	[UVM_STAT_PAGEINS]	= "pageins",
	[UVM_STAT_SWAP_WRITTEN]	= "swap_written",
	[UVM_STAT_SWAP_WRITES]	= "swap_writes",
	[UVM_STAT_SWAP_READS]	= "swap_reads",
	[UVM_STAT_SWAP_ERRORS]	= "swap_errors",
	[UVM_STAT_PD_WAKEUPS]	= "pd_wakeups",
	[UVM_STAT_PD_SCANS]	= "pd_scans",
	[UVM_STAT_PD_DEACTS]	= "pd_deacts",
	[UVM_STAT_PD_REACTS]	= "pd_reacts",
	[UVM_STAT_PD_FREED]	= "pd_freed",
	[UVM_STAT_SHRINKS]	= "shrinker_scans",
	[UVM_STAT_PAGES]	= "pages",
	[UVM_STAT_ANONS]	= "anons",
	[UVM_STAT_AMAPS]	= "amaps",
	[UVM_STAT_AOBJS]	= "aobjs",
	[UVM_STAT_ENTRIES]	= "entries",
	[UVM_STAT_HOLES]	= "holes",
	[UVM_STAT_SWAP_PAGES]	= "swap_pages",
	[UVM_STAT_SWAP_INUSE]	= "swap_inuse",
	[UVM_STAT_SWAP_BAD]	= "swap_bad",
	[UVM_STAT_SWAP_ONLY]	= "swap_only",
	[UVM_STAT_ACTIVE]	= "active",
	[UVM_STAT_INACTIVE]	= "inactive",
};

struct uvm_stat_attr {
	struct kobj_attribute kattr;
	enum uvm_stat_item item;
};

static ssize_t uvm_stat_show(struct kobject *kobj, struct kobj_attribute *a,
			     char *buf)
{
	struct uvm_stat_attr *sa = container_of(a, struct uvm_stat_attr, kattr);

	return sysfs_emit(buf, "%ld\n", uvm_stat_read(sa->item));
}

static struct uvm_stat_attr uvm_stat_attrs[UVM_STAT_NR];
static struct attribute *uvm_stat_attr_list[UVM_STAT_NR + 1];
static const struct attribute_group uvm_stat_group = {
	.attrs = uvm_stat_attr_list,
};

static struct kobject *uvm_stat_kobj;

/*
 * uvm_stat_init - create /sys/kernel/uvm/
 *
 * => called from module init, no locks held
 */
int uvm_stat_init(void)
{
	int i, error;

	for (i = 0; i < UVM_STAT_NR; i++) {
		struct uvm_stat_attr *sa = &uvm_stat_attrs[i];

		sysfs_attr_init(&sa->kattr.attr);
		sa->kattr.attr.name = uvm_stat_names[i];
		sa->kattr.attr.mode = 0444;
		sa->kattr.show = uvm_stat_show;
		sa->item = i;
		uvm_stat_attr_list[i] = &sa->kattr.attr;
	}
	uvm_stat_kobj = kobject_create_and_add("uvm", kernel_kobj);
	if (!uvm_stat_kobj)
		return -ENOMEM;
	error = sysfs_create_group(uvm_stat_kobj, &uvm_stat_group);
	if (error) {
		kobject_put(uvm_stat_kobj);
		pr_err("cannot create /sys/kernel/uvm: error %d\n", error);
	}
	return error;
}

/*
 * uvm_stat_exit - remove /sys/kernel/uvm/
 *
 * => called from module exit, no locks held; all gauges are 0
 */
void uvm_stat_exit(void)
{
	int i;

	for (i = UVM_STAT_PAGES; i < UVM_STAT_NR; i++)
		WARN(uvm_stat_read(i), "uvm: %ld %s still alive at unload\n",
		     uvm_stat_read(i), uvm_stat_names[i]);
	kobject_put(uvm_stat_kobj);
}
