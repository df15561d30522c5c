import type { AppContext } from '../../context.ts';
import { stepUpScopeOf, type StepUpScope } from '../../flows/step-up/scope.ts';
import { samlFrontDoor } from './front-door.ts';

/**
 * @deprecated The step-up pages inside a SAML login: `stepUpScopeOf(app, samlFrontDoor(app))`;
 * kept until the step-up pages take front doors.
 */
export function samlStepUpScope(app: AppContext): StepUpScope {
  return stepUpScopeOf(app, samlFrontDoor(app));
}
