/**
 * Fault: every database connection of the server is cut (pg_terminate_backend)
 * a few times while citizens log in and register. The server must recover by
 * itself: /readyz back to 200 within seconds, later requests succeed, nothing
 * it acknowledged is lost, and a request that did fail gets a clean error
 * page, never a stack trace or a driver message.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser } from '../e2e/helpers/browser.ts';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  postgresAdminUrl,
  queryScratch,
} from '../e2e/helpers/server.ts';
import { startSmtpSink } from '../e2e/helpers/smtp-sink.ts';
import {
  confirmAddress,
  confirmationLink,
  logIn,
  newCitizen,
  register,
  showsAccount,
  stackTraceIn,
  Tally,
  type Citizen,
} from './helpers/citizen.ts';
import { launchServer, waitReady, type ServerProcess } from './helpers/server-process.ts';
import { partialRegistrations, registrationTotals, storedRegistrations } from './helpers/stored-registrations.ts';

const loginWorkers = 8;
const registrationWorkers = 4;
const cuts = 4;
const cutEveryMs = 2_500;
/** /readyz answers 200 again this soon after a cut. */
const readyWithinMs = 5_000;

let scratch: { name: string; url: string } | undefined;
let smtp: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
let server: ServerProcess | undefined;

before(async () => {
  scratch = await createScratchDatabase();
  smtp = await startSmtpSink();
});

