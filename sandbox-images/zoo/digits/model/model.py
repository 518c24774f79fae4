"""A digit recogniser, fitted at load time on scikit-learn's 8x8 digits (deterministic)."""
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression


class Model:
    def __init__(self, **kwargs):
        self._model = None

    def load(self):
        digits = load_digits()
        self._model = LogisticRegression(max_iter=3000)
        self._model.fit(digits.data / 16.0, digits.target)
        print(f"fitted on {len(digits.target)} images")

    def predict(self, model_input):
        rows = model_input["rows"] if isinstance(model_input, dict) else model_input
        probabilities = self._model.predict_proba([[pixel / 16.0 for pixel in row] for row in rows])
        return [
            {"digit": int(p.argmax()), "confidence": round(float(p.max()), 4)}
            for p in probabilities
        ]
