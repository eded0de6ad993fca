// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_dev.c: the /dev/uvm character device.
 *
 * Owns: the misc device registration and the file operations of /dev/uvm.
 *
 * Invariants: the device node is mode 0666, like /dev/zero: any user may map
 * anonymous memory. The module cannot be unloaded while a file of the device
 * is open or mapped: the file pins the module through fops->owner, and every
 * mapping pins its file through vma->vm_file.
 *
 * Locks: none of its own. ->mmap is called by the kernel with mmap_lock held
 * for writing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>

#include "uvm.h"

/**
 * uvm_dev_mmap_check - validate a mapping request on /dev/uvm
 * @pgoff: the file offset of the request, in pages
 *
 * /dev/uvm has no file offsets: its memory is anonymous, so the only offset
 * accepted is 0. (The kernel itself rejects MAP_HUGETLB on a non-hugetlbfs
 * file and unknown MAP_SHARED_VALIDATE flags before ->mmap is called.)
 *
 * => no locks required
 *
 * Return: 0 if the request is valid, else a negative errno.
 */
int uvm_dev_mmap_check(unsigned long pgoff)
{
	if (pgoff) {
		pr_warn_ratelimited("%s[%d]: mmap offset %#lx rejected: /dev/uvm memory has no offsets, use 0\n",
				    current->comm, task_pid_nr(current),
				    pgoff << PAGE_SHIFT);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uvm_dev_mmap_check, UVM_KUNIT);

static int uvm_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	int error;

	mmap_assert_write_locked(vma->vm_mm);
	error = uvm_dev_mmap_check(vma->vm_pgoff);
	if (error)
		return error;

	/* The memory manager arrives with the UVM core; until then say so. */
	pr_warn_ratelimited("%s[%d]: mmap of /dev/uvm: not implemented in uvmmod %s\n",
			    current->comm, task_pid_nr(current), UVM_VERSION);
	return -ENODEV;
}

static const struct file_operations uvm_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.mmap		= uvm_dev_mmap,
	.llseek		= noop_llseek,
};

struct miscdevice uvm_misc = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= UVM_DEV_NAME,
	.fops		= &uvm_fops,
	.mode		= 0666,
};
EXPORT_SYMBOL_NS_GPL(uvm_misc, UVM_KUNIT);

/**
 * uvm_dev_init - register /dev/uvm
 *
 * => called from module init, no locks held
 *
 * Return: 0 or a negative errno from misc_register().
 */
int uvm_dev_init(void)
{
	int error;

	error = misc_register(&uvm_misc);
	if (error)
		pr_err("cannot register /dev/%s: error %d\n", UVM_DEV_NAME, error);
	return error;
}

/**
 * uvm_dev_exit - unregister /dev/uvm
 *
 * => called from module exit, no locks held; no file of the device is open
 */
void uvm_dev_exit(void)
{
	misc_deregister(&uvm_misc);
}
