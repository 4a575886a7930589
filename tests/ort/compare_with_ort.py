#!/usr/bin/python3
"""Compare tinyonnx against ONNX Runtime on a directory of test models.

    /usr/bin/python3 tests/ort/compare_with_ort.py \
        --tinyonnx build/tools/tinyonnx --models tests/data/models [--atol 1e-4]

For every DIR/NAME.onnx that has input files DIR/NAME.input_0.npy,
DIR/NAME.input_1.npy, ... (one per graph input, in graph-input order):

  * ONNX Runtime (onnxruntime-node, CPU, one thread) runs it through
    tests/ort/ort_run.js, writing PREFIX.output_K.npy;
  * tinyonnx runs it as
        TINYONNX run NAME.onnx --input IN0.npy [--input IN1.npy ...] --output OUT.npy
    and writes output 0 to OUT.npy and output K>0 to OUT_K.npy;
  * every output must have the same shape and agree elementwise within
    --atol (max abs difference, default 1e-4).

Prints `PASS NAME max_abs_diff=...` or `FAIL NAME reason` per model, `SKIP`
for a model without input files, then `N passed, N failed` alone on the last
line. Exit status 1 if anything failed or no model was compared.

`--self-check` runs ONNX Runtime in place of tinyonnx (no --tinyonnx needed);
it tests this harness itself. Needs only numpy, node and npm.
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ORT_DIR = os.path.dirname(os.path.abspath(__file__))
ORT_RUN = os.path.join(ORT_DIR, "ort_run.js")


def ensure_ort_installed():
    """Install onnxruntime-node into tests/ort/node_modules if it is missing."""
    if os.path.isfile(os.path.join(ORT_DIR, "node_modules", "onnxruntime-node", "package.json")):
        return
    if shutil.which("npm") is None:
        sys.exit("compare_with_ort: npm not found (needed to install onnxruntime-node)")
    print(f"installing onnxruntime-node in {ORT_DIR} ...", file=sys.stderr, flush=True)
    subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund"],
                   cwd=ORT_DIR, check=True, stdout=sys.stderr)


def find_inputs(model_path):
    stem = model_path[:-len(".onnx")]
    inputs = []
    while os.path.isfile(f"{stem}.input_{len(inputs)}.npy"):
        inputs.append(f"{stem}.input_{len(inputs)}.npy")
    return inputs


def last_line(text):
    lines = [l for l in (text or "").strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else ""


class RunError(Exception):
    pass


def run(cmd, timeout):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RunError(f"timed out after {timeout}s: {' '.join(cmd)}")
    except OSError as e:
        raise RunError(f"cannot run {cmd[0]}: {e}")
    if r.returncode != 0:
        why = last_line(r.stderr) or last_line(r.stdout) or "no message"
        raise RunError(f"exit {r.returncode}: {why}")
    return r


def collect(paths):
    """Load the output files that exist, stopping at the first missing one."""
    out = []
    for p in paths:
        if not os.path.isfile(p):
            break
        out.append(np.load(p, allow_pickle=False))
    return out


def remove_stale(pattern):
    for p in glob.glob(pattern):
        os.remove(p)


def run_ort(model, inputs, prefix, timeout):
    remove_stale(glob.escape(prefix) + ".output_*.npy")
    run(["node", ORT_RUN, model, prefix] + inputs, timeout)
    return collect(f"{prefix}.output_{k}.npy" for k in range(1 << 16))


def run_tinyonnx(exe, model, inputs, out, timeout):
    cmd = [exe, "run", model]
    for i in inputs:
        cmd += ["--input", i]
    cmd += ["--output", out]
    base = out[:-len(".npy")]
    remove_stale(glob.escape(out))
    remove_stale(glob.escape(base) + "_*.npy")
    run(cmd, timeout)
    return collect([out] + [f"{base}_{k}.npy" for k in range(1, 1 << 16)])


def run_ort_as_tinyonnx(model, inputs, out, timeout):
    prefix = out[:-len(".npy")] + "_self"
    return run_ort(model, inputs, prefix, timeout)


def compare(ref, got, atol):
    """Return (ok, max_abs_diff, message)."""
    if len(got) != len(ref):
        return False, None, f"tinyonnx wrote {len(got)} output(s), ORT has {len(ref)}"
    worst = 0.0
    for k, (r, g) in enumerate(zip(ref, got)):
        if r.shape != g.shape:
            return False, None, f"output {k}: shape {list(g.shape)} != ORT {list(r.shape)}"
        if r.size == 0:
            continue
        rr = r.astype(np.float64)
        gg = g.astype(np.float64)
        nan_r, nan_g = np.isnan(rr), np.isnan(gg)
        if np.any(nan_r != nan_g):
            return False, None, f"output {k}: NaN pattern differs from ORT"
        mask = ~nan_r
        inf_r = np.isinf(rr) & mask
        if np.any(inf_r) and not np.array_equal(rr[inf_r], gg[inf_r]):
            return False, None, f"output {k}: Inf values differ from ORT"
        fin = mask & ~inf_r
        if np.any(np.isinf(gg[fin])):
            return False, None, f"output {k}: tinyonnx has Inf where ORT is finite"
        if np.any(fin):
            d = np.abs(rr[fin] - gg[fin])
            i = int(np.argmax(d))
            diff = float(d[i])
            if diff > worst:
                worst = diff
            if diff > atol:
                flat = np.flatnonzero(fin)[i]
                idx = tuple(int(v) for v in np.unravel_index(flat, r.shape))
                return False, diff, (f"output {k}: max_abs_diff={diff:.3g} > {atol:g} at {list(idx)} "
                                     f"(tinyonnx {gg.flat[flat]:.7g}, ORT {rr.flat[flat]:.7g})")
    return True, worst, ""


def main():
    ap = argparse.ArgumentParser(description="Compare tinyonnx with ONNX Runtime.")
    ap.add_argument("--tinyonnx", help="path to the tinyonnx CLI")
    ap.add_argument("--models", required=True, help="directory of NAME.onnx + NAME.input_K.npy")
    ap.add_argument("--atol", type=float, default=1e-4, help="max abs difference (default 1e-4)")
    ap.add_argument("-k", dest="filter", default=None, help="only models whose name contains this")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per run (default 300)")
    ap.add_argument("--keep", default=None, help="keep output files in this directory")
    ap.add_argument("--self-check", action="store_true",
                    help="run ONNX Runtime in place of tinyonnx (tests this harness)")
    args = ap.parse_args()

    if not args.self_check:
        if not args.tinyonnx:
            ap.error("--tinyonnx is required (or use --self-check)")
        exe = os.path.abspath(args.tinyonnx)
        if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
            ap.error(f"--tinyonnx {args.tinyonnx}: not an executable file")
    if not os.path.isdir(args.models):
        ap.error(f"--models {args.models}: not a directory")
    if shutil.which("node") is None:
        sys.exit("compare_with_ort: node not found")
    ensure_ort_installed()

    models = sorted(glob.glob(os.path.join(os.path.abspath(args.models), "*.onnx")))
    if args.filter:
        models = [m for m in models if args.filter in os.path.basename(m)]

    passed = failed = 0
    tmp_ctx = tempfile.TemporaryDirectory(prefix="tinyonnx_cmp_")
    work = tmp_ctx.name
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        work = os.path.abspath(args.keep)
    try:
        for model in models:
            name = os.path.basename(model)[:-len(".onnx")]
            inputs = find_inputs(model)
            if not inputs:
                print(f"SKIP {name} (no {name}.input_0.npy)", flush=True)
                continue
            try:
                ref = run_ort(model, inputs, os.path.join(work, name + ".ort"), args.timeout)
            except RunError as e:
                print(f"FAIL {name} onnxruntime: {e}", flush=True)
                failed += 1
                continue
            out = os.path.join(work, name + ".tinyonnx.npy")
            try:
                if args.self_check:
                    got = run_ort_as_tinyonnx(model, inputs, out, args.timeout)
                else:
                    got = run_tinyonnx(exe, model, inputs, out, args.timeout)
            except RunError as e:
                print(f"FAIL {name} tinyonnx: {e}", flush=True)
                failed += 1
                continue
            ok, diff, msg = compare(ref, got, args.atol)
            if ok:
                print(f"PASS {name} max_abs_diff={diff:.3g}", flush=True)
                passed += 1
            else:
                print(f"FAIL {name} {msg}", flush=True)
                failed += 1
    finally:
        tmp_ctx.cleanup()

    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
