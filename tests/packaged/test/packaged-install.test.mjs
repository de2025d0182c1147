// The packaged install, as a new user gets it: `npm pack` each package, install the tarballs (no
// symlinks, no --legacy-peer-deps, no --force) into a fresh app outside the workspace, on Nest 11 and
// on Nest 12, then compile the app strictly (skipLibCheck off) under four resolutions, run it on
// Express and Fastify against the sandbox, import the client from ESM, and, on Nest 12, run the
// module's own e2e suite under Node's loader (Jest cannot load Nest 12's ES modules).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extractSnippets } from '../support/readme-snippets.mjs';

const require = createRequire(import.meta.url);
const HERE = import.meta.dirname;
const ROOT = path.resolve(HERE, '..', '..', '..');
const FIXTURE = path.join(HERE, '..', 'app');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'paymnt-packaged-'));
const PACKAGES = ['client', 'nestjs', 'sandbox'];
const INSTALL_TIMEOUT_MS = 300_000;

/** What a Nest app of each major installs (the current @nestjs/event-emitter serves both). */
const NEST = {
  11: {
    '@nestjs/common': '^11.0.0',
    '@nestjs/core': '^11.0.0',
    '@nestjs/platform-express': '^11.0.0',
    '@nestjs/platform-fastify': '^11.0.0',
    '@nestjs/config': '^4.0.0',
    '@nestjs/event-emitter': '^12.0.0',
  },
  12: {
    '@nestjs/common': '^12.0.0',
    '@nestjs/core': '^12.0.0',
    '@nestjs/platform-express': '^12.0.0',
    '@nestjs/platform-fastify': '^12.0.0',
    '@nestjs/config': '^12.0.0',
    '@nestjs/event-emitter': '^12.0.0',
  },
};
const COMMON_DEPENDENCIES = { 'reflect-metadata': '^0.2.2', rxjs: '^7.8.2' };
const DEV_DEPENDENCIES = { typescript: '5.9.3', '@types/node': '^20.19.0' };

