import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { pageContext } from '../web/page.ts';
import { decodePostMessage, readSamlPostForm, sendPostForm, type PostForm } from './bindings/post.ts';
import { SamlBindingError } from './bindings/errors.ts';

/** The page that carries a message to a service by HTTP-POST (saml-bindings §3.5), in the citizen's language. */
export function postFormPage(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  form: PostForm,
): FastifyReply {
  const p = pageContext(app, request, reply);
  return sendPostForm(reply, p, form, {
    title: p.t('saml.post.title'),
    noscriptHint: p.t('saml.post.noscript'),
    continueLabel: p.t('saml.post.continue'),
  });
}

/** A message received by HTTP-POST: which one, its XML, and the RelayState. */
export function readPostMessage(
  body: unknown,
  expected: 'SAMLRequest' | 'SAMLResponse' | 'either',
): { kind: 'SAMLRequest' | 'SAMLResponse'; message: string; relayState: string | undefined } {
  const form = readSamlPostForm(body);
  if (expected !== 'either' && form.kind !== expected) throw new SamlBindingError('missing_message', expected);
  return { kind: form.kind, message: decodePostMessage(form.message), relayState: form.relayState };
}
