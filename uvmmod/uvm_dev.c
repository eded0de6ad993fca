// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uvm_dev.c: the /dev/uvm character device.
 *
 * Owns: the misc device registration, the file operations of /dev/uvm and
 * the vm_operations of its VMAs: the glue between Linux's mm and UVM.
 *
 * Invariants: the device node is mode 0666, like /dev/zero: any user may map
 * anonymous memory. The module cannot be unloaded while a file of the device
 * is open or mapped: the file pins the module through fops->owner, and every
 * mapping pins its file through vma->vm_file.
 *
 * Locks: none of its own. ->mmap and the vm_operations that create or
 * destroy VMAs run with mmap_lock held for writing, faults with mmap_lock
 * held for reading.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/fadvise.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/memcontrol.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/unistd.h>

#include <asm/syscall.h>

#include "uvm.h"
#include "uvm_uapi.h"

/*
 * uvm_dev_mmap_check - validate a mapping request on /dev/uvm
 * @pgoff: the file offset of the request, in pages
 *
 * /dev/uvm has no file offsets: its memory is anonymous, so the only offset
 * accepted is 0. (The kernel itself rejects MAP_HUGETLB on a non-hugetlbfs
 * file and unknown MAP_SHARED_VALIDATE flags before ->mmap is called.)
 *
 * => no locks required
 *
 * Return: 0 if the request is valid, else a negative errno.
 */
