// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_pressuretest: /dev/uvm memory under memory-cgroup pressure.
 *
 * A cgroup's memory.max sits just above the working set, and a file-backed
 * mapping in the same process (a block device's page cache: reclaimable
 * without swap) is read over and over, so that every allocation of the
 * cgroup reclaims, and reclaim unmaps the process's own file pages, which
 * runs its MMU notifiers. Meanwhile one thread zero-fills fresh /dev/uvm
 * pages and another frees them again with MADV_DONTNEED. A fault that
 * sleeps in reclaim with UVM's locks held deadlocks here against the
 * MADV_DONTNEED (which holds the notifier's lock and waits for the amap
 * lock); a fault that answers VM_FAULT_OOM instead of waiting for memory
 * loops in the page-fault handler. The cases must finish, with every page
 * reading back zero or what was last written to it.
 *
 * Needs UVM_RECLAIM_DEV, a block device of at least FILE_MB MiB (the guest
 * sets up a loop device); skipped without it or without cgroup v2.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"

#define RW	(PROT_READ | PROT_WRITE)
#define MB	(1024UL * 1024)
#define CG	"/sys/fs/cgroup/uvmpressure"
#define FILE_MB	64UL
#define SLACK_MB 12UL	/* memory.max above the /dev/uvm working set */
#define CHUNK	64	/* pages per MADV_DONTNEED */

struct storm {
	char *map;		/* /dev/uvm, private */
	size_t npages;
	const volatile char *file;	/* the block device, read-only */
	size_t file_pages;
	unsigned int passes;	/* zero-fill passes, at least */
	unsigned long min_dontneeds;	/* and at least so many of those */
	unsigned int tag;	/* told apart in parent and child */
	atomic_int done;
	atomic_ulong dontneeds, reads;
};

static uint64_t word(const struct storm *s, size_t pg, unsigned int pass)
{
	return 0x5a5aULL << 48 | (uint64_t)s->tag << 40 |
	       (uint64_t)(pass & 0xff) << 32 | pg;
}

/* write one word of every page, pass after pass: refaults what was freed */
static void *zero_filler(void *arg)
{
	struct storm *s = arg;
	unsigned int pass;
	size_t pg;

	/* the passes asked for, and until the other side ran enough */
	for (pass = 0; pass < s->passes ||
	     atomic_load(&s->dontneeds) < s->min_dontneeds; pass++)
		for (pg = 0; pg < s->npages; pg++)
			*(volatile uint64_t *)(s->map + pg * PGSZ) =
				word(s, pg, pass);
	atomic_store(&s->done, 1);
	return NULL;
}

static void *dontneeder(void *arg)
{
	struct storm *s = arg;
	size_t c = 0, nchunks = s->npages / CHUNK;

	while (!atomic_load(&s->done)) {
		if (madvise(s->map + c * CHUNK * PGSZ, CHUNK * PGSZ,
			    MADV_DONTNEED))
			_exit(10);
		atomic_fetch_add(&s->dontneeds, 1);
		c = (c + 7) % nchunks;	/* 7 is prime to nchunks */
	}
	return NULL;
}

static void *file_reader(void *arg)
{
	struct storm *s = arg;
	size_t pg;

	while (!atomic_load(&s->done))
		for (pg = 0; pg < s->file_pages && !atomic_load(&s->done);
		     pg++) {
			(void)s->file[pg * PGSZ];
			atomic_fetch_add(&s->reads, 1);
		}
	return NULL;
}

/* every page reads zero or a word the zero-filler wrote there */
static int storm_check(const struct storm *s)
{
	size_t pg;

	for (pg = 0; pg < s->npages; pg++) {
		uint64_t w = *(const uint64_t *)(s->map + pg * PGSZ);

		if (w && (w >> 40 != (0x5a5aULL << 8 | s->tag) ||
			  (w & 0xffffffffULL) != pg)) {
			fprintf(stderr, "tag %u page %zu reads %#llx\n",
				s->tag, pg, (unsigned long long)w);
			return -1;
		}
	}
	return 0;
}

/* run the three threads on @s; exits the process on failure */
static void storm_run(struct storm *s)
{
	pthread_t z, d, r;
	size_t pg;

	/* fill the cgroup to its limit with the file first */
	for (pg = 0; pg < s->file_pages; pg++)
		(void)s->file[pg * PGSZ];
	if (pthread_create(&r, NULL, file_reader, s) ||
	    pthread_create(&d, NULL, dontneeder, s) ||
	    pthread_create(&z, NULL, zero_filler, s))
		_exit(11);
	pthread_join(z, NULL);
	pthread_join(d, NULL);
	pthread_join(r, NULL);
	if (storm_check(s))
		_exit(12);
	printf("# tag %u: %lu MADV_DONTNEED, %lu file page reads\n", s->tag,
	       atomic_load(&s->dontneeds), atomic_load(&s->reads));
	fflush(stdout);
}

