#!/usr/bin/python3
"""Instructions per inference and per layer of tinyonnx on Cortex-M, counted
exactly by a QEMU TCG plugin (bench/qemu_plugin/insn_count.c).

    /usr/bin/python3 bench/cortex_m_bench.py [--runs N] [--models a,b] [--boards x,y] [--demo]
        [--kernels portable,dsp] [--build-prefix PREFIX]
    (or: sh bench/cortex_m_bench.sh ...)

For each model and kernel set: configures and builds the MNIST firmware
(-O2) in <prefix><model> with the portable kernels only
(-DTINYONNX_DSP_KERNELS=OFF) and, for int8 models, in <prefix><model>-dsp
with the DSP kernels of src/tinyonnx/kernels/arm/ (the float kernels are
the same in both), for the boards mps2-an386 and netduinoplus2 (both
Cortex-M4F); the prefix defaults to build-bench-. It writes the ELF's function symbols as
address ranges (arm-none-eabi-nm), runs `mnist_flash_<board>.elf bench N`
under qemu-system-arm with the plugin, and prints markdown tables:
instructions per inference, per MAC (MACs of Conv and Gemm from the shapes
the firmware prints), per layer, the functions that take the most, and the
firmware's footprint (bench/footprint.py).

--demo adds the two classic demo CNNs of the issue and two with a depthwise
layer, max-pooled and not (bench/make_demo_cnns.py into <prefix>models,
random weights; int8 by `build/tools/tinyonnx quantize --calibrate mnist`).

Instruction counts are not cycles: QEMU does not model the pipeline, flash
wait states or the cost of each instruction (a VLDR, a VFMA, an SMLAD and a
taken branch count one each).
"""
import argparse
import math
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import footprint  # noqa: E402

# The presets' resolvers: float kernels only, int8 kernels only (the QDQ
# model's float ops as ...Qdq names, graph/ops/qdq_ops.cc).
FLOAT_OPS = "Conv;Relu;MaxPoolFloat;GlobalAveragePool;Flatten;Gemm;Softmax"
INT8_OPS = ("ConvQdq;DequantizeLinearQdq;FlattenQdq;GemmQdq;GlobalAveragePoolQdq;MaxPoolQdq;"
            "QuantizeLinear;SoftmaxQdq;TransposeQdq;QLinearConv;QGemm;QLinearGlobalAveragePool;"
            "MaxPoolS8;FlattenS8;TransposeS8;QLinearSoftmax")
# name: (model file, ops, arena bytes)
MODELS = {
    "mnist-small": ("models/mnist-small.onnx", FLOAT_OPS, 49152),
    "mnist-small-int8": ("models/mnist-small-int8.onnx", INT8_OPS, 49152),
    "mnist-cnn": ("models/mnist-cnn.onnx", FLOAT_OPS, 81920),
    "mnist-cnn-int8": ("models/mnist-cnn-int8.onnx", INT8_OPS, 49152),
}
DEMO_ARENAS = {"demo-cnn-61k": 49152, "demo-cnn-1m": 81920, "demo-dw": 131072,
               "demo-dw-flat": 131072}
KERNEL_SETS = ("portable", "dsp")


# The quantizer leaves the demo CNNs' Softmax in float (with a Transpose and
# a DequantizeLinear before it): their int8 forms need the full ops.
DEMO_INT8_OPS = INT8_OPS.replace("Qdq", "")


def demo_models(models_dir):
    """name: (model file, ops, arena bytes) of the demo CNNs and their int8 forms."""
    models = {}
    for name, arena in DEMO_ARENAS.items():
        models[name] = (f"{models_dir}/{name}.onnx", FLOAT_OPS, arena)
        models[f"{name}-int8"] = (f"{models_dir}/{name}-int8.onnx", DEMO_INT8_OPS, 49152)
    return models


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, **kw).stdout


