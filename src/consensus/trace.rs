//! Every intermediate of one sparse epoch, and its rendering as the chain's debug log.
//!
//! The chain logs `"{Name}: {:?}"` lines from `epoch_mechanism`; [`EpochTrace::entries`] yields
//! the same `(Name, rendering)` pairs in the same order. Values render through the `Debug` impls
//! of `substrate-fixed` 0.6.0 (the chain's own crate, see its `display.rs`: shortest decimal that
//! round-trips at the type's precision, e.g. `0.3333333333`, integers without a point), rows as
//! `[(3, 0.5)]`, emissions as `AlphaBalance(500000000)`.

use crate::fixed::{SparseRow, I32F32, I64F64};
use core::fmt::{self, Debug, Write};

/// Rao amount rendered like the chain's `AlphaBalance` newtype.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AlphaBalance(pub u64);

impl Debug for AlphaBalance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AlphaBalance({})", self.0)
    }
}

/// Intermediates of one sparse (`epoch_mechanism`) run. Branch-specific items are empty when the
/// branch was not taken (`yuma3` says which bonds branch ran).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EpochTrace {
    /// Subnet size.
    pub n: usize,
    /// Block of the epoch.
    pub current_block: u64,
    /// Tempo.
    pub tempo: u64,
    /// Activity cutoff in blocks.
    pub activity_cutoff: u64,
    /// `LastUpdate` (padded to `n`).
    pub last_update: Vec<u64>,
    /// Inactive mask (`last_update + cutoff < block`).
    pub inactive: Vec<bool>,
    /// `BlockAtRegistration`.
    pub block_at_registration: Vec<u64>,
    /// Total stake (alpha + tao·tao_weight), I64F64.
    pub total_stake: Vec<I64F64>,
    /// Stake after the threshold filter, before normalization.
    pub filtered_stake: Vec<I64F64>,
    /// Normalized stake `S`.
    pub stake: Vec<I32F32>,
    /// Stored permits (owner forced on) that gate this epoch.
    pub validator_permits: Vec<bool>,
    /// `MaxAllowedValidators`.
    pub max_allowed_validators: u16,
    /// New permits.
    pub new_validator_permits: Vec<bool>,
    /// Active stake `A`.
    pub active_stake: Vec<I32F32>,
    /// Weights as loaded.
    pub weights: Vec<SparseRow>,
    /// After the permit row mask.
    pub weights_permit: Vec<SparseRow>,
    /// After the self-weight mask.
    pub weights_permit_diag: Vec<SparseRow>,
    /// After the outdated mask.
    pub weights_outdated: Vec<SparseRow>,
    /// After the commit-reveal mask (when enabled).
    pub weights_commit_reveal: Option<Vec<SparseRow>>,
    /// Row-normalized weights `W`.
    pub weights_normalized: Vec<SparseRow>,
    /// Consensus `C`.
    pub consensus: Vec<I32F32>,
    /// Clipped weights `W̄`.
    pub clipped_weights: Vec<SparseRow>,
    /// Validator trust.
    pub validator_trust: Vec<I32F32>,
    /// Incentive `I` (normalized ranks).
    pub incentive: Vec<I32F32>,
    /// Weights used for bonds (bonds-penalty blend).
    pub weights_for_bonds: Vec<SparseRow>,
    /// Which bonds branch ran.
    pub yuma3: bool,
    /// Bonds as loaded (Yuma3: u16/65535; original: integer u16 values).
    pub bonds: Vec<SparseRow>,
    /// Bonds after removing columns of recently registered uids.
    pub bonds_masked: Vec<SparseRow>,
    /// Original Yuma: masked bonds column-normalized.
    pub bonds_normalized: Vec<SparseRow>,
    /// Original Yuma: `ΔB = WB ∘ A`.
    pub bonds_delta: Vec<SparseRow>,
    /// Original Yuma: `ΔB` column-normalized.
    pub bonds_delta_normalized: Vec<SparseRow>,
    /// Liquid alpha matrix (dense `n × n`), when liquid alpha was used.
    pub alphas: Option<Vec<Vec<I32F32>>>,
    /// EMA bonds before normalization (original Yuma: before the column normalization).
    pub ema_bonds_raw: Vec<SparseRow>,
    /// EMA bonds (Yuma3: un-normalized, stored; original: column-normalized).
    pub ema_bonds: Vec<SparseRow>,
    /// Yuma3: column-normalized EMA bonds.
    pub ema_bonds_normalized: Vec<SparseRow>,
    /// Yuma3: `Σ_j B̂_ij · I_j`.
    pub total_bonds_per_validator: Vec<I32F32>,
    /// Dividends `D`.
    pub dividends: Vec<I32F32>,
    /// Normalized server emission.
    pub normalized_server_emission: Vec<I32F32>,
    /// Server emission (rao).
    pub server_emission: Vec<u64>,
    /// Normalized validator emission.
    pub normalized_validator_emission: Vec<I32F32>,
    /// Validator emission (rao).
    pub validator_emission: Vec<u64>,
    /// Normalized combined emission.
    pub normalized_combined_emission: Vec<I32F32>,
    /// Combined emission (rao).
    pub combined_emission: Vec<u64>,
}

