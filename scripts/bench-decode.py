#!/usr/bin/env python3
"""Decode benchmark, Python side: the `bt-decode` package (PyPI) on the same bytes as
tests/verify_decode_bench.rs and scripts/bench-decode.mjs. Prints one BENCH JSON line per input.

bt-decode has typed decoders for NeuronInfoLite etc. but none for the metagraph; the SDK decodes
it with the generic `bt_decode.decode(type, PortableRegistry, bytes)` and the registry from the
chain's runtime metadata. No fixture holds that metadata, so this script builds a PortableRegistry
(scale-info JSON) for `Option<Metagraph>` from the field list in src/chain/types/metagraph.rs and
decodes with `scale_info::<id>`; the result is checked against the fixture's stated and derived
values before timing, so a wrong registry cannot produce a number."""
import json, pathlib, re, sys, time
import bt_decode

ROOT = pathlib.Path(__file__).resolve().parent.parent
iters = int(sys.argv[1]) if len(sys.argv) > 1 else 200


class Registry:
    def __init__(self):
        self.types, self.ids = [], {}

    def add(self, key, ty):
        if key in self.ids:
            return self.ids[key]
        i = len(self.types)
        self.ids[key] = i
        self.types.append({"id": i, "type": ty})
        return i

    def prim(self, p):
        return self.add(p, {"def": {"primitive": p}})

    def compact(self, p):
        return self.add(f"Compact<{p}>", {"def": {"compact": {"type": self.prim(p)}}})

    def seq(self, key, inner):
        return self.add(f"Vec<{key}>", {"def": {"sequence": {"type": inner}}})

    def option(self, key, inner):
        return self.add(f"Option<{key}>", {"path": ["Option"], "params": [{"name": "T", "type": inner}],
            "def": {"variant": {"variants": [{"name": "None", "index": 0}, {"name": "Some", "fields": [{"type": inner}], "index": 1}]}}})

    def composite(self, name, fields):
        return self.add(name, {"path": [name], "def": {"composite": {"fields": [{"name": n, "type": t} for n, t in fields]}}})

    def resolve(self, codec):
        c = codec.replace(" ", "")
        if c in ("u8", "u16", "u32", "u64", "u128", "i128", "bool"):
            return self.prim(c)
        if m := re.fullmatch(r"Compact<(u\d+)>", c):
            return self.compact(m[1])
        if c == "CompactText":
            return self.seq("Compact<u8>", self.compact("u8"))
        if c == "Text":
            return self.seq("u8", self.prim("u8"))
        if c == "AccountId32":
            arr = self.add("[u8;32]", {"def": {"array": {"len": 32, "type": self.prim("u8")}}})
            return self.add("AccountId32", {"path": ["sp_core", "crypto", "AccountId32"], "def": {"composite": {"fields": [{"type": arr}]}}})
        if c == "I96F32":
            return self.composite("I96F32", [("bits", self.prim("i128"))])
        if c == "HotkeyAmounts":
            tup = self.add("(AccountId32,Compact<u64>)", {"def": {"tuple": [self.resolve("AccountId32"), self.resolve("Compact<u64>")]}})
            return self.seq("(AccountId32,Compact<u64>)", tup)
        if m := re.fullmatch(r"Vec<(.+)>", c):
            return self.seq(m[1], self.resolve(m[1]))
        if m := re.fullmatch(r"Option<(.+)>", c):
            return self.option(m[1], self.resolve(m[1]))
        return self.struct(c)

    def struct(self, name):
        if name in self.ids:
            return self.ids[name]
        src = "".join(p.read_text() for p in sorted((ROOT / "src/chain/types").glob("*.rs")))
        body = re.search(r"pub struct " + name + r" \{(.*?)\n    \}", src, re.S)
        if not body:
            raise SystemExit(f"no struct {name} in src/chain/types")
        fields = re.findall(r"pub (\w+): .*? as (.+?),\s*$", body[1], re.M)
        return self.composite(name, [(n, self.resolve(c)) for n, c in fields])


def fixture(name):
    doc = json.loads((ROOT / "tests/fixtures/chain" / name).read_text())
    return doc, bytes.fromhex(doc["hex"][2:])


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
    print("BENCH " + json.dumps({"impl": f"bt-decode ({what})", "input": name, "bytes": len(data), "iters": iters,
        "median_us": round(p(0.5), 1), "p10_us": round(p(0.1), 1), "p90_us": round(p(0.9), 1)}))


# Metagraph through the generic decoder.
reg = Registry()
top = reg.resolve("Option<Metagraph>")
registry = bt_decode.PortableRegistry.from_json(json.dumps({"types": reg.types}))
doc, mg = fixture("finney_b6852344_sn1_metagraph.json")
value = bt_decode.decode(f"scale_info::{top}", registry, mg)
d = doc["derived"]
assert value["netuid"] == doc["expected"]["assertions"]["metagraph(1).netuid"], value["netuid"]
assert value["block"] == doc["expected"]["assertions"]["metagraph(1).block"]
assert len(value["hotkeys"]) == doc["expected"]["assertions"]["metagraph(1).n"]
assert list(value["incentives"][:5]) == d["incentives"]["first5"], (value["incentives"][:5], d["incentives"]["first5"])
assert sum(value["total_stake"]) == int(d["total_stake"]["sum"])
bench("finney_b6852344_sn1_metagraph.json", lambda b: bt_decode.decode(f"scale_info::{top}", registry, b), mg,
      "generic decode with a PortableRegistry built for Option<Metagraph>")

_, lite = fixture("finney_b6852344_sn1_neurons_lite.json")
assert len(bt_decode.NeuronInfoLite.decode_vec(lite)) == 1024
bench("finney_b6852344_sn1_neurons_lite.json", bt_decode.NeuronInfoLite.decode_vec, lite, "typed NeuronInfoLite.decode_vec")
