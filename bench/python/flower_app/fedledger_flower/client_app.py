"""One org of the deployed Flower federation: trains on its exported training rows, evaluates the
global model on its validation rows (what a fedledger gateway records with RecordEvaluation)."""
import os
import time

import torch
from flwr.client import ClientApp, NumPyClient
from flwr.common import Context

import fl_data


class OrgClient(NumPyClient):
    def __init__(self, data_dir, index):
        torch.set_num_threads(1)
        self.meta = fl_data.load_meta(data_dir)
        self.index = index
        self.x, self.y = fl_data.load_csv(os.path.join(data_dir, self.meta["orgFiles"][index]))
        self.vx, self.vy = fl_data.load_csv(os.path.join(data_dir, self.meta["validationFiles"][index]))

    def fit(self, parameters, config):
        hp = self.meta["hyperParameters"]
        started = time.perf_counter()
        model = fl_data.build_model(self.meta)
        fl_data.set_tfjs_weights(model, parameters)
        round_number = int(config.get("server_round", 0))
        fl_data.train_epochs(model, self.x, self.y, hp["epochs"], hp["batchSize"], hp["learningRate"], seed=1000 * round_number + self.index)
        return fl_data.get_tfjs_weights(model), int(self.x.shape[0]), {"trainSeconds": time.perf_counter() - started}

    def evaluate(self, parameters, config):
        started = time.perf_counter()
        model = fl_data.build_model(self.meta)
        fl_data.set_tfjs_weights(model, parameters)
        metrics = fl_data.evaluate(model, self.vx, self.vy)
        return metrics["loss"], int(self.vx.shape[0]), {"accuracy": metrics["accuracy"], "evaluateSeconds": time.perf_counter() - started}


def client_fn(context: Context):
    return OrgClient(str(context.run_config["data-dir"]), int(context.node_config["partition-id"])).to_client()


app = ClientApp(client_fn=client_fn)
