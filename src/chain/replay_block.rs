//! `replay block PARENT CHILD`: the coinbase of block `CHILD.block` from the parent's storage,
//! compared item by item with the child (issue 13, item 3). SKELETON: the read plan and the
//! report are here; the engine's coinbase (`crate::emission::Network::step_block`) is not yet fed
//! from captures, so every output item is reported under `missing`, with the parent inputs it
//! lacks and the marker [`NOT_WIRED`].
//!
//! The outputs and inputs follow the coinbase of subtensor `coinbase/run_coinbase.rs` (spec
//! `emission-and-pools.md` §3–§8, `emission-after-425.md` §2, `pool-after-425.md` §2): the
//! subnet shares couple every subnet through the moving prices, so each output needs the globals,
//! its own subnet's state and every subnet's share inputs. Keys: `SubtensorModule` items keyed by
//! `Identity(NetUid)`, `Swap` items by `Twox64Concat(NetUid)`.

use super::capture::{Capture, Missing};
use super::hex;
use super::storage::{key, Hasher, SUBTENSOR_PALLET, SWAP_PALLET};
use crate::error::Result;

/// The marker in `needs` of an output the skeleton does not compute yet.
pub const NOT_WIRED: &str = "tao-replay: coinbase replay from captures is not implemented yet";

/// Global inputs of the coinbase (`SubtensorModule` plain values).
const GLOBAL_INPUTS: &[&str] = &[
    "TotalIssuance",
    "TotalStake",
    "TaoWeight",
    "SubnetOwnerCut",
    "SubnetMovingAlpha",
    "BlockEmission",
    "MaxEpochsPerBlock",
];

/// Per-subnet inputs every subnet contributes to the shares (`SubtensorModule`).
const SHARE_INPUTS: &[&str] = &[
    "SubnetMechanism",
    "SubnetMovingPrice",
    "SubtokenEnabled",
    "FirstEmissionBlockNumber",
    "MinerBurned",
    "RootProp",
];

/// Per-subnet inputs of the subnet's own outputs (`SubtensorModule`).
const OWN_INPUTS: &[&str] = &[
    "SubnetTAO",
    "SubnetAlphaIn",
    "SubnetAlphaOut",
    "SubnetProtocolAlpha",
    "EMAPriceHalvingBlocks",
    "Tempo",
    "LastEpochBlock",
    "PendingEpochAt",
    "BlocksSinceLastStep",
    "PendingServerEmission",
    "PendingValidatorEmission",
    "PendingRootAlphaDivs",
    "PendingOwnerCut",
    "SubnetOwnerHotkey",
];

/// Per-subnet `Swap` inputs.
const SWAP_INPUTS: &[&str] = &[
    "SwapBalancer",
    "FeeRate",
    "BalancerTaoReservoir",
    "BalancerAlphaReservoir",
];

/// What the coinbase writes per subnet: `(pallet, item)`.
const SUBNET_OUTPUTS: &[(&str, &str)] = &[
    (SUBTENSOR_PALLET, "SubnetTAO"),
    (SUBTENSOR_PALLET, "SubnetAlphaIn"),
    (SUBTENSOR_PALLET, "SubnetAlphaOut"),
    (SUBTENSOR_PALLET, "SubnetTaoInEmission"),
    (SUBTENSOR_PALLET, "SubnetAlphaInEmission"),
    (SUBTENSOR_PALLET, "SubnetAlphaOutEmission"),
    (SUBTENSOR_PALLET, "SubnetExcessTao"),
    (SUBTENSOR_PALLET, "SubnetMovingPrice"),
    (SUBTENSOR_PALLET, "PendingServerEmission"),
    (SUBTENSOR_PALLET, "PendingValidatorEmission"),
    (SUBTENSOR_PALLET, "PendingRootAlphaDivs"),
    (SUBTENSOR_PALLET, "PendingOwnerCut"),
    (SUBTENSOR_PALLET, "BlocksSinceLastStep"),
    (SWAP_PALLET, "SwapBalancer"),
    (SWAP_PALLET, "BalancerTaoReservoir"),
    (SWAP_PALLET, "BalancerAlphaReservoir"),
];

/// What the coinbase writes globally.
const GLOBAL_OUTPUTS: &[&str] = &["TotalIssuance", "TotalStake"];

/// One compared output (none yet: see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemCheck {
    /// `Pallet.Item`.
    pub item: String,
    /// Rendered map keys.
    pub args: String,
    /// Full storage key.
    pub key: String,
    /// The child's value (`None`: absent).
    pub expected: Option<String>,
    /// The engine's value.
    pub actual: Option<String>,
    /// Equal.
    pub equal: bool,
}

/// An output the replay could not compute, with what it lacks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MissingItem {
    /// `Pallet.Item`.
    pub item: String,
    /// Rendered map keys.
    pub args: String,
    /// The parent inputs it lacks (`Pallet.Item[args] (key …)`), then [`NOT_WIRED`].
    pub needs: Vec<String>,
}

/// The `replay block` report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlockReplay {
    /// The parent's runtime (its rules apply).
    pub spec_version: u32,
    /// The replayed block.
    pub block: u64,
    /// Compared outputs.
    pub items: Vec<ItemCheck>,
    /// Outputs not computed.
    pub missing: Vec<MissingItem>,
    /// Whether approximate rules were used.
    pub approximate: bool,
}

impl BlockReplay {
    /// `N equal, M mismatched, K missing`.
    pub fn summary(&self) -> String {
        let eq = self.items.iter().filter(|i| i.equal).count();
        format!(
            "{eq} equal, {} mismatched, {} missing",
            self.items.len().saturating_sub(eq),
            self.missing.len()
        )
    }

