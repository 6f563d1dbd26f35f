//! The WebGPU backend: navigator.gpu -> adapter -> device, the WGSL kernels of
//! `tao_playground::shaders` compiled once, each model's weights uploaded once (cached per
//! `InferModel`, held weakly), and one command buffer per batch (every layer's tiled dense dispatch, then softmax, then
//! a copy into a mappable buffer): at these model sizes dispatch and readback dominate, so a
//! whole batch costs a single submit and a single map.

use super::{check_batch, DenseArgs, JsInferModel, Loaded};
use crate::convert::{js_error, to_f32s, to_opt_u32, to_ts, to_u32};
use js_sys::{Float32Array, Promise, Reflect};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use tao_engine::error::{Error, ErrorCode};
use tao_playground::ops;
use tao_playground::shaders::{DENSE_TILE, DENSE_WGSL, SOFTMAX_GROUP, SOFTMAX_WGSL};
use tao_playground::{Activation, Task};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    gpu_buffer_usage, gpu_map_mode, Gpu, GpuAdapter, GpuAutoLayoutMode, GpuBindGroupDescriptor,
    GpuBindGroupEntry, GpuBuffer, GpuBufferBinding, GpuBufferDescriptor, GpuComputePipeline,
    GpuComputePipelineDescriptor, GpuDevice, GpuErrorFilter, GpuProgrammableStage,
    GpuShaderModuleDescriptor,
};

fn unsupported(msg: impl Into<String>) -> JsValue {
    js_error(Error::new(ErrorCode::Unsupported, msg))
}

fn gpu_err(what: &str, e: JsValue) -> JsValue {
    let detail = Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_default();
    js_error(Error::new(
        ErrorCode::Internal,
        format!("WebGPU {what} failed: {detail}"),
    ))
}

/// Weights on the GPU: a model's (cached while the model lives), or one raw dense layer's.
struct Uploaded {
    model: Weak<Loaded>,
    layers: Vec<(GpuBuffer, GpuBuffer)>,
}

impl Uploaded {
    fn destroy(&self) {
        self.layers.iter().for_each(|(w, b)| {
            w.destroy();
            b.destroy();
        });
    }
}

struct Inner {
    device: GpuDevice,
    dense: GpuComputePipeline,
    softmax: GpuComputePipeline,
    cache: RefCell<Vec<Rc<Uploaded>>>,
}

/// The opened device: one per page (or worker), opened by `inferGpuInit`. The browser's device
/// is a page-wide resource (like the wasm memory), not a value of the caller's: it stays
/// module-level, and `inferGpuRelease` closes it.
struct Context {
    inner: Rc<Inner>,
    adapter: String,
    fallback: bool,
}

thread_local! {
    static GPU: RefCell<Option<Rc<Context>>> = const { RefCell::new(None) };
}

fn context() -> Result<Rc<Context>, JsValue> {
    GPU.with(|g| g.borrow().clone()).ok_or_else(|| {
        unsupported("WebGPU is not open: call inferGpuInit() first (and check that it resolved)")
    })
}

/// The WebGPU adapter the inference runs on.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct GpuInfo {
    /// Vendor, architecture, device and description as the browser reports them.
    adapter: String,
    /// Whether the browser calls it a fallback (software) adapter.
    fallback_adapter: bool,
}

fn info_of(c: &Context) -> Result<Ts<GpuInfo>, JsValue> {
    to_ts(&GpuInfo {
        adapter: c.adapter.clone(),
        fallback_adapter: c.fallback,
    })
}

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|f| f.to_le_bytes()).collect()
}

fn u32_bytes(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|f| f.to_le_bytes()).collect()
}

impl Inner {
    fn buffer(&self, bytes: usize, usage: u32) -> Result<GpuBuffer, JsValue> {
        // WebGPU wants sizes that are multiples of 4 and > 0
        let size = u32::try_from(bytes.max(4).next_multiple_of(4))
            .map_err(|_| js_error(Error::new(ErrorCode::TooLarge, "GPU buffer above 4 GiB")))?;
        self.device
            .create_buffer(&GpuBufferDescriptor::new(size, usage))
            .map_err(|e| gpu_err("createBuffer", e))
    }

