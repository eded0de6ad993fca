// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_fault_test.c: KUnit suite "uvm_fault": the fault handler's cases 1A,
 * 1B, 2A, 2B, needs-copy resolution, fork and the fault-ahead windows by
 * advice, driving the real uvm_fault() through a recording pmap (UVM's
 * machine-dependent layer) instead of a process's page tables.
 */
#include "uvm_kunit.h"
#include "uvm_kunit_util.h"

#include <linux/file.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/vmalloc.h>

#define TP_PAGES	64
#define TP_BASE		0x7f0000000000UL

/* a pmap that records what uvm_fault maps */
struct test_pmap {
	struct uvm_pmap pmap;
	struct page *mapped[TP_PAGES];
	unsigned int prot[TP_PAGES];
	unsigned int nenter;		/* non-center entries */
	unsigned int nremove;
	unsigned int nprotect;
};

static unsigned int tp_idx(unsigned long va)
{
	return (va - TP_BASE) >> PAGE_SHIFT;
}

static int tp_enter(struct uvm_pmap *pmap, unsigned long va, struct page *pg,
		    unsigned int prot, bool center)
{
	struct test_pmap *tp = container_of(pmap, struct test_pmap, pmap);
	unsigned int i = tp_idx(va);

	if (!center && tp->mapped[i])
		return -EBUSY;
	tp->mapped[i] = pg;
	tp->prot[i] = prot;
	if (center) {
		pmap->fault_page = pg;
		pmap->fault_prot = prot;
	} else {
		tp->nenter++;
	}
	return 0;
}

static void tp_extract(struct uvm_pmap *pmap, unsigned long sva,
		       unsigned int n, unsigned long *mapped)
{
	struct test_pmap *tp = container_of(pmap, struct test_pmap, pmap);
	unsigned int i;

	for (i = 0; i < n; i++)
		if (tp->mapped[tp_idx(sva) + i])
			__set_bit(i, mapped);
}

static void tp_remove(struct uvm_pmap *pmap, unsigned long sva,
		      unsigned long eva)
{
	struct test_pmap *tp = container_of(pmap, struct test_pmap, pmap);
	unsigned long va;

	for (va = sva; va < eva; va += PAGE_SIZE)
		tp->mapped[tp_idx(va)] = NULL;
	tp->nremove++;
}

static void tp_protect(struct uvm_pmap *pmap, unsigned long sva,
		       unsigned long eva)
{
	struct test_pmap *tp = container_of(pmap, struct test_pmap, pmap);
	unsigned long va;

	for (va = sva; va < eva; va += PAGE_SIZE)
		tp->prot[tp_idx(va)] &= ~UVM_PROT_WRITE;
	tp->nprotect++;
}

static const struct uvm_pmap_ops tp_ops = {
	.enter = tp_enter,
	.extract = tp_extract,
	.remove = tp_remove,
	.protect = tp_protect,
};

static struct test_pmap *tp_new(struct kunit *test, unsigned int prot)
{
	struct test_pmap *tp = kunit_kzalloc(test, sizeof(*tp), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tp);
	tp->pmap.ops = &tp_ops;
	tp->pmap.max_prot = prot;
	/* the recording pmap needs no page tables: fault-ahead anywhere */
	tp->pmap.ahead_lo = 0;
	tp->pmap.ahead_hi = ULONG_MAX;
	return tp;
}

#define RW	(UVM_PROT_READ | UVM_PROT_WRITE)
#define VA(i)	(TP_BASE + ((unsigned long)(i) << PAGE_SHIFT))

static struct uvm_map_entry *entry_new(struct kunit *test, bool shared)
{
	struct uvm_map_entry *e = uvm_mapent_create(TP_BASE, 0, TP_PAGES,
						    shared, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, e);
	return e;
}

static int fault(struct test_pmap *tp, struct uvm_map_entry *e,
		 unsigned int i, unsigned int access)
{
	tp->pmap.fault_page = NULL;
	return uvm_fault(e, &tp->pmap, VA(i) + 123, access);
}

/*
 * Private memory, first touch: needs-copy gives the entry an amap, then
 * case 2B with no object zero-fills a new anon; read or write alike.
 */
static void uvm_fault_test_zero_fill(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW);
	struct uvm_map_entry *e;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	e = entry_new(test, false);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 5, UVM_PROT_READ), 0);
	KUNIT_EXPECT_FALSE(test, e->etype & UVM_ET_NEEDSCOPY);
	KUNIT_ASSERT_NOT_NULL(test, e->amap);
	KUNIT_ASSERT_NOT_NULL(test, tp->pmap.fault_page);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(tp->pmap.fault_page, 0));
	KUNIT_EXPECT_EQ(test, tp->pmap.fault_prot, RW);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ZERO_FILLS), 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_AMAP_COPIES), 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ANONS), 1L);
	uvm_mapent_free(e);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* Case 1A: the anon is found again, same page, no new memory. */
static void uvm_fault_test_case_1a(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW);
	struct uvm_map_entry *e;
	struct uvm_gauges g;
	struct page *pg;

	uvm_gauges_read(&g);
	e = entry_new(test, false);
	KUNIT_ASSERT_EQ(test, fault(tp, e, 7, UVM_PROT_WRITE), 0);
	pg = tp->pmap.fault_page;
	uvm_page_fill(pg, 0x11);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 7, UVM_PROT_READ), 0);
	KUNIT_EXPECT_PTR_EQ(test, tp->pmap.fault_page, pg);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 7, UVM_PROT_WRITE), 0);
	KUNIT_EXPECT_PTR_EQ(test, tp->pmap.fault_page, pg);
	KUNIT_EXPECT_EQ(test, tp->pmap.fault_prot, RW);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ANON_HITS), 2L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_COW_COPIES), 0L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PAGES), 1L);
	uvm_mapent_free(e);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * Fork and case 1B: the child's entry shares the amap with needs-copy and
 * the parent is write-protected. The child's write copies the amap, then
 * the anon (an_ref 2): a new page with the old data. The parent, now the
 * amap's only user, keeps its amap and its page, writable again.
 */
