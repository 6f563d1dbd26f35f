//! Rendering decoded chain values as JSON, in the conventions of `fixtures/chain/README.md`:
//!
//! * field names are the chain's own (struct field names of the subtensor runtime API types);
//! * `AccountId32` is `0x` + 64 hex digits, or SS58 when [`RenderOpts::ss58_prefix`] is set;
//! * integers above 2^53 - 1 (`Number.MAX_SAFE_INTEGER`) are decimal strings, so no value passes
//!   through a lossy JS number;
//! * fixed-point numbers are `{"bits": "<raw integer>", "approx": <f64>}`;
//! * text (names, identities) is UTF-8; text that is not valid UTF-8 becomes `{"hex": "0x.."}`
//!   rather than being altered; opaque bytes (commitments) are `0x` hex.

use serde_json::{Map, Value};

/// Rendering options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RenderOpts {
    /// Render accounts as SS58 with this network prefix (42 = generic Substrate / Bittensor)
    /// instead of hex.
    pub ss58_prefix: Option<u16>,
}

impl RenderOpts {
    /// Accounts as SS58 with prefix 42.
    pub const SS58: RenderOpts = RenderOpts {
        ss58_prefix: Some(42),
    };
}

/// The largest integer a JS number holds exactly.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// An unsigned integer: a JSON number up to 2^53 - 1, a decimal string above.
pub fn uint(v: u128) -> Value {
    match u64::try_from(v) {
        Ok(x) if x <= MAX_SAFE_INTEGER => Value::from(x),
        _ => Value::String(v.to_string()),
    }
}

/// A signed integer: a JSON number within +-(2^53 - 1), a decimal string outside.
pub fn int(v: i128) -> Value {
    match i64::try_from(v) {
        Ok(x) if x.unsigned_abs() <= MAX_SAFE_INTEGER => Value::from(x),
        _ => Value::String(v.to_string()),
    }
}

/// A fixed-point number from its raw bits and its `f64` approximation.
pub fn fixed(bits: String, approx: f64) -> Value {
    let mut m = Map::new();
    m.insert("bits".into(), Value::String(bits));
    m.insert(
        "approx".into(),
        serde_json::Number::from_f64(approx).map_or(Value::Null, Value::Number),
    );
    Value::Object(m)
}

/// Text bytes: UTF-8 when valid, `{"hex": "0x.."}` otherwise.
pub fn text(bytes: &[u8]) -> Value {
    match core::str::from_utf8(bytes) {
        Ok(s) => Value::String(s.to_string()),
        Err(_) => {
            let mut m = Map::new();
            m.insert("hex".into(), Value::String(super::hex::encode(bytes)));
            Value::Object(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_integers_become_strings() {
        assert_eq!(
            uint(u128::from(MAX_SAFE_INTEGER)),
            Value::from(MAX_SAFE_INTEGER)
        );
        assert_eq!(
            uint(u128::from(MAX_SAFE_INTEGER) + 1),
            Value::from("9007199254740992")
        );
        assert_eq!(int(-5), Value::from(-5));
        assert_eq!(int(-(1i128 << 60)), Value::from("-1152921504606846976"));
        assert_eq!(text(b"Apex"), Value::from("Apex"));
        assert_eq!(text(&[0xff]), serde_json::json!({"hex": "0xff"}));
    }
}
