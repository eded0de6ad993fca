// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_maptest: the address-space operations on /dev/uvm memory.
 *
 * Seeded random sequences of mmap(MAP_FIXED) over parts of what is there,
 * partial munmap, mprotect, reads, writes and fork over a window of 2048
 * pages, private, shared and mixed, against a shadow model of every page
 * (mapped or not, its protection, its contents): reads of PROT_NONE or
 * unmapped pages must fault, and /proc/self/maps must match the model. Then
 * the single cases: protections, partial munmap, MAP_FIXED over part of a
 * mapping, odd lengths, a 1 TiB MAP_NORESERVE mapping touched at 16 pages,
 * executable memory, and the bad requests with their errors.
 *
 * UVM_TEST_SEED=n runs the random cases with that one seed; every failure
 * in them names its seed and operation. Run with uvm.ko loaded, or with
 * UVM_TEST_NATIVE=1 on Linux's own memory.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uvmmap.h"

#define RW	(PROT_READ | PROT_WRITE)

/* ------------------------------------------------------------------------
 * The random sequences
 */

#define WIN		2048	/* pages in the window */
#define MAX_REGION	1000	/* pages in one mmap */
#define SEQ_OPS		300
#define SEQ_FORKS	3

enum { MODE_PRIVATE, MODE_SHARED, MODE_MIXED };

struct pstate {
	unsigned char mapped, prot, shared;
};

static struct seq {
	unsigned int seed;
	int op, mode, forks;
	int procs;		/* processes with the window mapped */
	const char *opname;
	uint64_t rng;
	char *win, *sh;
	struct pstate st[WIN];
	struct uvm_ctrs base;
	char ctx[192];
} S;

