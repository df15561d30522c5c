import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startIdp, type Idp } from './idp.ts';
import { textOf, WebClient, type Landing } from './web-client.ts';

/** bPK2 in the BundID profile (README, SAML attributes): 43 characters of base64url. */
export const bpk2Name = 'urn:oid:1.3.6.1.4.1.25484.494450.3';
const bpk2Shape = /^[A-Za-z0-9_-]{43}$/;

/** A service provider stack, started in its stock configuration for one run. */
export interface ServiceUnderTest {
  /** The SP's metadata as the stack itself generates it. */
  metadataXml: string;
  /** A page of the service that needs a login and shows the attributes the service received. */
  protectedUrl: string;
  /** Where the service starts its own (SP-initiated) single logout. */
  logoutUrl: string;
  /** The bPK2 value the protected page shows, if any. */
  bpk2Of(page: Landing): string | undefined;
  /**
   * How the stock stack sends the NameID of its LogoutRequest: in clear (the default here), or encrypted
   * (Shibboleth SP 3, issue 13 point 13: the test then proves the stock EncryptedID really travels).
   */
  logoutNameId?: 'NameID' | 'EncryptedID';
  /** The stack's own logs, for failure messages. */
  logs(): Promise<string>;
  stop(): Promise<void>;
}

export interface Stack {
  name: string;
  /** Starts the SP in `workDir` against our IdP (it knows only our metadata). */
  start(idp: Idp, workDir: string): Promise<ServiceUnderTest>;
}

/** The status code of the last LogoutResponse the browser carried (saml-core §3.7.2). */
function lastLogoutStatus(client: WebClient): string | undefined {
  const response = client
    .samlMessages()
    .filter((m) => m.field === 'SAMLResponse' && /LogoutResponse/.test(m.xml))
    .at(-1);
  return response && /<(?:\w+:)?StatusCode[^>]*Value="([^"]+)"/.exec(response.xml)?.[1];
}

/** The identifier element of the service's LogoutRequest to us (saml-core §3.7.1: BaseID, NameID or EncryptedID). */
function serviceLogoutNameId(client: WebClient, from: number): string | undefined {
  const request = client.hops
    .slice(from)
    .flatMap((hop) => (hop.saml ? [hop.saml] : []))
    .find((m) => m.field === 'SAMLRequest' && /LogoutRequest/.test(m.xml));
  return request && /<(?:\w+:)?(BaseID|NameID|EncryptedID)[\s>]/.exec(request.xml)?.[1];
}

/**
 * Defines the tests for one stack. Every step is its own test so that a
 * failure names the stack and the step; each step after registration uses
 * a fresh browser, so one failing step does not hide the next.
 */
