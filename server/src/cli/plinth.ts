import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { create } from 'tar';

const USAGE = `Usage: plinth deploy <folder> [--name <name>] [--no-promote] [--timeout <seconds>]
                     [--url <server>] [--token <admin token>]

Uploads a model package (config.yaml, model/model.py, data/, packages/) as a new version of the
model and prints its status until it is ready or failed. The server and token come from --url and
--token, or PLINTH_URL and PLINTH_TOKEN.`;

interface Out {
  log: (line: string) => void;
  error: (line: string) => void;
}

const console_: Out = { log: (l) => process.stdout.write(`${l}\n`), error: (l) => process.stderr.write(`${l}\n`) };

/** Runs the CLI; resolves to the exit code (0 ready, 1 failed or refused, 2 usage). */
export async function main(argv: string[], env: NodeJS.ProcessEnv, out: Out = console_): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        timeout: { type: 'string' },
        'no-promote': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    out.error(`plinth: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] !== 'deploy' || positionals.length !== 2) {
    (values.help ? out.log : out.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const url = (values.url ?? env.PLINTH_URL ?? '').replace(/\/+$/, '');
  const token = values.token ?? env.PLINTH_TOKEN ?? '';
  if (!url || !token) {
    out.error('plinth: which server? Pass --url and --token, or set PLINTH_URL and PLINTH_TOKEN (the admin token)');
    return 2;
  }
  const folder = path.resolve(positionals[1]!);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    out.error(`plinth: ${folder} is not a folder; give the model package's folder (with config.yaml)`);
    return 2;
  }
  const timeoutS = Number(values.timeout ?? 600);
  return deploy({ url, token, folder, name: values.name, promote: !values['no-promote'], timeoutS }, out);
}

interface DeployArgs {
  url: string;
  token: string;
  folder: string;
  name: string | undefined;
  promote: boolean;
  timeoutS: number;
}

async function deploy(args: DeployArgs, out: Out): Promise<number> {
  const archive = await buffer(create({ gzip: true, cwd: args.folder, portable: true }, ['.']));
  const query = new URLSearchParams({ ...(args.name ? { name: args.name } : {}), promote: String(args.promote) });
  out.log(`uploading ${args.folder} (${archive.length} bytes) to ${args.url}`);
  const headers = { Authorization: `Bearer ${args.token}` };
  const created = await call(`${args.url}/api/v1/models?${query}`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/gzip' },
    body: new Uint8Array(archive),
  });
  if (!created.ok) return refused(created.body, out);
  const { name, version } = created.body as { name: string; version: number };
  out.log(`model ${name} v${version}: building`);
  const deadline = Date.now() + args.timeoutS * 1000;
  let last = 'building';
  for (;;) {
    const got = await call(`${args.url}/api/v1/models/${name}/versions/${version}`, { headers });
    if (!got.ok) return refused(got.body, out);
    const info = got.body as VersionInfo;
    if (info.status !== last) out.log(`model ${name} v${version}: ${info.status}`);
    last = info.status;
    if (info.status === 'ready') {
      for (const entry of info.loadLog) out.log(`  load(): ${entry.text}`);
      out.log(
        `ready: POST ${args.url}/api/v1/models/${name}/predict${info.live ? '' : ` (not live: promote with POST .../versions/${version}/promote)`}`,
      );
      return 0;
    }
    if (info.status === 'failed') {
      out.error(`model ${name} v${version} failed: ${info.error?.message ?? 'see its log'}`);
      for (const line of info.buildLog) out.error(`  ${line}`);
      for (const entry of info.loadLog) out.error(`  load(): ${entry.text}`);
      if (info.error?.traceback) out.error(info.error.traceback);
      return 1;
    }
    if (Date.now() > deadline) {
      out.error(`model ${name} v${version} is still ${info.status} after ${args.timeoutS} s (--timeout)`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface VersionInfo {
  status: string;
  live: boolean;
  buildLog: string[];
  loadLog: { text: string }[];
  error: { message: string; traceback?: string } | null;
}

async function call(url: string, init: RequestInit): Promise<{ ok: boolean; body: unknown }> {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: shown as it is
    }
    return { ok: res.ok, body };
  } catch (error) {
    return { ok: false, body: { error: { message: `cannot reach ${url}: ${(error as Error).message}` } } };
  }
}

function refused(body: unknown, out: Out): number {
  const error = (body as { error?: { message?: string; problems?: { path: string; message: string }[] } }).error;
  out.error(`plinth: ${error?.message ?? JSON.stringify(body)}`);
  for (const p of error?.problems ?? []) out.error(`  ${p.path}: ${p.message}`);
  return 1;
}
