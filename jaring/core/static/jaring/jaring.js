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
