// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_swaptest: UVM's swap areas through UVM_IOC_SWAPCTL and uvmctl, on
 * loop devices the test makes: mkswap, swapon with a priority, the list,
 * setprio, swapoff, the gauges; what is refused and how (no signature, a
 * Linux swap signature, a bad signature, a device in use, a second swapon,
 * not a block device, not root, bad arguments); rmmod refused while an
 * area is on; mkswap refusing a device in use or holding a filesystem.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/dm-ioctl.h>
#include <linux/loop.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"
#include "uvm_uapi.h"

struct loopdev {
	char path[32];
	char file[64];
	int fd;
};

/* a loop device over a tmpfs file of @mb MiB, zeroed */
static void loop_make(struct loopdev *ld, unsigned int mb)
{
	int ctl, n, ffd;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		uvmtest_skip("no /dev/loop-control: %s", strerror(errno));
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	CHECK(n >= 0, "LOOP_CTL_GET_FREE: %s", strerror(errno));
	close(ctl);
	snprintf(ld->path, sizeof(ld->path), "/dev/loop%d", n);
	snprintf(ld->file, sizeof(ld->file), "/tmp/uvm-swaptest-%d", n);
	ffd = open(ld->file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(ffd >= 0, "%s: %s", ld->file, strerror(errno));
	CHECK_OK(ftruncate(ffd, (off_t)mb << 20));
	ld->fd = open(ld->path, O_RDWR | O_CLOEXEC);
	CHECK(ld->fd >= 0, "%s: %s", ld->path, strerror(errno));
	CHECK_OK(ioctl(ld->fd, LOOP_SET_FD, ffd));
	close(ffd);
	/* nothing of an earlier user of this loop device in its cache */
	CHECK_OK(ioctl(ld->fd, BLKFLSBUF, 0));
}

static void loop_free(struct loopdev *ld)
{
	ioctl(ld->fd, LOOP_CLR_FD, 0);
	close(ld->fd);
	unlink(ld->file);
}

static void loop_write(struct loopdev *ld, off_t off, const void *p,
		       size_t n)
{
	CHECK(pwrite(ld->fd, p, n, off) == (ssize_t)n, "pwrite %s: %s",
	      ld->path, strerror(errno));
	CHECK_OK(fsync(ld->fd));
}

static long swapctl(unsigned int cmd, const char *path, int prio, void *buf,
		    unsigned int count)
{
	struct uvm_swapctl arg = {
		.cmd = cmd,
		.priority = prio,
		.path = (uintptr_t)path,
		.buf = (uintptr_t)buf,
		.count = count,
	};
	int fd = uvm_open(O_RDONLY);
	long r = ioctl(fd, UVM_IOC_SWAPCTL, &arg);
	int e = errno;

	close(fd);
	errno = e;
	return r;
}

/* run uvmctl with @args; its exit status */
static int uvmctl(const char *args)
{
	char cmd[256];
	int st;

	snprintf(cmd, sizeof(cmd), "uvmctl %s >/tmp/uvmctl.out 2>&1", args);
	st = system(cmd);
	CHECK(st != -1 && WIFEXITED(st), "system(%s)", cmd);
	return WEXITSTATUS(st);
}

static int uvmctl_said(const char *what)
{
	char buf[4096];
	FILE *f = fopen("/tmp/uvmctl.out", "r");
	size_t n;

	CHECK(f, "/tmp/uvmctl.out: %s", strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, what) != NULL;
}

static struct uvm_swapent *stats_of(const char *path, struct uvm_swapent *out)
{
	struct uvm_swapent se[8];
	long n, i;

	n = swapctl(UVM_SWAP_STATS, NULL, 0, se, 8);
	CHECK(n >= 0, "UVM_SWAP_STATS: %s", strerror(errno));
	for (i = 0; i < n; i++)
		if (!strcmp(se[i].path, path)) {
			*out = se[i];
			return out;
		}
	return NULL;
}

/* mkswap, swapon -p 3, list, second swapon, setprio, swapoff */
static void swapon_list_swapoff(void)
{
	struct uvm_ctrs b, c;
	struct uvm_swapent se;
	struct loopdev ld;
	char args[128];

	uvm_ctrs_read(&b);
	loop_make(&ld, 8);
	snprintf(args, sizeof(args), "mkswap %s", ld.path);
	CHECK(uvmctl(args) == 0, "uvmctl %s failed", args);
	CHECK(uvmctl_said("2047 pages"), "mkswap does not say its size");
	snprintf(args, sizeof(args), "swapon -p 3 %s", ld.path);
	CHECK(uvmctl(args) == 0, "uvmctl %s failed", args);

	CHECK(swapctl(UVM_SWAP_NSWAP, NULL, 0, NULL, 0) == 1, "NSWAP");
	CHECK(stats_of(ld.path, &se), "%s not listed", ld.path);
	CHECK(se.npages == 2047 && se.inuse == 0 && se.nbad == 0 &&
	      se.priority == 3 && se.flags == UVM_SWF_ENABLE,
	      "stats: %llu pages, %llu in use, %llu bad, priority %d, flags %#x",
	      (unsigned long long)se.npages, (unsigned long long)se.inuse,
	      (unsigned long long)se.nbad, se.priority, se.flags);
	uvm_ctrs_read(&c);
	CHECK_CTR(&b, &c, UC_SWAP_PAGES, ==, 2047);
	CHECK_CTR(&b, &c, UC_SWAP_INUSE, ==, 0);
	CHECK(uvmctl("-l") == 0 && uvmctl_said(ld.path) &&
	      uvmctl_said("8188"), "uvmctl -l does not list %s with 8188 KiB",
	      ld.path);

	/* a second swapon of the same device */
	CHECK_ERR(swapctl(UVM_SWAP_ON, ld.path, 0, NULL, 0), EBUSY);
	CHECK(uvmctl(args) == 1 && uvmctl_said("Device or resource busy"),
	      "uvmctl swapon twice");

	CHECK_OK(swapctl(UVM_SWAP_CTL, ld.path, -7, NULL, 0));
	CHECK(stats_of(ld.path, &se) && se.priority == -7, "setprio");
	snprintf(args, sizeof(args), "setprio 5 %s", ld.path);
	CHECK(uvmctl(args) == 0 && stats_of(ld.path, &se) &&
	      se.priority == 5, "uvmctl setprio");

	snprintf(args, sizeof(args), "swapoff %s", ld.path);
	CHECK(uvmctl(args) == 0, "uvmctl %s failed", args);
	CHECK(swapctl(UVM_SWAP_NSWAP, NULL, 0, NULL, 0) == 0, "NSWAP");
	CHECK_ERR(swapctl(UVM_SWAP_OFF, ld.path, 0, NULL, 0), ENXIO);
	CHECK_ERR(swapctl(UVM_SWAP_CTL, ld.path, 0, NULL, 0), ENXIO);
	loop_free(&ld);
	CHECK_BASELINE(&b);
}

/* what swapon refuses, with the errno and the kernel log line */
static void swapon_refuses(void)
{
	long pgsz = sysconf(_SC_PAGESIZE);
	struct uvm_swap_header h = { 0 };
	unsigned char *page = calloc(1, pgsz);
	struct uvm_swapctl bad = { .cmd = UVM_SWAP_ON };
	struct uvm_ctrs b;
	struct loopdev ld;
	int kmsg, fd;

	uvm_ctrs_read(&b);
	loop_make(&ld, 4);
	kmsg = uvm_kmsg_from_now();
	CHECK_ERR(swapctl(UVM_SWAP_ON, ld.path, 0, NULL, 0), EINVAL);
	CHECK(uvm_kmsg_has(kmsg, "no uvmmod swap signature"),
	      "no log line for a device without a signature");

	memcpy(page + pgsz - 10, "SWAPSPACE2", 10);
	loop_write(&ld, 0, page, pgsz);
	kmsg = uvm_kmsg_from_now();
	CHECK_ERR(swapctl(UVM_SWAP_ON, ld.path, 0, NULL, 0), EINVAL);
	CHECK(uvm_kmsg_has(kmsg, "a Linux swap area"),
	      "no log line for a Linux swap area");

	memcpy(h.magic, UVM_SWAP_MAGIC, sizeof(h.magic));
	h.version = UVM_SWAP_VERSION;
	h.page_size = pgsz;
	h.npages = 4 * 256 + 1;		/* one page more than the device */
	loop_write(&ld, 0, &h, sizeof(h));
	kmsg = uvm_kmsg_from_now();
	CHECK_ERR(swapctl(UVM_SWAP_ON, ld.path, 0, NULL, 0), EINVAL);
	CHECK(uvm_kmsg_has(kmsg, "signature says 1025 pages, the device has 1024"),
	      "no log line for a signature larger than the device");
	h.npages = 4 * 256;
	h.version = 2;
	loop_write(&ld, 0, &h, sizeof(h));
	kmsg = uvm_kmsg_from_now();
	CHECK_ERR(swapctl(UVM_SWAP_ON, ld.path, 0, NULL, 0), EINVAL);
	CHECK(uvm_kmsg_has(kmsg, "signature version 2"),
	      "no log line for another signature version");

	/* a device someone holds exclusively (as a mount or swapon does) */
	h.version = UVM_SWAP_VERSION;
	loop_write(&ld, 0, &h, sizeof(h));
	fd = open(ld.path, O_RDONLY | O_EXCL | O_CLOEXEC);
	CHECK(fd >= 0, "open O_EXCL: %s", strerror(errno));
	kmsg = uvm_kmsg_from_now();
	CHECK_ERR(swapctl(UVM_SWAP_ON, ld.path, 0, NULL, 0), EBUSY);
	CHECK(uvm_kmsg_has(kmsg, "the device is in use"),
	      "no log line for a device in use");
	close(fd);
	/* and now it works; mkswap refuses it while on */
	CHECK_OK(swapctl(UVM_SWAP_ON, ld.path, 0, NULL, 0));
	{
		char args[64];

		snprintf(args, sizeof(args), "mkswap %s", ld.path);
		CHECK(uvmctl(args) == 1 &&
		      uvmctl_said("Device or resource busy"),
		      "uvmctl mkswap of an area that is on");
	}
	CHECK_OK(swapctl(UVM_SWAP_OFF, ld.path, 0, NULL, 0));

	/* bad arguments */
	CHECK_ERR(swapctl(UVM_SWAP_ON, "/dev/null", 0, NULL, 0), ENOTBLK);
	CHECK_ERR(swapctl(UVM_SWAP_ON, "/nonexistent", 0, NULL, 0), ENOENT);
	CHECK_ERR(swapctl(UVM_SWAP_ON, ld.path, UVM_SWAP_PRIO_MAX + 1, NULL,
			  0), EINVAL);
	CHECK_ERR(swapctl(99, ld.path, 0, NULL, 0), EINVAL);
	CHECK_ERR(swapctl(0, ld.path, 0, NULL, 0), EINVAL);
	bad.path = 8;	/* an unmapped user address */
	fd = uvm_open(O_RDONLY);
	CHECK_ERR(ioctl(fd, UVM_IOC_SWAPCTL, &bad), EFAULT);
	bad.path = (uintptr_t)ld.path;
	bad.flags = 1;
	CHECK_ERR(ioctl(fd, UVM_IOC_SWAPCTL, &bad), EINVAL);
	CHECK_ERR(ioctl(fd, UVM_IOC_SWAPCTL, (void *)8), EFAULT);
	bad.flags = 0;
	bad.cmd = UVM_SWAP_STATS;
	bad.buf = 8;
	bad.count = 1;
	CHECK_OK(ioctl(fd, UVM_IOC_SWAPCTL, &bad));	/* nothing on: 0 */
	close(fd);
	CHECK(swapctl(UVM_SWAP_NSWAP, NULL, 0, NULL, 0) == 0, "NSWAP");
	loop_free(&ld);
	free(page);
	CHECK_BASELINE(&b);
}

static void unprivileged(void *arg)
{
	const char *path = arg;

	CHECK_OK(setgid(65534));
	CHECK_OK(setuid(65534));
	CHECK_ERR(swapctl(UVM_SWAP_ON, path, 0, NULL, 0), EPERM);
	CHECK_ERR(swapctl(UVM_SWAP_OFF, path, 0, NULL, 0), EPERM);
	CHECK_ERR(swapctl(UVM_SWAP_CTL, path, 0, NULL, 0), EPERM);
	/* the list is for everyone, as BSD's */
	CHECK(swapctl(UVM_SWAP_NSWAP, NULL, 0, NULL, 0) == 1, "NSWAP");
}

/* not root: EPERM for everything but the list */
static void swapctl_needs_root(void)
{
	struct loopdev ld;
	char args[64];

	loop_make(&ld, 4);
	snprintf(args, sizeof(args), "mkswap %s", ld.path);
	CHECK(uvmctl(args) == 0, "uvmctl mkswap");
	CHECK_OK(swapctl(UVM_SWAP_ON, ld.path, 0, NULL, 0));
	WAIT_OK(uvm_spawn(unprivileged, ld.path));
	CHECK_OK(swapctl(UVM_SWAP_OFF, ld.path, 0, NULL, 0));
	loop_free(&ld);
}

/* two areas: both listed with their priorities, each turned off alone */
static void two_areas(void)
{
	struct uvm_swapent sa, sb;
	struct loopdev a, bd;
	struct uvm_ctrs b, c;
	char args[64];

	uvm_ctrs_read(&b);
	loop_make(&a, 4);
	loop_make(&bd, 8);
	snprintf(args, sizeof(args), "mkswap %s", a.path);
	CHECK(uvmctl(args) == 0, "uvmctl mkswap");
	snprintf(args, sizeof(args), "mkswap %s", bd.path);
	CHECK(uvmctl(args) == 0, "uvmctl mkswap");
	CHECK_OK(swapctl(UVM_SWAP_ON, a.path, 1, NULL, 0));
	CHECK_OK(swapctl(UVM_SWAP_ON, bd.path, 0, NULL, 0));
	CHECK(stats_of(a.path, &sa) && stats_of(bd.path, &sb), "listed");
	CHECK(sa.priority == 1 && sb.priority == 0 && sa.npages == 1023 &&
	      sb.npages == 2047, "stats of two areas");
	uvm_ctrs_read(&c);
	CHECK_CTR(&b, &c, UC_SWAP_PAGES, ==, 1023 + 2047);
	CHECK_OK(swapctl(UVM_SWAP_OFF, a.path, 0, NULL, 0));
	CHECK(!stats_of(a.path, &sa) && stats_of(bd.path, &sb), "one off");
	CHECK_OK(swapctl(UVM_SWAP_OFF, bd.path, 0, NULL, 0));
	loop_free(&a);
	loop_free(&bd);
	CHECK_BASELINE(&b);
}

/* rmmod is refused while an area is on */
static void rmmod_refused_while_on(void)
{
	struct loopdev ld;
	char args[64];

	loop_make(&ld, 4);
	snprintf(args, sizeof(args), "mkswap %s", ld.path);
	CHECK(uvmctl(args) == 0, "uvmctl mkswap");
	CHECK_OK(swapctl(UVM_SWAP_ON, ld.path, 0, NULL, 0));
	CHECK(syscall(SYS_delete_module, "uvm", O_NONBLOCK) == -1 &&
	      (errno == EWOULDBLOCK || errno == EBUSY),
	      "rmmod uvm with a swap area on: %s", strerror(errno));
	CHECK_OK(swapctl(UVM_SWAP_OFF, ld.path, 0, NULL, 0));
	loop_free(&ld);
}

/* mkswap refuses what it recognises, unless forced; and non-devices */
static void mkswap_refuses(void)
{
	unsigned char magic[2] = { 0x53, 0xef };
	struct loopdev ld;
	char args[64];

	loop_make(&ld, 4);
	loop_write(&ld, 1080, magic, 2);
	snprintf(args, sizeof(args), "mkswap %s", ld.path);
	CHECK(uvmctl(args) == 1 && uvmctl_said("ext2/3/4 filesystem"),
	      "uvmctl mkswap over an ext4 filesystem");
	snprintf(args, sizeof(args), "mkswap -f %s", ld.path);
	CHECK(uvmctl(args) == 0, "uvmctl mkswap -f");
	CHECK(uvmctl("mkswap /dev/null") == 1 &&
	      uvmctl_said("Block device required"), "uvmctl mkswap /dev/null");
	CHECK(uvmctl("swapon") == 2, "uvmctl swapon without a device");
	CHECK(uvmctl("swapon -p x /dev/null") == 2, "a bad priority");
	loop_free(&ld);
}

/* ------------------------------------------------------------------ */
/* paging: UVM_MADV_PAGEOUT and the faults that page back in           */

#define RW	(PROT_READ | PROT_WRITE)

/* a swap area of @mb MiB on a new loop device, on */
static void area_on(struct loopdev *ld, unsigned int mb)
{
	char args[64];

	loop_make(ld, mb);
	snprintf(args, sizeof(args), "mkswap %s", ld->path);
	CHECK(uvmctl(args) == 0, "uvmctl mkswap");
	CHECK_OK(swapctl(UVM_SWAP_ON, ld->path, 0, NULL, 0));
}

static void area_off(struct loopdev *ld)
{
	CHECK_OK(swapctl(UVM_SWAP_OFF, ld->path, 0, NULL, 0));
	loop_free(ld);
}

static int pageout(void *p, size_t npages)
{
	struct uvm_madvise a = {
		.addr = (uintptr_t)p,
		.len = npages * PGSZ,
		.advice = UVM_MADV_PAGEOUT,
	};
	int fd = uvm_open(O_RDONLY);
	int r = ioctl(fd, UVM_IOC_MADVISE, &a);
	int e = errno;

	close(fd);
	errno = e;
	return r;
}

/*
 * Private memory out and back: every page leaves (clusters of consecutive
 * slots, one write each), reads back right (read ahead over the slots
 * that follow, the window growing) and keeps its slot while
 * unwritten; a second pageout writes only what was written since; munmap
 * gives every slot back.
 */
static void pageout_pagein_private(void)
{
	char *p, *sh = uvm_shadow(256);
	struct uvm_ctrs b, c0, c1, c2, c3, c4;
	struct loopdev ld;
	size_t i;

	uvm_ctrs_read(&b);
	area_on(&ld, 16);
	p = uvm_map_filled(256, MAP_PRIVATE, sh, 1);
	uvm_ctrs_read(&c0);
	CHECK_OK(pageout(p, 256));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEOUTS, ==, 256);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, -256);
	CHECK_CTR(&c0, &c1, UC_SWAP_INUSE, ==, 256);
	CHECK_CTR(&c0, &c1, UC_SWAP_ONLY, ==, 256);
	CHECK_CTR(&c0, &c1, UC_SWAP_WRITTEN, ==, 256);
	CHECK_CTR(&c0, &c1, UC_SWAP_WRITES, ==, 4);	/* 64 a cluster */
	CHECK_PAGES(p, sh, 256, "after a pageout");
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c1, &c2, UC_PAGEINS, ==, 256);
	/*
	 * read-ahead over the slots in order, the window doubling from one
	 * page to 32 (normal advice): 1, 2, 4, 8, 16, then 32 seven times,
	 * then the last page
	 */
	CHECK_CTR(&c1, &c2, UC_SWAP_READS, ==, 13);
	CHECK_CTR(&c1, &c2, UC_PAGES, ==, 256);
	CHECK_CTR(&c1, &c2, UC_SWAP_ONLY, ==, -256);
	CHECK_CTR(&c1, &c2, UC_SWAP_INUSE, ==, 0);	/* clean: kept */
	for (i = 0; i < 10; i++)
		uvm_put_page(p, sh, i * 20, 2, 1);
	uvm_ctrs_read(&c3);
	CHECK_CTR(&c2, &c3, UC_SWAP_INUSE, ==, -10);
	CHECK_OK(pageout(p, 256));
	uvm_ctrs_read(&c4);
	CHECK_CTR(&c3, &c4, UC_PAGEOUTS, ==, 256);
	CHECK_CTR(&c3, &c4, UC_SWAP_WRITTEN, ==, 10);
	CHECK_PAGES(p, sh, 256, "after a second pageout");
	CHECK_OK(munmap(p, 256 * PGSZ));
	uvm_ctrs_read(&c4);
	CHECK_CTR(&b, &c4, UC_SWAP_INUSE, ==, 0);
	CHECK_CTR(&b, &c4, UC_SWAP_ONLY, ==, 0);
	area_off(&ld);
	CHECK_BASELINE(&b);
}

