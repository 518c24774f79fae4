"""Plinth model server: serves one model package (Truss's layout) in a sandboxed worker.

Stdlib only, plus whatever the package itself imports. It speaks the same framing as the
node runner (4-byte big-endian length + UTF-8 JSON) on stdin/stdout:

    {"op": "load", "protocol": 1, "package": "/model", "config": {...}, "secrets": {...},
     "concurrency": n}                       -> {"ok": true, "protocol": 1, "logs": [...], "load_ms": ...}
                                                or {"ok": false, "error": {...}, "logs": [...]}
    {"op": "predict", "id": n, "input": ...} -> {"id": n, "ok": true, "output": ...}
                                                or {"id": n, "ok": false, "error": {...}}

`load()` runs once; its output is captured and sent back. Up to `concurrency` predictions run
at once: in threads for a sync model, on one event loop for an async one. Run with `check` as
its only argument it instead reads one frame {"op": "check", "package": ..., "config": ...,
"requirements": [...]} and answers {"problems": [...], "missing": [...]} without importing
any of the package's code (the source is read with `ast`).
"""

import ast
import asyncio
import importlib.metadata
import importlib.util
import inspect
import io
import json
import math
import os
import pathlib
import re
import struct
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

PROTOCOL_VERSION = 1
_HEADER = struct.Struct(">I")
_MAX_DEPTH = 200


# -- JSON: what a prediction may return -------------------------------------------------
class NotJson(TypeError):
    """A prediction's value that cannot be sent as JSON."""


