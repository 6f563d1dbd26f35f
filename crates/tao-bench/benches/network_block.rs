//! Criterion benchmark of one block of the 128-subnet default network (`sim::default_network`,
//! quiet flows) under the rules of two runtimes: 425 (no gate, no reservoirs) and the newest
//! known (the rank-mode emission gate, reservoirs). It answers "does a rule set make the per-block
//! network step slower". `cargo bench --bench network_block`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tao_engine::runtime::Rules;
use tao_engine::sim::{default_network, DefaultConfig, FlowModel};

fn blocks(c: &mut Criterion) {
    let mut group = c.benchmark_group("network_block_128");
    group.sample_size(20);
    for spec in [425u32, tao_engine::runtime::NEWEST_KNOWN_SPEC] {
        let rules = Rules::for_spec(spec).expect("known runtime");
        let mut sim = default_network(&DefaultConfig::default(), FlowModel::quiet(), 1)
            .expect("default network builds");
        sim.net.params.apply_rules(&rules);
        group.bench_function(BenchmarkId::new("spec", spec), |b| {
            b.iter(|| sim.step().map(|r| r.minted).expect("block runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, blocks);
criterion_main!(benches);
