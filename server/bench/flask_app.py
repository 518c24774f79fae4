"""The hand-written Flask app the benchmark compares Plinth against.

It does per request exactly what the published benchmark graph does: check the
Bearer key (sha256 of the key looked up in a set, as Plinth stores keys hashed),
check the input against the same rules as the graph's input schema, then call
features -> score -> decide -> approve | review and answer the same JSON:
the value of the step that ran, as Plinth's output node gets it (approve and
review are alternatives of one branch, so their value arrives unwrapped).

The step functions are not copies: they are the node code of bench-graph.json,
compiled once at import, so both sides run the very same Python.

Run: BENCH_API_KEY=... /usr/bin/gunicorn -w 2 -b 127.0.0.1:8000 flask_app:app
"""

import hashlib
import json
import os
import pathlib
import types

from flask import Flask, jsonify, request

GRAPH = json.loads(pathlib.Path(__file__).with_name("bench-graph.json").read_text())
KEY_HASHES = {hashlib.sha256(os.environ["BENCH_API_KEY"].encode()).hexdigest()}


def _load_step(node_id):
    code = next(n["code"] for n in GRAPH["nodes"] if n["id"] == node_id)
    namespace = {"__name__": node_id}
    exec(compile(code, node_id, "exec"), namespace)
    return namespace["process"]


features = _load_step("features")
score = _load_step("score")
decide = _load_step("decide")
FINALIZE = {"approve": _load_step("approve"), "review": _load_step("review")}

app = Flask(__name__)


def _error(status, code, message):
    return jsonify({"error": {"code": code, "message": message}}), status


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _input_problems(data):
    """The graph's input schema, checked by hand as a Flask app would."""
    if not isinstance(data, dict):
        return ["the input must be an object"]
    problems = []
    amount = data.get("amount")
    if "amount" not in data:
        problems.append("amount is required")
    elif not (isinstance(amount, (int, float)) and not isinstance(amount, bool)) or amount < 0:
        problems.append("amount must be a number >= 0")
    if "country" in data and not isinstance(data["country"], str):
        problems.append("country must be a string")
    for field in ("account_age_days", "prior_chargebacks"):
        if field in data and not (_is_int(data[field]) and data[field] >= 0):
            problems.append(f"{field} must be an integer >= 0")
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
    ctx = types.SimpleNamespace(state={})  # one scratch space per request, like ctx.state
    scored = score(features(data, ctx), ctx)
    branch = decide(scored, ctx)
    return jsonify(FINALIZE[branch](scored, ctx))
