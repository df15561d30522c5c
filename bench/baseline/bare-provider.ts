/**
 * The baseline: oidc-provider 9 with nothing of ours, in its own process
 * (forked by bench/run.ts). Its in-memory adapter, one ES256 signing key,
 * one confidential client allowed refresh_token and client_credentials,
 * refresh tokens rotated as ours are, and the same token and userinfo paths.
 * The refresh tokens it hands to the load generator are minted here
 * (a grant with `openid profile email` for an account that exists for
 * findAccount), since the bare library has no login pages of ours. With
 * `login`, it also answers the full login the load generator drives against
 * our server, with the smallest login an application of it needs
 * (bare-login.ts).
 *
 * Its settings come as the first IPC message, { port, clientId, clientSecret, redirectUri, refreshTokens, login? }
 * (the accounts of a login can be more than one command-line argument holds).
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { mountBareLogin, type BareLoginSettings } from './bare-login.ts';

interface Settings {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  refreshTokens: number;
  login?: BareLoginSettings;
}

const settings = await new Promise<Settings>((resolve) => process.once('message', (m) => resolve(m as Settings)));
const scope = 'openid profile email';

const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'bench-es256' };

const provider = new Provider(`http://localhost:${settings.port}`, {
  routes: { authorization: '/oidc/auth', token: '/oidc/token', userinfo: '/oidc/userinfo', jwks: '/oidc/jwks' },
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  clients: [
    {
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      redirect_uris: [settings.redirectUri],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  features: { devInteractions: { enabled: false }, clientCredentials: { enabled: true }, userinfo: { enabled: true } },
  rotateRefreshToken: true,
  ttl: { AccessToken: 600, ClientCredentials: 600, IdToken: 3600, RefreshToken: 12 * 3600, Grant: 14 * 24 * 3600 },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
});
if (settings.login) await mountBareLogin(provider, settings.login);

// The library warns once that its memory adapter is for development; that is the point of a baseline.
provider.listen(settings.port, '127.0.0.1', async () => {
  const client = await provider.Client.find(settings.clientId);
  if (!client) throw new Error('the baseline client is missing');
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  for (let i = 0; i < settings.refreshTokens; i++) {
    const accountId = `citizen-${i}`;
    const grant = new provider.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope(scope);
    const grantId = await grant.save();
    const refreshToken = new provider.RefreshToken({
      accountId,
      client,
      grantId,
      scope,
      gty: 'authorization_code',
      authTime: now,
      iiat: now,
      acr: 'urn:servicekonto:loa:basis',
      amr: ['pwd'],
      expiresWithSession: false,
    });
    tokens.push(await refreshToken.save());
  }
  process.send?.({ type: 'ready', refreshTokens: tokens });
});

process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