static void uvm_fault_test_fork_case_1b(struct kunit *test)
{
	struct test_pmap *ptp = tp_new(test, RW), *ctp = tp_new(test, RW);
	struct uvm_map_entry *parent, *child;
	struct page *ppg, *cpg;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	parent = entry_new(test, false);
	KUNIT_ASSERT_EQ(test, fault(ptp, parent, 9, UVM_PROT_WRITE), 0);
	ppg = ptp->pmap.fault_page;
	uvm_page_fill(ppg, 0x22);

	child = uvm_mapent_fork(parent, &ptp->pmap, TP_BASE, 0, TP_PAGES);
	/* the parent is write-protected, its pages stay mapped */
	KUNIT_EXPECT_EQ(test, ptp->nprotect, 1U);
	KUNIT_EXPECT_EQ(test, ptp->nremove, 0U);
	KUNIT_EXPECT_PTR_EQ(test, ptp->mapped[9], ppg);
	KUNIT_EXPECT_EQ(test, ptp->prot[9], (unsigned int)UVM_PROT_READ);
	KUNIT_EXPECT_TRUE(test, parent->etype & UVM_ET_NEEDSCOPY);
	KUNIT_EXPECT_TRUE(test, child->etype & UVM_ET_NEEDSCOPY);
	KUNIT_EXPECT_PTR_EQ(test, child->amap, parent->amap);
	KUNIT_EXPECT_EQ(test, parent->amap->am_ref, 2U);

	/* a read in the child sees the parent's page, read-only */
	KUNIT_EXPECT_EQ(test, fault(ctp, child, 9, UVM_PROT_READ), 0);
	KUNIT_EXPECT_PTR_EQ(test, ctp->pmap.fault_page, ppg);
	KUNIT_EXPECT_EQ(test, ctp->pmap.fault_prot, UVM_PROT_READ);

	/* the child's write copies */
	KUNIT_EXPECT_EQ(test, fault(ctp, child, 9, UVM_PROT_WRITE), 0);
	cpg = ctp->pmap.fault_page;
	KUNIT_EXPECT_PTR_NE(test, cpg, ppg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(cpg, 0x22));
	KUNIT_EXPECT_EQ(test, ctp->pmap.fault_prot, RW);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_COW_COPIES), 1L);
	uvm_page_fill(cpg, 0x33);

	/* the parent writes its own page, without a copy */
	KUNIT_EXPECT_EQ(test, fault(ptp, parent, 9, UVM_PROT_WRITE), 0);
	KUNIT_EXPECT_PTR_EQ(test, ptp->pmap.fault_page, ppg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(ppg, 0x22));
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_COW_COPIES), 1L);
	KUNIT_EXPECT_FALSE(test, parent->etype & UVM_ET_NEEDSCOPY);

	uvm_mapent_free(child);
	uvm_mapent_free(parent);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* Case 2A: shared memory maps the aobj's page, writable, the same page. */
static void uvm_fault_test_case_2a(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW), *tp2 = tp_new(test, RW);
	struct uvm_map_entry *e, *child;
	struct uvm_gauges g;
	struct page *pg;

	uvm_gauges_read(&g);
	e = entry_new(test, true);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 2, UVM_PROT_WRITE), 0);
	pg = tp->pmap.fault_page;
	KUNIT_EXPECT_EQ(test, tp->pmap.fault_prot, RW);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0));
	/* a forked child shares the object */
	child = uvm_mapent_fork(e, &tp->pmap, TP_BASE, 0, TP_PAGES);
	KUNIT_EXPECT_EQ(test, tp->nremove + tp->nprotect, 0U);
	KUNIT_EXPECT_EQ(test, fault(tp2, child, 2, UVM_PROT_WRITE), 0);
	KUNIT_EXPECT_PTR_EQ(test, tp2->pmap.fault_page, pg);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_OBJ_HITS), 2L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ZERO_FILLS), 1L);
	KUNIT_EXPECT_NULL(test, e->amap);
	uvm_mapent_free(child);
	uvm_mapent_free(e);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * Case 2B with an object (a private, copy-on-write mapping of an object,
 * as BSD's MAP_PRIVATE file mappings): a read maps the object's page
 * read-only (needs-copy stays); a write promotes a copy into a new anon
 * and leaves the object's page alone.
 */
static void uvm_fault_test_case_2b_promote(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW);
	struct uvm_map_entry *e;
	struct page *opg, *apg;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	e = entry_new(test, true);
	e->etype = UVM_ET_COPYONWRITE | UVM_ET_NEEDSCOPY;
	mutex_lock(&e->uobj->vmobjlock);
	KUNIT_ASSERT_EQ(test, uao_get(e->uobj, 4, &opg, UVM_GFP_LOCKED, NULL), 0);
	mutex_unlock(&e->uobj->vmobjlock);
	uvm_page_fill(opg, 0x44);

	KUNIT_EXPECT_EQ(test, fault(tp, e, 4, UVM_PROT_READ), 0);
	KUNIT_EXPECT_PTR_EQ(test, tp->pmap.fault_page, opg);
	KUNIT_EXPECT_EQ(test, tp->pmap.fault_prot, UVM_PROT_READ);
	KUNIT_EXPECT_TRUE(test, e->etype & UVM_ET_NEEDSCOPY);

	KUNIT_EXPECT_EQ(test, fault(tp, e, 4, UVM_PROT_WRITE), 0);
	apg = tp->pmap.fault_page;
	KUNIT_EXPECT_PTR_NE(test, apg, opg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(apg, 0x44));
	KUNIT_EXPECT_EQ(test, tp->pmap.fault_prot, RW);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PROMOTIONS), 1L);
	uvm_page_fill(apg, 0x55);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(opg, 0x44));
	/* the anon now shadows the object */
	KUNIT_EXPECT_EQ(test, fault(tp, e, 4, UVM_PROT_READ), 0);
	KUNIT_EXPECT_PTR_EQ(test, tp->pmap.fault_page, apg);
	uvm_mapent_free(e);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* a write to a read-only entry is refused */
static void uvm_fault_test_protection(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, UVM_PROT_READ);
	struct uvm_map_entry *e;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	e = entry_new(test, false);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 0, UVM_PROT_WRITE), -EACCES);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 0, UVM_PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, tp->pmap.fault_prot, UVM_PROT_READ);
	uvm_mapent_free(e);
	UVM_EXPECT_ALL_FREED(test, &g);
}

