import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PreviewResultView } from './PreviewResultView.tsx';

afterEach(cleanup);

describe('PreviewResultView', () => {
  it('shows the output as JSON, the printed lines and ctx.log, and the duration', () => {
    render(
      <PreviewResultView
        run={{
          durationMs: 12,
          outcome: {
            ok: true,
            output: { greeting: 'Hello' },
            logs: [
              { stream: 'stdout', text: 'hi there' },
              { stream: 'log', text: 'scored' },
            ],
          },
        }}
      />,
    );
    expect(screen.getByTestId('preview-output').textContent).toContain('"greeting": "Hello"');
    expect(screen.getByTestId('preview-output').textContent).toContain('12 ms');
    expect(screen.getByTestId('preview-logs').textContent).toContain('hi there');
    expect(screen.getByTestId('preview-logs').textContent).toContain('[log] scored');
  });

  it('shows an error with its type, line and traceback', () => {
    render(
      <PreviewResultView
        run={{
          durationMs: 3,
          outcome: {
            ok: false,
            error: {
              code: 'node_failed',
              message: "KeyError: 'amount'",
              type: 'KeyError',
              line: 3,
              traceback:
                'Traceback (most recent call last):\n  File "<node f>", line 3, in process\nKeyError: \'amount\'\n',
            },
            logs: [],
          },
        }}
      />,
    );
    const error = screen.getByTestId('preview-error');
    expect(error.querySelector('h4')?.textContent).toMatch(/^KeyError at line 3/);
    expect(error.textContent).toContain('line 3, in process');
    expect(screen.queryByTestId('preview-output')).toBeNull();
  });

  it('titles a Stop as Stopped and a timeout as Timed out', () => {
    const { rerender } = render(
      <PreviewResultView
        run={{
          durationMs: 900,
          outcome: {
            ok: false,
            error: { code: 'node_failed', message: 'Stopped', type: 'KeyboardInterrupt' },
            logs: [],
          },
        }}
      />,
    );
    expect(screen.getByTestId('preview-error').querySelector('h4')?.textContent).toMatch(/^Stopped/);
    rerender(
      <PreviewResultView
        run={{
          durationMs: 900,
          outcome: { ok: false, error: { code: 'node_timeout', message: 'too slow' }, logs: [] },
        }}
      />,
    );
    expect(screen.getByTestId('preview-error').querySelector('h4')?.textContent).toMatch(/^Timed out/);
  });
});
