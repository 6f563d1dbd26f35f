//! Hex text <-> bytes, the way JSON-RPC writes them (`0x`-prefixed, lower case).
//!
//! Malformed text is an `INVALID_HEX` error naming the byte offset into the text, never a panic.

use crate::error::{Error, ErrorCode, Result};

/// Encode bytes as `0x`-prefixed lower-case hex.
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().saturating_mul(2).saturating_add(2));
    s.push_str("0x");
    push_hex(&mut s, bytes);
    s
}

/// Append bytes as lower-case hex (no prefix) to `s`.
pub fn push_hex(s: &mut String, bytes: &[u8]) {
    for b in bytes {
        s.push(hex_char(b >> 4));
        s.push(hex_char(b & 0x0f));
    }
}

fn hex_char(n: u8) -> char {
    char::from_digit(u32::from(n), 16).unwrap_or('0')
}

fn nibble(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Decode hex text. A `0x`/`0X` prefix is optional; surrounding whitespace is ignored; `""` and
/// `"0x"` are the empty byte string. Odd length or a non-hex character is `INVALID_HEX`.
pub fn decode(text: &str) -> Result<Vec<u8>> {
    let t = text.trim();
    let (skip, digits): (usize, &str) = match t.get(..2) {
        Some("0x") | Some("0X") => (2, t.get(2..).unwrap_or("")),
        _ => (0, t),
    };
    let raw = digits.as_bytes();
    if raw.len() % 2 != 0 {
        return Err(Error::new(
            ErrorCode::InvalidHex,
            format!("odd number of hex digits ({})", raw.len()),
        ));
    }
    let mut out = Vec::with_capacity(raw.len() / 2);
    for (i, pair) in raw.chunks_exact(2).enumerate() {
        let (hi, lo) = match pair {
            [h, l] => (nibble(*h), nibble(*l)),
            _ => (None, None),
        };
        match (hi, lo) {
            (Some(h), Some(l)) => out.push(h << 4 | l),
            (h, _) => {
                let bad: usize = if h.is_none() { 0 } else { 1 };
                let at = skip.saturating_add(i.saturating_mul(2)).saturating_add(bad);
                let ch = t.get(at..).and_then(|s| s.chars().next()).unwrap_or('?');
                return Err(
                    Error::new(ErrorCode::InvalidHex, format!("not a hex digit: {ch:?}"))
                        .at_offset(at),
                );
            }
        }
    }
    Ok(out)
}

/// Decode hex text that must hold exactly `N` bytes (keys, hashes).
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N]> {
    let v = decode(text)?;
    let len = v.len();
    <[u8; N]>::try_from(v).map_err(|_| {
        Error::new(
            ErrorCode::InvalidHex,
            format!("expected {N} bytes of hex, got {len}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_prefix() {
        assert_eq!(decode("0x00ff10").unwrap(), vec![0, 255, 16]);
        assert_eq!(decode("00FF10").unwrap(), vec![0, 255, 16]);
        assert_eq!(decode("0x").unwrap(), Vec::<u8>::new());
        assert_eq!(decode("").unwrap(), Vec::<u8>::new());
        assert_eq!(encode(&[0, 255, 16]), "0x00ff10");
    }

    #[test]
    fn errors_are_invalid_hex_with_offset() {
        let e = decode("0x0").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidHex);
        let e = decode("0x00zz").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidHex);
        assert_eq!(e.offset, Some(4));
        let e = decode("0x0g").unwrap_err();
        assert_eq!(e.offset, Some(3));
        assert!(decode("0xé0").is_err());
        assert_eq!(decode_array::<2>("0x0102").unwrap(), [1, 2]);
        assert!(decode_array::<2>("0x01").is_err());
    }
}
