// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_threadtest: /dev/uvm memory under threads.
 *
 * fork_while_writing: four threads keep rewriting their own pages of one
 * private region while the main thread forks twenty times; each child must
 * find every page exactly as it was at the fork (whole page one value, from
 * the page's owner, of the generation the owner had finished), and keep
 * finding it so while the parent's threads go on writing and while it
 * writes pages of its own; the parent checks its own data at the end.
 *
 * zero_fill_race_*: eight threads fault the same fresh region at once, each
 * writing its own word of every page: no write is lost, and every page is
 * zero-filled exactly once. cow_fault_race: the same on pages shared with a
 * child after fork: every page copied exactly once, the child's view intact.
 *
 * Run with uvm.ko loaded, or with UVM_TEST_NATIVE=1 on Linux's own memory.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uvmmap.h"

#define RW	(PROT_READ | PROT_WRITE)

/* ------------------------------------------------------------------------
 * fork while threads write
 */

#define FW_THREADS	4
#define FW_PER		16			/* pages per thread */
#define FW_N		(FW_THREADS * FW_PER)
#define FW_FORKS	20
#define FW_CHILD_OWNER	0xcc

/* Every word of page pg: its owner and the generation written. */
static uint64_t fw_word(size_t pg, unsigned int owner, uint32_t gen)
{
	return 0x5aULL << 56 | (uint64_t)(pg & 0xffff) << 40 |
	       (uint64_t)(owner & 0xff) << 32 | gen;
}

static struct fw {
	char *p;
	uint32_t gen[FW_N];	/* last generation finished, per page */
	unsigned int owner[FW_N];
	int pause, stop, paused;
	pthread_mutex_t m;
	pthread_cond_t c;
} fw = {
	.m = PTHREAD_MUTEX_INITIALIZER,
	.c = PTHREAD_COND_INITIALIZER,
};

static void fw_fill(size_t pg, unsigned int owner, uint32_t gen)
{
	volatile uint64_t *w = (uint64_t *)(fw.p + pg * PGSZ);
	uint64_t v = fw_word(pg, owner, gen);
	size_t k;

	for (k = 0; k < PGSZ / 8; k++)
		w[k] = v;
	fw.owner[pg] = owner;
	__atomic_store_n(&fw.gen[pg], gen, __ATOMIC_RELEASE);
}

/* Compare every page with what fw.gen and fw.owner say; "what" names when. */
static void fw_check(const char *what, int fork_no)
{
	const uint64_t *w;
	char got[64];
	size_t pg, k;

	for (pg = 0; pg < FW_N; pg++) {
		uint64_t want = fw_word(pg, fw.owner[pg], fw.gen[pg]);

		w = (const uint64_t *)(fw.p + pg * PGSZ);
		for (k = 0; k < PGSZ / 8; k++)
			if (w[k] != want)
				break;
		if (k == PGSZ / 8)
			continue;
		if (w[k] >> 56 == 0x5a)
			snprintf(got, sizeof(got), "page %lu owner %#x gen %u",
				 (unsigned long)(w[k] >> 40 & 0xffff),
				 (unsigned int)(w[k] >> 32 & 0xff),
				 (unsigned int)w[k]);
		else
			uvm_pat_describe(w[k], got, sizeof(got));
		uvmtest_fail(__FILE__, __LINE__, "%s %d: pid %d page %zu "
			     "word %zu: found %s, want owner %#x gen %u",
			     what, fork_no, getpid(), pg, k, got,
			     fw.owner[pg], fw.gen[pg]);
	}
}

static void *fw_thread(void *arg)
{
	unsigned int t = (unsigned long)arg;
	uint32_t gen;
	size_t j;

	for (gen = 1; !__atomic_load_n(&fw.stop, __ATOMIC_ACQUIRE); gen++)
		for (j = 0; j < FW_PER; j++) {
			if (__atomic_load_n(&fw.pause, __ATOMIC_ACQUIRE)) {
				pthread_mutex_lock(&fw.m);
				fw.paused++;
				pthread_cond_broadcast(&fw.c);
				while (fw.pause)
					pthread_cond_wait(&fw.c, &fw.m);
				fw.paused--;
				pthread_mutex_unlock(&fw.m);
			}
			fw_fill(t * FW_PER + j, t, gen);
		}
	return NULL;
}

/*
 * The child: its copy of fw.gen is the state at the fork. It checks, writes
 * some pages itself, and checks again and again while the parent writes on.
 */
static void fw_child(int fork_no)
{
	size_t pg;
	int round;

	uvm_fault_context = "fork_while_writing child";
	fw_check("child at fork", fork_no);
	CHECK_SMAPS_ANON0(fw.p);
	for (round = 0; round < 10; round++) {
		usleep(1000);
		fw_check("child while the parent writes, fork", fork_no);
		if (round == 3)
			for (pg = fork_no % 3; pg < FW_N; pg += 3)
				fw_fill(pg, FW_CHILD_OWNER, fork_no);
	}
}

static void fw_pause(void)
{
	pthread_mutex_lock(&fw.m);
	__atomic_store_n(&fw.pause, 1, __ATOMIC_RELEASE);
	while (fw.paused < FW_THREADS)
		pthread_cond_wait(&fw.c, &fw.m);
	pthread_mutex_unlock(&fw.m);
}

static void fw_resume(void)
{
	pthread_mutex_lock(&fw.m);
	__atomic_store_n(&fw.pause, 0, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&fw.c);
	pthread_mutex_unlock(&fw.m);
}

static void fork_while_writing(void)
{
	struct uvm_ctrs b, a;
	pthread_t th[FW_THREADS];
	int pid[FW_FORKS], f, t;
	size_t pg;

	uvm_ctrs_read(&b);
	fw.p = uvm_map_ok(FW_N * PGSZ, RW, MAP_PRIVATE);
	for (pg = 0; pg < FW_N; pg++)
		fw_fill(pg, pg / FW_PER, 0);
	for (t = 0; t < FW_THREADS; t++)
		CHECK(pthread_create(&th[t], NULL, fw_thread,
				     (void *)(unsigned long)t) == 0,
		      "pthread_create");
	for (f = 0; f < FW_FORKS; f++) {
		usleep(2000);
		fw_pause();
		fflush(stdout);
		pid[f] = fork();
		if (pid[f] == 0) {
			fw_child(f);
			_exit(0);
		}
		fw_resume();
		CHECK(pid[f] > 0, "fork: %s", strerror(errno));
	}
	usleep(20000);
	__atomic_store_n(&fw.stop, 1, __ATOMIC_RELEASE);
	fw_resume();
	for (t = 0; t < FW_THREADS; t++)
		pthread_join(th[t], NULL);
	for (f = 0; f < FW_FORKS; f++)
		WAIT_OK(pid[f]);
	fw_check("parent at the end", 0);
	for (pg = 0; pg < FW_N; pg++)
		CHECK(fw.gen[pg] > 0, "page %zu never rewritten", pg);
	CHECK_SMAPS_ANON0(fw.p);
	/* Children gone: the parent's pages only, one anon each. */
	uvm_ctrs_read(&a);
	CHECK_CTR(&b, &a, UC_PAGES, ==, FW_N);
	CHECK_CTR(&b, &a, UC_ANONS, ==, FW_N);
	CHECK_CTR(&b, &a, UC_ENTRIES, ==, 1);
	CHECK_OK(munmap(fw.p, FW_N * PGSZ));
	CHECK_BASELINE(&b);
}

/* ------------------------------------------------------------------------
 * Many threads faulting the same pages at once
 */

#define RC_THREADS	8
#define RC_N		256
#define RC_SLOT(t)	((t) * 8)	/* word of thread t: own cache line */

static uint64_t rc_word(size_t pg, unsigned int t)
{
	return uvm_pat_word(pg, 7, t + 1, RC_SLOT(t));
}

static struct rc {
	char *p;
	pthread_barrier_t go;
	bool prefilled;		/* pages hold uvm_pat_fill(pg, 1, 1) */
	int bad;		/* first failure seen by a thread, as text */
	char msg[160];
} rc;

static void rc_fail(const char *fmt, size_t pg, unsigned int t, uint64_t v)
{
	if (__atomic_exchange_n(&rc.bad, 1, __ATOMIC_ACQ_REL) == 0)
		snprintf(rc.msg, sizeof(rc.msg), fmt, pg, t,
			 (unsigned long long)v);
}

static void *rc_thread(void *arg)
{
	unsigned int t = (unsigned long)arg, o = (t + 1) % RC_THREADS;
	size_t j, pg;
	uint64_t *w, v;

	pthread_barrier_wait(&rc.go);
	for (j = 0; j < RC_N; j++) {
		pg = (j + t * RC_N / RC_THREADS) % RC_N;
		w = (uint64_t *)(rc.p + pg * PGSZ);
		if ((pg + t) % 2) {
			/* A read first: as before or the neighbour's word. */
			uint64_t old = rc.prefilled ?
				       uvm_pat_word(pg, 1, 1, RC_SLOT(o)) : 0;

			v = __atomic_load_n(&w[RC_SLOT(o)], __ATOMIC_RELAXED);
			if (v != old && v != rc_word(pg, o))
				rc_fail("page %zu: thread %u read %#llx",
					pg, t, v);
		}
		__atomic_store_n(&w[RC_SLOT(t)], rc_word(pg, t),
				 __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Every thread's word in every page, zeros elsewhere. */
static void rc_check(const char *p, const char *what)
{
	char *sh = uvm_shadow(RC_N);
	size_t pg;
	unsigned int t;

	for (pg = 0; pg < RC_N; pg++)
		for (t = 0; t < RC_THREADS; t++)
			((uint64_t *)(sh + pg * PGSZ))[RC_SLOT(t)] =
				rc_word(pg, t);
	CHECK_PAGES(p, sh, RC_N, what);
	free(sh);
}

static void rc_run_threads(void)
{
	pthread_t th[RC_THREADS];
	unsigned int t;

	rc.bad = 0;
	CHECK(pthread_barrier_init(&rc.go, NULL, RC_THREADS) == 0, "barrier");
	for (t = 0; t < RC_THREADS; t++)
		CHECK(pthread_create(&th[t], NULL, rc_thread,
				     (void *)(unsigned long)t) == 0,
		      "pthread_create");
	for (t = 0; t < RC_THREADS; t++)
		pthread_join(th[t], NULL);
	pthread_barrier_destroy(&rc.go);
	CHECK(!rc.bad, "%s", rc.msg);
}

static void zero_fill_race(int flags)
{
	struct uvm_ctrs b, a;

	uvm_ctrs_read(&b);
	rc.prefilled = false;
	rc.p = uvm_map_ok(RC_N * PGSZ, RW, flags);
	rc_run_threads();
	uvm_ctrs_read(&a);
	rc_check(rc.p, "after the race");
	CHECK_CTR(&b, &a, UC_ZERO_FILLS, ==, RC_N);
	CHECK_CTR(&b, &a, UC_PAGES, ==, RC_N);
	CHECK_CTR(&b, &a, UC_ANONS, ==, flags == MAP_SHARED ? 0 : RC_N);
	CHECK_CTR(&b, &a, UC_AOBJS, ==, flags == MAP_SHARED ? 1 : 0);
	CHECK_CTR(&b, &a, UC_COW_COPIES, ==, 0);
	CHECK_CTR(&b, &a, UC_FAULTS, >=, RC_N);
	CHECK_OK(munmap(rc.p, RC_N * PGSZ));
	CHECK_BASELINE(&b);
}

static void zero_fill_race_private(void)
{
	zero_fill_race(MAP_PRIVATE);
}

static void zero_fill_race_shared(void)
{
	zero_fill_race(MAP_SHARED);
}

/*
 * The pages are shared with a child (which waits); the parent's threads
 * then write them all at once: each page is copied once.
 */
static void rc_child(void *arg)
{
	struct uvm_chan *ch = arg;
	char *sh = uvm_shadow(RC_N);
	size_t pg;

	uvm_chan_child(ch);
	for (pg = 0; pg < RC_N; pg++)
		uvm_pat_fill(sh + pg * PGSZ, pg, 1, 1);
	uvm_await_parent(ch, 'v');
	CHECK_PAGES(rc.p, sh, RC_N, "child after the parent's race");
}

static void cow_fault_race(void)
{
	struct uvm_ctrs b, c0, c1;
	struct uvm_chan ch;
	char *sh = uvm_shadow(RC_N);
	size_t pg;
	unsigned int t;
	int pid;

	uvm_ctrs_read(&b);
	rc.p = uvm_map_ok(RC_N * PGSZ, RW, MAP_PRIVATE);
	for (pg = 0; pg < RC_N; pg++)
		uvm_put_page(rc.p, sh, pg, 1, 1);
	rc.prefilled = true;
	uvm_ctrs_read(&c0);
	uvm_chan_init(&ch);
	pid = uvm_spawn(rc_child, &ch);
	uvm_chan_parent(&ch);
	rc_run_threads();
	uvm_ctrs_read(&c1);
	for (pg = 0; pg < RC_N; pg++)
		for (t = 0; t < RC_THREADS; t++)
			((uint64_t *)(sh + pg * PGSZ))[RC_SLOT(t)] =
				rc_word(pg, t);
	CHECK_PAGES(rc.p, sh, RC_N, "parent after the race");
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, RC_N);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, RC_N);
	CHECK_CTR(&c0, &c1, UC_ANONS, ==, RC_N);
	CHECK_CTR(&c0, &c1, UC_ZERO_FILLS, ==, 0);
	uvm_tell_child(&ch, 'v');
	WAIT_OK(pid);
	uvm_chan_close(&ch);
	CHECK_OK(munmap(rc.p, RC_N * PGSZ));
	CHECK_BASELINE(&b);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(fork_while_writing, 300),
	UVMTEST_CASE_T(zero_fill_race_private, 120),
	UVMTEST_CASE_T(zero_fill_race_shared, 120),
	UVMTEST_CASE_T(cow_fault_race, 120),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_threadtest", cases, argc, argv);
}
