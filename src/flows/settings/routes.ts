import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { accountView } from './account-view.ts';
import { connectionRoutes } from './connection-routes.ts';
import { dataRoutes } from './data-routes.ts';
import { emailRoutes } from './email-routes.ts';
import { needsSecondFactor } from './guard.ts';
import { meansRoutes } from './means-routes.ts';
import { passwordRoutes } from './password-routes.ts';
import { profileRoutes } from './profile-routes.ts';
import { secondFactorLoginRoutes } from './second-factor-login-routes.ts';
import { accountSections } from './sections.ts';
import { sessionRoutes } from './session-routes.ts';

/**
 * "Mein Konto" (DESIGN.md §2, account row) in sections (issue 15, point 2): the overview, then one page per
 * section (sections.ts), each with its forms in a file of their own. A form goes back to its own page: on success by
 * a redirect with the notice, with errors as that page again.
 */
export function settingsRoutes(app: AppContext) {
  const view = accountView(app);

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/account', (request, reply) => view.show(request, reply, 'overview'));
    // The sections beyond the overview need the second factor, like every form on them (guard.ts).
    for (const section of accountSections) {
      if (section.id === 'overview' || !section.shown) continue;
      fastify.get(section.path, needsSecondFactor, (request, reply) => view.show(request, reply, section.id));
    }
    await fastify.register(profileRoutes(app, view));
    await fastify.register(emailRoutes(app, view));
    await fastify.register(passwordRoutes(app, view));
    await fastify.register(secondFactorLoginRoutes(app, view));
    await fastify.register(
      meansRoutes(app, async (request, reply, notice, errors) =>
        errors
          ? view.show(request, reply, 'security', { errors }, 400)
          : view.done(request, reply, 'security', { kind: 'success', text: notice }),
      ),
    );
    await fastify.register(sessionRoutes(app, view));
    await fastify.register(connectionRoutes(app, view));
    await fastify.register(dataRoutes(app, view));
  };
}
