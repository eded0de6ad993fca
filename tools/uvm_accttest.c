// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_accttest: /dev/uvm memory is accounted like anonymous memory: it
 * shows in the process's RSS, it is charged to the process's memory
 * cgroup (cgroup v2 memory.current), memory.max holds against it (the
 * cgroup's OOM killer ends a process that touches more), and everything is
 * freed after the kill.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"

#define RW	(PROT_READ | PROT_WRITE)
#define MB	(1024UL * 1024)
#define CG	"/sys/fs/cgroup/uvmtest"

static void touch(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += PGSZ)
		p[i] = 1;
}

/* VmRSS grows by what was touched */
static void rss_counts(void)
{
	size_t len = 16 * MB;
	long before = uvm_status_kb("VmRSS"), after;
	char *p = uvm_map_ok(len, RW, MAP_PRIVATE);

	touch(p, len);
	after = uvm_status_kb("VmRSS");
	CHECK(after - before >= (long)(len / 1024) * 9 / 10,
	      "VmRSS grew by %ld kB for %zu kB touched", after - before,
	      len / 1024);
	CHECK_OK(munmap(p, len));
}

/* a cgroup with memory.max = @max MiB, or skip the case */
static void cgroup_setup(unsigned long max)
{
	uvm_cgroup_make(CG, max * MB);
}

/* run @fn in a child inside the cgroup; return its wait status */
static int in_cgroup(void (*fn)(size_t), size_t len)
{
	int pid = fork(), status;

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (uvm_cgroup_enter(CG))
			_exit(3);
		fn(len);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	return status;
}

static void charged_child(size_t len)
{
	char *p = uvm_map_ok(len, RW, MAP_PRIVATE);

	touch(p, len);
	/* memory.current includes what this process touched */
	if (uvm_read_field(CG "/memory.current", NULL) < (long)len)
		_exit(4);
}

/* the cgroup is charged for the memory its process touched */
static void memcg_charged(void)
{
	int status;

	cgroup_setup(64);
	status = in_cgroup(charged_child, 16 * MB);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child: status %#x (4: memory.current below what it touched)",
	      status);
	CHECK(!rmdir(CG), "rmdir: %s", strerror(errno));
}

static void greedy_child(size_t len)
{
	touch(uvm_map_ok(len, RW, MAP_PRIVATE), len);
}

/* touching more than memory.max gets the process OOM-killed */
static void memcg_max_holds(void)
{
	struct uvm_ctrs b;
	int status;

	uvm_ctrs_read(&b);
	cgroup_setup(32);
	status = in_cgroup(greedy_child, 128 * MB);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "child was not OOM-killed: status %#x", status);
	CHECK(uvm_read_field(CG "/memory.events", "oom_kill") >= 1,
	      "memory.events shows no oom_kill");
	CHECK(!rmdir(CG), "rmdir: %s", strerror(errno));
	CHECK_BASELINE(&b);
}

static void hold_and_wait(size_t len, int ready_fd)
{
	char *p = uvm_map_ok(len, RW, MAP_PRIVATE);

	touch(p, len);
	if (write(ready_fd, "r", 1) != 1)
		_exit(5);
	pause();
	_exit(0);
}

/*
 * Out of memory, the kernel's OOM killer picks the process holding the
 * most memory, /dev/uvm memory included: a process holding 60% of the
 * available memory through /dev/uvm is killed when another allocates 50%
 * natively. (The allocator may be killed too: the OOM reaper frees only
 * private anonymous VMAs, so the victim's /dev/uvm memory, like shmem,
 * comes back when its exit finishes, which under emulation can be after
 * the reaper has given up on it.)
 */
