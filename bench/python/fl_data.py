"""Reads a federation exported by the Node side (bench/src/export/federation-export.ts) and builds the
identical PyTorch model.

Export directory layout (all written by Node, read here):
  meta.json            features, label, hidden widths, hyper-parameters, rounds, org files, weight shapes
  org-<k>.csv          one org's training rows (standardised features, then the 0/1 label), header row
  test.csv             the held-out test rows, same columns
  initial-weights.f32  the initial global weights, little-endian float32, tensors concatenated in
                       tfjs order (kernel [in, out], bias [out], per dense layer)
"""
import json
import os

import numpy as np
import torch


def load_meta(directory):
    with open(os.path.join(directory, "meta.json"), encoding="utf-8") as handle:
        return json.load(handle)


def load_csv(path):
    """Returns (features float32 [n, f], labels float32 [n]) from a header + numeric rows CSV."""
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
    return np.ascontiguousarray(table[:, :-1]), np.ascontiguousarray(table[:, -1])


def build_model(meta):
    """Dense ReLU layers then one sigmoid unit: the gateway's `mlp` preset."""
    widths = [meta["numFeatures"], *meta["hiddenUnits"], 1]
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        layers.append(torch.nn.ReLU() if i < len(widths) - 2 else torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers)


def linear_layers(model):
    return [layer for layer in model if isinstance(layer, torch.nn.Linear)]


def load_initial_weights(directory, meta):
    """The initial weights as a list of numpy arrays in tfjs order and shapes."""
    flat = np.fromfile(os.path.join(directory, "initial-weights.f32"), dtype="<f4")
    arrays, offset = [], 0
    for shape in meta["weightShapes"]:
        size = int(np.prod(shape))
        arrays.append(flat[offset:offset + size].reshape(shape).copy())
        offset += size
    if offset != flat.size:
        raise ValueError(f"initial-weights.f32 holds {flat.size} floats, the shapes need {offset}")
    return arrays


def set_tfjs_weights(model, arrays):
    """Loads tfjs-ordered arrays; a tfjs kernel is [in, out], a torch weight is [out, in]."""
    with torch.no_grad():
        for index, layer in enumerate(linear_layers(model)):
            layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(arrays[2 * index].T)))
            layer.bias.copy_(torch.from_numpy(arrays[2 * index + 1]))


def get_tfjs_weights(model):
    arrays = []
    for layer in linear_layers(model):
        arrays.append(layer.weight.detach().numpy().T.copy())
        arrays.append(layer.bias.detach().numpy().copy())
    return arrays


def make_optimizer(model, learning_rate):
    # tfjs' Adam uses epsilon 1e-7 (its backend epsilon); torch's default is 1e-8.
    return torch.optim.Adam(model.parameters(), lr=learning_rate, eps=1e-7)


def train_epochs(model, features, labels, epochs, batch_size, learning_rate, seed, proximal_mu=0.0):
    """The gateway trainer's loop: a fresh Adam, a seeded shuffle per epoch, mean BCE (+ FedProx term)."""
    optimizer = make_optimizer(model, learning_rate)
    generator = torch.Generator().manual_seed(seed)
    x = torch.from_numpy(features)
    y = torch.from_numpy(labels).reshape(-1, 1)
    anchors = [p.detach().clone() for p in model.parameters()] if proximal_mu > 0 else []
    n = x.shape[0]
    model.train()
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            optimizer.zero_grad()
            # Clipped like tfjs' binaryCrossentropy (epsilon 1e-7).
            probabilities = model(x[rows]).clamp(1e-7, 1 - 1e-7)
            loss = torch.nn.functional.binary_cross_entropy(probabilities, y[rows])
            if proximal_mu > 0:
                loss = loss + proximal_mu / 2 * sum(((p - a) ** 2).sum() for p, a in zip(model.parameters(), anchors))
            loss.backward()
            optimizer.step()


def evaluate(model, features, labels):
    """Loss and accuracy at threshold 0.5, as the gateway's binaryMetrics computes them."""
    model.eval()
    with torch.no_grad():
        p = model(torch.from_numpy(features)).reshape(-1).clamp(1e-7, 1 - 1e-7).numpy().astype(np.float64)
    y = labels.astype(np.float64)
    loss = float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())
    accuracy = float(((p >= 0.5).astype(np.float64) == y).mean())
    return {"loss": loss, "accuracy": accuracy}
