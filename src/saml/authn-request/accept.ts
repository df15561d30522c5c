import type { AppContext } from '../../context.ts';
import type { SamlService } from '../../services/service-repository.ts';
import { languages, type Language } from '../../text/index.ts';
import { isSigned, verifySignedMessage } from '../crypto/verify-element.ts';
import { pemOf } from '../response/issue.ts';
import { requestedLevel } from '../profile/authn-context.ts';
import { scopeOfAttribute } from '../profile/attributes.ts';
import { defaultRelease, registeredAttributes } from '../profile/release.ts';
import { status } from '../constants.ts';
import { issuedRecently, seenMessage, type SeenMessage } from '../inbound.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { validateSamlSchema } from '../xml/schema.ts';
import type { SamlLoginRequest } from '../login/pending-login-repository.ts';
import { readAuthnRequest, type AuthnRequestFields } from './read.ts';
import { SamlXmlError } from '../../platform/xml/errors.ts';
import { SamlAlgorithmError } from '../crypto/errors.ts';
import { refuseAlgorithm, refuseMessage } from '../refusal.ts';

/** How the request arrived: the XML, and for HTTP-Redirect whether its query signature was checked already. */
export interface InboundRequest {
  xml: string;
  binding: 'redirect' | 'post';
  /**
   * HTTP-Redirect: checks the query-string signature against these certificates; throws a `SamlSignatureError` when it
   * fails.
   */
  verifyQuerySignature?: (certificatesPem: string[]) => void;
  querySigned: boolean;
  relayState: string | undefined;
}

/**
 * What the pipeline decided: a login to start, or an answer the service gets
 * at once (a SAML error status); with the request's id to record as seen.
 */
export type Accepted = Decided & { seen: SeenMessage };

type Decided =
  | { kind: 'login'; service: SamlService; request: SamlLoginRequest }
  | {
      kind: 'refuse';
      service: SamlService;
      request: SamlLoginRequest;
      status: string;
      subStatus: string;
      message: string;
    };

const refuse = (detail: string, entityId?: string): never => refuseMessage('request', detail, entityId);

/** A signature that fails: an algorithm we do not accept has its own refusal, naming it (issue 13, point 14). */
const badSignature = (error: unknown, entityId: string): never =>
  error instanceof SamlAlgorithmError
    ? refuseAlgorithm('request', error, entityId)
    : refuse('saml-request-signature-invalid', entityId);

/**
 * The checks on an AuthnRequest, in order (issue: SAML, deliverable 3), each
 * refusing with an error page as long as no trusted ACS is known:
 * safe parse (no DTD, size), schema, issuer registered, signature (required
 * by the metadata or by the AKDB extension; identity fields are then read
 * only from the signed bytes), IssueInstant window, Destination, replay,
 * ACS from the metadata. Then the profile's own rules, answered to the ACS.
 *
 * Replay: the request's id is written as seen in the transaction that
 * answers it, or in the statement that stores its login before a page of
 * ours (`Accepted.seen`, answer.ts, pending-login-repository.ts), not in a
 * write of its own here: one database transaction less per single sign-on
 * (issue 16). A request seen before is refused there with the same
 * `saml-request-replayed`, and nothing of its answer is recorded or sent.
 */
export async function acceptAuthnRequest(app: AppContext, inbound: InboundRequest): Promise<Accepted> {
  let document: Document;
  try {
    document = parseSamlXml(inbound.xml);
    await validateSamlSchema(inbound.xml, 'protocol');
  } catch (error) {
    // Only the XML layer's refusals are the message's fault; anything else is ours and goes on as a 500.
    if (!(error instanceof SamlXmlError)) throw error;
    return refuse(`saml-request-malformed:${(error as { code?: string }).code ?? 'schema'}`);
  }
  const unverified = readAuthnRequest(document);
  if (!unverified.ok) return refuse(`saml-request-${unverified.problem}`);
  const service = await app.services.samlById(unverified.fields.issuer);
  if (!service) return refuse('issuer-unknown', unverified.fields.issuer);
  const id = service.id;

  const certificates = service.config.signingCertificates.map(pemOf);
  const embedded = isSigned(inbound.xml);
  let fields: AuthnRequestFields = unverified.fields;
  let signed = false;
  if (inbound.binding === 'redirect') {
    // Bindings §3.4.4.1: on HTTP-Redirect the signature is on the query; an embedded one is not allowed.
    if (embedded) return refuse('saml-request-signature-embedded', id);
    if (inbound.querySigned) {
      if (certificates.length === 0 || !inbound.verifyQuerySignature)
        return refuse('saml-request-signature-invalid', id);
      try {
        inbound.verifyQuerySignature(certificates);
      } catch (error) {
        return badSignature(error, id);
      }
      signed = true;
    }
  } else if (embedded) {
    let verified: Document;
    try {
      verified = verifySignedMessage(inbound.xml, certificates).document;
    } catch (error) {
      return badSignature(error, id);
    }
    // Everything from here on comes from what the signature covers.
    const reread = readAuthnRequest(verified);
    if (!reread.ok || reread.fields.issuer !== service.id) return refuse('saml-request-signature-invalid', id);
    fields = reread.fields;
    signed = true;
  }
  if (!signed && service.config.authnRequestsSigned) return refuse('saml-request-not-signed', id);
  // BundID honours the AKDB extension only on signed requests (PROFILES.md §1).
  if (!signed && fields.akdb) return refuse('saml-request-not-signed', id);

  const now = app.clock.now();
  if (!issuedRecently(fields.issueInstant, now)) return refuse('saml-request-expired', id);
  const ourEndpoint = `${app.config.publicUrl}/saml/sso`;
  if ((signed || fields.destination !== undefined) && fields.destination !== ourEndpoint)
    return refuse('saml-request-destination', id);

  const acs = resolveAcs(service, fields);
  if (!acs) return refuse('acs-not-in-metadata', id);
  return { ...profileRules(app, service, fields, acs, inbound.relayState), seen: seenMessage(id, fields.id, now) };
}

