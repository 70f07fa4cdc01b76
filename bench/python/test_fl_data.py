"""Unit tests of the Python side's data and model helpers: bench/.venv/bin/python -m unittest discover -s bench/python"""
import json
import os
import tempfile
import unittest

import numpy as np
import torch

import fl_data

META = {"numFeatures": 3, "hiddenUnits": [4], "weightShapes": [[3, 4], [4], [4, 1], [1]], "orgFiles": ["org-1.csv"]}


class FlDataTest(unittest.TestCase):
    def test_build_model_matches_the_mlp_preset(self):
        model = fl_data.build_model(META)
        self.assertEqual([type(layer).__name__ for layer in model], ["Linear", "ReLU", "Linear", "Sigmoid"])
        self.assertEqual(model[0].weight.shape, (4, 3))

    def test_tfjs_weights_round_trip_with_kernels_transposed(self):
        arrays = [np.arange(12, dtype=np.float32).reshape(3, 4), np.ones(4, np.float32), np.arange(4, dtype=np.float32).reshape(4, 1), np.zeros(1, np.float32)]
        model = fl_data.build_model(META)
        fl_data.set_tfjs_weights(model, arrays)
        # tfjs computes x · kernel; torch computes x · weightᵀ: the first row of the kernel is column 0 of the weight.
        np.testing.assert_array_equal(model[0].weight.detach().numpy()[:, 0], arrays[0][0])
        for got, want in zip(fl_data.get_tfjs_weights(model), arrays):
            np.testing.assert_array_equal(got, want)

    def test_initial_weights_and_csv_load(self):
        with tempfile.TemporaryDirectory() as directory:
            flat = np.arange(21, dtype="<f4")
            flat.tofile(os.path.join(directory, "initial-weights.f32"))
            arrays = fl_data.load_initial_weights(directory, META)
            self.assertEqual([a.shape for a in arrays], [(3, 4), (4,), (4, 1), (1,)])
            self.assertEqual(float(arrays[3][0]), 20.0)
            with self.assertRaises(ValueError):
                fl_data.load_initial_weights(directory, {**META, "weightShapes": [[3, 4]]})
            with open(os.path.join(directory, "rows.csv"), "w", encoding="utf-8") as handle:
                handle.write("a,b,c,y\n1,2,3,0\n4,5,6,1\n")
            features, labels = fl_data.load_csv(os.path.join(directory, "rows.csv"))
            self.assertEqual(features.shape, (2, 3))
            np.testing.assert_array_equal(labels, [0, 1])
            with open(os.path.join(directory, "meta.json"), "w", encoding="utf-8") as handle:
                json.dump(META, handle)
            self.assertEqual(fl_data.load_meta(directory), META)

    def test_evaluate_and_training_lower_the_loss(self):
        torch.manual_seed(0)
        rng = np.random.default_rng(0)
        features = rng.normal(size=(256, 3)).astype(np.float32)
        labels = (features[:, 0] > 0).astype(np.float32)
        model = fl_data.build_model(META)
        before = fl_data.evaluate(model, features, labels)
        fl_data.train_epochs(model, features, labels, epochs=20, batch_size=32, learning_rate=0.05, seed=1, proximal_mu=0.01)
        after = fl_data.evaluate(model, features, labels)
        self.assertLess(after["loss"], before["loss"])
        self.assertGreater(after["accuracy"], 0.9)


if __name__ == "__main__":
    unittest.main()
