// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_bench: /dev/uvm against Linux's native anonymous memory, scenario by
 * scenario, in one boot: same sizes, same access pattern, backends
 * alternating (native first in even runs, uvm first in odd ones).
 *
 *   uvm_bench [--quick] [--runs N] [--only NAME]
 *
 * --quick: tiny sizes and one run; what `make check` runs in the stock
 * lanes to keep the benchmark working. Every scenario checks the data it
 * touched in both modes (a wrong byte fails the scenario); no time is ever
 * judged here.
 *
 * Output, one line each, on stdout:
 *   @@UVM progress <text>
 *   @@UVM info <key>=<value>
 *   @@UVM bench <scenario>,<variant>,<backend>,<run>,<metric>,<value>,<unit>
 *   @@UVM result uvm_bench.<scenario> PASS|FAIL [detail]
 *
 * scripts/bench-report.py turns the bench lines into medians, ratios, a
 * table and plots. Each scenario runs in a child process of its own, so a
 * failed check ends that scenario only.
 */
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uvmmap.h"

#define MiB	(1024UL * 1024)
#define GiB	(1024 * MiB)

enum backend { NATIVE, UVM, NR_BACKENDS };

static const char *const be_name[NR_BACKENDS] = { "native", "uvm" };

static int quick;
static int runs = 5;
static const char *only = "*";
static const char *scen;		/* the scenario running */
static char *fail_detail;		/* shared page: first failure's text */

/* ------------------------------------------------------------------ */

__attribute__((noreturn, format(printf, 1, 2)))
static void bfail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "uvm_bench: %s: %s\n", scen, buf);
	if (fail_detail && !fail_detail[0])
		snprintf(fail_detail, 4096, "%s", buf);
	_exit(1);
}

#define BCHECK(cond, fmt, ...)						\
	do {								\
		if (!(cond))						\
			bfail("%s:%d: %s: " fmt, __FILE__, __LINE__,	\
			      #cond, ##__VA_ARGS__);			\
	} while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(const char *fmt, ...)
{
	va_list ap;

	printf("@@UVM progress ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void row(const char *variant, enum backend be, int run,
		const char *metric, double value, const char *unit)
{
	printf("@@UVM bench %s,%s,%s,%d,%s,%.6g,%s\n", scen, variant,
	       be_name[be], run, metric, value, unit);
	fflush(stdout);
}

/* the backend of position i in run r: native first in even runs */
static enum backend order(int r, int i)
{
	return (r + i) % 2 ? UVM : NATIVE;
}

#define for_each_run_backend(r, i, be)					\
	for (r = 0; r < runs; r++)					\
		for (i = 0; i < NR_BACKENDS && ((be = order(r, i)), 1); i++)

static void *bmap(enum backend be, size_t len, int flags)
{
	void *p;
	int fd;

	/* UVM_TEST_NATIVE=1: both backends native, to try the logic anywhere */
	if (be == NATIVE || uvm_native()) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 flags | MAP_ANONYMOUS, -1, 0);
	} else {
		fd = open(UVM_DEV, O_RDWR | O_CLOEXEC);
		BCHECK(fd >= 0, "open " UVM_DEV ": %s", strerror(errno));
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);
		close(fd);
	}
	BCHECK(p != MAP_FAILED, "mmap %zu MiB %s: %s", len / MiB,
	       be_name[be], strerror(errno));
	return p;
}

static void bunmap(void *p, size_t len)
{
	BCHECK(munmap(p, len) == 0, "munmap: %s", strerror(errno));
}

/* word 0 of page i in generation gen */
static uint64_t tag(size_t i, unsigned int gen)
{
	return 0xa5ULL << 56 | (uint64_t)gen << 32 | i;
}

static void fill(char *p, size_t npages, unsigned int gen)
{
	size_t i;

	for (i = 0; i < npages; i++)
		*(volatile uint64_t *)(p + i * PGSZ) = tag(i, gen);
}

/* every page's word 0 has generation gen; its last word is still zero */
static void verify(const char *p, size_t npages, unsigned int gen,
		   const char *what)
{
	size_t i;

	for (i = 0; i < npages; i++) {
		uint64_t w = *(const volatile uint64_t *)(p + i * PGSZ);
		uint64_t z = *(const volatile uint64_t *)(p + (i + 1) * PGSZ - 8);

		if (w != tag(i, gen) || z)
			bfail("%s: page %zu holds %#llx ... %#llx, want %#llx ... 0",
			      what, i, (unsigned long long)w,
			      (unsigned long long)z,
			      (unsigned long long)tag(i, gen));
	}
}

