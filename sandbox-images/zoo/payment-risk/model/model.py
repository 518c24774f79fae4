"""The payment-scoring sample's risk model: a scikit-learn logistic regression whose
coefficients come from data/weights.json (risk = sigmoid(intercept + coefficients . features))."""
import json

import numpy as np
from sklearn.linear_model import LogisticRegression


class Model:
    def __init__(self, **kwargs):
        self._data_dir = kwargs["data_dir"]
        self._model = None
        self._features = []

    def load(self):
        weights = json.loads((self._data_dir / "weights.json").read_text())
        self._features = weights["features"]
        model = LogisticRegression()
        model.classes_ = np.array([0, 1])
        model.coef_ = np.array([weights["coefficients"]], dtype=float)
        model.intercept_ = np.array([weights["intercept"]], dtype=float)
        self._model = model
        print(f"risk model over {', '.join(self._features)}")

    def predict(self, model_input):
        records = model_input if isinstance(model_input, list) else [model_input]
        x = np.array([[float(r[name]) for name in self._features] for r in records])
        risks = self._model.predict_proba(x)[:, 1]
        scored = [{**r, "risk": round(float(p), 4)} for r, p in zip(records, risks)]
        return scored if isinstance(model_input, list) else scored[0]