    /// Exit status 0 only when nothing mismatched and something was compared.
    pub fn success(&self) -> bool {
        let eq = self.items.iter().filter(|i| i.equal).count();
        eq == self.items.len() && eq > 0
    }
}

fn netuid_key(pallet: &str, item: &str, netuid: u16) -> Vec<u8> {
    let h = if pallet == SWAP_PALLET {
        Hasher::Twox64Concat
    } else {
        Hasher::Identity
    };
    key(pallet, item, &[(h, &netuid.to_le_bytes())])
}

fn need(c: &Capture, pallet: &str, item: &str, args: &str, k: &[u8], out: &mut Vec<Missing>) {
    let kh = hex::encode(k);
    if !c.storage.contains_key(&kh) && !out.iter().any(|m| m.key == kh) {
        out.push(Missing {
            item: format!("{pallet}.{item}"),
            args: args.to_string(),
            key: kh,
        });
    }
}

/// The subnets of a capture: the netuids of its `NetworksAdded` entries that hold `true`.
pub fn subnets(c: &Capture) -> Result<Vec<u16>> {
    let prefix = super::storage::prefix(SUBTENSOR_PALLET, "NetworksAdded");
    Ok(c.with_prefix(&prefix)?
        .into_iter()
        .filter(|(_, v)| v.as_deref() == Some(&[1u8][..]))
        .filter_map(|(tail, _)| Some(u16::from_le_bytes(tail.get(..2)?.try_into().ok()?)))
        .collect())
}

/// Replay `child.block`'s coinbase from `parent` (skeleton: the read plan only).
pub fn replay_block(parent: &Capture, child: &Capture) -> Result<BlockReplay> {
    let nets = subnets(parent)?;
    let mut global = Vec::new();
    for g in GLOBAL_INPUTS {
        need(
            parent,
            SUBTENSOR_PALLET,
            g,
            "[]",
            &key(SUBTENSOR_PALLET, g, &[]),
            &mut global,
        );
    }
    let mut shared = Vec::new();
    for n in &nets {
        for s in SHARE_INPUTS {
            let k = netuid_key(SUBTENSOR_PALLET, s, *n);
            need(
                parent,
                SUBTENSOR_PALLET,
                s,
                &format!("[{n}]"),
                &k,
                &mut shared,
            );
        }
    }
    let mut missing = Vec::new();
    let mark = |mut v: Vec<String>| {
        v.push(NOT_WIRED.to_string());
        v
    };
    for n in &nets {
        let mut own = Vec::new();
        for s in OWN_INPUTS {
            let k = netuid_key(SUBTENSOR_PALLET, s, *n);
            need(parent, SUBTENSOR_PALLET, s, &format!("[{n}]"), &k, &mut own);
        }
        for s in SWAP_INPUTS {
            let k = netuid_key(SWAP_PALLET, s, *n);
            need(parent, SWAP_PALLET, s, &format!("[{n}]"), &k, &mut own);
        }
        let needs: Vec<String> = global
            .iter()
            .chain(&shared)
            .chain(&own)
            .map(|m| m.to_string())
            .collect();
        for (pallet, item) in SUBNET_OUTPUTS {
            missing.push(MissingItem {
                item: format!("{pallet}.{item}"),
                args: format!("[{n}]"),
                needs: mark(needs.clone()),
            });
        }
    }
    let needs: Vec<String> = global
        .iter()
        .chain(&shared)
        .map(|m| m.to_string())
        .collect();
    for g in GLOBAL_OUTPUTS {
        missing.push(MissingItem {
            item: format!("{SUBTENSOR_PALLET}.{g}"),
            args: "[]".into(),
            needs: mark(needs.clone()),
        });
    }
    Ok(BlockReplay {
        spec_version: parent.spec_version,
        block: child.block,
        items: Vec::new(),
        missing,
        approximate: false,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_output_is_listed_with_what_it_lacks() {
        let mut parent = Capture {
            block: 9,
            spec_version: 473,
            ..Default::default()
        };
        let na = key(
            SUBTENSOR_PALLET,
            "NetworksAdded",
            &[(Hasher::Identity, &7u16.to_le_bytes())],
        );
        parent.insert(&na, Some(&[1]));
        let tao = netuid_key(SUBTENSOR_PALLET, "SubnetTAO", 7);
        parent.insert(&tao, Some(&5u64.to_le_bytes()));
        let child = Capture {
            block: 10,
            ..parent.clone()
        };
        let r = replay_block(&parent, &child).unwrap();
        assert_eq!(subnets(&parent).unwrap(), vec![7]);
        assert_eq!(r.block, 10);
        assert_eq!(r.missing.len(), SUBNET_OUTPUTS.len() + GLOBAL_OUTPUTS.len());
        let first = &r.missing[0];
        assert_eq!(
            (first.item.as_str(), first.args.as_str()),
            ("SubtensorModule.SubnetTAO", "[7]")
        );
        assert!(first
            .needs
            .iter()
            .any(|n| n.starts_with("SubtensorModule.TotalIssuance[]")));
        assert!(first
            .needs
            .iter()
            .any(|n| n.starts_with("Swap.SwapBalancer[7]")));
        assert!(!first
            .needs
            .iter()
            .any(|n| n.starts_with("SubtensorModule.SubnetTAO[7]")));
        assert_eq!(first.needs.last().map(String::as_str), Some(NOT_WIRED));
        assert_eq!(r.summary(), "0 equal, 0 mismatched, 18 missing");
        assert!(!r.success());
    }
}
