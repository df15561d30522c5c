import type { FastifyInstance } from 'fastify';
import type { SoapTransport } from '../../methods/eid/soap/transport.ts';

/**
 * The built-in simulator is called through the app's own router instead of
 * the network: the SOAP messages, signatures and checks are the same, and
 * it works whatever address the process listens on. A second simulator
 * (EID_SERVER_URL) is reached over real HTTP.
 */
export function inProcessTransport(fastify: FastifyInstance): SoapTransport {
  return async (url, action, body) => {
    const response = await fastify.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` },
      payload: body,
    });
    return {
      status: response.statusCode,
      contentType: String(response.headers['content-type'] ?? ''),
      text: response.body,
    };
  };
}
