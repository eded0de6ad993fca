// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_mremaptest: mremap of /dev/uvm memory. A move keeps the data and the
 * copy-on-write relation with a forked child, for the whole mapping and for
 * a part of it (a split, then a move); a shrink frees the pages cut off.
 * Growing, in place or by a move: private memory gets zero-fill pages
 * (never those of a piece of the same mapping still holding the slot
 * numbers), shared memory past its size gives SIGBUS as shared anonymous
 * memory does; old_size 0 duplicates shared memory only. Linux 6.12 does
 * not grow a VM_MIXEDMAP mapping in place (ENOMEM; documented); a move
 * grows it. MREMAP_DONTUNMAP is refused (EINVAL). Every byte read is
 * checked against a shadow copy and the module's counters against what
 * each case did; the cases pass on native memory too (UVM_TEST_NATIVE=1).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define RW	(PROT_READ | PROT_WRITE)
#define N	32

static void *move(void *old, size_t old_n, size_t new_n, void *to)
{
	void *p = mremap(old, old_n * PGSZ, new_n * PGSZ,
			 MREMAP_MAYMOVE | MREMAP_FIXED, to);

	CHECK(p == to, "mremap: %s", p == MAP_FAILED ? strerror(errno) : "moved elsewhere");
	return p;
}

static void unmapped(void *p)
{
	unsigned char c;

	CHECK(uvm_probe_read(p, &c) != 0, "old range still mapped at %p", p);
}

/* the whole mapping moves: same pages, nothing allocated or freed */
static void move_whole(int kind)
{
	struct uvm_ctrs b, c0, c1;
	char *p, *q, *sh = uvm_shadow(N);

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, kind, sh, 1);
	uvm_ctrs_read(&c0);
	q = move(p, N, N, uvm_free_range(N));
	unmapped(p);
	CHECK_PAGES(q, sh, N, "after the move");
	uvm_put_page(q, sh, 3, 2, 1);
	CHECK_PAGES(q, sh, N, "after a write at the new place");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 0);
	CHECK_CTR(&c0, &c1, UC_ZERO_FILLS, ==, 0);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, 0);
	CHECK_CTR(&c0, &c1, UC_ENTRIES, ==, 0);
	CHECK_SMAPS_ANON0(q);
	CHECK_OK(munmap(q, N * PGSZ));
	CHECK_BASELINE(&b);
}

static void move_whole_private(void)
{
	move_whole(MAP_PRIVATE);
}

static void move_whole_shared(void)
{
	move_whole(MAP_SHARED);
}

struct part_run {
	char *p, *sh;
	struct uvm_chan ch;
};

static void part_child(void *arg)
{
	struct part_run *r = arg;

	uvm_chan_child(&r->ch);
	uvm_await_parent(&r->ch, 'm');
	/* the parent moved and rewrote its part: ours is unchanged */
	CHECK_PAGES(r->p, r->sh, N, "child after the parent's move");
	uvm_tell_parent(&r->ch, 'c');
	uvm_await_parent(&r->ch, 'x');
}

/* fork a child that keeps r->p as r->sh says; returns its pid */
static int part_spawn(struct part_run *r)
{
	int pid;

	uvm_chan_init(&r->ch);
	pid = uvm_spawn(part_child, r);
	uvm_chan_parent(&r->ch);
	return pid;
}

/*
 * a private mapping of N pages, filled (generation 1), its shadow also in
 * @psh, and a child keeping it: returns the child's pid
 */
static int part_start(struct part_run *r, char *psh)
{
	r->sh = uvm_shadow(N);
	r->p = uvm_map_filled(N, MAP_PRIVATE, r->sh, 1);
	memcpy(psh, r->sh, N * PGSZ);
	return part_spawn(r);
}

/* the parent is done: the child checks its view and exits */
static void part_finish(struct part_run *r, int pid)
{
	uvm_tell_child(&r->ch, 'm');
	uvm_await_child(&r->ch, 'c');
	uvm_tell_child(&r->ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r->ch);
}

/*
 * Fork, then the parent moves the middle of its private mapping (a split
 * and a move) and writes there: the child keeps its view, the parent sees
 * its data at the new place, each written page is copied once.
 */
