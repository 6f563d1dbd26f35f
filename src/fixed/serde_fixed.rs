//! serde for the chain's fixed-point types, shared by every layer above (pool, stake, emission):
//! a value travels as its raw bits (`U64F64` → `u128` = value × 2^64, `U96F32` → value × 2^32,
//! `I96F32` and `I64F64` → `i128`), which is exact and what storage and RPC hold.
//! (substrate-fixed's own serde support is a feature this crate does not enable.) Maps whose keys
//! are not strings travel as lists of `[key, value]` pairs (JSON object keys must be strings).
//! Use with `#[serde(with = "crate::fixed::serde_fixed::u64f64")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use substrate_fixed::types::{I96F32, U96F32};

macro_rules! bits_module {
    ($name:ident, $ty:ty, $bits:ty, $ser:ident) => {
        /// Serialise as raw bits.
        pub mod $name {
            use serde::{Deserialize, Deserializer, Serializer};

            /// Write the raw bits.
            pub fn serialize<S: Serializer>(v: &$ty, s: S) -> Result<S::Ok, S::Error> {
                s.$ser(v.to_bits())
            }

            /// Read the raw bits.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                <$bits>::deserialize(d).map(<$ty>::from_bits)
            }
        }
    };
}

bits_module!(u64f64, substrate_fixed::types::U64F64, u128, serialize_u128);
bits_module!(u96f32, substrate_fixed::types::U96F32, u128, serialize_u128);
bits_module!(i96f32, substrate_fixed::types::I96F32, i128, serialize_i128);
bits_module!(i64f64, substrate_fixed::types::I64F64, i128, serialize_i128);

/// `Vec<(u16, U96F32)>` as `[[netuid, bits], …]`.
pub mod u96f32_pairs {
    use super::*;

    /// Write the pairs with the values as bits.
    pub fn serialize<S: Serializer>(v: &[(u16, U96F32)], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|(n, x)| (*n, x.to_bits())))
    }

    /// Read `[netuid, bits]` pairs.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(u16, U96F32)>, D::Error> {
        Ok(Vec::<(u16, u128)>::deserialize(d)?
            .into_iter()
            .map(|(n, b)| (n, U96F32::from_bits(b)))
            .collect())
    }
}

/// `BTreeMap<K, BTreeMap<u16, I96F32>>` as nested maps with the values as bits.
pub mod i96f32_nested {
    use super::*;

    type Outer<K> = BTreeMap<K, BTreeMap<u16, I96F32>>;

    /// Write the nested maps with the values as bits.
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

    /// Read the nested maps.
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

/// A `BTreeMap` as a list of `[key, value]` pairs (JSON maps need string keys; account ids and
/// tuples are not).
pub mod map_as_pairs {
    use super::*;

    /// Write the entries as pairs.
    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        m: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(m.iter())
    }

    /// Read pairs into a map.
    pub fn deserialize<
        'de,
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    >(
        d: D,
    ) -> Result<BTreeMap<K, V>, D::Error> {
        Vec::<(K, V)>::deserialize(d).map(|v| v.into_iter().collect())
    }
}

/// A hash map written as a map in key order (so the bytes do not depend on the hasher); it reads
/// back with the map's own `Deserialize`.
pub fn hash_map_in_key_order<K: Serialize + Ord, V: Serialize, H, S: Serializer>(
    m: &std::collections::HashMap<K, V, H>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(in_key_order(m))
}

/// The entries of a hash map sorted by key.
fn in_key_order<K: Ord, V, H>(m: &std::collections::HashMap<K, V, H>) -> Vec<(&K, &V)> {
    let mut pairs: Vec<(&K, &V)> = m.iter().collect();
    pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    pairs
}

/// A hash map as `[[key, value], …]` in key order (so the bytes do not depend on the hasher).
pub mod hash_map_as_sorted_pairs {
    use super::*;
    use std::collections::HashMap;
    use std::hash::{BuildHasher, Hash};

    /// Write the entries as pairs, sorted by key.
    pub fn serialize<K: Serialize + Ord, V: Serialize, H, S: Serializer>(
        m: &HashMap<K, V, H>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(super::in_key_order(m))
    }

    /// Read pairs into a map.
    pub fn deserialize<
        'de,
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        H: BuildHasher + Default,
        D: Deserializer<'de>,
    >(
        d: D,
    ) -> Result<HashMap<K, V, H>, D::Error> {
        Vec::<(K, V)>::deserialize(d).map(|v| v.into_iter().collect())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeMap;
    use substrate_fixed::types::{I64F64, I96F32, U64F64, U96F32};

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct P {
        #[serde(with = "super::u64f64")]
        p: U64F64,
        #[serde(with = "super::u96f32")]
        q: U96F32,
        #[serde(with = "super::i96f32")]
        r: I96F32,
        #[serde(with = "super::i64f64")]
        s: I64F64,
        #[serde(with = "super::u96f32_pairs")]
        t: Vec<(u16, U96F32)>,
        #[serde(with = "super::i96f32_nested")]
        u: BTreeMap<u16, BTreeMap<u16, I96F32>>,
        #[serde(with = "super::map_as_pairs")]
        v: BTreeMap<(u16, u8), u64>,
    }

    #[test]
    fn roundtrip() {
        let v = P {
            p: U64F64::from_num(1.5),
            q: U96F32::from_num(2),
            r: I96F32::from_num(-1),
            s: I64F64::from_num(-0.5),
            t: vec![(3, U96F32::from_num(0.25))],
            u: BTreeMap::from([(7, BTreeMap::from([(1, I96F32::from_num(1))]))]),
            v: BTreeMap::from([((1, 2), 9)]),
        };
        let s = serde_json::to_string(&v).unwrap();
        assert_eq!(
            s,
            r#"{"p":27670116110564327424,"q":8589934592,"r":-4294967296,"s":-9223372036854775808,"t":[[3,1073741824]],"u":{"7":{"1":4294967296}},"v":[[[1,2],9]]}"#
        );
        assert_eq!(serde_json::from_str::<P>(&s).unwrap(), v);
    }

    type Fixed = foldhash::fast::FixedState;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct H {
        #[serde(serialize_with = "super::hash_map_in_key_order")]
        m: std::collections::HashMap<u64, u8, Fixed>,
        #[serde(with = "super::hash_map_as_sorted_pairs")]
        p: std::collections::HashMap<(u64, u16), u8, Fixed>,
    }

    #[test]
    fn hash_maps_are_written_in_key_order() {
        // Many keys, inserted in descending order: the hasher's order is not the keys' order.
        let h = H {
            m: (0..64u64).rev().map(|k| (k * 1_000, k as u8)).collect(),
            p: (0..64u64)
                .rev()
                .map(|k| ((k % 8, (k / 8) as u16), k as u8))
                .collect(),
        };
        let s = serde_json::to_string(&h).unwrap();
        let m: Vec<String> = (0..64u64)
            .map(|k| format!(r#""{}":{k}"#, k * 1_000))
            .collect();
        let mut p: Vec<((u64, u16), u64)> =
            (0..64u64).map(|k| ((k % 8, (k / 8) as u16), k)).collect();
        p.sort();
        let p: Vec<String> = p
            .iter()
            .map(|((a, b), v)| format!("[[{a},{b}],{v}]"))
            .collect();
        assert_eq!(
            s,
            format!(r#"{{"m":{{{}}},"p":[{}]}}"#, m.join(","), p.join(","))
        );
        assert_eq!(serde_json::from_str::<H>(&s).unwrap(), h);
    }
}
