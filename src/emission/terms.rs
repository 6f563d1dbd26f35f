//! Per-subnet coinbase terms and the split of `alpha_out` into pending buckets.
//!
//! Port of `root_proportion`, `get_subnet_terms` and the bucket arithmetic of `emit_to_subnets`
//! (`pallets/subtensor/src/coinbase/{root,run_coinbase}.rs`, subtensor @ 14bc6f9); spec
//! `emission-and-pools.md` §6.1, §7.1, §7.2.

use super::halving::block_emission;
use super::math::{div96, tou64, u64_fraction, u96};
use crate::fixed::wide::SatMul;
use substrate_fixed::types::{U64F64, U96F32};

/// `root_proportion = (SubnetTAO[0] · tw) / (SubnetTAO[0] · tw + alpha_issuance)` in U96F32,
/// `tw = TaoWeight / u64::MAX`; 0 when the denominator is 0.
pub fn root_proportion(root_tao: u64, tao_weight_raw: u64, alpha_issuance: u64) -> U96F32 {
    root_proportion_of(root_weighted(root_tao, tao_weight_raw), alpha_issuance)
}

/// `SubnetTAO[0] · tw`, the part of [`root_proportion`] every subnet shares (a loop over the
/// subnets computes it once).
pub fn root_weighted(root_tao: u64, tao_weight_raw: u64) -> U96F32 {
    u96(root_tao).sat_mul(u64_fraction(tao_weight_raw))
}

/// [`root_proportion`] from [`root_weighted`].
pub fn root_proportion_of(weighted: U96F32, alpha_issuance: u64) -> U96F32 {
    div96(weighted, weighted.saturating_add(u96(alpha_issuance)))
}

/// Output of [`subnet_terms`] for one subnet (all U96F32, before flooring).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubnetTerms {
    /// TAO injected as liquidity.
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub tao_in: U96F32,
    /// Alpha injected as liquidity.
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub alpha_in: U96F32,
    /// Alpha minted for participants (= this block's alpha emission).
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub alpha_out: U96F32,
    /// TAO used to buy alpha (chain buy).
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub excess_tao: U96F32,
    /// `block_emission(alpha_issuance)`.
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub alpha_emission: U96F32,
    /// Spot price used (U96F32 of the pool's U64F64 price).
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub price: U96F32,
    /// Root proportion (before this block's mints).
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub root_proportion: U96F32,
    /// Injection cap `root_proportion × alpha_emission`.
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub cap: U96F32,
}

/// `get_subnet_terms` for one subnet with TAO emission `tao_emission`:
/// `alpha_in = e / price`, capped at `root_proportion × alpha_emission` (then
/// `tao_in = alpha_in × price`), `excess = e − tao_in`.
pub fn subnet_terms(
    tao_emission: U96F32,
    alpha_issuance: u64,
    price: U64F64,
    root_prop: U96F32,
) -> SubnetTerms {
    let alpha_emission = u96(block_emission(alpha_issuance));
    let cap = root_prop.sat_mul(alpha_emission);
    terms_with_cap(tao_emission, alpha_emission, price, root_prop, cap)
}

/// `get_subnet_terms` of release tags `v3.4.0-411` … `v3.4.5-419`: the injection cap is
/// `min(alpha_emission, block emission)`, the block emission computed from `TotalIssuance` after
/// this block's mint (`calculate_block_emission` inside the coinbase); spec 421 made it the
/// root-proportion cap of [`subnet_terms`].
pub fn subnet_terms_emission_cap(
    tao_emission: U96F32,
    alpha_issuance: u64,
    price: U64F64,
    root_prop: U96F32,
    total_issuance_after_mint: u64,
) -> SubnetTerms {
    let alpha_emission = u96(block_emission(alpha_issuance));
    let cap = alpha_emission.min(u96(block_emission(total_issuance_after_mint)));
    terms_with_cap(tao_emission, alpha_emission, price, root_prop, cap)
}

/// `get_subnet_terms` of release tag `v3.3.0-361`: the injection cap is the alpha emission alone
/// (`v3.3.1-362` made it `min(alpha_emission, block emission)`, [`subnet_terms_emission_cap`]).
pub fn subnet_terms_alpha_cap(
    tao_emission: U96F32,
    alpha_issuance: u64,
    price: U64F64,
    root_prop: U96F32,
) -> SubnetTerms {
    let alpha_emission = u96(block_emission(alpha_issuance));
    terms_with_cap(
        tao_emission,
        alpha_emission,
        price,
        root_prop,
        alpha_emission,
    )
}