/* a fixed pseudo-random permutation of [0, n) */
static size_t *permutation(size_t n)
{
	size_t *perm = malloc(n * sizeof(*perm));
	uint64_t x = 88172645463325252ULL;
	size_t i, j, t;

	BCHECK(perm, "out of memory");
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = x % (i + 1);
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	return perm;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static long uvm_faults(void)
{
	return uvmtest_read_long(UVM_SYSFS "/faults");
}

/* wait for pid; its exit status must be 0 */
static void reap(pid_t pid, const char *who)
{
	int st;

	BCHECK(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		bfail("%s failed (wait status %#x)", who, st);
}

static void xwrite(int fd, const void *buf, size_t n)
{
	BCHECK(write(fd, buf, n) == (ssize_t)n, "pipe write: %s",
	       strerror(errno));
}

static void xread(int fd, void *buf, size_t n)
{
	BCHECK(read(fd, buf, n) == (ssize_t)n, "pipe read: %s",
	       strerror(errno));
}

/* ------------------------------------------------------------------ */
/* 1. zero-fill first touch (will-it-scale page_fault1)                */

struct zf_arg {
	enum backend be;
	size_t len;
	pthread_barrier_t *barrier;
	double secs;
};

/* map, write one byte per page, unmap: the time of that, checks aside */
static double zf_once(enum backend be, size_t len)
{
	size_t i, npages = len / PGSZ;
	double t0, t1, t2, t3;
	char *p;

	t0 = now();
	p = bmap(be, len, MAP_PRIVATE);
	for (i = 0; i < npages; i++)
		p[i * PGSZ] = 1;
	t1 = now();
	for (i = 0; i < npages; i++)
		BCHECK(p[i * PGSZ] == 1 && p[i * PGSZ + PGSZ - 1] == 0,
		       "page %zu not zero-filled", i);
	t2 = now();
	bunmap(p, len);
	t3 = now();
	return (t1 - t0) + (t3 - t2);
}

static void *zf_thread(void *v)
{
	struct zf_arg *a = v;

	pthread_barrier_wait(a->barrier);
	a->secs = zf_once(a->be, a->len);
	return NULL;
}

/* pages per second of nr workers, each faulting len in its own mapping */
static double zf_workers(enum backend be, size_t len, int nr, int threads)
{
	double rate = 0, secs;
	int i, go[2], back[2];
	pid_t pids[2];

	if (threads) {
		pthread_barrier_t barrier;
		struct zf_arg a[2];
		pthread_t tid[2];

		pthread_barrier_init(&barrier, NULL, nr);
		for (i = 0; i < nr; i++) {
			a[i] = (struct zf_arg){ be, len, &barrier, 0 };
			BCHECK(pthread_create(&tid[i], NULL, zf_thread,
					      &a[i]) == 0, "pthread_create");
		}
		for (i = 0; i < nr; i++) {
			pthread_join(tid[i], NULL);
			rate += len / PGSZ / a[i].secs;
		}
		pthread_barrier_destroy(&barrier);
		return rate;
	}
	BCHECK(pipe(go) == 0 && pipe(back) == 0, "pipe");
	for (i = 0; i < nr; i++) {
		fflush(stdout);
		pids[i] = fork();
		BCHECK(pids[i] >= 0, "fork: %s", strerror(errno));
		if (!pids[i]) {
			char c;

			xread(go[0], &c, 1);
			secs = zf_once(be, len);
			xwrite(back[1], &secs, sizeof(secs));
			_exit(0);
		}
	}
	for (i = 0; i < nr; i++)
		xwrite(go[1], "g", 1);
	for (i = 0; i < nr; i++) {
		xread(back[0], &secs, sizeof(secs));
		rate += len / PGSZ / secs;
	}
	for (i = 0; i < nr; i++)
		reap(pids[i], "zero-fill worker");
	close(go[0]);
	close(go[1]);
	close(back[0]);
	close(back[1]);
	return rate;
}

static void sc_zerofill(void)
{
	static const struct { const char *name; int nr, threads; } v[] = {
		{ "1proc", 1, 0 }, { "2proc", 2, 0 },
		{ "1thread", 1, 1 }, { "2thread", 2, 1 },
	};
	size_t len = quick ? MiB : 128 * MiB;
	unsigned int k;
	enum backend be;
	int r, i;

	for (k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		progress("zerofill %s: %zu MiB per worker", v[k].name,
			 len / MiB);
		for_each_run_backend(r, i, be)
			row(v[k].name, be, r, "throughput",
			    zf_workers(be, len, v[k].nr, v[k].threads),
			    "pages/s");
	}
}

/* ------------------------------------------------------------------ */
/* 2. read faults on populated memory after its PTEs were dropped      */

/*
 * Linux can drop the PTEs of private anonymous memory only by freeing or
 * swapping its pages, so this runs on shared memory: MADV_DONTNEED keeps
 * the data of a shared mapping (shmem natively, the aobj on /dev/uvm) and
 * drops its PTEs. What is measured is how many faults re-reading costs:
 * fault-around (16 pages) natively, fault-ahead (advice window) in UVM.
 */
static void sc_refault(void)
{
	size_t len = quick ? MiB : 128 * MiB, npages = len / PGSZ, i, *perm;
	static const char *const variant[2] = { "seq", "rand" };
	long f0, u0 = 0;
	enum backend be;
	int r, k, bi;
	double t0, t1;
	char *p;

	perm = permutation(npages);
	for (k = 0; k < 2; k++) {
		progress("refault %s: %zu MiB shared", variant[k], len / MiB);
		for_each_run_backend(r, bi, be) {
			p = bmap(be, len, MAP_SHARED);
			fill(p, npages, 1);
			BCHECK(madvise(p, len, MADV_DONTNEED) == 0,
			       "MADV_DONTNEED: %s", strerror(errno));
			if (be == UVM)
				u0 = uvm_faults();
			f0 = minflt();
			t0 = now();
			for (i = 0; i < npages; i++) {
				size_t pg = k ? perm[i] : i;

				if (*(volatile uint64_t *)(p + pg * PGSZ) !=
				    tag(pg, 1))
					bfail("page %zu lost its data", pg);
			}
			t1 = now();
			row(variant[k], be, r, "throughput", npages / (t1 - t0),
			    "pages/s");
			row(variant[k], be, r, "faults_per_page",
			    (double)(minflt() - f0) / npages, "faults/page");
			if (be == UVM && !uvm_native())
				row(variant[k], be, r, "uvm_faults_per_page",
				    (double)(uvm_faults() - u0) / npages,
				    "faults/page");
			bunmap(p, len);
		}
	}
	free(perm);
}

/* ------------------------------------------------------------------ */
/* 3. fork latency against resident size                               */

static void sc_fork(void)
{
	static const size_t full[] = { 16 * MiB, 256 * MiB, GiB };
	static const size_t small[] = { MiB, 2 * MiB, 4 * MiB };
	const size_t *sizes = quick ? small : full;
	char *p[NR_BACKENDS], variant[32];
	double t0, t1, t2;
	enum backend be;
	int r, i, k;
	pid_t pid;

	for (k = 0; k < 3; k++) {
		size_t len = sizes[k], npages = len / PGSZ;

		snprintf(variant, sizeof(variant), "%zuM", len / MiB);
		progress("fork: %zu MiB resident", len / MiB);
		for (i = 0; i < NR_BACKENDS; i++)
			p[i] = bmap(i, len, MAP_PRIVATE);
		for_each_run_backend(r, i, be) {
			/* the parent has just written all of it */
			fill(p[be], npages, r + 1);
			fflush(stdout);
			t0 = now();
			pid = fork();
			if (!pid)
				_exit(0);
			t1 = now();
			BCHECK(pid > 0, "fork: %s", strerror(errno));
			reap(pid, "child");
			t2 = now();
			row(variant, be, r, "fork_ms", (t1 - t0) * 1e3, "ms");
			row(variant, be, r, "fork_wait_ms", (t2 - t0) * 1e3,
			    "ms");
			verify(p[be], npages, r + 1, "parent after fork");
		}
		for (i = 0; i < NR_BACKENDS; i++)
			bunmap(p[i], len);
	}
}

/* ------------------------------------------------------------------ */
/* 4. copy-on-write after fork                                         */

static void cow_write(char *p, size_t npages, const size_t *perm,
		      unsigned int gen)
{
	size_t i;

	for (i = 0; i < npages; i++) {
		size_t pg = perm ? perm[i] : i;

		*(volatile uint64_t *)(p + pg * PGSZ) = tag(pg, gen);
	}
}

static void sc_cow(void)
{
	static const char *const variant[3] = {
		"child-seq", "child-rand", "parent",
	};
	size_t len = quick ? MiB : 128 * MiB, npages = len / PGSZ, *perm;
	int r, i, k, pc[2], cp[2];
	enum backend be;
	double t0, secs;
	pid_t pid;
	char *p, c;

	perm = permutation(npages);
	for (k = 0; k < 3; k++) {
		progress("cow %s: %zu MiB", variant[k], len / MiB);
		for_each_run_backend(r, i, be) {
			p = bmap(be, len, MAP_PRIVATE);
			fill(p, npages, 1);
			BCHECK(pipe(pc) == 0 && pipe(cp) == 0, "pipe");
			fflush(stdout);
			pid = fork();
			BCHECK(pid >= 0, "fork: %s", strerror(errno));
			if (!pid && k < 2) {
				/* the child writes every page */
				t0 = now();
				cow_write(p, npages, k ? perm : NULL, 2);
				secs = now() - t0;
				verify(p, npages, 2, "child after its writes");
				xwrite(cp[1], &secs, sizeof(secs));
				_exit(0);
			}
			if (!pid) {
				/* the child stays while the parent writes */
				xread(pc[0], &c, 1);
				verify(p, npages, 1, "child after parent's writes");
				_exit(0);
			}
			if (k < 2) {
				xread(cp[0], &secs, sizeof(secs));
				reap(pid, "COW child");
				verify(p, npages, 1, "parent after child's writes");
			} else {
				t0 = now();
				cow_write(p, npages, NULL, 2);
				secs = now() - t0;
				xwrite(pc[1], "v", 1);
				reap(pid, "child");
				verify(p, npages, 2, "parent after its writes");
			}
			row(variant[k], be, r, "write_ms", secs * 1e3, "ms");
			close(pc[0]);
			close(pc[1]);
			close(cp[0]);
			close(cp[1]);
			bunmap(p, len);
		}
	}
	free(perm);
}

/* ------------------------------------------------------------------ */
/* 5. munmap of resident memory                                        */

static void sc_munmap(void)
{
	size_t len = quick ? 4 * MiB : GiB, npages = len / PGSZ;
	char variant[32];
	enum backend be;
	double t0;
	int r, i;
	char *p;

	snprintf(variant, sizeof(variant), "%zuM", len / MiB);
	progress("munmap: %zu MiB resident", len / MiB);
	for_each_run_backend(r, i, be) {
		p = bmap(be, len, MAP_PRIVATE);
		fill(p, npages, 1);
		verify(p, npages, 1, "before munmap");
		t0 = now();
		bunmap(p, len);
		row(variant, be, r, "munmap_ms", (now() - t0) * 1e3, "ms");
	}
}

/* ------------------------------------------------------------------ */
/* 6. mmap+munmap untouched (will-it-scale mmap1); mremap move          */

static void sc_mmap1(void)
{
	int iters = quick ? 10 : 2000, r, i, n;
	size_t len = quick ? MiB : 128 * MiB;
	char variant[32], *p;
	enum backend be;
	double t0;

	snprintf(variant, sizeof(variant), "%zuM", len / MiB);
	progress("mmap1: %d x mmap+munmap of %zu MiB", iters, len / MiB);
	for_each_run_backend(r, i, be) {
		t0 = now();
		for (n = 0; n < iters; n++) {
			p = bmap(be, len, MAP_PRIVATE);
			bunmap(p, len);
		}
		row(variant, be, r, "throughput", iters / (now() - t0),
		    "ops/s");
	}
	/* and a mapping made this way still works */
	p = bmap(UVM, len, MAP_PRIVATE);
	fill(p, len / PGSZ, 1);
	verify(p, len / PGSZ, 1, "after mmap1");
	bunmap(p, len);
}

static void sc_mremap(void)
{
	size_t len = quick ? MiB : 256 * MiB, npages = len / PGSZ;
	char variant[32], *p, *dst, *q;
	enum backend be;
	double t0, t1;
	int r, i;

	snprintf(variant, sizeof(variant), "%zuM", len / MiB);
	progress("mremap: move of %zu MiB resident", len / MiB);
	for_each_run_backend(r, i, be) {
		p = bmap(be, len, MAP_PRIVATE);
		fill(p, npages, 1);
		/* a free destination, reserved */
		dst = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
		BCHECK(dst != MAP_FAILED, "mmap: %s", strerror(errno));
		t0 = now();
		q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
		t1 = now();
		BCHECK(q == dst, "mremap: %s", strerror(errno));
		row(variant, be, r, "mremap_ms", (t1 - t0) * 1e3, "ms");
		verify(q, npages, 1, "after the move");
		BCHECK(msync(p, PGSZ, MS_ASYNC) == -1 && errno == ENOMEM,
		       "the old range is still mapped");
		bunmap(q, len);
	}
}

/* ------------------------------------------------------------------ */
/* 7. write-then-MADV_DONTNEED loop (will-it-scale tlb_flush1)         */

static void sc_tlbflush(void)
{
	size_t len = quick ? 64 * 1024 : MiB, npages = len / PGSZ, j;
	int iters = quick ? 2 : 200, r, i, n;
	char variant[32], *p;
	enum backend be;
	double t0;

	snprintf(variant, sizeof(variant), "%zuK", len / 1024);

	progress("tlbflush: %d x (write %zu KiB, MADV_DONTNEED)", iters,
		 len / 1024);
	for_each_run_backend(r, i, be) {
		p = bmap(be, len, MAP_PRIVATE);
		t0 = now();
		for (n = 0; n < iters; n++) {
			for (j = 0; j < npages; j++)
				p[j * PGSZ] = 1;
			BCHECK(madvise(p, len, MADV_DONTNEED) == 0,
			       "MADV_DONTNEED: %s", strerror(errno));
		}
		row(variant, be, r, "throughput",
		    (double)iters * npages / (now() - t0), "pages/s");
		for (j = 0; j < npages; j++)
			BCHECK(p[j * PGSZ] == 0,
			       "page %zu kept data over MADV_DONTNEED", j);
		bunmap(p, len);
	}
}

/* ------------------------------------------------------------------ */
/* 8. shared memory: a forked writer, then a forked reader             */

static void sc_shared(void)
{
	size_t len = quick ? MiB : 256 * MiB, npages = len / PGSZ;
	int r, i, k, fds[2];
	double t0, secs;
	enum backend be;
	pid_t pid;
	char *p;

	progress("shared: %zu MiB, forked writer then reader", len / MiB);
	for_each_run_backend(r, i, be) {
		p = bmap(be, len, MAP_SHARED);
		BCHECK(pipe(fds) == 0, "pipe");
		for (k = 0; k < 2; k++) {
			fflush(stdout);
			pid = fork();
			BCHECK(pid >= 0, "fork: %s", strerror(errno));
			if (!pid) {
				t0 = now();
				if (k == 0)
					fill(p, npages, 1);
				else
					verify(p, npages, 1, "reader");
				secs = now() - t0;
				xwrite(fds[1], &secs, sizeof(secs));
				_exit(0);
			}
			xread(fds[0], &secs, sizeof(secs));
			reap(pid, k ? "reader" : "writer");
			row(k ? "reader" : "writer", be, r, "throughput",
			    npages / secs, "pages/s");
		}
		verify(p, npages, 1, "parent");
		close(fds[0]);
		close(fds[1]);
		bunmap(p, len);
	}
}

/* ------------------------------------------------------------------ */
/* 9. kernel memory per resident page, from the memory cgroup's stats   */

#define CG_ROOT	"/sys/fs/cgroup"
#define CG_DIR	CG_ROOT "/uvm-bench"

static void write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	BCHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	BCHECK(write(fd, s, strlen(s)) == (ssize_t)strlen(s), "write %s: %s",
	       path, strerror(errno));
	close(fd);
}

/* a field of the bench cgroup's memory.stat, in bytes */
static long cg_stat(const char *field)
{
	FILE *f = fopen(CG_DIR "/memory.stat", "r");
	char key[64];
	long v, found = -1;

	BCHECK(f, "open memory.stat: %s", strerror(errno));
	while (fscanf(f, "%63s %ld", key, &v) == 2)
		if (!strcmp(key, field))
			found = v;
	fclose(f);
	BCHECK(found >= 0, "no %s in memory.stat", field);
	return found;
}

/* the bench cgroup, with the memory controller on */
static void cg_make(void)
{
	char buf[256];
	FILE *f;

	f = fopen(CG_ROOT "/cgroup.controllers", "r");
	BCHECK(f && fgets(buf, sizeof(buf), f) && strstr(buf, "memory"),
	       "no cgroup v2 memory controller at " CG_ROOT);
	fclose(f);
	write_str(CG_ROOT "/cgroup.subtree_control", "+memory");
	BCHECK(mkdir(CG_DIR, 0755) == 0 || errno == EEXIST, "mkdir %s: %s",
	       CG_DIR, strerror(errno));
}

/* fork a child inside the bench cgroup, a pipe @fds to it; fork()'s return */
static pid_t cg_fork(int fds[2])
{
	char buf[32];
	pid_t pid;

	BCHECK(pipe(fds) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	BCHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		snprintf(buf, sizeof(buf), "%d", getpid());
		write_str(CG_DIR "/cgroup.procs", buf);
	}
	return pid;
}

static void sc_overhead(void)
{
	size_t len = quick ? 4 * MiB : 256 * MiB, npages = len / PGSZ;
	long slab0, pt0, slab1, pt1;
	char variant[32], *p;
	enum backend be;
	int r, i, fds[2];
	double v[2];
	pid_t pid;

	cg_make();
	snprintf(variant, sizeof(variant), "%zuM", len / MiB);
	progress("overhead: %zu MiB resident, memory.stat of a cgroup",
		 len / MiB);
	for_each_run_backend(r, i, be) {
		pid = cg_fork(fds);
		if (!pid) {
			slab0 = cg_stat("slab");
			pt0 = cg_stat("pagetables");
			p = bmap(be, len, MAP_PRIVATE);
			fill(p, npages, 1);
			slab1 = cg_stat("slab");
			pt1 = cg_stat("pagetables");
			verify(p, npages, 1, "resident pages");
			v[0] = (double)(slab1 - slab0) / npages;
			v[1] = (double)(pt1 - pt0) / npages;
			xwrite(fds[1], v, sizeof(v));
			_exit(0);
		}
		xread(fds[0], v, sizeof(v));
		reap(pid, "overhead child");
		row(variant, be, r, "kernel_bytes_per_page", v[0] + v[1],
		    "B/page");
		row(variant, be, r, "slab_bytes_per_page", v[0], "B/page");
		row(variant, be, r, "pagetable_bytes_per_page", v[1], "B/page");
		close(fds[0]);
		close(fds[1]);
	}
	rmdir(CG_DIR);
}

/* ------------------------------------------------------------------ */
/* 11. swap: Linux swap on one virtio disk, UVM swap on an identical one */

#define SWAP_DEV_NATIVE	"/dev/vda"
#define SWAP_DEV_UVM	"/dev/vdb"

static const char *const swap_dev[NR_BACKENDS] = { SWAP_DEV_NATIVE,
						   SWAP_DEV_UVM };

/* what a swap phase moved: the disk's counters and the pager's */
struct swap_stat {
	double t;
	long rd_ios, rd_sect, wr_ios, wr_sect, pageouts, pageins;
};

static void swap_stat(enum backend be, struct swap_stat *s)
{
	char path[64];
	long f[7] = { 0 };
	FILE *fp;

	snprintf(path, sizeof(path), "/sys/block/%s/stat", swap_dev[be] + 5);
	fp = fopen(path, "r");
	BCHECK(fp, "open %s: %s", path, strerror(errno));
	BCHECK(fscanf(fp, "%ld %ld %ld %ld %ld %ld %ld", &f[0], &f[1], &f[2],
		      &f[3], &f[4], &f[5], &f[6]) == 7, "parse %s", path);
	fclose(fp);
	s->t = now();
	s->rd_ios = f[0];
	s->rd_sect = f[2];
	s->wr_ios = f[4];
	s->wr_sect = f[6];
	if (be == NATIVE) {
		s->pageouts = uvm_read_field("/proc/vmstat", "pswpout");
		s->pageins = uvm_read_field("/proc/vmstat", "pswpin");
	} else {
		s->pageouts = uvmtest_read_long(UVM_SYSFS "/pageouts");
		s->pageins = uvmtest_read_long(UVM_SYSFS "/pageins");
	}
}

/* one phase's figures, from b to a, for @len bytes touched */
struct swap_fig {
	double mibps, outs_per_s, ins_per_s, wr_kib, rd_kib;
};

static void swap_fig(const struct swap_stat *b, const struct swap_stat *a,
		     size_t len, struct swap_fig *f)
{
	double dt = a->t - b->t;
	long wr = a->wr_ios - b->wr_ios, rd = a->rd_ios - b->rd_ios;

	f->mibps = (double)len / MiB / dt;
	f->outs_per_s = (a->pageouts - b->pageouts) / dt;
	f->ins_per_s = (a->pageins - b->pageins) / dt;
	f->wr_kib = wr ? (a->wr_sect - b->wr_sect) * 512.0 / 1024 / wr : 0;
	f->rd_kib = rd ? (a->rd_sect - b->rd_sect) * 512.0 / 1024 / rd : 0;
}

/* the cgroup's memory.max, in bytes */
static void cg_max(size_t bytes)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%zu", bytes);
	write_str(CG_DIR "/memory.max", buf);
}

