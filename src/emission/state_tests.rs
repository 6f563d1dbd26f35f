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

#[test]
fn what_the_network_model_leaves_out_follows_the_runtime() {
    let names = |spec: u32| -> Vec<String> {
        Params::rules_not_modelled(&Rules::for_spec(spec).expect("known spec"))
            .iter()
            .map(|s| s.split(" (").next().unwrap_or_default().to_string())
            .collect()
    };
    // Up to 435 the network model applies every rule of the runtime.
    assert!(names(423).is_empty() && names(432).is_empty() && names(435).is_empty());
    assert_eq!(names(436), ["miner registration collateral"]);
    assert_eq!(names(440), ["miner registration collateral"]);
    assert_eq!(
        names(441),
        [
            "miner registration collateral",
            "Root Reborn funds",
            "the root-UID dividend split"
        ]
    );
    assert_eq!(names(457).len(), 3);
    assert_eq!(
        names(458).last().map(String::as_str),
        Some("the share-pool value cap")
    );
    assert_eq!(
        names(crate::runtime::NEWEST_KNOWN_SPEC)
            .last()
            .map(String::as_str),
        Some("share-pool closing and the sole-member emission credit")
    );
    // Each entry names its first spec, and the result's summary carries the list.
    let rules = Rules::newest();
    for (entry, spec) in Params::rules_not_modelled(&rules)
        .iter()
        .zip([436, 441, 441, 458, 469])
    {
        assert!(entry.contains(&format!("({spec}+)")), "{entry}");
    }
    let info = Params::runtime_info(&rules);
    assert_eq!(info.not_modelled, Params::rules_not_modelled(&rules));
    assert!(rules.info().not_modelled.is_empty());
}
