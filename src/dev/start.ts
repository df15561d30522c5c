import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';

/**
 * Development extras started beside the server (never in production): the
 * example online service arrives with issue "four-click journey"; until then
 * this only says so.
 */
export async function startDevelopmentExtras(_app: AppContext, log: FastifyBaseLogger): Promise<{ stop(): Promise<void> }> {
  log.info('Outbox for development mails: /dev/mail');
  return { stop: async () => undefined };
}
