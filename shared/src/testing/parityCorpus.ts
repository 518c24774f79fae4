import type { GraphDocumentInput } from '../graphSchema.ts';
import type { Json } from '../json.ts';

/**
 * Node programs that must behave the same in the browser preview (Pyodide) and on the server
 * (sandboxed CPython): same outputs, statuses, logs and error kinds. Each runs as a whole graph,
 * with each of its inputs, through both runtimes (client/src/python/parity.test.ts).
 */
export interface ParityCase {
  name: string;
  graph: GraphDocumentInput;
  inputs: Json[];
}

const py = (...lines: string[]) => `${lines.join('\n')}\n`;

/** input → step → step → ... → output. */
function chain(name: string, steps: string[], inputs: Json[]): ParityCase {
  const ids = ['input', ...steps.map((_, i) => `s${i + 1}`), 'output'];
  return {
    name,
    inputs,
    graph: {
      format: 'plinth.graph/v1',
      name: `parity-${name}`,
      nodes: [
        { id: 'input', type: 'input' },
        ...steps.map((code, i) => ({ id: `s${i + 1}`, type: 'python' as const, code })),
        { id: 'output', type: 'output' },
      ],
      edges: ids.slice(1).map((target, i) => ({ source: ids[i]!, target })),
    },
  };
}

/** input → decide (branch) → one of two steps → output, rejoined as an if/else. */
function ifElse(name: string, decide: string, yes: string, no: string, inputs: Json[]): ParityCase {
  return {
    name,
    inputs,
    graph: {
      format: 'plinth.graph/v1',
      name: `parity-${name}`,
      nodes: [
        { id: 'input', type: 'input' },
        { id: 'decide', type: 'branch', branches: ['yes', 'no'], code: decide },
        { id: 'on_yes', type: 'python', code: yes },
        { id: 'on_no', type: 'python', code: no },
        { id: 'output', type: 'output' },
      ],
      edges: [
        { source: 'input', target: 'decide' },
        { source: 'decide', branch: 'yes', target: 'on_yes' },
        { source: 'decide', branch: 'no', target: 'on_no' },
        { source: 'on_yes', target: 'output' },
        { source: 'on_no', target: 'output' },
      ],
    },
  };
}

