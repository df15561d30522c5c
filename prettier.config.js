// Formatter settings (issue 14, STYLE.md "Density"): width 120, otherwise the style the code already has,
// so that the one reformat of the tree changes layout only.
/** @type {import('prettier').Config} */
export default {
  printWidth: 120,
  singleQuote: true,
  semi: true,
  tabWidth: 2,
  trailingComma: 'all',
  arrowParens: 'always',
  // Template literals are output: html`…` pages, SAML XML, SQL. Reflowing them would change what a browser or a
  // service receives (the whitespace in <pre>, <textarea> and signed XML), so they are left as written.
  embeddedLanguageFormatting: 'off',
};
