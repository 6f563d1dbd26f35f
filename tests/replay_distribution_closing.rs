//! The closing share-pool rules' storage layer on a capture (469+): pool epochs
//! (`AlphaSharePoolEpoch`, `AlphaShareEpoch`; RaoFoundation/subtensor `staking/stake_utils.rs`
//! `HotkeyAlphaSharePoolDataOperations`, index id 69155006798, and `lib.rs` id 68884137211) and
//! the re-opening of a drained pool by a payout credit (`update_value_for_one_with_inputs` of
//! `primitives/share-pool`, id 71438766555, which cites spec 469).
//!
//! The case (netuid 1, spec 473): miner A (uid 0) earns an incentive of 600, credited to its
//! owner CA (`credit_member`: the sole-member fast path, else an ordinary deposit). By hand:
//! * A drained pool (value 0, 1000 shares: CA 600, X 400) is closed (`set_denominator(0)`: epoch
//!   0 → 1) and re-opened by the deposit (`set_denominator(600)`: epoch 2), CA's row written 600
//!   and stamped 2; X's row stays as it is (retired: its stamp is not 2). Value 600.
//! * A pool of epoch 3 whose only row (CA, 1000 of 1000 shares) is stamped 3 takes the fast
//!   path: value 1600, shares unchanged. Stamped 1 instead, the row is retired: CA holds no
//!   share, so the deposit buys 600·1000/1000 = 600 shares (D = 1600) stamped 3.
//!
//! The re-opening is the `empty_value` branch of the chain's own
//! `member_credit_preserves_rounding_reopening_and_overflow_fallback` (same primitives): members
//! seeded, the value set to 0, then a credit through `credit_member`, here on a capture with the
//! storage layer's epochs.
//!
//! Every other input is absent on chain (each run adds what the payout asks for as absent).

#[path = "support/replay_block.rs"]
mod support;

use std::collections::BTreeMap;
use support::{acc, key, sf};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_distribution::{distribution_writes, Distribution};
use tao_engine::chain::hex;
use tao_engine::chain::snapshot_read::ChainState;
use tao_engine::chain::storage::KeyArg;
use tao_engine::chain::types::AccountId32;
use tao_engine::consensus::EpochOutput;
use tao_engine::emission::PendingBuckets;
use tao_engine::runtime::Rules;
use tao_engine::stake::safe_float::SafeFloat;

const NET: u16 = 1;
const A: AccountId32 = AccountId32([1; 32]);
const CA: AccountId32 = AccountId32([11; 32]);
const X: AccountId32 = AccountId32([9; 32]);

fn n() -> KeyArg {
    KeyArg::U16(NET)
}

fn put(c: &mut Capture, name: &str, args: &[KeyArg], v: Option<Vec<u8>>) {
    c.storage
        .insert(key(name, args), v.map(|b| hex::encode(&b)));
}

fn f(v: u64) -> Option<Vec<u8>> {
    Some(sf(&SafeFloat::from_u64(v)))
}

fn u(v: u64) -> Option<Vec<u8>> {
    Some(v.to_le_bytes().to_vec())
}

/// A's pool: `value` alpha over `shares` (CA's `ca`, X's the rest), pool epoch `epoch`.
fn case(value: u64, shares: u64, ca: u64, epoch: u64) -> Capture {
    let mut c = Capture {
        chain: "test".into(),
        block: 99,
        block_hash: "0x00".into(),
        spec_version: 473,
        ..Capture::default()
    };
    put(&mut c, "Owner", &[acc(A)], Some(CA.0.to_vec()));
    put(
        &mut c,
        "TotalHotkeyAlpha",
        &[acc(A), n()],
        u(value).filter(|_| value > 0),
    );
    put(&mut c, "TotalHotkeySharesV2", &[acc(A), n()], f(shares));
    put(&mut c, "AlphaV2", &[acc(A), acc(CA), n()], f(ca));
    if shares > ca {
        put(&mut c, "AlphaV2", &[acc(A), acc(X), n()], f(shares - ca));
    }
    let e = u(epoch).filter(|_| epoch > 0);
    put(&mut c, "AlphaSharePoolEpoch", &[acc(A), n()], e);
    c
}

fn once(parent: &Capture, spec: u32) -> Distribution {
    let child = Capture {
        block: 100,
        storage: BTreeMap::new(),
        ..parent.clone()
    };
    let state = ChainState {
        n: 1,
        hotkeys: vec![Some(A.to_hex())],
        ..ChainState::default()
    };
    let outs = vec![EpochOutput {
        server_emission: vec![600],
        validator_emission: vec![0],
        ..EpochOutput::default()
    }];
    let buckets = PendingBuckets {
        server: 600,
        ..PendingBuckets::default()
    };
    let rules = Rules::for_spec(spec).unwrap();
    distribution_writes(parent, &child, NET, &state, &outs, buckets, &rules).unwrap()
}

