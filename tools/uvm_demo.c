// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_demo: show what /dev/uvm does, step by step, for `make demo`:
 * private memory, copy-on-write across fork, shared memory, and UVM's
 * counters for each step.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPAGES	64
#define PG	4096

static const char *const names[] = {
	"faults", "zero_fills", "anon_hits", "cow_copies", "amap_copies",
	"faultahead_mapped", "wp_reuse", "pages", "anons", "amaps", "aobjs",
	"entries",
};
#define NNAMES	(sizeof(names) / sizeof(names[0]))

static long stat_read(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/uvm/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static long before[NNAMES];

static void mark(void)
{
	size_t i;

	for (i = 0; i < NNAMES; i++)
		before[i] = stat_read(names[i]);
}

/* print the counters that changed since mark() */
static void show(const char *what)
{
	size_t i;

	printf("  %s\n     ", what);
	for (i = 0; i < NNAMES; i++) {
		long d = stat_read(names[i]) - before[i];

		if (d)
			printf(" %s%+ld", names[i], d);
	}
	printf("\n");
}

static int fill_check(char *p, char want, int npages)
{
	int i;

	for (i = 0; i < npages * PG; i++)
		if (p[i] != want)
			return -1;
	return 0;
}

int main(void)
{
	char *priv, *shared;
	int fd, status;
	pid_t pid;

	fd = open("/dev/uvm", O_RDWR);
	if (fd < 0) {
		printf("open /dev/uvm: %s\n", strerror(errno));
		return 1;
	}
	printf("uvm_demo: %d pages of private and of shared /dev/uvm memory\n",
	       NPAGES);

	mark();
	priv = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		    fd, 0);
	shared = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED) {
		printf("mmap: %s\n", strerror(errno));
		return 1;
	}
	close(fd);	/* the mappings outlive the descriptor */
	memset(priv, 'P', NPAGES * PG);
	memset(shared, 'S', NPAGES * PG);
	show("parent writes every page of both (zero-fill faults):");

	mark();
	pid = fork();
	if (pid == 0) {
		/* child: sees the parent's data, then writes its own */
		int ok = !fill_check(priv, 'P', NPAGES) &&
			 !fill_check(shared, 'S', NPAGES);

		memset(priv, 'c', NPAGES * PG);		/* copy-on-write */
		memset(shared, 's', NPAGES * PG);	/* seen by parent */
		_exit(ok && !fill_check(priv, 'c', NPAGES) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	show("fork; child checks, writes every private page (COW) and every shared page:");
	printf("  child saw the parent's data and its own writes: %s\n",
	       WIFEXITED(status) && !WEXITSTATUS(status) ? "yes" : "NO");
	printf("  parent's private pages still 'P' (child's copies were its own): %s\n",
	       fill_check(priv, 'P', NPAGES) ? "NO" : "yes");
	printf("  parent sees the child's shared writes 's': %s\n",
	       fill_check(shared, 's', NPAGES) ? "NO" : "yes");

	mark();
	munmap(priv, NPAGES * PG);
	munmap(shared, NPAGES * PG);
	show("munmap both (everything UVM allocated is freed):");
	return 0;
}
