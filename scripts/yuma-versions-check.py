#!/usr/bin/env python3
"""Agreement of the engine's historical Yuma versions with yuma-simulation.

    yuma-versions-check.py --bin PATH/tao-yuma-versions [--only SUBSTRING] [--verbose]

For every case of yuma-simulation's cases.py (plain and full matrices, bond resets on where a
case has them) and every version, under the parameter sets of its charts_table_generator.py (the
four bond penalties) plus liquid alpha on Yuma 1/2/2B and every liquid-alpha consensus mode on
Yuma 3, this builds the scenario exactly as `_run_simulation` feeds `_call_yuma`, runs
yuma-simulation's own `_run_simulation` for the reference, runs the engine binary on the scenario,
and compares every dividend (normalised validator reward), incentive and bond: within 1e-4, or
1e-4 of the value where it is above 1 (Yuma 2C's bonds are stake x 2^64). One line per failed
run, then `N passed, M failed` (one run = one case x layout x parameter set).

The reference is the installed `yuma_simulation` package, or the source checkout named by
YUMA_SIM_SRC. Needs torch, numpy, pandas and matplotlib.
"""

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time
import types

sys.dont_write_bytecode = True  # leave no __pycache__ in the reference's source tree
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOL = 1e-4

# metagraph_utils imports bittensor (an undeclared dependency used only to download archived
# metagraphs); an empty stand-in lets cases.py import.
sys.modules.setdefault("bittensor", types.ModuleType("bittensor"))
# The reference is the installed yuma_simulation package, or a source checkout named by
# YUMA_SIM_SRC (its `src/` folder); none of its code is part of this repository.
if os.environ.get("YUMA_SIM_SRC"):
    sys.path.insert(0, os.environ["YUMA_SIM_SRC"])

import numpy  # noqa: E402
import torch  # noqa: E402
from yuma_simulation._internal import simulation_utils  # noqa: E402
from yuma_simulation._internal.cases import get_synthetic_cases  # noqa: E402
from yuma_simulation._internal.yumas import (  # noqa: E402
    SimulationHyperparameters,
    YumaConfig,
    YumaParams,
    YumaSimulationNames,
)

NAMES = YumaSimulationNames()
VERSION_KEY = {
    NAMES.YUMA1: "yuma1",
    NAMES.YUMA2: "yuma2",
    NAMES.YUMA2B: "yuma2b",
    NAMES.YUMA2C: "yuma2c",
    NAMES.YUMA3: "yuma3",
    NAMES.YUMA3_LIQUID: "yuma3-liquid",
}


# A few runs kept in tests/golden/yuma-versions.json for `cargo test` (no Python needed): a
# bond reset on plain matrices, one on full matrices, and server-side winner-takes-all on noisy
# weights with three servers, each under every version.
GOLDEN = [
    (case, f" | {layout} | {run}")
    for case, layout in [("Case 5 ", "plain"), ("Case 7 ", "full"), ("Case 22 ", "full")]
    for run in ["yuma1 b1", "yuma2 b0.5", "yuma2b b0.99-liquid", "yuma2c b1", "yuma3 b1", "yuma3-liquid b1-MIXED"]
]


def parameter_sets():
    """(label, yuma version name, SimulationHyperparameters, YumaParams)."""
    # charts_table_generator.py's parameters.
    base = YumaParams()
    ancient = YumaParams(bond_moving_avg=0)
    liquid_on = YumaParams(liquid_alpha=True, alpha_sigmoid_steepness=10.0)
    yuma4 = YumaParams(bond_moving_avg=0.975, alpha_low=0.1, alpha_high=0.3)
    yuma4_liquid = dataclasses.replace(yuma4, liquid_alpha=True)
    out = []
    for bp in [0, 0.5, 0.99, 1]:
        sim = SimulationHyperparameters(bond_penalty=bp, liquid_alpha_consensus_mode="MIXED")
        out += [
            (f"b{bp}", NAMES.YUMA1, sim, ancient),
            (f"b{bp}", NAMES.YUMA2, sim, base),
            (f"b{bp}", NAMES.YUMA2B, sim, base),
            (f"b{bp}-liquid", NAMES.YUMA1, sim, liquid_on),
            (f"b{bp}-liquid", NAMES.YUMA2, sim, liquid_on),
            (f"b{bp}-liquid", NAMES.YUMA2B, sim, liquid_on),
        ]
    sim = SimulationHyperparameters(bond_penalty=1, liquid_alpha_consensus_mode="MIXED")
    out += [
        ("b1", NAMES.YUMA2C, sim, base),
        ("b1", NAMES.YUMA3, sim, yuma4),
        ("b1-base", NAMES.YUMA3, sim, base),
    ]
    for mode in ["MIXED", "CURRENT", "PREVIOUS"]:
        sim = SimulationHyperparameters(bond_penalty=1, liquid_alpha_consensus_mode=mode)
        out.append((f"b1-{mode}", NAMES.YUMA3_LIQUID, sim, yuma4_liquid))
    return out


