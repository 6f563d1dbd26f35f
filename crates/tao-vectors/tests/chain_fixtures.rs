//! Chain fixtures (tests/fixtures/chain, copies of shared/fixtures/chain) through the decoders.
//!
//! Guards: every fixture decodes per its type and wrapping and matches its `expected`/`derived`
//! values field by field (the vector runner); the three captures of SN1 at block 6852344 agree
//! with each other through the typed structs; and hostile variants of every fixture (truncated,
//! extended, bit-flipped, random) give errors with the right codes and never panic. Decoding is
//! canonical, so whatever does decode must re-encode to the same bytes.

use std::path::PathBuf;
use tao_engine::chain::registry::{decode_type, decode_type_with_limits, Wrapping};
use tao_engine::chain::scale::Limits;
use tao_engine::chain::{Metagraph, NeuronInfoLite, SubnetState};
use tao_engine::ErrorCode;
use tao_vectors::chain::{fixture_samples, FixtureSample};
use tao_vectors::run_file;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/chain")
}

fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("tests/fixtures/chain exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 24,
        "expected the chain fixtures, found {}",
        files.len()
    );
    files
}

fn load(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(fixture_dir().join(name)).expect("fixture readable");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn all_samples() -> Vec<FixtureSample> {
    let mut out = Vec::new();
    for f in fixture_files() {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).expect("readable")).expect("JSON");
        out.extend(fixture_samples(&doc).expect("samples"));
    }
    out
}

fn hex_bytes(doc: &serde_json::Value) -> Vec<u8> {
    tao_engine::chain::hex::decode(doc["hex"].as_str().expect("hex")).expect("valid hex")
}

