// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_madvtest: madvise on /dev/uvm memory. MADV_DONTNEED makes private
 * memory read back as zeroes and frees its anons (also in a forked child
 * that never touched the memory, and without disturbing the other side of
 * a fork), and keeps shared memory's data; MADV_RANDOM / SEQUENTIAL /
 * NORMAL select UVM's fault-ahead window; MADV_DONTFORK leaves the memory
 * out of the child; MADV_WIPEONFORK is refused on a device mapping.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "uvmmap.h"
#include "uvmtest.h"
#include "uvm_uapi.h"

#define RW	(PROT_READ | PROT_WRITE)
#define N	64

/* private: the range reads back as zeroes, its anons are freed */
static void dontneed_private_zeroes(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs b, c0, c1;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	uvm_ctrs_read(&c0);
	CHECK_OK(madvise(p + 16 * PGSZ, 32 * PGSZ, MADV_DONTNEED));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, -32);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, -32);
	memset(sh + 16 * PGSZ, 0, 32 * PGSZ);
	CHECK_PAGES(p, sh, N, "after MADV_DONTNEED");
	/* and the range works as fresh memory */
	uvm_put_page(p, sh, 20, 2, 1);
	CHECK_PAGES(p, sh, N, "after a write to a dropped page");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

/* shared: data kept, as for shmem */
static void dontneed_shared_keeps(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs b, c0, c1;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_SHARED, sh, 1);
	uvm_ctrs_read(&c0);
	CHECK_OK(madvise(p, N * PGSZ, MADV_DONTNEED));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 0);
	CHECK_PAGES(p, sh, N, "after MADV_DONTNEED");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

struct fork_run {
	char *p, *sh;
	struct uvm_chan ch;
	int child_drops;
};

static void fork_child(void *arg)
{
	struct fork_run *r = arg;

	uvm_chan_child(&r->ch);
	if (r->child_drops) {
		/* before touching anything: no PTE, no fault yet */
		CHECK_OK(madvise(r->p, N * PGSZ, MADV_DONTNEED));
		memset(r->sh, 0, N * PGSZ);
		CHECK_PAGES(r->p, r->sh, N, "child after its MADV_DONTNEED");
		uvm_tell_parent(&r->ch, 'd');
	} else {
		uvm_await_parent(&r->ch, 'd');
		CHECK_PAGES(r->p, r->sh, N, "child after the parent's MADV_DONTNEED");
		uvm_tell_parent(&r->ch, 'c');
	}
	uvm_await_parent(&r->ch, 'x');
}

/* a fork's two sides: dropping the range on one leaves the other's data */
static void dontneed_fork(int child_drops)
{
	char *psh = uvm_shadow(N);
	struct fork_run r = { .child_drops = child_drops };
	struct uvm_ctrs b;
	int pid;

	r.sh = uvm_shadow(N);
	uvm_ctrs_read(&b);
	r.p = uvm_map_filled(N, MAP_PRIVATE, r.sh, 1);
	memcpy(psh, r.sh, N * PGSZ);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(fork_child, &r);
	uvm_chan_parent(&r.ch);
	if (child_drops) {
		uvm_await_child(&r.ch, 'd');
		CHECK_PAGES(r.p, psh, N, "parent after the child's MADV_DONTNEED");
	} else {
		CHECK_OK(madvise(r.p, N * PGSZ, MADV_DONTNEED));
		memset(psh, 0, N * PGSZ);
		CHECK_PAGES(r.p, psh, N, "parent after its MADV_DONTNEED");
		uvm_tell_child(&r.ch, 'd');
		uvm_await_child(&r.ch, 'c');
	}
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_OK(munmap(r.p, N * PGSZ));
	CHECK_BASELINE(&b);
}

static void dontneed_in_parent_after_fork(void)
{
	dontneed_fork(0);
}

static void dontneed_in_child_before_touch(void)
{
	dontneed_fork(1);
}

/* a fork relative that holds its copy until told */
static void waiting_child(void *arg)
{
	struct uvm_chan *ch = arg;

	uvm_chan_child(ch);
	uvm_tell_parent(ch, 'r');
	uvm_await_parent(ch, 'x');
}

