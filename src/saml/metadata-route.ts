import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { signRootElement } from './crypto/sign-element.ts';
import { base64OfPem } from './idp.ts';
import { buildIdpMetadata } from './metadata/idp.ts';
import { newSamlId } from './response/build.ts';
import { buildXml } from '../platform/xml/build.ts';

/** Services re-read our metadata well before it runs out. */
const validDays = 7;

/**
 * GET /saml/metadata: the IdP metadata, signed with our signing key so a
 * service can check it came from us (saml-metadata §3.1). Both the RSA and
 * the ECDSA signing certificates are listed, and during a rotation the
 * next ones too.
 */
export function samlMetadataRoute(app: AppContext) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/saml/metadata', async (_request, reply) => {
      // The time after the keyring: on a fresh installation its first keys are made by this call.
      const keys = await app.saml.keys();
      const now = app.clock.now();
      const xml = buildXml(
        buildIdpMetadata({
          id: newSamlId(),
          entityId: app.saml.entityId,
          ssoUrl: `${app.config.publicUrl}/saml/sso`,
          sloUrl: `${app.config.publicUrl}/saml/slo`,
          signingCertificates: keys.published('signing', now).map((k) => base64OfPem(k.certificatePem)),
          encryptionCertificates: keys.published('encryption', now).map((k) => base64OfPem(k.certificatePem)),
          validUntil: new Date(now.getTime() + validDays * 24 * 3600 * 1000),
          organization: { name: 'Servicekonto', url: app.config.publicUrl },
        }),
      );
      const signed = signRootElement(xml, keys.signingKey('RSA-3072', now), 'rsa-sha256');
      return reply
        .type('application/samlmetadata+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(signed);
    });
  };
}
