// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvmmap.c: the helpers behind uvmmap.h.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvm_uapi.h"

const char *const uvm_ctr_names[UC_NR] = {
	[UC_FAULTS]		= "faults",
	[UC_ANON_HITS]		= "anon_hits",
	[UC_COW_COPIES]		= "cow_copies",
	[UC_ZERO_FILLS]		= "zero_fills",
	[UC_PROMOTIONS]		= "promotions",
	[UC_AMAP_COPIES]	= "amap_copies",
	[UC_FAULTAHEAD_MAPPED]	= "faultahead_mapped",
	[UC_RESTARTS]		= "restarts",
	[UC_MEM_WAITS]		= "mem_waits",
	[UC_DONTNEEDS]		= "dontneeds",
	[UC_PAGEOUTS]		= "pageouts",
	[UC_PAGEINS]		= "pageins",
	[UC_SWAP_WRITTEN]	= "swap_written",
	[UC_SWAP_WRITES]	= "swap_writes",
	[UC_SWAP_READS]		= "swap_reads",
	[UC_SWAP_ERRORS]	= "swap_errors",
	[UC_PD_WAKEUPS]		= "pd_wakeups",
	[UC_PD_SCANS]		= "pd_scans",
	[UC_PD_DEACTS]		= "pd_deacts",
	[UC_PD_REACTS]		= "pd_reacts",
	[UC_PD_FREED]		= "pd_freed",
	[UC_SHRINKER_SCANS]	= "shrinker_scans",
	[UC_WP_REUSE]		= "wp_reuse",
	[UC_PAGES]		= "pages",
	[UC_ANONS]		= "anons",
	[UC_AMAPS]		= "amaps",
	[UC_AOBJS]		= "aobjs",
	[UC_ENTRIES]		= "entries",
	[UC_HOLES]		= "holes",
	[UC_SWAP_PAGES]		= "swap_pages",
	[UC_SWAP_INUSE]		= "swap_inuse",
	[UC_SWAP_BAD]		= "swap_bad",
	[UC_SWAP_ONLY]		= "swap_only",
	[UC_ACTIVE]		= "active",
	[UC_INACTIVE]		= "inactive",
};

int uvm_native(void)
{
	static int native = -1;

	if (native < 0) {
		const char *s = getenv("UVM_TEST_NATIVE");

		native = s && strcmp(s, "1") == 0;
	}
	return native;
}

size_t uvm_pagesize(void)
{
	static size_t pgsz;

	if (!pgsz)
		pgsz = sysconf(_SC_PAGESIZE);
	return pgsz;
}

#ifndef MADV_FREE
#define MADV_FREE		8
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK		18
#define MADV_KEEPONFORK		19
#endif