def make_demo_models(models_dir):
    out = os.path.join(ROOT, models_dir)
    sh(["/usr/bin/python3", "bench/make_demo_cnns.py", out])
    cli = os.path.join(ROOT, "build", "tools", "tinyonnx")
    for name in DEMO_ARENAS:
        sh([cli, "quantize", f"{out}/{name}.onnx", "--calibrate", "mnist:.cache/mnist", "-o",
            f"{out}/{name}-int8.onnx"])


def build_firmware(build, model, ops, arena, boards, dsp):
    build = os.path.join(ROOT, build)
    sh(["cmake", "-S", ".", "-B", build, "--toolchain", "cmake/toolchain-arm-none-eabi.cmake",
        "-DCMAKE_BUILD_TYPE=Release", f"-DTINYONNX_BOARDS={';'.join(boards)}",
        f"-DTINYONNX_DSP_KERNELS={'ON' if dsp else 'OFF'}",
        f"-DTINYONNX_FIRMWARE_MODEL={os.path.join(ROOT, model)}", f"-DTINYONNX_FIRMWARE_OPS={ops}",
        f"-DTINYONNX_FIRMWARE_ARENA_SIZE={arena}"])
    sh(["cmake", "--build", build, "-j", str(min(os.cpu_count() or 2, 2)), "--target"] +
       [f"mnist_flash_{b}" for b in boards])
    return build


def write_ranges(elf, path):
    """Function symbols as `name start end` (nm -S: address and size)."""
    text = sh(["arm-none-eabi-nm", "-S", "--defined-only", elf])
    with open(path, "w") as f:
        for line in text.splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[2] in "TtWw":
                start = int(parts[0], 16) & ~1
                f.write(f"{parts[3]} 0x{start:x} 0x{start + int(parts[1], 16):x}\n")