export function interopSuite(stack: Stack): void {
  describe(`${stack.name} against Servicekonto`, () => {
    let workDir: string | undefined;
    let idp: Idp | undefined;
    let sp: ServiceUnderTest | undefined;
    let setupFailure: unknown;
    let registration: Error | undefined;

    before(async () => {
      try {
        workDir = await mkdtemp(join(tmpdir(), `interop-${stack.name.replace(/\W+/g, '-').toLowerCase()}-`));
        // The stacks' daemons run as an unprivileged user when we are root (helpers/apache.ts): they must reach their
        // own directories.
        await chmod(workDir, 0o755);
        idp = await startIdp(workDir);
        sp = await stack.start(idp, workDir);
      } catch (error) {
        setupFailure = error;
      }
    });

    after(async () => {
      await sp?.stop();
      await idp?.stop();
      // INTEROP_KEEP_TEMP=1 keeps the stack's configuration and logs for a closer look.
      if (workDir && process.env.INTEROP_KEEP_TEMP !== '1') await rm(workDir, { recursive: true, force: true });
      else if (workDir) console.log(`kept ${workDir}`);
    });

    const ready = (): { idp: Idp; sp: ServiceUnderTest } => {
      if (setupFailure !== undefined) throw setupFailure;
      assert.ok(idp && sp, 'the set-up did not run');
      return { idp, sp };
    };

    /** Everything that helps to read a failure: the hops with their SAML messages, our log, the stack's log. */
    const context = async (client: WebClient | undefined, page?: Landing): Promise<string> => {
      const parts: string[] = [];
      if (page) parts.push(`page ${page.status} ${page.url.href}: ${textOf(page).slice(0, 600)}`);
      if (client) parts.push(`hops:\n${client.describeHops()}`);
      if (idp) parts.push(`Servicekonto log:\n${idp.notableLog()}`);
      if (sp) parts.push(`${stack.name} log:\n${(await sp.logs()).slice(-4000)}`);
      return parts.join('\n\n');
    };

    /**
     * From the service's protected page through our login (method choice,
     * password, consent as far as asked) back to the service; returns the
     * page the service showed and the login pages shown.
     */
    const login = async (client: WebClient): Promise<{ page: Landing; pages: string[] }> => {
      const { idp, sp } = ready();
      const origin = new URL(idp.baseUrl).origin;
      let page = await client.navigate(sp.protectedUrl);
      const pages: string[] = [];
      for (let step = 0; step < 6 && page.url.origin === origin; step++) {
        const match = /^\/saml\/login\/([^/]+)(\/.*)?$/.exec(page.url.pathname);
        assert.ok(
          match && page.status === 200,
          `the service's request should lead to our login pages\n${await context(client, page)}`,
        );
        const base = `/saml/login/${match[1]}`;
        const rest = match[2] ?? '';
        if (rest === '' && page.html.querySelector(`a[href="${base}/password"]`)) {
          pages.push('choice');
          page = await client.navigate(new URL(`${base}/password`, origin));
        } else if (rest === '/password') {
          pages.push('password');
          page = await client.submit(page, `form[action="${base}/password"]`, idp.citizen);
        } else if (rest === '/consent') {
          pages.push('consent');
          page = await client.submit(page, `form[action="${base}/consent"]`);
        } else {
          break;
        }
      }
      assert.notEqual(
        page.url.origin,
        origin,
        `the login should end back at the service\n${await context(client, page)}`,
      );
      return { page, pages };
    };

    /**
     * Logs in (a precondition of the logout steps): the service shows its protected page, with or without attributes.
     */
    const loggedInAtService = async (client: WebClient): Promise<void> => {
      const { page } = await login(client);
      const target = new URL(ready().sp.protectedUrl);
      assert.ok(
        page.status === 200 && page.url.origin === target.origin && page.url.pathname === target.pathname,
        `logged in at the service first\n${await context(client, page)}`,
      );
    };

    /**
     * Visits the service's protected page: did the service send the browser
     * to us (its session is gone), and did our login page show (ours is gone
     * too)? A service whose session is gone but ours is not comes straight
     * back by single sign-on.
     */
    const visitService = async (
      client: WebClient,
    ): Promise<{ serviceSessionEnded: boolean; ourLoginPageShown: boolean }> => {
      const { idp, sp } = ready();
      const origin = new URL(idp.baseUrl).origin;
      const before = client.hops.length;
      const page = await client.navigate(sp.protectedUrl);
      return {
        serviceSessionEnded: client.hops.slice(before).some((hop) => new URL(hop.url).origin === origin),
        ourLoginPageShown:
          page.url.origin === origin && /^\/saml\/login\/[^/]+$/.test(page.url.pathname) && page.status === 200,
      };
    };

    /** Whether our session has ended: "Mein Konto" asks for a login (303 to the login page). */
    const ourSessionEnded = async (client: WebClient): Promise<boolean> => {
      const response = await client.request(`${ready().idp.baseUrl}/account`);
      await response.body?.cancel();
      return response.status === 303;
    };

    test(`${stack.name}: registers with \`sp add --metadata\` and nothing else`, async () => {
      const { idp, sp } = ready();
      try {
        const output = await idp.addServiceProvider(sp.metadataXml);
        assert.match(output, /Registered SAML service provider/);
      } catch (error) {
        registration = error as Error;
        throw new Error(`${(error as Error).message}\n\nthe stack's metadata:\n${sp.metadataXml}`, { cause: error });
      }
    });

    test(`${stack.name}: SP-initiated login: password and consent at our pages, back at the service, which received bPK2`, async () => {
      ready();
      if (registration) throw new Error('not registered, see the registration step');
      const client = new WebClient();
      const { page, pages } = await login(client);
      assert.ok(pages.includes('password'), `a first login asks for the password (pages: ${pages.join(', ')})`);
      assert.equal(page.status, 200, `the service's protected page after login\n${await context(client, page)}`);
      const bpk2 = ready().sp.bpk2Of(page);
      assert.ok(
        bpk2 !== undefined,
        `the service shows no ${bpk2Name} (bPK2) among its attributes\n${await context(client, page)}`,
      );
      assert.match(bpk2, bpk2Shape, 'bPK2 is 43 characters of base64url');
    });

    test(`${stack.name}: SP-initiated logout: the service gets Success, our session ends (the next login asks for the password again)`, async () => {
      const { sp } = ready();
      if (registration) throw new Error('not registered, see the registration step');
      const client = new WebClient();
      await loggedInAtService(client);

      const from = client.hops.length;
      const done = await client.navigate(sp.logoutUrl);
      // All facts at once, so that one run shows everything that differs.
      const facts = {
        serviceLogoutNameId: serviceLogoutNameId(client, from),
        ourLogoutResponse: lastLogoutStatus(client),
        logoutEndsAtService: done.url.origin === new URL(sp.protectedUrl).origin && done.status < 400,
        ourSessionEnded: await ourSessionEnded(client),
        ...(await visitService(client)),
      };
      assert.deepEqual(
        facts,
        {
          serviceLogoutNameId: sp.logoutNameId ?? 'NameID',
          ourLogoutResponse: 'urn:oasis:names:tc:SAML:2.0:status:Success',
          logoutEndsAtService: true,
          ourSessionEnded: true,
          serviceSessionEnded: true,
          ourLoginPageShown: true,
        },
        `after the service's logout\n${await context(client, done)}`,
      );
    });

    test(`${stack.name}: IdP-initiated logout from our /logout: the service gets our LogoutRequest, answers Success, and its session is gone`, async () => {
      const { idp } = ready();
      if (registration) throw new Error('not registered, see the registration step');
      const client = new WebClient();
      await loggedInAtService(client);

      const account = await client.navigate(`${idp.baseUrl}/account`);
      assert.equal(account.url.pathname, '/account', `"Mein Konto" is reachable\n${await context(client, account)}`);
      const done = await client.submit(account, 'form[action="/logout"]');
      const facts = {
        ourLogoutRequestSent: client
          .samlMessages()
          .some((m) => m.field === 'SAMLRequest' && /LogoutRequest/.test(m.xml)),
        serviceLogoutResponse: lastLogoutStatus(client),
        logoutEndsAt:
          done.url.origin === new URL(idp.baseUrl).origin
            ? `${done.status} ${done.url.pathname}`
            : `${done.status} ${done.url.href}`,
        ourSessionEnded: await ourSessionEnded(client),
        serviceSessionEnded: (await visitService(client)).serviceSessionEnded,
      };
      assert.deepEqual(
        facts,
        {
          ourLogoutRequestSent: true,
          serviceLogoutResponse: 'urn:oasis:names:tc:SAML:2.0:status:Success',
          logoutEndsAt: '200 /logout/done',
          ourSessionEnded: true,
          serviceSessionEnded: true,
        },
        `after our logout\n${await context(client, done)}`,
      );
    });
  });
}
