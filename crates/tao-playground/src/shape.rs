//! Shape checks of a batch before anything is sized from it (the JS binding and the WebGPU
//! backend run them on caller input), and the context trim that feeds a shorter-context model the
//! same text challenges.

use super::model::Model;
use super::shaders::MAX_BATCH;
use tao_engine::error::{Error, ErrorCode, Result};

/// The context (characters per challenge) of the shipped text models, and the default of text
/// challenges. The bigram reads only the last character.
pub const TEXT_CONTEXT: usize = 12;

/// Most outputs one dense layer may produce (`m * n`): larger requests are refused before any
/// buffer is allocated.
pub const MAX_DENSE_OUTPUTS: usize = 1 << 26;

/// Check a batch of `batch` rows for `model`: `batch` in `1..=MAX_BATCH` (`OUT_OF_RANGE`) and
/// `inputs` exactly `batch * inputDim` values (`LENGTH_MISMATCH`). Returns the batch.
pub fn check_batch(model: &Model, inputs: usize, batch: u32) -> Result<usize> {
    let batch = batch as usize;
    if batch == 0 || batch > MAX_BATCH {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "batch",
            format!("{batch} is outside 1..={MAX_BATCH}"),
        ));
    }
    if Some(inputs) != batch.checked_mul(model.input_dim()) {
        return Err(Error::field(
            ErrorCode::LengthMismatch,
            "inputs",
            format!(
                "{inputs} values for a batch of {batch} rows of {}",
                model.input_dim()
            ),
        ));
    }
    Ok(batch)
}

/// Check one dense layer `x (m x k) * w (k x n) + b (n)` given the lengths of `x`, `w` and `b`
/// (`LENGTH_MISMATCH` naming the argument) and at most [`MAX_DENSE_OUTPUTS`] outputs
/// (`OUT_OF_RANGE`, field `m`).
pub fn check_dense(m: usize, k: usize, n: usize, x: usize, w: usize, b: usize) -> Result<()> {
    let sized = |field: &str, len: usize, want: Option<usize>| {
        if Some(len) == want {
            Ok(())
        } else {
            Err(Error::field(
                ErrorCode::LengthMismatch,
                field,
                format!("{len} values for a dense {m}x{k} * {k}x{n}"),
            ))
        }
    };
    sized("x", x, m.checked_mul(k))?;
    sized("w", w, k.checked_mul(n))?;
    sized("b", b, Some(n))?;
    if m.checked_mul(n).is_none_or(|y| y > MAX_DENSE_OUTPUTS) {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "m",
            format!("{m}x{n} outputs is above 2^26"),
        ));
    }
    Ok(())
}

/// Keep the last `context` values of each `from`-wide row of `inputs` (`OUT_OF_RANGE`, field
/// `context`, unless `0 < context <= from` and the rows are whole).
pub fn trim_context(inputs: &[f32], from: usize, context: usize) -> Result<Vec<f32>> {
    if from == 0 || context == 0 || context > from || inputs.len() % from != 0 {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "context",
            format!("cannot keep {context} of rows of {from}"),
        ));
    }
    let skip = from - context;
    Ok(inputs
        .chunks(from)
        .flat_map(|r| r.iter().skip(skip).copied())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shipped;

    #[test]
    fn batch_bounds_and_lengths() {
        let (m, _) = shipped::load("digits-s").unwrap();
        assert_eq!(check_batch(&m, 128, 2).unwrap(), 2);
        let code = |r: Result<usize>| r.unwrap_err();
        let e = code(check_batch(&m, 0, 0));
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::OutOfRange, Some("batch"))
        );
        let e = code(check_batch(
            &m,
            64 * (MAX_BATCH + 1),
            (MAX_BATCH + 1) as u32,
        ));
        assert_eq!(e.code, ErrorCode::OutOfRange);
        let e = code(check_batch(&m, 63, 1));
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::LengthMismatch, Some("inputs"))
        );
    }

    #[test]
    fn dense_shapes_and_output_cap() {
        assert!(check_dense(2, 3, 4, 6, 12, 4).is_ok());
        for (args, field) in [
            ((2, 3, 4, 5, 12, 4), "x"),
            ((2, 3, 4, 6, 11, 4), "w"),
            ((2, 3, 4, 6, 12, 3), "b"),
        ] {
            let (m, k, n, x, w, b) = args;
            let e = check_dense(m, k, n, x, w, b).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::LengthMismatch, Some(field))
            );
        }
        // 2^32 - 1 rows of nothing: no allocation, refused on the output count
        let e = check_dense(u32::MAX as usize, 0, 1, 0, 0, 1).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::OutOfRange, Some("m"))
        );
        assert!(check_dense(1 << 13, 1, 1 << 13, 1 << 13, 1 << 13, 1 << 13).is_ok());
    }

    #[test]
    fn trims_each_row_to_its_tail() {
        let rows = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert_eq!(trim_context(&rows, 3, 1).unwrap(), vec![3.0, 6.0]);
        assert_eq!(trim_context(&rows, 3, 3).unwrap(), rows.to_vec());
        assert_eq!(trim_context(&rows, 2, 1).unwrap(), vec![2.0, 4.0, 6.0]);
        for (from, context) in [(0, 0), (3, 0), (3, 4), (4, 1)] {
            let e = trim_context(&rows, from, context).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::OutOfRange, Some("context"))
            );
        }
    }
}
