//! Storage by name through the metadata: key derivation (`twox128(prefix) ++ twox128(item) ++
//! hasher(key)...`, as `frame-support` `src/storage/types/{value,map,double_map,nmap}.rs` build
//! them), value decoding with the declared default, and the comparison with the engine's own key
//! table ([`crate::chain::storage::ITEMS`]).

use super::{value, Metadata, Modifier, StorageEntry, Value};
use crate::chain::storage::{self as table, KeyArg};
use crate::error::{Error, ErrorCode, Result};

/// A storage item named by pallet and item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemRef {
    /// Pallet name.
    pub pallet: String,
    /// Item name.
    pub item: String,
}

impl Metadata {
    /// `twox128(storage prefix) ++ twox128(item)` of an item.
    pub fn storage_prefix(&self, pallet: &str, item: &str) -> Result<[u8; 32]> {
        let (p, e) = self.storage_entry(pallet, item)?;
        let prefix = p.storage_prefix.as_deref().unwrap_or(&p.name);
        Ok(table::prefix(prefix, &e.name))
    }

    /// The key of an item from SCALE-encoded map keys, outermost first. Each key must decode as
    /// its declared type, every byte consumed. Fewer keys than the item has give an iteration
    /// prefix (for `state_getKeysPaged`); more are `LENGTH_MISMATCH`.
    pub fn storage_key(&self, pallet: &str, item: &str, keys: &[&[u8]]) -> Result<Vec<u8>> {
        let (_, e) = self.storage_entry(pallet, item)?;
        if keys.len() > e.hashers.len() {
            return Err(Error::field(
                ErrorCode::LengthMismatch,
                "keys",
                format!(
                    "{pallet}.{item} takes {} key(s), got {}",
                    e.hashers.len(),
                    keys.len()
                ),
            ));
        }
        let mut out = self.storage_prefix(pallet, item)?.to_vec();
        for (i, ((h, ty), k)) in e.hashers.iter().zip(&e.key_tys).zip(keys).enumerate() {
            value::decode_all(&self.types, *ty, k).map_err(|err| {
                Error::field(
                    ErrorCode::InvalidType,
                    format!("keys[{i}]"),
                    format!(
                        "{pallet}.{item} key {i} is not a {}: {}",
                        self.type_name(*ty),
                        err.message
                    ),
                )
            })?;
            h.hash_into(k, &mut out);
        }
        Ok(out)
    }

    /// [`Metadata::storage_key`] from the engine's typed key arguments.
    pub fn storage_key_args(&self, pallet: &str, item: &str, args: &[KeyArg]) -> Result<Vec<u8>> {
        let enc: Vec<Vec<u8>> = args.iter().map(KeyArg::encode).collect();
        let refs: Vec<&[u8]> = enc.iter().map(Vec::as_slice).collect();
        self.storage_key(pallet, item, &refs)
    }

    /// Decode a storage read by name: `Some(bytes)` as the item's value type (every byte
    /// consumed); `None` (absent key) as the declared default for `ValueQuery` items and as
    /// `Ok(None)` for `OptionQuery` items.
    pub fn decode_storage(
        &self,
        pallet: &str,
        item: &str,
        bytes: Option<&[u8]>,
    ) -> Result<Option<Value>> {
        let (_, e) = self.storage_entry(pallet, item)?;
        let named = |err: Error| err.within(&format!("{pallet}.{item}"));
        match (bytes, e.modifier) {
            (Some(b), _) => value::decode_all(&self.types, e.value_ty, b)
                .map(Some)
                .map_err(named),
            (None, Modifier::Default) => value::decode_all(&self.types, e.value_ty, &e.default)
                .map(Some)
                .map_err(named),
            (None, Modifier::Optional) => Ok(None),
        }
    }
}

/// Whether the engine's key type has the width of the metadata's key type (`NetUid` is a `u16`
/// newtype, `AccountId32` a 32-byte array).
fn key_fits(meta: &Metadata, ty: u32, kt: table::KeyType) -> bool {
    let sample = match kt {
        table::KeyType::U8 => KeyArg::U8(0),
        table::KeyType::U16 => KeyArg::U16(0),
        table::KeyType::U32 => KeyArg::U32(0),
        table::KeyType::U64 => KeyArg::U64(0),
        table::KeyType::AccountId32 => KeyArg::Account(crate::chain::AccountId32([0; 32])),
    };
    value::decode_all(&meta.types, ty, &sample.encode()).is_ok()
}

fn mismatch(meta: &Metadata, it: &table::StorageItem, e: &StorageEntry) -> Option<String> {
    let want: Vec<_> = it.keys.iter().map(|(h, _)| *h).collect();
    if want != e.hashers {
        return Some(format!(
            "hashers {:?} in metadata, {want:?} in the engine",
            e.hashers
        ));
    }
    for (i, ((_, kt), ty)) in it.keys.iter().zip(&e.key_tys).enumerate() {
        if !key_fits(meta, *ty, *kt) {
            return Some(format!(
                "key {i} is {} in metadata, {kt:?} in the engine",
                meta.type_name(*ty)
            ));
        }
    }
    let optional = matches!(it.query, table::Query::Option);
    if optional != (e.modifier == Modifier::Optional) {
        return Some(format!("modifier {:?} in metadata", e.modifier));
    }
    None
}

/// The engine's storage items ([`table::ITEMS`]) that this metadata lacks or declares differently
/// (hashers, key widths, query kind), with the reason. Empty when the table matches.
pub fn engine_items_missing(meta: &Metadata) -> Vec<(&'static str, String)> {
    table::ITEMS
        .iter()
        .filter_map(|it| match meta.storage_entry(it.pallet, it.name) {
            Err(_) => Some((it.name, "not in the metadata".to_string())),
            Ok((_, e)) => mismatch(meta, it, e).map(|why| (it.name, why)),
        })
        .collect()
}

/// Every storage item of the metadata that no engine code reads (not in [`table::ITEMS`]), in
/// declaration order.
pub fn unread_storage(meta: &Metadata) -> Vec<ItemRef> {
    meta.pallets
        .iter()
        .flat_map(|p| {
            p.storage
                .iter()
                .filter(|e| {
                    !table::ITEMS
                        .iter()
                        .any(|it| it.pallet == p.name && it.name == e.name)
                })
                .map(|e| ItemRef {
                    pallet: p.name.clone(),
                    item: e.name.clone(),
                })
        })
        .collect()
}