/*
 * Only a MADV_DONTNEED in a /dev/uvm range counts as one: not a zap of
 * native memory in the same process, not the module's own zaps
 * (copy-on-write after fork), not the notices of a VMA split.
 */
static void dontneed_counts_only_uvm(void)
{
	char *sh = uvm_shadow(N), *p, *q;
	struct uvm_ctrs b, c0, c1;
	struct uvm_chan ch;
	int pid;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	q = mmap(NULL, N * PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(q, 1, N * PGSZ);

	uvm_ctrs_read(&c0);
	CHECK_OK(madvise(q, N * PGSZ, MADV_DONTNEED));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_DONTNEEDS, ==, 0);

	/* copy-on-write in the parent zaps its PTEs: the module's own */
	uvm_chan_init(&ch);
	pid = uvm_spawn(waiting_child, &ch);
	uvm_chan_parent(&ch);
	uvm_await_child(&ch, 'r');
	uvm_ctrs_read(&c0);
	uvm_put_page(p, sh, 3, 2, 1);
	uvm_ctrs_read(&c1);
	uvm_tell_child(&ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&ch);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, 1);
	CHECK_CTR(&c0, &c1, UC_DONTNEEDS, ==, 0);

	/* a split (and the merge back) */
	CHECK_OK(mprotect(p + 16 * PGSZ, 8 * PGSZ, PROT_READ));
	CHECK_OK(mprotect(p + 16 * PGSZ, 8 * PGSZ, RW));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&c1, &c0, UC_DONTNEEDS, ==, 0);
	CHECK_PAGES(p, sh, N, "after copy-on-write and a split");

	CHECK_OK(madvise(p + 5 * PGSZ, PGSZ, MADV_DONTNEED));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_DONTNEEDS, ==, 1);
	memset(sh + 5 * PGSZ, 0, PGSZ);
	CHECK_PAGES(p, sh, N, "after MADV_DONTNEED of one page");
	CHECK_OK(munmap(q, N * PGSZ));
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * MADV_DONTNEED racing splits and merges of the same VMA (mprotect of a
 * range inside it, whose edges are not 2 MiB aligned: a split then sends
 * notices for the 2 MiB windows around them). Only the dropped range
 * reads back zero; the pages around it keep their data.
 */
#define RACE_MB		8
#define RACE_PAGES	(RACE_MB * 256)
#define DROP_FIRST	1800	/* in a split window, outside the mprotects */
#define DROP_PAGES	64
#define RACE_ROUNDS	300

struct split_race {
	char *p;
	atomic_int stop;
};

static void *split_racer(void *arg)
{
	struct split_race *r = arg;
	unsigned int i;

	for (i = 0; !atomic_load(&r->stop); i++) {
		char *at = r->p + (768 + (i % 7) * 67) * PGSZ;

		if (mprotect(at, 600 * PGSZ, PROT_READ) ||
		    mprotect(at, 600 * PGSZ, RW))
			_exit(20);
	}
	return NULL;
}

/*
 * RACE_PAGES filled pages, 2 MiB aligned inside the mapping *@map, so the
 * windows around the split points lie inside
 */
static char *race_map(char *sh, char **map)
{
	char *p;
	size_t pg;

	*map = uvm_map_ok((RACE_MB + 2) * 256 * PGSZ, RW, MAP_PRIVATE);
	p = (char *)(((uintptr_t)*map + (2UL << 20) - 1) & ~((2UL << 20) - 1));
	for (pg = 0; pg < RACE_PAGES; pg++)
		uvm_put_page(p, sh, pg, 1, 1);
	return p;
}

