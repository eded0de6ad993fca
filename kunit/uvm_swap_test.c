// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_swap_test.c: KUnit suite "uvm_swap": the slot maps (next fit,
 * halving with lessok, bad slots never handed out again) and the areas
 * (lowest priority number first, round-robin within a priority, one slot
 * space with page 0 of each area never used, the lowest gap reused).
 * Areas here have no block device.
 */
#include "uvm_kunit.h"
#include "uvm_kunit_util.h"

static void uvm_swap_test_map(struct kunit *test)
{
	struct uvm_swapmap map;
	unsigned int n;

	KUNIT_ASSERT_EQ(test, uvm_swapmap_init(&map, 64), 0);
	n = 8;
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, false), 0L);
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, false), 8L);
	uvm_swapmap_free(&map, 0, 8);
	/* next fit: on from the last run, not back to the freed one */
	n = 48;
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, false), 16L);
	n = 16;
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, false),
			(long)-ENOSPC);
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, true), 0L);
	KUNIT_EXPECT_EQ(test, n, 8U);
	KUNIT_EXPECT_EQ(test, map.inuse, 64UL);

	/* bad slots leave inuse and stay taken when freed */
	KUNIT_EXPECT_EQ(test, uvm_swapmap_markbad(&map, 0, 2), 2U);
	KUNIT_EXPECT_EQ(test, uvm_swapmap_markbad(&map, 1, 1), 0U);
	KUNIT_EXPECT_EQ(test, map.nbad, 2UL);
	KUNIT_EXPECT_EQ(test, map.inuse, 62UL);
	uvm_swapmap_free(&map, 0, 8);
	KUNIT_EXPECT_EQ(test, map.inuse, 56UL);
	n = 8;
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, true), 2L);
	KUNIT_EXPECT_EQ(test, n, 4U);
	n = 1;
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, true), 6L);
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, true), 7L);
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, true),
			(long)-ENOSPC);
	n = 0;
	KUNIT_EXPECT_EQ(test, uvm_swapmap_alloc(&map, &n, true),
			(long)-EINVAL);
	uvm_swapmap_destroy(&map);
}

static struct uvm_swapdev *area(struct kunit *test, unsigned int npages,
				int priority)
{
	struct uvm_swapdev *sdp = uvm_swapdev_create(npages);

	KUNIT_ASSERT_NOT_NULL(test, sdp);
	KUNIT_ASSERT_EQ(test, uvm_swapdev_insert(sdp, priority), 0);
	return sdp;
}

/* the area of @slot, checking the page in it is not the header */
static struct uvm_swapdev *owner(struct kunit *test, unsigned int slot)
{
	struct uvm_swapdev *sdp;
	pgoff_t page = 0;

	sdp = uvm_swap_dev(slot, &page);
	KUNIT_EXPECT_NOT_NULL(test, sdp);
	KUNIT_EXPECT_GE(test, page, 1UL);
	return sdp;
}

static int uvm_swap_test_init(struct kunit *test)
{
	if (uvm_stat_read(UVM_STAT_SWAP_PAGES))
		kunit_skip(test, "a swap area is on");
	return 0;
}

static void uvm_swap_test_priorities(struct kunit *test)
{
	struct uvm_swapdev *a, *b, *c, *d;
	unsigned int slots[17], i, n, na = 0, nb = 0, abase;
	struct uvm_gauges g;

	uvm_gauges_read(&g);
	a = area(test, 9, 0);
	b = area(test, 9, 0);
	c = area(test, 17, 1);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_PAGES), 32L);
	KUNIT_EXPECT_EQ(test, a->base, 1U);
	KUNIT_EXPECT_EQ(test, b->base, 10U);

	/* priority 0 first, its two areas in turn; then priority 1 */
	for (i = 0; i < 17; i++) {
		struct uvm_swapdev *o;

		n = 1;
		slots[i] = uvm_swap_alloc(&n, false);
		KUNIT_ASSERT_NE(test, slots[i], 0U);
		o = owner(test, slots[i]);
		if (i < 16)
			KUNIT_EXPECT_PTR_EQ(test, o, i % 2 ? b : a);
		else
			KUNIT_EXPECT_PTR_EQ(test, o, c);
		na += o == a;
		nb += o == b;
	}
	KUNIT_EXPECT_EQ(test, na, 8U);
	KUNIT_EXPECT_EQ(test, nb, 8U);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 17L);

	/* a run never spans areas; lessok takes what one area has */
	n = 32;
	KUNIT_EXPECT_EQ(test, uvm_swap_alloc(&n, false), 0U);
	i = uvm_swap_alloc(&n, true);
	KUNIT_EXPECT_PTR_EQ(test, owner(test, i), c);
	KUNIT_EXPECT_EQ(test, n, 8U);
	uvm_swap_free(i, n);

	/* a bad slot is not given back by a free */
	uvm_swap_markbad(slots[0], 1);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_BAD), 1L);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 16L);
	for (i = 0; i < 17; i++)
		uvm_swap_free(slots[i], 1);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 0L);
	KUNIT_EXPECT_EQ(test, a->map.nbad, 1UL);
	uvm_swap_free(0, 1);			/* no slot: ignored */
	uvm_swap_free(UVM_SWSLOT_BAD, 1);
	KUNIT_EXPECT_EQ(test, uvm_gauge_delta(&g, UVM_STAT_SWAP_INUSE), 0L);

	/* the lowest gap of the slot space is reused */
	abase = a->base;
	uvm_swapdev_remove(a);
	uvm_swapdev_destroy(a);
	d = area(test, 5, -3);
	KUNIT_EXPECT_EQ(test, d->base, abase);
	n = 1;
	KUNIT_EXPECT_PTR_EQ(test, owner(test, uvm_swap_alloc(&n, false)), d);
	uvm_swap_free(d->base + 1, 1);

	uvm_swapdev_remove(d);
	uvm_swapdev_remove(c);
	uvm_swapdev_remove(b);
	uvm_swapdev_destroy(d);
	uvm_swapdev_destroy(c);
	uvm_swapdev_destroy(b);
	n = 1;
	KUNIT_EXPECT_EQ(test, uvm_swap_alloc(&n, true), 0U);
	UVM_EXPECT_ALL_FREED(test, &g);
}

static struct kunit_case uvm_swap_test_cases[] = {
	KUNIT_CASE(uvm_swap_test_map),
	KUNIT_CASE(uvm_swap_test_priorities),
	{}
};

struct kunit_suite uvm_swap_suite = {
	.name = "uvm_swap",
	.init = uvm_swap_test_init,
	.test_cases = uvm_swap_test_cases,
};
