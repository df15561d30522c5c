import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoginRequest } from './request.ts';

export type LoginPageRequest = FastifyRequest<{ Params: { uid?: string } }>;

/**
 * Where logins come in: OIDC interactions, SAML logins, the stand-alone
 * login. Every login page (method choice, password, the second factors,
 * the eID) is registered once under each door's prefix and asks the door
 * for its `LoginRequest`.
 */
export interface LoginFrontDoor {
  /** Fastify route prefix, e.g. `/interaction/:uid`. */
  prefix: string;
  /** The login at its method choice; throws `interaction_expired` when there is none. */
  load(request: LoginPageRequest, reply: FastifyReply): Promise<LoginRequest>;
  /**
   * Before the method choice or the password page is shown: an answer that
   * needs no page (the session answers, the login is past its method
   * choice), or undefined to show the page.
   */
  landing(request: LoginPageRequest, reply: FastifyReply, page: 'choice' | 'password'): Promise<FastifyReply | undefined>;
  /**
   * Whether a password login here may remember the device (methods/password/device-cookie.ts).
   * The SAML door never did; kept so nothing a citizen sees changes.
   */
  rememberDevice: boolean;
}
