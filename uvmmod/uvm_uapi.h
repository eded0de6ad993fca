/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause */
/*
 * uvm_uapi.h: the ioctl interface of /dev/uvm, shared by the module and
 * the programs that use it (tools/).
 *
 * UVM_IOC_MADVISE gives /dev/uvm memory the madvise()/mlock() behaviours
 * Linux refuses to a driver's VMA (EINVAL for MADV_FREE and
 * MADV_WIPEONFORK on a file mapping; mlock() that never reaches the
 * driver of a VM_MIXEDMAP mapping). It applies to the calling process's
 * /dev/uvm mappings in [addr, addr + len); any open /dev/uvm file will do.
 *
 * Errors: EINVAL (addr not page-aligned, len 0 or overflowing, flags not
 * 0, unknown advice, advice not for that kind of mapping, or a range that
 * cuts a mapping where the advice applies to whole mappings), ENOMEM (the
 * range is not all /dev/uvm memory; or wiring past RLIMIT_MEMLOCK, or out
 * of memory), EFAULT (bad argument pointer), EINTR (fatal signal).
 */
#ifndef UVM_UAPI_H
#define UVM_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

struct uvm_madvise {
	__u64 addr;		/* page-aligned */
	__u64 len;		/* bytes; rounded up to pages */
	__u32 advice;		/* UVM_MADV_* */
	__u32 flags;		/* must be 0 */
};

/*
 * Private memory: free the range's pages now (UVM's MADV_FREE frees what it
 * may reclaim at once); the range reads back as zeroes and a later write
 * keeps its data. Wired memory is left alone.
 */
#define UVM_MADV_FREE		1
/* whole private mappings: a forked child gets zero-filled memory there */
#define UVM_MADV_WIPEONFORK	2
/* whole private mappings: undo UVM_MADV_WIPEONFORK */
#define UVM_MADV_KEEPONFORK	3
/*
 * whole mappings: wire them (mlock): every page resident now, counted in
 * VmLck against RLIMIT_MEMLOCK, copied at once for a forked child
 */
#define UVM_MADV_WIRE		4
/* whole mappings: unwire them (munlock) */
#define UVM_MADV_UNWIRE		5

#define UVM_IOC_MADVISE		_IOW('U', 1, struct uvm_madvise)

#endif /* UVM_UAPI_H */
