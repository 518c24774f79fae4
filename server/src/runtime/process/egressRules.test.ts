import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DENIED_IPV4, egressRuleset, parseNetworkAllow } from './egressRules.ts';

describe('parseNetworkAllow (PLINTH_NETWORK_ALLOW)', () => {
  it('takes addresses and ranges, comma-separated, as nftables wants them', () => {
    expect(parseNetworkAllow(undefined)).toEqual([]);
    expect(parseNetworkAllow(' 10.20.1.5/16, 192.168.1.5 ,,')).toEqual(['10.20.0.0/16', '192.168.1.5/32']);
  });

  it.each([
    ['example.com', /not an IPv4 address or CIDR range/],
    ['fe80::1', /IPv6 is not routed/],
    ['10.0.0.0/33', /not an IPv4 address/],
    ['127.0.0.1', /overlaps 127.0.0.0\/8/],
    ['0.0.0.0/0', /overlaps 0.0.0.0\/8/],
  ])('refuses %s, naming the setting and the entry', (entry, message) => {
    expect(() => parseNetworkAllow(`10.1.0.0/16,${entry}`)).toThrow(message);
    expect(() => parseNetworkAllow(entry)).toThrow(/^PLINTH_NETWORK_ALLOW: /);
  });
});

describe('egressRuleset', () => {
  const rules = egressRuleset(['10.20.0.0/16'], ['172.17.0.2', '203.0.113.9']);

  it('allows the allow-list before it refuses private, link-local, loopback and host addresses', () => {
    for (const range of [...DENIED_IPV4, '172.17.0.2', '203.0.113.9']) expect(rules).toContain(range);
    expect(rules.indexOf('ip daddr @allowed accept')).toBeLessThan(rules.indexOf('ip daddr @denied reject'));
    expect(rules).toMatch(/set allowed \{[^}]*elements = \{ 10\.20\.0\.0\/16 \}/);
    expect(rules).toContain('meta nfproto ipv6 reject');
  });

  it.runIf(process.platform === 'linux')('is a ruleset nft accepts, in a namespace of its own', () => {
    const check = spawnSync('unshare', ['--user', '--map-root-user', '--net', '--', 'nft', '--check', rules], {
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(egressRuleset([], [])).not.toContain('elements = {  }');
  });
});
