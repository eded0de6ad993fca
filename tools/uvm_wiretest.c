// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_wiretest: wiring /dev/uvm memory. A mapping made locked (MAP_LOCKED,
 * or after mlockall(MCL_FUTURE)) is wired by UVM: every page allocated at
 * mmap, counted in VmLck until unmapped (also piece by piece), never freed
 * by MADV_DONTNEED, and copied for the child at fork so that the parent
 * never faults on it; RLIMIT_MEMLOCK holds against it. mlock() on an
 * existing mapping populates it but wires nothing: Linux does not tell a
 * VM_MIXEDMAP VMA's driver of it (documented in the README); the
 * UVM_IOC_MADVISE ioctl wires and unwires whole mappings instead
 * (natively, the tests use mlock and munlock there).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "uvmmap.h"
#include "uvmtest.h"
#include "uvm_uapi.h"

#define RW	(PROT_READ | PROT_WRITE)
#define N	64

/* VmLck of /proc/self/status, in kB */
static long vmlck(void)
{
	long v = uvm_status_kb("VmLck");

	CHECK(v >= 0, "no VmLck in /proc/self/status");
	return v;
}

#define VMLCK()	vmlck()
#define KB(n)	((long)((n) * PGSZ / 1024))

/* MAP_LOCKED: all pages there at once, zeroed, counted in VmLck */
static void map_locked_private(void)
{
	struct uvm_ctrs b, c0, c1;
	long lck = VMLCK();
	char *p, *sh = uvm_shadow(N);
	size_t i;

	uvm_ctrs_read(&b);
	p = uvm_map(N * PGSZ, RW, MAP_PRIVATE | MAP_LOCKED);
	CHECK(p != MAP_FAILED, "mmap MAP_LOCKED: %s", strerror(errno));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&b, &c0, UC_ANONS, ==, N);
	CHECK_CTR(&b, &c0, UC_PAGES, ==, N);
	CHECK(VMLCK() == lck + KB(N), "VmLck %ld kB, want %ld", VMLCK(),
	      lck + KB(N));
	CHECK_PAGES(p, sh, N, "fresh wired memory");
	for (i = 0; i < N; i++)
		uvm_put_page(p, sh, i, 1, 1);
	uvm_ctrs_read(&c1);
	/* nothing more was allocated: the writes found their pages */
	CHECK_CTR(&c0, &c1, UC_ZERO_FILLS, ==, 0);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, 0);
	CHECK_PAGES(p, sh, N, "after writes");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK(VMLCK() == lck, "VmLck %ld kB after munmap, want %ld", VMLCK(),
	      lck);
	CHECK_BASELINE(&b);
}

static void map_locked_shared(void)
{
	struct uvm_ctrs b, c0;
	long lck = VMLCK();
	char *p, *sh = uvm_shadow(N);

	uvm_ctrs_read(&b);
	p = uvm_map(N * PGSZ, RW, MAP_SHARED | MAP_LOCKED);
	CHECK(p != MAP_FAILED, "mmap MAP_LOCKED: %s", strerror(errno));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&b, &c0, UC_PAGES, ==, N);
	CHECK(VMLCK() == lck + KB(N), "VmLck %ld kB, want %ld", VMLCK(),
	      lck + KB(N));
	CHECK_PAGES(p, sh, N, "fresh wired shared memory");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK(VMLCK() == lck, "VmLck %ld kB after munmap", VMLCK());
	CHECK_BASELINE(&b);
}

/* mlockall(MCL_FUTURE): later mappings are wired; munlockall stops it */
static void mlockall_future(void)
{
	struct uvm_ctrs b, c0;
	long lck;
	char *p, *q;

	uvm_ctrs_read(&b);
	CHECK_OK(mlockall(MCL_FUTURE));
	lck = VMLCK();
	p = uvm_map(N * PGSZ, RW, MAP_PRIVATE);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&b, &c0, UC_ANONS, ==, N);
	CHECK(VMLCK() == lck + KB(N), "VmLck %ld kB, want %ld", VMLCK(),
	      lck + KB(N));
	CHECK_OK(munlockall());
	q = uvm_map(N * PGSZ, RW, MAP_PRIVATE);
	CHECK(q != MAP_FAILED, "mmap: %s", strerror(errno));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&b, &c0, UC_ANONS, ==, N);	/* q is not wired */
	CHECK_OK(munmap(q, N * PGSZ));
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

