/** A private key and its X.509 certificate, both PEM: what signs an XML element (XMLDSig; SAML, the eID SOAP). */
export interface SigningKey {
  privateKeyPem: string;
  certificatePem: string;
}
