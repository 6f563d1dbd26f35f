//! Runtime metadata: `RuntimeMetadataPrefixed` V14, V15 and V16, decoded strictly and
//! byte-complete, and flattened into one version-independent [`Metadata`].
//!
//! Port of the layouts in paritytech/frame-metadata `frame-metadata/src/{lib,v14,v15,v16}.rs`
//! (crate `frame-metadata` 23, used here for the decoding itself) and the type registry of
//! paritytech/scale-info `src/portable.rs`. The bytes are what `Metadata_metadata_at_version(n)`
//! (or `state_getMetadata`) returns without its `Option<Vec<u8>>` wrapper: the `"meta"` magic
//! (`0x6d657461`), the version byte, then the metadata.
//!
//! Strictness: versions other than 14, 15 and 16 are `UNSUPPORTED`; every byte must be consumed
//! (`TRAILING_BYTES`); the type registry's ids must be its indexes (so [`Metadata::types`] resolves
//! ids by position); every type id that storage, constants and runtime APIs name must resolve;
//! and the decoded value must re-encode to the input (no non-canonical encodings, e.g. repeated
//! map keys in V16 deprecation information). Allocation and depth are bounded by
//! [`crate::chain::scale::Limits::DEFAULT`].
//!
//! V14 carries no runtime APIs ([`Metadata::apis`] is empty). V16 adds deprecation information,
//! associated types, view functions and the extrinsic `call_ty`; they are decoded and checked but
//! not surfaced.

mod storage;
mod summary;
mod value;

pub use storage::{engine_items_missing, unread_storage, ItemRef};
pub use summary::{
    summarize, ApiSummary, Overview, PalletSummary, RuntimeVersion, Summary, VersionSummary,
};
pub use value::{type_name, Value};

use crate::chain::scale::{leaf, Reader};
use crate::chain::storage::Hasher;
use crate::error::{Error, ErrorCode, Result};
use frame_metadata::v14::{StorageEntryModifier, StorageEntryType, StorageHasher};
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed, META_RESERVED};
use parity_scale_codec::Encode;
use scale_info::form::PortableForm;
use scale_info::PortableRegistry;

/// What an absent storage key reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// `OptionQuery`: `None`.
    Optional,
    /// `ValueQuery`: the entry's `default` bytes.
    Default,
}

/// One storage item of a pallet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageEntry {
    /// Item name (`SubnetworkN`).
    pub name: String,
    /// Absent-key meaning.
    pub modifier: Modifier,
    /// One hasher per map key, outermost first; empty for a plain value.
    pub hashers: Vec<Hasher>,
    /// The declared key type (a tuple when there are several hashers); `None` for a plain value.
    pub key_ty: Option<u32>,
    /// The type of each map key, one per hasher.
    pub key_tys: Vec<u32>,
    /// The value type.
    pub value_ty: u32,
    /// The SCALE encoding of the default value.
    pub default: Vec<u8>,
}

/// One pallet constant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constant {
    /// Constant name (`Version`).
    pub name: String,
    /// Its type.
    pub ty: u32,
    /// Its SCALE encoding.
    pub value: Vec<u8>,
}

/// One pallet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pallet {
    /// Pallet name (`SubtensorModule`).
    pub name: String,
    /// Its index in the runtime (the first byte of its calls and events).
    pub index: u8,
    /// Storage prefix (the pallet name hashed into every key), when it has storage.
    pub storage_prefix: Option<String>,
    /// Storage items in declaration order.
    pub storage: Vec<StorageEntry>,
    /// Constants in declaration order.
    pub constants: Vec<Constant>,
}

/// One runtime-API method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiMethod {
    /// Method name (`get_metagraph`); the `state_call` name is `<Api>_<method>`.
    pub name: String,
    /// Parameter names and types.
    pub inputs: Vec<(String, u32)>,
    /// Result type.
    pub output: u32,
}

/// One runtime API (a trait of `decl_runtime_apis!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeApi {
    /// Trait name (`SubnetInfoRuntimeApi`).
    pub name: String,
    /// Its methods in declaration order.
    pub methods: Vec<ApiMethod>,
}

/// Decoded runtime metadata, the same shape for every version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// 14, 15 or 16.
    pub version: u8,
    /// The type registry every `u32` type id refers to.
    pub types: PortableRegistry,
    /// Pallets in declaration order.
    pub pallets: Vec<Pallet>,
    /// Runtime APIs (none in V14).
    pub apis: Vec<RuntimeApi>,
}

