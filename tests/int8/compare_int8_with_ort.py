#!/usr/bin/python3
"""Compare tinyonnx's int8 execution with ONNX Runtime on quantized models.

    /usr/bin/python3 tests/int8/compare_int8_with_ort.py \
        --tinyonnx build/tools/tinyonnx --models tests/data/int8 [-k NAME]

For every DIR/NAME.onnx with DIR/NAME.input_K.npy and DIR/NAME.json, both
engines run the model (ONNX Runtime through tests/ort/ort_run.js, tinyonnx as
`tinyonnx run NAME.onnx --input ... --output OUT.npy`) and every output is
compared as NAME.json says (one entry per graph output):

  {"kind": "quantized"}                 int8/uint8: equal shapes, |diff| <= 1
  {"kind": "dequantized", "scale": s}   float after DequantizeLinear: |diff| <= s (one step)
  {"kind": "softmax"}                   float probabilities: the same top-1 along
                                        the last axis, |diff| <= 0.02

An entry may add "steps": N to allow N quantization steps instead of one:
ONNX Runtime requantizes in float with round-half-to-even, tinyonnx with an
int32 multiplier and shift (docs/int8.md), so one op may differ by one step,
and in a deep chain such differences add up (a Mul or MatMul amplifies them).

Each op is therefore also checked on its own: every QDQ group (the
DequantizeLinear outputs an op reads, the op, the QuantizeLinear after it)
and every QOperator node is cut out of the model (onnx.utils.extract_model)
and run in both engines on the same 8-bit inputs, ONNX Runtime's values of
the full model; its output must agree within one step (8-bit) or 1e-4
(float). Prints PASS/FAIL per model with the number of groups checked and
`N passed, N failed`; exit 1 on any failure or if nothing was compared.
"""

import argparse
import glob
import json
import os
import sys
import tempfile

import numpy as np
import onnx
import onnx.utils
from onnx import helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ort"))
import compare_with_ort as cmp  # noqa: E402  (ORT runner, tinyonnx runner)


def check(kind, entry, ref, got):
    """(ok, worst, message) for one output."""
    if ref.shape != got.shape:
        return False, None, f"shape {list(got.shape)} != ORT {list(ref.shape)}"
    if ref.dtype != got.dtype:
        return False, None, f"dtype {got.dtype} != ORT {ref.dtype}"
    if ref.size == 0:
        return True, 0.0, ""
    diff = np.abs(ref.astype(np.float64) - got.astype(np.float64))
    worst = float(diff.max())
    steps = float(entry.get("steps", 1))
    if kind == "quantized":
        limit = steps
    elif kind == "dequantized":
        limit = float(entry["scale"]) * steps * (1 + 1e-5)
    elif kind == "float":
        limit = 1e-4
    elif kind == "softmax":
        limit = 0.02
        top_ref = np.argmax(ref.reshape(-1, ref.shape[-1]), axis=1)
        top_got = np.argmax(got.reshape(-1, got.shape[-1]), axis=1)
        if not np.array_equal(top_ref, top_got):
            return False, worst, f"top-1 differs: tinyonnx {top_got.tolist()}, ORT {top_ref.tolist()}"
    else:
        return False, None, f"unknown comparison kind '{kind}'"
    if worst > limit:
        i = int(np.argmax(diff))
        idx = [int(v) for v in np.unravel_index(i, ref.shape)]
        return False, worst, (f"max diff {worst:.4g} > {limit:.4g} at {idx} "
                              f"(tinyonnx {got.flat[i]}, ORT {ref.flat[i]})")
    return True, worst, ""


EIGHT_BIT = (onnx.TensorProto.INT8, onnx.TensorProto.UINT8)


def find_groups(model):
    """(name, input tensors, output tensor) of every quantized op: a float op
    whose activation inputs come from DequantizeLinear and whose output goes
    to a QuantizeLinear (maybe through Relu/Clip) or is float (Softmax), and
    every QOperator node."""
    g = model.graph
    constants = {i.name for i in g.initializer}
    producer = {o: n for n in g.node for o in n.output}
    readers = {}
    for n in g.node:
        for i in n.input:
            readers.setdefault(i, []).append(n)

    def constant(name):  # an initializer, or computed from initializers only
        if name in constants or name == "":
            return True
        n = producer.get(name)
        return n is not None and all(constant(i) for i in n.input)

    def sole_reader(name, op_types):
        r = readers.get(name, [])
        return r[0] if len(r) == 1 and r[0].op_type in op_types else None

    groups = []
    for n in g.node:
        if n.op_type in ("QuantizeLinear", "DequantizeLinear") or constant(n.output[0]):
            continue
        if n.domain == "com.microsoft" or n.op_type.startswith("QLinear") or n.op_type.endswith("Integer"):
            ins = [i for i in n.input if i and not constant(i)]
            groups.append((n.name or n.op_type, ins, n.output[0]))
            continue
        ins = []
        for i in n.input:
            if not i or constant(i):
                continue
            dq = producer.get(i)
            if dq is None or dq.op_type != "DequantizeLinear":
                ins = None
                break
            ins.append(dq.input[0])
        if not ins:
            continue
        out = n.output[0]
        act = sole_reader(out, ("Relu", "Clip"))
        q = sole_reader(act.output[0] if act is not None else out, ("QuantizeLinear",))
        if q is not None:
            groups.append((n.name or n.op_type, ins, q.output[0]))
        elif n.op_type == "Softmax":
            groups.append((n.name, ins, out))
    return groups


