// Logging in with a passkey, without a password (methods/passkey/page.ts): the button, and where the page asks for
// it the browser's autofill (WebAuthn conditional mediation). Without a script, or in a browser without WebAuthn,
// nothing of this shows and the password login works as before.
(function () {
  'use strict';
  var form = document.querySelector('form[data-passkey-login]');
  var lib = window.SimpleWebAuthnBrowser;
  if (!form || !lib || !window.PublicKeyCredential) return;
  var button = form.querySelector('[data-passkey-start]');
  var status = form.querySelector('[data-passkey-status]');
  var section = document.querySelector('[data-passkey-section]');

  function options() {
    var body = new URLSearchParams({ _csrf: form.elements._csrf.value });
    return fetch(form.getAttribute('data-options'), { method: 'POST', body: body, credentials: 'same-origin' }).then(
      function (response) {
        if (!response.ok) throw new Error('options ' + response.status);
        return response.json();
      },
    );
  }
  function submit(result) {
    form.elements.response.value = JSON.stringify(result);
    form.submit();
  }

  if (section) section.hidden = false;
  button.hidden = false;
  button.addEventListener('click', function () {
    status.textContent = form.getAttribute('data-waiting');
    options()
      .then(function (optionsJSON) {
        return lib.startAuthentication({ optionsJSON: optionsJSON });
      })
      .then(submit)
      .catch(function () {
        status.textContent = form.getAttribute('data-failed');
      });
  });

  // The username field says `autocomplete="username webauthn"`: where the browser supports it, its suggestions
  // include the passkeys for this site. A click on the button cancels this waiting request (the library aborts it).
  if (form.hasAttribute('data-autofill') && lib.browserSupportsWebAuthnAutofill) {
    lib
      .browserSupportsWebAuthnAutofill()
      .then(function (supported) {
        if (!supported) return undefined;
        return options().then(function (optionsJSON) {
          return lib.startAuthentication({ optionsJSON: optionsJSON, useBrowserAutofill: true }).then(submit);
        });
      })
      .catch(function () {
        // Cancelled, or replaced by the button's request: nothing to say.
      });
  }
})();
