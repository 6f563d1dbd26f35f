//! The one error type of the engine, with stable machine-readable codes.
//!
//! Every fallible core function returns [`Error`]. The wasm layer (`crates/tao-engine-wasm/src/convert.rs`) turns it
//! into a real JS `Error` (or `RangeError`) whose `code` property is [`ErrorCode::as_str`] and whose
//! `field` property names the offending input. Codes are part of the public API: never rename one.

use core::fmt;

/// Stable error codes. The string form (`as_str`) is what JS sees as `err.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A value has the wrong type or shape (e.g. a string where a number was expected).
    InvalidType,
    /// A required field is missing.
    MissingField,
    /// A number is not finite (NaN or ±Infinity).
    NotFinite,
    /// A number has a fractional part where an integer is required.
    NotAnInteger,
    /// An amount or count is negative.
    Negative,
    /// A value is above the largest value its type can hold (e.g. above u64::MAX).
    TooLarge,
    /// A value is outside the allowed range for this parameter.
    OutOfRange,
    /// An amount is zero where a positive amount is required.
    ZeroAmount,
    /// Two inputs that must have the same length do not.
    LengthMismatch,
    /// A UID is not below the subnet size.
    UidOutOfRange,
    /// More UIDs than a subnet can hold (4096).
    TooManyUids,
    /// The same UID appears twice where it must be unique.
    DuplicateUid,
    /// A hyperparameter fails the chain's own validation.
    InvalidHyperparameter,
    /// Bytes could not be decoded as the requested type.
    Decode,
    /// Decoding succeeded but bytes were left over.
    TrailingBytes,
    /// Decoding hit the nesting-depth or allocation limit.
    DecodeLimit,
    /// Malformed hex text.
    InvalidHex,
    /// Malformed JSON text.
    InvalidJson,
    /// The pool has no liquidity (or would be drained by this trade).
    EmptyPool,
    /// The limit price cannot be met (fill-or-kill).
    LimitNotFillable,
    /// No pool era / rule set matches the request.
    UnknownEra,
    /// The request names a thing the engine does not know (schema, type, function).
    Unsupported,
    /// A network request failed, timed out or was answered with an error.
    Rpc,
    /// The operation was cancelled by the caller.
    Cancelled,
    /// An internal invariant failed. This is a bug; please report it.
    Internal,
    /// The runtime `spec_version` is one the engine has no rules for (and no approximation was accepted).
    UnsupportedRuntime,
    /// A drand pulse's signature is not quicknet's signature of its round (forged, altered, of
    /// another round, or not a curve point), or its randomness is not the signature's hash.
    TimelockBadSignature,
    /// A timelock key (pulse) of one round was offered for a commit of another round.
    TimelockWrongRound,
    /// A timelock ciphertext is malformed, was made for another round, or was altered.
    TimelockBadCiphertext,
    /// A decrypted commit holds neither weight payload layout.
    TimelockBadPayload,
    /// A decrypted commit names another hotkey than the one that committed it.
    TimelockHotkeyMismatch,
}

