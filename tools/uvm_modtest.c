// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_modtest: load and unload uvm.ko again and again. Each cycle checks the
 * device node appears and goes, that an open file makes unloading fail, and
 * that each load logs its one version line. Run with uvm.ko not loaded:
 *
 *   uvm_modtest /path/to/uvm.ko [case-glob]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmtest.h"

#define CYCLES	20

static const char *ko_path;

static void load(void)
{
	int fd = open(ko_path, O_RDONLY | O_CLOEXEC);

	CHECK(fd >= 0, "open %s: %s", ko_path, strerror(errno));
	CHECK_OK(syscall(SYS_finit_module, fd, "", 0));
	close(fd);
}

/* Count the kernel log records containing @needle written since @fd opened. */
static int count_kmsg(int fd, const char *needle)
{
	char rec[2048];
	int n, count = 0;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten record: go on */
			continue;
		if (n <= 0)
			break;
		rec[n] = 0;
		if (strstr(rec, needle))
			count++;
	}
	return count;
}

static void load_unload_cycles(void)
{
	char line[64];
	int kmsg, i, fd, loads;

	CHECK(!uvmtest_path_exists("/sys/module/uvm"),
	      "uvm.ko is already loaded");
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	CHECK(kmsg >= 0, "/dev/kmsg: %s", strerror(errno));
	lseek(kmsg, 0, SEEK_END);

	for (i = 0; i < CYCLES; i++) {
		load();
		CHECK(uvmtest_path_exists("/dev/uvm"), "cycle %d: no node", i);
		fd = open("/dev/uvm", O_RDWR);
		CHECK(fd >= 0, "cycle %d: open: %s", i, strerror(errno));
		CHECK_ERR(syscall(SYS_delete_module, "uvm", O_NONBLOCK),
			  EWOULDBLOCK);
		close(fd);
		CHECK_OK(syscall(SYS_delete_module, "uvm", O_NONBLOCK));
		CHECK(!uvmtest_path_exists("/sys/module/uvm"),
		      "cycle %d: still loaded", i);
		CHECK(!uvmtest_path_exists("/dev/uvm"),
		      "cycle %d: node left behind", i);
	}

	snprintf(line, sizeof(line), "uvmmod %s loaded", UVM_VERSION);
	loads = count_kmsg(kmsg, line);
	CHECK(loads == CYCLES, "'%s' logged %d times for %d loads",
	      line, loads, CYCLES);
	close(kmsg);
}

#define RACE_CYCLES	100

/*
 * rmmod racing the last munmap and close of a mapping: the child maps,
 * touches and unmaps while the parent retries delete_module until it
 * works. Unloading must wait for every file of the module's
 * pseudo-filesystem, to its last mntput, and never free code or data the
 * dying file still uses.
 */
static void rmmod_races_last_unmap(void)
{
	int i, pid, status, fd, tries;
	char *p;

	CHECK(!uvmtest_path_exists("/sys/module/uvm"),
	      "uvm.ko is already loaded");
	for (i = 0; i < RACE_CYCLES; i++) {
		load();
		fd = open("/dev/uvm", O_RDWR);
		CHECK(fd >= 0, "cycle %d: open: %s", i, strerror(errno));
		p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			 fd, 0);
		CHECK(p != MAP_FAILED, "cycle %d: mmap: %s", i,
		      strerror(errno));
		pid = fork();
		CHECK(pid >= 0, "fork: %s", strerror(errno));
		if (pid == 0) {
			/* the child's copy: touch, close, unmap, exit */
			p[0] = 1;
			close(fd);
			munmap(p, 4 * 4096);
			_exit(0);
		}
		close(fd);
		munmap(p, 4 * 4096);
		for (tries = 0;
		     syscall(SYS_delete_module, "uvm", O_NONBLOCK) != 0;
		     tries++)
			CHECK(errno == EWOULDBLOCK || errno == EAGAIN,
			      "cycle %d: delete_module: %s", i,
			      strerror(errno));
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      !WEXITSTATUS(status), "cycle %d: child status %#x", i,
		      status);
		CHECK(!uvmtest_path_exists("/sys/module/uvm"),
		      "cycle %d: still loaded", i);
	}
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(load_unload_cycles, 300),
	UVMTEST_CASE_T(rmmod_races_last_unmap, 300),
	{ NULL }
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s uvm.ko [case-glob]\n", argv[0]);
		return 2;
	}
	ko_path = argv[1];
	return uvmtest_main("uvm_modtest", cases, argc - 1, argv + 1);
}
