// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_forkracetest: fork of a process with /dev/uvm memory while something
 * else happens to it.
 *
 * fork_io_uring_signal: an io_uring timeout armed just before fork()
 * completes during the fork; io_uring then queues task work on the forking
 * task and sets TIF_NOTIFY_SIGNAL. The child's first /dev/uvm mapping
 * registers the module's MMU notifier from inside fork, and that
 * registration (mm_take_all_locks) gives up on any pending signal,
 * TIF_NOTIFY_SIGNAL included. Retrying without clearing it spins forever
 * with both mmap_locks held for writing; the fork must complete.
 *
 * fork_dio_pinned: an O_DIRECT read (Linux AIO) from a slow device (dm-delay
 * over UVM_DIRECTIO_DEV) into private /dev/uvm memory is in flight across
 * fork, and the parent writes to the buffer meanwhile. The page is pinned
 * for the DMA, so fork gives the child a copy (as native fork does) and
 * the read lands in the parent's page; shared copy-on-write instead, the
 * parent's write would copy it and the data would land in the child's.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/dm-ioctl.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"

#define RW	(PROT_READ | PROT_WRITE)

struct ring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail;
	struct io_uring_sqe *sqes;
};

static int ring_init(struct ring *r)
{
	struct io_uring_params p;
	void *sq, *cq;

	memset(&p, 0, sizeof(p));
	r->fd = syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -1;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  RW, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes +
		  p.cq_entries * sizeof(struct io_uring_cqe),
		  RW, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), RW,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	CHECK(sq != MAP_FAILED && cq != MAP_FAILED && r->sqes != MAP_FAILED,
	      "mmap io_uring rings: %s", strerror(errno));
	r->sq_tail = (unsigned int *)((char *)sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)((char *)sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)((char *)sq + p.sq_off.array);
	r->cq_head = (unsigned int *)((char *)cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)((char *)cq + p.cq_off.tail);
	return 0;
}

/* arm a timeout of @ns nanoseconds */
static void ring_timeout(struct ring *r, struct __kernel_timespec *ts,
			 long ns)
{
	unsigned int tail = *r->sq_tail, i = tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[i];

	ts->tv_sec = 0;
	ts->tv_nsec = ns;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_TIMEOUT;
	sqe->addr = (uintptr_t)ts;
	sqe->len = 1;
	r->sq_array[i] = i;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	CHECK(syscall(__NR_io_uring_enter, r->fd, 1, 0, 0, NULL, 0) == 1,
	      "io_uring_enter: %s", strerror(errno));
}

/* reap every completion so far */
static unsigned int ring_reap(struct ring *r)
{
	unsigned int head = *r->cq_head, tail, n;

	tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);
	n = tail - head;
	__atomic_store_n(r->cq_head, tail, __ATOMIC_RELEASE);
	return n;
}

#define SMALL_VMAS	4000
#define ROUNDS		40

static void fork_io_uring_signal(void)
{
	struct __kernel_timespec ts;
	struct ring r;
	char *small, *p;
	unsigned int i, delay;
	int pid, status;

	if (ring_init(&r))
		uvmtest_skip("io_uring_setup: %s", strerror(errno));
	/*
	 * Many VMAs for fork to copy, so that it takes a while: alternate
	 * protections keep them from merging. The /dev/uvm mapping lies
	 * above them (fork copies in address order).
	 */
	small = mmap(NULL, (SMALL_VMAS + 16) * PGSZ, RW,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(small != MAP_FAILED, "mmap: %s", strerror(errno));
	for (i = 0; i < SMALL_VMAS; i += 2)
		CHECK_OK(mprotect(small + i * PGSZ, PGSZ, PROT_READ));
	p = uvm_map_at(small + SMALL_VMAS * PGSZ, 16 * PGSZ, RW,
		       MAP_PRIVATE | MAP_FIXED);
	CHECK(p != MAP_FAILED, "mmap /dev/uvm above: %s", strerror(errno));
	memset(p, 0x5a, 16 * PGSZ);

	/* timeouts from 20 us to 2 ms: one of them fires inside fork */
	for (i = 0, delay = 20000; i < ROUNDS; i++) {
		ring_timeout(&r, &ts, delay);
		pid = fork();
		CHECK(pid >= 0, "fork: %s", strerror(errno));
		if (pid == 0)
			_exit(p[0] == 0x5a && p[16 * PGSZ - 1] == 0x5a ? 0 : 1);
		CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s",
		      strerror(errno));
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child status %#x", status);
		/* let the timeout complete before the next round */
		while (!ring_reap(&r))
			usleep(100);
		delay = delay * 5 / 4 > 2000000 ? 20000 : delay * 5 / 4;
	}
	CHECK_OK(munmap(small, (SMALL_VMAS + 16) * PGSZ));
	close(r.fd);
}