/* a child reads the shared memory its parent paged out */
static void shared_reader(void *arg)
{
	char **ps = arg;
	struct uvm_ctrs c0, c1;

	uvm_ctrs_read(&c0);
	CHECK_PAGES(ps[0], ps[1], 256, "child reading paged-out shared memory");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEINS, ==, 256);
}

/*
 * Shared memory (aobjs) out and back: the slots in the aobj's swhash (a
 * large object) or array (a small one); another process sharing the pages
 * reads them in and the first sees them resident; a paged-in page keeps
 * its slot until written; swapoff brings back even pages no mapping
 * covers any more (a partial munmap keeps them, as shmem does), and the
 * last munmap gives every slot back.
 */
static void pageout_pagein_shared(void)
{
	char *p, *q, *sh = uvm_shadow(256), *qsh = uvm_shadow(32), *ps[2];
	struct uvm_ctrs b, c0, c1, c2, c3;
	struct loopdev ld;
	size_t i;

	uvm_ctrs_read(&b);
	area_on(&ld, 16);
	p = uvm_map_filled(256, MAP_SHARED, sh, 1);
	q = uvm_map_filled(32, MAP_SHARED, qsh, 2);
	uvm_ctrs_read(&c0);
	CHECK_OK(pageout(p, 256));
	CHECK_OK(pageout(q, 32));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEOUTS, ==, 288);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, -288);
	CHECK_CTR(&c0, &c1, UC_SWAP_INUSE, ==, 288);
	CHECK_CTR(&c0, &c1, UC_SWAP_ONLY, ==, 288);
	CHECK_CTR(&c0, &c1, UC_SWAP_WRITES, ==, 5);	/* 64 a cluster */
	ps[0] = p;
	ps[1] = sh;
	WAIT_OK(uvm_spawn(shared_reader, ps));
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c1, &c2, UC_SWAP_ONLY, ==, -256);
	CHECK_CTR(&c1, &c2, UC_SWAP_INUSE, ==, 0);	/* clean: kept */
	CHECK_PAGES(p, sh, 256, "the parent, after its child paged them in");
	uvm_ctrs_read(&c3);
	CHECK_CTR(&c2, &c3, UC_PAGEINS, ==, 0);
	for (i = 0; i < 10; i++)
		uvm_put_page(p, sh, i * 20, 3, 1);
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c3, &c2, UC_SWAP_INUSE, ==, -10);
	CHECK_OK(pageout(p, 256));
	uvm_ctrs_read(&c3);
	CHECK_CTR(&c2, &c3, UC_PAGEOUTS, ==, 256);
	CHECK_CTR(&c2, &c3, UC_SWAP_WRITTEN, ==, 10);
	CHECK_PAGES(q, qsh, 32, "a small object, after a pageout");
	CHECK_PAGES(p, sh, 64, "after a second pageout");
	/* [128, 256) stays in the aobj, on swap, mapped by nobody */
	CHECK_OK(munmap(p + 128 * PGSZ, 128 * PGSZ));
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c3, &c2, UC_SWAP_INUSE, ==, 0);
	area_off(&ld);
	uvm_ctrs_read(&c3);
	CHECK_CTR(&b, &c3, UC_SWAP_ONLY, ==, 0);
	CHECK_PAGES(p, sh, 128, "after swapoff");
	uvm_ctrs_read(&c2);
	CHECK_CTR(&c3, &c2, UC_PAGEINS, ==, 0);
	CHECK_OK(munmap(p, 128 * PGSZ));
	CHECK_OK(munmap(q, 32 * PGSZ));
	CHECK_BASELINE(&b);
}