struct fa_param {
	enum uvm_advice advice;
	unsigned int center;
	unsigned int premapped;		/* a neighbour already mapped, or 0 */
	unsigned int first, last;	/* neighbours expected entered */
	const char *desc;
};

static const struct fa_param fa_params[] = {
	{ UVM_ADV_NORMAL, 20, 0, 17, 24, "normal: 3 back, 4 ahead" },
	{ UVM_ADV_SEQUENTIAL, 20, 0, 21, 27,
	  "sequential: 7 ahead, back pages dropped" },
	{ UVM_ADV_RANDOM, 20, 0, 20, 20, "random: none" },
	{ UVM_ADV_NORMAL, 0, 0, 0, 4, "normal at the entry's start" },
	{ UVM_ADV_NORMAL, TP_PAGES - 1, 0, TP_PAGES - 4, TP_PAGES - 1,
	  "normal at the entry's end" },
	{ UVM_ADV_NORMAL, 20, 22, 17, 24, "normal, skipping a mapped page" },
};

static void fa_desc(const struct fa_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fa, fa_params, fa_desc);

/*
 * Fault-ahead: with every page resident but none mapped (as in a child
 * after fork), a read fault maps the resident neighbours within the
 * advice window, skipping those already mapped.
 */
static void uvm_fault_test_faultahead(struct kunit *test)
{
	const struct fa_param *p = test->param_value;
	struct test_pmap *tp = tp_new(test, RW), *fresh;
	unsigned int i, want = 0;
	struct uvm_map_entry *e;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	e = entry_new(test, false);
	for (i = 0; i < TP_PAGES; i++)
		KUNIT_ASSERT_EQ(test, fault(tp, e, i, UVM_PROT_WRITE), 0);
	e->advice = p->advice;

	fresh = tp_new(test, RW);	/* page tables dropped */
	if (p->premapped)
		fresh->mapped[p->premapped] = tp->mapped[p->premapped];
	uvm_gauges_read(&g);
	KUNIT_EXPECT_EQ(test, fault(fresh, e, p->center, UVM_PROT_READ), 0);
	for (i = p->first; i <= p->last; i++) {
		if (i == p->center || i == p->premapped)
			continue;
		KUNIT_EXPECT_PTR_EQ_MSG(test, fresh->mapped[i], tp->mapped[i],
					"page %u not entered", i);
		want++;
	}
	KUNIT_EXPECT_EQ(test, fresh->nenter, want);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_FAULTAHEAD),
			(long)want);
	uvm_mapent_free(e);
}

/*
 * No fault-ahead on a write: in a fork child the neighbours are anons
 * shared with the parent (an_ref 2), which a write would copy; mapping
 * them read-only would cost a zap and a second fault when the write comes.
 * A read fault still maps them.
 */
static void uvm_fault_test_write_skips_shared(struct kunit *test)
{
	struct test_pmap *ptp = tp_new(test, RW), *ctp = tp_new(test, RW);
	struct uvm_map_entry *parent, *child;
	struct uvm_gauges g;
	unsigned int i;

	uvm_gauges_read(&g);
	parent = entry_new(test, false);
	for (i = 0; i < TP_PAGES; i++)
		KUNIT_ASSERT_EQ(test, fault(ptp, parent, i, UVM_PROT_WRITE), 0);
	child = uvm_mapent_fork(parent, &ptp->pmap, TP_BASE, 0, TP_PAGES);

	KUNIT_EXPECT_EQ(test, fault(ctp, child, 20, UVM_PROT_WRITE), 0);
	KUNIT_EXPECT_PTR_NE(test, ctp->pmap.fault_page, ptp->mapped[20]);
	KUNIT_EXPECT_EQ(test, ctp->nenter, 0U);
	/* the page written is the child's own now: a neighbour again */
	KUNIT_EXPECT_EQ(test, fault(ctp, child, 21, UVM_PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, ctp->nenter, 6U);	/* 18, 19 and 22..25 */
	KUNIT_EXPECT_PTR_EQ(test, ctp->mapped[22], ptp->mapped[22]);
	KUNIT_EXPECT_EQ(test, ctp->prot[22], (unsigned int)UVM_PROT_READ);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_COW_COPIES), 1L);

	uvm_mapent_free(child);
	uvm_mapent_free(parent);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * MADV_DONTNEED on an entry: private memory loses the range's anons (a
 * fork sibling keeps its data: the range becomes a hole of the entry, and
 * the entry's own copy of the amap, made by its next fault, leaves it
 * empty; DONTNEED copies nothing itself); shared memory keeps its pages.
 */
static void uvm_fault_test_dontneed(struct kunit *test)
{
	struct test_pmap *ptp = tp_new(test, RW), *ctp = tp_new(test, RW);
	struct uvm_map_entry *parent, *child, *shared;
	struct uvm_gauges g, d;
	struct page *pg;

	uvm_gauges_read(&g);
	parent = entry_new(test, false);
	KUNIT_ASSERT_EQ(test, fault(ptp, parent, 4, UVM_PROT_WRITE), 0);
	pg = ptp->pmap.fault_page;
	uvm_page_fill(pg, 0x66);
	KUNIT_ASSERT_EQ(test, fault(ptp, parent, 5, UVM_PROT_WRITE), 0);
	child = uvm_mapent_fork(parent, &ptp->pmap, TP_BASE, 0, TP_PAGES);

	uvm_gauges_read(&d);
	uvm_mapent_dontneed(parent, VA(4), VA(5));
	KUNIT_EXPECT_TRUE(test, parent->etype & UVM_ET_NEEDSCOPY);
	KUNIT_EXPECT_PTR_EQ(test, parent->amap, child->amap);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_AMAP_COPIES), 0L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_ANONS), 0L);
	/* the parent reads zeroes at 4, keeps 5; the child keeps both */
	KUNIT_EXPECT_EQ(test, fault(ptp, parent, 4, UVM_PROT_READ), 0);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(ptp->pmap.fault_page, 0));
	KUNIT_EXPECT_FALSE(test, parent->etype & UVM_ET_NEEDSCOPY);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_AMAP_COPIES), 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 0L);
	KUNIT_EXPECT_EQ(test, fault(ctp, child, 4, UVM_PROT_READ), 0);
	KUNIT_EXPECT_PTR_EQ(test, ctp->pmap.fault_page, pg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0x66));

	shared = entry_new(test, true);
	KUNIT_ASSERT_EQ(test, fault(ptp, shared, 2, UVM_PROT_WRITE), 0);
	pg = ptp->pmap.fault_page;
	uvm_mapent_dontneed(shared, VA(0), VA(TP_PAGES));
	KUNIT_EXPECT_EQ(test, fault(ptp, shared, 2, UVM_PROT_READ), 0);
	KUNIT_EXPECT_PTR_EQ(test, ptp->pmap.fault_page, pg);

	uvm_mapent_free(shared);
	uvm_mapent_free(child);
	uvm_mapent_free(parent);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* fill slots [0, n) of @e with anons whose pages hold their slot number */
