// Starts the real platform (`quickcare up`, embedded, demo data) on a free
// loopback port with its own data directory, serving this web build.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

export async function startPlatform({ bin, webDir }) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'quickcare-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['up'], {
    env: {
      ...process.env,
      QUICKCARE_HTTP_ADDR: `127.0.0.1:${port}`,
      QUICKCARE_DATA_DIR: dataDir,
      QUICKCARE_PUBLIC_URL: url,
      QUICKCARE_WEB_DIR: resolve(webDir),
      QUICKCARE_DEMO: '1',
      QUICKCARE_LOG: 'warn',
      // The tests log in many times from one address.
      QUICKCARE_LOGIN_MAX_FAILURES_PER_IP: '1000',
      QUICKCARE_RATE_LIMIT_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`quickcare up exited (${child.exitCode}):\n${stderr}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      // Ready once the demo doctors are listed too.
      const docs = res.ok ? await (await fetch(`${url}/api/v1/doctors?per_page=1`)).json() : null;
      if (docs?.total > 0) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`platform not ready after 180 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    /** Its data directory (the dev mailbox is `mailbox/` in it). */
    dataDir,
    stop() {
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small JSON client for arranging data through the public API. */
export function apiClient(base) {
  return async function call(method, path, body, token) {
    const res = await fetch(base + path, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return json;
  };
}