static void oom_picks_uvm_holder(void)
{
	long avail = uvm_meminfo_kb("MemAvailable");
	size_t big = (size_t)avail * 1024 / 10 * 6, small = (size_t)avail * 1024 / 2;
	int fds[2], holder, grower, status, i;
	struct uvm_ctrs b;
	char c;

	if (uvm_native())
		uvmtest_skip("would run the host out of memory");
	if (getenv("UVM_SANITIZERS") && !strcmp(getenv("UVM_SANITIZERS"), "1"))
		uvmtest_skip("GiBs through KASAN under emulation stall RCU: stock lanes only");
	CHECK(avail > 0, "no MemAvailable");
	uvm_ctrs_read(&b);
	CHECK_OK(pipe(fds));
	holder = fork();
	CHECK(holder >= 0, "fork: %s", strerror(errno));
	if (holder == 0)
		hold_and_wait(big, fds[1]);
	CHECK(read(fds[0], &c, 1) == 1, "holder did not get its memory");
	grower = fork();
	CHECK(grower >= 0, "fork: %s", strerror(errno));
	if (grower == 0) {
		char *q = mmap(NULL, small, RW, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (q == MAP_FAILED)
			_exit(6);
		touch(q, small);
		_exit(0);
	}
	CHECK(waitpid(grower, &status, 0) == grower, "waitpid");
	CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
	      (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL),
	      "the native allocator failed: status %#x", status);
	/* the victim may still be exiting: give it time, then give up */
	for (i = 0; i < 300 && waitpid(holder, &status, WNOHANG) == 0; i++)
		usleep(100000);
	if (i == 300) {
		kill(holder, SIGTERM);
		waitpid(holder, &status, 0);
	}
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "the /dev/uvm holder was not the OOM killer's victim (status %#x)",
	      status);
	close(fds[0]);
	close(fds[1]);
	CHECK_BASELINE(&b);
}

#define CG_OWNER	"/sys/fs/cgroup/uvmowner"
#define CG_WRITER	"/sys/fs/cgroup/uvmwriter"
#define REMOTE_LEN	(16 * MB)

/*
 * Pages a process_vm_writev() from another cgroup faults in are charged
 * to the cgroup of the process whose memory they are, as natively, not to
 * the writer's.
 */
static void remote_write_charges_owner(void)
{
	struct uvm_chan ch;
	struct iovec local, remote;
	long owner0, writer0, owner1, writer1;
	char *buf, *p;
	int pid;

	uvm_cgroup_make(CG_OWNER, 0);
	uvm_cgroup_make(CG_WRITER, 0);
	p = uvm_map_ok(REMOTE_LEN, RW, MAP_PRIVATE);
	buf = malloc(REMOTE_LEN);
	CHECK(buf, "malloc");
	memset(buf, 0x77, REMOTE_LEN);
	uvm_chan_init(&ch);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* the owner: its copy of p is untouched until written */
		uvm_chan_child(&ch);
		if (uvm_cgroup_enter(CG_OWNER))
			_exit(3);
		uvm_tell_parent(&ch, 'r');
		uvm_await_parent(&ch, 'w');
		_exit(p[0] == 0x77 && p[REMOTE_LEN - 1] == 0x77 ? 0 : 4);
	}
	uvm_chan_parent(&ch);
	CHECK(!uvm_cgroup_enter(CG_WRITER), "enter %s: %s", CG_WRITER,
	      strerror(errno));
	uvm_await_child(&ch, 'r');
	owner0 = uvm_cgroup_current(CG_OWNER);
	writer0 = uvm_cgroup_current(CG_WRITER);
	local.iov_base = buf;
	local.iov_len = REMOTE_LEN;
	remote.iov_base = p;
	remote.iov_len = REMOTE_LEN;
	CHECK(process_vm_writev(pid, &local, 1, &remote, 1, 0) ==
	      (ssize_t)REMOTE_LEN, "process_vm_writev: %s", strerror(errno));
	owner1 = uvm_cgroup_current(CG_OWNER);
	writer1 = uvm_cgroup_current(CG_WRITER);
	uvm_tell_child(&ch, 'w');
	WAIT_OK(pid);
	uvm_chan_close(&ch);
	CHECK(uvm_cgroup_enter("/sys/fs/cgroup") == 0, "leave the cgroup");
	rmdir(CG_OWNER);
	rmdir(CG_WRITER);
	CHECK(owner1 - owner0 >= (long)REMOTE_LEN * 9 / 10,
	      "owner's cgroup grew by %ld kB for %lu kB written into it",
	      (owner1 - owner0) / 1024, REMOTE_LEN / 1024);
	CHECK(writer1 - writer0 < (long)REMOTE_LEN / 4,
	      "writer's cgroup grew by %ld kB: charged for the owner's pages",
	      (writer1 - writer0) / 1024);
	CHECK_OK(munmap(p, REMOTE_LEN));
	free(buf);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(oom_picks_uvm_holder, 240),
	UVMTEST_CASE(rss_counts),
	UVMTEST_CASE_T(memcg_charged, 120),
	UVMTEST_CASE_T(memcg_max_holds, 180),
	UVMTEST_CASE_T(remote_write_charges_owner, 120),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_accttest", cases, argc, argv);
}
