#!/usr/bin/python3
"""The handwriting suite: generates it (python/make_handwriting_suite.py)
unless the copy in --suite is current, runs `tinyonnx digit MODEL IMAGE
--json` on every picture, prints the score overall and by kind, and lists
the misrecognized files. Requires at least 90 % with models/mnist-cnn.onnx.
Also checks `tinyonnx digit`'s text output and its errors.

    check_handwriting.py --tinyonnx build/tools/tinyonnx --root . --suite build/handwriting
"""

import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import subprocess
import sys

# model, minimum score (%); mnist-small is reported and held to a lower bar.
MODELS = [("mnist-cnn", 90.0), ("mnist-small", 80.0)]


def ensure_suite(root, suite):
    generator = os.path.join(root, "python", "make_handwriting_suite.py")
    with open(generator, "rb") as f:
        stamp = hashlib.sha256(f.read()).hexdigest()
    stamp_file = os.path.join(suite, ".stamp")
    if os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        return
    if os.path.isdir(suite):
        for name in os.listdir(suite):
            os.remove(os.path.join(suite, name))
    subprocess.run(["/usr/bin/python3", generator, suite], check=True)
    with open(stamp_file, "w") as f:
        f.write(stamp)


def recognize(tinyonnx, model, path):
    result = subprocess.run([tinyonnx, "digit", model, path, "--json"], capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr.strip()
    return json.loads(result.stdout), None


def kind(name):
    """The drawing style of a suite file: font, pen, paper or thin."""
    style = name.split("_")[3]
    return re.match(r"[a-z]+", style).group(0).replace("fontbold", "font").replace("fontitalic", "font")


def size_bucket(name):
    w, h = map(int, name.split("_")[2].split("x"))
    side = max(w, h)
    return "<=64px" if side <= 64 else "<=256px" if side <= 256 else ">256px"


def score(tinyonnx, model, suite, files):
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda f: recognize(tinyonnx, model, os.path.join(suite, f)), files))
    correct = 0
    by = collections.defaultdict(lambda: [0, 0])
    misses = []
    for name, (result, error) in zip(files, results):
        label = int(name[1])
        ok = result is not None and result["digit"] == label
        correct += ok
        for key in (kind(name), name.split("_")[4].split(".")[0], size_bucket(name), os.path.splitext(name)[1]):
            by[key][0] += ok
            by[key][1] += 1
        if not ok:
            misses.append(f"  {name}: " + (f"error: {error}" if result is None else
                                           f"read as {result['digit']} ({result['confidence']:.2f}), "
                                           f"p[{label}] = {result['probabilities'][label]:.2f}"))
    return correct, by, misses


def check_cli(tinyonnx, model, suite, files, scratch):
    """Text output ends with "The number is N"; errors exit 1 with a message."""
    problems = []
    one = next(f for f in files if f.startswith("d3_"))
    result = subprocess.run([tinyonnx, "digit", model, os.path.join(suite, one)], capture_output=True, text=True)
    lines = result.stdout.rstrip("\n").split("\n")
    art = [l for l in lines[:28] if len(l) == 56]
    if result.returncode != 0 or not re.fullmatch(r"The number is \d", lines[-1]) or len(art) != 28:
        problems.append(f"digit {one}: expected 28 lines of art and 'The number is N' last, exit 0; got "
                        f"exit {result.returncode}, last line {lines[-1]!r}")
    os.makedirs(scratch, exist_ok=True)
    blank = os.path.join(scratch, "blank.pgm")
    with open(blank, "wb") as f:
        f.write(b"P5\n64 48\n255\n" + bytes([250]) * (64 * 48))
    for args, expected in (([os.path.join(scratch, "missing.png")], "cannot open"),
                           ([blank], "no ink"),
                           (["--mnist", scratch, "--index", "3"], "no MNIST")):
        result = subprocess.run([tinyonnx, "digit", model] + args, capture_output=True, text=True)
        if result.returncode != 1 or expected not in result.stderr:
            problems.append(f"digit {' '.join(args)}: expected exit 1 and '{expected}', got exit "
                            f"{result.returncode}: {result.stderr.strip()}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tinyonnx", required=True)
    parser.add_argument("--root", required=True, help="the project's source directory")
    parser.add_argument("--suite", required=True, help="directory for the generated suite")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    suite = os.path.abspath(args.suite)
    ensure_suite(root, suite)
    files = sorted(f for f in os.listdir(suite) if re.match(r"d\d_.*\.(png|jpg)$", f))
    failures = []
    for name, minimum in MODELS:
        model = os.path.join(root, "models", name + ".onnx")
        if not os.path.exists(model):
            failures.append(f"{name}: {model} does not exist")
            continue
        correct, by, misses = score(args.tinyonnx, model, suite, files)
        percent = 100.0 * correct / len(files)
        print(f"{name}: {correct}/{len(files)} = {percent:.1f} % of the handwriting suite recognized")
        print("  " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by.items())))
        if misses:
            print(f"  misrecognized ({len(misses)}):")
            print("\n".join(misses))
        if percent < minimum:
            failures.append(f"{name}: {percent:.1f} % is below {minimum:.1f} %")
        if name == "mnist-cnn":
            failures += check_cli(args.tinyonnx, model, suite, files, suite + "-scratch")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
