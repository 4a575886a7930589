#!/usr/bin/python3
"""Builds the small QDQ / QOperator test models of tests/data/int8/.

    /usr/bin/python3 tests/int8/make_int8_models.py [--out tests/data/int8]

Each model NAME.onnx comes with NAME.input_0.npy and NAME.json (how its
outputs are compared with ONNX Runtime by compare_int8_with_ort.py). The
models are written by hand with onnx.helper in the patterns docs/int8.md
describes (weights OHWI behind a Transpose, per-channel weight scales,
int32 biases, ReLU folded into the output range), plus ONNX Runtime's own
style (uint8 activations, OIHW weights) and QOperator ops. Activation
ranges come from running the fake-quantized float network in torch on the
test input, so the quantization is realistic. Fixed seeds: reproducible.
Needs onnx 1.12, numpy and torch (the Debian /usr/bin/python3).
"""

import argparse
import json
import os

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

NP_TO_ONNX = {np.dtype(np.int8): TensorProto.INT8, np.dtype(np.uint8): TensorProto.UINT8}


class Builder:
    """Writes nodes and initializers and simulates the float network (torch)."""

    def __init__(self, name, act_type=np.int8, seed=0):
        self.name = name
        self.act_type = np.dtype(act_type)
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.sim = {}  # value name -> torch tensor (float, as ONNX Runtime would see it)
        self.count = 0
        self.compare = []
        self.params = {}  # DQ output -> (scale, zero point) of its Q

    def fresh(self, stem):
        self.count += 1
        return f"{stem}_{self.count}"

    def init(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, outputs, domain="", **attrs):
        self.nodes.append(helper.make_node(op, inputs, outputs, name=self.fresh(op), domain=domain, **attrs))

    def input(self, shape, low=0.0, high=1.0):
        data = self.rng.uniform(low, high, size=shape).astype(np.float32)
        self.inputs.append(helper.make_tensor_value_info("input", TensorProto.FLOAT, list(shape)))
        self.sim["input"] = torch.from_numpy(data)
        self.input_data = data
        return "input"

    # -- quantization helpers
    def act_params(self, t, act_type=None, symmetric=False):
        act_type = np.dtype(act_type or self.act_type)
        lo = min(float(t.min()), 0.0)
        hi = max(float(t.max()), 0.0)
        if hi - lo < 1e-6:
            hi = lo + 1e-6
        qmin, qmax = (-128, 127) if act_type == np.int8 else (0, 255)
        if symmetric:
            m = max(-lo, hi)
            scale = m / 127.0
            zp = 0 if act_type == np.int8 else 128
        else:
            scale = (hi - lo) / (qmax - qmin)
            zp = int(np.clip(round(qmin - lo / scale), qmin, qmax))
        return np.float32(scale), np.array(zp, dtype=act_type)

    def fake_quant(self, t, scale, zp):
        qmin, qmax = (-128, 127) if zp.dtype == np.int8 else (0, 255)
        q = torch.clamp(torch.round(t / float(scale)) + int(zp), qmin, qmax)
        return (q - int(zp)) * float(scale)

    def quantize(self, x, act_type=None, params=None, relu=False):
        """Q then DQ of value x; returns the DQ output name."""
        t = self.sim[x]
        scale, zp = params if params is not None else self.act_params(torch.relu(t) if relu else t, act_type)
        s = self.init(self.fresh("scale"), np.array(scale, dtype=np.float32))
        z = self.init(self.fresh("zp"), zp)
        q, dq = self.fresh("q"), self.fresh("dq")
        self.node("QuantizeLinear", [x, s, z], [q])
        self.node("DequantizeLinear", [q, s, z], [dq])
        self.sim[q] = None
        self.sim[dq] = self.fake_quant(t, scale, zp)
        self.last_q = (q, float(scale), zp)
        self.params[dq] = (scale, zp)
        return dq

    def weight_dq(self, w, per_channel=True, layout="oihw", axis=0, wtype=np.int8):
        """Symmetric int8 weights (per output channel along `axis`) -> DQ output name."""
        red = tuple(i for i in range(w.ndim) if i != axis)
        m = np.abs(w).max(axis=red) if per_channel else np.abs(w).max()
        scale = (np.maximum(m, 1e-6) / 127.0).astype(np.float32)
        shape = [1] * w.ndim
        shape[axis] = -1
        s_b = scale.reshape(shape) if per_channel else scale
        q = np.clip(np.round(w / s_b), -127, 127).astype(np.int8)
        zp_type = np.int8
        if wtype == np.uint8:
            q = (q.astype(np.int16) + 128).astype(np.uint8)
            zp_type = np.uint8
        zp = np.full(scale.shape, 0 if wtype == np.int8 else 128, dtype=zp_type)
        sname = self.init(self.fresh("w_scale"), scale)
        zname = self.init(self.fresh("w_zp"), zp)
        if layout == "oihw":
            src = self.init(self.fresh("w"), q)
        elif layout == "ohwi":
            stored = self.init(self.fresh("w_ohwi"), np.ascontiguousarray(q.transpose(0, 2, 3, 1)))
            src = self.fresh("w_t")
            self.node("Transpose", [stored], [src], perm=[0, 3, 1, 2])
        elif layout == "dw":  # [C, 1, kh, kw] stored [1, kh, kw, C]
            stored = self.init(self.fresh("w_dw"), np.ascontiguousarray(q.transpose(1, 2, 3, 0)))
            src = self.fresh("w_t")
            self.node("Transpose", [stored], [src], perm=[3, 0, 1, 2])
        dq = self.fresh("w_dq")
        attrs = {"axis": axis} if per_channel else {}
        self.node("DequantizeLinear", [src, sname, zname], [dq], **attrs)
        deq = (q.astype(np.float32) - zp.reshape(shape if per_channel else ()).astype(np.float32)) * s_b
        self.sim[dq] = torch.from_numpy(deq.astype(np.float32))
        return dq, scale

    def bias_dq(self, b, x_scale, w_scale):
        scale = (np.float32(x_scale) * w_scale).astype(np.float32)
        q = np.round(b / scale).astype(np.int32)
        s = self.init(self.fresh("b_scale"), scale)
        z = self.init(self.fresh("b_zp"), np.zeros(scale.shape, np.int32))
        src = self.init(self.fresh("b"), q)
        dq = self.fresh("b_dq")
        self.node("DequantizeLinear", [src, s, z], [dq], axis=0)
        self.sim[dq] = torch.from_numpy((q * scale).astype(np.float32))
        return dq

    def dq_of(self, q_name):
        """The DequantizeLinear output reading q_name."""
        return next(n.output[0] for n in self.nodes if n.op_type == "DequantizeLinear" and n.input[0] == q_name)

    def dq_scale(self, dq_name):
        """The scale of the Q/DQ pair that produced dq_name."""
        for n in self.nodes:
            if n.op_type == "DequantizeLinear" and n.output[0] == dq_name:
                return float(numpy_helper.to_array(next(i for i in self.inits if i.name == n.input[1])))
        raise KeyError(dq_name)

    # -- float ops (simulated)
    def conv(self, x, out_ch, k, stride=1, pad=0, group=1, layout="ohwi", per_channel=True, bias=True,
             act=None, dilation=1, wtype=np.int8):
        in_ch = self.sim[x].shape[1]
        w = self.rng.normal(0, 1.0 / np.sqrt(in_ch // group * k * k), size=(out_ch, in_ch // group, k, k)).astype(np.float32)
        w_dq, w_scale = self.weight_dq(w, per_channel, layout, wtype=wtype)
        inputs = [x, w_dq]
        if bias:
            b = self.rng.normal(0, 0.1, size=out_ch).astype(np.float32)
            inputs.append(self.bias_dq(b, self.dq_scale(x), w_scale if per_channel else np.full(out_ch, w_scale, np.float32)))
        y = self.fresh("conv")
        self.node("Conv", inputs, [y], kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4,
                  group=group, dilations=[dilation, dilation])
        t = F.conv2d(self.sim[x], self.sim[w_dq], self.sim[inputs[2]] if bias else None, stride, pad, dilation, group)
        self.sim[y] = t
        return self.activation(y, act)

    def activation(self, y, act):
        if act is None:
            return y
        z = self.fresh(act.lower())
        if act == "Relu":
            self.node("Relu", [y], [z])
            self.sim[z] = torch.relu(self.sim[y])
        elif act == "Relu6":
            lo = self.init(self.fresh("clip_lo"), np.array(0.0, np.float32))
            hi = self.init(self.fresh("clip_hi"), np.array(6.0, np.float32))
            self.node("Clip", [y, lo, hi], [z])
            self.sim[z] = torch.clamp(self.sim[y], 0.0, 6.0)
        return z

    def unary(self, x, op, **attrs):
        y = self.fresh(op.lower())
        self.node(op, [x], [y], **attrs)
        t = self.sim[x]
        fn = {
            "Sigmoid": torch.sigmoid, "Tanh": torch.tanh, "Relu": torch.relu,
            "HardSwish": lambda v: v * torch.clamp(v / 6 + 0.5, 0, 1),
            "LeakyRelu": lambda v: F.leaky_relu(v, attrs.get("alpha", 0.01)),
            "HardSigmoid": lambda v: torch.clamp(attrs.get("alpha", 0.2) * v + attrs.get("beta", 0.5), 0, 1),
        }[op]
        self.sim[y] = fn(t)
        return y

    def simple(self, op, inputs, fn, **attrs):
        y = self.fresh(op.lower())
        self.node(op, inputs, [y], **attrs)
        self.sim[y] = fn(*[self.sim.get(i) for i in inputs])
        return y

    def gemm(self, x, n, trans_b=True, per_channel=True, bias=True, act=None):
        k = self.sim[x].shape[1]
        w = self.rng.normal(0, 1.0 / np.sqrt(k), size=(n, k)).astype(np.float32)
        stored = w if trans_b else np.ascontiguousarray(w.T)
        w_dq, w_scale = self.weight_dq(stored, per_channel, "oihw", axis=0 if trans_b else 1)
        inputs = [x, w_dq]
        if bias:
            b = self.rng.normal(0, 0.1, size=n).astype(np.float32)
            ws = w_scale if per_channel else np.full(n, w_scale, np.float32)
            inputs.append(self.bias_dq(b, self.dq_scale(x), ws))
        y = self.fresh("gemm")
        self.node("Gemm", inputs, [y], transB=1 if trans_b else 0)
        wt = self.sim[w_dq] if trans_b else self.sim[w_dq].T
        self.sim[y] = F.linear(self.sim[x], wt, self.sim[inputs[2]] if bias else None)
        return self.activation(y, act)

    def matmul(self, x, n, per_channel=False):
        k = self.sim[x].shape[-1]
        w = self.rng.normal(0, 1.0 / np.sqrt(k), size=(k, n)).astype(np.float32)
        w_dq, _ = self.weight_dq(w, per_channel, "oihw", axis=1)
        y = self.fresh("matmul")
        self.node("MatMul", [x, w_dq], [y])
        self.sim[y] = torch.matmul(self.sim[x], self.sim[w_dq])
        return y

    def output(self, name, kind, elem=TensorProto.FLOAT, scale=None, steps=None):
        shape = list(self.sim[name].shape) if self.sim.get(name) is not None else list(self.sim[self.dq_of(name)].shape)
        self.outputs.append(helper.make_tensor_value_info(name, elem, shape))
        entry = {"kind": kind}
        if scale is not None:
            entry["scale"] = scale
        if steps is not None:
            entry["steps"] = steps
        self.compare.append(entry)

    def save(self, out_dir, opset=13, domains=()):
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.inits)
        imports = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, 1) for d in domains]
        model = helper.make_model(graph, opset_imports=imports, producer_name="tinyonnx-int8-tests")
        model.ir_version = 8
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(out_dir, self.name + ".onnx"))
        np.save(os.path.join(out_dir, self.name + ".input_0.npy"), self.input_data)
        with open(os.path.join(out_dir, self.name + ".json"), "w") as f:
            json.dump({"outputs": self.compare}, f, indent=1)
            f.write("\n")


