"""The deployed Flower federation's server side: FedAvg weighted by training rows from the exported
initial weights; every org trains each round and then evaluates the new global model on its
validation rows (as fedledger's gateways do); the global model is scored on the held-out rows after
every round. Writes flower-result.json into the data directory after every step: wall-clock marks,
the namespace's loopback bytes at each mark, accuracy per round."""
import json
import os
import time

from flwr.common import Context, ndarrays_to_parameters
from flwr.server import ServerApp, ServerAppComponents, ServerConfig
from flwr.server.strategy import FedAvg

import fl_data
from fedledger_flower.loopback import loopback_bytes


class MarkedFedAvg(FedAvg):
    """FedAvg that records when each round's fit and evaluate phases end (the round anatomy)."""

    def __init__(self, mark, **kwargs):
        super().__init__(**kwargs)
        self.mark = mark

    def aggregate_fit(self, server_round, results, failures):
        self.mark(server_round, "fit-done", trainSeconds=[r.metrics.get("trainSeconds", 0.0) for _, r in results], failures=len(failures))
        return super().aggregate_fit(server_round, results, failures)

    def aggregate_evaluate(self, server_round, results, failures):
        self.mark(server_round, "evaluate-done", evaluateSeconds=[r.metrics.get("evaluateSeconds", 0.0) for _, r in results], failures=len(failures))
        return super().aggregate_evaluate(server_round, results, failures)


def server_fn(context: Context):
    data_dir = str(context.run_config["data-dir"])
    meta = fl_data.load_meta(data_dir)
    initial = fl_data.load_initial_weights(data_dir, meta)
    test_x, test_y = fl_data.load_csv(os.path.join(data_dir, "test.csv"))
    orgs = len(meta["orgFiles"])
    marks = []
    result_file = os.path.join(data_dir, "flower-result.json")

    def mark(server_round, event, **fields):
        marks.append({"round": server_round, "event": event, "t": time.time(), "loBytes": loopback_bytes(), **fields})
        tmp = f"{result_file}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump({"rounds": meta["rounds"], "marks": marks}, handle)
        os.replace(tmp, result_file)

    def evaluate_fn(server_round, parameters, config):
        model = fl_data.build_model(meta)
        fl_data.set_tfjs_weights(model, parameters)
        metrics = fl_data.evaluate(model, test_x, test_y)
        mark(server_round, "global", accuracy=metrics["accuracy"], loss=metrics["loss"])
        return metrics["loss"], {"accuracy": metrics["accuracy"]}

    strategy = MarkedFedAvg(
        mark,
        fraction_fit=1.0,
        fraction_evaluate=1.0,
        min_fit_clients=orgs,
        min_evaluate_clients=orgs,
        min_available_clients=orgs,
        initial_parameters=ndarrays_to_parameters(initial),
        evaluate_fn=evaluate_fn,
        on_fit_config_fn=lambda server_round: {"server_round": server_round},
    )
    return ServerAppComponents(strategy=strategy, config=ServerConfig(num_rounds=meta["rounds"]))


app = ServerApp(server_fn=server_fn)
