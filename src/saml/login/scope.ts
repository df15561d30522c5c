import type { AppContext } from '../../context.ts';
import type { StepUpScope } from '../../flows/step-up/scope.ts';
import { AppError } from '../../platform/http/errors.ts';
import { button, csrfField } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { continueSamlLogin } from './continue.ts';
import { loadPendingLogin, shownName, type SamlLoginRequest } from './context.ts';

/** The step-up pages inside a SAML login: the same pages as for OIDC, under /saml/login/<uid>. */
export function samlStepUpScope(app: AppContext): StepUpScope {
  return {
    prefix: '/saml/login/:uid',
    async load(request, reply) {
      const { pending, service } = await loadPendingLogin(app, request as SamlLoginRequest);
      const session = request.sso;
      if (!session) throw new AppError('interaction_expired');
      const base = `/saml/login/${pending.uid}`;
      const serviceName = shownName(pending, service);
      return {
        base,
        session,
        required: pending.request.requiredLevel,
        serviceName,
        why: (p) => p.t('stepUp.why', { service: serviceName }),
        cancel: (p) => html`<form method="post" action="${base}/abort">${csrfField(p.csrfToken)}${button(p.t('login.cancel'), 'tertiary')}</form>`,
        done: (raised) => continueSamlLogin(app, request, reply, pending, service, raised),
      };
    },
  };
}
