//! Pool-vector cases for the coinbase, moving price, emission shares, distribution and root
//! claims (src/emission).
//!
//! The cases restate upstream subtensor tests as free-form scenarios. Each is recognised by the
//! shape of its `inputs` (not by file name), rebuilt on a modelled [`Network`] with the file's
//! `environment` (see [`env::MockEnv`]), run through the emission pipeline, and compared with
//! `expected` under the case's `assertion`; `derived` values are compared exactly, each key its
//! own outcome. A case whose shape is not recognised is a failed outcome naming the reason.

use super::Outcomes;
use serde_json::Value;
use tao_engine::emission::{BalancerPool, Network, Params};
use tao_engine::error::Result;

mod coinbase;
mod compare;
mod conviction;
mod distribution;
mod dividend_split;
mod env;
mod expr;
mod gate;
mod reservoir;
mod root_fund;
mod shares;

use compare::Assertion;
use env::MockEnv;

/// Everything a case runner needs.
pub(crate) struct Ctx<'a> {
    doc: &'a Value,
    case: &'a Value,
    name: &'a str,
    env: MockEnv,
    assertion: Assertion,
}

impl<'a> Ctx<'a> {
    /// `inputs[key]`, resolving the value `"same"` to the nearest earlier case's value.
    fn input(&self, key: &str) -> Option<&'a Value> {
        let v = self.case.get("inputs")?.get(key)?;
        if v.as_str() != Some("same") {
            return Some(v);
        }
        let cases = self.doc.get("cases")?.as_array()?;
        let idx = cases.iter().position(|c| core::ptr::eq(c, self.case))?;
        cases.get(..idx)?.iter().rev().find_map(|c| {
            let v = c.get("inputs")?.get(key)?;
            (v.as_str() != Some("same")).then_some(v)
        })
    }

    fn has(&self, key: &str) -> bool {
        self.input(key).is_some()
    }

    fn expected(&self) -> Option<&'a serde_json::Map<String, Value>> {
        self.case.get("expected")?.as_object()
    }

    fn derived(&self) -> Option<&'a serde_json::Map<String, Value>> {
        self.case.get("derived")?.as_object()
    }

    /// An input as text (numbers and strings).
    fn text(&self, key: &str) -> Option<String> {
        self.input(key).and_then(compare::text)
    }

    /// An input's leading integer (`"6553 (u16::MAX/10)"` → 6553).
    fn u64_input(&self, key: &str) -> Option<u64> {
        self.text(key).and_then(|t| expr::first_u64(&t))
    }

    /// An input's value as f64 (a number or a formula without names).
    fn f64_input(&self, key: &str) -> Option<f64> {
        self.text(key)
            .and_then(|t| expr::target(&t, &expr::Vars::new()))
    }

    /// The network of the mock runtime: parameters from the environment, block 1.
    fn network(&self) -> Network<BalancerPool> {
        let mut net = Network::new(Params {
            tao_weight: self.env.tao_weight,
            subnet_owner_cut: self.env.owner_cut,
            ck_burn: self.env.ck_burn,
            default_take: self.env.take,
            // The mock runtime of the tests the vectors restate: base (spec 425) emission rules
            // unless a case names a later rule itself.
            ..Params::base()
        });
        net.block = 1;
        if let Some(r) = self.env.root_tao {
            net.root_tao = r;
        }
        if let Some((r, t)) = self.env.root_stake_always {
            net.root_tao = r;
            net.params.tao_weight = t;
        }
        net
    }

    /// A pool with the environment's weight, fee rate and minimum reserve.
    fn pool(&self, mechanism: u16, tao: u64, alpha: u64) -> BalancerPool {
        BalancerPool {
            mechanism,
            tao,
            alpha,
            quote_weight: self.env.quote_weight,
            fee_rate: self.env.fee_rate,
            minimum_reserve: self.env.minimum_reserve,
            reservoirs: Default::default(),
        }
    }

    /// Compare every derived key except notes.
    fn check_derived(&self, out: &mut Outcomes, actual: &dyn Fn(&str) -> Option<compare::Actual>) {
        let Some(derived) = self.derived() else {
            return;
        };
        for (key, value) in derived {
            if key == "note" {
                continue;
            }
            compare::check_derived(out, self.name, key, value, actual(key));
        }
    }
}

/// Evaluate one case of a `pool-vectors/v1` file in an emission category.
pub fn run_case(
    doc: &Value,
    category: &str,
    case: &Value,
    name: &str,
    out: &mut Outcomes,
) -> Result<()> {
    let ctx = Ctx {
        doc,
        case,
        name,
        env: MockEnv::from_doc(doc),
        assertion: Assertion::of(case),
    };
    let before = out.len();
    match category {
        "moving-price" => shares::moving_price_case(&ctx, out),
        "emission-shares" => shares::shares_case(&ctx, out),
        "coinbase" => coinbase::coinbase_case(&ctx, out),
        "distribution" => distribution::distribution_case(&ctx, out),
        "root-claim" if root_fund::is_fund_case(&ctx) => root_fund::fund_case(&ctx, out),
        "root-claim" => distribution::root_claim_case(&ctx, out),
        _ => out.fail(
            name,
            "case",
            format!("category {category:?} is not an emission category"),
        ),
    }
    if out.len() == before {
        out.fail(name, "case", "no expected field could be checked");
    }
    Ok(())
}
