import type { AppContext } from '../../context.ts';
import { continueLogin } from '../../login/continue.ts';
import type { LoginFrontDoor } from '../../login/front-door.ts';
import { sessionAllowed } from '../../login/session-allowed.ts';
import { loadPendingLogin } from './context.ts';
import { samlLoginRequest } from './login-request.ts';

/** The SAML front door: the citizen's pages of a pending SAML login, under /saml/login/<uid>. */
export function samlFrontDoor(app: AppContext): LoginFrontDoor {
  const load: LoginFrontDoor['load'] = async (request, reply) => {
    const { pending, service } = await loadPendingLogin(app, request);
    return samlLoginRequest(app, request, reply, pending, service);
  };
  return {
    prefix: '/saml/login/:uid',
    // The password login of a SAML request never remembered the device.
    rememberDevice: false,
    load,
    async landing(request, reply, page, show) {
      if (page === 'password') return show();
      const login = await load(request, reply);
      if (sessionAllowed(login, request.sso)) return continueLogin(app, reply, login, request.sso);
      if (login.passive) return login.answer.refuse({ kind: 'passive', reason: 'login-needed' });
      return show();
    },
  };
}
