import { describe, expect, it } from 'vitest';
import { modelsHref, parseRoute } from '../ui/useHashRoute.ts';
import { IDLE_POLL_MS, pollWhileSettling, SETTLING_POLL_MS, showJson, type ModelStatus } from './modelQueries.ts';

describe('the models page', () => {
  it('polls often while a version is building or loading, and now and then once every one is ready or failed', () => {
    const poll = pollWhileSettling((statuses: ModelStatus[]) => statuses);
    const at = (data: ModelStatus[] | undefined) => poll({ state: { data } });
    expect(at(['ready', 'building'])).toBe(SETTLING_POLL_MS);
    expect(at(['loading'])).toBe(SETTLING_POLL_MS);
    expect(at(['ready', 'failed'])).toBe(IDLE_POLL_MS);
    expect(at(undefined)).toBe(IDLE_POLL_MS);
  });

  it('shows short JSON on one line and long JSON indented', () => {
    expect(showJson({ rows: [[5.1, 3.5, 1.4, 0.2]] })).toBe('{"rows":[[5.1,3.5,1.4,0.2]]}');
    expect(showJson({ text: 'x'.repeat(80) })).toBe(`{\n  "text": "${'x'.repeat(80)}"\n}`);
  });

  it('has an address: #/models, and #/models/<name> for one model', () => {
    expect(parseRoute('#/models')).toEqual({ view: 'models', name: null });
    expect(parseRoute(modelsHref('iris-e2e'))).toEqual({ view: 'models', name: 'iris-e2e' });
    expect(parseRoute('#/graphs/payment-scoring')).toEqual({ view: 'graph', name: 'payment-scoring' });
    expect(parseRoute('#/elsewhere')).toEqual({ view: 'list' });
  });
});
