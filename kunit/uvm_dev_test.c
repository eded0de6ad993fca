// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_dev_test.c: KUnit suite "uvm_dev" for the /dev/uvm device glue.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>

#include "uvm.h"
#include "uvm_kunit.h"

/* The device is registered under its name with a real minor and mode 0666. */
static void uvm_dev_test_registered(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, uvm_misc.name, UVM_DEV_NAME);
	KUNIT_EXPECT_NE(test, uvm_misc.minor, MISC_DYNAMIC_MINOR);
	KUNIT_EXPECT_EQ(test, uvm_misc.mode, (umode_t)0666);
	KUNIT_ASSERT_NOT_NULL(test, uvm_misc.this_device);
	KUNIT_EXPECT_EQ(test, MAJOR(uvm_misc.this_device->devt), MISC_MAJOR);
	KUNIT_EXPECT_EQ(test, MINOR(uvm_misc.this_device->devt),
			(unsigned int)uvm_misc.minor);
	KUNIT_EXPECT_NOT_NULL(test, uvm_misc.fops->mmap);
}

/* Offsets other than 0 are refused; offset 0 passes the check. */
static void uvm_dev_test_mmap_offsets(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, uvm_dev_mmap_check(0), 0);
	KUNIT_EXPECT_EQ(test, uvm_dev_mmap_check(1), -EINVAL);
	KUNIT_EXPECT_EQ(test, uvm_dev_mmap_check(ULONG_MAX >> PAGE_SHIFT),
			-EINVAL);
}

/*
 * An open file of /dev/uvm pins uvm.ko (so rmmod fails while it is open) and
 * releases it on the last fput.
 */
static void uvm_dev_test_open_pins_module(struct kunit *test)
{
	struct module *owner = uvm_misc.fops->owner;
	struct file *file;
	int before;

	KUNIT_ASSERT_NOT_NULL(test, owner);
	before = module_refcount(owner);

	file = filp_open("/dev/" UVM_DEV_NAME, O_RDWR, 0);
	if (IS_ERR(file))
		kunit_skip(test, "no /dev/%s node here (error %ld)",
			   UVM_DEV_NAME, PTR_ERR(file));

	KUNIT_EXPECT_PTR_EQ(test, file->f_op->mmap, uvm_misc.fops->mmap);
	KUNIT_EXPECT_EQ(test, module_refcount(owner), before + 1);

	filp_close(file, NULL);
	/* fput from a kthread is deferred: run it now. */
	flush_delayed_fput();
	KUNIT_EXPECT_EQ(test, module_refcount(owner), before);
}

static struct kunit_case uvm_dev_test_cases[] = {
	KUNIT_CASE(uvm_dev_test_registered),
	KUNIT_CASE(uvm_dev_test_mmap_offsets),
	KUNIT_CASE(uvm_dev_test_open_pins_module),
	{}
};

struct kunit_suite uvm_dev_suite = {
	.name = "uvm_dev",
	.test_cases = uvm_dev_test_cases,
};
