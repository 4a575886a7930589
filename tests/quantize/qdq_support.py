"""Helpers for the tests of `tinyonnx quantize`: MNIST, ONNX Runtime (through
tests/ort/ort_run.js), and the checks that a written model follows the QDQ
format of docs/int8.md ("The QDQ model `tinyonnx quantize` writes")."""

import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "ort"))
sys.path.insert(0, os.path.join(ROOT, "python"))
from compare_with_ort import ORT_RUN, ensure_ort_installed  # noqa: E402
from mnist_data import load_mnist  # noqa: E402

# The settings the committed int8 models are made with (the defaults of
# `tinyonnx quantize`, spelled out):
#   tinyonnx quantize models/NAME.onnx --calibrate mnist:.cache/mnist --count 1000 \
#       --method percentile --percentile 99.99 -o models/NAME-int8.onnx
DEFAULT_QUANTIZE_ARGS = ["--count", "1000", "--method", "percentile", "--percentile", "99.99"]


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}{result.stdout}")
    return result.stdout


def fetch_mnist(root):
    """The directory holding the MNIST IDX files (fetched if needed)."""
    out = run(["sh", os.path.join(root, "scripts", "fetch_mnist.sh")], cwd=root)
    return os.path.join(root, out.strip().splitlines()[-1])


def mnist_test_images(mnist_dir, count=None):
    """(float32 [N, 1, 28, 28] pixels / 255, uint8 labels [N])."""
    images, labels = load_mnist(mnist_dir, "t10k")
    if count is not None:
        images, labels = images[:count], labels[:count]
    return (images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28), labels


def ort_outputs(model, inputs, work):
    """Output 0 of `model` under ONNX Runtime (CPU, graph optimizations on)
    for the batch `inputs` (the models take a symbolic batch dimension)."""
    ensure_ort_installed()
    fd, path = tempfile.mkstemp(suffix=".npy", dir=work)
    os.close(fd)
    np.save(path, inputs)
    prefix = path[:-len(".npy")]
    run(["node", ORT_RUN, model, prefix, path])
    out = np.load(prefix + ".output_0.npy")
    os.remove(path)
    os.remove(prefix + ".output_0.npy")
    return out


def quantize(tinyonnx, model, out, calibrate, method=None):
    """Runs `tinyonnx quantize` with the default settings (another --method if
    given) and returns its report (stdout)."""
    settings = list(DEFAULT_QUANTIZE_ARGS)
    if method is not None:
        settings[settings.index("--method") + 1] = method
    return run([tinyonnx, "quantize", model, "--calibrate", calibrate, *settings, "--no-progress", "-o", out])


# ---------------------------------------------------------------- alignment

