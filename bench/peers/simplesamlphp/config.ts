import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyWithCertificate } from '../../../src/platform/crypto/certificate.ts';

/** Where Debian's simplesamlphp package puts the configuration it ships and the code. */
export const packageConfig = '/etc/simplesamlphp';
export const documentRoot = '/usr/share/simplesamlphp/www';

/** The service provider as SimpleSAMLphp's saml20-sp-remote needs it: node-saml's entity, ACS and two certificates. */
export interface RemoteSp {
  entityId: string;
  acs: string;
  slo: string;
  signingCertificatePem: string;
  encryptionCertificatePem: string;
}

const php = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const der = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

function replaceOnce(text: string, search: string, replacement: string): string {
  if (!text.includes(search)) throw new Error(`the packaged SimpleSAMLphp configuration has no ${search}`);
  return text.replace(search, replacement);
}

/**
 * A scratch configuration directory (SIMPLESAMLPHP_CONFIG_DIR) for
 * SimpleSAMLphp 1.19 as a SAML IdP, from the package's own config.php with
 * as few changes as its IdP quickstart asks for: the IdP enabled, the
 * exampleauth module (UserPass) enabled, directories, logs and PHP sessions
 * in `dir`, a secret salt, plain-http cookies, logs at WARNING into a file
 * (our server logs at warn). Everything else stays the package's default:
 * the phpsession session store, the default authproc filters.
 *
 * The hosted IdP signs the Response and the assertion with RSA-SHA256 and
 * an RSA-3072 key (as ours does) and encrypts the assertion for the
 * service: SimpleSAMLphp 1.19 transports the key with RSA-OAEP-MGF1P and
 * always encrypts the data with AES-128-CBC when the key is an RSA key
 * (saml2 v4's EncryptedAssertion::setAssertion; its `sharedkey_algorithm`
 * only applies to a pre-shared symmetric key); ours uses AES-256-GCM. On a
 * Response of a few kilobytes the difference is noise next to the RSA
 * operations. The service's signed AuthnRequests are checked
 * (`validate.authnrequest`), as ours are.
 */
export async function writeConfig(o: {
  dir: string;
  base: string;
  idpKey: KeyWithCertificate;
  sp: RemoteSp;
  user: { username: string; password: string };
}): Promise<{ configDir: string; idpEntityId: string; ssoUrl: string }> {
  const { dir, base } = o;
  const configDir = join(dir, 'config');
  for (const sub of ['log', 'data', 'tmp', 'sessions', 'cert', 'metadata'])
    await mkdir(join(dir, sub), { recursive: true });
  await cp(packageConfig, configDir, { recursive: true, dereference: true });
  await writeFile(join(dir, 'cert', 'idp.pem'), o.idpKey.privateKeyPem, { mode: 0o600 });
  await writeFile(join(dir, 'cert', 'idp.crt'), o.idpKey.certificatePem);

  let config = await readFile(join(configDir, 'config.php'), 'utf8');
  const edits: [string, string][] = [
    ["'baseurlpath' => 'simplesamlphp/',", `'baseurlpath' => ${php(`${base}/`)},`],
    ["'certdir' => '/etc/ssl/certs/',", `'certdir' => ${php(`${dir}/cert/`)},`],
    ["'metadatadir' => '/etc/simplesamlphp/metadata/',", `'metadatadir' => ${php(`${dir}/metadata/`)},`],
    ["'loggingdir' => '/var/log/simplesamlphp/',", `'loggingdir' => ${php(`${dir}/log/`)},`],
    ["'datadir' => '/var/lib/simplesamlphp/data/',", `'datadir' => ${php(`${dir}/data/`)},`],
    ["'tempdir' => '/tmp/simplesaml',", `'tempdir' => ${php(`${dir}/tmp`)},`],
    ["'logging.handler' => 'syslog',", "'logging.handler' => 'file',"],
    ["'logging.level' => SimpleSAML\\Logger::NOTICE,", "'logging.level' => SimpleSAML\\Logger::WARNING,"],
    ["'session.cookie.secure' => true,", "'session.cookie.secure' => false,"],
    ["'session.phpsession.savepath' => null,", `'session.phpsession.savepath' => ${php(`${dir}/sessions`)},`],
    ["'enable.saml20-idp' => false,", "'enable.saml20-idp' => true,"],
    ["'exampleauth' => false,", "'exampleauth' => true,"],
    [
      "require_once('/var/lib/simplesamlphp/secrets.inc.php');",
      `$config['secretsalt'] = '${randomBytes(24).toString('hex')}';\n$config['auth.adminpassword'] = '${randomBytes(12).toString('hex')}';`,
    ],
  ];
  for (const [search, replacement] of edits) config = replaceOnce(config, search, replacement);
  await writeFile(join(configDir, 'config.php'), config);

  await writeFile(
    join(configDir, 'authsources.php'),
    `<?php
$config = [
    'admin' => ['core:AdminPassword'],
    'bench-userpass' => [
        'exampleauth:UserPass',
        ${php(`${o.user.username}:${o.user.password}`)} => [
            'uid' => [${php(o.user.username)}],
            'givenName' => ['Erika'],
            'sn' => ['Mustermann'],
        ],
    ],
];
`,
  );

  const idpEntityId = `${base}/saml2/idp/metadata.php`;
  await writeFile(
    join(dir, 'metadata', 'saml20-idp-hosted.php'),
    `<?php
$metadata[${php(idpEntityId)}] = [
    'host' => '__DEFAULT__',
    'privatekey' => 'idp.pem',
    'certificate' => 'idp.crt',
    'auth' => 'bench-userpass',
    'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    'saml20.sign.response' => true,
    'saml20.sign.assertion' => true,
    'assertion.encryption' => true,
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
];
`,
  );
  const { sp } = o;
  await writeFile(
    join(dir, 'metadata', 'saml20-sp-remote.php'),
    `<?php
$metadata[${php(sp.entityId)}] = [
    'AssertionConsumerService' => [
        ['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'Location' => ${php(sp.acs)}],
    ],
    'SingleLogoutService' => [
        ['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 'Location' => ${php(sp.slo)}],
    ],
    'keys' => [
        ['type' => 'X509Certificate', 'signing' => true, 'encryption' => false, 'X509Certificate' => ${php(der(sp.signingCertificatePem))}],
        ['type' => 'X509Certificate', 'signing' => false, 'encryption' => true, 'X509Certificate' => ${php(der(sp.encryptionCertificatePem))}],
    ],
    'validate.authnrequest' => true,
    'assertion.encryption' => true,
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    'attributes' => ['uid', 'givenName', 'sn'],
];
`,
  );
  return { configDir, idpEntityId, ssoUrl: `${base}/saml2/idp/SSOService.php` };
}
