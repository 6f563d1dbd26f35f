//! `yuma-vectors/math-function/v1`: one helper of `tao_engine::fixed` (or of the mechanism code) per
//! case, dispatched on the case's (or the file's) `function`.
//!
//! Length: one dispatch table, one arm per upstream math helper the vectors name; splitting it
//! would only scatter the table.

use super::num::{self, matches, Cmp, Literal, Val};
use tao_engine::consensus::{self, mechanism};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::fixed::{self as fx, SafeDiv, I32F32, I64F64};
use crate::json::{as_u64, get};
use crate::Outcomes;
use serde_json::Value;

/// Run every case of a math-function file.
pub fn run(doc: &Value, out: &mut Outcomes) -> Result<()> {
    let id = doc.get("id").and_then(Value::as_str).unwrap_or("math");
    let file_fn = doc.get("function").and_then(Value::as_str).unwrap_or("");
    let lit = Literal::of_file(doc);
    let cases = doc.get("cases").and_then(Value::as_array).ok_or_else(|| {
        Error::field(
            ErrorCode::MissingField,
            "cases",
            "math-function file without cases",
        )
    })?;
    for (i, case) in cases.iter().enumerate() {
        let function = case
            .get("function")
            .and_then(Value::as_str)
            .unwrap_or(file_fn);
        let name = match case.get("test").and_then(Value::as_str) {
            Some(t) => format!("{id}#{i} {t}"),
            None => format!("{id}#{i} {}", key(function)),
        };
        out.guard(&name, |out| {
            let cx = Cx {
                case,
                name: &name,
                lit,
                cmp: Cmp::of_case(case, lit)?,
            };
            dispatch(&key(function), &cx, out)
        });
    }
    Ok(())
}

/// The bare function name: `"Pallet::split_emissions(netuid, ..)"` → `split_emissions`.
fn key(function: &str) -> String {
    let f = function.trim();
    let f = f.strip_prefix("Pallet::").unwrap_or(f);
    let end = f.find(['(', ' ', '<']).unwrap_or(f.len());
    f.get(..end).unwrap_or(f).to_string()
}

struct Cx<'a> {
    case: &'a Value,
    name: &'a str,
    lit: Literal,
    cmp: Cmp,
}

impl Cx<'_> {
    fn input(&self, k: &str) -> Result<&Value> {
        get(get(self.case, "inputs")?, k).map_err(|e| e.within("inputs"))
    }
    fn fixed(&self, k: &str) -> Result<I32F32> {
        num::fixed(self.input(k)?, self.lit)
    }
    fn vec(&self, k: &str) -> Result<Vec<I32F32>> {
        num::fixed_vec(self.input(k)?, self.lit)
    }
    fn dense(&self, k: &str) -> Result<Vec<Vec<I32F32>>> {
        num::dense(self.input(k)?, self.lit)
    }
    fn sparse(&self, k: &str) -> Result<Vec<fx::SparseRow>> {
        num::sparse(self.input(k)?, self.lit)
    }
    fn uint(&self, k: &str) -> Result<u64> {
        let v = self.input(k)?;
        as_u64(v)
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, k, format!("not an integer: {v}")))
    }
    fn usize(&self, k: &str) -> Result<usize> {
        usize::try_from(self.uint(k)?)
            .map_err(|_| Error::field(ErrorCode::TooLarge, k, "too large"))
    }
    /// Compare against `expected` (or another expected field). A case that also gives
    /// `expected_bits` (scalar or vector-valued; `expected_equals` names the expression those
    /// bits stand for) has the raw bits compared exactly as a further outcome.
    fn check(&self, out: &mut Outcomes, field: &str, actual: &Val) -> Result<()> {
        let e = get(self.case, field)?;
        out.record(self.name, field, matches(e, actual, self.cmp), e, actual);
        if field == "expected" {
            if let Some(bits) = self.case.get("expected_bits") {
                let label = match self.case.get("expected_equals").and_then(|v| v.as_str()) {
                    Some(expr) => format!("expected_bits ({expr})"),
                    None => "expected_bits".to_string(),
                };
                out.record(self.name, &label, actual.bits_match(bits), bits, actual);
            }
        }
        Ok(())
    }
    fn check_with(&self, out: &mut Outcomes, field: &str, actual: &Val, cmp: Cmp) -> Result<()> {
        let e = get(self.case, field)?;
        out.record(self.name, field, matches(e, actual, cmp), e, actual);
        Ok(())
    }
}

