import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { JsonField } from './JsonField.tsx';

afterEach(cleanup);

describe('JsonField', () => {
  it('applies parseable JSON and explains what does not parse, keeping the last good value', () => {
    const seen: unknown[] = [];
    render(<JsonField label="Example input" value={{ a: 1 }} onChange={(v) => seen.push(v)} />);
    const box = screen.getByLabelText('Example input');
    fireEvent.change(box, { target: { value: '{"a": 2' } });
    expect(screen.getByRole('alert').textContent).toMatch(/Not valid JSON/);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(box, { target: { value: '{"a": 2}' } });
    expect(seen).toEqual([{ a: 2 }]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('refuses a value its check rejects', () => {
    const seen: unknown[] = [];
    render(
      <JsonField
        label="Schema"
        value={{}}
        onChange={(v) => seen.push(v)}
        check={(v) => (Array.isArray(v) ? 'no arrays' : null)}
      />,
    );
    fireEvent.change(screen.getByLabelText('Schema'), { target: { value: '[1]' } });
    expect(screen.getByRole('alert').textContent).toBe('no arrays');
    expect(seen).toEqual([]);
  });

  it('follows a value changed elsewhere (undo)', () => {
    const { rerender } = render(<JsonField label="X" value={{ a: 1 }} onChange={() => undefined} />);
    rerender(<JsonField label="X" value={{ b: 2 }} onChange={() => undefined} />);
    expect(screen.getByLabelText<HTMLTextAreaElement>('X').value).toBe('{\n  "b": 2\n}');
  });
});
