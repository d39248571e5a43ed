#!/usr/bin/env node
// Generates src/api/schema.gen.ts from ../openapi.yaml (openapi-typescript).
//   node scripts/gen-api.mjs          write the file
//   node scripts/gen-api.mjs --check  exit 1 when the committed file is stale
//   --spec PATH                       read another copy of the spec (default ../openapi.yaml)
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const specArg = process.argv.indexOf("--spec");
const specPath =
  specArg > 0 ? path.resolve(process.argv[specArg + 1]) : path.resolve(here, "../../openapi.yaml");
const outPath = path.resolve(here, "../src/api/schema.gen.ts");

const HEADER = `/**
 * DO NOT EDIT. Generated from openapi.yaml by \`npm run gen:api\` (openapi-typescript).
 * \`npm run check:api\` fails when this file is stale.
 */

`;

async function generate() {
  try {
    const ast = await openapiTS(pathToFileURL(specPath));
    return HEADER + astToString(ast);
  } catch (error) {
    const where = error?.originalError?.mark ? ` (line ${error.originalError.mark.line + 1})` : "";
    console.error(`gen:api: cannot read ${specPath}${where}: ${error?.reason ?? error?.message ?? error}`);
    process.exit(1);
  }
}

const fresh = await generate();
if (process.argv.includes("--check")) {
  const current = await readFile(outPath, "utf8").catch(() => "");
  if (current !== fresh) {
    console.error(
      `check:api: ${path.relative(process.cwd(), outPath)} is stale relative to openapi.yaml; run \`npm run gen:api\` and commit it.`,
    );
    process.exit(1);
  }
  console.log("check:api: the generated API types match openapi.yaml");
} else {
  await writeFile(outPath, fresh);
  console.log(`gen:api: wrote ${path.relative(process.cwd(), outPath)}`);
}
