import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

/**
 * Loaded with the first security-key request: most citizens never use one, and the server's idle memory counts (issue
 * 7).
 */
const simpleWebAuthn = () => import('@simplewebauthn/server');
import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { Level } from '../../session/limits.ts';
import { insertMeans, liveMeans, markMeansUsed } from '../means-repository.ts';
import { webauthnInfo } from './info.ts';
import {
  credentialById,
  deleteExpiredChallenges,
  saveChallenge,
  takeChallenge,
  type ChallengePurpose,
} from './webauthn-repository.ts';
import { webauthnStepUpRoutes } from './step-up-routes.ts';
import { webauthnAccountRoutes } from './account-routes.ts';
import { webauthnAddSection } from './account-page.ts';

interface StoredCredential {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports?: AuthenticatorTransportFuture[];
  /** The authenticator keeps it and finds it itself (credProps `rk`, WebAuthn §10.1.3): a login without password. */
  discoverable?: boolean;
}

const challengeSeconds = 5 * 60;

/**
 * Security keys (USB, NFC) and passkeys through @simplewebauthn/server:
 * with the password they reach level substanziell, amr `hwk` (RFC 8176).
 * Several per account, each with a name; challenges live in the database,
 * bound to the SSO session, and are used once.
 */
export function webauthnMethod(deps: { clock: Clock; publicUrl: string }) {
  const origin = deps.publicUrl;
  const rpID = new URL(deps.publicUrl).hostname;

  async function remember(db: Queryable, sessionId: string, purpose: ChallengePurpose, challenge: string) {
    const expiresAt = new Date(deps.clock.now().getTime() + challengeSeconds * 1000);
    await saveChallenge(db, { sessionId, purpose, challenge, expiresAt });
  }
  const take = (db: Queryable, sessionId: string, purpose: ChallengePurpose) =>
    takeChallenge(db, sessionId, purpose, deps.clock.now());
  async function credentials(
    db: Queryable,
    accountId: string,
  ): Promise<(StoredCredential & { id: string; level: Level })[]> {
    const rows = await liveMeans(db, accountId, webauthnInfo.kinds);
    return rows.map((r) => ({ ...(r.public_data as unknown as StoredCredential), id: r.id, level: r.level }));
  }

  return {
    ...webauthnInfo,
    amr: [...webauthnInfo.amr],
    available: true,
    accountRoutes: webauthnAccountRoutes,
    addSection: webauthnAddSection,
    stepUpRoutes: webauthnStepUpRoutes,
    async has(db: Queryable, accountId: string): Promise<boolean> {
      return (await credentials(db, accountId)).length > 0;
    },
    async registrationOptions(
      db: Queryable,
      sessionId: string,
      account: { id: string; username: string },
    ): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const existing = await credentials(db, account.id);
      const options = await (
        await simpleWebAuthn()
      ).generateRegistrationOptions({
        rpName: 'Servicekonto',
        rpID,
        userName: account.username,
        userID: new TextEncoder().encode(account.id),
        attestationType: 'none',
        excludeCredentials: existing.map((c) => ({
          id: c.credentialId,
          ...(c.transports ? { transports: c.transports } : {}),
        })),
        // A discoverable credential where the authenticator can make one, so the same passkey also logs in
        // without the password (methods/passkey); an older security key still registers as a second factor.
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
      await remember(db, sessionId, 'register', options.challenge);
      return options;
    },
    /** Verifies the new credential against the session's challenge and stores it with its name. */
    async register(
      tx: Queryable,
      sessionId: string,
      accountId: string,
      response: RegistrationResponseJSON,
      name: string,
      level: Level,
    ): Promise<boolean> {
      const expectedChallenge = await take(tx, sessionId, 'register');
      if (!expectedChallenge) return false;
      const verification = await (
        await simpleWebAuthn()
      )
        .verifyRegistrationResponse({
          response,
          expectedChallenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: false,
        })
        .catch(() => undefined);
      if (!verification?.verified || !verification.registrationInfo) return false;
      const { credential } = verification.registrationInfo;
      const stored: StoredCredential = {
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        ...(credential.transports ? { transports: credential.transports } : {}),
        ...(response.clientExtensionResults.credProps?.rk !== undefined && {
          discoverable: response.clientExtensionResults.credProps.rk,
        }),
      };
      await insertMeans(tx, { accountId, kind: webauthnInfo.id, publicData: stored, displayName: name, level });
      return true;
    },
    async authenticationOptions(
      db: Queryable,
      sessionId: string,
      accountId: string,
    ): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const options = await (
        await simpleWebAuthn()
      ).generateAuthenticationOptions({
        rpID,
        allowCredentials: (await credentials(db, accountId)).map((c) => ({
          id: c.credentialId,
          ...(c.transports ? { transports: c.transports } : {}),
        })),
        userVerification: 'preferred',
      });
      await remember(db, sessionId, 'authenticate', options.challenge);
      return options;
    },
    /**
     * Verifies an assertion of one of the account's credentials (the
     * signature counter must move on: cloned keys) and answers the level the
     * credential reaches; undefined when it fails.
     */
    async authenticate(
      tx: Queryable,
      sessionId: string,
      accountId: string,
      response: AuthenticationResponseJSON,
    ): Promise<Level | undefined> {
      const expectedChallenge = await take(tx, sessionId, 'authenticate');
      const credential = (await credentials(tx, accountId)).find((c) => c.credentialId === response.id);
      if (!expectedChallenge || !credential) return undefined;
      const verification = await (
        await simpleWebAuthn()
      )
        .verifyAuthenticationResponse({
          response,
          expectedChallenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          credential: {
            id: credential.credentialId,
            publicKey: Buffer.from(credential.publicKey, 'base64url'),
            counter: credential.counter,
            ...(credential.transports ? { transports: credential.transports } : {}),
          },
          requireUserVerification: false,
        })
        .catch(() => undefined);
      if (!verification?.verified) return undefined;
      await markMeansUsed(tx, credential.id, deps.clock.now(), {
        ...credential,
        id: undefined,
        level: undefined,
        counter: verification.authenticationInfo.newCounter,
      });
      return credential.level;
    },
    /**
     * The request of a passkey login: no list of credentials (the authenticator offers the discoverable ones it holds
     * for us, WebAuthn §5.1.4.1) and user verification required; the challenge is the caller's (methods/passkey).
     */
    async discoverableOptions(challenge: Uint8Array<ArrayBuffer>): Promise<PublicKeyCredentialRequestOptionsJSON> {
      return (await simpleWebAuthn()).generateAuthenticationOptions({
        rpID,
        challenge,
        userVerification: 'required',
        timeout: 5 * 60_000,
      });
    },
    /**
     * A passkey login without the password (methods/passkey): the credential names its account (WebAuthn §6.2.2,
     * checked against the user handle, §7.2 step 6), and the authenticator must have verified its user (PIN or
     * biometrics, §7.2 step 15), since the passkey stands for both factors. `challenge` says whether the client data's
     * challenge is one of ours, unused. Answers the account and the level the credential reaches.
     */
    async authenticateDiscoverable(
      tx: Queryable,
      response: AuthenticationResponseJSON,
      challenge: (value: string) => Promise<boolean>,
    ): Promise<{ accountId: string; level: Level } | undefined> {
      const row = await credentialById(tx, webauthnInfo.kinds, response.id);
      if (!row) return undefined;
      const handle = response.response.userHandle;
      if (handle !== undefined && handle !== Buffer.from(row.account_id).toString('base64url')) return undefined;
      const stored = row.public_data as unknown as StoredCredential;
      const verification = await (
        await simpleWebAuthn()
      )
        .verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          credential: {
            id: stored.credentialId,
            publicKey: Buffer.from(stored.publicKey, 'base64url'),
            counter: stored.counter,
            ...(stored.transports ? { transports: stored.transports } : {}),
          },
          requireUserVerification: true,
        })
        .catch(() => undefined);
      if (!verification?.verified || !verification.authenticationInfo.userVerified) return undefined;
      await markMeansUsed(tx, row.id, deps.clock.now(), {
        ...stored,
        counter: verification.authenticationInfo.newCounter,
      });
      return { accountId: row.account_id, level: row.level };
    },
    /** Challenges are used once or not at all (WebAuthn §13.4.3); unused ones go when they expire. */
    async housekeeping(db: Queryable, now: Date): Promise<void> {
      await deleteExpiredChallenges(db, now);
    },
  };
}

export type WebauthnMethod = ReturnType<typeof webauthnMethod>;