#[test]
fn every_fixture_file_passes_the_runner() {
    let mut total = 0;
    for f in fixture_files() {
        let text = std::fs::read_to_string(&f).expect("readable");
        let report = run_file(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let failed: Vec<String> = report
            .outcomes
            .iter()
            .filter(|o| !o.passed)
            .map(|o| {
                format!(
                    "{} {}: expected {} actual {}",
                    o.case, o.field, o.expected, o.actual
                )
            })
            .collect();
        assert!(failed.is_empty(), "{}:\n{}", f.display(), failed.join("\n"));
        assert!(report.passed() > 0, "{}: no outcomes", f.display());
        total += report.passed();
    }
    assert!(total > 1000, "only {total} outcomes");
}

#[test]
fn current_samples_decode_and_reencode_exactly() {
    let samples = all_samples();
    assert!(samples.len() > 100);
    for s in samples.iter().filter(|s| !s.negative) {
        let d = decode_type(&s.type_name, &s.bytes, s.wrapping)
            .unwrap_or_else(|e| panic!("{}: {e}", s.label));
        if s.wrapping != Wrapping::VecU8 {
            assert_eq!(d.encode(), s.bytes, "{}: re-encode differs", s.label);
        }
    }
}

/// Metagraph, SubnetState and NeuronInfoLite captured at the same block must agree field by field.
#[test]
fn sn1_captures_at_one_block_agree() {
    let mg = decode_type(
        "Option<Metagraph>",
        &hex_bytes(&load("finney_b6852344_sn1_metagraph.json")),
        Wrapping::Raw,
    )
    .expect("metagraph");
    let mg: &Metagraph = mg
        .get::<Option<Metagraph>>()
        .expect("typed")
        .as_ref()
        .expect("Some");
    let st = decode_type(
        "Option<SubnetState>",
        &hex_bytes(&load("finney_b6852344_sn1_subnet_state.json")),
        Wrapping::Raw,
    )
    .expect("subnet state");
    let st: &SubnetState = st
        .get::<Option<SubnetState>>()
        .expect("typed")
        .as_ref()
        .expect("Some");
    let nl = decode_type(
        "Vec<NeuronInfoLite>",
        &hex_bytes(&load("finney_b6852344_sn1_neurons_lite.json")),
        Wrapping::Raw,
    )
    .expect("neurons lite");
    let nl: &Vec<NeuronInfoLite> = nl.get::<Vec<NeuronInfoLite>>().expect("typed");

    assert_eq!(mg.netuid, 1);
    assert_eq!(mg.block, 6_852_344);
    assert_eq!(usize::from(mg.num_uids), mg.hotkeys.len());
    assert_eq!(st.netuid, mg.netuid);
    assert_eq!(st.hotkeys, mg.hotkeys);
    assert_eq!(st.coldkeys, mg.coldkeys);
    assert_eq!(st.active, mg.active);
    assert_eq!(st.validator_permit, mg.validator_permit);
    assert_eq!(st.last_update, mg.last_update);
    assert_eq!(st.emission, mg.emission);
    assert_eq!(st.dividends, mg.dividends);
    assert_eq!(st.incentives, mg.incentives);
    assert_eq!(st.consensus, mg.consensus);
    assert_eq!(st.block_at_registration, mg.block_at_registration);
    assert_eq!(st.alpha_stake, mg.alpha_stake);
    assert_eq!(st.tao_stake, mg.tao_stake);
    assert_eq!(st.total_stake, mg.total_stake);
    assert_eq!(nl.len(), mg.hotkeys.len());
    for (uid, n) in nl.iter().enumerate() {
        assert_eq!(usize::from(n.uid), uid);
        assert_eq!(n.netuid, mg.netuid);
        assert_eq!(Some(&n.hotkey), mg.hotkeys.get(uid));
        assert_eq!(Some(&n.coldkey), mg.coldkeys.get(uid));
        assert_eq!(Some(&n.active), mg.active.get(uid));
        assert_eq!(Some(&n.validator_permit), mg.validator_permit.get(uid));
        assert_eq!(Some(&n.last_update), mg.last_update.get(uid));
        assert_eq!(Some(&n.emission), mg.emission.get(uid));
        assert_eq!(Some(&n.dividends), mg.dividends.get(uid));
        assert_eq!(Some(&n.incentive), mg.incentives.get(uid));
        assert_eq!(Some(&n.consensus), mg.consensus.get(uid));
        assert_eq!(Some(&n.axon_info), mg.axons.get(uid));
        // Since dTAO the single stake entry is (coldkey, own alpha): the metagraph's alpha_stake
        // adds inherited stake, so only the coldkey is compared.
        assert_eq!(n.stake.first().map(|s| s.0), Some(n.coldkey));
    }
}

/// Positions to cut at or mutate: every byte of small inputs, an even spread plus both ends of
/// large ones (the SN1 captures are ~200 KB; every prefix would be quadratic, and the tests run
/// unoptimised).
fn positions(len: usize) -> Vec<usize> {
    if len <= 4096 {
        return (0..len).collect();
    }
    let step = len / 256;
    let mut p: Vec<usize> = (0..len).step_by(step.max(1)).collect();
    p.extend(0..64);
    p.extend(len.saturating_sub(64)..len);
    p.sort_unstable();
    p.dedup();
    p
}

#[test]
fn truncated_fixtures_are_errors() {
    for s in all_samples() {
        for cut in positions(s.bytes.len()) {
            let prefix = s.bytes.get(..cut).expect("cut within bounds");
            match decode_type(&s.type_name, prefix, s.wrapping) {
                // SCALE is self-delimiting: no proper prefix of a valid encoding decodes fully.
                Ok(_) if !s.negative => panic!("{}: prefix of {cut} bytes decoded", s.label),
                Ok(_) => {}
                Err(e) => assert!(
                    matches!(
                        e.code,
                        ErrorCode::Decode | ErrorCode::TrailingBytes | ErrorCode::DecodeLimit
                    ),
                    "{}: cut {cut}: {e}",
                    s.label
                ),
            }
        }
    }
}

#[test]
fn extended_fixtures_are_trailing_bytes() {
    for s in all_samples().into_iter().filter(|s| !s.negative) {
        for extra in [&[0u8][..], &[1, 2, 3], &[0xff; 40]] {
            let mut b = s.bytes.clone();
            b.extend_from_slice(extra);
            let e = decode_type(&s.type_name, &b, s.wrapping)
                .err()
                .unwrap_or_else(|| panic!("{}: {} extra bytes accepted", s.label, extra.len()));
            assert_eq!(e.code, ErrorCode::TrailingBytes, "{}: {e}", s.label);
            let end = if s.wrapping == Wrapping::VecU8 {
                None
            } else {
                Some(s.bytes.len())
            };
            if let Some(end) = end {
                assert_eq!(
                    e.offset,
                    Some(end),
                    "{}: offset of the first extra byte",
                    s.label
                );
            }
        }
    }
}

/// A small xorshift so the mutations are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n.max(1) as u64)) as usize
    }
}

