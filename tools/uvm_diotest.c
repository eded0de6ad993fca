// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_diotest: O_DIRECT I/O with /dev/uvm memory as the buffer (the block
 * layer pins the pages with GUP): writes from it and reads into it move
 * the right data; a read into a private buffer shared with a forked child
 * lands only in the reader's copy; a read into a shared buffer is seen by
 * the child. Needs a block device in UVM_DIRECTIO_DEV (the guests set up a
 * loop device); skipped without one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"

#define RW	(PROT_READ | PROT_WRITE)
#define N	8

static int dev_open(void)
{
	const char *dev = getenv("UVM_DIRECTIO_DEV");
	int fd;

	if (!dev)
		uvmtest_skip("no block device (UVM_DIRECTIO_DEV)");
	fd = open(dev, O_RDWR | O_DIRECT);
	CHECK(fd >= 0, "open %s O_DIRECT: %s", dev, strerror(errno));
	return fd;
}

/* the device gets what the buffer held, and gives it back into another */
static void write_then_read(void)
{
	char *p, *q, *sh = uvm_shadow(N);
	int fd = dev_open();

	p = uvm_map_filled(N, MAP_PRIVATE, sh, 1);
	CHECK(pwrite(fd, p, N * PGSZ, 0) == (ssize_t)(N * PGSZ),
	      "O_DIRECT write: %s", strerror(errno));
	q = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	CHECK(pread(fd, q, N * PGSZ, 0) == (ssize_t)(N * PGSZ),
	      "O_DIRECT read: %s", strerror(errno));
	CHECK_PAGES(q, sh, N, "read back into a fresh buffer");
	CHECK_OK(munmap(p, N * PGSZ));
	CHECK_OK(munmap(q, N * PGSZ));
	close(fd);
}

struct fork_run {
	char *p;
	char *want;	/* what the child must see after the parent's read */
	struct uvm_chan ch;
};

static void child(void *arg)
{
	struct fork_run *r = arg;

	uvm_chan_child(&r->ch);
	uvm_await_parent(&r->ch, 'r');
	CHECK_PAGES(r->p, r->want, N, "child after the parent's O_DIRECT read");
	uvm_tell_parent(&r->ch, 'c');
	uvm_await_parent(&r->ch, 'x');
}

/*
 * A read into a buffer a forked child shares: private memory is copied
 * before the device writes into it, so only the reader sees the data;
 * shared memory is one object, so the child sees it too.
 */
static void read_into_after_fork(int kind)
{
	char *dsh = uvm_shadow(N), *sh = uvm_shadow(N), *src;
	struct fork_run r;
	int fd = dev_open(), pid;
	size_t i;

	/* the device holds generation 2 */
	src = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	for (i = 0; i < N; i++)
		uvm_put_page(src, dsh, i, 2, 1);
	CHECK(pwrite(fd, src, N * PGSZ, 0) == (ssize_t)(N * PGSZ),
	      "O_DIRECT write: %s", strerror(errno));

	r.p = uvm_map_filled(N, kind, sh, 1);
	/* private: the child keeps generation 1; shared: it sees the read */
	r.want = kind == MAP_SHARED ? dsh : sh;
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(child, &r);
	uvm_chan_parent(&r.ch);
	CHECK(pread(fd, r.p, N * PGSZ, 0) == (ssize_t)(N * PGSZ),
	      "O_DIRECT read: %s", strerror(errno));
	CHECK_PAGES(r.p, dsh, N, "parent after its O_DIRECT read");
	uvm_tell_child(&r.ch, 'r');
	uvm_await_child(&r.ch, 'c');
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_OK(munmap(r.p, N * PGSZ));
	CHECK_OK(munmap(src, N * PGSZ));
	close(fd);
}

static void read_into_private_after_fork(void)
{
	read_into_after_fork(MAP_PRIVATE);
}

static void read_into_shared_after_fork(void)
{
	read_into_after_fork(MAP_SHARED);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE(write_then_read),
	UVMTEST_CASE_T(read_into_private_after_fork, 120),
	UVMTEST_CASE_T(read_into_shared_after_fork, 120),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_diotest", cases, argc, argv);
}
