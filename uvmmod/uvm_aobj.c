// SPDX-License-Identifier: BSD-4-Clause-UC
/*	Derived from $NetBSD: uvm_aobj.c,v 1.16 1999/03/24 03:45:27 cgd Exp $	*/

/*
 * Copyright (c) 1998 Chuck Silvers, Charles D. Cranor and
 *                    Washington University.
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. All advertising materials mentioning features or use of this software
 *    must display the following acknowledgement:
 *      This product includes software developed by Charles D. Cranor and
 *      Washington University.
 * 4. The name of the author may not be used to endorse or promote products
 *    derived from this software without specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE AUTHOR ``AS IS'' AND ANY EXPRESS OR
 * IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES
 * OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED.
 * IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY DIRECT, INDIRECT,
 * INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT
 * NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
 * DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
 * THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
 * (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF
 * THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 *
 * from: Id: uvm_aobj.c,v 1.1.2.5 1998/02/06 05:14:38 chs Exp
 */

/*
 * uvm_aobj.c: the anonymous memory uvm_object pager (author of the
 * original: Chuck Silvers, design mostly from Chuck Cranor), ported to
 * Linux for uvmmod.
 *
 * Owns: anonymous objects (aobjs), the lower layer of MAP_SHARED /dev/uvm
 * memory: one aobj per mmap, shared by every VMA split, moved or forked
 * from it, holding the object's resident pages by page index.
 *
 * Invariants: uo_npages is the number of pages in uo_pages; a page in an
 * aobj is zero-filled when it is first asked for and lives until the aobj
 * dies (as shmem's pages live as long as the shmem file: a partial munmap
 * does not free them). The aobj dies with its last reference, freeing its
 * pages; PTEs still mapping them keep Linux's own references.
 *
 * Swap slots (the seed's array/hash of swap slots) arrive with swap
 * support; until then every aobj page is resident.
 *
 * Locks: vmobjlock guards uo_refs and uo_pages. It nests inside the amap
 * lock (UVM's order: maps, amap, object).
 */
#include <linux/lockdep.h>
#include <linux/slab.h>

#include "uvm.h"

/*
 * uao_create - create a new aobj of @size pages with one reference
 *
 * => no locks required; may sleep
 */
struct uvm_object *uao_create(pgoff_t size, gfp_t gfp)
{
	struct uvm_object *uobj = kzalloc(sizeof(*uobj), gfp);

	if (!uobj)
		return NULL;
	mutex_init(&uobj->vmobjlock);
	uobj->uo_refs = 1;
	uobj->uo_size = size;
	xa_init(&uobj->uo_pages);
	uvm_stat_inc(UVM_STAT_AOBJS);
	return uobj;
}
EXPORT_SYMBOL_NS_GPL(uao_create, UVM_KUNIT);

/*
 * uao_reference - add a reference to an aobj
 *
 * => aobj must be unlocked (we will lock it)
 */
void uao_reference(struct uvm_object *uobj)
{
	mutex_lock(&uobj->vmobjlock);
	uobj->uo_refs++;
	mutex_unlock(&uobj->vmobjlock);
}
EXPORT_SYMBOL_NS_GPL(uao_reference, UVM_KUNIT);

/*
 * uao_free: free an aobj and its pages. Mappings of the pages need no
 * zapping here: a PTE holds its own page reference (Linux's), and the last
 * reference to the aobj goes only when no VMA maps it.
 */
static void uao_free(struct uvm_object *uobj)
{
	struct uvm_pagebatch pb = { .nr = 0 };
	struct page *pg;
	unsigned long idx;

	xa_for_each(&uobj->uo_pages, idx, pg) {
		uvm_pagebatch_add(&pb, pg);
		uobj->uo_npages--;
	}
	uvm_pagebatch_flush(&pb);
	WARN_ON_ONCE(uobj->uo_npages);
	xa_destroy(&uobj->uo_pages);
	mutex_destroy(&uobj->vmobjlock);
	kfree(uobj);
	uvm_stat_dec(UVM_STAT_AOBJS);
}

/*
 * uao_detach - drop a reference to an aobj, freeing it on the last
 *
 * => aobj must be unlocked, we will lock it
 */
void uao_detach(struct uvm_object *uobj)
{
	unsigned int refs;

	mutex_lock(&uobj->vmobjlock);
	refs = --uobj->uo_refs;
	mutex_unlock(&uobj->vmobjlock);
	if (!refs)
		uao_free(uobj);
}
EXPORT_SYMBOL_NS_GPL(uao_detach, UVM_KUNIT);

/*
 * uao_lookup - the resident page at index @idx, or NULL
 *
 * The PGO_LOCKED half of the seed's uao_get: no allocation, no sleeping
 * for I/O; used for fault-ahead of resident neighbours.
 *
 * => called with the aobj locked
 */
struct page *uao_lookup(struct uvm_object *uobj, pgoff_t idx)
{
	lockdep_assert_held(&uobj->vmobjlock);
	return xa_load(&uobj->uo_pages, idx);
}
EXPORT_SYMBOL_NS_GPL(uao_lookup, UVM_KUNIT);

/*
 * uao_next_page - the first resident page at an index in [*@idx, @end)
 *
 * => called with the aobj locked
 *
 * Return: the page (*@idx is its index), or NULL if there is none.
 */
struct page *uao_next_page(struct uvm_object *uobj, pgoff_t *idx,
			   pgoff_t end)
{
	unsigned long i = *idx;
	struct page *pg;

	lockdep_assert_held(&uobj->vmobjlock);
	if (i >= end)
		return NULL;
	pg = xa_find(&uobj->uo_pages, &i, end - 1, XA_PRESENT);
	if (pg)
		*idx = i;
	return pg;
}
EXPORT_SYMBOL_NS_GPL(uao_next_page, UVM_KUNIT);

/*
 * uao_get - the page at index @idx, allocated zero-filled if it is new
 * @pgp: the page, on success
 * @gfp: UVM_GFP_LOCKED under a fault's locks (see uvm.h), or GFP_KERNEL
 *	where reclaim is safe
 *
 * => called with the aobj locked; sleeps to allocate only if @gfp allows
 *
 * Return: 0, -ENXIO for an index past the object, or -ENOMEM.
 */
int uao_get(struct uvm_object *uobj, pgoff_t idx, struct page **pgp,
	    gfp_t gfp)
{
	struct page *pg;
	void *old;

	lockdep_assert_held(&uobj->vmobjlock);
	if (idx >= uobj->uo_size)
		return -ENXIO;
	pg = xa_load(&uobj->uo_pages, idx);
	if (pg) {
		*pgp = pg;
		return 0;
	}
	/* if page is new, allocate it zero-filled */
	pg = uvm_pagealloc(true, gfp);
	if (!pg)
		return -ENOMEM;
	old = xa_store(&uobj->uo_pages, idx, pg, gfp | __GFP_ACCOUNT);
	if (xa_is_err(old)) {
		uvm_pagefree(pg);
		return xa_err(old);
	}
	uobj->uo_npages++;
	uvm_stat_inc(UVM_STAT_ZERO_FILLS);
	*pgp = pg;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uao_get, UVM_KUNIT);
