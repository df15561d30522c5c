/**
 * Shibboleth SP 3 (Debian's libapache2-mod-shib and shibd) in a
 * self-contained Apache and shibd: a copy of the package's default
 * /etc/shibboleth in a temporary directory, found through the SHIBSP_*
 * variables both read. In shibboleth2.xml only what its comments ask every
 * deployment to fill in: the SP's entityID, the IdP's entityID (without the
 * discovery service, as for one IdP) and a MetadataProvider with our
 * metadata. Two settings follow from the test running on plain http
 * (handlerSSL="false", cookieProps="http"); everything else, encrypted
 * logout NameIDs included, is the default. Keys by shib-keygen (signing and
 * encryption, as the default CredentialResolvers expect), metadata from
 * the SP's own /Shibboleth.sso/Metadata handler. attribute-map.xml gets
 * the one line any Shibboleth service needs for an attribute it wants:
 * bPK2's URN mapped to the id "bpk2" (unmapped attributes are dropped).
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../e2e/helpers/server.ts';
import { daemonIdentity, handOver, printenvPage, printenvValue, startApache } from './helpers/apache.ts';
import { run, startChild, tail } from './helpers/processes.ts';
import { bpk2Name, interopSuite } from './helpers/suite.ts';

/** Edits one attribute of the first element that has it; throws if the default file no longer looks as expected. */
function replaceOnce(text: string, search: string | RegExp, replacement: string): string {
  const found = typeof search === 'string' ? text.includes(search) : search.test(text);
  if (!found) throw new Error(`the default shibboleth2.xml has no ${String(search)}`);
  return text.replace(search, replacement);
}

interopSuite({
  name: 'Shibboleth SP 3',
  async start(idp, workDir) {
    const dir = join(workDir, 'shibboleth');
    // SHIBSP_CFGDIR is the prefix the configuration directory "shibboleth" is found under, as /etc is.
    const cfgDir = join(dir, 'etc');
    const etc = join(cfgDir, 'shibboleth');
    const [runDir, cacheDir, logDir] = ['run', 'cache', 'log'].map((sub) => join(dir, sub)) as [string, string, string];
    for (const sub of [etc, runDir, cacheDir, logDir]) await mkdir(sub, { recursive: true });
    await cp('/etc/shibboleth', etc, { recursive: true });

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const entityId = `${base}/shibboleth`;
    const identity = daemonIdentity();
    const owner = identity
      ? ['-u', 'nobody', '-g', 'nogroup']
      : ['-u', String(process.getuid?.() ?? 0), '-g', String(process.getgid?.() ?? 0)];
    for (const name of ['sp-signing', 'sp-encrypt'])
      await run('/usr/sbin/shib-keygen', ['-o', etc, '-n', name, '-h', '127.0.0.1', '-e', entityId, '-b', ...owner], {
        timeoutMs: 60_000,
      });

    let config = await readFile(join(etc, 'shibboleth2.xml'), 'utf8');
    config = replaceOnce(config, 'entityID="https://sp.example.org/shibboleth"', `entityID="${entityId}"`);
    config = replaceOnce(
      config,
      /<SSO entityID="https:\/\/idp\.example\.org\/idp\/shibboleth"[^>]*>/,
      `<SSO entityID="${idp.metadataUrl}">`,
    );
    config = replaceOnce(config, 'handlerSSL="true" cookieProps="https"', 'handlerSSL="false" cookieProps="http"');
    config = replaceOnce(
      config,
      '<!-- Example of locally maintained metadata. -->',
      '<MetadataProvider type="XML" validate="true" path="idp-metadata.xml"/>',
    );
    await writeFile(join(etc, 'shibboleth2.xml'), config);
    await writeFile(join(etc, 'idp-metadata.xml'), idp.metadataXml);
    const attributeMap = replaceOnce(
      await readFile(join(etc, 'attribute-map.xml'), 'utf8'),
      /(<Attributes [^>]*>)/,
      `$1\n    <Attribute name="${bpk2Name}" id="bpk2"/>`,
    );
    await writeFile(join(etc, 'attribute-map.xml'), attributeMap);
    const logger = (await readFile(join(etc, 'shibd.logger'), 'utf8')).replaceAll('/var/log/shibboleth', logDir);
    await writeFile(join(etc, 'shibd.logger'), logger);
    await handOver(dir);

    const env = {
      ...process.env,
      SHIBSP_CFGDIR: cfgDir,
      SHIBSP_CONFIG: join(etc, 'shibboleth2.xml'),
      SHIBSP_RUNDIR: runDir,
      SHIBSP_CACHEDIR: cacheDir,
      SHIBSP_LOGDIR: logDir,
      SHIBSP_LISTENER_ADDRESS: join(runDir, 'shibd.sock'),
    };
    const shibd = startChild(
      'shibd',
      '/usr/sbin/shibd',
      ['-F', '-f', '-c', join(etc, 'shibboleth2.xml'), '-p', join(runDir, 'shibd.pid')],
      { cwd: dir, env, ...identity },
    );
    const logs = async (): Promise<string> =>
      `[shibd output]\n${shibd.output().slice(-3000)}\n[shibd.log]\n${await tail(join(logDir, 'shibd.log'), 40)}`;
    try {
      await waitForSocket(join(runDir, 'shibd.sock'), shibd, 30_000);
      await mkdir(join(dir, 'apache', 'htdocs', 'protected'), { recursive: true });
      await writeFile(join(dir, 'apache', 'htdocs', 'protected', 'index.shtml'), printenvPage);
      const apache = await startApache({
        dir: join(dir, 'apache'),
        port,
        env,
        extraModules: { mod_shib: 'mod_shib.so' },
        site: () => `
ShibConfig "${join(etc, 'shibboleth2.xml')}"
<Location /Shibboleth.sso>
  SetHandler shib
</Location>
<Location /protected>
  AuthType shibboleth
  ShibRequestSetting requireSession 1
  Require shib-session
</Location>
DirectoryIndex index.html index.shtml
`,
      });
      const response = await fetch(`${base}/Shibboleth.sso/Metadata`);
      const metadataXml = await response.text();
      if (response.status !== 200)
        throw new Error(
          `/Shibboleth.sso/Metadata answered ${response.status}: ${metadataXml}\n${await apache.errorLog()}\n${await logs()}`,
        );
      return {
        metadataXml,
        protectedUrl: `${base}/protected/`,
        logoutUrl: `${base}/Shibboleth.sso/Logout?return=${encodeURIComponent(`${base}/`)}`,
        bpk2Of: (page) => printenvValue(page.body, 'bpk2'),
        // Its default: the NameID of its LogoutRequest encrypted to our key from the metadata (issue 13, point 13).
        logoutNameId: 'EncryptedID',
        logs: async () => `${await apache.errorLog()}\n${await logs()}`,
        async stop() {
          await apache.stop();
          await shibd.stop();
        },
      };
    } catch (error) {
      await shibd.stop();
      throw new Error(`${(error as Error).message}\n${await logs()}`, { cause: error });
    }
  },
});

/** shibd is ready when its listener socket exists. */
async function waitForSocket(path: string, shibd: ReturnType<typeof startChild>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (shibd.process.exitCode !== null)
      throw new Error(`shibd exited with ${shibd.process.exitCode}:\n${shibd.output()}`);
    try {
      await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`shibd did not open ${path} within ${timeoutMs} ms:\n${shibd.output()}`);
}
