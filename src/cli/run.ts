import { ConfigError, loadConfig } from '../config/load.ts';
import { DataDirInUseError } from '../platform/db/data-dir-lock.ts';
import { openDatabase } from '../platform/db/open.ts';
import { migrate } from '../platform/db/migrate.ts';
import { UsageError } from './args.ts';
import { commands, usage } from './commands.ts';
import type { CliOutput } from './output.ts';

/**
 * `servicekonto <command>`: exit 0 on success, 2 on bad arguments or
 * configuration, 1 on failure. Output is plain text for people and scripts.
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliOutput): Promise<number> {
  const [group = '', maybeSub = '', ...rest] = argv;
  if (group === '' || group === 'help' || group === '--help' || group === '-h') {
    io.out(usage);
    return 0;
  }
  const twoWord = `${group} ${maybeSub}`;
  const name = commands[twoWord] ? twoWord : group;
  const command = commands[name];
  if (!command) {
    io.err(`servicekonto: unknown command "${argv.join(' ')}"\n\n${usage}`);
    return 2;
  }
  const args = name === twoWord ? rest : [maybeSub, ...rest].filter((a) => a !== '');
  let db;
  try {
    const { config } = loadConfig(env);
    const parsed = command.parse(args);
    db = await openDatabase(config);
    await migrate(db);
    await command.run(db, parsed, config, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`servicekonto ${name}: ${error.message}\n\nUsage: ${command.usage}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DataDirInUseError) {
      io.err(`servicekonto: ${error.message}`);
      return 2;
    }
    io.err(`servicekonto ${name} failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await db?.close();
  }
}
