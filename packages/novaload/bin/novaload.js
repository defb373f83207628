#!/usr/bin/env node
// The published CLI: the bundle in ../dist (scripts/bundle.mjs), run as the workspace's bin runs.
import { runFromProcess } from '../dist/novaload.js';
runFromProcess();
