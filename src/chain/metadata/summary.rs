//! The runtime version (the System pallet's `Version` constant, `sp_version::RuntimeVersion` in
//! paritytech/polkadot-sdk `substrate/primitives/version/src/lib.rs`) and the metadata summary that
//! `scripts/decode FILE.scale` prints and the chain fixtures' `derived` blocks hold
//! (`shared/fixtures/chain/README.md`, `metadata/`).

use super::{Metadata, Value};
use crate::error::{Error, ErrorCode, Result};
use serde::Serialize;

/// `sp_version::RuntimeVersion`, read from the metadata itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeVersion {
    /// `node-subtensor`.
    pub spec_name: String,
    /// `node-subtensor`.
    pub impl_name: String,
    /// Authoring version.
    pub authoring_version: u32,
    /// The runtime's `spec_version` (the number the rules are chosen by).
    pub spec_version: u32,
    /// Implementation version.
    pub impl_version: u32,
    /// `(blake2_64(trait name), version)` of each runtime API.
    pub apis: Vec<([u8; 8], u32)>,
    /// Transaction version.
    pub transaction_version: u32,
    /// `state_version` (older runtimes) or `system_version` (newer), when present.
    pub system_version: Option<u8>,
}

fn missing(field: &str) -> Error {
    Error::field(
        ErrorCode::MissingField,
        format!("System.Version.{field}"),
        "missing or of the wrong type",
    )
}

fn u32_of(v: &Value, field: &str) -> Result<u32> {
    v.field(field)
        .and_then(Value::as_u128)
        .and_then(|x| u32::try_from(x).ok())
        .ok_or_else(|| missing(field))
}

fn str_of(v: &Value, field: &str) -> Result<String> {
    v.field(field)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| missing(field))
}

fn apis_of(v: &Value) -> Result<Vec<([u8; 8], u32)>> {
    // `ApisVec` is `Cow<[([u8; 8], u32)]>`: look through newtypes to the sequence.
    let mut cur = v.field("apis").ok_or_else(|| missing("apis"))?;
    while let Value::Composite(f) = cur {
        match f.as_slice() {
            [(_, inner)] => cur = inner,
            _ => return Err(missing("apis")),
        }
    }
    let Value::Seq(items) = cur else {
        return Err(missing("apis"));
    };
    items
        .iter()
        .map(|it| match it {
            Value::Tuple(p) => match p.as_slice() {
                [Value::Bytes(id), ver] => Some((
                    <[u8; 8]>::try_from(id.as_slice()).ok()?,
                    u32::try_from(ver.as_u128()?).ok()?,
                )),
                _ => None,
            },
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| missing("apis"))
}

impl Metadata {
    /// The System pallet's `Version` constant.
    pub fn runtime_version(&self) -> Result<RuntimeVersion> {
        let v = self.constant_value("System", "Version")?;
        let system_version = ["system_version", "state_version"]
            .iter()
            .find_map(|f| v.field(f))
            .map(|x| x.as_u128().and_then(|n| u8::try_from(n).ok()))
            .map(|x| x.ok_or_else(|| missing("system_version")))
            .transpose()?;
        Ok(RuntimeVersion {
            spec_name: str_of(&v, "spec_name")?,
            impl_name: str_of(&v, "impl_name")?,
            authoring_version: u32_of(&v, "authoring_version")?,
            spec_version: u32_of(&v, "spec_version")?,
            impl_version: u32_of(&v, "impl_version")?,
            apis: apis_of(&v)?,
            transaction_version: u32_of(&v, "transaction_version")?,
            system_version,
        })
    }

    /// The runtime's `spec_version` (System `Version` constant).
    pub fn spec_version(&self) -> Result<u32> {
        self.runtime_version().map(|v| v.spec_version)
    }

    /// The summary: version, runtime version, pallets with their storage item names, runtime
    /// APIs with their method names, all in declaration order.
    pub fn summary(&self) -> Result<Summary> {
        let rv = self.runtime_version()?;
        Ok(Summary {
            metadata_version: self.version,
            runtime_version: VersionSummary {
                spec_name: rv.spec_name,
                impl_name: rv.impl_name,
                spec_version: rv.spec_version,
                impl_version: rv.impl_version,
            },
            type_count: None,
            pallets: self
                .pallets
                .iter()
                .map(|p| PalletSummary {
                    name: p.name.clone(),
                    index: p.index,
                    storage: p.storage.iter().map(|e| e.name.clone()).collect(),
                })
                .collect(),
            runtime_apis: self
                .apis
                .iter()
                .map(|a| ApiSummary {
                    name: a.name.clone(),
                    methods: a.methods.iter().map(|m| m.name.clone()).collect(),
                })
                .collect(),
        })
    }
}

/// The fields of the runtime version that the summary keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionSummary {
    /// `spec_name`.
    pub spec_name: String,
    /// `impl_name`.
    pub impl_name: String,
    /// `spec_version`.
    pub spec_version: u32,
    /// `impl_version`.
    pub impl_version: u32,
}

/// One pallet of the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PalletSummary {
    /// Name.
    pub name: String,
    /// Index.
    pub index: u8,
    /// Storage item names.
    pub storage: Vec<String>,
}

/// One runtime API of the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiSummary {
    /// Trait name.
    pub name: String,
    /// Method names.
    pub methods: Vec<String>,
}

/// The metadata summary, in the key order of the fixtures' `derived` blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// 14, 15 or 16.
    pub metadata_version: u8,
    /// From the System `Version` constant.
    pub runtime_version: VersionSummary,
    /// Not part of the summary format (the fixtures' parser leaves it `null`); always `None`.
    /// The registry size is [`Metadata::type_count`].
    pub type_count: Option<u32>,
    /// Pallets in declaration order.
    pub pallets: Vec<PalletSummary>,
    /// Runtime APIs in declaration order (empty for V14).
    pub runtime_apis: Vec<ApiSummary>,
}

/// Decode metadata bytes and summarise them.
pub fn summarize(bytes: &[u8]) -> Result<Summary> {
    super::decode(bytes)?.summary()
}

/// What the live mode shows of a runtime's metadata: its version, counts, runtime API names and
/// the storage items no rule set of this engine reads ("changes this engine does not model").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// 14, 15 or 16.
    pub metadata_version: u8,
    /// The runtime's `spec_name`.
    pub spec_name: String,
    /// The runtime's `spec_version`.
    pub spec_version: u32,
    /// The runtime's `impl_version`.
    pub impl_version: u32,
    /// Pallets.
    pub pallets: u32,
    /// Storage items, all pallets together.
    pub storage_items: u32,
    /// Runtime API names, in declaration order.
    pub runtime_apis: Vec<String>,
    /// Storage items no rule set of the engine reads ([`super::unread_storage`]).
    pub unread: Vec<super::ItemRef>,
}

impl Metadata {
    /// The [`Overview`] of this metadata.
    pub fn overview(&self) -> Result<Overview> {
        let rv = self.runtime_version()?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(Overview {
            metadata_version: self.version,
            spec_name: rv.spec_name,
            spec_version: rv.spec_version,
            impl_version: rv.impl_version,
            pallets: count(self.pallets.len()),
            storage_items: count(self.pallets.iter().map(|p| p.storage.len()).sum()),
            runtime_apis: self.apis.iter().map(|a| a.name.clone()).collect(),
            unread: super::unread_storage(self),
        })
    }
}
