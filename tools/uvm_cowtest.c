// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_cowtest: /dev/uvm memory across fork(). Private memory is zero-filled
 * on first touch and copy-on-write between parent and child (also with
 * mprotect steps, in three-generation trees and with many children); shared
 * memory is seen by both sides. Every byte read is checked against a shadow
 * copy of what the process should see; the UVM counters in /sys/kernel/uvm
 * must move by exactly the copies and zero-fills made, /proc/self/smaps must
 * show the memory as not Linux-anonymous, and every gauge must come back to
 * its value before the case once all is unmapped and every child reaped.
 * Run with uvm.ko loaded, or with UVM_TEST_NATIVE=1 on Linux's own memory.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uvmmap.h"

#define RW	(PROT_READ | PROT_WRITE)

enum { W_PARENT = 1, W_CHILD, W_GRANDCHILD, W_KIDS = 10 };

static struct uvm_ctrs prog_base;	/* read by main() before any case */
static bool prog_base_ok;

static void unmap(void *p, size_t npages)
{
	CHECK_OK(munmap(p, npages * PGSZ));
}

/*
 * mprotect(PROT_READ): contents unchanged, every write faults and changes
 * nothing; mprotect(RW) again: contents still unchanged.
 */
static void ro_cycle(char *p, const char *sh, size_t n, const char *who)
{
	size_t i;

	CHECK_OK(mprotect(p, n * PGSZ, PROT_READ));
	CHECK_PAGES(p, sh, n, who);
	for (i = 0; i < n; i++)
		CHECK(uvm_probe_write(p + i * PGSZ + (i * 8 % PGSZ), 0x5a) != 0,
		      "%s: page %zu writable under PROT_READ", who, i);
	CHECK_PAGES(p, sh, n, who);
	CHECK_OK(mprotect(p, n * PGSZ, RW));
	CHECK_PAGES(p, sh, n, who);
}

/* private memory without fork */

/* Fresh private pages written: each zero-filled once, one anon each. */
static void private_zero_fill_counters(void)
{
	const size_t n = 64;
	struct uvm_ctrs b, a;
	char *p, *sh;
	size_t i;

	sh = uvm_shadow(n);
	uvm_ctrs_read(&b);
	p = uvm_map_ok(n * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < n; i++)
		uvm_put_page(p, sh, i, 1, W_PARENT);
	uvm_ctrs_read(&a);
	CHECK_PAGES(p, sh, n, "after writes");
	CHECK_CTR(&b, &a, UC_ZERO_FILLS, ==, n);
	CHECK_CTR(&b, &a, UC_PAGES, ==, n);
	CHECK_CTR(&b, &a, UC_ANONS, ==, n);
	CHECK_CTR(&b, &a, UC_COW_COPIES, ==, 0);
	CHECK_CTR(&b, &a, UC_ENTRIES, ==, 1);
	CHECK_CTR(&b, &a, UC_FAULTS, >=, n);
	CHECK_SMAPS_ANON0(p);
	unmap(p, n);
	CHECK_BASELINE(&b);
}

/* Reads of fresh pages see zeros; a write after the read keeps one page. */
static void private_read_then_write(void)
{
	const size_t n = 64;
	struct uvm_ctrs b, r, a;
	char *p, *sh;
	size_t i;

	sh = uvm_shadow(n);
	uvm_ctrs_read(&b);
	p = uvm_map_ok(n * PGSZ, RW, MAP_PRIVATE);
	CHECK_PAGES(p, sh, n, "fresh pages");
	uvm_ctrs_read(&r);
	CHECK_CTR(&b, &r, UC_PAGES, <=, n);
	for (i = 0; i < n; i++)
		uvm_put_page(p, sh, i, 1, W_PARENT);
	CHECK_PAGES(p, sh, n, "after writes");
	uvm_ctrs_read(&a);
	CHECK_CTR(&b, &a, UC_PAGES, ==, n);
	CHECK_CTR(&b, &a, UC_ANONS, ==, n);
	CHECK_CTR(&b, &a, UC_COW_COPIES, ==, 0);
	unmap(p, n);
	CHECK_BASELINE(&b);
}

