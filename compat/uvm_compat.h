/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * uvm_compat.h: every kernel-version difference uvmmod depends on.
 *
 * uvmmod/ is written against the newest supported kernel (6.12); this file
 * maps that API onto the older supported series (Debian 12's 6.1). No file
 * outside compat/ tests LINUX_VERSION_CODE.
 *
 * Supported: 6.1.x and 6.12.x. Anything else fails to build here, loudly,
 * rather than at some obscure call site (DKMS skips such kernels through
 * BUILD_EXCLUSIVE_KERNEL in dkms.conf before it gets this far).
 */
#ifndef UVM_COMPAT_H
#define UVM_COMPAT_H

#include <linux/version.h>

/*
 * LINUX_VERSION_CODE clamps the sublevel at 255, so compare only the
 * major.minor part.
 */
#define UVM_KV_SERIES	(LINUX_VERSION_CODE >> 8)
#define UVM_KV(a, b)	(KERNEL_VERSION(a, b, 0) >> 8)

#if UVM_KV_SERIES != UVM_KV(6, 1) && UVM_KV_SERIES != UVM_KV(6, 12)
#error "uvmmod supports the Linux 6.1 and 6.12 series only"
#endif

#endif /* UVM_COMPAT_H */
