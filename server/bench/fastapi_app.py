"""The same hand-written app as flask_app.py, as one would write it today: FastAPI on uvicorn.

Per request it does what flask_app.py (and the published benchmark graph) does: check the Bearer
key against a sha256 hash, check the input by hand against the graph's input schema, call
features -> score -> decide -> approve | review (the node code of bench-graph.json itself,
compiled once at import) and answer the same JSON, with the same statuses for a missing key (401),
a wrong key (403) and input failing the schema (400).

Run: BENCH_API_KEY=... /usr/bin/uvicorn --workers 2 --port 8000 fastapi_app:app
"""

import hashlib
import json
import types

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from flask_app import FINALIZE, KEY_HASHES, _input_problems, decide, features, score

app = FastAPI()


def _error(status, code, message):
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


@app.get("/")
async def root():
    return {"ok": True}


@app.post("/invoke")
async def invoke(request: Request):
    auth = request.headers.get("authorization", "")
    if not auth.startswith("Bearer "):
        return _error(401, "unauthorized", "send Authorization: Bearer <key>")
    if hashlib.sha256(auth[7:].strip().encode()).hexdigest() not in KEY_HASHES:
        return _error(403, "forbidden", "the API key is not valid")
    try:
        data = json.loads(await request.body())
    except ValueError:
        data = None
    problems = _input_problems(data)
    if data is None or problems:
        return _error(400, "invalid_input", "; ".join(problems) or "the body must be JSON")
    ctx = types.SimpleNamespace(state={})  # one scratch space per request, like ctx.state
    scored = score(features(data, ctx), ctx)
    branch = decide(scored, ctx)
    return FINALIZE[branch](scored, ctx)
