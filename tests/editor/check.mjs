// The JSON Schemas tried in an editor's language server: yaml-language-server
// (the server behind VS Code's YAML support) over stdio, as an editor drives
// it. A manual check, not part of `cargo test` or CI (see README.md here):
//
//   npm install --prefix /tmp/yls yaml-language-server@1.25.0
//   node tests/editor/check.mjs /tmp/yls/node_modules/yaml-language-server
//
// Each document names its schema with a `# yaml-language-server: $schema=`
// modeline; the checks are diagnostics (flagged or not), completion (labels
// offered, with documentation) and hover (the description shown).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const server = process.argv[2] ?? process.env.YLS ?? '/tmp/yls/node_modules/yaml-language-server';
const phoenix = pathToFileURL(path.join(root, 'config/schema.json')).href;
const service = pathToFileURL(path.join(here, 'service.schema.json')).href;

// --- a minimal LSP client over stdio --------------------------------------

const child = spawn(process.execPath, [path.join(server, 'bin/yaml-language-server'), '--stdio'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
const diagnostics = new Map();
const diagnosticWaiters = new Map();

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
  child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  child.stdin.write(body);
}

function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${method}: no answer in 20 s`)), 20000);
    pending.set(id, (message) => {
      clearTimeout(timer);
      message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result);
    });
  });
}

const notify = (method, params) => send({ method, params });

// Documents named `associated-*.yaml` get the Phoenix schema from these
// settings (as `yaml.schemas` in VS Code's settings.json); others name theirs.
const settings = {
  yaml: {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    schemaStore: { enable: false },
    schemas: { [phoenix]: 'associated-*.yaml' },
  },
};

function handle(message) {
  if (message.id !== undefined && pending.has(message.id) && message.method === undefined) {
    pending.get(message.id)(message);
    pending.delete(message.id);
  } else if (message.method === 'workspace/configuration') {
    send({ id: message.id, result: message.params.items.map((item) => settings[item.section] ?? null) });
  } else if (message.id !== undefined && message.method) {
    send({ id: message.id, result: null }); // registrations, progress, …
  } else if (message.method === 'textDocument/publishDiagnostics') {
    diagnostics.set(message.params.uri, message.params.diagnostics);
    diagnosticWaiters.get(message.params.uri)?.(message.params.diagnostics);
  }
}

child.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    const body = buffer.subarray(end + 4, end + 4 + length).toString();
    buffer = buffer.subarray(end + 4 + length);
    handle(JSON.parse(body));
  }
});

let documents = 0;

/// Opens `text` (after a modeline naming `schema`, unless `schema` is null:
/// then the settings associate it) and waits for its diagnostics.
async function open(schema, text) {
  const name = schema === null ? 'associated' : 'doc';
  const uri = `file:///tmp/editor-check/${name}-${documents++}.yaml`;
  const full = schema === null ? text : `# yaml-language-server: $schema=${schema}\n${text}`;
  const published = new Promise((resolve) => diagnosticWaiters.set(uri, resolve));
  notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: full } });
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('no diagnostics in 20 s')), 20000));
  const found = await Promise.race([published, timeout]);
  return { uri, text: full, diagnostics: found };
}

/// The position of the first `|` in `text` (removed), as an LSP position
/// in the document (one modeline line above it).
function cursor(text) {
  const at = text.indexOf('|');
  const before = text.slice(0, at).split('\n');
  return { text: text.slice(0, at) + text.slice(at + 1), position: { line: before.length, character: before.at(-1).length } };
}

const documentation = (item) => {
  const doc = item.documentation;
  return typeof doc === 'string' ? doc : doc?.value ?? '';
};

// --- checks ---------------------------------------------------------------

let failures = 0;

function check(name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `\n       ${detail}`}`);
  if (!ok) failures++;
}

async function flagged(name, schema, text, word, expected) {
  const { diagnostics: found, text: full } = await open(schema, text);
  const lines = full.split('\n');
  const at = found.filter((d) => lines[d.range.start.line]?.slice(d.range.start.character, d.range.end.character).includes(word));
  const shown = JSON.stringify(found.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`));
  check(`${name}: ${expected ? 'flagged' : 'not flagged'}`, expected ? at.length > 0 : found.length === 0, shown);
  if (expected && at.length > 0) console.log(`       (${at.map((d) => d.message.replace(/\s+/g, ' ')).join(' | ')})`);
}