static void dontneed_races_split(void)
{
	char *sh = uvm_shadow(RACE_PAGES), *map, *p;
	struct split_race r = { 0 };
	struct uvm_ctrs b;
	pthread_t t;
	unsigned int i;
	size_t pg;

	uvm_ctrs_read(&b);
	p = race_map(sh, &map);
	r.p = p;
	CHECK(!pthread_create(&t, NULL, split_racer, &r), "pthread_create");
	for (i = 0; i < RACE_ROUNDS; i++) {
		CHECK_OK(madvise(p + DROP_FIRST * PGSZ, DROP_PAGES * PGSZ,
				 MADV_DONTNEED));
		/* refill, so each round drops data again */
		for (pg = DROP_FIRST; pg < DROP_FIRST + DROP_PAGES; pg++)
			uvm_put_page(p, sh, pg, 2 + i % 200, 1);
	}
	atomic_store(&r.stop, 1);
	pthread_join(t, NULL);
	CHECK_OK(madvise(p + DROP_FIRST * PGSZ, DROP_PAGES * PGSZ,
			 MADV_DONTNEED));
	memset(sh + DROP_FIRST * PGSZ, 0, DROP_PAGES * PGSZ);
	CHECK_PAGES(p, sh, RACE_PAGES, "after MADV_DONTNEED racing splits");
	CHECK_OK(munmap(map, (RACE_MB + 2) * 256 * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * MADV_DONTNEED of one page after a fork, with a large resident mapping
 * (1 GiB; 256 MiB under the sanitizers): the parent's range becomes a hole
 * and nothing is copied, so the counters move by one page's worth: no
 * amap copy, one hole, no anon or page allocated or freed (the child
 * keeps the page). The parent reads zeroes there, the child its data.
 */
static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct big_run {
	char *p;
	size_t pages, drop;
	struct uvm_chan ch;
};

static uint64_t big_word(size_t pg)
{
	return 0x5a00000000000000ULL | pg;
}

static void big_child(void *arg)
{
	struct big_run *r = arg;
	size_t pg;

	uvm_chan_child(&r->ch);
	uvm_tell_parent(&r->ch, 'r');
	uvm_await_parent(&r->ch, 'd');
	for (pg = r->drop - 2; pg <= r->drop + 2; pg++)
		CHECK(*(uint64_t *)(r->p + pg * PGSZ) == big_word(pg),
		      "child: page %zu lost its data to the parent's MADV_DONTNEED",
		      pg);
	uvm_tell_parent(&r->ch, 'c');
	uvm_await_parent(&r->ch, 'x');
}

static void dontneed_one_page_after_fork_big(void)
{
	const char *san = getenv("UVM_SANITIZERS");
	struct big_run r = { 0 };
	struct uvm_ctrs b, c0, c1, c2;
	double t0, t1;
	size_t pg;
	int pid;

	r.pages = (san && !strcmp(san, "1") ? 256UL : 1024UL) << 8;
	r.drop = r.pages / 2 + 7;
	uvm_ctrs_read(&b);
	r.p = uvm_map_ok(r.pages * PGSZ, RW, MAP_PRIVATE);
	for (pg = 0; pg < r.pages; pg++)
		*(uint64_t *)(r.p + pg * PGSZ) = big_word(pg);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(big_child, &r);
	uvm_chan_parent(&r.ch);
	uvm_await_child(&r.ch, 'r');

	uvm_ctrs_read(&c0);
	t0 = mono_s();
	CHECK_OK(madvise(r.p + r.drop * PGSZ, PGSZ, MADV_DONTNEED));
	t1 = mono_s();
	uvm_ctrs_read(&c1);
	printf("# MADV_DONTNEED of 1 page of %zu MiB after fork: %.1f us\n",
	       r.pages >> 8, (t1 - t0) * 1e6);
	CHECK_CTR(&c0, &c1, UC_DONTNEEDS, ==, 1);
	CHECK_CTR(&c0, &c1, UC_AMAP_COPIES, ==, 0);
	CHECK_CTR(&c0, &c1, UC_HOLES, ==, 1);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, 0);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 0);
	CHECK_CTR(&c0, &c1, UC_AMAPS, ==, 0);

	CHECK(*(uint64_t *)(r.p + r.drop * PGSZ) == 0,
	      "parent: page %zu not zero after its MADV_DONTNEED", r.drop);
	/* that fault copied the amap, as any first fault after fork does */
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c1, &c2, UC_AMAP_COPIES, ==, 1);
	CHECK_CTR(&c1, &c2, UC_HOLES, ==, -1);
	for (pg = r.drop - 2; pg <= r.drop + 2; pg++)
		CHECK(pg == r.drop ||
		      *(uint64_t *)(r.p + pg * PGSZ) == big_word(pg),
		      "parent: page %zu lost its data", pg);
	uvm_tell_child(&r.ch, 'd');
	uvm_await_child(&r.ch, 'c');
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_OK(munmap(r.p, r.pages * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * MADV_DONTNEED in a parent whose amap a child shares (a hole each time:
 * a fresh child every round), racing splits and merges of the same VMA,
 * which hand the holes to the pieces. Each child still reads the data of
 * its fork; the parent reads zeroes in the dropped range.
 */
#define FRACE_ROUNDS	40

struct fork_race_child {
	char *p, *sh;
	struct uvm_chan ch;
};

static void fork_race_child(void *arg)
{
	struct fork_race_child *c = arg;

	uvm_chan_child(&c->ch);
	uvm_tell_parent(&c->ch, 'r');
	uvm_await_parent(&c->ch, 'd');
	/* the shadow is the child's copy, as of the fork */
	CHECK_PAGES(c->p + (DROP_FIRST - 8) * PGSZ,
		    c->sh + (DROP_FIRST - 8) * PGSZ, DROP_PAGES + 16,
		    "child after the parent's MADV_DONTNEED racing splits");
	uvm_tell_parent(&c->ch, 'c');
}

static void dontneed_races_split_after_fork(void)
{
	char *sh = uvm_shadow(RACE_PAGES), *map, *p;
	struct split_race r = { 0 };
	struct fork_race_child c;
	struct uvm_ctrs b;
	pthread_t t;
	unsigned int i;
	size_t pg;
	int pid;

	uvm_ctrs_read(&b);
	p = race_map(sh, &map);
	r.p = p;
	c.p = p;
	c.sh = sh;
	CHECK(!pthread_create(&t, NULL, split_racer, &r), "pthread_create");
	for (i = 0; i < FRACE_ROUNDS; i++) {
		uvm_chan_init(&c.ch);
		pid = uvm_spawn(fork_race_child, &c);
		uvm_chan_parent(&c.ch);
		uvm_await_child(&c.ch, 'r');
		CHECK_OK(madvise(p + DROP_FIRST * PGSZ, DROP_PAGES * PGSZ,
				 MADV_DONTNEED));
		uvm_tell_child(&c.ch, 'd');
		uvm_await_child(&c.ch, 'c');
		WAIT_OK(pid);
		uvm_chan_close(&c.ch);
		memset(sh + DROP_FIRST * PGSZ, 0, DROP_PAGES * PGSZ);
		CHECK_PAGES(p + (DROP_FIRST - 8) * PGSZ,
			    sh + (DROP_FIRST - 8) * PGSZ, DROP_PAGES + 16,
			    "parent after MADV_DONTNEED racing splits");
		/* refill, so each round drops data again */
		for (pg = DROP_FIRST; pg < DROP_FIRST + DROP_PAGES; pg++)
			uvm_put_page(p, sh, pg, 2 + i % 200, 1);
	}
	atomic_store(&r.stop, 1);
	pthread_join(t, NULL);
	CHECK_PAGES(p, sh, RACE_PAGES, "after the rounds");
	CHECK_OK(munmap(map, (RACE_MB + 2) * 256 * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * Fault-ahead by advice, seen through the counters: a child after fork has
 * no PTEs for its resident pages and reads them in order.
 */
struct adv_run {
	char *p, *sh;
	int advice;
	struct uvm_chan ch;
};

static void adv_child(void *arg)
{
	struct adv_run *r = arg;
	struct uvm_ctrs c0, c1;

	uvm_chan_child(&r->ch);
	CHECK_OK(madvise(r->p, N * PGSZ, r->advice));
	uvm_ctrs_read(&c0);
	CHECK_PAGES(r->p, r->sh, N, "child's sequential read");
	uvm_ctrs_read(&c1);
	switch (r->advice) {
	case MADV_RANDOM:	/* no fault-ahead: a fault per page */
		CHECK_CTR(&c0, &c1, UC_FAULTAHEAD_MAPPED, ==, 0);
		CHECK_CTR(&c0, &c1, UC_FAULTS, >=, N);
		break;
	case MADV_SEQUENTIAL:	/* 7 ahead: a fault per 8 pages */
		CHECK_CTR(&c0, &c1, UC_FAULTS, ==, N / 8);
		CHECK_CTR(&c0, &c1, UC_FAULTAHEAD_MAPPED, ==, N - N / 8);
		break;
	default:		/* 4 ahead: a fault per 5 pages */
		CHECK_CTR(&c0, &c1, UC_FAULTS, ==, (N + 4) / 5);
		CHECK_CTR(&c0, &c1, UC_FAULTAHEAD_MAPPED, ==, N - (N + 4) / 5);
		break;
	}
	uvm_tell_parent(&r->ch, 'r');
	uvm_await_parent(&r->ch, 'x');
}

static void advice_window(int advice)
{
	struct adv_run r = { .advice = advice };
	struct uvm_ctrs b;
	int pid;

	r.sh = uvm_shadow(N);
	uvm_ctrs_read(&b);
	r.p = uvm_map_filled(N, MAP_PRIVATE, r.sh, 1);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(adv_child, &r);
	uvm_chan_parent(&r.ch);
	uvm_await_child(&r.ch, 'r');
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_OK(munmap(r.p, N * PGSZ));
	CHECK_BASELINE(&b);
}

static void advice_normal(void)
{
	advice_window(MADV_NORMAL);
}

static void advice_sequential(void)
{
	advice_window(MADV_SEQUENTIAL);
}

static void advice_random(void)
{
	advice_window(MADV_RANDOM);
}

static void dontfork_child(void *arg)
{
	unsigned char c;

	CHECK(uvm_probe_read(arg, &c) != 0, "MADV_DONTFORK memory in child");
}

/* MADV_DONTFORK: the child has no such mapping; DOFORK gives it back */
static void dontfork(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs b;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	CHECK_OK(madvise(p, N * PGSZ, MADV_DONTFORK));
	WAIT_OK(uvm_spawn(dontfork_child, p));
	CHECK_OK(madvise(p, N * PGSZ, MADV_DOFORK));
	CHECK_PAGES(p, sh, N, "parent at the end");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

/* Linux refuses MADV_WIPEONFORK on a file (device) mapping */
static void wipeonfork_einval(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs b;

	if (uvm_native())
		uvmtest_skip("native anonymous memory allows MADV_WIPEONFORK");
	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	CHECK_ERR(madvise(p, N * PGSZ, MADV_WIPEONFORK), EINVAL);
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

/*
 * UVM_MADV_FREE (UVM_IOC_MADVISE; natively MADV_FREE): a page reads back as
 * it was or as zeroes (UVM frees at once: zeroes, anons gone), and a write
 * after the call keeps its data.
 */
static void madv_free_private(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs b, c0, c1;
	size_t i;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	uvm_ctrs_read(&c0);
	CHECK_OK(uvm_madvise(p + 16 * PGSZ, 32 * PGSZ, UVM_MADV_FREE));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, -32);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, -32);
	for (i = 16; i < 48; i++) {
		uint64_t w = *(volatile uint64_t *)(p + i * PGSZ);

		CHECK(w == 0 || w == *(uint64_t *)(sh + i * PGSZ),
		      "page %zu holds %#llx after MADV_FREE", i,
		      (unsigned long long)w);
		if (!uvm_native())
			CHECK(w == 0, "page %zu not freed", i);
	}
	memset(sh + 16 * PGSZ, 0, 32 * PGSZ);
	for (i = 16; i < 48; i++)
		uvm_put_page(p, sh, i, 2, 1);
	CHECK_PAGES(p, sh, N, "written after MADV_FREE");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

/* shared memory cannot be freed (natively: EINVAL too) */
static void madv_free_shared_einval(void)
{
	char *p, *sh = uvm_shadow(N);

	p = uvm_map_filled(N, MAP_SHARED, sh, 1);
	CHECK_ERR(uvm_madvise(p, N * PGSZ, UVM_MADV_FREE), EINVAL);
	CHECK_PAGES(p, sh, N, "shared memory after a refused MADV_FREE");
	CHECK_OK(munmap(p, N * PGSZ));
}

/*
 * UVM_MADV_WIPEONFORK (natively MADV_WIPEONFORK): the child gets zeroes,
 * the parent keeps its data; UVM_MADV_KEEPONFORK undoes it.
 */
static void wipeonfork_child(void *arg)
{
	char *zero = uvm_shadow(N);

	CHECK_PAGES(arg, zero, N, "child of a wipe-on-fork mapping");
	uvm_put_page(arg, zero, 3, 7, 2);	/* and it works as memory */
	CHECK_PAGES(arg, zero, N, "child after a write");
}

static void keeponfork_child(void *arg)
{
	char *sh = uvm_shadow(N);
	size_t i;

	for (i = 0; i < N; i++)
		uvm_pat_fill(sh + i * PGSZ, i, 1, 1);
	CHECK_PAGES(arg, sh, N, "child of a keep-on-fork mapping");
}

static void madv_wipeonfork(void)
{
	char *p, *sh = uvm_shadow(N);
	struct uvm_ctrs b;

	uvm_ctrs_read(&b);
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	CHECK_OK(uvm_madvise(p, N * PGSZ, UVM_MADV_WIPEONFORK));
	WAIT_OK(uvm_spawn(wipeonfork_child, p));
	CHECK_PAGES(p, sh, N, "parent of a wipe-on-fork mapping");
	CHECK_OK(uvm_madvise(p, N * PGSZ, UVM_MADV_KEEPONFORK));
	WAIT_OK(uvm_spawn(keeponfork_child, p));
	CHECK_PAGES(p, sh, N, "parent after keep-on-fork");
	CHECK_ERR(uvm_madvise(uvm_map_filled(N, MAP_SHARED, sh, 1),
			      N * PGSZ, UVM_MADV_WIPEONFORK), EINVAL);
	CHECK_OK(munmap(p, N * PGSZ));
}

/* UVM_IOC_MADVISE's bad input: each gets its errno */
static void madvise_ioctl_errors(void)
{
	struct uvm_madvise arg;
	char *p, *sh = uvm_shadow(N), *anon;
	int fd;

	if (uvm_native())
		uvmtest_skip("the ioctl is /dev/uvm's");
	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	fd = uvm_open(O_RDWR);
#define IOC(a, l, adv, fl)						\
	(arg = (struct uvm_madvise){ (unsigned long)(a), (l), (adv), (fl) }, \
	 ioctl(fd, UVM_IOC_MADVISE, &arg))
	CHECK_ERR(IOC(p + 1, PGSZ, UVM_MADV_FREE, 0), EINVAL);
	CHECK_ERR(IOC(p, 0, UVM_MADV_FREE, 0), EINVAL);
	CHECK_ERR(IOC(p, PGSZ, 0, 0), EINVAL);
	CHECK_ERR(IOC(p, PGSZ, 99, 0), EINVAL);
	CHECK_ERR(IOC(p, PGSZ, UVM_MADV_FREE, 1), EINVAL);
	CHECK_ERR(IOC(p, ~0ULL, UVM_MADV_FREE, 0), EINVAL);
	/* whole-mapping advice on part of a mapping */
	CHECK_ERR(IOC(p, PGSZ, UVM_MADV_WIPEONFORK, 0), EINVAL);
	CHECK_ERR(IOC(p + PGSZ, (N - 1) * PGSZ, UVM_MADV_WIRE, 0), EINVAL);
	/* not /dev/uvm memory, or a hole */
	anon = mmap(NULL, PGSZ, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(anon != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK_ERR(IOC(anon, PGSZ, UVM_MADV_FREE, 0), ENOMEM);
	CHECK_ERR(IOC(p, (N + 1) * PGSZ, UVM_MADV_FREE, 0), ENOMEM);
	CHECK_ERR(ioctl(fd, UVM_IOC_MADVISE, (void *)8), EFAULT);
	CHECK_ERR(ioctl(fd, _IO('U', 99), 0), ENOTTY);
#undef IOC
	/* nothing happened to the memory */
	CHECK_PAGES(p, sh, N, "after refused ioctls");
	close(fd);
	CHECK_OK(munmap(anon, PGSZ));
	CHECK_OK(munmap(p, N * PGSZ));
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#endif

/*
 * Populating: MAP_POPULATE and MADV_POPULATE_READ/WRITE fault the range in
 * through UVM (zero-fills), after which touching it faults no more (reads
 * after a read populate, writes after a write populate).
 */
static void populate(int how)
{
	struct uvm_ctrs b, c0, c1;
	int flags = MAP_PRIVATE;
	char *p, *sh = uvm_shadow(N);
	size_t i;

	uvm_ctrs_read(&b);
	if (how == MAP_POPULATE)
		flags |= MAP_POPULATE;
	p = uvm_map_ok(N * PGSZ, RW, flags);
	if (how != MAP_POPULATE)
		CHECK_OK(madvise(p, N * PGSZ, how));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&b, &c0, UC_PAGES, ==, N);
	CHECK_CTR(&b, &c0, UC_ZERO_FILLS, ==, N);
	if (how == MADV_POPULATE_WRITE) {
		for (i = 0; i < N; i++)
			uvm_put_page(p, sh, i, 1, 1);
	}
	CHECK_PAGES(p, sh, N, "after populating");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_FAULTS, ==, 0);
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_BASELINE(&b);
}

static void map_populate(void)
{
	populate(MAP_POPULATE);
}

static void madv_populate_read(void)
{
	populate(MADV_POPULATE_READ);
}

static void madv_populate_write(void)
{
	populate(MADV_POPULATE_WRITE);
}

struct wn_run {
	char *p, *sh;
	struct uvm_chan ch;
};

static void wn_child(void *arg)
{
	struct wn_run *r = arg;
	struct uvm_ctrs c0, c1;

	uvm_chan_child(&r->ch);
	/* no PTEs after fork: WILLNEED maps what is resident */
	CHECK_OK(madvise(r->p, 2 * N * PGSZ, MADV_WILLNEED));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&c0, &c0, UC_PAGES, ==, 0);
	CHECK_PAGES(r->p, r->sh, N, "child after MADV_WILLNEED");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_FAULTS, ==, 0);
	uvm_tell_parent(&r->ch, 'r');
	uvm_await_parent(&r->ch, 'x');
}

/*
 * MADV_WILLNEED maps the resident pages of the range, so reading them
 * faults no more, and allocates nothing for the pages never touched.
 */
static void willneed(int kind)
{
	struct wn_run r;
	struct uvm_ctrs b, c0, c1;
	size_t i;
	int pid;

	r.sh = uvm_shadow(N);
	uvm_ctrs_read(&b);
	/* the second half is never touched */
	r.p = uvm_map_ok(2 * N * PGSZ, RW, kind);
	for (i = 0; i < N; i++)
		uvm_put_page(r.p, r.sh, i, 1, 1);
	uvm_ctrs_read(&c0);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(wn_child, &r);
	uvm_chan_parent(&r.ch);
	uvm_await_child(&r.ch, 'r');
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 0);
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_OK(munmap(r.p, 2 * N * PGSZ));
	CHECK_BASELINE(&b);
}

static void willneed_private(void)
{
	willneed(MAP_PRIVATE);
}

static void willneed_shared(void)
{
	willneed(MAP_SHARED);
}

/*
 * msync succeeds (nothing to write back); mincore reports the pages this
 * process maps (resident pages a fork child has not touched yet read as
 * 0: UVM maps them on first touch).
 */
static void msync_mincore(void)
{
	unsigned char vec[N];
	char *p, *sh = uvm_shadow(N);
	size_t i;

	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	CHECK_OK(msync(p, N * PGSZ, MS_SYNC));
	CHECK_OK(msync(p, N * PGSZ, MS_ASYNC | MS_INVALIDATE));
	CHECK_OK(mincore(p, N * PGSZ, vec));
	for (i = 0; i < N; i++)
		CHECK(vec[i] & 1, "page %zu not resident per mincore", i);
	CHECK_OK(madvise(p, N * PGSZ, MADV_DONTNEED));
	CHECK_OK(mincore(p, N * PGSZ, vec));
	for (i = 0; i < N; i++)
		CHECK(!(vec[i] & 1), "page %zu resident after MADV_DONTNEED", i);
	CHECK_OK(munmap(p, N * PGSZ));
}

/*
 * /proc/self/pagemap: a page this process maps is present and flagged as
 * a file page (bit 61: UVM's pages are not Linux anonymous pages); after
 * MADV_DONTNEED it is not present.
 */
static void pagemap_flags(void)
{
	char *p, *sh = uvm_shadow(N);
	uint64_t e;
	int fd;

	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	fd = open("/proc/self/pagemap", O_RDONLY);
	CHECK(fd >= 0, "pagemap: %s", strerror(errno));
	CHECK(pread(fd, &e, sizeof(e), (off_t)((uintptr_t)p / PGSZ * 8)) ==
	      sizeof(e), "pread: %s", strerror(errno));
	CHECK(e >> 63 & 1, "mapped page not present in pagemap (%#llx)",
	      (unsigned long long)e);
	CHECK(uvm_native() || (e >> 61 & 1),
	      "not flagged as a file page (%#llx)", (unsigned long long)e);
	CHECK_OK(madvise(p, N * PGSZ, MADV_DONTNEED));
	CHECK(pread(fd, &e, sizeof(e), (off_t)((uintptr_t)p / PGSZ * 8)) ==
	      sizeof(e), "pread: %s", strerror(errno));
	CHECK(!(e >> 63 & 1), "present after MADV_DONTNEED (%#llx)",
	      (unsigned long long)e);
	close(fd);
	CHECK_OK(munmap(p, N * PGSZ));
}

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif

/* a child reads a page that is not poisoned */
static void read_poisoned_not(void *arg)
{
	unsigned char c;

	if (uvm_probe_read(arg, &c) || c != 0x33)
		_exit(1);
}

/* the child reads the poisoned page: SIGBUS, as natively */
static void read_poisoned(void *arg)
{
	unsigned char c;

	if (uvm_probe_read(arg, &c) != SIGBUS)
		_exit(1);
}

/*
 * A hardware-poisoned page (madvise(MADV_HWPOISON), root) shared with a
 * child: the child's fault on it gets SIGBUS (VM_FAULT_HWPOISON), not a
 * page Linux cannot unmap. (Linux's memory_failure() cannot unmap a
 * driver's page from the parent, which keeps its PTE: see the README.)
 */
static void hwpoison_shared_with_child(void)
{
	char *p = uvm_map_ok(2 * PGSZ, RW, MAP_PRIVATE);

	memset(p, 0x33, 2 * PGSZ);
	/*
	 * EBUSY: the page is poisoned, but memory_failure() could not unmap
	 * it (a driver's page, not on the LRU): the parent keeps its PTE
	 */
	if (madvise(p, PGSZ, MADV_HWPOISON) && (errno != EBUSY ||
						uvm_native())) {
		CHECK(errno == EINVAL || errno == EPERM,
		      "MADV_HWPOISON: %s", strerror(errno));
		uvmtest_skip("no MADV_HWPOISON (%s): needs root and CONFIG_MEMORY_FAILURE",
			     strerror(errno));
	}
	WAIT_OK(uvm_spawn(read_poisoned, p));
	/* the unpoisoned neighbour is intact in a child too */
	WAIT_OK(uvm_spawn(read_poisoned_not, p + PGSZ));
	CHECK_OK(munmap(p, 2 * PGSZ));
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE(pagemap_flags),
	UVMTEST_CASE(msync_mincore),
	UVMTEST_CASE_T(willneed_private, 120),
	UVMTEST_CASE_T(willneed_shared, 120),
	UVMTEST_CASE(map_populate),
	UVMTEST_CASE(madv_populate_read),
	UVMTEST_CASE(madv_populate_write),
	UVMTEST_CASE(dontneed_private_zeroes),
	UVMTEST_CASE(dontneed_shared_keeps),
	UVMTEST_CASE_T(dontneed_in_parent_after_fork, 120),
	UVMTEST_CASE_T(dontneed_in_child_before_touch, 120),
	UVMTEST_CASE(dontneed_counts_only_uvm),
	UVMTEST_CASE_T(dontneed_races_split, 240),
	UVMTEST_CASE_T(dontneed_races_split_after_fork, 240),
	UVMTEST_CASE_T(dontneed_one_page_after_fork_big, 420),
	UVMTEST_CASE_T(advice_normal, 120),
	UVMTEST_CASE_T(advice_sequential, 120),
	UVMTEST_CASE_T(advice_random, 120),
	UVMTEST_CASE_T(dontfork, 120),
	UVMTEST_CASE(wipeonfork_einval),
	UVMTEST_CASE(madv_free_private),
	UVMTEST_CASE(madv_free_shared_einval),
	UVMTEST_CASE_T(madv_wipeonfork, 120),
	UVMTEST_CASE(madvise_ioctl_errors),
	UVMTEST_CASE(hwpoison_shared_with_child),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_madvtest", cases, argc, argv);
}