int uvm_madvise(void *addr, size_t len, unsigned int advice)
{
	struct uvm_madvise arg = {
		.addr = (unsigned long)addr, .len = len, .advice = advice,
	};
	int fd, r, e;

	if (uvm_native()) {
		switch (advice) {
		case UVM_MADV_FREE:
			return madvise(addr, len, MADV_FREE);
		case UVM_MADV_WIPEONFORK:
			return madvise(addr, len, MADV_WIPEONFORK);
		case UVM_MADV_KEEPONFORK:
			return madvise(addr, len, MADV_KEEPONFORK);
		case UVM_MADV_WIRE:
			return mlock(addr, len);
		case UVM_MADV_UNWIRE:
			return munlock(addr, len);
		}
		errno = EINVAL;
		return -1;
	}
	fd = uvm_open(O_RDWR);
	r = ioctl(fd, UVM_IOC_MADVISE, &arg);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

int uvm_open(int oflags)
{
	int fd = open(UVM_DEV, oflags | O_CLOEXEC);

	CHECK(fd >= 0, "open %s: %s", UVM_DEV, strerror(errno));
	return fd;
}

void *uvm_map_at(void *addr, size_t len, int prot, int flags)
{
	void *p;
	int fd, e;

	if (uvm_native())
		return mmap(addr, len, prot, flags | MAP_ANONYMOUS, -1, 0);
	fd = open(UVM_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return MAP_FAILED;
	p = mmap(addr, len, prot, flags, fd, 0);
	e = errno;
	close(fd);
	errno = e;
	return p;
}

void *uvm_map_ok(size_t len, int prot, int flags)
{
	void *p = uvm_map(len, prot, flags);

	CHECK(p != MAP_FAILED, "mmap %zu bytes prot %#x flags %#x: %s",
	      len, prot, flags, strerror(errno));
	return p;
}

void *uvm_free_range(size_t npages)
{
	void *p = mmap(NULL, npages * PGSZ, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK_OK(munmap(p, npages * PGSZ));
	return p;
}

void uvm_ctrs_read(struct uvm_ctrs *c)
{
	char path[128];
	int i;

	memset(c, 0, sizeof(*c));
	if (uvm_native())
		return;
	for (i = 0; i < UC_NR; i++) {
		snprintf(path, sizeof(path), UVM_SYSFS "/%s", uvm_ctr_names[i]);
		c->v[i] = uvmtest_read_long(path);
		CHECK(c->v[i] >= 0, "cannot read %s", path);
	}
}

void uvm_check_baseline(const struct uvm_ctrs *b, const char *file, int line)
{
	struct uvm_ctrs now;
	int tries, i, bad = -1;

	if (uvm_native())
		return;
	for (tries = 0; tries < 20; tries++) {
		uvm_ctrs_read(&now);
		bad = -1;
		for (i = UC_FIRST_GAUGE; i < UC_NR; i++)
			if (now.v[i] != b->v[i]) {
				bad = i;
				break;
			}
		if (bad < 0)
			return;
		usleep(100000);
	}
	uvmtest_fail(file, line, "gauge %s is %ld, was %ld before the test "
		     "(pages %+ld anons %+ld amaps %+ld aobjs %+ld entries %+ld)",
		     uvm_ctr_names[bad], now.v[bad], b->v[bad],
		     now.v[UC_PAGES] - b->v[UC_PAGES],
		     now.v[UC_ANONS] - b->v[UC_ANONS],
		     now.v[UC_AMAPS] - b->v[UC_AMAPS],
		     now.v[UC_AOBJS] - b->v[UC_AOBJS],
		     now.v[UC_ENTRIES] - b->v[UC_ENTRIES]);
}

long uvm_smaps_kb(const void *addr, const char *field)
{
	unsigned long a = (unsigned long)addr, start, end;
	size_t flen = strlen(field);
	char line[512];
	int in = 0;
	long v = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] >= 'A' && line[0] <= 'Z') {	/* "Field: N kB" */
			if (in && strncmp(line, field, flen) == 0 &&
			    line[flen] == ':') {
				v = strtol(line + flen + 1, NULL, 10);
				break;
			}
			continue;
		}
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			if (in)		/* past our entry: field absent */
				break;
			in = a >= start && a < end;
		}
	}
	fclose(f);
	return v;
}

void uvm_check_smaps_anon0(const void *addr, const char *file, int line)
{
	long kb = uvm_smaps_kb(addr, "Anonymous");

	if (kb < 0)
		uvmtest_fail(file, line, "no smaps Anonymous: for %p", addr);
	if (!uvm_native() && kb != 0)
		uvmtest_fail(file, line, "smaps Anonymous: %ld kB for %p (pid %d), "
			     "want 0", kb, addr, getpid());
}

/* "field: N kB" of a /proc file in kB; -1 if absent */
static long uvm_proc_kb(const char *path, const char *field)
{
	size_t flen = strlen(field);
	char line[256];
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			v = strtol(line + flen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

long uvm_meminfo_kb(const char *field)
{
	return uvm_proc_kb("/proc/meminfo", field);
}

long uvm_status_kb(const char *field)
{
	return uvm_proc_kb("/proc/self/status", field);
}

int uvm_kmsg_from_now(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	CHECK(fd >= 0, "/dev/kmsg: %s", strerror(errno));
	CHECK_OK(lseek(fd, 0, SEEK_END));
	return fd;
}

int uvm_kmsg_has(int fd, const char *what)
{
	char rec[2048];
	ssize_t n;
	int found = 0;

	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 ||
	       (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;	/* overwritten records: go on */
		rec[n] = 0;
		if (strstr(rec, what))
			found = 1;
	}
	close(fd);
	return found;
}

int uvm_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

long uvm_read_field(const char *path, const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!key) {
			v = atol(line);
			break;
		}
		if (!strncmp(line, key, strlen(key)) &&
		    line[strlen(key)] == ' ')
			v = atol(line + strlen(key) + 1);
	}
	fclose(f);
	return v;
}

