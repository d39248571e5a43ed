// Builds and runs the real backend for the end-to-end suite: `cargo build --bin albumen` (or the
// executable named by ALBUMEN_E2E_BINARY), then
// `albumen serve` on a free loopback port with a fresh data directory (its own private
// Postgres), serving the built SPA. Stopped with SIGTERM; the data directory is removed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, chmodSync, rmSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const frontendDir = path.resolve(here, "..");
export const repoRoot = path.resolve(frontendDir, "..");
export const resultsDir = path.join(frontendDir, "test-results");

const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

export interface RunningServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * `cargo build --bin albumen`; returns the path of the built executable.
 *
 * `ALBUMEN_E2E_BINARY=/path/to/albumen` skips the build and runs that executable instead (for a
 * machine where someone else compiles, or to test a release binary).
 */
export function buildBackend(): string {
  const prebuilt = process.env.ALBUMEN_E2E_BINARY;
  if (prebuilt) {
    if (!existsSync(prebuilt)) throw new Error(`ALBUMEN_E2E_BINARY=${prebuilt} does not exist`);
    console.log(`e2e: using the backend at ${prebuilt} (ALBUMEN_E2E_BINARY)`);
    return prebuilt;
  }
  console.log("e2e: building the backend (cargo build --bin albumen)…");
  const result = spawnSync(
    "cargo",
    ["build", "--bin", "albumen", "--message-format=json-render-diagnostics"],
    { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 256 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`cargo build failed (exit ${result.status})`);
  let executable: string | null = null;
  for (const line of result.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line) as { reason?: string; executable?: string | null; target?: { name?: string } };
    if (message.reason === "compiler-artifact" && message.target?.name === "albumen" && message.executable) {
      executable = message.executable;
    }
  }
  if (!executable) throw new Error("cargo build did not report the albumen executable");
  return executable;
}

/** `npm run build` unless frontend/dist is already there (scripts/test-frontend builds first). */
export function ensureSpaBuilt(): string {
  const dist = path.join(frontendDir, "dist");
  if (!existsSync(path.join(dist, "index.html"))) {
    console.log("e2e: building the SPA (npm run build)…");
    const result = spawnSync("npm", ["run", "--silent", "build"], { cwd: frontendDir, stdio: "inherit" });
    if (result.status !== 0) throw new Error("npm run build failed");
  }
  return dist;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`albumen exited early (code ${child.exitCode}); see the server log`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`albumen was not ready within ${READY_TIMEOUT_MS / 1000}s`);
}

export async function startServer(executable: string, staticDir: string): Promise<RunningServer> {
  const dataDir = mkdtempSync("/tmp/albumen-e2e-");
  chmodSync(dataDir, 0o755); // the embedded Postgres runs as `postgres` when we are root
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  mkdirSync(resultsDir, { recursive: true });
  const log = createWriteStream(path.join(resultsDir, "e2e-server.log"));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ALBUMEN_DATA_DIR: dataDir,
    ALBUMEN_BIND: `127.0.0.1:${port}`,
    ALBUMEN_STATIC_DIR: staticDir,
    ALBUMEN_BCRYPT_COST: "4",
    ALBUMEN_REGISTRATION_LIMIT: "1000000/1m",
    ALBUMEN_LOG: process.env.ALBUMEN_LOG ?? "info",
  };
  delete env.DATABASE_URL;
  delete env.ALBUMEN_PUBLIC_URL;

  const child = spawn(executable, ["serve"], { cwd: dataDir, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitReady(baseUrl, child);
  } catch (error) {
    await stop();
    throw error;
  }
  console.log(`e2e: albumen is ready at ${baseUrl}`);
  return { baseUrl, stop };
}
