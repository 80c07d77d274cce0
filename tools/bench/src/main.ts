#!/usr/bin/env node
// The `portal-bench` executable.
import { runBench } from './cli.js';

process.exitCode = await runBench(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
