// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_demo: show what /dev/uvm does, step by step, for `make demo`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void show_file(const char *label, const char *path)
{
	char buf[128] = "(absent)";
	FILE *f = fopen(path, "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
		buf[strcspn(buf, "\n")] = 0;
	}
	printf("  %-28s %s\n", label, buf);
}

int main(void)
{
	struct stat st;
	void *p;
	int fd;

	printf("uvm_demo: what uvm.ko provides in this kernel\n");
	show_file("module version:", "/sys/module/uvm/version");
	show_file("module references:", "/sys/module/uvm/refcnt");
	if (stat("/dev/uvm", &st) < 0) {
		printf("  /dev/uvm: %s\n", strerror(errno));
		return 1;
	}
	printf("  %-28s char %u:%u mode %04o\n", "/dev/uvm:",
	       major(st.st_rdev), minor(st.st_rdev), st.st_mode & 07777);

	fd = open("/dev/uvm", O_RDWR);
	if (fd < 0) {
		printf("  open: %s\n", strerror(errno));
		return 1;
	}
	show_file("references while open:", "/sys/module/uvm/refcnt");

	p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		printf("  %-28s %s (the UVM core is not in this version yet)\n",
		       "mmap 1 MiB private:", strerror(errno));
	else
		munmap(p, 1 << 20);
	close(fd);
	show_file("references after close:", "/sys/module/uvm/refcnt");
	return 0;
}