impl ErrorCode {
    /// The stable string form, e.g. `"LENGTH_MISMATCH"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidType => "INVALID_TYPE",
            ErrorCode::MissingField => "MISSING_FIELD",
            ErrorCode::NotFinite => "NOT_FINITE",
            ErrorCode::NotAnInteger => "NOT_AN_INTEGER",
            ErrorCode::Negative => "NEGATIVE",
            ErrorCode::TooLarge => "TOO_LARGE",
            ErrorCode::OutOfRange => "OUT_OF_RANGE",
            ErrorCode::ZeroAmount => "ZERO_AMOUNT",
            ErrorCode::LengthMismatch => "LENGTH_MISMATCH",
            ErrorCode::UidOutOfRange => "UID_OUT_OF_RANGE",
            ErrorCode::TooManyUids => "TOO_MANY_UIDS",
            ErrorCode::DuplicateUid => "DUPLICATE_UID",
            ErrorCode::InvalidHyperparameter => "INVALID_HYPERPARAMETER",
            ErrorCode::Decode => "DECODE",
            ErrorCode::TrailingBytes => "TRAILING_BYTES",
            ErrorCode::DecodeLimit => "DECODE_LIMIT",
            ErrorCode::InvalidHex => "INVALID_HEX",
            ErrorCode::InvalidJson => "INVALID_JSON",
            ErrorCode::EmptyPool => "EMPTY_POOL",
            ErrorCode::LimitNotFillable => "LIMIT_NOT_FILLABLE",
            ErrorCode::UnknownEra => "UNKNOWN_ERA",
            ErrorCode::Unsupported => "UNSUPPORTED",
            ErrorCode::Rpc => "RPC",
            ErrorCode::Cancelled => "CANCELLED",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::UnsupportedRuntime => "UNSUPPORTED_RUNTIME",
            ErrorCode::TimelockBadSignature => "TIMELOCK_BAD_SIGNATURE",
            ErrorCode::TimelockWrongRound => "TIMELOCK_WRONG_ROUND",
            ErrorCode::TimelockBadCiphertext => "TIMELOCK_BAD_CIPHERTEXT",
            ErrorCode::TimelockBadPayload => "TIMELOCK_BAD_PAYLOAD",
            ErrorCode::TimelockHotkeyMismatch => "TIMELOCK_HOTKEY_MISMATCH",
        }
    }

    /// Whether JS should see this as a `RangeError` rather than a plain `Error`.
    pub const fn is_range(self) -> bool {
        matches!(
            self,
            ErrorCode::Negative
                | ErrorCode::TooLarge
                | ErrorCode::OutOfRange
                | ErrorCode::NotFinite
                | ErrorCode::NotAnInteger
                | ErrorCode::UidOutOfRange
                | ErrorCode::TooManyUids
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An engine error: a stable [`ErrorCode`], the offending field (a dotted path such as
/// `weights[3]` or `pool.tao_reserve`), an optional byte offset (decoders), and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Stable code.
    pub code: ErrorCode,
    /// Path of the offending input field, if one is to blame.
    pub field: Option<String>,
    /// Byte offset into the input (decoders only).
    pub offset: Option<usize>,
    /// Human-readable explanation.
    pub message: String,
}

impl Error {
    /// An error with a code and a message, blaming no particular field.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            field: None,
            offset: None,
            message: message.into(),
        }
    }

    /// An error blaming `field`.
    pub fn field(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            code,
            field: Some(field.into()),
            offset: None,
            message: message.into(),
        }
    }

    /// Attach (or replace) the blamed field.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Prefix the blamed field with a parent path (`inner` becomes `parent.inner`).
    #[must_use]
    pub fn within(mut self, parent: &str) -> Self {
        self.field = Some(match self.field.take() {
            Some(f) if f.starts_with('[') => format!("{parent}{f}"),
            Some(f) => format!("{parent}.{f}"),
            None => parent.to_string(),
        });
        self
    }

    /// Attach a byte offset.
    #[must_use]
    pub fn at_offset(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(field) = &self.field {
            write!(f, " ({field})")?;
        }
        if let Some(offset) = self.offset {
            write!(f, " at byte {offset}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_code_field_and_offset() {
        let e = Error::field(ErrorCode::Decode, "neurons[3].stake", "truncated").at_offset(17);
        assert_eq!(
            e.to_string(),
            "DECODE (neurons[3].stake) at byte 17: truncated"
        );
    }

    #[test]
    fn within_builds_paths() {
        let e = Error::field(ErrorCode::Negative, "amount", "x").within("quote");
        assert_eq!(e.field.as_deref(), Some("quote.amount"));
        let e = Error::field(ErrorCode::Negative, "[2]", "x").within("stakes");
        assert_eq!(e.field.as_deref(), Some("stakes[2]"));
    }
}