static void fill_slots(struct kunit *test, struct test_pmap *tp,
		       struct uvm_map_entry *e, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, fault(tp, e, i, UVM_PROT_WRITE), 0);
		uvm_page_fill(tp->pmap.fault_page, i);
	}
}

/* what @e reads at slot @i: its byte, or -1 */
static int read_slot(struct kunit *test, struct uvm_map_entry *e,
		     unsigned int i)
{
	struct test_pmap *tp = tp_new(test, RW);
	int c;

	if (fault(tp, e, i, UVM_PROT_READ) || !tp->pmap.fault_page)
		return -1;
	for (c = 0; c < 256; c++)
		if (uvm_page_is(tp->pmap.fault_page, c))
			return c;
	return -1;
}

/*
 * Holes of a needs-copy entry: DONTNEEDs that touch merge into one, one
 * over no anon makes none; fork gives the child the parent's holes, a
 * split gives each half its own, mremap's move its range's; a copy empties
 * them; the last entry of an amap drops its holes on the next DONTNEED.
 */
static void uvm_fault_test_dontneed_holes(struct kunit *test)
{
	struct test_pmap *ptp = tp_new(test, RW), *ctp = tp_new(test, RW);
	struct uvm_map_entry *parent, *child, *grand, *half, *moved;
	struct uvm_gauges g, d;
	pgoff_t end;

	uvm_gauges_read(&g);
	parent = entry_new(test, false);
	fill_slots(test, ptp, parent, 16);
	child = uvm_mapent_fork(parent, &ptp->pmap, TP_BASE, 0, TP_PAGES);

	uvm_gauges_read(&d);
	uvm_mapent_dontneed(child, VA(2), VA(4));
	uvm_mapent_dontneed(child, VA(6), VA(8));
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 2L);
	uvm_mapent_dontneed(child, VA(4), VA(6));
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 1L);
	uvm_mapent_dontneed(child, VA(20), VA(30));	/* no anon there */
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 1L);
	uvm_mapent_dontneed(child, VA(12), VA(13));
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 2L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_AMAP_COPIES), 0L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_ANONS), 0L);
	down_read(&child->lock);
	KUNIT_EXPECT_TRUE(test, uvm_mapent_hole(child, 2, &end));
	KUNIT_EXPECT_EQ(test, end, 8UL);
	KUNIT_EXPECT_TRUE(test, uvm_mapent_hole(child, 7, &end));
	KUNIT_EXPECT_FALSE(test, uvm_mapent_hole(child, 8, &end));
	KUNIT_EXPECT_FALSE(test, uvm_mapent_hole(child, 1, &end));
	up_read(&child->lock);

	/* fork: the grandchild has both holes; move: the range's */
	grand = uvm_mapent_fork(child, &ctp->pmap, TP_BASE, 0, TP_PAGES);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 4L);
	moved = uvm_mapent_dup(child, VA(10), 10, 14);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 5L);
	/* split [0, 4) off: it gets [2, 4), the child keeps [4, 8), [12, 13) */
	half = uvm_mapent_split(child, TP_BASE, 0, 4);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 6L);

	KUNIT_EXPECT_EQ(test, read_slot(test, half, 1), 1);
	KUNIT_EXPECT_EQ(test, read_slot(test, half, 3), 0);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 5L);
	KUNIT_EXPECT_EQ(test, read_slot(test, child, 4), 0);
	KUNIT_EXPECT_EQ(test, read_slot(test, child, 8), 8);
	KUNIT_EXPECT_EQ(test, read_slot(test, child, 12), 0);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 3L);
	KUNIT_EXPECT_EQ(test, read_slot(test, moved, 11), 11);
	KUNIT_EXPECT_EQ(test, read_slot(test, moved, 12), 0);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 2L);
	KUNIT_EXPECT_EQ(test, read_slot(test, grand, 5), 0);
	KUNIT_EXPECT_EQ(test, read_slot(test, grand, 9), 9);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 0L);
	/* the parent keeps everything */
	KUNIT_EXPECT_EQ(test, read_slot(test, parent, 5), 5);
	KUNIT_EXPECT_EQ(test, read_slot(test, parent, 12), 12);
	uvm_mapent_free(grand);
	uvm_mapent_free(moved);
	uvm_mapent_free(half);
	uvm_mapent_free(child);

	/* the last reference: a DONTNEED frees the anons at once */
	child = uvm_mapent_fork(parent, &ptp->pmap, TP_BASE, 0, TP_PAGES);
	uvm_mapent_free(child);
	uvm_gauges_read(&d);
	uvm_mapent_dontneed(parent, VA(0), VA(4));
	KUNIT_EXPECT_FALSE(test, parent->etype & UVM_ET_NEEDSCOPY);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_HOLES), 0L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&d, UVM_STAT_ANONS), -4L);
	uvm_mapent_free(parent);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * A needs-copy entry's holes that nobody faults on go with it, and a
 * growth that has to copy the amap empties them as a fault's copy does.
 */