fn dispatch(f: &str, cx: &Cx<'_>, out: &mut Outcomes) -> Result<()> {
    let actual = match f {
        // --- conversions -------------------------------------------------------------------
        "fixed_to_u16" => Val::Int(fx::fixed_to_u16(cx.fixed64_as32("x")?).into()),
        "fixed_to_u64" => Val::Int(fx::fixed_to_u64(cx.fixed64_as32("x")?).into()),
        "fixed64_to_u64" => {
            Val::Int(fx::fixed64_to_u64(num::fixed64(cx.input("x")?, cx.lit)?).into())
        }
        "fixed64_to_fixed32" => Val::Fixed(fx::fixed64_to_fixed32(num::fixed64(
            cx.input("x")?,
            cx.lit,
        )?)),
        "vec_fixed64_to_fixed32" => {
            let v = cx.input("x")?.as_array().cloned().unwrap_or_default();
            let v: Vec<I64F64> = v
                .iter()
                .map(|x| num::fixed64(x, cx.lit))
                .collect::<Result<_>>()?;
            Val::fixed_vec(&fx::vec_fixed64_to_fixed32(&v))
        }
        "fixed32_to_fixed64" => {
            let x = fx::fixed32_to_fixed64(cx.fixed("x")?);
            Val::Fixed(fx::fixed64_to_fixed32(x))
        }
        "u16_to_fixed" => Val::Fixed(fx::u16_to_fixed(cx.u16("x")?)),
        "u16_proportion_to_fixed" => Val::Fixed(fx::u16_proportion_to_fixed(cx.u16("x")?)),
        "fixed_proportion_to_u16" => Val::Int(fx::fixed_proportion_to_u16(cx.fixed("x")?).into()),
        "vec_fixed_proportions_to_u16" => {
            Val::ints(&fx::vec_fixed_proportions_to_u16(&cx.vec("x")?))
        }
        "sum" => Val::Fixed(fx::sum(&cx.vec("x")?)),
        "is_zero" => Val::Bool(fx::is_zero(&cx.vec("x")?)),
        "inplace_normalize_using_sum" => {
            let mut v = cx.vec("x")?;
            fx::inplace_normalize_using_sum(&mut v, cx.fixed("sum")?);
            Val::fixed_vec(&v)
        }
        "normalize_64" | "inplace_normalize_64" => {
            let mut v = cx.vec64("x")?;
            fx::inplace_normalize_64(&mut v);
            Val::List(v.into_iter().map(Val::Fixed64).collect())
        }
        "vec_fixed32_to_fixed64" => Val::List(
            cx.vec("x")?
                .into_iter()
                .map(|x| Val::Fixed64(fx::fixed32_to_fixed64(x)))
                .collect(),
        ),
        "vec_fixed32_to_u64" => Val::ints(
            &cx.vec("x")?
                .into_iter()
                .map(fx::fixed_to_u64)
                .collect::<Vec<u64>>(),
        ),
        "vec_fixed64_to_u64" => Val::ints(
            &cx.vec64("x")?
                .into_iter()
                .map(fx::fixed64_to_u64)
                .collect::<Vec<u64>>(),
        ),
        "fixed_to_fixed_u16_proportion" => {
            Val::Fixed(fx::fixed_to_fixed_u16_proportion(cx.fixed("x")?))
        }
        "clamp_value" => Val::Fixed(fx::clamp_value(
            cx.fixed("value")?,
            cx.fixed("low")?,
            cx.fixed("high")?,
        )),
        "safe_exp" => Val::Fixed(fx::safe_exp(cx.fixed("x")?)),
        "fixed" => Val::Fixed(num::fixed(cx.input("x")?, Literal::F32)?),
        "checked_sum" => match fx::checked_sum_u64(&num::u64_vec(cx.input("x")?)?) {
            Some(s) => Val::Int(s.into()),
            None => Val::Null,
        },
        // --- transcendental ----------------------------------------------------------------
        "exp_safe" => return exp_safe(cx, out),
        "sigmoid_safe" => {
            let input_lit = cx
                .case
                .get("input_literal")
                .and_then(Value::as_str)
                .map_or(Literal::F64, Literal::parse);
            let input = num::fixed(cx.input("input")?, input_lit)?;
            let rho = num::fixed(cx.input("rho")?, Literal::F64)?;
            let kappa = num::fixed(cx.input("kappa")?, Literal::F64)?;
            return cx.check_with(
                out,
                "expected",
                &Val::Fixed(fx::sigmoid_safe(input, rho, kappa)),
                Cmp {
                    lit: Literal::F64,
                    ..cx.cmp
                },
            );
        }
        "EMA" => return ema_alpha(cx, out),
        "I64F64" => return u64_normalization(cx, out),
        // --- quantization --------------------------------------------------------------------
        "vec_max_upscale_to_u16" => Val::ints(&fx::vec_max_upscale_to_u16(&cx.vec("vector")?)),
        "vec_u16_max_upscale_to_u16" => Val::ints(&fx::vec_u16_max_upscale_to_u16(&num::u16_vec(
            cx.input("vector")?,
        )?)),
        "check_vec_max_limited" => Val::Bool(fx::check_vec_max_limited(
            &num::u16_vec(cx.input("vector")?)?,
            cx.u16("max_limit")?,
        )),
        // --- vectors ---------------------------------------------------------------------------
        "normalize" | "inplace_normalize" => Val::fixed_vec(&fx::normalize(&cx.vec("x")?)),
        "vecdiv" => Val::fixed_vec(&fx::vecdiv(&cx.vec("x")?, &cx.vec("y")?)),
        "vec_mul" => Val::fixed_vec(&fx::vec_mul(&cx.vec("a")?, &cx.vec("b")?)),
        "is_topk" => Val::bools(&fx::is_topk(&cx.vec("vector")?, cx.usize("k")?)),
        "is_topk_nonzero" => Val::bools(&fx::is_topk_nonzero(&cx.vec("vector")?, cx.usize("k")?)),
        "inplace_mask_vector" => {
            let mut v = cx.vec("vector")?;
            fx::inplace_mask_vector(&num::bool_vec(cx.input("mask")?)?, &mut v);
            Val::fixed_vec(&v)
        }
        // --- dense matrices --------------------------------------------------------------------
        "inplace_mask_matrix" => {
            let mut m = cx.dense("matrix")?;
            let mask = bool_matrix(cx.input("mask")?)?;
            fx::inplace_mask_matrix(&mask, &mut m);
            Val::dense(&m)
        }
        "inplace_mask_rows" => {
            let mut m = cx.dense("matrix")?;
            fx::inplace_mask_rows(&num::bool_vec(cx.input("mask")?)?, &mut m);
            Val::dense(&m)
        }
        "inplace_mask_cols" => {
            let mut m = cx.dense("matrix")?;
            fx::inplace_mask_cols(&num::bool_vec(cx.input("mask")?)?, &mut m);
            Val::dense(&m)
        }
        "inplace_mask_diag" => {
            let mut m = cx.dense("matrix")?;
            fx::inplace_mask_diag(&mut m);
            Val::dense(&m)
        }
        "inplace_mask_diag_except_index" => {
            let mut m = cx.dense("matrix")?;
            fx::inplace_mask_diag_except_index(&mut m, cx.u16("except_index")?);
            Val::dense(&m)
        }
        "inplace_row_normalize" => dense_inplace(cx, fx::inplace_row_normalize)?,
        "inplace_col_normalize" => dense_inplace(cx, fx::inplace_col_normalize)?,
        "inplace_col_max_upscale" => dense_inplace(cx, fx::inplace_col_max_upscale)?,
        "inplace_col_clip" => {
            let mut m = cx.dense("matrix")?;
            fx::inplace_col_clip(&mut m, &cx.vec("col_threshold")?);
            Val::dense(&m)
        }
        "row_sum" => Val::fixed_vec(&fx::row_sum(&cx.dense("matrix")?)),
        "row_hadamard" => Val::dense(&fx::row_hadamard(&cx.dense("matrix")?, &cx.vec("vector")?)),
        "matmul" => Val::fixed_vec(&fx::matmul(&cx.dense("matrix")?, &cx.vec("vector")?)),
        "matmul_transpose" => Val::fixed_vec(&fx::matmul_transpose(
            &cx.dense("matrix")?,
            &cx.vec("vector")?,
        )),
        "mat_vec_mul" => Val::dense(&fx::mat_vec_mul(&cx.dense("matrix")?, &cx.vec("vector")?)),
        "interpolate" => Val::dense(&fx::interpolate(
            &cx.dense("mat1")?,
            &cx.dense("mat2")?,
            ratio(cx)?,
        )),
        "mat_ema" => Val::dense(&fx::mat_ema(
            &cx.dense("new")?,
            &cx.dense("old")?,
            cx.fixed("alpha")?,
        )),
        "mat_ema_alpha" => return mat_ema_alpha_dense(cx, out),
        "weighted_median_col" => Val::fixed_vec(&fx::weighted_median_col(
            &cx.vec("stake")?,
            &cx.dense("weights")?,
            cx.fixed("majority")?,
        )),
        "weighted_median" => return weighted_median(cx, out),
        // --- sparse matrices -------------------------------------------------------------------
        "mask_rows_sparse" => {
            let mut m = cx.sparse("matrix")?;
            fx::mask_rows_sparse(&num::bool_vec(cx.input("mask")?)?, &mut m);
            Val::sparse(&m)
        }
        "mask_diag_sparse" => {
            let mut m = cx.sparse("matrix")?;
            fx::mask_diag_sparse(&mut m);
            Val::sparse(&m)
        }
        "mask_diag_sparse_except_index" => {
            let mut m = cx.sparse("matrix")?;
            fx::mask_diag_sparse_except_index(&mut m, cx.u16("except_index")?);
            Val::sparse(&m)
        }
        "vec_mask_sparse_matrix" => {
            let mut m = cx.sparse("matrix")?;
            let op = mask_fn(cx.input("mask_fn")?)?;
            fx::vec_mask_sparse_matrix(
                &mut m,
                &num::u64_vec(cx.input("first_vector")?)?,
                &num::u64_vec(cx.input("second_vector")?)?,
                op,
            );
            Val::sparse(&m)
        }
        "scalar_vec_mask_sparse_matrix" => {
            let mut m = cx.sparse("matrix")?;
            let op = mask_fn(cx.input("mask_fn")?)?;
            fx::scalar_vec_mask_sparse_matrix(
                &mut m,
                cx.uint("scalar")?,
                &num::u64_vec(cx.input("vector")?)?,
                op,
            );
            Val::sparse(&m)
        }
        "inplace_row_normalize_sparse" => {
            let mut m = cx.sparse("matrix")?;
            fx::inplace_row_normalize_sparse(&mut m);
            Val::sparse(&m)
        }
        "inplace_col_normalize_sparse" => {
            let mut m = cx.sparse("matrix")?;
            fx::inplace_col_normalize_sparse(&mut m, cx.usize("columns")?);
            Val::sparse(&m)
        }
        "inplace_col_max_upscale_sparse" => {
            let mut m = cx.sparse("matrix")?;
            fx::inplace_col_max_upscale_sparse(&mut m, cx.usize("columns")?);
            Val::sparse(&m)
        }
        "col_clip_sparse" => Val::sparse(&fx::col_clip_sparse(
            &cx.sparse("matrix")?,
            &cx.vec("col_threshold")?,
        )),
        "row_sum_sparse" => Val::fixed_vec(&fx::row_sum_sparse(&cx.sparse("matrix")?)),
        "row_hadamard_sparse" => Val::sparse(&fx::row_hadamard_sparse(
            &cx.sparse("matrix")?,
            &cx.vec("vector")?,
        )),
        "matmul_sparse" => Val::fixed_vec(&fx::matmul_sparse(
            &cx.sparse("matrix")?,
            &cx.vec("vector")?,
            cx.usize("columns")?,
        )),
        "matmul_transpose_sparse" => Val::fixed_vec(&fx::matmul_transpose_sparse(
            &cx.sparse("matrix")?,
            &cx.vec("vector")?,
        )),
        "mat_vec_mul_sparse" => Val::sparse(&fx::mat_vec_mul_sparse(
            &cx.sparse("matrix")?,
            &cx.vec("vector")?,
        )),
        "interpolate_sparse" => Val::sparse(&fx::interpolate_sparse(
            &cx.sparse("mat1")?,
            &cx.sparse("mat2")?,
            cx.usize("columns")?,
            ratio(cx)?,
        )),
        "mat_ema_sparse" => Val::sparse(&fx::mat_ema_sparse(
            &cx.sparse("new")?,
            &cx.sparse("old")?,
            cx.fixed("alpha")?,
        )),
        "mat_ema_alpha_sparse" => Val::sparse(&fx::mat_ema_alpha_sparse(
            &cx.sparse("new")?,
            &cx.sparse("old")?,
            &cx.dense("alpha")?,
        )),
        "weighted_median_col_sparse" => Val::fixed_vec(&fx::weighted_median_col_sparse(
            &cx.vec("stake")?,
            &cx.sparse("weights")?,
            cx.usize("columns")?,
            cx.fixed("majority")?,
        )),
        // --- bonds / mechanisms ----------------------------------------------------------------
        "compute_bonds_liquid_alpha_vs_fixed" => return liquid_alpha_vs_fixed(cx, out),
        "split_emissions" => {
            let count = u8::try_from(cx.uint("mechanism_count")?)
                .map_err(|_| Error::field(ErrorCode::TooLarge, "mechanism_count", "too large"))?;
            let split = match cx.input("mechanism_emission_split")? {
                Value::Null => None,
                v => Some(num::u16_vec(v)?),
            };
            Val::ints(&mechanism::split_emissions(
                count,
                split.as_deref(),
                cx.uint("alpha")?,
            ))
        }
        "get_mechanism_storage_index" | "get_netuid_and_subid" => return storage_index(cx, out),
        other => {
            out.fail(
                cx.name,
                "function",
                format!("no handler for math function {other:?}"),
            );
            return Ok(());
        }
    };
    cx.check(out, "expected", &actual)
}