/* munmap of a part: VmLck drops by that part, the rest stays wired */
static void partial_munmap(void)
{
	long lck = VMLCK();
	struct uvm_ctrs b;
	char *p;

	uvm_ctrs_read(&b);
	p = uvm_map(N * PGSZ, RW, MAP_PRIVATE | MAP_LOCKED);
	CHECK(p != MAP_FAILED, "mmap MAP_LOCKED: %s", strerror(errno));
	CHECK_OK(munmap(p + 16 * PGSZ, 16 * PGSZ));
	CHECK(VMLCK() == lck + KB(N - 16), "VmLck %ld kB, want %ld",
	      VMLCK(), lck + KB(N - 16));
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK(VMLCK() == lck, "VmLck %ld kB after munmap", VMLCK());
	CHECK_BASELINE(&b);
}

/*
 * fork: the child gets copies at once (N copy-on-write copies counted at
 * fork), so the parent's writes fault no more and the child keeps the
 * pages as they were.
 */
static void fork_copies_now(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_chan ch;
	struct uvm_ctrs c0, c1;
	size_t i;
	int pid;

	p = uvm_map_filled(N, MAP_PRIVATE | MAP_LOCKED, sh, 1);
	uvm_chan_init(&ch);
	uvm_ctrs_read(&c0);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		uvm_chan_child(&ch);
		uvm_await_parent(&ch, 'w');
		CHECK_PAGES(p, sh, N, "child after the parent's writes");
		/* the child's copy is not wired */
		CHECK(VMLCK() == 0, "VmLck %ld kB in the child", VMLCK());
		_exit(0);
	}
	uvm_chan_parent(&ch);
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, N);
	for (i = 0; i < N; i++)
		((volatile char *)p)[i * PGSZ + 8] = 7;
	uvm_ctrs_read(&c0);
	CHECK_CTR(&c1, &c0, UC_FAULTS, ==, 0);
	uvm_tell_child(&ch, 'w');
	WAIT_OK(pid);
	for (i = 0; i < N; i++)
		CHECK(p[i * PGSZ + 8] == 7, "parent's page %zu lost its write",
		      i);
	CHECK_OK(munmap(p, N * PGSZ));
}

/* MADV_DONTNEED keeps wired memory's data (Linux: EINVAL on mlocked) */
static void dontneed_keeps_wired(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs c0, c1;
	int r;

	p = uvm_map_filled(N, MAP_PRIVATE | MAP_LOCKED, sh, 1);
	uvm_ctrs_read(&c0);
	r = madvise(p, N * PGSZ, MADV_DONTNEED);
	if (uvm_native()) {
		CHECK(r == -1 && errno == EINVAL,
		      "native MADV_DONTNEED on mlocked memory: %d/%s", r,
		      strerror(errno));
	} else {
		CHECK(r == 0, "MADV_DONTNEED: %s", strerror(errno));
		uvm_ctrs_read(&c1);
		CHECK_CTR(&c0, &c1, UC_ANONS, ==, 0);
	}
	CHECK_PAGES(p, sh, N, "wired memory after MADV_DONTNEED");
	CHECK_OK(munmap(p, N * PGSZ));
}

/* drop CAP_IPC_LOCK, which lets root lock past RLIMIT_MEMLOCK */
static void drop_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	CHECK_OK(syscall(SYS_capget, &hdr, data));
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].permitted &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	CHECK_OK(syscall(SYS_capset, &hdr, data));
}

/* RLIMIT_MEMLOCK: a locked mapping past the limit gets EAGAIN */
static void rlimit_memlock(void)
{
	struct rlimit rl = { 16 * PGSZ, 16 * PGSZ };
	struct uvm_ctrs b, c0;
	char *p;

	uvm_ctrs_read(&b);
	drop_ipc_lock();
	CHECK_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	p = uvm_map(N * PGSZ, RW, MAP_PRIVATE | MAP_LOCKED);
	CHECK(p == MAP_FAILED && errno == EAGAIN,
	      "MAP_LOCKED past RLIMIT_MEMLOCK: want EAGAIN, got %s",
	      p == MAP_FAILED ? strerror(errno) : "a mapping");
	uvm_ctrs_read(&c0);
	CHECK_CTR(&b, &c0, UC_ANONS, ==, 0);
	p = uvm_map(16 * PGSZ, RW, MAP_PRIVATE | MAP_LOCKED);
	CHECK(p != MAP_FAILED, "MAP_LOCKED within the limit: %s",
	      strerror(errno));
	/* the limit counts what is wired already */
	CHECK(uvm_map(PGSZ, RW, MAP_PRIVATE | MAP_LOCKED) == MAP_FAILED &&
	      errno == EAGAIN, "a 17th locked page: want EAGAIN");
	CHECK_OK(munmap(p, 16 * PGSZ));
	CHECK_BASELINE(&b);
}

