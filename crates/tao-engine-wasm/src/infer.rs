//! The playground's miner models for JS: models by name (shipped, or loaded from bytes), a batch
//! on the CPU (wasm SIMD or scalar) or on WebGPU ([`gpu`]), seeded challenges and scoring.
//! Plain functions, no exported classes (a class's `[Symbol.dispose]` typing needs TypeScript's
//! esnext.disposable lib, which consumers on es2022 do not have).

mod gpu;

use super::convert::{
    js_error, to_bool, to_bytes, to_f32s, to_js, to_opt_bytes, to_opt_str, to_opt_u32, to_str,
    to_u32, to_u64,
};
use js_sys::{Float32Array, Object, Reflect, Uint32Array, Uint8Array};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use tao_engine::error::{Error, ErrorCode};
use tao_playground::challenge::{self, Challenges};
use tao_playground::ops::{self, Kernel};
use tao_playground::{decode_model, shipped, text, Activation, DType, Model, Task};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_INFER: &'static str = r#"
/** What a model answers: digit-class probabilities or next-character log-probabilities. */
export type InferTask = "digits" | "text";
/** A CPU kernel: 4-lane wasm SIMD (f32x4) or the scalar reference. */
export type CpuKernel = "simd" | "scalar";

/** Shape and size of a model. */
export interface ModelInfo {
  name: string;
  task: InferTask;
  /** "f32" or "int8" (weights stored as int8 with one f32 scale per column, dequantized at load). */
  dtype: "f32" | "int8";
  /** Values per input row: 64 pixels in 0..1, or `context` character ids. */
  inputDim: number;
  /** Values per output row: 10 classes, or the 34-character vocabulary. */
  outputDim: number;
  params: number;
  /** Multiply-adds per input row. */
  macsPerRow: number;
  layers: { input: number; output: number; relu: boolean }[];
  /** Text models: the embedding (a bigram has no layers: its table row is the logits). */
  embed: { vocab: number; dim: number; context: number } | null;
}

/** A batch of challenges and their true answers. */
export interface Challenges {
  task: InferTask;
  inputDim: number;
  count: number;
  /** `count * inputDim` model inputs. */
  inputs: Float32Array;
  /** The true class / next character id of each challenge. */
  targets: Uint8Array;
  /** Index of each challenge in the held-out set (digit index or text position). */
  sources: Uint32Array;
}

/** How well a set of answers did. */
export interface Score {
  count: number;
  answered: number;
  /** Top-1 accuracy over all challenges (unanswered are wrong). */
  accuracy: number;
  /** Mean ln p(true answer), rows renormalized; unanswered get ln(1e-9). */
  meanLogLikelihood: number;
  /** -meanLogLikelihood in bits. */
  bits: number;
}
"#;

/// A loaded model and the identity of this load (the GPU backend caches uploads by it).
pub(crate) struct Loaded {
    pub(crate) model: Model,
    pub(crate) dtype: DType,
    pub(crate) id: u32,
}

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    /// Models loaded so far, by name (shipped ones load on first use; `inferLoadModel` adds more).
    static MODELS: RefCell<Vec<Rc<Loaded>>> = const { RefCell::new(Vec::new()) };
}

fn register(model: Model, dtype: DType) -> Rc<Loaded> {
    let id = NEXT_ID.with(|c| {
        let v = c.get();
        c.set(v.wrapping_add(1));
        v
    });
    let loaded = Rc::new(Loaded { model, dtype, id });
    MODELS.with(|m| {
        let mut m = m.borrow_mut();
        m.retain(|l| l.model.name != loaded.model.name);
        m.push(loaded.clone());
    });
    loaded
}

/// The model called `name`: one loaded with `inferLoadModel`, else a shipped one.
pub(crate) fn model(name: &str) -> Result<Rc<Loaded>, JsValue> {
    if let Some(l) = MODELS.with(|m| m.borrow().iter().find(|l| l.model.name == name).cloned()) {
        return Ok(l);
    }
    let (m, d) = shipped::load(name).map_err(js_error)?;
    Ok(register(m, d))
}

fn task_str(t: Task) -> &'static str {
    match t {
        Task::Digits => "digits",
        Task::Text => "text",
    }
}

fn parse_task(s: &str) -> Result<Task, JsValue> {
    match s {
        "digits" => Ok(Task::Digits),
        "text" => Ok(Task::Text),
        _ => Err(js_error(Error::field(
            ErrorCode::InvalidType,
            "task",
            format!("{s:?} is not \"digits\" or \"text\""),
        ))),
    }
}

