#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript in ../dist (built by `pnpm install`).
import { runFromProcess } from '../dist/src/entry.js';
runFromProcess();
