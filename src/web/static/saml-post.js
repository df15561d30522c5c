// Sends a SAML message on to its recipient as soon as the page has loaded
// (SAML Bindings §3.5.4: the form "SHOULD" be submitted automatically). The
// CSP allows scripts only from our origin, so this is a file, not inline;
// without JavaScript the page shows a button in <noscript> instead.
(function () {
  'use strict';
  var form = document.querySelector('form[data-saml-post]');
  if (form) form.submit();
})();
