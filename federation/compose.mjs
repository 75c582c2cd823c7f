#!/usr/bin/env node
// Compose the hub's supergraph from subgraph SDLs with @theguild/federation-composition
// (the composition library Hive Gateway itself is built on).
//
//   node compose.mjs --out supergraph.graphql NAME=URL [--sdl NAME=FILE] [NAME=URL ...]
//   node compose.mjs --config subgraphs.json [--out supergraph.graphql]
//
// NAME=URL          the subgraph and the routing URL the gateway will call; its SDL is
//                   fetched from URL with `{ _service { sdl } }` (headers: --header "K: V")
// --sdl NAME=FILE   take NAME's SDL from FILE instead of fetching it
// --config FILE     JSON: [{"name": ..., "url": ..., "sdl"?: ..., "sdlFile"?: ...}, ...]
//
// Composition errors are printed one per line on stderr and the exit status is 1;
// the output file is then left untouched. On success the supergraph SDL is written
// (atomically) and one JSON line {"ok": true, "out": ..., "subgraphs": [...]} is printed.
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "graphql";
import { composeServices } from "@theguild/federation-composition";

function usage(message) {
  if (message) console.error(`compose: ${message}`);
  console.error("usage: node compose.mjs [--out FILE] [--header 'K: V'] [--sdl NAME=FILE] (--config FILE | NAME=URL ...)");
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { out: "supergraph.graphql", headers: {}, subgraphs: [], config: null, sdlFiles: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--out") opts.out = argv[++i] ?? usage("--out needs a file");
    else if (arg === "--config") opts.config = argv[++i] ?? usage("--config needs a file");
    else if (arg === "--header") {
      const raw = argv[++i] ?? usage("--header needs 'Name: value'");
      const at = raw.indexOf(":");
      if (at < 1) usage(`bad header ${raw}`);
      opts.headers[raw.slice(0, at).trim()] = raw.slice(at + 1).trim();
    } else if (arg === "--sdl") {
      const raw = argv[++i] ?? usage("--sdl needs NAME=FILE");
      const eq = raw.indexOf("=");
      if (eq < 1) usage(`bad --sdl ${raw}`);
      opts.sdlFiles[raw.slice(0, eq)] = raw.slice(eq + 1);
    } else if (arg.startsWith("--")) usage(`unknown option ${arg}`);
    else {
      const eq = arg.indexOf("=");
      if (eq < 1) usage(`bad subgraph ${arg} (expected NAME=URL)`);
      opts.subgraphs.push({ name: arg.slice(0, eq), url: arg.slice(eq + 1) });
    }
  }
  for (const spec of opts.subgraphs) {
    if (opts.sdlFiles[spec.name]) spec.sdlFile = opts.sdlFiles[spec.name];
  }
  const unknown = Object.keys(opts.sdlFiles).filter((n) => !opts.subgraphs.some((s) => s.name === n));
  if (unknown.length && !opts.config) usage(`--sdl for unknown subgraph ${unknown.join(", ")}`);
  return opts;
}

async function fetchSdl(name, url, headers) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify({ query: "{ _service { sdl } }" }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = error.cause?.code ?? error.cause?.message ?? error.message;
    throw new Error(`subgraph ${name}: cannot fetch its SDL from ${url}: ${cause}`);
  }
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  const sdl = body?.data?._service?.sdl;
  if (typeof sdl !== "string") {
    throw new Error(`${url}: no _service.sdl (HTTP ${response.status}): ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  }
  return sdl;
}

async function loadSubgraph(spec, headers, baseDir) {
  if (!spec.name || !spec.url) throw new Error(`subgraph needs a name and a url: ${JSON.stringify(spec)}`);
  let sdl = spec.sdl;
  if (sdl == null && spec.sdlFile) sdl = await readFile(path.resolve(baseDir, spec.sdlFile), "utf8");
  if (sdl == null) sdl = await fetchSdl(spec.name, spec.url, { ...headers, ...(spec.headers ?? {}) });
  let typeDefs;
  try {
    typeDefs = parse(sdl);
  } catch (error) {
    throw new Error(`subgraph ${spec.name}: SDL does not parse: ${error.message}`);
  }
  return { name: spec.name, url: spec.url, typeDefs };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let specs = opts.subgraphs;
  let baseDir = process.cwd();
  if (opts.config) {
    specs = [...JSON.parse(await readFile(opts.config, "utf8")), ...specs];
    baseDir = path.dirname(path.resolve(opts.config));
  }
  if (specs.length === 0) usage("no subgraphs given");
  const names = specs.map((s) => s.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) usage(`subgraph ${duplicate} given twice`);

  let services;
  try {
    services = await Promise.all(specs.map((s) => loadSubgraph(s, opts.headers, baseDir)));
  } catch (error) {
    console.error(`compose: ${error.message}`);
    process.exit(1);
  }
  const result = composeServices(services);
  if (result.errors && result.errors.length > 0) {
    for (const error of result.errors) {
      const code = error.extensions?.code ? `[${error.extensions.code}] ` : "";
      console.error(`composition error: ${code}${error.message}`);
    }
    process.exit(1);
  }
  const out = path.resolve(opts.out);
  const tmp = `${out}.${process.pid}.tmp`;
  await writeFile(tmp, result.supergraphSdl.endsWith("\n") ? result.supergraphSdl : `${result.supergraphSdl}\n`);
  await rename(tmp, out);
  console.log(JSON.stringify({ ok: true, out, subgraphs: services.map((s) => ({ name: s.name, url: s.url })) }));
}

main().catch((error) => {
  console.error(`compose: ${error.stack ?? error}`);
  process.exit(1);
});