fn parse_kernel(k: Option<String>) -> Result<Kernel, JsValue> {
    match k.as_deref() {
        None | Some("simd") => Ok(Kernel::Simd),
        Some("scalar") => Ok(Kernel::Scalar),
        Some(o) => Err(js_error(Error::field(
            ErrorCode::InvalidType,
            "kernel",
            format!("{o:?} is not \"simd\" or \"scalar\""),
        ))),
    }
}

pub(crate) fn check_batch(inputs: &[f32], batch: u32, model: &Model) -> Result<usize, JsValue> {
    let batch = batch as usize;
    if batch == 0 || batch > tao_playground::shaders::MAX_BATCH {
        return Err(js_error(Error::field(
            ErrorCode::OutOfRange,
            "batch",
            format!(
                "{batch} is outside 1..={}",
                tao_playground::shaders::MAX_BATCH
            ),
        )));
    }
    if Some(inputs.len()) != batch.checked_mul(model.input_dim()) {
        return Err(js_error(Error::field(
            ErrorCode::LengthMismatch,
            "inputs",
            format!(
                "{} values for a batch of {batch} rows of {}",
                inputs.len(),
                model.input_dim()
            ),
        )));
    }
    Ok(batch)
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &k.into(), v);
}

fn info_js(l: &Loaded) -> JsValue {
    let m = &l.model;
    let o = Object::new();
    set(&o, "name", &m.name.as_str().into());
    set(&o, "task", &task_str(m.task).into());
    set(
        &o,
        "dtype",
        &(if l.dtype == DType::Int8 {
            "int8"
        } else {
            "f32"
        })
        .into(),
    );
    set(&o, "inputDim", &(m.input_dim() as u32).into());
    set(&o, "outputDim", &(m.output_dim() as u32).into());
    set(&o, "params", &(m.param_count() as u32).into());
    set(&o, "macsPerRow", &(m.macs_per_row() as u32).into());
    let layers = js_sys::Array::new();
    for layer in &m.layers {
        let lo = Object::new();
        set(&lo, "input", &(layer.input as u32).into());
        set(&lo, "output", &(layer.output as u32).into());
        set(&lo, "relu", &(layer.act == Activation::Relu).into());
        layers.push(&lo);
    }
    set(&o, "layers", &layers);
    let embed = match &m.embed {
        Some(e) => {
            let eo = Object::new();
            set(&eo, "vocab", &(e.vocab as u32).into());
            set(&eo, "dim", &(e.dim as u32).into());
            set(&eo, "context", &(e.context as u32).into());
            eo.into()
        }
        None => JsValue::NULL,
    };
    set(&o, "embed", &embed);
    o.into()
}

/// Shape and size of a model (shipped, or loaded with `inferLoadModel`). Throws `UNSUPPORTED`
/// for an unknown name.
#[wasm_bindgen(js_name = inferModelInfo, unchecked_return_type = "ModelInfo")]
pub fn infer_model_info(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<JsValue, JsValue> {
    let name = to_str(&name, "name").map_err(js_error)?;
    let l = model(&name)?;
    Ok(info_js(&l))
}

/// Load a model from `.tmod` bytes under the name stored in the file (replacing any model of
/// that name, shipped ones included). Throws `DECODE`, `DECODE_LIMIT`, `TRAILING_BYTES`, ...
#[wasm_bindgen(js_name = inferLoadModel, unchecked_return_type = "ModelInfo")]
pub fn infer_load_model(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | number[]")] bytes: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = to_bytes(&bytes, "bytes").map_err(js_error)?;
    let (m, d) = decode_model(&bytes).map_err(js_error)?;
    Ok(info_js(&register(m, d)))
}

/// Run `batch` rows (`batch * inputDim` values) of model `name` on the CPU with the `"simd"`
/// (default) or `"scalar"` kernel. Returns `batch * outputDim` values: class probabilities
/// (digits) or next-character log-probabilities (text). Throws `UNSUPPORTED` (unknown model),
/// `LENGTH_MISMATCH`, `OUT_OF_RANGE` (batch, or a character id), `NOT_FINITE`, `INVALID_TYPE`.
#[wasm_bindgen(js_name = inferRunCpu)]
pub fn infer_run_cpu(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] inputs: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] batch: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CpuKernel | null")] kernel: Option<JsValue>,
) -> Result<Vec<f32>, JsValue> {
    let name = to_str(&name, "name").map_err(js_error)?;
    let inputs = to_f32s(&inputs, "inputs").map_err(js_error)?;
    let batch = to_u32(&batch, "batch").map_err(js_error)?;
    let kernel =
        parse_kernel(to_opt_str(&kernel.unwrap_or_default(), "kernel").map_err(js_error)?)?;
    let l = model(&name)?;
    let batch = check_batch(&inputs, batch, &l.model)?;
    ops::forward(&l.model, &inputs, batch, kernel).map_err(js_error)
}