function run(command, args, { cwd, timeout = 120_000, env = {} } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    timeout,
    encoding: 'utf8',
    // NODE_TEST_CONTEXT would make a child `node --test` report to this runner instead of its stdout.
    env: { ...process.env, NODE_TEST_CONTEXT: undefined, npm_config_update_notifier: 'false', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-60).join('\n');
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) ${result.error ? result.error.message : `exited ${result.status}`}\n${output}`);
  }
  return result.stdout;
}

const tarballs = {};
const packed = {};

before(() => {
  const destination = path.join(WORK, 'tarballs');
  fs.mkdirSync(destination);
  for (const name of PACKAGES) {
    // Nx built dist already (this project depends on the packages' build); prepack would build again.
    const [info] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], { cwd: path.join(ROOT, 'packages', name) }));
    tarballs[name] = path.join(destination, info.filename);
    packed[name] = info.files.map((file) => file.path);
  }
});

after(() => {
  if (process.env.PAYMNT_KEEP_PACKAGED !== '1') fs.rmSync(WORK, { recursive: true, force: true });
});

describe('npm pack', () => {
  for (const name of PACKAGES) {
    it(`@paymnt/${name} ships LICENSE, README, CHANGELOG and dist, and no tests`, () => {
      const files = packed[name];
      for (const required of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']) {
        assert.ok(files.includes(required), `${required} missing from the tarball`);
      }
      const tests = files.filter((file) => /\.(spec|test)\.|(^|\/)(test|tests|__tests__)\//.test(file));
      assert.deepEqual(tests, []);
      assert.deepEqual(files.filter((file) => !/^(dist\/|LICENSE$|README\.md$|CHANGELOG\.md$|package\.json$)/.test(file)), []);
    });
  }
});

for (const major of Object.keys(NEST)) {
  describe(`a Nest ${major} app installing the tarballs`, () => {
    const app = path.join(WORK, `nest${major}`);

    before(() => {
      fs.cpSync(FIXTURE, app, { recursive: true });
      writeReadmeSnippets(path.join(app, 'src', 'readme'));
      const dependencies = { ...NEST[major], ...COMMON_DEPENDENCIES };
      for (const name of PACKAGES) dependencies[`@paymnt/${name}`] = `file:${tarballs[name]}`;
      const manifest = { name: `paymnt-packaged-nest${major}`, private: true, dependencies, devDependencies: DEV_DEPENDENCIES };
      fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
      run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, timeout: INSTALL_TIMEOUT_MS });
    });

    it('resolves every peer, with one copy of @paymnt/client and no ioredis or bullmq', () => {
      run('npm', ['ls', '--all'], { cwd: app });
      const nest = JSON.parse(fs.readFileSync(path.join(app, 'node_modules/@nestjs/common/package.json'), 'utf8'));
      assert.equal(nest.version.split('.')[0], major);
      const clients = run('npm', ['ls', '@paymnt/client', '--all', '--parseable'], { cwd: app }).trim().split('\n');
      assert.deepEqual([...new Set(clients)], [path.join(app, 'node_modules/@paymnt/client')]);
      for (const optional of ['ioredis', 'bullmq']) assert.equal(fs.existsSync(path.join(app, 'node_modules', optional)), false, `${optional} is installed`);
    });

    it('has no source map that points at a file it does not ship', () => {
      for (const name of PACKAGES) {
        const dir = path.join(app, 'node_modules/@paymnt', name);
        for (const file of packed[name].filter((f) => f.endsWith('.map'))) {
          const map = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
          map.sources.forEach((source, i) => {
            const shipped = fs.existsSync(path.resolve(path.dirname(path.join(dir, file)), map.sourceRoot ?? '', source));
            assert.ok(shipped || typeof map.sourcesContent?.[i] === 'string', `${name}/${file}: ${source} is neither shipped nor inlined`);
          });
        }
      }
    });

    for (const tsconfig of ['commonjs', 'nodenext', 'bundler', 'nest-new']) {
      it(`compiles with strict: true, skipLibCheck: false (${tsconfig}), README snippets included`, () => {
        run(process.execPath, [path.join(app, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${tsconfig}.json`], { cwd: app });
      });
    }

    it('compiles the README snippets and the guarded route as ES modules under the nest new tsconfig (TS1272 applies)', () => {
      // isolatedModules + emitDecoratorMetadata refuse a value import of a type used in a decorated
      // signature only when the output is ESM: a "type": "module" folder of self-contained modules.
      const esm = path.join(app, 'esm');
      fs.cpSync(path.join(app, 'src', 'readme'), path.join(esm, 'src', 'readme'), { recursive: true });
      fs.copyFileSync(path.join(app, 'src', 'own-webhook.controller.ts'), path.join(esm, 'src', 'own-webhook.controller.ts'));
      fs.writeFileSync(path.join(esm, 'package.json'), JSON.stringify({ type: 'module' }));
      const tsconfig = { extends: '../tsconfig.nest-new.json', compilerOptions: { noEmit: true }, include: ['src/**/*.ts'] };
      fs.writeFileSync(path.join(esm, 'tsconfig.json'), JSON.stringify(tsconfig));
      run(process.execPath, [path.join(app, 'node_modules/typescript/bin/tsc'), '-p', 'esm/tsconfig.json'], { cwd: app });
    });

    for (const adapter of ['express', 'fastify']) {
      it(`runs on ${adapter}: pays through the services, handles the event once, guards its own route`, () => {
        if (!fs.existsSync(path.join(app, 'dist/run.js'))) run(process.execPath, [path.join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.commonjs.json'], { cwd: app });
        const out = JSON.parse(run(process.execPath, ['dist/run.js', adapter], { cwd: app, timeout: 60_000 }).trim().split('\n').pop());
        assert.equal(out.nest.split('.')[0], major);
        assert.equal(out.paid.status, 'succeeded');
        assert.deepEqual(out.handled, [{ paymentId: out.paid.payment_id, source: 'api' }]);
        assert.deepEqual(out.badRefund, { error: 'PaymntNotFoundError', isPaymntError: true });
        assert.equal(out.guardedStatus, 200);
        assert.equal(out.unsignedStatus, 401);
      });
    }

    it('imports @paymnt/client and @paymnt/sandbox from an ES module', () => {
      const out = JSON.parse(run(process.execPath, ['src/esm-client.mjs'], { cwd: app, timeout: 60_000 }).trim());
      assert.deepEqual(out, { status: 'requires_payment_method', notFound: true });
    });

    it('starts the sandbox with npx @paymnt/sandbox, serves the printed key, stops on Ctrl-C', async () => {
      const child = spawn('npx', ['--no-install', '@paymnt/sandbox', '--port', '0', '--api-key', 'snd_packaged_test'], {
        cwd: app,
        env: { ...process.env, NODE_TEST_CONTEXT: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: Ctrl-C in a terminal signals the whole group (npx and the sandbox).
        detached: true,
      });
      try {
        let output = '';
        const url = await new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no banner within 30 s:\n${output}`)), 30_000);
          child.stdout.on('data', (chunk) => {
            output += chunk;
            const match = /listening on (http:\/\/\S+)/.exec(output);
            if (match && /webhook secret/.test(output)) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          });
          child.on('exit', (code) => reject(new Error(`exited ${code} before its banner:\n${output}`)));
        });
        assert.match(output, /api-key\s+snd_packaged_test/);
        assert.match(output, /profile id\s+pro_/);
        const response = await fetch(`${url}/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'api-key': 'snd_packaged_test' },
          body: JSON.stringify({ amount: 100, currency: 'USD' }),
        });
        assert.equal(response.status, 200);
        const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
        process.kill(-child.pid, 'SIGINT');
        // npm exec re-raises the signal on itself; the sandbox under it stops cleanly and says so.
        assert.ok([0, 'SIGINT'].includes(await exited));
        assert.match(output, /SIGINT received, stopping the sandbox/);
        assert.match(output, /sandbox stopped/);
      } finally {
        if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
      }
    });

    if (major === '12') {
      it('passes the module e2e suite (Express and Fastify, forRoot and forRootAsync, sandbox, Redis) on Nest 12', () => {
        // The suite's optional peers: durable intake and Redis, health checks (terminus 12 is Nest 12's),
        // telemetry with the OpenTelemetry SDK's in-memory exporters.
        const suitePeers = [
          'bullmq@^5.0.0',
          'ioredis@^5.0.0',
          'expect@^30.0.0',
          '@nestjs/terminus@^12.0.0',
          '@opentelemetry/api@~1.9.1',
          '@opentelemetry/context-async-hooks@^2.12.1',
          '@opentelemetry/sdk-metrics@^2.12.1',
          '@opentelemetry/sdk-trace-base@^2.12.1',
        ];
        run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-save', ...suitePeers], {
          cwd: app,
          timeout: INSTALL_TIMEOUT_MS,
        });
        const e2e = path.join(app, 'e2e');
        transpileTree(path.join(ROOT, 'packages/nestjs/test'), e2e, path.join(app, 'node_modules/typescript'));
        const specs = fs.readdirSync(e2e).filter((file) => file.endsWith('.e2e.spec.js')).sort();
        assert.ok(specs.length >= 5, `only ${specs.length} e2e specs found`);
        const output = run(
          process.execPath,
          // --test-force-exit: a file ends when its tests do, as under Jest. The Redis outage suites leave
          // ioredis/BullMQ reconnect state behind in the test process after killing their redis-server.
          ['--require', path.join(HERE, '..', 'support', 'jest-shim.cjs'), '--test', '--test-force-exit', '--test-concurrency=1', '--test-reporter=spec', ...specs.map((s) => path.join('e2e', s))],
          { cwd: app, timeout: 600_000 },
        );
        const summary = output.split('\n').filter((line) => /^ℹ (tests|pass|fail|skipped|cancelled) /.test(line));
        console.log(`Nest 12 e2e (${specs.length} files): ${summary.map((l) => l.slice(2)).join(', ')}`);
        assert.match(output, /^ℹ fail 0$/m);
        assert.match(output, /^ℹ cancelled 0$/m);
        if (process.env.CI === 'true') assert.match(output, /^ℹ skipped 0$/m);
      });
    }
  });
}