int uvm_dev_mmap_check(unsigned long pgoff)
{
	if (pgoff) {
		pr_warn_ratelimited("%s[%d]: mmap offset %#lx rejected: /dev/uvm memory has no offsets, use 0\n",
				    current->comm, task_pid_nr(current),
				    pgoff << PAGE_SHIFT);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(uvm_dev_mmap_check, UVM_KUNIT);

/*
 * The VMAs of /dev/uvm memory.
 *
 * Linux creates, splits, moves, forks and destroys VMAs on its own and
 * tells the driver through vm_operations; each VMA has its map entry in
 * vm_private_data. ->open runs on a VMA copied from another one, whose
 * entry it finds in vm_private_data, in three cases told apart here:
 * fork (another mm: dup_mmap, before the page tables would be copied),
 * split (the new VMA lies inside the old one, which shrinks after ->open)
 * and mremap move (copy_vma: the new VMA lies elsewhere, maybe longer: a
 * growth, and the old range is unmapped afterwards). A growth in place
 * (6.1 only) calls nothing: the entry follows on next use
 * (uvm_mapent_follow()).
 *
 * Faults: Linux 6.12 first tries a fault under the per-VMA lock only, and
 * calls ->fault and ->page_mkwrite there if the VMA has ->map_pages (else
 * it retries the whole fault under mmap_lock). uvmmod's fault paths are
 * safe under the VMA lock alone: every change to an entry's range or to
 * the VMA (split, move, fork, munmap, mprotect, madvise advice) is made
 * with the VMA write-locked, and what runs beside a fault under mmap_lock
 * for reading (MADV_DONTNEED through the MMU notifier, WILLNEED, GUP)
 * already ran beside faults under mmap_lock for reading.
 */
/* count all of wired @entry's pages in (@sign 1) or out of (-1) locked_vm */
static void uvm_account_wired(struct uvm_map_entry *entry, long sign)
{
	uvm_map_account_wired(entry, sign * (long)(entry->end - entry->start));
}

/*
 * mremap() moves a VMA by copying it (copy_vma(), then ->open) and moving
 * its page tables (then ->mremap), but tells the driver neither how much of
 * the new VMA holds moved pages (the rest is growth) nor its flags. Linux
 * copies a VMA only for mremap(), so the call's own arguments are read back
 * from the task's registers; lengths are page-aligned as mremap() aligns
 * them. Return: false (and a warning) if this is not an mremap() call.
 */
struct uvm_mremap_args {
	unsigned long old_len, new_len, flags;
};

static bool uvm_mremap_args(struct uvm_mremap_args *a)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long args[6];

	if (WARN_ON_ONCE(!in_compat_syscall() &&
			 syscall_get_nr(current, regs) != __NR_mremap))
		return false;
	syscall_get_arguments(current, regs, args);
	/* ia32 mremap() ignores the registers' upper halves: so do we */
	if (in_ia32_syscall()) {
		args[1] = (u32)args[1];
		args[2] = (u32)args[2];
		args[3] = (u32)args[3];
	}
	a->old_len = PAGE_ALIGN(args[1]);
	a->new_len = PAGE_ALIGN(args[2]);
	a->flags = args[3];
	return true;
}

/* the pages of a VMA copied by mremap() that hold moved pages */
static pgoff_t uvm_mremap_moved(struct vm_area_struct *vma)
{
	struct uvm_mremap_args a;

	/* mremap_to() shrinks before moving: old_len <= new_len here */
	if (!uvm_mremap_args(&a) || a.new_len != vma->vm_end - vma->vm_start)
		return vma_pages(vma);
	return min(a.old_len, a.new_len) >> PAGE_SHIFT;
}

static void uvm_vm_open(struct vm_area_struct *vma)
{
	struct uvm_map_entry *old = vma->vm_private_data, *new;
	pgoff_t start = vma->vm_pgoff, end = start + vma_pages(vma), moved;
	struct uvm_pmap old_pmap;

	mmap_assert_write_locked(vma->vm_mm);
	/*
	 * dup_mmap() reschedules only where it copies page tables, which it
	 * never does here: a fork of many /dev/uvm VMAs would hog the CPU
	 */
	cond_resched();
	/* an in-place growth first (->may_split did it, but fork has none) */
	uvm_mapent_follow(old, GFP_KERNEL | __GFP_NOFAIL);
	if (vma->vm_mm != old->mm) {
		uvm_pmap_linux_init(&old_pmap, old->vma);
		new = uvm_mapent_fork(old, &old_pmap, vma->vm_start, start,
				      end);
		/* the child faults its pages in: never copy these PTEs */
		uvm_vma_flags_set(vma, VM_WIPEONFORK);
	} else if (vma->vm_start >= old->vma->vm_start &&
		   vma->vm_end <= old->vma->vm_end) {
		/*
		 * The old entry's range shrinks now, but 6.12 write-locks
		 * the old VMA only after ->open: keep its faults out first.
		 */
		uvm_vma_start_write(old->vma);
		new = uvm_mapent_split(old, vma->vm_start, start, end);
		uvm_mm_retrack(old);
	} else {
		/*
		 * A move: the moved slots come along (the old VMA's close
		 * then drops them), a grown tail is fresh memory.
		 */
		moved = min(uvm_mremap_moved(vma), old->end - start);
		new = uvm_mapent_dup(old, vma->vm_start, start, start + moved);
		new->mm = vma->vm_mm;
		if (start + moved < end)
			uvm_mapent_grow(new, end, GFP_KERNEL | __GFP_NOFAIL);
		if (new->wired)
			uvm_account_wired(new, 1);
	}
	new->vma = vma;
	new->mm = vma->vm_mm;
	vma->vm_private_data = new;
	/*
	 * Without its notifier a MADV_DONTNEED in this mm would go unseen;
	 * registration fails only when out of memory (or on a fatal signal).
	 */
	if (uvm_mm_attach(new, vma->vm_mm))
		pr_warn_ratelimited("%s[%d]: out of memory registering an MMU notifier: MADV_DONTNEED will not free /dev/uvm memory in this process\n",
				    current->comm, task_pid_nr(current));
}

static void uvm_vm_close(struct vm_area_struct *vma)
{
	struct uvm_map_entry *entry = vma->vm_private_data;

	/* (shorter than the VMA if mremap grew it in place, unseen) */
	WARN_ON_ONCE(entry->va_start != vma->vm_start ||
		     entry->start != vma->vm_pgoff ||
		     entry->end > vma->vm_pgoff + vma_pages(vma));
	vma->vm_private_data = NULL;
	if (entry->wired)
		uvm_account_wired(entry, -1);
	uvm_mm_detach(entry);
	uvm_mapent_free(entry);
}

/*
 * mprotect() about to give write permission: private memory may have
 * read-only PTEs still dirty from before a fork, which Linux would make
 * writable without page_mkwrite; clean them (see uvm_pmap_clean()).
 */
static int uvm_vm_mprotect(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, unsigned long newflags)
{
	struct uvm_map_entry *entry = vma->vm_private_data;

	if ((newflags & VM_WRITE) && (entry->etype & UVM_ET_COPYONWRITE))
		uvm_pmap_clean(vma, start, end);
	return 0;
}

static int uvm_vm_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	struct uvm_map_entry *entry = vma->vm_private_data;

	return uvm_mapent_follow(entry, GFP_KERNEL) ?:
		uvm_mapent_prealloc(entry);
}

/*
 * ->mremap: the VMA was moved (->open made its entry). Refuse what
 * anonymous memory refuses, or what UVM cannot do; Linux then moves the
 * page tables back and unmaps the new VMA. A wired mapping's grown part is
 * wired now, as Linux populates a grown VM_LOCKED mapping.
 */
