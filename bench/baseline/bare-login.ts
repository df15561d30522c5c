import { hash, verify } from '@node-rs/argon2';
import type Provider from 'oidc-provider';

export interface BareLoginSettings {
  accounts: { username: string; password: string }[];
  /** argon2id parameters, as the server under test uses them (bench/setup/installation.ts HashParams). */
  hash: { timeCost: number; memoryCost: number; parallelism: number };
}

const scope = 'openid profile email';

/** Escapes what the page echoes (the interaction's uid is the library's, but a page stays a page). */
const escaped = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The smallest login page an application of the bare library needs: one form, no styles, no compression. */
const loginPage = (uid: string) =>
  `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Anmelden</title></head><body><main>` +
  `<form method="post" action="/interaction/${escaped(uid)}/password">` +
  `<label>Benutzername <input name="username" autocomplete="username"></label>` +
  `<label>Passwort <input name="password" type="password" autocomplete="current-password"></label>` +
  `<button>Anmelden</button></form></main></body></html>`;

async function formOf(request: NodeJS.ReadableStream): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The login the bare library's own documentation sketches, added to the
 * baseline so a full login has a bound that is not ours: the interaction's
 * page (GET /interaction/:uid), the form's post verifying an argon2id hash
 * with @node-rs/argon2 at the server's parameters (as src/methods/password
 * does), a grant for the asked scopes and `interactionResult`, then the
 * library's resume and code exchange. Accounts and hashes live in memory.
 * What a real service adds (CSRF, throttles, sessions in a database, audit,
 * the method choice, pages citizens can use) is exactly what it leaves out.
 */
export async function mountBareLogin(provider: Provider, settings: BareLoginSettings): Promise<void> {
  const options = { algorithm: 2 as const, ...settings.hash };
  const stored = new Map<string, string>();
  for (const account of settings.accounts) stored.set(account.username, await hash(account.password, options));

  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([^/]+)(\/password)?$/.exec(ctx.path);
    if (!match) return next();
    if (ctx.method === 'GET' && !match[2]) {
      const interaction = await provider.interactionDetails(ctx.req, ctx.res);
      ctx.type = 'html';
      ctx.body = loginPage(interaction.uid);
      return;
    }
    if (ctx.method !== 'POST' || !match[2]) return next();
    const interaction = await provider.interactionDetails(ctx.req, ctx.res);
    const form = await formOf(ctx.req);
    const username = form.get('username') ?? '';
    const known = stored.get(username);
    if (!known || !(await verify(known, form.get('password') ?? ''))) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage(interaction.uid);
      return;
    }
    const clientId = String(interaction.params.client_id);
    const grant = new provider.Grant({ accountId: username, clientId });
    grant.addOIDCScope(scope);
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId: username }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(returnTo);
  });
}
