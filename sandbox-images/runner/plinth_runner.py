"""Plinth node runner: runs the Python code of graph nodes.

One stdlib-only file used everywhere Plinth runs Python: the server's sandboxed
CPython workers, the containers built from sandbox-images/, and Pyodide in the
browser. Importing it has no side effects; running it as a script serves the
framed protocol on stdin/stdout:

    frame = 4-byte big-endian unsigned length + UTF-8 JSON
    {"op": "load", "nodes": [{"id": ..., "code": ...}]}           -> {"ok": true}
    {"op": "call", "id": n, "run": r, "node": id, "data": ..., "ctx": {...}}
                                                                   -> {"id": n, "ok": ..., ...}
    {"op": "end", "run": r}                                        -> (no reply)

`ctx` may be left out of a call after the first call of a run: the runner keeps
one context per run until `end`.

Chaining (published graphs): the load frame may carry `"follow": {node: next}` where
`next` is a node id (a python node's sole successor, fed its output) or
`{branch value: node id}` (a branch's successor, fed the branch's own input). A call
with `"chain": true` then goes on to the successor without waiting for the server and
sends one reply per node (`"node"` names the successor). The server computes `follow`
from the executor's own order, so this is exactly the run the executor would do.
"""

import builtins
import io
import json
import linecache
import math
import os
import re
import struct
import sys
import time
import traceback
import types

__all__ = ["Runner", "serve"]

_HEADER = struct.Struct(">I")
_MAX_DEPTH = 200
_finite = math.isfinite


class _LineCapture(io.TextIOBase):
    """A text stream that turns writes into one log entry per line."""

    def __init__(self, stream):
        self._stream = stream
        self._partial = ""
        self.logs = None  # the current call's log list, set by the runner

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if "\n" not in text:
            self._partial += text
            return len(text)
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        logs = self.logs
        if logs is not None:
            stream = self._stream
            for line in lines:
                logs.append({"stream": stream, "text": line})
        return len(text)

    def flush_partial(self):
        if self._partial:
            if self.logs is not None:
                self.logs.append({"stream": self._stream, "text": self._partial})
            self._partial = ""


class Context:
    """What a node's `process(data, ctx)` receives as `ctx`."""

    __slots__ = ("_state", "_secrets", "_run_id", "_graph", "_version", "_runner")

    def __init__(self, runner, run_id, graph, version, secrets):
        self._runner = runner
        self._state = {}
        self._secrets = types.MappingProxyType(dict(secrets or {}))
        self._run_id = run_id
        self._graph = graph
        self._version = version

    @property
    def state(self):
        """One dict shared by every node of this run (the run's scratch space)."""
        return self._state

    @property
    def secrets(self):
        return self._secrets

    @property
    def run_id(self):
        return self._run_id

    @property
    def graph(self):
        return self._graph

    @property
    def version(self):
        return self._version

    def log(self, *args):
        """Like print, but the entry is marked as coming from ctx.log."""
        logs = self._runner._logs
        if logs is not None:
            logs.append({"stream": "log", "text": " ".join(str(a) for a in args)})

    def __repr__(self):
        return f"<plinth ctx run_id={self._run_id!r} graph={self._graph!r} version={self._version!r}>"


class _Node:
    __slots__ = ("id", "filename", "process", "error", "pending_logs")

    def __init__(self, node_id):
        self.id = node_id
        self.filename = f"<node {node_id}>"
        self.process = None
        self.error = None
        self.pending_logs = None


def _node_traceback(exc, filename):
    """Format `exc` keeping only the node's own frames; returns (text, innermost line)."""
    te = traceback.TracebackException.from_exception(exc)
    seen = set()
    pending = [te]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        current.stack = traceback.StackSummary.from_list(
            [frame for frame in current.stack if frame.filename == filename]
        )
        pending.append(current.__cause__)
        pending.append(current.__context__)
    line = te.stack[-1].lineno if te.stack else None
    return "".join(te.format()), line


def _exception_error(exc, node):
    text, line = _node_traceback(exc, node.filename)
    summary = traceback.format_exception_only(type(exc), exc)[-1].strip()
    if isinstance(exc, SyntaxError):
        line = exc.lineno
    elif line is None and node.process is not None:
        # Raised before entering the node's code (e.g. a wrong process() signature).
        line = getattr(getattr(node.process, "__code__", None), "co_firstlineno", None)
    error = {"code": "node_failed", "message": summary, "type": type(exc).__name__, "traceback": text}
    if line is not None:
        error["line"] = line
    return error