def run(elf, board, plugin, runs):
    ranges = elf[:-4] + ".ranges"
    counts = elf[:-4] + ".counts"
    write_ranges(elf, ranges)
    log = subprocess.run(
        ["timeout", "600", "qemu-system-arm", "-M", board, "-kernel", elf, "-semihosting-config",
         f"enable=on,target=native,arg={os.path.basename(elf)},arg=bench,arg={runs}",
         "-display", "none", "-monitor", "none", "-serial", "none",
         "-plugin", f"{plugin},ranges={ranges},out={counts}"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if log.returncode != 0:
        raise SystemExit(f"{elf} bench failed ({log.returncode}):\n{log.stdout}{log.stderr}")
    return log.stdout, open(counts).read()


def parse_shapes(text):
    return [([int(d) for d in m.group(1).split(",") if d.strip()], m.group(2) == "c")
            for m in re.finditer(r"\[([0-9, ]*)\](c?)", text)]


def macs_of(op, inputs, outputs):
    if not outputs:
        return 0
    out = math.prod(outputs[0][0])
    weights = [s for s, const in inputs if const]
    if "Conv" in op:
        w = next((s for s in weights if len(s) == 4), None)
        return out * math.prod(w) // w[0] if w else 0
    if "Gemm" in op or "MatMul" in op or "FullyConnected" in op:
        w = next((s for s in weights if len(s) == 2), None)
        return out * math.prod(w) // outputs[0][0][-1] if w else 0
    return 0


def model_macs(path):
    """MACs of the model's Conv and Gemm/MatMul nodes, each list in graph
    order (onnx shape inference), or None without python3-onnx. A Conv with
    a MaxPool fused behind it prints the pooled output shape, from which its
    MACs cannot be told; the model's own Conv output can."""
    try:
        import onnx
    except ImportError:
        return None
    model = onnx.shape_inference.infer_shapes(onnx.load(os.path.join(ROOT, path)))
    g = model.graph
    # A symbolic dimension (the batch) counts as 1, as the firmware runs it.
    shapes = {v.name: [d.dim_value if d.dim_value > 0 else 1 for d in v.type.tensor_type.shape.dim]
              for v in list(g.value_info) + list(g.input) + list(g.output)}
    shapes.update({t.name: list(t.dims) for t in g.initializer})
    macs = {"conv": [], "gemm": []}
    for node in g.node:
        if node.op_type in ("Conv", "QLinearConv", "ConvInteger"):
            w = node.input[3 if node.op_type == "QLinearConv" else 1]
            macs["conv"].append(math.prod(shapes[node.output[0]]) * math.prod(shapes[w][1:]))
        elif node.op_type in ("Gemm", "MatMul", "QGemm", "QLinearMatMul", "MatMulInteger"):
            a = shapes[node.input[0]]
            macs["gemm"].append(math.prod(shapes[node.output[0]]) * a[-1])
    return macs


def analyse(log, counts, model_path):
    steps = []
    layer_macs = model_macs(model_path)
    for m in re.finditer(r"^bench step (\d+) (\S+) in(.*) out(.*)$", log, re.M):
        inputs, outputs = parse_shapes(m.group(3)), parse_shapes(m.group(4))
        op = m.group(2)
        kind = "conv" if "Conv" in op else "gemm" if ("Gemm" in op or "MatMul" in op) else None
        if layer_macs is not None and kind is not None and layer_macs[kind]:
            macs = layer_macs[kind].pop(0)
        else:
            macs = macs_of(op, inputs, outputs)
        steps.append({"op": op, "inputs": inputs, "outputs": outputs, "macs": macs})
    inv = re.search(r"^invokes (\d+) sum (\d+) min (\d+) max (\d+)", counts, re.M)
    n, total, lo, hi = (int(x) for x in inv.groups())
    passes = int(re.search(r"^steps_passes (\d+)", counts, re.M).group(1))
    for m in re.finditer(r"^step (\d+) sum (\d+)", counts, re.M):
        steps[int(m.group(1))]["insns"] = int(m.group(2)) / passes
    functions = []
    for m in re.finditer(r"^range (\S+) all (\d+) invoke (\d+)", counts, re.M):
        if int(m.group(3)):
            functions.append((int(m.group(3)) / n, m.group(1)))
    functions.sort(reverse=True)
    return {"per_invoke": total / n, "min": lo, "max": hi, "runs": n, "steps": steps,
            "functions": functions}


def demangle(names):
    out = subprocess.run(["arm-none-eabi-c++filt"], input="\n".join(names), capture_output=True,
                         text=True).stdout.splitlines()
    return [re.sub(r"\(.*\)$", "()", o.replace("(anonymous namespace)", "{anonymous}"))
            for o in out]


def fmt_shape(s):
    return "×".join(str(d) for d in s)


def per_mac(insns, macs):
    return f"{insns / macs:.2f}" if macs else ""


def layer_table(runs, per_invoke):
    """Per-layer rows of one model on one board, a column pair per kernel set."""
    sets = list(runs)
    head = "| step | op | input | weights | output | MACs |"
    rule = "|---:|---|---|---|---|---:|"
    for k in sets:
        head += f" {k} | per MAC | share |"
        rule += "---:|---:|---:|"
    if len(sets) > 1:
        head += f" {sets[0]} / {sets[-1]} |"
        rule += "---:|"
    rows = [head, rule]
    for i, s in enumerate(runs[sets[0]]["steps"]):
        data = [fmt_shape(x) for x, c in s["inputs"] if not c]
        weights = [fmt_shape(x) for x, c in s["inputs"] if c and len(x) >= 2]
        row = (f"| {i} | {s['op']} | {', '.join(data)} | {', '.join(weights)} | "
               f"{', '.join(fmt_shape(x) for x, _ in s['outputs'])} | {s['macs']:,} |")
        insns = [runs[k]["steps"][i]["insns"] for k in sets]
        for k, n in zip(sets, insns):
            row += f" {n:,.0f} | {per_mac(n, s['macs'])} | {100 * n / per_invoke[k]:.1f} % |"
        if len(sets) > 1:
            row += f" {insns[0] / insns[-1]:.2f}× |"
        rows.append(row)
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--boards", default="mps2-an386,netduinoplus2")
    parser.add_argument("--demo", action="store_true", help="add the demo CNNs")
    parser.add_argument("--kernels", default=",".join(KERNEL_SETS),
                        help="kernel sets of the int8 models: portable, dsp or both")
    parser.add_argument("--top", type=int, default=5, help="functions listed per model")
    parser.add_argument("--build-prefix", default="build-bench-",
                        help="firmware build directories are <prefix><model>[-dsp]")
    args = parser.parse_args()
    boards = args.boards.split(",")
    kernel_sets = [k for k in args.kernels.split(",") if k]
    if not kernel_sets or any(k not in KERNEL_SETS for k in kernel_sets):
        raise SystemExit(f"--kernels {args.kernels}: choose from {', '.join(KERNEL_SETS)}")
    models_dir = f"{args.build_prefix}models"
    # Demo models named in --models must have been written by an earlier --demo run.
    known = {**MODELS, **demo_models(models_dir)}
    models = {k: known[k] for k in args.models.split(",") if k}
    if args.demo:
        make_demo_models(models_dir)
        models.update(demo_models(models_dir))
    plugin = sh(["sh", "bench/qemu_plugin/build.sh"]).strip().splitlines()[-1]

    results = {}  # results[model][kernel set][board]
    for name, (model, ops, arena) in models.items():
        for kernels in (kernel_sets if ops != FLOAT_OPS else ["portable"]):
            dsp = kernels == "dsp"
            build = build_firmware(f"{args.build_prefix}{name}{'-dsp' if dsp else ''}", model, ops,
                                   arena, boards, dsp)
            for board in boards:
                elf = os.path.join(build, "firmware", f"mnist_flash_{board}.elf")
                log, counts = run(elf, board, plugin, args.runs)
                res = analyse(log, counts, model)
                res["log"] = log
                res["elf"] = elf
                results.setdefault(name, {}).setdefault(kernels, {})[board] = res
                print(f"# {name} ({kernels} kernels) on {board}: {res['per_invoke']:,.0f} "
                      "instructions per inference", file=sys.stderr)

    print("## Instructions per inference (-O2)\n")
    print("| model | board | MACs | kernels | instructions per inference | per MAC | "
          "portable / this | runs (min = max) |")
    print("|---|---|---:|---|---:|---:|---:|---|")
    for name, by_set in results.items():
        for board in boards:
            base = by_set.get("portable", {}).get(board)
            for kernels, by_board in by_set.items():
                r = by_board[board]
                macs = sum(s["macs"] for s in r["steps"])
                ratio = f"{base['per_invoke'] / r['per_invoke']:.2f}×" if base else ""
                print(f"| {name} | {board} | {macs:,} | {kernels} | {r['per_invoke']:,.0f} | "
                      f"{per_mac(r['per_invoke'], macs)} | {ratio} | "
                      f"{r['runs']} ({'yes' if r['min'] == r['max'] else 'no'}) |")
    for name, by_set in results.items():
        runs = {kernels: by_board[boards[0]] for kernels, by_board in by_set.items()}
        print(f"\n## {name}: per layer (instructions per step, {boards[0]})\n")
        print(layer_table(runs, {k: r["per_invoke"] for k, r in runs.items()}))
        for kernels, r in runs.items():
            steps_sum = sum(s["insns"] for s in r["steps"])
            print(f"\n{kernels} kernels: steps sum {steps_sum:,.0f}; Invoke() "
                  f"{r['per_invoke']:,.0f}; the functions taking the most instructions per "
                  "inference:\n")
            top = r["functions"][:args.top]
            for (count, _), dn in zip(top, demangle([n for _, n in top])):
                print(f"- {dn}: {count:,.0f} ({100 * count / r['per_invoke']:.1f} %)")
    print("\n## Footprint (bytes)\n")
    fps, labels = [], []
    for name, by_set in results.items():
        for kernels, by_board in by_set.items():
            for board, r in by_board.items():
                fps.append(footprint.footprint(r["elf"], r["log"]))
                labels.append(f"{name} ({kernels} kernels, {board})")
    print(footprint.table(fps, labels))


if __name__ == "__main__":
    main()