async function completes(name, schema, marked, labels, documented) {
  const { text, position } = cursor(marked);
  const { uri } = await open(schema, text);
  const list = await request('textDocument/completion', { textDocument: { uri }, position: { ...position, line: position.line } });
  const items = Array.isArray(list) ? list : list?.items ?? [];
  const offered = items.map((i) => i.label);
  const missing = labels.filter((l) => !offered.includes(l));
  check(`${name}: offers ${labels.join(', ')}`, missing.length === 0, `missing ${missing}; offered ${JSON.stringify(offered)}`);
  if (process.env.VERBOSE) console.log(`       (offered ${offered.map((l) => JSON.stringify(l)).join(', ')})`);
  for (const [label, words] of Object.entries(documented)) {
    const item = items.find((i) => i.label === label);
    const doc = item ? documentation(item) : '';
    check(`${name}: ${label} documented`, doc.includes(words), `documentation ${JSON.stringify(doc)}`);
  }
}

async function hovers(name, schema, marked, words) {
  const { text, position } = cursor(marked);
  const { uri } = await open(schema, text);
  const hover = await request('textDocument/hover', { textDocument: { uri }, position });
  // Markdown escapes removed (versions differ in what they escape in a title).
  const value = (hover?.contents?.value ?? JSON.stringify(hover?.contents ?? null)).replace(/\\([^\n])/g, '$1');
  // yaml-language-server joins the titles of alternatives it takes for all
  // matched with ` || `, losing the key's own description.
  const ok = value.includes(words) && !value.includes(' || ');
  check(`${name}: hover shows ${JSON.stringify(words)}`, ok, `hover ${JSON.stringify(value)}`);
  if (process.env.VERBOSE) console.log(`       (${JSON.stringify(value)})`);
}