impl Cx<'_> {
    fn vec64(&self, k: &str) -> Result<Vec<I64F64>> {
        let v = self.input(k)?;
        v.as_array()
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, k, "not a list"))?
            .iter()
            .map(|x| num::fixed64(x, self.lit))
            .collect()
    }
    fn u16(&self, k: &str) -> Result<u16> {
        u16::try_from(self.uint(k)?).map_err(|_| Error::field(ErrorCode::TooLarge, k, "not a u16"))
    }
    /// An I32F32 input given as an exact integer that may not fit I32F32 (saturating).
    fn fixed64_as32(&self, k: &str) -> Result<I32F32> {
        Ok(I32F32::saturating_from_num(num::fixed64(
            self.input(k)?,
            self.lit,
        )?))
    }
}

fn dense_inplace(cx: &Cx<'_>, f: fn(&mut [Vec<I32F32>])) -> Result<Val> {
    let mut m = cx.dense("matrix")?;
    f(&mut m);
    Ok(Val::dense(&m))
}

fn bool_matrix(v: &Value) -> Result<Vec<Vec<bool>>> {
    v.as_array().map_or(Ok(Vec::new()), |rows| {
        rows.iter().map(num::bool_vec).collect()
    })
}

/// The interpolation ratio: an f64 literal unless the case says otherwise.
fn ratio(cx: &Cx<'_>) -> Result<I32F32> {
    let lit = cx
        .case
        .get("ratio_literal")
        .and_then(Value::as_str)
        .map_or(Literal::F64, Literal::parse);
    num::fixed(cx.input("ratio")?, lit)
}

