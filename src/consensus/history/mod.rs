//! Yuma's history: Yuma 1, Yuma 2 (subtensor), 2B, 2C, Yuma 3 and Yuma 3 with liquid alpha,
//! exactly as the reference simulator defines them.
//!
//! Port of yuma-simulation (PyPI `yuma-simulation` 0.1.1, MIT; repository bactensor/yuma-simulation
//! @ 2b976fd5c850ccb4488fb20b3fa6937e80ac9145): `src/yuma_simulation/_internal/yumas.py` (the
//! versions) and `simulation_utils.py` (`_run_simulation`, `_call_yuma`, `_compute_liquid_alpha`).
//! These are models of the versions, not the chain's code: the chain's current epoch is
//! [`crate::consensus::run_epoch`].
//!
//! # Numeric type
//!
//! Everything is `f32`, because the reference is torch code on float32 tensors (torch's default
//! dtype) and several of its steps are discrete: the consensus is the weight where a float32
//! cumulative stake first reaches `kappa`, it is quantised by `.int()` to 1/65535 steps, and
//! winner-takes-all compares float32 ranks for equality. Computing in `f64` would move those
//! boundaries (a truncation one step off, a tie broken), so the module follows torch's float32
//! kernels operation by operation ([`tensor`] says how: Python floats rounded to `f32`, ATen's
//! summation order, `f64` cumulative sums). The agreement test (`scripts/test-yuma-versions`) holds
//! every dividend, incentive and bond within 1e-4 of yuma-simulation on all of its cases
//! (relative to the value for Yuma 2C's bonds, which are stake × 2^64 sized). In practice 99.8% of
//! the values are the same `f32` as torch's and the rest differ by at most 1.5e-7: all of them in
//! liquid-alpha runs, from the last bit of `exp` (see [`tensor`]).
//!
//! * [`simulate()`] runs a [`Scenario`] (one [`Version`], a [`YumaConfig`], the epochs' `W` and `S`);
//!   [`scenario::run_json`] is the `scripts/yuma-versions` JSON contract.
//! * One file per version: [`yuma1`], [`yuma2`], [`yuma2b`], [`yuma2c`], [`yuma3`] (also liquid);
//!   [`front`] holds the shared consensus/rank/incentive steps, [`step`] the shared bond
//!   arithmetic, [`liquid`] the liquid alpha.

pub mod config;
pub mod front;
pub mod liquid;
pub mod scenario;
pub mod simulate;
pub mod step;
pub mod tensor;
pub mod yuma1;
pub mod yuma2;
pub mod yuma2b;
pub mod yuma2c;
pub mod yuma3;

pub use config::{ConsensusMode, YumaConfig};
pub use liquid::Layout;
pub use simulate::{simulate, EpochIn, EpochRecord, ResetBonds, Scenario, Version};

#[cfg(test)]
mod tests {
    use super::scenario::run_json;
    use serde_json::Value;

    fn case1(version: &str) -> String {
        // yuma-simulation's Case 1 (kappa moves first), four epochs, bond_penalty 1.
        let w = |rows: [[f32; 2]; 3]| rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>();
        let epochs = [
            w([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]]),
            w([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]),
            w([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]),
            w([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]),
        ];
        let epochs: Vec<Value> = epochs
            .iter()
            .map(|w| serde_json::json!({"weights": w, "stakes": [0.8, 0.1, 0.1]}))
            .collect();
        serde_json::json!({
            "version": version, "params": {"bond_penalty": 1.0},
            "num_validators": 3, "num_servers": 2, "use_full_matrices": false,
            "epochs": epochs
        })
        .to_string()
    }

    #[test]
    fn every_version_runs_case1() {
        for v in [
            "yuma1",
            "yuma2",
            "yuma2b",
            "yuma2c",
            "yuma3",
            "yuma3-liquid",
        ] {
            let out = run_json(&case1(v));
            let out: Value = match out.as_deref().map(serde_json::from_str) {
                Ok(Ok(v)) => v,
                other => panic!("{v}: {other:?}"),
            };
            let epochs = out["epochs"].as_array().map(Vec::len);
            assert_eq!(epochs, Some(4), "{v}");
            // Epoch 0: everyone on server 1, so it takes the whole incentive.
            assert_eq!(
                out["epochs"][0]["incentives"],
                serde_json::json!([1.0, 0.0]),
                "{v}"
            );
        }
    }

    #[test]
    fn yuma2_epoch0_dividends_follow_stake() {
        let out: Value = serde_json::from_str(&run_json(&case1("yuma2")).unwrap_or_default())
            .unwrap_or_default();
        let d: Vec<f64> = out["epochs"][0]["dividends"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        assert_eq!(d.len(), 3);
        assert!(
            (d[0] - 0.8).abs() < 1e-5 && (d[1] - 0.1).abs() < 1e-5,
            "{d:?}"
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(run_json("{").is_err());
        assert!(run_json(&case1("yuma9")).is_err());
        let missing_penalty = case1("yuma2").replace("\"bond_penalty\":1.0", "\"kappa\":0.5");
        assert!(run_json(&missing_penalty).is_err());
        // Yuma 3 does not need bond_penalty.
        let y3 = case1("yuma3").replace("\"bond_penalty\":1.0", "\"kappa\":0.5");
        assert!(run_json(&y3).is_ok());
        let unknown = case1("yuma3").replace("\"bond_penalty\"", "\"bond_penaltyy\"");
        assert!(run_json(&unknown).is_err());
        let short = case1("yuma3").replace("[0.8,0.1,0.1]", "[0.8,0.1]");
        assert!(run_json(&short).is_err());
    }
}
