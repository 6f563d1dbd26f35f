//! A file's `environment` (the subtensor test mock's constants), read from the file itself.
//!
//! Defaults are the mock column of spec `emission-and-pools.md` §2 (owner cut 0, TaoWeight 0,
//! fee rate 33, `MinimumReserve` 100, tempo 360, lock 100 TAO, take 11 796, balancer weight 0.5);
//! every key the file's `environment` names overrides them. Values are free text such as
//! `"6553 (u16::MAX/10)"` or `"1e15 TAO / 1e15 alpha (price 1)"`; the leading number (or the
//! named assignment) is what counts.

use super::expr::{eval_prefix, first_u64, Vars};
use serde_json::Value;

/// The mock environment of one vector file.
#[derive(Debug, Clone, PartialEq)]
pub struct MockEnv {
    /// `SubnetOwnerCut`.
    pub owner_cut: u16,
    /// `TaoWeight` (raw u64).
    pub tao_weight: u64,
    /// `FeeRate`.
    pub fee_rate: u16,
    /// Swap `MinimumReserve`.
    pub minimum_reserve: u64,
    /// Default tempo of new subnets.
    pub tempo: u16,
    /// `NetworkMinLockCost` (pool seed of `register_network`).
    pub lock_cost: u64,
    /// Default delegate take.
    pub take: u16,
    /// `CKBurn`.
    pub ck_burn: u64,
    /// Balancer quote weight in Perquintill parts.
    pub quote_weight: u64,
    /// `RootClaimableThreshold`.
    pub root_claimable_threshold: u64,
    /// `EMAPriceHalvingBlocks`.
    pub ema_halving_blocks: u64,
    /// `SubnetTAO[root]` when the environment sets it.
    pub root_tao: Option<u64>,
    /// Root stake applied to every case (`root_stake` key: `SubnetTAO[0] = X, TaoWeight = Y`).
    pub root_stake_always: Option<(u64, u64)>,
    /// What `full_injection_root_stake` means (from the `note`): `(SubnetTAO[root], TaoWeight)`.
    pub full_injection: Option<(u64, u64)>,
    /// Pool reserves `(tao, alpha)` when the environment names one.
    pub pool: Option<(u64, u64)>,
    /// TAO emission of the subnet under test.
    pub tao_emission: Option<u64>,
    /// Alpha emission the environment states (a cross-check).
    pub alpha_emission: Option<u64>,
    /// Moving price of the subnet under test.
    pub moving_price: Option<f64>,
    /// Spot price and the reserves behind it (`SubnetTAO = SubnetAlphaIn = N`).
    pub spot_price: Option<(f64, Option<u64>)>,
    /// Alpha issuance after this block's mint (pending-split scenario).
    pub alpha_issuance_after_mint: Option<f64>,
}

impl Default for MockEnv {
    fn default() -> Self {
        MockEnv {
            owner_cut: 0,
            tao_weight: 0,
            fee_rate: 33,
            minimum_reserve: 100,
            tempo: 360,
            lock_cost: 100_000_000_000,
            take: 11_796,
            ck_burn: 0,
            quote_weight: 500_000_000_000_000_000,
            root_claimable_threshold: 500_000,
            ema_halving_blocks: 201_600,
            root_tao: None,
            root_stake_always: None,
            full_injection: None,
            pool: None,
            tao_emission: None,
            alpha_emission: None,
            moving_price: None,
            spot_price: None,
            alpha_issuance_after_mint: None,
        }
    }
}

/// `name = value` inside free text: the value's integer, for any of `names`.
pub fn assignment(text: &str, names: &[&str]) -> Option<u64> {
    names.iter().find_map(|name| {
        let pos = text.find(name)?;
        let rest = text.get(pos + name.len()..)?.trim_start();
        let rest = rest.strip_prefix('=')?;
        first_u64(rest)
    })
}