enum { SW_SEQ_W, SW_SEQ_R, SW_RAND, SW_FORK, SW_NR };

/* the phases, in a child inside the cgroup */
static void swap_child(enum backend be, size_t lim, struct swap_fig *fig)
{
	size_t n = 2 * lim / PGSZ, k, i;
	uint64_t x = 88172645463325252ULL;
	struct swap_stat s0, s1, s2;
	unsigned char *gen;
	char *p;
	pid_t pid;

	/* sequential: write twice the limit, read it back */
	cg_max(lim);
	p = bmap(be, n * PGSZ, MAP_PRIVATE);
	swap_stat(be, &s0);
	fill(p, n, 1);
	swap_stat(be, &s1);
	verify(p, n, 1, "sequential read-back");
	swap_stat(be, &s2);
	swap_fig(&s0, &s1, n * PGSZ, &fig[SW_SEQ_W]);
	swap_fig(&s1, &s2, n * PGSZ, &fig[SW_SEQ_R]);
	bunmap(p, n * PGSZ);

	/* random reads and writes over 1.5 times the limit */
	n = 3 * lim / 2 / PGSZ;
	gen = calloc(n, 1);
	BCHECK(gen, "out of memory");
	p = bmap(be, n * PGSZ, MAP_PRIVATE);
	fill(p, n, 1);
	memset(gen, 1, n);
	swap_stat(be, &s0);
	for (k = 0; k < n; k++) {
		uint64_t w;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		i = x % n;
		w = *(volatile uint64_t *)(p + i * PGSZ);
		if (w != tag(i, gen[i]))
			bfail("random: page %zu holds %#llx, want %#llx", i,
			      (unsigned long long)w,
			      (unsigned long long)tag(i, gen[i]));
		if (x & 1) {
			gen[i] = gen[i] % 200 + 2;
			*(volatile uint64_t *)(p + i * PGSZ) = tag(i, gen[i]);
		}
	}
	swap_stat(be, &s1);
	swap_fig(&s0, &s1, n * PGSZ, &fig[SW_RAND]);
	for (i = 0; i < n; i++)
		if (*(volatile uint64_t *)(p + i * PGSZ) != tag(i, gen[i]))
			bfail("random: page %zu wrong at the end", i);
	bunmap(p, n * PGSZ);
	free(gen);

	/* fork with half of four times the limit on swap; the child reads all */
	n = 4 * lim / PGSZ;
	cg_max(2 * lim);
	p = bmap(be, n * PGSZ, MAP_PRIVATE);
	fill(p, n, 3);
	fflush(stdout);
	swap_stat(be, &s0);
	pid = fork();
	BCHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		verify(p, n, 3, "fork child");
		_exit(0);
	}
	reap(pid, "swap fork child");
	swap_stat(be, &s1);
	swap_fig(&s0, &s1, n * PGSZ, &fig[SW_FORK]);
	bunmap(p, n * PGSZ);
}

