//! Number conventions of the yuma vectors (README "Number conventions") and a structural
//! comparison of computed values against expected JSON.

use serde_json::Value;
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::fixed::{I32F32, I64F64};

/// How a decimal literal of a file becomes a fixed-point value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literal {
    /// Nearest f32, then `from_num` (round to nearest, ties to even).
    F32,
    /// Nearest f64, then `from_num`.
    F64,
    /// Exact decimal value.
    Int,
}

impl Literal {
    /// From a `number_format.literal_type` / `input_literal` string.
    pub fn parse(s: &str) -> Literal {
        match s {
            "f32" => Literal::F32,
            "f64" => Literal::F64,
            _ => Literal::Int,
        }
    }

    /// The file's literal type (default f32, the upstream `vec_to_fixed` convention).
    pub fn of_file(doc: &Value) -> Literal {
        doc.get("number_format")
            .and_then(|f| f.get("literal_type"))
            .and_then(Value::as_str)
            .map_or(Literal::F32, Literal::parse)
    }
}

fn bad(what: &str, v: &Value) -> Error {
    Error::new(ErrorCode::InvalidType, format!("not a {what}: {v}"))
}

/// Exact decimal string → I64F64 bits (value·2^64), for integers and finite decimals.
fn exact_decimal_bits(s: &str) -> Option<i128> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let int: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut bits = int.checked_mul(1i128 << 64)?;
    if !frac.is_empty() {
        // floor(0.frac · 2^64): double the decimal fraction 64 times, collecting the carries.
        let mut digits: Vec<u32> = frac
            .chars()
            .map(|c| c.to_digit(10))
            .collect::<Option<_>>()?;
        let mut acc: u128 = 0;
        for _ in 0..64 {
            let mut carry = 0;
            for d in digits.iter_mut().rev() {
                let x = *d * 2 + carry;
                *d = x % 10;
                carry = x / 10;
            }
            acc = (acc << 1) | u128::from(carry);
        }
        bits = bits.checked_add(i128::try_from(acc).ok()?)?;
    }
    Some(if neg { -bits } else { bits })
}

/// A fixed-point literal as I64F64 (value exactly, or via f32/f64 rounding).
pub fn fixed64(v: &Value, lit: Literal) -> Result<I64F64> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err(bad("fixed-point literal", v)),
    };
    match s.as_str() {
        "I32F32::MAX" => return Ok(I64F64::from_num(I32F32::max_value())),
        "I32F32::MIN" => return Ok(I64F64::from_num(I32F32::min_value())),
        _ => {}
    }
    let out = match lit {
        Literal::F32 => s.parse::<f32>().ok().and_then(I64F64::checked_from_num),
        Literal::F64 => s.parse::<f64>().ok().and_then(I64F64::checked_from_num),
        Literal::Int => exact_decimal_bits(&s).map(I64F64::from_bits),
    };
    out.ok_or_else(|| bad("fixed-point literal", v))
}

/// A fixed-point literal as I32F32. `f32`/`f64` literals round once, from the float to I32F32.
pub fn fixed(v: &Value, lit: Literal) -> Result<I32F32> {
    if let Value::String(s) = v {
        match (s.as_str(), lit) {
            ("I32F32::MAX", _) => return Ok(I32F32::max_value()),
            ("I32F32::MIN", _) => return Ok(I32F32::min_value()),
            (_, Literal::F32) => {
                return s
                    .parse::<f32>()
                    .ok()
                    .and_then(I32F32::checked_from_num)
                    .ok_or_else(|| bad("I32F32", v))
            }
            (_, Literal::F64) => {
                return s
                    .parse::<f64>()
                    .ok()
                    .and_then(I32F32::checked_from_num)
                    .ok_or_else(|| bad("I32F32", v))
            }
            _ => {}
        }
    }
    if let (Value::Number(n), Literal::F32 | Literal::F64) = (v, lit) {
        if let Some(f) = n.as_f64() {
            let r = if lit == Literal::F32 {
                I32F32::checked_from_num(f as f32)
            } else {
                I32F32::checked_from_num(f)
            };
            return r.ok_or_else(|| bad("I32F32", v));
        }
    }
    let x = fixed64(v, Literal::Int)?;
    I32F32::checked_from_num(x).ok_or_else(|| bad("I32F32", v))
}

