// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_mremaptest: mremap of /dev/uvm memory. A move keeps the data and the
 * copy-on-write relation with a forked child, for the whole mapping and for
 * a part of it (a split, then a move); a shrink frees the pages cut off;
 * growing and MREMAP_DONTUNMAP are refused (EFAULT, EINVAL) until the
 * module supports them. Every byte read is checked against a shadow copy
 * and the module's counters against what each case did.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "uvmmap.h"
#include "uvmtest.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define RW	(PROT_READ | PROT_WRITE)
#define N	32

/* an address range of @n pages nobody uses, to move to */
static void *free_range(size_t n)
{
	void *p = mmap(NULL, n * PGSZ, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK_OK(munmap(p, n * PGSZ));
	return p;
}

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
	size_t i;

	uvm_ctrs_read(&b);
	p = uvm_map_ok(N * PGSZ, RW, kind);
	for (i = 0; i < N; i++)
		uvm_put_page(p, sh, i, 1, 1);
	uvm_ctrs_read(&c0);
	q = move(p, N, N, free_range(N));
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

	r.sh = uvm_shadow(N);
	uvm_ctrs_read(&b);
	r.p = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < N; i++)
		uvm_put_page(r.p, r.sh, i, 1, 1);
	memcpy(psh, r.sh, N * PGSZ);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(part_child, &r);
	uvm_chan_parent(&r.ch);

	uvm_ctrs_read(&c0);
	q = move(r.p + 8 * PGSZ, 16, 16, free_range(16));
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

	uvm_tell_child(&r.ch, 'm');
	uvm_await_child(&r.ch, 'c');
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
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
	r.p = uvm_map_ok(N * PGSZ, RW, MAP_SHARED);
	for (i = 0; i < N; i++)
		uvm_put_page(r.p, sh, i, 1, 1);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(shared_child, &r);
	uvm_chan_parent(&r.ch);
	q = move(r.p, N, N, free_range(N));
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
	size_t i;

	uvm_ctrs_read(&b);
	p = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < N; i++)
		uvm_put_page(p, sh, i, 1, 1);
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

/* growing is refused with EFAULT (VM_DONTEXPAND); the data stays */
static void grow_refused(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs b;
	size_t i;

	if (uvm_native())
		uvmtest_skip("native memory grows");
	uvm_ctrs_read(&b);
	p = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < N; i++)
		uvm_put_page(p, sh, i, 1, 1);
	CHECK_ERR((long)mremap(p, N * PGSZ, 2 * N * PGSZ, 0), EFAULT);
	CHECK_ERR((long)mremap(p, N * PGSZ, 2 * N * PGSZ, MREMAP_MAYMOVE),
		  EFAULT);
	CHECK_PAGES(p, sh, N, "after the refused growth");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

/* MREMAP_DONTUNMAP is refused with EINVAL; the data stays */
static void dontunmap_refused(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs b;
	size_t i;

	if (uvm_native())
		uvmtest_skip("native private memory allows MREMAP_DONTUNMAP");
	uvm_ctrs_read(&b);
	p = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < N; i++)
		uvm_put_page(p, sh, i, 1, 1);
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
	UVMTEST_CASE(grow_refused),
	UVMTEST_CASE(dontunmap_refused),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_mremaptest", cases, argc, argv);
}