def _json_problem(value, depth=0):
    """Find the first non-JSON part of `value`: None, or ([path parts, innermost first], type name, detail).

    The path is only built on the way out of a failure, so checking a valid value allocates nothing.
    """
    kind = type(value)
    if kind is dict:
        if depth > _MAX_DEPTH:
            return _too_deep(kind)
        for key, item in value.items():
            if type(key) is not str:
                name = type(key).__name__
                return [], name, f"dict key {key!r} ({name}; keys must be str)"
            t = type(item)
            if t is str or t is int or t is bool or item is None or (t is float and _finite(item)):
                continue
            found = _json_problem(item, depth + 1)
            if found is not None:
                found[0].append(f"[{key!r}]")
                return found
        return None
    if kind is list or kind is tuple:
        if depth > _MAX_DEPTH:
            return _too_deep(kind)
        for index, item in enumerate(value):
            t = type(item)
            if t is str or t is int or t is bool or item is None or (t is float and _finite(item)):
                continue
            found = _json_problem(item, depth + 1)
            if found is not None:
                found[0].append(f"[{index}]")
                return found
        return None
    if kind is str or kind is int or kind is bool or value is None:
        return None
    if isinstance(value, float):
        return None if _finite(value) else ([], "float", f"float {value!r}")
    if isinstance(value, (str, int)):
        return None  # str/int subclasses (e.g. enums) serialise as their value
    return [], kind.__name__, kind.__name__


_PLAIN = frozenset((str, int, float, bool, type(None)))


