//! Metagraph layouts by runtime: from spec 435 on, `Metagraph` ends with three per-UID collateral
//! vectors and `SelectiveMetagraph` with three optional ones (spec `chain-data-after-425.md` §1,
//! §3.1, §3.2; subtensor `pallets/subtensor/src/rpc_info/metagraph.rs` at index version
//! `843795a7ef70b50e57994dc8fa07b6ce556cfaa4`, Selective freeze hash `bb7420226d39c0eb`).
//!
//! The layout is an explicit parameter ([`MetagraphLayout`]), chosen from the runtime's
//! `spec_version` with [`MetagraphLayout::for_spec`]; every decode still insists that all bytes
//! are consumed, which turns a wrong choice into an error rather than a misread:
//!
//! | spec | layout |
//! | --- | --- |
//! | up to 434 | [`MetagraphLayout::Base`]: base spec §3 |
//! | 435 and later (first on finney: 436) | [`MetagraphLayout::Collateral`] |

use crate::chain::columnar::{Column, Columnar, Columns};
use crate::chain::scale::{decode_all, Codec, Reader};
use crate::chain::types::{Metagraph, SelectiveMetagraph};
use crate::error::Result;
use parity_scale_codec::Compact;

/// First spec whose metagraphs carry the collateral fields.
pub const COLLATERAL_SINCE_SPEC: u32 = 435;

/// Which metagraph layout a runtime encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetagraphLayout {
    /// Specs up to 434: the base layout.
    Base,
    /// Specs 435 and later: three collateral vectors (options in `SelectiveMetagraph`) at the end.
    Collateral,
}

impl MetagraphLayout {
    /// The layout of a runtime by its `spec_version`.
    pub fn for_spec(spec_version: u32) -> MetagraphLayout {
        if spec_version >= COLLATERAL_SINCE_SPEC {
            MetagraphLayout::Collateral
        } else {
            MetagraphLayout::Base
        }
    }

    /// The registry name of `get_metagraph`'s result (`Option<Metagraph>` or
    /// `Option<MetagraphWithCollateral>`), for [`decode_type`](crate::chain::decode_type).
    pub fn metagraph_result_type(self) -> &'static str {
        match self {
            MetagraphLayout::Base => "Option<Metagraph>",
            MetagraphLayout::Collateral => "Option<MetagraphWithCollateral>",
        }
    }

    /// The registry name of `get_selective_metagraph`'s result.
    pub fn selective_result_type(self) -> &'static str {
        match self {
            MetagraphLayout::Base => "Option<SelectiveMetagraph>",
            MetagraphLayout::Collateral => "Option<SelectiveMetagraphWithCollateral>",
        }
    }
}

/// `Vec<Compact<AlphaBalance>>`.
type Amounts = Vec<Compact<u64>>;

scale_struct! {
    columnar
    /// The fields spec 435 appended to `Metagraph`, one entry per UID (0 without collateral).
    pub struct MetagraphCollateral {
        /// `MinerCollateral[(netuid, hotkey, owner)].locked`.
        pub collateral_locked: Vec<u64> as Amounts,
        /// `.min_locked`.
        pub collateral_min: Vec<u64> as Amounts,
        /// `.earned`.
        pub collateral_earned: Vec<u64> as Amounts,
    }
}

scale_struct! {
    /// The fields spec 435 appended to `SelectiveMetagraph` (request indexes 74, 75, 76).
    pub struct SelectiveCollateral {
        /// 74.
        pub collateral_locked: Option<Vec<u64>> as Option<Amounts>,
        /// 75.
        pub collateral_min: Option<Vec<u64>> as Option<Amounts>,
        /// 76.
        pub collateral_earned: Option<Vec<u64>> as Option<Amounts>,
    }
}

/// Request indexes of the collateral fields in `get_selective_metagraph`, after `commitments`
/// (73), in declaration order (the enum's explicit numbering was not read: confidence B).
pub const SELECTIVE_COLLATERAL_FIELDS: [(u16, &str); 3] = [
    (74, "collateral_locked"),
    (75, "collateral_min"),
    (76, "collateral_earned"),
];

/// A base struct followed by its appended fields, encoded back to back and rendered as one flat
/// object (base fields first).
macro_rules! appended {
    ($(#[$meta:meta])* $name:ident { $base_field:ident: $base:ty, $extra_field:ident: $extra:ty }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            /// The fields of the earlier layout.
            pub $base_field: $base,
            /// The appended fields.
            pub $extra_field: $extra,
        }

        impl Codec for $name {
            type Value = $name;
            const MIN_LEN: usize = <$base as Codec>::MIN_LEN + <$extra as Codec>::MIN_LEN;

            fn decode(r: &mut Reader<'_>) -> Result<$name> {
                Ok($name {
                    $base_field: <$base as Codec>::decode(r)?,
                    $extra_field: <$extra as Codec>::decode(r)?,
                })
            }

            fn encode_to(v: &$name, out: &mut Vec<u8>) {
                <$base as Codec>::encode_to(&v.$base_field, out);
                <$extra as Codec>::encode_to(&v.$extra_field, out);
            }

            #[cfg(feature = "render")]
            fn render(
                v: &$name,
                opts: &crate::chain::render::RenderOpts,
            ) -> serde_json::Value {
                let mut out = <$base as Codec>::render(&v.$base_field, opts);
                if let (Some(m), serde_json::Value::Object(extra)) = (
                    out.as_object_mut(),
                    <$extra as Codec>::render(&v.$extra_field, opts),
                ) {
                    m.extend(extra);
                }
                out
            }
        }
    };
}

