/**
 * A real package index on 127.0.0.1 for tests: wheels made on the spot with Python's zipfile,
 * served as a PEP 503 simple index by Node's http, with every request counted.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A wheel of distribution `name` (module `name` with `_`), tagged `tag`: its module has
 * `greet(name)`; a .pth file adds a directory of its own holding `<module>_extra_mod`.
 */
const MAKE_WHEEL = String.raw`
import base64, hashlib, sys, zipfile
out, dist, version, tag = sys.argv[1:5]
mod = dist.replace("-", "_")
info = f"{mod}-{version}.dist-info"
files = {
    f"{mod}/__init__.py": f"VERSION = {version!r}\ndef greet(name):\n    return 'hello ' + name\n",
    f"{mod}_extra/{mod}_extra_mod.py": "FROM_PTH = True\n",
    f"{mod}.pth": f"{mod}_extra\n",
    f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n",
    f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: plinth-test\nRoot-Is-Purelib: true\nTag: {tag}\n",
}
def digest(text):
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
record = "".join(f"{name},sha256={digest(text)},{len(text.encode())}\n" for name, text in files.items())
record += f"{info}/RECORD,,\n"
with zipfile.ZipFile(f"{out}/{mod}-{version}-{tag}.whl", "w") as whl:
    for name, text in files.items():
        whl.writestr(name, text)
    whl.writestr(f"{info}/RECORD", record)
`;

export interface WheelSpec {
  /** Distribution name, e.g. `plinth-demo-pkg` (its module is `plinth_demo_pkg`). */
  name?: string;
  version?: string;
  /** `py3-none-any` (pure Python) unless given, e.g. `cp311-cp311-linux_x86_64`. */
  tag?: string;
}

/** Writes the wheel into `dir` (plinth_demo_pkg-1.0-py3-none-any.whl by default); returns its path. */
export function makeDemoWheel(dir: string, spec: WheelSpec = {}): string {
  const { name = 'plinth-demo-pkg', version = '1.0', tag = 'py3-none-any' } = spec;
  execFileSync('/usr/bin/python3', ['-c', MAKE_WHEEL, dir, name, version, tag]);
  return path.join(dir, `${name.replace(/-/g, '_')}-${version}-${tag}.whl`);
}

export interface PackageIndex {
  /** `http://127.0.0.1:<port>/simple` */
  url: string;
  /** Every request path, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves the wheels in `dir` as a simple index: `/simple/<name>/` and `/files/<wheel>` (on `port`, or any). */
export async function servePackageIndex(dir: string, port = 0): Promise<PackageIndex> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    answer(dir, req, res);
  });
  await listen(server, port);
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/simple`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function answer(dir: string, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  const project = /^\/simple\/([^/]+)\/?$/.exec(url)?.[1];
  const wheels = readdirSync(dir).filter((f) => f.endsWith('.whl'));
  if (project) {
    const mine = wheels.filter((f) => normalise(f.split('-')[0]!) === normalise(project));
    if (mine.length === 0) return void res.writeHead(404).end('not found');
    const links = mine.map((f) => `<a href="../../files/${f}#sha256=${sha256(path.join(dir, f))}">${f}</a>`);
    res
      .writeHead(200, { 'Content-Type': 'text/html' })
      .end(`<!DOCTYPE html><html><body>${links.join('\n')}</body></html>`);
    return;
  }
  const file = /^\/files\/([\w.-]+\.whl)$/.exec(url)?.[1];
  if (file && wheels.includes(file)) {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(readFileSync(path.join(dir, file)));
    return;
  }
  res.writeHead(404).end('not found');
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An index that accepts connections and never answers: only a deadline ends a build against it. */
export async function silentIndex(): Promise<{ url: string; close(): Promise<void> }> {
  const held: ServerResponse[] = [];
  const server = createServer((_req, res) => void held.push(res));
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/simple`,
    close: () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export function tempDir(label: string): string {
  return mkdtempSync(path.join(tmpdir(), `plinth-${label}-`));
}

function listen(server: Server, port = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
