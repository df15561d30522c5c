#!/usr/bin/env node
// The `servicekonto` command; the TypeScript sources run directly on Node 24.
import '../src/cli/main.ts';