static void uvm_fault_test_dontneed_holes_free(struct kunit *test)
{
	struct test_pmap *ptp = tp_new(test, RW);
	struct uvm_map_entry *parent, *child, *half;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	parent = entry_new(test, false);
	fill_slots(test, ptp, parent, 8);
	child = uvm_mapent_fork(parent, &ptp->pmap, TP_BASE, 0, TP_PAGES);
	uvm_mapent_dontneed(child, VA(1), VA(2));
	uvm_mapent_dontneed(child, VA(5), VA(6));
	uvm_mapent_free(child);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_HOLES), 0L);

	/* a half that grows into slots the other half references: a copy */
	child = uvm_mapent_fork(parent, &ptp->pmap, TP_BASE, 0, TP_PAGES);
	half = uvm_mapent_split(child, TP_BASE, 0, TP_PAGES / 2);
	uvm_mapent_dontneed(half, VA(1), VA(2));
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_HOLES), 1L);
	KUNIT_ASSERT_EQ(test, uvm_mapent_grow(half, TP_PAGES / 2 + 8,
					      GFP_KERNEL), 8L);
	KUNIT_EXPECT_PTR_NE(test, half->amap, parent->amap);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_HOLES), 0L);
	KUNIT_EXPECT_EQ(test, read_slot(test, half, 1), 0);
	KUNIT_EXPECT_EQ(test, read_slot(test, half, 2), 2);
	KUNIT_EXPECT_EQ(test, read_slot(test, parent, 1), 1);
	uvm_mapent_free(half);
	uvm_mapent_free(child);
	uvm_mapent_free(parent);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* page out @e's anon at @i by hand, to a slot of the (KUnit) area on */
static struct uvm_anon *swap_out_by_hand(struct kunit *test,
					 struct uvm_map_entry *e, unsigned int i)
{
	struct uvm_anon *anon;
	unsigned int n = 1;

	amap_lock(e->amap);
	anon = amap_lookup(e->amap, i);
	KUNIT_ASSERT_NOT_NULL(test, anon);
	anon->an_swslot = uvm_swap_alloc(&n, false);
	KUNIT_ASSERT_NE(test, anon->an_swslot, 0U);
	uvm_pagefree(anon->an_page);
	anon->an_page = NULL;
	uvm_stat_add(UVM_STAT_SWAP_ONLY, 1);
	amap_unlock(e->amap);
	return anon;
}

/*
 * The page-in protocol of uvmfault_anonget (uvm_pager.c), without I/O (a
 * KUnit swap area has no device): a page-in under way is waited for, a
 * failed read loses the page for good (SWSLOT_BAD, the slot bad, -EIO,
 * then SIGBUS), a finished one is mapped read-only while it keeps its slot
 * and a write drops the slot.
 */
static void uvm_fault_test_anonget(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW);
	struct uvm_anon *a, *b, *spare = NULL;
	struct uvm_swapdev *sdp;
	struct uvm_map_entry *e;
	struct page *pg, *pg2;
	unsigned int slot;
	struct uvm_gauges g;

	if (uvm_stat_read(UVM_STAT_SWAP_PAGES))
		kunit_skip(test, "a swap area is on");
	uvm_gauges_read(&g);
	sdp = uvm_swapdev_create(9);
	KUNIT_ASSERT_NOT_NULL(test, sdp);
	KUNIT_ASSERT_EQ(test, uvm_swapdev_insert(sdp, 0), 0);
	e = entry_new(test, false);
	KUNIT_ASSERT_EQ(test, fault(tp, e, 4, UVM_PROT_WRITE), 0);
	KUNIT_ASSERT_EQ(test, fault(tp, e, 5, UVM_PROT_WRITE), 0);
	a = swap_out_by_hand(test, e, 4);
	b = swap_out_by_hand(test, e, 5);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 2L);

	/* a page-in starts: the page is the anon's, locked, not up to date */
	amap_lock(e->amap);
	KUNIT_EXPECT_EQ(test, uvm_anon_pagein_prepare(e->amap, 4, a, &spare,
						      &pg, &slot, false),
			UVM_PAGEIN_READ);
	KUNIT_EXPECT_PTR_EQ(test, a->an_page, pg);
	KUNIT_EXPECT_EQ(test, slot, a->an_swslot);
	KUNIT_EXPECT_TRUE(test, PageLocked(pg));
	KUNIT_EXPECT_FALSE(test, uvm_anon_resident(a));
	/* a second fault would wait for it */
	KUNIT_EXPECT_EQ(test, uvm_anon_pagein_prepare(e->amap, 4, a, &spare,
						      &pg2, &slot, false),
			UVM_PAGEIN_WAIT);
	KUNIT_EXPECT_PTR_EQ(test, pg2, pg);
	put_page(pg2);
	amap_unlock(e->amap);
	/* the read fails: the page is unlocked, still not up to date */
	unlock_page(pg);
	put_page(pg);
	/* the next one to find it reads it once more (a read-ahead's) */
	amap_lock(e->amap);
	KUNIT_EXPECT_EQ(test, uvm_anon_pagein_prepare(e->amap, 4, a, &spare,
						      &pg2, &slot, false),
			UVM_PAGEIN_READ);
	KUNIT_EXPECT_PTR_EQ(test, pg2, pg);
	KUNIT_EXPECT_TRUE(test, PageLocked(pg));
	amap_unlock(e->amap);
	/* that fails too: the data is lost, for good */
	unlock_page(pg);
	put_page(pg);
	amap_lock(e->amap);
	KUNIT_EXPECT_EQ(test, uvm_anon_pagein_prepare(e->amap, 4, a, &spare,
						      &pg2, &slot, true),
			-EIO);
	amap_unlock(e->amap);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 4, UVM_PROT_READ), -EIO);
	KUNIT_EXPECT_EQ(test, a->an_swslot, UVM_SWSLOT_BAD);
	KUNIT_EXPECT_NULL(test, a->an_page);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_BAD), 1L);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 4, UVM_PROT_WRITE), -EIO);

	/* a read that works: mapped read-only while the slot holds a copy */
	amap_lock(e->amap);
	KUNIT_EXPECT_EQ(test, uvm_anon_pagein_prepare(e->amap, 5, b, &spare,
						      &pg, &slot, false),
			UVM_PAGEIN_READ);
	amap_unlock(e->amap);
	uvm_page_fill(pg, 0x5b);
	SetPageUptodate(pg);
	unlock_page(pg);
	put_page(pg);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 5, UVM_PROT_READ), 0);
	KUNIT_EXPECT_PTR_EQ(test, tp->pmap.fault_page, pg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0x5b));
	KUNIT_EXPECT_EQ(test, tp->pmap.fault_prot, (unsigned int)UVM_PROT_READ);
	KUNIT_EXPECT_EQ(test, fault(tp, e, 5, UVM_PROT_WRITE), 0);
	KUNIT_EXPECT_EQ(test, tp->pmap.fault_prot, (unsigned int)RW);
	KUNIT_EXPECT_EQ(test, b->an_swslot, 0U);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 0L);

	uvm_mapent_free(e);
	uvm_swapdev_remove(sdp);
	uvm_swapdev_destroy(sdp);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/* MADV_WILLNEED enters the resident pages of a range, allocating none */