/* the disk's raw bandwidth: O_DIRECT writes and reads of 1 MiB */
static void disk_raw(const char *dev, size_t len, double *w, double *r)
{
	void *buf;
	double t0;
	size_t off;
	int fd;

	BCHECK(!posix_memalign(&buf, 4096, MiB), "out of memory");
	memset(buf, 0x5a, MiB);
	fd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);
	BCHECK(fd >= 0, "open %s: %s", dev, strerror(errno));
	t0 = now();
	for (off = 0; off < len; off += MiB)
		BCHECK(pwrite(fd, buf, MiB, off) == (ssize_t)MiB, "write %s",
		       dev);
	BCHECK(!fsync(fd), "fsync %s", dev);
	*w = (double)len / MiB / (now() - t0);
	t0 = now();
	for (off = 0; off < len; off += MiB)
		BCHECK(pread(fd, buf, MiB, off) == (ssize_t)MiB, "read %s",
		       dev);
	*r = (double)len / MiB / (now() - t0);
	close(fd);
	free(buf);
}

static void swap_rows(const char *variant, enum backend be, int r,
		      const struct swap_fig *f, const char *what)
{
	char m[48];

	snprintf(m, sizeof(m), "%s_MiBps", what);
	row(variant, be, r, m, f->mibps, "MiB/s");
	row(variant, be, r, "pageouts_per_s", f->outs_per_s, "pages/s");
	row(variant, be, r, "pageins_per_s", f->ins_per_s, "pages/s");
	if (f->wr_kib)
		row(variant, be, r, "write_KiB_per_io", f->wr_kib, "KiB/io");
	if (f->rd_kib)
		row(variant, be, r, "read_KiB_per_io", f->rd_kib, "KiB/io");
}