def scenario(case, version, config):
    """The SCENARIO.json that `_run_simulation` feeds `_call_yuma` for this case."""
    merged = config.with_overrides(case.get_config_overrides())
    params = {**dataclasses.asdict(merged.simulation), **dataclasses.asdict(merged.yuma_params)}
    doc = {
        "version": VERSION_KEY[version],
        "params": params,
        "num_validators": len(case.validators),
        "num_servers": len(case.servers),
        "use_full_matrices": bool(case.use_full_matrices),
        "epochs": [
            {"weights": w.tolist(), "stakes": s.tolist()}
            for w, s in zip(case.weights_epochs, case.stakes_epochs)
        ][: case.num_epochs],
    }
    if case.reset_bonds:
        doc["reset_bonds"] = {"epoch": case.reset_bonds_epoch, "index": case.reset_bonds_index}
    return doc


def reference(case, version, config):
    """yuma-simulation's own run: per epoch the normalised rewards (of the validators), the
    incentives and the bonds, as `_run_simulation` records them."""
    rewards = []
    original = simulation_utils._call_yuma

    def recording(**kwargs):
        out = original(**kwargs)
        rewards.append(out[0]["validator_reward_normalized"].clone())
        return out

    simulation_utils._call_yuma = recording
    try:
        _, _, bonds, incentives = simulation_utils._run_simulation(case, version, config)
    finally:
        simulation_utils._call_yuma = original
    n = len(case.validators)
    return [
        {"dividends": d[:n].tolist(), "incentives": i.tolist(), "bonds": b.tolist()}
        for d, i, b in zip(rewards, incentives, bonds)
    ]


def shortest(x):
    """Every float (all float32 values here) as the shortest decimal that reads back as it."""
    if isinstance(x, list):
        return [shortest(v) for v in x]
    if isinstance(x, dict):
        return {k: shortest(v) for k, v in x.items()}
    if isinstance(x, float):
        return float(str(numpy.float32(x)))
    return x


def flat(x, path):
    if isinstance(x, list):
        for k, v in enumerate(x):
            yield from flat(v, f"{path}[{k}]")
    else:
        yield path, x


def compare(ours, ref):
    """First disagreement (a string) or None; and the largest absolute difference of values <= 1."""
    worst = 0.0
    if len(ours) != len(ref):
        return f"{len(ours)} epochs, reference has {len(ref)}", worst
    for e, (o, r) in enumerate(zip(ours, ref)):
        for field in ("dividends", "incentives", "bonds"):
            fo = list(flat(o.get(field), field))
            fr = list(flat(r[field], field))
            if [p for p, _ in fo] != [p for p, _ in fr]:
                return f"epoch {e} {field}: shape differs", worst
            for (path, a), (_, b) in zip(fo, fr):
                if not isinstance(a, (int, float)):
                    return f"epoch {e} {path}: {a!r} is not a number", worst
                diff = abs(a - b)
                if abs(b) <= 1:
                    worst = max(worst, diff)
                if not diff <= TOL * max(1.0, abs(b)):
                    return f"epoch {e} {path}: engine {a!r}, yuma-simulation {b!r}", worst
    return None, worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--only", default="")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--golden", help="also write the GOLDEN runs' scenarios and references here")
    args = ap.parse_args()
    golden = []
    torch.set_num_threads(1)
    passed = failed = 0
    worst = 0.0
    started = time.time()
    for full in (False, True):
        for case in get_synthetic_cases(use_full_matrices=full, reset_bonds=True):
            for label, version, sim, yparams in parameter_sets():
                config = YumaConfig(simulation=sim, yuma_params=yparams)
                name = f"{case.name} | {'full' if full else 'plain'} | {VERSION_KEY[version]} {label}"
                if args.only not in name:
                    continue
                try:
                    doc = scenario(case, version, config)
                    ref = reference(case, version, config)
                    run = subprocess.run(
                        [args.bin, "-"], input=json.dumps(doc), capture_output=True, text=True
                    )
                    if run.returncode != 0:
                        problem = f"engine exit {run.returncode}: {run.stderr.strip()}"
                    else:
                        problem, w = compare(json.loads(run.stdout)["epochs"], ref)
                        worst = max(worst, w)
                except Exception as exc:  # a run that cannot be evaluated is a failure
                    problem = f"{type(exc).__name__}: {exc}"
                if args.golden and any(name.startswith(c) and name.endswith(r) for c, r in GOLDEN):
                    short = {**doc, "epochs": shortest(doc["epochs"])}
                    golden.append({"name": name, "scenario": short, "expected": shortest(ref)})
                if problem is None:
                    passed += 1
                    if args.verbose:
                        print(f"ok   {name}")
                else:
                    failed += 1
                    print(f"FAIL {name}: {problem}")
    if args.golden:
        with open(args.golden, "w") as f:
            json.dump({"source": "scripts/yuma-versions-check.py --golden", "runs": golden}, f)
            f.write("\n")
    print(f"largest difference (values <= 1): {worst:.3g}; {time.time() - started:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
