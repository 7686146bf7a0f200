/*
 * Nothing typed is lost: a warning before leaving a page with unsaved changes, and autosave for
 * forms that ask for it. Progressive enhancement: without JavaScript every form works the same,
 * only without the warning and the autosave.
 *
 * <form data-unsaved-warning>            warn when leaving with changes not yet sent
 * <form data-unsaved-warning data-autosave="30">
 *                                         also POST the changed fields every 30 s with
 *                                         autosave=1; the server answers JSON {saved, message}
 * [data-autosave-status]                  live region that shows the server's message
 * [data-autosave-note]                    hidden note, shown when autosave is working
 */
(function () {
  "use strict";

  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-unsaved-warning]"));
  if (!forms.length) {
    return;
  }
  var leaving = false; // a tracked form is being sent: its page is about to be replaced

  // Field name -> value, as the form would send it now (files by name and size).
  function snapshot(form) {
    var state = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") {
        return;
      }
      var text = typeof value === "string" ? value : value && value.name ? "file:" + value.name + ":" + value.size : "";
      state[name] = name in state ? state[name] + "\u0000" + text : text;
    });
    return state;
  }

  function changedNames(before, now) {
    var names = [];
    Object.keys(before).concat(Object.keys(now)).forEach(function (name) {
      if (names.indexOf(name) === -1 && (before[name] || "") !== (now[name] || "")) {
        names.push(name);
      }
    });
    return names;
  }

  // After logging in again in another tab the CSRF token on this page is stale; the cookie holds
  // the current one. (Django's default cookie name; CSRF_COOKIE_HTTPONLY is off.)
  function currentCsrfToken(form) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (match && input) {
      input.value = decodeURIComponent(match[1]);
    }
    return input ? input.value : "";
  }

  var tracked = forms.map(function (form) {
    var entry = { form: form, saved: snapshot(form) };
    form.addEventListener("submit", function () {
      leaving = true;
      currentCsrfToken(form);
    });
    return entry;
  });

  // Back to this page from the browser's history: it is live again.
  window.addEventListener("pageshow", function () {
    leaving = false;
  });

  window.addEventListener("beforeunload", function (event) {
    if (leaving) {
      return;
    }
    var dirty = tracked.some(function (entry) {
      return changedNames(entry.saved, snapshot(entry.form)).length > 0;
    });
    if (dirty) {
      event.preventDefault();
      event.returnValue = ""; // browsers show their own wording
    }
  });

  function startAutosave(entry) {
    var form = entry.form;
    var seconds = parseInt(form.getAttribute("data-autosave"), 10);
    var status = form.querySelector("[data-autosave-status]");
    if (!seconds || !status || !window.fetch) {
      return;
    }
    var note = form.querySelector("[data-autosave-note]");
    if (note) {
      note.hidden = false;
    }
    var busy = false;
    var stopped = false;
    var url = form.getAttribute("action") || window.location.pathname + window.location.search;

    function say(message) {
      status.textContent = message || "";
    }

    window.setInterval(function () {
      if (busy || stopped || leaving) {
        return;
      }
      var now = snapshot(form);
      var names = changedNames(entry.saved, now);
      if (!names.length) {
        return;
      }
      // Only the changed fields: another tab's changes to the other fields are not overwritten.
      var body = new FormData();
      body.append("csrfmiddlewaretoken", currentCsrfToken(form));
      body.append("autosave", "1");
      var current = new FormData(form);
      names.forEach(function (name) {
        current.getAll(name).forEach(function (value) {
          body.append(name, value);
        });
      });
      busy = true;
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) {
            throw new Error("not an autosave answer");
          }
          return response.json();
        })
        .then(function (answer) {
          if (answer.saved) {
            names.forEach(function (name) {
              entry.saved[name] = now[name];
            });
          }
          if (answer.submitted) {
            stopped = true;
          }
          say(answer.message);
        })
        .catch(function () {
          say(status.getAttribute("data-failed"));
        })
        .then(function () {
          busy = false;
        });
    }, seconds * 1000);
  }

  tracked.forEach(startAutosave);
})();
