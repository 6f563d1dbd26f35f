#!/usr/bin/env python3
"""Yuma benchmark, peer side: the `yuma-simulation` package (PyPI; torch, float64) running its
Yuma3 with liquid alpha on the same shape as the engine's benchmark epoch (n uids, v validators;
consensus::bench::steady_state_subnet). Prints one BENCH JSON line per shape, medians in ms.

    scripts/bench-yuma-peer.py [runs] [n:v ...]      (default: 25 1024:64 256:64)

The package's Yuma3 signature changed between releases; the call is built from its signature.
torch runs with 2 threads (as in the issue's figures; TORCH_THREADS overrides: on a loaded
machine OpenMP's spinning threads make 2 threads far slower than 1). The second call is timed (it has the
previous bonds and consensus, so liquid alpha is active)."""
import importlib, inspect, json, random, sys, time, types

import torch

# The package's liquid-alpha helper lives in a module that imports `bittensor` (for metagraph
# downloads this benchmark never makes); a stub stands in when the SDK is not installed.
try:
    import bittensor  # noqa: F401
except ImportError:
    sys.modules["bittensor"] = types.ModuleType("bittensor")

torch.set_num_threads(int(__import__("os").environ.get("TORCH_THREADS", "2")))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 25
shapes = [tuple(int(x) for x in s.split(":")) for s in sys.argv[2:]] or [(1024, 64), (256, 64)]

mod = None
for name in ("yuma_simulation._internal.yumas", "yuma_simulation.yumas", "yuma_simulation"):
    try:
        m = importlib.import_module(name)
    except ImportError:
        continue
    if hasattr(m, "Yuma3"):
        mod = m
        break
if mod is None:
    raise SystemExit("yuma_simulation.Yuma3 not found")


def config():
    cfg_cls = getattr(mod, "YumaConfig")
    params = getattr(mod, "YumaParams", None)
    if params is not None:
        return cfg_cls(yuma_params=params(liquid_alpha=True))
    return cfg_cls(liquid_alpha=True)


def call(W, S, B_old, C_old, n, v):
    sig = inspect.signature(mod.Yuma3).parameters
    kw = {"config": config()}
    if "num_servers" in sig:
        kw.update(num_servers=n, num_validators=v, use_full_matrices=True)
    if "B_old" in sig:
        kw["B_old"] = B_old
    if "C_old" in sig:
        kw["C_old"] = C_old
    return mod.Yuma3(W, S, **kw)


for n, v in shapes:
    rng = random.Random(7)
    W = torch.tensor([[rng.random() for _ in range(n)] for _ in range(v)], dtype=torch.float64)
    S = torch.tensor([rng.random() * 1e6 for _ in range(v)], dtype=torch.float64)
    first = call(W, S, None, None, n, v)
    B = first.get("validator_bonds", first.get("validator_ema_bond"))
    C = first.get("server_consensus_weight")
    call(W, S, B, C, n, v)
    ms = []
    for _ in range(runs):
        t = time.perf_counter_ns()
        call(W, S, B, C, n, v)
        ms.append((time.perf_counter_ns() - t) / 1e6)
    ms.sort()
    print("BENCH " + json.dumps({"impl": f"yuma-simulation {getattr(importlib.import_module('yuma_simulation'), '__version__', '')}".strip(),
        "n": n, "validators": v, "runs": runs, "median_ms": round(ms[len(ms) // 2], 4)}), flush=True)