def to_json(value, path="output", depth=0):
    """A JSON-ready copy of `value`: numpy arrays become lists and numpy scalars plain numbers,
    as Truss's encoder does; anything else that is not JSON raises TypeError naming where."""
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is int:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise NotJson(f"{value!r} at {path} is not a JSON number")
        return value
    if depth > _MAX_DEPTH:
        raise NotJson(f"the value at {path} is nested more than {_MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotJson(f"the dict key {key!r} at {path} is a {type(key).__name__}; keys must be str")
            out[key] = to_json(item, f"{path}[{key!r}]", depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [to_json(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
    if kind.__module__ == "numpy" and hasattr(value, "tolist"):
        # ndarray -> nested lists, numpy scalar (int64, float32, bool_) -> int/float/bool
        return to_json(value.tolist(), path, depth)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):  # bool and int subclasses such as IntEnum
        return bool(value) if isinstance(value, bool) else int(value)
    if isinstance(value, float):
        return to_json(float(value), path, depth)
    raise NotJson(
        f"{path} is a {kind.__module__}.{kind.__qualname__}, which is not JSON; return dicts, lists, "
        "strings, numbers, booleans, None or numpy arrays"
    )


# -- secrets, as Truss hands them to __init__ -----------------------------------------------
class SecretNotFound(KeyError):
    pass


class Secrets(dict):
    """The declared secrets; reading one without a value raises, naming what to do."""

    def __getitem__(self, name):
        value = self.get(name)
        if not value:
            raise SecretNotFound(
                f"secret '{name}' has no value: declare it under `secrets:` in config.yaml and set it "
                "on the server (POST /api/v1/secrets)"
            )
        return value


# -- output capture during load() ----------------------------------------------------------
class _Lines(io.TextIOBase):
    def __init__(self, stream, logs):
        self._stream, self._logs, self._partial = stream, logs, ""

    def writable(self):
        return True

    def write(self, text):
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        self._logs.extend({"stream": self._stream, "text": line} for line in lines)
        return len(text)

    def flush_partial(self):
        if self._partial:
            self._logs.append({"stream": self._stream, "text": self._partial})
            self._partial = ""


def _package_traceback(exc, root):
    """The traceback with only the package's own frames, and the innermost line of model.py."""
    te = traceback.TracebackException.from_exception(exc)
    frames = [f for f in te.stack if f.filename.startswith(root)]
    if frames:
        te.stack = traceback.StackSummary.from_list(frames)
    text = "".join(te.format()).replace(root + "/", "")
    return text


def _error(code, exc, root):
    summary = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return {"code": code, "message": summary, "type": type(exc).__name__, "traceback": _package_traceback(exc, root)}


# -- the model -----------------------------------------------------------------------------
class ModelHost:
    """One package's Model: imported, constructed as Truss does, loaded once, then called."""

    def __init__(self, root, config, secrets, concurrency):
        self.root = root
        self.config = config
        self.secrets = Secrets(secrets or {})
        self.concurrency = max(1, int(concurrency or 1))
        self.model = None
        self.loop = None
        self.threads = None
        self.inline = False

    def _module(self):
        model_dir = pathlib.Path(self.root, self.config.get("model_module_dir") or "model")
        for extra in [self.config.get("bundled_packages_dir") or "packages", *self.config.get("external_package_dirs", [])]:
            path = pathlib.Path(self.root, extra)
            if path.is_dir():
                sys.path.append(str(path))
        sys.path.append(self.root)
        file = model_dir / (self.config.get("model_class_filename") or "model.py")
        spec = importlib.util.spec_from_file_location(file.stem, file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[file.stem] = module
        spec.loader.exec_module(module)
        return module

    def load(self):
        module = self._module()
        cls = getattr(module, self.config.get("model_class_name") or "Model")
        self.model = cls(**self._init_args(cls))
        if any(inspect.iscoroutinefunction(getattr(self.model, m, None)) for m in ("load", "predict", "preprocess", "postprocess")):
            self.loop = asyncio.new_event_loop()
            threading.Thread(target=self.loop.run_forever, name="model-loop", daemon=True).start()
        self.threads = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="predict")
        # A sync model that takes one prediction at a time runs it on the main thread.
        self.inline = self.loop is None and self.concurrency == 1
        load = getattr(self.model, "load", None)
        if load is not None:
            self._call(load)

    def _init_args(self, cls):
        try:
            params = inspect.signature(cls).parameters
        except (TypeError, ValueError):
            return {}
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        offered = {
            "config": self.config.get("raw", self.config),
            "data_dir": pathlib.Path(self.root, self.config.get("data_dir") or "data"),
            "secrets": self.secrets,
            "environment": None,
        }
        return {k: v for k, v in offered.items() if takes_any or k in params}

    def _call(self, method, *args):
        """Calls a model method from a worker thread: async ones on the model's loop."""
        if inspect.iscoroutinefunction(method):
            return asyncio.run_coroutine_threadsafe(method(*args), self.loop).result()
        value = method(*args)
        if inspect.isawaitable(value):
            return asyncio.run_coroutine_threadsafe(_awaited(value), self.loop).result()
        return value

    def predict(self, model_input):
        """preprocess -> predict -> postprocess, whichever the model defines; JSON out."""
        value = model_input
        for name in ("preprocess", "predict", "postprocess"):
            method = getattr(self.model, name, None)
            if method is not None:
                value = self._call(method, value)
        if inspect.isgenerator(value) or inspect.isasyncgen(value):
            raise NotJson("predict returned a generator (a stream); Plinth answers with one JSON value")
        return to_json(value)


async def _awaited(awaitable):
    return await awaitable


# -- the package check (no user code runs) ------------------------------------------------------
def check(frame):
    root, config = frame["package"], frame.get("config") or {}
    problems = []
    model_dir = config.get("model_module_dir") or "model"
    rel = f"{model_dir}/{config.get('model_class_filename') or 'model.py'}"
    class_name = config.get("model_class_name") or "Model"
    path = pathlib.Path(root, rel)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append({"path": rel, "message": f"{rel} is missing: it must define `class {class_name}` with a `predict` method"})
        source = None
    except (UnicodeDecodeError, OSError) as exc:
        problems.append({"path": rel, "message": f"{rel} cannot be read as UTF-8 Python: {exc}"})
        source = None
    if source is not None:
        problems.extend(_check_source(source, rel, class_name))
    return {"problems": problems, "missing": missing_requirements(frame.get("requirements") or [])}


def _check_source(source, rel, class_name):
    try:
        tree = ast.parse(source, filename=rel)
    except SyntaxError as exc:
        return [{"path": f"{rel}:{exc.lineno}", "message": f"syntax error: {exc.msg}"}]
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name]
    if not classes:
        return [{"path": rel, "message": f"{rel} does not define `class {class_name}` at module level"}]
    cls = classes[-1]
    methods = {n.name: n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    problems = []
    if "predict" not in methods and not cls.bases:
        problems.append({"path": f"{rel}:{cls.lineno}", "message": f"class {class_name} has no `predict(self, model_input)` method"})
    for name in ("predict", "preprocess", "postprocess"):
        fn = methods.get(name)
        if fn is not None and len(fn.args.args) + len(fn.args.posonlyargs) < 2 and fn.args.vararg is None:
            problems.append({"path": f"{rel}:{fn.lineno}", "message": f"{class_name}.{name} must take the input: `def {name}(self, model_input)`"})
    return problems


_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*(;.*)?$")


def missing_requirements(requirements):
    """The requirements this Python cannot satisfy, each with why (not installed, other version)."""
    missing = []
    for line in requirements:
        match = _REQUIREMENT.match(line)
        if not match:
            missing.append({"requirement": line, "reason": "is not a requirement this check understands (name and version specifiers)"})
            continue
        name, spec = match.group(1), match.group(3)
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append({"requirement": line, "reason": f"{name} is not installed"})
            continue
        for clause in filter(None, (c.strip() for c in spec.split(","))):
            if not _satisfies(installed, clause):
                missing.append({"requirement": line, "reason": f"{name} {installed} is installed"})
                break
    return missing


def _version_key(text):
    parts = []
    for piece in re.split(r"[.+-]", text):
        number = re.match(r"\d+", piece)
        parts.append(int(number.group()) if number else -1)
    while parts and parts[-1] == 0:
        parts.pop()
    return parts


def _satisfies(installed, clause):
    match = re.match(r"(===|==|!=|~=|>=|<=|>|<)\s*(.+)", clause)
    if not match:
        return False
    op, wanted = match.groups()
    if op in ("==", "===", "!=") and wanted.endswith(".*"):
        prefix = _version_key(wanted[:-2])
        same = _version_key(installed)[: len(prefix)] == prefix
        return same if op != "!=" else not same
    a, b = _version_key(installed), _version_key(wanted)
    if op == "~=":
        return a >= b and a[: max(1, len(b) - 1)] == b[: max(1, len(b) - 1)]
    return {"==": a == b, "===": installed == wanted, "!=": a != b, ">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]


# -- the protocol ---------------------------------------------------------------------------
class Server:
    def __init__(self, read, write):
        self.read, self.write = read, write
        self.lock = threading.Lock()
        self.host = None
        self.budget = _cpu_budget()

    def next_frame(self):
        header = self.read(4)
        if len(header) < 4:
            return None
        (length,) = _HEADER.unpack(header)
        body = self.read(length)
        return json.loads(body.decode()) if len(body) == length else None

    def send(self, message):
        data = json.dumps(message, allow_nan=False, separators=(",", ":")).encode()
        with self.lock:
            self.write(_HEADER.pack(len(data)) + data)

    def serve(self):
        while True:
            frame = self.next_frame()
            if frame is None:
                return
            op = frame.get("op")
            if op == "predict":
                if self.host.inline:
                    self.on_predict(frame["id"], frame.get("input"))  # one at a time: no thread hop
                else:
                    self.host.threads.submit(self.on_predict, frame["id"], frame.get("input"))
            elif op == "load":
                self.on_load(frame)
            elif op == "check":
                self.send(check(frame))
                return
            else:
                self.send({"ok": False, "error": {"code": "internal", "message": f"unknown op {op!r}"}})

    def on_load(self, frame):
        if frame.get("protocol") != PROTOCOL_VERSION:
            self.send({"ok": False, "protocol": PROTOCOL_VERSION, "error": {"code": "protocol_mismatch",
                       "message": f"this model server speaks protocol {PROTOCOL_VERSION}, the server sent {frame.get('protocol')!r}"}})
            return
        root = frame["package"]
        self.host = ModelHost(root, frame.get("config") or {}, frame.get("secrets"), frame.get("concurrency"))
        logs = []
        out, err = _Lines("stdout", logs), _Lines("stderr", logs)
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        started = time.perf_counter()
        try:
            self.host.load()
            error = None
        except BaseException as exc:  # the model's load must never take the protocol down
            error = _error("load_failed", exc, root)
        finally:
            out.flush_partial()
            err.flush_partial()
            # After load, prints go to the worker's stderr (the server's log), never into answers.
            sys.stdout = sys.stderr = saved[1]
        reply = {"ok": error is None, "protocol": PROTOCOL_VERSION, "logs": logs,
                 "load_ms": round((time.perf_counter() - started) * 1000, 1)}
        if error is not None:
            reply["error"] = error
        self.send(reply)

    def on_predict(self, request_id, model_input):
        reply = {"id": request_id}
        try:
            reply["output"] = self.host.predict(model_input)
            reply["ok"] = True
        except BaseException as exc:
            reply["ok"] = False
            code = "invalid_output" if isinstance(exc, NotJson) else "model_failed"
            reply["error"] = _error(code, exc, self.host.root)
        if self.budget is not None and time.process_time() > self.budget:
            reply["retire"] = True
        self.send(reply)


def _cpu_budget():
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_CPU)
    except (ImportError, OSError, ValueError):
        return None
    return None if soft == resource.RLIM_INFINITY or soft <= 0 else soft * 0.8


def main():
    # The protocol's fds are kept away from the model: fd 0 -> /dev/null, fd 1 -> stderr.
    in_fd, out_fd = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    reader = io.open(in_fd, "rb", buffering=1 << 16)

    def write(data):
        view = memoryview(data)
        while view:
            view = view[os.write(out_fd, view):]

    Server(reader.read, write).serve()


if __name__ == "__main__":
    main()
