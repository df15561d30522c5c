import type { Clock } from '../../platform/clock.ts';
import { hashToken } from '../../platform/crypto/tokens.ts';
import type { AuthenticationMethod, FormLoginMethod } from '../method.ts';
import { passwordInfo } from './info.ts';
import type { PasswordHasher } from './hash.ts';
import { passwordUsedPiece, type PasswordStore } from './password-repository.ts';
import { networkOf } from '../../platform/http/network-of.ts';
import type { DeviceCookies } from './device-cookie.ts';
import {
  countOnly,
  perAccount,
  perAddress,
  perDevice,
  perNameAndAddress,
  perNetwork,
  perReauthentication,
  type LoginThrottle,
  type ThrottleKey,
} from './throttle.ts';

export interface PasswordMethodDeps {
  passwords: PasswordStore;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  devices: DeviceCookies;
  clock: Clock;
}

/**
 * The throttle keys of one login attempt (issue 13 §3, §4). A browser with
 * a device cookie of the account counts only on its own key (OWASP device
 * cookies). Any other client counts per name and address, per address, per
 * network, and on the account; one network adds at most the free attempts
 * of a name to the account's count, so only an attack from many networks
 * slows the account down, and then neither for its owner's devices nor for
 * the addresses it logged in from in the last 30 days (`known`).
 */
function throttleKeys(
  subject: string,
  ip: string,
  device: string | undefined,
): { keys: ThrottleKey[]; cleared: string[]; refunded: string[]; known: string } {
  const known = `login:${subject}:known:${ip}`;
  if (device) {
    const key = `login:device:${device}`;
    return { keys: [{ key, policy: perDevice }], cleared: [key], refunded: [], known };
  }
  const network = networkOf(ip);
  const pair = `login:${subject}:ip:${ip}`;
  const fromNetwork = `login:${subject}:net:${network}`;
  const account = `login:${subject}`;
  const address = `login:ip:${ip}`;
  const net = `login:net:${network}`;
  return {
    keys: [
      { key: pair, policy: perNameAndAddress },
      { key: address, policy: perAddress },
      { key: net, policy: perNetwork },
      { key: fromNetwork, policy: countOnly },
      {
        key: account,
        policy: perAccount,
        countedWhile: { key: fromNetwork, atMost: perNameAndAddress.free },
        waivedBy: known,
      },
    ],
    cleared: [pair, fromNetwork, account],
    refunded: [address, net],
    known,
  };
}

/** Username or e-mail plus password; reaches level niedrig (DESIGN.md §3), amr `pwd` (RFC 8176). */
export function passwordMethod(deps: PasswordMethodDeps): AuthenticationMethod &
  FormLoginMethod & {
    /** Checks the current password before a sensitive change, throttled like a login. */
    reauthenticate(accountId: string, password: string): Promise<boolean>;
  } {
  return {
    ...passwordInfo,
    available: true,
    choice: { title: 'login.password.title', hint: 'login.password.hint' },
    async authenticate(form, attempt) {
      const identifier = (form.username ?? '').trim().slice(0, 320);
      const password = (form.password ?? '').slice(0, 1024);
      const values = { username: identifier };
      if (identifier === '' || password === '') {
        return {
          ok: false,
          values,
          errors: [
            ...(identifier === '' ? [{ field: 'username', message: 'form.missing.identifier' as const }] : []),
            ...(password === '' ? [{ field: 'password', message: 'form.missing.password' as const }] : []),
          ],
        };
      }
      const candidate = await deps.passwords.candidate(identifier);
      const account = candidate?.account;
      // An account is one key whether named by username or e-mail; an unknown name gets the same treatment.
      const subject = account ? `account:${account.id}` : `name:${hashToken(identifier.toLowerCase())}`;
      const device = account ? deps.devices.deviceOf(attempt.device, account.id) : undefined;
      const { keys, cleared, refunded, known } = throttleKeys(subject, attempt.ip, device);
      await deps.throttle.attempt(keys);

      const stored = candidate?.hash;
      let valid = false;
      if (account && stored) valid = await deps.hasher.verify(stored, password);
      else await deps.hasher.verifyDummy(password);

      if (!account || !valid) return { ok: false, values, errors: [{ field: 'username', message: 'login.invalid' }] };
      const throttled = () => deps.throttle.succeeded(cleared, known, { refunded });
      // Said only after the right password, so the lock tells nobody else that the account exists; the password was
      // checked as for every other name, so the answer takes as long as for an unknown one. The right password
      // clears the throttle here too.
      if (account.state === 'locked') {
        await throttled();
        return { ok: false, values, errors: [{ field: 'username', message: 'login.locked' }] };
      }
      if (!account.emailVerifiedAt) {
        await throttled();
        return { ok: false, values, errors: [{ field: 'username', message: 'login.unverified' }] };
      }

      const rehashed = stored && deps.hasher.needsRehash(stored) ? await deps.hasher.hash(password) : undefined;
      const usedAt = deps.clock.now();
      attempt.rememberDevice?.(deps.devices.issue(account.id));
      return {
        ok: true,
        accountId: account.id,
        level: 2,
        amr: ['pwd'],
        writes: [
          deps.throttle.succeededPiece(cleared, known, { refunded }),
          passwordUsedPiece(account.id, usedAt, rehashed),
        ],
      };
    },
    async reauthenticate(accountId, password) {
      const key = `reauth:account:${accountId}`;
      await deps.throttle.attempt([{ key, policy: perReauthentication }]);
      const stored = await deps.passwords.hashFor(accountId);
      const valid = stored !== undefined && (await deps.hasher.verify(stored, password.slice(0, 1024)));
      if (valid) await deps.throttle.succeeded([key]);
      return valid;
    },
  };
}

export type PasswordMethod = ReturnType<typeof passwordMethod>;
