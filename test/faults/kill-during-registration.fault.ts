/**
 * Fault: `kill -9` of the server while 200 browsers register at once.
 *
 * A registration writes, in one transaction (src/flows/registration/routes.ts):
 * the accounts row, its password means, the verify_email link, the mail job
 * and the audit event. After the kill and a restart on the same database
 * every registration must be whole or absent, and every one the browser was
 * told about ("check your mail") must be there: the 200 page is sent only
 * after the commit.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { auditLog } from '../../src/audit/audit-log.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres.ts';
import { Browser } from '../e2e/helpers/browser.ts';
import { childEnv, createScratchDatabase, dropScratchDatabase, freePort, queryScratch } from '../e2e/helpers/server.ts';
import { startSmtpSink } from '../e2e/helpers/smtp-sink.ts';
import {
  confirmAddress,
  confirmationLink,
  newCitizen,
  register,
  stackTraceIn,
  Tally,
  type Citizen,
} from './helpers/citizen.ts';
import { launchServer, type ServerProcess } from './helpers/server-process.ts';
import { partialRegistrations, registrationTotals, storedRegistrations } from './helpers/stored-registrations.ts';

const registrations = 200;
/** The kill comes once this many were acknowledged, with most of the rest in flight. */
const killAfterAcknowledged = 60;

let scratch: { name: string; url: string } | undefined;
let smtp: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
const servers: ServerProcess[] = [];

before(async () => {
  scratch = await createScratchDatabase();
  smtp = await startSmtpSink();
});

after(async () => {
  for (const server of servers) await server.stop();
  await smtp?.close();
  if (scratch) await dropScratchDatabase(scratch.name);
});

test(`kill -9 during ${registrations} concurrent registrations: each is whole or absent, none acknowledged is lost`, async (t) => {
  assert.ok(scratch && smtp);
  const port = await freePort();
  const env = childEnv({
    DATABASE_URL: scratch.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    START_EXAMPLE: 'false',
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    // Each browser comes from its own address, as 200 citizens would: the limit of 10 registrations an hour per address
    // stays out of the way.
    TRUST_PROXY: '1',
  });
  const first = await launchServer(env, port);
  servers.push(first);

  const citizens: Citizen[] = Array.from({ length: registrations }, () => newCitizen('kill'));
  const acknowledged = new Set<string>();
  const tally = new Tally();
  let inFlightAtKill = 0;
  let settled = 0;
  let killed: Promise<void> | undefined;
  const started = Date.now();
  await Promise.all(
    citizens.map(async (citizen, i) => {
      const result = await register(new Browser(first.baseUrl), citizen, `10.1.${i >> 8}.${i & 255}`, tally);
      settled++;
      if (result.acknowledged) acknowledged.add(citizen.username);
      if (!killed && acknowledged.size >= killAfterAcknowledged) {
        inFlightAtKill = registrations - settled;
        killed = first.kill9();
      }
    }),
  );
  await killed;
  const killedAfterMs = Date.now() - started;
  assert.ok(
    killed,
    `the server was killed (only ${acknowledged.size} acknowledged before all ${registrations} finished)`,
  );
  assert.equal(first.exit()?.signal, 'SIGKILL', 'the server died of the SIGKILL');
  assert.ok(inFlightAtKill > 0, 'registrations were in flight when the server was killed');

  const second = await launchServer(env, port);
  servers.push(second);

  const rows = await storedRegistrations(scratch.url);
  const present = new Map(rows.map((row) => [row.username, row]));
  const mailed = (email: string) => smtp?.mails.some((m) => m.to.includes(email)) ?? false;
  assert.deepEqual(partialRegistrations(rows, mailed), [], 'no registration is half written');
  assert.deepEqual(
    await registrationTotals(scratch.url),
    { accounts: rows.length, mail_jobs: rows.length, registered_events: rows.length },
    'one mail job and one audit event per account, none without one',
  );

  const lost = [...acknowledged].filter((username) => !present.has(username));
  assert.deepEqual(lost, [], 'every acknowledged registration survived the kill');
  const unacknowledgedButStored = citizens.filter(
    (c) => present.has(c.username) && !acknowledged.has(c.username),
  ).length;
  const absent = citizens.filter((c) => !present.has(c.username)).length;

  for (const outcome of tally.serverErrors) {
    assert.ok(outcome.kind === 'answered');
    assert.equal(
      stackTraceIn(outcome.body),
      undefined,
      `no stack trace in the ${outcome.status} answer to ${outcome.path}`,
    );
  }

  const db = createPostgresDatabase(scratch.url);
  try {
    assert.equal(await auditLog(systemClock).verify(db), undefined, 'the audit hash chain is intact after the kill');
  } finally {
    await db.close();
  }

  // The restarted server delivers the queued mails; those the killed one had claimed wait for their lease (2 minutes)
  // to lapse.
  const deadline = Date.now() + 20_000;
  let due = -1;
  let leased = 0;
  while (Date.now() < deadline) {
    const [jobs] = await queryScratch<{ due: number; leased: number }>(
      scratch.url,
      `SELECT count(*) FILTER (WHERE locked_until IS NULL OR locked_until < now())::int AS due, count(*) FILTER (WHERE locked_until >= now())::int AS leased
       FROM jobs WHERE done_at IS NULL AND attempts < 8`,
    );
    due = jobs?.due ?? -1;
    leased = jobs?.leased ?? 0;
    if (due === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal(due, 0, 'the restarted server delivered every queued mail that was not leased by the killed one');

  // The acknowledged citizens can confirm their address with the link from the mail.
  let confirmed = 0;
  let waitingForMail = 0;
  for (const username of acknowledged) {
    const row = present.get(username);
    assert.ok(row);
    const mail = smtp.mails.find((m) => m.to.includes(row.email));
    if (!mail) {
      waitingForMail++;
      continue;
    }
    const link = confirmationLink(mail.text);
    assert.ok(link, `the mail to ${row.email} holds the confirmation link`);
    const status = await confirmAddress(link);
    assert.equal(status, 303, `confirming ${username} after the restart answered ${status}`);
    confirmed++;
  }
  assert.ok(
    waitingForMail <= leased,
    `${waitingForMail} acknowledged citizens have no mail yet, more than the ${leased} mails the killed server had leased`,
  );

  t.diagnostic(
    `${registrations} registrations started; kill -9 after ${killedAfterMs} ms with ${inFlightAtKill} in flight`,
  );
  t.diagnostic(
    `acknowledged ${acknowledged.size}, stored but unacknowledged ${unacknowledgedButStored}, absent ${absent}; partial 0, lost 0`,
  );
  t.diagnostic(`answers seen: ${tally.summary()}`);
  t.diagnostic(
    `after restart: ${smtp.mails.length} mails delivered, ${leased} leased by the killed server; ${confirmed} acknowledged citizens confirmed their address`,
  );
});