/* PROT_READ keeps the data and refuses writes; RW again writes in place. */
static void private_mprotect_keeps_data(void)
{
	const size_t n = 16;
	struct uvm_ctrs b, a;
	char *p, *sh;
	size_t i;

	sh = uvm_shadow(n);
	uvm_ctrs_read(&b);
	p = uvm_map_ok(n * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < n; i++)
		uvm_put_page(p, sh, i, 1, W_PARENT);
	ro_cycle(p, sh, n, "RO->RW");
	for (i = 0; i < n; i += 2)
		uvm_put_page(p, sh, i, 2, W_PARENT);
	CHECK_PAGES(p, sh, n, "written after RO->RW");
	uvm_ctrs_read(&a);
	CHECK_CTR(&b, &a, UC_PAGES, ==, n);
	CHECK_CTR(&b, &a, UC_ANONS, ==, n);
	CHECK_CTR(&b, &a, UC_ZERO_FILLS, ==, n);
	CHECK_CTR(&b, &a, UC_COW_COPIES, ==, 0);
	unmap(p, n);
	CHECK_BASELINE(&b);
}

/* shared memory without fork */

static void shared_zero_fill_counters(void)
{
	const size_t n = 64;
	struct uvm_ctrs b, a;
	char *p, *sh;
	size_t i;

	sh = uvm_shadow(n);
	uvm_ctrs_read(&b);
	p = uvm_map_ok(n * PGSZ, RW, MAP_SHARED);
	for (i = 0; i < n; i++)
		uvm_put_page(p, sh, i, 1, W_PARENT);
	uvm_ctrs_read(&a);
	CHECK_PAGES(p, sh, n, "after writes");
	CHECK_CTR(&b, &a, UC_ZERO_FILLS, ==, n);
	CHECK_CTR(&b, &a, UC_PAGES, ==, n);
	CHECK_CTR(&b, &a, UC_ANONS, ==, 0);
	CHECK_CTR(&b, &a, UC_AOBJS, ==, 1);
	CHECK_CTR(&b, &a, UC_ENTRIES, ==, 1);
	CHECK_CTR(&b, &a, UC_COW_COPIES, ==, 0);
	CHECK_SMAPS_ANON0(p);
	unmap(p, n);
	CHECK_BASELINE(&b);
}

/* private copy-on-write, parent and one child */

struct cow_plan {
	size_t n;			/* pages */
	bool (*child_writes)(size_t pg, size_t n);
	bool (*parent_writes)(size_t pg, size_t n);
	bool parent_first;		/* parent writes before the child */
	bool mprot;			/* RO->RW cycles before and after fork */
};

static bool none(size_t pg, size_t n)
{
	(void)pg;
	(void)n;
	return false;
}

static bool all(size_t pg, size_t n)
{
	(void)pg;
	(void)n;
	return true;
}

static bool even(size_t pg, size_t n)
{
	(void)n;
	return pg % 2 == 0;
}

static bool low_or_odd(size_t pg, size_t n)
{
	return pg < n / 2 || pg % 2;
}

static bool quarter(size_t pg, size_t n)
{
	return pg < n / 4;
}

static bool every3(size_t pg, size_t n)
{
	(void)n;
	return pg % 3 == 1;
}

struct cow_run {
	const struct cow_plan *pl;
	char *p, *sh;
	struct uvm_chan ch;
};

static void cow_child(void *arg)
{
	struct cow_run *r = arg;
	const struct cow_plan *pl = r->pl;
	size_t i;

	uvm_chan_child(&r->ch);
	uvm_await_parent(&r->ch, 'g');
	CHECK_PAGES(r->p, r->sh, pl->n, "child before its writes");
	if (pl->mprot)
		ro_cycle(r->p, r->sh, pl->n, "child RO->RW");
	for (i = 0; i < pl->n; i++)
		if (pl->child_writes(i, pl->n))
			uvm_put_page(r->p, r->sh, i, 2, W_CHILD);
	CHECK_PAGES(r->p, r->sh, pl->n, "child after its writes");
	CHECK_SMAPS_ANON0(r->p);
	uvm_tell_parent(&r->ch, 'w');
	uvm_await_parent(&r->ch, 'x');
	CHECK_PAGES(r->p, r->sh, pl->n, "child at the end");
	CHECK_SMAPS_ANON0(r->p);
}