/* Every failure in a sequence names the seed and the operation. */
#define MCHECK(cond, fmt, ...)						\
	CHECK(cond, "seed %u op %d (%s): " fmt, S.seed, S.op, S.opname,	\
	      ##__VA_ARGS__)

static uint64_t rnd64(void)
{
	/* xorshift64* */
	S.rng ^= S.rng >> 12;
	S.rng ^= S.rng << 25;
	S.rng ^= S.rng >> 27;
	return S.rng * 0x2545f4914f6cdd1dULL;
}

static size_t rnd(size_t n)
{
	return n ? (rnd64() >> 11) % n : 0;
}

static void set_op(const char *name)
{
	S.opname = name;
	snprintf(S.ctx, sizeof(S.ctx), "seed %u op %d (%s)", S.seed, S.op,
		 name);
	uvm_fault_context = S.ctx;
}

static size_t pick_len(size_t max)
{
	size_t r = rnd(8), lim;

	lim = r == 0 ? MAX_REGION : r < 3 ? 64 : 8;
	if (lim > max)
		lim = max;
	return 1 + rnd(lim);
}

static int pick_prot(void)
{
	size_t r = rnd(20);

	return r < 14 ? RW : r < 17 ? PROT_READ : PROT_NONE;
}

/* A byte length that rounds up to n pages: sometimes not a multiple. */
static size_t odd_len(size_t n)
{
	return n * PGSZ - (rnd(4) == 0 ? rnd(PGSZ) : 0);
}

static char *pg_addr(size_t pg)
{
	return S.win + pg * PGSZ;
}

static char *pg_shadow(size_t pg)
{
	return S.sh + pg * PGSZ;
}

static bool readable(size_t pg)
{
	return S.st[pg].mapped && (S.st[pg].prot & PROT_READ);
}

static void verify_page(size_t pg)
{
	const struct pstate *st = &S.st[pg];
	unsigned char c;
	char what[256];
	int sig;

	sig = uvm_probe_read(pg_addr(pg) + (pg * 64) % PGSZ, &c);
	if (!readable(pg)) {
		MCHECK(sig == SIGSEGV, "read of page %zu (%s) gave %s", pg,
		       st->mapped ? "PROT_NONE" : "unmapped",
		       sig ? strsignal(sig) : "no fault");
		return;
	}
	MCHECK(sig == 0, "read of page %zu (%s, prot %d) gave %s", pg,
	       st->shared ? "shared" : "private", st->prot, strsignal(sig));
	if (memcmp(pg_addr(pg), pg_shadow(pg), PGSZ)) {
		snprintf(what, sizeof(what), "%s: window page %zu (%s)", S.ctx,
			 pg, st->shared ? "shared" : "private");
		CHECK_PAGES(pg_addr(pg), pg_shadow(pg), 1, what);
	}
}

/*
 * Every readable page is compared in full. Of a run of pages that must not
 * be readable (each fault costs a signal, slow under QEMU) the first, the
 * last and two more at random are probed; check_maps() sees all of them.
 */
static void verify_range(size_t s, size_t n)
{
	size_t i = s, e = s + n, j;

	while (i < e) {
		if (readable(i)) {
			verify_page(i++);
			continue;
		}
		for (j = i; j < e && !readable(j); j++)
			;
		verify_page(i);
		if (j - i > 1)
			verify_page(j - 1);
		if (j - i > 2) {
			verify_page(i + 1 + rnd(j - i - 2));
			verify_page(i + 1 + rnd(j - i - 2));
		}
		i = j;
	}
}

/* /proc/self/maps, read without stdio: nothing may be mapped meanwhile. */
static char maps_buf[1 << 20];

static void check_maps(void)
{
	unsigned long ws = (unsigned long)S.win, we = ws + WIN * PGSZ;
	unsigned long start, end, a;
	size_t len = 0, covered = 0;
	ssize_t n;
	char perms[8], *line, *nl;
	int fd, nvma = 0, prot, tries;
	struct uvm_ctrs now;

	fd = open("/proc/self/maps", O_RDONLY);
	MCHECK(fd >= 0, "open /proc/self/maps: %s", strerror(errno));
	while ((n = read(fd, maps_buf + len, sizeof(maps_buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	maps_buf[len] = 0;

	for (line = maps_buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3)
			continue;
		if (end <= ws || start >= we)
			continue;
		MCHECK(start >= ws && end <= we,
		       "VMA %lx-%lx crosses the window %lx-%lx", start, end,
		       ws, we);
		nvma++;
		prot = (perms[0] == 'r' ? PROT_READ : 0) |
		       (perms[1] == 'w' ? PROT_WRITE : 0);
		for (a = start; a < end; a += PGSZ) {
			size_t pg = (a - ws) / PGSZ;

			MCHECK(S.st[pg].mapped,
			       "page %zu mapped (%s), model says unmapped",
			       pg, perms);
			MCHECK(S.st[pg].prot == prot,
			       "page %zu is %s, model says prot %d", pg,
			       perms, S.st[pg].prot);
			covered++;
		}
	}
	for (a = 0; a < WIN; a++)
		covered -= S.st[a].mapped;
	MCHECK(covered == 0, "maps cover %+ld pages against the model",
	       (long)covered);

	/*
	 * One entry per VMA of /dev/uvm memory, in each process that has the
	 * window (a child just reaped may take a moment to go).
	 */
	for (tries = 0; !uvm_native(); tries++) {
		uvm_ctrs_read(&now);
		if (now.v[UC_ENTRIES] - S.base.v[UC_ENTRIES] ==
		    (long)nvma * S.procs || tries == 20)
			break;
		usleep(50000);
	}
	MCHECK(uvm_native() ||
	       now.v[UC_ENTRIES] - S.base.v[UC_ENTRIES] ==
	       (long)nvma * S.procs,
	       "entries %+ld, but %d VMAs in the window of %d process(es)",
	       now.v[UC_ENTRIES] - S.base.v[UC_ENTRIES], nvma, S.procs);
}

static void verify_all(void)
{
	verify_range(0, WIN);
	check_maps();
}

static void op_map(void)
{
	size_t s = rnd(WIN), n = pick_len(WIN - s), i;
	bool shared = S.mode == MODE_SHARED ||
		      (S.mode == MODE_MIXED && rnd(2));
	int prot = pick_prot();
	size_t len = odd_len(n);
	void *p;

	set_op(shared ? "mmap shared" : "mmap private");
	p = uvm_map_at(pg_addr(s), len, prot,
		       (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED);
	MCHECK(p == pg_addr(s), "mmap(%p, %zu, %d) = %p: %s", pg_addr(s),
	       len, prot, p, strerror(errno));
	for (i = s; i < s + n; i++) {
		S.st[i] = (struct pstate){ 1, prot, shared };
		memset(pg_shadow(i), 0, PGSZ);
	}
	verify_range(s > 0 ? s - 1 : s, n + (s > 0) + (s + n < WIN));
}

static void op_munmap(void)
{
	size_t s = rnd(WIN), n = pick_len(WIN - s), i;

	set_op("munmap");
	MCHECK(munmap(pg_addr(s), odd_len(n)) == 0, "munmap page %zu+%zu: %s",
	       s, n, strerror(errno));
	for (i = s; i < s + n; i++) {
		S.st[i] = (struct pstate){ 0, 0, 0 };
		memset(pg_shadow(i), 0, PGSZ);
	}
	verify_range(s > 0 ? s - 1 : s, n + (s > 0) + (s + n < WIN));
}

static void op_mprotect(void)
{
	size_t s = 0, n, i;
	int tries, prot = pick_prot();

	set_op("mprotect");
	for (tries = 0; tries < 8; tries++) {
		s = rnd(WIN);
		if (S.st[s].mapped)
			break;
	}
	if (!S.st[s].mapped)
		return;
	n = pick_len(WIN - s);
	for (i = s; i < s + n; i++)	/* mapped pages only */
		if (!S.st[i].mapped)
			break;
	n = i - s;
	MCHECK(mprotect(pg_addr(s), odd_len(n), prot) == 0,
	       "mprotect page %zu+%zu to %d: %s", s, n, prot, strerror(errno));
	for (i = s; i < s + n; i++)
		S.st[i].prot = prot;
	verify_range(s, n);
}

static void op_write(void)
{
	size_t s = rnd(WIN), n = 1 + rnd(WIN - s < 32 ? WIN - s : 32), i;
	unsigned int gen = S.op & 0xff;
	int sig, k;

	set_op("write");
	for (i = s; i < s + n; i++) {
		const struct pstate *st = &S.st[i];

		if (!st->mapped || !(st->prot & PROT_WRITE)) {
			sig = uvm_probe_write(pg_addr(i) + rnd(PGSZ), 0xee);
			MCHECK(sig == SIGSEGV, "write to page %zu (%s) gave %s",
			       i, !st->mapped ? "unmapped" :
			       st->prot ? "PROT_READ" : "PROT_NONE",
			       sig ? strsignal(sig) : "no fault");
		} else if (rnd(3) == 0) {
			for (k = 1 + rnd(4); k > 0; k--) {
				size_t off = rnd(PGSZ);
				unsigned char v = rnd(256);

				sig = uvm_probe_write(pg_addr(i) + off, v);
				MCHECK(sig == 0, "write to page %zu (prot %d) "
				       "gave %s", i, st->prot, strsignal(sig));
				pg_shadow(i)[off] = v;
			}
		} else {
			uvm_put_page(S.win, S.sh, i, gen, 1);
		}
	}
	verify_range(s, n);
}

static void op_read(void)
{
	size_t s = rnd(WIN), n = pick_len(WIN - s);

	set_op("read");
	verify_range(s, n);
}

/*
 * fork: the child sees the same, writes every writable page and exits; the
 * parent then sees the child's writes in shared pages only.
 */
static void seq_child(void *arg)
{
	unsigned int gen = S.op & 0xff;
	size_t i;

	(void)arg;
	S.procs = 2;
	verify_all();
	for (i = 0; i < WIN; i++)
		if (S.st[i].mapped && (S.st[i].prot & PROT_WRITE))
			uvm_put_page(S.win, S.sh, i, gen, 2);
	verify_all();
}

static void op_fork(void)
{
	unsigned int gen = S.op & 0xff;
	size_t i;

	set_op("fork");
	if (S.forks >= SEQ_FORKS)
		return;
	S.forks++;
	WAIT_OK(uvm_spawn(seq_child, NULL));
	for (i = 0; i < WIN; i++)
		if (S.st[i].mapped && S.st[i].shared &&
		    (S.st[i].prot & PROT_WRITE))
			uvm_pat_fill(pg_shadow(i), i, gen, 2);
	verify_all();
}

static void run_seq(unsigned int seed, int mode)
{
	size_t r;
	void *w;

	memset(&S.st, 0, sizeof(S.st));
	S.seed = seed;
	S.mode = mode;
	S.forks = 0;
	S.procs = 1;
	S.op = -1;
	S.rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	set_op("setup");
	memset(S.sh, 0, WIN * PGSZ);
	uvm_ctrs_read(&S.base);

	/*
	 * A free window with a free page either side (so that nothing next to
	 * it merges with what goes in): mapped, then unmapped; only MAP_FIXED
	 * goes there.
	 */
	w = mmap(NULL, (WIN + 2) * PGSZ, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	MCHECK(w != MAP_FAILED, "window: %s", strerror(errno));
	CHECK_OK(munmap(w, (WIN + 2) * PGSZ));
	S.win = (char *)w + PGSZ;

	for (S.op = 0; S.op < SEQ_OPS; S.op++) {
		r = rnd(100);
		if (r < 15)
			op_map();
		else if (r < 25)
			op_munmap();
		else if (r < 40)
			op_mprotect();
		else if (r < 68)
			op_write();
		else if (r < 97)
			op_read();
		else
			op_fork();
		if (S.op % 32 == 31) {
			set_op("verify");
			verify_all();
		}
	}
	set_op("final verify");
	verify_all();
	CHECK_OK(munmap(S.win, WIN * PGSZ));
	CHECK_BASELINE(&S.base);
	uvm_fault_context = NULL;
}

static void run_seeds(unsigned int first, int count, int mode)
{
	const char *env = getenv("UVM_TEST_SEED");
	int i;

	S.sh = uvm_shadow(WIN);
	if (env && *env) {
		run_seq(strtoul(env, NULL, 0), mode);
		return;
	}
	for (i = 0; i < count; i++)
		run_seq(first + i, mode);
}

static void random_private(void)
{
	run_seeds(1, 3, MODE_PRIVATE);
}

static void random_shared(void)
{
	run_seeds(101, 3, MODE_SHARED);
}

static void random_mixed(void)
{
	run_seeds(201, 4, MODE_MIXED);
}

/* ------------------------------------------------------------------------
 * Single cases
 */

static bool faults_read(const void *p)
{
	unsigned char c;

	return uvm_probe_read(p, &c) == SIGSEGV;
}

static bool faults_write(void *p)
{
	return uvm_probe_write(p, 0x77) == SIGSEGV;
}

/* PROT_NONE, PROT_READ and RW, changed with mprotect, on both kinds. */
static void prot_run(int flags)
{
	const size_t n = 8;
	struct uvm_ctrs b;
	char *p, *sh;
	size_t i;

	sh = uvm_shadow(n);
	uvm_ctrs_read(&b);
	p = uvm_map_at(NULL, n * PGSZ, PROT_NONE, flags);
	CHECK(p != MAP_FAILED, "mmap PROT_NONE: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		CHECK(faults_read(p + i * PGSZ), "page %zu readable", i);
		CHECK(faults_write(p + i * PGSZ), "page %zu writable", i);
	}
	CHECK_OK(mprotect(p, n * PGSZ, PROT_READ));
	CHECK_PAGES(p, sh, n, "fresh under PROT_READ");
	for (i = 0; i < n; i++)
		CHECK(faults_write(p + i * PGSZ + 100), "page %zu writable", i);
	CHECK_OK(mprotect(p, n * PGSZ, RW));
	for (i = 0; i < n; i++)
		uvm_put_page(p, sh, i, 1, 1);
	CHECK_OK(mprotect(p, n * PGSZ, PROT_NONE));
	for (i = 0; i < n; i++)
		CHECK(faults_read(p + i * PGSZ + 8), "page %zu readable", i);
	/* Half back to read-only, half stays PROT_NONE. */
	CHECK_OK(mprotect(p, n / 2 * PGSZ, PROT_READ));
	CHECK_PAGES(p, sh, n / 2, "after PROT_NONE -> PROT_READ");
	for (i = n / 2; i < n; i++)
		CHECK(faults_read(p + i * PGSZ), "page %zu readable", i);
	CHECK_OK(mprotect(p, n * PGSZ, RW));
	CHECK_PAGES(p, sh, n, "after all back to RW");
	for (i = 0; i < n; i += 3)
		uvm_put_page(p, sh, i, 2, 1);
	CHECK_PAGES(p, sh, n, "rewritten");
	CHECK_OK(munmap(p, n * PGSZ));
	CHECK_BASELINE(&b);
}

static void prot_faults_private(void)
{
	prot_run(MAP_PRIVATE);
}

static void prot_faults_shared(void)
{
	prot_run(MAP_SHARED);
}

/* A hole punched in the middle, then the head, then the tail. */
static void munmap_run(int flags)
{
	const size_t n = 16;
	struct uvm_ctrs b, a;
	char *p, *sh;
	size_t i;

	sh = uvm_shadow(n);
	uvm_ctrs_read(&b);
	p = uvm_map_ok(n * PGSZ, RW, flags);
	for (i = 0; i < n; i++)
		uvm_put_page(p, sh, i, 1, 1);
	CHECK_OK(munmap(p + 6 * PGSZ, 4 * PGSZ));
	for (i = 6; i < 10; i++)
		CHECK(faults_read(p + i * PGSZ), "page %zu still mapped", i);
	CHECK_PAGES(p, sh, 6, "head after the hole");
	CHECK_PAGES(p + 10 * PGSZ, sh + 10 * PGSZ, 6, "tail after the hole");
	uvm_ctrs_read(&a);
	CHECK_CTR(&b, &a, UC_ENTRIES, ==, 2);
	for (i = 10; i < n; i++)
		uvm_put_page(p, sh, i, 2, 1);
	CHECK_OK(munmap(p, 3 * PGSZ));
	for (i = 0; i < 3; i++)
		CHECK(faults_read(p + i * PGSZ), "page %zu still mapped", i);
	CHECK_PAGES(p + 3 * PGSZ, sh + 3 * PGSZ, 3, "after the head went");
	CHECK_OK(munmap(p + 14 * PGSZ, 2 * PGSZ));
	CHECK_PAGES(p + 10 * PGSZ, sh + 10 * PGSZ, 4, "after the tail went");
	uvm_ctrs_read(&a);
	CHECK_CTR(&b, &a, UC_ENTRIES, ==, 2);
	CHECK_OK(munmap(p, n * PGSZ));
	CHECK_BASELINE(&b);
}

static void partial_munmap_private(void)
{
	munmap_run(MAP_PRIVATE);
}

static void partial_munmap_shared(void)
{
	munmap_run(MAP_SHARED);
}

/*
 * MAP_FIXED over pages 4-7 of 16: those become fresh zero-filled memory of
 * the new mapping, the rest keep their data.
 */
static void fixed_run(int outer, int inner)
{
	const size_t n = 16;
	struct uvm_ctrs b, a;
	char *p, *q, *sh;
	size_t i;

	sh = uvm_shadow(n);
	uvm_ctrs_read(&b);
	p = uvm_map_ok(n * PGSZ, RW, outer);
	for (i = 0; i < n; i++)
		uvm_put_page(p, sh, i, 1, 1);
	q = uvm_map_at(p + 4 * PGSZ, 4 * PGSZ, RW, inner | MAP_FIXED);
	CHECK(q == p + 4 * PGSZ, "MAP_FIXED gave %p, want %p: %s", q,
	      p + 4 * PGSZ, strerror(errno));
	memset(sh + 4 * PGSZ, 0, 4 * PGSZ);
	CHECK_PAGES(p, sh, n, "after MAP_FIXED over 4-7");
	uvm_ctrs_read(&a);
	CHECK_CTR(&b, &a, UC_ENTRIES, ==, 3);
	for (i = 2; i < 10; i++)
		uvm_put_page(p, sh, i, 2, 1);
	CHECK_PAGES(p, sh, n, "after writes across the seams");
	/* And the new mapping's part goes, leaving a hole. */
	CHECK_OK(munmap(q, 4 * PGSZ));
	for (i = 4; i < 8; i++)
		CHECK(faults_read(p + i * PGSZ), "page %zu still mapped", i);
	CHECK_PAGES(p, sh, 4, "head after the new part went");
	CHECK_PAGES(p + 8 * PGSZ, sh + 8 * PGSZ, 8, "tail after it went");
	CHECK_OK(munmap(p, n * PGSZ));
	CHECK_BASELINE(&b);
}

static void map_fixed_private_over_private(void)
{
	fixed_run(MAP_PRIVATE, MAP_PRIVATE);
}

static void map_fixed_shared_over_private(void)
{
	fixed_run(MAP_PRIVATE, MAP_SHARED);
}

static void map_fixed_private_over_shared(void)
{
	fixed_run(MAP_SHARED, MAP_PRIVATE);
}

static void map_fixed_shared_over_shared(void)
{
	fixed_run(MAP_SHARED, MAP_SHARED);
}

/*
 * A length that is not a page multiple maps whole pages; munmap and mprotect
 * round up too. A PROT_NONE guard page follows the mapping.
 */
static void odd_length(size_t len, int kind, char *sh)
{
	size_t i, n = (len + PGSZ - 1) / PGSZ;
	struct uvm_ctrs b, a;
	char *w, *p;

	memset(sh, 0, n * PGSZ);
	w = mmap(NULL, (n + 1) * PGSZ, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	CHECK(w != MAP_FAILED, "guard: %s", strerror(errno));
	uvm_ctrs_read(&b);
	p = uvm_map_at(w, len, RW, kind | MAP_FIXED);
	CHECK(p == w, "len %zu: mmap = %p: %s", len, p, strerror(errno));
	for (i = 0; i + 1 < n; i++)
		uvm_put_page(p, sh, i, 1, 1);
	uvm_ctrs_read(&a);
	CHECK_CTR(&b, &a, UC_PAGES, ==, n - 1);
	CHECK_CTR(&b, &a, UC_ZERO_FILLS, ==, n - 1);
	CHECK_CTR(&b, &a, UC_ENTRIES, ==, 1);
	/* The last page, partly past the length, is there and zero. */
	CHECK_PAGES(p, sh, n, "written but the last page");
	uvm_put_page(p, sh, n - 1, 1, 1);
	CHECK_PAGES(p, sh, n, "written");
	CHECK(faults_read(p + n * PGSZ), "len %zu: page %zu readable", len, n);
	if (n >= 3) {
		/* PGSZ + 1 bytes: two pages. */
		CHECK_OK(mprotect(p, PGSZ + 1, PROT_READ));
		CHECK(faults_write(p + PGSZ + 5), "len %zu: page 1 writable",
		      len);
		CHECK_PAGES(p, sh, n, "after mprotect");
		uvm_put_page(p, sh, 2, 2, 1);
		CHECK_OK(munmap(p, PGSZ + 1));
		CHECK(faults_read(p + PGSZ), "len %zu: page 1 mapped", len);
		CHECK_PAGES(p + 2 * PGSZ, sh + 2 * PGSZ, n - 2,
			    "after munmap of 2 pages");
	}
	CHECK_OK(munmap(p, len));
	CHECK(faults_read(p + (n - 1) * PGSZ), "len %zu: last page mapped",
	      len);
	CHECK_BASELINE(&b);
	CHECK_OK(munmap(w, (n + 1) * PGSZ));
}

static void odd_lengths(void)
{
	const size_t lens[] = {
		1, PGSZ - 1, PGSZ + 1, 3 * PGSZ + 17, 5 * PGSZ - 1, 7 * PGSZ,
	};
	char *sh = uvm_shadow(8);
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		odd_length(lens[i], MAP_PRIVATE, sh);
		odd_length(lens[i], MAP_SHARED, sh);
	}
}

/*
 * 1 TiB of private memory, reserved only in address space, touched at 16
 * spread pages: 16 pages allocated, and the kernel's own memory for it
 * (slab, page tables) stays small.
 */
static void huge_noreserve_1tib(void)
{
	const size_t len = 1ULL << 40, n = 16;
	struct uvm_ctrs b, a, r;
	long k0, k1;
	char *p, *sh, *zero;
	size_t i, off[16];

	sh = uvm_shadow(n);
	zero = uvm_shadow(1);
	for (i = 0; i < n; i++)
		off[i] = (len / n) * i + (i * 4099 % 1024) * PGSZ;
	off[n - 1] = len - PGSZ;
	k0 = uvm_meminfo_kb("SUnreclaim") + uvm_meminfo_kb("PageTables");
	uvm_ctrs_read(&b);
	p = uvm_map(len, RW, MAP_PRIVATE | MAP_NORESERVE);
	CHECK(p != MAP_FAILED, "mmap 1 TiB: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		uvm_pat_fill(sh + i * PGSZ, i, 1, 1);
		memcpy(p + off[i], sh + i * PGSZ, PGSZ);
	}
	for (i = 0; i < n; i++)
		CHECK_PAGES(p + off[i], sh + i * PGSZ, 1, "touched page");
	uvm_ctrs_read(&a);
	k1 = uvm_meminfo_kb("SUnreclaim") + uvm_meminfo_kb("PageTables");
	CHECK_CTR(&b, &a, UC_PAGES, ==, n);
	CHECK_CTR(&b, &a, UC_ZERO_FILLS, ==, n);
	CHECK_CTR(&b, &a, UC_ANONS, ==, n);
	CHECK_CTR(&b, &a, UC_ENTRIES, ==, 1);
	CHECK(k0 >= 0 && k1 >= 0, "no SUnreclaim/PageTables in /proc/meminfo");
	CHECK(k1 - k0 < 8192, "SUnreclaim+PageTables grew by %ld kB", k1 - k0);
	/* Untouched pages in between read as zeros. */
	for (i = 0; i < n - 1; i++)
		CHECK_PAGES(p + off[i] + len / n / 2, zero, 1, "untouched page");
	uvm_ctrs_read(&r);
	CHECK_CTR(&a, &r, UC_PAGES, <=, n - 1);
	CHECK_OK(munmap(p, len));
	CHECK_BASELINE(&b);
}

#if defined(__x86_64__)
/* mov $42, %eax; ret */
static const unsigned char ret42[] = { 0xb8, 0x2a, 0, 0, 0, 0xc3 };

static bool dev_noexec(void)
{
	struct statvfs sv;

	return !uvm_native() && statvfs(UVM_DEV, &sv) == 0 &&
	       (sv.f_flag & ST_NOEXEC);
}

/* Code written to private memory runs after mprotect(PROT_READ|PROT_EXEC). */
static void exec_mapping(void)
{
	int (*fn)(void);
	char *p, *q;

	if (dev_noexec())
		uvmtest_skip("%s is on a noexec mount", UVM_DEV);
	p = uvm_map_ok(2 * PGSZ, RW, MAP_PRIVATE);
	memcpy(p + PGSZ, ret42, sizeof(ret42));
	CHECK_OK(mprotect(p + PGSZ, PGSZ, PROT_READ | PROT_EXEC));
	fn = (int (*)(void))(p + PGSZ);
	CHECK(fn() == 42, "code in uvm memory returned %d", fn());
	CHECK(faults_write(p + PGSZ), "PROT_READ|PROT_EXEC page writable");
	CHECK_OK(munmap(p, 2 * PGSZ));

	q = uvm_map(PGSZ, PROT_READ | PROT_EXEC, MAP_SHARED);
	CHECK(q != MAP_FAILED, "mmap shared PROT_EXEC: %s", strerror(errno));
	CHECK(q[0] == 0 && q[PGSZ - 1] == 0, "fresh exec page not zero");
	CHECK_OK(munmap(q, PGSZ));
}

/* the child calls the code at @arg: a page with no PTE, PROT_EXEC only */
static void call_exec_only(void *arg)
{
	int (*fn)(void) = (int (*)(void))arg;

	if (mprotect(arg, PGSZ, PROT_EXEC) || fn() != 42)
		_exit(1);
}

/*
 * PROT_EXEC without PROT_READ: an instruction fetch from a page with no
 * PTE faults (as a read, to Linux's fault handler), and x86 runs the
 * code, as natively. Private memory: the forked child has no PTEs yet;
 * shared memory: a second mapping of the same pages (mremap old_size 0).
 */
static void exec_only(void)
{
	char *p, *q, *r;

	if (dev_noexec())
		uvmtest_skip("%s is on a noexec mount", UVM_DEV);
	p = uvm_map_ok(PGSZ, RW, MAP_PRIVATE);
	memcpy(p, ret42, sizeof(ret42));
	WAIT_OK(uvm_spawn(call_exec_only, p));
	CHECK_OK(munmap(p, PGSZ));

	q = uvm_map_ok(PGSZ, RW, MAP_SHARED);
	memcpy(q, ret42, sizeof(ret42));
	r = mremap(q, 0, PGSZ, MREMAP_MAYMOVE);
	CHECK(r != MAP_FAILED, "mremap old_size 0: %s", strerror(errno));
	WAIT_OK(uvm_spawn(call_exec_only, r));
	call_exec_only(r);
	CHECK_OK(munmap(r, PGSZ));
	CHECK_OK(munmap(q, PGSZ));
}
#else
static void exec_mapping(void)
{
	uvmtest_skip("x86-64 only");
}

static void exec_only(void)
{
	uvmtest_skip("x86-64 only");
}
#endif

/* bad requests */

static void len0_einval(void)
{
	CHECK_ERR((long)uvm_map(0, RW, MAP_PRIVATE), EINVAL);
	CHECK_ERR((long)uvm_map(0, RW, MAP_SHARED), EINVAL);
}

static void huge_len_enomem(void)
{
	CHECK_ERR((long)uvm_map(1UL << 62, RW, MAP_PRIVATE | MAP_NORESERVE),
		  ENOMEM);
	CHECK_ERR((long)uvm_map(1UL << 62, RW, MAP_SHARED | MAP_NORESERVE),
		  ENOMEM);
}

/* The device's own errors: not tested in native mode. */
static void offset_einval(void)
{
	int fd;

	if (uvm_native())
		return;
	fd = uvm_open(O_RDWR);
	CHECK_ERR((long)mmap(NULL, PGSZ, RW, MAP_PRIVATE, fd, PGSZ), EINVAL);
	CHECK_ERR((long)mmap(NULL, PGSZ, RW, MAP_SHARED, fd, PGSZ), EINVAL);
	CHECK_ERR((long)mmap(NULL, 4 * PGSZ, RW, MAP_SHARED, fd, 1L << 40),
		  EINVAL);
	close(fd);
}

static void hugetlb_einval(void)
{
	int fd;

	if (uvm_native())
		return;
	fd = uvm_open(O_RDWR);
	CHECK_ERR((long)mmap(NULL, 2 << 20, RW, MAP_PRIVATE | MAP_HUGETLB,
			     fd, 0), EINVAL);
	CHECK_ERR((long)mmap(NULL, 2 << 20, RW, MAP_SHARED | MAP_HUGETLB,
			     fd, 0), EINVAL);
	close(fd);
}

static void shared_validate_sync_eopnotsupp(void)
{
	int fd;

	if (uvm_native())
		return;
	fd = uvm_open(O_RDWR);
	CHECK_ERR((long)mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE | MAP_SYNC,
			     fd, 0), EOPNOTSUPP);
	close(fd);
}

/*
 * A read-only file gives no writable shared mapping, neither at mmap nor
 * later through mprotect; reading works.
 */
static void rdonly_fd_shared_write_eacces(void)
{
	struct uvm_ctrs b;
	char *p;
	int fd;

	if (uvm_native())
		return;
	uvm_ctrs_read(&b);
	fd = uvm_open(O_RDONLY);
	CHECK_ERR((long)mmap(NULL, PGSZ, RW, MAP_SHARED, fd, 0), EACCES);
	p = mmap(NULL, PGSZ, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "read-only shared mmap: %s", strerror(errno));
	close(fd);
	CHECK(p[0] == 0 && p[PGSZ - 1] == 0, "fresh page not zero");
	CHECK(faults_write(p), "read-only shared page writable");
	CHECK_ERR(mprotect(p, PGSZ, RW), EACCES);
	CHECK_OK(munmap(p, PGSZ));
	CHECK_BASELINE(&b);
}

/* One fd mapped twice, both ways: independent regions; the fd closed. */
static void same_fd_twice(void)
{
	const int kinds[] = { MAP_PRIVATE, MAP_SHARED };
	const size_t n = 4;
	struct uvm_ctrs b, a;
	char *p, *q, *sp, *sq;
	size_t i;
	int fd = -1, k;

	sp = uvm_shadow(n);
	sq = uvm_shadow(n);
	for (k = 0; k < 2; k++) {
		memset(sp, 0, n * PGSZ);
		memset(sq, 0, n * PGSZ);
		uvm_ctrs_read(&b);
		if (uvm_native()) {
			p = uvm_map_ok(n * PGSZ, RW, kinds[k]);
			q = uvm_map_ok(n * PGSZ, RW, kinds[k]);
		} else {
			fd = uvm_open(O_RDWR);
			p = mmap(NULL, n * PGSZ, RW, kinds[k], fd, 0);
			q = mmap(NULL, n * PGSZ, RW, kinds[k], fd, 0);
			CHECK(p != MAP_FAILED && q != MAP_FAILED, "mmap: %s",
			      strerror(errno));
			close(fd);
		}
		for (i = 0; i < n; i++)
			uvm_put_page(p, sp, i, 1, 1);
		for (i = 0; i < n; i += 2)
			uvm_put_page(q, sq, i, 2, 2);
		uvm_ctrs_read(&a);
		CHECK_CTR(&b, &a, UC_ENTRIES, ==, 2);
		CHECK_CTR(&b, &a, UC_PAGES, ==, n + n / 2);
		if (kinds[k] == MAP_SHARED)
			CHECK_CTR(&b, &a, UC_AOBJS, ==, 2);
		CHECK_PAGES(p, sp, n, "first mapping");
		CHECK_PAGES(q, sq, n, "second mapping");
		CHECK_OK(munmap(p, n * PGSZ));
		CHECK_PAGES(q, sq, n, "second after the first went");
		CHECK_OK(munmap(q, n * PGSZ));
		CHECK_BASELINE(&b);
	}
}

/* Closing the fd leaves the mapping working, across fork too. */
static void close_fd_child(void *arg)
{
	char **pp = arg;
	size_t i;

	for (i = 0; i < 4; i++)
		uvm_put_page(pp[0], pp[1], i, 2, 2);
}

static void close_fd_while_mapped(void)
{
	const size_t n = 4;
	struct uvm_ctrs b;
	char *p, *sh, *scratch, *args[2];
	size_t i;
	int fd;

	sh = uvm_shadow(n);
	scratch = uvm_shadow(n);
	uvm_ctrs_read(&b);
	fd = uvm_native() ? -1 : uvm_open(O_RDWR);
	p = uvm_native() ? uvm_map(n * PGSZ, RW, MAP_SHARED) :
			   mmap(NULL, n * PGSZ, RW, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (i = 0; i < n; i += 2)
		uvm_put_page(p, sh, i, 1, 1);
	if (fd >= 0)
		CHECK_OK(close(fd));
	CHECK_PAGES(p, sh, n, "after close");
	for (i = 1; i < n; i += 2)
		uvm_put_page(p, sh, i, 1, 1);
	args[0] = p;
	args[1] = scratch;
	WAIT_OK(uvm_spawn(close_fd_child, args));
	for (i = 0; i < n; i++)
		uvm_put_page(scratch, sh, i, 2, 2);
	CHECK_PAGES(p, sh, n, "after the child wrote");
	CHECK_OK(munmap(p, n * PGSZ));
	CHECK_BASELINE(&b);
}

/* A mapping (its fd closed) pins the module. */
static void unload_while_mapped(void)
{
	long before, during;
	char *p;

	if (uvm_native())
		return;
	before = uvmtest_read_long(UVM_REFCNT);
	CHECK(before >= 0, "no %s", UVM_REFCNT);
	p = uvm_map_ok(4 * PGSZ, RW, MAP_PRIVATE);
	memset(p, 0x11, 4 * PGSZ);
	during = uvmtest_read_long(UVM_REFCNT);
	CHECK(during > 0 && during > before, "refcnt %ld while mapped, %ld "
	      "before", during, before);
	CHECK_ERR(syscall(SYS_delete_module, "uvm", O_NONBLOCK), EWOULDBLOCK);
	CHECK(uvmtest_path_exists("/sys/module/uvm"), "module gone");
	CHECK(p[0] == 0x11 && p[4 * PGSZ - 1] == 0x11, "data lost");
	CHECK_OK(munmap(p, 4 * PGSZ));
	CHECK(uvmtest_read_long(UVM_REFCNT) == before,
	      "refcnt %ld after munmap, %ld before",
	      uvmtest_read_long(UVM_REFCNT), before);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A mapping unmapped page by page, as allocators and stress-ng do: 100 000
 * (20 000 in the debug lane) single-page munmaps of alternate pages, each a split and a close that
 * drops one slot's reference (the amap's per-page reference runs grow to
 * 200 000), then a fork (every piece references the amap once more) and
 * the rest unmapped. No allocation warning, and the time per munmap stays
 * flat (reported: first and last tenth; not judged, timings are noise
 * under emulation); every object goes.
 */
#define ALT_UNMAPS_MAX	100000UL

static void munmap_alternate_pages(void)
{
	/* KASAN and lockdep under emulation: 3 ms a munmap, so fewer */
	const char *san = getenv("UVM_SANITIZERS");
	size_t nunmaps = san && !strcmp(san, "1") ? 20000 : ALT_UNMAPS_MAX;
	size_t pages = 2 * nunmaps + 1, i, tenth = nunmaps / 10;
	long old_max = uvmtest_read_long("/proc/sys/vm/max_map_count");
	double t0 = 0, t1, first = 0, last = 0;
	struct uvm_ctrs b;
	char buf[32];
	char *p;
	int pid;

	/* a VMA per piece left: more than the default 65530 */
	snprintf(buf, sizeof(buf), "%zu", 2 * nunmaps + 1000);
	if (old_max < (long)(2 * nunmaps) &&
	    uvm_write_file("/proc/sys/vm/max_map_count", buf))
		uvmtest_skip("cannot raise vm.max_map_count: %s",
			     strerror(errno));
	uvm_ctrs_read(&b);
	p = uvm_map_ok(pages * PGSZ, RW, MAP_PRIVATE | MAP_NORESERVE);
	/* an amap, and anons here and there */
	for (i = 0; i < pages; i += 97)
		p[i * PGSZ] = (char)i;
	for (i = 0; i < nunmaps; i++) {
		if (i % tenth == 0)
			t0 = now_s();
		CHECK(!munmap(p + (2 * i + 1) * PGSZ, PGSZ),
		      "munmap %zu: %s", i, strerror(errno));
		if (i % tenth == tenth - 1) {
			t1 = now_s();
			if (i < tenth)
				first = t1 - t0;
			last = t1 - t0;
		}
	}
	printf("# %zu munmaps: first tenth %.3f s, last tenth %.3f s (ratio %.2f)\n",
	       nunmaps, first, last, first > 0 ? last / first : 0);
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		for (i = 0; i < pages; i += 97)
			if (i % 2 == 0 && p[i * PGSZ] != (char)i)
				_exit(1);
		_exit(0);
	}
	WAIT_OK(pid);
	for (i = 0; i < pages; i += 97)
		CHECK(i % 2 || p[i * PGSZ] == (char)i, "page %zu lost", i);
	CHECK_OK(munmap(p, pages * PGSZ));
	if (old_max > 0 && old_max < (long)(2 * nunmaps)) {
		snprintf(buf, sizeof(buf), "%ld", old_max);
		uvm_write_file("/proc/sys/vm/max_map_count", buf);
	}
	CHECK_BASELINE(&b);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(random_private, 300),
	UVMTEST_CASE_T(random_shared, 300),
	UVMTEST_CASE_T(random_mixed, 400),
	UVMTEST_CASE(prot_faults_private),
	UVMTEST_CASE(prot_faults_shared),
	UVMTEST_CASE(partial_munmap_private),
	UVMTEST_CASE(partial_munmap_shared),
	UVMTEST_CASE(map_fixed_private_over_private),
	UVMTEST_CASE(map_fixed_shared_over_private),
	UVMTEST_CASE(map_fixed_private_over_shared),
	UVMTEST_CASE(map_fixed_shared_over_shared),
	UVMTEST_CASE(odd_lengths),
	UVMTEST_CASE_T(huge_noreserve_1tib, 120),
	UVMTEST_CASE(exec_mapping),
	UVMTEST_CASE(exec_only),
	UVMTEST_CASE_T(munmap_alternate_pages, 400),
	UVMTEST_CASE(len0_einval),
	UVMTEST_CASE(huge_len_enomem),
	UVMTEST_CASE(offset_einval),
	UVMTEST_CASE(hugetlb_einval),
	UVMTEST_CASE(shared_validate_sync_eopnotsupp),
	UVMTEST_CASE(rdonly_fd_shared_write_eacces),
	UVMTEST_CASE(same_fd_twice),
	UVMTEST_CASE_T(close_fd_while_mapped, 120),
	UVMTEST_CASE(unload_while_mapped),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_maptest", cases, argc, argv);
}