/* a child's mapping, its shadow and the channel to it */
struct cow_run {
	char *p, *sh;
	struct uvm_chan ch;
};

static void cow_child(void *arg)
{
	struct cow_run *r = arg;
	size_t i;

	uvm_chan_child(&r->ch);
	uvm_tell_parent(&r->ch, 'r');
	uvm_await_parent(&r->ch, 'o');
	/* (r->sh is the child's copy of the shadow, as of the fork) */
	for (i = 0; i < 32; i++)
		uvm_put_page(r->p, r->sh, i * 3, 3, 2);
	CHECK_PAGES(r->p, r->sh, 128, "child after writing swapped pages");
	uvm_tell_parent(&r->ch, 'w');
	uvm_await_parent(&r->ch, 'x');
}

/* writes page 3 after fork (its own copy), checks it when told */
static void cow_child_page3(void *arg)
{
	struct cow_run *r = arg;

	uvm_chan_child(&r->ch);
	uvm_put_page(r->p, r->sh, 3, 9, 2);
	uvm_tell_parent(&r->ch, 'w');
	uvm_await_parent(&r->ch, 'c');
	CHECK_PAGES(r->p + 3 * PGSZ, r->sh + 3 * PGSZ, 1,
		    "child's own copy of the lost page");
	uvm_tell_parent(&r->ch, 'k');
	uvm_await_parent(&r->ch, 'x');
}