static void parent_writes(struct cow_run *r)
{
	const struct cow_plan *pl = r->pl;
	size_t i;

	if (pl->mprot)
		ro_cycle(r->p, r->sh, pl->n, "parent RO->RW");
	for (i = 0; i < pl->n; i++)
		if (pl->parent_writes(i, pl->n))
			uvm_put_page(r->p, r->sh, i, 3, W_PARENT);
	CHECK_PAGES(r->p, r->sh, pl->n, "parent after its writes");
}

static void cow_run(const struct cow_plan *pl)
{
	struct uvm_ctrs b, c0, c1, c2;
	struct cow_run r = { .pl = pl };
	size_t i, written = 0;
	int pid;

	for (i = 0; i < pl->n; i++)
		written += pl->child_writes(i, pl->n) ||
			   pl->parent_writes(i, pl->n);
	r.sh = uvm_shadow(pl->n);
	uvm_ctrs_read(&b);
	r.p = uvm_map_ok(pl->n * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < pl->n; i++)
		uvm_put_page(r.p, r.sh, i, 1, W_PARENT);
	if (pl->mprot)
		ro_cycle(r.p, r.sh, pl->n, "parent RO->RW before fork");
	CHECK_PAGES(r.p, r.sh, pl->n, "parent before fork");

	uvm_ctrs_read(&c0);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(cow_child, &r);
	uvm_chan_parent(&r.ch);
	if (pl->parent_first)
		parent_writes(&r);
	uvm_tell_child(&r.ch, 'g');
	uvm_await_child(&r.ch, 'w');
	CHECK_PAGES(r.p, r.sh, pl->n, "parent after the child wrote");
	if (!pl->parent_first)
		parent_writes(&r);
	CHECK_SMAPS_ANON0(r.p);

	/* Both alive: one copy per page written by either. */
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, written);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, written);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, written);
	CHECK_CTR(&c0, &c1, UC_ZERO_FILLS, ==, 0);
	CHECK_CTR(&c0, &c1, UC_ENTRIES, ==, 1);
	CHECK_CTR(&c0, &c1, UC_FAULTS, >=, written);

	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_PAGES(r.p, r.sh, pl->n, "parent after the child exited");
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c0, &c2, UC_PAGES, ==, 0);
	CHECK_CTR(&c0, &c2, UC_ANONS, ==, 0);
	CHECK_CTR(&c0, &c2, UC_ENTRIES, ==, 0);
	unmap(r.p, pl->n);
	CHECK_BASELINE(&b);
}

/* The child writes even pages, then the parent half and the odd ones. */
static void fork_cow_child_first(void)
{
	static const struct cow_plan pl = {
		.n = 32, .child_writes = even, .parent_writes = low_or_odd,
	};
	cow_run(&pl);
}

/* The parent writes every page, then the child too (it reuses). */
static void fork_cow_parent_first(void)
{
	static const struct cow_plan pl = {
		.n = 32, .child_writes = all, .parent_writes = all,
		.parent_first = true,
	};
	cow_run(&pl);
}

static void fork_cow_child_only(void)
{
	static const struct cow_plan pl = {
		.n = 32, .child_writes = all, .parent_writes = none,
	};
	cow_run(&pl);
}

static void fork_cow_parent_only(void)
{
	static const struct cow_plan pl = {
		.n = 32, .child_writes = none, .parent_writes = all,
		.parent_first = true,
	};
	cow_run(&pl);
}

/* Only some pages written: only those copied. */
static void fork_cow_partial(void)
{
	static const struct cow_plan pl = {
		.n = 48, .child_writes = quarter, .parent_writes = every3,
	};
	cow_run(&pl);
}

/* mprotect(RO) then (RW) before fork and in both after it. */
static void fork_cow_mprotect(void)
{
	static const struct cow_plan pl = {
		.n = 32, .child_writes = even, .parent_writes = low_or_odd,
		.mprot = true,
	};
	cow_run(&pl);
}

static void fork_cow_mprotect_parent_first(void)
{
	static const struct cow_plan pl = {
		.n = 32, .child_writes = all, .parent_writes = even,
		.parent_first = true, .mprot = true,
	};
	cow_run(&pl);
}

