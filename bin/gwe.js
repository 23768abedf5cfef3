#!/usr/bin/env node
// Thin shell: all behaviour lives in dist/cli/main.js (testable in-process).
import { main, nodeIO } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2), nodeIO());
process.exitCode = code;