after(async () => {
  await server?.stop();
  await smtp?.close();
  if (scratch) await dropScratchDatabase(scratch.name);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Cuts every connection to the scratch database; returns how many backends were terminated. */
async function cutConnections(database: string): Promise<number> {
  const [row] = await queryScratch<{ terminated: number }>(
    postgresAdminUrl,
    'SELECT count(*)::int AS terminated FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) AS cut',
    [database],
  );
  return row?.terminated ?? 0;
}

/** Registers and confirms a citizen before the load starts. */
async function confirmedCitizen(baseUrl: string, address: string): Promise<Citizen> {
  assert.ok(smtp);
  const citizen = newCitizen('cut');
  const tally = new Tally();
  const { acknowledged } = await register(new Browser(baseUrl), citizen, address, tally);
  assert.ok(acknowledged, `setting up ${citizen.username}: ${tally.summary()}`);
  const link = confirmationLink((await smtp.waitFor(citizen.email)).text);
  assert.ok(link);
  assert.equal(await confirmAddress(link), 303);
  return citizen;
}

test(`${cuts} cuts of every database connection under load: the server recovers and loses nothing it acknowledged`, async (t) => {
  assert.ok(scratch && smtp);
  const port = await freePort();
  server = await launchServer(
    childEnv({
      DATABASE_URL: scratch.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      START_EXAMPLE: 'false',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      TRUST_PROXY: '1',
    }),
    port,
  );
  const { baseUrl } = server;
  const citizens = await Promise.all(
    Array.from({ length: loginWorkers }, (_, i) => confirmedCitizen(baseUrl, `10.2.0.${i + 1}`)),
  );

  const tally = new Tally();
  const loggedIn: { browser: Browser; citizen: Citizen }[] = [];
  const registered: Citizen[] = [];
  const unacknowledged: Citizen[] = [];
  let logins = 0;
  let registrations = 0;
  let stopped = false;
  // A worker stops with the load, or when the server has died: then nothing is left to measure.
  const running = () => !stopped && server?.exit() === undefined;

  const loginLoop = async (citizen: Citizen, worker: number) => {
    while (running()) {
      logins++;
      const browser = new Browser(baseUrl);
      if (await logIn(browser, citizen, `10.3.0.${worker + 1}`, tally)) loggedIn.push({ browser, citizen });
    }
  };
  let nextAddress = 0;
  const registrationLoop = async () => {
    while (running()) {
      registrations++;
      const citizen = newCitizen('cutreg');
      // One address per registration: the hourly limit per address is not what this test is about.
      nextAddress++;
      const { acknowledged } = await register(
        new Browser(baseUrl),
        citizen,
        `10.4.${nextAddress >> 8}.${nextAddress & 255}`,
        tally,
      );
      (acknowledged ? registered : unacknowledged).push(citizen);
    }
  };
  const workers = [
    ...citizens.map((citizen, i) => loginLoop(citizen, i)),
    ...Array.from({ length: registrationWorkers }, () => registrationLoop()),
  ];

  const terminated: number[] = [];
  const recoveredInMs: number[] = [];
  let recovery: Error | undefined;
  try {
    await sleep(1_500);
    for (let cut = 0; cut < cuts && !recovery; cut++) {
      const cutAt = Date.now();
      terminated.push(await cutConnections(scratch.name));
      try {
        recoveredInMs.push(await waitReady(baseUrl, readyWithinMs, () => server?.exit() === undefined));
      } catch (error) {
        recovery = error as Error;
      }
      await sleep(Math.max(0, cutEveryMs - (Date.now() - cutAt)));
    }
    if (!recovery) await sleep(1_500);
  } finally {
    stopped = true;
    await Promise.all(workers);
  }
  t.diagnostic(
    `load: ${logins} logins (${loggedIn.length} acknowledged) and ${registrations} registrations (${registered.length} acknowledged) by ${loginWorkers + registrationWorkers} browsers`,
  );
  t.diagnostic(
    `cuts: ${terminated.join(', ')} backends terminated; /readyz 200 again after ${recoveredInMs.join(', ') || 'never'} ms`,
  );
  t.diagnostic(`answers seen: ${tally.summary()}`);

  const exit = server.exit();
  assert.equal(
    exit,
    undefined,
    `the server survives the cuts; it exited (${JSON.stringify(exit)}) after cut ${terminated.length}:\n${server.output().slice(-4000)}`,
  );
  assert.equal(recovery, undefined, `/readyz answers 200 within ${readyWithinMs} ms of every cut`);
  assert.ok(
    terminated.every((n) => n > 0),
    'each cut terminated connections of the server',
  );

  // Failed requests fail cleanly: the error page, no stack, no driver message.
  for (const outcome of tally.serverErrors) {
    assert.ok(outcome.kind === 'answered');
    assert.equal(
      stackTraceIn(outcome.body),
      undefined,
      `no stack trace in the ${outcome.status} answer to ${outcome.path}`,
    );
    assert.match(
      outcome.body,
      /<code>(internal|unavailable)<\/code>/,
      `the ${outcome.status} answer to ${outcome.path} is the error page`,
    );
  }

  // Later requests succeed: every citizen logs in (from a fresh address, so the throttle of failed tries does not
  // count), and a new registration goes through.
  const after = new Tally();
  for (const [i, citizen] of citizens.entries())
    assert.ok(
      await logIn(new Browser(baseUrl), citizen, `10.5.0.${i + 1}`, after),
      `${citizen.username} logs in after the cuts (${after.summary()})`,
    );
  const late = newCitizen('cutlate');
  assert.ok(
    (await register(new Browser(baseUrl), late, '10.5.1.1', after)).acknowledged,
    `a registration after the cuts is acknowledged (${after.summary()})`,
  );
  registered.push(late);

  // Nothing acknowledged is lost: every session still opens Mein Konto, every registration is stored whole.
  const sessionsLost = [];
  for (const { browser, citizen } of loggedIn)
    if (!(await showsAccount(browser, citizen, '10.5.2.1', after))) sessionsLost.push(citizen.username);
  assert.deepEqual(sessionsLost, [], 'every acknowledged login still has its session');
  const rows = await storedRegistrations(scratch.url);
  const stored = new Set(rows.map((row) => row.username));
  assert.deepEqual(
    registered.filter((c) => !stored.has(c.username)).map((c) => c.username),
    [],
    'every acknowledged registration is stored',
  );
  // Give the job worker a moment for mails queued just before the end.
  await sleep(1_000);
  assert.deepEqual(
    partialRegistrations(rows, (email) => smtp?.mails.some((m) => m.to.includes(email)) ?? false),
    [],
    'no registration is half written',
  );
  assert.deepEqual(
    await registrationTotals(scratch.url),
    { accounts: rows.length, mail_jobs: rows.length, registered_events: rows.length },
    'one mail job and one audit event per account',
  );
  // A cut during COMMIT may leave a registration stored whose browser saw the error page: not lost, only unconfirmed to
  // the citizen.
  const storedAnyway = unacknowledged.filter((c) => stored.has(c.username)).length;
  t.diagnostic(
    `after the cuts: ${citizens.length} logins and 1 registration succeeded, ${loggedIn.length} sessions checked, ${rows.length} accounts whole`,
  );
  t.diagnostic(`failed registrations: ${unacknowledged.length}, of which stored all the same: ${storedAnyway}`);
});