/* 2 MiB both ways. */
static void fork_cow_large(void)
{
	static const struct cow_plan pl = {
		.n = 512, .child_writes = all, .parent_writes = all,
	};
	cow_run(&pl);
}

/*
 * A child that exits at once leaves nothing shared: the parent's writes
 * afterwards copy nothing and allocate nothing.
 */
static void nothing(void *arg)
{
	(void)arg;
}

static void fork_exit_then_write(void)
{
	const size_t n = 32;
	struct uvm_ctrs b, c0, c1;
	char *p, *sh;
	size_t i;

	sh = uvm_shadow(n);
	uvm_ctrs_read(&b);
	p = uvm_map_ok(n * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < n; i++)
		uvm_put_page(p, sh, i, 1, W_PARENT);
	uvm_ctrs_read(&c0);
	WAIT_OK(uvm_spawn(nothing, NULL));
	for (i = 0; i < n; i++)
		uvm_put_page(p, sh, i, 2, W_PARENT);
	CHECK_PAGES(p, sh, n, "after the child exited");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, 0);
	CHECK_CTR(&c0, &c1, UC_ZERO_FILLS, ==, 0);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 0);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, 0);
	unmap(p, n);
	CHECK_BASELINE(&b);
}

/*
 * Pages never touched before fork are zero-filled separately by parent and
 * child (no copies); pages only read after fork are zeros on both sides.
 */
struct zf_run {
	char *p, *sh;
	struct uvm_chan ch;
};

#define ZF_N	48	/* 0-15 written before fork, 16-31 after, 32-47 read */

static void zf_child(void *arg)
{
	struct zf_run *r = arg;
	size_t i;

	uvm_chan_child(&r->ch);
	for (i = 16; i < 32; i++)
		uvm_put_page(r->p, r->sh, i, 2, W_CHILD);
	CHECK_PAGES(r->p, r->sh, 32, "child after writes");
	uvm_tell_parent(&r->ch, 'w');
	uvm_await_parent(&r->ch, 'r');
	CHECK_PAGES(r->p, r->sh, ZF_N, "child after reads");
	uvm_tell_parent(&r->ch, 'd');
	uvm_await_parent(&r->ch, 'x');
}

static void fork_zero_fill(void)
{
	struct uvm_ctrs b, c0, c1;
	struct zf_run r;
	size_t i;
	int pid;

	r.sh = uvm_shadow(ZF_N);
	uvm_ctrs_read(&b);
	r.p = uvm_map_ok(ZF_N * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < 16; i++)
		uvm_put_page(r.p, r.sh, i, 1, W_PARENT);
	uvm_ctrs_read(&c0);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(zf_child, &r);
	uvm_chan_parent(&r.ch);
	uvm_await_child(&r.ch, 'w');
	CHECK_PAGES(r.p, r.sh, 32, "parent after the child wrote");
	for (i = 16; i < 32; i++)
		uvm_put_page(r.p, r.sh, i, 3, W_PARENT);
	CHECK_PAGES(r.p, r.sh, 32, "parent after writes");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_ZERO_FILLS, ==, 32);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, 0);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 32);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, 32);
	uvm_tell_child(&r.ch, 'r');
	CHECK_PAGES(r.p, r.sh, ZF_N, "parent after reads");
	uvm_await_child(&r.ch, 'd');
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_PAGES(r.p, r.sh, ZF_N, "parent at the end");
	unmap(r.p, ZF_N);
	CHECK_BASELINE(&b);
}

/*
 * Three generations: P writes all pages, forks C; C writes A, forks G; G
 * writes B; then C writes C; then P writes D. Each process checks its own
 * view at each step; while all three live, UVM holds one page per distinct
 * page content of the three views.
 */
#define TG_N	60

enum { TG_P, TG_C, TG_G };

static bool tg_a(size_t i)
{
	return i % 3 == 0;
}

static bool tg_b(size_t i)
{
	return i % 5 == 0;
}

static bool tg_c(size_t i)
{
	return i % 2 == 0;
}

static bool tg_d(size_t i)
{
	return i % 7 == 0;
}

