//! Storage captures: raw chain storage at one block, the format every replay, snapshot download
//! and test uses (issue 13, item 2).
//!
//! ```json
//! {"chain": "finney", "block": 9221719, "block_hash": "0x…", "spec_version": 473,
//!  "storage": {"0x<full key>": "0x<value>", "0x<key>": null},
//!  "runtime_api": [{"method": "SwapRuntimeApi_current_alpha_price", "args_hex": "0x0100", "result": "0x…"}]}
//! ```
//!
//! A key mapped to `null` is absent on chain (the item's storage default applies); a key not
//! listed was not captured. A map read whole by prefix (the payout's `SubnetLeaseShares[id]`
//! and a lease coldkey's `Lock` entries) counts as captured when the capture holds an entry
//! under the prefix, or the bare prefix itself mapped to `null` (an empty map: no value lives at
//! a map's prefix on chain); otherwise the prefix is listed as missing. [`Reader`] is the read plan: it reads items by name through the
//! engine's key table ([`super::storage`]) and records every input it needs but the capture lacks,
//! by item, arguments and key ([`Missing`]). It never substitutes a default for an uncaptured key.

use super::hex;
use super::snapshot::{normalise_map, render_args, Store};
use super::storage::{KeyArg, StorageItem};
use crate::error::{Error, ErrorCode, Result};
use std::collections::BTreeMap;

/// A captured entry under a prefix: the key's tail after the prefix and the value (`None`:
/// absent on chain).
pub type Entry = (Vec<u8>, Option<Vec<u8>>);

/// One captured runtime-API call (`state_call`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApiCall {
    /// `<Trait>_<method>`, e.g. `SwapRuntimeApi_sim_swap_tao_for_alpha`.
    pub method: String,
    /// SCALE-encoded arguments, `0x` hex.
    pub args_hex: String,
    /// SCALE result, `0x` hex.
    pub result: String,
}

/// Raw storage at one block.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Capture {
    /// Network name (`finney`, `testnet`, `local`).
    pub chain: String,
    /// Block number.
    pub block: u64,
    /// Block hash, `0x` hex.
    pub block_hash: String,
    /// Runtime `specVersion` at the block.
    pub spec_version: u32,
    /// Full storage key → SCALE value (`None`: absent on chain), normalised lower-case `0x` hex.
    pub storage: BTreeMap<String, Option<String>>,
    /// Runtime-API results captured at the block.
    #[serde(default)]
    pub runtime_api: Vec<ApiCall>,
}

/// An input a computation needs that the capture does not hold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Missing {
    /// `Pallet.Item`.
    pub item: String,
    /// The map keys, rendered (`[1]`, `[1,0x…]`); empty for a plain value.
    pub args: String,
    /// The full storage key (or key prefix, for a map read by prefix), `0x` hex.
    pub key: String,
}

impl core::fmt::Display for Missing {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}{} (key {})", self.item, self.args, self.key)
    }
}

impl Capture {
    /// Parse and validate a capture: the block hash and every key and value must be `0x` hex
    /// (`INVALID_HEX`, naming the key); `block`, `spec_version` and `storage` are required (`INVALID_JSON`).
    pub fn from_json(text: &str) -> Result<Capture> {
        let mut c: Capture = serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorCode::InvalidJson, format!("capture: {e}")))?;
        c.storage = normalise_map(&c.storage, "storage")?;
        let hash = hex::decode(&c.block_hash).map_err(|e| e.with_field("block_hash"))?;
        c.block_hash = hex::encode(&hash);
        for (i, call) in c.runtime_api.iter_mut().enumerate() {
            for (what, v) in [
                ("args_hex", &mut call.args_hex),
                ("result", &mut call.result),
            ] {
                let b =
                    hex::decode(v).map_err(|e| e.with_field(format!("runtime_api[{i}].{what}")))?;
                *v = hex::encode(&b);
            }
        }
        Ok(c)
    }

    /// The capture as pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("capture: {e}")))
    }

    /// Record a key's value (`None`: absent on chain).
    pub fn insert(&mut self, key: &[u8], value: Option<&[u8]>) {
        self.storage
            .insert(hex::encode(key), value.map(hex::encode));
    }

    /// Captured runtime-API calls of `method` (with their decoded args and results).
    pub fn calls(&self, method: &str) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.runtime_api
            .iter()
            .filter(|c| c.method == method)
            .map(|c| Ok((hex::decode(&c.args_hex)?, hex::decode(&c.result)?)))
            .collect()
    }

    /// Every captured entry whose key starts with `prefix`: `(key tail after the prefix, value)`.
    pub fn with_prefix(&self, prefix: &[u8]) -> Result<Vec<Entry>> {
        let p = hex::encode(prefix);
        self.storage
            .range(p.clone()..)
            .take_while(|(k, _)| k.starts_with(&p))
            .map(|(k, v)| {
                let key = hex::decode(k)?;
                let tail = key.get(prefix.len()..).unwrap_or_default().to_vec();
                let val = v.as_deref().map(hex::decode).transpose()?;
                Ok((tail, val))
            })
            .collect()
    }
}

/// Reads a capture's storage item by item and collects what is missing.
pub struct Reader<'a> {
    capture: &'a Capture,
    store: Store<'a>,
    /// Inputs asked for but not captured, in request order.
    pub missing: Vec<Missing>,
}

