//! `consensus::run_epochs`: consecutive epochs carry the stored state (bonds, validator permits,
//! consensus, last step block) from one epoch to the next, at the chain's cadence by default.

use tao_engine::consensus::{
    run_epoch_under, run_epochs, EpochInput, EpochRun, Hyperparameters, MAX_EPOCHS,
};
use tao_engine::runtime::Rules;
use tao_engine::ErrorCode;

/// 3 validators with unequal stake, 2 servers, split weights (bonds build up over epochs).
fn subnet() -> EpochInput {
    EpochInput {
        hyperparameters: Hyperparameters {
            tempo: 10,
            commit_reveal_enabled: false,
            // Yuma3 bonds grow by EMA steps, so every epoch's stored bonds differ.
            yuma3_enabled: true,
            ..Hyperparameters::unit_test_mock()
        },
        n: 5,
        current_block: 100,
        emission: 1_000_000_000,
        alpha_stake: vec![3_000_000_000, 2_000_000_000, 1_000_000_000, 0, 0],
        block_at_registration: vec![0; 5],
        last_update: vec![100; 5],
        validator_permit: vec![true, true, true, false, false],
        weights: vec![
            vec![(3, 65535), (4, 10000)],
            vec![(3, 0), (4, 65535)],
            vec![(3, 40000), (4, 30000)],
            vec![],
            vec![],
        ],
        ..Default::default()
    }
}

#[test]
fn each_epoch_runs_on_the_state_the_previous_one_stored() {
    let rules = Rules::newest();
    let input = subnet();
    let runs = run_epochs(&input, &rules, EpochRun { count: 4, ..Default::default() }).unwrap();
    assert_eq!(runs.len(), 4);
    // The same chain of epochs, carried over by hand.
    let mut state = input.clone();
    for (k, got) in runs.iter().enumerate() {
        let want = run_epoch_under(&state, &rules, false).unwrap();
        assert_eq!(got, &want, "epoch {k}");
        state.last_mechanism_step_block = state.current_block;
        state.current_block += 11; // tempo + 1
        state.validator_permit = want.validator_permit.clone();
        state.bonds = want.bonds.clone();
        state.previous_consensus = want.consensus.clone();
    }
    // Carry-over matters: bonds built up, so the later epochs differ from a fresh epoch.
    assert!(runs[0].bonds.iter().any(|r| !r.is_empty()));
    assert_ne!(runs[0].bonds, runs[3].bonds);
    let fresh = run_epoch_under(
        &EpochInput { current_block: 133, last_mechanism_step_block: 122, ..subnet() },
        &rules,
        false,
    )
    .unwrap();
    assert_ne!(runs[3].bonds, fresh.bonds);
}

#[test]
fn cadence_is_tempo_plus_one_unless_given() {
    let rules = Rules::newest();
    let blocks = |run: EpochRun| -> Vec<u64> {
        run_epochs(&subnet(), &rules, run)
            .unwrap()
            .iter()
            .map(|o| o.trace.as_ref().unwrap().current_block)
            .collect()
    };
    let traced = EpochRun { count: 3, trace: true, ..Default::default() };
    assert_eq!(blocks(traced), [100, 111, 122]);
    let paced = EpochRun { blocks_per_epoch: Some(7), ..traced };
    assert_eq!(blocks(paced), [100, 107, 114]);
    // No trace unless asked.
    let plain = run_epochs(&subnet(), &rules, EpochRun { count: 2, ..Default::default() }).unwrap();
    assert!(plain.iter().all(|o| o.trace.is_none()));
}

#[test]
fn bounds_and_validation_come_first() {
    let rules = Rules::newest();
    assert!(run_epochs(&subnet(), &rules, EpochRun::default()).unwrap().is_empty());
    let e = run_epochs(&subnet(), &rules, EpochRun { count: MAX_EPOCHS + 1, ..Default::default() })
        .unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::OutOfRange, Some("count")));
    // Bad input is refused even when no epoch would run.
    let bad = EpochInput { alpha_stake: vec![1; 4], ..subnet() };
    let e = run_epochs(&bad, &rules, EpochRun::default()).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::LengthMismatch, Some("alpha_stake")));
}