def _json_copy(value):
    """What `json.loads(json.dumps(value))` gives for a value `_json_problem` accepted, without the text.

    Tuples become lists, str/int/float subclasses their plain values, and no part is shared with
    `value`: a successor sees exactly what it would after a round trip through the server.
    """
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _PLAIN else _json_copy(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [item if type(item) in _PLAIN else _json_copy(item) for item in value]
    if kind in _PLAIN:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    return float.__float__(value)


def _too_deep(kind):
    return [], kind.__name__, f"{kind.__name__} nested more than {_MAX_DEPTH} levels deep (is it circular?)"


def _invalid_output(node_id, problem):
    parts, type_name, detail = problem
    path = "output" + "".join(reversed(parts))
    return {
        "code": "invalid_output",
        "message": f"node '{node_id}' returned a value that is not JSON: {detail} at {path}",
        "type": type_name,
    }


class Runner:
    """Loads nodes once and calls their `process(data, ctx)`; one interpreter, many runs."""

    def __init__(self, own_stdio=False):
        """`own_stdio`: the process belongs to this runner (serve), so sys.stdout/stderr stay captured."""
        self._own_stdio = own_stdio
        self._nodes = {}
        self._runs = {}
        self._logs = None
        self._stdout = _LineCapture("stdout")
        self._stderr = _LineCapture("stderr")
        if own_stdio:
            sys.stdout, sys.stderr = self._stdout, self._stderr

    # -- capture ---------------------------------------------------------
    def _capture_start(self, logs):
        self._logs = logs
        self._stdout.logs = logs
        self._stderr.logs = logs
        if self._own_stdio:
            return None
        saved = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = self._stdout, self._stderr
        return saved

    def _capture_stop(self, saved):
        self._stdout.flush_partial()
        self._stderr.flush_partial()
        if saved is not None:
            sys.stdout, sys.stderr = saved
        self._logs = self._stdout.logs = self._stderr.logs = None

    # -- API -------------------------------------------------------------
    def load(self, node_id, code):
        """Compile and run a node's module once; errors are kept for its calls.

        Returns the load's error (a dict, as a call would report it) or None.
        """
        node = _Node(node_id)
        self._nodes[node_id] = node
        linecache.cache[node.filename] = (len(code), None, code.splitlines(True), node.filename)
        module = types.ModuleType(f"plinth_node_{node_id}")
        module.__file__ = node.filename
        sys.modules[module.__name__] = module
        logs = []
        saved = self._capture_start(logs)
        try:
            exec(compile(code, node.filename, "exec"), module.__dict__)
        except BaseException as exc:  # a node's module must never take the runner down
            node.error = _exception_error(exc, node)
        finally:
            self._capture_stop(saved)
        node.pending_logs = logs or None
        if node.error is None:
            process = module.__dict__.get("process")
            if callable(process):
                node.process = process
            else:
                node.error = {
                    "code": "node_failed",
                    "message": f"node '{node_id}' does not define process(data, ctx); add "
                    "`def process(data, ctx):` returning the node's output",
                    "type": "NameError",
                }
        return node.error

    def _begin(self, node_id, ctx, run_id):
        """Return (node, context, logs) for a call, or a finished error result."""
        node = self._nodes.get(node_id)
        if node is None:
            return {"ok": False, "logs": [], "error": {
                "code": "node_failed", "message": f"node '{node_id}' was not loaded into this worker"}}
        logs = node.pending_logs or []
        node.pending_logs = None
        if node.error is not None:
            return {"ok": False, "error": node.error, "logs": logs}
        context = self._runs.get(run_id)
        if context is None:
            ctx = ctx or {}
            context = Context(self, run_id, ctx.get("graph"), ctx.get("version"), ctx.get("secrets"))
            self._runs[run_id] = context
        return node, context, logs

    def _finish(self, node, value, logs):
        problem = _json_problem(value)
        if problem is not None:
            return {"ok": False, "error": _invalid_output(node.id, problem), "logs": logs}
        return {"ok": True, "output": value, "logs": logs}

    def _steps(self, node_id, data, ctx, run_id):
        """The body of a call, written once: a generator that yields `process`'s awaitable when it
        is `async def` (the caller awaits it and sends the value back) and returns the result."""
        begun = self._begin(node_id, ctx, run_id)
        if type(begun) is dict:
            return begun
        node, context, logs = begun
        saved = self._capture_start(logs)
        try:
            value = node.process(data, context)
            if hasattr(value, "__await__"):
                value = yield value
        except BaseException as exc:
            self._capture_stop(saved)
            return {"ok": False, "error": _exception_error(exc, node), "logs": logs}
        self._capture_stop(saved)
        return self._finish(node, value, logs)

    async def call(self, node_id, data, ctx, run_id):
        """Call a node's process(data, ctx); awaits it when it is `async def` (Pyodide)."""
        steps = self._steps(node_id, data, ctx, run_id)
        try:
            awaitable = next(steps)
        except StopIteration as done:
            return done.value
        try:
            value = await awaitable
        except BaseException as exc:
            return _resume(steps, error=exc)
        return _resume(steps, value=value)

    def call_blocking(self, node_id, data, ctx, run_id):
        """`call` without an event loop unless the node is async (the server's hot path)."""
        steps = self._steps(node_id, data, ctx, run_id)
        try:
            awaitable = next(steps)
        except StopIteration as done:
            return done.value
        try:
            value = _default_loop().run_until_complete(_await(awaitable))
        except BaseException as exc:
            return _resume(steps, error=exc)
        return _resume(steps, value=value)

    def state_of(self, run_id):
        """The run's ctx.state (a dict), creating the run's context if needed."""
        context = self._runs.get(run_id)
        return None if context is None else context._state

    def replace_state(self, run_id, state, ctx):
        """Set a run's ctx.state to `state` (changed by nodes in another worker)."""
        context = self._runs.get(run_id)
        if context is None:
            ctx = ctx or {}
            context = Context(self, run_id, ctx.get("graph"), ctx.get("version"), ctx.get("secrets"))
            self._runs[run_id] = context
        context._state = state if isinstance(state, dict) else {}

    def end_run(self, run_id):
        """Forget a run's ctx.state."""
        self._runs.pop(run_id, None)


async def _await(awaitable):
    return await awaitable


def _resume(steps, value=None, error=None):
    """Finish a call's generator after its awaitable: send the value in, or throw the error in."""
    try:
        if error is not None:
            steps.throw(error)
        else:
            steps.send(value)
    except StopIteration as done:
        return done.value
    raise RuntimeError("a node call awaited twice")  # _steps yields once


_loop = None


def _default_loop():
    # One persistent loop, so module-level asyncio objects keep working across calls.
    global _loop
    if _loop is None:
        import asyncio

        _loop = asyncio.new_event_loop()
        asyncio.set_event_loop(_loop)
    return _loop


def _cpu_budget():
    """Seconds of CPU after which the worker asks to be replaced before RLIMIT_CPU kills it."""
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_CPU)
    except (ImportError, OSError, ValueError):
        return None
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return None
    return soft * 0.8