def final_dq(b, q_dq):
    """The float output of the last Q (its DQ), compared within one step."""
    return q_dq


def cnn_int8(out_dir):
    """The layout tinyonnx quantize writes: int8, OHWI weights, folded ReLU."""
    b = Builder("qdq_cnn_int8", np.int8, seed=1)
    x = b.quantize(b.input([1, 1, 16, 16]))
    x = b.quantize(b.conv(x, 8, 3, pad=1, act="Relu"), relu=True)
    x = b.quantize(b.simple("MaxPool", [x], lambda t: F.max_pool2d(t, 2), kernel_shape=[2, 2], strides=[2, 2]),
                   params=b.params[x])
    x = b.quantize(b.conv(x, 8, 3, stride=1, pad=1, group=8, layout="dw", act="Relu6"), relu=True)
    x = b.quantize(b.simple("AveragePool", [x], lambda t: F.avg_pool2d(t, 3, 1, 1, count_include_pad=False),
                            kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
    x = b.quantize(b.conv(x, 12, 1, stride=2))
    g = b.quantize(b.simple("GlobalAveragePool", [x], lambda t: t.mean(dim=(2, 3), keepdim=True)))
    t = b.quantize(b.simple("Transpose", [x], lambda v: v.permute(0, 2, 3, 1), perm=[0, 2, 3, 1]), params=b.params[x])
    f = b.quantize(b.simple("Flatten", [t], lambda v: v.reshape(v.shape[0], -1), axis=1), params=b.params[t])
    y = b.quantize(b.gemm(f, 10, act="Relu"), relu=True)
    gf = b.quantize(b.simple("Flatten", [g], lambda v: v.reshape(v.shape[0], -1), axis=1), params=b.params[g])
    y2 = b.quantize(b.gemm(gf, 10, per_channel=False))
    s = b.quantize(b.simple("Add", [y, y2], lambda u, v: u + v))
    out = b.simple("Softmax", [s], lambda v: torch.softmax(v, dim=-1), axis=-1)
    b.output(out, "softmax")
    b.save(out_dir)


def uint8_ort_style(out_dir):
    """ONNX Runtime's quantizer style: uint8 activations, OIHW weights, a
    residual Add, Mul and Concat with their own scales, table ops, float
    output after a final DequantizeLinear."""
    b = Builder("qdq_uint8_mixed", np.uint8, seed=2)
    x = b.quantize(b.input([1, 3, 12, 12], -1.0, 1.0))
    c1 = b.quantize(b.conv(x, 6, 3, pad=1, layout="oihw", per_channel=False))
    c2 = b.quantize(b.conv(c1, 6, 3, pad=1, layout="oihw", act="Relu"), relu=True)
    r = b.quantize(b.simple("Add", [c1, c2], lambda u, v: u + v))
    s = b.quantize(b.unary(r, "Sigmoid"))
    m = b.quantize(b.simple("Mul", [r, s], lambda u, v: u * v))
    t = b.quantize(b.unary(c2, "Tanh"))
    h = b.quantize(b.unary(c1, "HardSwish"))
    l = b.quantize(b.unary(c1, "LeakyRelu", alpha=0.1), )
    cat = b.quantize(b.simple("Concat", [m, t, h, l], lambda *v: torch.cat(v, 1), axis=1))
    y = b.conv(cat, 4, 3, stride=2, pad=1, layout="oihw")
    q = b.quantize(y)
    b.output(q, "dequantized", scale=b.last_q[1])
    b.save(out_dir, opset=14)


def int8_outputs(out_dir):
    """8-bit graph outputs: an int8 channels-last value leaving the graph,
    and a uint8 one; a Conv with dilation and stride, an int8 Clip table."""
    b = Builder("qdq_int8_outputs", np.int8, seed=3)
    x = b.quantize(b.input([1, 2, 9, 9], -2.0, 2.0))
    c = b.quantize(b.conv(x, 5, 3, stride=2, pad=2, dilation=2))
    q1 = b.last_q[0]
    b.output(q1, "quantized", TensorProto.INT8)
    r = b.quantize(b.simple("Clip", [c, b.init("lo", np.array(-0.5, np.float32)), b.init("hi", np.array(0.5, np.float32))],
                            lambda t, lo, hi: torch.clamp(t, -0.5, 0.5)), act_type=np.uint8)
    b.output(b.last_q[0], "quantized", TensorProto.UINT8)
    b.save(out_dir)


def matmul_models(out_dir):
    """MatMul with [K, N] weights (rearranged once), Gemm with transB = 0,
    a 3-D MatMul input."""
    b = Builder("qdq_matmul", np.int8, seed=4)
    x = b.quantize(b.input([2, 3, 16], -1.0, 1.0))
    y = b.quantize(b.matmul(x, 8))
    r = b.quantize(b.simple("Reshape", [y, b.init("shape", np.array([6, 8], np.int64))], lambda t, _: t.reshape(6, 8)),
                   params=b.params[y])
    g = b.quantize(b.gemm(r, 5, trans_b=False))
    b.output(b.last_q[0], "quantized", TensorProto.INT8)
    out = b.simple("Softmax", [g], lambda v: torch.softmax(v, dim=-1), axis=-1)
    b.output(out, "softmax")
    b.save(out_dir)


def misc_int8(out_dir):
    """Fake-quantized float weights (QuantizeLinear of a float constant, as
    PyTorch exports QAT models) with a float bias, Concat along a spatial
    axis of channels-last data, Mul by a per-channel constant (broadcast),
    Reshape and Transpose of channels-last data, MatMul of two activations,
    Softmax with int8 output."""
    b = Builder("qdq_misc_int8", np.int8, seed=6)
    x = b.quantize(b.input([1, 3, 6, 6], -1.0, 1.0))
    w = b.rng.normal(0, 0.3, size=(4, 3, 3, 3)).astype(np.float32)
    scale = (np.abs(w).max(axis=(1, 2, 3)) / 127.0).astype(np.float32)
    wf = b.init("w_float", w)
    ws = b.init("w_scale", scale)
    wz = b.init("w_zp", np.zeros(4, np.int8))
    b.node("QuantizeLinear", [wf, ws, wz], ["w_q"], axis=0)
    b.node("DequantizeLinear", ["w_q", ws, wz], ["w_dq"], axis=0)
    wq = np.clip(np.round(w / scale.reshape(4, 1, 1, 1)), -128, 127) * scale.reshape(4, 1, 1, 1)
    b.sim["w_dq"] = torch.from_numpy(wq.astype(np.float32))
    bias = b.init("bias", b.rng.normal(0, 0.1, size=4).astype(np.float32))
    b.sim[bias] = torch.from_numpy(numpy_helper.to_array(b.inits[-1]))
    c = b.fresh("conv")
    b.node("Conv", [x, "w_dq", bias], [c], pads=[1, 1, 1, 1])
    b.sim[c] = F.conv2d(b.sim[x], b.sim["w_dq"], b.sim[bias], 1, 1)
    c = b.quantize(c)
    s = b.quantize(b.unary(c, "Sigmoid"))
    cat = b.quantize(b.simple("Concat", [c, s], lambda u, v: torch.cat([u, v], 2), axis=2))
    k = b.init("k", np.array([1, 2, -3, 4], np.int8).reshape(1, 4, 1, 1))
    ks = b.init("k_scale", np.float32(0.25))
    kz = b.init("k_zp", np.int8(0))
    b.node("DequantizeLinear", [k, ks, kz], ["k_dq"])
    b.sim["k_dq"] = torch.tensor([0.25, 0.5, -0.75, 1.0]).reshape(1, 4, 1, 1)
    m = b.quantize(b.simple("Mul", [cat, "k_dq"], lambda u, v: u * v))
    r = b.quantize(b.simple("Reshape", [m, b.init("shape", np.array([1, 4, 72], np.int64))],
                            lambda t, _: t.reshape(1, 4, 72)), params=b.params[m])
    t = b.quantize(b.simple("Transpose", [r], lambda v: v.permute(0, 2, 1), perm=[0, 2, 1]), params=b.params[r])
    mm = b.quantize(b.simple("MatMul", [r, t], lambda u, v: torch.matmul(u, v)))
    sm = b.simple("Softmax", [mm], lambda v: torch.softmax(v, dim=-1), axis=-1)
    q = b.quantize(sm, params=(np.float32(1 / 256), np.array(-128, np.int8)))
    b.output(q, "dequantized", scale=1 / 256)
    b.save(out_dir)


def qoperator_uint8(out_dir):
    """A QOperator model (ONNX Runtime's QOperator format): QLinearConv with
    uint8 OIHW weights, a plain MaxPool and Flatten on uint8 tensors,
    QLinearMatMul, com.microsoft QLinearAdd and QLinearGlobalAveragePool."""
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 1, size=(1, 2, 8, 8)).astype(np.float32)
    inits = []

    def c(name, v):
        inits.append(numpy_helper.from_array(np.asarray(v), name))
        return name

    w = rng.integers(0, 256, size=(4, 2, 3, 3)).astype(np.uint8)
    b_int = rng.integers(-200, 200, size=4).astype(np.int32)
    mm = rng.integers(0, 256, size=(64, 6)).astype(np.uint8)
    nodes = [
        helper.make_node("QuantizeLinear", ["input", c("xs", np.float32(1 / 255)), c("xz", np.uint8(0))], ["xq"]),
        helper.make_node("QLinearConv", ["xq", "xs", "xz", c("w", w), c("ws", np.float32(0.004)), c("wz", np.uint8(128)),
                                         c("ys", np.float32(0.02)), c("yz", np.uint8(120)), c("b", b_int)],
                         ["conv"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("MaxPool", ["conv"], ["pool"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("QLinearGlobalAveragePool", ["pool", "ys", "yz", c("gs", np.float32(0.01)), c("gz", np.uint8(100))],
                         ["gap"], domain="com.microsoft"),
        helper.make_node("QLinearAdd", ["pool", "ys", "yz", "gap", "gs", "gz", c("as", np.float32(0.03)), c("az", np.uint8(90))],
                         ["add"], domain="com.microsoft"),
        helper.make_node("Flatten", ["add"], ["flat"], axis=1),
        helper.make_node("QLinearMatMul", ["flat", "as", "az", c("mm", mm), c("ms", np.float32(0.003)), c("mz", np.uint8(127)),
                                           c("os", np.float32(0.05)), c("oz", np.uint8(128))], ["y"]),
        helper.make_node("DequantizeLinear", ["y", "os", "oz"], ["out"]),
    ]
    graph = helper.make_graph(nodes, "qoperator_uint8", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 2, 8, 8])],
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 6])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out_dir, "qoperator_uint8.onnx"))
    np.save(os.path.join(out_dir, "qoperator_uint8.input_0.npy"), x)
    with open(os.path.join(out_dir, "qoperator_uint8.json"), "w") as f:
        json.dump({"outputs": [{"kind": "dequantized", "scale": 0.05}]}, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "int8"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    for make in (cnn_int8, uint8_ort_style, int8_outputs, matmul_models, misc_int8, qoperator_uint8):
        make(args.out)
        print("wrote", make.__name__)


if __name__ == "__main__":
    main()
