#!/usr/bin/python3
"""Writes the two classic MNIST demo CNNs of the microcontroller issue, and
a third with a depthwise layer, as ONNX files with random (seeded,
He-initialized) weights, for counting instructions and bytes only: their
accuracy is that of random weights.

    /usr/bin/python3 bench/make_demo_cnns.py OUTDIR

  demo-cnn-61k.onnx  conv3x3 1->4, Relu, maxpool 2, conv3x3 4->8, Relu,
                     maxpool 2, FC 200->10, Softmax: 61,184 MACs
  demo-cnn-1m.onnx   conv3x3 1->16 pad 1, Relu, maxpool 2, conv3x3 16->32
                     pad 1, Relu, maxpool 2, FC 1568->64, Relu, FC 64->10,
                     Softmax (the "99.3 %" class): 1,117,056 MACs
  demo-dw.onnx       conv3x3 1->32 pad 1, Relu, maxpool 2, depthwise conv3x3
                     32 pad 1 at 14x14, Relu, maxpool 2, FC 1568->10,
                     Softmax: a depthwise layer to count (not in the issue)
  demo-dw-flat.onnx  demo-dw without the maxpool after the depthwise conv,
                     and a GlobalAveragePool, FC 32->10, Softmax head: the
                     depthwise layer of the issue unpooled

Input "image" float [1, 1, 28, 28] in [0, 1], output "probabilities"
[1, 10], as the firmware expects. Needs python3-onnx and numpy (Debian).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build(name, layers, rng):
    nodes, inits = [], []
    x = "image"
    for i, layer in enumerate(layers):
        kind = layer[0]
        y = f"t{i}"
        if kind == "conv":
            _, cin, cout, pad = layer
            w = rng.normal(0, np.sqrt(2.0 / (cin * 9)), (cout, cin, 3, 3)).astype(np.float32)
            b = rng.normal(0, 0.05, cout).astype(np.float32)
            inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
            nodes.append(helper.make_node("Conv", [x, f"w{i}", f"b{i}"], [y], kernel_shape=[3, 3],
                                          pads=[pad] * 4))
        elif kind == "dwconv":  # depthwise 3x3, channel multiplier 1
            _, c, pad = layer
            w = rng.normal(0, np.sqrt(2.0 / 9), (c, 1, 3, 3)).astype(np.float32)
            b = rng.normal(0, 0.05, c).astype(np.float32)
            inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
            nodes.append(helper.make_node("Conv", [x, f"w{i}", f"b{i}"], [y], kernel_shape=[3, 3],
                                          pads=[pad] * 4, group=c))
        elif kind == "relu":
            nodes.append(helper.make_node("Relu", [x], [y]))
        elif kind == "pool":
            nodes.append(helper.make_node("MaxPool", [x], [y], kernel_shape=[2, 2], strides=[2, 2]))
        elif kind == "gap":
            nodes.append(helper.make_node("GlobalAveragePool", [x], [y]))
        elif kind == "flatten":
            nodes.append(helper.make_node("Flatten", [x], [y], axis=1))
        elif kind == "fc":
            _, k, n = layer
            w = rng.normal(0, np.sqrt(2.0 / k), (n, k)).astype(np.float32)
            b = rng.normal(0, 0.05, n).astype(np.float32)
            inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
            nodes.append(helper.make_node("Gemm", [x, f"w{i}", f"b{i}"], [y], transB=1))
        elif kind == "softmax":
            y = "probabilities"
            nodes.append(helper.make_node("Softmax", [x], [y], axis=1))
        x = y
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="tinyonnx bench/make_demo_cnns.py")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build-bench-models"
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20260521)
    small = [("conv", 1, 4, 0), ("relu",), ("pool",), ("conv", 4, 8, 0), ("relu",), ("pool",),
             ("flatten",), ("fc", 200, 10), ("softmax",)]
    large = [("conv", 1, 16, 1), ("relu",), ("pool",), ("conv", 16, 32, 1), ("relu",), ("pool",),
             ("flatten",), ("fc", 1568, 64), ("relu",), ("fc", 64, 10), ("softmax",)]
    depthwise = [("conv", 1, 32, 1), ("relu",), ("pool",), ("dwconv", 32, 1), ("relu",), ("pool",),
                 ("flatten",), ("fc", 1568, 10), ("softmax",)]
    depthwise_flat = [("conv", 1, 32, 1), ("relu",), ("pool",), ("dwconv", 32, 1), ("relu",),
                      ("gap",), ("flatten",), ("fc", 32, 10), ("softmax",)]
    # Appended last: the earlier models' weights come from the same seeded
    # generator and stay as they were.
    for name, layers in (("demo-cnn-61k", small), ("demo-cnn-1m", large),
                         ("demo-dw", depthwise), ("demo-dw-flat", depthwise_flat)):
        path = os.path.join(out, name + ".onnx")
        onnx.save(build(name, layers, rng), path)
        print(path)


if __name__ == "__main__":
    main()
