//! `scale_struct!`: declare a runtime-API struct once and get the Rust struct (plain field types),
//! its [`Codec`](super::scale::Codec) (decode with field paths in errors, encode, render) from the
//! same field list. Each field is written `pub name: RustType as CodecType`, e.g.
//! `pub uid: u16 as Compact<u16>`; the compiler checks that `CodecType::Value == RustType`.
//! Field order is encoding order, and the field names are the chain's.
//!
//! `scale_struct! { columnar pub struct ... }` also implements
//! [`Columnar`](super::columnar::Columnar) (decode straight into one column per field) from the
//! same list, through `columnar_struct!`.

macro_rules! scale_struct {
    (
        columnar
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty as $codec:ty ),* $(,)?
        }
    ) => {
        scale_struct! {
            $(#[$meta])*
            pub struct $name {
                $( $(#[$fmeta])* pub $field: $ty as $codec, )*
            }
        }
        columnar_struct!($name { $($field: $codec),* });
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty as $codec:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $crate::chain::scale::Codec for $name {
            type Value = $name;
            const MIN_LEN: usize = 0 $(+ <$codec as $crate::chain::scale::Codec>::MIN_LEN)*;

            fn decode(r: &mut $crate::chain::scale::Reader<'_>) -> $crate::error::Result<$name> {
                r.enter()?;
                let v = $name {
                    $( $field: <$codec as $crate::chain::scale::Codec>::decode(r).map_err(|e| {
                        $crate::chain::scale::in_field(e, stringify!($name), stringify!($field))
                    })?, )*
                };
                r.leave();
                Ok(v)
            }

            fn encode_to(v: &$name, out: &mut Vec<u8>) {
                $( <$codec as $crate::chain::scale::Codec>::encode_to(&v.$field, out); )*
            }

            #[cfg(feature = "render")]
            fn render(
                v: &$name,
                opts: &$crate::chain::render::RenderOpts,
            ) -> serde_json::Value {
                let mut m = serde_json::Map::new();
                $( m.insert(
                    stringify!($field).to_string(),
                    <$codec as $crate::chain::scale::Codec>::render(&v.$field, opts),
                ); )*
                serde_json::Value::Object(m)
            }
        }
    };
}

/// The `Columnar` impl of a `scale_struct!` (called by its `columnar` form): the builder is
/// `(rows, (one builder per field))`.
macro_rules! columnar_struct {
    ($name:ident { $($field:ident: $codec:ty),* $(,)? }) => {
        impl $crate::chain::columnar::Columnar for $name {
            type Builder = (usize, ($(<$codec as $crate::chain::columnar::Columnar>::Builder,)*));
            fn builder() -> Self::Builder {
                (0, ($(<$codec as $crate::chain::columnar::Columnar>::builder(),)*))
            }
            fn reserve(b: &mut Self::Builder, n: usize) {
                let ($($field,)*) = &mut b.1;
                $(<$codec as $crate::chain::columnar::Columnar>::reserve($field, n);)*
            }
            #[inline]
            fn decode_into(
                r: &mut $crate::chain::scale::Reader<'_>,
                b: &mut Self::Builder,
            ) -> $crate::error::Result<()> {
                r.enter()?;
                let ($($field,)*) = &mut b.1;
                // Only fixed-width leaves (no nested struct: each one counts a level of depth):
                // one length check, then reads that cannot fail. Short input takes the
                // field-by-field path below, for its error.
                const FIXED: usize = $crate::chain::columnar::fixed_sum(&[
                    $(<$codec as $crate::chain::columnar::Columnar>::FIXED,)*
                ]);
                if FIXED > 0 {
                    if let Some(s) = r.take_fixed(FIXED) {
                        let mut at = 0usize;
                        $(
                            <$codec as $crate::chain::columnar::Columnar>::push_fixed(
                                s.get(at..).unwrap_or_default(),
                                $field,
                            );
                            at = at.saturating_add(
                                <$codec as $crate::chain::columnar::Columnar>::FIXED,
                            );
                        )*
                        let _ = at;
                        r.leave();
                        b.0 = b.0.saturating_add(1);
                        return Ok(());
                    }
                }
                $(
                    <$codec as $crate::chain::columnar::Columnar>::decode_into(r, $field)
                        .map_err(|e| {
                            $crate::chain::scale::in_field(e, stringify!($name), stringify!($field))
                        })?;
                )*
                r.leave();
                b.0 = b.0.saturating_add(1);
                Ok(())
            }
            fn push_zero(b: &mut Self::Builder) {
                let ($($field,)*) = &mut b.1;
                $(<$codec as $crate::chain::columnar::Columnar>::push_zero($field);)*
                b.0 = b.0.saturating_add(1);
            }
            fn finish(
                b: Self::Builder,
                field: &'static str,
            ) -> $crate::error::Result<$crate::chain::columnar::Column> {
                let len = b.0;
                Ok($crate::chain::columnar::Column::Group(Self::finish_items(b, len, field)?))
            }
            fn finish_items(
                b: Self::Builder,
                len: usize,
                _field: &'static str,
            ) -> $crate::error::Result<$crate::chain::columnar::Columns> {
                let ($($field,)*) = b.1;
                Ok($crate::chain::columnar::Columns {
                    len,
                    present: None,
                    columns: vec![$((
                        stringify!($field),
                        <$codec as $crate::chain::columnar::Columnar>::finish(
                            $field,
                            stringify!($field),
                        )?,
                    ),)*],
                })
            }
        }
    };
}