static int uvm_vm_mremap(struct vm_area_struct *vma)
{
	struct uvm_map_entry *entry = vma->vm_private_data;
	bool private = entry->etype & UVM_ET_COPYONWRITE;
	struct mm_struct *mm = vma->vm_mm;
	struct uvm_mremap_args a;
	unsigned long moved;

	if (!uvm_mremap_args(&a))
		return 0;
	if (a.flags & MREMAP_DONTUNMAP) {
		/* the old range would keep the moved slots' anons */
		pr_warn_ratelimited("%s[%d]: mremap(MREMAP_DONTUNMAP) of /dev/uvm memory is not supported: EINVAL\n",
				    current->comm, task_pid_nr(current));
		return -EINVAL;
	}
	if (!a.old_len && private) {
		/* only shared memory can be mapped twice, as natively */
		pr_warn_ratelimited("%s[%d]: mremap with old_size 0 duplicates only MAP_SHARED /dev/uvm memory: EINVAL\n",
				    current->comm, task_pid_nr(current));
		return -EINVAL;
	}
	if (!entry->wired || a.new_len <= a.old_len)
		return 0;
	/* locked_vm counts the old VMA still, which loses the moved pages */
	moved = a.old_len >> PAGE_SHIFT;
	if (!capable(CAP_IPC_LOCK) &&
	    mm->locked_vm - moved > rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT)
		return -EAGAIN;
	return uvm_map_wire(entry, entry->start + moved, entry->end);
}

static vm_fault_t uvm_vm_fault_errno(struct vm_fault *vmf, int error)
{
	if (error == -ENOMEM)
		return VM_FAULT_OOM;
	/* a page memory_failure() poisoned: SIGBUS, as natively */
	if (error == -EHWPOISON)
		return VM_FAULT_HWPOISON;
	/* a forced GUP access (ptrace) the VMA does not allow */
	if (error == -EACCES)
		return VM_FAULT_SIGSEGV;
	if (error == -ENXIO) {
		pr_warn_ratelimited("%s[%d]: fault at %#lx past the end of a MAP_SHARED /dev/uvm region grown by mremap: SIGBUS, as for shared anonymous memory\n",
				    current->comm, task_pid_nr(current),
				    vmf->address);
		return VM_FAULT_SIGBUS;
	}
	pr_warn_ratelimited("%s[%d]: fault at %#lx: error %d, sending SIGBUS\n",
			    current->comm, task_pid_nr(current),
			    vmf->address, error);
	return VM_FAULT_SIGBUS;
}

/* the fault-ahead advice madvise set on the VMA */
static enum uvm_advice uvm_vma_advice(struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_SEQ_READ)
		return UVM_ADV_SEQUENTIAL;
	if (vma->vm_flags & VM_RAND_READ)
		return UVM_ADV_RANDOM;
	return UVM_ADV_NORMAL;
}

/*
 * Memory a process faults in for another one (GUP from process_vm_writev,
 * ptrace or /proc/PID/mem, and ->access) is charged, as natively, to the
 * memory cgroup of the mm it belongs to, not to the accessing task's
 * (__GFP_ACCOUNT charges the active memcg, else current's).
 */
struct uvm_charge {
	struct mem_cgroup *memcg, *old;
};

static void uvm_charge_begin(struct uvm_charge *c, struct mm_struct *mm)
{
	c->memcg = NULL;
	if (mm == current->mm)
		return;
	c->memcg = get_mem_cgroup_from_mm(mm);
	c->old = set_active_memcg(c->memcg);
}

static void uvm_charge_end(struct uvm_charge *c)
{
	if (!c->memcg)
		return;
	set_active_memcg(c->old);
	mem_cgroup_put(c->memcg);
}

/*
 * Fault-ahead (read faults only) enters neighbours where their page table
 * exists, so that nothing is allocated with the amap locked (see uvm.h).
 * The faulting address's table exists unless Linux preallocated one to
 * install after ->fault; a window across a 2 MiB boundary reaches another
 * table. In those cases the tables of the window are made now, with no
 * lock held (Linux frees its unused preallocated one).
 */
static void uvm_fault_ahead_tables(struct vm_fault *vmf,
				   struct uvm_pmap *pmap,
				   enum uvm_advice advice)
{
	const struct uvm_advice_window *adv = &uvmadvice[advice];
	struct vm_area_struct *vma = vmf->vma;
	unsigned long va = vmf->address & PAGE_MASK, lo, hi;

	lo = va - min_t(unsigned long, adv->nback,
			(va - vma->vm_start) >> PAGE_SHIFT) * PAGE_SIZE;
	hi = va + (min_t(unsigned long, adv->nforw,
			 ((vma->vm_end - va) >> PAGE_SHIFT) - 1) + 1) *
		  PAGE_SIZE;
	if ((vmf->prealloc_pte || (lo & PMD_MASK) != ((hi - 1) & PMD_MASK)) &&
	    pmap_prepare(pmap, lo, hi))
		return;		/* no memory for them: no fault-ahead */
	pmap->ahead_lo = lo;
	pmap->ahead_hi = hi;
}

