"""Unit tests of the runner's Python API (what the browser's Pyodide worker calls directly).

Run: python3 -m unittest discover -s sandbox-images/runner   (Vitest runs it too.)
"""

import asyncio
import io
import json
import struct
import sys
import unittest

import plinth_runner
from plinth_runner import Runner

CTX = {"run_id": "r1", "graph": "g", "version": 3, "secrets": {"TOKEN": "t"}}


def call(runner, node_id, data=None, run_id="r1", ctx=CTX):
    return asyncio.run(runner.call(node_id, data, ctx, run_id))


class RunnerApiTest(unittest.TestCase):
    def test_import_has_no_side_effects(self):
        self.assertIs(sys.stdout, sys.__stdout__)
        self.assertEqual(plinth_runner.__all__, ["Runner", "serve"])

    def test_outputs_logs_and_state(self):
        runner = Runner()
        runner.load("n", "print('loading')\ndef process(data, ctx):\n    print('a', 1)\n    ctx.log('b', [2])\n"
                         "    ctx.state['k'] = ctx.state.get('k', 0) + 1\n    return {'k': ctx.state['k'], 't': (1, 2)}\n")
        first = call(runner, "n")
        self.assertEqual(first, {"ok": True, "output": {"k": 1, "t": (1, 2)}, "logs": [
            {"stream": "stdout", "text": "loading"},
            {"stream": "stdout", "text": "a 1"},
            {"stream": "log", "text": "b [2]"},
        ]})
        self.assertEqual(call(runner, "n")["output"]["k"], 2)
        runner.end_run("r1")
        self.assertEqual(call(runner, "n")["output"]["k"], 1)
        self.assertIs(sys.stdout, sys.__stdout__)  # capture is undone after each call

    def test_ctx_is_read_only(self):
        runner = Runner()
        runner.load("n", "def process(data, ctx):\n    return [ctx.run_id, ctx.graph, ctx.version, ctx.secrets['TOKEN']]\n")
        self.assertEqual(call(runner, "n")["output"], ["r1", "g", 3, "t"])
        runner.load("w", "def process(data, ctx):\n    ctx.version = 9\n")
        self.assertEqual(call(runner, "w")["error"]["type"], "AttributeError")
        runner.load("s", "def process(data, ctx):\n    ctx.secrets['TOKEN'] = 'x'\n")
        self.assertEqual(call(runner, "s")["error"]["type"], "TypeError")

    def test_non_json_outputs_are_named(self):
        runner = Runner()
        cases = {
            "{'tags': {1}}": ("set", "set at output['tags']"),
            "[1, b'x']": ("bytes", "bytes at output[1]"),
            "{'a': [float('inf')]}": ("float", "float inf at output['a'][0]"),
            "{'a': {2: 'x'}}": ("int", "dict key 2 (int; keys must be str) at output['a']"),
            "object()": ("object", "object at output"),
        }
        for expr, (type_name, where) in cases.items():
            runner.load("bad", f"def process(data, ctx):\n    return {expr}\n")
            error = call(runner, "bad")["error"]
            self.assertEqual(error["code"], "invalid_output", expr)
            self.assertEqual(error["type"], type_name, expr)
            self.assertEqual(error["message"], f"node 'bad' returned a value that is not JSON: {where}", expr)

    def test_tracebacks_show_only_the_nodes_lines(self):
        runner = Runner()
        runner.load("f", "import json\n\ndef process(data, ctx):\n    return json.loads(data)\n")
        error = call(runner, "f", "{oops")["error"]
        self.assertEqual((error["code"], error["type"], error["line"]), ("node_failed", "JSONDecodeError", 4))
        self.assertIn('File "<node f>", line 4, in process', error["traceback"])
        self.assertNotIn("json/decoder.py", error["traceback"])
        self.assertNotIn("plinth_runner", error["traceback"])

    def test_load_errors_are_reported_by_every_call(self):
        runner = Runner()
        runner.load("m", "print('before')\nraise RuntimeError('no model file')\n")
        first = call(runner, "m")
        self.assertEqual(first["error"]["message"], "RuntimeError: no model file")
        self.assertEqual(first["error"]["line"], 2)
        self.assertEqual(first["logs"], [{"stream": "stdout", "text": "before"}])
        self.assertEqual(call(runner, "m")["error"]["message"], "RuntimeError: no model file")
        runner.load("p", "x = 1\n")
        self.assertIn("does not define process(data, ctx)", call(runner, "p")["error"]["message"])

    def test_async_process(self):
        runner = Runner()
        runner.load("a", "import asyncio\nasync def process(data, ctx):\n    await asyncio.sleep(0)\n    return data + 1\n")
        self.assertEqual(call(runner, "a", 1)["output"], 2)
        self.assertEqual(runner.call_blocking("a", 5, CTX, "r2")["output"], 6)


