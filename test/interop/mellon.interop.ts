/**
 * mod_auth_mellon (Debian's libapache2-mod-auth-mellon) in a self-contained
 * Apache, configured as its README's minimal example: keys and metadata made
 * by mellon_create_metadata, our metadata as MellonIdPMetadataFile, one
 * protected Location. The attributes arrive as MELLON_<name> variables,
 * shown by a server-side-include page.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../e2e/helpers/server.ts';
import { printenvPage, printenvValue, startApache } from './helpers/apache.ts';
import { run } from './helpers/processes.ts';
import { bpk2Name, interopSuite } from './helpers/suite.ts';

interopSuite({
  name: 'mod_auth_mellon',
  async start(idp, workDir) {
    const dir = join(workDir, 'mellon');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const entityId = `${base}/mellon/metadata`;
    const keys = join(dir, 'keys');
    await mkdir(keys, { recursive: true });
    // mellon_create_metadata ENTITY-ID ENDPOINT-URL writes <name>.key, .cert and .xml into the current directory.
    await run('/usr/sbin/mellon_create_metadata', [entityId, `${base}/mellon`], { cwd: keys, timeoutMs: 60_000 });
    const stem = entityId.replace(/[^0-9A-Za-z.]/g, '_').replace(/__*/g, '_');
    await copyFile(join(keys, `${stem}.xml`), join(keys, 'sp-metadata.xml'));
    await writeFile(join(keys, 'idp-metadata.xml'), idp.metadataXml);
    await mkdir(join(dir, 'htdocs', 'protected'), { recursive: true });
    await writeFile(join(dir, 'htdocs', 'protected', 'index.shtml'), printenvPage);

    const apache = await startApache({
      dir,
      port,
      extraModules: { auth_mellon_module: 'mod_auth_mellon.so' },
      site: () => `
<Location />
  MellonEnable info
  MellonEndpointPath /mellon/
  MellonSPMetadataFile "${keys}/sp-metadata.xml"
  MellonSPPrivateKeyFile "${keys}/${stem}.key"
  MellonSPCertFile "${keys}/${stem}.cert"
  MellonIdPMetadataFile "${keys}/idp-metadata.xml"
</Location>
<Location /protected>
  AuthType Mellon
  MellonEnable auth
  Require valid-user
</Location>
DirectoryIndex index.html index.shtml
`,
    });
    return {
      metadataXml: await readFile(join(keys, 'sp-metadata.xml'), 'utf8'),
      protectedUrl: `${base}/protected/`,
      logoutUrl: `${base}/mellon/logout?ReturnTo=${encodeURIComponent(`${base}/`)}`,
      bpk2Of: (page) => printenvValue(page.body, `MELLON_${bpk2Name}`),
      logs: () => apache.errorLog(),
      stop: () => apache.stop(),
    };
  },
});
