import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { accountView } from './account-view.ts';
import { connectionRoutes } from './connection-routes.ts';
import { dataRoutes } from './data-routes.ts';
import { emailRoutes } from './email-routes.ts';
import { meansRoutes } from './means-routes.ts';
import { passwordRoutes } from './password-routes.ts';
import { profileRoutes } from './profile-routes.ts';
import { secondFactorLoginRoutes } from './second-factor-login-routes.ts';

/**
 * "Mein Konto" (DESIGN.md §2, account row): the overview, then one file per section (issue 15):
 * personal data and e-mail, login and security, connected services, data and account.
 */
export function settingsRoutes(app: AppContext) {
  const view = accountView(app);

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/account', (request, reply) => view.show(request, reply));
    await fastify.register(profileRoutes(app, view));
    await fastify.register(emailRoutes(app, view));
    await fastify.register(passwordRoutes(app, view));
    await fastify.register(secondFactorLoginRoutes(app, view));
    await fastify.register(
      meansRoutes(app, (request, reply, notice, errors) =>
        errors
          ? view.show(request, reply, { errors }, 400)
          : view.show(request, reply, { notice: { kind: 'success', text: notice } }),
      ),
    );
    await fastify.register(connectionRoutes(app, view));
    await fastify.register(dataRoutes(app, view));
  };
}
