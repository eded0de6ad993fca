// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_dirtycowtest: the Dirty COW pattern (CVE-2016-5195) on /dev/uvm
 * memory. One thread writes a read-only private page through
 * /proc/self/mem (a forced write, which must land in a private copy)
 * while another thread drops the page with MADV_DONTNEED, over and over;
 * a child forked before holds the original page and checks, all along,
 * that its copy never changes. UVM_DIRTYCOW_ITERS sets the number of
 * iterations (default 100000).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"

static char *page;
static long iters;
static atomic_int stop;

static void *writer(void *arg)
{
	int fd = open("/proc/self/mem", O_RDWR);
	long i;

	(void)arg;
	if (fd < 0)
		return "open /proc/self/mem failed";
	for (i = 0; i < iters; i++)
		if (pwrite(fd, "dirty", 5, (off_t)(page + 64)) != 5)
			return "forced pwrite failed";
	close(fd);
	return NULL;
}

static void *dropper(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		if (madvise(page, PGSZ, MADV_DONTNEED))
			return "madvise failed";
	return NULL;
}

static void dirty_cow(void)
{
	char *orig = uvm_shadow(1), *env = getenv("UVM_DIRTYCOW_ITERS");
	void *werr, *derr;
	pthread_t w, d;
	struct uvm_ctrs b;
	int fds[2], pid, status;
	char c;

	iters = env ? atol(env) : 100000;
	uvm_ctrs_read(&b);
	page = uvm_map_ok(PGSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	uvm_put_page(page, orig, 0, 1, 1);
	CHECK_OK(mprotect(page, PGSZ, PROT_READ));
	CHECK_OK(pipe(fds));

	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		long checks = 0;

		close(fds[1]);
		fcntl(fds[0], F_SETFL, O_NONBLOCK);
		do {
			if (memcmp(page, orig, PGSZ))
				_exit(1);	/* the child's copy changed */
			checks++;
		} while (read(fds[0], &c, 1) != 1);
		_exit(checks ? 0 : 2);
	}
	close(fds[0]);

	CHECK(!pthread_create(&d, NULL, dropper, NULL), "pthread_create");
	CHECK(!pthread_create(&w, NULL, writer, NULL), "pthread_create");
	pthread_join(w, &werr);
	atomic_store(&stop, 1);
	pthread_join(d, &derr);
	CHECK(!werr, "%s: %s", (char *)werr, strerror(errno));
	CHECK(!derr, "%s: %s", (char *)derr, strerror(errno));

	CHECK(write(fds[1], "x", 1) == 1, "write: %s", strerror(errno));
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child's read-only copy %s (status %#x)",
	      WIFEXITED(status) && WEXITSTATUS(status) == 1 ?
	      "changed" : "was not checked", status);
	/* ours holds the last write, on zeroes or on the original */
	CHECK(!memcmp(page + 64, "dirty", 5) || !page[64],
	      "parent's page holds neither the write nor zeroes");
	close(fds[1]);
	CHECK_OK(munmap(page, PGSZ));
	CHECK_BASELINE(&b);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(dirty_cow, 500),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_dirtycowtest", cases, argc, argv);
}
