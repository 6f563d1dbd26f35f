#!/usr/bin/env python3
"""Commit-reveal v3/v4 test vectors made by an independent implementation: bittensor-drand.

bittensor-drand (PyPI; Rust inside, the `tle` crate at the revision subtensor reveals with) is
what the Bittensor SDK commits with. This script asks it for timelocked weight commits to drand
quicknet rounds whose signatures are public (rounds 1000 and 2000, the pulses subtensor's own
tests use), and writes them as JSON for tests/timelock_*.rs and the wasm tests.

Two producers, both bittensor-drand's:
  * "sdk-commit": `get_encrypted_commit_v2` itself builds the SCALE payload (hotkey, uids,
    values, version key) and encrypts it, exactly as the SDK's `commit_weights` does. It picks
    the drand round from the wall clock, so the clock is frozen (libfaketime) at the instant that
    makes the round come out as 1000 or 2000. Skipped (with a note) where libfaketime is absent.
  * "encrypt-at-round": `encrypt_at_round` encrypts a payload this script SCALE-encodes for an
    explicit round (the legacy no-hotkey layout too, which the SDK no longer produces).

Usage: timelock-vectors.py OUT.json   (run by scripts/timelock-vectors in its venv)
"""

import glob
import json
import os
import subprocess
import sys

import bittensor_drand as bd

GENESIS = 1692803367  # quicknet genesis time (s)
PERIOD = 3  # quicknet period (s)
LIBFAKETIME = next(iter(sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))), "")

# Public quicknet pulses (subtensor pallets/drand/src/tests.rs and pallets/commitments/src/mock.rs).
PULSES = {
    1000: "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39",
    2000: "b6cb8f482a0b15d45936a4c4ea08e98a087e71787caee3f4d07a8a9843b1bc5423c6b3c22f446488b3137eaca799c77e",
}

HOTKEYS = [bytes([0x11 * (i + 1) % 256]) * 32 for i in range(4)]

# (name, round, hotkey index, uids, values, version key)
CASES = [
    ("validator-0", 1000, 0, [0, 1, 2, 3], [65535, 32768, 16384, 1], 0),
    ("validator-1", 1000, 1, [2, 3], [1000, 3000], 7),
    ("validator-2-round-2000", 2000, 2, [1, 3], [65535, 65535], 0),
    ("empty", 2000, 3, [], [], 0),
]


def compact(n):
    if n < 1 << 6:
        return bytes([n << 2])
    if n < 1 << 14:
        return ((n << 2) | 1).to_bytes(2, "little")
    if n < 1 << 30:
        return ((n << 2) | 2).to_bytes(4, "little")
    raise ValueError("length too large for this script")


def payload(hotkey, uids, values, version_key):
    out = b""
    if hotkey is not None:
        out += compact(len(hotkey)) + hotkey
    out += compact(len(uids)) + b"".join(u.to_bytes(2, "little") for u in uids)
    out += compact(len(values)) + b"".join(v.to_bytes(2, "little") for v in values)
    return out + version_key.to_bytes(8, "little")


def read_compact(b):
    mode = b[0] & 3
    if mode == 0:
        return b[0] >> 2, 1
    if mode == 1:
        return int.from_bytes(b[:2], "little") >> 2, 2
    if mode == 2:
        return int.from_bytes(b[:4], "little") >> 2, 4
    raise ValueError("big compact")


def strip_user_data(blob, want_round):
    """encrypt_at_round returns SCALE(UserData { encrypted_data: Vec<u8>, reveal_round: u64 })."""
    n, k = read_compact(blob)
    data, rest = blob[k : k + n], blob[k + n :]
    assert int.from_bytes(rest, "little") == want_round and len(rest) == 8
    return data


# Epoch state for get_encrypted_commit_v2: the round is a function of (now, this state) only.
SDK_STATE = dict(
    last_epoch_block=1000,
    pending_epoch_at=0,
    subnet_epoch_index=10,
    tempo=99,
    blocks_since_last_step=10,
    current_block=1010,
    subnet_reveal_period_epochs=1,
    block_time=12,
)


