/**
 * Exports `eidSimulatorRoutes(options)`: a Fastify plugin serving a simulated
 * TR-03130 eID-Server SOAP endpoint (`POST {path}`, default `/eid`) and the
 * PAOS stand-in the simulated eID client talks to (`POST {paosPath}`,
 * default `/paos`, paos.ts), and the type `EidSimulatorOptions`. Development and tests only: not registered in
 * src/app.ts here; whoever wires it must keep it out of production (issue 6).
 *
 * Like a real server (TR-03130-1 §3.5.2) it answers only requests whose
 * WS-Security signature verifies with a trusted eService certificate, and
 * signs its answers. Faults of the request are answered in the protocol:
 * a SOAP/schema error with `/common#schemaViolation`, a signature error with
 * `/common#internalError` (design notes §4).
 * - useID stores the request and answers Session ID, PSK and, when
 *   configured, eCardServerAddress;
 * - getResult: RequestCounter must be greater than every earlier one
 *   (`invalidCounter` otherwise, which ends the session); `noResultYet`
 *   until `completeSession` ran; then the result once; then `invalidSession`.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SigningKey } from '../../platform/xml/signing-key.ts';
import type { XmlElement } from '../../platform/xml/build.ts';
import { EidServerError } from '../../methods/eid/soap/errors.ts';
import { getResultResponseElement, readGetResultRequest } from '../../methods/eid/soap/get-result.ts';
import { soapActions } from '../../methods/eid/soap/namespaces.ts';
import { serverMinor } from '../../methods/eid/soap/result.ts';
import { readUseIdRequest, useIdResponseElement } from '../../methods/eid/soap/use-id.ts';
import { signEnvelope, verifyEnvelope } from '../../methods/eid/soap/ws-security.ts';
import { paosRoutes } from './paos.ts';
import { addSession, findSession, removeSession, type SimulatorStore } from './sessions.ts';

export interface EidSimulatorOptions {
  store: SimulatorStore;
  /** The simulator's WS-Security key (the eService pins its certificate). */
  signingKey: SigningKey;
  /** eService certificates whose signatures are accepted. */
  trustedClientCertificates: readonly string[];
  /** Returned as eCardServerAddress (the PAOS stand-in), when set. */
  eCardServerAddress?: string;
  path?: string;
  /** Where the PAOS stand-in is served (default `/paos`); eCardServerAddress should name it. */
  paosPath?: string;
  now?: () => Date;
}

const maxBody = 256 * 1024;

export function eidSimulatorRoutes(options: EidSimulatorOptions) {
  const now = options.now ?? (() => new Date());
  const path = options.path ?? '/eid';

  return async function routes(fastify: FastifyInstance): Promise<void> {
    // SOAP 1.1 is text/xml (SOAP 1.1 §6.1.1); kept as a string for the hardened parser. Replaced
    // only inside this plugin's context, whatever parser the app that mounts it has.
    if (fastify.hasContentTypeParser('text/xml')) fastify.removeContentTypeParser('text/xml');
    fastify.addContentTypeParser('text/xml', { parseAs: 'string', bodyLimit: maxBody }, (_request, body, done) =>
      done(null, body),
    );
    await fastify.register(paosRoutes({ store: options.store, path: options.paosPath ?? '/paos', now }));

    // SOAP from the eID-Service, no form of ours (route-options.ts).
    fastify.post(path, { config: { csrf: false } }, async (request, reply) => {
      const action = String(request.headers.soapaction ?? '').replace(/^"|"$/g, '');
      const xml = typeof request.body === 'string' ? request.body : '';
      let message: Element;
      try {
        message = verifyEnvelope(xml, options.trustedClientCertificates, now()).message;
      } catch (error) {
        if (!(error instanceof EidServerError)) throw error;
        const minor =
          error.code === 'signature' || error.code === 'timestamp'
            ? serverMinor.internalError
            : serverMinor.schemaViolation;
        return refuse(reply, action, minor);
      }
      try {
        if (message.localName === 'useIDRequest' && action !== soapActions.getResult)
          return send(reply, useId(message));
        if (message.localName === 'getResultRequest' && action !== soapActions.useID)
          return send(reply, getResult(message));
        return refuse(reply, action, serverMinor.schemaViolation);
      } catch (error) {
        if (!(error instanceof EidServerError)) throw error;
        return refuse(reply, action, serverMinor.schemaViolation);
      }
    });
  };

  function useId(message: Element): XmlElement {
    const request = readUseIdRequest(message);
    const sessionId = randomBytes(16).toString('hex').toUpperCase();
    // TR-03130-1 §3.2.1: the eService may bring its own PSK; otherwise the server makes one.
    const psk = request.psk ?? {
      id: randomBytes(16).toString('hex'),
      key: randomBytes(32).toString('hex').toUpperCase(),
    };
    addSession(options.store, { sessionId, psk, request, createdAt: now().getTime(), lastCounter: 0 });
    return useIdResponseElement({
      result: { major: 'ok' },
      session: { id: sessionId },
      ...(options.eCardServerAddress !== undefined && { eCardServerAddress: options.eCardServerAddress }),
      psk,
    });
  }

  function getResult(message: Element): XmlElement {
    const request = readGetResultRequest(message);
    const session = findSession(options.store, request.sessionId, now());
    if (!session) return getResultResponseElement({ result: { major: 'error', minor: serverMinor.invalidSession } });
    if (request.requestCounter <= session.lastCounter) {
      removeSession(options.store, session);
      return getResultResponseElement({ result: { major: 'error', minor: serverMinor.invalidCounter } });
    }
    session.lastCounter = request.requestCounter;
    if (!session.answer)
      return getResultResponseElement({ result: { major: 'error', minor: serverMinor.noResultYet } });
    removeSession(options.store, session);
    return getResultResponseElement(session.answer);
  }

  function send(reply: FastifyReply, message: XmlElement): FastifyReply {
    return reply.type('text/xml; charset=utf-8').send(signEnvelope(message, options.signingKey, now()));
  }

  function refuse(reply: FastifyReply, action: string, minor: string): FastifyReply {
    const result = { major: 'error' as const, minor };
    return send(
      reply,
      action === soapActions.getResult ? getResultResponseElement({ result }) : useIdResponseElement({ result }),
    );
  }
}