fn mask_fn(v: &Value) -> Result<fn(u64, u64) -> bool> {
    Ok(match v.as_str().unwrap_or("") {
        "a == b" => |a, b| a == b,
        "a != b" => |a, b| a != b,
        "a < b" => |a, b| a < b,
        "a <= b" => |a, b| a <= b,
        "a > b" => |a, b| a > b,
        "a >= b" => |a, b| a >= b,
        other => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "mask_fn",
                format!("unknown mask_fn {other:?}"),
            ))
        }
    })
}

fn exp_safe(cx: &Cx<'_>, out: &mut Outcomes) -> Result<()> {
    let y = fx::exp_safe(cx.fixed("x")?);
    let bits = get(cx.case, "expected_bits")?;
    let want = bits.as_i64().map(i128::from);
    out.record(
        cx.name,
        "expected_bits",
        want == Some(y.to_bits().into()),
        bits,
        y.to_bits(),
    );
    Ok(())
}

/// `1 − I32F32(I64F64(bma) / 1e6)`, or `1 − I32F32(ratio)` for a given I64F64 ratio expression.
fn ema_alpha(cx: &Cx<'_>, out: &mut Outcomes) -> Result<()> {
    let inputs = get(cx.case, "inputs")?;
    let alpha = if let Some(bma) = inputs.get("bonds_moving_average").and_then(as_u64) {
        consensus::Hyperparameters {
            bonds_moving_average: bma,
            ..Default::default()
        }
        .ema_alpha()
    } else {
        let expr = get(inputs, "bonds_moving_average_ratio")?
            .as_str()
            .unwrap_or("");
        let ratio = ratio_expr(expr)?;
        fx::ONE.saturating_sub(I32F32::saturating_from_num(ratio))
    };
    cx.check_with(
        out,
        "expected",
        &Val::Fixed(alpha),
        Cmp {
            lit: Literal::F64,
            ..cx.cmp
        },
    )?;
    if let Some(bits) = cx.case.get("expected_bits") {
        let ok = bits.as_i64() == Some(alpha.to_bits());
        out.record(cx.name, "expected_bits", ok, bits, alpha.to_bits());
    }
    Ok(())
}