static int uvm_vm_uvm_fault(struct vm_fault *vmf, struct uvm_pmap *pmap,
			    unsigned int access, bool mapped)
{
	struct vm_area_struct *vma = vmf->vma;
	struct uvm_map_entry *entry = vma->vm_private_data;
	struct uvm_charge charge;
	int error;

	uvm_charge_begin(&charge, vma->vm_mm);
	error = uvm_mapent_follow(entry, GFP_KERNEL);
	if (error)
		goto out;
	WRITE_ONCE(entry->advice, uvm_vma_advice(vma));
	uvm_pmap_linux_init(pmap, vma);
	pmap->hold_cow_old = mapped;
	if (!mapped && !(access & UVM_PROT_WRITE))
		uvm_fault_ahead_tables(vmf, pmap, entry->advice);
	error = uvm_fault(entry, pmap, vmf->address, access);
out:
	uvm_charge_end(&charge);
	return error;
}

/* the PTE to the page a copy-on-write replaced is gone: let it go */
static void uvm_release_cow_old(struct uvm_pmap *pmap)
{
	if (pmap->cow_old) {
		unlock_page(pmap->cow_old);
		put_page(pmap->cow_old);
		pmap->cow_old = NULL;
	}
}

/*
 * mlock(), mlock2() and mlockall(MCL_CURRENT) skip VM_SPECIAL VMAs without
 * telling their driver, then populate them: a fault inside one of those
 * calls is the only sign the module gets. Say there that nothing is wired.
 */
static void uvm_warn_mlock(struct uvm_map_entry *entry)
{
	long nr = syscall_get_nr(current, task_pt_regs(current));

	if (in_compat_syscall() || READ_ONCE(entry->mlock_warned) ||
	    (nr != __NR_mlock && nr != __NR_mlock2 && nr != __NR_mlockall))
		return;
	/* once a mapping (racing faults may both say it) */
	WRITE_ONCE(entry->mlock_warned, true);
	pr_warn_ratelimited("%s[%d]: mlock() populates /dev/uvm memory but cannot wire it (Linux does not tell the driver): use MAP_LOCKED, mlockall(MCL_FUTURE) or UVM_IOC_MADVISE(UVM_MADV_WIRE)\n",
			    current->comm, task_pid_nr(current));
}

static vm_fault_t uvm_vm_fault(struct vm_fault *vmf)
{
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	struct uvm_pmap pmap;
	int error;

	uvm_warn_mlock(vmf->vma->vm_private_data);

	error = uvm_vm_uvm_fault(vmf, &pmap,
				 write ? UVM_PROT_WRITE :
				 (vmf->flags & FAULT_FLAG_INSTRUCTION) ?
				 UVM_PROT_EXEC : UVM_PROT_READ, false);
	if (error)
		return uvm_vm_fault_errno(vmf, error);
	if (WARN_ON_ONCE(write && !(pmap.fault_prot & UVM_PROT_WRITE))) {
		unlock_page(pmap.fault_page);
		put_page(pmap.fault_page);
		return VM_FAULT_SIGBUS;
	}
	/* Linux maps it (locked), writable only for a write fault */
	vmf->page = pmap.fault_page;
	return VM_FAULT_LOCKED;
}

/*
 * ->map_pages: Linux's fault-around asks for resident pages around a read
 * fault to be mapped without sleeping (under rcu_read_lock). UVM's
 * fault-ahead needs the amap lock and may allocate page tables, so it maps
 * nothing here and runs in ->fault instead (uvm_fault_upper_lookup()).
 * The hook's presence is what lets 6.12 run our faults under the per-VMA
 * lock (see above).
 */
static vm_fault_t uvm_vm_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff,
				   pgoff_t end_pgoff)
{
	return 0;
}

static vm_fault_t uvm_vm_page_mkwrite(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct uvm_pmap pmap;
	int error;

	if (pte_none(vmf->orig_pte)) {
		/*
		 * A write fault on no PTE: ->fault has done UVM's part, but
		 * Linux unlocked the page since: check it is still ours.
		 */
		if (uvmfault_relock(vma->vm_private_data, vmf->address,
				    vmf->page))
			return VM_FAULT_LOCKED;
		return VM_FAULT_NOPAGE;
	}

	/* a write to a read-only PTE: let UVM decide */
	error = uvm_vm_uvm_fault(vmf, &pmap, UVM_PROT_WRITE, true);
	if (error) {
		uvm_release_cow_old(&pmap);
		return uvm_vm_fault_errno(vmf, error);
	}
	put_page(pmap.fault_page);
	if (pmap.fault_page == vmf->page &&
	    (pmap.fault_prot & UVM_PROT_WRITE)) {
		/* UVM keeps the page (locked): Linux makes the PTE writable */
		uvm_stat_inc(UVM_STAT_WP_REUSE);
		return VM_FAULT_LOCKED;
	}
	/* copy-on-write: drop the old page; the retried access maps the new */
	unlock_page(pmap.fault_page);
	uvm_zap(vma, vmf->address & PAGE_MASK, PAGE_SIZE);
	uvm_release_cow_old(&pmap);
	return VM_FAULT_NOPAGE;
}

