//! The `.tmod` model file: little-endian, versioned, with f32 or int8 (per-column scale) weights.
//!
//! ```text
//! "TAOM" u16 version=1  u8 task(0 digits, 1 text)  u8 dtype(0 f32, 1 int8)
//! u16 name_len  name (UTF-8)
//! u8 has_embed  [u32 vocab  u32 dim  u32 context  matrix(vocab x dim)]
//! u32 n_layers  n x { u32 input  u32 output  u8 act  matrix(input x output)  f32 x output (bias) }
//! matrix, f32:  rows*cols f32
//! matrix, int8: cols f32 scales, then rows*cols i8; value = q * scale[col]
//! ```
//! Decoding checks every size before allocating and rejects trailing bytes.

use super::model::{Activation, Dense, Embedding, Model, Task};
use tao_engine::error::{Error, ErrorCode, Result};

/// File magic.
pub const MAGIC: &[u8; 4] = b"TAOM";
/// Format version written and read.
pub const VERSION: u16 = 1;
/// Largest accepted dimension (guards allocations from hostile files).
pub const MAX_DIM: usize = 1 << 16;
/// Largest accepted parameter count of one matrix.
pub const MAX_PARAMS: usize = 1 << 24;

/// How weights are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DType {
    /// 32-bit floats.
    F32,
    /// Signed bytes with one f32 scale per column (symmetric, max |w| -> 127).
    Int8,
}

/// Serialize `model` with weights stored as `dtype` (int8 rounds; decoding gives the rounded model).
pub fn encode_model(model: &Model, dtype: DType) -> Result<Vec<u8>> {
    model.validate()?;
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.push(match model.task {
        Task::Digits => 0,
        Task::Text => 1,
    });
    out.push(match dtype {
        DType::F32 => 0,
        DType::Int8 => 1,
    });
    let name = model.name.as_bytes();
    let len = u16::try_from(name.len())
        .map_err(|_| Error::field(ErrorCode::TooLarge, "name", "name too long"))?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(name);
    match &model.embed {
        Some(e) => {
            out.push(1);
            for v in [e.vocab, e.dim, e.context] {
                put_u32(&mut out, v)?;
            }
            put_matrix(&mut out, &e.table, e.vocab, e.dim, dtype);
        }
        None => out.push(0),
    }
    put_u32(&mut out, model.layers.len())?;
    for l in &model.layers {
        put_u32(&mut out, l.input)?;
        put_u32(&mut out, l.output)?;
        out.push(l.act.code());
        put_matrix(&mut out, &l.w, l.input, l.output, dtype);
        for b in &l.b {
            out.extend_from_slice(&b.to_le_bytes());
        }
    }
    Ok(out)
}

/// Quantize a row-major matrix column-wise to int8; returns (scales, values).
pub fn quantize_columns(m: &[f32], rows: usize, cols: usize) -> (Vec<f32>, Vec<i8>) {
    let mut scales = vec![0f32; cols];
    for r in 0..rows {
        for (c, s) in scales.iter_mut().enumerate() {
            let v = m.get(r * cols + c).copied().unwrap_or(0.0).abs();
            if v > *s {
                *s = v;
            }
        }
    }
    for s in &mut scales {
        *s = if *s > 0.0 { *s / 127.0 } else { 1.0 };
    }
    let q = m
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let s = scales.get(i % cols.max(1)).copied().unwrap_or(1.0);
            (v / s).round().clamp(-127.0, 127.0) as i8
        })
        .collect();
    (scales, q)
}

fn put_matrix(out: &mut Vec<u8>, m: &[f32], rows: usize, cols: usize, dtype: DType) {
    match dtype {
        DType::F32 => m
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
        DType::Int8 => {
            let (scales, q) = quantize_columns(m, rows, cols);
            scales
                .iter()
                .for_each(|s| out.extend_from_slice(&s.to_le_bytes()));
            out.extend(q.iter().map(|&v| v as u8));
        }
    }
}

