import type { AuthenticationMethod } from '../method.ts';
import { eidInfo } from './info.ts';
import { eidLevelWays } from './level-ways.ts';
import { eidMethodRoutes } from './routes.ts';
import { deleteExpiredEidTransactions } from './transaction-repository.ts';

/**
 * The eID card and Smart-eID as a registered method. Its readings,
 * links and pages live in this folder; app.ts mounts its `routes` when an
 * eID-Server or the simulator is configured (`available`).
 */
export function eidMethod(deps: { available: boolean }): AuthenticationMethod {
  return {
    ...eidInfo,
    available: deps.available,
    choice: { title: 'eid.choice.title', hint: 'eid.choice.hint' },
    routes: eidMethodRoutes,
    housekeeping: deleteExpiredEidTransactions,
    levelWays: eidLevelWays,
  };
}
