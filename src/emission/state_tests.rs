//! Tests of [`super`]: the emission switches of [`super::Params`] follow the runtime's spec version.

use super::Params;
use crate::emission::gate::{BurnFactor, EmissionGate, GateBar};
use crate::pool::reservoir::ProtocolLiquidity;
use crate::runtime::Rules;

fn at(spec: u32) -> Params {
    Params::for_rules(&Rules::for_spec(spec).expect("known spec"))
}

#[test]
fn the_emission_switches_follow_the_runtime() {
    assert!(at(423).root_prop_shares && at(424).root_prop_shares && !at(432).root_prop_shares);
    assert_eq!(at(423).protocol_liquidity, ProtocolLiquidity::Direct);
    assert_eq!(at(423).swap_guards, crate::pool::SwapGuards::Spec423);
    assert_eq!(at(424).swap_guards, crate::pool::SwapGuards::On);
    assert_eq!(at(475).swap_guards, crate::pool::SwapGuards::On);
    assert_eq!(at(424).protocol_liquidity, ProtocolLiquidity::Direct);
    assert_eq!(at(432).protocol_liquidity, ProtocolLiquidity::Reservoir);
    assert_eq!(at(439).emission_gate, EmissionGate::Off);
    assert!(matches!(
        at(440).emission_gate,
        EmissionGate::On {
            bar: GateBar::QuantileMass(_),
            ..
        }
    ));
    assert!(matches!(
        at(441).emission_gate,
        EmissionGate::On {
            bar: GateBar::Rank(32),
            ..
        }
    ));
    assert_eq!(at(443).burn_factor, BurnFactor::Applied);
    assert_eq!(at(444).burn_factor, BurnFactor::Ignored);
    assert_eq!(at(445).burn_factor, BurnFactor::Applied);
    assert_eq!(Params::default(), at(crate::runtime::NEWEST_KNOWN_SPEC));
}