def _protect_stdio():
    """Keep the protocol's fds away from user code: fd 0 -> /dev/null, fd 1 -> stderr."""
    in_fd = os.dup(0)
    out_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, "r")
    return io.open(in_fd, "rb", buffering=1 << 16), out_fd


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _protocol_dumps():
    """Compact JSON text, no NaN: json's own encoder, minus the C encoder it builds on every call."""
    encoder = json.JSONEncoder(allow_nan=False, separators=(",", ":"))
    slow = encoder.encode
    make = getattr(json.encoder, "c_make_encoder", None)
    try:
        # No circularity markers: outputs pass `_json_problem` first, and a cycle still ends in RecursionError.
        fast = make(None, encoder.default, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, False)
        probe = {"a": [1, 2.5, None, True, "\u00e9\n"], "b": -0.0, "c": {}}
        if "".join(fast(probe, 0)) != slow(probe):
            return slow
    except Exception:  # no C accelerator, or another signature: json's own encoder will do
        return slow
    join = "".join
    return lambda value: join(fast(value, 0))


def _use_site_packages():
    """Put a node's virtualenv (PLINTH_SITE_PACKAGES, mounted read-only by the server) on sys.path.

    As a venv would: ahead of the system's site-packages, so `pkg==x` wins over Debian's copy,
    behind the standard library, and with its .pth files honoured (site.addsitedir).
    """
    venv = os.environ.get("PLINTH_SITE_PACKAGES")
    if not venv:
        return
    import site

    before = list(sys.path)
    site.addsitedir(venv)
    added = [entry for entry in sys.path if entry not in before]
    system = [i for i, entry in enumerate(before) if entry.endswith(("site-packages", "dist-packages"))]
    at = system[0] if system else len(before)
    sys.path[:] = before[:at] + added + before[at:]


PROTOCOL_VERSION = 2
_FRAME_HEAD = re.compile(rb'\{"op":"(\w+)","id":(\d+)')


class _UnreadableFrame(Exception):
    def __init__(self, head, error):
        super().__init__(str(error))
        self.head = head
        self.error = error


