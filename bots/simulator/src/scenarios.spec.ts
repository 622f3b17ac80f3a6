import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { parseScenario } from './scenario';

describe('shipped example scenarios (bots/simulator/scenarios)', () => {
  const dir = join(repoRoot(), 'bots', 'simulator', 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  test('there are examples', () => {
    assert.ok(files.length >= 2);
  });

  for (const file of files) {
    test(`${file} is a valid scenario`, () => {
      const body = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { scenario: unknown };
      const s = parseScenario(body.scenario);
      assert.ok(s.script.length > 0, 'has speech');
      assert.ok(s.hostEndsAfterMs !== undefined, 'ends by itself');
    });
  }
});