static void sc_swap(void)
{
	size_t lim = quick ? 8 * MiB : 128 * MiB;
	int r, i, fds[2], nruns = runs < 3 ? runs : 3;
	struct swap_fig fig[SW_NR];
	enum backend be;
	double w, rd;
	pid_t pid;

	if (access(SWAP_DEV_NATIVE, F_OK) || access(SWAP_DEV_UVM, F_OK)) {
		progress("swap: no virtio disks %s and %s (make bench gives them): skipped",
			 SWAP_DEV_NATIVE, SWAP_DEV_UVM);
		return;
	}
	progress("swap: raw disk bandwidth (O_DIRECT, 1 MiB)");
	disk_raw(SWAP_DEV_UVM, quick ? 16 * MiB : 256 * MiB, &w, &rd);
	row("disk", NATIVE, 0, "raw_write_MiBps", w, "MiB/s");
	row("disk", NATIVE, 0, "raw_read_MiBps", rd, "MiB/s");
	BCHECK(system("mkswap " SWAP_DEV_NATIVE " >/dev/null 2>&1") == 0,
	       "mkswap " SWAP_DEV_NATIVE);
	BCHECK(system("swapon " SWAP_DEV_NATIVE) == 0, "swapon " SWAP_DEV_NATIVE);
	BCHECK(system("uvmctl mkswap " SWAP_DEV_UVM " >/dev/null 2>&1") == 0,
	       "uvmctl mkswap " SWAP_DEV_UVM);
	BCHECK(system("uvmctl swapon " SWAP_DEV_UVM) == 0,
	       "uvmctl swapon " SWAP_DEV_UVM);
	cg_make();
	progress("swap: memory.max %zu MiB, %d runs", lim / MiB, nruns);
	for (r = 0; r < nruns; r++) {
		for (i = 0; i < NR_BACKENDS; i++) {
			be = order(r, i);
			progress("swap: run %d, %s", r + 1, be_name[be]);
			pid = cg_fork(fds);
			if (!pid) {
				swap_child(be, lim, fig);
				xwrite(fds[1], fig, sizeof(fig));
				_exit(0);
			}
			xread(fds[0], fig, sizeof(fig));
			reap(pid, "swap child");
			close(fds[0]);
			close(fds[1]);
			swap_rows("seq", be, r, &fig[SW_SEQ_W], "write");
			swap_rows("seq-read", be, r, &fig[SW_SEQ_R], "read");
			swap_rows("rand", be, r, &fig[SW_RAND], "rw");
			swap_rows("fork", be, r, &fig[SW_FORK], "child_read");
		}
	}
	rmdir(CG_DIR);
	BCHECK(system("swapoff " SWAP_DEV_NATIVE) == 0, "swapoff");
	BCHECK(system("uvmctl swapoff " SWAP_DEV_UVM) == 0, "uvmctl swapoff");
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	void (*fn)(void);
} scenarios[] = {
	{ "zerofill", sc_zerofill },
	{ "refault", sc_refault },
	{ "fork", sc_fork },
	{ "cow", sc_cow },
	{ "munmap", sc_munmap },
	{ "mmap1", sc_mmap1 },
	{ "mremap", sc_mremap },
	{ "tlbflush", sc_tlbflush },
	{ "shared", sc_shared },
	{ "overhead", sc_overhead },
	{ "swap", sc_swap },
};

