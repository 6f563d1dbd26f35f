#!/usr/bin/env python3
"""Decode benchmark, Python side: the `bt-decode` package (PyPI) on the same bytes as
tests/verify_decode_bench.rs and scripts/bench-decode.mjs. Prints one BENCH JSON line per input.

bt-decode has typed decoders for NeuronInfoLite etc. but none for the Metagraph runtime-API
result; its generic `bt_decode.decode(type_string, PortableRegistry, bytes)` needs the chain's
type registry from the runtime metadata, which no fixture here contains, so the metagraph row is
reported as not measurable instead of guessed."""
import json, pathlib, sys, time
import bt_decode

ROOT = pathlib.Path(__file__).resolve().parent.parent
iters = int(sys.argv[1]) if len(sys.argv) > 1 else 200

def fixture(name):
    doc = json.loads((ROOT / "tests/fixtures/chain" / name).read_text())
    return bytes.fromhex(doc["hex"][2:])

def bench(name, fn, data, what):
    for _ in range(10):
        fn(data)
    us = []
    for _ in range(iters):
        t = time.perf_counter_ns()
        fn(data)
        us.append((time.perf_counter_ns() - t) / 1000)
    us.sort()
    p = lambda q: us[int((len(us) - 1) * q)]
    print("BENCH " + json.dumps({"impl": f"bt-decode {bt_decode.__dict__.get('__version__', '')} ({what})".replace("  ", " "),
        "input": name, "bytes": len(data), "iters": iters, "median_us": round(p(0.5), 1), "p10_us": round(p(0.1), 1), "p90_us": round(p(0.9), 1)}))

lite = fixture("finney_b6852344_sn1_neurons_lite.json")
bench("finney_b6852344_sn1_neurons_lite.json", bt_decode.NeuronInfoLite.decode_vec, lite, "NeuronInfoLite.decode_vec")
print("BENCH " + json.dumps({"impl": "bt-decode", "input": "finney_b6852344_sn1_metagraph.json", "median_us": None,
    "why": "bt-decode has no typed Metagraph decoder; its generic decode() needs the runtime's PortableRegistry (metadata), not available offline"}))
