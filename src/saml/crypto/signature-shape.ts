/**
 * Exports `checkSignatureShape(doc): CheckedSignature` — the structural rules
 * an inbound enveloped signature must meet before any cryptography runs
 * (plan §4.3; the XSW defences of Somorovsky et al., "On Breaking SAML", 2012):
 *
 * 1. exactly one ds:Signature in the document, a direct child of the root,
 *    right after saml:Issuer (first if the root has no Issuer);
 * 2. the root's `ID` is present and unique among every ID/Id/id attribute
 *    (xml-crypto resolves references by those local names), and no
 *    namespaced look-alike (`saml:ID`, `xml:id`) exists anywhere;
 * 3. SignedInfo is CanonicalizationMethod, SignatureMethod and exactly one
 *    Reference, with `URI="#<root ID>"`;
 * 4. canonicalization exclusive C14N without comments; transforms only
 *    enveloped-signature and exclusive C14N (no XPath, XSLT, base64);
 *    SignatureMethod in the allowlist; DigestMethod SHA-256, -384 or -512;
 * 5. no comments anywhere inside the Signature (CVE-2025-29775: a comment
 *    in DigestValue), no Object, no Manifest.
 *
 * Also `CheckedSignature`.
 */
import { xmlNs } from '../../platform/xml/namespaces.ts';
import {
  digestAlgorithmOf,
  digestLength,
  dsig,
  signatureAlgorithmOf,
  type SignatureAlgorithmName,
} from '../../platform/xml/algorithms.ts';
import { SamlAlgorithmError, SamlSignatureError } from './errors.ts';

export interface CheckedSignature {
  root: Element;
  rootId: string;
  signature: Element;
  algorithm: SignatureAlgorithmName;
}

const ELEMENT = 1;
const TEXT = 3;
const idNames = new Set(['ID', 'Id', 'id']);

export function checkSignatureShape(doc: Document): CheckedSignature {
  const root = doc.documentElement;
  if (!root) throw new SamlSignatureError('signature_shape', 'no root');
  const signatures = doc.getElementsByTagNameNS(xmlNs.dsig, 'Signature');
  if (signatures.length === 0) throw new SamlSignatureError('unsigned');
  if (signatures.length > 1) throw new SamlSignatureError('signature_count');
  const signature = signatures.item(0) as Element;
  checkPosition(root, signature);
  const rootId = checkIds(doc, root);
  noComments(signature);

  const [signedInfo, signatureValue, ...rest] = elementChildren(signature);
  expect(signedInfo, 'SignedInfo');
  expect(signatureValue, 'SignatureValue');
  textOnly(signatureValue as Element);
  if (rest.length > 1 || (rest[0] && !isDsig(rest[0], 'KeyInfo')))
    throw new SamlSignatureError('signature_shape', 'only KeyInfo may follow SignatureValue');

  const [canonicalization, signatureMethod, reference, ...more] = elementChildren(signedInfo as Element);
  if (more.length > 0) throw new SamlSignatureError('reference', 'exactly one Reference');
  expect(canonicalization, 'CanonicalizationMethod');
  expect(signatureMethod, 'SignatureMethod');
  expect(reference, 'Reference');
  checkExcC14n(canonicalization as Element);
  if (elementChildren(signatureMethod as Element).length > 0)
    throw new SamlSignatureError('algorithm', 'SignatureMethod parameters');
  const method = (signatureMethod as Element).getAttribute('Algorithm') ?? '';
  const algorithm = signatureAlgorithmOf(method);
  if (!algorithm) throw new SamlAlgorithmError(method);
  checkReference(reference as Element, rootId);
  return { root, rootId, signature, algorithm };
}

function checkPosition(root: Element, signature: Element): void {
  if (signature.parentNode !== root) throw new SamlSignatureError('signature_position', 'not a child of the root');
  const children = elementChildren(root);
  const isIssuer = (element: Element | undefined) =>
    element?.localName === 'Issuer' && element.namespaceURI === xmlNs.assertion;
  // The schemas put Issuer first and Signature next (saml-core §3.2.1, §2.3.3); metadata has no Issuer and Signature
  // first (saml-metadata §2.3.2).
  const issuerFirst = isIssuer(children[0]);
  if (!issuerFirst && children.some(isIssuer))
    throw new SamlSignatureError('signature_position', 'Issuer is not first');
  if (children[issuerFirst ? 1 : 0] !== signature)
    throw new SamlSignatureError('signature_position', 'not right after Issuer');
}

