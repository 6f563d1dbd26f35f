#!/usr/bin/env python3
"""Write fuzz/corpus/<target>/ seeds from the chain fixtures (tests/fixtures/chain) and the
Verify page's snapshot files. Run from the repository root: python3 fuzz/seed_corpus.py"""
import hashlib, json, pathlib, re

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz/corpus"
FAMILY = [
    ("metagraph", re.compile(r"Metagraph|SubnetState")),
    ("neuron", re.compile(r"Neuron|Axon|Prometheus")),
    ("subnet", re.compile(r"SubnetInfo|Hyperparam|DynamicInfo|Identity")),
    ("stake", re.compile(r"Stake|Delegate|Lock|Header")),
]

def put(target, data: bytes):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)

def seeds():
    for f in sorted((ROOT / "tests/fixtures/chain").glob("*.json")):
        doc = json.loads(f.read_text())
        items = []
        if isinstance(doc.get("hex"), str):
            items.append((doc.get("type", ""), doc["hex"]))
        for c in doc.get("cases") or []:
            if isinstance(c.get("hex"), str):
                items.append((c.get("type", doc.get("type", "")), c["hex"]))
        for ty, hx in items:
            data = bytes.fromhex(hx[2:] if hx.startswith("0x") else hx)
            yield ty, data

count = {}
for ty, data in seeds():
    for target, rx in FAMILY:
        if rx.search(ty or ""):
            if target in ("subnet", "stake"):
                for sel in range(12):  # every selector, so each type sees the real bytes
                    put(target, bytes([sel]) + data)
            else:
                put(target, data)
            count[target] = count.get(target, 0) + 1
    if len(data) < 1024:
        for sel in range(0, 256, 17):
            put("primitives", bytes([sel]) + data)
        for sel in range(0, 70, 5):
            put("storage", bytes([sel, 1]) + data)
# Runtime metadata: the real blobs, whole.
for f in sorted((ROOT / "tests/fixtures/chain/metadata").glob("*.scale")):
    put("metadata", f.read_bytes())
for f in sorted((ROOT / "www/src/verify/data").glob("*.json")):
    if f.stat().st_size < 64_000 and f.name != "index.json":
        put("snapshot", f.read_bytes())
for f in sorted((ROOT / "data/replay").glob("*.json")):
    put("capture", f.read_bytes())
print({k: len(list((OUT / k).iterdir())) for k in sorted(p.name for p in OUT.iterdir())})
