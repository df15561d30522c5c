// Independent checks of what we emit: Debian's xmlsec1 (libxmlsec1 on
// OpenSSL) verifies XML signatures and decrypts EncryptedAssertions; openssl
// and xmllint (libxml2) check what xmlsec1 1.2.x cannot (RSASSA-PSS) and the
// Redirect binding's query signatures. Run with execFile (no shell). A missing
// binary fails the test: CI installs xmlsec1 and libxml2-utils (.ci/run).
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';

const run = promisify(execFile);

/** Root elements whose `ID` attribute xmlsec1 must treat as an XML ID (it reads no schema). */
const idElements = [
  'urn:oasis:names:tc:SAML:2.0:protocol:Response',
  'urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest',
  'urn:oasis:names:tc:SAML:2.0:protocol:LogoutRequest',
  'urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse',
  'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
  'urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor',
];

export type SignedElementName =
  'Response' | 'Assertion' | 'AuthnRequest' | 'LogoutRequest' | 'LogoutResponse' | 'EntityDescriptor';

interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function tool(binary: string, args: string[]): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(binary, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT')
      throw new Error(`${binary} is not installed (apt-get install xmlsec1 libxml2-utils); the test needs it`, {
        cause: error,
      });
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? '',
    };
  }
}

async function withFiles<T>(
  files: Record<string, string | Buffer>,
  work: (path: (name: string) => string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'xmlsec-'));
  try {
    for (const [name, contents] of Object.entries(files)) await writeFile(join(dir, name), contents);
    return await work((name) => join(dir, name));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Verifies the Signature that is a direct child of the `element` (the first
 * such element in document order) with the pinned certificate only:
 * `--enabled-key-data key-name` makes xmlsec1 ignore the KeyInfo certificate.
 * Resolves with xmlsec1's report; rejects with it when verification fails.
 */
export async function xmlsecVerify(xml: string, certificatePem: string, element: SignedElementName): Promise<string> {
  return withFiles({ 'message.xml': xml, 'cert.pem': certificatePem }, async (path) => {
    const result = await tool('xmlsec1', [
      '--verify',
      '--pubkey-cert-pem',
      path('cert.pem'),
      '--enabled-key-data',
      'key-name',
      '--enabled-reference-uris',
      'empty,same-doc',
      ...idElements.flatMap((name) => ['--id-attr:ID', name]),
      '--node-xpath',
      `(//*[local-name()='${element}'])[1]/*[local-name()='Signature']`,
      path('message.xml'),
    ]);
    const report = `${result.stdout}${result.stderr}`;
    if (result.code !== 0 || !/SignedInfo References \(ok\/all\): 1\/1/.test(report))
      throw new Error(`xmlsec1 refused the ${element} signature (exit ${result.code}):\n${report}`);
    return report;
  });
}

/** Decrypts every EncryptedData in the document with the private key; resolves with the decrypted document. */
export async function xmlsecDecrypt(xml: string, privateKeyPem: string): Promise<string> {
  return withFiles({ 'message.xml': xml, 'key.pem': privateKeyPem }, async (path) => {
    const result = await tool('xmlsec1', [
      '--decrypt',
      '--privkey-pem',
      path('key.pem'),
      '--enabled-key-data',
      'enc-key',
      '--output',
      path('out.xml'),
      path('message.xml'),
    ]);
    if (result.code !== 0)
      throw new Error(`xmlsec1 could not decrypt (exit ${result.code}):\n${result.stdout}${result.stderr}`);
    return readFile(path('out.xml'), 'utf8');
  });
}

/** Exclusive C14N (without comments) by libxml2's xmllint. */
export async function xmllintExcC14n(xml: string): Promise<Buffer> {
  return withFiles({ 'in.xml': xml }, async (path) => {
    const { stdout } = await run('xmllint', ['--exc-c14n', path('in.xml')], {
      encoding: 'buffer',
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        throw new Error('xmllint is not installed (apt-get install libxml2-utils); the test needs it', {
          cause: error,
        });
      throw error;
    });
    return stdout;
  });
}

export type OpensslAlgorithm = 'rsa-sha256' | 'rsa-pss-sha256' | 'ecdsa-sha256';

/** `openssl dgst -sha256 -verify`; ECDSA values arrive as r ‖ s and are converted to DER first. */
export async function opensslVerify(
  data: Buffer | string,
  signature: Buffer,
  publicKeyPem: string,
  alg: OpensslAlgorithm,
): Promise<boolean> {
  const der = alg === 'ecdsa-sha256' ? ecdsaRawToDer(signature) : signature;
  return withFiles({ 'data.bin': Buffer.from(data), 'sig.bin': der, 'pub.pem': publicKeyPem }, async (path) => {
    const pss =
      alg === 'rsa-pss-sha256'
        ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-sigopt', 'rsa_mgf1_md:sha256']
        : [];
    const result = await tool('openssl', [
      'dgst',
      '-sha256',
      ...pss,
      '-verify',
      path('pub.pem'),
      '-signature',
      path('sig.bin'),
      path('data.bin'),
    ]);
    return result.code === 0 && result.stdout.includes('Verified OK');
  });
}

// RFC 3279 §2.2.3 Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }.
function ecdsaRawToDer(raw: Buffer): Buffer {
  const integer = (bytes: Buffer) => {
    let value = bytes;
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    if ((value[0] ?? 0) & 0x80) value = Buffer.concat([Buffer.from([0]), value]);
    return Buffer.concat([Buffer.from([0x02, value.length]), value]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, raw.length / 2)), integer(raw.subarray(raw.length / 2))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/**
 * Checks an enveloped signature without xmlsec1 (which lacks RSASSA-PSS in
 * 1.2.x): libxml2 canonicalizes SignedInfo and the signed element, Node's
 * SHA-256 digests it, openssl verifies the SignatureValue. xmldom only cuts
 * the parts out.
 */
export async function opensslVerifyEnvelopedSignature(
  xml: string,
  certificatePem: string,
  alg: OpensslAlgorithm,
): Promise<boolean> {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  const signature = root ? directChild(root, 'Signature') : undefined;
  const signedInfo = signature ? directChild(signature, 'SignedInfo') : undefined;
  const digestValue = signedInfo?.getElementsByTagNameNS(dsigNs, 'DigestValue').item(0)?.textContent ?? '';
  const signatureValue = signature ? (directChild(signature, 'SignatureValue')?.textContent ?? '') : '';
  if (!root || !signature || !signedInfo) return false;
  const signedInfoC14n = await xmllintExcC14n(new XMLSerializer().serializeToString(signedInfo));
  root.removeChild(signature);
  const rootC14n = await xmllintExcC14n(new XMLSerializer().serializeToString(root));
  if (createHash('sha256').update(rootC14n).digest('base64') !== digestValue.replace(/\s/g, '')) return false;
  const publicKeyPem = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return opensslVerify(signedInfoC14n, Buffer.from(signatureValue.replace(/\s/g, ''), 'base64'), publicKeyPem, alg);
}

const dsigNs = 'http://www.w3.org/2000/09/xmldsig#';

function directChild(element: Element, localName: string): Element | undefined {
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (
      child.nodeType === 1 &&
      (child as Element).localName === localName &&
      (child as Element).namespaceURI === dsigNs
    )
      return child as Element;
  }
  return undefined;
}

/**
 * Encrypts the first `saml:NameID` of `xml` in place with xmlsec1, as
 * Shibboleth SP's xmlsec does: `data` content encryption, the session key
 * sent RSA-OAEP (MGF1-SHA1) inside the EncryptedData's KeyInfo.
 */
export async function xmlsecEncryptNameId(
  xml: string,
  certificatePem: string,
  data: 'aes256-cbc' | 'aes128-gcm' | 'aes256-gcm',
): Promise<string> {
  const dataUri =
    data === 'aes256-cbc' ? 'http://www.w3.org/2001/04/xmlenc#aes256-cbc' : `http://www.w3.org/2009/xmlenc11#${data}`;
  const template = `<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="${dataUri}"/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"/><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>`;
  const sessionKey = data === 'aes128-gcm' ? 'aes-128' : 'aes-256';
  return withFiles({ 'message.xml': xml, 'template.xml': template, 'cert.pem': certificatePem }, async (path) => {
    const result = await tool('xmlsec1', [
      '--encrypt',
      '--pubkey-cert-pem',
      path('cert.pem'),
      '--session-key',
      sessionKey,
      '--xml-data',
      path('message.xml'),
      '--node-name',
      'urn:oasis:names:tc:SAML:2.0:assertion:NameID',
      '--output',
      path('out.xml'),
      path('template.xml'),
    ]);
    if (result.code !== 0)
      throw new Error(`xmlsec1 could not encrypt (exit ${result.code}):\n${result.stdout}${result.stderr}`);
    return readFile(path('out.xml'), 'utf8');
  });
}
