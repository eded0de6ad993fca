/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * uvm_kunit_util.h: helpers shared by the suites: gauge snapshots and page
 * contents.
 */
#ifndef UVM_KUNIT_UTIL_H
#define UVM_KUNIT_UTIL_H

#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/string.h>

#include "uvm.h"

/* the live-object gauges, to check a test returns everything it took */
struct uvm_gauges {
	long v[UVM_STAT_NR];
};

static inline void uvm_gauges_read(struct uvm_gauges *g)
{
	int i;

	for (i = 0; i < UVM_STAT_NR; i++)
		g->v[i] = uvm_stat_read(i);
}

static inline long uvm_gauge_delta(const struct uvm_gauges *g,
				   enum uvm_stat_item item)
{
	return uvm_stat_read(item) - g->v[item];
}

#define UVM_EXPECT_ALL_FREED(test, g)					\
	do {								\
		int _i;							\
		for (_i = UVM_STAT_PAGES; _i < UVM_STAT_NR; _i++)	\
			KUNIT_EXPECT_EQ_MSG(test,			\
				uvm_gauge_delta(g, _i), 0L,		\
				"gauge %d not back to its start", _i);	\
	} while (0)

static inline void uvm_page_fill(struct page *pg, int c)
{
	void *p = kmap_local_page(pg);

	memset(p, c, PAGE_SIZE);
	kunmap_local(p);
}

/* true if every byte of @pg is @c */
static inline bool uvm_page_is(struct page *pg, int c)
{
	void *p = kmap_local_page(pg);
	bool ok = !memchr_inv(p, c, PAGE_SIZE);

	kunmap_local(p);
	return ok;
}

#endif /* UVM_KUNIT_UTIL_H */
