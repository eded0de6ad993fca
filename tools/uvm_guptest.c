// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_guptest: kernel paths that reach /dev/uvm memory through GUP or
 * vm_ops->access: /proc/PID/mem reads and writes (including the forced
 * write to a read-only private page, which must land only in a private
 * copy), ptrace PEEKDATA/POKEDATA, process_vm_readv/writev, and vmsplice
 * before fork (the pipe must never see the child's writes, as in the
 * kernel's cow.c selftest), and gdb attaching to print and set the memory.
 * Data is checked against shadow copies.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"

#define RW	(PROT_READ | PROT_WRITE)
#define N	8

static int proc_mem(int flags)
{
	int fd = open("/proc/self/mem", flags);

	CHECK(fd >= 0, "/proc/self/mem: %s", strerror(errno));
	return fd;
}

/* read and write a writable mapping through /proc/self/mem */
static void proc_mem_read_write(void)
{
	char *p, *sh = uvm_shadow(N), buf[300];
	int fd = proc_mem(O_RDWR);

	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	CHECK(pread(fd, buf, sizeof(buf), (off_t)(p + PGSZ - 100)) ==
	      sizeof(buf), "pread: %s", strerror(errno));
	CHECK(!memcmp(buf, sh + PGSZ - 100, sizeof(buf)), "read wrong data");
	memset(buf, 0x5c, sizeof(buf));
	CHECK(pwrite(fd, buf, sizeof(buf), (off_t)(p + 3 * PGSZ - 50)) ==
	      sizeof(buf), "pwrite: %s", strerror(errno));
	memcpy(sh + 3 * PGSZ - 50, buf, sizeof(buf));
	CHECK_PAGES(p, sh, N, "after the /proc/self/mem write");
	close(fd);
	CHECK_OK(munmap(p, N * PGSZ));
}

struct ro_run {
	char *p, *sh;
	struct uvm_chan ch;
};

static void ro_child(void *arg)
{
	struct ro_run *r = arg;

	uvm_chan_child(&r->ch);
	uvm_await_parent(&r->ch, 'w');
	CHECK_PAGES(r->p, r->sh, N, "child after the parent's forced write");
	uvm_tell_parent(&r->ch, 'c');
	uvm_await_parent(&r->ch, 'x');
}

/*
 * The forced write to a read-only private page (what a debugger's
 * breakpoint does) lands in the writer's own copy: the mapping shows it,
 * a forked child keeps the old data, the page stays read-only.
 */
static void proc_mem_forced_write_ro_private(void)
{
	char *psh = uvm_shadow(N), buf[64];
	struct uvm_ctrs c0, c1;
	struct ro_run r;
	unsigned char c;
	int fd, pid;

	r.sh = uvm_shadow(N);
	r.p = uvm_map_filled(N, MAP_PRIVATE, r.sh, 1);
	memcpy(psh, r.sh, N * PGSZ);
	CHECK_OK(mprotect(r.p, N * PGSZ, PROT_READ));
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(ro_child, &r);
	uvm_chan_parent(&r.ch);

	uvm_ctrs_read(&c0);
	fd = proc_mem(O_RDWR);
	memset(buf, 0xcc, sizeof(buf));
	CHECK(pwrite(fd, buf, sizeof(buf), (off_t)(r.p + 5 * PGSZ + 8)) ==
	      sizeof(buf), "forced pwrite: %s", strerror(errno));
	close(fd);
	memcpy(psh + 5 * PGSZ + 8, buf, sizeof(buf));
	CHECK_PAGES(r.p, psh, N, "parent after its forced write");
	CHECK(uvm_probe_write(r.p + 5 * PGSZ, 1) == SIGSEGV,
	      "the page became writable");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_COW_COPIES, ==, 1);

	uvm_tell_child(&r.ch, 'w');
	uvm_await_child(&r.ch, 'c');
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	(void)c;
	CHECK_OK(munmap(r.p, N * PGSZ));
}