/// `"I64F64(a)/I64F64(b)"` with I32F32 literals `a`, `b`.
fn ratio_expr(expr: &str) -> Result<I64F64> {
    let parts: Vec<&str> = expr.split('/').collect();
    let arg = |p: &str| -> Result<I64F64> {
        let inner = p
            .trim()
            .strip_prefix("I64F64(")
            .and_then(|s| s.strip_suffix(')'));
        let inner =
            inner.ok_or_else(|| Error::new(ErrorCode::Unsupported, format!("ratio {expr:?}")))?;
        Ok(fx::fixed32_to_fixed64(num::fixed(
            &Value::from(inner),
            Literal::Int,
        )?))
    };
    match parts.as_slice() {
        [a, b] => Ok(arg(a)?.safe_div(arg(b)?)),
        _ => Err(Error::new(
            ErrorCode::Unsupported,
            format!("ratio {expr:?}"),
        )),
    }
}

fn u64_normalization(cx: &Cx<'_>, out: &mut Outcomes) -> Result<()> {
    let x = I64F64::saturating_from_num(cx.uint("x")?);
    let s = I64F64::saturating_from_num(cx.uint("sum")?);
    let q64 = x.safe_div(s);
    let q32 = fx::fixed64_to_fixed32(q64);
    for (field, lit) in [
        ("expected_i64f64", Literal::Int),
        ("expected_i64f64_equals_from_num", Literal::F64),
    ] {
        if let Some(e) = cx.case.get(field) {
            let want = num::fixed64(e, lit)?;
            out.record(cx.name, field, want == q64, e, format!("{q64:?}"));
        }
    }
    for (field, lit) in [
        ("expected_i32f32", Literal::Int),
        ("expected_i32f32_equals_from_num", Literal::F64),
    ] {
        if cx.case.get(field).is_some() {
            cx.check_with(out, field, &Val::Fixed(q32), Cmp { lit, epsilon: None })?;
        }
    }
    Ok(())
}

