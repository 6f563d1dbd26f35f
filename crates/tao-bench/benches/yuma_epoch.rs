//! Criterion benchmark of one Yuma3 epoch on the deterministic steady-state subnet
//! (`consensus::bench`): 256 and 1024 uids, 64 validators with dense weights, liquid alpha on and
//! off. `cargo bench --bench yuma_epoch`. The wasm side and the ratios: `scripts/bench-yuma`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tao_engine::consensus::bench::{bench_epoch, steady_state_subnet};

fn epochs(c: &mut Criterion) {
    let mut group = c.benchmark_group("yuma3_epoch");
    group.sample_size(30);
    for (n, liquid) in [(256u16, true), (1024, true), (1024, false)] {
        let s = steady_state_subnet(n, 64, liquid).expect("benchmark subnet builds");
        let id = BenchmarkId::new(
            if liquid {
                "liquid_alpha"
            } else {
                "fixed_alpha"
            },
            n,
        );
        group.bench_with_input(id, &s, |b, s| {
            b.iter(|| bench_epoch(s).expect("epoch runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, epochs);
criterion_main!(benches);