/* a forced write to read-only shared memory fails (EIO), as for shmem */
static void proc_mem_forced_write_ro_shared(void)
{
	char *p, *sh = uvm_shadow(N), buf[16] = "x";
	int fd = proc_mem(O_RDWR);

	p = uvm_map_filled(N, MAP_SHARED, sh, 1);
	CHECK_OK(mprotect(p, N * PGSZ, PROT_READ));
	CHECK_ERR(pwrite(fd, buf, sizeof(buf), (off_t)(p + PGSZ)), EIO);
	CHECK_PAGES(p, sh, N, "after the refused write");
	close(fd);
	CHECK_OK(munmap(p, N * PGSZ));
}

/* ptrace reads and pokes a stopped child's memory, read-only pages too */
static void ptrace_peek_poke(void)
{
	char *p, *sh = uvm_shadow(N);
	long want, got;
	int pid, status;

	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	CHECK_OK(mprotect(p + 2 * PGSZ, PGSZ, PROT_READ));
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		/* the parent poked word 0 of pages 1 and 2 */
		_exit(*(long *)(p + PGSZ) == 0x1111 &&
		      *(long *)(p + 2 * PGSZ) == 0x2222 ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFSTOPPED(status),
	      "child did not stop");
	errno = 0;
	got = ptrace(PTRACE_PEEKDATA, pid, p + 4 * PGSZ + 16, NULL);
	memcpy(&want, sh + 4 * PGSZ + 16, sizeof(want));
	CHECK(!errno && got == want, "PEEKDATA %lx, want %lx (%s)", got, want,
	      strerror(errno));
	CHECK_OK(ptrace(PTRACE_POKEDATA, pid, p + PGSZ, (void *)0x1111));
	CHECK_OK(ptrace(PTRACE_POKEDATA, pid, p + 2 * PGSZ, (void *)0x2222));
	CHECK_OK(ptrace(PTRACE_CONT, pid, NULL, NULL));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "child did not see the pokes");
	/* the pokes went to the child's copies only */
	CHECK_PAGES(p, sh, N, "parent after poking its child");
	CHECK_OK(munmap(p, N * PGSZ));
}

/* process_vm_readv/writev on /dev/uvm memory */
static void process_vm_rw(void)
{
	char *p, *sh = uvm_shadow(N), buf[2 * 4096];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote;

	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	remote.iov_base = p + PGSZ / 2;
	remote.iov_len = sizeof(buf);
	CHECK(process_vm_readv(getpid(), &local, 1, &remote, 1, 0) ==
	      (ssize_t)sizeof(buf), "readv: %s", strerror(errno));
	CHECK(!memcmp(buf, sh + PGSZ / 2, sizeof(buf)), "readv: wrong data");
	memset(buf, 0x77, sizeof(buf));
	CHECK(process_vm_writev(getpid(), &local, 1, &remote, 1, 0) ==
	      (ssize_t)sizeof(buf), "writev: %s", strerror(errno));
	memcpy(sh + PGSZ / 2, buf, sizeof(buf));
	CHECK_PAGES(p, sh, N, "after process_vm_writev");
	CHECK_OK(munmap(p, N * PGSZ));
}

static void vmsplice_child(void *arg)
{
	char *p = arg;

	memset(p, 0xee, N * PGSZ);
}

/*
 * vmsplice the pages into a pipe, fork, let the child write every page:
 * the pipe holds the data as it was (cow.c's vmsplice-before-fork case).
 */