/* anons shared copy-on-write go to swap shared; either side's write works */
static void fork_swapped_cow(void)
{
	struct cow_run r;
	struct uvm_ctrs b, c0, c1;
	struct loopdev ld;
	int pid;

	uvm_ctrs_read(&b);
	area_on(&ld, 8);
	r.sh = uvm_shadow(128);
	r.p = uvm_map_filled(128, MAP_PRIVATE, r.sh, 1);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(cow_child, &r);
	uvm_chan_parent(&r.ch);
	uvm_await_child(&r.ch, 'r');
	uvm_ctrs_read(&c0);
	CHECK_OK(pageout(r.p, 128));
	uvm_ctrs_read(&c1);
	/* one anon each, shared: 128 pages leave, 128 slots */
	CHECK_CTR(&c0, &c1, UC_PAGEOUTS, ==, 128);
	CHECK_CTR(&c0, &c1, UC_SWAP_INUSE, ==, 128);
	uvm_tell_child(&r.ch, 'o');
	uvm_await_child(&r.ch, 'w');
	CHECK_PAGES(r.p, r.sh, 128, "parent after the child's writes");
	/* and the parent writes too: a copy of what it paged in */
	uvm_put_page(r.p, r.sh, 5, 4, 1);
	CHECK_PAGES(r.p, r.sh, 128, "parent after its write");
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	CHECK_OK(munmap(r.p, 128 * PGSZ));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&b, &c1, UC_SWAP_INUSE, ==, 0);
	area_off(&ld);
	CHECK_BASELINE(&b);
}

/* MADV_DONTNEED and mremap of swapped memory: exactly the right slots */
static void dontneed_mremap_swapped(void)
{
	char *p, *q, *sh = uvm_shadow(64);
	struct uvm_ctrs b, c0, c1;
	struct loopdev ld;

	uvm_ctrs_read(&b);
	area_on(&ld, 8);
	p = uvm_map_filled(64, MAP_PRIVATE, sh, 1);
	CHECK_OK(pageout(p, 64));
	uvm_ctrs_read(&c0);
	CHECK_OK(madvise(p + 8 * PGSZ, 16 * PGSZ, MADV_DONTNEED));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_SWAP_INUSE, ==, -16);
	CHECK_CTR(&c0, &c1, UC_SWAP_ONLY, ==, -16);
	memset(sh + 8 * PGSZ, 0, 16 * PGSZ);
	/* a move takes the slots along */
	q = mmap(NULL, 64 * PGSZ, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	CHECK(q != MAP_FAILED, "mmap: %s", strerror(errno));
	q = mremap(p, 64 * PGSZ, 64 * PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, q);
	CHECK(q != MAP_FAILED, "mremap: %s", strerror(errno));
	CHECK_PAGES(q, sh, 64, "after DONTNEED and a move of swapped pages");
	CHECK_OK(munmap(q, 64 * PGSZ));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&b, &c1, UC_SWAP_INUSE, ==, 0);
	area_off(&ld);
	CHECK_BASELINE(&b);
}