/// A list of fixed-point literals.
pub fn fixed_vec(v: &Value, lit: Literal) -> Result<Vec<I32F32>> {
    v.as_array()
        .ok_or_else(|| bad("list", v))?
        .iter()
        .map(|x| fixed(x, lit))
        .collect()
}

/// A dense matrix of fixed-point literals.
pub fn dense(v: &Value, lit: Literal) -> Result<Vec<Vec<I32F32>>> {
    v.as_array()
        .ok_or_else(|| bad("matrix", v))?
        .iter()
        .map(|r| fixed_vec(r, lit))
        .collect()
}

/// A sparse matrix: rows of `[column, value]`.
pub fn sparse(v: &Value, lit: Literal) -> Result<Vec<Vec<(u16, I32F32)>>> {
    v.as_array()
        .ok_or_else(|| bad("sparse matrix", v))?
        .iter()
        .map(|row| {
            row.as_array()
                .ok_or_else(|| bad("sparse row", row))?
                .iter()
                .map(|e| {
                    let col = e
                        .get(0)
                        .and_then(Value::as_u64)
                        .and_then(|c| u16::try_from(c).ok());
                    let col = col.ok_or_else(|| bad("sparse entry", e))?;
                    Ok((col, fixed(e.get(1).unwrap_or(&Value::Null), lit)?))
                })
                .collect()
        })
        .collect()
}

// The scenario interpreter's list readers: one reading of the number conventions for both.
pub use tao_engine::consensus::epoch_scenario::{
    bool_list as bool_vec, u16_list as u16_vec, u64_list as u64_vec,
};

/// A computed value, shaped like the expected JSON it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Fixed-point number.
    Fixed(I32F32),
    /// 64.64 fixed-point number.
    Fixed64(I64F64),
    /// Integer.
    Int(i128),
    /// Boolean.
    Bool(bool),
    /// `None`.
    Null,
    /// Sparse entry.
    Pair(u16, I32F32),
    /// List.
    List(Vec<Val>),
}

impl Val {
    /// A fixed vector.
    pub fn fixed_vec(v: &[I32F32]) -> Val {
        Val::List(v.iter().map(|x| Val::Fixed(*x)).collect())
    }
    /// A dense matrix.
    pub fn dense(m: &[Vec<I32F32>]) -> Val {
        Val::List(m.iter().map(|r| Val::fixed_vec(r)).collect())
    }
    /// A sparse matrix.
    pub fn sparse(m: &[Vec<(u16, I32F32)>]) -> Val {
        Val::List(
            m.iter()
                .map(|r| Val::List(r.iter().map(|&(j, v)| Val::Pair(j, v)).collect()))
                .collect(),
        )
    }
    /// A list of integers.
    pub fn ints<T: Copy + Into<i128>>(v: &[T]) -> Val {
        Val::List(v.iter().map(|x| Val::Int((*x).into())).collect())
    }
    /// A list of booleans.
    pub fn bools(v: &[bool]) -> Val {
        Val::List(v.iter().map(|x| Val::Bool(*x)).collect())
    }