static void uvm_fault_test_willneed(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW), *fresh = tp_new(test, RW);
	struct uvm_map_entry *e;
	struct uvm_gauges g;
	unsigned int i;

	e = entry_new(test, false);
	for (i = 10; i < 20; i += 3)	/* 10, 13, 16, 19 */
		KUNIT_ASSERT_EQ(test, fault(tp, e, i, UVM_PROT_WRITE), 0);
	uvm_gauges_read(&g);
	uvm_map_willneed(e, &fresh->pmap, VA(0), VA(17));
	KUNIT_EXPECT_EQ(test, fresh->nenter, 3U);
	for (i = 10; i < 17; i += 3)
		KUNIT_EXPECT_PTR_EQ(test, fresh->mapped[i], tp->mapped[i]);
	KUNIT_EXPECT_NULL(test, fresh->mapped[19]);
	KUNIT_EXPECT_EQ(test, fresh->prot[13], (unsigned int)UVM_PROT_READ);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PAGES), 0L);
	uvm_mapent_free(e);
}

#define GROW_FROM	32
#define GROW_TO		48

/*
 * mremap growth, private: the grown slots are zero-fill; with no other
 * entry on them the amap just extends; a piece of the same mapping still
 * holding those slots (moved away) makes the entry copy its amap first, so
 * it never sees the piece's pages, and the piece keeps them.
 */
static void uvm_fault_test_grow_private(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW), *ftp = tp_new(test, RW);
	struct uvm_map_entry *e, *f;
	struct uvm_amap *amap;
	struct page *pg, *fpg;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	e = uvm_mapent_create(TP_BASE, 0, GROW_FROM, false, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_EQ(test, fault(tp, e, 2, UVM_PROT_WRITE), 0);
	pg = tp->pmap.fault_page;
	uvm_page_fill(pg, 0x5a);
	amap = e->amap;

	/* nobody else on the new slots: the same amap, extended */
	KUNIT_EXPECT_EQ(test, uvm_mapent_grow(e, GROW_FROM + 4, GFP_KERNEL),
			4L);
	KUNIT_EXPECT_EQ(test, e->end, (pgoff_t)GROW_FROM + 4);
	KUNIT_EXPECT_PTR_EQ(test, e->amap, amap);
	KUNIT_ASSERT_EQ(test, fault(tp, e, GROW_FROM + 1, UVM_PROT_READ), 0);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(tp->pmap.fault_page, 0));

	/* split off [16, 36) (a piece mremap then moves elsewhere) */
	f = uvm_mapent_split(e, VA(16), 16, GROW_FROM + 4);
	KUNIT_ASSERT_EQ(test, fault(ftp, f, 20, UVM_PROT_WRITE), 0);
	fpg = ftp->pmap.fault_page;
	uvm_page_fill(fpg, 0xf0);

	/* e, now [0, 16), grows over the piece's slots: a copy */
	KUNIT_EXPECT_EQ(test, uvm_mapent_grow(e, GROW_TO, GFP_KERNEL),
			(long)GROW_TO - 16);
	KUNIT_EXPECT_PTR_NE(test, e->amap, amap);
	KUNIT_EXPECT_PTR_EQ(test, f->amap, amap);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_AMAP_COPIES), 2L);
	KUNIT_ASSERT_EQ(test, fault(tp, e, 20, UVM_PROT_READ), 0);
	KUNIT_EXPECT_PTR_NE(test, tp->pmap.fault_page, fpg);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(tp->pmap.fault_page, 0));
	KUNIT_EXPECT_TRUE(test, uvm_page_is(fpg, 0xf0));
	/* e kept its own page, writable in place (an_ref back to 1) */
	KUNIT_ASSERT_EQ(test, fault(tp, e, 2, UVM_PROT_WRITE), 0);
	KUNIT_EXPECT_PTR_EQ(test, tp->pmap.fault_page, pg);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_COW_COPIES), 0L);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0x5a));

	uvm_mapent_free(f);
	uvm_mapent_free(e);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * mremap growth, shared: the aobj keeps its size; a fault past it fails
 * (-ENXIO: SIGBUS), as for grown shared anonymous memory.
 */
static void uvm_fault_test_grow_shared(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW);
	struct uvm_map_entry *e;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	e = uvm_mapent_create(TP_BASE, 0, GROW_FROM, true, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, uvm_mapent_grow(e, GROW_TO, GFP_KERNEL),
			(long)(GROW_TO - GROW_FROM));
	/* a second grow to the same end (a racing fault) adds nothing */
	KUNIT_EXPECT_EQ(test, uvm_mapent_grow(e, GROW_TO, GFP_KERNEL), 0L);
	KUNIT_EXPECT_EQ(test, fault(tp, e, GROW_FROM - 1, UVM_PROT_WRITE), 0);
	KUNIT_EXPECT_EQ(test, fault(tp, e, GROW_FROM, UVM_PROT_READ), -ENXIO);
	KUNIT_EXPECT_EQ(test, uvm_map_wire(e, GROW_FROM, GROW_TO), 0);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PAGES), 1L);
	uvm_mapent_free(e);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * A move of nothing grown to a length (mremap with old_size 0): the new
 * entry keeps nothing of the amap and starts fresh, an amap on its first
 * fault; the old entry is untouched.
 */