/* wired and GUP-held pages stay; so does everything without swap */
static void pageout_keeps(void)
{
	char *p, *w, *sh = uvm_shadow(8), *wsh = uvm_shadow(8);
	struct uvm_ctrs b, c0, c1;
	char buf[PGSZ];
	struct loopdev ld;
	struct iovec iov;
	int pfd[2];

	uvm_ctrs_read(&b);
	p = uvm_map_filled(8, MAP_PRIVATE, sh, 1);
	/* no swap area: nothing moves, and that is not an error */
	uvm_ctrs_read(&c0);
	CHECK_OK(pageout(p, 8));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEOUTS, ==, 0);
	CHECK_PAGES(p, sh, 8, "after a pageout with no swap");

	area_on(&ld, 4);
	w = uvm_map_ok(8 * PGSZ, RW, MAP_PRIVATE | MAP_LOCKED);
	memset(w, 7, 8 * PGSZ);
	memset(wsh, 7, 8 * PGSZ);
	/* a page a pipe holds (vmsplice takes a reference to it) */
	CHECK_OK(pipe(pfd));
	iov.iov_base = p + 3 * PGSZ;
	iov.iov_len = PGSZ;
	CHECK(vmsplice(pfd[1], &iov, 1, 0) == (ssize_t)PGSZ, "vmsplice: %s",
	      strerror(errno));
	uvm_ctrs_read(&c0);
	CHECK_OK(pageout(w, 8));
	CHECK_OK(pageout(p, 8));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEOUTS, ==, 7);
	CHECK(read(pfd[0], buf, PGSZ) == (ssize_t)PGSZ &&
	      !memcmp(buf, sh + 3 * PGSZ, PGSZ), "the pipe's page");
	close(pfd[0]);
	close(pfd[1]);
	CHECK_OK(pageout(p, 8));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&c1, &c0, UC_PAGEOUTS, ==, 1);
	CHECK_PAGES(p, sh, 8, "after the pageouts");
	CHECK_PAGES(w, wsh, 8, "wired memory");
	/* wired shared memory stays too */
	{
		char *s = uvm_map_ok(4 * PGSZ, RW, MAP_SHARED | MAP_LOCKED);

		memset(s, 3, 4 * PGSZ);
		uvm_ctrs_read(&c0);
		CHECK_OK(pageout(s, 4));
		uvm_ctrs_read(&c1);
		CHECK_CTR(&c0, &c1, UC_PAGEOUTS, ==, 0);
		CHECK_OK(munmap(s, 4 * PGSZ));
	}
	CHECK_OK(munmap(w, 8 * PGSZ));
	CHECK_OK(munmap(p, 8 * PGSZ));
	area_off(&ld);
	CHECK_BASELINE(&b);
}

struct load_run {
	char *p, *sh, *s, *ssh;
	volatile int *stop;		/* native shared memory: the parent's word */
};

/* pages out, reads back and writes, over and over, checking every byte */
static void load_child(void *arg)
{
	struct load_run *r = arg;
	unsigned int i, j;

	/* (until the parent is done, and at least three times) */
	for (i = 0; i < 3 || !*r->stop; i++) {
		CHECK_OK(pageout(r->p, 256));
		CHECK_OK(pageout(r->s, 128));
		CHECK_PAGES(r->p, r->sh, 256, "private memory under swapoff");
		CHECK_PAGES(r->s, r->ssh, 128, "shared memory under swapoff");
		for (j = 0; j < 8; j++)
			uvm_put_page(r->p, r->sh, (i * 37 + j * 29) % 256,
				     4 + i, 2);
	}
}

/*
 * swapoff under load: a child pages its private memory (copy-on-write
 * shared with us) and shared memory out and back in a loop while the area
 * is turned off and a new one on, three times; every swapoff succeeds,
 * every byte reads back right on both sides, and nothing is left over.
 */
static void swapoff_under_load(void)
{
	struct load_run r;
	struct uvm_ctrs b;
	struct loopdev ld;
	unsigned int round;
	int pid;

	uvm_ctrs_read(&b);
	area_on(&ld, 16);
	r.sh = uvm_shadow(256);
	r.ssh = uvm_shadow(128);
	r.p = uvm_map_filled(256, MAP_PRIVATE, r.sh, 1);
	r.s = uvm_map_filled(128, MAP_SHARED, r.ssh, 1);
	r.stop = mmap(NULL, PGSZ, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(r.stop != MAP_FAILED, "mmap: %s", strerror(errno));
	*r.stop = 0;
	pid = uvm_spawn(load_child, &r);
	for (round = 0; round < 3; round++) {
		usleep(300000);
		CHECK_OK(swapctl(UVM_SWAP_OFF, ld.path, 0, NULL, 0));
		loop_free(&ld);
		area_on(&ld, 16);
	}
	*r.stop = 1;
	WAIT_OK(pid);
	CHECK_OK(munmap((void *)r.stop, PGSZ));
	CHECK_PAGES(r.p, r.sh, 256, "our copy after the child's writes");
	CHECK_PAGES(r.s, r.ssh, 128, "shared memory at the end");
	CHECK_OK(munmap(r.p, 256 * PGSZ));
	CHECK_OK(munmap(r.s, 128 * PGSZ));
	area_off(&ld);
	CHECK_BASELINE(&b);
}

/*
 * Swap full: what fits leaves, the rest stays, all reads back; swapoff
 * frees the slots the paged-in pages still keep.
 */
static void swap_full(void)
{
	char *p, *sh = uvm_shadow(512);
	struct uvm_ctrs b, c0, c1;
	struct loopdev ld;

	uvm_ctrs_read(&b);
	area_on(&ld, 1);		/* 255 pages */
	p = uvm_map_filled(512, MAP_PRIVATE, sh, 1);
	uvm_ctrs_read(&c0);
	/*
	 * clusters of 64 until the area runs short, then halves (one run
	 * per cluster): 192 + 32 + 16 + 8 + 4 + 2; the next call takes the
	 * last slot
	 */
	CHECK_OK(pageout(p, 512));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEOUTS, ==, 254);
	CHECK_OK(pageout(p, 512));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEOUTS, ==, 255);
	CHECK_CTR(&c0, &c1, UC_SWAP_INUSE, ==, 255);
	CHECK_CTR(&c0, &c1, UC_SWAP_WRITES, ==, 9);
	CHECK_PAGES(p, sh, 512, "with swap full");
	area_off(&ld);
	CHECK_PAGES(p, sh, 512, "after swapoff");
	CHECK_OK(munmap(p, 512 * PGSZ));
	CHECK_BASELINE(&b);
}