/// `"1e15 TAO / 1e15 alpha"`: the numbers before `TAO` and before `alpha`.
fn pool_reserves(text: &str) -> Option<(u64, u64)> {
    let tao_pos = text.find("TAO")?;
    let alpha_pos = text.find("alpha")?;
    let tao = first_u64(text.get(..tao_pos)?)?;
    let alpha = first_u64(text.get(tao_pos + 3..alpha_pos)?)?;
    Some((tao, alpha))
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl MockEnv {
    /// Read `doc["environment"]`.
    pub fn from_doc(doc: &Value) -> Self {
        let mut env = MockEnv::default();
        let Some(obj) = doc.get("environment").and_then(Value::as_object) else {
            return env;
        };
        let no_vars = Vars::new();
        for (key, value) in obj {
            let text = text_of(value);
            let int = first_u64(&text);
            match key.as_str() {
                "SubnetOwnerCut" => {
                    env.owner_cut = int
                        .and_then(|v| u16::try_from(v).ok())
                        .unwrap_or(env.owner_cut)
                }
                "TaoWeight" => env.tao_weight = int.unwrap_or(env.tao_weight),
                "FeeRate" => {
                    env.fee_rate = int
                        .and_then(|v| u16::try_from(v).ok())
                        .unwrap_or(env.fee_rate)
                }
                "SwapMinimumReserve" | "MinimumReserve" => {
                    env.minimum_reserve = int.unwrap_or(env.minimum_reserve)
                }
                "InitialTempo" | "tempo" => {
                    env.tempo = int.and_then(|v| u16::try_from(v).ok()).unwrap_or(env.tempo)
                }
                "NetworkMinLockCost" => env.lock_cost = int.unwrap_or(env.lock_cost),
                "take" | "Delegates" => {
                    env.take = int.and_then(|v| u16::try_from(v).ok()).unwrap_or(env.take)
                }
                "CKBurn" => env.ck_burn = int.unwrap_or(env.ck_burn),
                "RootClaimableThreshold" => {
                    env.root_claimable_threshold = int.unwrap_or(env.root_claimable_threshold)
                }
                "EMAPriceHalvingBlocks" => {
                    env.ema_halving_blocks = int.unwrap_or(env.ema_halving_blocks)
                }
                "balancer_quote_weight" => {
                    if let Some(w) = eval_prefix(&text, &no_vars) {
                        env.quote_weight = (w * 1e18).round() as u64;
                    }
                }
                "SubnetTAO[root]" | "SubnetTAO[0]" => env.root_tao = int,
                "root_stake" => {
                    let root = assignment(&text, &["SubnetTAO[0]", "SubnetTAO[root]"]);
                    let tw = assignment(&text, &["TaoWeight"]);
                    if let (Some(r), Some(t)) = (root, tw) {
                        env.root_stake_always = Some((r, t));
                    }
                }
                "note" if text.contains("full_injection_root_stake") => {
                    let root = assignment(&text, &["SubnetTAO[root]", "SubnetTAO[0]"]);
                    let tw = assignment(&text, &["TaoWeight"]);
                    if let (Some(r), Some(t)) = (root, tw) {
                        env.full_injection = Some((r, t));
                    }
                }
                "pool" => env.pool = pool_reserves(&text),
                "tao_emission" => env.tao_emission = int,
                "alpha_emission" => env.alpha_emission = int,
                "moving_price" => env.moving_price = eval_prefix(&text, &no_vars),
                "spot_price" => {
                    if let Some(p) = eval_prefix(&text, &no_vars) {
                        let reserves = text
                            .find("SubnetAlphaIn =")
                            .and_then(|pos| first_u64(text.get(pos..)?));
                        env.spot_price = Some((p, reserves));
                    }
                }
                "alpha_issuance_after_this_block_mint" => {
                    env.alpha_issuance_after_mint = text
                        .find('~')
                        .and_then(|p| eval_prefix(text.get(p + 1..)?, &no_vars));
                }
                _ => {}
            }
        }
        env
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_free_text() {
        let doc = serde_json::json!({"environment": {
            "SubnetOwnerCut": "6553 (u16::MAX/10)",
            "pool": "1e15 TAO / 1e15 alpha (price 1)",
            "note": "'set_full_injection_root_stake' means SubnetTAO[root] = 1e18 and TaoWeight = u64::MAX so ...",
            "root_stake": "SubnetTAO[0] = 1e18, TaoWeight = u64::MAX (root_proportion ~ 1)",
            "take": "Delegates default 11796/65535 (~0.18)",
            "spot_price": "1.0 (SubnetTAO = SubnetAlphaIn = 1_000_000, mechanism 1)"
        }});
        let env = MockEnv::from_doc(&doc);
        assert_eq!(env.owner_cut, 6553);
        assert_eq!(
            env.pool,
            Some((1_000_000_000_000_000, 1_000_000_000_000_000))
        );
        assert_eq!(
            env.full_injection,
            Some((1_000_000_000_000_000_000, u64::MAX))
        );
        assert_eq!(
            env.root_stake_always,
            Some((1_000_000_000_000_000_000, u64::MAX))
        );
        assert_eq!(env.take, 11796);
        assert_eq!(env.spot_price, Some((1.0, Some(1_000_000))));
    }
}
