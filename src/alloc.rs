//! Keeping glibc's heap from growing with the corpus.
//!
//! libtorch allocates every activation with `malloc`, in shapes that change
//! from batch to batch (sentences are grouped by exact token count). glibc
//! raises its mmap threshold each time such a block is freed, so after the
//! first batches the large blocks come from the worker threads' heaps instead
//! of fresh mappings, and the freed space, fragmented, is kept: on the
//! 100k-article benchmark (`make bench-memory`) the heap grew by ~75 MB while
//! the model ran and was still climbing at the end (peak 1033 MiB; 922 MiB
//! with this, flat over the second half of the run).
//!
//! [`release_free_memory`] hands the free pages back after every batch
//! (seconds of model time): the call itself is cheap, and the next batch pays
//! the page faults of refilling the heap once. A fixed mmap threshold
//! (`MALLOC_MMAP_THRESHOLD_=131072`) also stops the growth (884 MiB at 89% of
//! the same run), but pays those page faults on every activation of every
//! forward pass.

/// Returns the heap's free pages to the operating system (`malloc_trim`);
/// does nothing where the allocator is not glibc's.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory that is free; it takes no pointer.
    unsafe {
        libc::malloc_trim(0);
    }
}