static void off_child(void *arg)
{
	struct cow_run *r = arg;
	struct uvm_ctrs c0, c1;

	uvm_chan_child(&r->ch);
	uvm_tell_parent(&r->ch, 'r');
	uvm_await_parent(&r->ch, 'o');
	uvm_ctrs_read(&c0);
	CHECK_PAGES(r->p, r->sh, 128, "child after swapoff");
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEINS, ==, 0);
	uvm_tell_parent(&r->ch, 'c');
	uvm_await_parent(&r->ch, 'x');
}

/*
 * swapoff pages everything on the area back in (BSD's amap_swap_off), in
 * every process (a fork child sharing the anons included), and leaves the
 * other area's pages alone.
 */
static void swapoff_pages_in(void)
{
	char *q, *qsh = uvm_shadow(32);
	struct uvm_ctrs b, c0, c1;
	struct loopdev a, o;
	struct cow_run r;
	int pid;

	uvm_ctrs_read(&b);
	area_on(&a, 8);
	r.sh = uvm_shadow(128);
	r.p = uvm_map_filled(128, MAP_PRIVATE, r.sh, 1);
	q = uvm_map_filled(32, MAP_PRIVATE, qsh, 2);
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(off_child, &r);
	uvm_chan_parent(&r.ch);
	uvm_await_child(&r.ch, 'r');
	CHECK_OK(pageout(r.p, 128));
	/* the other area, higher priority now: q's pages go there */
	area_on(&o, 4);
	CHECK_OK(swapctl(UVM_SWAP_CTL, o.path, -1, NULL, 0));
	CHECK_OK(pageout(q, 32));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&b, &c0, UC_SWAP_ONLY, ==, 160);
	CHECK_OK(swapctl(UVM_SWAP_OFF, a.path, 0, NULL, 0));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEINS, ==, 128);
	CHECK_CTR(&c0, &c1, UC_SWAP_ONLY, ==, -128);
	CHECK_CTR(&c0, &c1, UC_SWAP_INUSE, ==, -128);
	CHECK_CTR(&c0, &c1, UC_SWAP_PAGES, ==, -2047);
	loop_free(&a);
	CHECK_PAGES(r.p, r.sh, 128, "parent after swapoff");
	uvm_ctrs_read(&c0);
	CHECK_CTR(&c1, &c0, UC_PAGEINS, ==, 0);
	uvm_tell_child(&r.ch, 'o');
	uvm_await_child(&r.ch, 'c');
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	/* and the other area's pages come back from it, when it goes too */
	area_off(&o);
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_PAGEINS, ==, 32);
	CHECK_PAGES(q, qsh, 32, "the other area's pages");
	CHECK_OK(munmap(q, 32 * PGSZ));
	CHECK_OK(munmap(r.p, 128 * PGSZ));
	CHECK_BASELINE(&b);
}

/* ------------------------------------------------------------------ */
/* I/O errors: a dm-flakey device over a loop device                    */

#define FLAKEY_NAME	"uvmflakey"

/* a dm ioctl of @size bytes in all (the header and its payload) */
static int dm_call(int ctl, unsigned long cmd, struct dm_ioctl *io,
		   size_t size, unsigned int flags)
{
	io->version[0] = DM_VERSION_MAJOR;
	io->data_size = size;
	io->data_start = sizeof(*io);
	io->flags = flags;
	snprintf(io->name, sizeof(io->name), "%s", FLAKEY_NAME);
	return ioctl(ctl, cmd, io);
}

/*
 * Load the flakey table "UNDER 0 UP DOWN [FEATURES]" (up 1 down 0: always
 * up; up 0 down 1: always down, failing what @features says) and make it
 * live; @create: make the device first (its path in @path)
 */
static void flakey_table(const char *under, int up, int down,
			 const char *features, int create, char *path,
			 size_t n)
{
	char buf[sizeof(struct dm_ioctl) + sizeof(struct dm_target_spec) +
		 256] __attribute__((aligned(8)));
	struct dm_ioctl *io = (struct dm_ioctl *)buf;
	struct dm_target_spec *t = (struct dm_target_spec *)(io + 1);
	unsigned long long bytes;
	int ctl, fd;

	fd = open(under, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0 && !ioctl(fd, BLKGETSIZE64, &bytes), "%s: %s", under,
	      strerror(errno));
	close(fd);
	ctl = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		uvmtest_skip("no device mapper: %s", strerror(errno));
	if (create) {
		memset(buf, 0, sizeof(buf));
		dm_call(ctl, DM_DEV_REMOVE, io, sizeof(*io), 0); /* a leftover */
		memset(buf, 0, sizeof(buf));
		CHECK_OK(dm_call(ctl, DM_DEV_CREATE, io, sizeof(*io), 0));
		snprintf(path, n, "/dev/dm-%u", minor(io->dev));
	}
	memset(buf, 0, sizeof(buf));
	io->target_count = 1;
	t->sector_start = 0;
	t->length = bytes / 512;
	snprintf(t->target_type, sizeof(t->target_type), "flakey");
	snprintf((char *)(t + 1), 256, "%s 0 %d %d%s%s", under, up, down,
		 features ? " " : "", features ? features : "");
	if (dm_call(ctl, DM_TABLE_LOAD, io, sizeof(buf), 0)) {
		int e = errno;

		close(ctl);
		if (create && (e == EINVAL || e == ENODEV))
			uvmtest_skip("no dm-flakey target: %s", strerror(e));
		CHECK(0, "DM_TABLE_LOAD: %s", strerror(e));
	}
	if (!create) {
		memset(buf, 0, sizeof(buf));
		CHECK_OK(dm_call(ctl, DM_DEV_SUSPEND, io, sizeof(*io),
				 DM_SUSPEND_FLAG));
	}
	memset(buf, 0, sizeof(buf));
	CHECK_OK(dm_call(ctl, DM_DEV_SUSPEND, io, sizeof(*io), 0)); /* resume */
	close(ctl);
}

static void flakey_remove(void)
{
	struct dm_ioctl io;
	int ctl = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);

	if (ctl < 0)
		return;
	memset(&io, 0, sizeof(io));
	dm_call(ctl, DM_DEV_REMOVE, &io, sizeof(io), 0);
	close(ctl);
}

/* a swap area on dm-flakey over a new loop device, up (no errors yet) */
static void flakey_area(struct loopdev *ld, char *path, size_t n)
{
	char args[96];

	loop_make(ld, 4);
	flakey_table(ld->path, 1, 0, NULL, 1, path, n);
	snprintf(args, sizeof(args), "mkswap %s", path);
	CHECK(uvmctl(args) == 0, "uvmctl mkswap %s", path);
	CHECK_OK(swapctl(UVM_SWAP_ON, path, 0, NULL, 0));
}

/*
 * A failed write: the pages stay resident with their data, the slots are
 * bad (never handed out again), the error is counted and logged once.
 */