def _varint(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def _fields(data, begin, end):
    """(field, wire type, payload begin, payload end) of a message's fields."""
    i = begin
    while i < end:
        tag, i = _varint(data, i)
        field, wire = tag >> 3, tag & 7
        if wire == 0:
            _, j = _varint(data, i)
        elif wire == 1:
            j = i + 8
        elif wire == 5:
            j = i + 4
        elif wire == 2:
            n, i = _varint(data, i)
            j = i + n
        else:
            raise ValueError(f"wire type {wire} at {i}")
        yield field, wire, i, j
        i = j


def raw_data_placements(path):
    """{initializer name: (file offset of raw_data, size)} read from the wire."""
    with open(path, "rb") as f:
        data = f.read()
    placements = {}
    for field, wire, begin, end in _fields(data, 0, len(data)):
        if field != 7 or wire != 2:  # ModelProto.graph
            continue
        for gfield, gwire, gbegin, gend in _fields(data, begin, end):
            if gfield != 5 or gwire != 2:  # GraphProto.initializer
                continue
            name, raw = None, None
            for tfield, twire, tbegin, tend in _fields(data, gbegin, gend):
                if tfield == 8:
                    name = data[tbegin:tend].decode()
                elif tfield == 9:
                    raw = (tbegin, tend - tbegin)
            placements[name] = raw
    return placements


def expected_alignment(size):
    alignment = 1
    while alignment * 2 <= size and alignment < 16:
        alignment *= 2
    return alignment


# ---------------------------------------------------------------- format

class FormatError(Exception):
    pass


def check_qdq_format(path):
    """Raises FormatError unless the model at `path` is a QDQ model as
    docs/int8.md describes it. Returns a short summary string."""
    model = onnx.load(path)
    graph = model.graph
    problems = []

    def need(condition, what):
        if not condition:
            problems.append(what)

    opsets = {o.domain: o.version for o in model.opset_import}
    need(opsets.get("", opsets.get("ai.onnx")) == 13, f"default opset is {opsets}, expected 13")
    inits = {t.name: t for t in graph.initializer}
    producer = {o: n for n in graph.node for o in n.output}
    consumers = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def attr(node, name, default=None):
        for a in node.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    def array(name):
        return numpy_helper.to_array(inits[name])

    def dq_of(tensor):
        node = producer.get(tensor)
        return node if node is not None and node.op_type == "DequantizeLinear" else None

    # Graph inputs stay float and are quantized right away.
    for i in graph.input:
        if i.name in inits:
            continue
        need(i.type.tensor_type.elem_type == onnx.TensorProto.FLOAT, f"input {i.name} is not float")
        need(all(c.op_type == "QuantizeLinear" for c in consumers.get(i.name, [])),
             f"input {i.name} is read by something other than QuantizeLinear")
    need(not any(n.op_type == "BatchNormalization" for n in graph.node), "BatchNormalization left in the graph")

    # Activations: each QuantizeLinear feeds DequantizeLinear with the same parameters.
    for n in graph.node:
        if n.op_type != "QuantizeLinear":
            continue
        need(len(n.input) == 3 and n.input[2] in inits and inits[n.input[2]].data_type == onnx.TensorProto.INT8,
             f"{n.name}: zero point must be an int8 initializer")
        readers = consumers.get(n.output[0], [])
        need(len(readers) == 1 and readers[0].op_type == "DequantizeLinear" and
             list(readers[0].input[1:]) == list(n.input[1:]),
             f"{n.name}: must feed one DequantizeLinear with its own scale and zero point")
        if n.input[1] in inits:
            need(array(n.input[1]).ndim == 0, f"{n.name}: activation scale is not per tensor")

    convs = gemms = 0
    for n in graph.node:
        if n.op_type in ("Conv", "Gemm"):
            x_dq, w_dq = dq_of(n.input[0]), dq_of(n.input[1])
            need(x_dq is not None and w_dq is not None, f"{n.name}: inputs must come from DequantizeLinear")
            if x_dq is None or w_dq is None:
                continue
            need(attr(w_dq, "axis", 1) == 0, f"{n.name}: weight DequantizeLinear must have axis 0")
            w_scale, w_zero = array(w_dq.input[1]), array(w_dq.input[2])
            need(w_zero.dtype == np.int8 and not w_zero.any(), f"{n.name}: weight zero points must be int8 0")
            if n.op_type == "Conv":
                convs += 1
                transpose = producer.get(w_dq.input[0])
                need(transpose is not None and transpose.op_type == "Transpose",
                     f"{n.name}: weight must come through a Transpose")
                if transpose is None:
                    continue
                stored = array(transpose.input[0])
                perm = list(attr(transpose, "perm"))
                group = attr(n, "group", 1)
                depthwise = group > 1 and stored.shape[0] == 1
                need(perm == ([3, 0, 1, 2] if depthwise else [0, 3, 1, 2]), f"{n.name}: Transpose perm {perm}")
                weights = np.transpose(stored, perm)
            else:
                gemms += 1
                need(attr(n, "transB", 0) == 1, f"{n.name}: Gemm needs transB = 1")
                weights = array(w_dq.input[0])
            need(weights.dtype == np.int8 and np.abs(weights.astype(np.int32)).max() <= 127,
                 f"{n.name}: weights must be int8 in [-127, 127]")
            need(w_scale.shape == (weights.shape[0],), f"{n.name}: weight scale must be per output channel")
            if len(n.input) > 2 and n.input[2]:
                b_dq = dq_of(n.input[2])
                need(b_dq is not None, f"{n.name}: bias must come from DequantizeLinear")
                if b_dq is not None:
                    bias, b_scale = array(b_dq.input[0]), array(b_dq.input[1])
                    need(bias.dtype == np.int32, f"{n.name}: bias must be int32")
                    need(len(b_dq.input) < 3 or not array(b_dq.input[2]).any(), f"{n.name}: bias zero point not 0")
                    x_scale = array(x_dq.input[1]).astype(np.float32)
                    need(np.array_equal(b_scale, (x_scale * w_scale).astype(np.float32)),
                         f"{n.name}: bias scale must be input scale * weight scale")
            readers = consumers.get(n.output[0], [])
            need(len(readers) == 1 and readers[0].op_type == "QuantizeLinear", f"{n.name}: output must feed QuantizeLinear")
        if n.op_type in ("MaxPool", "Flatten", "Reshape", "Transpose") and dq_of(n.input[0]) is not None:
            readers = consumers.get(n.output[0], [])
            need(len(readers) == 1 and readers[0].op_type == "QuantizeLinear" and
                 list(readers[0].input[1:]) == list(dq_of(n.input[0]).input[1:]),
                 f"{n.name}: {n.op_type} must keep its input's scale and zero point")
        if n.op_type in ("Relu", "Clip"):
            # Fused into the output range of a Conv/Gemm, never written after one.
            dq = dq_of(n.input[0])
            q = producer.get(dq.input[0]) if dq is not None else None
            source = producer.get(q.input[0]) if q is not None else producer.get(n.input[0])
            need(source is None or source.op_type not in ("Conv", "Gemm"), f"{n.name}: {n.op_type} after {source.op_type if source else ''}")
        if n.op_type == "Softmax":
            need(dq_of(n.input[0]) is not None, f"{n.name}: Softmax must read a DequantizeLinear")
    # A feature map flattened for a Gemm is transposed to NHWC first (unless
    # it is 1x1, where both layouts are the same bytes).
    inferred = onnx.shape_inference.infer_shapes(model)
    shapes = {v.name: [d.dim_value if d.HasField("dim_value") else -1 for d in v.type.tensor_type.shape.dim]
              for v in list(inferred.graph.value_info) + list(inferred.graph.input)}
    for n in graph.node:
        if n.op_type not in ("Flatten", "Reshape") or not any(c.op_type == "Gemm" for c in consumers.get(n.output[0], [])):
            continue
        dq = dq_of(n.input[0])
        q = producer.get(dq.input[0]) if dq is not None else None
        source = producer.get(q.input[0]) if q is not None and q.op_type == "QuantizeLinear" else None
        if source is not None and source.op_type == "Transpose" and list(attr(source, "perm")) == [0, 2, 3, 1]:
            continue
        shape = shapes.get(n.input[0], [])
        need(len(shape) != 4 or shape[2] * shape[3] == 1,
             f"{n.name}: a feature map {shape} flattened for a Gemm must be transposed to NHWC first")

    # Large initializers 16-byte aligned (and all naturally aligned).
    placements = raw_data_placements(path)
    for name, placement in placements.items():
        if placement is None:
            continue
        offset, size = placement
        need(offset % expected_alignment(size) == 0, f"raw_data of {name} at offset {offset} ({size} bytes)")
    if problems:
        raise FormatError("; ".join(problems[:8]) + (f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""))
    return f"{convs} Conv, {gemms} Gemm, {len(placements)} initializers aligned"
