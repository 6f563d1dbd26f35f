//! Serde adapters for the emission structs: fixed-point values travel as their raw bits
//! (`U96F32`/`I96F32`: value × 2^32; `U64F64`: value × 2^64), and maps with tuple keys travel as
//! lists of `[key, value]` pairs (JSON object keys must be strings).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use substrate_fixed::types::{I64F64, I96F32, U64F64, U96F32};

/// `U96F32` as u128 bits.
pub mod u96 {
    use super::*;
    /// Serialize.
    pub fn serialize<S: Serializer>(v: &U96F32, s: S) -> Result<S::Ok, S::Error> {
        v.to_bits().serialize(s)
    }
    /// Deserialize.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<U96F32, D::Error> {
        u128::deserialize(d).map(U96F32::from_bits)
    }
}

/// `I96F32` as i128 bits.
pub mod i96 {
    use super::*;
    /// Serialize.
    pub fn serialize<S: Serializer>(v: &I96F32, s: S) -> Result<S::Ok, S::Error> {
        v.to_bits().serialize(s)
    }
    /// Deserialize.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<I96F32, D::Error> {
        i128::deserialize(d).map(I96F32::from_bits)
    }
}

/// `I64F64` as i128 bits.
pub mod i64f64 {
    use super::*;
    /// Serialize.
    pub fn serialize<S: Serializer>(v: &I64F64, s: S) -> Result<S::Ok, S::Error> {
        v.to_bits().serialize(s)
    }
    /// Deserialize.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<I64F64, D::Error> {
        i128::deserialize(d).map(I64F64::from_bits)
    }
}

/// `U64F64` as u128 bits.
pub mod u64f64 {
    use super::*;
    /// Serialize.
    pub fn serialize<S: Serializer>(v: &U64F64, s: S) -> Result<S::Ok, S::Error> {
        v.to_bits().serialize(s)
    }
    /// Deserialize.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<U64F64, D::Error> {
        u128::deserialize(d).map(U64F64::from_bits)
    }
}

/// `Vec<(u16, U96F32)>` as `[[netuid, bits], …]`.
pub mod u96_pairs {
    use super::*;
    /// Serialize.
    pub fn serialize<S: Serializer>(v: &[(u16, U96F32)], s: S) -> Result<S::Ok, S::Error> {
        v.iter()
            .map(|(n, x)| (*n, x.to_bits()))
            .collect::<Vec<_>>()
            .serialize(s)
    }
    /// Deserialize.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(u16, U96F32)>, D::Error> {
        Ok(Vec::<(u16, u128)>::deserialize(d)?
            .into_iter()
            .map(|(n, b)| (n, U96F32::from_bits(b)))
            .collect())
    }
}

/// `BTreeMap<K, BTreeMap<u16, I96F32>>` with the rates as bits.
pub mod i96_nested {
    use super::*;
    type Outer<K> = BTreeMap<K, BTreeMap<u16, I96F32>>;
    /// Serialize.
    pub fn serialize<K: Serialize + Ord + Copy, S: Serializer>(
        v: &Outer<K>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        v.iter()
            .map(|(k, m)| {
                (
                    *k,
                    m.iter()
                        .map(|(n, r)| (*n, r.to_bits()))
                        .collect::<BTreeMap<u16, i128>>(),
                )
            })
            .collect::<BTreeMap<K, _>>()
            .serialize(s)
    }
    /// Deserialize.
    pub fn deserialize<'de, K: Deserialize<'de> + Ord, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Outer<K>, D::Error> {
        Ok(BTreeMap::<K, BTreeMap<u16, i128>>::deserialize(d)?
            .into_iter()
            .map(|(k, m)| {
                (
                    k,
                    m.into_iter()
                        .map(|(n, b)| (n, I96F32::from_bits(b)))
                        .collect(),
                )
            })
            .collect())
    }
}

/// A map with non-string keys as a list of `[key, value]` pairs.
pub mod pairs {
    use super::*;
    /// Serialize.
    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        v: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter())
    }
    /// Deserialize.
    pub fn deserialize<
        'de,
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    >(
        d: D,
    ) -> Result<BTreeMap<K, V>, D::Error> {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}