void uvm_cgroup_make(const char *cg, unsigned long max_bytes)
{
	char path[256], val[32];

	if (access("/sys/fs/cgroup/cgroup.controllers", R_OK))
		uvmtest_skip("no cgroup v2 at /sys/fs/cgroup");
	if (uvm_write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory"))
		uvmtest_skip("cannot enable the memory controller: %s",
			     strerror(errno));
	rmdir(cg);
	CHECK(!mkdir(cg, 0755), "mkdir %s: %s", cg, strerror(errno));
	if (!max_bytes)
		return;
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	snprintf(val, sizeof(val), "%lu", max_bytes);
	CHECK(!uvm_write_file(path, val), "%s: %s", path, strerror(errno));
}

int uvm_cgroup_enter(const char *cg)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s/cgroup.procs", cg);
	return uvm_write_file(buf, "0");
}

long uvm_cgroup_current(const char *cg)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s/memory.current", cg);
	return uvm_read_field(buf, NULL);
}

uint64_t uvm_pat_word(unsigned long pg, unsigned int gen, unsigned int writer,
		      unsigned int k)
{
	return 0xa5ULL << 56 | (uint64_t)(pg & 0xffffff) << 32 |
	       (uint64_t)(gen & 0xff) << 24 | (uint64_t)(writer & 0xff) << 16 |
	       (k & 0xffff);
}

void uvm_pat_fill(void *page, unsigned long pg, unsigned int gen,
		  unsigned int writer)
{
	uint64_t *w = page;
	unsigned int k, n = PGSZ / sizeof(*w);

	for (k = 0; k < n; k++)
		w[k] = uvm_pat_word(pg, gen, writer, k);
}

void uvm_put_page(void *map, void *shadow, size_t pg, unsigned int gen,
		  unsigned int writer)
{
	char *s = (char *)shadow + pg * PGSZ;

	uvm_pat_fill(s, pg, gen, writer);
	memcpy((char *)map + pg * PGSZ, s, PGSZ);
}

char *uvm_map_filled(size_t npages, int kind, void *shadow, unsigned int gen)
{
	char *p = uvm_map_ok(npages * PGSZ, PROT_READ | PROT_WRITE, kind);
	size_t i;

	for (i = 0; i < npages; i++)
		uvm_put_page(p, shadow, i, gen, 1);
	return p;
}

void *uvm_shadow(size_t npages)
{
	void *s = calloc(npages, PGSZ);

	CHECK(s, "no memory for a shadow of %zu pages", npages);
	return s;
}

void uvm_pat_describe(uint64_t w, char *buf, size_t n)
{
	if (w == 0)
		snprintf(buf, n, "zero");
	else if (w >> 56 == 0xa5)
		snprintf(buf, n, "page %lu gen %u writer %u word %u",
			 (unsigned long)(w >> 32 & 0xffffff),
			 (unsigned int)(w >> 24 & 0xff),
			 (unsigned int)(w >> 16 & 0xff),
			 (unsigned int)(w & 0xffff));
	else
		snprintf(buf, n, "%#018llx", (unsigned long long)w);
}

void uvm_check_pages(const void *map, const void *shadow, size_t npages,
		     const char *what, const char *file, int line)
{
	const char *m = map, *s = shadow;
	size_t i, off;
	uint64_t got, want;
	char gd[64], wd[64];

	for (i = 0; i < npages; i++) {
		if (memcmp(m + i * PGSZ, s + i * PGSZ, PGSZ) == 0)
			continue;
		for (off = 0; off < PGSZ; off += 8)
			if (memcmp(m + i * PGSZ + off, s + i * PGSZ + off, 8))
				break;
		memcpy(&got, m + i * PGSZ + off, 8);
		memcpy(&want, s + i * PGSZ + off, 8);
		uvm_pat_describe(got, gd, sizeof(gd));
		uvm_pat_describe(want, wd, sizeof(wd));
		uvmtest_fail(file, line, "%s: pid %d page %zu (%p) offset %zu: "
			     "found %s, want %s", what, getpid(), i,
			     (void *)(m + i * PGSZ), off, gd, wd);
	}
}

