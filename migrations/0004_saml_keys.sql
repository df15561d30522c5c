-- SAML 2.0 identity provider keys (issue 5): generated per installation,
-- never shipped with the code. Signing: RSA-3072 by default (BSI TR-03116-4),
-- P-256 for services that choose ECDSA; encryption: RSA-3072, so services can
-- encrypt a NameID to us (EncryptedID in LogoutRequest, saml-core §2.2.4).
-- The private key is sealed with the installation's secret box (AES-256-GCM),
-- so a database dump alone does not reveal it.
CREATE TABLE saml_keys (
  kid text PRIMARY KEY,
  use text NOT NULL CHECK (use IN ('signing', 'encryption')),
  alg text NOT NULL CHECK (alg IN ('RSA-3072', 'EC-P256')),
  private_key_sealed text NOT NULL,
  certificate_pem text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A new key is published in the metadata before it is used, so services
  -- that refresh their copy of our metadata know it when it starts signing.
  active_from timestamptz NOT NULL,
  -- From then on the key is neither used nor published.
  retired_at timestamptz,
  CHECK (use = 'signing' OR alg = 'RSA-3072')
);
