// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvmctl: manage uvm.ko's swap areas, like BSD's swapctl(8).
 *
 *   uvmctl mkswap [-f] DEVICE      write a uvmmod swap signature
 *   uvmctl swapon [-p PRIO] DEVICE start using DEVICE (default priority 0)
 *   uvmctl swapoff DEVICE          stop using it
 *   uvmctl setprio PRIO DEVICE     change its priority
 *   uvmctl -l | list               list the areas on
 *
 * Areas are used lowest priority number first, round-robin within a
 * priority. swapon refuses a device without the signature; mkswap refuses
 * a device in use (mounted, anyone's swap) and, without -f, one that holds
 * a Linux swap area or a filesystem it recognises. Everything but list
 * needs CAP_SYS_ADMIN. Exit status 0, or 1 with a message on stderr (for
 * EINVAL from the module, its log line says what is wrong).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <endian.h>

#include "uvm_uapi.h"

#define DEV	"/dev/uvm"

static const char *prog = "uvmctl";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s mkswap [-f] DEVICE\n"
		"       %s swapon [-p PRIORITY] DEVICE\n"
		"       %s swapoff DEVICE\n"
		"       %s setprio PRIORITY DEVICE\n"
		"       %s -l | list\n", prog, prog, prog, prog, prog);
	exit(2);
}

static int open_uvm(void)
{
	int fd = open(DEV, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s%s\n", prog, DEV, strerror(errno),
			errno == ENOENT ? " (is uvm.ko loaded?)" : "");
		exit(1);
	}
	return fd;
}

static long swapctl(unsigned int cmd, const char *path, int prio,
		    void *buf, unsigned int count)
{
	struct uvm_swapctl arg = {
		.cmd = cmd,
		.priority = prio,
		.path = (uintptr_t)path,
		.buf = (uintptr_t)buf,
		.count = count,
	};
	int fd = open_uvm();
	long r = ioctl(fd, UVM_IOC_SWAPCTL, &arg);
	int e = errno;

	close(fd);
	errno = e;
	return r;
}

static int parse_prio(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < UVM_SWAP_PRIO_MIN ||
	    v > UVM_SWAP_PRIO_MAX) {
		fprintf(stderr, "%s: bad priority '%s' (%d to %d)\n", prog, s,
			UVM_SWAP_PRIO_MIN, UVM_SWAP_PRIO_MAX);
		exit(2);
	}
	return (int)v;
}

static int fail(const char *what, const char *path)
{
	int e = errno;

	fprintf(stderr, "%s: %s %s: %s%s\n", prog, what, path, strerror(e),
		e == EINVAL ? " (the kernel log says why)" : "");
	return 1;
}

/* what the device holds, if it is something mkswap must not overwrite */
static const char *recognise(const unsigned char *b, size_t len)
{
	if (len >= 4096 && !memcmp(b + 4086, "SWAPSPACE2", 10))
		return "a Linux swap area";
	if (len >= 1082 && b[1080] == 0x53 && b[1081] == 0xef)
		return "an ext2/3/4 filesystem";
	if (len >= 4 && !memcmp(b, "XFSB", 4))
		return "an XFS filesystem";
	if (len >= 65608 && !memcmp(b + 65600, "_BHRfS_M", 8))
		return "a btrfs filesystem";
	return NULL;	/* nothing known (or ours: rewriting it is fine) */
}

