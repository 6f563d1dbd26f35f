//! Allocations per block of the 128-subnet default network, counted by a global allocator
//! wrapper (this test binary only). The speed issue asks for none per block in the coinbase;
//! the tests hold a block without an epoch to none and print what epochs allocate.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    /// Allocations made by this thread (each test counts its own).
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the slot may be gone while the thread is torn down.
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations(f: impl FnOnce()) -> u64 {
    let before = ALLOCS.with(Cell::get);
    f();
    ALLOCS.with(Cell::get) - before
}

fn network() -> tao_engine::sim::Simulator {
    use tao_engine::sim::{default_network, DefaultConfig, FlowModel};
    let mut sim = default_network(&DefaultConfig::default(), FlowModel::default(), 11).unwrap();
    // Warm up: the reused buffers grow to the network's size.
    for _ in 0..50 {
        sim.step().unwrap();
    }
    sim
}

/// The coinbase into a reused report: no allocation at all in a block without an epoch.
#[test]
fn the_coinbase_allocates_nothing_without_an_epoch() {
    let mut sim = network();
    let mut report = tao_engine::emission::BlockReport::default();
    // The report's own buffers grow in the first block.
    sim.net
        .step_block_into(&mut sim.epoch, &mut report)
        .unwrap();
    let (mut quiet, mut epochs, mut at_epochs) = (0u32, 0u32, 0u64);
    for _ in 0..400 {
        let n = allocations(|| {
            sim.net
                .step_block_into(&mut sim.epoch, &mut report)
                .unwrap()
        });
        if report.distributions.is_empty() {
            assert_eq!(n, 0, "block {} allocated {n} times", sim.net.block);
            quiet += 1;
        } else {
            epochs += report.distributions.len() as u32;
            at_epochs += n;
        }
    }
    assert!(
        quiet > 300 && epochs > 0,
        "{quiet} quiet blocks, {epochs} epochs"
    );
    println!(
        "coinbase: 0 allocations in each of {quiet} blocks without an epoch; {} per epoch run \
         (the Yuma epoch's matrices and the payout's maps)",
        at_epochs / u64::from(epochs)
    );
}

/// A simulator step (generated events, then the coinbase): the median block allocates nothing;
/// an event may (a new staker's entries), and so does an epoch.
#[test]
fn simulator_steps_allocate_nothing_in_the_median_block() {
    let mut sim = network();
    let mut quiet = Vec::new();
    for _ in 0..400 {
        let mut epochs = 0;
        let n = allocations(|| epochs = sim.step().unwrap().distributions.len());
        if epochs == 0 {
            quiet.push(n);
        }
    }
    quiet.sort_unstable();
    let (median, max) = (quiet[quiet.len() / 2], quiet[quiet.len() - 1]);
    let zero = quiet.iter().filter(|n| **n == 0).count();
    println!("simulator step without an epoch: {zero} of {} blocks allocate nothing (median {median}, max {max})", quiet.len());
    assert_eq!(median, 0);
}
