// Jaring's own few lines of behaviour, from a file (the Content-Security-Policy allows no inline script).
// A <select data-submit> sends its form when it changes (the language choice in the top bar).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("select[data-submit]") && target.form) {
    target.form.submit();
  }
});

// On a phone the menu folds behind a button (jaring.css): the button opens and closes it.
document.addEventListener("click", function (event) {
  var button = event.target && event.target.closest ? event.target.closest("[data-menu-toggle]") : null;
  if (!button) {
    return;
  }
  var header = button.closest("header");
  var open = header.classList.toggle("open");
  button.setAttribute("aria-expanded", open ? "true" : "false");
});

// A wide table scrolls inside its own box on a phone (jaring.css): a box that scrolls must be reachable by the
// keyboard too (WCAG 2.1.1), so every table can take the focus; tables an htmx request brings get it as well.
function focusableTables(root) {
  (root || document).querySelectorAll("table:not([tabindex])").forEach(function (table) {
    table.setAttribute("tabindex", "0");
  });
}
document.addEventListener("DOMContentLoaded", function () { focusableTables(document); });
document.addEventListener("htmx:afterSettle", function (event) { focusableTables(event.target); });

// A form per claim type (issue #14): a <label data-for="jkk_stmb jkk_home_care"> shows only for the types it
// names; a hidden field is disabled, so it is neither required nor sent. Without JavaScript every field shows.
function claimForm(form) {
  var chosen = form.querySelector("[data-claim-type]");
  if (!chosen) {
    return;
  }
  form.querySelectorAll("[data-for]").forEach(function (field) {
    var shown = field.getAttribute("data-for").split(" ").indexOf(chosen.value) >= 0;
    field.hidden = !shown;
    field.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
  });
}
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-claim-form]").forEach(claimForm);
});
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("[data-claim-type]") && target.form) {
    claimForm(target.form);
  }
});
