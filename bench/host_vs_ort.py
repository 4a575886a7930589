#!/usr/bin/python3
# Host benchmark: tinyonnx CLI vs ONNX Runtime (onnxruntime-node, CPU EP, 1 thread).
#
# Exact command (from the repository root, after building the CLI):
#
#   /usr/bin/python3 bench/host_vs_ort.py --tinyonnx build/tools/tinyonnx \
#       --model tests/data/models/torch_cnn_bn_opset13.onnx --runs 2000
#
# --model may be repeated for one table row per model. Inputs are taken from
# MODEL's siblings NAME.input_0.npy, NAME.input_1.npy, ...
#
# Each engine runs 3 times, alternating (ORT, tinyonnx, ORT, tinyonnx, ...):
#   ORT:      node tests/ort/ort_run.js MODEL - IN0.npy ... --bench RUNS
#             (10 warm-ups, then RUNS timed session.run calls; prints
#              `ort_us_per_inference <mean>`; includes the node/N-API call
#              overhead of onnxruntime-node, a few µs per call)
#   tinyonnx: TINYONNX run MODEL --input IN0.npy ... --repeat RUNS
#             (prints `tinyonnx_us_per_inference <mean>`)
# The table shows the median of the 3 means; ratio = tinyonnx / ORT
# (below 1 means tinyonnx is faster).
"""Benchmark tinyonnx against ONNX Runtime on the host."""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORT_DIR = os.path.join(ROOT, "tests", "ort")
ORT_RUN = os.path.join(ORT_DIR, "ort_run.js")


def ensure_ort_installed():
    if os.path.isfile(os.path.join(ORT_DIR, "node_modules", "onnxruntime-node", "package.json")):
        return
    if shutil.which("npm") is None:
        sys.exit("host_vs_ort: npm not found (needed to install onnxruntime-node)")
    subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund"],
                   cwd=ORT_DIR, check=True, stdout=sys.stderr)


def find_inputs(model):
    stem = model[:-len(".onnx")] if model.endswith(".onnx") else model
    inputs = []
    while os.path.isfile(f"{stem}.input_{len(inputs)}.npy"):
        inputs.append(f"{stem}.input_{len(inputs)}.npy")
    return inputs


def timed(cmd, key):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"host_vs_ort: command failed (exit {r.returncode}): {' '.join(cmd)}\n"
                 f"{r.stderr.strip()}")
    m = re.search(rf"^{key}\s+([0-9.eE+-]+)\s*$", r.stdout, re.MULTILINE)
    if not m:
        sys.exit(f"host_vs_ort: no '{key}' line in the output of {' '.join(cmd)}:\n{r.stdout}")
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tinyonnx", required=True, help="path to the tinyonnx CLI")
    ap.add_argument("--model", required=True, action="append",
                    help="model .onnx (repeatable); inputs NAME.input_K.npy beside it")
    ap.add_argument("--runs", type=int, default=2000, help="timed inferences per measurement")
    ap.add_argument("--rounds", type=int, default=3, help="measurements per engine (median taken)")
    args = ap.parse_args()

    exe = os.path.abspath(args.tinyonnx)
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        ap.error(f"--tinyonnx {args.tinyonnx}: not an executable file")
    ensure_ort_installed()

    rows = []
    for model in args.model:
        inputs = find_inputs(model)
        if not inputs:
            sys.exit(f"host_vs_ort: no input files {model[:-5]}.input_0.npy ...")
        ort_cmd = ["node", ORT_RUN, model, "-"] + inputs + ["--bench", str(args.runs)]
        tiny_cmd = [exe, "run", model]
        for i in inputs:
            tiny_cmd += ["--input", i]
        tiny_cmd += ["--repeat", str(args.runs)]
        ort_us, tiny_us = [], []
        for _ in range(args.rounds):
            ort_us.append(timed(ort_cmd, "ort_us_per_inference"))
            tiny_us.append(timed(tiny_cmd, "tinyonnx_us_per_inference"))
        print(f"{os.path.basename(model)}: tinyonnx {tiny_us} µs, ORT {ort_us} µs",
              file=sys.stderr)
        t, o = statistics.median(tiny_us), statistics.median(ort_us)
        rows.append((os.path.basename(model)[:-len(".onnx")], t, o, t / o if o > 0 else float("inf")))

    print("| model | tinyonnx µs | ORT µs | ratio |")
    print("|---|---:|---:|---:|")
    for name, t, o, ratio in rows:
        print(f"| {name} | {t:.1f} | {o:.1f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