/// Names of the models shipped in the package, weakest first within each task.
#[wasm_bindgen(js_name = inferModelNames)]
pub fn infer_model_names() -> Vec<String> {
    shipped::model_names()
        .into_iter()
        .map(String::from)
        .collect()
}

/// `models/manifest.json`: every shipped model's recipe, size and measured held-out
/// accuracy / log-likelihood.
#[wasm_bindgen(js_name = inferManifest)]
pub fn infer_manifest() -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(shipped::MANIFEST_JSON)
}

fn challenges_js(c: &Challenges) -> JsValue {
    let o = Object::new();
    set(&o, "task", &task_str(c.task).into());
    set(&o, "inputDim", &(c.input_dim as u32).into());
    set(&o, "count", &(c.targets.len() as u32).into());
    set(&o, "inputs", &Float32Array::from(c.inputs.as_slice()));
    set(&o, "targets", &Uint8Array::from(c.targets.as_slice()));
    set(&o, "sources", &Uint32Array::from(c.sources.as_slice()));
    o.into()
}

/// `count` digit challenges drawn by `seed` from the 360 held-out digits (never trained on).
/// Same seed, same challenges. Throws `OUT_OF_RANGE` for count outside 1..=65536.
#[wasm_bindgen(js_name = digitChallenges, unchecked_return_type = "Challenges")]
pub fn digit_challenges(
    #[wasm_bindgen(unchecked_param_type = "U64Like")] seed: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
) -> Result<JsValue, JsValue> {
    let seed = to_u64(&seed, "seed").map_err(js_error)?;
    let count = to_u32(&count, "count").map_err(js_error)?;
    let c = challenge::digit_challenges(&shipped::heldout_digits(), seed, count as usize)
        .map_err(js_error)?;
    Ok(challenges_js(&c))
}

/// `count` next-character challenges of `context` characters (default 12, the text models'
/// context; the bigram reads only the last) from the held-out text.
#[wasm_bindgen(js_name = textChallenges, unchecked_return_type = "Challenges")]
pub fn text_challenges(
    #[wasm_bindgen(unchecked_param_type = "U64Like")] seed: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number | null")] context: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let seed = to_u64(&seed, "seed").map_err(js_error)?;
    let count = to_u32(&count, "count").map_err(js_error)?;
    let context = to_opt_u32(&context.unwrap_or_default(), "context").map_err(js_error)?;
    let c = challenge::text_challenges(
        &shipped::heldout_text(),
        seed,
        count as usize,
        context.unwrap_or(12) as usize,
    )
    .map_err(js_error)?;
    Ok(challenges_js(&c))
}

/// Keep the last `context` ids of each `from`-wide row (to feed a shorter-context model, e.g.
/// the bigram, the same text challenges).
#[wasm_bindgen(js_name = trimContext)]
pub fn trim_context(
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] inputs: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] from: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] context: JsValue,
) -> Result<Vec<f32>, JsValue> {
    let inputs = to_f32s(&inputs, "inputs").map_err(js_error)?;
    let from = to_u32(&from, "from").map_err(js_error)?;
    let context = to_u32(&context, "context").map_err(js_error)?;
    let (from, context) = (from as usize, context as usize);
    if from == 0 || context == 0 || context > from || inputs.len() % from != 0 {
        return Err(js_error(Error::field(
            ErrorCode::OutOfRange,
            "context",
            format!("cannot keep {context} of rows of {from}"),
        )));
    }
    Ok(inputs
        .chunks(from)
        .flat_map(|r| r.get(from - context..).unwrap_or(&[]).iter().copied())
        .collect())
}

