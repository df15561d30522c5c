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
   * The method choice or the password page: answers without the page where
   * none is needed (the session answers, the login is past its method
   * choice), else `show()`. A callback, not a returned "no answer": a
   * reply is thenable, so an awaited one can never be told from undefined.
   */
  landing(
    request: LoginPageRequest,
    reply: FastifyReply,
    page: 'choice' | 'password',
    show: () => Promise<FastifyReply>,
  ): Promise<FastifyReply>;
  /**
   * Whether a password login here may remember the device (methods/password/device-cookie.ts).
   * The SAML door never did; kept so nothing a citizen sees changes.
   */
  rememberDevice: boolean;
}
