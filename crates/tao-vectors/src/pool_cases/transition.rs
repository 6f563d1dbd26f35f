//! `staking` cases of the post-425 stake transitions (spec `pool-after-425.md` §5.2–§5.3): no
//! silent cap (#2813) and `move_stake_limit` (spec 448), both under the current rules
//! ([`TransitionCap::Reject`], [`MoveStakeLimit::Available`]).
//!
//! Recognised by `transfer_alpha`, `swap_alpha`, `extrinsic` or `move_alpha` in the inputs.
//! Subnets 1 (origin) and 2 (destination) are dynamic pools seeded at the mock's
//! `NetworkMinLockCost` unless the case gives `origin` / `destination` reserves.

use super::*;
use tao_engine::stake::limits::max_amount_move;
use tao_engine::stake::ops::{StakeParams, StakingState};
use tao_engine::stake::transition::{MoveStakeLimit, TransitionCap};
use tao_engine::stake::Subnet;

const CAP: TransitionCap = TransitionCap::Reject;

/// Whether the inputs describe a stake transition.
pub(super) fn is_transition_case(inputs: &Map<String, Value>) -> bool {
    ["transfer_alpha", "swap_alpha", "extrinsic", "move_alpha"]
        .iter()
        .any(|k| inputs.contains_key(*k))
}

fn subnet_of(c: &Ctx, inputs: &Map<String, Value>, side: &str, netuid: u16) -> Subnet {
    let lock = c.env.network_min_lock;
    let obj = inputs.get(side).and_then(Value::as_object);
    let pick = |keys: &[&str]| obj.and_then(|o| keys.iter().find_map(|k| opt_u64(o, k)));
    let mut s = Subnet::dynamic(
        netuid,
        pick(&["subnet_tao", "tao_reserve"]).unwrap_or(lock),
        pick(&["alpha_in", "alpha_reserve"]).unwrap_or(lock),
    );
    s.pool.fee_rate = c.env.fee_rate;
    s
}

pub(super) fn transition_case(
    c: &Ctx,
    inputs: &Map<String, Value>,
    out: &mut Outcomes,
) -> Result<()> {
    let params = StakeParams {
        min_stake: opt_u64(inputs, "default_min_stake").unwrap_or(c.env.min_stake),
        swap: c.env.consts(),
        ..StakeParams::default()
    };
    let mut st: StakingState<u8> = StakingState::new(params);
    let (o, d) = (
        subnet_of(c, inputs, "origin", 1),
        subnet_of(c, inputs, "destination", 2),
    );
    let max_move = max_amount_move(
        &o,
        &d,
        opt_u64(inputs, "limit_price_rao").unwrap_or(0),
        &params.swap,
    );
    st.subnets.insert(1, o);
    st.subnets.insert(2, d);
    // Accounts: hotkeys 1 and 2, coldkeys 10 (signer), 11 (destination) and 12 (a staker the
    // signer is not).
    let (h1, h2, signer, other, owner) = (1u8, 2u8, 10u8, 11u8, 12u8);
    let staker = if inputs.get("signer_has_no_stake").and_then(Value::as_bool) == Some(true) {
        owner
    } else {
        signer
    };
    if let Some(tao) = opt_u64(inputs, "stake_tao_into_subnet") {
        st.balances.insert(staker, tao.saturating_mul(2));
        st.add_stake(&h1, &staker, 1, tao, None, false)
            .map_err(|e| {
                Error::field(
                    ErrorCode::OutOfRange,
                    "inputs.stake_tao_into_subnet",
                    e.name(),
                )
            })?;
    } else {
        // Stake given in alpha (or the default: ten minimum stakes' worth).
        let alpha = opt_u64(inputs, "stake_alpha").unwrap_or(params.min_stake.saturating_mul(10));
        st.pools
            .entry((h1, 1))
            .or_default()
            .increase(&staker, alpha);
        if let Some(s) = st.subnets.get_mut(&1) {
            s.alpha_out = s.alpha_out.saturating_add(alpha);
        }
    }
    let same = inputs.get("same_subnet").and_then(Value::as_bool) == Some(true);
    let dn = if same { 1 } else { 2 };
    let all = st.stake_of(&h1, &staker, 1);
    let extrinsic = inputs
        .get("extrinsic")
        .and_then(Value::as_str)
        .unwrap_or("");
    let before = |st: &StakingState<u8>| {
        (
            st.stake_of(&h1, &signer, 1),
            st.stake_of(&h1, &other, dn),
            st.stake_of(&h2, &signer, dn),
        )
    };
    let snapshot = before(&st);
    let result = if let Some(a) = opt_u64(inputs, "transfer_alpha") {
        st.transition_stake_with(CAP, (&h1, &signer, 1), (&h1, &other, dn), a, None, None)
    } else if let Some(a) = opt_u64(inputs, "swap_alpha") {
        st.transition_stake_with(CAP, (&h1, &signer, 1), (&h1, &signer, dn), a, None, None)
    } else if let Some(a) = opt_u64(inputs, "move_alpha") {
        st.move_stake_limit(
            MoveStakeLimit::Available,
            CAP,
            &signer,
            (&h1, &h2),
            (1, 2),
            a,
            input_u64(inputs, "limit_price_rao")?,
            inputs
                .get("allow_partial")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        )
    } else if extrinsic.contains("swap") {
        st.transition_stake_with(CAP, (&h1, &signer, 1), (&h1, &signer, 2), all, None, None)
    } else if extrinsic.contains("transfer") {
        st.transition_stake_with(CAP, (&h1, &signer, 1), (&h1, &other, dn), all, None, None)
    } else if extrinsic.contains("move") {
        st.transition_stake_with(CAP, (&h1, &signer, 1), (&h2, &signer, 2), all, None, None)
    } else {
        out.fail(c.name, "inputs", format!("unknown extrinsic {extrinsic:?}"));
        return Ok(());
    };
    let after = before(&st);
    let value = |key: &str| -> Option<Actual> {
        Some(match (key, &result) {
            ("error", Err(e)) => Actual::Err(e.name().into()),
            ("error", Ok(_)) => Actual::Err("(no error)".into()),
            ("origin_alpha_unchanged", _) => Actual::Bool(after.0 == snapshot.0),
            ("destination_alpha_unchanged", _) => {
                Actual::Bool(after.1 == snapshot.1 && after.2 == snapshot.2)
            }
            ("origin_alpha_after", Ok(_)) => Actual::Int(u128::from(after.0)),
            ("max_amount_move", _) => match max_move {
                Ok(v) => Actual::Int(u128::from(v)),
                Err(e) => Actual::Err(e.name().into()),
            },
            (_, Err(e)) => Actual::Err(e.name().into()),
            _ => return None,
        })
    };
    for (key, exp) in c.fields() {
        let Some(actual) = value(key) else {
            out.fail(c.name, key, "field not produced by the transition");
            continue;
        };
        match (key.as_str(), &actual) {
            ("error", a) => {
                let want = exp.as_str().unwrap_or("");
                out.record(
                    c.name,
                    key,
                    a.render() == format!("error {want}"),
                    want,
                    a.render(),
                );
            }
            (_, Actual::Bool(g)) => {
                out.record(c.name, key, exp.as_bool() == Some(*g), render(exp), g);
            }
            _ => c.check(out, key, &actual),
        }
    }
    for key in c.derived.keys() {
        match value(key) {
            Some(a) => c.check_derived(out, key, &a),
            None => out.fail(c.name, &format!("derived.{key}"), "field not produced"),
        }
    }
    Ok(())
}
