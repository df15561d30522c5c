import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import type { LoginPageScope } from '../login/page-scope.ts';
import type { Queryable } from '../platform/db/database.ts';
import type { StatementPiece } from '../platform/db/statement-pieces.ts';
import type { ShowAccount } from './means-account.ts';
import type { Form } from '../platform/http/forms.ts';
import type { FieldError } from '../web/components.ts';
import type { PageContext } from '../web/layout.ts';
import type { SafeHtml } from '../web/html.ts';
import type { Means } from '../flows/settings/means.ts';
import type { GuestDoor } from '../flows/guest/login.ts';
import type { LoginFrontDoor } from '../login/front-door.ts';
import type { Level } from '../session/limits.ts';
import type { MessageId, MethodMessageId } from '../text/index.ts';
import type { Messages } from '../text/types.ts';

/** Who is trying to log in, for throttling per source (DESIGN.md §5, issue: abuse). */
export interface AttemptContext {
  ip: string;
  /** The browser's device cookie, if any (OWASP device cookies; methods/password/device-cookie.ts). */
  device?: string;
  /** Gives the browser a new device cookie after a successful login. */
  rememberDevice?: (value: string) => void;
}

export type AuthenticationResult =
  | {
      ok: true;
      accountId: string;
      level: Level;
      amr: string[];
      /**
       * The method's own writes of the success (its throttle, the means' last
       * use): the caller makes them part of the statement that starts the
       * session, so a login is one transaction and its writes one statement
       * (issue 16).
       */
      writes?: readonly StatementPiece<unknown>[];
    }
  | { ok: false; errors: FieldError[]; values: Record<string, string> };

/** How a method is offered on the choice page; a redirect method (eID) has only this and its own routes. */
export interface MethodChoice {
  /** Stable id used in URLs (`{base}/{id}`). */
  readonly id: string;
  readonly choice: { title: MessageId; hint: MessageId };
}

/**
 * How a method takes part in a login:
 * - `first`: it starts a session on its own (password, eID);
 * - `second`: it adds to the password (TR-03160-1 second factor);
 * - `backup`: it stands in for a second factor once (recovery codes) and is
 *   never listed or offered on its own.
 */
export type FactorRole = 'first' | 'second' | 'backup';

/**
 * What a method is, without its dependencies: the static line of the
 * registry (methods/registry.ts) from which the kinds in SQL and in types
 * derive.
 */
export interface MethodInfo {
  /** Stable id: in URLs (`{base}/{id}`), in audit details and on the choice page. */
  readonly id: string;
  /** The `authentication_means.kind` values its rows carry; none for a method that keeps its own table (eID). */
  readonly kinds: readonly string[];
  readonly factor: FactorRole;
  /** RFC 8176 `amr` values a successful use adds to the session. */
  readonly amr: readonly string[];
  /** The highest level it reaches (DESIGN.md §3; TR-03107-1 table): with the password, for a second factor. */
  readonly level: Level;
  /** Its name on "Mein Konto" and on the step-up choice. */
  readonly title: MessageId;
  /**
   * It reaches `level` only when enrolled in a session of that level, else niedrig (SMS-TAN: DESIGN.md §3, TR-03107-1).
   */
  readonly levelNeedsStrongSession?: boolean;
  /** A backup method: the second factor it stands in for; blocked and removed with it (recovery codes and the app). */
  readonly standsInFor?: string;
  /** The note on a means of this method below `level` on "Mein Konto" (SMS: why, TR-03107-1). */
  readonly lowLevelNote?: MessageId;
  /**
   * Set up inside a step-up (`{base}/{id}/setup`) when the account has no second factor reaching the level (the
   * software token).
   */
  readonly stepUpSetup?: boolean;
}

/**
 * Why an account cannot reach the level a service needs (login/level-gap.ts): its identity data are below it, or
 * they reach it but no means of the account does.
 */
export interface LevelGap {
  readonly required: Level;
  /** The level of the account's core identity data (session/required-level.ts `identityLevel`). */
  readonly identity: Level;
  /** The most this account reaches now. */
  readonly reachable: number;
  readonly reason: 'identity' | 'means';
  /** Means were blocked through a mailed link: new ones stay below substanziell until the person is verified again. */
  readonly meansReset: boolean;
  /** The waiting login's pages (`{base}/{id}`). */
  readonly base: string;
}