static void vmsplice_before_fork(void)
{
	char *p, *sh = uvm_shadow(N), *buf = uvm_shadow(N);
	struct iovec iov;
	size_t got = 0;
	int fds[2];
	ssize_t n;

	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	CHECK_OK(pipe(fds));
	CHECK(fcntl(fds[1], F_SETPIPE_SZ, N * PGSZ) >= (int)(N * PGSZ),
	      "pipe size: %s", strerror(errno));
	iov.iov_base = p;
	iov.iov_len = N * PGSZ;
	CHECK(vmsplice(fds[1], &iov, 1, 0) == (ssize_t)(N * PGSZ),
	      "vmsplice: %s", strerror(errno));
	WAIT_OK(uvm_spawn(vmsplice_child, p));
	while (got < N * PGSZ) {
		n = read(fds[0], buf + got, N * PGSZ - got);
		CHECK(n > 0, "read: %s", n ? strerror(errno) : "EOF");
		got += n;
	}
	CHECK(!memcmp(buf, sh, N * PGSZ), "the pipe saw the child's writes");
	CHECK_PAGES(p, sh, N, "parent after the child wrote");
	close(fds[0]);
	close(fds[1]);
	CHECK_OK(munmap(p, N * PGSZ));
}

/*
 * gdb: the gdb to run: $UVM_GDB (the guests set it; it must be there), else
 * gdb on the PATH; the case is skipped where neither exists.
 */
static const char *gdb_path(void)
{
	const char *g = getenv("UVM_GDB");

	if (g && *g) {
		CHECK(access(g, X_OK) == 0, "UVM_GDB=%s: %s", g, strerror(errno));
		return g;
	}
	if (access("/usr/bin/gdb", X_OK) == 0)
		return "/usr/bin/gdb";
	uvmtest_skip("no gdb (set UVM_GDB)");
}

#define GDB_OUT	8192

/* run gdb -batch on this process with @cmds (-ex each); its output */
static char *gdb_batch(const char *const *cmds, int n)
{
	static char out[GDB_OUT];
	const char *argv[32];
	char pidbuf[16];
	size_t len = 0;
	int fds[2], pid, st, i, a = 0;
	ssize_t r;

	CHECK(n <= 12, "too many gdb commands");
	snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
	argv[a++] = "gdb";
	argv[a++] = "-nx";
	argv[a++] = "-batch";
	argv[a++] = "-p";
	argv[a++] = pidbuf;
	for (i = 0; i < n; i++) {
		argv[a++] = "-ex";
		argv[a++] = cmds[i];
	}
	argv[a] = NULL;
	/* Yama (ptrace_scope 1) lets only a parent attach, unless told */
	if (prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0))
		CHECK(errno == EINVAL, "PR_SET_PTRACER: %s", strerror(errno));
	CHECK_OK(pipe(fds));
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		execv(gdb_path(), (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	while ((r = read(fds[0], out + len, GDB_OUT - 1 - len)) > 0 ||
	       (r < 0 && errno == EINTR))
		if (r > 0)
			len += r;
	out[len] = 0;
	close(fds[0]);
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "gdb failed (status %#x):\n%s", st, out);
	return out;
}

/* the value gdb's "x/1gx ADDR" printed for @addr */
static uint64_t gdb_word(const char *out, const void *addr)
{
	char key[32];
	const char *at;

	snprintf(key, sizeof(key), "%#lx:", (unsigned long)addr);
	at = strstr(out, key);
	CHECK(at, "gdb printed nothing for %s:\n%s", key, out);
	return strtoull(at + strlen(key), NULL, 16);
}

/*
 * gdb attaches to this process, prints private, shared and read-only
 * private /dev/uvm memory, and sets a word in the private and in the
 * read-only mapping (as a breakpoint insertion does): the values land in
 * this process's own copies, the read-only page stays read-only, and a
 * forked child keeps seeing its data.
 */
