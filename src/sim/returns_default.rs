//! A stake-return run on the default network under a given runtime's rules: what the
//! `stakeReturn` / `StakeModel` calls start from.

use super::default_net::DefaultConfig;
use super::returns::{ReturnQuery, ReturnRun};
use crate::emission::{BalancerPool, Network};
use crate::error::Result;
use crate::runtime::{Rules, NEWEST_KNOWN_SPEC};

/// A stake-return run of `query` on the default network `net` (built from `cfg`) under `rules`:
/// the network's state with `rules`' emission parameters (the default network is built under the
/// newest known runtime's), and the run says which of its subnets are real and which synthetic.
pub fn return_run(
    net: &Network<BalancerPool>,
    cfg: &DefaultConfig,
    query: ReturnQuery,
    rules: &Rules,
) -> Result<ReturnRun> {
    let run = if rules.rules_spec == NEWEST_KNOWN_SPEC {
        ReturnRun::new(net, query)?
    } else {
        let mut other = net.clone();
        other.params.apply_rules(rules);
        ReturnRun::new(&other, query)?
    };
    Ok(run.under(rules).on_default_network(cfg))
}
