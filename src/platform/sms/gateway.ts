/** One text message to one phone number (E.164). */
export interface SmsMessage {
  to: string;
  text: string;
}

/**
 * How SMS leave the Servicekonto (DESIGN.md §5: a gateway interface with a
 * development sink). A send either reaches the gateway or throws, so the
 * citizen learns at once that no TAN is on its way.
 */
export interface SmsGateway {
  send(message: SmsMessage): Promise<void>;
}

export class SmsDeliveryError extends Error {}

/** Gateways answer within seconds or not at all; the citizen is waiting. */
const timeoutMs = 10_000;

/**
 * An HTTP gateway: `POST` of `{ "to", "text", "from" }` as JSON, with a
 * bearer token when one is configured. Any 2xx counts as accepted. Providers
 * with another format sit behind a small adapter that speaks this one.
 */
export function httpSmsGateway(options: {
  url: string;
  token: string | undefined;
  sender: string;
  fetch?: typeof fetch;
}): SmsGateway {
  const send = options.fetch ?? fetch;
  return {
    async send(message) {
      let response: Response;
      try {
        response = await send(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
          body: JSON.stringify({ to: message.to, text: message.text, from: options.sender }),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        throw new SmsDeliveryError(`SMS gateway unreachable: ${(error as Error).message}`);
      }
      // The body is not needed; reading it frees the connection.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new SmsDeliveryError(`SMS gateway answered ${response.status}`);
    },
  };
}
