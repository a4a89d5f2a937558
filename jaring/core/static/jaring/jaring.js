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
