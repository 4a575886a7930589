#!/usr/bin/python3
"""`tinyonnx compile` from the command line (docs/cortex-m.md, "Compiled
plans"):

- the int8 MNIST models compile, and the compile command's own check (the
  PlanInterpreter against the Interpreter, bit for bit) passes;
- the compiled file is still a valid ONNX model: onnx.checker accepts it,
  ONNX Runtime gives the same outputs as for the original on 200 test
  images, and `tinyonnx eval` (the Interpreter, which ignores the plan)
  counts the same correct answers on the first 2,000;
- a float model, and a model that already has a plan, are refused with the
  reason.

usage: check_compiled_plan.py --tinyonnx build/tools/tinyonnx --root .
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "quantize"))
import qdq_support as qs  # noqa: E402


def compile_model(tinyonnx, model, out):
    return subprocess.run([tinyonnx, "compile", model, "-o", out], capture_output=True, text=True)


def expect_refusal(tinyonnx, model, out, reason):
    result = compile_model(tinyonnx, model, out)
    if result.returncode == 0 or reason not in result.stderr:
        raise AssertionError(f"compile {model}: expected a refusal mentioning '{reason}', got "
                             f"exit {result.returncode}: {result.stderr}{result.stdout}")
    print(f"refused as expected: {result.stderr.strip()}")


def correct_count(tinyonnx, model, mnist):
    out = qs.run([tinyonnx, "eval", model, "--mnist", mnist, "--count", "2000"])
    line = [l for l in out.splitlines() if "correct" in l or "accuracy" in l]
    return line[0] if line else out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tinyonnx", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    models = os.path.join(args.root, "models")
    mnist = qs.fetch_mnist(args.root)
    images, _ = qs.mnist_test_images(mnist, 200)
    with tempfile.TemporaryDirectory() as work:
        for name in ("mnist-small-int8", "mnist-cnn-int8"):
            model = os.path.join(models, name + ".onnx")
            compiled = os.path.join(work, name + ".plan.onnx")
            result = compile_model(args.tinyonnx, model, compiled)
            if result.returncode != 0 or "bit for bit" not in result.stdout:
                raise AssertionError(f"compile {name}: exit {result.returncode}: {result.stderr}{result.stdout}")
            print(result.stdout.strip())
            onnx.checker.check_model(onnx.load(compiled))
            keys = [p.key for p in onnx.load(compiled).metadata_props]
            if "tinyonnx.plan" not in keys:
                raise AssertionError(f"{name}: no tinyonnx.plan entry in {keys}")
            original = qs.ort_outputs(model, images, work)
            planned = qs.ort_outputs(compiled, images, work)
            if not np.array_equal(original, planned):
                raise AssertionError(f"{name}: ONNX Runtime's outputs differ on the compiled file")
            before = correct_count(args.tinyonnx, model, mnist)
            after = correct_count(args.tinyonnx, compiled, mnist)
            if before != after:
                raise AssertionError(f"{name}: tinyonnx eval: {before} vs {after} on the compiled file")
            print(f"{name}: ONNX Runtime outputs equal on 200 images; tinyonnx eval: {after}")
            expect_refusal(args.tinyonnx, compiled, os.path.join(work, "twice.onnx"),
                           "already has a compiled plan")
        expect_refusal(args.tinyonnx, os.path.join(models, "mnist-small.onnx"),
                       os.path.join(work, "float.onnx"), "has no plan form")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
