import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { PlinthError } from '@plinth/shared';

/**
 * IPv4 ranges a node with `network: true` may not reach unless `PLINTH_NETWORK_ALLOW` names them:
 * every special-purpose range IANA marks not globally reachable (RFC 6890 and successors), so the
 * sandbox reaches the public internet and nothing of the server's own networks.
 */
export const DENIED_IPV4 = [
  '0.0.0.0/8', // "this network": 0.0.0.0 reaches the host itself
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, cloud metadata services
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, broadcast
] as const;

/** slirp4netns's built-in DNS forwarder, the one private address a networked sandbox may use (port 53). */
export const SANDBOX_DNS = '10.0.2.3';

/** Where the host's loopback appears inside a sandbox whose slirp4netns allows it (see `Reach`). */
export const HOST_FROM_SANDBOX = '10.0.2.2';

/**
 * One destination a sandbox may reach although its range is denied: e.g. the package index pip
 * installs requirements from, on this machine or a private network. Never given to node code.
 */
export interface Reach {
  /** An IPv4 address; one in 127.0.0.0/8 means the host's loopback, reached as HOST_FROM_SANDBOX. */
  address: string;
  port: number;
}

export const isLoopback = (address: string): boolean => address.startsWith('127.');

/**
 * The `PLINTH_NETWORK_ALLOW` list: IPv4 addresses or CIDR ranges, comma-separated, normalised to
 * `a.b.c.d/n`. Throws naming the setting and the entry that is wrong.
 */
export function parseNetworkAllow(raw: string | undefined): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    const [address = '', prefixText = '32', extra] = entry.split('/');
    const prefix = Number(prefixText);
    if (!isIPv4(address) || extra !== undefined || !/^\d{1,2}$/.test(prefixText) || prefix > 32) {
      throw new PlinthError(
        'internal',
        `PLINTH_NETWORK_ALLOW: ${JSON.stringify(entry)} is not an IPv4 address or CIDR range ` +
          '(write e.g. 10.20.0.0/16,192.168.1.5; IPv6 is not routed into the sandbox)',
      );
    }
    const cidr = `${maskAddress(address, prefix)}/${prefix}`;
    const host = NEVER_ALLOWED.find((range) => overlaps(cidr, range));
    if (host) {
      throw new PlinthError(
        'internal',
        `PLINTH_NETWORK_ALLOW: ${entry} overlaps ${host}, which always means the server itself; ` +
          "the sandbox has its own loopback and never reaches the server's, so allow narrower ranges",
      );
    }
    return cidr;
  });
}

/** Both mean "this host" on Linux: slirp4netns would connect to the server's own services. */
const NEVER_ALLOWED = ['0.0.0.0/8', '127.0.0.0/8'];

function overlaps(a: string, b: string): boolean {
  const [addressA = '', prefixA] = a.split('/');
  const [addressB = '', prefixB] = b.split('/');
  const prefix = Math.min(Number(prefixA), Number(prefixB));
  return maskAddress(addressA, prefix) === maskAddress(addressB, prefix);
}

function maskAddress(address: string, prefix: number): string {
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const masked = (value & mask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (masked >>> shift) & 255).join('.');
}

/** The server's own IPv4 addresses: slirp4netns connects from the host, so these reach its services. */
export function hostIPv4Addresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((infos) => infos ?? [])
    .filter((info) => info.family === 'IPv4')
    .map((info) => info.address);
}

/**
 * The nftables ruleset installed in a networked sandbox's own network namespace before bubblewrap
 * drops its capabilities. Allowed ranges come first, then the denied ranges and the host's own
 * addresses; everything else (the public internet) passes to slirp4netns. IPv6 never leaves.
 */
export function egressRuleset(
  allow: readonly string[],
  hostAddresses: readonly string[],
  reach: readonly Reach[] = [],
): string {
  const set = (name: string, elements: readonly string[]) =>
    `set ${name} { type ipv4_addr; flags interval; auto-merge; ` +
    (elements.length ? `elements = { ${elements.join(', ')} }; ` : '') +
    '};';
  return [
    'table inet plinth {',
    set('allowed', allow),
    set('denied', [...DENIED_IPV4, ...hostAddresses]),
    'chain egress { type filter hook output priority 0; policy accept;',
    'oif "lo" accept;',
    `ip daddr ${SANDBOX_DNS} meta l4proto { tcp, udp } th dport 53 accept;`,
    'ip daddr @allowed accept;',
    ...reach.map(
      (r) => `ip daddr ${isLoopback(r.address) ? HOST_FROM_SANDBOX : r.address} tcp dport ${r.port} accept;`,
    ),
    // An immediate "no route to host" for the node, instead of a connect that hangs until its timeout.
    'ip daddr @denied reject with icmpx type admin-prohibited;',
    'meta nfproto ipv6 reject with icmpx type admin-prohibited;',
    '}; }',
  ].join(' ');
}