/*
 * uvm_vm_access: ptrace and /proc/PID/mem access to memory that GUP
 * refuses: a forced write to a read-only private mapping (GUP allows it
 * only in copy-on-write VMAs, and ours are shared at Linux's level) or a
 * forced read of PROT_NONE memory. As BSD's uvm_io with fixed protection:
 * the access faults through UVM with the protection the entry could have,
 * so a write to private memory lands in the process's own copy (the PTE of
 * the page it replaced is zapped); shared memory is written only where the
 * VMA may write.
 *
 * => called with mmap_lock held for reading
 */
static int uvm_vm_access(struct vm_area_struct *vma, unsigned long addr,
			 void *buf, int len, int write)
{
	struct uvm_map_entry *entry = vma->vm_private_data;
	struct uvm_charge charge;
	struct uvm_pmap pmap;
	int done = 0;

	uvm_charge_begin(&charge, vma->vm_mm);
	if (uvm_mapent_follow(entry, GFP_KERNEL))
		goto out;
	while (done < len) {
		unsigned long va = addr + done;
		unsigned int off = va & ~PAGE_MASK;
		int n = min_t(int, len - done, PAGE_SIZE - off);
		void *kaddr;

		uvm_pmap_linux_init(&pmap, vma);
		pmap.max_prot |= UVM_PROT_READ;
		if (entry->etype & UVM_ET_COPYONWRITE)
			pmap.max_prot |= UVM_PROT_WRITE;
		pmap.hold_cow_old = write;
		if (uvm_fault(entry, &pmap, va,
			      write ? UVM_PROT_WRITE : UVM_PROT_READ)) {
			uvm_release_cow_old(&pmap);
			break;
		}
		kaddr = kmap_local_page(pmap.fault_page);
		if (write) {
			memcpy(kaddr + off, buf + done, n);
			set_page_dirty(pmap.fault_page);
		} else {
			memcpy(buf + done, kaddr + off, n);
		}
		kunmap_local(kaddr);
		unlock_page(pmap.fault_page);
		put_page(pmap.fault_page);
		/* a copy-on-write replaced the page the process maps */
		if (write)
			uvm_zap(vma, va & PAGE_MASK, PAGE_SIZE);
		uvm_release_cow_old(&pmap);
		done += n;
	}
out:
	uvm_charge_end(&charge);
	return done;
}

const struct vm_operations_struct uvm_vm_ops = {
	.open		= uvm_vm_open,
	.close		= uvm_vm_close,
	.may_split	= uvm_vm_may_split,
	.mremap		= uvm_vm_mremap,
	.mprotect	= uvm_vm_mprotect,
	.fault		= uvm_vm_fault,
	.map_pages	= uvm_vm_map_pages,
	.page_mkwrite	= uvm_vm_page_mkwrite,
	.access		= uvm_vm_access,
};

/*
 * Each mmap of /dev/uvm gets a file of its own, on an unlinked inode of
 * the kernel's internal shmem mount (shmem_file_setup(), which gives it an
 * address_space of its own, VM_NORESERVE: nothing charged), in place of
 * /dev/uvm (vma_set_file), with uvmmod's file operations. The region is
 * then anonymous memory to the rest of Linux: core dumps include it as
 * anonymous shared memory (coredump_filter bit 1, on by default), and
 * madvise(MADV_WILLNEED), which Linux hands to the VMA's file as fadvise,
 * finds the region through its file. The file has an address_space of
 * the module's own (the inode's, shmem's, would make Linux treat the region
 * as shmem), into which no page ever enters: UVM's pages reach the page
 * tables through the pmap shim, and the mapping serves only for its i_mmap
 * tree (the write-protect and clean walks of uvm_pmap.c).
 *
 * The file pins the module through its f_op. The filesystem is the
 * kernel's, not the module's: __fput() drops the module reference
 * (fops_put) before its final dput and mntput, and a filesystem of the
 * module's own would then be torn down by code and data an rmmod racing
 * the last munmap had already freed.
 */
/* fadvise(WILLNEED) on the region's file: map its resident pages */
static int uvm_region_fadvise(struct file *file, loff_t offset, loff_t len,
			      int advice)
{
	pgoff_t first = offset >> PAGE_SHIFT;
	pgoff_t last = len ? (offset + len - 1) >> PAGE_SHIFT : ULONG_MAX;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct uvm_pmap pmap;

	if (advice != POSIX_FADV_WILLNEED || !mm)
		return 0;
	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			struct uvm_map_entry *entry = vma->vm_private_data;
			pgoff_t s, e;

			if (vma->vm_file != file || vma->vm_ops != &uvm_vm_ops)
				continue;
			s = max(first, entry->start);
			e = min(last + 1, entry->end);
			if (s >= e)
				continue;
			uvm_pmap_linux_init(&pmap, vma);
			uvm_map_willneed(entry, &pmap, uvm_slot_to_va(entry, s),
					 uvm_slot_to_va(entry, e));
		}
	}
	mmap_read_unlock(mm);
	return 0;
}

