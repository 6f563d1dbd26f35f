// y = act(x w + b): x is m x k, w is k x n, b is n, y is m x n (row-major f32).
// Tiled and register-blocked: an 8x8 workgroup computes a 32x32 tile of y, each invocation a 4x4
// block held in registers. K advances 16 at a time: the 32x16 slice of x and the 16x32 slice of w
// are staged in workgroup memory (each invocation loads 8 + 8 values), then every staged value
// is reused 4 times from registers and 8 times across the workgroup.
struct Dims { m: u32, k: u32, n: u32, act: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> dims: Dims;

const BM: u32 = 32u;
const BN: u32 = 32u;
const BK: u32 = 16u;
var<workgroup> xs: array<f32, 512>; // BM x BK
var<workgroup> ws: array<f32, 512>; // BK x BN

@compute @workgroup_size(8, 8)
fn dense(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let tid = lid.y * 8u + lid.x;
  let row0 = wid.y * BM;
  let col0 = wid.x * BN;
  var acc: array<array<f32, 4>, 4>;
  let tiles = (dims.k + BK - 1u) / BK;
  for (var t = 0u; t < tiles; t = t + 1u) {
    let k0 = t * BK;
    for (var i = 0u; i < 8u; i = i + 1u) {
      let idx = tid + i * 64u;
      let gr = row0 + idx / BK;
      let gc = k0 + idx % BK;
      var v = 0.0;
      if (gr < dims.m && gc < dims.k) {
        v = x[gr * dims.k + gc];
      }
      xs[idx] = v;
    }
    for (var i = 0u; i < 8u; i = i + 1u) {
      let idx = tid + i * 64u;
      let gr = k0 + idx / BN;
      let gc = col0 + idx % BN;
      var v = 0.0;
      if (gr < dims.k && gc < dims.n) {
        v = w[gr * dims.n + gc];
      }
      ws[idx] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk = kk + 1u) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i = i + 1u) {
        av[i] = xs[(lid.y * 4u + i) * BK + kk];
        bv[i] = ws[kk * BN + lid.x * 4u + i];
      }
      for (var i = 0u; i < 4u; i = i + 1u) {
        for (var j = 0u; j < 4u; j = j + 1u) {
          acc[i][j] = acc[i][j] + av[i] * bv[j];
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    let row = row0 + lid.y * 4u + i;
    for (var j = 0u; j < 4u; j = j + 1u) {
      let col = col0 + lid.x * 4u + j;
      if (row < dims.m && col < dims.n) {
        var v = acc[i][j] + b[col];
        if (dims.act == 1u) {
          v = max(v, 0.0);
        }
        y[row * dims.n + col] = v;
      }
    }
  }
}
