import type { AccountRepository } from '../../identity/accounts.ts';
import type { Clock } from '../../platform/clock.ts';
import { hashToken } from '../../platform/crypto/tokens.ts';
import type { AuthenticationMethod } from '../method.ts';
import type { PasswordHasher } from './hash.ts';
import type { PasswordStore } from './store.ts';
import { perAddress, perLoginName, type LoginThrottle } from './throttle.ts';

export interface PasswordMethodDeps {
  accounts: AccountRepository;
  passwords: PasswordStore;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  clock: Clock;
}

/** Username or e-mail plus password; reaches level niedrig (DESIGN.md §3), amr `pwd` (RFC 8176). */
export function passwordMethod(deps: PasswordMethodDeps): AuthenticationMethod {
  return {
    id: 'password',
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
            ...(identifier === '' ? [{ field: 'username', message: 'form.required' as const }] : []),
            ...(password === '' ? [{ field: 'password', message: 'form.required' as const }] : []),
          ],
        };
      }
      // Keys by name (known or not, so unknown names behave the same) and by address.
      const nameKey = `login:name:${hashToken(identifier.toLowerCase())}`;
      const addressKey = `login:ip:${attempt.ip}`;
      await deps.throttle.check([nameKey, addressKey]);

      const account = await deps.accounts.byLogin(identifier);
      const stored = account ? await deps.passwords.hashFor(account.id) : undefined;
      let valid = false;
      if (account && stored) valid = await deps.hasher.verify(stored, password);
      else await deps.hasher.verifyDummy(password);

      if (!account || !valid || account.state !== 'active') {
        await deps.throttle.failed(nameKey, perLoginName);
        await deps.throttle.failed(addressKey, perAddress);
        return { ok: false, values, errors: [{ field: 'username', message: 'login.invalid' }] };
      }
      await deps.throttle.succeeded(nameKey);
      if (!account.emailVerifiedAt) return { ok: false, values, errors: [{ field: 'username', message: 'login.unverified' }] };

      if (stored && deps.hasher.needsRehash(stored)) await deps.passwords.set(account.id, await deps.hasher.hash(password));
      await deps.passwords.markUsed(account.id, deps.clock.now());
      return { ok: true, accountId: account.id, level: 2, amr: ['pwd'] };
    },
  };
}
