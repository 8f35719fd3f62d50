import { ChildProcess, spawn } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { request as httpRequest } from 'http';
import { createServer } from 'net';
import { join } from 'path';

/** A Verdaccio registry on 127.0.0.1 with no uplinks, and a user that may publish. */
export interface Registry {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  /** Stops the registry by its PID and waits for it to exit. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * One request on a fresh connection (Verdaccio closes idle keep-alive sockets, which a pooled
 * client may try to reuse), answering the status and the parsed JSON body.
 */
export function request(url: string, method = 'GET', body?: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(url, { method, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf-8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await request(`${url}-/ping`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Verdaccio did not answer on ${url} within 60 s:\n${log()}`);
}

/**
 * Starts Verdaccio (from the workspace's devDependencies) in `dir`: storage and users there,
 * no uplinks, so nothing it serves comes from anywhere but this test.
 */
export async function startRegistry(verdaccioBin: string, dir: string): Promise<Registry> {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    `storage: ${JSON.stringify(join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
    '    max_users: 1',
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  let output = '';
  const child = spawn(process.execPath, [verdaccioBin, '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGTERM');
    await exited;
  };
  try {
    await waitUntilUp(url, child, () => output);
    const user = await request(`${url}-/user/org.couchdb.user:release-test`, 'PUT', { name: 'release-test', password: 'release-test-password' });
    const token: string | undefined = user.json?.token;
    if (!token) throw new Error(`Verdaccio did not create the publishing user (HTTP ${user.status})`);
    return { url, token, pid: child.pid!, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
