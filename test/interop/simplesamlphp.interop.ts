/**
 * SimpleSAMLphp 1.19 (Debian's simplesamlphp) under PHP's built-in server:
 * a copy of the package's /etc/simplesamlphp in a temporary directory
 * (SIMPLESAMLPHP_CONFIG_DIR), with what its SP quickstart asks for: the
 * IdP's entityID in the `default-sp` authsource, our metadata as a metadata
 * source (the XML source type), and the "Enabling a certificate for your
 * Service Provider" step (a key pair made with openssl, as `privatekey` and
 * `certificate`). Besides: directories and logs in the temporary directory,
 * a secret salt instead of Debian's secrets file, and secure session
 * cookies off because the test runs on plain http. The SP metadata comes
 * from SimpleSAMLphp's own metadata.php; the protected page is the stock
 * "test authentication sources" page, which lists the attributes.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../e2e/helpers/server.ts';
import { daemonIdentity, handOver } from './helpers/apache.ts';
import { run, startChild, tail, waitForHttp } from './helpers/processes.ts';
import { bpk2Name, interopSuite } from './helpers/suite.ts';
import { textOf } from './helpers/web-client.ts';

const installation = '/usr/share/simplesamlphp';

function replaceOnce(text: string, search: string, replacement: string): string {
  if (!text.includes(search)) throw new Error(`the default SimpleSAMLphp configuration has no ${search}`);
  return text.replace(search, replacement);
}

interopSuite({
  name: 'SimpleSAMLphp',
  async start(idp, workDir) {
    const dir = join(workDir, 'simplesamlphp');
    const configDir = join(dir, 'config');
    for (const sub of ['log', 'data', 'tmp', 'sessions', 'cert']) await mkdir(join(dir, sub), { recursive: true });
    await cp('/etc/simplesamlphp', configDir, { recursive: true, dereference: true });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;

    // The quickstart's certificate step: openssl req -newkey rsa:3072 -new -x509 -days 3652 -nodes -out saml.crt
    // -keyout saml.pem
    // It stays: our metadata says WantAuthnRequestsSigned="true" (issue 13, point 15), which SimpleSAMLphp's
    // SAMLParser turns into `sign.authnrequest`, and a default-sp without a key then fails before sending
    // anything ("No private key found in metadata"). Its logout messages stay unsigned (`sign.logout` is off).
    await run(
      'openssl',
      [
        'req',
        '-newkey',
        'rsa:3072',
        '-new',
        '-x509',
        '-days',
        '3652',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-out',
        join(dir, 'cert', 'saml.crt'),
        '-keyout',
        join(dir, 'cert', 'saml.pem'),
      ],
      { timeoutMs: 60_000 },
    );
    await writeFile(join(dir, 'idp-metadata.xml'), idp.metadataXml);

    let config = await readFile(join(configDir, 'config.php'), 'utf8');
    config = replaceOnce(config, "'baseurlpath' => 'simplesamlphp/',", "'baseurlpath' => '/',");
    config = replaceOnce(config, "'certdir' => '/etc/ssl/certs/',", `'certdir' => '${dir}/cert/',`);
    config = replaceOnce(config, "'loggingdir' => '/var/log/simplesamlphp/',", `'loggingdir' => '${dir}/log/',`);
    config = replaceOnce(config, "'datadir' => '/var/lib/simplesamlphp/data/',", `'datadir' => '${dir}/data/',`);
    config = replaceOnce(config, "'tempdir' => '/tmp/simplesaml',", `'tempdir' => '${dir}/tmp',`);
    config = replaceOnce(config, "'logging.handler' => 'syslog',", "'logging.handler' => 'file',");
    config = replaceOnce(
      config,
      "'logging.level' => SimpleSAML\\Logger::NOTICE,",
      "'logging.level' => SimpleSAML\\Logger::DEBUG,",
    );
    config = replaceOnce(config, "'session.cookie.secure' => true,", "'session.cookie.secure' => false,");
    config = replaceOnce(
      config,
      "'session.phpsession.savepath' => null,",
      `'session.phpsession.savepath' => '${dir}/sessions',`,
    );
    config = replaceOnce(
      config,
      "        ['type' => 'flatfile'],\n    ],",
      `        ['type' => 'flatfile'],\n        ['type' => 'xml', 'file' => '${dir}/idp-metadata.xml'],\n    ],`,
    );
    config = replaceOnce(
      config,
      "require_once('/var/lib/simplesamlphp/secrets.inc.php');",
      `$config['secretsalt'] = '${randomBytes(24).toString('hex')}';\n$config['auth.adminpassword'] = '${randomBytes(12).toString('hex')}';`,
    );
    await writeFile(join(configDir, 'config.php'), config);

    let authsources = await readFile(join(configDir, 'authsources.php'), 'utf8');
    authsources = replaceOnce(
      authsources,
      "        'idp' => null,",
      `        'idp' => '${idp.metadataUrl}',\n        'privatekey' => 'saml.pem',\n        'certificate' => 'saml.crt',`,
    );
    await writeFile(join(configDir, 'authsources.php'), authsources);
    await handOver(dir);

    const env = { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: configDir };
    const php = startChild('php', '/usr/bin/php', ['-S', `127.0.0.1:${port}`, '-t', join(installation, 'www')], {
      cwd: dir,
      env,
      ...daemonIdentity(),
    });
    const logs = async (): Promise<string> =>
      `[php -S]\n${php.output().slice(-2500)}\n[simplesamlphp.log]\n${await tail(join(dir, 'log', 'simplesamlphp.log'), 40)}`;
    try {
      await waitForHttp(`${base}/`, [php], 20_000);
      const response = await fetch(`${base}/module.php/saml/sp/metadata.php/default-sp`);
      const metadataXml = await response.text();
      if (response.status !== 200)
        throw new Error(`metadata.php answered ${response.status}: ${metadataXml.slice(0, 2000)}`);
      return {
        metadataXml,
        protectedUrl: `${base}/module.php/core/authenticate.php?as=default-sp`,
        logoutUrl: `${base}/module.php/core/authenticate.php?as=default-sp&logout`,
        bpk2Of: (page) =>
          new RegExp(`${bpk2Name.replaceAll('.', '\\.')}\\s*([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`).exec(
            textOf(page),
          )?.[1],
        logs,
        stop: () => php.stop(),
      };
    } catch (error) {
      await php.stop();
      throw new Error(`${(error as Error).message}\n${await logs()}`, { cause: error });
    }
  },
});
