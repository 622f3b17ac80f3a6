import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '@rapport/common';
import { CONFIG_VARS } from './config.schema';
import { loadConfig } from './load-config';

/** The k8s/ manifests checked against the code: they must stay true to it (brief: "Keep manifests in k8s/ true to the code"). */
interface Container {
  name: string;
  args?: string[];
  env?: Array<{ name: string; value?: string }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports?: Array<{ containerPort: number; name?: string }>;
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
}
interface Doc {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: { template?: { spec?: { containers?: Container[] } }; scaleTargetRef?: { kind: string; name: string } };
}

const dir = join(repoRoot(), 'k8s');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const docs: Doc[] = files.flatMap((f) =>
  parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => {
    assert.deepEqual(d.errors, [], `${f} parses`);
    return d.toJSON() as Doc;
  }),
);
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
const configMap = byKind('ConfigMap').find((d) => d.metadata.name === 'rapport-config')!;
const secret = byKind('Secret').find((d) => d.metadata.name === 'rapport-secrets')!;
const workloads = docs.filter((d) => (d.kind === 'Deployment' || d.kind === 'Job') && d.spec?.template?.spec?.containers);

test('kustomization lists every manifest', () => {
  const kustomization = docs.find((d) => d.kind === 'Kustomization') as unknown as { resources: string[] };
  assert.deepEqual([...kustomization.resources].sort(), files.filter((f) => f !== 'kustomization.yaml').sort());
});

test('every variable the manifests set is one the code reads, and together they form a valid production config', () => {
  assert.ok(configMap && secret, 'rapport-config and rapport-secrets exist');
  for (const w of workloads) {
    for (const c of w.spec!.template!.spec!.containers!) {
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef) assert.equal(from.configMapRef.name, 'rapport-config', `${w.metadata.name}`);
        if (from.secretRef) assert.equal(from.secretRef.name, 'rapport-secrets', `${w.metadata.name}`);
      }
      const env: Record<string, string> = { ...configMap.data, ...secret.stringData };
      for (const e of c.env ?? []) env[e.name] = e.value ?? '';
      for (const name of Object.keys(env)) assert.ok(name in CONFIG_VARS, `${w.metadata.name}: ${name} is not a configuration variable`);
      // Placeholders stand for the operator's secrets.
      const real = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, k === 'JWT_SECRET' ? 'x'.repeat(48) : v]));
      const config = loadConfig(real);
      assert.equal(config.NODE_ENV, 'production');
      assert.equal(config.STORAGE_DRIVER, 's3', 'pods share no disk: blobs in object storage');
    }
  }
});

/** The variable each process takes its HTTP (health/metrics) port from. */
const PORT_VAR: Record<string, keyof typeof CONFIG_VARS> = { api: 'PORT', scheduler: 'SCHEDULER_PORT', worker: 'WORKER_PORT', 'bot-runner': 'BOT_RUNNER_PORT' };

test('every container runs an entry point that exists, and probes and ports match the process', () => {
  assert.ok(workloads.length >= 5);
  for (const w of workloads) {
    for (const c of w.spec!.template!.spec!.containers!) {
      const env: Record<string, string> = { ...configMap.data, ...secret.stringData, JWT_SECRET: 'x'.repeat(48) };
      for (const e of c.env ?? []) env[e.name] = e.value ?? '';
      const config = loadConfig(env);
      const entry = c.args?.[0] ?? '';
      const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      assert.match(entry, /^dist\/apps\/[a-z-]+\/src\/main\.js$/, `${w.metadata.name}`);
      assert.ok(existsSync(join(repoRoot(), source)), `${w.metadata.name}: ${source} exists`);
      for (const probe of [c.readinessProbe, c.livenessProbe]) {
        if (!probe?.httpGet) continue;
        assert.equal(probe.httpGet.path, '/health');
        const port = typeof probe.httpGet.port === 'number' ? probe.httpGet.port : c.ports?.find((p) => p.name === probe.httpGet!.port)?.containerPort;
        const app = /^dist\/apps\/([a-z-]+)\//.exec(entry)![1]!;
        const listens = config[PORT_VAR[app]!];
        assert.equal(port, listens, `${w.metadata.name}: the probe port is the one ${app} listens on (${PORT_VAR[app]})`);
      }
    }
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const target = hpa.spec!.scaleTargetRef!;
    assert.ok(docs.some((d) => d.kind === target.kind && d.metadata.name === target.name), `${hpa.metadata.name} scales an existing ${target.kind}`);
  }
});