/** One way to the level a method offers on the page that explains the gap: a link into its flow. */
export interface LevelWay {
  readonly href: string;
  readonly title: MessageId;
  readonly text: MessageId;
}

/** A job a method runs with the installation's housekeeping (expired challenges and the like). */
export type MethodHousekeeping = (db: Queryable, now: Date) => Promise<void>;

/** A route plug-in, registered by app.ts in its routes phase. */
export type MethodRoutes = (fastify: FastifyInstance) => Promise<void>;

/** Where logins come in (login/front-door.ts): a first factor's own pages are registered behind each. */
export interface MethodDoors {
  /** The login's doors: standalone, OIDC, SAML. */
  readonly login: readonly LoginFrontDoor[];
  /** The protocols' doors for a guest login without an account (flows/guest). */
  readonly guest: readonly GuestDoor[];
}

/**
 * One interface for every authentication method (DESIGN.md §5: flows are
 * separate from methods; adding a method adds a folder and a registry line,
 * STYLE.md "Methods and protocols plug in"). The flows ask a method what it
 * proves (`amr`, level, factor) instead of naming kinds, and call its hooks
 * to mount its pages.
 */
export interface AuthenticationMethod extends MethodInfo {
  /** Whether this installation can offer it (SMS-TAN needs a gateway, eID a server). */
  readonly available: boolean;
  /**
   * What tells the citizen's means of this method apart on "Mein Konto", from its stored public data (SMS: the masked
   * number).
   */
  detailOf?(publicData: Readonly<Record<string, unknown>> | null): string | undefined;
  /** Offered on the first-factor choice page. */
  readonly choice?: MethodChoice['choice'];
  /** The step-up pages of one scope (a service's login, or "Mein Konto"), under `{scope.prefix}/{id}`. */
  stepUpRoutes?(app: AppContext, scope: LoginPageScope): MethodRoutes;
  /** The link text on the step-up choice, when its title is not enough (SMS names the number). */
  stepUpLabel?(app: AppContext, accountId: string, p: PageContext): Promise<string>;
  /**
   * Enrolment and its own management on "Mein Konto" (rename, remove and block are generic:
   * flows/settings/means-routes.ts).
   */
  accountRoutes?(app: AppContext, show: ShowAccount): MethodRoutes;
  /**
   * Its own routes beyond the step-up and "Mein Konto" (a redirect first factor's login under each door, registration,
   * recovery), registered once by app.ts when it is `available`.
   */
  routes?(app: AppContext, doors: MethodDoors): MethodRoutes;
  /**
   * Its part of the password page of a login (the passkey: a button, and the browser's autofill in the username field,
   * WebAuthn conditional mediation): a token for the username field's `autocomplete`, and what follows the form.
   */
  passwordPageAddOn?(
    p: PageContext,
    to: { base: string; returnTo: string | undefined },
  ): { autocomplete: string; html: SafeHtml };
  /** Its "add one" section on "Mein Konto", shown once the session may add means; nothing when not available. */
  addSection?(p: PageContext, o: { means: readonly Means[]; errors: FieldError[] }): SafeHtml;
  /** A `stepUpSetup` method: whether the account already has a confirmed one, which is then not set up again. */
  hasConfirmed?(db: Queryable, accountId: string): Promise<boolean>;
  /**
   * Texts it brings with it (ids `method.<id>.…`), loaded when it is registered: a method outside the catalogue names
   * its own.
   */
  readonly texts?: Readonly<Partial<Record<MethodMessageId, Messages[string]>>>;
  /** The ways it offers to close a gap to a service's level (issue 15, point 6); none when it cannot help. */
  levelWays?(gap: LevelGap): readonly LevelWay[];
  /** Periodic cleanup, to run with the installation's housekeeping (platform/jobs/housekeeping.ts). */
  housekeeping?: MethodHousekeeping;
}

/**
 * A method whose own form starts a login (the password): the login flow
 * renders its fields and calls `authenticate`.
 */
export interface FormLoginMethod extends MethodChoice {
  authenticate(form: Form, attempt: AttemptContext): Promise<AuthenticationResult>;
}
