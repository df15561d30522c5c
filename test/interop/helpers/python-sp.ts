import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../e2e/helpers/server.ts';
import type { Idp } from './idp.ts';
import { run, startChild, waitForHttp } from './processes.ts';
import type { ServiceUnderTest } from './suite.ts';
import type { Landing } from './web-client.ts';

/** Debian's Python, where python3-pysaml2 and python3-onelogin-saml2 are installed (not a pyenv or venv one). */
export const systemPython = '/usr/bin/python3';

/** A self-signed RSA key and certificate as the toolkits' own documentation makes them (openssl req -x509). */
export async function selfSignedKey(
  workDir: string,
  name: string,
  commonName: string,
): Promise<{ keyFile: string; certFile: string }> {
  const keyFile = join(workDir, `${name}.key`);
  const certFile = join(workDir, `${name}.crt`);
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-subj',
      `/CN=${commonName}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { timeoutMs: 30_000 },
  );
  return { keyFile, certFile };
}

/** The `name=value` lines of the protected page of the Python SPs. */
function attributeOf(page: Landing, name: string): string | undefined {
  for (const item of page.html.querySelectorAll('#attributes li')) {
    const text = item.text;
    if (text.startsWith(`${name}=`)) return text.slice(name.length + 1);
  }
  return undefined;
}

/**
 * Starts one of the tiny Python SPs (test/interop/sp/*.py) on a free
 * loopback port with a fresh key, and reads its metadata from /metadata.
 */
export async function startPythonSp(
  script: string,
  idp: Idp,
  workDir: string,
  bpk2Names: string[],
): Promise<ServiceUnderTest> {
  const port = await freePort();
  const { keyFile, certFile } = await selfSignedKey(workDir, 'sp', '127.0.0.1');
  const idpMetadataFile = join(workDir, 'idp-metadata.xml');
  await writeFile(idpMetadataFile, idp.metadataXml);
  const scriptPath = fileURLToPath(new URL(`../sp/${script}`, import.meta.url));
  const child = startChild(
    script,
    systemPython,
    [scriptPath, String(port), idpMetadataFile, keyFile, certFile, idp.metadataUrl],
    { cwd: workDir },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/`, [child], 20_000);
    const response = await fetch(`${base}/metadata`);
    const metadataXml = await response.text();
    if (response.status !== 200)
      throw new Error(`${script} /metadata answered ${response.status}:\n${metadataXml}\n${child.output()}`);
    return {
      metadataXml,
      protectedUrl: `${base}/protected`,
      logoutUrl: `${base}/logout`,
      bpk2Of: (page) => bpk2Names.map((name) => attributeOf(page, name)).find((value) => value !== undefined),
      logs: () => Promise.resolve(child.output()),
      stop: () => child.stop(),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