fn mat_ema_alpha_dense(cx: &Cx<'_>, out: &mut Outcomes) -> Result<()> {
    let r = fx::mat_ema_alpha(&cx.dense("new")?, &cx.dense("old")?, &cx.dense("alpha")?);
    if cx.case.get("expected_first_element").is_some() {
        let first = r.first().and_then(|row| row.first()).copied();
        let v = first.map_or(Val::Null, Val::Fixed);
        return cx.check(out, "expected_first_element", &v);
    }
    cx.check(out, "expected", &Val::dense(&r))
}

/// `weighted_median` with the upstream test's expressions for its arguments.
fn weighted_median(cx: &Cx<'_>, out: &mut Outcomes) -> Result<()> {
    let stake = match cx.input("stake")? {
        Value::String(s) => {
            let inner = s
                .strip_prefix("normalize(")
                .and_then(|s| s.strip_suffix(')'))
                .unwrap_or(s);
            let list: Value = serde_json::from_str(inner)
                .map_err(|e| Error::field(ErrorCode::InvalidJson, "stake", e.to_string()))?;
            let v: Vec<I32F32> = list
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| num::fixed(&Value::from(x.to_string()), cx.lit))
                        .collect::<Result<_>>()
                })
                .transpose()?
                .unwrap_or_default();
            if s.starts_with("normalize(") {
                fx::normalize(&v)
            } else {
                v
            }
        }
        v => num::fixed_vec(v, cx.lit)?,
    };
    let score = cx.vec("score")?;
    let majority = cx.fixed("majority")?;
    let expr = |k: &str, default: &str| -> Result<String> {
        Ok(cx
            .input(k)
            .ok()
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string())
    };
    let minority = match expr("minority", "1 - majority")?.as_str() {
        "1 - majority" => fx::ONE.saturating_sub(majority),
        other => num::fixed(&Value::from(other), cx.lit)?,
    };
    let lo = match expr("partition_lo", "0")?.as_str() {
        "0" => fx::ZERO,
        other => num::fixed(&Value::from(other), cx.lit)?,
    };
    let hi = match expr("partition_hi", "sum(stake)")?.as_str() {
        "sum(stake)" => fx::sum(&stake),
        other => num::fixed(&Value::from(other), cx.lit)?,
    };
    let idx: Vec<usize> = (0..stake.len()).collect();
    let m = fx::weighted_median(&stake, &score, &idx, minority, lo, hi);
    cx.check(out, "expected", &Val::Fixed(m))
}