    /// Whether `bits` (an `expected_bits` field: raw two's-complement bits of each fixed-point
    /// value, as a number or decimal string, nested like the value; a sparse entry as
    /// `[column, bits]`) equals this value's bits. Integers and booleans compare by value.
    pub fn bits_match(&self, bits: &serde_json::Value) -> bool {
        let num = |b: &serde_json::Value| -> Option<i128> {
            b.as_i64()
                .map(i128::from)
                .or_else(|| b.as_u64().map(i128::from))
                .or_else(|| b.as_str().and_then(|s| s.trim().parse::<i128>().ok()))
        };
        match (self, bits) {
            (Val::Fixed(x), b) => num(b) == Some(i128::from(x.to_bits())),
            (Val::Fixed64(x), b) => num(b) == Some(x.to_bits()),
            (Val::Int(x), b) => num(b) == Some(*x),
            (Val::Bool(x), b) => b.as_bool() == Some(*x),
            (Val::Null, b) => b.is_null(),
            (Val::Pair(j, x), serde_json::Value::Array(a)) => {
                a.len() == 2
                    && a.first().and_then(serde_json::Value::as_u64) == Some(u64::from(*j))
                    && a.get(1).and_then(num) == Some(i128::from(x.to_bits()))
            }
            (Val::List(v), serde_json::Value::Array(a)) => {
                v.len() == a.len() && v.iter().zip(a).all(|(x, b)| x.bits_match(b))
            }
            _ => false,
        }
    }
}

impl core::fmt::Display for Val {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Val::Fixed(x) => write!(f, "{x:?}"),
            Val::Fixed64(x) => write!(f, "{x:?}"),
            Val::Int(x) => write!(f, "{x}"),
            Val::Bool(x) => write!(f, "{x}"),
            Val::Null => f.write_str("null"),
            Val::Pair(j, v) => write!(f, "({j}, {v:?})"),
            Val::List(l) => {
                f.write_str("[")?;
                for (i, x) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{x}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// How fixed-point values are compared.
#[derive(Debug, Clone, Copy)]
pub struct Cmp {
    /// Literal type of expected values.
    pub lit: Literal,
    /// `Some(eps)` for `abs_le`, `None` for exact.
    pub epsilon: Option<I32F32>,
}

impl Cmp {
    /// From a case's `compare` object.
    pub fn of_case(case: &Value, lit: Literal) -> Result<Cmp> {
        let c = case.get("compare");
        let mode = c
            .and_then(|c| c.get("mode"))
            .and_then(Value::as_str)
            .unwrap_or("exact");
        let epsilon = match mode {
            "abs_le" => {
                let e = c
                    .and_then(|c| c.get("epsilon"))
                    .ok_or_else(|| bad("epsilon", case))?;
                Some(fixed(e, Literal::F64)?)
            }
            _ => None,
        };
        Ok(Cmp { lit, epsilon })
    }
}

/// Whether `actual` matches `expected` under `cmp`.
pub fn matches(expected: &Value, actual: &Val, cmp: Cmp) -> bool {
    match (actual, expected) {
        (Val::Null, Value::Null) => true,
        (Val::Bool(a), Value::Bool(e)) => a == e,
        (Val::Int(a), e) => {
            super::super::json::as_u128(e)
                .map(i128::try_from)
                .and_then(|r| r.ok())
                == Some(*a)
                || e.as_i64().map(i128::from) == Some(*a)
        }
        (Val::Fixed(a), e) => match fixed(e, cmp.lit) {
            Ok(e) => fixed_close(*a, e, cmp),
            Err(_) => false,
        },
        (Val::Fixed64(a), e) => match fixed64(e, cmp.lit) {
            Ok(e) => match cmp.epsilon {
                None => *a == e,
                Some(eps) => a.saturating_sub(e).saturating_abs() <= I64F64::from_num(eps),
            },
            Err(_) => false,
        },
        (Val::Pair(j, v), Value::Array(e)) if e.len() == 2 => {
            e.first().and_then(Value::as_u64) == Some(u64::from(*j))
                && e.get(1).is_some_and(|x| matches(x, &Val::Fixed(*v), cmp))
        }
        (Val::List(a), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(x, y)| matches(y, x, cmp))
        }
        _ => false,
    }
}

/// `|a − e| ≤ ε` (I32F32, saturating) or exact equality.
pub fn fixed_close(a: I32F32, e: I32F32, cmp: Cmp) -> bool {
    match cmp.epsilon {
        None => a == e,
        Some(eps) => a.saturating_sub(e).saturating_abs() <= eps,
    }
}
