//! The epoch schedule of the coinbase: which subnets' epochs are due at a block, and the drain of
//! their pending buckets (`should_run_epoch`, `drain_pending` in
//! `pallets/subtensor/src/coinbase/run_coinbase.rs`, subtensor @ 14bc6f9; spec
//! `emission-and-pools.md` §3, §8). Split from [`super::coinbase`] to keep files short.

use super::state::{Network, PendingBuckets, SubnetState, MAX_TEMPO};
use super::subnet_pool::SubnetPool;

impl<P: SubnetPool> Network<P> {
    /// `should_run_epoch` under the current (dynamic tempo) scheduler.
    pub fn should_run_epoch(&self, netuid: u16, block: u64) -> bool {
        self.subnets
            .get(&netuid)
            .is_some_and(|s| epoch_due(s, block))
    }

    /// `drain_pending`: advance every subnet's schedule and take the buckets of those whose epoch
    /// runs this block (at most `MaxEpochsPerBlock`; the rest are deferred one block).
    pub fn drain_pending(&mut self) -> (Vec<(u16, PendingBuckets)>, Vec<u16>) {
        let (mut drained, mut deferred) = (Vec::new(), Vec::new());
        self.drain_pending_into(&mut drained, &mut deferred);
        (drained, deferred)
    }

    /// [`Self::drain_pending`] appending to reused buffers.
    pub fn drain_pending_into(
        &mut self,
        drained: &mut Vec<(u16, PendingBuckets)>,
        deferred: &mut Vec<u16>,
    ) {
        let block = self.block;
        let cap = self.params.max_epochs_per_block;
        let mut ran = 0u32;
        // One pass in netuid order; each subnet's schedule reads only itself.
        for (&netuid, s) in self.subnets.iter_mut() {
            if netuid == 0 {
                continue;
            }
            s.blocks_since_last_step = s.blocks_since_last_step.saturating_add(1);
            if !epoch_due(s, block) {
                continue;
            }
            if ran >= cap {
                s.pending_epoch_at = block.saturating_add(1);
                deferred.push(netuid);
                continue;
            }
            let mut seen = std::collections::BTreeSet::new();
            let consistent = s.neurons.iter().all(|h| seen.insert(*h));
            if consistent {
                s.blocks_since_last_step = 0;
                drained.push((netuid, core::mem::take(&mut s.pending)));
                ran = ran.saturating_add(1);
            }
            s.last_epoch_block = block;
            s.pending_epoch_at = 0;
            s.epoch_index = s.epoch_index.saturating_add(1);
        }
    }
}

/// `should_run_epoch` of one subnet at `block`.
fn epoch_due<P>(s: &SubnetState<P>, block: u64) -> bool {
    if s.tempo == 0 {
        return false;
    }
    if s.pending_epoch_at > 0 && block >= s.pending_epoch_at {
        return true;
    }
    if s.blocks_since_last_step > MAX_TEMPO {
        return true;
    }
    block.saturating_sub(s.last_epoch_block) >= u64::from(s.tempo)
}
