// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvmstat: print uvm.ko's counters, like BSD's `vmstat -s`.
 *
 *   uvmstat [-d dir]
 *
 * Each file of /sys/kernel/uvm (or dir) holds one decimal number. They are
 * printed one a line, the number right-aligned, then what it counts, in this
 * order: the event counters (faults, anon_hits, cow_copies, obj_hits,
 * zero_fills, promotions, amap_copies, faultahead_mapped, restarts,
 * wp_reuse, mem_waits, dontneeds, pageouts, pageins, swap_written,
 * swap_writes, swap_reads, swap_errors, pd_wakeups, pd_scans, pd_deacts,
 * pd_reacts, pd_freed, shrinker_scans), then the gauges of what UVM holds
 * now (pages, anons, amaps, aobjs, entries, holes, swap_pages, swap_inuse,
 * swap_bad, swap_only, active, inactive); then any other file, by name, in
 * alphabetical order. Exits 1 if the directory is missing (uvm.ko not
 * loaded).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name, *desc;
} known[] = {
	{ "faults",		"faults handled by uvm_fault" },
	{ "anon_hits",		"faults resolved from an existing anon" },
	{ "cow_copies",		"copy-on-write page copies" },
	{ "obj_hits",		"faults resolved from an object's page" },
	{ "zero_fills",		"zero-filled pages allocated" },
	{ "promotions",		"object pages promoted to anons" },
	{ "amap_copies",	"amap copies (needs-copy resolved)" },
	{ "faultahead_mapped",	"neighbouring pages mapped by fault-ahead" },
	{ "restarts",		"faults restarted" },
	{ "wp_reuse",		"write faults that reused an unshared anon" },
	{ "mem_waits",		"waits for memory with the locks dropped" },
	{ "dontneeds",		"zaps handled as MADV_DONTNEED" },
	{ "pageouts",		"pages paged out to swap" },
	{ "pageins",		"pages paged in from swap" },
	{ "swap_written",	"pages written to swap" },
	{ "swap_writes",	"write I/Os to swap (clusters)" },
	{ "swap_reads",		"read I/Os from swap" },
	{ "swap_errors",	"swap I/Os that failed" },
	{ "pd_wakeups",		"page daemon runs" },
	{ "pd_scans",		"inactive pages scanned" },
	{ "pd_deacts",		"pages deactivated (unmapped)" },
	{ "pd_reacts",		"inactive pages reactivated (used)" },
	{ "pd_freed",		"pages freed by the daemon or the shrinker" },
	{ "shrinker_scans",	"shrinker calls from Linux's reclaim" },
	{ "pages",		"pages held by uvm" },
	{ "anons",		"anons in use" },
	{ "amaps",		"amaps in use" },
	{ "aobjs",		"anonymous objects in use" },
	{ "entries",		"map entries (VMAs) of /dev/uvm memory" },
	{ "holes",		"DONTNEED holes in amaps shared needs-copy" },
	{ "swap_pages",		"swap pages of the areas on" },
	{ "swap_inuse",		"swap pages holding data" },
	{ "swap_bad",		"swap pages that failed I/O" },
	{ "swap_only",		"anons whose data is only on swap" },
	{ "active",		"pages on the active queues" },
	{ "inactive",		"pages on the inactive queues" },
};

#define NKNOWN	(sizeof(known) / sizeof(known[0]))

/* Print one file: its value right-aligned, then desc. */
static void show(const char *dir, const char *name, const char *desc)
{
	char path[4096], buf[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return;		/* not in this version of the module */
	if (!fgets(buf, sizeof(buf), f))
		snprintf(buf, sizeof(buf), "?");
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	printf("%10s %s\n", buf, desc);
}

static int is_known(const char *name)
{
	size_t i;

	for (i = 0; i < NKNOWN; i++)
		if (strcmp(name, known[i].name) == 0)
			return 1;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *dir = "/sys/kernel/uvm";
	char **others = NULL;
	size_t i, nothers = 0;
	struct dirent *de;
	DIR *d;
	int c;

	while ((c = getopt(argc, argv, "d:h")) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: uvmstat [-d dir]\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "usage: uvmstat [-d dir]\n");
		return 2;
	}

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "uvmstat: %s: %s%s\n", dir, strerror(errno),
			errno == ENOENT ? " (is uvm.ko loaded?)" : "");
		return 1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || is_known(de->d_name))
			continue;
		others = realloc(others, (nothers + 1) * sizeof(*others));
		if (others)
			others[nothers] = strdup(de->d_name);
		if (!others || !others[nothers]) {
			fprintf(stderr, "uvmstat: out of memory\n");
			return 1;
		}
		nothers++;
	}
	closedir(d);
	qsort(others, nothers, sizeof(*others), cmp);

	for (i = 0; i < NKNOWN; i++)
		show(dir, known[i].name, known[i].desc);
	for (i = 0; i < nothers; i++) {
		show(dir, others[i], others[i]);
		free(others[i]);
	}
	free(others);
	return 0;
}
