"""A breast-cancer classifier, fitted at load time on the data scikit-learn ships.

The fit is deterministic (lbfgs, no randomness) and takes a fraction of a second, so every
worker serves the very same model without weights in the package.
"""
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class Model:
    def __init__(self, **kwargs):
        self._model = None

    def load(self):
        data = load_breast_cancer()
        # In scikit-learn's copy, target 0 is malignant and 1 benign.
        self._model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        self._model.fit(data.data, data.target)
        print(f"fitted on {len(data.target)} tumours, training accuracy {self._model.score(data.data, data.target):.3f}")

    def predict(self, model_input):
        rows = model_input["rows"] if isinstance(model_input, dict) else model_input
        p_malignant = self._model.predict_proba(rows)[:, 0]
        return [
            {"label": "malignant" if p >= 0.5 else "benign", "p_malignant": round(float(p), 4)}
            for p in p_malignant
        ]