static void *grow_to(void *p, size_t old_n, size_t new_n)
{
	return mremap(p, old_n * PGSZ, new_n * PGSZ,
		      MREMAP_MAYMOVE | MREMAP_FIXED, uvm_free_range(new_n));
}

/*
 * mremap growing a wired mapping wires the new part at once (as Linux
 * populates a grown locked mapping) and counts it in VmLck; past
 * RLIMIT_MEMLOCK the growth gets EAGAIN and the mapping stays as it was.
 */
static void grow_wired(void)
{
	struct rlimit rl = { 24 * PGSZ, 24 * PGSZ };
	char *p, *q, *sh = uvm_shadow(N);
	struct uvm_ctrs b, c0, c1;
	long lck = VMLCK();

	uvm_ctrs_read(&b);
	p = uvm_map_filled(16, MAP_PRIVATE | MAP_LOCKED, sh, 1);
	uvm_ctrs_read(&c0);
	q = grow_to(p, 16, 32);
	CHECK(q != MAP_FAILED, "mremap: %s", strerror(errno));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 16);
	CHECK(VMLCK() == lck + KB(32), "VmLck %ld kB, want %ld", VMLCK(),
	      lck + KB(32));
	CHECK_PAGES(q, sh, 32, "grown wired mapping");
	uvm_ctrs_read(&c0);
	CHECK_CTR(&c1, &c0, UC_PAGES, ==, 0);	/* all there already */
	CHECK_OK(munmap(q, 32 * PGSZ));
	CHECK(VMLCK() == lck, "VmLck %ld kB after munmap", VMLCK());

	drop_ipc_lock();
	CHECK_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	memset(sh, 0, N * PGSZ);
	p = uvm_map_filled(16, MAP_PRIVATE | MAP_LOCKED, sh, 2);
	CHECK_ERR((long)grow_to(p, 16, 32), EAGAIN);
	CHECK_PAGES(p, sh, 16, "after the refused growth");
	CHECK(VMLCK() == lck + KB(16), "VmLck %ld kB, want %ld", VMLCK(),
	      lck + KB(16));
	q = grow_to(p, 16, 24);
	CHECK(q != MAP_FAILED, "mremap within the limit: %s",
	      strerror(errno));
	CHECK_PAGES(q, sh, 24, "grown within the limit");
	CHECK_OK(munmap(q, 24 * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * mlock() of an existing mapping populates it; it is not wired, and the
 * kernel log says so (the module sees only the populating faults)
 */
static void mlock_populates(void)
{
	struct uvm_ctrs b, c0;
	long lck = VMLCK();
	char *p, *sh = uvm_shadow(N);
	int kmsg = uvm_native() ? -1 : uvm_kmsg_from_now();

	uvm_ctrs_read(&b);
	p = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	CHECK_OK(mlock(p, N * PGSZ));
	CHECK(uvm_native() ||
	      uvm_kmsg_has(kmsg, "mlock() populates /dev/uvm memory but cannot wire"),
	      "no kernel log line about the unwired mlock()");
	uvm_ctrs_read(&c0);
	CHECK_CTR(&b, &c0, UC_ANONS, ==, N);
	if (uvm_native())
		CHECK(VMLCK() == lck + KB(N), "native VmLck %ld", VMLCK());
	else
		CHECK(VMLCK() == lck, "VmLck %ld kB: Linux counted it",
		      VMLCK());
	CHECK_PAGES(p, sh, N, "mlocked memory");
	CHECK_OK(munlock(p, N * PGSZ));
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

/* UVM_MADV_WIRE / UNWIRE: the ioctl's mlock and munlock */
static void ioctl_wire_unwire(void)
{
	struct uvm_ctrs b, c0, c1;
	long lck = VMLCK();
	char *p, *sh = uvm_shadow(N);
	size_t i;

	uvm_ctrs_read(&b);
	p = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < N / 2; i++)
		uvm_put_page(p, sh, i, 1, 1);
	uvm_ctrs_read(&c0);
	CHECK_OK(uvm_madvise(p, N * PGSZ, UVM_MADV_WIRE));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, N / 2);	/* the rest, now */
	CHECK(VMLCK() == lck + KB(N), "VmLck %ld kB, want %ld", VMLCK(),
	      lck + KB(N));
	CHECK_PAGES(p, sh, N, "after wiring");
	CHECK_OK(uvm_madvise(p, N * PGSZ, UVM_MADV_WIRE));	/* again: no-op */
	CHECK(VMLCK() == lck + KB(N), "VmLck %ld kB after a second wire",
	      VMLCK());
	CHECK_OK(uvm_madvise(p, N * PGSZ, UVM_MADV_UNWIRE));
	CHECK(VMLCK() == lck, "VmLck %ld kB after unwiring", VMLCK());
	CHECK_PAGES(p, sh, N, "after unwiring");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * Wiring memory shared copy-on-write with a child copies it at once; the
 * child keeps the old data whatever the parent writes.
 */
static void ioctl_wire_after_fork(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs c0, c1;
	struct uvm_chan ch;
	size_t i;
	int pid;

	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	uvm_chan_init(&ch);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		uvm_chan_child(&ch);
		/* the child maps the shared pages before the parent wires */
		CHECK_PAGES(p, sh, N, "child before the parent wired");
		uvm_tell_parent(&ch, 'r');
		uvm_await_parent(&ch, 'w');
		CHECK_PAGES(p, sh, N, "child after the parent wired and wrote");
		for (i = 0; i < N; i++)
			((volatile char *)p)[i * PGSZ + 8] = 9;
		uvm_tell_parent(&ch, 'c');
		uvm_await_parent(&ch, 'x');
		_exit(0);
	}
	uvm_chan_parent(&ch);
	uvm_await_child(&ch, 'r');
	uvm_ctrs_read(&c0);
	CHECK_OK(uvm_madvise(p, N * PGSZ, UVM_MADV_WIRE));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, N);
	for (i = 0; i < N; i++)
		((volatile char *)p)[i * PGSZ + 8] = 7;
	uvm_tell_child(&ch, 'w');
	/* and the child's writes stay out of the parent */
	uvm_await_child(&ch, 'c');
	for (i = 0; i < N; i++)
		CHECK(p[i * PGSZ + 8] == 7, "parent's page %zu holds %d", i,
		      p[i * PGSZ + 8]);
	uvm_tell_child(&ch, 'x');
	WAIT_OK(pid);
	CHECK_OK(munmap(p, N * PGSZ));
}