fn terms_with_cap(
    tao_emission: U96F32,
    alpha_emission: U96F32,
    price: U64F64,
    root_prop: U96F32,
    cap: U96F32,
) -> SubnetTerms {
    let price = U96F32::saturating_from_num(price);
    let mut tao_in = tao_emission;
    let mut alpha_in = div96(tao_emission, price);
    if alpha_in > cap {
        alpha_in = cap;
        tao_in = alpha_in.sat_mul(price);
    }
    SubnetTerms {
        tao_in,
        alpha_in,
        alpha_out: alpha_emission,
        excess_tao: tao_emission.saturating_sub(tao_in),
        alpha_emission,
        price,
        root_proportion: root_prop,
        cap,
    }
}

/// Integer amounts added to the pending buckets by one block's `alpha_out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct BucketSplit {
    /// Added to `PendingOwnerCut`.
    pub owner_cut: u64,
    /// Added to `PendingServerEmission`.
    pub server: u64,
    /// Added to `PendingValidatorEmission`.
    pub validator: u64,
    /// `floor(root_alpha)`: added to `PendingRootAlphaDivs` when selling to root, else recycled.
    pub root_alpha: u64,
    /// Whether `root_alpha` goes to the pending root bucket (`true`) or is recycled.
    pub root_sell: bool,
}

/// `emit_to_subnets` bucket arithmetic: owner cut first (when enabled), then
/// `root_alpha = rp · a · 0.5`, `server = a · 0.5`, `validator = (a − server) − root_alpha`,
/// each floored when accumulated.
pub fn split_alpha_out(
    alpha_out: U96F32,
    owner_cut: Option<U96F32>,
    root_prop: U96F32,
    root_sell: bool,
) -> BucketSplit {
    let half = U96F32::from_num(0.5);
    let mut a = alpha_out;
    let mut owner = 0;
    if let Some(cut) = owner_cut {
        let owner_cut_i = a.sat_mul(cut);
        a = a.saturating_sub(owner_cut_i);
        owner = tou64(owner_cut_i);
    }
    let root_alpha = root_prop.sat_mul(a).sat_mul(half);
    let server = a.sat_mul(half);
    let validator = a.saturating_sub(server).saturating_sub(root_alpha);
    BucketSplit {
        owner_cut: owner,
        server: tou64(server),
        validator: tou64(validator),
        root_alpha: tou64(root_alpha),
        root_sell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_proportion_vector_bits() {
        let rp = root_proportion(
            1_000_000_000_000,
            3_320_413_933_267_719_290,
            100_000_000_000,
        );
        assert_eq!(rp.to_bits(), 2_761_050_404);
        assert_eq!(root_proportion(0, u64::MAX, 0), U96F32::from_num(0));
    }

    #[test]
    fn cap_binds_at_low_price() {
        let t = subnet_terms(
            U96F32::from_num(1_000_000),
            1_000_000_000,
            U64F64::from_num(0.000_001),
            U96F32::from_num(0.5),
        );
        assert_eq!(t.alpha_in, t.cap);
        assert!(t.excess_tao > U96F32::from_num(0));
        let t = subnet_terms(
            U96F32::from_num(100),
            1_000,
            U64F64::from_num(1),
            U96F32::from_num(1),
        );
        assert_eq!(t.alpha_in, U96F32::from_num(100));
        assert_eq!(t.excess_tao, U96F32::from_num(0));
    }

    #[test]
    fn quarter_root_split() {
        let s = split_alpha_out(
            U96F32::from_num(1_000_000_000),
            None,
            U96F32::from_num(0.25),
            true,
        );
        assert_eq!(
            (s.server, s.validator, s.root_alpha),
            (500_000_000, 375_000_000, 125_000_000)
        );
        let s = split_alpha_out(
            U96F32::from_num(1_000_000_000),
            Some(U96F32::from_num(1)),
            U96F32::from_num(0),
            false,
        );
        assert_eq!((s.owner_cut, s.server, s.validator), (1_000_000_000, 0, 0));
    }
}
