//! Epoch snapshots: everything one subnet epoch reads, captured at the parent of the epoch block,
//! plus the outputs the chain persisted at that block (spec `chain-data.md` sections 4 and 5).
//!
//! A snapshot is a versioned JSON document holding raw storage (`0x` key -> `0x` SCALE value, or
//! `null` for an absent key) exactly as `state_queryStorageAt` returns it, so it can be checked
//! and re-decoded by anyone. [`Snapshot::plan`] says which keys are still missing (a pure
//! function: the JS side fetches them with the RPC client and calls it again until nothing is
//! missing); [`Snapshot::epoch_inputs`] turns the storage into the consensus engine's
//! [`EpochInput`](crate::consensus::EpochInput)s the way the chain reads them
//! (`snapshot_read.rs`; ports of subtensor `epoch/run_epoch.rs` input gathering and
//! `staking/stake_utils.rs` stake inheritance @ 14bc6f9).

use super::hex;
use super::scale::{decode_all, Codec};
use super::storage::{item_named, KeyArg};
use crate::error::{Error, ErrorCode, Result};
use std::collections::BTreeMap;

/// The `format` tag of a snapshot file.
pub const SNAPSHOT_FORMAT: &str = "tao-engine/epoch-snapshot";
/// The current snapshot `version`.
pub const SNAPSHOT_VERSION: u32 = 1;

/// Where a snapshot comes from (informational; shown to the user).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SnapshotSource {
    /// `rpc` (fetched from a node), `fixture` (captured response), `yuma-vector` (built from a
    /// chain unit-test scenario) or `manual`.
    pub kind: String,
    /// Human-readable description.
    pub description: String,
    /// The endpoint it was fetched from, when `kind` is `rpc`.
    pub endpoint: Option<String>,
    /// Where the data comes from (repository, file, test name).
    pub provenance: Option<String>,
}

/// A captured runtime-API call (`state_call`), e.g. the metagraph shown next to the replay.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RuntimeCall {
    /// `<Trait>_<method>`, e.g. `SubnetInfoRuntimeApi_get_metagraph`.
    pub method: String,
    /// SCALE-encoded arguments, `0x` hex.
    pub args: String,
    /// Result type name for [`decode_type`](super::decode_type), e.g. `Option<Metagraph>`.
    pub result_type: String,
    /// SCALE result, `0x` hex.
    pub result: String,
}

/// One subnet epoch's data. Serialized as camelCase JSON; u64 amounts that can exceed 2^53 are
/// decimal strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Snapshot {
    /// Always [`SNAPSHOT_FORMAT`].
    pub format: String,
    /// Always [`SNAPSHOT_VERSION`].
    pub version: u32,
    /// Provenance.
    pub source: SnapshotSource,
    /// Subnet.
    pub netuid: u16,
    /// The epoch block B (inputs are read at its parent, outputs at B).
    pub block: u64,
    /// Runtime `specVersion` at B, when known (the replay follows spec >= 423 rules).
    pub spec_version: Option<u32>,
    /// Hash of B, when fetched.
    pub block_hash: Option<String>,
    /// Hash of B's parent, when fetched.
    pub parent_hash: Option<String>,
    /// Rao handed to the epoch, decimal. Absent: the pending emissions drained at B, read at the
    /// parent (this misses block B's own accrual, so emission amounts are then approximate).
    pub emission: Option<String>,
    /// Storage at B's parent: key -> value (`null` = absent).
    pub inputs: BTreeMap<String, Option<String>>,
    /// Storage at B: key -> value (`null` = absent).
    pub outputs: BTreeMap<String, Option<String>>,
    /// Runtime-API results captured with the snapshot.
    pub runtime_calls: Vec<RuntimeCall>,
}

/// Which storage a [`Plan`] step reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    /// Inputs, read at the parent of the epoch block.
    Inputs,
    /// Outputs, read at the epoch block.
    Outputs,
    /// Nothing left to read.
    Done,
}

/// The next batch of storage keys to read (see [`Snapshot::plan`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// What the keys are for (and so at which block to read them).
    pub phase: Phase,
    /// `0x` keys, in the order the chain's epoch reads them; empty when `phase` is `Done`.
    pub keys: Vec<String>,
    /// How many keys the snapshot holds so far (inputs + outputs), for progress displays.
    pub known: usize,
}

impl Snapshot {
    /// An empty snapshot of `netuid` at epoch block `block`.
    pub fn new(netuid: u16, block: u64) -> Snapshot {
        Snapshot {
            format: SNAPSHOT_FORMAT.to_string(),
            version: SNAPSHOT_VERSION,
            netuid,
            block,
            ..Default::default()
        }
    }

