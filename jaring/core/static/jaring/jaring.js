// Jaring's own few lines of behaviour, from a file (the Content-Security-Policy allows no inline script).
// A <select data-submit> sends its form when it changes (the language choice in the top bar).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("select[data-submit]") && target.form) {
    target.form.submit();
  }
});
