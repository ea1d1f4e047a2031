// The patient calendar button (dosing plan page): shows that the PDF is being prepared and
// cannot be pressed twice. The form is sent with fetch (POST: the name stays out of every URL)
// and the PDF saved from the answer, so the button is ready again once it has arrived. Without
// JavaScript the form posts as usual. No inline script: CSP.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-calendar-pdf]");
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  const status = form.querySelector("[data-calendar-status]");
  if (button.disabled) return;
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = button.dataset.busyLabel;
  status.textContent = button.dataset.busyLabel;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && type.startsWith("application/pdf")) {
      const disposition = response.headers.get("Content-Disposition") || "";
      const match = disposition.match(/filename="?([^";]+)"?/);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = match ? match[1] : "treatment-calendar.pdf";
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      status.textContent = button.dataset.doneLabel;
    } else if (response.status === 429) {
      status.textContent = await response.text();
    } else {
      form.submit(); // e.g. a field error: the page comes back with the message at the field
    }
  } catch {
    status.textContent = button.dataset.errorLabel;
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }
});
