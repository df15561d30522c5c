// The print view's button (methods/recovery-codes/keep-page.ts): the browser's print dialogue. Without a script the
// page says how to print it with the browser's own menu.
(function () {
  'use strict';
  var button = document.querySelector('[data-print]');
  if (!button || typeof window.print !== 'function') return;
  button.hidden = false;
  button.addEventListener('click', function () {
    window.print();
  });
})();