static void uvm_fault_test_grow_empty(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW), *ntp = tp_new(test, RW);
	struct uvm_map_entry *e, *n;
	struct uvm_gauges g;
	struct page *pg;

	uvm_gauges_read(&g);
	e = uvm_mapent_create(TP_BASE, 0, GROW_FROM, false, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_EQ(test, fault(tp, e, 4, UVM_PROT_WRITE), 0);
	pg = tp->pmap.fault_page;
	uvm_page_fill(pg, 0x33);
	n = uvm_mapent_dup(e, TP_BASE, 4, 4);
	KUNIT_EXPECT_EQ(test, uvm_mapent_grow(n, 12, GFP_KERNEL), 8L);
	KUNIT_EXPECT_NULL(test, n->amap);
	KUNIT_EXPECT_TRUE(test, n->etype & UVM_ET_NEEDSCOPY);
	KUNIT_ASSERT_EQ(test, fault(ntp, n, 0, UVM_PROT_READ), 0);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(ntp->pmap.fault_page, 0));
	KUNIT_EXPECT_EQ(test, e->amap->am_ref, 1U);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0x33));
	uvm_mapent_free(n);
	uvm_mapent_free(e);
	UVM_EXPECT_ALL_FREED(test, &g);
}

/*
 * The page queues (uvm_pdaemon.c): a family with a region file queues its
 * anons' pages, active, with the amap lock as owner and the slot as index;
 * a family without one queues nothing; wiring takes a page off, and
 * uvm_pageactivate() puts it back, once; freeing takes it off.
 */
static void uvm_fault_test_page_queues(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW);
	struct uvm_map_entry *e;
	struct uvm_gauges g;
	struct uvm_lock *lock;
	struct file *region;
	struct page *pg;

	region = shmem_file_setup("uvm-kunit", PAGE_SIZE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(region));
	uvm_gauges_read(&g);
	e = entry_new(test, false);
	KUNIT_ASSERT_EQ(test, fault(tp, e, 2, UVM_PROT_WRITE), 0);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ACTIVE), 0L);
	lock = e->amap->am_lock;
	lock->region = region;
	KUNIT_ASSERT_EQ(test, fault(tp, e, 3, UVM_PROT_WRITE), 0);
	pg = tp->pmap.fault_page;
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ACTIVE), 1L);
	KUNIT_EXPECT_EQ(test, page_private(pg), (unsigned long)lock);
	KUNIT_EXPECT_EQ(test, pg->index, 3UL);
	KUNIT_EXPECT_FALSE(test, uvm_page_inactive(pg));
	amap_lock(e->amap);
	uvm_pagewire(pg);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ACTIVE), 0L);
	KUNIT_EXPECT_EQ(test, page_private(pg), 0UL);
	uvm_pageactivate(pg, lock, 3);
	uvm_pageactivate(pg, lock, 3);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ACTIVE), 1L);
	amap_unlock(e->amap);
	/* a new page of the family joins them as it is made */
	KUNIT_ASSERT_EQ(test, fault(tp, e, 4, UVM_PROT_WRITE), 0);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_ACTIVE), 2L);
	uvm_mapent_free(e);
	UVM_EXPECT_ALL_FREED(test, &g);
	fput(region);
}

/*
 * The cluster builders, over a KUnit area in memory (its I/O copies the
 * pages): UVM_MADV_PAGEOUT of private memory (uvm_pageout_range) writes
 * eight anons that were never neighbours, in one run of consecutive slots
 * and one I/O (UVM's aggressive clustering); faults read them back; the
 * page daemon's builder (uvmpd_examine, uvmpd_flush, through
 * uvm_pageout_obj) does the same for an aobj; a failed write leaves every
 * page resident with its data, and the run's slots bad.
 */
