import { execFile } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestServer, type TestServer } from './harness.ts';
import { settled, upload, writePackage } from './modelFixtures.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../bin/plinth.js', import.meta.url));

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ PLINTH_MODEL_TIMEOUT_MS: '2000' });
});
afterAll(() => s?.close());

const ECHO = `class Model:
    def predict(self, model_input):
        return model_input
`;

/** Uploads a package and waits for it to settle; the version's info. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function deploy(files: Record<string, string>, query = ''): Promise<any> {
  const res = await upload(s, writePackage(files), query);
  const created = await json(res);
  if (res.status !== 201) throw new Error(`upload refused: ${JSON.stringify(created)}`);
  return settled(s, created.name, created.version);
}

describe('a package is checked before anything runs', () => {
  it('lists every problem of a wrong package with where it is, and stores nothing', async () => {
    const res = await upload(
      s,
      writePackage({
        'config.yaml': [
          'model_name: wrong-one',
          'resources:',
          '  memory: lots',
          '  gpus: 2',
          'predict_concurrency: "many"',
          'build_commands: ["make weights"]',
          'flavour: vanilla',
        ].join('\n'),
        'model/model.py': 'import os\n\nclass Model:\n    def load(self):\n        pass\n',
      }),
    );
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('invalid_package');
    const paths = (error.problems as { path: string; message: string }[]).map((p) => p.path).sort();
    expect(paths).toEqual(
      [
        'config.yaml: flavour',
        'config.yaml: predict_concurrency',
        'config.yaml: resources.gpus',
        'config.yaml: resources.memory',
        'model/model.py:3',
      ].sort(),
    );
    expect((await s.request('GET', '/api/v1/models/wrong-one')).status).toBe(404);

    // Past the config: model.py is read with ast (in a sandboxed worker), never run.
    const noPredict = await upload(
      s,
      writePackage({
        'config.yaml': 'model_name: no-predict\nbuild_commands: ["make"]\n',
        'model/model.py': 'raise SystemExit("never runs")\n\nclass Model:\n    def load(self):\n        pass\n',
      }),
    );
    const refused = (await json(noPredict)).error;
    expect(refused.problems).toEqual([
      { path: 'config.yaml: build_commands', message: expect.stringContaining('runs no build commands') },
      { path: 'model/model.py:3', message: 'class Model has no `predict(self, model_input)` method' },
    ]);
  });

  it('says where YAML breaks, and what is missing', async () => {
    const badYaml = await json(
      await upload(s, writePackage({ 'config.yaml': 'model_name: x\nresources: [unclosed\n', 'model/model.py': ECHO })),
    );
    expect(badYaml.error.problems[0]).toMatchObject({ path: expect.stringMatching(/^config\.yaml:\d+$/) });
    expect(badYaml.error.problems[0].message).toContain('not valid YAML');
    const empty = await json(await upload(s, writePackage({ 'README.md': 'nothing here' })));
    expect(empty.error.problems).toEqual([
      { path: 'config.yaml', message: expect.stringContaining('missing') },
      { path: 'model/model.py', message: expect.stringContaining('missing') },
    ]);
    const syntax = await json(
      await upload(
        s,
        writePackage({
          'config.yaml': 'model_name: syn\n',
          'model/model.py': 'class Model:\n    def predict(self, x)\n',
        }),
      ),
    );
    expect(syntax.error.problems).toEqual([
      { path: 'model/model.py:2', message: expect.stringContaining('syntax error') },
    ]);
  });

  it('refuses links out of the package', async () => {
    const dir = writePackage({ 'config.yaml': 'model_name: linky\n', 'model/model.py': ECHO });
    symlinkSync('/etc/passwd', `${dir}/data`);
    const res = await upload(s, dir);
    expect(res.status).toBe(400);
    expect((await json(res)).error.problems).toEqual([{ path: './data', message: expect.stringContaining('a link') }]);
  });

  it("fails on requirements neither the server's Python nor pip can satisfy, naming them and quoting pip", async () => {
    const info = await deploy({
      'config.yaml':
        'model_name: needs-more\nrequirements:\n  - numpy\n  - surely-not-installed==1.0\n  - scikit-learn==0.1\n',
      'model/model.py': ECHO,
    });
    expect(info.status).toBe('failed');
    expect(info.error.message).toContain('surely-not-installed==1.0: surely-not-installed is not installed');
    expect(info.error.message).toMatch(/scikit-learn==0\.1: scikit-learn 1\.\d+\.\d+ is installed/);
    expect(info.error.message).not.toContain('numpy:');
    expect(info.error.message).toContain('pip could not install them');
  });

  it('fails a use_gpu package on a machine without a GPU, saying so', async () => {
    const info = await deploy({
      'config.yaml': 'model_name: wants-gpu\nresources:\n  use_gpu: true\n',
      'model/model.py': ECHO,
    });
    expect(info.status).toBe('failed');
    expect(info.error.message).toContain('this machine has no NVIDIA GPU');
  });
});

describe('loading and serving', () => {
  it('shows a load() that raises as failed, with its output and traceback', async () => {
    const info = await deploy({
      'config.yaml': 'model_name: load-fails\n',
      'model/model.py': [
        'class Model:',
        '    def load(self):',
        '        print("reading weights")',
        '        raise ValueError("weights.bin is missing")',
        '',
        '    def predict(self, model_input):',
        '        return model_input',
        '',
      ].join('\n'),
    });
    expect(info.status).toBe('failed');
    expect(info.loadLog).toEqual([{ stream: 'stdout', text: 'reading weights' }]);
    expect(info.error.message).toContain('ValueError: weights.bin is missing');
    expect(info.error.traceback).toContain('model/model.py", line 4, in load');
    const predict = await s.request('POST', '/api/v1/models/load-fails/predict', { body: [1] });
    expect(predict.status).toBe(422);
    expect((await json(predict)).error.code).toBe('model_unavailable');
  });

  it('answers 504 for a predict past its timeout and replaces the worker', async () => {
    const info = await deploy({
      'config.yaml': 'model_name: sleepy\n',
      'model/model.py':
        'import time\n\nclass Model:\n    def predict(self, seconds):\n        time.sleep(seconds)\n        return seconds\n',
    });
    expect(info.status).toBe('ready');
    const slow = await s.request('POST', '/api/v1/models/sleepy/predict', { body: 30 });
    expect(slow.status).toBe(504);
    expect((await json(slow)).error).toMatchObject({
      code: 'model_timeout',
      message: expect.stringContaining('2000 ms'),
    });
    // The next prediction gets a new worker (the replacement loads the model again).
    const quick = await s.request('POST', '/api/v1/models/sleepy/predict', { body: 0 });
    expect(quick.status).toBe(200);
    expect(await json(quick)).toBe(0);
  });

  it('runs a Truss-shaped package unchanged: packages/, secrets, metadata, async and pre/postprocess', async () => {
    await s.request('POST', '/api/v1/secrets', { body: { name: 'api_token', value: 's3cret' } });
    const info = await deploy({
      'config.yaml': [
        'environment_variables:',
        '  GREETING: hello',
        'external_package_dirs: []',
        'model_metadata:',
        '  example_model_input: {"x": 1}',
        'model_name: Truss Shaped',
        'python_version: py311',
        'requirements: []',
        'resources:',
        '  accelerator: null',
        "  cpu: '1'",
        '  memory: 2Gi',
        'runtime:',
        '  predict_concurrency: 2',
        'secrets:',
        '  api_token: null',
        'system_packages: []',
        '',
      ].join('\n'),
      'model/__init__.py': '',
      'packages/helpers/__init__.py': '',
      'packages/helpers/maths.py': 'def double(x):\n    return 2 * x\n',
      'model/model.py': [
        'import os',
        'from typing import Any, Dict',
        '',
        'from helpers.maths import double',
        '',
        '',
        'class Model:',
        '    def __init__(self, **kwargs) -> None:',
        '        self._data_dir = kwargs["data_dir"]',
        '        self._config = kwargs["config"]',
        '        self._secrets = kwargs["secrets"]',
        '',
        '    async def load(self):',
        '        print("loading", self._config["model_metadata"]["example_model_input"])',
        '',
        '    async def preprocess(self, model_input: Dict):',
        '        return {"preprocess_value": "value", **model_input}',
        '',
        '    async def predict(self, model_input: Any) -> Dict:',
        '        import numpy as np',
        '        return {**model_input, "doubled": double(model_input["x"]), "token": self._secrets["api_token"],',
        '                "greeting": os.environ["GREETING"], "array": np.arange(3), "scalar": np.float32(0.5)}',
        '',
        '    def postprocess(self, response: Dict):',
        '        return {"postprocess_value": "value", **response}',
        '',
      ].join('\n'),
    });
    expect(info).toMatchObject({ status: 'ready', loadLog: [{ stream: 'stdout', text: "loading {'x': 1}" }] });
    expect(info.config).toMatchObject({ exampleInput: { x: 1 }, predictConcurrency: 2, resources: { memoryMb: 2048 } });
    const models = await json(await s.request('GET', '/api/v1/models'));
    expect(models).toContainEqual(
      expect.objectContaining({ name: 'truss-shaped', status: 'ready', exampleInput: { x: 1 } }),
    );
    const answer = await s.request('POST', '/api/v1/models/truss-shaped/predict', { body: { x: 21 } });
    expect(await json(answer)).toEqual({
      postprocess_value: 'value',
      preprocess_value: 'value',
      x: 21,
      doubled: 42,
      token: 's3cret',
      greeting: 'hello',
      array: [0, 1, 2],
      scalar: 0.5,
    });
    const openapi = await json(await s.request('GET', '/api/v1/models/truss-shaped/openapi.json'));
    expect(Object.keys(openapi.paths)).toContain('/api/v1/models/truss-shaped/predict');
    expect(
      openapi.paths['/api/v1/models/truss-shaped/predict'].post.requestBody.content['application/json'].example,
    ).toEqual({ x: 1 });
  });

  it('refuses a predict that returns something that is not JSON, saying what and where', async () => {
    await deploy({
      'config.yaml': 'model_name: sets\n',
      'model/model.py': 'class Model:\n    def predict(self, model_input):\n        return {"labels": {1, 2}}\n',
    });
    const res = await s.request('POST', '/api/v1/models/sets/predict', { body: 1 });
    expect(res.status).toBe(422);
    expect((await json(res)).error).toMatchObject({
      code: 'invalid_output',
      message: expect.stringContaining("output['labels'] is a builtins.set"),
    });
  });

  it('honours predict_concurrency: N slow predictions overlap, the next one waits', async () => {
    const info = await deploy({
      'config.yaml': 'model_name: parallel\npredict_concurrency: 3\n',
      'model/model.py': [
        'import time',
        '',
        'class Model:',
        '    def predict(self, model_input):',
        '        started = time.monotonic()',
        '        time.sleep(0.6)',
        '        return [started, time.monotonic()]',
        '',
      ].join('\n'),
    });
    expect(info.status).toBe('ready');
    const spans = (await Promise.all(
      [1, 2, 3, 4].map(async () => json(await s.request('POST', '/api/v1/models/parallel/predict', { body: null }))),
    )) as [number, number][];
    spans.sort((a, b) => a[0] - b[0]);
    const [a, b, c, d] = spans as [[number, number], [number, number], [number, number], [number, number]];
    // The first three ran at once (each started before the others ended) ...
    expect(Math.max(a[0], b[0], c[0])).toBeLessThan(Math.min(a[1], b[1], c[1]));
    // ... and the fourth started only once one of them had ended.
    expect(d[0]).toBeGreaterThanOrEqual(Math.min(a[1], b[1], c[1]));
  });
});

describe('npx plinth deploy', () => {
  it('deploys a folder and prints its status until ready; a failure exits non-zero with the log', async () => {
    const dir = writePackage({
      'config.yaml': 'model_name: from-cli\nexample_input: [1, 2]\n',
      'model/model.py':
        'class Model:\n    def load(self):\n        print("cli load")\n\n    def predict(self, xs):\n        return [x * 10 for x in xs]\n',
    });
    const env = { PATH: process.env.PATH!, PLINTH_URL: s.url, PLINTH_TOKEN: s.token };
    const ok = await run(process.execPath, [CLI, 'deploy', dir], { env, timeout: 120_000 });
    expect(ok.stdout).toContain('model from-cli v1: building');
    expect(ok.stdout).toContain('model from-cli v1: ready');
    expect(ok.stdout).toContain('load(): cli load');
    expect(await json(await s.request('POST', '/api/v1/models/from-cli/predict', { body: [1, 2] }))).toEqual([10, 20]);

    const broken = writePackage({
      'config.yaml': 'model_name: from-cli\n',
      'model/model.py':
        'class Model:\n    def load(self):\n        raise OSError("no weights")\n\n    def predict(self, xs):\n        return xs\n',
    });
    const failed = await run(process.execPath, [CLI, 'deploy', broken, '--url', s.url, '--token', s.token], {
      env: { PATH: process.env.PATH! },
      timeout: 120_000,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('model from-cli v2 failed');
    expect((failed as { stderr: string }).stderr).toContain('OSError: no weights');
    // The failed version never went live: v1 still answers.
    expect((await json(await s.request('GET', '/api/v1/models/from-cli'))).liveVersion).toBe(1);
  });
});
