import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { SamlService } from '../services/service-repository.ts';
import { postFormPage } from './post-page.ts';
import { signRootElement } from './crypto/sign-element.ts';
import { signRedirectQuery } from './crypto/sign-query.ts';
import { signingKeyFor } from './idp.ts';

export interface Endpoint {
  binding: 'redirect' | 'post';
  url: string;
}

/**
 * Sends a protocol message through the browser to a service: HTTP-Redirect
 * with the signature over the query (saml-bindings §3.4.4.1), or HTTP-POST
 * with an enveloped XML signature (§3.5.4). Every message we send is signed.
 */
export async function sendToService(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  o: {
    service: SamlService;
    endpoint: Endpoint;
    parameter: 'SAMLRequest' | 'SAMLResponse';
    xml: string;
    relayState: string | undefined;
  },
): Promise<FastifyReply> {
  const key = await signingKeyFor(app, o.service);
  // ECDSA on both bindings; RSASSA-PSS only in XML: few service stacks check it on a query, so redirects use RSA-SHA256
  // then.
  if (o.endpoint.binding === 'redirect') {
    const algorithm = o.service.config.signature === 'ecdsa-sha256' ? 'ecdsa-sha256' : 'rsa-sha256';
    const query = signRedirectQuery(
      { kind: o.parameter, xml: o.xml, ...(o.relayState !== undefined ? { relayState: o.relayState } : {}) },
      key,
      algorithm,
    );
    return reply.redirect(`${o.endpoint.url}${o.endpoint.url.includes('?') ? '&' : '?'}${query}`, 303);
  }
  const signed = signRootElement(o.xml, key, o.service.config.signature);
  const fields: Record<string, string> = {
    [o.parameter]: Buffer.from(signed, 'utf8').toString('base64'),
    ...(o.relayState !== undefined ? { RelayState: o.relayState } : {}),
  };
  return postFormPage(app, request, reply, { action: o.endpoint.url, fields });
}

/** A service's logout endpoint for requests (or for responses, with its ResponseLocation); Redirect preferred. */
export function logoutEndpoint(service: SamlService, purpose: 'request' | 'response'): Endpoint | undefined {
  const endpoints = service.config.singleLogout;
  const chosen = endpoints.find((e) => e.binding === 'redirect') ?? endpoints[0];
  if (!chosen) return undefined;
  return { binding: chosen.binding, url: purpose === 'response' ? (chosen.responseUrl ?? chosen.url) : chosen.url };
}