fn hasher(h: &StorageHasher) -> Hasher {
    match h {
        StorageHasher::Blake2_128 => Hasher::Blake2_128,
        StorageHasher::Blake2_256 => Hasher::Blake2_256,
        StorageHasher::Blake2_128Concat => Hasher::Blake2_128Concat,
        StorageHasher::Twox128 => Hasher::Twox128,
        StorageHasher::Twox256 => Hasher::Twox256,
        StorageHasher::Twox64Concat => Hasher::Twox64Concat,
        StorageHasher::Identity => Hasher::Identity,
    }
}

fn invalid(field: &str, why: impl Into<String>) -> Error {
    Error::field(ErrorCode::Decode, field, why)
}

/// The type of each map key: the key type itself for one hasher, the tuple's fields for several.
fn key_types(types: &PortableRegistry, key: u32, hashers: usize, field: &str) -> Result<Vec<u32>> {
    if hashers == 1 {
        return Ok(vec![key]);
    }
    let ty = types
        .resolve(key)
        .ok_or_else(|| invalid(field, format!("unknown key type {key}")))?;
    match &ty.type_def {
        scale_info::TypeDef::Tuple(t) if t.fields.len() == hashers => {
            Ok(t.fields.iter().map(|f| f.id).collect())
        }
        _ => Err(invalid(
            field,
            format!("{hashers} hashers but the key type {key} is not a {hashers}-tuple"),
        )),
    }
}

fn entry(
    types: &PortableRegistry,
    name: &str,
    modifier: &StorageEntryModifier,
    ty: &StorageEntryType<PortableForm>,
    default: &[u8],
    field: &str,
) -> Result<StorageEntry> {
    let modifier = match modifier {
        StorageEntryModifier::Optional => Modifier::Optional,
        StorageEntryModifier::Default => Modifier::Default,
    };
    let (hashers, key_ty, key_tys, value_ty) = match ty {
        StorageEntryType::Plain(v) => (Vec::new(), None, Vec::new(), v.id),
        StorageEntryType::Map {
            hashers,
            key,
            value,
        } => {
            if hashers.is_empty() {
                return Err(invalid(field, "a map without hashers"));
            }
            let hs: Vec<Hasher> = hashers.iter().map(hasher).collect();
            let kt = key_types(types, key.id, hs.len(), field)?;
            (hs, Some(key.id), kt, value.id)
        }
    };
    Ok(StorageEntry {
        name: name.to_string(),
        modifier,
        hashers,
        key_ty,
        key_tys,
        value_ty,
        default: default.to_vec(),
    })
}

/// Flatten the three versions' pallet shapes (same fields where it matters).
macro_rules! pallets_of {
    ($types:expr, $pallets:expr) => {{
        let mut out = Vec::with_capacity($pallets.len());
        for (pi, p) in $pallets.iter().enumerate() {
            let mut storage = Vec::new();
            let mut storage_prefix = None;
            if let Some(s) = &p.storage {
                storage_prefix = Some(s.prefix.clone());
                for (ei, e) in s.entries.iter().enumerate() {
                    let field = format!("pallets[{pi}].storage[{ei}]");
                    storage.push(entry(
                        $types,
                        &e.name,
                        &e.modifier,
                        &e.ty,
                        &e.default,
                        &field,
                    )?);
                }
            }
            let constants = p
                .constants
                .iter()
                .map(|c| Constant {
                    name: c.name.clone(),
                    ty: c.ty.id,
                    value: c.value.clone(),
                })
                .collect();
            out.push(Pallet {
                name: p.name.clone(),
                index: p.index,
                storage_prefix,
                storage,
                constants,
            });
        }
        out
    }};
}

macro_rules! apis_of {
    ($apis:expr) => {
        $apis
            .iter()
            .map(|a| RuntimeApi {
                name: a.name.clone(),
                methods: a
                    .methods
                    .iter()
                    .map(|m| ApiMethod {
                        name: m.name.clone(),
                        inputs: m.inputs.iter().map(|i| (i.name.clone(), i.ty.id)).collect(),
                        output: m.output.id,
                    })
                    .collect(),
            })
            .collect::<Vec<_>>()
    };
}

/// The magic and version byte, checked before the body is decoded.
fn check_prefix(bytes: &[u8]) -> Result<u8> {
    let magic = bytes
        .get(..4)
        .ok_or_else(|| invalid("magic", "fewer than 4 bytes"))?;
    if magic != META_RESERVED.to_le_bytes() {
        return Err(invalid("magic", "not \"meta\"").at_offset(0));
    }
    let version = *bytes
        .get(4)
        .ok_or_else(|| invalid("version", "no version byte").at_offset(4))?;
    if !(14..=16).contains(&version) {
        return Err(Error::field(
            ErrorCode::Unsupported,
            "version",
            format!("metadata V{version} (only V14, V15 and V16 are decoded)"),
        )
        .at_offset(4));
    }
    Ok(version)
}