/* The final view of process who, built without any mapping. */
static void tg_view(int who, char *v)
{
	size_t i;

	for (i = 0; i < TG_N; i++) {
		char *pg = v + i * PGSZ;

		uvm_pat_fill(pg, i, 1, W_PARENT);
		if (who == TG_P && tg_d(i))
			uvm_pat_fill(pg, i, 5, W_PARENT);
		if (who != TG_P && tg_a(i))
			uvm_pat_fill(pg, i, 2, W_CHILD);
		if (who == TG_G && tg_b(i))
			uvm_pat_fill(pg, i, 3, W_GRANDCHILD);
		if (who == TG_C && tg_c(i))
			uvm_pat_fill(pg, i, 4, W_CHILD);
	}
}

struct tg_run {
	char *p, *sh;
	struct uvm_chan pc, cg;
};

static void tg_grandchild(void *arg)
{
	struct tg_run *r = arg;
	size_t i;

	uvm_chan_close(&r->pc);
	uvm_chan_child(&r->cg);
	CHECK_PAGES(r->p, r->sh, TG_N, "grandchild at fork");
	for (i = 0; i < TG_N; i++)
		if (tg_b(i))
			uvm_put_page(r->p, r->sh, i, 3, W_GRANDCHILD);
	CHECK_PAGES(r->p, r->sh, TG_N, "grandchild after its writes");
	uvm_tell_parent(&r->cg, 'w');
	uvm_await_parent(&r->cg, 'x');
	tg_view(TG_G, r->sh);
	CHECK_PAGES(r->p, r->sh, TG_N, "grandchild at the end");
	CHECK_SMAPS_ANON0(r->p);
}

static void tg_child(void *arg)
{
	struct tg_run *r = arg;
	size_t i;
	int pid;

	uvm_chan_child(&r->pc);
	CHECK_PAGES(r->p, r->sh, TG_N, "child at fork");
	for (i = 0; i < TG_N; i++)
		if (tg_a(i))
			uvm_put_page(r->p, r->sh, i, 2, W_CHILD);
	CHECK_PAGES(r->p, r->sh, TG_N, "child after A");
	uvm_chan_init(&r->cg);
	pid = uvm_spawn(tg_grandchild, r);
	uvm_chan_parent(&r->cg);
	uvm_await_child(&r->cg, 'w');
	CHECK_PAGES(r->p, r->sh, TG_N, "child after the grandchild wrote");
	for (i = 0; i < TG_N; i++)
		if (tg_c(i))
			uvm_put_page(r->p, r->sh, i, 4, W_CHILD);
	CHECK_PAGES(r->p, r->sh, TG_N, "child after C");
	uvm_tell_parent(&r->pc, 'w');
	uvm_await_parent(&r->pc, 'x');
	uvm_tell_child(&r->cg, 'x');
	WAIT_OK(pid);
	tg_view(TG_C, r->sh);
	CHECK_PAGES(r->p, r->sh, TG_N, "child at the end");
	CHECK_SMAPS_ANON0(r->p);
}

static void fork_three_generations(void)
{
	struct uvm_ctrs b, c0, c1, c2;
	struct tg_run r;
	char *v[3];
	size_t i, distinct = 0;
	int pid, w;

	for (w = 0; w < 3; w++) {
		v[w] = uvm_shadow(TG_N);
		tg_view(w, v[w]);
	}
	for (i = 0; i < TG_N; i++) {
		char *pp = v[TG_P] + i * PGSZ, *cp = v[TG_C] + i * PGSZ;
		char *gp = v[TG_G] + i * PGSZ;

		distinct += 1 + !!memcmp(cp, pp, PGSZ) +
			    (memcmp(gp, pp, PGSZ) && memcmp(gp, cp, PGSZ));
	}

	r.sh = uvm_shadow(TG_N);
	uvm_ctrs_read(&b);
	r.p = uvm_map_ok(TG_N * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < TG_N; i++)
		uvm_put_page(r.p, r.sh, i, 1, W_PARENT);
	uvm_ctrs_read(&c0);
	uvm_chan_init(&r.pc);
	pid = uvm_spawn(tg_child, &r);
	uvm_chan_parent(&r.pc);
	uvm_await_child(&r.pc, 'w');
	CHECK_PAGES(r.p, r.sh, TG_N, "parent after child and grandchild");
	for (i = 0; i < TG_N; i++)
		if (tg_d(i))
			uvm_put_page(r.p, r.sh, i, 5, W_PARENT);
	CHECK_PAGES(r.p, r.sh, TG_N, "parent after D");
	CHECK_PAGES(r.p, v[TG_P], TG_N, "parent against its built view");

	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, distinct - TG_N);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, distinct - TG_N);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, distinct - TG_N);
	CHECK_CTR(&c0, &c1, UC_ZERO_FILLS, ==, 0);
	CHECK_CTR(&c0, &c1, UC_ENTRIES, ==, 2);
	CHECK_SMAPS_ANON0(r.p);

	uvm_tell_child(&r.pc, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.pc);
	CHECK_PAGES(r.p, r.sh, TG_N, "parent at the end");
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c0, &c2, UC_PAGES, ==, 0);
	CHECK_CTR(&c0, &c2, UC_ANONS, ==, 0);
	unmap(r.p, TG_N);
	CHECK_BASELINE(&b);
}

