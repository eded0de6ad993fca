/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * uvmmap.h: what the memory tests of uvmmod share: mapping /dev/uvm, the
 * module's counters in /sys/kernel/uvm, /proc/self/smaps and /proc/meminfo,
 * page patterns checked against a shadow copy, and a SIGSEGV probe.
 *
 * With UVM_TEST_NATIVE=1 in the environment, uvm_map() returns Linux's own
 * MAP_ANONYMOUS memory (same flags otherwise) and the module-specific checks
 * (counters, smaps, the device's errno cases) are skipped: the tests then
 * run on any Linux, which proves their logic and shadow models.
 */
#ifndef UVMMAP_H
#define UVMMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#include "uvmtest.h"

#define UVM_DEV		"/dev/uvm"
#define UVM_SYSFS	"/sys/kernel/uvm"
#define UVM_REFCNT	"/sys/module/uvm/refcnt"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

int uvm_native(void);		/* UVM_TEST_NATIVE=1 */
size_t uvm_pagesize(void);
#define PGSZ	uvm_pagesize()

/*
 * uvm_map: mmap(addr, len, prot, flags, fd of /dev/uvm, 0), the fd closed
 * again at once; MAP_ANONYMOUS instead in native mode. MAP_FAILED and errno
 * on error. uvm_map_ok() fails the case on error.
 */
void *uvm_map_at(void *addr, size_t len, int prot, int flags);
#define uvm_map(len, prot, flags)	uvm_map_at(NULL, len, prot, flags)
void *uvm_map_ok(size_t len, int prot, int flags);
void *uvm_free_range(size_t npages);	/* an unused range, to move to */

/*
 * uvm_madvise: UVM_IOC_MADVISE on a /dev/uvm fd (uvm_uapi.h); in native
 * mode the Linux call it stands for (MADV_FREE, MADV_WIPEONFORK,
 * MADV_KEEPONFORK, mlock, munlock). 0, or -1 and errno.
 */
int uvm_madvise(void *addr, size_t len, unsigned int advice);
int uvm_open(int oflags);	/* open /dev/uvm or fail the case */

/* The counters of /sys/kernel/uvm, in uvmstat's order. */
enum uvm_ctr {
	UC_FAULTS,
	UC_ANON_HITS,
	UC_COW_COPIES,
	UC_ZERO_FILLS,
	UC_PROMOTIONS,
	UC_AMAP_COPIES,
	UC_FAULTAHEAD_MAPPED,
	UC_RESTARTS,
	UC_WP_REUSE,
	UC_MEM_WAITS,
	UC_DONTNEEDS,
	UC_PAGEOUTS,
	UC_PAGEINS,
	UC_SWAP_WRITTEN,
	UC_SWAP_WRITES,
	UC_SWAP_READS,
	UC_SWAP_ERRORS,
	UC_PD_WAKEUPS,
	UC_PD_SCANS,
	UC_PD_DEACTS,
	UC_PD_REACTS,
	UC_PD_FREED,
	UC_SHRINKER_SCANS,
	UC_PAGES,		/* gauges from here on */
	UC_ANONS,
	UC_AMAPS,
	UC_AOBJS,
	UC_ENTRIES,
	UC_HOLES,
	UC_SWAP_PAGES,
	UC_SWAP_INUSE,
	UC_SWAP_BAD,
	UC_SWAP_ONLY,
	UC_ACTIVE,
	UC_INACTIVE,
	UC_NR
};
#define UC_FIRST_GAUGE	UC_PAGES

extern const char *const uvm_ctr_names[UC_NR];

struct uvm_ctrs {
	long v[UC_NR];
};

/* Read every counter (all 0 in native mode); fails the case if one is absent. */
void uvm_ctrs_read(struct uvm_ctrs *c);

/* CHECK_CTR(b, a, UC_PAGES, ==, 16): the delta a - b; skipped in native mode. */
#define CHECK_CTR(b, a, ctr, op, want)					\
	do {								\
		long _d = (a)->v[ctr] - (b)->v[ctr];			\
		if (!uvm_native() && !(_d op (long)(want)))		\
			uvmtest_fail(__FILE__, __LINE__,		\
				     "counter %s: delta %ld, want %s %ld", \
				     uvm_ctr_names[ctr], _d, #op,	\
				     (long)(want));			\
	} while (0)

/*
 * CHECK_BASELINE(b): the gauges (pages, anons, amaps, aobjs, entries) are
 * back to their values in b. Waits up to 2 s for them to settle (an exited
 * child's memory may be freed a moment after wait() returns).
 */
void uvm_check_baseline(const struct uvm_ctrs *b, const char *file, int line);
#define CHECK_BASELINE(b)	uvm_check_baseline(b, __FILE__, __LINE__)

/* The "field:" value in kB of the smaps entry holding addr; -1 if none. */
long uvm_smaps_kb(const void *addr, const char *field);
/* /dev/uvm memory is not Linux anonymous memory: smaps says Anonymous: 0 kB. */
void uvm_check_smaps_anon0(const void *addr, const char *file, int line);
#define CHECK_SMAPS_ANON0(p)	uvm_check_smaps_anon0(p, __FILE__, __LINE__)
long uvm_meminfo_kb(const char *field);	/* -1 if absent */
long uvm_status_kb(const char *field);	/* of /proc/self/status; -1 if absent */
/*
 * The kernel log from now on (an fd of /dev/kmsg), and whether a line of it
 * since then contains what (closes the fd).
 */
int uvm_kmsg_from_now(void);
int uvm_kmsg_has(int fd, const char *what);
/* Write s to path: 0, or -1 with errno. */
int uvm_write_file(const char *path, const char *s);
/* The number after "key " in path (the first number if key is NULL); -1. */
long uvm_read_field(const char *path, const char *key);
/*
 * Cgroup v2 groups: make cg afresh (memory.max = max_bytes unless 0, or skip
 * the case without cgroup v2), move the calling process into it, read its
 * memory.current.
 */
void uvm_cgroup_make(const char *cg, unsigned long max_bytes);
int uvm_cgroup_enter(const char *cg);
long uvm_cgroup_current(const char *cg);

/*
 * Page patterns: word k of a page holds
 *   0xa5 << 56 | page << 32 | gen << 24 | writer << 16 | k
 * (page 24 bits, gen and writer 8 bits each), so a page in the wrong place,
 * of the wrong generation or from the wrong process is told apart.
 */
uint64_t uvm_pat_word(unsigned long pg, unsigned int gen, unsigned int writer,
		      unsigned int k);
void uvm_pat_fill(void *page, unsigned long pg, unsigned int gen,
		  unsigned int writer);
/* Write page pg with a pattern both in the mapping and in its shadow. */
void uvm_put_page(void *map, void *shadow, size_t pg, unsigned int gen,
		  unsigned int writer);
void *uvm_shadow(size_t npages);	/* zeroed, or fail the case */
/* Map npages read-write of the given kind, every page written (writer 1). */
char *uvm_map_filled(size_t npages, int kind, void *shadow, unsigned int gen);
/* Describe a word: "zero", "page P gen G writer W word K" or its hex. */
void uvm_pat_describe(uint64_t w, char *buf, size_t n);

/*
 * Compare npages pages at map with the shadow copy; fail the case naming the
 * first wrong page, its offset, and what is there instead.
 */
void uvm_check_pages(const void *map, const void *shadow, size_t npages,
		     const char *what, const char *file, int line);
#define CHECK_PAGES(map, shadow, npages, what)				\
	uvm_check_pages(map, shadow, npages, what, __FILE__, __LINE__)

/*
 * Probes: touch one byte, catching SIGSEGV and SIGBUS. They return 0 if the
 * access worked, else the signal number. A fault outside a probe fails the
 * case with its address and uvm_fault_context (if set).
 */
int uvm_probe_read(const void *p, unsigned char *out);
int uvm_probe_write(void *p, unsigned char v);
void uvm_catch_faults(void);	/* install the handler (probes do it too) */
extern const char *uvm_fault_context;

/* Processes: fork a child running fn(arg) then _exit(0); wait for it. */
int uvm_spawn(void (*fn)(void *), void *arg);
void uvm_wait_ok(int pid, const char *file, int line);
#define WAIT_OK(pid)	uvm_wait_ok(pid, __FILE__, __LINE__)

/* A pipe pair between two processes for lock-step tests. */
struct uvm_chan {
	int to_child[2];
	int to_parent[2];
};
void uvm_chan_init(struct uvm_chan *ch);
void uvm_chan_child(struct uvm_chan *ch);	/* in the child after fork */
void uvm_chan_parent(struct uvm_chan *ch);	/* in the parent after fork */
void uvm_chan_close(struct uvm_chan *ch);
void uvm_tell_child(struct uvm_chan *ch, char step);
void uvm_tell_parent(struct uvm_chan *ch, char step);
void uvm_await_child(struct uvm_chan *ch, char step);	/* fails on EOF */
void uvm_await_parent(struct uvm_chan *ch, char step);

#endif /* UVMMAP_H */
