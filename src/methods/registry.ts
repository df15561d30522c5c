import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/database.ts';
import { installationSecret } from '../platform/crypto/installation-secrets.ts';
import { secretBox } from '../platform/crypto/secret-box.ts';
import type { SmsGateway } from '../platform/sms/gateway.ts';
import { loadMethodTexts } from '../text/index.ts';
import { eidMethod } from './eid/method.ts';
import { eidInfo } from './eid/info.ts';
import type { AuthenticationMethod, FactorRole, MethodChoice, MethodInfo } from './method.ts';
import { passwordMethod, type PasswordMethod, type PasswordMethodDeps } from './password/index.ts';
import { passwordInfo } from './password/info.ts';
import { passkeyMethod } from './passkey/index.ts';
import { passkeyInfo } from './passkey/info.ts';
import { recoveryCodes, type RecoveryCodes } from './recovery-codes/index.ts';
import { recoveryCodesInfo } from './recovery-codes/info.ts';
import { smsMethod, type SmsMethod } from './sms/index.ts';
import { smsInfo } from './sms/info.ts';
import { totpMethod, type TotpMethod } from './totp/index.ts';
import { totpInfo } from './totp/info.ts';
import { webauthnMethod, type WebauthnMethod } from './webauthn/index.ts';
import { webauthnInfo } from './webauthn/info.ts';

/**
 * The registry: every built-in method, one line each (STYLE.md "A method
 * is a folder and a registry line"). Second factors are offered in this
 * order, phishing-resistant first. The kind types and every SQL kind list
 * derive from it; nothing else names kinds.
 */
export const builtInMethods = [
  passwordInfo,
  eidInfo,
  passkeyInfo,
  webauthnInfo,
  totpInfo,
  smsInfo,
  recoveryCodesInfo,
] as const;

type BuiltIn = (typeof builtInMethods)[number];
/** The `authentication_means.kind` values of the built-in methods. */
export type MeansKind = BuiltIn['kinds'][number];
/** The kinds that add to the password as a second factor (TR-03160-1). */
export type SecondFactorKind = Extract<BuiltIn, { factor: 'second' }>['kinds'][number];

/** The kinds of the methods in these roles, in registry order. */
export function kindsOf<K extends string = string>(methods: readonly MethodInfo[], roles: readonly FactorRole[]): K[] {
  return methods.filter((m) => roles.includes(m.factor)).flatMap((m) => m.kinds as readonly K[]);
}

/** The built-in second factors' kinds, for callers that have no registry at hand. */
export const secondFactorKinds: readonly SecondFactorKind[] = kindsOf<SecondFactorKind>(builtInMethods, ['second']);

/** The methods of one installation, as app.ts builds them (AppContext `methods`). */
export interface Methods {
  /** Every registered method, in registry order. */
  readonly list: readonly AuthenticationMethod[];
  /** First-factor methods offered on the login choice page, in registry order; `password` is always there. */
  readonly all: readonly MethodChoice[];
  readonly password: PasswordMethod;
  readonly totp: TotpMethod;
  readonly recovery: RecoveryCodes;
  readonly webauthn: WebauthnMethod;
  readonly sms: SmsMethod;
  /** The method of a means kind, if any is registered. */
  byKind(kind: string): AuthenticationMethod | undefined;
  /** The kinds of the registered methods in these roles (for `kind = ANY($n)`). */
  kinds(...roles: FactorRole[]): string[];
}

/** Rewrites the built-in list: a test registers a throwaway method with `(list) => [...list, mine]`. */
export type MethodsOverride = (builtIn: readonly AuthenticationMethod[]) => readonly AuthenticationMethod[];

export interface MethodDeps {
  db: Queryable;
  clock: Clock;
  publicUrl: string;
  password: Omit<PasswordMethodDeps, 'clock'>;
  smsGateway: SmsGateway | undefined;
  onSmsFailure: (error: unknown) => void;
  /** Whether an eID-Server (or the simulator) is configured. */
  eid: boolean;
  override?: MethodsOverride;
}

/** Builds every method with its dependencies, in registry order. */
export async function createMethods(deps: MethodDeps): Promise<Methods> {
  const { db, clock } = deps;
  const password = passwordMethod({ ...deps.password, clock });
  const eid = eidMethod({ available: deps.eid });
  const webauthn = webauthnMethod({ clock, publicUrl: deps.publicUrl });
  const passkey = passkeyMethod({ clock, key: await installationSecret(db, 'passkey_challenge_key') });
  const totp = totpMethod({ clock, box: secretBox(await installationSecret(db, 'means_key')), issuer: 'Servicekonto' });
  const sms = smsMethod({
    clock,
    gateway: deps.smsGateway,
    key: await installationSecret(db, 'sms_tan_key'),
    publicUrl: deps.publicUrl,
    onFailure: deps.onSmsFailure,
  });
  const recovery = recoveryCodes({ clock, key: await installationSecret(db, 'recovery_code_key') });
  // Ordered by the registry line, the one list (a Record: a built-in line without an instance does not compile).
  const instances: Record<BuiltIn['id'], AuthenticationMethod> = {
    password,
    eid,
    passkey,
    webauthn,
    totp,
    sms,
    recovery,
  };
  const builtIn = builtInMethods.map((info) => instances[info.id]);
  const list = deps.override ? deps.override(builtIn) : builtIn;
  for (const m of list) if (m.texts) loadMethodTexts(m.texts);
  const all = list.flatMap((m) =>
    m.factor === 'first' && m.available && m.choice ? [{ id: m.id, choice: m.choice }] : [],
  );
  return {
    list,
    all: [password, ...all.filter((m) => m.id !== password.id)],
    password,
    totp,
    recovery,
    webauthn,
    sms,
    byKind: (kind) => list.find((m) => m.kinds.includes(kind)),
    kinds: (...roles) => kindsOf(list, roles),
  };
}
