/**
 * The operator's colour as KERN's own theme variable (`--kern-color-action-default`, which KERN's hover, active and
 * indicator colours derive from), in the places KERN sets its light theme: the light colour scheme and
 * `[data-kern-theme=light]`. The dark theme keeps KERN's colours, whose contrast KERN checked; the light colour was
 * checked at start (config/site.ts).
 */
export function themeStylesheet(color: string | undefined): string {
  if (color === undefined) return "/* KERN's own colours: SITE_COLOR is unset. */\n";
  const rule = `--kern-color-action-default: ${color};`;
  return `@media (prefers-color-scheme: light) {\n  :root {\n    ${rule}\n  }\n}\n[data-kern-theme='light'],\n.kern-light {\n  ${rule}\n}\n`;
}