/*
 * Four children alive at once each write every page: each write is a copy,
 * and the parent's own writes afterwards copy nothing (its pages are no
 * longer shared).
 */
#define MC_KIDS	4
#define MC_N	16

struct mc_run {
	char *p, *sh;
	struct uvm_chan ch[MC_KIDS];
	int kid;
};

static void mc_child(void *arg)
{
	struct mc_run *r = arg;
	struct uvm_chan *ch = &r->ch[r->kid];
	size_t i;
	int k;

	for (k = 0; k < r->kid; k++)
		uvm_chan_close(&r->ch[k]);
	uvm_chan_child(ch);
	CHECK_PAGES(r->p, r->sh, MC_N, "child at fork");
	for (i = 0; i < MC_N; i++)
		uvm_put_page(r->p, r->sh, i, 2, W_KIDS + r->kid);
	CHECK_PAGES(r->p, r->sh, MC_N, "child after its writes");
	uvm_tell_parent(ch, 'w');
	uvm_await_parent(ch, 'x');
	CHECK_PAGES(r->p, r->sh, MC_N, "child at the end");
}

static void fork_many_children(void)
{
	struct uvm_ctrs b, c0, c1, c2;
	struct mc_run r;
	int pid[MC_KIDS], k;
	size_t i;

	r.sh = uvm_shadow(MC_N);
	uvm_ctrs_read(&b);
	r.p = uvm_map_ok(MC_N * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < MC_N; i++)
		uvm_put_page(r.p, r.sh, i, 1, W_PARENT);
	uvm_ctrs_read(&c0);
	for (k = 0; k < MC_KIDS; k++) {
		uvm_chan_init(&r.ch[k]);
		r.kid = k;
		pid[k] = uvm_spawn(mc_child, &r);
		uvm_chan_parent(&r.ch[k]);
	}
	for (k = 0; k < MC_KIDS; k++)
		uvm_await_child(&r.ch[k], 'w');
	CHECK_PAGES(r.p, r.sh, MC_N, "parent after the children wrote");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, MC_KIDS * MC_N);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, MC_KIDS * MC_N);
	CHECK_CTR(&c0, &c1, UC_ENTRIES, ==, MC_KIDS);
	for (i = 0; i < MC_N; i++)
		uvm_put_page(r.p, r.sh, i, 3, W_PARENT);
	CHECK_PAGES(r.p, r.sh, MC_N, "parent after its writes");
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c1, &c2, UC_COW_COPIES, ==, 0);
	CHECK_CTR(&c1, &c2, UC_PAGES, ==, 0);
	for (k = 0; k < MC_KIDS; k++) {
		uvm_tell_child(&r.ch[k], 'x');
		WAIT_OK(pid[k]);
		uvm_chan_close(&r.ch[k]);
	}
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c0, &c2, UC_PAGES, ==, 0);
	CHECK_CTR(&c0, &c2, UC_ANONS, ==, 0);
	unmap(r.p, MC_N);
	CHECK_BASELINE(&b);
}

/*
 * MAP_SHARED across fork: each side sees the other's writes, first touches
 * by either side are zero-fills of the one object, nothing is copied.
 */
#define SH_N	32