#[test]
fn bit_flipped_fixtures_never_panic_and_stay_canonical() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for s in all_samples() {
        if s.bytes.is_empty() {
            continue;
        }
        let tries = if s.bytes.len() > 4096 {
            100
        } else {
            s.bytes.len().min(600)
        };
        for _ in 0..tries {
            let mut b = s.bytes.clone();
            let i = rng.below(b.len());
            if let Some(x) = b.get_mut(i) {
                *x ^= 1 << rng.below(8);
            }
            match decode_type(&s.type_name, &b, s.wrapping) {
                Ok(d) if s.wrapping != Wrapping::VecU8 => {
                    assert_eq!(
                        d.encode(),
                        b,
                        "{}: flip at {i} decoded non-canonically",
                        s.label
                    )
                }
                Ok(_) => {}
                Err(e) => {
                    assert!(
                        matches!(
                            e.code,
                            ErrorCode::Decode | ErrorCode::TrailingBytes | ErrorCode::DecodeLimit
                        ),
                        "{}: {e}",
                        s.label
                    );
                    assert!(
                        e.offset.is_some_and(|o| o <= b.len()),
                        "{}: offset {:?}",
                        s.label,
                        e.offset
                    );
                }
            }
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(42);
    let types = [
        "Option<Metagraph>",
        "Option<SubnetState>",
        "Vec<NeuronInfo>",
        "Vec<NeuronInfoLite>",
        "Option<SelectiveMetagraph>",
        "Vec<Option<DynamicInfo>>",
        "Option<Vec<HyperparamEntry>>",
        "Vec<Option<SubnetInfov2>>",
        "Option<SubnetHyperparamsV2>",
        "Vec<(DelegateInfo,(Compact<u16>,Compact<u64>))>",
        "BTreeMap<AccountId32,BTreeMap<u16,StakeAvailability>>",
        "Vec<(AccountId32,Vec<StakeInfo>)>",
        "Header",
        "Option<LockState>",
    ];
    for ty in types {
        for len in [0usize, 1, 2, 5, 33, 100, 1000] {
            for _ in 0..200 {
                let b: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                if let Ok(d) = decode_type(ty, &b, Wrapping::Raw) {
                    assert_eq!(d.encode(), b, "{ty}: random input decoded non-canonically");
                }
                let _ = decode_type(ty, &b, Wrapping::VecU8);
            }
        }
    }
}

#[test]
fn errors_name_type_field_and_offset() {
    let bytes = hex_bytes(&load("finney_b6852344_sn1_metagraph.json"));
    let cut = bytes.len() / 2;
    let e = decode_type(
        "Option<Metagraph>",
        bytes.get(..cut).expect("half"),
        Wrapping::Raw,
    )
    .expect_err("truncated");
    assert_eq!(e.code, ErrorCode::Decode);
    assert!(e.message.starts_with("Option<Metagraph>:"), "{e}");
    assert!(
        e.field.as_deref().is_some_and(|f| !f.is_empty()),
        "field path {:?}",
        e.field
    );
    assert!(e.offset.is_some_and(|o| o <= cut), "{e}");

    // An invalid bool inside the per-UID `active` vector.
    let mut flipped = bytes.clone();
    let mg = decode_type("Option<Metagraph>", &bytes, Wrapping::Raw).expect("decodes");
    let mg = mg
        .get::<Option<Metagraph>>()
        .and_then(Option::as_ref)
        .expect("Some");
    let active_at = find_bool_vector(&bytes, &mg.active).expect("active vector located");
    if let Some(b) = flipped.get_mut(active_at + 3) {
        *b = 7;
    }
    let e = decode_type("Option<Metagraph>", &flipped, Wrapping::Raw).expect_err("bad bool");
    assert_eq!(e.code, ErrorCode::Decode);
    assert_eq!(e.offset, Some(active_at + 3));
    assert_eq!(e.field.as_deref(), Some("active[3]"));
}

/// The offset of the first element of an encoded `Vec<bool>` equal to `v` (after its 2-byte
/// compact length for 64 <= len < 16384).
fn find_bool_vector(bytes: &[u8], v: &[bool]) -> Option<usize> {
    let mut enc = Vec::new();
    let n = u16::try_from(v.len()).ok()?;
    enc.extend_from_slice(&((n << 2) | 1).to_le_bytes());
    enc.extend(v.iter().map(|b| u8::from(*b)));
    bytes
        .windows(enc.len())
        .position(|w| w == enc.as_slice())
        .map(|p| p + 2)
}

#[test]
fn allocation_and_depth_limits_are_decode_limit() {
    let bytes = hex_bytes(&load("finney_b6852344_sn1_metagraph.json"));
    let tight = Limits {
        max_depth: 64,
        max_alloc_bytes: 10_000,
    };
    let e = decode_type_with_limits("Option<Metagraph>", &bytes, Wrapping::Raw, tight)
        .expect_err("limit");
    assert_eq!(e.code, ErrorCode::DecodeLimit, "{e}");
    let shallow = Limits {
        max_depth: 2,
        max_alloc_bytes: 1 << 30,
    };
    let e = decode_type_with_limits("Option<Metagraph>", &bytes, Wrapping::Raw, shallow)
        .expect_err("depth");
    assert_eq!(e.code, ErrorCode::DecodeLimit, "{e}");
    // A hostile length prefix (2^30 - 1 elements, no body) is refused before allocating.
    let e = decode_type("Vec<NeuronInfo>", &[0xfe, 0xff, 0xff, 0xff], Wrapping::Raw)
        .expect_err("length");
    assert_eq!(e.code, ErrorCode::Decode);
}

#[test]
fn negative_fixtures_are_rejected() {
    let samples: Vec<FixtureSample> = all_samples().into_iter().filter(|s| s.negative).collect();
    assert_eq!(samples.len(), 4);
    for s in samples {
        for ty in [
            "NeuronInfo",
            "NeuronInfoLite",
            "Vec<NeuronInfo>",
            "Vec<NeuronInfoLite>",
        ] {
            assert!(
                decode_type(ty, &s.bytes, Wrapping::Raw).is_err(),
                "{} accepted as {ty}",
                s.label
            );
        }
    }
}
