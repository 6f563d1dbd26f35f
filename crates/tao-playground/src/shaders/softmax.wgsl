// Row-wise softmax (mode 0) or log-softmax (mode 1) in place, one invocation per row.
struct Rows { m: u32, n: u32, mode: u32, pad: u32 }

@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@group(0) @binding(1) var<uniform> rows: Rows;

@compute @workgroup_size(64)
fn softmax(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= rows.m) {
    return;
  }
  let base = r * rows.n;
  var mx = -3.0e38;
  for (var j = 0u; j < rows.n; j = j + 1u) {
    mx = max(mx, v[base + j]);
  }
  var s = 0.0;
  for (var j = 0u; j < rows.n; j = j + 1u) {
    s = s + exp(v[base + j] - mx);
  }
  if (rows.mode == 1u) {
    let lse = mx + log(s);
    for (var j = 0u; j < rows.n; j = j + 1u) {
      v[base + j] = v[base + j] - lse;
    }
  } else {
    for (var j = 0u; j < rows.n; j = j + 1u) {
      v[base + j] = exp(v[base + j] - mx) / s;
    }
  }
}
