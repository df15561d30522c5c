import type { AppContext } from '../../context.ts';
import type { LoginPageScope } from '../../login/page-scope.ts';
import { loginPageState } from '../../login/page-scope.ts';
import { AppError } from '../../platform/http/errors.ts';
import { accountLoginRequest } from '../login/account-request.ts';

/** "Mein Konto"'s confirmation (flows/login/account-request.ts). */
export function accountScope(app: AppContext): LoginPageScope {
  return {
    prefix: '/account/confirm',
    async load(request, reply) {
      const session = request.sso;
      if (!session) throw new AppError('session_expired');
      return loginPageState(app, reply, await accountLoginRequest(app, request, reply, session), session);
    },
  };
}
