import { describe, expect, it } from 'vitest';
import { pipReach } from './indexReach.ts';

describe('pipReach', () => {
  it('opens exactly the port of an index on this machine, through the gateway, and trusts it as pip trusts localhost', async () => {
    const reached = await pipReach({ indexUrl: 'http://127.0.0.1:8080/simple', pipArgs: ['--pre'], timeoutMs: 1 });
    expect(reached).toEqual({
      reach: [{ address: '127.0.0.1', port: 8080 }],
      indexUrl: 'http://10.0.2.2:8080/simple',
      pipArgs: ['--pre', '--trusted-host', '10.0.2.2'],
    });
  });

  it('opens an index on a private network, and leaves public indexes and other arguments alone', async () => {
    const reached = await pipReach({
      indexUrl: 'https://10.20.0.5/simple',
      pipArgs: [
        '--extra-index-url=https://192.168.1.9:8443/simple',
        '--extra-index-url',
        'https://8.8.8.8/simple',
        '--pre',
      ],
      timeoutMs: 1,
    });
    expect(reached.reach).toEqual([
      { address: '10.20.0.5', port: 443 },
      { address: '192.168.1.9', port: 8443 },
    ]);
    expect(reached.pipArgs).toEqual([
      '--extra-index-url=https://192.168.1.9:8443/simple',
      '--extra-index-url',
      'https://8.8.8.8/simple',
      '--pre',
    ]);
  });
});
