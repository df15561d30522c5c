import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { AppContext } from '../../src/context.ts';
import { handleInactiveAccounts } from '../../src/identity/inactivity.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres.ts';
import type { ComposedMail } from '../../src/platform/mail/compose.ts';
import { createScratchDatabase, dropScratchDatabase } from '../e2e/helpers/server.ts';

/** One of two instances on the same PostgreSQL, each with its own connections and mail catcher. */
interface Instance {
  db: Database;
  fastify: FastifyInstance;
  app: AppContext;
  mails: ComposedMail[];
}

const accounts = 250;

/** Two instances' housekeeping racing on a real PostgreSQL (DESIGN.md §5: several instances never do a job twice). */
describe('inactivity deletion with two instances on PostgreSQL', () => {
  let scratch: { name: string; url: string };
  const clock = fixedClock(new Date());
  const instances: Instance[] = [];
  before(async () => {
    scratch = await createScratchDatabase();
    const { config } = loadConfig({ LOG_LEVEL: 'silent', START_EXAMPLE: 'false', DATABASE_URL: scratch.url });
    // One after the other: the first makes the installation's keys, the second finds them.
    for (let i = 0; i < 2; i++) {
      const db = createPostgresDatabase(scratch.url);
      if (i === 0) await migrate(db);
      const mails: ComposedMail[] = [];
      const mailTransport = { send: async (mail: ComposedMail) => void mails.push(mail), close: () => undefined };
      const { fastify, app } = await buildApp({ config, db, clock, mailTransport });
      instances.push({ db, fastify, app, mails });
    }
    // More accounts than one batch, unused for 19 months.
    await instances[0]?.db.query(
      `INSERT INTO accounts (username, email, email_verified_at, last_active_at)
       SELECT 'pg' || g, 'pg' || g || '@example.org', $1, $1::timestamptz - interval '19 months'
         FROM generate_series(1, ${accounts}) g`,
      [clock.now()],
    );
  });
  after(async () => {
    for (const instance of instances) {
      await instance.fastify.close();
      await instance.db.close();
    }
    if (scratch) await dropScratchDatabase(scratch.name);
  });

  const both = (work: (app: AppContext) => Promise<unknown>) =>
    Promise.all(instances.map((instance) => work(instance.app)));

  test('each account gets its first warning once, from one instance or the other', async () => {
    await both((app) => handleInactiveAccounts(app));
    await both((app) => app.jobs.runDue());
    const sent = instances.flatMap((instance) => instance.mails.map((mail) => mail.to));
    assert.equal(sent.length, accounts);
    assert.equal(new Set(sent).size, accounts, 'no address twice');
    await both((app) => handleInactiveAccounts(app));
    await both((app) => app.jobs.runDue());
    assert.equal(instances.flatMap((instance) => instance.mails).length, accounts, 'a second run sends nothing');
  });

  test('each account is deleted once, with one audit entry, when both instances run at the deletion day', async () => {
    // Three months on: the second warning; three more: the deletion.
    clock.advance(100 * 24 * 3600 * 1000);
    await both((app) => handleInactiveAccounts(app));
    await both((app) => app.jobs.runDue());
    assert.equal(instances.flatMap((instance) => instance.mails).length, 2 * accounts);
    clock.advance(100 * 24 * 3600 * 1000);
    await both((app) => handleInactiveAccounts(app));
    const left = await instances[0]?.db.query("SELECT 1 FROM accounts WHERE username LIKE 'pg%'");
    assert.equal(left?.rowCount, 0);
    const audit = await instances[0]?.db.query<{ subject: string }>(
      "SELECT subject FROM audit_events WHERE action = 'account.deleted'",
    );
    assert.equal(audit?.rowCount, accounts);
    assert.equal(new Set(audit?.rows.map((row) => row.subject)).size, accounts);
    assert.equal(await instances[0]?.app.audit.verify(instances[0].db), undefined, 'the audit hash chain is intact');
  });
});
