"""The hand-written Flask app the model benchmark compares a Plinth graph with a model node against.

Per request it does what the published graph does: check the Bearer key (sha256, as Plinth stores
keys), check the input against the same rules as the graph's input schema, then features ->
the payment-risk model -> decide -> approve | review, and answer the same JSON. The steps are the
node code of the sample graph (server/samples/payment-scoring.json), compiled once at import, and
the model is the zoo's payment-risk package itself (its Model class, loaded once per worker), so
both sides run the very same Python and the very same scikit-learn model.

Run: BENCH_API_KEY=... /usr/bin/gunicorn -w 2 -b 127.0.0.1:8000 flask_model_app:app
"""

import hashlib
import importlib.util
import json
import os
import pathlib
import types

from flask import Flask, jsonify, request

HERE = pathlib.Path(__file__).resolve().parent
GRAPH = json.loads((HERE.parent / "samples" / "payment-scoring.json").read_text())
ZOO = HERE.parent.parent / "sandbox-images" / "zoo" / "payment-risk"
KEY_HASHES = {hashlib.sha256(os.environ["BENCH_API_KEY"].encode()).hexdigest()}


def _load_step(node_id):
    code = next(n["code"] for n in GRAPH["nodes"] if n["id"] == node_id)
    namespace = {"__name__": node_id}
    exec(compile(code, node_id, "exec"), namespace)
    return namespace["process"]


def _load_model():
    spec = importlib.util.spec_from_file_location("payment_risk_model", ZOO / "model" / "model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.Model(data_dir=ZOO / "data")
    model.load()
    return model


features = _load_step("features")
decide = _load_step("decide")
FINALIZE = {"approve": _load_step("approve"), "review": _load_step("review")}
MODEL = _load_model()

app = Flask(__name__)


def _error(status, code, message):
    return jsonify({"error": {"code": code, "message": message}}), status


def _input_problems(data):
    if not isinstance(data, dict):
        return ["the input must be an object"]
    problems = []
    amount = data.get("amount")
    if "amount" not in data:
        problems.append("amount is required")
    elif not (isinstance(amount, (int, float)) and not isinstance(amount, bool)) or amount < 0:
        problems.append("amount must be a number >= 0")
    country = data.get("country")
    if "country" in data and not (isinstance(country, str) and len(country) == 2):
        problems.append("country must be a 2-letter string")
    age = data.get("customer_age_days")
    if "customer_age_days" in data and not (isinstance(age, int) and not isinstance(age, bool) and age >= 0):
        problems.append("customer_age_days must be an integer >= 0")
    return problems


@app.post("/invoke")
def invoke():
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return _error(401, "unauthorized", "send Authorization: Bearer <key>")
    if hashlib.sha256(auth[7:].strip().encode()).hexdigest() not in KEY_HASHES:
        return _error(403, "forbidden", "the API key is not valid")
    data = request.get_json(silent=True)
    problems = _input_problems(data)
    if data is None or problems:
        return _error(400, "invalid_input", "; ".join(problems) or "the body must be JSON")
    ctx = types.SimpleNamespace(state={}, log=lambda *args: None)
    scored = MODEL.predict(features(data, ctx))
    return jsonify(FINALIZE[decide(scored, ctx)](scored, ctx))
