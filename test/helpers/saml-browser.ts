import assert from 'node:assert/strict';
import { followRedirects, goodPassword, type Browser, type FollowedPage } from './test-app.ts';

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

/** Follows a redirect answer, or keeps a page answer, remembering where it is. */
async function settle(
  browser: Browser,
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  at: string,
): Promise<FollowedPage> {
  const location = response.headers.location;
  if (response.statusCode === 303 && typeof location === 'string' && location.startsWith('/'))
    return followRedirects(browser, location);
  return Object.assign(response, { finalUrl: at }) as FollowedPage;
}

/**
 * Plays the citizen through a SAML login from any of our pages until the
 * auto-submitting POST to the service (or an error page): picks the password
 * login, logs in, gives consent. Other pages (step-up) end the walk.
 */
export async function walkSamlLogin(
  browser: Browser,
  start: FollowedPage,
  username = 'erika.m',
): Promise<FollowedPage> {
  let page = start;
  for (let step = 0; step < 6; step++) {
    if (page.statusCode !== 200 || /name="SAMLResponse"/.test(page.body)) return page;
    const base = /^(\/saml\/login\/[^/]+)/.exec(page.finalUrl)?.[1];
    if (!base) return page;
    if (page.finalUrl === base && page.body.includes(`href="${base}/password"`)) {
      page = await followRedirects(browser, `${base}/password`);
    } else if (page.finalUrl === `${base}/password`) {
      page = await settle(
        browser,
        await browser.post(`${base}/password`, { _csrf: csrfOf(page.body), username, password: goodPassword }),
        `${base}/password`,
      );
    } else if (page.finalUrl === `${base}/consent`) {
      page = await settle(
        browser,
        await browser.post(`${base}/consent`, { _csrf: csrfOf(page.body) }),
        `${base}/consent`,
      );
    } else {
      return page;
    }
  }
  assert.fail(`the login did not finish: ${page.finalUrl}`);
}

/** A form's hidden fields, as a browser would post them. */
export function formFields(html: string): Record<string, string> {
  return Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
      m[1] ?? '',
      (m[2] ?? '')
        .replaceAll('&quot;', '"')
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&#39;', "'")
        .replaceAll('&#96;', '`')
        .replaceAll('&amp;', '&'),
    ]),
  );
}
