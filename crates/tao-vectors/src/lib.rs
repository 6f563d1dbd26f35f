//! The reference-vector harness: one JSON vector file in, one pass/fail [`Outcome`] per checked
//! field group out.
//!
//! The same code runs natively (`src/bin/tao-vectors.rs`, called by `scripts/vectors`) and inside
//! the wasm package (`runVectorFile`, driven by `scripts/vectors.mjs` under Node), so the two
//! engines are held to the same comparisons. Files are dispatched on their `schema` field:
//! `yuma-vectors/*` → [`yuma`], `pool-vectors/*` → [`pool`], and chain captures (no schema, a
//! `type` or `result_wrapping` field) → [`chain`]. A file no runner understands is an error, never
//! a silent pass; a case a runner cannot evaluate yet is a failed outcome.

use serde_json::Value;
use tao_engine::error::{Error, ErrorCode, Result};

pub mod chain;
pub mod emission_cases;
pub mod pool;
pub mod pool_cases;
pub mod schedule_cases;
pub mod yuma;

/// One checked field group of one case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    /// Case name (or `file` for file-level checks).
    pub case: String,
    /// The field or field group checked.
    pub field: String,
    /// Whether the check held.
    pub passed: bool,
    /// Expected value, rendered.
    pub expected: String,
    /// Actual value, rendered.
    pub actual: String,
}

/// All outcomes of one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    /// The file's schema string.
    pub schema: String,
    /// Outcomes in file order.
    pub outcomes: Vec<Outcome>,
}

impl FileReport {
    /// Number of passed outcomes.
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.passed).count()
    }
    /// Number of failed outcomes.
    pub fn failed(&self) -> usize {
        self.outcomes.len().saturating_sub(self.passed())
    }
}

/// Collects outcomes for one file.
#[derive(Debug, Default)]
pub struct Outcomes {
    list: Vec<Outcome>,
}

impl Outcomes {
    /// Record a check.
    pub fn record(
        &mut self,
        case: &str,
        field: &str,
        passed: bool,
        expected: impl ToString,
        actual: impl ToString,
    ) {
        self.list.push(Outcome {
            case: case.to_string(),
            field: field.to_string(),
            passed,
            expected: expected.to_string(),
            actual: actual.to_string(),
        });
    }

    /// Record an equality check.
    pub fn eq<T: PartialEq + core::fmt::Debug>(
        &mut self,
        case: &str,
        field: &str,
        expected: T,
        actual: T,
    ) {
        let passed = expected == actual;
        self.record(
            case,
            field,
            passed,
            format!("{expected:?}"),
            format!("{actual:?}"),
        );
    }

    /// Record a check that could not be evaluated (always a failure).
    pub fn fail(&mut self, case: &str, field: &str, why: impl ToString) {
        self.record(case, field, false, "(evaluable case)", why.to_string());
    }

    /// Record the result of evaluating a case: `Ok` outcomes are recorded by the closure itself,
    /// an `Err` becomes one failed outcome naming the error.
    pub fn guard(&mut self, case: &str, f: impl FnOnce(&mut Outcomes) -> Result<()>) {
        if let Err(e) = f(self) {
            self.fail(case, "evaluation", e);
        }
    }

    /// The recorded outcomes, in order.
    pub fn into_outcomes(self) -> Vec<Outcome> {
        self.list
    }

    /// Number recorded so far.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Run one vector file given as JSON text.
///
/// Errors only when the file itself is unusable (not JSON, unknown schema); every case problem is
/// a failed [`Outcome`].
pub fn run_file(text: &str) -> Result<FileReport> {
    run_file_with(text, &|_| None)
}

/// [`run_file`] for a file that names other files (a metadata fixture's `.scale` blob): `load`
/// returns the bytes of a name relative to the vector file's folder, or `None`.
pub fn run_file_with(text: &str, load: &dyn Fn(&str) -> Option<Vec<u8>>) -> Result<FileReport> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| Error::new(ErrorCode::InvalidJson, format!("not JSON: {e}")))?;
    let mut out = Outcomes::default();
    let schema = doc
        .get("schema")
        .and_then(Value::as_str)
        .map(str::to_string);
    let schema = match schema {
        Some(s) if s.starts_with("yuma-vectors/") => {
            yuma::run(&doc, &s, &mut out)?;
            s
        }
        Some(s) if s.starts_with("pool-vectors/") => {
            pool::run(&doc, &mut out)?;
            s
        }
        None if doc.get("type").is_some() || doc.get("result_wrapping").is_some() => {
            chain::run_with(&doc, &mut out, load)?;
            "chain-fixture".to_string()
        }
        other => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "schema",
                format!("no runner for schema {other:?}"),
            ))
        }
    };
    if out.is_empty() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "file has no cases the harness could find",
        ));
    }
    Ok(FileReport {
        schema,
        outcomes: out.list,
    })
}

/// Small JSON access helpers shared by the runners.
pub mod json {
    use super::*;

    /// `v[key]`, or a `MISSING_FIELD` error.
    pub fn get<'a>(v: &'a Value, key: &str) -> Result<&'a Value> {
        v.get(key)
            .ok_or_else(|| Error::field(ErrorCode::MissingField, key, "missing"))
    }

    /// A u64 given as a JSON number or a decimal string.
    pub fn u64_of(v: &Value, key: &str) -> Result<u64> {
        let x = get(v, key)?;
        as_u64(x)
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, key, format!("not a u64: {x}")))
    }

    /// A u64 given as a JSON number or a decimal string.
    pub fn as_u64(x: &Value) -> Option<u64> {
        match x {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// A u128 given as a JSON number or a decimal string.
    pub fn as_u128(x: &Value) -> Option<u128> {
        match x {
            Value::Number(n) => n.as_u64().map(u128::from),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// A string field.
    pub fn str_of<'a>(v: &'a Value, key: &str) -> Result<&'a str> {
        get(v, key)?
            .as_str()
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, key, "not a string"))
    }

    /// An array field.
    pub fn arr_of<'a>(v: &'a Value, key: &str) -> Result<&'a Vec<Value>> {
        get(v, key)?
            .as_array()
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, key, "not an array"))
    }
}
