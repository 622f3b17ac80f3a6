import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { buildSchemaSdl } from './schema-sdl';

// Needs decorator metadata: runs from the tsc build (dist/), like every Nest test.
test('docs/schema.graphql matches the schema the resolvers build (regenerate: npm run graphql:schema)', async () => {
  const committed = readFileSync(join(repoRoot(), 'docs/schema.graphql'), 'utf8');
  const built = await buildSchemaSdl();
  assert.equal(committed, built);
  assert.match(built, /type Query \{/);
  assert.match(built, /teamInsights\(/);
});
