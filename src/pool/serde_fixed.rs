//! serde for the chain's fixed-point types: a value travels as its raw bits (`U64F64` →
//! `u128` = value × 2^64, `U96F32` → value × 2^32, `I96F32` → `i128`), which is exact and what
//! storage and RPC hold. (substrate-fixed's own serde support is a feature this crate does not
//! enable.) Use with `#[serde(with = "crate::pool::serde_fixed::u64f64")]`.

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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use substrate_fixed::types::U64F64;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct P {
        #[serde(with = "super::u64f64")]
        p: U64F64,
    }

    #[test]
    fn roundtrip() {
        let v = P {
            p: U64F64::from_num(1.5),
        };
        let s = serde_json::to_string(&v).unwrap();
        assert_eq!(s, r#"{"p":27670116110564327424}"#);
        assert_eq!(serde_json::from_str::<P>(&s).unwrap(), v);
    }
}

/// A `BTreeMap` as a list of `[key, value]` pairs (JSON maps need string keys; account ids and
/// tuples are not).
pub mod map_as_pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

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