static void move_part_after_fork(void)
{
	char *psh = uvm_shadow(N), *q;
	struct uvm_ctrs b, c0, c1;
	struct part_run r;
	size_t i;
	int pid;

	uvm_ctrs_read(&b);
	pid = part_start(&r, psh);

	uvm_ctrs_read(&c0);
	q = move(r.p + 8 * PGSZ, 16, 16, uvm_free_range(16));
	unmapped(r.p + 8 * PGSZ);
	unmapped(r.p + 23 * PGSZ);
	CHECK_PAGES(r.p, psh, 8, "parent's head");
	CHECK_PAGES(r.p + 24 * PGSZ, psh + 24 * PGSZ, 8, "parent's tail");
	CHECK_PAGES(q, psh + 8 * PGSZ, 16, "parent's moved part");
	for (i = 0; i < 16; i++)
		uvm_put_page(q, psh + 8 * PGSZ, i, 2, 1);
	CHECK_PAGES(q, psh + 8 * PGSZ, 16, "parent's moved part rewritten");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, 16);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 16);

	part_finish(&r, pid);
	CHECK_OK(munmap(r.p, 8 * PGSZ));
	CHECK_OK(munmap(r.p + 24 * PGSZ, 8 * PGSZ));
	CHECK_OK(munmap(q, 16 * PGSZ));
	CHECK_BASELINE(&b);
}

struct shared_run {
	char *p;
	struct uvm_chan ch;
};

static void shared_child(void *arg)
{
	struct shared_run *r = arg;
	size_t i;

	uvm_chan_child(&r->ch);
	uvm_await_parent(&r->ch, 'm');
	for (i = 0; i < N; i++)
		uvm_pat_fill(r->p + i * PGSZ, i, 7, 2);
	uvm_tell_parent(&r->ch, 'w');
	uvm_await_parent(&r->ch, 'x');
}

/* shared memory moved by the parent stays shared with the child */
static void move_shared_after_fork(void)
{
	char *sh = uvm_shadow(N), *q;
	struct shared_run r;
	struct uvm_ctrs b;
	size_t i;
	int pid;

	uvm_ctrs_read(&b);
	r.p = uvm_map_filled(N, MAP_SHARED, sh, 1);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(shared_child, &r);
	uvm_chan_parent(&r.ch);
	q = move(r.p, N, N, uvm_free_range(N));
	uvm_tell_child(&r.ch, 'm');
	uvm_await_child(&r.ch, 'w');
	for (i = 0; i < N; i++)
		uvm_pat_fill(sh + i * PGSZ, i, 7, 2);
	CHECK_PAGES(q, sh, N, "parent sees the child's writes");
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_OK(munmap(q, N * PGSZ));
	CHECK_BASELINE(&b);
}

/* shrinking a private mapping frees the pages cut off at once */
static void shrink_frees(void)
{
	struct uvm_ctrs b, c0, c1;
	char *p, *sh = uvm_shadow(N);

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	uvm_ctrs_read(&c0);
	CHECK(mremap(p, N * PGSZ, N / 4 * PGSZ, 0) == p, "mremap: %s",
	      strerror(errno));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, -(N - N / 4));
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, -(N - N / 4));
	CHECK_PAGES(p, sh, N / 4, "after the shrink");
	unmapped(p + (N / 4) * PGSZ);
	CHECK_OK(munmap(p, N / 4 * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * @p, 2N pages grown from N shared copy-on-write with a child, reads as
 * @sh says, then is rewritten whole: N zero-fills in the new part (read
 * first) and N copies of the shared old part
 */
static void rewrite_grown(char *p, char *sh)
{
	struct uvm_ctrs c0, c1;
	size_t i;

	uvm_ctrs_read(&c0);
	CHECK_PAGES(p, sh, 2 * N, "grown mapping");
	for (i = 0; i < 2 * N; i++)
		uvm_put_page(p, sh, i, 2, 1);
	CHECK_PAGES(p, sh, 2 * N, "grown mapping rewritten");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, N);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 2 * N);
}

/*
 * Linux 6.12 does not grow a VM_SPECIAL VMA in place (vma_merge_extend()
 * refuses it: ENOMEM, even with MREMAP_MAYMOVE); 6.1 does.
 */
static int inplace_refused(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uvm_native())
		return 0;
	CHECK_OK(uname(&u));
	CHECK(sscanf(u.release, "%d.%d", &major, &minor) == 2,
	      "release %s", u.release);
	return major > 6 || (major == 6 && minor >= 12);
}

/* @n pages at @p read back as zeroes */
static void check_zero(const char *p, size_t n, const char *what)
{
	char *z = uvm_shadow(n);

	CHECK_PAGES(p, z, n, what);
}