function checkIds(doc: Document, root: Element): string {
  const rootId = root.getAttribute('ID');
  if (!rootId || !/^[A-Za-z_][A-Za-z0-9._-]*$/.test(rootId))
    throw new SamlSignatureError('id', 'root ID missing or not an NCName');
  let holders = 0;
  for (const element of allElements(doc)) {
    for (let i = 0; i < element.attributes.length; i++) {
      const attribute = element.attributes.item(i);
      if (!attribute || !idNames.has(attribute.localName ?? '')) continue;
      if (attribute.namespaceURI) throw new SamlSignatureError('id', `namespaced ${attribute.name}`);
      if (attribute.value === rootId) holders++;
    }
  }
  if (holders !== 1) throw new SamlSignatureError('id', 'root ID not unique');
  return rootId;
}

function checkReference(reference: Element, rootId: string): void {
  if (reference.getAttribute('URI') !== `#${rootId}`)
    throw new SamlSignatureError('reference', 'URI is not the root ID');
  const children = elementChildren(reference);
  const transforms = children[0] && isDsig(children[0], 'Transforms') ? children.shift() : undefined;
  const [digestMethod, digestValue, ...rest] = children;
  expect(digestMethod, 'DigestMethod');
  expect(digestValue, 'DigestValue');
  if (rest.length > 0) throw new SamlSignatureError('signature_shape', 'Reference content');
  const digestUri = (digestMethod as Element).getAttribute('Algorithm') ?? '';
  const digest = digestAlgorithmOf(digestUri);
  if (!digest) throw new SamlAlgorithmError(digestUri);
  if (elementChildren(digestMethod as Element).length > 0) throw new SamlSignatureError('algorithm', 'digest');
  textOnly(digestValue as Element);
  if (Buffer.from((digestValue as Element).textContent ?? '', 'base64').length !== digestLength[digest])
    throw new SamlSignatureError('digest', `not a ${digest} value`);

  const seen = new Set<string>();
  for (const transform of transforms ? elementChildren(transforms) : []) {
    expect(transform, 'Transform');
    const uri = transform.getAttribute('Algorithm') ?? '';
    if (seen.has(uri)) throw new SamlSignatureError('transform', 'repeated');
    seen.add(uri);
    if (uri === dsig.excC14n) checkExcC14n(transform);
    else if (uri !== dsig.envelopedSignature || elementChildren(transform).length > 0)
      throw new SamlSignatureError('transform', 'not allowed');
  }
  if (!seen.has(dsig.envelopedSignature)) throw new SamlSignatureError('transform', 'enveloped-signature missing');
}

// Exclusive C14N without comments; its one parameter, InclusiveNamespaces PrefixList (exc-c14n §3), is allowed.
function checkExcC14n(element: Element): void {
  if (element.getAttribute('Algorithm') !== dsig.excC14n) throw new SamlSignatureError('transform', 'canonicalization');
  const parameters = elementChildren(element);
  const [only, ...rest] = parameters;
  if (rest.length > 0) throw new SamlSignatureError('transform', 'canonicalization parameters');
  if (
    only &&
    !(
      only.localName === 'InclusiveNamespaces' &&
      only.namespaceURI === dsig.excC14n &&
      elementChildren(only).length === 0
    )
  )
    throw new SamlSignatureError('transform', 'canonicalization parameters');
}

function noComments(node: Node): void {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT) noComments(child);
    else if (child.nodeType !== TEXT) throw new SamlSignatureError('comment');
  }
}

function textOnly(element: Element): void {
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType !== TEXT)
      throw new SamlSignatureError('signature_shape', `${element.localName} is not plain text`);
  }
}

function expect(element: Element | undefined, localName: string): void {
  if (!element || !isDsig(element, localName)) throw new SamlSignatureError('signature_shape', `${localName} expected`);
}

function isDsig(element: Element, localName: string): boolean {
  return element.localName === localName && element.namespaceURI === xmlNs.dsig;
}

function elementChildren(element: Element): Element[] {
  const children: Element[] = [];
  for (let child = element.firstChild; child; child = child.nextSibling)
    if (child.nodeType === ELEMENT) children.push(child as Element);
  return children;
}

function* allElements(doc: Document): Generator<Element> {
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) yield all.item(i) as Element;
}
