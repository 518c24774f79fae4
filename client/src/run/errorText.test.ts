import { describe, expect, it } from 'vitest';
import { errorText } from './errorText.ts';

describe('errorText', () => {
  it('names the type once when the message already starts with it', () => {
    expect(errorText({ type: 'KeyError', message: "KeyError: 'amount'" })).toBe("KeyError: 'amount'");
    expect(errorText({ type: 'StopIteration', message: 'StopIteration' })).toBe('StopIteration');
  });
  it('puts the type in front of a message without it', () => {
    expect(errorText({ type: 'KeyError', message: "'amount'" })).toBe("KeyError: 'amount'");
    // A message that merely begins with the same letters is not the type.
    expect(errorText({ type: 'Key', message: 'KeyError: x' })).toBe('Key: KeyError: x');
  });
  it('is the message alone without a type', () => {
    expect(errorText({ message: 'node timed out after 5000 ms' })).toBe('node timed out after 5000 ms');
  });
});