static void info(void)
{
	char buf[64] = "absent";
	FILE *f;

	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			strcpy(buf, "unreadable");
		buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
	printf("@@UVM info thp=%s\n", buf);
	printf("@@UVM info aslr=%ld\n",
	       uvmtest_read_long("/proc/sys/kernel/randomize_va_space"));
	printf("@@UVM info runs=%d\n", runs);
	printf("@@UVM info quick=%d\n", quick);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned int k;
	int i, st, failed = 0;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
			runs = 1;
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else {
			fprintf(stderr,
				"usage: uvm_bench [--quick] [--runs N] [--only GLOB]\n");
			return 2;
		}
	}
	if (runs < 1) {
		fprintf(stderr, "uvm_bench: --runs wants at least 1\n");
		return 2;
	}
	fail_detail = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fail_detail == MAP_FAILED) {
		perror("uvm_bench: mmap");
		return 2;
	}
	info();
	for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++) {
		scen = scenarios[k].name;
		if (fnmatch(only, scen, 0))
			continue;
		fail_detail[0] = 0;
		pid = fork();
		if (pid < 0) {
			perror("uvm_bench: fork");
			return 2;
		}
		if (!pid) {
			scenarios[k].fn();
			_exit(0);
		}
		if (waitpid(pid, &st, 0) != pid) {
			perror("uvm_bench: waitpid");
			return 2;
		}
		if (WIFEXITED(st) && !WEXITSTATUS(st)) {
			printf("@@UVM result uvm_bench.%s PASS\n", scen);
		} else {
			failed = 1;
			printf("@@UVM result uvm_bench.%s FAIL %s\n", scen,
			       fail_detail[0] ? fail_detail :
			       WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) :
			       "exited with an error");
		}
	}
	return failed;
}