class _Server:
    """The framed protocol over one pair of streams: read a frame, act on it, reply."""

    def __init__(self, read, write, own_stdio):
        self.read = read
        self.write = write
        self.runner = Runner(own_stdio=own_stdio)
        self.loads = json.JSONDecoder().decode  # str in: the server only ever sends UTF-8
        self.dumps = _protocol_dumps()
        self.budget = _cpu_budget()
        self.follow = {}
        self.node_tags = {}

    def serve(self):
        while True:
            try:
                frame = self.next_frame()
            except _UnreadableFrame as bad:
                self.refuse(bad)
                continue
            if frame is None:
                return
            op = frame.get("op")
            if op == "call":
                self.on_call(frame)
            elif op == "end":
                self.runner.end_run(frame["run"])
            elif op == "load":
                self.on_load(frame)
            else:
                self.send(self.dumps({"ok": False, "error": {"code": "internal", "message": f"unknown op {op!r}"}}).encode())

    def next_frame(self):
        """The next frame as a dict, or None once the input is closed."""
        header = self.read(4)
        if len(header) < 4:
            return None
        (length,) = _HEADER.unpack(header)
        body = self.read(length)
        if len(body) < length:
            return None
        try:
            return self.loads(body.decode())
        except (RecursionError, ValueError, MemoryError) as exc:
            # Nothing the server sends should be unreadable (it bounds nesting), but no input may
            # take the worker down: answer the call it was, by the id at the head of the frame.
            raise _UnreadableFrame(body[:64], exc) from None

    def refuse(self, bad):
        head = _FRAME_HEAD.match(bad.head)
        if head is None or head.group(1) != b"call":
            raise bad.error
        detail = "nested too deeply" if isinstance(bad.error, RecursionError) else type(bad.error).__name__
        self.send(self.dumps({"id": int(head.group(2)), "ok": False, "logs": [], "error": {
            "code": "node_failed", "type": type(bad.error).__name__,
            "message": f"the worker could not read the node's input ({detail}); nothing was run"}}).encode())

    def send(self, reply):
        self.write(_HEADER.pack(len(reply)) + reply)

    def on_load(self, frame):
        protocol = frame.get("protocol")
        if protocol != PROTOCOL_VERSION:
            message = f"this runner speaks protocol {PROTOCOL_VERSION}, the server sent {protocol!r}"
            self.send(self.dumps({"ok": False, "protocol": PROTOCOL_VERSION, "error": {
                "code": "protocol_mismatch", "message": message}}).encode())
            return
        for node in frame.get("nodes", ()):
            self.runner.load(node["id"], node["code"])
        self.follow = frame.get("follow") or {}
        self.send(b'{"ok":true,"protocol":%d}' % PROTOCOL_VERSION)

    def on_call(self, frame):
        """Run the called node and, with `chain`, the successors the follow table names."""
        call_id, node_id, run, ctx = frame["id"], frame["node"], frame["run"], frame.get("ctx")
        data = frame.get("data")
        if "state" in frame:
            self.runner.replace_state(run, frame["state"], ctx)
        chain = bool(frame.get("chain"))
        want_state = bool(frame.get("want_state"))
        tag = False
        while True:
            after = self.follow.get(node_id) if chain else None
            # A branch's successor gets the branch's input as it arrived, whatever process did to it.
            snapshot = _json_copy(data) if type(after) is dict else None
            result = self.runner.call_blocking(node_id, data, ctx, run)
            reply, ok = self.encode(result, call_id, node_id, tag, run if want_state else None)
            self.send(reply)
            if after is None or not ok:
                return
            if type(after) is dict:
                label = result["output"]
                node_id = after.get(label) if isinstance(label, str) else None
                if node_id is None:
                    return
                data = snapshot
            else:
                node_id, data = after, _json_copy(result["output"])
            tag, ctx = True, None

    def encode(self, result, call_id, node_id, tag, state_run):
        """The reply frame and whether the node succeeded (its output and state are JSON after all)."""
        dumps = self.dumps
        retire = self.budget is not None and time.process_time() > self.budget
        if result["ok"]:
            try:
                out = dumps(result["output"])
            except (TypeError, ValueError, RecursionError) as exc:
                result = _failed(result, "invalid_output", type(exc).__name__,
                                 f"node '{node_id}' returned a value that is not JSON: {exc}")
            else:
                state = ""
                if state_run is not None:
                    state, problem = self.state_text(state_run, node_id)
                    if problem is not None:
                        result = _failed(result, "invalid_output", problem[0], problem[1])
            if result["ok"]:
                # The common reply, assembled as text: one `dumps` of the output and nothing else.
                logs = result["logs"]
                node = ""
                if tag:
                    node = self.node_tags.get(node_id)
                    if node is None:
                        node = self.node_tags[node_id] = ',"node":' + dumps(node_id)
                text = '{"id":%s,"ok":true,"logs":%s%s%s%s,"output":%s}' % (
                    call_id if type(call_id) is int else dumps(call_id),
                    dumps(logs) if logs else "[]",
                    node,
                    ',"retire":true' if retire else "",
                    state,
                    out,
                )
                return text.encode(), True
        head = {"id": call_id, "ok": False, "logs": result["logs"]}
        if tag:
            head["node"] = node_id
        if retire:
            head["retire"] = True
        head["error"] = result["error"]
        return dumps(head).encode(), False

    def state_text(self, run, node_id):
        """`,"state":...` for a reply, or a problem when ctx.state holds something that is not JSON."""
        state = self.runner.state_of(run)
        if state is None:
            return "", None
        problem = _json_problem(state)
        if problem is None:
            try:
                return ',"state":' + self.dumps(state), None
            except (TypeError, ValueError, RecursionError) as exc:
                problem = ([], type(exc).__name__, str(exc))
        parts, type_name, detail = problem
        where = "ctx.state" + "".join(reversed(parts))
        return "", (type_name, (
            f"node '{node_id}' left a value in ctx.state that is not JSON ({detail} at {where}); "
            "this graph's nodes run in separate workers (some use network: true or their own requirements), "
            "so ctx.state travels between them as JSON"))


def _failed(result, code, type_name, message):
    return {"ok": False, "logs": result["logs"], "error": {"code": code, "type": type_name, "message": message}}


def serve(stdin=None, stdout=None):
    """Serve the framed protocol until stdin closes. Pass binary streams to use others."""
    _use_site_packages()
    if stdin is None and stdout is None:
        reader, out_fd = _protect_stdio()
        write = lambda data: _write_all(out_fd, data)  # noqa: E731
    else:
        reader = stdin if stdin is not None else sys.stdin.buffer
        stream = stdout if stdout is not None else sys.stdout.buffer

        def write(data):
            stream.write(data)
            stream.flush()

    _Server(reader.read, write, own_stdio=stdin is None and stdout is None).serve()


if __name__ == "__main__":
    serve()
