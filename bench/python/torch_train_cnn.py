"""Training throughput of the gateway's `cnn` preset rebuilt in PyTorch on CPU (the CNN row of the
`training` bench). Reads the pooled image rows the Node side trains on (a float32 file, row-major,
196 pixels then the label per row), trains --epochs with --batch-size, --repeats times, and prints one
JSON object. Same layers and optimizer as the preset; weights start from torch's own initialisation
(this measures speed, not equality of results).
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch

import fl_data


def build_cnn(side):
    """Reshape → conv 8 (3×3, ReLU) → pool 2 → conv 16 (3×3, ReLU) → pool 2 → dense 32 (ReLU) → sigmoid."""
    last = ((side - 2) // 2 - 2) // 2
    return torch.nn.Sequential(
        torch.nn.Unflatten(1, (1, side, side)),
        torch.nn.Conv2d(1, 8, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(16 * last * last, 32), torch.nn.ReLU(),
        torch.nn.Linear(32, 1), torch.nn.Sigmoid(),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows-file", required=True)
    parser.add_argument("--pixels", type=int, required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--learning-rate", type=float, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    table = np.fromfile(args.rows_file, dtype="<f4").reshape(-1, args.pixels + 1)
    features, labels = np.ascontiguousarray(table[:, :-1]), np.ascontiguousarray(table[:, -1])
    side = int(round(args.pixels ** 0.5))
    torch.manual_seed(0)
    fl_data.train_epochs(build_cnn(side), features, labels, 1, args.batch_size, args.learning_rate, seed=99)
    seconds = []
    for repeat in range(args.repeats):
        model = build_cnn(side)
        started = time.perf_counter()
        fl_data.train_epochs(model, features, labels, args.epochs, args.batch_size, args.learning_rate, seed=repeat)
        seconds.append(time.perf_counter() - started)
        print(f"[torch cnn] fit {repeat + 1}/{args.repeats}: {seconds[-1]:.3f} s", file=sys.stderr, flush=True)
    median = statistics.median(seconds)
    print(json.dumps({
        "torchVersion": torch.__version__,
        "threads": torch.get_num_threads(),
        "rows": int(features.shape[0]),
        "seconds": seconds,
        "medianSeconds": median,
        "samplesPerSecond": features.shape[0] * args.epochs / median,
    }))


if __name__ == "__main__":
    main()
