// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_coretest: a core dump holds /dev/uvm memory, private and shared,
 * under the default coredump_filter, as it holds anonymous memory. A child
 * fills both kinds, then aborts; the test reads the ELF core file and
 * checks the PT_LOAD segments of both regions hold their data. Needs root
 * (it points /proc/sys/kernel/core_pattern at /tmp): runs in the guests.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uvmmap.h"
#include "uvmtest.h"

#define RW	(PROT_READ | PROT_WRITE)
#define N	4
#define CORE	"/tmp/uvm-core"

static int set_core_pattern(const char *pat)
{
	int fd = open("/proc/sys/kernel/core_pattern", O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, pat, strlen(pat)) == (ssize_t)strlen(pat);
	close(fd);
	return ok ? 0 : -1;
}

/* the bytes of the core's PT_LOAD segment starting at @va, or NULL */
static char *segment(char *core, size_t size, void *va, size_t len)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)core;
	int i;

	CHECK(size > sizeof(*eh) && !memcmp(eh->e_ident, ELFMAG, SELFMAG) &&
	      eh->e_type == ET_CORE, "not an ELF core file");
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(core + eh->e_phoff +
						(size_t)i * eh->e_phentsize);

		if (ph->p_type != PT_LOAD || ph->p_vaddr != (Elf64_Addr)va)
			continue;
		CHECK(ph->p_filesz >= len, "segment at %p: %lu bytes in the core, want %zu",
		      va, (unsigned long)ph->p_filesz, len);
		CHECK(ph->p_offset + len <= size, "core file truncated");
		return core + ph->p_offset;
	}
	return NULL;
}

static void core_holds_uvm_memory(void)
{
	char *priv, *shared, *psh = uvm_shadow(N), *ssh = uvm_shadow(N);
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	char *core, *seg;
	struct stat st;
	int pid, status, fd;
	size_t i;

	if (uvm_native())
		uvmtest_skip("changes core_pattern: guests only");
	unlink(CORE);
	if (set_core_pattern(CORE))
		uvmtest_skip("cannot set core_pattern: %s", strerror(errno));
	priv = uvm_map_ok(N * PGSZ, RW, MAP_PRIVATE);
	shared = uvm_map_ok(N * PGSZ, RW, MAP_SHARED);
	for (i = 0; i < N; i++) {
		uvm_put_page(priv, psh, i, 1, 1);
		uvm_put_page(shared, ssh, i, 2, 1);
	}
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &rl);
		signal(SIGABRT, SIG_DFL);
		abort();
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WCOREDUMP(status), "child did not dump core (status %#x)",
	      status);
	fd = open(CORE, O_RDONLY);
	CHECK(fd >= 0 && !fstat(fd, &st), "%s: %s", CORE, strerror(errno));
	core = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(core != MAP_FAILED, "mmap core: %s", strerror(errno));
	seg = segment(core, st.st_size, priv, N * PGSZ);
	CHECK(seg, "no segment for the private region at %p", priv);
	CHECK(!memcmp(seg, psh, N * PGSZ), "private region: wrong data in the core");
	seg = segment(core, st.st_size, shared, N * PGSZ);
	CHECK(seg, "no segment for the shared region at %p", shared);
	CHECK(!memcmp(seg, ssh, N * PGSZ), "shared region: wrong data in the core");
	munmap(core, st.st_size);
	close(fd);
	unlink(CORE);
	CHECK_OK(munmap(priv, N * PGSZ));
	CHECK_OK(munmap(shared, N * PGSZ));
}

static const struct uvmtest_case cases[] = {
	UVMTEST_CASE_T(core_holds_uvm_memory, 120),
	{ NULL }
};

int main(int argc, char **argv)
{
	return uvmtest_main("uvm_coretest", cases, argc, argv);
}