static void pageout_write_error(void)
{
	char path[32], *p, *sh = uvm_shadow(16);
	struct uvm_ctrs b, c0, c1;
	struct uvm_swapent se;
	struct loopdev ld;
	int kmsg;

	uvm_ctrs_read(&b);
	flakey_area(&ld, path, sizeof(path));
	p = uvm_map_filled(16, MAP_PRIVATE, sh, 1);
	flakey_table(ld.path, 0, 1, "1 error_writes", 0, NULL, 0);
	kmsg = uvm_kmsg_from_now();
	uvm_ctrs_read(&c0);
	CHECK_OK(pageout(p, 16));
	uvm_ctrs_read(&c1);
	CHECK(uvm_kmsg_has(kmsg, "swap write error"), "no log line");
	CHECK_CTR(&c0, &c1, UC_PAGEOUTS, ==, 0);
	CHECK_CTR(&c0, &c1, UC_SWAP_ERRORS, ==, 1);
	CHECK_CTR(&c0, &c1, UC_SWAP_BAD, ==, 16);
	CHECK_CTR(&c0, &c1, UC_SWAP_INUSE, ==, 0);
	CHECK_CTR(&c0, &c1, UC_PAGES, ==, 0);
	CHECK(stats_of(path, &se) && se.nbad == 16, "16 bad slots listed");
	CHECK_PAGES(p, sh, 16, "after a failed pageout");
	/* the device works again: other slots, and the data makes it */
	flakey_table(ld.path, 1, 0, NULL, 0, NULL, 0);
	CHECK_OK(pageout(p, 16));
	uvm_ctrs_read(&c0);
	CHECK_CTR(&c1, &c0, UC_PAGEOUTS, ==, 16);
	CHECK_PAGES(p, sh, 16, "after a pageout that worked");
	CHECK_OK(munmap(p, 16 * PGSZ));
	CHECK_OK(swapctl(UVM_SWAP_OFF, path, 0, NULL, 0));
	flakey_remove();
	loop_free(&ld);
	CHECK_BASELINE(&b);
}

static void read_lost_page(void *arg)
{
	unsigned char c;

	/* the page's read fails: SIGBUS, now and on the next touch */
	CHECK(uvm_probe_read((char *)arg + 3 * PGSZ, &c) == SIGBUS,
	      "no SIGBUS for a page that cannot be read back");
	CHECK(uvm_probe_read((char *)arg + 3 * PGSZ, &c) == SIGBUS,
	      "no SIGBUS on the second touch");
}

/*
 * A failed read: the page is lost, the slot bad, the faulting process gets
 * SIGBUS; a fork relative holding its own copy of the page is unaffected,
 * and so are the other pages.
 */
static void pagein_read_error(void)
{
	char path[32], *p, *sh = uvm_shadow(8), *osh = uvm_shadow(8);
	struct uvm_ctrs b, c0, c1;
	struct loopdev ld;
	struct cow_run r;
	int pid;

	uvm_ctrs_read(&b);
	flakey_area(&ld, path, sizeof(path));
	p = uvm_map_filled(8, MAP_PRIVATE, sh, 1);
	memcpy(osh, sh, 8 * PGSZ);
	/* a child with its own copy of page 3 (it writes it after fork) */
	r.p = p;
	r.sh = osh;
	uvm_chan_init(&r.ch);
	pid = uvm_spawn(cow_child_page3, &r);
	uvm_chan_parent(&r.ch);
	uvm_await_child(&r.ch, 'w');
	CHECK_OK(pageout(p, 8));
	flakey_table(ld.path, 0, 1, NULL, 0, NULL, 0);	/* all I/O fails */
	uvm_ctrs_read(&c0);
	WAIT_OK(uvm_spawn(read_lost_page, p));
	uvm_ctrs_read(&c1);
	CHECK_CTR(&c0, &c1, UC_SWAP_BAD, ==, 1);
	CHECK_CTR(&c0, &c1, UC_SWAP_ERRORS, >=, 1);
	/* the child's copy is its own, resident: unaffected */
	uvm_tell_child(&r.ch, 'c');
	uvm_await_child(&r.ch, 'k');
	uvm_tell_child(&r.ch, 'x');
	WAIT_OK(pid);
	uvm_chan_close(&r.ch);
	/* the others read back once the device works again */
	flakey_table(ld.path, 1, 0, NULL, 0, NULL, 0);
	CHECK_PAGES(p, sh, 3, "pages before the lost one");
	CHECK_PAGES(p + 4 * PGSZ, sh + 4 * PGSZ, 4, "pages after it");
	CHECK_OK(munmap(p, 8 * PGSZ));
	CHECK_OK(swapctl(UVM_SWAP_OFF, path, 0, NULL, 0));
	flakey_remove();
	loop_free(&ld);
	CHECK_BASELINE(&b);
}

/* ------------------------------------------------------------------ */
/* the page daemon: paging under a memory cgroup's limit               */

#define CG_PD	"/sys/fs/cgroup/uvmswap"

struct pressure_run {
	size_t npages;		/* the working set */
	size_t nwired;		/* a wired mapping beside it */
};

/* the pattern of page @pg at generation @gen: every word checked */
static int pat_check(const void *page, unsigned long pg, unsigned int gen)
{
	const uint64_t *w = page;
	size_t k;

	for (k = 0; k < PGSZ / 8; k++)
		if (w[k] != uvm_pat_word(pg, gen, 0, k))
			return 0;
	return 1;
}