def sdk_child(spec):
    """Run inside the frozen clock: one get_encrypted_commit_v2 call, JSON on stdout."""
    s = SDK_STATE
    ct, rnd = bd.get_encrypted_commit_v2(
        spec["uids"], spec["values"], spec["version_key"], s["last_epoch_block"],
        s["pending_epoch_at"], s["subnet_epoch_index"], s["tempo"], s["blocks_since_last_step"],
        s["current_block"], s["subnet_reveal_period_epochs"], s["block_time"],
        bytes.fromhex(spec["hotkey"]),
    )
    print(json.dumps({"ciphertext": ct.hex(), "round": rnd}))


def sdk_commit(now, spec):
    env = dict(os.environ, LD_PRELOAD=LIBFAKETIME, FAKETIME_FMT="%s", FAKETIME=str(now), TZ="UTC")
    out = subprocess.run(
        [sys.executable, __file__, "--sdk-child", json.dumps(spec)],
        env=env, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def sdk_vectors(notes):
    if not LIBFAKETIME:
        notes.append("sdk-commit vectors skipped: libfaketime is not installed")
        return []
    out = []
    probe_now = GENESIS + 600
    for name, rnd, hk, uids, values, vk in CASES[:3]:
        spec = dict(uids=uids, values=values, version_key=vk, hotkey=HOTKEYS[hk].hex())
        probe = sdk_commit(probe_now, spec)["round"]
        # round = floor((now + lead - genesis) / 3) with an integer lead: move now by whole periods.
        got = sdk_commit(probe_now + PERIOD * (rnd - probe), spec)
        if got["round"] != rnd:
            raise SystemExit(f"frozen clock gave round {got['round']}, wanted {rnd}")
        out.append(dict(name="sdk-" + name, producer="get_encrypted_commit_v2", round=rnd,
                        hotkey=spec["hotkey"], uids=uids, values=values, version_key=vk,
                        format="hotkey", ciphertext=got["ciphertext"]))
    return out


def at_round_vectors():
    out = []
    for name, rnd, hk, uids, values, vk in CASES:
        blob, r = bd.encrypt_at_round(payload(HOTKEYS[hk], uids, values, vk), rnd)
        assert r == rnd
        out.append(dict(name=name, producer="encrypt_at_round", round=rnd, hotkey=HOTKEYS[hk].hex(),
                        uids=uids, values=values, version_key=vk, format="hotkey",
                        ciphertext=strip_user_data(bytes(blob), rnd).hex()))
    blob, _ = bd.encrypt_at_round(payload(None, [0, 2], [5, 10], 3), 1000)
    out.append(dict(name="legacy-no-hotkey", producer="encrypt_at_round", round=1000,
                    hotkey=HOTKEYS[3].hex(), uids=[0, 2], values=[5, 10], version_key=3,
                    format="legacy", ciphertext=strip_user_data(bytes(blob), 1000).hex()))
    return out


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--sdk-child":
        sdk_child(json.loads(sys.argv[2]))
        return
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    notes = []
    commits = sdk_vectors(notes) + at_round_vectors()
    # Check the producer's own decryption agrees before handing the vectors on.
    for c in commits:
        ct = bytes.fromhex(c["ciphertext"])
        user_data = compact(len(ct)) + ct + c["round"].to_bytes(8, "little")
        plain = bd.decrypt_with_signature(user_data, PULSES[c["round"]])
        want_hk = None if c["format"] == "legacy" else bytes.fromhex(c["hotkey"])
        assert bytes(plain) == payload(want_hk, c["uids"], c["values"], c["version_key"]), c["name"]
    doc = {
        "generator": "scripts/timelock-vectors.py",
        "bittensor_drand": getattr(bd, "__version__", None) or _dist_version(),
        "chain_hash": "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
        "pulses": [{"round": r, "signature": s} for r, s in sorted(PULSES.items())],
        "sdk_state": SDK_STATE,
        "notes": notes,
        "commits": commits,
    }
    with open(sys.argv[1], "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"{len(commits)} commits written to {sys.argv[1]}" + "".join("; " + n for n in notes))


def _dist_version():
    from importlib.metadata import version

    return version("bittensor-drand")


if __name__ == "__main__":
    main()