/* the last VMA and the last fput are gone: so is the address_space */
static int uvm_region_release(struct inode *inode, struct file *file)
{
	struct address_space *mapping = file->private_data;

	WARN_ON_ONCE(mapping_mapped(mapping));
	file->f_mapping = inode->i_mapping;
	kfree(mapping);
	return 0;
}

/* no page ever enters a region's mapping (see above) */
static const struct address_space_operations uvm_region_aops = {
	.dirty_folio	= noop_dirty_folio,
};

static const struct file_operations uvm_region_fops = {
	.owner		= THIS_MODULE,
	.release	= uvm_region_release,
	.fadvise	= uvm_region_fadvise,
	/* msync(MS_SYNC): nothing to write back, as for anonymous memory */
	.fsync		= noop_fsync,
	.llseek		= noop_llseek,
};

static int uvm_region_file(struct vm_area_struct *vma)
{
	struct address_space *mapping;
	struct file *file;

	mapping = kzalloc(sizeof(*mapping), GFP_KERNEL);
	if (!mapping)
		return -ENOMEM;
	file = shmem_file_setup("uvm", (loff_t)vma_pages(vma) << PAGE_SHIFT,
				VM_NORESERVE);
	if (IS_ERR(file)) {
		kfree(mapping);
		pr_warn_ratelimited("%s[%d]: cannot make the file of a /dev/uvm mapping: error %ld\n",
				    current->comm, task_pid_nr(current),
				    PTR_ERR(file));
		return PTR_ERR(file);
	}
	/*
	 * The region's own address_space (the VMAs link into its i_mmap),
	 * not shmem's: Linux would treat a shmem mapping as shmem (madvise
	 * WILLNEED swaps shmem in instead of asking the file). Freed when the
	 * file is released, after the last VMA.
	 */
	address_space_init_once(mapping);
	mapping->host = file_inode(file);
	mapping->a_ops = &uvm_region_aops;
	mapping_set_gfp_mask(mapping, GFP_HIGHUSER);
	file->f_mapping = mapping;
	file->private_data = mapping;
	/*
	 * uvmmod's operations; the file's last fput drops a module reference
	 * for them: take it
	 */
	__module_get(THIS_MODULE);
	file->f_op = &uvm_region_fops;
	vma_set_file(vma, file);
	fput(file);		/* the VMA holds its own reference */
	return 0;
}

/*
 * Wiring. A mapping made with VM_LOCKED (MAP_LOCKED, or any mmap after
 * mlockall(MCL_FUTURE)) is wired by UVM: every page allocated now (unless
 * VM_LOCKONFAULT: MCL_ONFAULT), counted in the mm's locked_vm (VmLck) until
 * unmapped, and copied for the child at fork. Linux checked RLIMIT_MEMLOCK
 * for it before calling ->mmap; it clears VM_LOCKED afterwards, as for
 * every VM_SPECIAL (here: VM_MIXEDMAP) VMA, and for the same reason never
 * tells the driver of a later mlock() or munlock(): those only populate.
 */
static int uvm_dev_wire(struct vm_area_struct *vma,
			struct uvm_map_entry *entry)
{
	int error = 0;

	if (vma->vm_flags & VM_LOCKONFAULT) {
		entry->wired = true;
		if (entry->uobj)
			uao_wire(entry->uobj);
	} else {
		error = uvm_map_wire(entry, entry->start, entry->end);
	}
	if (error) {
		pr_warn_ratelimited("%s[%d]: out of memory wiring a %lu-page MAP_LOCKED mapping of /dev/uvm\n",
				    current->comm, task_pid_nr(current),
				    vma_pages(vma));
		return error;
	}
	uvm_account_wired(entry, 1);
	return 0;
}

/*
 * uvm_dev_mmap: a new region of UVM memory. MAP_PRIVATE gets copy-on-write
 * memory (an amap on first fault), MAP_SHARED an aobj of its own. Either
 * way the VMA is shared at Linux's level; see uvm_pmap.c.
 */
