//! Runner for `pool-vectors/v1` files (fixtures/pool): dispatch on the file's `category`.

use super::json::{arr_of, get, str_of, u64_of};
use super::Outcomes;
use serde_json::Value;
use tao_engine::error::Result;

/// Run a pool vector file.
pub fn run(doc: &Value, out: &mut Outcomes) -> Result<()> {
    let category = str_of(doc, "category")?;
    let cases = arr_of(doc, "cases")?;
    for case in cases {
        let name = case.get("name").and_then(Value::as_str).unwrap_or("?");
        out.guard(name, |out| match category {
            "block-emission" => block_emission_case(case, name, out),
            "epoch-schedule" => super::schedule_cases::run_case(doc, case, name, out),
            "swap"
            | "staking"
            | "share-pool"
            | "stake-weight"
            | "registration"
            | "subnet-registration"
            | "subnet-dissolve" => super::pool_cases::run_case(doc, category, case, name, out),
            "coinbase" | "moving-price" | "emission-shares" | "distribution" | "root-claim" => {
                super::emission_cases::run_case(doc, category, case, name, out)
            }
            _ => {
                out.fail(
                    name,
                    "case",
                    format!("category {category:?} not implemented yet"),
                );
                Ok(())
            }
        });
    }
    Ok(())
}

fn block_emission_case(case: &Value, name: &str, out: &mut Outcomes) -> Result<()> {
    let inputs = get(case, "inputs")?;
    let expected = get(case, "expected")?;
    if inputs.get("issuance").is_some() {
        let issuance = u64_of(inputs, "issuance")?;
        out.eq(
            name,
            "emission",
            u64_of(expected, "emission")?,
            tao_engine::emission::block_emission(issuance),
        );
    } else if let Some(proc_) = inputs.get("procedure").and_then(Value::as_str) {
        // "issuance = 0; repeat R times: issuance += get_block_emission_for_issuance(issuance) * M"
        let nums: Vec<u64> = proc_
            .split(|c: char| !c.is_ascii_digit() && c != '_')
            .filter_map(|t| t.replace('_', "").parse().ok())
            .collect();
        let (start, repeats, mult) = match nums.as_slice() {
            [s, r, m] => (*s, *r, *m),
            _ => {
                out.fail(
                    name,
                    "procedure",
                    format!("unrecognised procedure {proc_:?}"),
                );
                return Ok(());
            }
        };
        let mut issuance = start;
        for _ in 0..repeats {
            issuance = issuance.saturating_add(
                tao_engine::emission::block_emission(issuance).saturating_mul(mult),
            );
        }
        out.eq(
            name,
            "final_issuance",
            u64_of(expected, "final_issuance")?,
            issuance,
        );
    } else {
        out.fail(name, "inputs", "no issuance or procedure");
    }
    Ok(())
}
