//! Which consensus vector liquid alpha reads (`LiquidAlphaConsensusMode`, #3070, spec 446+).
//!
//! After `compute_consensus_for_liquid_alpha` in `RaoFoundation/subtensor`
//! `pallets/subtensor/src/epoch/run_epoch.rs` @ 76671f67 (index id 61396157298), with its tests
//! (`pallets/subtensor/src/tests/consensus_mode.rs`, ids 14991315424 and 15748032073) and the
//! release notes of spec 446 (PR #3077):
//! * `Current` uses the epoch's fresh consensus, `Previous` the `Consensus[netuid]` the previous
//!   epoch stored, and `Auto` (the default) the stored one exactly when the bonds penalty is 1
//!   (65535), the fresh one otherwise;
//! * a stored vector that is empty (absent) gives the fresh consensus; otherwise each stored
//!   `PerU16` becomes `I32F32(c) / I32F32(65535)` (the fixed-point division, equal to
//!   [`u16_proportion_to_fixed`]), and the vector is padded with 0 or truncated to the fresh one's
//!   length;
//! * the choice is made inside the Yuma3 bonds step, after the liquid-alpha gate (`LiquidAlphaOn`
//!   and a non-zero *fresh* consensus) has been decided on the fresh vector: a zero fresh
//!   consensus means the fixed-alpha EMA whatever is stored, and a zero stored one still runs
//!   liquid alpha (`bonds::ema_bonds_yuma3_sparse_gated`).
//!
//! Runtimes before the change always use the fresh consensus.

use crate::fixed::{u16_proportion_to_fixed, I32F32};
use std::borrow::Cow;

/// `ConsensusMode` of a subnet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ConsensusMode {
    /// The epoch's own consensus.
    Current,
    /// The consensus stored by the previous epoch.
    Previous,
    /// Previous when the bonds penalty is 1, current otherwise (the chain's default).
    #[default]
    Auto,
}

impl ConsensusMode {
    /// The enum from its SCALE byte (`Current` 0, `Previous` 1, `Auto` 2); `None` for any other.
    pub fn from_index(b: u8) -> Option<ConsensusMode> {
        match b {
            0 => Some(ConsensusMode::Current),
            1 => Some(ConsensusMode::Previous),
            2 => Some(ConsensusMode::Auto),
            _ => None,
        }
    }

    /// Whether liquid alpha reads the stored consensus under this mode and bonds penalty.
    pub fn uses_previous(self, bonds_penalty: u16) -> bool {
        match self {
            ConsensusMode::Current => false,
            ConsensusMode::Previous => true,
            ConsensusMode::Auto => bonds_penalty == u16::MAX,
        }
    }
}

/// The consensus liquid alpha uses: `fresh` unless the runtime has the mode (`mode_live`) and the
/// mode picks the stored `previous` vector.
pub fn liquid_alpha_consensus<'a>(
    mode_live: bool,
    mode: ConsensusMode,
    bonds_penalty: u16,
    fresh: &'a [I32F32],
    previous: &[u16],
) -> Cow<'a, [I32F32]> {
    let use_previous = mode_live && mode.uses_previous(bonds_penalty);
    if !use_previous || previous.is_empty() {
        return Cow::Borrowed(fresh);
    }
    Cow::Owned(
        (0..fresh.len())
            .map(|i| {
                previous
                    .get(i)
                    .map_or(I32F32::from_bits(0), |&c| u16_proportion_to_fixed(c))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> Vec<I32F32> {
        [0.2, 0.3, 0.4, 0.1]
            .iter()
            .map(|&x| I32F32::from_num(x))
            .collect()
    }

    #[test]
    fn current_mode_and_old_runtimes_use_the_fresh_consensus() {
        let f = fresh();
        let prev = [6553u16, 13107, 19660, 26214];
        assert_eq!(
            &*liquid_alpha_consensus(true, ConsensusMode::Current, u16::MAX, &f, &prev),
            &f[..]
        );
        assert_eq!(
            &*liquid_alpha_consensus(false, ConsensusMode::Previous, u16::MAX, &f, &prev),
            &f[..]
        );
    }

    #[test]
    fn previous_mode_reads_the_stored_vector() {
        let f = fresh();
        let prev = [6553u16, 13107, 19660, 26214];
        let got = liquid_alpha_consensus(true, ConsensusMode::Previous, 0, &f, &prev);
        for (g, want) in got.iter().zip([0.1, 0.2, 0.3, 0.4]) {
            assert!((g.to_num::<f64>() - want).abs() < 0.001, "{g} vs {want}");
        }
    }

    #[test]
    fn auto_switches_on_a_bonds_penalty_of_one() {
        let f = fresh();
        let prev = [6553u16, 13107, 19660, 26214];
        assert_eq!(
            &*liquid_alpha_consensus(true, ConsensusMode::Auto, u16::MAX / 2, &f, &prev),
            &f[..]
        );
        let got = liquid_alpha_consensus(true, ConsensusMode::Auto, u16::MAX, &f, &prev);
        assert_ne!(&*got, &f[..]);
        assert_eq!(got.first().copied(), Some(u16_proportion_to_fixed(6553)));
    }

    #[test]
    fn the_scale_index_of_each_mode() {
        assert_eq!(ConsensusMode::from_index(0), Some(ConsensusMode::Current));
        assert_eq!(ConsensusMode::from_index(1), Some(ConsensusMode::Previous));
        assert_eq!(ConsensusMode::from_index(2), Some(ConsensusMode::Auto));
        assert_eq!(ConsensusMode::from_index(3), None);
        assert_eq!(ConsensusMode::default(), ConsensusMode::Auto);
        assert!(ConsensusMode::Auto.uses_previous(u16::MAX));
        assert!(!ConsensusMode::Auto.uses_previous(u16::MAX - 1));
        assert!(!ConsensusMode::Auto.uses_previous(0));
        assert!(ConsensusMode::Previous.uses_previous(0));
        assert!(!ConsensusMode::Current.uses_previous(u16::MAX));
    }

    #[test]
    fn an_empty_stored_vector_falls_back_to_the_fresh_consensus() {
        let f = fresh();
        for mode in [ConsensusMode::Previous, ConsensusMode::Auto] {
            let got = liquid_alpha_consensus(true, mode, u16::MAX, &f, &[]);
            assert!(matches!(got, Cow::Borrowed(_)), "{mode:?}");
            assert_eq!(&*got, &f[..]);
        }
    }

    #[test]
    fn a_long_stored_vector_is_truncated() {
        let f = fresh();
        let prev = [1u16, 2, 3, 4, 5, 6];
        let got = liquid_alpha_consensus(true, ConsensusMode::Previous, 0, &f, &prev);
        let want: Vec<I32F32> = prev[..4]
            .iter()
            .map(|&c| u16_proportion_to_fixed(c))
            .collect();
        assert_eq!(&*got, &want[..]);
    }

    #[test]
    fn the_stored_value_converts_as_the_fixed_point_division() {
        // The chain divides `I32F32(c)` by `I32F32(65535)`; the engine's conversion is exact.
        for c in 0..=u16::MAX {
            let div = crate::fixed::fixed_to_fixed_u16_proportion(I32F32::from_num(c));
            assert_eq!(u16_proportion_to_fixed(c), div, "{c}");
        }
    }

    #[test]
    fn a_short_stored_vector_pads_with_zero() {
        let f = fresh();
        let got = liquid_alpha_consensus(true, ConsensusMode::Previous, 0, &f, &[65535]);
        assert_eq!(got.len(), 4);
        assert_eq!(got.get(3).copied(), Some(I32F32::from_bits(0)));
    }
}