fn put_u32(out: &mut Vec<u8>, v: usize) -> Result<()> {
    let v = u32::try_from(v).map_err(|_| Error::new(ErrorCode::TooLarge, "dimension above u32"))?;
    out.extend_from_slice(&v.to_le_bytes());
    Ok(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| {
                Error::field(
                    ErrorCode::Decode,
                    what,
                    format!("truncated: {n} bytes needed"),
                )
                .at_offset(self.pos)
            })?;
        let s = self.bytes.get(self.pos..end).unwrap_or(&[]);
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?.first().copied().unwrap_or(0))
    }
    fn u16(&mut self, what: &str) -> Result<u16> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([
            b.first().copied().unwrap_or(0),
            b.get(1).copied().unwrap_or(0),
        ]))
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        let mut a = [0u8; 4];
        a.copy_from_slice(b);
        Ok(u32::from_le_bytes(a))
    }
    fn dim(&mut self, what: &str) -> Result<usize> {
        let at = self.pos;
        let v = self.u32(what)? as usize;
        if v == 0 || v > MAX_DIM {
            return Err(Error::field(
                ErrorCode::DecodeLimit,
                what,
                format!("dimension {v} outside 1..={MAX_DIM}"),
            )
            .at_offset(at));
        }
        Ok(v)
    }
    fn f32s(&mut self, n: usize, what: &str) -> Result<Vec<f32>> {
        let bytes = self.take(n.saturating_mul(4), what)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
    fn matrix(&mut self, rows: usize, cols: usize, dtype: DType, what: &str) -> Result<Vec<f32>> {
        let n = rows
            .checked_mul(cols)
            .filter(|&n| n <= MAX_PARAMS)
            .ok_or_else(|| {
                Error::field(ErrorCode::DecodeLimit, what, "matrix too large").at_offset(self.pos)
            })?;
        let m = match dtype {
            DType::F32 => self.f32s(n, what)?,
            DType::Int8 => {
                let scales = self.f32s(cols, what)?;
                let q = self.take(n, what)?;
                q.iter()
                    .enumerate()
                    .map(|(i, &b)| {
                        f32::from(b as i8) * scales.get(i % cols).copied().unwrap_or(0.0)
                    })
                    .collect()
            }
        };
        if let Some(i) = m.iter().position(|v| !v.is_finite()) {
            return Err(Error::field(
                ErrorCode::NotFinite,
                format!("{what}[{i}]"),
                "weight is not finite",
            ));
        }
        Ok(m)
    }
}

