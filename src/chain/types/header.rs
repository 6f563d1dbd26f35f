//! Block headers: `Header<u32, BlakeTwo256>` and its digest items (substrate
//! `sp-runtime/src/generic/header.rs`, `digest.rs`). The block hash is blake2b-256 of the SCALE
//! header: `parentHash ++ Compact(number) ++ stateRoot ++ extrinsicsRoot ++ Vec<DigestItem>`.

use crate::chain::hashing::blake2_256;
use crate::chain::scale::{Bytes, Codec, Reader};
use crate::chain::types::H256;
use crate::error::{Error, ErrorCode, Result};
use parity_scale_codec::Compact;

#[cfg(feature = "render")]
use crate::chain::render::RenderOpts;
#[cfg(feature = "render")]
use serde_json::Value;

/// A digest log item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestItem {
    /// 0: opaque.
    Other(Vec<u8>),
    /// 4: consensus message `(engine id, data)`.
    Consensus([u8; 4], Vec<u8>),
    /// 5: seal `(engine id, signature)`.
    Seal([u8; 4], Vec<u8>),
    /// 6: pre-runtime digest `(engine id, data)` (e.g. Aura slot).
    PreRuntime([u8; 4], Vec<u8>),
    /// 8: runtime code or heap pages changed.
    RuntimeEnvironmentUpdated,
}

impl DigestItem {
    /// The variant byte.
    pub fn kind_byte(&self) -> u8 {
        match self {
            DigestItem::Other(_) => 0,
            DigestItem::Consensus(..) => 4,
            DigestItem::Seal(..) => 5,
            DigestItem::PreRuntime(..) => 6,
            DigestItem::RuntimeEnvironmentUpdated => 8,
        }
    }

    /// The consensus engine id (`aura`, `FRNK`, ...), when the variant has one.
    pub fn engine(&self) -> Option<[u8; 4]> {
        match self {
            DigestItem::Consensus(e, _) | DigestItem::Seal(e, _) | DigestItem::PreRuntime(e, _) => {
                Some(*e)
            }
            _ => None,
        }
    }
}

impl Codec for DigestItem {
    type Value = DigestItem;
    const MIN_LEN: usize = 1;
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        let at = r.position();
        Ok(match r.byte()? {
            0 => DigestItem::Other(Bytes::decode(r)?),
            4 => DigestItem::Consensus(r.array::<4>()?, Bytes::decode(r)?),
            5 => DigestItem::Seal(r.array::<4>()?, Bytes::decode(r)?),
            6 => DigestItem::PreRuntime(r.array::<4>()?, Bytes::decode(r)?),
            8 => DigestItem::RuntimeEnvironmentUpdated,
            b => {
                return Err(Error::new(
                    ErrorCode::Decode,
                    format!("unknown DigestItem variant {b}"),
                )
                .at_offset(at))
            }
        })
    }
    fn encode_to(v: &Self, out: &mut Vec<u8>) {
        out.push(v.kind_byte());
        match v {
            DigestItem::Other(d) => Bytes::encode_to(d, out),
            DigestItem::Consensus(e, d) | DigestItem::Seal(e, d) | DigestItem::PreRuntime(e, d) => {
                out.extend_from_slice(e);
                Bytes::encode_to(d, out);
            }
            DigestItem::RuntimeEnvironmentUpdated => {}
        }
    }
    /// `{"PreRuntime": {"engine": "aura", "data": "0x.."}}`, `{"Other": "0x.."}`.
    #[cfg(feature = "render")]
    fn render(v: &Self, _opts: &RenderOpts) -> Value {
        use crate::chain::hex;
        let name = match v {
            DigestItem::Other(_) => "Other",
            DigestItem::Consensus(..) => "Consensus",
            DigestItem::Seal(..) => "Seal",
            DigestItem::PreRuntime(..) => "PreRuntime",
            DigestItem::RuntimeEnvironmentUpdated => "RuntimeEnvironmentUpdated",
        };
        let inner = match v {
            DigestItem::Other(d) => Value::String(hex::encode(d)),
            DigestItem::Consensus(e, d) | DigestItem::Seal(e, d) | DigestItem::PreRuntime(e, d) => {
                let mut m = serde_json::Map::new();
                m.insert("engine".into(), crate::chain::render::text(e));
                m.insert("data".into(), Value::String(hex::encode(d)));
                Value::Object(m)
            }
            DigestItem::RuntimeEnvironmentUpdated => Value::Null,
        };
        let mut m = serde_json::Map::new();
        m.insert(name.into(), inner);
        Value::Object(m)
    }
}

scale_struct! {
    /// A block header (`Header<u32, BlakeTwo256>`).
    pub struct Header {
        /// Parent block hash.
        pub parent_hash: H256 as H256,
        /// Block number (compact).
        pub number: u32 as Compact<u32>,
        /// State trie root.
        pub state_root: H256 as H256,
        /// Extrinsics trie root.
        pub extrinsics_root: H256 as H256,
        /// Digest logs.
        pub digest: Vec<DigestItem> as Vec<DigestItem>,
    }
}

impl Header {
    /// The SCALE encoding.
    pub fn encode(&self) -> Vec<u8> {
        crate::chain::scale::encode::<Header>(self)
    }

    /// The block hash: blake2b-256 of the encoding.
    pub fn hash(&self) -> H256 {
        H256(blake2_256(&self.encode()))
    }

    /// Build from the JSON `chain_getHeader` returns (`parentHash`, `number` as hex, `stateRoot`,
    /// `extrinsicsRoot`, `digest.logs` as encoded items).
    #[cfg(feature = "render")]
    pub fn from_rpc_json(v: &Value) -> Result<Header> {
        let s = |k: &str| -> Result<&str> {
            v.get(k)
                .and_then(Value::as_str)
                .ok_or_else(|| Error::field(ErrorCode::MissingField, k, "missing or not a string"))
        };
        let number_hex = s("number")?;
        let digits = number_hex.trim_start_matches("0x");
        let number = u32::from_str_radix(digits, 16)
            .map_err(|e| Error::field(ErrorCode::InvalidHex, "number", e.to_string()))?;
        let logs = v
            .get("digest")
            .and_then(|d| d.get("logs"))
            .and_then(Value::as_array)
            .ok_or_else(|| Error::field(ErrorCode::MissingField, "digest.logs", "missing"))?;
        let mut digest = Vec::with_capacity(logs.len());
        for (i, log) in logs.iter().enumerate() {
            let text = log.as_str().ok_or_else(|| {
                Error::field(
                    ErrorCode::InvalidType,
                    format!("digest.logs[{i}]"),
                    "not a string",
                )
            })?;
            let bytes = crate::chain::hex::decode(text)?;
            digest.push(
                crate::chain::scale::decode_all::<DigestItem>(&bytes)
                    .map_err(|e| e.within(&format!("digest.logs[{i}]")))?,
            );
        }
        Ok(Header {
            parent_hash: H256::from_hex(s("parentHash")?)?,
            number,
            state_root: H256::from_hex(s("stateRoot")?)?,
            extrinsics_root: H256::from_hex(s("extrinsicsRoot")?)?,
            digest,
        })
    }
}