/// Liquid alpha with `alpha_low == alpha_high` against the fixed-alpha EMA (dense `compute_bonds`).
fn liquid_alpha_vs_fixed(cx: &Cx<'_>, out: &mut Outcomes) -> Result<()> {
    let weights = cx.dense("weights")?;
    let bonds = cx.dense("bonds")?;
    let consensus = cx.vec("consensus")?;
    let hp = consensus::Hyperparameters {
        liquid_alpha_enabled: true,
        alpha_low: cx.u16("alpha_low")?,
        alpha_high: cx.u16("alpha_high")?,
        alpha_sigmoid_steepness: i16::try_from(cx.uint("alpha_sigmoid_steepness")?)
            .unwrap_or(i16::MAX),
        bonds_moving_average: cx.uint("bonds_moving_average")?,
        ..Default::default()
    };
    let on = consensus::bonds::compute_bonds_dense(&hp, &weights, &bonds, &consensus);
    let off = fx::mat_ema(&weights, &bonds, hp.ema_alpha());
    let close = on.len() == off.len()
        && on.iter().zip(&off).all(|(a, b)| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| num::fixed_close(*x, *y, cx.cmp))
        });
    out.record(
        cx.name,
        "liquid_alpha_on ~= liquid_alpha_off",
        close,
        Val::dense(&off),
        Val::dense(&on),
    );
    if let Some(d) = cx.case.get("derived") {
        for (field, m) in [
            ("liquid_alpha_on_bits", &on),
            ("liquid_alpha_off_bits", &off),
        ] {
            if let Some(e) = d.get(field) {
                let bits: Vec<Vec<i64>> = m
                    .iter()
                    .map(|r| r.iter().map(|x| x.to_bits()).collect())
                    .collect();
                let want: Option<Vec<Vec<i64>>> = serde_json::from_value(e.clone()).ok();
                out.record(
                    cx.name,
                    field,
                    want.as_ref() == Some(&bits),
                    e,
                    format!("{bits:?}"),
                );
            }
        }
    }
    Ok(())
}

fn storage_index(cx: &Cx<'_>, out: &mut Outcomes) -> Result<()> {
    let inputs = get(cx.case, "inputs")?;
    if inputs.get("storage_index").is_some() {
        let (netuid, mech) = mechanism::netuid_and_mech(cx.u16("storage_index")?);
        cx.check(out, "expected_netuid", &Val::Int(netuid.into()))?;
        cx.check(out, "expected_mech_id", &Val::Int(mech.into()))
    } else {
        let mech = u8::try_from(cx.uint("mech_id")?)
            .map_err(|_| Error::field(ErrorCode::TooLarge, "mech_id", "not a u8"))?;
        let idx = mechanism::storage_index(cx.u16("netuid")?, mech);
        cx.check(out, "expected_storage_index", &Val::Int(idx.into()))
    }
}