/// Decode `RuntimeMetadataPrefixed` bytes (V14, V15 or V16), every byte consumed.
pub fn decode(bytes: &[u8]) -> Result<Metadata> {
    let version = check_prefix(bytes)?;
    let mut r = Reader::new(bytes);
    let prefixed: RuntimeMetadataPrefixed = leaf(&mut r, "RuntimeMetadataPrefixed")?;
    r.finish()?;
    // Decoding is injective only for canonical input; insist on it.
    if prefixed.encode() != bytes {
        return Err(invalid(
            "metadata",
            "non-canonical encoding (does not re-encode)",
        ));
    }
    let (types, pallets, apis) = match &prefixed.1 {
        RuntimeMetadata::V14(m) => (
            m.types.clone(),
            pallets_of!(&m.types, m.pallets),
            Vec::new(),
        ),
        RuntimeMetadata::V15(m) => (
            m.types.clone(),
            pallets_of!(&m.types, m.pallets),
            apis_of!(m.apis),
        ),
        RuntimeMetadata::V16(m) => (
            m.types.clone(),
            pallets_of!(&m.types, m.pallets),
            apis_of!(m.apis),
        ),
        _ => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "version",
                format!("metadata V{version}"),
            ))
        }
    };
    let meta = Metadata {
        version,
        types,
        pallets,
        apis,
    };
    meta.check_types()?;
    Ok(meta)
}

impl Metadata {
    /// Registry ids are positions, and every id the model names resolves.
    fn check_types(&self) -> Result<()> {
        for (i, t) in self.types.types.iter().enumerate() {
            if usize::try_from(t.id).ok() != Some(i) {
                return Err(invalid(
                    &format!("types[{i}].id"),
                    format!("type id {} at position {i}", t.id),
                ));
            }
        }
        let known = |id: u32, field: String| {
            if self.types.resolve(id).is_some() {
                Ok(())
            } else {
                Err(invalid(&field, format!("unknown type id {id}")))
            }
        };
        for (pi, p) in self.pallets.iter().enumerate() {
            for (ei, e) in p.storage.iter().enumerate() {
                let f = format!("pallets[{pi}].storage[{ei}]");
                for id in e.key_ty.iter().chain(&e.key_tys).chain([&e.value_ty]) {
                    known(*id, f.clone())?;
                }
            }
            for (ci, c) in p.constants.iter().enumerate() {
                known(c.ty, format!("pallets[{pi}].constants[{ci}]"))?;
            }
        }
        for (ai, a) in self.apis.iter().enumerate() {
            for (mi, m) in a.methods.iter().enumerate() {
                let f = format!("apis[{ai}].methods[{mi}]");
                for id in m.inputs.iter().map(|(_, t)| t).chain([&m.output]) {
                    known(*id, f.clone())?;
                }
            }
        }
        Ok(())
    }

    /// Number of types in the registry.
    pub fn type_count(&self) -> usize {
        self.types.types.len()
    }

    /// A pallet by name.
    pub fn pallet(&self, name: &str) -> Option<&Pallet> {
        self.pallets.iter().find(|p| p.name == name)
    }

    /// A runtime API by trait name.
    pub fn api(&self, name: &str) -> Option<&RuntimeApi> {
        self.apis.iter().find(|a| a.name == name)
    }

    /// A constant by pallet and name.
    pub fn constant(&self, pallet: &str, name: &str) -> Result<&Constant> {
        self.pallet(pallet)
            .ok_or_else(|| not_found("pallet", pallet))?
            .constants
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| not_found("constant", &format!("{pallet}.{name}")))
    }

    /// Decode a constant's value with its declared type (every byte consumed).
    pub fn constant_value(&self, pallet: &str, name: &str) -> Result<Value> {
        let c = self.constant(pallet, name)?;
        value::decode_all(&self.types, c.ty, &c.value)
            .map_err(|e| e.within(&format!("{pallet}.{name}")))
    }

    /// A storage item by pallet and item name.
    pub fn storage_entry(&self, pallet: &str, item: &str) -> Result<(&Pallet, &StorageEntry)> {
        let p = self
            .pallet(pallet)
            .ok_or_else(|| not_found("pallet", pallet))?;
        let e = p
            .storage
            .iter()
            .find(|e| e.name == item)
            .ok_or_else(|| not_found("storage item", &format!("{pallet}.{item}")))?;
        Ok((p, e))
    }

    /// The readable name of a type id (`Vec<(u16, u16)>`, `AccountId32`).
    pub fn type_name(&self, id: u32) -> String {
        type_name(&self.types, id)
    }
}

pub(crate) fn not_found(what: &str, name: &str) -> Error {
    Error::field(ErrorCode::MissingField, what, format!("no {what} {name:?}"))
}

#[cfg(test)]
pub(crate) mod tests;