def serve_frames(frames):
    """Runs `serve` over `frames` and returns its replies, decoded."""
    stdin = io.BytesIO(b"".join(struct.pack(">I", len(b)) + b for b in (json.dumps(f).encode() for f in frames)))
    stdout = io.BytesIO()
    plinth_runner.serve(stdin, stdout)
    out = stdout.getvalue()
    replies = []
    while out:
        (n,) = struct.unpack(">I", out[:4])
        replies.append(json.loads(out[4:4 + n]))
        out = out[4 + n:]
    return replies


# Returns what JSON can only carry after a round trip: tuples, subclasses of str/int/float, shared parts.
ODD_VALUES = """import enum
class Colour(str, enum.Enum):
    RED = 'red'
class Count(int):
    def __str__(self):
        return 'not me'
class Ratio(float):
    def __repr__(self):
        return 'not me'
SHARED = [1, 2]
def process(data, ctx):
    return {'pair': (1, (2, 3)), 'colour': Colour.RED, 'count': Count(4), 'ratio': Ratio(0.5),
            'a': SHARED, 'b': SHARED, 'nested': {'t': ({'k': True},)}}
"""

# Describes what it received, as plain JSON, so the reply shows every type the node saw.
DESCRIBE = """def kinds(value):
    if isinstance(value, dict):
        return {k: kinds(v) for k, v in value.items()}
    if isinstance(value, list):
        return [kinds(v) for v in value]
    return type(value).__name__ + ':' + str(value) if not isinstance(value, tuple) else 'tuple'
def process(data, ctx):
    data['a'].append('mutated')  # 'b' must not change with it: JSON has no shared parts
    return {'kinds': kinds(data), 'a_is_b': data['a'] is data['b']}
"""


class ServeTest(unittest.TestCase):
    def test_frames_in_frames_out(self):
        replies = serve_frames([
            {"op": "load", "protocol": 2, "nodes": [{"id": "x", "code": "def process(data, ctx):\n    return data * 2\n"}]},
            {"op": "call", "id": 7, "run": "r", "node": "x", "data": 21, "ctx": CTX},
            {"op": "end", "run": "r"},
        ])
        self.assertEqual(replies, [{"ok": True, "protocol": 2}, {"id": 7, "ok": True, "logs": [], "output": 42}])

    def test_a_chained_node_sees_what_a_round_trip_would_give(self):
        load = {"op": "load", "protocol": 2, "nodes": [{"id": "odd", "code": ODD_VALUES}, {"id": "describe", "code": DESCRIBE}]}
        chained = serve_frames([
            {**load, "follow": {"odd": "describe"}},
            {"op": "call", "id": 1, "run": "r", "node": "odd", "data": None, "ctx": CTX, "chain": True},
            # A second run: had `describe` been handed the node's own SHARED list, it would show the mutation.
            {"op": "call", "id": 2, "run": "r2", "node": "odd", "data": None, "ctx": CTX, "chain": True},
        ])
        # The same two nodes called one by one, the output passing through JSON text in between.
        odd = serve_frames([load, {"op": "call", "id": 1, "run": "r", "node": "odd", "data": None, "ctx": CTX}])[1]
        by_hand = serve_frames([load, {"op": "call", "id": 1, "run": "r", "node": "describe",
                                       "data": odd["output"], "ctx": CTX}])[1]
        self.assertEqual(chained[1], odd)
        self.assertEqual(chained[2], {**by_hand, "node": "describe"})
        self.assertEqual(chained[2]["output"]["kinds"], {
            "pair": ["int:1", ["int:2", "int:3"]], "colour": "str:red", "count": "int:4", "ratio": "float:0.5",
            "a": ["int:1", "int:2", "str:mutated"], "b": ["int:1", "int:2"], "nested": {"t": [{"k": "bool:True"}]},
        })
        self.assertFalse(chained[2]["output"]["a_is_b"])
        self.assertEqual(chained[3], odd | {"id": 2})
        self.assertEqual(chained[4], {**by_hand, "id": 2, "node": "describe"})

    def test_a_branch_successor_gets_the_branch_input_as_it_arrived(self):
        replies = serve_frames([
            {"op": "load", "protocol": 2, "follow": {"pick": {"yes": "after"}}, "nodes": [
                {"id": "pick", "code": "def process(data, ctx):\n    data['x'].append(9)\n    return 'yes'\n"},
                {"id": "after", "code": "def process(data, ctx):\n    return data\n"},
            ]},
            {"op": "call", "id": 3, "run": "r", "node": "pick", "data": {"x": [1, (2,)]}, "ctx": CTX, "chain": True},
        ])
        self.assertEqual(replies[1:], [
            {"id": 3, "ok": True, "logs": [], "output": "yes"},
            {"id": 3, "ok": True, "logs": [], "node": "after", "output": {"x": [1, [2]]}},
        ])


if __name__ == "__main__":
    unittest.main()
