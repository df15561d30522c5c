import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The KERN classes the project's markup can carry, read from the source itself
 * (templates in `src/**\/*.ts`, scripts in `src/web/static/`), so that a class a
 * page starts to use is in the stylesheet the next time the server starts,
 * without a build step to forget. A class built from a template value
 * (`kern-btn--` followed by a `${…}` placeholder) counts as its prefix: every KERN class that starts
 * with it is kept.
 */
export function usedKernClasses(sourceRoot: string): (name: string) => boolean {
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of sourceFiles(sourceRoot)) {
    for (const [token] of readFileSync(file, 'utf8').matchAll(/kern-[a-z0-9_-]*(?:\$\{)?/gi)) {
      if (token.endsWith('${')) prefixes.add(token.slice(0, -2));
      else exact.add(token);
    }
  }
  return (name) => !name.startsWith('kern-') || exact.has(name) || [...prefixes].some((p) => name.startsWith(p));
}

function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => (path.endsWith('.ts') && !path.endsWith('.test.ts')) || path.endsWith('.js'))
    .map((path) => join(root, path));
}