static int do_mkswap(int argc, char **argv)
{
	long pgsz = sysconf(_SC_PAGESIZE);
	static unsigned char buf[65608];
	struct uvm_swap_header *h;
	const char *path, *what;
	uint64_t bytes;
	int fd, c, force = 0;
	unsigned char *page;
	struct stat st;
	ssize_t n;

	while ((c = getopt(argc, argv, "f")) != -1) {
		if (c != 'f')
			usage();
		force = 1;
	}
	if (optind != argc - 1)
		usage();
	path = argv[optind];
	/* O_EXCL on a block device: refused while mounted or swapped on */
	fd = open(path, O_RDWR | O_EXCL | O_CLOEXEC);
	if (fd < 0)
		return fail("mkswap", path);
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode)) {
		errno = ENOTBLK;
		return fail("mkswap", path);
	}
	if (ioctl(fd, BLKGETSIZE64, &bytes))
		return fail("mkswap", path);
	if (bytes / pgsz < 2) {
		fprintf(stderr, "%s: mkswap %s: too small (%" PRIu64 " bytes)\n",
			prog, path, bytes);
		return 1;
	}
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return fail("mkswap", path);
	what = recognise(buf, n);
	if (what && !force) {
		fprintf(stderr, "%s: mkswap %s: it holds %s; -f overwrites it\n",
			prog, path, what);
		return 1;
	}
	page = calloc(1, pgsz);
	if (!page)
		return fail("mkswap", path);
	h = (struct uvm_swap_header *)page;
	memcpy(h->magic, UVM_SWAP_MAGIC, sizeof(h->magic));
	h->version = htole32(UVM_SWAP_VERSION);
	h->page_size = htole32(pgsz);
	h->npages = htole64(bytes / pgsz);
	if (pwrite(fd, page, pgsz, 0) != pgsz || fsync(fd))
		return fail("mkswap", path);
	printf("%s: uvmmod swap area of %" PRIu64 " pages (%" PRIu64 " MiB)\n",
	       path, bytes / pgsz - 1, bytes >> 20);
	free(page);
	close(fd);
	return 0;
}

static int do_swapon(int argc, char **argv)
{
	int c, prio = 0;

	while ((c = getopt(argc, argv, "p:")) != -1) {
		if (c != 'p')
			usage();
		prio = parse_prio(optarg);
	}
	if (optind != argc - 1)
		usage();
	if (swapctl(UVM_SWAP_ON, argv[optind], prio, NULL, 0) < 0)
		return fail("swapon", argv[optind]);
	return 0;
}

static int do_list(void)
{
	long pgkb = sysconf(_SC_PAGESIZE) / 1024, n, i;
	struct uvm_swapent *se;

	n = swapctl(UVM_SWAP_NSWAP, NULL, 0, NULL, 0);
	if (n < 0)
		return fail("list", DEV);
	se = calloc(n ? n : 1, sizeof(*se));
	if (!se)
		return fail("list", DEV);
	n = swapctl(UVM_SWAP_STATS, NULL, 0, se, n);
	if (n < 0)
		return fail("list", DEV);
	printf("%-24s %10s %10s %10s %8s %6s %8s\n", "Device", "1K-blocks",
	       "Used", "Avail", "Capacity", "Bad", "Priority");
	for (i = 0; i < n; i++) {
		uint64_t size = se[i].npages * pgkb;
		uint64_t used = se[i].inuse * pgkb;
		uint64_t avail = (se[i].npages - se[i].inuse - se[i].nbad) *
				 pgkb;

		printf("%-24s %10" PRIu64 " %10" PRIu64 " %10" PRIu64
		       " %7.0f%% %6" PRIu64 " %8d%s\n", se[i].path, size, used,
		       avail, size ? 100.0 * used / size : 0.0,
		       (uint64_t)se[i].nbad,
		       se[i].priority,
		       se[i].flags & UVM_SWF_ENABLE ? "" : " (off)");
	}
	free(se);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		usage();
	cmd = argv[1];
	if (!strcmp(cmd, "-l") || !strcmp(cmd, "list"))
		return argc == 2 ? do_list() : (usage(), 2);
	if (!strcmp(cmd, "mkswap"))
		return do_mkswap(argc - 1, argv + 1);
	if (!strcmp(cmd, "swapon"))
		return do_swapon(argc - 1, argv + 1);
	if (!strcmp(cmd, "swapoff")) {
		if (argc != 3)
			usage();
		if (swapctl(UVM_SWAP_OFF, argv[2], 0, NULL, 0) < 0)
			return fail("swapoff", argv[2]);
		return 0;
	}
	if (!strcmp(cmd, "setprio")) {
		if (argc != 4)
			usage();
		if (swapctl(UVM_SWAP_CTL, argv[3], parse_prio(argv[2]), NULL,
			    0) < 0)
			return fail("setprio", argv[3]);
		return 0;
	}
	usage();
}
