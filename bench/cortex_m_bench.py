#!/usr/bin/python3
"""Instructions per inference and per layer of tinyonnx on Cortex-M, counted
exactly by a QEMU TCG plugin (bench/qemu_plugin/insn_count.c).

    /usr/bin/python3 bench/cortex_m_bench.py [--runs N] [--models a,b] [--boards x,y] [--demo]
    (or: sh bench/cortex_m_bench.sh ...)

For each model: configures and builds the MNIST firmware (-O2, the portable
reference kernels) in build-bench-<model>, for the boards mps2-an386 and
netduinoplus2 (both Cortex-M4F), writes the ELF's function symbols as
address ranges (arm-none-eabi-nm), runs `mnist_flash_<board>.elf bench N`
under qemu-system-arm with the plugin, and prints markdown tables:
instructions per inference, per MAC (MACs of Conv and Gemm from the shapes
the firmware prints), per layer, the functions that take the most, and the
firmware's footprint (bench/footprint.py).

--demo adds the two classic demo CNNs of the issue (bench/make_demo_cnns.py,
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

FLOAT_OPS = "Conv;Relu;MaxPool;GlobalAveragePool;Flatten;Gemm;Softmax"
INT8_OPS = ("Conv;DequantizeLinear;Flatten;Gemm;GlobalAveragePool;MaxPool;QuantizeLinear;Softmax;"
            "Transpose;QLinearConv;QGemm;QLinearGlobalAveragePool;MaxPoolS8;FlattenS8;TransposeS8;"
            "QLinearSoftmax")
# name: (model file, ops, arena bytes)
MODELS = {
    "mnist-small": ("models/mnist-small.onnx", FLOAT_OPS, 49152),
    "mnist-small-int8": ("models/mnist-small-int8.onnx", INT8_OPS, 49152),
    "mnist-cnn": ("models/mnist-cnn.onnx", FLOAT_OPS, 81920),
    "mnist-cnn-int8": ("models/mnist-cnn-int8.onnx", INT8_OPS, 49152),
}
DEMO_MODELS = {
    "demo-cnn-61k": ("build-bench-models/demo-cnn-61k.onnx", FLOAT_OPS, 49152),
    "demo-cnn-61k-int8": ("build-bench-models/demo-cnn-61k-int8.onnx", INT8_OPS, 49152),
    "demo-cnn-1m": ("build-bench-models/demo-cnn-1m.onnx", FLOAT_OPS, 81920),
    "demo-cnn-1m-int8": ("build-bench-models/demo-cnn-1m-int8.onnx", INT8_OPS, 49152),
}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, **kw).stdout


def make_demo_models():
    out = os.path.join(ROOT, "build-bench-models")
    sh(["/usr/bin/python3", "bench/make_demo_cnns.py", out])
    cli = os.path.join(ROOT, "build", "tools", "tinyonnx")
    for name in ("demo-cnn-61k", "demo-cnn-1m"):
        sh([cli, "quantize", f"{out}/{name}.onnx", "--calibrate", "mnist:.cache/mnist", "-o",
            f"{out}/{name}-int8.onnx"])


def build_firmware(name, model, ops, arena, boards):
    build = os.path.join(ROOT, f"build-bench-{name}")
    sh(["cmake", "-S", ".", "-B", build, "--toolchain", "cmake/toolchain-arm-none-eabi.cmake",
        "-DCMAKE_BUILD_TYPE=Release", f"-DTINYONNX_BOARDS={';'.join(boards)}",
        f"-DTINYONNX_FIRMWARE_MODEL={os.path.join(ROOT, model)}", f"-DTINYONNX_FIRMWARE_OPS={ops}",
        f"-DTINYONNX_FIRMWARE_ARENA_SIZE={arena}"])
    sh(["cmake", "--build", build, "-j", str(os.cpu_count() or 4), "--target"] +
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


def analyse(log, counts):
    steps = []
    for m in re.finditer(r"^bench step (\d+) (\S+) in(.*) out(.*)$", log, re.M):
        inputs, outputs = parse_shapes(m.group(3)), parse_shapes(m.group(4))
        steps.append({"op": m.group(2), "inputs": inputs, "outputs": outputs,
                      "macs": macs_of(m.group(2), inputs, outputs)})
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
    return [re.sub(r"\(.*\)$", "()", o) for o in out]


def fmt_shape(s):
    return "×".join(str(d) for d in s)


def layer_table(res):
    rows = ["| step | op | input | weights | output | MACs | instructions | per MAC | share |",
            "|---:|---|---|---|---|---:|---:|---:|---:|"]
    for i, s in enumerate(res["steps"]):
        data = [fmt_shape(x) for x, c in s["inputs"] if not c]
        weights = [fmt_shape(x) for x, c in s["inputs"] if c and len(x) >= 2]
        per = f"{s['insns'] / s['macs']:.2f}" if s["macs"] else ""
        rows.append(f"| {i} | {s['op']} | {', '.join(data)} | {', '.join(weights)} | "
                    f"{', '.join(fmt_shape(x) for x, _ in s['outputs'])} | "
                    f"{s['macs']:,} | {s['insns']:,.0f} | {per} | "
                    f"{100 * s['insns'] / res['per_invoke']:.1f} % |")
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--boards", default="mps2-an386,netduinoplus2")
    parser.add_argument("--demo", action="store_true", help="add the demo CNNs of the issue")
    parser.add_argument("--top", type=int, default=5, help="functions listed per model")
    args = parser.parse_args()
    boards = args.boards.split(",")
    models = {k: MODELS[k] for k in args.models.split(",") if k}
    if args.demo:
        make_demo_models()
        models.update(DEMO_MODELS)
    plugin = sh(["sh", "bench/qemu_plugin/build.sh"]).strip().splitlines()[-1]

    results = {}
    for name, (model, ops, arena) in models.items():
        build = build_firmware(name, model, ops, arena, boards)
        for board in boards:
            elf = os.path.join(build, "firmware", f"mnist_flash_{board}.elf")
            log, counts = run(elf, board, plugin, args.runs)
            res = analyse(log, counts)
            res["log"] = log
            res["elf"] = elf
            results[(name, board)] = res
            print(f"# {name} on {board}: {res['per_invoke']:,.0f} instructions per inference",
                  file=sys.stderr)

    print("## Instructions per inference (-O2, portable kernels)\n")
    print("| model | board | MACs | instructions per inference | per MAC | runs (min = max) |")
    print("|---|---|---:|---:|---:|---|")
    for (name, board), r in results.items():
        macs = sum(s["macs"] for s in r["steps"])
        print(f"| {name} | {board} | {macs:,} | {r['per_invoke']:,.0f} | "
              f"{r['per_invoke'] / macs:.2f} | {r['runs']} ({'yes' if r['min'] == r['max'] else 'no'}) |")
    first = {}
    for (name, board), r in results.items():
        first.setdefault(name, r)
    for name, r in first.items():
        print(f"\n## {name}: per layer (instructions per step, {os.path.basename(r['elf'])})\n")
        print(layer_table(r))
        steps_sum = sum(s["insns"] for s in r["steps"])
        print(f"\nsteps sum {steps_sum:,.0f}; Invoke() {r['per_invoke']:,.0f}")
        top = r["functions"][:args.top]
        names = demangle([n for _, n in top])
        print("\nfunctions taking the most instructions per inference:\n")
        for (count, _), dn in zip(top, names):
            print(f"- {dn}: {count:,.0f} ({100 * count / r['per_invoke']:.1f} %)")
    print("\n## Footprint (bytes)\n")
    fps, labels = [], []
    for (name, board), r in results.items():
        fps.append(footprint.footprint(r["elf"], r["log"]))
        labels.append(f"{name} ({board})")
    print(footprint.table(fps, labels))


if __name__ == "__main__":
    main()
