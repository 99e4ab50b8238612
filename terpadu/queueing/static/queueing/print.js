// The printable ticket: print on open when asked (kiosk flow), and on the button.
const button = document.getElementById("print");
if (button) button.addEventListener("click", () => window.print());
if (document.body.dataset.autoprint === "1") {
  window.addEventListener("load", () => setTimeout(() => window.print(), 200));
}

// At the kiosk, go back to the start screen after a while (with a visible countdown).
const back = document.body.dataset.returnUrl;
if (back) {
  let left = Number(document.body.dataset.returnAfter || 20);
  const note = document.getElementById("return-note");
  const seconds = document.getElementById("return-seconds");
  if (note) note.hidden = false;
  const timer = setInterval(() => {
    left -= 1;
    if (seconds) seconds.textContent = String(left);
    if (left <= 0) {
      clearInterval(timer);
      window.location.assign(back);
    }
  }, 1000);
}