async function main() {
  const init = await request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: {
      textDocument: {
        completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'], snippetSupport: true } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: {},
      },
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
    },
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'phoenix-config' }],
  });
  notify('initialized', {});
  notify('workspace/didChangeConfiguration', { settings });
  const version = JSON.parse(readFileSync(path.join(server, 'package.json'), 'utf8')).version;
  console.log(`yaml-language-server ${version} on node ${process.version} (server says ${init?.serverInfo?.version ?? 'nothing'})`);

  console.log('\n# diagnostics');
  for (const name of ['base', 'development', 'testing', 'production']) {
    const text = readFileSync(path.join(root, `config/${name}.yaml`), 'utf8').replace(/^# yaml-language-server:.*\n/, '');
    await flagged(`config/${name}.yaml as committed`, phoenix, text, '', false);
  }
  await flagged('an unknown log level', phoenix, 'logging:\n  level: verbose\n', 'verbose', true);
  await flagged('an unknown log level, schema from the settings', null, 'logging:\n  level: verbose\n', 'verbose', true);
  await flagged('a known log level, schema from the settings', null, 'logging:\n  level: info\n', 'info', false);
  await flagged('a known log level', phoenix, 'logging:\n  level: warn\n', 'warn', false);
  await flagged('a log level in capitals (the loader reads it)', phoenix, 'logging:\n  level: WARN\n', 'WARN', false);
  await flagged('a zip code of four digits', phoenix, 'collection:\n  target_zipcodes: ["8500"]\n', '8500', true);
  await flagged('a port that is text, in a list item', phoenix, 'proxy:\n  fallbacks:\n    - host: a\n      port: eighty\n', 'eighty', true);
  await flagged('an unknown key in a list item', phoenix, 'proxy:\n  fallbacks:\n    - host: a\n      prot: 80\n', 'prot', true);
  await flagged('`yes` for a bool', phoenix, 'proxy:\n  enabled: yes\n', 'yes', false);
  await flagged('`maybe` for a bool', phoenix, 'proxy:\n  enabled: maybe\n', 'maybe', true);
  await flagged('an interpolated port', phoenix, 'proxy:\n  port: ${PROXY_PORT:-80}\n', 'PROXY', false);
  await flagged('a wrong type in a map entry', service, 'regions:\n  us:\n    bucket: [1]\n', '[1]', true);
  await flagged('a wrong value in an optional section', service, 'tls:\n  cert: c.pem\n  verify: sometimes\n', 'sometimes', true);
  await flagged('a duration `5s`', service, 'timeout: 5s\n', '5s', false);
  await flagged('a duration `5` (no unit)', service, 'timeout: 5\n', '5', true);
  await flagged('a duration in parsecs', service, 'timeout: 5 parsecs\n', 'parsecs', true);
  await flagged('a size of lots', service, 'body_limit: lots\n', 'lots', true);
  await flagged('an enum name in a list in a list item', service, 'proxies:\n  - host: a\n    port: 1\n    effort: [max, lots]\n', 'lots', true);
  await flagged('any name for an enum with a catch-all', service, 'codec: brotli\n', 'brotli', false);
  await flagged('a name in capitals for an enum with a catch-all', service, 'codec: ZSTD\n', 'ZSTD', false);

  console.log('\n# completion');
  await completes('top-level keys', phoenix, '|', ['database', 'logging', 'proxy'], { logging: 'Log level' });
  await completes('log level values', phoenix, 'logging:\n  level: |\n', ['trace', 'info', 'error'], { trace: 'Everything', error: 'Something failed' });
  await completes('log format values', phoenix, 'logging:\n  format: |\n', ['text', 'json'], { json: 'One JSON object per event' });
  await completes('keys of a list item', phoenix, 'proxy:\n  fallbacks:\n    - |\n', ['host', 'port'], { host: 'Proxy host' });
  await completes('keys of a map entry', service, 'regions:\n  us:\n    |\n', ['bucket'], { bucket: 'Bucket of the region' });
  await completes('keys of an optional section', service, 'tls:\n  |\n', ['cert', 'verify'], { cert: 'Certificate file' });
  await completes('enum values of a map entry', service, 'efforts:\n  build: |\n', ['low', 'medium', 'max'], { low: 'Give up on the first failure' });
  await completes('enum values in a list item', service, 'proxies:\n  - host: a\n    effort:\n      - |\n', ['low', 'max'], { low: 'Give up' });
  await completes('names of an enum with a catch-all', service, 'codec: |\n', ['zstd', 'custom'], { zstd: 'Fast and small' });
  await completes('an optional key', service, 'body_limit|\n', ['body_limit'], { body_limit: 'Largest body accepted' });

  console.log('\n# hover');
  await hovers('a key', phoenix, 'logging:\n  lev|el: info\n', 'Least severe level written. (variables: `LOG_LEVEL`, `PHOENIX_LOGGING_LEVEL`)');
  await hovers('an enum value', phoenix, 'logging:\n  level: in|fo\n', 'Normal operation');
  await hovers('a key in a list item', phoenix, 'proxy:\n  fallbacks:\n    - ho|st: a\n', 'Proxy host. (variables: `PHOENIX_PROXY_FALLBACKS_<N>_HOST`)');
  await hovers('an optional size', service, 'body_li|mit: 10MB\n', '(variables: `EDIT_BODY_LIMIT`)');
  await hovers('an optional size in bytes', service, 'body_li|mit: 1024\n', '(variables: `EDIT_BODY_LIMIT`)');
  await hovers('a bool', service, 'col|or: yes\n', 'Write colors, e.g. `yes` or `off`. (variables: `EDIT_COLOR`)');
  await hovers('a title with "e.g."', service, 'col|or: yes\n', '#### Write colors, e.g. ');
  await hovers('a duration', service, 'time|out: 5s\n', 'How long a request may take. (variables: `EDIT_TIMEOUT`)');
  await hovers('an enum in capitals', service, 'lev|el: INFO\n', 'Least severe level written. (variables: `EDIT_LEVEL`)');
  await hovers('an enum with descriptions', service, 'eff|ort: low\n', 'Give up on the first failure');
  await hovers('an optional enum with a catch-all', service, 'co|dec: brotli\n', '(variables: `EDIT_CODEC`)');
  await hovers('an interpolated port', phoenix, 'proxy:\n  po|rt: ${PORT}\n', 'Proxy port. (variables: `WEBSHARE_PROXY_PORT`, `PHOENIX_PROXY_PORT`)');
  await hovers('an optional key in a list item', service, 'proxies:\n  - host: a\n    lev|el: info\n', '(variables: `EDIT_PROXIES_<N>_LEVEL`)');
  await hovers('an optional section', service, 't|ls:\n  cert: c\n', 'Transport security');

  await request('shutdown', null);
  notify('exit', null);
  console.log(failures === 0 ? '\nevery check passed' : `\n${failures} check(s) failed`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
  child.kill();
});
