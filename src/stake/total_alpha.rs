//! `TotalAlphaStaked` (spec 448, `pool-after-425.md` §5.4): per subnet, the sum over hotkeys of
//! `TotalHotkeyAlpha`, kept in step with every `TotalHotkeyAlpha` change on chain and
//! backfilled by the paged migration `migrate_total_alpha_staked`. Informational only: no
//! pricing reads it.
//!
//! Port of the storage item in RaoFoundation/subtensor `pallets/subtensor/src/lib.rs` (index id
//! 68884137211) and `migrations/migrate_total_alpha_staked.rs` (index id 61484790039). The
//! engine derives it from the share pools instead of maintaining a counter; the emission
//! simulator's equivalent is `StakeBook::subnet_total`. While the chain's backfill is still
//! paging, the stored value covers only the hotkeys behind its cursor, so a chain read can be
//! lower than this sum.

use super::ops::StakingState;

impl<A: Ord + Clone> StakingState<A> {
    /// `TotalAlphaStaked[netuid]`: Σ `TotalHotkeyAlpha[h, netuid]` over hotkeys (saturating,
    /// as the chain's `AlphaBalance` additions).
    pub fn total_alpha_staked(&self, netuid: u16) -> u64 {
        self.pools
            .iter()
            .filter(|((_, n), _)| *n == netuid)
            .fold(0u64, |acc, (_, p)| acc.saturating_add(p.shared_value))
    }
}

#[cfg(test)]
mod tests {
    use crate::stake::ops::{StakeParams, StakingState};

    #[test]
    fn sums_hotkey_totals_per_subnet() {
        let mut st: StakingState<u8> = StakingState::new(StakeParams::default());
        st.pools.entry((1, 1)).or_default().increase(&7, 100);
        st.pools.entry((1, 1)).or_default().increase(&8, 50);
        st.pools.entry((2, 1)).or_default().increase(&7, 25);
        st.pools.entry((2, 3)).or_default().increase(&7, 1_000);
        assert_eq!(st.total_alpha_staked(1), 175);
        assert_eq!(st.total_alpha_staked(3), 1_000);
        assert_eq!(st.total_alpha_staked(2), 0);
    }
}
