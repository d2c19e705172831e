// The warning before an inactivity timeout (WCAG 2.2.1 Timing Adjustable; GOV.UK's timeout
// warning). The server ends a session nobody has used for a while; shortly before that, this
// shows a modal dialog that lets the user stay signed in, and when the time has run out it goes
// to the sign-in page, which says why and comes back here afterwards. Before it acts it asks the
// server how long is left, so activity in another tab or window is never cut short.
(function () {
  'use strict';

  var dialog = document.getElementById('session-timeout');
  if (!dialog || typeof dialog.showModal !== 'function' || !window.fetch) return;
  var data = dialog.dataset;
  var warnSeconds = Number(data.warnSeconds);
  var initialSeconds = Number(data.secondsLeft);
  if (!(warnSeconds > 0) || isNaN(initialSeconds)) return;

  var stay = dialog.querySelector('[data-session-stay]');
  var countdown = document.getElementById('session-timeout-countdown');
  var live = dialog.querySelector('[data-session-live]');
  var csrfField = dialog.querySelector('input[name="csrf_token"]');
  var channel = 'BroadcastChannel' in window ? new BroadcastChannel('ustaz-session') : null;
  // Spoken while the dialog is open, as the time passes them (not every second).
  var MILESTONES = [60, 20];

  var deadline = 0; // when the session ends, in Date.now() milliseconds
  var timer = null; // the next check
  var ticker = null; // the countdown's update, while the dialog is open
  var lastLeft = 0;
  var returnFocus = null;
  var leaving = false;

  function secondsLeft() {
    return Math.ceil((deadline - Date.now()) / 1000);
  }

  function setDeadline(seconds) {
    deadline = Date.now() + seconds * 1000;
  }

  // The sentence for `left` seconds: whole minutes while more than a minute is left, then tens
  // of seconds (the server wrote them, with each language's plural forms).
  function sentence(left) {
    if (left > 60) return data['countdownM' + Math.min(2, Math.ceil(left / 60))];
    if (left > 50) return data.countdownM1;
    return data['countdownS' + Math.min(50, Math.max(10, Math.ceil(left / 10) * 10))];
  }

  function render() {
    var left = secondsLeft();
    var text = sentence(left);
    if (countdown.textContent !== text) countdown.textContent = text;
    MILESTONES.forEach(function (m) {
      if (lastLeft > m && left <= m) live.textContent = sentence(left);
    });
    lastLeft = left;
  }

  function focusables() {
    return Array.prototype.slice.call(dialog.querySelectorAll('button, [href], input:not([type=hidden])'));
  }

  function open() {
    if (dialog.open) return;
    returnFocus = document.activeElement;
    lastLeft = secondsLeft();
    live.textContent = '';
    render();
    dialog.showModal();
    stay.focus();
    ticker = setInterval(render, 1000);
  }

  function close() {
    if (!dialog.open) return;
    clearInterval(ticker);
    dialog.close();
    live.textContent = '';
    if (returnFocus && document.contains(returnFocus) && returnFocus !== document.body) {
      returnFocus.focus();
    }
  }

  function timedOut() {
    if (leaving) return;
    leaving = true;
    clearTimeout(timer);
    clearInterval(ticker);
    window.location.assign(data.signInUrl);
  }

  // The seconds the session has left, as the server says (0 when it has ended); null when the
  // server cannot be asked now.
  function status() {
    return fetch('/session/status', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (response.status === 401) return 0;
        if (!response.ok) return null;
        return response.json().then(function (body) {
          return typeof body.seconds_left === 'number' ? body.seconds_left : null;
        });
      })
      .catch(function () {
        return null;
      });
  }

  // Waits until the warning is due (or, with the dialog open, until the end).
  function schedule() {
    clearTimeout(timer);
    var left = secondsLeft();
    var wait = dialog.open ? Math.max(left, 1) : Math.max(left - warnSeconds, 0);
    timer = setTimeout(check, wait * 1000);
  }

  // Asks the server, then shows the warning, waits on, or goes to the sign-in page.
  function check() {
    clearTimeout(timer);
    status().then(function (seconds) {
      if (leaving) return;
      if (seconds === null) {
        // No answer: count on here, and ask again shortly.
        if (secondsLeft() <= 0) return timedOut();
        if (secondsLeft() <= warnSeconds) open();
        timer = setTimeout(check, Math.min(10, Math.max(secondsLeft(), 1)) * 1000);
        return;
      }
      if (seconds <= 0) return timedOut();
      setDeadline(seconds);
      if (seconds > warnSeconds) close();
      else open();
      schedule();
    });
  }

  function heard(seconds) {
    if (leaving || typeof seconds !== 'number' || seconds <= 0) return;
    setDeadline(seconds);
    if (seconds > warnSeconds) close();
    schedule();
  }

  function tellOtherTabs(seconds) {
    if (channel) channel.postMessage({ secondsLeft: seconds });
  }

  function staySignedIn() {
    fetch('/session/extend', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: 'csrf_token=' + encodeURIComponent(csrfField ? csrfField.value : ''),
    })
      .then(function (response) {
        if (!response.ok) throw new Error('not extended: ' + response.status);
        return response.json();
      })
      .then(function (body) {
        heard(body.seconds_left);
        tellOtherTabs(body.seconds_left);
      })
      .catch(check);
  }

  stay.addEventListener('click', staySignedIn);
  // Escape means "stay signed in", never "let it run out".
  dialog.addEventListener('cancel', function (event) {
    event.preventDefault();
    staySignedIn();
  });
  // Tab and Shift+Tab go round the dialog's controls.
  dialog.addEventListener('keydown', function (event) {
    if (event.key !== 'Tab') return;
    var items = focusables();
    if (!items.length) return;
    var first = items[0];
    var last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  if (channel) {
    channel.addEventListener('message', function (event) {
      heard(event.data && event.data.secondsLeft);
    });
  }
  // Timers sleep in background tabs: ask again when the page is seen.
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') check();
  });
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) check();
  });

  setDeadline(initialSeconds);
  // Loading this page was activity: other tabs wait on.
  tellOtherTabs(initialSeconds);
  schedule();
})();