static int uvm_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct uvm_map_entry *entry;
	int error;

	mmap_assert_write_locked(vma->vm_mm);
	error = uvm_dev_mmap_check(vma->vm_pgoff);
	if (error)
		return error;
	error = uvm_region_file(vma);
	if (error)
		return error;
	/* the page queues of the cgroup its pages will be charged to */
	uvm_pdq_prepare(vma->vm_mm);

	entry = uvm_mapent_create(vma->vm_start, 0, vma_pages(vma),
				  vma->vm_flags & VM_MAYSHARE, GFP_KERNEL);
	if (!entry)
		return -ENOMEM;
	entry->vma = vma;
	entry->mm = vma->vm_mm;
	/* the page daemon unmaps the aobj's pages through the region */
	if (entry->uobj)
		entry->uobj->uo_region = vma->vm_file;
	error = uvm_mm_attach(entry, vma->vm_mm);
	if (error) {
		uvm_mapent_free(entry);
		return error;
	}
	if (vma->vm_flags & VM_LOCKED) {
		error = uvm_dev_wire(vma, entry);
		if (error) {
			uvm_mm_detach(entry);
			uvm_mapent_free(entry);
			return error;
		}
	}
	vma->vm_private_data = entry;
	vma->vm_ops = &uvm_vm_ops;
	/*
	 * No VM_DONTEXPAND: mremap may grow the region (see
	 * uvm_mapent_grow()). Linux 6.12 still refuses to grow it in place
	 * (ENOMEM: vma_merge_extend() does not extend VM_SPECIAL VMAs, and
	 * VM_MIXEDMAP is one), so there it grows only by a move.
	 */
	uvm_vma_flags_set(vma, VM_SHARED | VM_MAYSHARE | VM_MIXEDMAP |
			  VM_WIPEONFORK);
	return 0;
}

/*
 * UVM_IOC_MADVISE (see uvm_uapi.h): the behaviours Linux refuses to this
 * driver's VMAs. Runs with mmap_lock held for writing, so no VMA changes
 * meanwhile; faults may still run beside it under the VMA lock (6.12) and
 * are handled as beside MADV_DONTNEED.
 */
static bool uvm_is_uvm_vma(struct vm_area_struct *vma)
{
	return vma->vm_ops == &uvm_vm_ops;
}

struct uvm_swapoff_walk {
	unsigned int lo, hi;
};

/* page in what @mm's /dev/uvm memory has in swap slots [lo, hi) */
static int uvm_swapoff_mm(struct mm_struct *mm, void *arg)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct uvm_swapoff_walk *w = arg;
	struct vm_area_struct *vma;
	struct uvm_map_entry *entry;
	struct uvm_charge charge;
	int error = 0;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	/* the pages are charged to the mm's memory cgroup, as its faults */
	uvm_charge_begin(&charge, mm);
	for_each_vma(vmi, vma) {
		if (!uvm_is_uvm_vma(vma))
			continue;
		entry = vma->vm_private_data;
		error = uvm_pagein_range(entry, entry->start, entry->end,
					 w->lo, w->hi);
		if (error)
			break;
	}
	uvm_charge_end(&charge);
	mmap_read_unlock(mm);
	return error;
}

/*
 * uvm_swapoff_pagein - page in every anon whose data is in swap slots
 *	[@lo, @hi) (swapoff: BSD's amap_swap_off), process by process
 *
 * => called with no uvmmod locks but uvm_swap_mutex; may sleep
 *
 * Return: 0, -EIO, -ENOMEM or -EINTR.
 */
int uvm_swapoff_pagein(unsigned int lo, unsigned int hi)
{
	struct uvm_swapoff_walk w = { .lo = lo, .hi = hi };
	int error = uvm_mm_foreach(uvm_swapoff_mm, &w);

	/* then shared memory, mapped or not (the seed's uao_swap_off) */
	return error ?: uao_swap_off(lo, hi);
}