appended! {
    /// `Metagraph` as spec 435 and later encode it.
    MetagraphWithCollateral { metagraph: Metagraph, collateral: MetagraphCollateral }
}

/// Columns: the metagraph's, then the collateral's (decoded back to back, as the `Codec`).
impl Columnar for MetagraphWithCollateral {
    type Builder = (
        <Metagraph as Columnar>::Builder,
        <MetagraphCollateral as Columnar>::Builder,
    );
    fn builder() -> Self::Builder {
        (Metagraph::builder(), MetagraphCollateral::builder())
    }
    fn reserve(b: &mut Self::Builder, n: usize) {
        Metagraph::reserve(&mut b.0, n);
        MetagraphCollateral::reserve(&mut b.1, n);
    }
    fn decode_into(r: &mut Reader<'_>, b: &mut Self::Builder) -> Result<()> {
        Metagraph::decode_into(r, &mut b.0)?;
        MetagraphCollateral::decode_into(r, &mut b.1)
    }
    fn push_zero(b: &mut Self::Builder) {
        Metagraph::push_zero(&mut b.0);
        MetagraphCollateral::push_zero(&mut b.1);
    }
    fn finish(b: Self::Builder, field: &'static str) -> Result<Column> {
        let len = b.0 .0;
        Ok(Column::Group(Self::finish_items(b, len, field)?))
    }
    fn finish_items(b: Self::Builder, len: usize, field: &'static str) -> Result<Columns> {
        let mut c = Metagraph::finish_items(b.0, len, field)?;
        c.columns
            .extend(MetagraphCollateral::finish_items(b.1, len, field)?.columns);
        Ok(c)
    }
}

appended! {
    /// `SelectiveMetagraph` as spec 435 and later encode it.
    SelectiveMetagraphWithCollateral { metagraph: SelectiveMetagraph, collateral: SelectiveCollateral }
}

/// Decode a `get_metagraph` / `get_mechagraph` result (`Option<Metagraph>`) in `layout`, every
/// byte consumed. The collateral part is `Some` exactly for [`MetagraphLayout::Collateral`].
pub fn decode_metagraph(
    bytes: &[u8],
    layout: MetagraphLayout,
) -> Result<Option<(Metagraph, Option<MetagraphCollateral>)>> {
    Ok(match layout {
        MetagraphLayout::Base => decode_all::<Option<Metagraph>>(bytes)?.map(|m| (m, None)),
        MetagraphLayout::Collateral => decode_all::<Option<MetagraphWithCollateral>>(bytes)?
            .map(|m| (m.metagraph, Some(m.collateral))),
    })
}

