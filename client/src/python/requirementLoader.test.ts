import { describe, expect, it } from 'vitest';
import { withRequirementNotes } from './requirementLoader.ts';

const NOTE =
  'numpy==2.3.1 could not be loaded in the browser preview: it is compiled. The server run is the reference.';

describe('withRequirementNotes', () => {
  it('prints what could not be loaded ahead of what the node printed', () => {
    const outcome = withRequirementNotes({ ok: true, output: 1, logs: [{ stream: 'stdout', text: 'hi' }] }, [NOTE]);
    expect(outcome.logs).toEqual([
      { stream: 'stderr', text: NOTE },
      { stream: 'stdout', text: 'hi' },
    ]);
  });

  it('adds the reason to an import error, so the error itself says why the module is missing', () => {
    const outcome = withRequirementNotes(
      {
        ok: false,
        error: { code: 'node_failed', type: 'ModuleNotFoundError', message: "No module named 'numpy'", line: 1 },
        logs: [],
      },
      [NOTE],
    );
    expect(outcome).toMatchObject({
      ok: false,
      error: { message: `No module named 'numpy'\n${NOTE}`, line: 1 },
    });
  });

  it('leaves other errors, and outcomes without notes, as they were', () => {
    const failed = {
      ok: false as const,
      error: { code: 'node_failed' as const, type: 'KeyError', message: 'x' },
      logs: [],
    };
    expect(withRequirementNotes(failed, [NOTE])).toMatchObject({ error: { message: 'x' } });
    expect(withRequirementNotes(failed, [])).toBe(failed);
  });
});
