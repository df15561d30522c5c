import { cpuUsage } from 'node:process';
import { hash, verify } from '@node-rs/argon2';
import type { HashParams } from './setup/installation.ts';

export interface HashReference {
  timeCost: number;
  memoryKiB: number;
  parallelism: number;
  /** argon2id verifications per CPU second, one after another in this process: a login's ceiling. */
  verifiesPerCpuSecond: number;
}

/**
 * What the password hash alone allows: verifications in a loop for about
 * `seconds`, divided by this process's CPU time (all threads: @node-rs/argon2
 * hashes on the libuv pool). A full login does one verification, so its
 * figure per CPU second can at best approach this one.
 */
export async function measureHash(params: HashParams, seconds: number): Promise<HashReference> {
  const options = {
    algorithm: 2,
    timeCost: Number(params.ARGON2_TIME_COST),
    memoryCost: Number(params.ARGON2_MEMORY_KIB),
    parallelism: Number(params.ARGON2_PARALLELISM),
  };
  const stored = await hash('reference password 42', options);
  await verify(stored, 'reference password 42');
  const start = cpuUsage();
  const until = Date.now() + seconds * 1000;
  let count = 0;
  while (Date.now() < until) {
    if (!(await verify(stored, 'reference password 42'))) throw new Error('the reference hash did not verify');
    count++;
  }
  const used = cpuUsage(start);
  return {
    timeCost: options.timeCost,
    memoryKiB: options.memoryCost,
    parallelism: options.parallelism,
    verifiesPerCpuSecond: count / ((used.user + used.system) / 1e6),
  };
}