/*
 * probes: the handler runs with SA_NODEFER and an empty sa_mask, so the
 * signal mask is the same in and out of it, and the jump back need not
 * restore it (which would cost a system call per probe).
 */

const char *uvm_fault_context;
static sigjmp_buf probe_jb;
static volatile sig_atomic_t probing;

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (probing) {
		probing = 0;
		siglongjmp(probe_jb, sig);
	}
	uvmtest_fail(__FILE__, __LINE__, "%s%sunexpected %s at %p (pid %d)",
		     uvm_fault_context ? uvm_fault_context : "",
		     uvm_fault_context ? ": " : "", strsignal(sig),
		     si->si_addr, getpid());
}

void uvm_catch_faults(void)
{
	static int done;
	struct sigaction sa;

	if (done)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	done = 1;
}

int uvm_probe_read(const void *p, unsigned char *out)
{
	int sig;

	uvm_catch_faults();
	sig = sigsetjmp(probe_jb, 0);
	if (sig)
		return sig;
	probing = 1;
	*out = *(const volatile unsigned char *)p;
	probing = 0;
	return 0;
}

int uvm_probe_write(void *p, unsigned char v)
{
	int sig;

	uvm_catch_faults();
	sig = sigsetjmp(probe_jb, 0);
	if (sig)
		return sig;
	probing = 1;
	*(volatile unsigned char *)p = v;
	probing = 0;
	return 0;
}

/* processes */

int uvm_spawn(void (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return pid;
}

void uvm_wait_ok(int pid, const char *file, int line)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		uvmtest_fail(file, line, "waitpid %d: %s", pid, strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFSIGNALED(status))
		uvmtest_fail(file, line, "; child %d killed by signal %d (%s)",
			     pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
	uvmtest_fail(file, line, "; child %d exited with status %d", pid,
		     WEXITSTATUS(status));
}

void uvm_chan_init(struct uvm_chan *ch)
{
	CHECK_OK(pipe(ch->to_child));
	CHECK_OK(pipe(ch->to_parent));
}

void uvm_chan_child(struct uvm_chan *ch)
{
	close(ch->to_child[1]);
	close(ch->to_parent[0]);
	ch->to_child[1] = ch->to_parent[0] = -1;
}

void uvm_chan_parent(struct uvm_chan *ch)
{
	close(ch->to_child[0]);
	close(ch->to_parent[1]);
	ch->to_child[0] = ch->to_parent[1] = -1;
}

void uvm_chan_close(struct uvm_chan *ch)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (ch->to_child[i] >= 0)
			close(ch->to_child[i]);
		if (ch->to_parent[i] >= 0)
			close(ch->to_parent[i]);
		ch->to_child[i] = ch->to_parent[i] = -1;
	}
}

static void tell(int fd, char step)
{
	CHECK(write(fd, &step, 1) == 1, "pipe write: %s", strerror(errno));
}

static void await(int fd, char step, const char *who)
{
	char c;
	ssize_t n;

	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	CHECK(n == 1, "; pid %d: %s went away before step %c", getpid(), who,
	      step);
	CHECK(c == step, "pid %d: step %c from %s, want %c", getpid(), c, who,
	      step);
}

void uvm_tell_child(struct uvm_chan *ch, char step)
{
	tell(ch->to_child[1], step);
}

void uvm_tell_parent(struct uvm_chan *ch, char step)
{
	tell(ch->to_parent[1], step);
}

void uvm_await_child(struct uvm_chan *ch, char step)
{
	await(ch->to_parent[0], step, "child");
}

void uvm_await_parent(struct uvm_chan *ch, char step)
{
	await(ch->to_child[0], step, "parent");
}
