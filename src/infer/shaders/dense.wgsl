// y = act(x w + b): x is m x k, w is k x n, b is n, y is m x n (row-major f32).
// Tiled: each 16x16 workgroup computes a 16x16 tile of y, staging 16x16 tiles of x and w in
// workgroup memory so every loaded value is reused 16 times.
struct Dims { m: u32, k: u32, n: u32, act: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> dims: Dims;

const TILE: u32 = 16u;
var<workgroup> xs: array<array<f32, 16>, 16>;
var<workgroup> ws: array<array<f32, 16>, 16>;

@compute @workgroup_size(16, 16)
fn dense(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let row = wid.y * TILE + lid.y;
  let col = wid.x * TILE + lid.x;
  var acc = 0.0;
  let tiles = (dims.k + TILE - 1u) / TILE;
  for (var t = 0u; t < tiles; t = t + 1u) {
    let xk = t * TILE + lid.x;
    if (row < dims.m && xk < dims.k) {
      xs[lid.y][lid.x] = x[row * dims.k + xk];
    } else {
      xs[lid.y][lid.x] = 0.0;
    }
    let wk = t * TILE + lid.y;
    if (wk < dims.k && col < dims.n) {
      ws[lid.y][lid.x] = w[wk * dims.n + col];
    } else {
      ws[lid.y][lid.x] = 0.0;
    }
    workgroupBarrier();
    for (var i = 0u; i < TILE; i = i + 1u) {
      acc = acc + xs[lid.y][i] * ws[i][lid.x];
    }
    workgroupBarrier();
  }
  if (row < dims.m && col < dims.n) {
    var v = acc + b[col];
    if (dims.act == 1u) {
      v = max(v, 0.0);
    }
    y[row * dims.n + col] = v;
  }
}
