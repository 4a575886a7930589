#!/usr/bin/python3
"""Export the tinyonnx test-model corpus into tests/data/models/.

Run with the Debian Python (python3-torch 1.13, python3-onnx 1.12):

    /usr/bin/python3 python/export_test_models.py [--out DIR] [--verify-ort]

Every model NAME gets NAME.onnx and one NAME.input_K.npy (float32) per graph
input. Seeds are fixed, so the output is byte-for-byte reproducible with the
same torch/onnx/numpy versions.

Models:
  torch_cnn_bn_opset13  Conv+BatchNorm+Relu, MaxPool, Conv+BatchNorm+Clip
                        (ReLU6), AveragePool, view() flatten as a
                        Shape->Gather->Unsqueeze->Concat->Reshape chain,
                        Gemm, LogSoftmax. BatchNorm kept as nodes, symbolic
                        batch dimension.
  torch_cnn_bn_opset17  Conv+BN+LeakyRelu, depthwise Conv+BN+LeakyRelu,
                        pointwise Conv+BN+Relu, Dropout, GlobalAveragePool,
                        view() flatten chain, Gemm, Softmax. Opset 17.
  torch_mlp_opset13     Flatten, Gemm, Relu, Gemm, Tanh, Gemm, Sigmoid
                        (default constant folding).
  torch_misc_opset13    two inputs, two outputs: Split, Slice, Pad (reflect
                        and constant), Concat, broadcast Add/Mul/Sub/Div with
                        constants, Abs, Exp, Sqrt, ReduceMean, Transpose,
                        MatMul, Softmax(axis=-1).
  keras_nhwc_cnn        hand-built, tf2onnx-style: NHWC input [N,28,28,1],
                        Transpose pairs around Conv/Relu/MaxPool, Reshape to
                        [-1,K], MatMul+Add, Softmax.
  keras_nhwc_dw         hand-built, tf2onnx-style with a depthwise Conv
                        (group=C), per-channel [C] bias Add in NHWC between
                        transposes, Clip(0,6), ReduceMean over H,W, MatMul+Add,
                        Softmax.

Notes on torch 1.13:
  * Exporting with training=TrainingMode.EVAL runs the exporter's "eval
    peephole" which fuses Conv+BatchNorm even with do_constant_folding=False.
    The CNN models are therefore put in eval() mode and exported with
    training=TrainingMode.PRESERVE, which keeps BatchNormalization as a node
    (in inference form, one output).
  * An eval-mode nn.Dropout is dropped by the exporter (its symbolic returns
    its input when train=False). To keep a Dropout node in
    torch_cnn_bn_opset17 the graph is post-edited: an inference Dropout
    (ratio given as an initializer, no training_mode input) is inserted after
    the last activation, where the model's nn.Dropout sits.

With --verify-ort the script also runs every model in ONNX Runtime through
tests/ort/ort_run.js (needs `npm install --ignore-scripts` in tests/ort) and
checks ORT against the torch reference computation.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "tests", "data", "models")
ORT_DIR = os.path.join(ROOT, "tests", "ort")


# --------------------------------------------------------------------------
# helpers

def seed_all(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)
    return np.random.default_rng(seed)


def randomize_bn(bn, gen):
    """Give a BatchNorm non-trivial affine params and running statistics."""
    c = bn.num_features
    with torch.no_grad():
        bn.weight.copy_(torch.rand(c, generator=gen) * 1.0 + 0.5)
        bn.bias.copy_(torch.randn(c, generator=gen) * 0.2)
        bn.running_mean.copy_(torch.randn(c, generator=gen) * 0.5)
        bn.running_var.copy_(torch.rand(c, generator=gen) * 1.5 + 0.5)


def torch_export(model, inputs, path, opset, input_names, output_names,
                 dynamic_batch=True, fold=True, preserve=False):
    model.eval()
    dyn = None
    if dynamic_batch:
        dyn = {n: {0: "batch"} for n in input_names + output_names}
    kwargs = {}
    if preserve:
        kwargs["training"] = torch.onnx.TrainingMode.PRESERVE
    torch.onnx.export(
        model, tuple(inputs), path,
        opset_version=opset,
        input_names=input_names,
        output_names=output_names,
        dynamic_axes=dyn,
        do_constant_folding=fold,
        **kwargs)


def save_inputs(out_dir, name, arrays):
    for k, a in enumerate(arrays):
        np.save(os.path.join(out_dir, f"{name}.input_{k}.npy"),
                np.ascontiguousarray(a, dtype=np.float32))


def finalize(model_proto, path):
    """Check, strip nondeterministic metadata, save."""
    model_proto.producer_name = model_proto.producer_name or "tinyonnx"
    onnx.checker.check_model(model_proto, full_check=True)
    onnx.save(model_proto, path)


# --------------------------------------------------------------------------
# torch models

class CnnBn13(nn.Module):
    def __init__(self, gen):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.bn2 = nn.BatchNorm2d(16)
        self.relu6 = nn.ReLU6()
        self.pool2 = nn.AvgPool2d(2)
        self.fc = nn.Linear(16 * 6 * 6, 10)
        randomize_bn(self.bn1, gen)
        randomize_bn(self.bn2, gen)

    def forward(self, x):
        x = self.pool1(self.relu(self.bn1(self.conv1(x))))      # 8x14x14
        x = self.pool2(self.relu6(self.bn2(self.conv2(x))))     # 16x6x6
        x = x.view(x.size(0), -1)
        return F.log_softmax(self.fc(x), dim=1)


class CnnBn17(nn.Module):
    def __init__(self, gen):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.dw = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8)
        self.bn2 = nn.BatchNorm2d(8)
        self.pw = nn.Conv2d(8, 16, 1)
        self.bn3 = nn.BatchNorm2d(16)
        self.act = nn.LeakyReLU(0.1)
        self.drop = nn.Dropout(0.25)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)
        for bn in (self.bn1, self.bn2, self.bn3):
            randomize_bn(bn, gen)

    def forward(self, x):
        x = self.act(self.bn1(self.conv1(x)))                   # 8x28x28
        x = self.act(self.bn2(self.dw(x)))                      # 8x14x14
        x = F.relu(self.bn3(self.pw(x)))                        # 16x14x14
        x = self.drop(x)
        x = self.gap(x)
        x = x.view(x.size(0), -1)
        return torch.softmax(self.fc(x), dim=1)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.flat = nn.Flatten()
        self.fc1 = nn.Linear(3 * 8 * 8, 64)
        self.fc2 = nn.Linear(64, 32)
        self.fc3 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.flat(x)
        x = F.relu(self.fc1(x))
        x = torch.tanh(self.fc2(x))
        return torch.sigmoid(self.fc3(x))


class Misc(nn.Module):
    def __init__(self, gen):
        super().__init__()
        self.w = nn.Parameter(torch.randn(8, 6, generator=gen) * 0.5)
        self.scale = nn.Parameter(torch.rand(1, 4, 1, 1, generator=gen) + 0.5)
        self.shift = nn.Parameter(torch.randn(6, generator=gen) * 0.1)

    def forward(self, x, y):
        # x: [1,4,8,8], y: [1,8,6]
        a, b = torch.split(x, [1, 3], dim=1)                    # Split
        c0, c1 = torch.chunk(x, 2, dim=3)                       # Split (equal) [1,4,8,4]
        s = x[:, 1:3, 2:7, :]                                   # Slice [1,2,5,8]
        ap = F.pad(a, (1, 1, 1, 1), mode="reflect")             # Pad reflect [1,1,10,10]
        sp = F.pad(s, (0, 0, 2, 3), mode="constant", value=0.5) # Pad const [1,2,10,8]
        sp = sp[:, :, :, 1:7]                                   # Slice [1,2,10,6]
        cc = torch.cat([c1 - 0.25, c0 * 2.0 + 1.0], dim=3)      # Mul/Add/Sub, Concat [1,4,8,8]
        cc = cc + b[:, :1]                                      # Add broadcast over channels
        z = torch.cat([ap[:, :, 1:9, 1:9], x[:, 1:4]], dim=1)   # [1,4,8,8]
        z = z / self.scale                                      # Div broadcast [1,4,1,1]
        z = torch.exp(-torch.abs(z)) + torch.sqrt(torch.abs(z) + 1e-3)
        m = z.mean(dim=(2, 3), keepdim=True)                    # ReduceMean
        z = z - m                                               # Sub broadcast
        t = z.permute(0, 2, 3, 1)                               # Transpose [1,8,8,4]
        t = torch.cat([t, cc.permute(0, 2, 3, 1)], dim=3)      # [1,8,8,8]
        t = t.mean(dim=1)                                       # ReduceMean -> [1,8,8]
        u = torch.matmul(t, self.w) + self.shift                # MatMul + Add [1,8,6]
        u = u * y + sp.mean(dim=(1, 2)).unsqueeze(1)            # Mul with 2nd input
        out0 = torch.softmax(u, dim=-1)                         # Softmax axis=-1
        out1 = u.mean(dim=2, keepdim=True) / 3.0                # second output [1,8,1]
        return out0, out1


# --------------------------------------------------------------------------
# hand-built keras2onnx / tf2onnx-style models

def _init(name, arr, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(arr, dtype=dtype), name)


def keras_nhwc_cnn(rng):
    w1 = (rng.standard_normal((8, 1, 3, 3)) * 0.4).astype(np.float32)
    b1 = (rng.standard_normal(8) * 0.1).astype(np.float32)
    w2 = (rng.standard_normal((16, 8, 3, 3)) * 0.15).astype(np.float32)
    b2 = (rng.standard_normal(16) * 0.1).astype(np.float32)
    k = 12 * 12 * 16
    wd = (rng.standard_normal((k, 10)) * 0.03).astype(np.float32)
    bd = (rng.standard_normal(10) * 0.1).astype(np.float32)

    T = lambda i, o, p, n: helper.make_node("Transpose", [i], [o], name=n, perm=p)
    nodes = [
        T("input_1", "conv1_in_nchw", [0, 3, 1, 2], "conv2d/Conv2D__6"),
        helper.make_node("Conv", ["conv1_in_nchw", "conv2d/kernel", "conv2d/bias"],
                         ["conv1_out_nchw"], name="conv2d/Conv2D",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1],
                         dilations=[1, 1], group=1),
        T("conv1_out_nchw", "conv1_out", [0, 2, 3, 1], "conv2d/Conv2D__8"),
        helper.make_node("Relu", ["conv1_out"], ["relu1"], name="conv2d/Relu"),
        T("relu1", "pool_in_nchw", [0, 3, 1, 2], "max_pooling2d/MaxPool__10"),
        helper.make_node("MaxPool", ["pool_in_nchw"], ["pool_out_nchw"],
                         name="max_pooling2d/MaxPool", kernel_shape=[2, 2],
                         strides=[2, 2]),
        T("pool_out_nchw", "pool_out", [0, 2, 3, 1], "max_pooling2d/MaxPool__12"),
        T("pool_out", "conv2_in_nchw", [0, 3, 1, 2], "conv2d_1/Conv2D__14"),
        helper.make_node("Conv", ["conv2_in_nchw", "conv2d_1/kernel", "conv2d_1/bias"],
                         ["conv2_out_nchw"], name="conv2d_1/Conv2D",
                         kernel_shape=[3, 3], strides=[1, 1], dilations=[1, 1],
                         group=1),
        helper.make_node("Relu", ["conv2_out_nchw"], ["relu2_nchw"], name="conv2d_1/Relu"),
        T("relu2_nchw", "relu2", [0, 2, 3, 1], "conv2d_1/Relu__16"),
        helper.make_node("Reshape", ["relu2", "flatten/Const"], ["flat"],
                         name="flatten/Reshape"),
        helper.make_node("MatMul", ["flat", "dense/kernel"], ["dense_mm"],
                         name="dense/MatMul"),
        helper.make_node("Add", ["dense_mm", "dense/bias"], ["dense_out"],
                         name="dense/BiasAdd"),
        helper.make_node("Softmax", ["dense_out"], ["dense"], name="dense/Softmax",
                         axis=-1),
    ]
    inits = [
        _init("conv2d/kernel", w1), _init("conv2d/bias", b1),
        _init("conv2d_1/kernel", w2), _init("conv2d_1/bias", b2),
        _init("flatten/Const", [-1, k], np.int64),
        _init("dense/kernel", wd), _init("dense/bias", bd),
    ]
    graph = helper.make_graph(
        nodes, "sequential",
        [helper.make_tensor_value_info("input_1", TensorProto.FLOAT, ["N", 28, 28, 1])],
        [helper.make_tensor_value_info("dense", TensorProto.FLOAT, ["N", 10])],
        initializer=inits)
    model = helper.make_model(graph, producer_name="tf2onnx", producer_version="1.9.3",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7

    def reference(x):
        t = torch.from_numpy(x).permute(0, 3, 1, 2)
        t = F.relu(F.conv2d(t, torch.from_numpy(w1), torch.from_numpy(b1), padding=1))
        t = F.max_pool2d(t, 2)
        t = F.relu(F.conv2d(t, torch.from_numpy(w2), torch.from_numpy(b2)))
        t = t.permute(0, 2, 3, 1).reshape(t.shape[0], -1)
        t = t @ torch.from_numpy(wd) + torch.from_numpy(bd)
        return [torch.softmax(t, dim=-1).numpy()]

    return model, reference


def keras_nhwc_dw(rng):
    c_in, c = 4, 8
    wp = (rng.standard_normal((c, c_in, 1, 1)) * 0.5).astype(np.float32)
    bp = (rng.standard_normal(c) * 0.2).astype(np.float32)
    wd = (rng.standard_normal((c, 1, 3, 3)) * 0.4).astype(np.float32)
    bd = (rng.standard_normal(c) * 0.2).astype(np.float32)
    wf = (rng.standard_normal((c, 5)) * 0.5).astype(np.float32)
    bf = (rng.standard_normal(5) * 0.1).astype(np.float32)

    T = lambda i, o, p, n: helper.make_node("Transpose", [i], [o], name=n, perm=p)
    nodes = [
        T("input_1", "pw_in_nchw", [0, 3, 1, 2], "conv2d/Conv2D__5"),
        helper.make_node("Conv", ["pw_in_nchw", "conv2d/kernel"], ["pw_out_nchw"],
                         name="conv2d/Conv2D", kernel_shape=[1, 1], strides=[1, 1],
                         dilations=[1, 1], group=1),
        T("pw_out_nchw", "pw_out", [0, 2, 3, 1], "conv2d/Conv2D__7"),
        # per-channel bias [C] broadcast over NHWC
        helper.make_node("Add", ["pw_out", "conv2d/bias"], ["pw_bias"],
                         name="conv2d/BiasAdd"),
        helper.make_node("Relu", ["pw_bias"], ["relu1"], name="conv2d/Relu"),
        T("relu1", "dw_in_nchw", [0, 3, 1, 2], "depthwise_conv2d/depthwise__9"),
        helper.make_node("Conv", ["dw_in_nchw", "depthwise_conv2d/depthwise_kernel"],
                         ["dw_out_nchw"], name="depthwise_conv2d/depthwise",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1],
                         dilations=[1, 1], group=c),
        T("dw_out_nchw", "dw_out", [0, 2, 3, 1], "depthwise_conv2d/depthwise__11"),
        helper.make_node("Add", ["dw_out", "depthwise_conv2d/bias"], ["dw_bias"],
                         name="depthwise_conv2d/BiasAdd"),
        helper.make_node("Clip", ["dw_bias", "relu6/min", "relu6/max"], ["relu6"],
                         name="re_lu/Relu6"),
        helper.make_node("ReduceMean", ["relu6"], ["gap"],
                         name="global_average_pooling2d/Mean", axes=[1, 2], keepdims=0),
        helper.make_node("MatMul", ["gap", "dense/kernel"], ["dense_mm"],
                         name="dense/MatMul"),
        helper.make_node("Add", ["dense_mm", "dense/bias"], ["dense_out"],
                         name="dense/BiasAdd"),
        helper.make_node("Softmax", ["dense_out"], ["dense"], name="dense/Softmax",
                         axis=-1),
    ]
    inits = [
        _init("conv2d/kernel", wp), _init("conv2d/bias", bp),
        _init("depthwise_conv2d/depthwise_kernel", wd),
        _init("depthwise_conv2d/bias", bd),
        _init("relu6/min", np.float32(0.0)), _init("relu6/max", np.float32(6.0)),
        _init("dense/kernel", wf), _init("dense/bias", bf),
    ]
    graph = helper.make_graph(
        nodes, "functional",
        [helper.make_tensor_value_info("input_1", TensorProto.FLOAT, ["N", 16, 16, c_in])],
        [helper.make_tensor_value_info("dense", TensorProto.FLOAT, ["N", 5])],
        initializer=inits)
    model = helper.make_model(graph, producer_name="tf2onnx", producer_version="1.9.3",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7

    def reference(x):
        t = torch.from_numpy(x).permute(0, 3, 1, 2)
        t = F.relu(F.conv2d(t, torch.from_numpy(wp), torch.from_numpy(bp)))
        t = F.conv2d(t, torch.from_numpy(wd), torch.from_numpy(bd), padding=1, groups=c)
        t = torch.clamp(t, 0.0, 6.0).mean(dim=(2, 3))
        t = t @ torch.from_numpy(wf) + torch.from_numpy(bf)
        return [torch.softmax(t, dim=-1).numpy()]

    return model, reference


def insert_dropout(model, after_op, ratio):
    """Insert an inference-mode Dropout after the last node of type after_op."""
    g = model.graph
    idx = max(i for i, n in enumerate(g.node) if n.op_type == after_op)
    src = g.node[idx].output[0]
    dst = src + "_dropout"
    for n in g.node[idx + 1:]:
        for j, name in enumerate(n.input):
            if name == src:
                n.input[j] = dst
    g.initializer.append(_init("dropout_ratio", np.float32(ratio)))
    drop = helper.make_node("Dropout", [src, "dropout_ratio"], [dst], name="Dropout_drop")
    g.node.insert(idx + 1, drop)


# --------------------------------------------------------------------------
# driver

def build_all(out_dir):
    """Write every model; return {name: (input arrays, reference outputs)}."""
    os.makedirs(out_dir, exist_ok=True)
    results = {}

    def torch_model(name, model, inputs, opset, in_names, out_names, **kw):
        path = os.path.join(out_dir, name + ".onnx")
        model.eval()
        with torch.no_grad():
            ref = model(*[torch.from_numpy(a) for a in inputs])
        if isinstance(ref, torch.Tensor):
            ref = (ref,)
        torch_export(model, [torch.from_numpy(a) for a in inputs], path, opset,
                     in_names, out_names, **kw)
        return path, [r.numpy() for r in ref]

    # --- torch_cnn_bn_opset13
    rng = seed_all(1301)
    gen = torch.Generator().manual_seed(1301)
    x = rng.random((1, 1, 28, 28), dtype=np.float32)
    path, ref = torch_model("torch_cnn_bn_opset13", CnnBn13(gen), [x], 13,
                            ["input"], ["log_probs"], fold=False, preserve=True)
    m = onnx.load(path)
    finalize(m, path)
    save_inputs(out_dir, "torch_cnn_bn_opset13", [x])
    results["torch_cnn_bn_opset13"] = ([x], ref)

    # --- torch_cnn_bn_opset17
    rng = seed_all(1701)
    gen = torch.Generator().manual_seed(1701)
    x = rng.random((1, 1, 28, 28), dtype=np.float32)
    path, ref = torch_model("torch_cnn_bn_opset17", CnnBn17(gen), [x], 17,
                            ["input"], ["probs"], fold=False, preserve=True)
    m = onnx.load(path)
    insert_dropout(m, "Relu", 0.25)
    finalize(m, path)
    save_inputs(out_dir, "torch_cnn_bn_opset17", [x])
    results["torch_cnn_bn_opset17"] = ([x], ref)

    # --- torch_mlp_opset13
    rng = seed_all(1302)
    x = (rng.standard_normal((1, 3, 8, 8)) * 0.5).astype(np.float32)
    path, ref = torch_model("torch_mlp_opset13", Mlp(), [x], 13,
                            ["input"], ["output"], fold=True)
    m = onnx.load(path)
    finalize(m, path)
    save_inputs(out_dir, "torch_mlp_opset13", [x])
    results["torch_mlp_opset13"] = ([x], ref)

    # --- torch_misc_opset13
    rng = seed_all(1303)
    gen = torch.Generator().manual_seed(1303)
    x = rng.standard_normal((1, 4, 8, 8)).astype(np.float32)
    y = rng.uniform(0.5, 1.5, (1, 8, 6)).astype(np.float32)
    path, ref = torch_model("torch_misc_opset13", Misc(gen), [x, y], 13,
                            ["x", "y"], ["softmax_out", "mean_out"],
                            dynamic_batch=False, fold=True)
    m = onnx.load(path)
    finalize(m, path)
    save_inputs(out_dir, "torch_misc_opset13", [x, y])
    results["torch_misc_opset13"] = ([x, y], ref)

    # --- keras_nhwc_cnn
    rng = seed_all(2001)
    m, reference = keras_nhwc_cnn(rng)
    x = rng.random((1, 28, 28, 1), dtype=np.float32)
    finalize(m, os.path.join(out_dir, "keras_nhwc_cnn.onnx"))
    save_inputs(out_dir, "keras_nhwc_cnn", [x])
    results["keras_nhwc_cnn"] = ([x], reference(x))

    # --- keras_nhwc_dw
    rng = seed_all(2002)
    m, reference = keras_nhwc_dw(rng)
    x = rng.standard_normal((1, 16, 16, 4)).astype(np.float32)
    finalize(m, os.path.join(out_dir, "keras_nhwc_dw.onnx"))
    save_inputs(out_dir, "keras_nhwc_dw", [x])
    results["keras_nhwc_dw"] = ([x], reference(x))

    return results


def verify_with_ort(out_dir, results, atol):
    runner = os.path.join(ORT_DIR, "ort_run.js")
    if not os.path.isdir(os.path.join(ORT_DIR, "node_modules", "onnxruntime-node")):
        subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund"],
                       cwd=ORT_DIR, check=True)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, (inputs, refs) in results.items():
            prefix = os.path.join(tmp, name)
            in_files = [os.path.join(out_dir, f"{name}.input_{k}.npy")
                        for k in range(len(inputs))]
            r = subprocess.run(["node", runner, os.path.join(out_dir, name + ".onnx"),
                                prefix] + in_files, capture_output=True, text=True)
            if r.returncode != 0:
                print(f"ORT FAIL {name}: {r.stderr.strip()}")
                ok = False
                continue
            worst = 0.0
            for k, ref in enumerate(refs):
                got = np.load(f"{prefix}.output_{k}.npy")
                if got.shape != ref.shape:
                    print(f"ORT FAIL {name}: output {k} shape {got.shape} != {ref.shape}")
                    ok = False
                    worst = float("inf")
                    break
                worst = max(worst, float(np.max(np.abs(got.astype(np.float64) - ref))))
            status = "OK  " if worst <= atol else "FAIL"
            ok &= worst <= atol
            print(f"ORT {status} {name} max_abs_diff_vs_torch={worst:.3g}")
    return ok


def describe(out_dir, names):
    for name in names:
        path = os.path.join(out_dir, name + ".onnx")
        m = onnx.load(path)
        ops = []
        for n in m.graph.node:
            if n.op_type not in ops:
                ops.append(n.op_type)
        opset = [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")][0]
        print(f"{name}: opset {opset}, {os.path.getsize(path)} bytes, "
              f"{len(m.graph.node)} nodes: {' '.join(ops)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--verify-ort", action="store_true",
                    help="run every model in ONNX Runtime (node) and compare with torch")
    ap.add_argument("--atol", type=float, default=1e-5)
    args = ap.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    results = build_all(args.out)
    describe(args.out, results.keys())
    if args.verify_ort and not verify_with_ort(args.out, results, args.atol):
        sys.exit(1)


if __name__ == "__main__":
    main()