/// Score answers (`count * outputDim`: digit probabilities or next-character log-probabilities)
/// against the true `targets`. `answered` (optional, one 0/1 per challenge) marks skipped rows.
#[wasm_bindgen(js_name = scoreAnswers, unchecked_return_type = "Score")]
pub fn score_answers(
    #[wasm_bindgen(unchecked_param_type = "InferTask")] task: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] outputs: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | number[]")] targets: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array | number[] | null")]
    answered: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let task = parse_task(&to_str(&task, "task").map_err(js_error)?)?;
    let outputs = to_f32s(&outputs, "outputs").map_err(js_error)?;
    let targets = to_bytes(&targets, "targets").map_err(js_error)?;
    let answered = to_opt_bytes(&answered.unwrap_or_default(), "answered").map_err(js_error)?;
    let flags: Option<Vec<bool>> = answered.map(|a| a.iter().map(|&v| v != 0).collect());
    let s = challenge::score(task, &outputs, &targets, flags.as_deref()).map_err(js_error)?;
    to_js(&s)
}

/// The 34-character vocabulary of the text models (id = position).
#[wasm_bindgen(js_name = textVocab)]
pub fn text_vocab() -> String {
    text::VOCAB.into()
}

/// Normalize and encode text to character ids (unknown characters are dropped).
#[wasm_bindgen(js_name = textEncode)]
pub fn text_encode(
    #[wasm_bindgen(unchecked_param_type = "string")] s: JsValue,
) -> Result<Vec<u8>, JsValue> {
    Ok(text::encode(&to_str(&s, "s").map_err(js_error)?))
}

/// Decode character ids to text.
#[wasm_bindgen(js_name = textDecode)]
pub fn text_decode(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | number[]")] ids: JsValue,
) -> Result<String, JsValue> {
    Ok(text::decode(&to_bytes(&ids, "ids").map_err(js_error)?))
}

/// One dense layer `act(x w + b)` on the CPU (for benchmarks and tests): x `m x k`, w `k x n`.
#[wasm_bindgen(js_name = denseCpu)]
#[allow(clippy::too_many_arguments)]
pub fn dense_cpu(
    #[wasm_bindgen(unchecked_param_type = "CpuKernel")] kernel: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] x: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] m: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] k: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] w: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "boolean")] relu: JsValue,
) -> Result<Vec<f32>, JsValue> {
    let kernel = parse_kernel(Some(to_str(&kernel, "kernel").map_err(js_error)?))?;
    let d = DenseArgs::read(&x, &m, &k, &w, &n, &b, &relu).map_err(js_error)?;
    let (x, w, b, relu) = (d.x, d.w, d.b, d.relu);
    let (m, k, n) = (d.m, d.k, d.n);
    let mut y = vec![0f32; m.saturating_mul(n)];
    let act = if relu {
        Activation::Relu
    } else {
        Activation::None
    };
    ops::dense(kernel, &x, m, k, &w, n, &b, act, &mut y).map_err(js_error)?;
    Ok(y)
}

/// The arguments of one dense layer (`denseCpu`, `inferDenseGpu`), read and checked before any
/// buffer is sized from them: x `m x k`, w `k x n`, b `n`, and at most 2^26 outputs.
pub(crate) struct DenseArgs {
    pub x: Vec<f32>,
    pub m: usize,
    pub k: usize,
    pub w: Vec<f32>,
    pub n: usize,
    pub b: Vec<f32>,
    pub relu: bool,
}

impl DenseArgs {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn read(
        x: &JsValue,
        m: &JsValue,
        k: &JsValue,
        w: &JsValue,
        n: &JsValue,
        b: &JsValue,
        relu: &JsValue,
    ) -> tao_engine::error::Result<DenseArgs> {
        let x = to_f32s(x, "x")?;
        let m = to_u32(m, "m")? as usize;
        let k = to_u32(k, "k")? as usize;
        let w = to_f32s(w, "w")?;
        let n = to_u32(n, "n")? as usize;
        let b = to_f32s(b, "b")?;
        let relu = to_bool(relu, "relu")?;
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
        sized("x", x.len(), m.checked_mul(k))?;
        sized("w", w.len(), k.checked_mul(n))?;
        sized("b", b.len(), Some(n))?;
        if m.checked_mul(n).is_none_or(|y| y > 1 << 26) {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "m",
                format!("{m}x{n} outputs is above 2^26"),
            ));
        }
        Ok(DenseArgs {
            x,
            m,
            k,
            w,
            n,
            b,
            relu,
        })
    }
}
