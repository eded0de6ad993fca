/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * uvm.h: declarations shared by the files of uvm.ko and its KUnit module.
 */
#ifndef UVM_H
#define UVM_H

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "uvm_compat.h"

#define UVM_DEV_NAME	"uvm"

/*
 * Internals that the KUnit module (uvm_kunit.ko) drives directly are exported
 * with EXPORT_SYMBOL_NS_GPL(sym, UVM_KUNIT): only a module that imports the
 * UVM_KUNIT namespace can link against them.
 */

/* uvm_dev.c: the /dev/uvm character device */
extern struct miscdevice uvm_misc;
int uvm_dev_init(void);
void uvm_dev_exit(void);
int uvm_dev_mmap_check(unsigned long pgoff);

#endif /* UVM_H */