static int uvm_madvise_vma(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, unsigned int advice)
{
	struct uvm_map_entry *entry = vma->vm_private_data;
	bool private = entry->etype & UVM_ET_COPYONWRITE;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long pages = vma_pages(vma);
	int error;

	error = uvm_mapent_follow(entry, GFP_KERNEL);
	if (error)
		return error;
	switch (advice) {
	case UVM_MADV_FREE:
		if (!private)
			return -EINVAL;
		if (entry->wired)
			return 0;
		/* an amap shared with a fork relative: ours first */
		if (uvmfault_amapcopy(entry, GFP_KERNEL))
			return -ENOMEM;
		uvm_mapent_dontneed(entry, start, end);
		uvm_zap(vma, start, end - start);
		return 0;
	case UVM_MADV_WIPEONFORK:
	case UVM_MADV_KEEPONFORK:
		if (!private)
			return -EINVAL;
		entry->inherit_zero = advice == UVM_MADV_WIPEONFORK;
		return 0;
	case UVM_MADV_WIRE:
		if (entry->wired)
			return 0;
		if (!capable(CAP_IPC_LOCK) &&
		    mm->locked_vm + pages > rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT)
			return -ENOMEM;
		/*
		 * Pages shared with a fork relative get copies: unmap them
		 * first, with the VMA's faults kept out, so that no PTE of
		 * ours still maps a page the relative owns alone afterwards.
		 */
		uvm_vma_start_write(vma);
		if (entry->amap)
			uvm_zap(vma, vma->vm_start, vma->vm_end - vma->vm_start);
		error = uvm_map_wire(entry, entry->start, entry->end);
		if (error)
			return error;
		uvm_account_wired(entry, 1);
		return 0;
	case UVM_MADV_UNWIRE:
		if (entry->wired) {
			/* (faults out: none wires a page behind our back) */
			uvm_vma_start_write(vma);
			uvm_map_unwire(entry);
			uvm_account_wired(entry, -1);
		}
		return 0;
	case UVM_MADV_PAGEOUT:
		/* wired memory stays, as mlocked memory does natively */
		if (entry->wired)
			return 0;
		if (!private) {
			/* every process sharing the pages loses them */
			error = uvm_pageout_obj(entry->uobj,
						uvm_va_to_slot(entry, start),
						uvm_va_to_slot(entry, end));
			return error < 0 ? error : 0;
		}
		/* its faults stay out while its anons change (6.12) */
		uvm_vma_start_write(vma);
		error = uvm_pageout_range(entry, vma->vm_file->f_mapping,
					  uvm_va_to_slot(entry, start),
					  uvm_va_to_slot(entry, end));
		return error < 0 ? error : 0;
	}
	return -EINVAL;
}

static long uvm_ioc_madvise(struct uvm_madvise __user *uarg)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct uvm_madvise arg;
	unsigned long start, end, addr;
	bool whole;
	int error = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	start = arg.addr;
	end = start + PAGE_ALIGN(arg.len);
	if (arg.flags || arg.advice < UVM_MADV_FREE ||
	    arg.advice > UVM_MADV_PAGEOUT || start != arg.addr ||
	    offset_in_page(start) || !arg.len || arg.len > TASK_SIZE ||
	    end <= start || end > TASK_SIZE) {
		pr_warn_ratelimited("%s[%d]: UVM_IOC_MADVISE: invalid argument (addr %#llx len %#llx advice %u flags %#x)\n",
				    current->comm, task_pid_nr(current),
				    arg.addr, arg.len, arg.advice, arg.flags);
		return -EINVAL;
	}
	/* these apply to whole mappings (a map entry's flags) */
	whole = arg.advice != UVM_MADV_FREE && arg.advice != UVM_MADV_PAGEOUT;

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	/* first check the range, as madvise does: all of it /dev/uvm memory */
	for (addr = start; addr < end; addr = vma->vm_end) {
		vma = vma_lookup(mm, addr);
		if (!vma || !uvm_is_uvm_vma(vma)) {
			error = -ENOMEM;
			goto out;
		}
		if (whole && (vma->vm_start < start || vma->vm_end > end)) {
			pr_warn_ratelimited("%s[%d]: UVM_IOC_MADVISE: advice %u applies to whole /dev/uvm mappings; [%#lx, %#lx) cuts the mapping [%#lx, %#lx)\n",
					    current->comm, task_pid_nr(current),
					    arg.advice, start, end,
					    vma->vm_start, vma->vm_end);
			error = -EINVAL;
			goto out;
		}
	}
	for (addr = start; addr < end && !error; addr = vma->vm_end) {
		vma = vma_lookup(mm, addr);
		error = uvm_madvise_vma(vma, max(start, vma->vm_start),
					min(end, vma->vm_end), arg.advice);
	}
out:
	mmap_write_unlock(mm);
	return error;
}

static long uvm_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case UVM_IOC_MADVISE:
		return uvm_ioc_madvise((struct uvm_madvise __user *)arg);
	case UVM_IOC_SWAPCTL:
		return uvm_swapctl_ioctl((void __user *)arg);
	}
	return -ENOTTY;
}

static const struct file_operations uvm_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.mmap		= uvm_dev_mmap,
	.unlocked_ioctl	= uvm_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

struct miscdevice uvm_misc = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= UVM_DEV_NAME,
	.fops		= &uvm_fops,
	.mode		= 0666,
};
EXPORT_SYMBOL_NS_GPL(uvm_misc, UVM_KUNIT);

/*
 * uvm_dev_init - register /dev/uvm
 *
 * => called from module init, no locks held
 *
 * Return: 0 or a negative errno from misc_register().
 */
int uvm_dev_init(void)
{
	int error;

	error = misc_register(&uvm_misc);
	if (error)
		pr_err("cannot register /dev/%s: error %d\n", UVM_DEV_NAME, error);
	return error;
}

/*
 * uvm_dev_exit - unregister /dev/uvm
 *
 * => called from module exit, no locks held; no file of the device is open
 */
void uvm_dev_exit(void)
{
	misc_deregister(&uvm_misc);
}
