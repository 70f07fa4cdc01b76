"""The `flower` bench's peer run: the exported federation trained with Flower (PyTorch clients).

Same data split, initial weights, model, rounds, local epochs, batch size and learning rate as the
fedledger run; FedAvg weighted by sample count; the global model is evaluated on the shared test set
after every round (server-side evaluate_fn). Uses Flower's simulation engine (Ray) on this machine.
Prints one JSON object on stdout; Flower's own log goes to stderr.
"""
import argparse
import json
import os
import sys
import time

import fl_data

# Filled in the server process by evaluate_fn: (round, perf_counter, metrics).
EVALUATIONS = []


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--client-cpus", type=float, default=1.0,
                        help="Ray CPUs per client; 1 lets two clients train at once on 2 cores")
    args = parser.parse_args()

    import flwr
    import torch
    from flwr.client import ClientApp, NumPyClient
    from flwr.common import Context, ndarrays_to_parameters
    from flwr.server import ServerApp, ServerAppComponents, ServerConfig
    from flwr.server.strategy import FedAvg
    from flwr.simulation import run_simulation

    meta = fl_data.load_meta(args.data_dir)
    hp = meta["hyperParameters"]
    initial = fl_data.load_initial_weights(args.data_dir, meta)
    test_x, test_y = fl_data.load_csv(os.path.join(args.data_dir, "test.csv"))
    org_files = meta["orgFiles"]

    class OrgClient(NumPyClient):
        def __init__(self, index):
            torch.set_num_threads(1)
            self.index = index
            self.x, self.y = fl_data.load_csv(os.path.join(args.data_dir, org_files[index]))

        def fit(self, parameters, config):
            model = fl_data.build_model(meta)
            fl_data.set_tfjs_weights(model, parameters)
            round_number = int(config.get("server_round", 0))
            fl_data.train_epochs(model, self.x, self.y, hp["epochs"], hp["batchSize"], hp["learningRate"],
                                 seed=1000 * round_number + self.index)
            return fl_data.get_tfjs_weights(model), int(self.x.shape[0]), {}

    def client_fn(context: Context):
        return OrgClient(int(context.node_config["partition-id"])).to_client()

    def evaluate_fn(server_round, parameters, config):
        model = fl_data.build_model(meta)
        fl_data.set_tfjs_weights(model, parameters)
        metrics = fl_data.evaluate(model, test_x, test_y)
        EVALUATIONS.append((server_round, time.perf_counter(), metrics))
        print(f"[flower] round {server_round}: test accuracy {metrics['accuracy']:.4f}", file=sys.stderr, flush=True)
        return metrics["loss"], {"accuracy": metrics["accuracy"]}

    def fit_config(server_round):
        return {"server_round": server_round}

    def server_fn(context: Context):
        strategy = FedAvg(
            fraction_fit=1.0,
            fraction_evaluate=0.0,
            min_fit_clients=len(org_files),
            min_available_clients=len(org_files),
            initial_parameters=ndarrays_to_parameters(initial),
            evaluate_fn=evaluate_fn,
            on_fit_config_fn=fit_config,
        )
        return ServerAppComponents(strategy=strategy, config=ServerConfig(num_rounds=meta["rounds"]))

    started = time.perf_counter()
    run_simulation(
        server_app=ServerApp(server_fn=server_fn),
        client_app=ClientApp(client_fn=client_fn),
        num_supernodes=len(org_files),
        backend_config={"client_resources": {"num_cpus": args.client_cpus, "num_gpus": 0.0}},
    )
    total = time.perf_counter() - started
    if len(EVALUATIONS) != meta["rounds"] + 1:
        raise SystemExit(f"expected {meta['rounds'] + 1} evaluations, got {len(EVALUATIONS)}")
    rounds_seconds = EVALUATIONS[-1][1] - EVALUATIONS[0][1]
    print(json.dumps({
        "flwrVersion": flwr.__version__,
        "torchVersion": torch.__version__,
        "engine": "flwr.simulation.run_simulation (Ray)",
        "clientCpus": args.client_cpus,
        "rounds": meta["rounds"],
        "accuracyByRound": [e[2]["accuracy"] for e in EVALUATIONS],
        "lossByRound": [e[2]["loss"] for e in EVALUATIONS],
        "finalAccuracy": EVALUATIONS[-1][2]["accuracy"],
        "totalSeconds": total,
        "roundsSeconds": rounds_seconds,
    }))


if __name__ == "__main__":
    main()
