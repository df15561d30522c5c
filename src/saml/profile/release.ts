import type { SamlServiceConfig } from '../../services/service-repository.ts';
import { urn } from './attributes.ts';

/**
 * The login facts every SAML login releases unless the request names its
 * attributes (AKDB RequestedAttributes): the pseudonym and what the login
 * was (PROFILES.md §1: bPK2, EID-CITIZEN-QAA-LEVEL, AssertionProvedBy, mfa,
 * interface version). They belong to the `openid` consent group, like the
 * OIDC `sub`, `acr` and `amr` of every OIDC login.
 */
export const loginFacts: readonly string[] = [
  urn.bpk2,
  urn.citizenQaaLevel,
  urn.assertionProvedBy,
  urn.mfa,
  urn.interfaceVersion,
];

/**
 * The personal data a service may receive: what its metadata's
 * AttributeConsumingService asks for (saml-metadata §2.4.4.1), narrowed by
 * the operator's `sp add --attribute` when both exist; either alone when
 * only one does.
 */
export function registeredAttributes(config: Pick<SamlServiceConfig, 'attributes' | 'metadataAttributes'>): string[] {
  const fromMetadata = config.metadataAttributes;
  if (fromMetadata === undefined) return config.attributes;
  if (config.attributes.length === 0) return fromMetadata;
  return fromMetadata.filter((name) => config.attributes.includes(name));
}

/** One attribute a login is to answer; `byDefault`: not asked for by the request, released because every login does. */
export interface AskedAttribute {
  name: string;
  required: boolean;
  byDefault?: true;
}

/**
 * What a request without AKDB RequestedAttributes receives, none of it
 * required: the registered attributes, as asked for by the service, and the
 * login facts it did not register, `byDefault` (a registered bPK2 is a
 * request for it, which hides the guest login; flows/guest/offer.ts).
 */
export function defaultRelease(config: Pick<SamlServiceConfig, 'attributes' | 'metadataAttributes'>): AskedAttribute[] {
  const registered = registeredAttributes(config);
  const unasked = loginFacts.filter((name) => !registered.includes(name));
  return [
    ...registered.map((name) => ({ name, required: false })),
    ...unasked.map((name) => ({ name, required: false, byDefault: true as const })),
  ];
}
