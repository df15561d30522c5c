import type { SamlServiceConfig } from '../../services/service-repository.ts';

/**
 * Whether the assertions a service gets are encrypted: unless the operator
 * chose `--no-encrypt`, encryption follows the metadata. Stock metadata
 * without an encryption key (OneLogin's, SimpleSAMLphp's default-sp) gets
 * signed assertions in clear, and `sp add` warns so; once a refresh brings a
 * key, they are encrypted (saml-core §6.1, saml-metadata §2.4.1.1
 * KeyDescriptor use="encryption").
 */
export function encryptsAssertions(
  config: Pick<SamlServiceConfig, 'encryptAssertions' | 'encryptionCertificates'>,
): boolean {
  return config.encryptAssertions && config.encryptionCertificates.length > 0;
}