export const PARITY_CORPUS: ParityCase[] = [
  // --- text ---
  chain(
    'text-case',
    [py('def process(data, ctx):', '    return {"upper": data.upper(), "title": data.title(), "len": len(data)}')],
    ['héllo wörld', ''],
  ),
  chain(
    'text-split-join',
    [py('def process(data, ctx):', '    words = data.split()', '    return "-".join(reversed(words))')],
    ['a quick brown fox', '  spaced   out  '],
  ),
  chain(
    'text-format',
    [py('def process(data, ctx):', "    return f\"{data['name']:>10}|{data['score']:.3f}|{data['n']:05d}\"")],
    [{ name: 'ada', score: 2 / 3, n: 42 }],
  ),
  chain(
    'text-unicode',
    [py('import unicodedata', 'def process(data, ctx):', '    return [unicodedata.name(c) for c in data]')],
    ['é€😀'],
  ),
  chain(
    'text-encode',
    [
      py(
        'import base64, hashlib',
        'def process(data, ctx):',
        '    raw = data.encode("utf-8")',
        '    return {"b64": base64.b64encode(raw).decode(), "sha256": hashlib.sha256(raw).hexdigest()}',
      ),
    ],
    ['plinth'],
  ),
  // --- JSON ---
  chain(
    'json-roundtrip',
    [py('import json', 'def process(data, ctx):', '    return json.loads(json.dumps(data, sort_keys=True))')],
    [{ b: [1, 2, { c: null }], a: true, z: 1.5 }],
  ),
  chain(
    'json-tuples-nested',
    [
      py(
        'def process(data, ctx):',
        '    return {"pairs": tuple((k, v) for k, v in sorted(data.items())), "depth": [[[data]]]}',
      ),
    ],
    [{ x: 1, y: 'two' }],
  ),
  chain(
    'json-big-ints-floats',
    [
      py(
        'def process(data, ctx):',
        '    return {"big": 2 ** 62, "neg": -(2 ** 53) - 1, "third": 1 / 3, "tiny": 5e-324, "exp": 1.5e300}',
      ),
    ],
    [null],
  ),
  chain('json-keys', [py('def process(data, ctx):', '    return {str(k): k * 2 for k in range(3)}')], [null]),
  // --- math ---
  chain(
    'math-stats',
    [
      py(
        'import statistics',
        'def process(data, ctx):',
        '    return {"mean": statistics.mean(data), "median": statistics.median(data), "stdev": round(statistics.stdev(data), 9)}',
      ),
    ],
    [[1, 2, 3, 4, 10]],
  ),
  chain(
    'math-functions',
    [
      py(
        'import math',
        'def process(data, ctx):',
        '    return [round(f(data), 12) for f in (math.sqrt, math.log, math.exp, math.sin, math.atan)]',
      ),
    ],
    [2.5],
  ),
  chain(
    'math-decimal-fraction',
    [
      py(
        'from decimal import Decimal',
        'from fractions import Fraction',
        'def process(data, ctx):',
        '    return {"decimal": str(Decimal(data) / 7), "fraction": str(Fraction(data).limit_denominator(100))}',
      ),
    ],
    ['3.14159'],
  ),
  chain(
    'math-random-seeded',
    [
      py(
        'import random',
        'def process(data, ctx):',
        '    rng = random.Random(data)',
        '    return [rng.random(), rng.randint(1, 100), rng.choice("abcdef")]',
      ),
    ],
    [42],
  ),
  // --- datetime ---
  chain(
    'datetime-parse',
    [
      py(
        'from datetime import datetime, timedelta, timezone',
        'def process(data, ctx):',
        '    t = datetime.fromisoformat(data).astimezone(timezone.utc)',
        '    return {"iso": (t + timedelta(days=40, hours=5)).isoformat(), "weekday": t.strftime("%A"), "week": t.isocalendar()[1]}',
      ),
    ],
    ['2026-12-02T13:45:00+01:00'],
  ),
  chain(
    'datetime-diff',
    [
      py(
        'from datetime import date',
        'def process(data, ctx):',
        '    a, b = (date.fromisoformat(d) for d in data)',
        '    return {"days": (b - a).days, "leap": b.year % 4 == 0}',
      ),
    ],
    [['2024-02-28', '2024-03-01']],
  ),
  chain(
    'datetime-calendar',
    [py('import calendar', 'def process(data, ctx):', '    return calendar.monthrange(data["year"], data["month"])')],
    [{ year: 2028, month: 2 }],
  ),
  // --- regex ---
  chain(
    'regex-extract',
    [py('import re', 'def process(data, ctx):', '    return re.findall(r"[\\w.+-]+@[\\w-]+\\.[\\w.]+", data)')],
    ['mail ada@example.org or bo.b+x@mail.co.uk, not @nope'],
  ),
  chain(
    'regex-groups',
    [
      py(
        'import re',
        'def process(data, ctx):',
        '    m = re.match(r"(?P<y>\\d{4})-(?P<m>\\d{2})", data)',
        '    return m.groupdict() if m else None',
      ),
    ],
    ['2026-12', 'no date'],
  ),
  chain(
    'regex-sub',
    [py('import re', 'def process(data, ctx):', '    return re.sub(r"\\s+", " ", data).strip()')],
    ['  many\t\tspaces \n here '],
  ),
  // --- errors ---
  chain(
    'error-keyerror',
    [py('def process(data, ctx):', '    print("looking up")', '    return data["missing"]')],
    [{ present: 1 }],
  ),
  chain(
    'error-zero-division',
    [py('def helper(x):', '    return 1 / x', '', 'def process(data, ctx):', '    return helper(data)')],
    [0, 4],
  ),
  chain(
    'error-custom',
    [
      py(
        'class Refused(Exception):',
        '    pass',
        '',
        'def process(data, ctx):',
        '    if data > 10:',
        '        raise Refused(f"{data} is too much")',
        '    return data',
      ),
    ],
    [5, 50],
  ),
  chain('error-not-json-set', [py('def process(data, ctx):', '    return {"tags": {1, 2}}')], [null]),
  chain('error-not-json-nan', [py('def process(data, ctx):', '    return float("nan")')], [null]),
  chain('error-syntax', [py('def process(data, ctx)', '    return data')], [1]),
  chain('error-no-process', [py('def handle(data, ctx):', '    return data')], [1]),
  chain(
    'error-in-second-node',
    [
      py('def process(data, ctx):', '    return {"n": data}'),
      py('def process(data, ctx):', '    return data["n"] + "text"'),
    ],
    [3],
  ),
  // --- async ---
  chain(
    'async-gather',
    [
      py(
        'import asyncio',
        'async def double(x):',
        '    await asyncio.sleep(0)',
        '    return x * 2',
        '',
        'async def process(data, ctx):',
        '    return await asyncio.gather(*(double(x) for x in data))',
      ),
    ],
    [[1, 2, 3]],
  ),
  chain(
    'async-raises',
    [
      py(
        'import asyncio',
        'async def process(data, ctx):',
        '    await asyncio.sleep(0)',
        '    raise ValueError("async failure")',
      ),
    ],
    [null],
  ),
  // --- state across nodes, logs ---
  chain(
    'state-across-nodes',
    [
      py(
        'def process(data, ctx):',
        '    ctx.state["seen"] = [data]',
        '    ctx.log("first", data)',
        '    return data + 1',
      ),
      py(
        'def process(data, ctx):',
        '    ctx.state["seen"].append(data)',
        '    print("second sees", ctx.state["seen"])',
        '    return {"seen": ctx.state["seen"], "run": ctx.run_id is not None, "version": ctx.version}',
      ),
    ],
    [1],
  ),
  chain(
    'state-module-level',
    [
      py(
        'TABLE = {i: i * i for i in range(10)}',
        'print("loaded table")',
        '',
        'def process(data, ctx):',
        '    return TABLE[data]',
      ),
    ],
    [3],
  ),
  // --- branches ---
  ifElse(
    'branch-threshold',
    py('def process(data, ctx):', '    return "yes" if data["score"] > 0.5 else "no"'),
    py('def process(data, ctx):', '    return {"decision": "approve", **data}'),
    py('def process(data, ctx):', '    return {"decision": "review", **data}'),
    [{ score: 0.9 }, { score: 0.1 }],
  ),
  ifElse(
    'branch-invalid-choice',
    py('def process(data, ctx):', '    return "maybe"'),
    py('def process(data, ctx):', '    return 1'),
    py('def process(data, ctx):', '    return 2'),
    [null],
  ),
  ifElse(
    'branch-state',
    py(
      'def process(data, ctx):',
      '    ctx.state["chosen"] = "yes" if data else "no"',
      '    return ctx.state["chosen"]',
    ),
    py('def process(data, ctx):', '    return "on yes after " + ctx.state["chosen"]'),
    py('def process(data, ctx):', '    return "on no after " + ctx.state["chosen"]'),
    [true, false],
  ),
];
