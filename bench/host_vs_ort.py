#!/usr/bin/python3
# Host benchmark: tinyonnx CLI vs ONNX Runtime (onnxruntime-node, CPU EP, 1 thread).
#
# Exact command (from the repository root, after building the CLI):
#
#   /usr/bin/python3 bench/host_vs_ort.py --tinyonnx build/tools/tinyonnx \
#       --model tests/data/models/torch_cnn_bn_opset13.onnx --runs 2000
#   /usr/bin/python3 bench/host_vs_ort.py --tinyonnx build/tools/tinyonnx \
#       --mnist .cache/mnist --model models/mnist-cnn.onnx --model models/mnist-small.onnx
#
# --model may be repeated for one table row per model. Inputs are taken from
# MODEL's siblings NAME.input_0.npy, NAME.input_1.npy, ..., or with --mnist
# DIR, MNIST test image 0 (pixels / 255, shape 1x1x28x28) for every model.
#
# ORT is called through onnxruntime-node, which adds a fixed cost per call
# (N-API, tensor wrapping). The script measures that cost on an Identity model
# of the same input and reports ORT's time both raw and with it subtracted.
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
import tempfile
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


def write_mnist_input(directory, out_path):
    sys.path.insert(0, os.path.join(ROOT, "python"))
    import numpy as np
    from mnist_data import load_mnist
    images, _ = load_mnist(directory, "t10k")
    np.save(out_path, (images[0].astype(np.float32) / 255.0).reshape(1, 1, 28, 28))


def write_identity_model(input_npy, out_path):
    import numpy as np
    import onnx
    from onnx import helper, TensorProto
    shape = list(np.load(input_npy).shape)
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "identity",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), out_path)


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
    ap.add_argument("--mnist", help="MNIST directory: use test image 0 as every model's input")
    args = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="host_vs_ort_")
    mnist_input = None
    if args.mnist:
        mnist_input = os.path.join(scratch, "mnist_t10k_0.npy")
        write_mnist_input(args.mnist, mnist_input)

    exe = os.path.abspath(args.tinyonnx)
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        ap.error(f"--tinyonnx {args.tinyonnx}: not an executable file")
    ensure_ort_installed()

    rows = []
    for model in args.model:
        inputs = [mnist_input] if mnist_input else find_inputs(model)
        if not inputs:
            sys.exit(f"host_vs_ort: no input files {model[:-5]}.input_0.npy ...")
        ort_cmd = ["node", ORT_RUN, model, "-"] + inputs + ["--bench", str(args.runs)]
        tiny_cmd = [exe, "run", model]
        for i in inputs:
            tiny_cmd += ["--input", i]
        tiny_cmd += ["--repeat", str(args.runs)]
        identity = os.path.join(scratch, "identity.onnx")
        write_identity_model(inputs[0], identity)
        overhead_cmd = ["node", ORT_RUN, identity, "-", inputs[0], "--bench", str(args.runs)]
        ort_us, tiny_us, overhead_us = [], [], []
        for _ in range(args.rounds):
            ort_us.append(timed(ort_cmd, "ort_us_per_inference"))
            tiny_us.append(timed(tiny_cmd, "tinyonnx_us_per_inference"))
            overhead_us.append(timed(overhead_cmd, "ort_us_per_inference"))
        print(f"{os.path.basename(model)}: tinyonnx {tiny_us} µs, ORT {ort_us} µs, "
              f"ORT Identity {overhead_us} µs", file=sys.stderr)
        t, o, c = statistics.median(tiny_us), statistics.median(ort_us), statistics.median(overhead_us)
        rows.append((os.path.basename(model)[:-len(".onnx")], t, o, c))

    print("| model | tinyonnx µs | ORT µs | ORT µs less call cost | tinyonnx / ORT | tinyonnx / (ORT less call cost) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, t, o, c in rows:
        print(f"| {name} | {t:.1f} | {o:.1f} | {o - c:.1f} | {t / o:.2f} | {t / (o - c):.2f} |")


if __name__ == "__main__":
    main()
