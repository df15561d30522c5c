/**
 * Exports `createEidService(options)` → `EidService`, `eidLevel(reading)`,
 * `eidAmr(eidType)` and the type `EidService`: the eID method assembled from
 * the configuration (issue 6).
 *
 * Switching from the simulator to a real eID-Server is configuration only:
 * the same client signs every request and pins the server's signing
 * certificate (TR-03130-1 §3.5.2) and presents the TLS client certificate
 * (§3.5.1). Outside production, keys that are not configured come from
 * DATA_DIR/eid-dev, which the simulator (built in or standalone) shares.
 */
import { readFile } from 'node:fs/promises';
import type { EidConfig } from '../../config/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { KeyWithCertificate } from '../../platform/crypto/certificate.ts';
import type { Level } from '../../session/limits.ts';
import { createEidClient, type EidClient } from './client.ts';
import { eidLinks, type EidLinks } from './link-repository.ts';
import type { SoapTransport } from './soap/transport.ts';
import type { EidType, LevelOfAssurance } from './soap/use-id.ts';
import { eidTransactions, type EidTransactions } from './transaction-repository.ts';

export interface EidService {
  config: EidConfig;
  client: EidClient;
  transactions: EidTransactions;
  links: EidLinks;
  /** The link that starts the citizen's eID client (TR-03130 §3.1.1 step 2; design notes §2). */
  handOverUrl(tcTokenUrl: string, userAgent: string | undefined): string;
}

export interface EidServiceOptions {
  config: EidConfig;
  production: boolean;
  db: Queryable;
  clock: Clock;
  box: SecretBox;
  linkKey: string;
  /** Keys from DATA_DIR/eid-dev (development): ours as eService, and the simulator's. */
  devKeys?: { client: KeyWithCertificate; simulator: KeyWithCertificate };
  /** The SOAP endpoint when the simulator is built in. */
  simulatorUrl?: string;
  /** Replaces the network (the built-in simulator is called in-process). */
  transport?: SoapTransport;
}

const mobile = /iphone|ipad|ipod|android/i;

async function readPem(path: string | undefined): Promise<string | undefined> {
  return path === undefined ? undefined : readFile(path, 'utf8');
}

export async function createEidService(o: EidServiceOptions): Promise<EidService> {
  const { config } = o;
  const signingKeyPem = await readPem(config.signingKeyFile);
  const signingCertPem = await readPem(config.signingCertFile);
  const signingKey =
    signingKeyPem && signingCertPem
      ? { privateKeyPem: signingKeyPem, certificatePem: signingCertPem }
      : o.devKeys?.client;
  const serverCertificate = (await readPem(config.serverSigningCertFile)) ?? o.devKeys?.simulator.certificatePem;
  if (!signingKey || !serverCertificate)
    throw new Error('eID: no signing key or server certificate (EID_SIGNING_CERT/KEY, EID_SERVER_SIGNING_CERT)');
  const serverUrl = config.serverUrl ?? o.simulatorUrl;
  if (!serverUrl) throw new Error('eID: no server URL');
  const tlsCert = await readPem(config.tlsCertFile);
  const tlsKey = await readPem(config.tlsKeyFile);
  const ca = await readPem(config.serverCaFile);
  const client = createEidClient({
    serverUrl,
    signingKey,
    serverCertificates: [serverCertificate],
    allowHttp: !o.production,
    ...(tlsCert !== undefined || ca !== undefined
      ? {
          tls: {
            ...(tlsCert !== undefined && { cert: tlsCert }),
            ...(tlsKey !== undefined && { key: tlsKey }),
            ...(ca !== undefined && { ca }),
          },
        }
      : {}),
    ...(o.transport && { transport: o.transport }),
    now: () => o.clock.now(),
  });
  return {
    config,
    client,
    transactions: eidTransactions(o.db, o.clock, o.box, config.transactionMinutes),
    links: eidLinks(o.db, o.clock, o.linkKey, config.sector),
    handOverUrl(tcTokenUrl, userAgent) {
      const base = mobile.test(userAgent ?? '') ? config.clientUrlMobile : config.clientUrl;
      return `${base}?tcTokenURL=${encodeURIComponent(tcTokenUrl)}`;
    },
  };
}

/**
 * The means level of a reading: the eID-Server's LevelOfAssuranceResult
 * (TR-03130-1 §3.3.12; a Smart-eID may be lower). Without one, only the
 * card itself is hoch (servers before TR-03130 2.4 send none for it); a
 * Smart-eID without a stated level, and `undefined`, reach no level.
 */
export function eidLevel(reading: {
  levelOfAssurance?: LevelOfAssurance | undefined;
  eidType?: EidType | undefined;
}): Level | undefined {
  switch (reading.levelOfAssurance) {
    case undefined:
      return reading.eidType === undefined || reading.eidType === 'CardCertified' ? 4 : undefined;
    case 'http://bsi.bund.de/eID/LoA/hoch':
      return 4;
    case 'http://bsi.bund.de/eID/LoA/substantiell':
      return 3;
    case 'http://bsi.bund.de/eID/LoA/normal':
      return 2;
    default:
      return undefined;
  }
}

/**
 * RFC 8176 values only (design notes §7): a card is a smart card with PIN, a Smart-eID a hardware-backed key with PIN;
 * both are two factors.
 */
export function eidAmr(eidType: EidType | undefined): string[] {
  return eidType === undefined || eidType === 'CardCertified' ? ['sc', 'pin', 'mfa'] : ['hwk', 'pin', 'mfa'];
}
