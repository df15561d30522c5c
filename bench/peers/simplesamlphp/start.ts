import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateKeyWithCertificate } from '../../../src/platform/crypto/certificate.ts';
import { treeMeter, type ServerMeter } from '../../lib/proc.ts';
import type { Fixtures, SamlFixture } from '../../lib/types.ts';
import { handOver, modPhp, startApache } from './apache.ts';
import { documentRoot, writeConfig } from './config.ts';

export interface SimpleSamlPhp {
  /** "SimpleSAMLphp 1.19.7" */
  name: string;
  /** All processes of its Apache: the parent and the prefork workers that run PHP. */
  meter: ServerMeter;
  idleMemoryBytes: number;
  fixtures: Fixtures;
  stop(): Promise<void>;
}

/** What the peer needs that may be missing, or undefined when it can run. */
export function missing(): string | undefined {
  const needed = [join(documentRoot, 'saml2', 'idp', 'SSOService.php'), '/usr/sbin/apache2', modPhp];
  const absent = needed.filter((path) => !existsSync(path));
  return absent.length === 0
    ? undefined
    : `SimpleSAMLphp is not installed (no ${absent.join(', ')}; Debian's simplesamlphp, apache2 and libapache2-mod-php, as test/interop/install.sh installs them)`;
}

function packageVersion(): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'simplesamlphp'], { encoding: 'utf8' }).replace(
      /-.*$/,
      '',
    );
  } catch {
    return '(version unknown)';
  }
}

/**
 * SimpleSAMLphp from the Debian package as a SAML IdP in an Apache of its
 * own (apache.ts, config.ts), for the same node-saml service provider as
 * our SAML scenario (its entity, ACS and keys in `sp`). The browsers log in
 * at its UserPass source while the scenario prepares.
 */
export async function startSimpleSamlPhp(sp: SamlFixture, validateEvery: number): Promise<SimpleSamlPhp> {
  const dir = await mkdtemp(join(tmpdir(), 'sk-bench-ssp-'));
  try {
    // avoided by taking the port first (startApache picks a free one; the config names it).
    const idpKey = await generateKeyWithCertificate('RSA-3072', 'signing', 'simplesamlphp bench idp', new Date());
    const user = { username: 'erika', password: randomBytes(12).toString('base64url') };
    const configPromise = (base: string) =>
      writeConfig({
        dir,
        base,
        idpKey,
        user,
        sp: {
          entityId: sp.entityId,
          acs: sp.acs,
          slo: sp.slo,
          signingCertificatePem: sp.signing.certificatePem,
          encryptionCertificatePem: sp.encryption.certificatePem,
        },
      });
    let written: Awaited<ReturnType<typeof configPromise>> | undefined;
    const apache = await startApache({
      dir: join(dir, 'apache'),
      documentRoot,
      configure: async (base) => {
        written = await configPromise(base);
        await handOver(dir);
        return { SIMPLESAMLPHP_CONFIG_DIR: written.configDir };
      },
    });
    if (!written) throw new Error('SimpleSAMLphp was not configured');
    const { idpEntityId, ssoUrl } = written;
    const metadata = await fetch(`${apache.base}/saml2/idp/metadata.php?output=xhtml`);
    if (metadata.status !== 200) {
      const text = await metadata.text();
      await apache.stop();
      throw new Error(
        `SimpleSAMLphp's IdP metadata answered ${metadata.status}: ${text.slice(0, 500)}\n${await apache.errorLog()}`,
      );
    }
    await metadata.body?.cancel();
    const meter = treeMeter(apache.pid);
    await sleep(1000);
    return {
      name: `SimpleSAMLphp ${packageVersion()}`,
      meter,
      idleMemoryBytes: meter.memoryBytes(),
      fixtures: {
        baseUrl: apache.base,
        tokenPath: '',
        userinfoPath: '',
        authorizationPath: '',
        client: { id: '', secret: '', redirectUri: '' },
        accounts: [user],
        saml: {
          ...sp,
          idpEntityId,
          idpCertificates: [idpKey.certificatePem],
          ssoUrl,
          validateEvery,
        },
      },
      async stop() {
        await apache.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
