import { execFileSync } from 'node:child_process';

/** The commit measured, marked when the server or the bench differ from it. */
export function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench', 'migrations', 'package.json'], {
      encoding: 'utf8',
    }).trim();
    return changed ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}
