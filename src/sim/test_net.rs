//! The small test network of the return model's tests (`returns` and `shards`): dynamic
//! balancer pools with half their alpha outstanding and the moving price at the spot price.

use crate::emission::{BalancerPool, Network, Params, SubnetState};

/// A network with one subnet per `(netuid, tao reserve, alpha reserve)`, 9M TAO issued and 3M
/// TAO on root.
pub(crate) fn balancer_network(pools: &[(u16, u64, u64)]) -> Network<BalancerPool> {
    let mut net = Network::new(Params::default());
    net.total_issuance = 9_000_000_000_000_000;
    net.root_tao = 3_000_000_000_000_000;
    for &(n, tao, alpha) in pools {
        let mut s = SubnetState::new(BalancerPool::dynamic(tao, alpha));
        s.alpha_out = alpha / 2;
        s.moving_price =
            substrate_fixed::types::I96F32::saturating_from_num(tao as f64 / alpha as f64);
        net.subnets.insert(n, s);
    }
    net
}
