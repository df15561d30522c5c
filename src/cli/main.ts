// The `servicekonto` command (bin/servicekonto.js): arguments and environment of this process, output to the terminal.
import { terminal } from './output.ts';
import { runCli } from './run.ts';

process.exitCode = await runCli(process.argv.slice(2), process.env, terminal);
