// Busy state for slow saves (no inline script: CSP). A form with data-busy-label gets, on
// submit, its submit button disabled with that label and aria-busy set; a second submit is
// ignored, so a double click never saves twice. Back/forward cache restores the button.
(() => {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.busyLabel) return;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    form.setAttribute("aria-busy", "true");
    // Disabled after this event so the submitter's own name/value is still sent.
    window.setTimeout(() => {
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        button.dataset.idleLabel = button.textContent;
        button.textContent = form.dataset.busyLabel;
        button.disabled = true;
      });
    }, 0);
  });
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-submitting=true]").forEach((form) => {
      form.dataset.submitting = "false";
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        if (button.dataset.idleLabel) button.textContent = button.dataset.idleLabel;
        button.disabled = false;
      });
    });
  });
})();
