// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_devtest: /dev/uvm as a device: its node, who may open it, the module
 * reference an open file holds, and the errors of bad mmap requests.
 * Run with uvm.ko loaded.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"

static void node_is_misc_0666(void)
{
	struct stat st;

	CHECK_OK(stat(UVM_DEV, &st));
	CHECK(S_ISCHR(st.st_mode), "mode %o", st.st_mode);
	CHECK((st.st_mode & 07777) == 0666, "mode %o", st.st_mode & 07777);
	CHECK(major(st.st_rdev) == 10, "major %u", major(st.st_rdev));
}

static void version_matches(void)
{
	char buf[64] = "";
	FILE *f = fopen("/sys/module/uvm/version", "r");

	CHECK(f, "no /sys/module/uvm/version");
	CHECK(fgets(buf, sizeof(buf), f), "empty version");
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	CHECK(strcmp(buf, UVM_VERSION) == 0, "version '%s', want '%s'",
	      buf, UVM_VERSION);
}

/* Any user may open /dev/uvm, as /dev/zero. */
static void open_unprivileged(void)
{
	int fd;

	CHECK_OK(setgid(65534));
	CHECK_OK(setuid(65534));
	fd = uvm_open(O_RDWR);
	close(fd);
	fd = uvm_open(O_RDONLY);
	close(fd);
}

static void mmap_offset_einval(void)
{
	int fd = uvm_open(O_RDWR);

	CHECK_ERR((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096),
		  EINVAL);
	CHECK_ERR((long)mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 1 << 30),
		  EINVAL);
	close(fd);
}

/* Not a hugetlbfs file: the kernel refuses MAP_HUGETLB. */
static void mmap_hugetlb_einval(void)
{
	int fd = uvm_open(O_RDWR);

	CHECK_ERR((long)mmap(NULL, 2 << 20, PROT_READ,
			     MAP_PRIVATE | MAP_HUGETLB, fd, 0), EINVAL);
	close(fd);
}

/* MAP_SHARED_VALIDATE with a flag /dev/uvm does not support. */
static void mmap_validate_unknown_eopnotsupp(void)
{
	int fd = uvm_open(O_RDWR);

	CHECK_ERR((long)mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			     MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0),
		  EOPNOTSUPP);
	close(fd);
}

/* Both kinds of mapping work and read back what was written. */
static void mmap_private_and_shared(void)
{
	int fd = uvm_open(O_RDWR), flags[2] = { MAP_PRIVATE, MAP_SHARED };
	int i;

	for (i = 0; i < 2; i++) {
		char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, flags[i],
			       fd, 0);

		CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
		CHECK(p[0] == 0 && p[8191] == 0, "not zero-filled");
		p[0] = 'a';
		p[8191] = 'b';
		CHECK(p[0] == 'a' && p[8191] == 'b', "lost a write");
		CHECK_OK(munmap(p, 8192));
	}
	close(fd);
}

/* The device is only mapped: read and write are refused. */
static void read_write_einval(void)
{
	char buf[16];
	int fd = uvm_open(O_RDWR);

	CHECK_ERR(read(fd, buf, sizeof(buf)), EINVAL);
	CHECK_ERR(write(fd, buf, sizeof(buf)), EINVAL);
	close(fd);
}

/*
 * An open file pins the module: delete_module(2) refuses with EWOULDBLOCK
 * and the refcount kmod's rmmod checks (to say EBUSY, "in use") is raised.
 */
static void open_pins_module(void)
{
	long before = uvmtest_read_long(UVM_REFCNT), during;
	int fd;

	CHECK(before >= 0, "no %s", UVM_REFCNT);
	fd = uvm_open(O_RDWR);
	during = uvmtest_read_long(UVM_REFCNT);
	CHECK(during == before + 1, "refcnt %ld while open, %ld before",
	      during, before);
	CHECK_ERR(syscall(SYS_delete_module, "uvm", O_NONBLOCK), EWOULDBLOCK);
	CHECK(uvmtest_path_exists("/sys/module/uvm"), "module gone");
	close(fd);
	CHECK(uvmtest_read_long(UVM_REFCNT) == before, "refcnt %ld after close",
	      uvmtest_read_long(UVM_REFCNT));
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE(node_is_misc_0666),
	UVMTEST_CASE(version_matches),
	UVMTEST_CASE(open_unprivileged),
	UVMTEST_CASE(mmap_offset_einval),
	UVMTEST_CASE(mmap_hugetlb_einval),
	UVMTEST_CASE(mmap_validate_unknown_eopnotsupp),
	UVMTEST_CASE(mmap_private_and_shared),
	UVMTEST_CASE(read_write_einval),
	UVMTEST_CASE(open_pins_module),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_devtest", cases, argc, argv);
}
