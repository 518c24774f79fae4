import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTemplates } from '../src/templates.ts';
import { zooPackages } from '../src/zoo.ts';
import { json, startTestServer, type TestServer } from './harness.ts';

let s: TestServer;
beforeAll(async () => {
  // As on a first start: the sample graph and the model zoo.
  s = await startTestServer({}, { sample: true });
});
afterAll(() => s?.close());

describe('the model zoo', () => {
  it('is built at first start, in the background, into ready models that the templates call', async () => {
    // The server answers while the zoo builds.
    expect((await s.request('GET', '/api/v1/graphs')).status).toBe(200);
    const deadline = Date.now() + 280_000;
    let models: { name: string; status: string; exampleInput: unknown }[] = [];
    while (Date.now() < deadline) {
      models = await json(await s.request('GET', '/api/v1/models'));
      if (models.length === zooPackages().length && models.every((m) => m.status === 'ready' || m.status === 'failed'))
        break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(models.map((m) => [m.name, m.status])).toEqual([
      ['breast-cancer', 'ready'],
      ['digits', 'ready'],
      ['iris-torch', 'ready'],
      ['payment-risk', 'ready'],
    ]);
    expect(models.every((m) => m.exampleInput !== null)).toBe(true);
    const torch = await json(await s.request('GET', '/api/v1/models/iris-torch/versions/1'));
    expect(torch.loadLog).toEqual([
      { stream: 'stdout', text: expect.stringMatching(/^trained on 150 flowers on cpu/) },
    ]);

    // Each zoo template runs end to end: input → pre-processing → model → branch → post-processing.
    const expected: Record<string, unknown> = {
      'breast-cancer-triage': { patient_id: 'p-001', action: 'refer to a specialist', label: 'malignant' },
      'digit-reader': { digit: 0, review: false },
      'iris-sorter': { species: 'setosa' },
    };
    for (const template of listTemplates().filter((t) => t.id in expected)) {
      await s.request('POST', '/api/v1/graphs', { body: template.document });
      const input = (template.document.nodes.find((n) => n.type === 'input') as { example: unknown }).example;
      const trace = await json(
        await s.request('POST', `/api/v1/graphs/${template.document.name}/test`, { body: { input } }),
      );
      expect(trace.error).toBeNull();
      expect(trace.output).toMatchObject(expected[template.id] as object);
    }
    // The sample graph scores with the zoo's payment-risk model.
    const sample = await json(
      await s.request('POST', '/api/v1/graphs/payment-scoring/test', {
        body: { input: { amount: 50000, country: 'XX', customer_age_days: 3 } },
      }),
    );
    expect(sample.nodes.score).toMatchObject({
      status: 'ok',
      output: expect.objectContaining({ risk: expect.any(Number) }),
    });
    expect(sample.output).toMatchObject({ decision: 'review' });
  }, 300_000);
});
