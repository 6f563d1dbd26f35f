//! Unit tests of the legacy epoch reads ([`super::EpochReads::Legacy`]).

use super::{legacy_epoch_index, read_subnet_state_as, ChainState, EpochReads};
use crate::chain::hex;
use crate::chain::snapshot::{storage_key_hex, Store};
use crate::chain::storage::KeyArg;
use crate::consensus::CommitVersion;
use std::collections::BTreeMap;

/// Read subnet 1 from `map` as `reads`, every key the reader asks for and `map` lacks
/// answered as absent on chain.
fn read(map: &BTreeMap<String, Option<String>>, reads: EpochReads) -> ChainState {
    let mut map = map.clone();
    for _ in 0..8 {
        let mut st = Store::new(&map);
        let r = read_subnet_state_as(1, &mut st, reads).unwrap();
        if st.missing.is_empty() {
            return r.unwrap();
        }
        for k in std::mem::take(&mut st.missing) {
            map.insert(k, None);
        }
    }
    panic!("the reader keeps asking");
}

#[test]
fn legacy_reads_take_the_cutoff_the_bond_mask_and_commit_epochs_of_the_tags() {
    let one = [KeyArg::U16(1)];
    let hk = [7u8; 32];
    let mut m = BTreeMap::new();
    let mut put = |name: &str, args: &[KeyArg], v: Vec<u8>| {
        m.insert(storage_key_hex(name, args).unwrap(), Some(hex::encode(&v)));
    };
    put("Tempo", &one, 9u16.to_le_bytes().to_vec());
    put("SubnetworkN", &one, 1u16.to_le_bytes().to_vec());
    put("Keys", &[KeyArg::U16(1), KeyArg::U16(0)], hk.to_vec());
    put("CommitRevealWeightsEnabled", &one, vec![1]);
    put("RevealPeriodEpochs", &one, 1u64.to_le_bytes().to_vec());
    put("ActivityCutoff", &one, 7u16.to_le_bytes().to_vec());
    put(
        "ActivityCutoffFactorMilli",
        &one,
        13_889u32.to_le_bytes().to_vec(),
    );
    put(
        "LastMechansimStepBlock",
        &one,
        990u64.to_le_bytes().to_vec(),
    );
    put("SubnetEpochIndex", &one, 55u64.to_le_bytes().to_vec());
    // One CR-v2 commit: (hash, 985, 1000, 1010).
    let mut q = vec![4u8];
    q.extend([0u8; 32]);
    for x in [985u64, 1000, 1010] {
        q.extend(x.to_le_bytes());
    }
    let acc = KeyArg::Account(crate::chain::types::AccountId32(hk));
    put("WeightCommits", &[KeyArg::U16(1), acc], q);
    let legacy = read(&m, EpochReads::Legacy { block: 1000 });
    assert_eq!(legacy.hyperparameters.activity_cutoff_legacy, Some(7));
    assert_eq!(legacy.hyperparameters.activity_cutoff_blocks(), 7);
    assert_eq!(legacy.last_mechanism_step_block, 0);
    // (1000 + 1 + 1) / (9 + 1)
    assert_eq!(legacy.current_epoch_index, 100);
    assert_eq!(legacy_epoch_index(1, 9, 1000), 100);
    let c = &legacy.mechanisms[0].commits;
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].commit_block, c[0].commit_epoch), (985, 98));
    assert_eq!(c[0].version, CommitVersion::V2);
    // The same storage as 423+ reads it.
    let now = read(&m, EpochReads::Stateful);
    assert_eq!(now.hyperparameters.activity_cutoff_legacy, None);
    assert_eq!(now.hyperparameters.activity_cutoff_blocks(), 125);
    assert_eq!(now.last_mechanism_step_block, 990);
    assert_eq!(now.current_epoch_index, 56);
    let c = &now.mechanisms[0].commits;
    assert_eq!((c[0].commit_block, c[0].commit_epoch), (1000, 985));
}