    fn upload(&self, data: &[u8], usage: u32) -> Result<GpuBuffer, JsValue> {
        let buf = self.buffer(data.len(), usage | gpu_buffer_usage::COPY_DST)?;
        self.device
            .queue()
            .write_buffer_with_u32_and_u8_slice(&buf, 0, data)
            .map_err(|e| gpu_err("writeBuffer", e))?;
        Ok(buf)
    }

    fn bind(&self, pipeline: &GpuComputePipeline, bufs: &[&GpuBuffer]) -> web_sys::GpuBindGroup {
        let entries: Vec<GpuBindGroupEntry> = bufs
            .iter()
            .enumerate()
            .map(|(i, b)| {
                GpuBindGroupEntry::new_with_gpu_buffer_binding(i as u32, &GpuBufferBinding::new(b))
            })
            .collect();
        self.device.create_bind_group(&GpuBindGroupDescriptor::new(
            &entries,
            &pipeline.get_bind_group_layout(0),
        ))
    }

    fn weights(&self, model: &Rc<Loaded>) -> Result<Rc<Uploaded>, JsValue> {
        let same = |u: &Rc<Uploaded>| u.model.upgrade().is_some_and(|l| Rc::ptr_eq(&l, model));
        if let Some(u) = self.cache.borrow().iter().find(|u| same(u)) {
            return Ok(u.clone());
        }
        // the weights of models freed since are released first
        self.cache.borrow_mut().retain(|u| {
            let live = u.model.strong_count() > 0;
            if !live {
                u.destroy();
            }
            live
        });
        let mut layers = Vec::new();
        for l in &model.model.layers {
            layers.push((
                self.upload(&f32_bytes(&l.w), gpu_buffer_usage::STORAGE)?,
                self.upload(&f32_bytes(&l.b), gpu_buffer_usage::STORAGE)?,
            ));
        }
        let u = Rc::new(Uploaded {
            model: Rc::downgrade(model),
            layers,
        });
        let mut cache = self.cache.borrow_mut();
        if cache.len() >= 16 {
            cache.remove(0).destroy();
        }
        cache.push(u.clone());
        Ok(u)
    }

    /// Record and submit: dense layers (or none), softmax/log-softmax; resolves to the outputs.
    async fn run(
        self: Rc<Self>,
        feats: Vec<f32>,
        m: usize,
        layers: Vec<(usize, usize, Activation)>,
        w: Rc<Uploaded>,
        out_dim: usize,
        post: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let storage =
            gpu_buffer_usage::STORAGE | gpu_buffer_usage::COPY_SRC | gpu_buffer_usage::COPY_DST;
        let uniform = gpu_buffer_usage::UNIFORM | gpu_buffer_usage::COPY_DST;
        self.device.push_error_scope(GpuErrorFilter::Validation);
        let mut temps = vec![self.upload(&f32_bytes(&feats), storage)?];
        let enc = self.device.create_command_encoder();
        let pass = enc.begin_compute_pass();
        for (i, &(k, n, act)) in layers.iter().enumerate() {
            let y = self.buffer(m * n * 4, storage)?;
            let dims = self.upload(
                &u32_bytes(&[m as u32, k as u32, n as u32, u32::from(act.code())]),
                uniform,
            )?;
            let (wb, bb) = w
                .layers
                .get(i)
                .ok_or_else(|| js_error(Error::new(ErrorCode::Internal, "weights missing")))?;
            let x = temps
                .last()
                .ok_or_else(|| js_error(Error::new(ErrorCode::Internal, "no input")))?;
            let group = self.bind(&self.dense, &[x, wb, bb, &y, &dims]);
            pass.set_pipeline(&self.dense);
            pass.set_bind_group(0, Some(&group));
            pass.dispatch_workgroups_with_workgroup_count_y(
                (n as u32).div_ceil(DENSE_TILE),
                (m as u32).div_ceil(DENSE_TILE),
            );
            temps.push(dims);
            temps.push(y);
        }
        let out = temps
            .last()
            .cloned()
            .ok_or_else(|| js_error(Error::new(ErrorCode::Internal, "no output")))?;
        // post: Some(false) softmax, Some(true) log-softmax, None raw
        if let Some(log) = post {
            let rows = self.upload(
                &u32_bytes(&[m as u32, out_dim as u32, u32::from(log), 0]),
                uniform,
            )?;
            let group = self.bind(&self.softmax, &[&out, &rows]);
            pass.set_pipeline(&self.softmax);
            pass.set_bind_group(0, Some(&group));
            pass.dispatch_workgroups((m as u32).div_ceil(SOFTMAX_GROUP));
            temps.push(rows);
        }
        pass.end();
        let bytes = (m * out_dim * 4) as u32;
        let read = self.buffer(
            bytes as usize,
            gpu_buffer_usage::MAP_READ | gpu_buffer_usage::COPY_DST,
        )?;
        enc.copy_buffer_to_buffer_with_u32_and_u32_and_u32(&out, 0, &read, 0, bytes)
            .map_err(|e| gpu_err("copyBufferToBuffer", e))?;
        self.device.queue().submit(&[enc.finish()]);
        let scope = self
            .device
            .pop_error_scope()
            .await
            .map_err(|e| gpu_err("popErrorScope", e))?;
        if let Some(err) = scope.into_option() {
            temps.iter().for_each(GpuBuffer::destroy);
            return Err(js_error(Error::new(
                ErrorCode::Internal,
                format!("WebGPU validation error: {}", err.message()),
            )));
        }
        let mapped = read.map_async(gpu_map_mode::READ).await;
        temps.iter().for_each(GpuBuffer::destroy);
        mapped.map_err(|e| gpu_err("mapAsync", e))?;
        let range = read
            .get_mapped_range()
            .map_err(|e| gpu_err("getMappedRange", e))?;
        let result = Float32Array::new(&range).slice(0, (m * out_dim) as u32);
        read.unmap();
        read.destroy();
        Ok(result.into())
    }
}