impl<'a> Reader<'a> {
    /// A reader over `capture`.
    pub fn new(capture: &'a Capture) -> Self {
        Reader {
            capture,
            store: Store::new(&capture.storage),
            missing: Vec::new(),
        }
    }

    /// The capture read.
    pub fn capture(&self) -> &'a Capture {
        self.capture
    }

    /// The raw read: `None` when not captured (recorded in [`Reader::missing`]), `Some(None)`
    /// when absent on chain, `Some(Some(bytes))` otherwise.
    pub fn raw(&mut self, it: &StorageItem, args: &[KeyArg]) -> Result<Option<Option<Vec<u8>>>> {
        let key = it.key(args)?;
        let got = self.store.raw(&key)?;
        if got.is_none() {
            self.missing.push(Missing {
                item: format!("{}.{}", it.pallet, it.name),
                args: render_args(args),
                key: hex::encode(&key),
            });
        }
        Ok(got)
    }

    /// The value's bytes with the storage default applied to an absent key (`Some(None)` for an
    /// absent option-query key); `None` when not captured.
    pub fn bytes(&mut self, it: &StorageItem, args: &[KeyArg]) -> Result<Option<Option<Vec<u8>>>> {
        Ok(self
            .raw(it, args)?
            .map(|v| v.or_else(|| it.default_bytes())))
    }

    /// Whether the capture holds the key at all (value or `null`), without recording it.
    pub fn captured(&self, it: &StorageItem, args: &[KeyArg]) -> Result<bool> {
        Ok(self
            .capture
            .storage
            .contains_key(&hex::encode(&it.key(args)?)))
    }

    /// Record a map read by prefix (the capture must hold the whole map under `prefix`).
    pub fn note_prefix(&mut self, item: &str, args: &[KeyArg], prefix: &[u8]) {
        self.missing.push(Missing {
            item: item.to_string(),
            args: render_args(args),
            key: hex::encode(prefix),
        });
    }

    /// `MISSING_FIELD` listing every missing input, when there is one.
    pub fn finish(&self) -> Result<()> {
        if self.missing.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = self.missing.iter().map(|m| m.to_string()).collect();
        Err(Error::field(
            ErrorCode::MissingField,
            "storage",
            format!(
                "the capture lacks {} input(s): {}",
                list.len(),
                list.join("; ")
            ),
        ))
    }
}

/// Decode a fixed-size little-endian value, naming the item on error.
pub fn le_bytes<const N: usize>(bytes: &[u8], item: &str) -> Result<[u8; N]> {
    bytes.try_into().map_err(|_| {
        Error::field(
            ErrorCode::Decode,
            item,
            format!("{item}: expected {N} bytes, got {}", bytes.len()),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::chain::storage::item_named;

    const DOC: &str = r#"{"chain": "finney", "block": 5, "block_hash": "0xAB", "spec_version": 473,
        "storage": {"0x01AB": "0x0A00", "0x02": null},
        "runtime_api": [{"method": "M", "args_hex": "0x0100", "result": "0xFF"}]}"#;

    #[test]
    fn parses_normalises_and_round_trips() {
        let c = Capture::from_json(DOC).unwrap();
        assert_eq!(c.storage.get("0x01ab"), Some(&Some("0x0a00".into())));
        assert_eq!(c.storage.get("0x02"), Some(&None));
        assert_eq!(c.calls("M").unwrap(), vec![(vec![1, 0], vec![0xff])]);
        assert_eq!(Capture::from_json(&c.to_json().unwrap()).unwrap(), c);
        assert_eq!(
            c.with_prefix(&[1]).unwrap(),
            vec![(vec![0xab], Some(vec![10, 0]))]
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        assert_eq!(
            Capture::from_json("{").unwrap_err().code,
            ErrorCode::InvalidJson
        );
        assert_eq!(
            Capture::from_json(r#"{"chain":"x","block_hash":"0x","spec_version":1,"storage":{}}"#)
                .unwrap_err()
                .code,
            ErrorCode::InvalidJson
        );
        let bad = DOC.replace("0x0A00", "0xZZ");
        assert_eq!(
            Capture::from_json(&bad).unwrap_err().code,
            ErrorCode::InvalidHex
        );
    }

    #[test]
    fn absent_uses_the_default_and_uncaptured_is_missing() {
        let tempo = item_named("Tempo").unwrap();
        let mut c = Capture::from_json(DOC).unwrap();
        c.insert(&tempo.key(&[KeyArg::U16(1)]).unwrap(), None);
        let mut r = Reader::new(&c);
        assert_eq!(
            r.bytes(tempo, &[KeyArg::U16(1)]).unwrap(),
            Some(Some(360u16.to_le_bytes().to_vec()))
        );
        assert!(r.missing.is_empty());
        assert_eq!(r.bytes(tempo, &[KeyArg::U16(2)]).unwrap(), None);
        assert_eq!(r.missing.len(), 1);
        assert_eq!(r.missing[0].item, "SubtensorModule.Tempo");
        assert_eq!(r.missing[0].args, "[2]");
        let e = r.finish().unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingField);
        assert!(e.message.contains("SubtensorModule.Tempo[2]"));
    }
}
