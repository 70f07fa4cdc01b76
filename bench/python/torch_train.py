"""Training throughput of the exported model in PyTorch on CPU: the baseline of the `training` bench.

Trains on every org's rows pooled (the same rows, order-independent, the Node side trains on) for
--epochs with --batch-size, --repeats times from the same initial weights, and prints one JSON object.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch

import fl_data


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1, like one tfjs process)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    meta = fl_data.load_meta(args.data_dir)
    parts = [fl_data.load_csv(os.path.join(args.data_dir, name)) for name in meta["orgFiles"]]
    features = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    initial = fl_data.load_initial_weights(args.data_dir, meta)
    learning_rate = meta["hyperParameters"]["learningRate"]

    # Warm-up fit (one epoch), as the Node side does once per process: first-call allocations and dispatch caches.
    warm = fl_data.build_model(meta)
    fl_data.set_tfjs_weights(warm, initial)
    fl_data.train_epochs(warm, features, labels, 1, args.batch_size, learning_rate, seed=99)

    seconds = []
    for repeat in range(args.repeats):
        model = fl_data.build_model(meta)
        fl_data.set_tfjs_weights(model, initial)
        started = time.perf_counter()
        fl_data.train_epochs(model, features, labels, args.epochs, args.batch_size, learning_rate, seed=repeat)
        seconds.append(time.perf_counter() - started)
        print(f"[torch] fit {repeat + 1}/{args.repeats}: {seconds[-1]:.3f} s", file=sys.stderr, flush=True)
    accuracy = fl_data.evaluate(model, *fl_data.load_csv(os.path.join(args.data_dir, "test.csv")))["accuracy"]
    median = statistics.median(seconds)
    print(json.dumps({
        "torchVersion": torch.__version__,
        "threads": torch.get_num_threads(),
        "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "rows": int(features.shape[0]),
        "epochs": args.epochs,
        "batchSize": args.batch_size,
        "seconds": seconds,
        "medianSeconds": median,
        "samplesPerSecond": features.shape[0] * args.epochs / median,
        "testAccuracy": accuracy,
    }))


if __name__ == "__main__":
    main()
