// Browser print: open the details marked data-print-open (doses, warnings) so the printout
// carries them, and close them again afterwards (no inline script: CSP).
(() => {
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll("details[data-print-open]:not([open])")];
    opened.forEach((details) => details.setAttribute("open", ""));
  });
  window.addEventListener("afterprint", () => {
    opened.forEach((details) => details.removeAttribute("open"));
    opened = [];
  });
})();
