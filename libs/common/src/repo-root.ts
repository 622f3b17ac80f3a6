import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root, found by walking up to the nearest package.json named "rapport".
 * Code runs both from sources (tsx) and from dist/, so paths to shipped assets
 * (fixtures, migrations, simulator pages) must never be built from __dirname directly.
 */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pkg = require(candidate) as { name?: string };
      if (pkg.name === 'rapport') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`repoRoot: no rapport package.json above ${from}`);
    dir = parent;
  }
}
