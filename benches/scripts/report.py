#!/usr/bin/env python3
"""Prints the benchmark tables of benches/RESULTS.md from criterion's output.

Reads the median of every benchmark from target/criterion/<group>/<fn>/new/
estimates.json (written by `cargo bench -p smpp-benches`) and prints
Markdown tables with the ratios the targets are stated in. Standard library
only. Usage: python3 benches/scripts/report.py [target/criterion]
"""

import json
import os
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join("target", "criterion")
PEERS = ["rusmpp-borrowed", "rusmpp-owned", "smpp34", "smpp-codec"]
INPUTS = [
    "submit_sm_160",
    "submit_sm_sar",
    "submit_sm_payload_1000",
    "deliver_sm_receipt",
    "submit_sm_resp",
    "enquire_link",
]


def median(group, function):
    path = os.path.join(ROOT, group.replace("/", "_"), function, "new", "estimates.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def ns(v):
    if v is None:
        return "-"
    if v >= 1e6:
        return f"{v / 1e6:.2f} ms"
    if v >= 1e3:
        return f"{v / 1e3:.1f} µs"
    return f"{v:.1f} ns"


def ratio(a, b):
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def codec_table(kind, baselines, extra=(), versus=None):
    """`versus`: an extra column that the fastest peer is also compared with."""
    cols = ["smpp-core", *extra] + PEERS + baselines
    head = cols + [f"{p} ÷ core" for p in PEERS] + ["fastest peer ÷ core"]
    if versus:
        head += [f"fastest peer ÷ {versus.removeprefix('smpp-core-')}"]
    head += [f"core ÷ {b.removeprefix('baseline-')}" for b in baselines]
    print(f"| {kind} | " + " | ".join(head) + " |")
    print("|---" * (len(head) + 1) + "|")
    for name in INPUTS:
        group = f"{kind}/{name}"
        t = {c: median(group, c) for c in cols}
        core = t["smpp-core"]
        peers = [t[p] for p in PEERS if t[p] is not None]
        fastest = min(peers) if peers else None
        row = [ns(t[c]) for c in cols]
        row += [ratio(t[p], core) for p in PEERS]
        row += [ratio(fastest, core)]
        if versus:
            row += [ratio(fastest, t[versus])]
        row += [ratio(core, t[b]) for b in baselines]
        print(f"| {name} | " + " | ".join(row) + " |")
    print()


def stream_table(octets):
    print("| implementation | time (median) | PDUs/s | bytes/s (`stream_10k/bytes`) | PDUs/s ÷ smpp-core |")
    print("|---|---|---|---|---|")
    core = median("stream_10k/pdus", "smpp-core")
    for impl in ["smpp-core"] + PEERS:
        t = median("stream_10k/pdus", impl)
        if t is None:
            continue
        rate = 10_000 / (t / 1e9)
        tb = median("stream_10k/bytes", impl)
        gbs = "-" if tb is None else f"{octets / (tb / 1e9) / 1e9:.2f} GB/s"
        print(f"| {impl} | {ns(t)} | {rate / 1e6:.2f} M | {gbs} | {ratio(core, t)} |")
    print()


def stream_octets():
    """The stream's length, from criterion's throughput record."""
    path = os.path.join(ROOT, "stream_10k_bytes", "smpp-core", "new", "benchmark.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["throughput"]["Bytes"]
    except (FileNotFoundError, KeyError, TypeError):
        return None


def simple_table(prefix, names, functions):
    print("| input | " + " | ".join(functions) + " | " +
          " | ".join(f"{f} ÷ {functions[0]}" for f in functions[1:]) + " |")
    print("|---" * (2 * len(functions)) + "|")
    for name in names:
        t = [median(f"{prefix}/{name}", f) for f in functions]
        if all(v is None for v in t):
            continue
        print(f"| {name} | " + " | ".join(ns(v) for v in t) + " | " +
              " | ".join(ratio(v, t[0]) for v in t[1:]) + " |")
    print()


def listing(prefix):
    base = os.path.join(ROOT)
    out = {}
    for d in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        if d.startswith(prefix.replace("/", "_") + "_"):
            out[d[len(prefix) + 1:]] = sorted(
                f for f in os.listdir(os.path.join(base, d)) if f != "report")
    return out


def listed_table(prefix, title, columns, row):
    """The table of every benchmark found under `prefix`, if any: `row(name,
    function)` gives a benchmark's cells, or None to leave it out."""
    found = listing(prefix)
    if not found:
        return
    print(f"### {title}\n")
    print("| " + " | ".join(columns) + " |")
    print("|---" * len(columns) + "|")
    for name, functions in found.items():
        for f in functions:
            cells = row(name, f)
            if cells is not None:
                print("| " + " | ".join(cells) + " |")
    print()


def session_row(name, function):
    t = median(f"session/{name}", function)
    return None if t is None else [name, ns(t), f"{10_000 / (t / 1e9) / 1e3:.0f} k"]


def text_row(name, function):
    """smpp-core's functions only, each against the peers."""
    if not function.startswith("smpp-core"):
        return None
    t = median(f"text/{name}", function)
    peers = {p: median(f"text/{name}", p) for p in ["rusmpp", "smpp-codec"]}
    known = [v for v in peers.values() if v is not None]
    label = name if function == "smpp-core" else f"{name} ({function})"
    return [label, ns(t), ns(peers["rusmpp"]), ns(peers["smpp-codec"]),
            ratio(min(known), t) if known else "-"]


if __name__ == "__main__":
    print("### Decode\n")
    codec_table("decode", ["baseline-memcpy", "baseline-header-read"], ["smpp-core+visit-tlvs"])
    print("### Encode\n")
    codec_table("encode", ["baseline-memcpy"], ["smpp-core-valid"], "smpp-core-valid")
    print("### Stream of 10,000 PDUs\n")
    octets = stream_octets()
    if octets:
        print(f"{octets} octets, 10,000 PDUs.\n")
    stream_table(octets or 0)
    print("### View to owned\n")
    simple_table("to_owned", INPUTS, ["smpp-core-vec", "smpp-core-bytes", "rusmpp-owned"])
    listed_table("session", "Sessions: 10,000 `submit_sm` and their responses, window 64",
                 ["setup", "time per 10,000", "`submit_sm` + response per second"], session_row)
    listed_table("text", "Text",
                 ["benchmark", "smpp-core", "rusmpp", "smpp-codec", "fastest peer ÷ smpp-core"], text_row)
