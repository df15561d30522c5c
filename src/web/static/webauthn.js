// The WebAuthn ceremony: the one script of the Servicekonto, since the browser
// API needs it (DESIGN.md §5: every page works without JavaScript except this).
(function () {
  'use strict';
  var form = document.querySelector('form[data-webauthn]');
  if (!form) return;
  var button = form.querySelector('[data-webauthn-start]');
  var status = form.querySelector('[data-webauthn-status]');
  if (!window.PublicKeyCredential || !window.SimpleWebAuthnBrowser) {
    status.textContent = form.getAttribute('data-unsupported');
    return;
  }
  button.hidden = false;
  button.addEventListener('click', function () {
    status.textContent = form.getAttribute('data-waiting');
    var body = new URLSearchParams({ _csrf: form.elements._csrf.value });
    fetch(form.getAttribute('data-options'), { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('options ' + response.status);
        return response.json();
      })
      .then(function (optionsJSON) {
        return form.getAttribute('data-webauthn') === 'register'
          ? window.SimpleWebAuthnBrowser.startRegistration({ optionsJSON: optionsJSON })
          : window.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: optionsJSON });
      })
      .then(function (result) {
        form.elements.response.value = JSON.stringify(result);
        form.submit();
      })
      .catch(function () {
        status.textContent = form.getAttribute('data-failed');
      });
  });
})();
