#!/usr/bin/env node
// The gateway ships as TypeScript; tsx compiles it on load (esbuild, no type checking at run time).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
