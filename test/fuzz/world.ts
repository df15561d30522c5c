/**
 * The app under fuzzing and what the generated requests refer to: an
 * anonymous browser and a logged-in one, an OIDC client, a SAML service
 * provider, and the run-time values (`Live`) made on demand in a session:
 * a pending interaction, a card reading, a mailed link. Values are kept and
 * reused; a request may ask for a new one (`fresh`), within a budget per
 * target so that setting up flows does not eat the run.
 */
import { generateSync } from 'otplib';
import { ensureDevEidKeys } from '../../src/dev/eid-simulator/dev-keys.ts';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import { hashToken } from '../../src/platform/crypto/tokens.ts';
import type { SigningKey } from '../../src/platform/xml/signing-key.ts';
import { Browser, buildTestApp, goodPassword, linkFrom, type TestApp } from '../helpers/test-app.ts';
import { createServiceProvider, registerServiceProvider, type TestServiceProvider } from '../helpers/saml-sp.ts';
import { installNetworkStub } from './network.ts';
import { csrfOf, formField, get, post } from './visit.ts';

export interface FuzzAccount {
  id: string;
  username: string;
  email: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
}

export interface Session {
  name: string;
  browser: Browser;
}

export type Values = Record<string, string>;

export interface Maker {
  make(world: World, session: Session, args: readonly string[]): Promise<Values>;
  /** Made anew for every request (cheap values that change: the current TOTP code). */
  always?: boolean;
  /**
   * Used by one request only (a value that makes every later request slow), then `fallback(args)` once the budget is
   * spent.
   */
  single?: { fallback: (args: readonly string[]) => string };
  /**
   * One request (cheap, the default), a whole flow (costly: a card reading, a login), or about a second (slow: an eID
   * reading left pending).
   */
  cost?: Cost;
}

export type Cost = 'cheap' | 'costly' | 'slow';

export const oidcClient = {
  id: 'fuzz',
  secret: 'a-client-secret-of-sufficient-length-123',
  redirectUri: 'https://service.example/callback',
} as const;
export const publicClient = { id: 'fuzz-public', redirectUri: 'https://service.example/public' } as const;

/**
 * The data of the test card `erika` (src/dev/eid-simulator/cards.ts), verified at hoch for the fuzz accounts, so
 * recovery by eID finds them.
 */
const erika = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' };

export class World {
  readonly t: TestApp;
  readonly sp: TestServiceProvider;
  readonly sessions = new Map<string, Session>();
  account!: FuzzAccount;
  /** The eService key of the development eID setup (DATA_DIR/eid-dev), which the simulated eID-Server trusts. */
  eidClientKey!: SigningKey;
  /** Accounts the world registered itself (not the fuzzed requests). */
  accountsMade = 0;
  private readonly makers: Record<string, Maker>;
  private readonly cache = new Map<string, Values>();
  readonly makerFailures = new Map<string, number>();
  lastMakerError = '';
  private lastTotpStep = 0;
  private readonly left: Record<Cost, number> = { cheap: 0, costly: 0, slow: 0 };

  private constructor(t: TestApp, sp: TestServiceProvider, makers: Record<string, Maker>) {
    this.t = t;
    this.sp = sp;
    this.makers = makers;
  }

