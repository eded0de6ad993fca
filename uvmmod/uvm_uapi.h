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
/*
 * private memory (MAP_SHARED: EOPNOTSUPP, not yet): page the range's
 * resident pages out to UVM's swap now (Linux refuses MADV_PAGEOUT on a
 * device mapping). Pages that cannot go stay: wired, pinned by GUP, busy,
 * or with no swap slot left (no area on, or all full). Returns 0.
 */
#define UVM_MADV_PAGEOUT	6

#define UVM_IOC_MADVISE		_IOW('U', 1, struct uvm_madvise)

/*
 * UVM_IOC_SWAPCTL: UVM's swap areas, as BSD's swapctl(2). A swap area is a
 * block device that starts with a struct uvm_swap_header (written by
 * `uvmctl mkswap`); it is opened exclusively while on. Areas are used
 * lowest priority number first, round-robin within a priority.
 *
 *   UVM_SWAP_ON     path, priority: start using the area (CAP_SYS_ADMIN)
 *   UVM_SWAP_OFF    path: stop using it (CAP_SYS_ADMIN)
 *   UVM_SWAP_CTL    path, priority: change its priority (CAP_SYS_ADMIN)
 *   UVM_SWAP_NSWAP  returns the number of areas on
 *   UVM_SWAP_STATS  fills buf with up to count struct uvm_swapent, returns
 *                   how many
 *
 * Errors: EPERM (not CAP_SYS_ADMIN), EINVAL (unknown cmd, flags not 0, a
 * priority out of [UVM_SWAP_PRIO_MIN, UVM_SWAP_PRIO_MAX], or no valid
 * uvmmod signature on the device: the kernel log names what is wrong),
 * ENOTBLK (not a block device), EBUSY (already on, or the device is in use:
 * mounted, Linux swap, held by another driver), ENXIO (UVM_SWAP_OFF or
 * UVM_SWAP_CTL of an area that is not on), EFAULT, ENAMETOOLONG, ENOMEM,
 * EIO (the header could not be read), and what opening the path returns
 * (ENOENT, EACCES...).
 */
struct uvm_swapctl {
	__u32 cmd;		/* UVM_SWAP_* */
	__s32 priority;		/* UVM_SWAP_ON, UVM_SWAP_CTL */
	__u64 path;		/* user pointer to a NUL-terminated path */
	__u64 buf;		/* UVM_SWAP_STATS: struct uvm_swapent[count] */
	__u32 count;
	__u32 flags;		/* must be 0 */
};

#define UVM_SWAP_ON		1
#define UVM_SWAP_OFF		2
#define UVM_SWAP_CTL		3
#define UVM_SWAP_NSWAP		4
#define UVM_SWAP_STATS		5

#define UVM_SWAP_PRIO_MIN	(-32768)
#define UVM_SWAP_PRIO_MAX	32767

#define UVM_SWAPENT_PATH	256

struct uvm_swapent {
	char path[UVM_SWAPENT_PATH];	/* as given to UVM_SWAP_ON */
	__u64 dev;			/* huge_encode_dev() of the device */
	__u64 npages;			/* usable pages (the header excluded) */
	__u64 inuse;			/* pages holding data */
	__u64 nbad;			/* pages that failed I/O, never reused */
	__s32 priority;
	__u32 flags;			/* UVM_SWF_* */
};

#define UVM_SWF_ENABLE		0x1	/* new pages may go there */

/*
 * Page 0 of a uvmmod swap area (little-endian). The rest of page 0 is
 * zero; pages 1 .. npages - 1 hold swapped pages.
 */
#define UVM_SWAP_MAGIC		"UVMMOD-SWAP-1\0\0"	/* 16 bytes */
#define UVM_SWAP_VERSION	1

struct uvm_swap_header {
	char magic[16];
	__le32 version;
	__le32 page_size;	/* the page size it was made for */
	__le64 npages;		/* pages of the area, page 0 included */
};

#define UVM_IOC_SWAPCTL		_IOWR('U', 2, struct uvm_swapctl)

#endif /* UVM_UAPI_H */