/// Decode a `get_selective_metagraph` / `get_selective_mechagraph` result
/// (`Option<SelectiveMetagraph>`) in `layout`, every byte consumed.
pub fn decode_selective_metagraph(
    bytes: &[u8],
    layout: MetagraphLayout,
) -> Result<Option<(SelectiveMetagraph, Option<SelectiveCollateral>)>> {
    Ok(match layout {
        MetagraphLayout::Base => {
            decode_all::<Option<SelectiveMetagraph>>(bytes)?.map(|m| (m, None))
        }
        MetagraphLayout::Collateral => {
            decode_all::<Option<SelectiveMetagraphWithCollateral>>(bytes)?
                .map(|m| (m.metagraph, Some(m.collateral)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::hex;
    use crate::chain::registry::{decode_type, Wrapping};
    use crate::chain::scale::encode;
    use crate::error::ErrorCode;

    /// SN1 at block 6 852 344 (spec 343): `Option<Metagraph>`, 1024 UIDs.
    fn sn1_bytes() -> Vec<u8> {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/chain/finney_b6852344_sn1_metagraph.json"
        ))
        .unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        hex::decode(doc["hex"].as_str().unwrap()).unwrap()
    }

    #[test]
    fn layout_by_spec() {
        assert_eq!(MetagraphLayout::for_spec(424), MetagraphLayout::Base);
        assert_eq!(MetagraphLayout::for_spec(434), MetagraphLayout::Base);
        assert_eq!(MetagraphLayout::for_spec(435), MetagraphLayout::Collateral);
        assert_eq!(MetagraphLayout::for_spec(475), MetagraphLayout::Collateral);
    }

    /// The layout choice agrees with the runtime rule table for every known spec.
    #[test]
    fn layout_agrees_with_the_rules() {
        use crate::runtime::{Rules, NEWEST_KNOWN_SPEC, OLDEST_KNOWN_SPEC};
        for spec in OLDEST_KNOWN_SPEC..=NEWEST_KNOWN_SPEC {
            let rules = Rules::for_spec(spec).unwrap();
            assert_eq!(
                MetagraphLayout::for_spec(spec) == MetagraphLayout::Collateral,
                rules.metagraph_collateral_layout,
                "spec {spec}"
            );
        }
    }

    #[test]
    fn spec_example_encoding() {
        // §3.1: locked = 0, 500 092, 4 000 000.
        let v = vec![0u64, 500_092, 4_000_000];
        assert_eq!(
            hex::encode(&encode::<Amounts>(&v)),
            "0x0c00f2851e000224f400"
        );
    }

    #[test]
    fn metagraph_layouts_and_trailing_bytes() {
        let base = sn1_bytes();
        let (mg, none) = decode_metagraph(&base, MetagraphLayout::Base)
            .unwrap()
            .unwrap();
        assert!(none.is_none());
        let n = mg.hotkeys.len();
        assert_eq!(n, 1024);
        // The same metagraph as a spec-435 runtime would send it.
        let col = MetagraphCollateral {
            collateral_locked: (0..n as u64).map(|i| i * 1000).collect(),
            collateral_min: vec![0; n],
            collateral_earned: (0..n as u64).collect(),
        };
        let mut new = base.clone();
        new.extend(encode::<MetagraphCollateral>(&col));
        let (mg2, c) = decode_metagraph(&new, MetagraphLayout::Collateral)
            .unwrap()
            .unwrap();
        assert_eq!(mg2, mg);
        assert_eq!(c, Some(col.clone()));
        // A wrong guess is an error either way, never a misread.
        let err = decode_metagraph(&new, MetagraphLayout::Base).unwrap_err();
        assert_eq!(err.code, ErrorCode::TrailingBytes);
        assert!(decode_metagraph(&base, MetagraphLayout::Collateral).is_err());
        // None is one byte in both layouts.
        assert_eq!(
            decode_metagraph(&[0], MetagraphLayout::Collateral).unwrap(),
            None
        );
        // Through the registry by the layout's type name; rendered flat.
        let d = decode_type(
            MetagraphLayout::Collateral.metagraph_result_type(),
            &new,
            Wrapping::Raw,
        )
        .unwrap();
        assert_eq!(d.encode(), new);
        #[cfg(feature = "render")]
        {
            let r = d.render(&crate::chain::render::RenderOpts::default());
            assert_eq!(r["collateral_locked"][1], serde_json::json!(1000));
            assert_eq!(r["netuid"], serde_json::json!(1));
        }
    }

    #[test]
    fn snapshots_pick_the_layout_by_spec() {
        use crate::chain::snapshot::SnapshotSource;
        use crate::chain::snapshot_yuma::metagraph_snapshot;
        let source = || SnapshotSource {
            kind: "test".into(),
            description: String::new(),
            endpoint: None,
            provenance: None,
        };
        let mut new = sn1_bytes();
        let n = 1024;
        new.extend(encode::<MetagraphCollateral>(&MetagraphCollateral {
            collateral_locked: vec![0; n],
            collateral_min: vec![0; n],
            collateral_earned: vec![0; n],
        }));
        let s = metagraph_snapshot(1, 7_000_000, Some(436), &hex::encode(&new), source()).unwrap();
        assert_eq!(
            s.runtime_calls[0].result_type,
            "Option<MetagraphWithCollateral>"
        );
        let old = metagraph_snapshot(
            1,
            6_852_344,
            Some(343),
            &hex::encode(&sn1_bytes()),
            source(),
        )
        .unwrap();
        assert_eq!(old.runtime_calls[0].result_type, "Option<Metagraph>");
        // The collateral bytes under a pre-435 spec are refused (trailing bytes).
        let err = metagraph_snapshot(1, 1, Some(434), &hex::encode(&new), source()).unwrap_err();
        assert_eq!(err.code, ErrorCode::TrailingBytes);
    }

    #[test]
    fn selective_layouts() {
        // netuid 1, 73 None options (base), then the three collateral options.
        let mut base = vec![0x04];
        base.extend([0u8; 73]);
        let col = SelectiveCollateral {
            collateral_locked: Some(vec![5, 0, 7]),
            collateral_min: None,
            collateral_earned: Some(vec![]),
        };
        let mut new = base.clone();
        new.extend(encode::<SelectiveCollateral>(&col));
        let wrapped = |b: &[u8]| [&[1u8][..], b].concat();
        let (sm, c) = decode_selective_metagraph(&wrapped(&new), MetagraphLayout::Collateral)
            .unwrap()
            .unwrap();
        assert_eq!(sm.netuid, 1);
        assert_eq!(c, Some(col));
        let (_, c) = decode_selective_metagraph(&wrapped(&base), MetagraphLayout::Base)
            .unwrap()
            .unwrap();
        assert!(c.is_none());
        assert_eq!(
            decode_selective_metagraph(&wrapped(&new), MetagraphLayout::Base)
                .unwrap_err()
                .code,
            ErrorCode::TrailingBytes
        );
        assert!(decode_selective_metagraph(&wrapped(&base), MetagraphLayout::Collateral).is_err());
        assert_eq!(SELECTIVE_COLLATERAL_FIELDS[0].0, 74);
    }
}