/// `format!("{:?}", v)` — the chain's rendering of any logged value.
pub fn render<T: Debug + ?Sized>(v: &T) -> String {
    let mut s = String::new();
    let _ = write!(s, "{v:?}");
    s
}

fn balances(v: &[u64]) -> String {
    render(&v.iter().map(|&x| AlphaBalance(x)).collect::<Vec<_>>())
}

impl EpochTrace {
    /// The chain's log lines of `epoch_mechanism` as `(name, rendered value)`, in log order.
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        let mut e: Vec<(&'static str, String)> = vec![
            ("Number of Neurons in Network", render(&self.n)),
            ("current_block", render(&self.current_block)),
            ("tempo", render(&self.tempo)),
            ("activity_cutoff", render(&self.activity_cutoff)),
            ("Last update", render(&self.last_update)),
            ("Inactive", render(&self.inactive)),
            ("Block at registration", render(&self.block_at_registration)),
            ("Filtered stake", render(&self.filtered_stake)),
            ("Normalised Stake", render(&self.stake)),
            ("validator_permits", render(&self.validator_permits)),
            (
                "max_allowed_validators",
                render(&self.max_allowed_validators),
            ),
            ("new_validator_permits", render(&self.new_validator_permits)),
            ("Active Stake", render(&self.active_stake)),
            ("Weights", render(&self.weights)),
            ("Weights (permit)", render(&self.weights_permit)),
            ("Weights (permit+diag)", render(&self.weights_permit_diag)),
            (
                "Weights (permit+diag+outdate)",
                render(&self.weights_outdated),
            ),
        ];
        e.push(("Weights (mask+norm)", render(&self.weights_normalized)));
        e.push(("Consensus", render(&self.consensus)));
        e.push(("Clipped Weights", render(&self.clipped_weights)));
        e.push(("Validator Trust", render(&self.validator_trust)));
        e.push(("Incentive (=Rank)", render(&self.incentive)));
        if self.yuma3 {
            e.push(("Bonds", render(&self.bonds)));
            e.push(("Bonds: (mask)", render(&self.bonds_masked)));
            e.push(("weights_for_bonds", render(&self.weights_for_bonds)));
            if let Some(a) = &self.alphas {
                e.push(("alphas", render(a)));
            }
            e.push(("emaB", render(&self.ema_bonds)));
            e.push(("emaB norm", render(&self.ema_bonds_normalized)));
            e.push((
                "total_bonds_per_validator",
                render(&self.total_bonds_per_validator),
            ));
        } else {
            e.push(("B", render(&self.bonds)));
            e.push(("B (outdatedmask)", render(&self.bonds_masked)));
            e.push(("B (mask+norm)", render(&self.bonds_normalized)));
            e.push(("ΔB", render(&self.bonds_delta)));
            e.push(("ΔB (norm)", render(&self.bonds_delta_normalized)));
            e.push((
                "Exponential Moving Average Bonds Normal",
                render(&self.ema_bonds_raw),
            ));
            e.push(("Exponential Moving Average Bonds", render(&self.ema_bonds)));
        }
        e.push(("Dividends", render(&self.dividends)));
        e.push((
            "Normalized Server Emission",
            render(&self.normalized_server_emission),
        ));
        e.push(("Server Emission", balances(&self.server_emission)));
        e.push((
            "Normalized Validator Emission",
            render(&self.normalized_validator_emission),
        ));
        e.push(("Validator Emission", balances(&self.validator_emission)));
        e.push((
            "Normalized Combined Emission",
            render(&self.normalized_combined_emission),
        ));
        e.push(("Combined Emission", balances(&self.combined_emission)));
        e
    }

    /// The rendering of the log line called `name` (the first one, as a log search would find).
    pub fn render(&self, name: &str) -> Option<String> {
        self.entries()
            .into_iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_the_chain_log() {
        let third = I32F32::from_num(1) / 3;
        assert_eq!(
            render(&vec![third, I32F32::from_num(1), I32F32::from_num(0)]),
            "[0.3333333333, 1, 0]"
        );
        let row: SparseRow = vec![(3, I32F32::from_num(0.5))];
        assert_eq!(render(&vec![row, vec![]]), "[[(3, 0.5)], []]");
        assert_eq!(balances(&[500_000_000]), "[AlphaBalance(500000000)]");
        assert_eq!(render(&I32F32::from_bits(8)), "0.0000000019");
    }
}
