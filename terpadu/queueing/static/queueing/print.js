// The printable ticket: print on open when asked (kiosk flow), and on the button.
const button = document.getElementById("print");
if (button) button.addEventListener("click", () => window.print());
if (document.body.dataset.autoprint === "1") {
  window.addEventListener("load", () => setTimeout(() => window.print(), 200));
}
