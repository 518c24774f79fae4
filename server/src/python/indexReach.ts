import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import { DENIED_IPV4, HOST_FROM_SANDBOX, isLoopback, type Reach } from '../runtime/process/egressRules.ts';
import type { PipSettings } from './pipSettings.ts';

/** pip options whose value is an index or a place to find links. */
const URL_OPTIONS = new Set(['--index-url', '-i', '--extra-index-url', '--find-links', '-f']);

/**
 * What pip's download step needs to reach beyond the public internet: the configured index (and
 * extra indexes) when it lives on this machine or a private network. pip runs in the same
 * filtered sandbox as a node with network, with exactly these ports opened; an index on the host's
 * loopback is reached through slirp4netns's gateway, so its URLs are rewritten to that address.
 */
export async function pipReach(
  pip: PipSettings,
): Promise<{ reach: Reach[]; indexUrl: string | null; pipArgs: string[] }> {
  const reach: Reach[] = [];
  let trustGateway = false;
  const through = async (raw: string): Promise<string> => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return raw;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return raw;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIPv4(host) ? [host] : await resolve(host);
    for (const address of addresses) {
      if (isLoopback(address) || isDenied(address)) reach.push({ address, port });
    }
    if (addresses.some(isLoopback)) {
      url.hostname = HOST_FROM_SANDBOX;
      // pip trusts plain http on localhost; the same index seen through the gateway is still local.
      if (url.protocol === 'http:') trustGateway = true;
      return url.toString();
    }
    return raw;
  };
  const indexUrl = pip.indexUrl === null ? null : await through(pip.indexUrl);
  const pipArgs: string[] = [];
  for (let i = 0; i < pip.pipArgs.length; i++) {
    const arg = pip.pipArgs[i]!;
    const [option, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (URL_OPTIONS.has(option) && inline !== undefined) pipArgs.push(`${option}=${await through(inline)}`);
    else if (URL_OPTIONS.has(option) && i + 1 < pip.pipArgs.length)
      pipArgs.push(option, await through(pip.pipArgs[++i]!));
    else pipArgs.push(arg);
  }
  if (trustGateway) pipArgs.push('--trusted-host', HOST_FROM_SANDBOX);
  return { reach, indexUrl, pipArgs };
}

async function resolve(host: string): Promise<string[]> {
  if (host === 'localhost') return ['127.0.0.1'];
  try {
    return (await lookup(host, { all: true, family: 4 })).map((a) => a.address);
  } catch {
    return []; // pip will say it cannot resolve the name
  }
}

function isDenied(address: string): boolean {
  const value = toNumber(address);
  return DENIED_IPV4.some((cidr) => {
    const [base = '', prefix = '32'] = cidr.split('/');
    const bits = Number(prefix);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (value & mask) >>> 0 === (toNumber(base) & mask) >>> 0;
  });
}

function toNumber(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0) >>> 0;
}
