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
 */
#include <errno.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
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

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(fork_io_uring_signal, 90),
	{ NULL, NULL, 0 }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_forkracetest", cases, argc, argv);
}