    /// Parse and check a snapshot file: JSON (`INVALID_JSON`), format and version
    /// (`UNSUPPORTED`), hex of every key and value (`INVALID_HEX`, field names the entry), and
    /// the emission (`INVALID_TYPE`). Keys and values are normalised to lower case.
    pub fn from_json(text: &str) -> Result<Snapshot> {
        let mut s: Snapshot = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::InvalidJson,
                format!("snapshot: {e} (line {}, column {})", e.line(), e.column()),
            )
        })?;
        if s.format != SNAPSHOT_FORMAT {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "format",
                format!("{:?} is not {SNAPSHOT_FORMAT:?}", s.format),
            ));
        }
        if s.version != SNAPSHOT_VERSION {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "version",
                format!(
                    "snapshot version {} (this engine reads {SNAPSHOT_VERSION})",
                    s.version
                ),
            ));
        }
        s.inputs = normalise_map(&s.inputs, "inputs")?;
        s.outputs = normalise_map(&s.outputs, "outputs")?;
        for (i, c) in s.runtime_calls.iter_mut().enumerate() {
            c.args = hex::encode(
                &hex::decode(&c.args)
                    .map_err(|e| e.with_field(format!("runtimeCalls[{i}].args")))?,
            );
            c.result = hex::encode(
                &hex::decode(&c.result)
                    .map_err(|e| e.with_field(format!("runtimeCalls[{i}].result")))?,
            );
        }
        s.emission_override()?;
        Ok(s)
    }

    /// Pretty JSON (stable key order).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("snapshot serialization: {e}")))
    }

    /// The stated emission, if any.
    pub fn emission_override(&self) -> Result<Option<u64>> {
        match &self.emission {
            None => Ok(None),
            Some(t) => t.trim().parse::<u64>().map(Some).map_err(|_| {
                Error::field(
                    ErrorCode::InvalidType,
                    "emission",
                    format!("{t:?} is not a u64 decimal"),
                )
            }),
        }
    }

    /// Record fetched values of `phase` (`value` `None` = absent key).
    pub fn insert(&mut self, phase: Phase, key: &str, value: Option<&str>) -> Result<()> {
        let k = hex::encode(&hex::decode(key).map_err(|e| e.with_field("key"))?);
        let v = match value {
            Some(v) => Some(hex::encode(
                &hex::decode(v).map_err(|e| e.with_field(k.clone()))?,
            )),
            None => None,
        };
        match phase {
            Phase::Inputs => self.inputs.insert(k, v),
            Phase::Outputs => self.outputs.insert(k, v),
            Phase::Done => {
                return Err(Error::field(
                    ErrorCode::InvalidType,
                    "phase",
                    "no storage for phase done",
                ))
            }
        };
        Ok(())
    }
}

pub(crate) fn normalise_map(
    m: &BTreeMap<String, Option<String>>,
    what: &str,
) -> Result<BTreeMap<String, Option<String>>> {
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let key = hex::encode(&hex::decode(k).map_err(|e| e.with_field(format!("{what}[{k}]")))?);
        let val = match v {
            Some(v) => Some(hex::encode(
                &hex::decode(v).map_err(|e| e.with_field(format!("{what}[{k}]")))?,
            )),
            None => None,
        };
        out.insert(key, val);
    }
    Ok(out)
}

/// Read access to a snapshot's storage map that records the keys it lacks.
pub(crate) struct Store<'a> {
    map: &'a BTreeMap<String, Option<String>>,
    /// Keys asked for but not in the map, in request order, without repeats.
    pub missing: Vec<String>,
    seen: std::collections::BTreeSet<String>,
}

impl<'a> Store<'a> {
    pub(crate) fn new(map: &'a BTreeMap<String, Option<String>>) -> Self {
        Store {
            map,
            missing: Vec::new(),
            seen: Default::default(),
        }
    }

    /// Whether any key was missing so far.
    pub(crate) fn pending(&self) -> bool {
        !self.missing.is_empty()
    }

    /// `None`: not fetched yet (recorded); `Some(None)`: absent on chain; `Some(Some(bytes))`.
    pub(crate) fn raw(&mut self, key: &[u8]) -> Result<Option<Option<Vec<u8>>>> {
        let k = hex::encode(key);
        match self.map.get(&k) {
            None => {
                if self.seen.insert(k.clone()) {
                    self.missing.push(k);
                }
                Ok(None)
            }
            Some(None) => Ok(Some(None)),
            Some(Some(v)) => hex::decode(v)
                .map(|b| Some(Some(b)))
                .map_err(|e| e.with_field(k)),
        }
    }