/** Every ```ts block of the READMEs that is meant to compile, written as modules of the app. */
function writeReadmeSnippets(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const readmes = ['README.md', 'packages/client/README.md', 'packages/nestjs/README.md', 'packages/sandbox/README.md', 'apps/sample-shop/README.md'];
  for (const readme of readmes) {
    for (const snippet of extractSnippets(fs.readFileSync(path.join(ROOT, readme), 'utf8'))) {
      const name = `${readme.replace(/\/?README\.md$/, '').replace(/[/]/g, '-') || 'root'}-line-${snippet.line}.ts`;
      fs.writeFileSync(path.join(dir, name), `// ${readme}, line ${snippet.line}\n${snippet.code}`);
    }
  }
}

/** TypeScript to CommonJS JavaScript, file by file (transpile only: the suite's types are checked in the workspace). */
function transpileTree(from, to, typescriptDir) {
  const ts = require(typescriptDir);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) {
      transpileTree(source, path.join(to, entry.name), typescriptDir);
      continue;
    }
    if (!entry.name.endsWith('.ts')) continue;
    fs.mkdirSync(to, { recursive: true });
    const { outputText } = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true },
    });
    fs.writeFileSync(path.join(to, entry.name.replace(/\.ts$/, '.js')), outputText);
  }
}
