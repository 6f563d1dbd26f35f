//! Realized APY against every golden file in tests/fixtures/returns/ (TaoYield calculator runs on
//! real finney history; see shared/fixtures/returns/README.md): 1e-9 relative on every result.

use serde_json::Value;
use std::collections::BTreeMap;
use tao_engine::sim::realized_apy::{
    root_validator_apy, subnet_validator_apy, RootEpoch, SubnetEpoch,
};

fn close(name: &str, got: f64, want: &Value) {
    let want = want
        .as_f64()
        .unwrap_or_else(|| panic!("{name}: not a number"));
    let tol = 1e-9 * want.abs().max(f64::MIN_POSITIVE);
    assert!((got - want).abs() <= tol, "{name}: got {got}, want {want}");
}

fn f(v: &Value, k: &str) -> f64 {
    v.get(k)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("missing {k}"))
}

fn check_file(path: &std::path::Path) {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let interval = f(&doc, "actual_interval_seconds");
    let no_filters = doc["no_filters"].as_bool().unwrap();
    let want = &doc["results"];
    if let Some(fetched) = doc.get("fetched_data") {
        let epochs: Vec<SubnetEpoch> =
            serde_json::from_value(fetched.clone()).unwrap_or_else(|e| {
                // Extra keys (`block`) are allowed; map by hand when serde refuses.
                panic!("{}: {e}", path.display())
            });
        let r = subnet_validator_apy(&epochs, interval, no_filters).unwrap();
        close("apy_percent", r.apy_percent, &want["apy_percent"]);
        close("divs_sum_alpha", r.divs_sum_alpha, &want["divs_sum_alpha"]);
        close("period_yield", r.period_yield, &want["period_yield"]);
        assert_eq!(u64::from(r.skipped), want["skipped"].as_u64().unwrap());
    } else {
        let events = doc["events"].as_array().unwrap();
        let dicts = doc["root_claimable_dicts_raw"].as_array().unwrap();
        let stakes = doc["stakes_raw"].as_array().unwrap();
        let prices = doc["prices_tao_per_alpha"].as_array().unwrap();
        assert_eq!(events.len(), dicts.len());
        let epochs: Vec<RootEpoch> = events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let netuid = u16::try_from(e["netuid"].as_u64().unwrap()).unwrap();
                RootEpoch {
                    netuid,
                    claimable: dicts[i].get(netuid.to_string()).and_then(Value::as_f64),
                    stake_rao: stakes[i].as_f64().unwrap(),
                    price_tao_per_alpha: prices[i].as_f64().unwrap(),
                }
            })
            .collect();
        let baseline: BTreeMap<u16, f64> = doc["baseline_claimable_alpha"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), v.as_f64().unwrap()))
            .collect();
        let r = root_validator_apy(&epochs, &baseline, interval, no_filters).unwrap();
        close("apy", r.apy, &want["apy"]);
        close(
            "total_dividends_tao",
            r.total_dividends_tao,
            &want["total_dividends_tao"],
        );
        close("period_yield", r.period_yield, &want["period_yield"]);
        assert_eq!(u64::from(r.skipped), want["skipped"].as_u64().unwrap());
    }
}

#[test]
fn every_golden_file_reproduces() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/returns");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            check_file(&p);
            n += 1;
        }
    }
    assert!(n >= 2, "expected both golden files, found {n}");
}
