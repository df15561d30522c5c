import type { AppContext } from '../../context.ts';
import { encryptsAssertions } from './encryption-policy.ts';
import type { SamlService } from '../../services/service-repository.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { status as statusCodes } from '../constants.ts';
import { encryptedAssertionElement } from '../crypto/encrypt-assertion.ts';
import { signBuiltElement } from '../crypto/sign-element.ts';
import { signingKeyFor } from '../idp.ts';
import type { Vocabulary } from '../profile/authn-context.ts';
import type { ReleasedAttribute } from '../profile/attributes.ts';
import { fragment, type XmlElement, type XmlFragment } from '../../platform/xml/build.ts';
import { buildAssertion, buildResponse, newSamlId } from './build.ts';

/** What the assertion says of the login: a session's, or a guest login's own (no SSO session behind it). */
export type AuthnFacts = Pick<SsoSession, 'authTime' | 'expiresAt' | 'level'>;

export type ResponseContent =
  | {
      ok: true;
      session: AuthnFacts;
      nameId: string;
      nameIdFormat: 'transient' | 'persistent';
      sessionIndex: string;
      attributes: readonly ReleasedAttribute[];
    }
  | { ok: false; status: string; subStatus: string; message: string };

/**
 * The Response for one request, as the profile wants it (PROFILES.md §1):
 * the assertion signed, then encrypted to the service's key, inside a signed
 * Response. Answers the base64 value of the SAMLResponse form field.
 */
export async function issueResponse(
  app: AppContext,
  service: SamlService,
  input: { inResponseTo: string; destination: string; vocabulary: Vocabulary } & ResponseContent,
): Promise<string> {
  const key = await signingKeyFor(app, service);
  const now = app.clock.now();
  const algorithm = service.config.signature;
  let assertion: XmlFragment | XmlElement | undefined;
  if (input.ok) {
    const signed = signBuiltElement(
      buildAssertion({
        id: newSamlId(),
        issuer: app.saml.entityId,
        audience: service.id,
        recipient: input.destination,
        inResponseTo: input.inResponseTo,
        now,
        nameId: input.nameId,
        nameIdFormat: input.nameIdFormat,
        authnInstant: input.session.authTime,
        sessionIndex: input.sessionIndex,
        sessionNotOnOrAfter: input.session.expiresAt,
        level: input.session.level,
        vocabulary: input.vocabulary,
        attributes: input.attributes,
      }),
      key,
      algorithm,
    );
    const certificate = service.config.encryptionCertificates[0];
    assertion =
      encryptsAssertions(service.config) && certificate
        ? await encryptedAssertionElement(signed, pemOf(certificate), {
            keyTransport: service.config.keyTransport,
            data: dataAlgorithm(service),
          })
        : (signed.spec ?? fragment(signed.xml));
  }
  const response = buildResponse({
    id: newSamlId(),
    issuer: app.saml.entityId,
    destination: input.destination,
    inResponseTo: input.inResponseTo,
    now,
    status: input.ok
      ? { code: statusCodes.success }
      : { code: input.status, subCode: input.subStatus, message: input.message },
    assertion,
  });
  return Buffer.from(signBuiltElement(response, key, algorithm).xml, 'utf8').toString('base64');
}

/** AES-256-GCM unless the service's metadata lists only AES-128-GCM. */
function dataAlgorithm(service: SamlService): 'aes256-gcm' | 'aes128-gcm' {
  const methods = service.config.encryptionMethods;
  const only128 = methods.some((m) => m.endsWith('#aes128-gcm')) && !methods.some((m) => m.endsWith('#aes256-gcm'));
  return only128 ? 'aes128-gcm' : 'aes256-gcm';
}

/** Metadata holds certificates as base64 DER; the crypto layer takes PEM. */
export function pemOf(base64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64
    .replace(/\s+/g, '')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}
