//! Tests of [`super`]: which entry point an epoch step names, what [`super::build`] reads and
//! refuses, and refused steps.

use super::*;
use serde_json::json;

#[test]
fn epoch_step_names_the_entry_point() {
    let read = |v: Value| EpochStep::read(&v).map(|e| (e.kind, e.mechanism));
    let base = |extra: Value| {
        let mut v = json!({"op": "epoch", "block": 7, "emission": "1000"});
        if let (Value::Object(m), Value::Object(x)) = (&mut v, extra) {
            m.extend(x);
        }
        v
    };
    assert_eq!(read(base(json!({}))).ok(), Some((EpochKind::Legacy(0), 0)));
    assert_eq!(
        read(base(json!({"mechanism": "all"}))).ok(),
        Some((EpochKind::AllMechanisms, 0))
    );
    assert_eq!(
        read(base(json!({"mechanism": 2, "persist": "none"}))).ok(),
        Some((EpochKind::Mechanism(2), 2))
    );
    assert_eq!(
        read(base(json!({"path": "dense"}))).ok(),
        Some((EpochKind::Dense, 0))
    );
    assert!(read(base(json!({"persist": "later"}))).is_err());
    assert!(read(json!({"op": "epoch", "block": 7})).is_err());
}

#[test]
fn build_reads_state_and_rejects_short_vectors() {
    let doc = json!({
        "hyperparameters": {"mechanism_count": 2, "mechanism_emission_split": [1, 65534], "kappa": 100},
        "initial_state": {"n": 2, "alpha_stake": ["5", 6],
            "mechanisms": {"1": {"weights": {"1": [[0, 65535]]}}}}
    });
    let s = build(&doc).unwrap();
    assert_eq!(s.spec_version, Some(SCENARIO_SPEC));
    assert_eq!(s.hyperparameters.mechanism_count, 2);
    assert_eq!(
        s.hyperparameters.mechanism_emission_split,
        Some(vec![1, 65534])
    );
    assert_eq!(s.hyperparameters.kappa, 100);
    assert_eq!(s.alpha_stake, vec![5, 6]);
    assert_eq!(s.mechanisms[1].weights, vec![vec![], vec![(0, 65535)]]);
    let short = json!({"initial_state": {"n": 3, "alpha_stake": [1, 2]}});
    let e = build(&short).unwrap_err();
    assert_eq!(e.code, ErrorCode::LengthMismatch);
    assert_eq!(e.field.as_deref(), Some("initial_state.alpha_stake"));
}

#[test]
fn unknown_ops_and_hyperparameters_are_refused() {
    let mut s = build(&json!({"initial_state": {"n": 1}})).unwrap();
    assert!(apply(&mut s, &json!({"op": "teleport"})).is_err());
    assert!(apply(
        &mut s,
        &json!({"op": "set_hyperparameter", "name": "gravity", "value": 1})
    )
    .is_err());
    apply(
        &mut s,
        &json!({"op": "add_alpha_stake", "uid": 0, "amount": "9"}),
    )
    .unwrap();
    assert_eq!(s.alpha_stake, vec![9]);
}