static void uvm_fault_test_pageout_clusters(struct kunit *test)
{
	struct test_pmap *tp = tp_new(test, RW);
	struct page *pages[8], *pg;
	struct uvm_pagein pi = { .pages = pages, .max = 8 };
	long wr0, wn0, rd0, er0, out;
	struct uvm_swapdev *sdp;
	struct uvm_map_entry *e;
	struct uvm_object *uobj;
	struct uvm_anon *anon;
	unsigned int i, first;
	struct file *region;
	struct uvm_gauges g;

	if (uvm_stat_read(UVM_STAT_SWAP_PAGES))
		kunit_skip(test, "a swap area is on");
	region = shmem_file_setup("uvm-kunit", TP_PAGES << PAGE_SHIFT, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(region));
	uvm_gauges_read(&g);
	sdp = uvm_swapdev_create(65);
	KUNIT_ASSERT_NOT_NULL(test, sdp);
	sdp->mem = vzalloc(65 << PAGE_SHIFT);
	KUNIT_ASSERT_NOT_NULL(test, sdp->mem);
	KUNIT_ASSERT_EQ(test, uvm_swapdev_insert(sdp, 0), 0);
	wr0 = uvm_stat_read(UVM_STAT_SWAP_WRITES);
	wn0 = uvm_stat_read(UVM_STAT_SWAP_WRITTEN);
	rd0 = uvm_stat_read(UVM_STAT_SWAP_READS);
	er0 = uvm_stat_read(UVM_STAT_SWAP_ERRORS);

	/* eight anons, every other slot of the amap */
	e = entry_new(test, false);
	for (i = 0; i < 8; i++) {
		KUNIT_ASSERT_EQ(test, fault(tp, e, 2 * i, UVM_PROT_WRITE), 0);
		uvm_page_fill(tp->pmap.fault_page, 0x10 + i);
	}
	out = uvm_pageout_range(e, region->f_mapping, 0, TP_PAGES);
	KUNIT_EXPECT_EQ(test, out, 8L);
	KUNIT_EXPECT_EQ(test, uvm_stat_read(UVM_STAT_SWAP_WRITES) - wr0, 1L);
	KUNIT_EXPECT_EQ(test, uvm_stat_read(UVM_STAT_SWAP_WRITTEN) - wn0, 8L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_ONLY), 8L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 8L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_PAGES), 0L);
	amap_lock(e->amap);
	first = amap_lookup(e->amap, 0)->an_swslot;
	for (i = 0; i < 8; i++) {
		anon = amap_lookup(e->amap, 2 * i);
		KUNIT_EXPECT_NULL(test, anon->an_page);
		KUNIT_EXPECT_EQ(test, anon->an_swslot, first + i);
	}
	amap_unlock(e->amap);
	/* back in, each with its data; read, they keep their slots */
	for (i = 0; i < 8; i++) {
		KUNIT_ASSERT_EQ(test, fault(tp, e, 2 * i, UVM_PROT_READ), 0);
		KUNIT_EXPECT_TRUE(test, uvm_page_is(tp->pmap.fault_page,
						    0x10 + i));
	}
	KUNIT_EXPECT_GE(test, uvm_stat_read(UVM_STAT_SWAP_READS) - rd0, 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_ONLY), 0L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 8L);

	/* a failed write: 0 (written since, its slot dropped) and 1 stay */
	KUNIT_ASSERT_EQ(test, fault(tp, e, 0, UVM_PROT_WRITE), 0);
	uvm_page_fill(tp->pmap.fault_page, 0x20);
	KUNIT_ASSERT_EQ(test, fault(tp, e, 1, UVM_PROT_WRITE), 0);
	uvm_page_fill(tp->pmap.fault_page, 0x21);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 7L);
	sdp->fail_io = -EIO;
	KUNIT_EXPECT_EQ(test, uvm_pageout_range(e, region->f_mapping, 0, 2),
			0L);
	KUNIT_EXPECT_EQ(test, uvm_stat_read(UVM_STAT_SWAP_ERRORS) - er0, 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_BAD), 2L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 7L);
	amap_lock(e->amap);
	for (i = 0; i < 2; i++) {
		anon = amap_lookup(e->amap, i);
		KUNIT_EXPECT_EQ(test, anon->an_swslot, 0U);
		KUNIT_ASSERT_NOT_NULL(test, anon->an_page);
		KUNIT_EXPECT_TRUE(test, uvm_page_is(anon->an_page, 0x20 + i));
	}
	amap_unlock(e->amap);
	uvm_mapent_free(e);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 0L);

	/* shared memory: six pages of an aobj, queued, out in one run */
	uobj = uao_create(16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, uobj);
	uobj->uo_region = region;
	mutex_lock(&uobj->vmobjlock);
	for (i = 0; i < 6; i++) {
		KUNIT_ASSERT_EQ(test, uao_get(uobj, 2 * i, &pg, UVM_GFP_LOCKED,
					      NULL), 0);
		uvm_page_fill(pg, 0x30 + i);
	}
	mutex_unlock(&uobj->vmobjlock);
	wr0 = uvm_stat_read(UVM_STAT_SWAP_WRITES);
	wn0 = uvm_stat_read(UVM_STAT_SWAP_WRITTEN);
	KUNIT_EXPECT_EQ(test, uvm_pageout_obj(uobj, 0, 16), 6L);
	KUNIT_EXPECT_EQ(test, uvm_stat_read(UVM_STAT_SWAP_WRITES) - wr0, 1L);
	KUNIT_EXPECT_EQ(test, uvm_stat_read(UVM_STAT_SWAP_WRITTEN) - wn0, 6L);
	mutex_lock(&uobj->vmobjlock);
	KUNIT_EXPECT_EQ(test, uobj->uo_npages, 0UL);
	first = uao_find_swslot(uobj, 0);
	for (i = 0; i < 6; i++)
		KUNIT_EXPECT_EQ(test, uao_find_swslot(uobj, 2 * i), first + i);
	/* the page-in of 4 (no read-ahead: 5 has no slot) */
	KUNIT_ASSERT_EQ(test, uao_get(uobj, 4, &pg, UVM_GFP_LOCKED, &pi),
			UVM_PAGEIN_READ);
	KUNIT_ASSERT_EQ(test, pi.n, 1U);
	mutex_unlock(&uobj->vmobjlock);
	KUNIT_EXPECT_EQ(test, uvm_swap_io(pi.pages, pi.swslot, pi.n, false), 0);
	SetPageUptodate(pages[0]);
	unlock_page(pages[0]);
	put_page(pages[0]);
	mutex_lock(&uobj->vmobjlock);
	KUNIT_ASSERT_EQ(test, uao_get(uobj, 4, &pg, UVM_GFP_LOCKED, &pi), 0);
	KUNIT_EXPECT_PTR_EQ(test, pg, pages[0]);
	KUNIT_EXPECT_TRUE(test, uvm_page_is(pg, 0x32));
	mutex_unlock(&uobj->vmobjlock);
	uao_detach(uobj);

	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 0L);
	uvm_swapdev_remove(sdp);
	vfree(sdp->mem);
	uvm_swapdev_destroy(sdp);
	UVM_EXPECT_ALL_FREED(test, &g);
	fput(region);
}

static struct kunit_case uvm_fault_test_cases[] = {
	KUNIT_CASE(uvm_fault_test_pageout_clusters),
	KUNIT_CASE(uvm_fault_test_dontneed),
	KUNIT_CASE(uvm_fault_test_dontneed_holes),
	KUNIT_CASE(uvm_fault_test_dontneed_holes_free),
	KUNIT_CASE(uvm_fault_test_anonget),
	KUNIT_CASE(uvm_fault_test_willneed),
	KUNIT_CASE(uvm_fault_test_zero_fill),
	KUNIT_CASE(uvm_fault_test_case_1a),
	KUNIT_CASE(uvm_fault_test_fork_case_1b),
	KUNIT_CASE(uvm_fault_test_case_2a),
	KUNIT_CASE(uvm_fault_test_case_2b_promote),
	KUNIT_CASE(uvm_fault_test_protection),
	KUNIT_CASE_PARAM(uvm_fault_test_faultahead, fa_gen_params),
	KUNIT_CASE(uvm_fault_test_write_skips_shared),
	KUNIT_CASE(uvm_fault_test_grow_private),
	KUNIT_CASE(uvm_fault_test_grow_shared),
	KUNIT_CASE(uvm_fault_test_grow_empty),
	KUNIT_CASE(uvm_fault_test_page_queues),
	{}
};

struct kunit_suite uvm_fault_suite = {
	.name = "uvm_fault",
	.test_cases = uvm_fault_test_cases,
};
