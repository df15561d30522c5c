import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/schema.ts';
import type { AppContext } from '../../context.ts';
import type { Clock } from '../../platform/clock.ts';
import { installationSecret } from '../../platform/crypto/installation-secrets.ts';
import { secretBox } from '../../platform/crypto/secret-box.ts';
import type { Database } from '../../platform/db/database.ts';
import { createEidService, type EidService } from './service.ts';

/**
 * The eID method from the configuration (issue 6). Outside production the
 * keys not configured come from DATA_DIR/eid-dev, and the simulator is
 * mounted when configured; a production start never loads the simulator's
 * modules (they are imported only here, only outside production).
 */
export async function setUpEid(
  fastify: FastifyInstance,
  config: Config,
  db: Database,
  clock: Clock,
): Promise<{ service: EidService; mountSimulator?: (app: AppContext) => Promise<void> }> {
  const eidConfig = config.eid;
  if (!eidConfig) throw new Error('eID is not configured');
  const box = secretBox(await installationSecret(db, 'eid_box'));
  const linkKey = await installationSecret(db, 'eid_link_key');
  const base = { config: eidConfig, production: config.production, db, clock, box, linkKey };
  if (config.production) return { service: await createEidService(base) };
  const { ensureDevEidKeys } = await import('../../dev/eid-simulator/dev-keys.ts');
  const devKeys = await ensureDevEidKeys(config.dataDir, clock.now());
  if (!eidConfig.simulator) return { service: await createEidService({ ...base, devKeys }) };
  const { inProcessTransport } = await import('../../dev/eid-simulator/in-process.ts');
  const simulatorPrefix = '/dev/eid-simulator';
  const service = await createEidService({
    ...base,
    devKeys,
    simulatorUrl: `${config.publicUrl}${simulatorPrefix}/eid`,
    transport: inProcessTransport(fastify),
  });
  return {
    service,
    async mountSimulator(app) {
      const { eidSimulatorRoutes } = await import('../../dev/eid-simulator/server.ts');
      const { createSimulatorStore } = await import('../../dev/eid-simulator/sessions.ts');
      const { eidClientRoutes } = await import('../../dev/eid-client/routes.ts');
      const store = createSimulatorStore({ sector: eidConfig.sector });
      await fastify.register(
        eidSimulatorRoutes({
          store,
          signingKey: devKeys.simulator,
          trustedClientCertificates: [devKeys.client.certificatePem],
          eCardServerAddress: `${config.publicUrl}${simulatorPrefix}/paos`,
          now: () => clock.now(),
        }),
        { prefix: simulatorPrefix },
      );
      await fastify.register(eidClientRoutes(app));
    },
  };
}
