#!/usr/bin/python3
"""Trains the tinyonnx MNIST models and exports them to ONNX (opset 13).

    /usr/bin/python3 python/train_mnist.py --model cnn   --data .cache/mnist --out models
    /usr/bin/python3 python/train_mnist.py --model small --data .cache/mnist --out models

Writes OUT/mnist-MODEL.onnx, OUT/mnist-MODEL.log (the training log),
OUT/mnist-MODEL-curves.png (loss and accuracy per epoch) and
OUT/mnist-MODEL.json (final figures). Seeds are fixed, so a rerun on the same
machine reproduces the model. The models take the image as float pixels in
[0, 1] (1x1x28x28, white digit on black as in MNIST) and output the ten class
probabilities.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mnist_data import load_mnist  # noqa: E402


def conv_bn_relu(c_in, c_out, groups=1, kernel=3):
    return [nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(c_out), nn.ReLU()]


def build_small():
    """2,906 parameters after BatchNorm folding: two convs, two depthwise-separable blocks, GAP."""
    return nn.Sequential(
        *conv_bn_relu(1, 8), nn.MaxPool2d(2),
        *conv_bn_relu(8, 16), nn.MaxPool2d(2),
        *conv_bn_relu(16, 16, groups=16), *conv_bn_relu(16, 24, kernel=1),
        *conv_bn_relu(24, 24, groups=24), *conv_bn_relu(24, 24, kernel=1),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(24, 10))


def build_cnn():
    """51,482 parameters after BatchNorm folding: three convs and two fully connected layers."""
    return nn.Sequential(
        *conv_bn_relu(1, 16), nn.MaxPool2d(2),
        *conv_bn_relu(16, 32), nn.MaxPool2d(2),
        *conv_bn_relu(32, 64), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.2), nn.Linear(576, 48), nn.ReLU(), nn.Linear(48, 10))


MODELS = {"small": (build_small, 40), "cnn": (build_cnn, 30)}


def augment(images, generator):
    """Small random rotations, scalings, shifts and stroke-width changes."""
    n = images.shape[0]
    angle = (torch.rand(n, generator=generator) * 2 - 1) * math.radians(12)
    scale = 1 + (torch.rand(n, generator=generator) * 2 - 1) * 0.12
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * (2.5 * 2 / 28)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1),
                         torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, images.shape, align_corners=False)
    out = F.grid_sample(images, grid, align_corners=False)
    choice = torch.rand(n, generator=generator)
    thick = F.max_pool2d(out, 3, 1, 1)
    thin = -F.max_pool2d(-out, 3, 1, 1)
    out = torch.where((choice < 0.2).view(n, 1, 1, 1), 0.5 * (out + thick), out)
    out = torch.where((choice > 0.9).view(n, 1, 1, 1), 0.5 * (out + thin), out)
    return out


def evaluate(model, images, labels, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(images), batch):
            logits = model(images[start:start + batch])
            correct += int((logits.argmax(1) == labels[start:start + batch]).sum())
    return 100.0 * correct / len(images)


def progress(epoch, epochs, done, total, loss, started):
    width = 30
    filled = width * done // total
    elapsed = time.time() - started
    sys.stdout.write(f"\repoch {epoch:2d}/{epochs} [{'#' * filled}{'.' * (width - filled)}] "
                     f"{done:5d}/{total} loss {loss:.4f} {elapsed:5.0f}s")
    sys.stdout.flush()


class WithSoftmax(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return torch.softmax(self.model(x), dim=1)


def parameter_count_folded(model):
    """Parameters once BatchNorm is folded into the convs (as in the exported ONNX)."""
    count = 0
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            count += m.weight.numel() + m.out_channels  # folding adds a bias
        elif isinstance(m, nn.Linear):
            count += m.weight.numel() + m.bias.numel()
    return count


def plot_curves(history, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    epochs = [h["epoch"] for h in history]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    left.plot(epochs, [h["train_loss"] for h in history], marker="o")
    left.set_xlabel("epoch")
    left.set_ylabel("training loss")
    left.grid(alpha=0.3)
    right.plot(epochs, [h["test_accuracy"] for h in history], marker="o", color="tab:green")
    right.set_xlabel("epoch")
    right.set_ylabel("test accuracy (%)")
    right.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=sorted(MODELS), required=True)
    parser.add_argument("--data", default=".cache/mnist")
    parser.add_argument("--out", default="models")
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    build, default_epochs = MODELS[args.model]
    epochs = args.epochs or default_epochs
    name = f"mnist-{args.model}"
    os.makedirs(args.out, exist_ok=True)
    log_path = os.path.join(args.out, f"{name}.log")
    log = open(log_path, "w")

    def say(text):
        print(text)
        log.write(text + "\n")
        log.flush()

    train_x, train_y = load_mnist(args.data, "train")
    test_x, test_y = load_mnist(args.data, "t10k")
    train_images = torch.from_numpy(train_x.astype(np.float32) / 255.0).unsqueeze(1)
    train_labels = torch.from_numpy(train_y.astype(np.int64))
    test_images = torch.from_numpy(test_x.astype(np.float32) / 255.0).unsqueeze(1)
    test_labels = torch.from_numpy(test_y.astype(np.int64))

    model = build()
    params = parameter_count_folded(model)
    say(f"{name}: {params} parameters after BatchNorm folding, {epochs} epochs, seed {args.seed}, "
        f"{args.threads} threads, torch {torch.__version__}")
    batch = 128
    steps_per_epoch = math.ceil(len(train_images) / batch)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=6e-3, epochs=epochs,
                                                   steps_per_epoch=steps_per_epoch, pct_start=0.2)
    generator = torch.Generator().manual_seed(args.seed)
    history = []
    started = time.time()
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(train_images), generator=generator)
        total_loss = 0.0
        for step in range(steps_per_epoch):
            index = order[step * batch:(step + 1) * batch]
            images = augment(train_images[index], generator)
            loss = F.cross_entropy(model(images), train_labels[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total_loss += float(loss) * len(index)
            if step % 20 == 0 or step == steps_per_epoch - 1:
                progress(epoch, epochs, min((step + 1) * batch, len(train_images)), len(train_images),
                         total_loss / min((step + 1) * batch, len(train_images)), started)
        sys.stdout.write("\n")
        accuracy = evaluate(model, test_images, test_labels)
        history.append({"epoch": epoch, "train_loss": total_loss / len(train_images), "test_accuracy": accuracy})
        log.write(f"epoch {epoch}: train loss {history[-1]['train_loss']:.4f}, test accuracy {accuracy:.2f} %, "
                  f"{time.time() - started:.0f} s\n")
        log.flush()
        print(f"  test accuracy {accuracy:.2f} %")

    seconds = time.time() - started
    accuracy = evaluate(model, test_images, test_labels)
    say(f"final test accuracy (PyTorch): {accuracy:.2f} % after {seconds:.0f} s of training")
    onnx_path = os.path.join(args.out, f"{name}.onnx")
    model.eval()
    torch.onnx.export(WithSoftmax(model), torch.zeros(1, 1, 28, 28), onnx_path, opset_version=13,
                      do_constant_folding=True, input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}})
    say(f"exported {onnx_path} ({os.path.getsize(onnx_path)} bytes)")
    plot_curves(history, os.path.join(args.out, f"{name}-curves.png"),
                f"{name}: {params} parameters, {accuracy:.2f} % test accuracy")
    with open(os.path.join(args.out, f"{name}.json"), "w") as f:
        json.dump({"model": name, "parameters": params, "epochs": epochs, "seed": args.seed,
                   "test_accuracy_pytorch": round(accuracy, 2), "training_seconds": round(seconds),
                   "history": history}, f, indent=1)


if __name__ == "__main__":
    main()
