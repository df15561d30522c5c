import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Language } from '../text/index.ts';

/** OIDC Discovery §3 `ui_locales_supported`: the languages of our pages. */
export const uiLocalesSupported: readonly Language[] = ['de', 'en'];

/**
 * OIDC Core §3.1.2.1 `ui_locales`: BCP 47 tags separated by spaces, most
 * preferred first. The first one whose language we have, else undefined.
 */
export function languageOfUiLocales(value: unknown): Language | undefined {
  if (typeof value !== 'string') return undefined;
  for (const tag of value.slice(0, 200).split(' ')) {
    const language = tag.split('-')[0]?.toLowerCase();
    if (uiLocalesSupported.includes(language as Language)) return language as Language;
  }
  return undefined;
}

/**
 * Our interaction pages are not the provider's: they learn the language the
 * service asked for from a cookie set for the path of that one interaction
 * (as the provider scopes its own interaction cookie), so it ends with the
 * interaction and never outranks the citizen's own choice (text/index.ts).
 */
export function rememberUiLocales(
  provider: Provider,
  cookieName: string,
  production: boolean,
  interactionSeconds: number,
): void {
  provider.on('interaction.started', (ctx: KoaContextWithOIDC) => {
    const language = languageOfUiLocales(ctx.oidc.params?.ui_locales);
    const interaction = ctx.oidc.entities.Interaction;
    if (!language || !interaction) return;
    ctx.cookies.set(cookieName, language, {
      path: `/interaction/${interaction.uid}`,
      httpOnly: true,
      sameSite: 'lax',
      secure: production,
      signed: false,
      maxAge: interactionSeconds * 1000,
    });
  });
}