async fn open() -> Result<Context, JsValue> {
    let global = js_sys::global();
    let nav = Reflect::get(&global, &"navigator".into()).unwrap_or(JsValue::UNDEFINED);
    let gpu = if nav.is_object() {
        Reflect::get(&nav, &"gpu".into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    };
    if !gpu.is_object() {
        return Err(unsupported(
            "navigator.gpu is missing: this browser or context has no WebGPU",
        ));
    }
    let gpu: Gpu = gpu.unchecked_into();
    let adapter: GpuAdapter = gpu
        .request_adapter()
        .await
        .map_err(|e| gpu_err("requestAdapter", e))?
        .into_option()
        .ok_or_else(|| unsupported("navigator.gpu.requestAdapter() returned null: WebGPU is disabled or no GPU adapter is available"))?;
    let info = adapter.info();
    let parts = [
        info.vendor(),
        info.architecture(),
        info.device(),
        info.description(),
    ];
    let mut adapter_name = parts
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    if adapter_name.is_empty() {
        adapter_name = "unnamed adapter".into();
    }
    let fallback = info.is_fallback_adapter();
    let device: GpuDevice = adapter
        .request_device()
        .await
        .map_err(|e| gpu_err("requestDevice", e))?;
    device.push_error_scope(GpuErrorFilter::Validation);
    let pipeline = |code: &str, entry: &str| {
        let module = device.create_shader_module(&GpuShaderModuleDescriptor::new(code));
        let stage = GpuProgrammableStage::new(&module);
        stage.set_entry_point(entry);
        device.create_compute_pipeline(
            &GpuComputePipelineDescriptor::new_with_gpu_auto_layout_mode(
                GpuAutoLayoutMode::Auto,
                &stage,
            ),
        )
    };
    let dense = pipeline(DENSE_WGSL, "dense");
    let softmax = pipeline(SOFTMAX_WGSL, "softmax");
    if let Some(err) = device
        .pop_error_scope()
        .await
        .map_err(|e| gpu_err("popErrorScope", e))?
        .into_option()
    {
        return Err(js_error(Error::new(
            ErrorCode::Internal,
            format!("WGSL kernels failed to compile: {}", err.message()),
        )));
    }
    Ok(Context {
        inner: Rc::new(Inner {
            device,
            dense,
            softmax,
            cache: RefCell::new(Vec::new()),
        }),
        adapter: adapter_name,
        fallback,
    })
}

/// Open WebGPU (`navigator.gpu.requestAdapter()`, `requestDevice()`) and compile the kernels;
/// resolves to the adapter's description. Calling it again reuses the open device. Rejects
/// with `code` `UNSUPPORTED` (and a message saying why) where WebGPU is missing or offers no
/// adapter, and `INTERNAL` if the kernels fail to compile.
#[wasm_bindgen(js_name = inferGpuInit)]
pub async fn infer_gpu_init() -> Result<Ts<GpuInfo>, JsValue> {
    if let Some(c) = GPU.with(|g| g.borrow().clone()) {
        return info_of(&c);
    }
    let c = Rc::new(open().await?);
    GPU.with(|g| *g.borrow_mut() = Some(c.clone()));
    info_of(&c)
}

#[wasm_bindgen(js_class = InferModel)]
impl JsInferModel {
    /// Run `batch` rows on the GPU; resolves to the same values as `runCpu` (within float
    /// tolerance). The weights upload on first use and stay cached while the model lives.
    /// Throws synchronously for bad inputs (`UNSUPPORTED` when WebGPU is not open,
    /// `LENGTH_MISMATCH`, `OUT_OF_RANGE`, `NOT_FINITE`).
    #[wasm_bindgen(js_name = runGpu, unchecked_return_type = "Promise<Float32Array>")]
    pub fn run_gpu(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] inputs: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] batch: JsValue,
    ) -> Result<Promise, JsValue> {
        let inputs = to_f32s(&inputs, "inputs").map_err(js_error)?;
        let batch = to_u32(&batch, "batch").map_err(js_error)?;
        let ctx = context()?;
        let l = &self.0;
        let m = check_batch(&l.model, inputs.len(), batch).map_err(js_error)?;
        let feats = ops::features(&l.model, &inputs, m).map_err(js_error)?;
        let weights = ctx.inner.weights(l)?;
        let layers = l
            .model
            .layers
            .iter()
            .map(|x| (x.input, x.output, x.act))
            .collect();
        let log = l.model.task == Task::Text;
        let out_dim = l.model.output_dim();
        Ok(wasm_bindgen_futures::future_to_promise(
            ctx.inner
                .clone()
                .run(feats, m, layers, weights, out_dim, Some(log)),
        ))
    }
}

