//! What `replay block` does with runtimes older than 424 (issue 13, item 3; `runtime::timeline`).
//!
//! * **Spec 423** (release tag `v3.4.8-423`) runs the coinbase, the epoch and the share rule of
//!   424 (the tags differ under `coinbase/` and `epoch/` in nothing), so the engine replays it
//!   with 424's model. Its balancer swap is not 424's: the exponential of `convert_deltas` runs
//!   at precision 1024 with no clamp to ≤ 1, and there is no input cap (`pallets/swap` at
//!   `v3.4.8-423` against `v3.4.9-424`; `Rules::balancer_swap_guards` is false). The engine does
//!   not reproduce that swap, so for a subnet whose coinbase makes a chain buy the outputs the
//!   bought alpha decides are listed with [`SWAP_423_NOT_REPLAYED`]: `SubnetAlphaIn`,
//!   `SubnetAlphaOut`, `SubnetProtocolAlpha` and `SubnetMovingPrice` (updated from the spot price
//!   after the buy). The TAO side of a buy is the whole excess (no price limit, no fee), the
//!   weight update precedes the buy, and the buy moves alpha from `SubnetAlphaIn` to
//!   `SubnetAlphaOut` without changing their sum, so `SubnetTAO`, `SubnetExcessTao`,
//!   `Swap.SwapBalancer`, `RootProp`, the pending buckets and the totals are still compared. A
//!   chain buy the engine's swap refused (which 423's might not have) lists every output of the
//!   subnet and the totals.
//! * **Before 423** nothing is replayed: every output is listed with the reason of its era
//!   ([`crate::runtime::timeline::not_replayed_reason`]: Uniswap-v3 injection at 421–422, TAO-flow
//!   shares at 411–419, not pinned before).

use super::coinbase_items::{subnet as s, Item};
use crate::emission::{BalancerPool, BlockReport, Network};
use crate::runtime::Rules;
use std::collections::BTreeMap;
use substrate_fixed::types::U96F32;

/// The `needs` entry of the outputs a chain buy decides under spec 423's swap.
pub const SWAP_423_NOT_REPLAYED: &str = "spec 423's balancer swap (exponential at precision \
     1024, no clamp to 1, no input cap; tags v3.4.8-423 / v3.4.9-424) is not reproduced: the alpha \
     a chain buy gets and what it moves are not replayed";

/// The outputs of a subnet that the alpha of its chain buy decides.
pub const SWAP_DEPENDENT: &[Item] = &[
    s::ALPHA_IN,
    s::ALPHA_OUT,
    s::PROTOCOL_ALPHA,
    s::MOVING_PRICE,
];

/// A subnet's chain buy under a runtime without the 424 swap guards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegacyBuy {
    /// The engine's swap ran: the swap-dependent outputs are listed.
    Bought,
    /// The engine's swap (or the credit) refused it: every output of the subnet is listed.
    Refused,
}

/// The subnets whose coinbase made (or tried) a chain buy, when `rules` lack the 424 swap
/// guards; empty otherwise.
pub fn legacy_buys(
    rules: &Rules,
    net: &Network<BalancerPool>,
    report: &BlockReport,
) -> BTreeMap<u16, LegacyBuy> {
    if rules.balancer_swap_guards {
        return BTreeMap::new();
    }
    let one = U96F32::from_num(1);
    report
        .terms
        .iter()
        .filter(|(_, t)| t.excess_tao >= one)
        .map(|(&n, _)| {
            let ran = net.subnets.get(&n).is_some_and(|st| st.last.excess_tao > 0);
            (
                n,
                if ran {
                    LegacyBuy::Bought
                } else {
                    LegacyBuy::Refused
                },
            )
        })
        .collect()
}

/// What output `it` of subnet `n` needs because of its legacy chain buy (empty if nothing).
pub fn buy_needs(buys: &BTreeMap<u16, LegacyBuy>, n: u16, it: &Item) -> Vec<String> {
    match buys.get(&n) {
        Some(LegacyBuy::Refused) => vec![SWAP_423_NOT_REPLAYED.to_string()],
        Some(LegacyBuy::Bought) if SWAP_DEPENDENT.iter().any(|d| d.name == it.name) => {
            vec![SWAP_423_NOT_REPLAYED.to_string()]
        }
        _ => Vec::new(),
    }
}

/// What the global totals need because of a refused legacy chain buy.
pub fn totals_needs(buys: &BTreeMap<u16, LegacyBuy>) -> Vec<String> {
    if buys.values().any(|b| *b == LegacyBuy::Refused) {
        vec![SWAP_423_NOT_REPLAYED.to_string()]
    } else {
        Vec::new()
    }
}
