#!/usr/bin/python3
"""Guards the committed MNIST models: fetches MNIST (scripts/fetch_mnist.sh),
runs `tinyonnx eval` on the 10k test images and `tinyonnx info` on each
model, and checks accuracy, agreement with PyTorch's figure from training
(models/NAME.json, test_accuracy_pytorch) and the parameter budget; and
that MNIST's images, run through the picture preprocessing of `tinyonnx
digit` (eval --preprocess), lose at most 0.3 pp with mnist-cnn.

    check_accuracy.py --tinyonnx build/tools/tinyonnx --root .
"""

import argparse
import json
import os
import subprocess
import sys

# name, minimum accuracy (%), maximum parameters
MODELS = [("mnist-cnn", 99.30, 60000), ("mnist-small", 98.50, 3000)]
PYTORCH_TOLERANCE = 0.01  # percentage points: one image in 10,000
PREPROCESS_TOLERANCE = 0.3  # percentage points


def run(command, cwd=None):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}{result.stdout}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tinyonnx", required=True)
    parser.add_argument("--root", required=True, help="the project's source directory")
    parser.add_argument("--models", nargs="*", help="check only these models (names as in MODELS)")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    mnist = run(["sh", os.path.join(root, "scripts", "fetch_mnist.sh")], cwd=root).strip().splitlines()[-1]
    mnist = os.path.join(root, mnist)
    failures = []
    for name, min_accuracy, max_parameters in MODELS:
        if args.models and name not in args.models:
            continue
        model = os.path.join(root, "models", name + ".onnx")
        if not os.path.exists(model):
            failures.append(f"{name}: {model} does not exist")
            continue
        try:
            info = json.loads(run([args.tinyonnx, "info", model, "--json"]))
            result = json.loads(run([args.tinyonnx, "eval", model, "--mnist", mnist, "--json", "--no-progress"]))
        except RuntimeError as e:
            failures.append(f"{name}: {e}")
            continue
        accuracy, parameters = result["accuracy"], info["parameters"]
        pytorch = None
        figures = os.path.join(root, "models", name + ".json")
        if os.path.exists(figures):
            with open(figures) as f:
                pytorch = json.load(f).get("test_accuracy_pytorch")
        print(f"{name}: accuracy {accuracy:.2f} % ({result['correct']}/{result['count']})"
              + (f", PyTorch {pytorch:.2f} %" if pytorch is not None else ", no PyTorch figure")
              + f", {parameters} parameters, {result['us_per_image']:.1f} us per image")
        per_class = " ".join(f"{c['digit']}:{c['accuracy']:.2f}" for c in result["per_class"])
        print(f"  per class {per_class}")
        if result["count"] != 10000:
            failures.append(f"{name}: evaluated {result['count']} images, expected the 10,000 test images")
        if accuracy < min_accuracy:
            failures.append(f"{name}: accuracy {accuracy:.2f} % is below {min_accuracy:.2f} %")
        if parameters > max_parameters:
            failures.append(f"{name}: {parameters} parameters, the budget is {max_parameters}")
        if pytorch is not None and abs(accuracy - pytorch) > PYTORCH_TOLERANCE + 1e-9:
            failures.append(f"{name}: tinyonnx {accuracy:.2f} % differs from PyTorch's {pytorch:.2f} % "
                            f"by more than {PYTORCH_TOLERANCE} pp")
        if name == "mnist-cnn":
            # MNIST's own images, taken as pictures through `tinyonnx digit`'s
            # preprocessing, must stay (nearly) as recognizable as they are.
            try:
                again = json.loads(run([args.tinyonnx, "eval", model, "--mnist", mnist, "--json", "--no-progress",
                                        "--preprocess"]))
            except RuntimeError as e:
                failures.append(f"{name} --preprocess: {e}")
                continue
            print(f"  preprocessed as pictures: accuracy {again['accuracy']:.2f} %")
            if again["accuracy"] < accuracy - PREPROCESS_TOLERANCE:
                failures.append(f"{name}: preprocessing MNIST's images costs {accuracy - again['accuracy']:.2f} pp "
                                f"of accuracy (at most {PREPROCESS_TOLERANCE} allowed)")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