def check_groups(exe, model_path, inputs, work, timeout):
    """Problems found running each group on ONNX Runtime's intermediate values."""
    model = onnx.load(model_path)
    groups = find_groups(model)
    names = sorted({t for _, ins, out in groups for t in ins + [out]})
    exposed = onnx.load(model_path)
    known = {o.name for o in exposed.graph.output}
    inferred = onnx.shape_inference.infer_shapes(exposed)
    types = {v.name: v.type.tensor_type.elem_type
             for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output)}
    for t in names:
        if t not in known:
            exposed.graph.output.append(helper.make_tensor_value_info(t, types.get(t, onnx.TensorProto.UINT8), None))
    full = os.path.join(work, "exposed.onnx")
    onnx.save(exposed, full)
    values = cmp.run_ort(full, inputs, os.path.join(work, "exposed.ort"), timeout)
    by_name = dict(zip([o.name for o in exposed.graph.output], values))
    # The extractor needs every boundary tensor's type and shape.
    np_to_onnx = {np.dtype(np.int8): onnx.TensorProto.INT8, np.dtype(np.uint8): onnx.TensorProto.UINT8,
                  np.dtype(np.float32): onnx.TensorProto.FLOAT, np.dtype(np.int32): onnx.TensorProto.INT32}
    del exposed.graph.output[:]
    for t, v in by_name.items():
        info = helper.make_tensor_value_info(t, np_to_onnx[v.dtype], list(v.shape))
        exposed.graph.output.append(info)
        exposed.graph.value_info.append(info)
    onnx.save(exposed, full)
    problems = []
    for k, (name, ins, out) in enumerate(groups):
        sub = os.path.join(work, f"group_{k}.onnx")
        try:
            onnx.utils.extract_model(full, sub, ins, [out], check_model=False)
        except Exception as e:  # noqa: BLE001 - report any extraction failure
            problems.append(f"group {name}: cannot extract ({e})")
            continue
        files = []
        for j, t in enumerate(ins):
            files.append(os.path.join(work, f"group_{k}.in_{j}.npy"))
            np.save(files[-1], by_name[t])
        try:
            ref = cmp.run_ort(sub, files, os.path.join(work, f"group_{k}.ort"), timeout)
            got = cmp.run_tinyonnx(exe, sub, files, os.path.join(work, f"group_{k}.t.npy"), timeout)
        except cmp.RunError as e:
            problems.append(f"group {name}: {e}")
            continue
        kind = "quantized" if ref[0].dtype in (np.int8, np.uint8) else "float"
        ok, _, msg = check(kind, {}, ref[0], got[0])
        if not ok:
            problems.append(f"group {name}: {msg}")
    return len(groups), problems


def main():
    ap = argparse.ArgumentParser(description="Compare tinyonnx int8 execution with ONNX Runtime.")
    ap.add_argument("--tinyonnx", required=True, help="path to the tinyonnx CLI")
    ap.add_argument("--models", required=True, help="directory of NAME.onnx, NAME.input_K.npy, NAME.json")
    ap.add_argument("-k", dest="filter", default=None, help="only models whose name contains this")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
    exe = os.path.abspath(args.tinyonnx)
    cmp.ensure_ort_installed()
    models = sorted(glob.glob(os.path.join(os.path.abspath(args.models), "*.onnx")))
    if args.filter:
        models = [m for m in models if args.filter in os.path.basename(m)]
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="tinyonnx_int8_") as work:
        for model in models:
            name = os.path.basename(model)[:-len(".onnx")]
            inputs = cmp.find_inputs(model)
            spec_path = model[:-len(".onnx")] + ".json"
            if not inputs or not os.path.isfile(spec_path):
                print(f"SKIP {name} (no inputs or no {name}.json)", flush=True)
                continue
            with open(spec_path) as f:
                spec = json.load(f)["outputs"]
            try:
                ref = cmp.run_ort(model, inputs, os.path.join(work, name + ".ort"), args.timeout)
                got = cmp.run_tinyonnx(exe, model, inputs, os.path.join(work, name + ".tinyonnx.npy"), args.timeout)
            except cmp.RunError as e:
                print(f"FAIL {name} {e}", flush=True)
                failed += 1
                continue
            problems, worst = [], []
            if len(ref) != len(spec) or len(got) != len(ref):
                problems.append(f"{len(got)} tinyonnx / {len(ref)} ORT outputs, {len(spec)} in {name}.json")
            for k, (entry, r, g) in enumerate(zip(spec, ref, got)):
                ok, w, msg = check(entry["kind"], entry, r, g)
                worst.append(f"{w:.3g}" if w is not None else "-")
                if not ok:
                    problems.append(f"output {k} ({entry['kind']}): {msg}")
            group_count, group_problems = check_groups(exe, model, inputs, work, args.timeout)
            problems += group_problems
            if problems:
                print(f"FAIL {name} " + "; ".join(problems), flush=True)
                failed += 1
            else:
                print(f"PASS {name} max_abs_diff={','.join(worst)}, {group_count} ops each within one step",
                      flush=True)
                passed += 1
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