/*
 * Linux AIO: io_submit() of an O_DIRECT read pins the buffer and queues
 * the bio before it returns (io_uring may hand a read the device cannot
 * do without blocking to a worker, which would pin only after the fork)
 */
static aio_context_t aio_read_start(int fd, void *buf, size_t len)
{
	struct iocb cb, *cbs[1] = { &cb };
	aio_context_t ctx = 0;

	if (syscall(__NR_io_setup, 1, &ctx))
		uvmtest_skip("io_setup: %s", strerror(errno));
	memset(&cb, 0, sizeof(cb));
	cb.aio_fildes = fd;
	cb.aio_lio_opcode = IOCB_CMD_PREAD;
	cb.aio_buf = (uintptr_t)buf;
	cb.aio_nbytes = len;
	CHECK(syscall(__NR_io_submit, ctx, 1, cbs) == 1, "io_submit: %s",
	      strerror(errno));
	return ctx;
}

static long aio_read_wait(aio_context_t ctx)
{
	struct io_event ev;

	CHECK(syscall(__NR_io_getevents, ctx, 1, 1, &ev, NULL) == 1,
	      "io_getevents: %s", strerror(errno));
	syscall(__NR_io_destroy, ctx);
	return ev.res;
}

#define DELAY_NAME	"uvmdelay"
#define DELAY_MS	400

/* a dm ioctl of @size bytes in all (the header and its payload) */
static int dm_call(int ctl, unsigned long cmd, struct dm_ioctl *io,
		   size_t size)
{
	io->version[0] = DM_VERSION_MAJOR;
	io->version[1] = 0;
	io->version[2] = 0;
	io->data_size = size;
	io->data_start = sizeof(*io);
	snprintf(io->name, sizeof(io->name), "%s", DELAY_NAME);
	return ioctl(ctl, cmd, io);
}

/*
 * /dev/dm-N: a dm-delay device over @under delaying every I/O by
 * DELAY_MS, made through the device-mapper ioctls (no dmsetup in the
 * guests); its path in @path
 */
static int delay_dev(const char *under, char *path, size_t n)
{
	char buf[sizeof(struct dm_ioctl) + sizeof(struct dm_target_spec) +
		 256] __attribute__((aligned(8)));
	struct dm_ioctl *io = (struct dm_ioctl *)buf;
	struct dm_target_spec *t = (struct dm_target_spec *)(io + 1);
	unsigned long long sectors;
	int ctl, fd;

	fd = open(under, O_RDONLY);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &sectors))
		return -1;
	close(fd);
	sectors /= 512;
	ctl = open("/dev/mapper/control", O_RDWR);
	if (ctl < 0)
		return -1;
	memset(buf, 0, sizeof(buf));
	dm_call(ctl, DM_DEV_REMOVE, io, sizeof(*io));	/* a leftover */
	memset(buf, 0, sizeof(buf));
	if (dm_call(ctl, DM_DEV_CREATE, io, sizeof(*io)))
		goto fail;
	snprintf(path, n, "/dev/dm-%u", minor(io->dev));
	memset(buf, 0, sizeof(buf));
	io->target_count = 1;
	t->sector_start = 0;
	t->length = sectors;
	snprintf(t->target_type, sizeof(t->target_type), "delay");
	snprintf((char *)(t + 1), 256, "%s 0 %d", under, DELAY_MS);
	t->next = 0;
	if (dm_call(ctl, DM_TABLE_LOAD, io, sizeof(buf)))
		goto fail;
	memset(buf, 0, sizeof(buf));
	if (dm_call(ctl, DM_DEV_SUSPEND, io, sizeof(*io)))	/* resume */
		goto fail;
	close(ctl);
	return 0;