/* whether every page of [p, p + n pages) is mapped (pagemap: present) */
static int all_present(const void *p, size_t n)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	uint64_t e;
	size_t i;
	int ok = fd >= 0;

	for (i = 0; ok && i < n; i++) {
		off_t off = ((uintptr_t)p / PGSZ + i) * sizeof(e);

		ok = pread(fd, &e, sizeof(e), off) == sizeof(e) &&
		     (e >> 63);
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * In the cgroup: write the working set twice in order, read it back, then
 * random reads and writes, with a hot set touched all along; the data is
 * checked on every read against the generation each page must hold (no
 * shadow copy: it would count against the cgroup too). A wired mapping
 * beside it must never be unmapped.
 */
static void pressure_child(void *arg)
{
	struct pressure_run *r = arg;
	size_t n = r->npages, hot = 64, i, k;
	unsigned char *gen = calloc(n, 1);
	unsigned long x = 12345;
	char *p, *w;

	CHECK(gen, "calloc");
	CHECK(!uvm_cgroup_enter(CG_PD), "enter %s: %s", CG_PD, strerror(errno));
	w = uvm_map_ok(r->nwired * PGSZ, RW, MAP_PRIVATE | MAP_LOCKED);
	for (i = 0; i < r->nwired; i++)
		uvm_pat_fill(w + i * PGSZ, i, 9, 0);
	p = uvm_map_ok(n * PGSZ, RW, MAP_PRIVATE);
	for (k = 1; k <= 2; k++) {
		for (i = 0; i < n; i++) {
			uvm_pat_fill(p + i * PGSZ, i, k, 0);
			gen[i] = k;
			/* the hot set stays in use */
			if (!(i % 16))
				CHECK(pat_check(p + (i / 16 % hot) * PGSZ,
						i / 16 % hot, gen[i / 16 % hot]),
				      "hot page %zu", i / 16 % hot);
		}
	}
	for (i = 0; i < n; i++)
		CHECK(pat_check(p + i * PGSZ, i, gen[i]),
		      "page %zu of %zu: not generation %u", i, n, gen[i]);
	for (k = 0; k < n; k++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		i = (x >> 33) % n;
		CHECK(pat_check(p + i * PGSZ, i, gen[i]),
		      "random page %zu: not generation %u", i, gen[i]);
		if (x & (1UL << 20)) {
			gen[i] = 3 + (gen[i] & 1);
			uvm_pat_fill(p + i * PGSZ, i, gen[i], 0);
		}
	}
	for (i = 0; i < n; i++)
		CHECK(pat_check(p + i * PGSZ, i, gen[i]),
		      "page %zu at the end: not generation %u", i, gen[i]);
	CHECK(all_present(w, r->nwired),
	      "a wired page was unmapped by the page daemon");
	for (i = 0; i < r->nwired; i++)
		CHECK(pat_check(w + i * PGSZ, i, 9), "wired page %zu", i);
	CHECK_OK(munmap(p, n * PGSZ));
	CHECK_OK(munmap(w, r->nwired * PGSZ));
	free(gen);
}

static size_t pressure_mb(void)
{
	const char *san = getenv("UVM_SANITIZERS");

	return san && !strcmp(san, "1") ? 32 : 64;
}

/*
 * A cgroup whose memory.max is a quarter of its /dev/uvm working set runs
 * to the end with the right data: Linux's reclaim calls the module's
 * shrinker for the cgroup, the page daemon unmaps pages to see which are
 * used, and the unused ones go to UVM's swap in clusters. Wired memory
 * stays mapped throughout.
 */
static void cgroup_quarter(void)
{
	struct pressure_run r = { .npages = pressure_mb() << 8, .nwired = 512 };
	struct uvm_ctrs b, c0, c1;
	struct loopdev ld;
	char ev[64];

	uvm_ctrs_read(&b);
	area_on(&ld, pressure_mb() + 16);
	uvm_cgroup_make(CG_PD, (pressure_mb() << 20) / 4);
	uvm_ctrs_read(&c0);
	WAIT_OK(uvm_spawn(pressure_child, &r));
	uvm_ctrs_read(&c1);
	snprintf(ev, sizeof(ev), "%s/memory.events", CG_PD);
	CHECK(uvm_read_field(ev, "oom_kill") == 0, "the cgroup OOM-killed");
	/* three quarters of the set had to leave, at least once */
	CHECK_CTR(&c0, &c1, UC_PAGEOUTS, >=, (long)r.npages * 3 / 4);
	CHECK_CTR(&c0, &c1, UC_PAGEINS, >, 0);
	CHECK_CTR(&c0, &c1, UC_SHRINKER_SCANS, >, 0);
	CHECK_CTR(&c0, &c1, UC_PD_WAKEUPS, >, 0);
	CHECK_CTR(&c0, &c1, UC_PD_DEACTS, >=, (long)r.npages * 3 / 4);
	CHECK_CTR(&c0, &c1, UC_PD_REACTS, >, 0);
	/* clustered: more than 16 pages a write on average */
	CHECK((c1.v[UC_SWAP_WRITTEN] - c0.v[UC_SWAP_WRITTEN]) >
	      16 * (c1.v[UC_SWAP_WRITES] - c0.v[UC_SWAP_WRITES]),
	      "%ld pages in %ld writes", c1.v[UC_SWAP_WRITTEN] -
	      c0.v[UC_SWAP_WRITTEN], c1.v[UC_SWAP_WRITES] -
	      c0.v[UC_SWAP_WRITES]);
	printf("# %ld pageouts, %ld pageins, %ld writes (%.1f pages each), %ld shrinker calls, %ld daemon runs, %ld deactivated, %ld reactivated\n",
	       c1.v[UC_PAGEOUTS] - c0.v[UC_PAGEOUTS],
	       c1.v[UC_PAGEINS] - c0.v[UC_PAGEINS],
	       c1.v[UC_SWAP_WRITES] - c0.v[UC_SWAP_WRITES],
	       (double)(c1.v[UC_SWAP_WRITTEN] - c0.v[UC_SWAP_WRITTEN]) /
	       (c1.v[UC_SWAP_WRITES] - c0.v[UC_SWAP_WRITES] ?: 1),
	       c1.v[UC_SHRINKER_SCANS] - c0.v[UC_SHRINKER_SCANS],
	       c1.v[UC_PD_WAKEUPS] - c0.v[UC_PD_WAKEUPS],
	       c1.v[UC_PD_DEACTS] - c0.v[UC_PD_DEACTS],
	       c1.v[UC_PD_REACTS] - c0.v[UC_PD_REACTS]);
	rmdir(CG_PD);
	area_off(&ld);
	CHECK_BASELINE(&b);
}

/*
 * With no swap area on, the shrinker reports nothing to free and the same
 * cgroup is OOM-killed, as it was before the pager (and as native memory
 * is without swap).
 */
static void cgroup_no_swap_oom(void)
{
	struct pressure_run r = { .npages = 64 << 8, .nwired = 1 };
	struct uvm_ctrs b, c1;
	int pid, st;

	uvm_ctrs_read(&b);
	CHECK(uvm_read_field(UVM_SYSFS "/swap_pages", NULL) == 0,
	      "a swap area is on");
	uvm_cgroup_make(CG_PD, (64 << 20) / 4);
	pid = uvm_spawn(pressure_child, &r);
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "status %#x: want an OOM kill", st);
	uvm_ctrs_read(&c1);
	CHECK_CTR(&b, &c1, UC_PAGEOUTS, ==, 0);
	rmdir(CG_PD);
	CHECK_BASELINE(&b);
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE(swapon_list_swapoff),
	UVMTEST_CASE(swapon_refuses),
	UVMTEST_CASE(swapctl_needs_root),
	UVMTEST_CASE(two_areas),
	UVMTEST_CASE(rmmod_refused_while_on),
	UVMTEST_CASE(mkswap_refuses),
	UVMTEST_CASE_T(pageout_pagein_private, 120),
	UVMTEST_CASE_T(pageout_pagein_shared, 120),
	UVMTEST_CASE_T(fork_swapped_cow, 120),
	UVMTEST_CASE_T(dontneed_mremap_swapped, 120),
	UVMTEST_CASE_T(pageout_keeps, 120),
	UVMTEST_CASE_T(swap_full, 120),
	UVMTEST_CASE_T(swapoff_pages_in, 120),
	UVMTEST_CASE_T(swapoff_under_load, 300),
	UVMTEST_CASE_T(pageout_write_error, 120),
	UVMTEST_CASE_T(pagein_read_error, 120),
	UVMTEST_CASE_T(cgroup_quarter, 600),
	UVMTEST_CASE_T(cgroup_no_swap_oom, 120),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_swaptest", cases, argc, argv);
}
