// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_pmap.c: the pmap shim: UVM's machine-dependent mapping layer over
 * Linux's page tables, using exported functions only.
 *
 * Owns: how a page UVM chose reaches a PTE, and how PTEs are taken away.
 *
 * Insertion scheme. /dev/uvm VMAs are VM_SHARED at Linux's level (so that
 * Linux never takes a copy-on-write decision itself), VM_MIXEDMAP (so that
 * vm_insert_page() can map fault-ahead neighbours) and VM_WIPEONFORK (so
 * that fork does not copy their PTEs, which in a shared VMA would stay
 * writable in the child). Because the VMA has ->page_mkwrite, Linux
 * computes vm_page_prot without write permission (as for a shared file
 * mapping with dirty tracking), so every PTE starts read-only unless it
 * was installed by a write fault:
 *
 * - the faulting page is handed back to Linux in vmf->page (with a page
 *   reference); Linux maps it, writable only on a write fault;
 * - neighbours are mapped read-only with vm_insert_page(), which skips
 *   addresses that already have a PTE;
 * - a write to a read-only PTE reaches ->page_mkwrite, which runs
 *   uvm_fault(): if UVM keeps the page (anon not shared) Linux makes the
 *   PTE writable, else (copy-on-write) the PTE is zapped and the retried
 *   access faults the new page in;
 * - lowering protection (pmap_protect, at fork) write-protects the PTEs
 *   in place with wp_shared_mapping_range() (a mapping dirty helper),
 *   through the region's own address_space (each mmap of /dev/uvm has its
 *   own file, see uvm_dev.c). The walk covers every VMA of the region's
 *   file, so other processes of the same fork family may lose write
 *   permission too; their next write asks page_mkwrite again, which only
 *   costs them a fault. A write-protected PTE keeps its dirty bit, and
 *   mprotect() would make such a PTE writable without page_mkwrite: the
 *   VMA's ->mprotect cleans the bits first (uvm_pmap_clean()). Removal
 *   (pmap_remove, and copy-on-write in page_mkwrite) zaps; the module's
 *   own zaps are marked as such for the MMU notifier (uvm_mm.c).
 *
 * The pages are ordinary non-anonymous, non-LRU pages: Linux's rmap and
 * RSS counters treat them like a driver's pages (counted as file pages),
 * GUP works on them (VM_MIXEDMAP with struct pages, unlike VM_PFNMAP),
 * and smaps shows them as shared, never as Anonymous.
 *
 * Locks: called with mmap_lock (or, for faults on 6.12, the VMA lock) held
 * and possibly uvmmod locks; takes only Linux's PTE locks (inside the
 * functions it calls), and at fork the region's i_mmap_rwsem.
 */
#include <linux/bitops.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "uvm.h"

static int uvm_pmap_linux_enter(struct uvm_pmap *pmap, unsigned long va,
				struct page *pg, unsigned int prot,
				bool center)
{
	/* memory_failure() cannot unmap our pages: never map a bad one */
	if (PageHWPoison(pg))
		return -EHWPOISON;
	if (center) {
		/*
		 * Linux maps it when the fault handler returns; it is
		 * returned locked, taken under the amap (or object) lock, so
		 * that a MADV_DONTNEED freeing its anon waits for the PTE to
		 * be installed, then zaps it (amap_wipe_pages()).
		 */
		get_page(pg);
		lock_page(pg);
		pmap->fault_page = pg;
		pmap->fault_prot = prot;
		return 0;
	}
	/*
	 * read-only (vm_page_prot); -EBUSY if already mapped. Neighbours are
	 * entered only where the page table exists (pmap->ahead_lo/hi, set
	 * by the fault glue; WILLNEED makes the tables first): allocating one
	 * could reclaim, with the amap locked.
	 */
	return vm_insert_page(pmap->vma, va, pg);
}

struct uvm_pmap_walk {
	unsigned long sva;
	unsigned long *mapped;
};

static int uvm_pmap_extract_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct uvm_pmap_walk *w = data;

	if (pte_present(ptep_get(pte)))
		__set_bit((addr - w->sva) >> PAGE_SHIFT, w->mapped);
	return 0;
}

static void uvm_pmap_linux_extract(struct uvm_pmap *pmap, unsigned long sva,
				   unsigned int n, unsigned long *mapped)
{
	struct uvm_pmap_walk w = { .sva = sva, .mapped = mapped };

	/* walks existing page tables only, under their PTE locks */
	apply_to_existing_page_range(pmap->vma->vm_mm, sva,
				     (unsigned long)n << PAGE_SHIFT,
				     uvm_pmap_extract_pte, &w);
}

