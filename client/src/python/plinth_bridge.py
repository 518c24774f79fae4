"""Glue between the Pyodide worker and the shared node runner.

The runner (sandbox-images/runner/plinth_runner.py) is the very file the server
runs, so a preview behaves like the published API. This module only adds what
the browser needs on top: JSON strings across the JS boundary, a cache of
loaded code, Python's own parser for syntax markers, and turning a Stop
(KeyboardInterrupt from the interrupt buffer) into a node error.
"""

import ast
import hashlib
import json

from plinth_runner import Runner

_runner = Runner()
# node id -> hash of the code currently loaded for it, so module-level code
# runs once per version of the code (as in a server worker), not per preview.
_loaded = {}

STOPPED = {
    "code": "node_failed",
    "message": "Stopped: the run was interrupted (KeyboardInterrupt)",
    "type": "KeyboardInterrupt",
}


def _problem(line, column, message, severity="error", end_line=None, end_column=None):
    problem = {"line": line or 1, "column": column or 1, "message": message, "severity": severity}
    if end_line:
        problem["endLine"] = end_line
    if end_column:
        problem["endColumn"] = end_column
    return problem


def check_syntax(code):
    """Parse, never run, the code; return a JSON list of problems."""
    try:
        tree = ast.parse(code, filename="<node>")
        # compile() (still without running anything) also catches what only the
        # compiler sees, such as `return` outside a function.
        compile(tree, "<node>", "exec", dont_inherit=True)
    except SyntaxError as e:
        return json.dumps([_problem(e.lineno, e.offset, e.msg, "error", e.end_lineno, e.end_offset)])
    except ValueError as e:  # e.g. a NUL byte in the source
        return json.dumps([_problem(1, 1, str(e))])
    defines_process = any(
        isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "process"
        for stmt in tree.body
    )
    if defines_process:
        return "[]"
    message = "No process(data, ctx) function: Plinth calls process with the node's input"
    return json.dumps([_problem(1, 1, message, "warning")])


def _dumps(outcome):
    try:
        return json.dumps(outcome, allow_nan=False)
    except (TypeError, ValueError) as e:
        error = {"code": "invalid_output", "message": f"the node's result is not JSON: {e}"}
        return json.dumps({"ok": False, "error": error, "logs": outcome.get("logs", [])})


def _as_outcome(result):
    if isinstance(result, dict) and "ok" in result:
        result.setdefault("logs", [])
        return result
    error = {"code": "worker_crashed", "message": f"the node runner answered {result!r}"}
    return {"ok": False, "error": error, "logs": []}


def _load(node_id, code):
    """Load the node's code unless this exact code is loaded already.

    The runner keeps a failed load's error for the node's calls; such a load is
    not cached, so the next preview tries again (say, after a Stop during slow
    module-level code).
    """
    key = hashlib.sha256(code.encode("utf-8")).hexdigest()
    if _loaded.get(node_id) == key:
        return
    _loaded.pop(node_id, None)
    if _runner.load(node_id, code) is None:
        _loaded[node_id] = key


async def run_node(node_id, code, data_json, ctx_json):
    """Call the node's process(data, ctx) once; answer with the outcome as JSON."""
    ctx = json.loads(ctx_json)
    try:
        _load(node_id, code)
        result = await _runner.call(node_id, json.loads(data_json), ctx, ctx["run_id"])
    except KeyboardInterrupt:
        # A Stop during module-level code leaves the node half-loaded: load it again next time.
        _loaded.pop(node_id, None)
        return json.dumps({"ok": False, "error": STOPPED, "logs": []})
    outcome = _as_outcome(result)
    error = outcome.get("error")
    if isinstance(error, dict) and error.get("type") == "KeyboardInterrupt":
        outcome["error"] = {**error, **STOPPED}
    return _dumps(outcome)


def end_run(run_id):
    _runner.end_run(run_id)
