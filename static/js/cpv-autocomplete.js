/*
 * Suggestions for CPV code fields: the ARIA 1.2 combobox pattern (an editable combobox with a
 * list popup) on <input data-cpv-autocomplete="/api/v1/cpv-codes">. The field holds several
 * codes separated by commas; suggestions are for the part after the last comma, and choosing
 * one puts its code there. Progressive enhancement: without this script the field is a plain
 * text box for codes, and the codes page has a search that works without it.
 *
 * Keys: Down/Up move through the suggestions, Enter takes the one highlighted, Escape closes
 * the list, Tab leaves. A polite live region says how many suggestions there are and what was
 * added. The messages come translated from the page (data-cpv-* attributes of the field).
 */
(function () {
  "use strict";

  var DELAY = 250; // ms after the last key before asking
  var LIMIT = 8;
  var counter = 0;

  function currentPart(value) {
    var cut = Math.max(value.lastIndexOf(","), value.lastIndexOf(";"));
    return { head: value.slice(0, cut + 1), part: value.slice(cut + 1).trim() };
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) {
      return name in values ? values[name] : "";
    });
  }

  function enhance(input) {
    counter += 1;
    var id = input.id || "cpv-field-" + counter;
    var listId = id + "-suggestions";
    var url = input.getAttribute("data-cpv-autocomplete");
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var timer = null;
    var asked = "";
    var options = [];
    var active = -1;
    var request = 0;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    list.id = listId;
    list.className = "cpv-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-cpv-list-label") || "");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var wrapper = document.createElement("div");
    wrapper.className = "cpv-combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var code = options[index].code;
      var label = options[index].label;
      var parts = currentPart(input.value);
      var head = parts.head ? parts.head.replace(/\s*$/, " ") : "";
      input.value = head + code + ", ";
      close();
      input.focus();
      status.textContent = format(input.getAttribute("data-cpv-added") || "%(code)s", {
        code: code,
        label: label,
      });
      input.dispatchEvent(new Event("input", { bubbles: true }));
      asked = "";
    }

    function show(results) {
      list.textContent = "";
      options = results.map(function (result, i) {
        var element = document.createElement("li");
        element.id = listId + "-" + i;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        var code = document.createElement("span");
        code.className = "cpv-code";
        code.textContent = result.code;
        element.appendChild(code);
        element.appendChild(document.createTextNode(" " + result.label));
        // mousedown, not click: the field keeps the focus (and the list is not closed by blur).
        element.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(element);
        return { element: element, code: result.code, label: result.label };
      });
      active = -1;
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = format(input.getAttribute("data-cpv-found") || "%(count)s", {
          count: options.length,
        });
      } else {
        close();
        status.textContent = input.getAttribute("data-cpv-none") || "";
      }
    }

    function ask() {
      var part = currentPart(input.value).part;
      if (part === asked) {
        return;
      }
      asked = part;
      if (part.replace(/[\s-]/g, "").length < 2) {
        show([]);
        status.textContent = "";
        return;
      }
      request += 1;
      var mine = request;
      var address = url + "?limit=" + LIMIT + "&q=" + encodeURIComponent(part);
      fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (results) {
          if (mine === request) {
            show(Array.isArray(results) ? results : []);
          }
        })
        .catch(function () {
          // No suggestions (offline, rate limit): the field still takes typed codes.
          if (mine === request) {
            close();
          }
        });
    }

    input.addEventListener("input", function (event) {
      if (!event.isTrusted) {
        return; // our own event after choosing: nothing new was typed
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          asked = "";
          ask();
        } else {
          highlight(active + 1 < options.length ? active + 1 : 0);
        }
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active > 0 ? active - 1 : options.length - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault(); // take the suggestion, do not send the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-cpv-autocomplete]"), enhance);
})();
