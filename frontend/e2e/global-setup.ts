import type { TestProject } from "vitest/node";
import { buildBackend, ensureSpaBuilt, startServer, type RunningServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let server: RunningServer | null = null;

export default async function setup(project: TestProject) {
  const executable = buildBackend();
  const dist = ensureSpaBuilt();
  server = await startServer(executable, dist);
  project.provide("baseUrl", server.baseUrl);

  const stopOnSignal = () => {
    void server?.stop().finally(() => process.exit(1));
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);

  return async () => {
    await server?.stop();
    server = null;
  };
}