/// One dense layer `relu?(x w + b)` (x `m x k`, w `k x n`) on the GPU, for tests and
/// benchmarks of the raw tiled kernel. With `reps > 1` and `k == n` the layer is applied `reps`
/// times in one submit (dispatch cost amortized); resolves to the last output.
#[wasm_bindgen(js_name = inferDenseGpu, unchecked_return_type = "Promise<Float32Array>")]
#[allow(clippy::too_many_arguments)]
pub fn infer_dense_gpu(
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] x: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] m: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] k: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] w: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "boolean")] relu: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number | null")] reps: Option<JsValue>,
) -> Result<Promise, JsValue> {
    let d = DenseArgs::read(&x, &m, &k, &w, &n, &b, &relu).map_err(js_error)?;
    let reps = to_opt_u32(&reps.unwrap_or_default(), "reps").map_err(js_error)?;
    let act = d.act();
    let (x, w, b) = (d.x, d.w, d.b);
    let (mu, ku, nu) = (d.m, d.k, d.n);
    let ctx = context()?;
    let reps = reps.unwrap_or(1).clamp(1, 1000) as usize;
    if mu == 0 || nu == 0 || ku == 0 {
        return Err(js_error(Error::new(
            ErrorCode::LengthMismatch,
            format!("dense {mu}x{ku} * {ku}x{nu}: a dimension is 0"),
        )));
    }
    let inner = ctx.inner.clone();
    let wb = inner.upload(&f32_bytes(&w), gpu_buffer_usage::STORAGE)?;
    let bb = inner.upload(&f32_bytes(&b), gpu_buffer_usage::STORAGE)?;
    let chain = if reps > 1 && ku == nu { reps } else { 1 };
    let uploaded = Rc::new(Uploaded {
        model: Weak::new(),
        layers: vec![(wb, bb); chain],
    });
    let layers = vec![(ku, nu, act); chain];
    let feats = x;
    let fut = async move {
        let r = inner
            .run(feats, mu, layers, uploaded.clone(), nu, None)
            .await;
        uploaded.layers.iter().take(1).for_each(|(w, b)| {
            w.destroy();
            b.destroy();
        });
        r
    };
    Ok(wasm_bindgen_futures::future_to_promise(fut))
}

/// Close WebGPU: release the cached weights and the device (a later `inferGpuInit` opens anew).
#[wasm_bindgen(js_name = inferGpuRelease)]
pub fn infer_gpu_release() {
    if let Some(c) = GPU.with(|g| g.borrow_mut().take()) {
        for u in c.inner.cache.borrow_mut().drain(..) {
            u.destroy();
        }
        c.inner.device.destroy();
    }
}
