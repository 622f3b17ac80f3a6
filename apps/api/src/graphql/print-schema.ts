import 'reflect-metadata';
import { buildSchemaSdl } from './schema-sdl';

/** Writes the GraphQL schema to stdout: `npm run graphql:schema` pipes it into docs/schema.graphql. */
buildSchemaSdl().then(
  (sdl) => process.stdout.write(sdl),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