/* the ioctl's wiring counts against RLIMIT_MEMLOCK (mlock: ENOMEM) */
static void ioctl_wire_rlimit(void)
{
	struct rlimit rl = { 16 * PGSZ, 16 * PGSZ };
	long lck = VMLCK();
	char *p;

	drop_ipc_lock();
	CHECK_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	p = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	CHECK_ERR(uvm_madvise(p, N * PGSZ, UVM_MADV_WIRE), ENOMEM);
	CHECK(VMLCK() == lck, "VmLck %ld kB after a refused wire", VMLCK());
	CHECK_OK(munmap(p, N * PGSZ));
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE(map_locked_private),
	UVMTEST_CASE(map_locked_shared),
	UVMTEST_CASE(mlockall_future),
	UVMTEST_CASE(partial_munmap),
	UVMTEST_CASE_T(fork_copies_now, 120),
	UVMTEST_CASE(dontneed_keeps_wired),
	UVMTEST_CASE(rlimit_memlock),
	UVMTEST_CASE(grow_wired),
	UVMTEST_CASE(mlock_populates),
	UVMTEST_CASE(ioctl_wire_unwire),
	UVMTEST_CASE_T(ioctl_wire_after_fork, 120),
	UVMTEST_CASE(ioctl_wire_rlimit),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_wiretest", cases, argc, argv);
}