/** The ACS URL must be one of the metadata (exactly), or an index of it, or the default (saml-profiles §4.1.4.1). */
function resolveAcs(service: SamlService, fields: AuthnRequestFields): string | undefined {
  const { acs } = service.config;
  if (fields.acsUrl !== undefined) return acs.find((a) => a.url === fields.acsUrl)?.url;
  if (fields.acsIndex !== undefined) return acs.find((a) => a.index === fields.acsIndex)?.url;
  return (acs.find((a) => a.isDefault) ?? acs[0])?.url;
}

/** BackURL is followed only to the service's own hosts (no open redirect). */
function safeBackUrl(service: SamlService, url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    const hosts = new Set(
      [service.id, ...service.config.acs.map((a) => a.url)].flatMap((u) => {
        try {
          return [new URL(u).host];
        } catch {
          return [];
        }
      }),
    );
    return parsed.protocol === 'https:' && hosts.has(parsed.host) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * AKDB method names we have: `Benutzername` is the account's own login, the password with its second factors or a
 * passkey (AssertionProvedBy says `Benutzername` for both, saml/profile/attributes.ts).
 */
const ourMethods: Record<string, readonly string[]> = { Benutzername: ['password', 'passkey'], eID: ['eid'] };

function profileRules(
  app: AppContext,
  service: SamlService,
  fields: AuthnRequestFields,
  acsUrl: string,
  relayState: string | undefined,
): Decided {
  const level = requestedLevel(fields.classRefs, fields.comparison, service.minLevel);
  const akdb = fields.akdb;
  const display = akdb?.display;
  const lang =
    display?.lang && (languages as readonly string[]).includes(display.lang) ? (display.lang as Language) : undefined;
  // AKDB RequestedAttributes narrows what the service is registered for (metadata, `sp add --attribute`); it never
  // widens it.
  // Login facts (pseudonym, level, means) are part of every login, like the OIDC `openid` scope.
  const registered = registeredAttributes(service.config);
  const allowed = (name: string) => registered.includes(name) || scopeOfAttribute(name) === 'openid';
  const asked = akdb?.requestedAttributes ?? defaultRelease(service.config);
  const requestedAttributes = asked.filter((a) => allowed(a.name));
  const requiredButNotAllowed = asked.filter((a) => a.required && !allowed(a.name)).map((a) => a.name);
  const allowedMethods = akdb?.enabledMethods?.flatMap((m) => ourMethods[m] ?? []);
  const request: SamlLoginRequest = {
    requestId: fields.id,
    serviceId: service.id,
    acsUrl,
    relayState,
    requiredLevel: level.ok ? level.level : 1,
    vocabulary: level.ok ? level.vocabulary : 'stork',
    forceAuthn: fields.forceAuthn,
    isPassive: fields.isPassive,
    nameIdFormat: fields.nameIdFormat === 'persistent' ? 'persistent' : 'transient',
    requestedAttributes,
    allowedMethods,
    displayName: display?.organizationDisplayName,
    lang,
    backUrl: safeBackUrl(service, display?.backUrl),
    onlineServiceId: display?.onlineServiceId,
    receivedAt: app.clock.now().toISOString(),
  };
  const no = (subStatus: string, message: string, top: string = status.requester): Decided => ({
    kind: 'refuse',
    service,
    request,
    status: top,
    subStatus,
    message,
  });
  if (!level.ok) return no(status.requestUnsupported, 'comparison-unsupported');
  if (fields.nameIdFormat === 'unsupported') return no(status.invalidNameIdPolicy, 'nameid-format-unsupported');
  if (akdb) {
    if (akdb.version !== '2') return no(status.requestUnsupported, 'akdb-version-unsupported');
    if (akdb.requestedAttributes && akdb.requestedAttributes.length === 0)
      return no(status.requestDenied, 'requested-attributes-empty');
    if (display && !display.organizationDisplayName)
      return no(status.requestDenied, 'organization-display-name-missing');
    if (allowedMethods && allowedMethods.length === 0)
      return no(status.authnFailed, 'no-allowed-authn-method', status.responder);
    if (requiredButNotAllowed.length > 0)
      return no(
        status.requestDenied,
        `required-attribute-missing:${requiredButNotAllowed.join(',')}`,
        status.responder,
      );
  }
  return { kind: 'login', service, request };
}
