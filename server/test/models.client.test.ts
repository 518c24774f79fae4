import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestServer, type TestServer } from './harness.ts';
import { settled } from './modelFixtures.ts';

const run = promisify(execFile);
const CLIENT_DIR = fileURLToPath(new URL('../../sandbox-images/python-client/', import.meta.url));

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

/**
 * Runs a Python script (a file, so inspect finds its classes' source, as in a notebook) with the
 * client importable and the server in PLINTH_URL/PLINTH_TOKEN; its stdout's last line as JSON.
 */
async function python(source: string): Promise<unknown> {
  const script = path.join(mkdtempSync(path.join(tmpdir(), 'plinth-notebook-')), 'notebook.py');
  writeFileSync(script, source);
  const { stdout } = await run('/usr/bin/python3', [script], {
    env: { PATH: '/usr/bin:/bin', PYTHONPATH: CLIENT_DIR, PLINTH_URL: s.url, PLINTH_TOKEN: s.token, HOME: '/tmp' },
    timeout: 240_000,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

const TRAIN = `
import json, plinth
import numpy as np
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
X, y = load_iris(return_X_y=True)
`;

/** input → prepare (python) → the model node → decide (branch) → answer → output. */
function irisGraph(name: string) {
  return {
    format: 'plinth.graph/v1',
    name,
    nodes: [
      { id: 'input', type: 'input' },
      { id: 'prepare', type: 'python', code: 'def process(data, ctx):\n    return [data["measurements"]]\n' },
      { id: 'classify', type: 'model', model: 'iris-sk', modelVersion: null, timeoutMs: 20000 },
      {
        id: 'decide',
        type: 'branch',
        branches: ['setosa', 'other'],
        code: 'def process(labels, ctx):\n    return "setosa" if labels[0] == 0 else "other"\n',
      },
      { id: 'setosa', type: 'python', code: 'def process(labels, ctx):\n    return {"species": "setosa"}\n' },
      {
        id: 'other',
        type: 'python',
        code: 'def process(labels, ctx):\n    return {"species": "not setosa", "class": labels[0]}\n',
      },
      { id: 'output', type: 'output' },
    ],
    edges: [
      { source: 'input', target: 'prepare' },
      { source: 'prepare', target: 'classify' },
      { source: 'classify', target: 'decide' },
      { source: 'decide', branch: 'setosa', target: 'setosa' },
      { source: 'decide', branch: 'other', target: 'other' },
      { source: 'setosa', target: 'output' },
      { source: 'other', target: 'output' },
    ],
  };
}

describe('a model trained in a notebook, deployed with the Python client, called from a graph', () => {
  it('deploys, predicts, serves a graph, takes a new version, pins it per graph version and rolls back', async () => {
    // v1: a real scikit-learn classifier, trained here, shipped with joblib by plinth.deploy.
    const first = await python(`${TRAIN}
model = LogisticRegression(max_iter=1000).fit(X, y)
deployed = plinth.deploy(model, name="iris-sk", example_input=X[:2])
print(json.dumps({"deployed": deployed, "local": model.predict(X[:3]).tolist(), "remote": plinth.predict("iris-sk", X[:3])}))
`);
    expect(first).toMatchObject({ deployed: { name: 'iris-sk', version: 1, status: 'ready' } });
    const { local, remote } = first as { local: number[]; remote: number[] };
    expect(remote).toEqual(local);

    const v1 = await json(await s.request('GET', '/api/v1/models/iris-sk/versions/1'));
    expect(v1.config.requirements).toEqual(expect.arrayContaining([expect.stringMatching(/^scikit-learn==\d/)]));
    expect(v1.buildLog.join('\n')).toContain("satisfied by the server's Python");
    expect(v1.config.exampleInput).toHaveLength(2);

    // Wired into a graph, published, invoked with an API key.
    expect((await s.request('POST', '/api/v1/graphs', { body: irisGraph('iris-flow') })).status).toBe(201);
    expect(await json(await s.request('POST', '/api/v1/graphs/iris-flow/versions'))).toMatchObject({ version: 1 });
    const { key } = await json(await s.request('POST', '/api/v1/keys', { body: { name: 'app' } }));
    const invoke = (version?: number) =>
      s.request('POST', `/api/v1/graphs/iris-flow${version ? `/versions/${version}` : ''}/invoke`, {
        body: { measurements: [5.1, 3.5, 1.4, 0.2] },
        auth: key,
      });
    const answered = await invoke();
    expect(answered.status).toBe(200);
    expect(await json(answered)).toEqual({ species: 'setosa' });
    expect(await json(await s.request('GET', '/api/v1/graphs/iris-flow/versions'))).toEqual([
      expect.objectContaining({ version: 1, live: true, models: { 'iris-sk': 1 } }),
    ]);

    // v2: "a model that always says virginica" (any object with predict, pickled with its source).
    const second = await python(`${TRAIN}
class AlwaysVirginica:
    def predict(self, rows):
        return [2 for _ in rows]

deployed = plinth.deploy(AlwaysVirginica(), name="iris-sk")
print(json.dumps({"deployed": deployed, "remote": plinth.predict("iris-sk", X[:2])}))
`);
    expect(second).toEqual({ deployed: { name: 'iris-sk', version: 2, status: 'ready' }, remote: [2, 2] });
    expect((await json(await s.request('GET', '/api/v1/models/iris-sk'))).liveVersion).toBe(2);

    // Graph v1 pinned model v1 when it was published: it still answers setosa.
    expect(await json(await invoke(1))).toEqual({ species: 'setosa' });
    // A graph version published now pins v2.
    await s.request('POST', '/api/v1/graphs/iris-flow/versions');
    expect(await json(await invoke())).toEqual({ species: 'not setosa', class: 2 });
    // Both pinned versions keep their workers.
    expect(s.plinth.models.runtime.keys().sort()).toEqual(['iris-sk@v1', 'iris-sk@v2']);

    // Roll the model back: the live predict endpoint answers with v1 again.
    const promoted = await s.request('POST', '/api/v1/models/iris-sk/versions/1/promote');
    expect(await json(promoted)).toEqual({ version: 1 });
    const predicted = await s.request('POST', '/api/v1/models/iris-sk/predict', {
      body: [[5.1, 3.5, 1.4, 0.2]],
      auth: key,
    });
    expect(predicted.headers.get('plinth-model-version')).toBe('1');
    expect(await json(predicted)).toEqual([0]);
    // The draft (not pinned) calls the live version.
    const trace = await json(
      await s.request('POST', '/api/v1/graphs/iris-flow/test', {
        body: { input: { measurements: [5.1, 3.5, 1.4, 0.2] } },
      }),
    );
    expect(trace.output).toEqual({ species: 'setosa' });
  }, 300_000);

  it('deploys a PyTorch module as its state_dict and class source', async () => {
    const answer = await python(`
import json, plinth, torch
from torch import nn

class Tiny(nn.Module):
    def __init__(self, width=3):
        super().__init__()
        self.linear = nn.Linear(2, width)

    def forward(self, x):
        return self.linear(x)

torch.manual_seed(0)
net = Tiny(width=3)
deployed = plinth.deploy(net, name="tiny-torch", init_kwargs={"width": 3})
x = [[1.0, 2.0]]
with torch.no_grad():
    local = net(torch.tensor(x)).tolist()
print(json.dumps({"deployed": deployed, "local": local, "remote": plinth.predict("tiny-torch", x)}))
`);
    const { deployed, local, remote } = answer as { deployed: unknown; local: number[][]; remote: number[][] };
    expect(deployed).toEqual({ name: 'tiny-torch', version: 1, status: 'ready' });
    expect(remote[0]!.map((v) => v.toFixed(5))).toEqual(local[0]!.map((v) => v.toFixed(5)));
  }, 300_000);

  it('raises DeployError with the traceback when load() fails, and the server shows it', async () => {
    const answer = await python(`
import json, plinth

class Broken:
    def __init__(self):
        self.weights = [0.5, 0.25]

    def predict(self, rows):
        return rows

    def __setstate__(self, state):
        raise RuntimeError("weights are corrupt")

try:
    plinth.deploy(Broken(), name="broken-pickle")
    print(json.dumps({"raised": None}))
except plinth.DeployError as error:
    print(json.dumps({"raised": str(error)}))
`);
    const raised = (answer as { raised: string }).raised;
    expect(raised).toContain("model 'broken-pickle' v1 failed");
    expect(raised).toContain('RuntimeError: weights are corrupt');
    expect(raised).toContain('model/model.py');
    const info = await settled(s, 'broken-pickle', 1);
    expect(info.status).toBe('failed');
    expect(info.error.traceback).toContain('weights are corrupt');
  }, 300_000);

  it('serves the client at /client/plinth.py', async () => {
    const res = await fetch(`${s.url}/client/plinth.py`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('def deploy(model, name');
  });
});
