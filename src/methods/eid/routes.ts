import type { AppContext } from '../../context.ts';
import { recoveryEidScope } from '../../flows/recovery/eid-scope.ts';
import { guestRoutes, guestScopes } from '../../flows/guest/routes.ts';
import type { MethodDoors, MethodRoutes } from '../method.ts';
import { eidAccountRoutes } from './account/routes.ts';
import { eidLoginScopes } from './login/scopes.ts';
import { eidRoutes, eidTcTokenRoute } from './reading/routes.ts';
import { recoveryEidRoutes } from './recovery/routes.ts';
import { eidRegistrationRoutes } from './registration/routes.ts';

/**
 * Every route of the eID card as a first factor (the method's `routes`
 * hook, registered by app.ts when an eID-Server or the simulator is
 * configured): one TC-token address, a card reading under each login door,
 * registration, "Mein Konto", recovery and the guest login.
 */
export function eidMethodRoutes(app: AppContext, doors: MethodDoors): MethodRoutes {
  return async (fastify) => {
    await fastify.register(eidTcTokenRoute(app));
    for (const scope of eidLoginScopes(app, doors.login)) await fastify.register(eidRoutes(app, scope));
    // Registering with the card, and linking, refreshing and blocking it on "Mein Konto".
    await fastify.register(eidRegistrationRoutes(app));
    await fastify.register(eidAccountRoutes(app));
    // Recovery by eID (TR-03160-1): the reading, then the new password.
    await fastify.register(eidRoutes(app, recoveryEidScope(app)));
    await fastify.register(recoveryEidRoutes(app));
    // Guest login: once, without an account, for services that allow it.
    for (const scope of guestScopes(app, doors.guest)) await fastify.register(eidRoutes(app, scope));
    await fastify.register(guestRoutes(app, doors.guest));
  };
}
