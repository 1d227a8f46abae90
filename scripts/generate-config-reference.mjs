// Writes docs/configuration.md from the environment schema's metadata. Run through
// `npm run docs:config`, which builds dist/ first; test/docs/config-reference.test.ts
// fails whenever the committed page differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { renderConfigReference } from '../dist/config/config-reference.js';
import { envSchema } from '../dist/config/env-schema.js';

const target = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
writeFileSync(target, renderConfigReference(envSchema));
console.log(`wrote ${target}`);
