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
#include <linux/loop.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE(swapon_list_swapoff),
	UVMTEST_CASE(swapon_refuses),
	UVMTEST_CASE(swapctl_needs_root),
	UVMTEST_CASE(two_areas),
	UVMTEST_CASE(rmmod_refused_while_on),
	UVMTEST_CASE(mkswap_refuses),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_swaptest", cases, argc, argv);
}