  static async create(makers: Record<string, Maker>): Promise<World> {
    installNetworkStub();
    // FUZZ_LOG_LEVEL=error shows the app's own log of a failure (its stack stays in the log, never in an answer).
    const t = await buildTestApp(process.env.FUZZ_LOG_LEVEL ? { LOG_LEVEL: process.env.FUZZ_LOG_LEVEL } : {});
    await t.app.services.upsertOidc(
      {
        client_id: oidcClient.id,
        client_secret: oidcClient.secret,
        client_name: 'Fuzz',
        redirect_uris: [oidcClient.redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        guest_login: true,
      },
      'Fuzz Online',
      'Stadt Musterstadt',
    );
    await t.app.services.upsertOidc(
      {
        client_id: publicClient.id,
        client_name: 'Fuzz public',
        redirect_uris: [publicClient.redirectUri],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      'Fuzz Public',
      'Stadt Musterstadt',
    );
    const sp = await createServiceProvider(t.app);
    // Given name and family name only: asking for the bPK2 would hide the guest login (flows/guest/offer.ts).
    await registerServiceProvider(t.app, sp, { guestLogin: true, attributes: ['urn:oid:2.5.4.42', 'urn:oid:2.5.4.4'] });
    const world = new World(t, sp, makers);
    world.eidClientKey = (await ensureDevEidKeys(t.app.config.dataDir, t.clock.now())).client;
    world.sessions.set('anon', { name: 'anon', browser: new Browser(t.fastify) });
    world.sessions.set('user', { name: 'user', browser: new Browser(t.fastify) });
    await get(world.session('anon').browser, '/login');
    await world.newAccount();
    return world;
  }

  session(name: string): Session {
    const session = this.sessions.get(name);
    if (!session) throw new Error(`no session ${name}`);
    return session;
  }

  /** Sets the budget of new values for the next target. */
  budget(runs: number): void {
    this.left.cheap = Math.max(8, Math.ceil(runs / 20));
    this.left.costly = Math.max(3, Math.ceil(runs / 200));
    this.left.slow = Math.max(1, Math.ceil(runs / 1000));
    this.cache.clear();
  }

  /**
   * A run-time value; `refreshed` holds the keys already made anew for this request, so all its fields come from one
   * making.
   */
  async live(session: Session, key: string, wantFresh: boolean, refreshed: Set<string>): Promise<Values> {
    const [name = '', ...args] = key.split(':');
    const maker = this.makers[name];
    if (!maker) throw new Error(`no maker for live value ${key}`);
    const cacheKey = `${session.name} ${key}`;
    const cached = this.cache.get(cacheKey);
    const cost = maker.cost ?? 'cheap';
    if (cached && refreshed.has(cacheKey)) return cached;
    if (maker.single) {
      // Used by one request only; when the budget is spent, the fallback stands in.
      if (this.left[cost] <= 0) return this.live(session, maker.single.fallback(args), wantFresh, refreshed);
      this.left[cost]--;
    } else if (maker.always !== true && cached) {
      if (!wantFresh || this.left[cost] <= 0) return cached;
      this.left[cost]--;
    }
    refreshed.add(cacheKey);
    let values: Values;
    try {
      // A flow of the logged-in browser starts from a live session (fuzzed requests end it at times).
      if (session.name === 'user' && maker.always !== true) await this.ensure('user');
      values = await maker.make(this, session, args);
    } catch (error) {
      // A flow that could not be set up (the fuzzing changed the account, a limit was hit): the request goes out with
      // empty values.
      this.makerFailures.set(name, (this.makerFailures.get(name) ?? 0) + 1);
      this.lastMakerError = `${key}: ${(error as Error).message}`;
      values = {};
    }
    this.cache.set(cacheKey, values);
    return values;
  }

  /** A new account with verified data, a TOTP and recovery codes, logged in in the `user` browser. */
  async newAccount(): Promise<void> {
    const n = ++this.accountsMade;
    const username = `fuzz.user${n}`;
    const email = `fuzz.user${n}@example.org`;
    const browser = new Browser(this.t.fastify);
    const form = await get(browser, '/register');
    const registered = await post(browser, '/register', {
      _csrf: csrfOf(form.body),
      username,
      email,
      password: goodPassword,
      password2: goodPassword,
      terms: 'yes',
    });
    if (registered.statusCode !== 303) throw new Error(`the fuzz account was not registered: ${registered.statusCode}`);
    await this.t.app.jobs.runDue();
    const link = await get(browser, linkFrom(this.t.mails.findLast((m) => m.to === email)));
    await post(browser, '/verify-email', { token: formField(link.body, 'token') });
    const found = await this.t.app.accounts.byLogin(username);
    if (!found) throw new Error('the fuzz account was not registered');
    await attributeRepository(this.t.app.db).setVerified(found.id, erika, {
      source: 'clerk',
      level: 4,
      at: this.t.clock.now(),
      evidence: { document: 'idcard', clerk: 'Fuzz' },
    });
    this.account = { id: found.id, username, email, password: goodPassword, totpSecret: '', recoveryCodes: [] };
    const user = this.session('user');
    user.browser.cookies.clear();
    if (!(await this.login(username, goodPassword))) throw new Error('the fuzz account cannot log in');
    const setup = await get(user.browser, '/account/totp/setup');
    const secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(setup.body)?.[1] ?? '';
    const done = await post(user.browser, '/account/totp/setup', { _csrf, code: this.totp(secret) });
    this.account.totpSecret = secret;
    this.account.recoveryCodes = [...done.body.matchAll(/<li><code>([A-Z0-9-]{11})<\/code><\/li>/g)].map(
      (m) => m[1] ?? '',
    );
    this.lastTotpStep = Math.floor(this.t.clock.now().getTime() / 30_000);
    await this.raise();
    // Makers' values belonged to the old account or session.
    this.cache.clear();
  }

  totp(secret = this.account.totpSecret): string {
    if (secret === '') return '000000';
    return generateSync({ secret, epoch: Math.floor(this.t.clock.now().getTime() / 1000) });
  }

  /**
   * Raises the `user` session to the account's means maximum with the authenticator app (/account/confirm/totp),
   * as "Mein Konto" asks before linking a card. A code counts once per time step: the clock moves on when needed.
   */
  async raise(): Promise<void> {
    const step = Math.floor(this.t.clock.now().getTime() / 30_000);
    if (step <= this.lastTotpStep) this.t.clock.advance(30_000);
    this.lastTotpStep = Math.floor(this.t.clock.now().getTime() / 30_000);
    const browser = this.session('user').browser;
    const page = await get(browser, '/account/confirm/totp');
    await post(browser, '/account/confirm/totp', { _csrf: csrfOf(page.body), code: this.totp() });
  }

  /**
   * After fuzzed requests: the `user` browser is logged in again, with a new account if its password or the account is
   * gone.
   */
  async ensure(sessionName: string): Promise<void> {
    if (sessionName !== 'user') return;
    const browser = this.session('user').browser;
    const account = await get(browser, '/account');
    if (account.statusCode === 200) {
      // Still logged in; a fuzzed login in this browser may have left a session below the authenticator app's level.
      const session = (
        await this.t.app.db.query<{ level: number }>('SELECT level FROM sso_sessions WHERE id = $1', [
          hashToken(browser.cookies.get(this.t.app.cookies.session) ?? ''),
        ])
      ).rows[0];
      if ((session?.level ?? 0) < 3) await this.raise();
      return;
    }
    if (await this.login(this.account.username, this.account.password)) {
      await this.raise();
      this.cache.clear();
      return;
    }
    await this.newAccount();
  }

  /** A password login in the `user` browser, from a clean jar. */
  async login(username: string, password: string): Promise<boolean> {
    const browser = this.session('user').browser;
    browser.cookies.clear();
    const form = await get(browser, '/login/password');
    const done = await post(browser, '/login/password', { _csrf: csrfOf(form.body), username, password });
    return done.statusCode === 303;
  }

  async close(): Promise<void> {
    await this.t.close();
  }
}
