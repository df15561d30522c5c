import type { Form } from '../platform/http/forms.ts';
import type { FieldError } from '../web/components.ts';
import type { Level } from '../session/limits.ts';
import type { MessageId } from '../text/index.ts';

/** Who is trying to log in, for throttling per source (DESIGN.md §5, issue: abuse). */
export interface AttemptContext {
  ip: string;
  /** The browser's device cookie, if any (OWASP device cookies; methods/password/device-cookie.ts). */
  device?: string;
  /** Gives the browser a new device cookie after a successful login. */
  rememberDevice?: (value: string) => void;
}

export type AuthenticationResult =
  | { ok: true; accountId: string; level: Level; amr: string[] }
  | { ok: false; errors: FieldError[]; values: Record<string, string> };

/** How a method is offered on the choice page; a redirect method (eID) has only this and its own routes. */
export interface MethodChoice {
  /** Stable id used in URLs (`{base}/{id}`). */
  readonly id: string;
  readonly choice: { title: MessageId; hint: MessageId };
}

/**
 * One interface for every authentication method (DESIGN.md §5: flows are
 * separate from methods; adding a method adds a folder). The login flow
 * lists the methods, renders the chosen one's fields and calls `authenticate`.
 */
export interface AuthenticationMethod {
  /** Stable id used in URLs and in `amr` bookkeeping. */
  readonly id: string;
  /** How the method is offered on the choice page (message ids). */
  readonly choice: { title: MessageId; hint: MessageId };
  authenticate(form: Form, attempt: AttemptContext): Promise<AuthenticationResult>;
}