/// Run the payout; every input it still asks for is added to the parent as absent on chain.
fn run(parent: &mut Capture, spec: u32) -> BTreeMap<String, Vec<u8>> {
    for _ in 0..8 {
        match once(parent, spec) {
            Distribution::Writes(w) => return w.into_iter().map(|w| (w.key, w.value)).collect(),
            Distribution::Missing(m) => {
                for k in m.iter().filter_map(|k| k.rsplit_once("(key ")) {
                    parent
                        .storage
                        .insert(k.1.trim_end_matches(')').to_string(), None);
                }
            }
        }
    }
    panic!("the payout keeps asking for inputs")
}

fn at(w: &BTreeMap<String, Vec<u8>>, name: &str, args: &[KeyArg]) -> Option<Vec<u8>> {
    w.get(&key(name, args)).cloned()
}

#[test]
fn a_credit_re_opens_a_drained_pool_in_a_new_epoch() {
    let mut c = case(0, 1000, 600, 0);
    let w = run(&mut c, 473);
    assert_eq!(at(&w, "TotalHotkeyAlpha", &[acc(A), n()]), u(600));
    assert_eq!(at(&w, "TotalHotkeySharesV2", &[acc(A), n()]), f(600));
    assert_eq!(at(&w, "AlphaV2", &[acc(A), acc(CA), n()]), f(600));
    assert_eq!(at(&w, "AlphaShareEpoch", &[acc(A), acc(CA), n()]), u(2));
    assert_eq!(at(&w, "AlphaSharePoolEpoch", &[acc(A), n()]), u(2));
    // X's row is retired by the epoch, not written.
    assert_eq!(at(&w, "AlphaV2", &[acc(A), acc(X), n()]), None);
    assert_eq!(at(&w, "AlphaShareEpoch", &[acc(A), acc(X), n()]), None);
    // From epoch 5: 7.
    let mut c = case(0, 1000, 600, 5);
    put(&mut c, "AlphaShareEpoch", &[acc(A), acc(CA), n()], u(5));
    let w = run(&mut c, 473);
    assert_eq!(at(&w, "AlphaSharePoolEpoch", &[acc(A), n()]), u(7));
    assert_eq!(at(&w, "AlphaShareEpoch", &[acc(A), acc(CA), n()]), u(7));
    assert_eq!(at(&w, "AlphaV2", &[acc(A), acc(CA), n()]), f(600));
}

#[test]
fn a_current_row_takes_the_fast_path_and_a_retired_one_buys_new_shares() {
    let mut c = case(1000, 1000, 1000, 3);
    put(&mut c, "AlphaShareEpoch", &[acc(A), acc(CA), n()], u(3));
    let w = run(&mut c, 473);
    assert_eq!(at(&w, "TotalHotkeyAlpha", &[acc(A), n()]), u(1600));
    assert_eq!(at(&w, "TotalHotkeySharesV2", &[acc(A), n()]), f(1000));
    assert_eq!(at(&w, "AlphaV2", &[acc(A), acc(CA), n()]), f(1000));
    assert_eq!(at(&w, "AlphaShareEpoch", &[acc(A), acc(CA), n()]), u(3));
    assert_eq!(at(&w, "AlphaSharePoolEpoch", &[acc(A), n()]), None);
    // Stamped in an older epoch: the row reads as absent.
    let mut c = case(1000, 1000, 1000, 3);
    put(&mut c, "AlphaShareEpoch", &[acc(A), acc(CA), n()], u(1));
    let w = run(&mut c, 473);
    assert_eq!(at(&w, "TotalHotkeyAlpha", &[acc(A), n()]), u(1600));
    assert_eq!(at(&w, "TotalHotkeySharesV2", &[acc(A), n()]), f(1600));
    assert_eq!(at(&w, "AlphaV2", &[acc(A), acc(CA), n()]), f(600));
    assert_eq!(at(&w, "AlphaShareEpoch", &[acc(A), acc(CA), n()]), u(3));
    assert_eq!(at(&w, "AlphaSharePoolEpoch", &[acc(A), n()]), None);
}

#[test]
fn the_epochs_are_read_from_469_and_listed_by_key() {
    // A stamp the pool's epoch asks for, not captured: listed.
    let mut c = case(1000, 1000, 1000, 3);
    let _ = run(&mut c, 473);
    let stamp = key("AlphaShareEpoch", &[acc(A), acc(CA), n()]);
    c.storage.remove(&stamp);
    let Distribution::Missing(m) = once(&c, 473) else {
        panic!("computed without the row's stamp")
    };
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("SubtensorModule.AlphaShareEpoch["),
        "{m:?}"
    );
    assert!(m[0].ends_with(&format!("(key {stamp})")), "{m:?}");
    // Before 469 neither epoch is read (nor written): the drained pool is simply topped up by
    // the legacy update (600 · 1000 / 0 has no price: the first-depositor rule does not apply,
    // the shares stay) and no epoch key is needed.
    let mut c = case(0, 1000, 600, 0);
    c.storage
        .remove(&key("AlphaSharePoolEpoch", &[acc(A), n()]));
    let w = run(&mut c, 463);
    assert!(!c
        .storage
        .contains_key(&key("AlphaSharePoolEpoch", &[acc(A), n()])));
    assert!(!w
        .keys()
        .any(|k| k.starts_with(&key("AlphaSharePoolEpoch", &[]))));
    assert!(!w
        .keys()
        .any(|k| k.starts_with(&key("AlphaShareEpoch", &[]))));
}