static void uvm_pmap_linux_remove(struct uvm_pmap *pmap, unsigned long sva,
				  unsigned long eva)
{
	uvm_zap(pmap->vma, sva, eva - sva);
}

static void uvm_pmap_linux_protect(struct uvm_pmap *pmap, unsigned long sva,
				   unsigned long eva)
{
	struct vm_area_struct *vma = pmap->vma;
	pgoff_t first = linear_page_index(vma, sva);

	wp_shared_mapping_range(vma->vm_file->f_mapping, first,
				(eva - sva) >> PAGE_SHIFT);
}

static int uvm_pmap_noop_pte(pte_t *pte, unsigned long addr, void *data)
{
	return 0;
}

/* create the page tables of [sva, eva), so that vm_insert_page() needs none */
static int uvm_pmap_linux_prepare(struct uvm_pmap *pmap, unsigned long sva,
				  unsigned long eva)
{
	return apply_to_page_range(pmap->vma->vm_mm, sva, eva - sva,
				   uvm_pmap_noop_pte, NULL);
}

/* pages of dirty bits clean_record_shared_mapping_range() records per call */
#define UVM_CLEAN_BATCH		(PAGE_SIZE * BITS_PER_BYTE)

/*
 * uvm_pmap_clean - clear the dirty bits of the PTEs of [@sva, @eva) in @vma
 *
 * mprotect() makes a read-only PTE of a shared VMA writable again without
 * asking page_mkwrite if the PTE is dirty (can_change_pte_writable()): a
 * page pmap_protect() write-protected at fork, still shared with the child,
 * would become writable in the parent. Cleaning the dirty bits before
 * such an mprotect keeps every write going through page_mkwrite, hence
 * through uvm_fault. (The pages need no writeback: the bits are simply
 * dropped.)
 *
 * => called with mmap_lock held for writing; takes the region's
 *    i_mmap_rwsem and PTE locks
 */
void uvm_pmap_clean(struct vm_area_struct *vma, unsigned long sva,
		    unsigned long eva)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	pgoff_t first = linear_page_index(vma, sva);
	pgoff_t nr = (eva - sva) >> PAGE_SHIFT, done, n;
	unsigned long *dirty;

	mmap_assert_write_locked(vma->vm_mm);
	/* the dirty bits it records are of no use here: one page of them */
	dirty = (unsigned long *)__get_free_page(GFP_KERNEL);
	if (!dirty) {
		uvm_zap(vma, sva, eva - sva);	/* no PTE, no dirty bit */
		return;
	}
	for (done = 0; done < nr; done += n) {
		pgoff_t start = 0, end = 0;

		n = min_t(pgoff_t, nr - done, UVM_CLEAN_BATCH);
		clean_record_shared_mapping_range(mapping, first + done, n,
						  first + done, dirty,
						  &start, &end);
		if (start < end)
			bitmap_zero(dirty, UVM_CLEAN_BATCH);
	}
	free_page((unsigned long)dirty);
}

static const struct uvm_pmap_ops uvm_pmap_linux_ops = {
	.enter		= uvm_pmap_linux_enter,
	.extract	= uvm_pmap_linux_extract,
	.remove		= uvm_pmap_linux_remove,
	.protect	= uvm_pmap_linux_protect,
	.prepare	= uvm_pmap_linux_prepare,
};

/*
 * uvm_pmap_linux_init - a pmap for one VMA of /dev/uvm memory
 *
 * max_prot is the VMA's current protection (mprotect changes it without
 * telling the module).
 *
 * => called with mmap_lock or the VMA's lock held
 */
void uvm_pmap_linux_init(struct uvm_pmap *pmap, struct vm_area_struct *vma)
{
	uvm_assert_fault_locked(vma);
	pmap->ops = &uvm_pmap_linux_ops;
	pmap->vma = vma;
	/*
	 * x86 cannot map a page executable but unreadable (PROT_EXEC alone
	 * is PAGE_READONLY_EXEC in Linux's protection_map), and Linux lets
	 * a read fault through in such a VMA: so does UVM.
	 */
	pmap->max_prot = (vma->vm_flags & (VM_READ | VM_EXEC) ?
			  UVM_PROT_READ : 0) |
			 (vma->vm_flags & VM_WRITE ? UVM_PROT_WRITE : 0) |
			 (vma->vm_flags & VM_EXEC ? UVM_PROT_EXEC : 0);
	pmap->fault_page = NULL;
	pmap->fault_prot = 0;
	pmap->hold_cow_old = false;
	pmap->cow_old = NULL;
	/* no fault-ahead unless the caller knows the page table exists */
	pmap->ahead_lo = 0;
	pmap->ahead_hi = 0;
}