static const volatile char *map_reclaim_file(size_t *pages)
{
	const char *dev = getenv("UVM_RECLAIM_DEV");
	void *p;
	int fd;

	if (!dev || !*dev)
		uvmtest_skip("no UVM_RECLAIM_DEV block device");
	fd = open(dev, O_RDONLY);
	CHECK(fd >= 0, "%s: %s", dev, strerror(errno));
	p = mmap(NULL, FILE_MB * MB, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap %s: %s", dev, strerror(errno));
	close(fd);
	*pages = FILE_MB * MB / PGSZ;
	return p;
}

static int sanitizers(void)
{
	const char *s = getenv("UVM_SANITIZERS");

	return s && !strcmp(s, "1");
}

/*
 * Run @body in a child inside a cgroup of @max_mb MiB; check it exited 0,
 * and that the kernel log has no VM_FAULT_OOM that leaked to the #PF
 * handler (a fault that gave up on memory instead of waiting for it).
 */
static void in_pressure(void (*body)(void), unsigned long max_mb)
{
	int kmsg = uvm_kmsg_from_now();
	struct uvm_ctrs b, a;
	int pid, status;
	long hits;

	uvm_ctrs_read(&b);
	uvm_cgroup_make(CG, max_mb * MB);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (uvm_cgroup_enter(CG))
			_exit(3);
		body();
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	/* the cgroup did hit its limit: reclaim ran */
	hits = uvm_read_field(CG "/memory.events", "max");
	uvm_ctrs_read(&a);
	printf("# memory.max hit %ld times; %ld faults waited for memory\n",
	       hits, a.v[UC_MEM_WAITS] - b.v[UC_MEM_WAITS]);
	rmdir(CG);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "storm process: status %#x (exit %d, signal %d)", status,
	      WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	CHECK(!uvm_kmsg_has(kmsg, "VM_FAULT_OOM leaked"),
	      "a fault returned VM_FAULT_OOM to the page-fault handler");
	CHECK(hits > 0, "memory.max never reached: no memory pressure");
}

static size_t ws_pages(unsigned long mb)
{
	return (sanitizers() ? mb / 2 : mb) * MB / PGSZ;
}

#define WS_MB	24UL

static void single_body(void)
{
	struct storm s = { .tag = 1 };

	s.file = map_reclaim_file(&s.file_pages);
	s.npages = ws_pages(WS_MB);
	s.passes = sanitizers() ? 6 : 30;
	s.min_dontneeds = sanitizers() ? 5000 : 50000;
	s.map = uvm_map_ok(s.npages * PGSZ, RW, MAP_PRIVATE);
	storm_run(&s);
}

/* one process: zero-fill racing MADV_DONTNEED while reclaim unmaps */
static void dontneed_reclaim(void)
{
	map_reclaim_file(&(size_t){ 0 });	/* skip early without one */
	in_pressure(single_body, WS_MB + SLACK_MB);
}

#define FORK_WS_MB 12UL

/*
 * parent and child: the child's amaps are copied from the parent's, so
 * one amap lock serves both processes (UVM's lock per amap family)
 */
static void fork_body(void)
{
	struct storm s = { .tag = 2 };
	size_t pg;
	int pid, status;

	s.file = map_reclaim_file(&s.file_pages);
	s.npages = ws_pages(FORK_WS_MB);
	s.passes = sanitizers() ? 4 : 20;
	s.min_dontneeds = sanitizers() ? 5000 : 50000;
	s.map = uvm_map_ok(s.npages * PGSZ, RW, MAP_PRIVATE);
	for (pg = 0; pg < s.npages; pg++)
		*(uint64_t *)(s.map + pg * PGSZ) = word(&s, pg, 0);
	pid = fork();
	if (pid < 0)
		_exit(13);
	if (pid == 0) {
		s.tag = 3;
		/* the parent's words are still there: tag 2 */
		for (pg = 0; pg < s.npages; pg++)
			if (*(uint64_t *)(s.map + pg * PGSZ) !=
			    (0x5a5aULL << 48 | 2ULL << 40 | pg))
				_exit(14);
		memset(s.map, 0, s.npages * PGSZ);
		storm_run(&s);
		_exit(0);
	}
	memset(s.map, 0, s.npages * PGSZ);
	storm_run(&s);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		_exit(15);
}

static void dontneed_reclaim_fork(void)
{
	map_reclaim_file(&(size_t){ 0 });
	in_pressure(fork_body, 2 * FORK_WS_MB + SLACK_MB);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(dontneed_reclaim, 300),
	UVMTEST_CASE_T(dontneed_reclaim_fork, 300),
	{ NULL, NULL, 0 }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_pressuretest", cases, argc, argv);
}
