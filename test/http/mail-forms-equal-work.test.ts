import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Database, Queryable } from '../../src/platform/db/database.ts';
import type { ComposedMail } from '../../src/platform/mail/compose.ts';
import { migratedDatabase } from '../helpers/db-template.ts';
import { Browser, goodPassword, registerVerified, type TestApp } from '../helpers/test-app.ts';

/**
 * The forms that mail whoever owns an identifier must not tell a known one
 * from an unknown one by their timing (issue 13, point 8). Wall-clock
 * thresholds are flaky on a loaded machine; instead the test records every
 * statement the request sends to the database and asks for the same list
 * on both paths: the same work takes the same time.
 */
interface Recorder {
  statements: string[];
  on: boolean;
}

function recording(db: Database, recorder: Recorder): Database {
  const note = (sql: string) => {
    if (recorder.on) recorder.statements.push(sql.replace(/\s+/g, ' ').trim());
  };
  const wrap = (q: Queryable): Queryable => ({
    query(sql, params) {
      note(sql);
      return q.query(sql, params);
    },
  });
  return {
    kind: db.kind,
    query(sql, params) {
      note(sql);
      return db.query(sql, params);
    },
    transaction(work) {
      note('BEGIN');
      return db.transaction((tx) => work(wrap(tx)));
    },
    exec: (sql) => db.exec(sql),
    listen: (channel, events) => db.listen(channel, events),
    close: () => db.close(),
  };
}

describe('mail-sending forms do the same work for known and unknown identifiers', () => {
  const recorder: Recorder = { statements: [], on: false };
  let t: TestApp;
  before(async () => {
    const { config } = loadConfig({
      LOG_LEVEL: 'silent',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      START_EXAMPLE: 'false',
    });
    const db = await migratedDatabase();
    const clock = fixedClock(new Date());
    const mails: ComposedMail[] = [];
    const { fastify, app } = await buildApp({
      config,
      db: recording(db, recorder),
      clock,
      mailTransport: { send: async (mail) => void mails.push(mail), close: () => undefined },
    });
    await fastify.ready();
    t = { fastify, app, clock, mails, close: async () => (await fastify.close(), await db.close()) };
    await registerVerified(t, new Browser(t.fastify));
    // An unconfirmed registration, for the form that sends a new confirmation link.
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/register');
    await browser.post('/register', {
      _csrf,
      username: 'max.m',
      email: 'max@example.org',
      password: goodPassword,
      password2: goodPassword,
      terms: 'yes',
    });
    await t.app.jobs.runDue();
    // Jobs run only when the test says so, never while a request is being recorded.
    t.app.jobs.kick = () => undefined;
  });
  after(() => t.close());

  /** The statements of one form post, after its page was loaded; no job runs in between. */
  async function statementsOf(page: string, action: string, form: Record<string, string>): Promise<string[]> {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf(page);
    await t.app.jobs.runDue();
    recorder.statements = [];
    recorder.on = true;
    const response = await browser.post(action, { _csrf, ...form });
    recorder.on = false;
    // The job poller may look for due jobs meanwhile (there are none: all ran before).
    const statements = recorder.statements.filter((sql) => !sql.startsWith('UPDATE jobs SET locked_until'));
    // Registration and "send again" answer with a redirect to the "check your mail" page (post/redirect/get).
    assert.equal(response.statusCode, action === '/register' || action === '/register/resend' ? 303 : 200);
    await t.app.jobs.runDue();
    return statements;
  }

  const forms = [
    {
      name: 'forgotten password by username',
      page: '/forgot-password',
      field: 'identifier',
      known: 'erika.m',
      unknown: 'nobody.here',
    },
    {
      name: 'forgotten password by address',
      page: '/forgot-password',
      field: 'identifier',
      known: 'erika@example.org',
      unknown: 'nobody@example.org',
    },
    {
      name: 'forgotten username',
      page: '/forgot-username',
      field: 'identifier',
      known: 'erika@example.org',
      unknown: 'nobody@example.org',
    },
    {
      name: 'new confirmation link',
      page: '/register/sent',
      action: '/register/resend',
      field: 'email',
      known: 'max@example.org',
      unknown: 'nobody@example.org',
    },
    { name: 'lost-means link', page: '/means/lost', field: 'identifier', known: 'erika.m', unknown: 'nobody.here' },
  ];

  test('registration: the same statements whether or not the address belongs to an account', async () => {
    const before = t.mails.length;
    const form = (username: string, email: string) => ({
      username,
      email,
      password: goodPassword,
      password2: goodPassword,
      terms: 'yes',
    });
    const taken = await statementsOf('/register', '/register', form('someone.one', 'erika@example.org'));
    const free = await statementsOf('/register', '/register', form('someone.two', 'new@example.org'));
    assert.deepEqual(taken, free);
    assert.equal(t.mails.at(-2)?.subject, 'Sie haben schon ein Servicekonto', 'the owner is told');
    assert.equal(t.mails.at(-1)?.subject, 'Bitte bestätigen Sie Ihre E-Mail-Adresse');
    assert.equal(t.mails.length, before + 2);
  });

  for (const form of forms) {
    test(`${form.name}: the same statements, and the mail still goes to the known one`, async () => {
      const action = form.action ?? form.page;
      const before = t.mails.length;
      const known = await statementsOf(form.page, action, { [form.field]: form.known });
      assert.equal(t.mails.length, before + 1, 'the known identifier gets its mail');
      const unknown = await statementsOf(form.page, action, { [form.field]: form.unknown });
      assert.equal(t.mails.length, before + 1, 'the unknown one gets none');
      assert.deepEqual(known, unknown);
    });
  }
});
