// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_overramtest: /dev/uvm working sets larger than the machine's RAM,
 * paged by global reclaim (no cgroup limit): Linux's kswapd and direct
 * reclaim reach UVM through its shrinker, the page daemon deactivates and
 * writes, faults page back in. Run by the lanes' second boot, a guest with
 * little RAM and a virtio disk (UVM_SWAP_DISK, the guest's /dev/vda) for
 * UVM's swap; every page read is checked against the generation it must
 * hold (a byte per page of native shadow: a copy would need as much RAM as
 * the working set).
 *
 * Cases: a sequential write of 2x RAM read back in order; random reads
 * and writes over 1.25x RAM; shared memory of 1.25x RAM written by one
 * process and read and rewritten by another; a fork of a 1.125x RAM
 * process with both sides writing half. Each ends with the gauges (swap in use
 * among them) back where they were.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"
#include "uvm_uapi.h"

#define RW	(PROT_READ | PROT_WRITE)

/*
 * Private mappings larger than RAM: Linux's overcommit heuristic counts RAM
 * and Linux's swap, not UVM's, and refuses them unless MAP_NORESERVE (as
 * it would refuse native memory with no Linux swap).
 */
#define PRIV	(MAP_PRIVATE | MAP_NORESERVE)

static const char *disk;

static void disk_on(void)
{
	char cmd[128];
	int st;

	disk = getenv("UVM_SWAP_DISK");
	if (!disk || !*disk)
		uvmtest_skip("no UVM_SWAP_DISK (run by the lanes' over-RAM boot)");
	/* (an earlier case that failed may have left it on) */
	snprintf(cmd, sizeof(cmd),
		 "uvmctl swapoff %s >/dev/null 2>&1; uvmctl mkswap %s >&2 && uvmctl swapon %s >&2",
		 disk, disk, disk);
	st = system(cmd);
	CHECK(st == 0, "%s: status %#x", cmd, st);
}

static void disk_off(void)
{
	char cmd[128];
	int st;

	snprintf(cmd, sizeof(cmd), "uvmctl swapoff %s >&2", disk);
	st = system(cmd);
	CHECK(st == 0, "%s: status %#x", cmd, st);
}

/* pages of @num / @den of the machine's RAM */
static size_t ram_pages(unsigned int num, unsigned int den)
{
	long kb = uvm_meminfo_kb("MemTotal");

	CHECK(kb > 0, "no MemTotal in /proc/meminfo");
	return (size_t)kb / (PGSZ / 1024) * num / den;
}

/* every word of page @pg of @p is generation @gen's (writer @wr) */
static void page_check(const char *p, size_t pg, unsigned int gen,
		       unsigned int wr, const char *what)
{
	const uint64_t *w = (const uint64_t *)(p + pg * PGSZ);
	char got[96];
	size_t k;

	for (k = 0; k < PGSZ / 8; k++) {
		if (w[k] == uvm_pat_word(pg, gen, wr, k))
			continue;
		uvm_pat_describe(w[k], got, sizeof(got));
		uvmtest_fail(__FILE__, __LINE__,
			     "%s: page %zu word %zu: want generation %u writer %u, found %s",
			     what, pg, k, gen, wr, got);
	}
}

static void report(const char *what, const struct uvm_ctrs *a,
		   const struct uvm_ctrs *b)
{
	long w = b->v[UC_SWAP_WRITES] - a->v[UC_SWAP_WRITES];
	long r = b->v[UC_SWAP_READS] - a->v[UC_SWAP_READS];

	printf("# %s: %ld pageouts in %ld writes (%.1f pages each), %ld pageins in %ld reads (%.1f each), %ld shrinker calls, %ld daemon runs, %ld deactivated, %ld reactivated\n",
	       what, b->v[UC_PAGEOUTS] - a->v[UC_PAGEOUTS], w,
	       (double)(b->v[UC_SWAP_WRITTEN] - a->v[UC_SWAP_WRITTEN]) / (w ?: 1),
	       b->v[UC_PAGEINS] - a->v[UC_PAGEINS], r,
	       (double)(b->v[UC_PAGEINS] - a->v[UC_PAGEINS]) / (r ?: 1),
	       b->v[UC_SHRINKER_SCANS] - a->v[UC_SHRINKER_SCANS],
	       b->v[UC_PD_WAKEUPS] - a->v[UC_PD_WAKEUPS],
	       b->v[UC_PD_DEACTS] - a->v[UC_PD_DEACTS],
	       b->v[UC_PD_REACTS] - a->v[UC_PD_REACTS]);
}

/*
 * What global reclaim must have done for a working set of @n pages, @over
 * of them more than RAM holds: the shrinker was called, the daemon ran,
 * at least @over pages left (no one asked with UVM_MADV_PAGEOUT) and came
 * back, in clusters.
 */
static void check_paged(const struct uvm_ctrs *a, const struct uvm_ctrs *b,
			size_t over)
{
	CHECK_CTR(a, b, UC_SHRINKER_SCANS, >, 0);
	CHECK_CTR(a, b, UC_PD_WAKEUPS, >, 0);
	CHECK_CTR(a, b, UC_PAGEOUTS, >=, (long)over);
	CHECK_CTR(a, b, UC_PAGEINS, >=, (long)over);
	CHECK_CTR(a, b, UC_SWAP_ERRORS, ==, 0);
	CHECK((b->v[UC_SWAP_WRITTEN] - a->v[UC_SWAP_WRITTEN]) >
	      8 * (b->v[UC_SWAP_WRITES] - a->v[UC_SWAP_WRITES]),
	      "not clustered: %ld pages in %ld writes",
	      b->v[UC_SWAP_WRITTEN] - a->v[UC_SWAP_WRITTEN],
	      b->v[UC_SWAP_WRITES] - a->v[UC_SWAP_WRITES]);
}

/* one case's run: the baseline, and the counters once the area is on */
struct overram {
	struct uvm_ctrs b, c0;
};

static void overram_begin(struct overram *o)
{
	uvm_ctrs_read(&o->b);
	disk_on();
	uvm_ctrs_read(&o->c0);
}

/*
 * The end of a case of @n pages at @p: what global reclaim did, reported
 * and checked (check_paged); the mapping gone, the area off, the gauges
 * back at the baseline.
 */
static void overram_end(struct overram *o, const char *what, char *p,
			size_t n)
{
	struct uvm_ctrs c1;

	uvm_ctrs_read(&c1);
	report(what, &o->c0, &c1);
	check_paged(&o->c0, &c1, n - ram_pages(1, 1));
	CHECK_OK(munmap(p, n * PGSZ));
	disk_off();
	CHECK_BASELINE(&o->b);
}

/* 2x RAM written in order, then read back in order */
static void seq_over_ram(void)
{
	size_t n = ram_pages(2, 1), i;
	struct overram o;
	char *p;

	overram_begin(&o);
	p = uvm_map_ok(n * PGSZ, RW, PRIV);
	for (i = 0; i < n; i++)
		uvm_pat_fill(p + i * PGSZ, i, 1, 0);
	for (i = 0; i < n; i++)
		page_check(p, i, 1, 0, "read back in order");
	overram_end(&o, "sequential 2x RAM", p, n);
}

/* random reads and writes over 1.25x RAM, each read checked */
static void random_over_ram(void)
{
	size_t n = ram_pages(5, 4), i, k;
	unsigned char *gen = calloc(n, 1);
	uint64_t x = 0x5eed;
	struct overram o;
	char *p;

	CHECK(gen, "calloc");
	overram_begin(&o);
	p = uvm_map_ok(n * PGSZ, RW, PRIV);
	for (i = 0; i < n; i++) {
		uvm_pat_fill(p + i * PGSZ, i, 1, 0);
		gen[i] = 1;
	}
	for (k = 0; k < n / 2; k++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		i = (x >> 33) % n;
		page_check(p, i, gen[i], 0, "random read");
		if (x & (1ULL << 17)) {
			gen[i] = gen[i] % 200 + 1;
			uvm_pat_fill(p + i * PGSZ, i, gen[i], 0);
		}
	}
	for (i = 0; i < n; i++)
		page_check(p, i, gen[i], 0, "the end, in order");
	free(gen);
	overram_end(&o, "random 1.25x RAM", p, n);
}

struct shared_run {
	char *p;
	size_t n;
};

/* the other process: reads the writer's pages, rewrites the odd ones */
static void shared_other(void *arg)
{
	struct shared_run *r = arg;
	size_t i;

	for (i = 0; i < r->n; i++)
		page_check(r->p, i, 1, 0, "shared, in the other process");
	for (i = 1; i < r->n; i += 2)
		uvm_pat_fill(r->p + i * PGSZ, i, 2, 1);
}

/* shared memory (an aobj) of 1.25x RAM, written, read and rewritten by two */
static void shared_over_ram(void)
{
	struct shared_run r = { .n = ram_pages(5, 4) };
	struct overram o;
	size_t i;

	overram_begin(&o);
	r.p = uvm_map_ok(r.n * PGSZ, RW, MAP_SHARED);
	for (i = 0; i < r.n; i++)
		uvm_pat_fill(r.p + i * PGSZ, i, 1, 0);
	WAIT_OK(uvm_spawn(shared_other, &r));
	for (i = 0; i < r.n; i++)
		page_check(r.p, i, i & 1 ? 2 : 1, i & 1, "shared, back in the writer");
	overram_end(&o, "shared 1.25x RAM", r.p, r.n);
}

/* the child: its own copy of the even pages, the parent's odd ones */
static void fork_child(void *arg)
{
	struct shared_run *r = arg;
	size_t i;

	for (i = 0; i < r->n; i += 2)
		uvm_pat_fill(r->p + i * PGSZ, i, 3, 2);
	for (i = 0; i < r->n; i++)
		page_check(r->p, i, i & 1 ? 1 : 3, i & 1 ? 0 : 2,
			   "fork, in the child");
}

/*
 * A private 1.125x RAM process forks; the child writes the even pages, the
 * parent (after the child exits) the odd ones: each sees its own writes
 * and the other's pages as they were at fork, through swap both ways.
 */
static void fork_over_ram(void)
{
	struct shared_run r = { .n = ram_pages(9, 8) };
	struct overram o;
	size_t i;

	overram_begin(&o);
	r.p = uvm_map_ok(r.n * PGSZ, RW, PRIV);
	for (i = 0; i < r.n; i++)
		uvm_pat_fill(r.p + i * PGSZ, i, 1, 0);
	WAIT_OK(uvm_spawn(fork_child, &r));
	for (i = 1; i < r.n; i += 2)
		uvm_pat_fill(r.p + i * PGSZ, i, 4, 0);
	for (i = 0; i < r.n; i++)
		page_check(r.p, i, i & 1 ? 4 : 1, 0, "fork, in the parent");
	overram_end(&o, "fork 1.125x RAM", r.p, r.n);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(seq_over_ram, 900),
	UVMTEST_CASE_T(random_over_ram, 900),
	UVMTEST_CASE_T(shared_over_ram, 900),
	UVMTEST_CASE_T(fork_over_ram, 900),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_overramtest", cases, argc, argv);
}