/*
 * Growth in place (where the kernel does it): the old pages stay, the new
 * ones are zero-fill; a fork before they are touched, writes on both
 * sides, and MADV_DONTNEED over the whole grown range all see it whole.
 */
static void grow_in_place(void)
{
	char *p, *r, *sh = uvm_shadow(2 * N);
	struct uvm_ctrs b, c0;
	struct part_run cr;
	size_t i;
	int pid;

	uvm_ctrs_read(&b);
	p = uvm_map_ok(2 * N * PGSZ, RW, MAP_PRIVATE);
	CHECK_OK(munmap(p + N * PGSZ, N * PGSZ));	/* a free tail */
	for (i = 0; i < N; i++)
		uvm_put_page(p, sh, i, 1, 1);
	r = mremap(p, N * PGSZ, 2 * N * PGSZ, 0);
	if (inplace_refused()) {
		CHECK(r == MAP_FAILED && errno == ENOMEM,
		      "6.12 in-place growth: want ENOMEM, got %s",
		      r == MAP_FAILED ? strerror(errno) : "success");
		CHECK_ERR((long)mremap(p, N * PGSZ, 2 * N * PGSZ,
				       MREMAP_MAYMOVE), ENOMEM);
		CHECK_PAGES(p, sh, N, "after the refused growth");
		unmapped(p + N * PGSZ);
		CHECK_OK(munmap(p, N * PGSZ));
		CHECK_BASELINE(&b);
		return;
	}
	CHECK(r == p, "mremap in place: %s",
	      r == MAP_FAILED ? strerror(errno) : "moved");

	/* a child forked before the module saw the growth */
	cr.p = p;
	cr.sh = uvm_shadow(N);
	memcpy(cr.sh, sh, N * PGSZ);
	pid = part_spawn(&cr);

	rewrite_grown(p, sh);
	part_finish(&cr, pid);

	CHECK_OK(madvise(p, 2 * N * PGSZ, MADV_DONTNEED));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&b, &c0, UC_ANONS, ==, 0);
	check_zero(p, 2 * N, "after MADV_DONTNEED of the grown mapping");
	CHECK_OK(munmap(p, 2 * N * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * Growth by a move: with MREMAP_FIXED, and with MREMAP_MAYMOVE when the
 * range after the mapping is taken. The pages come along, the rest is
 * zero-fill.
 */
static void grow_by_move(void)
{
	char *p, *q, *r, *sh = uvm_shadow(3 * N), *guard;
	struct uvm_ctrs b, c0, c1;
	size_t i;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	uvm_ctrs_read(&c0);
	q = move(p, N, 2 * N, uvm_free_range(2 * N));
	unmapped(p);
	CHECK_PAGES(q, sh, 2 * N, "after growing by MREMAP_FIXED");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, N);	/* the reads' zero-fills */
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, 0);

	/* a page taken right after it: MREMAP_MAYMOVE moves it */
	guard = mmap(q + 2 * N * PGSZ, PGSZ, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (guard == MAP_FAILED && errno == EEXIST)
		guard = NULL;		/* taken already */
	CHECK(!guard || guard == q + 2 * N * PGSZ, "guard page: %s",
	      guard == MAP_FAILED ? strerror(errno) : "elsewhere");
	r = mremap(q, 2 * N * PGSZ, 3 * N * PGSZ, MREMAP_MAYMOVE);
	CHECK(r != MAP_FAILED && r != q, "mremap MAYMOVE: %s",
	      r == MAP_FAILED ? strerror(errno) : "grown in place");
	unmapped(q);
	for (i = 2 * N; i < 3 * N; i += 3)
		uvm_put_page(r, sh, i, 2, 1);
	CHECK_PAGES(r, sh, 3 * N, "after growing by MREMAP_MAYMOVE");
	CHECK_SMAPS_ANON0(r);
	if (guard)
		CHECK_OK(munmap(guard, PGSZ));
	CHECK_OK(munmap(r, 3 * N * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * Part of a mapping moved and grown: [8, 16) moved to 16 pages. Its slot
 * numbers continue into [16, 24), still the old mapping's: the grown part
 * must be fresh memory, and the two stay independent.
 */
static void grow_part(void)
{
	char *p, *q, *psh = uvm_shadow(N), *qsh = uvm_shadow(16);
	struct uvm_ctrs b;
	size_t i;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, psh, 1);
	memcpy(qsh, psh + 8 * PGSZ, 8 * PGSZ);
	q = move(p + 8 * PGSZ, 8, 16, uvm_free_range(16));
	unmapped(p + 8 * PGSZ);
	CHECK_PAGES(q, qsh, 16, "moved and grown part");
	CHECK_PAGES(p, psh, 8, "head");
	CHECK_PAGES(p + 16 * PGSZ, psh + 16 * PGSZ, N - 16, "tail");
	for (i = 8; i < 16; i++)
		uvm_put_page(q, qsh, i, 2, 1);
	for (i = 16; i < 24; i++)
		uvm_put_page(p, psh, i, 3, 1);
	CHECK_PAGES(q, qsh, 16, "grown part after both wrote");
	CHECK_PAGES(p + 16 * PGSZ, psh + 16 * PGSZ, N - 16,
		    "tail after both wrote");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_OK(munmap(q, 16 * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * The head of a mapping grows back over the range its tail was moved from:
 * the tail keeps its pages and slot numbers, the head gets zero-fill. In
 * place where the kernel does it, else by a move.
 */
static void grow_over_moved_piece(void)
{
	char *p, *t, *h, *sh = uvm_shadow(N), *tsh = uvm_shadow(N / 2);
	struct uvm_ctrs b;
	size_t i;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	memcpy(tsh, sh + N / 2 * PGSZ, N / 2 * PGSZ);
	t = move(p + N / 2 * PGSZ, N / 2, N / 2, uvm_free_range(N / 2));
	memset(sh + N / 2 * PGSZ, 0, N / 2 * PGSZ);
	if (inplace_refused()) {
		h = move(p, N / 2, N, uvm_free_range(N));
	} else {
		h = mremap(p, N / 2 * PGSZ, N * PGSZ, 0);
		CHECK(h == p, "mremap in place: %s",
		      h == MAP_FAILED ? strerror(errno) : "moved");
	}
	CHECK_PAGES(h, sh, N, "grown head");
	CHECK_PAGES(t, tsh, N / 2, "moved tail");
	for (i = 0; i < N; i++)
		uvm_put_page(h, sh, i, 2, 1);
	for (i = 0; i < N / 2; i++)
		uvm_put_page(t, tsh, i, 3, 1);
	CHECK_PAGES(h, sh, N, "grown head after both wrote");
	CHECK_PAGES(t, tsh, N / 2, "moved tail after both wrote");
	CHECK_OK(munmap(h, N * PGSZ));
	CHECK_OK(munmap(t, N / 2 * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * Fork, then the parent grows its private mapping by a move and writes it
 * all: the copy-on-write relation holds across the move (each old page is
 * copied once, the child keeps its view), the new part is zero-fill.
 */
static void grow_after_fork(void)
{
	char *psh = uvm_shadow(2 * N), *q;
	struct uvm_ctrs b;
	struct part_run r;
	int pid;

	uvm_ctrs_read(&b);
	pid = part_start(&r, psh);

	q = move(r.p, N, 2 * N, uvm_free_range(2 * N));
	rewrite_grown(q, psh);
	part_finish(&r, pid);
	CHECK_OK(munmap(q, 2 * N * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * Shared memory keeps the size it was mapped with, as shared anonymous
 * memory does: grown, its new pages give SIGBUS. old_size 0 maps the same
 * pages a second time (shared only; private memory gets EINVAL).
 */
static void grow_shared(void)
{
	char *p, *q, *d, *sh = uvm_shadow(N);
	struct uvm_ctrs b;
	unsigned char c;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_SHARED, sh, 1);
	q = move(p, N, 2 * N, uvm_free_range(2 * N));
	CHECK_PAGES(q, sh, N, "grown shared mapping");
	CHECK(uvm_probe_read(q + N * PGSZ, &c) == SIGBUS,
	      "reading past the shared mapping's size: want SIGBUS");
	CHECK(uvm_probe_write(q + (2 * N - 1) * PGSZ, 1) == SIGBUS,
	      "writing past the shared mapping's size: want SIGBUS");

	d = mremap(q, 0, N * PGSZ, MREMAP_MAYMOVE);
	CHECK(d != MAP_FAILED, "mremap old_size 0: %s", strerror(errno));
	CHECK_PAGES(d, sh, N, "second mapping");
	uvm_put_page(d, sh, 5, 2, 1);
	CHECK_PAGES(q, sh, N, "first mapping after a write to the second");
	CHECK_OK(munmap(d, N * PGSZ));
	CHECK_OK(munmap(q, 2 * N * PGSZ));

	p = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	CHECK_ERR((long)mremap(p, 0, N * PGSZ, MREMAP_MAYMOVE), EINVAL);
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

#ifdef __x86_64__
/* mremap through the ia32 entry (int $0x80) from this 64-bit process */
static long ia32_mremap(unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags)
{
	long ret;

	asm volatile("int $0x80"
		     : "=a" (ret)
		     : "a" (163L), "b" (addr), "c" (old_len), "d" (new_len),
		       "S" (flags), "D" (0UL)
		     : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

/*
 * whether this kernel runs ia32 system calls: abi.vsyscall32 exists with
 * CONFIG_IA32_EMULATION (trying int $0x80 without it would log a general
 * protection fault)
 */
static int ia32_works(void)
{
	return access("/proc/sys/abi/vsyscall32", F_OK) == 0;
}

/*
 * An ia32 mremap() takes 32-bit arguments: garbage in the registers' upper
 * halves is ignored by the kernel, and must be by the module reading them
 * back. The first 8 pages of a 16-page mapping move and grow to 16: the
 * new 8 are zero-fill, not the old mapping's pages 8-15 (which share the
 * slot numbers), and the two stay independent.
 */
static void grow_ia32(void)
{
	char *p, *q, *sh = uvm_shadow(16), *qsh = uvm_shadow(16);
	struct uvm_ctrs b;
	long r;
	size_t i;

	if (!ia32_works())
		uvmtest_skip("no ia32 system calls in this kernel");
	uvm_ctrs_read(&b);
	p = uvm_map_filled(16, MAP_PRIVATE | MAP_32BIT, sh, 1);
	CHECK((unsigned long)p < (1UL << 32), "MAP_32BIT gave %p", (void *)p);
	memcpy(qsh, sh, 8 * PGSZ);
	r = ia32_mremap((unsigned long)p, 0xdead00000000UL | (8 * PGSZ),
			0xbeef00000000UL | (16 * PGSZ),
			0xf00000000UL | MREMAP_MAYMOVE);
	CHECK(r > 0 && r < (1L << 32), "ia32 mremap: %s",
	      r < 0 ? strerror((int)-r) : "out of range");
	q = (char *)r;
	unmapped(p);
	CHECK_PAGES(q, qsh, 16, "moved and grown through the ia32 entry");
	CHECK_PAGES(p + 8 * PGSZ, sh + 8 * PGSZ, 8, "the part left");
	for (i = 8; i < 16; i++) {
		uvm_put_page(q, qsh, i, 2, 1);
		uvm_put_page(p, sh, i, 3, 1);
	}
	CHECK_PAGES(q, qsh, 16, "moved part after both wrote");
	CHECK_PAGES(p + 8 * PGSZ, sh + 8 * PGSZ, 8, "part left after both wrote");
	CHECK_OK(munmap(q, 16 * PGSZ));
	CHECK_OK(munmap(p + 8 * PGSZ, 8 * PGSZ));
	CHECK_BASELINE(&b);
}
#else
static void grow_ia32(void)
{
	uvmtest_skip("x86-64 only");
}
#endif

/* MREMAP_DONTUNMAP is refused with EINVAL; the data stays */
static void dontunmap_refused(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs b;

	if (uvm_native())
		uvmtest_skip("native private memory allows MREMAP_DONTUNMAP");
	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	CHECK_ERR((long)mremap(p, N * PGSZ, N * PGSZ,
			       MREMAP_MAYMOVE | MREMAP_DONTUNMAP), EINVAL);
	CHECK_PAGES(p, sh, N, "after the refused move");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE(move_whole_private),
	UVMTEST_CASE(move_whole_shared),
	UVMTEST_CASE_T(move_part_after_fork, 120),
	UVMTEST_CASE_T(move_shared_after_fork, 120),
	UVMTEST_CASE(shrink_frees),
	UVMTEST_CASE_T(grow_in_place, 120),
	UVMTEST_CASE(grow_by_move),
	UVMTEST_CASE(grow_part),
	UVMTEST_CASE(grow_over_moved_piece),
	UVMTEST_CASE_T(grow_after_fork, 120),
	UVMTEST_CASE(grow_shared),
	UVMTEST_CASE(grow_ia32),
	UVMTEST_CASE(dontunmap_refused),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_mremaptest", cases, argc, argv);
}