    /// Read an item as codec `C`. Absent `ValueQuery` keys give the item's default; absent
    /// `OptionQuery` keys give `None`. A key not fetched yet is recorded and reads as absent.
    pub(crate) fn item<C: Codec>(
        &mut self,
        name: &str,
        args: &[KeyArg],
    ) -> Result<Option<C::Value>> {
        let it = item_named(name)
            .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))?;
        let key = it.key(args)?;
        let field = || format!("{name}{}", render_args(args));
        let bytes = match self.raw(&key)? {
            Some(Some(b)) => Some(b),
            _ => it.default_bytes(),
        };
        match bytes {
            Some(b) => decode_all::<C>(&b).map(Some).map_err(|e| Error {
                message: format!("{}: {}", field(), e.message),
                field: Some(field()),
                ..e
            }),
            None => Ok(None),
        }
    }

    /// A map read by prefix (`iter_prefix`): every `(key, value)` under `prefix` with a value on
    /// chain, in key order. The map shows that it holds the whole prefix by an entry at the bare
    /// prefix (mapped to `null`: no value lives there on chain) or by any entry under it; when it
    /// holds neither, the prefix is recorded as missing and the read is `None`.
    pub(crate) fn prefix_entries(
        &mut self,
        prefix: &[u8],
    ) -> Result<Option<Vec<(Vec<u8>, Vec<u8>)>>> {
        let p = hex::encode(prefix);
        let mut whole = false;
        let mut out = Vec::new();
        for (k, v) in self.map.range(p.clone()..) {
            if !k.starts_with(&p) {
                break;
            }
            whole = true;
            if let Some(v) = v.as_deref().filter(|_| k.len() > p.len()) {
                out.push((
                    hex::decode(k)?,
                    hex::decode(v).map_err(|e| e.with_field(k.clone()))?,
                ));
            }
        }
        if !whole {
            if self.seen.insert(p.clone()) {
                self.missing.push(p);
            }
            return Ok(None);
        }
        Ok(Some(out))
    }

    /// Whether the key exists on chain (`Some(false)` absent; `None` not fetched yet).
    pub(crate) fn exists(&mut self, name: &str, args: &[KeyArg]) -> Result<Option<bool>> {
        let it = item_named(name)
            .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))?;
        Ok(self.raw(&it.key(args)?)?.map(|v| v.is_some()))
    }
}

/// `[a, b]` for error paths.
pub(crate) fn render_args(args: &[KeyArg]) -> String {
    let parts: Vec<String> = args
        .iter()
        .map(|a| match a {
            KeyArg::U8(v) => v.to_string(),
            KeyArg::U16(v) => v.to_string(),
            KeyArg::U32(v) => v.to_string(),
            KeyArg::U64(v) => v.to_string(),
            KeyArg::Account(a) => a.to_hex(),
        })
        .collect();
    format!("[{}]", parts.join(","))
}

/// The storage key of `name` with `args`, as `0x` hex.
pub fn storage_key_hex(name: &str, args: &[KeyArg]) -> Result<String> {
    let it = item_named(name).ok_or_else(|| {
        Error::field(
            ErrorCode::Unsupported,
            "item",
            format!("no storage item {name:?}"),
        )
    })?;
    Ok(hex::encode(&it.key(args)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_and_errors() {
        let mut s = Snapshot::new(3, 100);
        s.insert(Phase::Inputs, "0xABCD", Some("0x0A00")).unwrap();
        s.insert(Phase::Outputs, "0x01", None).unwrap();
        s.emission = Some("1000".into());
        let back = Snapshot::from_json(&s.to_json().unwrap()).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.inputs.get("0xabcd"), Some(&Some("0x0a00".to_string())));
        assert_eq!(
            Snapshot::from_json("{").unwrap_err().code,
            ErrorCode::InvalidJson
        );
        let wrong = s.to_json().unwrap().replace(SNAPSHOT_FORMAT, "other");
        assert_eq!(
            Snapshot::from_json(&wrong).unwrap_err().field.as_deref(),
            Some("format")
        );
        let v2 = s
            .to_json()
            .unwrap()
            .replace("\"version\": 1", "\"version\": 2");
        assert_eq!(
            Snapshot::from_json(&v2).unwrap_err().field.as_deref(),
            Some("version")
        );
        let bad_hex = s.to_json().unwrap().replace("0x0a00", "0xzz");
        assert_eq!(
            Snapshot::from_json(&bad_hex).unwrap_err().code,
            ErrorCode::InvalidHex
        );
        let bad_em = s.to_json().unwrap().replace("\"1000\"", "\"-1\"");
        assert_eq!(
            Snapshot::from_json(&bad_em).unwrap_err().field.as_deref(),
            Some("emission")
        );
    }

    #[test]
    fn plan_starts_with_subnet_items_and_grows_with_n() {
        let s = Snapshot::new(1, 1000);
        let p = s.plan().unwrap();
        assert_eq!(p.phase, Phase::Inputs);
        let n_key = storage_key_hex("SubnetworkN", &[KeyArg::U16(1)]).unwrap();
        assert_eq!(p.keys.first(), Some(&n_key));
        // Nothing per uid can be asked before n is known.
        let keys_prefix = hex::encode(&item_named("Keys").unwrap().prefix());
        assert!(!p.keys.iter().any(|k| k.starts_with(&keys_prefix)));
    }
}
