"""Reads the raw MNIST IDX files (as fetched by scripts/fetch_mnist.sh)."""

import os
import struct

import numpy as np


def read_idx(path):
    """Returns the array stored in an IDX file (unsigned bytes only)."""
    with open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    array = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if array.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {array.size} bytes of data, shape {dims} needs {int(np.prod(dims))}")
    return array.reshape(dims)


def load_mnist(directory, split):
    """(images uint8 [N, 28, 28], labels uint8 [N]) for split 'train' or 't10k'."""
    images = read_idx(os.path.join(directory, f"{split}-images-idx3-ubyte"))
    labels = read_idx(os.path.join(directory, f"{split}-labels-idx1-ubyte"))
    return images, labels