struct sh_run {
	char *p, *sh;
	struct uvm_chan ch;
};

/* The writes of both sides, applied to a shadow in the same order. */
static void sh_parent_first(char *p, char *sh)
{
	size_t i;

	for (i = 0; i < SH_N / 2; i++)
		uvm_put_page(p, sh, i, 1, W_PARENT);
}

static void sh_child_writes(char *p, char *sh)
{
	size_t i;

	for (i = SH_N / 2; i < SH_N; i++)
		uvm_put_page(p, sh, i, 2, W_CHILD);
	uvm_put_page(p, sh, 0, 3, W_CHILD);
}

static void sh_parent_second(char *p, char *sh)
{
	size_t i;

	for (i = 1; i < SH_N; i += 2)
		uvm_put_page(p, sh, i, 4, W_PARENT);
}

static void sh_child(void *arg)
{
	struct sh_run *r = arg;
	char *scratch = uvm_shadow(SH_N);

	uvm_chan_child(&r->ch);
	CHECK_PAGES(r->p, r->sh, SH_N, "child at fork");
	sh_child_writes(r->p, r->sh);
	CHECK_PAGES(r->p, r->sh, SH_N, "child after its writes");
	CHECK_SMAPS_ANON0(r->p);
	uvm_tell_parent(&r->ch, 'w');
	uvm_await_parent(&r->ch, 'w');
	sh_parent_second(scratch, r->sh);
	CHECK_PAGES(r->p, r->sh, SH_N, "child after the parent wrote");
	CHECK_SMAPS_ANON0(r->p);
	uvm_tell_parent(&r->ch, 'c');
	uvm_await_parent(&r->ch, 'x');
}

static void fork_shared_visible(void)
{
	struct uvm_ctrs b, c1, c2;
	struct sh_run r;
	char *scratch;
	int pid;

	r.sh = uvm_shadow(SH_N);
	scratch = uvm_shadow(SH_N);
	uvm_ctrs_read(&b);
	r.p = uvm_map_ok(SH_N * PGSZ, RW, MAP_SHARED);
	sh_parent_first(r.p, r.sh);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(sh_child, &r);
	uvm_chan_parent(&r.ch);
	uvm_await_child(&r.ch, 'w');
	sh_child_writes(scratch, r.sh);
	CHECK_PAGES(r.p, r.sh, SH_N, "parent after the child wrote");
	sh_parent_second(r.p, r.sh);
	CHECK_PAGES(r.p, r.sh, SH_N, "parent after its writes");
	uvm_tell_child(&r.ch, 'w');
	uvm_await_child(&r.ch, 'c');
	CHECK_SMAPS_ANON0(r.p);
	uvm_ctrs_read(&c1);
	CHECK_CTR(&b, &c1, UC_ZERO_FILLS, ==, SH_N);
	CHECK_CTR(&b, &c1, UC_PAGES, ==, SH_N);
	CHECK_CTR(&b, &c1, UC_ANONS, ==, 0);
	CHECK_CTR(&b, &c1, UC_COW_COPIES, ==, 0);
	CHECK_CTR(&b, &c1, UC_AOBJS, ==, 1);
	CHECK_CTR(&b, &c1, UC_ENTRIES, ==, 2);
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_PAGES(r.p, r.sh, SH_N, "parent at the end");
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c1, &c2, UC_PAGES, ==, 0);
	CHECK_CTR(&c1, &c2, UC_AOBJS, ==, 0);
	CHECK_CTR(&c1, &c2, UC_ENTRIES, ==, -1);
	unmap(r.p, SH_N);
	CHECK_BASELINE(&b);
}

/*
 * A private and a shared region in one process tree: the child's writes
 * reach the parent through the shared one only.
 */
struct mix_run {
	char *priv, *shr, *psh, *ssh;
	struct uvm_chan ch;
};

#define MIX_N	16

