#!/usr/bin/env node
import module from 'node:module';

/*
 * The `token-bridge` command's entry point (the command itself is in command-line.ts).
 * Node ≥ 22.1 keeps the compiled code of every module it loads in a cache directory
 * (`NODE_COMPILE_CACHE`, else the system's temporary directory), and the next start reads
 * it instead of compiling again; start-up is mostly compiling modules. The cache must be on
 * before any module is loaded, hence this file and the dynamic import. Where the directory
 * cannot be written (a read-only file system), or on older Node, nothing changes.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */
// Declared by @types/node 22 but absent before Node 22.1, so looked up rather than assumed.
const { enableCompileCache } = module as { enableCompileCache?: () => unknown };
enableCompileCache?.();
await import('./command-line.js');