static void gdb_print_and_set(void)
{
	char *psh = uvm_shadow(N), *ssh = uvm_shadow(N), *qsh = uvm_shadow(N);
	char cmd[6][96];
	const char *cmds[6];
	uint64_t *pw, *sw, *qw;
	struct ro_run r;
	char *s, *q, *out;
	int pid, i;

	r.sh = uvm_shadow(N);
	r.p = uvm_map_filled(N, MAP_PRIVATE, r.sh, 1);
	s = uvm_map_filled(N, MAP_SHARED, ssh, 2);
	q = uvm_map_filled(N, MAP_PRIVATE, qsh, 3);
	memcpy(psh, r.sh, N * PGSZ);
	CHECK_OK(mprotect(q, N * PGSZ, PROT_READ));
	pw = (uint64_t *)(r.p + 3 * PGSZ + 16);
	sw = (uint64_t *)(s + 5 * PGSZ + 8);
	qw = (uint64_t *)(q + 6 * PGSZ);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(ro_child, &r);
	uvm_chan_parent(&r.ch);

	snprintf(cmd[0], sizeof(cmd[0]), "x/1gx %p", (void *)pw);
	snprintf(cmd[1], sizeof(cmd[1]), "x/1gx %p", (void *)sw);
	snprintf(cmd[2], sizeof(cmd[2]), "x/1gx %p", (void *)qw);
	snprintf(cmd[3], sizeof(cmd[3]),
		 "set var *(unsigned long *)%p = 0x1122334455667788",
		 (void *)pw);
	snprintf(cmd[4], sizeof(cmd[4]),
		 "set var *(unsigned long *)%p = 0x99aabbccddeeff00",
		 (void *)qw);
	snprintf(cmd[5], sizeof(cmd[5]), "x/1gx %p", (void *)qw);
	for (i = 0; i < 6; i++)
		cmds[i] = cmd[i];
	out = gdb_batch(cmds, 5);
	CHECK(gdb_word(out, pw) == *(uint64_t *)(psh + 3 * PGSZ + 16),
	      "gdb printed %#llx for the private word",
	      (unsigned long long)gdb_word(out, pw));
	CHECK(gdb_word(out, sw) == *(uint64_t *)(ssh + 5 * PGSZ + 8),
	      "gdb printed %#llx for the shared word",
	      (unsigned long long)gdb_word(out, sw));
	CHECK(gdb_word(out, qw) == *(uint64_t *)(qsh + 6 * PGSZ),
	      "gdb printed %#llx for the read-only word",
	      (unsigned long long)gdb_word(out, qw));

	*(uint64_t *)(psh + 3 * PGSZ + 16) = 0x1122334455667788ULL;
	*(uint64_t *)(qsh + 6 * PGSZ) = 0x99aabbccddeeff00ULL;
	CHECK_PAGES(r.p, psh, N, "private memory after gdb's set");
	CHECK_PAGES(s, ssh, N, "shared memory after gdb");
	CHECK_PAGES(q, qsh, N, "read-only memory after gdb's set");
	CHECK(uvm_probe_write(q + 6 * PGSZ, 1) == SIGSEGV,
	      "the read-only page became writable");
	/* a second gdb sees what the first one set */
	cmds[0] = cmd[5];
	out = gdb_batch(cmds, 1);
	CHECK(gdb_word(out, qw) == 0x99aabbccddeeff00ULL,
	      "second gdb printed %#llx", (unsigned long long)gdb_word(out, qw));

	uvm_tell_child(&r.ch, 'w');
	uvm_await_child(&r.ch, 'c');
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_OK(munmap(r.p, N * PGSZ));
	CHECK_OK(munmap(s, N * PGSZ));
	CHECK_OK(munmap(q, N * PGSZ));
}

static void all_freed(void)
{
	struct uvm_ctrs c;
	int i;

	uvm_ctrs_read(&c);
	for (i = UC_FIRST_GAUGE; i < UC_NR; i++)
		CHECK(uvm_native() || c.v[i] == 0, "%s is %ld at the end",
		      uvm_ctr_names[i], c.v[i]);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE(proc_mem_read_write),
	UVMTEST_CASE_T(proc_mem_forced_write_ro_private, 120),
	UVMTEST_CASE(proc_mem_forced_write_ro_shared),
	UVMTEST_CASE_T(ptrace_peek_poke, 120),
	UVMTEST_CASE(process_vm_rw),
	UVMTEST_CASE_T(vmsplice_before_fork, 120),
	UVMTEST_CASE_T(gdb_print_and_set, 180),
	UVMTEST_CASE(all_freed),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_guptest", cases, argc, argv);
}