fail:
	fprintf(stderr, "dm ioctl: %s\n", strerror(errno));
	close(ctl);
	return -1;
}

static void delay_dev_remove(void)
{
	struct dm_ioctl io;
	int ctl = open("/dev/mapper/control", O_RDWR);

	if (ctl < 0)
		return;
	memset(&io, 0, sizeof(io));
	dm_call(ctl, DM_DEV_REMOVE, &io, sizeof(io));
	close(ctl);
}

static void fork_dio_pinned(void)
{
	const char *under = getenv("UVM_DIRECTIO_DEV");
	unsigned char *buf, *pat;
	aio_context_t ctx;
	char path[64];
	struct utsname u;
	size_t i;
	long res;
	int fd, pid, status;

	if (!under || !*under)
		uvmtest_skip("no block device (UVM_DIRECTIO_DEV)");
	/* 6.1's direct I/O takes plain references, not pins (FOLL_GET) */
	CHECK_OK(uname(&u));
	if (!strncmp(u.release, "6.1.", 4))
		uvmtest_skip("6.1 direct I/O does not pin pages: native fork races it too");
	/* the data on the device, written directly */
	pat = aligned_alloc(4096, PGSZ);
	CHECK(pat, "aligned_alloc");
	for (i = 0; i < PGSZ; i++)
		pat[i] = (unsigned char)(i * 7 + 3);
	fd = open(under, O_RDWR | O_DIRECT);
	CHECK(fd >= 0, "%s: %s", under, strerror(errno));
	CHECK(pwrite(fd, pat, PGSZ, 0) == (ssize_t)PGSZ, "pwrite: %s",
	      strerror(errno));
	close(fd);
	if (delay_dev(under, path, sizeof(path)))
		uvmtest_skip("no dm-delay device (dm-mod, dm-delay)");
	fd = open(path, O_RDONLY | O_DIRECT);
	CHECK(fd >= 0, "%s: %s", path, strerror(errno));

	buf = uvm_map_ok(PGSZ, RW, MAP_PRIVATE);
	memset(buf, 0xaa, PGSZ);
	ctx = aio_read_start(fd, buf, PGSZ);	/* in flight for DELAY_MS */
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* the child's copy is what the buffer held at fork */
		usleep(3 * DELAY_MS * 1000);
		for (i = 0; i < PGSZ; i++)
			if (buf[i] != 0xaa)
				_exit(1);
		_exit(0);
	}
	buf[100] = 0x55;	/* the parent writes while the read runs */
	res = aio_read_wait(ctx);
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	close(fd);
	delay_dev_remove();
	CHECK(res == (long)PGSZ, "read: %ld", res);
	CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
	      "the child's copy changed (status %#x): the read landed in it",
	      status);
	CHECK(!memcmp(buf, pat, PGSZ),
	      "the parent's buffer lacks the data read (byte 0: %#x, 100: %#x)",
	      buf[0], buf[100]);
	CHECK_OK(munmap(buf, PGSZ));
	free(pat);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(fork_io_uring_signal, 90),
	UVMTEST_CASE_T(fork_dio_pinned, 60),
	{ NULL, NULL, 0 }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_forkracetest", cases, argc, argv);
}
