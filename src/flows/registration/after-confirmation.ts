import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { safeReturnTo } from '../../web/page.ts';
import type { LinkRecord } from '../email-links.ts';

// The return paths of a service's login (oidc/login-request.ts, saml/login/login-request.ts).
const oidcLogin = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/;
const samlLogin = /^\/saml\/login\/(s_[A-Za-z0-9_-]{1,64})$/;

/**
 * At registration: the service whose login the citizen came from, kept with
 * the confirmation link (migration 0010) because the pending login itself
 * lives only in this browser and only for minutes.
 */
export async function serviceOfReturn(
  app: AppContext,
  request: FastifyRequest,
  returnTo: string | undefined,
): Promise<string | undefined> {
  const oidc = returnTo ? oidcLogin.exec(returnTo) : null;
  if (oidc?.[1]) {
    const clientId = (await app.provider.Interaction.find(oidc[1]))?.params.client_id;
    return typeof clientId === 'string' ? clientId : undefined;
  }
  const saml = returnTo ? samlLogin.exec(returnTo) : null;
  if (saml?.[1]) return (await app.saml.pending.load(saml[1], request.cookies[app.cookies.saml]))?.request.serviceId;
  return undefined;
}

/**
 * A fresh login at the service: its `initiate_login_uri` (OpenID Connect
 * Core 1.0 §4, third-party initiated login; https only, Dynamic Client
 * Registration §2) with the required `iss`; else our own login, where the
 * notice says the account is active.
 */
export async function freshLogin(app: AppContext, serviceId: string | undefined): Promise<string> {
  // Ids are client ids or entityIDs: printable ASCII (the query may bring anything else).
  const known = serviceId !== undefined && /^[\x21-\x7e]{1,500}$/.test(serviceId);
  const service = known ? await app.services.byId(serviceId) : undefined;
  const start = service?.protocol === 'oidc' ? service.config.initiate_login_uri : undefined;
  if (typeof start !== 'string' || !URL.canParse(start) || new URL(start).protocol !== 'https:') return '/login';
  const url = new URL(start);
  url.searchParams.set('iss', app.config.publicUrl);
  return url.href;
}

/**
 * Where a confirmed citizen goes (issue 15, point 1): back into the login
 * they came from where this browser holds it; else a fresh login at that
 * service or ours. Never to a login this browser cannot continue ("Die
 * Anmeldung hat zu lange gedauert"): the link is often opened on another
 * device, or hours later.
 */
export async function afterConfirmation(app: AppContext, request: FastifyRequest, link: LinkRecord): Promise<string> {
  const returnTo = safeReturnTo(link.returnTo ?? undefined);
  const service = link.serviceId ? `?service=${encodeURIComponent(link.serviceId)}` : '';
  // oidc-provider's interaction cookie is sent only below the interaction's path: resume-route.ts decides there.
  if (returnTo && oidcLogin.test(returnTo)) return `${returnTo}/resume${service}`;
  const saml = returnTo ? samlLogin.exec(returnTo) : null;
  if (returnTo && saml?.[1]) {
    const pending = await app.saml.pending.load(saml[1], request.cookies[app.cookies.saml]);
    return pending && !pending.completed ? returnTo : freshLogin(app, link.serviceId ?? undefined);
  }
  // A page of "Mein Konto" (safeReturnTo): after the login.
  if (returnTo) return `/login?return=${encodeURIComponent(returnTo)}`;
  return freshLogin(app, link.serviceId ?? undefined);
}
