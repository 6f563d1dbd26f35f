//! `scale_struct!`: declare a runtime-API struct once and get the Rust struct (plain field types),
//! its [`Codec`](super::scale::Codec) (decode with field paths in errors, encode, render) from the
//! same field list. Each field is written `pub name: RustType as CodecType`, e.g.
//! `pub uid: u16 as Compact<u16>`; the compiler checks that `CodecType::Value == RustType`.
//! Field order is encoding order, and the field names are the chain's.

macro_rules! scale_struct {
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