/// Parse a `.tmod` file. Returns the model and how its weights were stored.
pub fn decode_model(bytes: &[u8]) -> Result<(Model, DType)> {
    let mut r = Reader { bytes, pos: 0 };
    if r.take(4, "magic")? != MAGIC {
        return Err(Error::field(
            ErrorCode::Decode,
            "magic",
            "not a tao-engine model (magic TAOM)",
        )
        .at_offset(0));
    }
    let version = r.u16("version")?;
    if version != VERSION {
        return Err(Error::field(
            ErrorCode::Unsupported,
            "version",
            format!("model format version {version}"),
        )
        .at_offset(4));
    }
    let task = match r.u8("task")? {
        0 => Task::Digits,
        1 => Task::Text,
        t => {
            return Err(
                Error::field(ErrorCode::Decode, "task", format!("unknown task {t}")).at_offset(6),
            )
        }
    };
    let dtype = match r.u8("dtype")? {
        0 => DType::F32,
        1 => DType::Int8,
        t => {
            return Err(
                Error::field(ErrorCode::Decode, "dtype", format!("unknown dtype {t}")).at_offset(7),
            )
        }
    };
    let name_len = r.u16("name")? as usize;
    let name = std::str::from_utf8(r.take(name_len, "name")?)
        .map_err(|_| Error::field(ErrorCode::Decode, "name", "name is not UTF-8"))?
        .to_string();
    let embed = match r.u8("embed")? {
        0 => None,
        1 => {
            let vocab = r.dim("embed.vocab")?;
            let dim = r.dim("embed.dim")?;
            let context = r.dim("embed.context")?;
            let table = r.matrix(vocab, dim, dtype, "embed.table")?;
            Some(Embedding {
                vocab,
                dim,
                context,
                table,
            })
        }
        t => {
            return Err(Error::field(
                ErrorCode::Decode,
                "embed",
                format!("bad flag {t}"),
            ))
        }
    };
    let n_layers = r.u32("layers")? as usize;
    if n_layers > 64 {
        return Err(Error::field(
            ErrorCode::DecodeLimit,
            "layers",
            format!("{n_layers} layers"),
        ));
    }
    let mut layers = Vec::with_capacity(n_layers);
    for i in 0..n_layers {
        let f = format!("layers[{i}]");
        let input = r.dim(&f)?;
        let output = r.dim(&f)?;
        let act = Activation::from_code(r.u8(&f)?).map_err(|e| e.within(&f))?;
        let w = r.matrix(input, output, dtype, &format!("{f}.w"))?;
        let b = r.f32s(output, &format!("{f}.b"))?;
        layers.push(Dense {
            input,
            output,
            act,
            w,
            b,
        });
    }
    if r.pos != bytes.len() {
        return Err(Error::new(
            ErrorCode::TrailingBytes,
            format!("{} bytes after the model", bytes.len() - r.pos),
        )
        .at_offset(r.pos));
    }
    let model = Model {
        name,
        task,
        embed,
        layers,
    };
    model.validate()?;
    Ok((model, dtype))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Model {
        Model {
            name: "t".into(),
            task: Task::Digits,
            embed: None,
            layers: vec![Dense {
                input: 3,
                output: 10,
                act: Activation::None,
                w: (0..30).map(|i| i as f32 * 0.1 - 1.0).collect(),
                b: vec![0.5; 10],
            }],
        }
    }

    #[test]
    fn f32_round_trips_exactly() {
        let m = tiny();
        let bytes = encode_model(&m, DType::F32).unwrap();
        assert_eq!(decode_model(&bytes).unwrap(), (m, DType::F32));
    }

    #[test]
    fn int8_round_trip_is_close_and_stable() {
        let m = tiny();
        let bytes = encode_model(&m, DType::Int8).unwrap();
        let (q, dt) = decode_model(&bytes).unwrap();
        assert_eq!(dt, DType::Int8);
        let max_err = q.layers[0]
            .w
            .iter()
            .zip(&m.layers[0].w)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(max_err > 0.0 && max_err <= 2.0 / 127.0, "{max_err}");
        // re-encoding the decoded model gives the same bytes
        assert_eq!(encode_model(&q, DType::Int8).unwrap(), bytes);
    }

    #[test]
    fn hostile_files_are_rejected_with_codes() {
        let bytes = encode_model(&tiny(), DType::F32).unwrap();
        assert_eq!(decode_model(b"nope").unwrap_err().code, ErrorCode::Decode);
        for cut in [5, 10, bytes.len() - 1] {
            assert_eq!(
                decode_model(&bytes[..cut]).unwrap_err().code,
                ErrorCode::Decode,
                "cut {cut}"
            );
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert_eq!(
            decode_model(&extra).unwrap_err().code,
            ErrorCode::TrailingBytes
        );
        let mut huge = bytes.clone();
        let at = 4 + 2 + 2 + 2 + 1 + 1 + 4; // magic, version, task+dtype, name len, name, embed flag, n_layers
        huge[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            decode_model(&huge).unwrap_err().code,
            ErrorCode::DecodeLimit
        );
        let mut nan = bytes;
        let w0 = at + 4 + 4 + 1;
        nan[w0..w0 + 4].copy_from_slice(&f32::NAN.to_le_bytes());
        assert_eq!(decode_model(&nan).unwrap_err().code, ErrorCode::NotFinite);
    }
}