static void mix_child(void *arg)
{
	struct mix_run *r = arg;
	size_t i;

	uvm_chan_child(&r->ch);
	for (i = 0; i < MIX_N; i++) {
		uvm_put_page(r->priv, r->psh, i, 2, W_CHILD);
		uvm_put_page(r->shr, r->ssh, i, 2, W_CHILD);
	}
	CHECK_PAGES(r->priv, r->psh, MIX_N, "child private");
	CHECK_PAGES(r->shr, r->ssh, MIX_N, "child shared");
	CHECK_SMAPS_ANON0(r->priv);
	CHECK_SMAPS_ANON0(r->shr);
	uvm_tell_parent(&r->ch, 'w');
	uvm_await_parent(&r->ch, 'x');
}

static void fork_private_and_shared(void)
{
	struct uvm_ctrs b, c0, c1;
	struct mix_run r;
	char *scratch;
	size_t i;
	int pid;

	r.psh = uvm_shadow(MIX_N);
	r.ssh = uvm_shadow(MIX_N);
	scratch = uvm_shadow(MIX_N);
	uvm_ctrs_read(&b);
	r.priv = uvm_map_ok(MIX_N * PGSZ, RW, MAP_PRIVATE);
	r.shr = uvm_map_ok(MIX_N * PGSZ, RW, MAP_SHARED);
	for (i = 0; i < MIX_N; i++) {
		uvm_put_page(r.priv, r.psh, i, 1, W_PARENT);
		uvm_put_page(r.shr, r.ssh, i, 1, W_PARENT);
	}
	uvm_ctrs_read(&c0);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(mix_child, &r);
	uvm_chan_parent(&r.ch);
	uvm_await_child(&r.ch, 'w');
	for (i = 0; i < MIX_N; i++)
		uvm_put_page(scratch, r.ssh, i, 2, W_CHILD);
	CHECK_PAGES(r.priv, r.psh, MIX_N, "parent private");
	CHECK_PAGES(r.shr, r.ssh, MIX_N, "parent shared");
	CHECK_SMAPS_ANON0(r.priv);
	CHECK_SMAPS_ANON0(r.shr);
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, MIX_N);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, MIX_N);
	CHECK_CTR(&c0, &c1, UC_ZERO_FILLS, ==, 0);
	CHECK_CTR(&c0, &c1, UC_ENTRIES, ==, 2);
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	unmap(r.priv, MIX_N);
	unmap(r.shr, MIX_N);
	CHECK_BASELINE(&b);
}

/* Nothing left behind by any case before this one. */
static void all_gauges_at_baseline(void)
{
	CHECK(uvm_native() || prog_base_ok,
	      "could not read " UVM_SYSFS " at start");
	CHECK_BASELINE(&prog_base);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE(private_zero_fill_counters),
	UVMTEST_CASE(private_read_then_write),
	UVMTEST_CASE(private_mprotect_keeps_data),
	UVMTEST_CASE(shared_zero_fill_counters),
	UVMTEST_CASE_T(fork_cow_child_first, 120),
	UVMTEST_CASE_T(fork_cow_parent_first, 120),
	UVMTEST_CASE_T(fork_cow_child_only, 120),
	UVMTEST_CASE_T(fork_cow_parent_only, 120),
	UVMTEST_CASE_T(fork_cow_partial, 120),
	UVMTEST_CASE_T(fork_cow_mprotect, 120),
	UVMTEST_CASE_T(fork_cow_mprotect_parent_first, 120),
	UVMTEST_CASE_T(fork_cow_large, 180),
	UVMTEST_CASE_T(fork_exit_then_write, 120),
	UVMTEST_CASE_T(fork_zero_fill, 120),
	UVMTEST_CASE_T(fork_three_generations, 180),
	UVMTEST_CASE_T(fork_many_children, 180),
	UVMTEST_CASE_T(fork_shared_visible, 120),
	UVMTEST_CASE_T(fork_private_and_shared, 120),
	UVMTEST_CASE(all_gauges_at_baseline),
	{ NULL }
};

int main(int argc, char **argv)
{
	int i;

	if (!uvm_native()) {
		prog_base_ok = true;
		for (i = 0; i < UC_NR; i++) {
			char path[128];

			snprintf(path, sizeof(path), UVM_SYSFS "/%s",
				 uvm_ctr_names[i]);
			prog_base.v[i] = uvmtest_read_long(path);
			if (prog_base.v[i] < 0)
				prog_base_ok = false;
		}
	}
	return uvmtest_main("uvm_cowtest", cases, argc, argv);
}
